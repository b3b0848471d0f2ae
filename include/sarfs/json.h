/*
 * sarfs/json.h - JSON and JSON Lines files as streams of records; and the
 * renderer every record file goes through.
 *
 * Splitting is streamed: only one record is held at a time, so a 2 GB
 * array of small objects needs no more memory than its largest element.
 * The records of a file are
 *   - the elements of a top-level array          ("/0", "/1", ...);
 *   - for a top-level object, the elements of each member that is an array
 *     of objects ("/posts/0", ...; group "posts"), and all its other
 *     members together as one record (locator "");
 *   - a top-level scalar, as one record ("");
 *   - for JSON Lines, each non-blank line ("line 12").
 * A JavaScript assignment before the value ("window.YTD.tweets.part0 = ",
 * as in X/Twitter archives) is skipped, as is a leading UTF-8 BOM.
 *
 * Each record is parsed by jansson. A record that does not parse, is
 * larger than max_record or nested deeper than SARFS_JSON_MAX_DEPTH is
 * reported in the diag list with file:line:col and skipped;
 * the reader goes on with the next one. Bytes that are not UTF-8 are read
 * as Latin-1 (with a warning); integers beyond 64 bits are kept, digit for
 * digit, as strings (with a warning).
 *
 * Thread safety: a reader belongs to one thread.
 */
#ifndef SARFS_JSON_H
#define SARFS_JSON_H

#include "sarfs/buf.h"
#include "sarfs/diag.h"
#include "sarfs/record.h"
#include "sarfs/stream.h"

#include <jansson.h>

/* Records nested deeper are reported and left in raw/: rendering indents
 * by depth, so depth multiplies size. */
#define SARFS_JSON_MAX_DEPTH 256

struct sarfs_json_reader;

enum sarfs_json_mode { SARFS_JSON_DOCUMENT, SARFS_JSON_LINES };

/* file is the name used in messages (copied). in is borrowed and must
 * outlive the reader. max_record bounds a record's size in bytes (0 means
 * the default, 64 MiB); a larger record is reported and skipped. */
int sarfs_json_open(struct sarfs_in *in, const char *file, enum sarfs_json_mode mode,
		    size_t max_record, struct sarfs_json_reader **out);

/* Returns 1 with *rec filled (borrowed until the next call), 0 at the end of
 * the file, or a negative errno (-ENOMEM, or the stream's read error).
 * Problems in the data are never an error here: they go to d. */
int sarfs_json_next(struct sarfs_json_reader *r, struct sarfs_record *rec,
		    struct sarfs_diag *d);

/* From now on, a record whose text takes the fast path (jsonfast.c) comes
 * back already rendered: rec->text holds what sarfs_json_render() would
 * give, and rec->value only the top-level members named in keys (strings
 * and integers), enough to name and date the record. Records outside the
 * fast path come back as before, fully parsed, with rec->text NULL. keys
 * is borrowed and must outlive the reader. */
void sarfs_json_prerender(struct sarfs_json_reader *r, const char *const *keys);

void sarfs_json_close(struct sarfs_json_reader *r);

/* Renders v as the text of a record file: two-space indentation, object
 * keys in byte order, strings as UTF-8 with only '"', '\\' and control
 * characters escaped (so grep finds the words), reals in their shortest
 * round-trip form, and a final newline. Appends to out; 0 or -ENOMEM. */
int sarfs_json_render(const json_t *v, struct sarfs_buf *out);

/* The same, but gives up with -EFBIG once more than limit bytes would be
 * appended (what was appended is left for the caller to reset). */
int sarfs_json_render_max(const json_t *v, struct sarfs_buf *out, size_t limit);

/* Renders a JSON text (one record) straight from its bytes, giving exactly
 * what sarfs_json_render_max() gives for jansson's parse of it, without
 * building a tree (jsonfast.c). If value is not NULL it receives a new
 * object holding the text's top-level members named in keys (strings and
 * integers only). Returns 0; 1 when the text is outside the fast path (not
 * UTF-8, a control character in a string, a key with an escape or twice,
 * an integer beyond 64 bits, malformed, ...: use jansson, which reports or
 * repairs it); -EFBIG past limit; -ENOMEM. out is unchanged unless 0. */
int sarfs_json_render_text(const char *text, size_t n, struct sarfs_buf *out, size_t limit,
			   const char *const *keys, json_t **value);

/* Appends the shortest text that reads back as exactly v ("0.1", "1e+300",
 * "2.0"). */
int sarfs_json_format_real(double v, struct sarfs_buf *out);

/* Appends a JSON pointer token for key ("~" as "~0", "/" as "~1"). */
int sarfs_json_pointer_escape(struct sarfs_buf *out, const char *key);

#endif
