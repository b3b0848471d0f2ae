/*
 * sarfs/diag.h - what went wrong in the export, and where.
 *
 * Core functions return 0 or a negative errno; the human detail goes here:
 * "file:line:col: text", in the style of compilers and git. A diag list is
 * the collected problems of one build. It is bounded: after a per-file
 * limit, further problems of that file are only counted, so a hostile file
 * with a million bad rows cannot exhaust memory.
 *
 * Every function accepts d == NULL (the problem is then dropped), so that
 * callers that do not care need no dummy.
 *
 * Thread safety: none.
 */
#ifndef SARFS_DIAG_H
#define SARFS_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum sarfs_severity {
	SARFS_NOTE = 0,		/* e.g. a zip name decoded as CP437 */
	SARFS_WARNING = 1,	/* the data is shown, but not all of it as intended */
	SARFS_ERROR = 2,	/* part of a file could not be read */
};

struct sarfs_diag_msg {
	enum sarfs_severity severity;
	char *file;	/* owned; the file in the export, printable; "" for the source */
	long line;	/* 1-based, 0 when unknown */
	long col;	/* 1-based, 0 when unknown */
	char *text;	/* owned; lowercase, no final full stop */
};

struct sarfs_diag {
	struct sarfs_diag_msg *msg;	/* owned array */
	size_t n, cap;
	size_t per_file_limit;		/* messages kept per file; 0 = unlimited */
	size_t dropped[3];		/* per severity: counted but not kept */
	FILE *echo;			/* borrowed; if set, each message is printed as added */
	const char *echo_prefix;	/* borrowed; e.g. "sarfs: " */
};

void sarfs_diag_init(struct sarfs_diag *d);
void sarfs_diag_destroy(struct sarfs_diag *d);

/* Records a problem. file may be NULL (= the source as a whole). Bytes of
 * file and text that are not printable UTF-8 are shown as %XX, so a message
 * can never carry terminal escapes out of a hostile export. */
void sarfs_diag_add(struct sarfs_diag *d, enum sarfs_severity sev,
		    const char *file, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/* Moves every message of src (kept and counted) to dst, as they are (they
 * were made printable when added), under dst's per-file limit. src is left
 * empty. For merging the list of a worker thread. */
void sarfs_diag_merge(struct sarfs_diag *dst, struct sarfs_diag *src);

/* Sorts by file, line, column, text: the order in which README.txt and
 * PROBLEMS.txt list them, independent of archive member order. */
void sarfs_diag_sort(struct sarfs_diag *d);

/* Number of messages of at least this severity (kept and dropped). */
size_t sarfs_diag_count(const struct sarfs_diag *d, enum sarfs_severity min);

/* Formats one message as "file:line:col: severity: text" (parts that are
 * unknown are left out) into a new string to free(); NULL on ENOMEM. */
char *sarfs_diag_format(const struct sarfs_diag_msg *m);

/* Prints every kept message, one per line, then a count of dropped ones. */
void sarfs_diag_print(const struct sarfs_diag *d, FILE *f, const char *prefix);

#endif
