/*
 * sarfs/csv.h - CSV and TSV files as streams of records.
 *
 * Streamed: one row in memory at a time (plus a sample of the first
 * SARFS_CSV_SAMPLE bytes used to detect the layout). The rows are parsed
 * from the sample and then from the rest of the stream by the same code,
 * so the sample boundary never changes a row, a line number or a message.
 *
 * Syntax: RFC 4180 quoting with '"' (embedded delimiters, "" for a quote,
 * line ends inside quotes kept as they are); CR, LF and CR LF line ends,
 * also mixed; a UTF-8 BOM, skipped (columns count from 1 after it). Blank
 * lines are skipped and are not rows (they still count as lines). Leniency,
 * as in Python's csv module: a '"' inside an unquoted cell is an ordinary
 * character; text after a closing quote is kept in the cell (warning).
 * The optional escape (Coursera research exports use '\\') makes the next
 * byte literal if that is '"', the escape itself, the delimiter, CR or LF;
 * before any other byte it is an ordinary character ("C:\\dir", "\\N").
 *
 * Layout detection, unless fixed by the options, on the sample's complete
 * rows (a row cut off by the end of the sample is left out):
 *   - delimiter: the one of , \t ; | for which the most rows have the
 *     same field count k > 1 (quotes respected); a tie goes to the earlier
 *     in that list; ',' if none splits any row (one column);
 *   - preamble: the leading rows, before the first row with another shape,
 *     that have one cell or fewer than k / 2 cells ("Notes:", "Report
 *     generated on 2020-01-01, by X"). A header one cell short of the rows
 *     is therefore not taken for a preamble. Reported as a note;
 *   - header: the first row after the preamble is a header unless one of
 *     its cells is blank, is a number (12, -3.5, 0,25, 6e3) or a time (ISO
 *     8601 and the other forms of timefmt.h, 12/03/16 14:05, 03.12.2016,
 *     14:05), or also occurs in the same column of a later sampled row that
 *     is not a copy of the first row (data repeats "NULL", "yes", a
 *     category; column names do not, except as a repeated header line).
 *     A first row longer than the sample is judged without its last cell,
 *     which the sample may have cut.
 *
 * A record's value is, with a header, a JSON object from header names to
 * cell strings (a repeated name gets "~2", "~3", ... appended, skipping
 * names already taken; an empty name is "column N"; a name is cut at a NUL
 * byte); without one, a JSON array of cell strings in column order. Cells
 * are always strings: no type is guessed. A row with more cells than the
 * header gets keys "column N" (N the column, 1-based; "~k" added if the
 * header has that name) for the extras, one with fewer lacks the missing
 * keys; both are reported as warnings. Bytes that are not UTF-8 are read
 * as Latin-1 (one warning per file, at the first such byte).
 *
 * Locators are "row N, line L" (N counts data rows from 1, skipped ones
 * included so N stays the row's position; L is the line where the row
 * starts); the record's index is N - 1, group and key are NULL.
 *
 * Thread safety: a reader belongs to one thread.
 */
#ifndef SARFS_CSV_H
#define SARFS_CSV_H

#include "sarfs/buf.h"
#include "sarfs/diag.h"
#include "sarfs/record.h"
#include "sarfs/stream.h"

#define SARFS_CSV_SAMPLE (64 * 1024)
#define SARFS_CSV_MAX_CELLS 65536	/* a row with more is reported and skipped */

struct sarfs_csv_options {
	char delimiter;		/* 0: detect */
	char escape;		/* 0: none; '\\' for backslash escapes */
	int header;		/* -1: detect, 0: no header row, 1: header row */
};

/* The defaults: detect delimiter and header, no backslash escape. */
void sarfs_csv_options_default(struct sarfs_csv_options *o);

struct sarfs_csv_reader;

/* file is the name used in messages (copied); in is borrowed and must
 * outlive the reader. opt may be NULL for the defaults. max_record bounds
 * one row, counted in the file's bytes without its line end (0: 64 MiB); a
 * longer row is reported and skipped, a longer header row is reported and
 * the rows are read as if there were no header. Returns 0, -ENOMEM, or
 * -EINVAL for a delimiter or escape that is '"', CR or LF, an escape equal
 * to the delimiter, or a header option other than -1, 0, 1. Nothing is read
 * before the first sarfs_csv_next(). */
int sarfs_csv_open(struct sarfs_in *in, const char *file,
		   const struct sarfs_csv_options *opt, size_t max_record,
		   struct sarfs_csv_reader **out);

/* Returns 1 with *rec filled (borrowed until the next call), 0 at the end
 * (and on every call after it), or a negative errno (-ENOMEM or the
 * stream's error; a row cut short by a read error is not returned).
 * Problems in the data go to d and never end the file early; an
 * unterminated quote swallows the rest of the file into its cell, and is
 * reported at the quote, the partial row being kept. A file with no row at
 * all gets the warning "empty CSV file". */
int sarfs_csv_next(struct sarfs_csv_reader *r, struct sarfs_record *rec,
		   struct sarfs_diag *d);

/* After the first sarfs_csv_next(): what was detected (before it: the
 * options). preamble is the text before the header or first row, exactly
 * as in the file (line ends included, Latin-1 repaired), borrowed, "" if
 * none; header is 1 or 0. */
char sarfs_csv_delimiter(const struct sarfs_csv_reader *r);
int sarfs_csv_has_header(const struct sarfs_csv_reader *r);
const char *sarfs_csv_preamble(const struct sarfs_csv_reader *r);

void sarfs_csv_close(struct sarfs_csv_reader *r);

#endif
