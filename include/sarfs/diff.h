/*
 * sarfs/diff.h - what changed between two exports of the same account.
 *
 * People ask again months later, and what changed between the two answers
 * is often the most telling fact: posts that vanished, a time that moved, a
 * gap that was filled or opened. A comparison works from the two indexes
 * alone, never from the sources.
 *
 * Files are matched by identity: the profile's key (index.h, node.key)
 * where the file has one, so that a post whose file name holds a changed
 * time is one changed post; else its path. A file matched on both sides
 * is "changed" if its bytes differ and "renamed" if only its path does.
 * README.txt at the root is left out: it holds what is volatile by design
 * (the source's name and hash, the as-of date), which the comparison shows
 * in its header instead. Gaps (the expectations the export does not meet)
 * are matched by id and place: one only in the first export was closed,
 * one only in the second opened, one whose status differs changed (what
 * the controller said, the user's record, shows in the missing.txt files).
 *
 * Everything here is deterministic: the same two indexes give the same
 * bytes, in byte order of folder and path.
 *
 * Thread safety: none; a comparison belongs to one thread, and so do the
 * two indexes while it runs.
 */
#ifndef SARFS_DIFF_H
#define SARFS_DIFF_H

#include "sarfs/buf.h"
#include "sarfs/diag.h"
#include "sarfs/hash.h"
#include "sarfs/index.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum sarfs_change { SARFS_ADDED, SARFS_REMOVED, SARFS_CHANGED, SARFS_RENAMED };

/* One side of a file that changed: absent if path is NULL. */
struct sarfs_diff_side {
	char *path;		/* owned */
	uint64_t node, size;
	uint8_t sha[SARFS_SHA256_LEN];
};

struct sarfs_diff_file {
	enum sarfs_change change;
	char *folder;		/* owned: where it is counted ("posts", "(top level)") */
	struct sarfs_diff_side a, b;
};

enum sarfs_gap_change { SARFS_GAP_OPENED, SARFS_GAP_CLOSED, SARFS_GAP_CHANGED };

struct sarfs_diff_gap {
	enum sarfs_gap_change change;
	char *id, *path, *title, *law;		/* owned */
	char *status_a, *said_a, *status_b, *said_b;	/* owned; NULL on the absent side */
};

/* What the header tells about each export (README.txt's facts). */
struct sarfs_diff_export {
	char *source, *kind, *sha256, *asof, *profile, *subject;	/* owned, never NULL */
};

struct sarfs_diff {
	struct sarfs_diff_export a, b;
	struct sarfs_diff_file *files;	/* by folder, then path, in byte order */
	size_t nfiles;
	struct sarfs_diff_gap *gaps;	/* closed, opened, changed; by place */
	size_t ngaps;
	uint64_t unchanged;		/* files equal on both sides */
	char *notes[2];			/* owned or NULL: "different profiles ..." */
};

/* Compares the trees of a (the earlier export, as a rule) and b. A damaged
 * node in either is an error (-EIO, the message in d). Returns 0 with *out
 * a new comparison to sarfs_diff_free(), or a negative errno. */
int sarfs_diff_compute(struct sarfs_index *a, struct sarfs_index *b, struct sarfs_diff **out,
		       struct sarfs_diag *d);
void sarfs_diff_free(struct sarfs_diff *df);

/* Nonzero if anything differs (files or gaps). */
int sarfs_diff_any(const struct sarfs_diff *df);

/* The summary a person reads: both exports, counts by folder, gaps, then
 * the files one a line (SUMMARY.txt of a mount's changes/ folder; the
 * first part of `sarfs diff`). Appends to out; 0 or -ENOMEM. */
int sarfs_diff_summary(const struct sarfs_diff *df, struct sarfs_buf *out);

/* Appends the unified diff of file f (git's format: a/ and b/ paths,
 * "new file", "deleted file", "Binary files ... differ"); for a file
 * larger than SARFS_DIFF_MAX_TEXT on either side, a line with the sizes
 * and digests instead. Returns 0, -EIO or -ENOMEM. */
#define SARFS_DIFF_MAX_TEXT (1u << 20)
int sarfs_diff_patch(struct sarfs_index *a, struct sarfs_index *b,
		     const struct sarfs_diff_file *f, struct sarfs_buf *out);

/* The comparison as JSON (a new reference), with each file's patch if
 * patches is nonzero ("patch", or "patch_base64" for one that is not
 * UTF-8, as a raw file in Latin-1). NULL on -ENOMEM or a read error. */
json_t *sarfs_diff_json(struct sarfs_index *a, struct sarfs_index *b,
			const struct sarfs_diff *df, int patches);

/* Names of the changes, as the summary and JSON give them. */
const char *sarfs_change_name(enum sarfs_change c);
const char *sarfs_gap_change_name(enum sarfs_gap_change c);

#endif
