/*
 * sarfs/csv.h - CSV and TSV files as streams of records.
 *
 * Streamed: one row in memory at a time (plus a sample of the first
 * SARFS_CSV_SAMPLE bytes used to detect the layout). Handles RFC 4180
 * quoting with embedded delimiters, quotes ("") and newlines; CR, LF and
 * CR LF line ends (also mixed); a UTF-8 BOM; an optional backslash escape
 * (Coursera research exports use it); and a preamble of free text before
 * the header row ("Report generated on ...").
 *
 * Layout detection, unless fixed by the options:
 *   - delimiter: the one of , \t ; | that splits the sampled rows (outside
 *     quotes) into the most consistent number of fields > 1;
 *   - preamble: leading lines before the first row that starts the run of
 *     rows with the dominant field count;
 *   - header: the first row is a header unless one of its cells is empty,
 *     is a number or a time, or repeats a value in a column whose other
 *     values are all numbers or times.
 *
 * A record's value is, with a header, a JSON object from header names to
 * cell strings (duplicate names get "~2", "~3"; empty names "column N");
 * without one, a JSON array of cell strings in column order. Cells are
 * always strings: no type is guessed. A row with more cells than the
 * header gets keys "column N" for the extras, one with fewer lacks the
 * missing keys; both are reported as warnings. Bytes that are not UTF-8
 * are read as Latin-1 (one warning per file).
 *
 * Locators are "row N, line L" (N counts data rows from 1, L is the line
 * where the row starts).
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

struct sarfs_csv_options {
	char delimiter;		/* 0: detect */
	char escape;		/* 0: none; '\\' for backslash escapes */
	int header;		/* -1: detect, 0: no header row, 1: header row */
};

/* The defaults: detect delimiter and header, no backslash escape. */
void sarfs_csv_options_default(struct sarfs_csv_options *o);

struct sarfs_csv_reader;

/* file is the name used in messages (copied); in is borrowed. opt may be
 * NULL for the defaults. max_record bounds one row in bytes (0: 64 MiB);
 * a longer row is reported and skipped. */
int sarfs_csv_open(struct sarfs_in *in, const char *file,
		   const struct sarfs_csv_options *opt, size_t max_record,
		   struct sarfs_csv_reader **out);

/* Returns 1 with *rec filled (borrowed until the next call), 0 at the end,
 * or a negative errno (-ENOMEM or the stream's error). Problems in the
 * data go to d and never end the file early, except an unterminated quote
 * at the end of the file (reported, and the partial row kept). */
int sarfs_csv_next(struct sarfs_csv_reader *r, struct sarfs_record *rec,
		   struct sarfs_diag *d);

/* After the first sarfs_csv_next(): what was detected. preamble is the
 * text before the header (borrowed, "" if none); header is 1 or 0. */
char sarfs_csv_delimiter(const struct sarfs_csv_reader *r);
int sarfs_csv_has_header(const struct sarfs_csv_reader *r);
const char *sarfs_csv_preamble(const struct sarfs_csv_reader *r);

void sarfs_csv_close(struct sarfs_csv_reader *r);

#endif
