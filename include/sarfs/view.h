/*
 * sarfs/view.h - views: what a shared copy of a tree shows, and what it
 * replaces by placeholders (docs/views.md).
 *
 * A view is a JSON file, data like a profile:
 *
 *   include / exclude   globs over paths of the tree ("raw", "*.jpg",
 *                       "a/ ** /b" without the spaces);
 *                       a glob that names a folder names all below it
 *   redact              rules, each with a name, replacing what it finds by
 *                       "[redacted:NAME:N]": record fields by key (at any
 *                       depth), listed values, built-in patterns (email,
 *                       ipv4, ipv6) or a regular expression (PCRE2)
 *
 * The same value gets the same N everywhere in one view; numbers are given
 * in the order values are met (sarfs share walks the tree in path order),
 * so they are deterministic and a diff of two shares is stable.
 *
 * Matching, the same for every text (file contents, names, attributes,
 * the strings of a record):
 *   - listed values and the values found in fields match as whole tokens
 *     (no letter, digit or '_' right before or after where the value has
 *     one at its edge), ignoring ASCII case;
 *   - where matches overlap, the leftmost wins, then the longest, then the
 *     rule listed first;
 *   - a match equal to an entry of the rule's "keep" list is left alone.
 *
 * Field values are found in records while the tree is built (the build
 * calls sarfs_view_collect() on every record), and then redacted wherever
 * they appear whole: in the field itself (sarfs_view_redact_json()), in the
 * export's raw files (also in their JSON, SQL and CSV escaped forms), and
 * in the profile's texts.
 *
 * Thread safety: a view is read-only after loading, except that absorbing
 * found values and redacting (which numbers values) change it: do those in
 * one thread. sarfs_view_collect() may run in several threads at once,
 * each with its own found set.
 */
#ifndef SARFS_VIEW_H
#define SARFS_VIEW_H

#include "sarfs/buf.h"
#include "sarfs/diag.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* A match longer than this is not found across the pieces of a streamed
 * text (listed and field values are never cut: the window grows to fit). */
#define SARFS_VIEW_WINDOW 4096

struct sarfs_view;

/* Loads a view file. Returns 0, -ENOENT/-EACCES (cannot read it), or
 * -EINVAL with every problem in d as "file:line:col: /json/pointer: text".
 * *out is new, for sarfs_view_free(). */
int sarfs_view_load(const char *path, struct sarfs_view **out, struct sarfs_diag *d);

/* The same from bytes; name is used in messages (copied). */
int sarfs_view_parse(const char *name, const char *text, size_t n, struct sarfs_view **out,
		     struct sarfs_diag *d);

void sarfs_view_free(struct sarfs_view *v);

/* Borrowed strings. name: the "view" key; sha256: 64 hex digits of the
 * file's bytes; text: the file's bytes (n in *len). */
const char *sarfs_view_name(const struct sarfs_view *v);
const char *sarfs_view_title(const struct sarfs_view *v);
const char *sarfs_view_sha256(const struct sarfs_view *v);
const char *sarfs_view_text(const struct sarfs_view *v, size_t *len);

/* Nonzero if the view lists no values and no regular expressions: then its
 * text says nothing the share hides, and the share may carry it. */
int sarfs_view_public(const struct sarfs_view *v);

/* "binary": "keep" (1) or "withhold" (0, the default). */
int sarfs_view_keep_binary(const struct sarfs_view *v);

/* "original_hashes": keep the SHA-256 of what a file was before redaction
 * (1, the default) or not. */
int sarfs_view_original_hashes(const struct sarfs_view *v);

/* Nonzero if path (a path of the tree, names joined by '/') is shown:
 * some include glob matches it or a folder above it (or there is no
 * include list), and no exclude glob does. */
int sarfs_view_shows(const struct sarfs_view *v, const char *path, size_t len);

/* Counts of globs, for README.txt. */
size_t sarfs_view_nglobs(const struct sarfs_view *v, int exclude);
const char *sarfs_view_glob(const struct sarfs_view *v, int exclude, size_t i);

/* ---- finding field values while building ------------------------------- */

/* Nonzero if some rule names fields. */
int sarfs_view_has_fields(const struct sarfs_view *v);

struct sarfs_view_found;

/* A new, empty set of found values for v's rules, owned by one thread. */
int sarfs_view_found_new(const struct sarfs_view *v, struct sarfs_view_found **out);
void sarfs_view_found_free(struct sarfs_view_found *f);

/* Adds to f the values of every field of record (any depth) that a rule
 * names: strings and numbers, and the strings and numbers inside objects
 * and arrays. v and record (borrowed) are only read. Returns 0 or
 * -ENOMEM. */
int sarfs_view_collect(const struct sarfs_view *v, json_t *record,
		       struct sarfs_view_found *f);

/* Moves everything of f into v (f is left empty). Returns 0 or -ENOMEM. */
int sarfs_view_absorb(struct sarfs_view *v, struct sarfs_view_found *f);

/* After every record was collected: readies the view for redacting, and
 * warns (in d, naming the view file and rule) about fields that no record
 * had. Returns 0 or -ENOMEM. */
int sarfs_view_prepare(struct sarfs_view *v, struct sarfs_diag *d);

/* ---- redacting ---------------------------------------------------------- */

/* Appends text with every match replaced by its placeholder; *hits (may be
 * NULL) is increased by the number of replacements. Returns 0, -ENOMEM, or
 * -EIO if a regular expression gave up (too much backtracking). */
int sarfs_view_redact(struct sarfs_view *v, const char *p, size_t n, struct sarfs_buf *out,
		      uint64_t *hits);

/* A streamed redaction of one file: write pieces, then close; output that
 * is settled is appended to out as it comes. The stream is the caller's,
 * freed by close (also on error). */
struct sarfs_view_stream;
int sarfs_view_stream_open(struct sarfs_view *v, struct sarfs_view_stream **out);
int sarfs_view_stream_write(struct sarfs_view_stream *s, const void *p, size_t n,
			    struct sarfs_buf *out);
int sarfs_view_stream_close(struct sarfs_view_stream *s, struct sarfs_buf *out,
			    uint64_t *hits);

/* Redacts a record: the value of a field a rule names is replaced whole by
 * the placeholder of that value; every other string, number and object key
 * is redacted as text (a number that changes becomes a string). *value is
 * replaced by a new reference when anything changed (the old one is
 * released). Objects are walked in byte order of their keys, so values are
 * numbered in the order the rendered record shows them. */
int sarfs_view_redact_json(struct sarfs_view *v, json_t **value, uint64_t *hits);

/* Whether anything in p would be redacted (for the share's self-check: a
 * redacted tree must have nothing left to redact). Numbers nothing.
 * Returns 1, 0, or a negative errno. */
int sarfs_view_finds(struct sarfs_view *v, const char *p, size_t n);

/* Appends README.txt's account of the rules: one block per rule name, with
 * what it matches and how many distinct values and places it redacted.
 * Listed values and regular expressions are counted, never shown. */
int sarfs_view_report(const struct sarfs_view *v, struct sarfs_buf *out);

/* The same for a window of a longer text: only matches that start at or
 * after from count, and, unless eof, only those that end before the end
 * of the window (the text goes on: the next window sees them whole). */
int sarfs_view_finds_part(struct sarfs_view *v, const char *p, size_t n, size_t from, int eof);

/* How much of a streamed text is looked at again with the next piece:
 * longer than any listed or found value (for a caller that scans a long
 * text in overlapping windows with sarfs_view_finds()). */
size_t sarfs_view_overlap(const struct sarfs_view *v);

/* Total replacements so far. */
uint64_t sarfs_view_places(const struct sarfs_view *v);

#endif
