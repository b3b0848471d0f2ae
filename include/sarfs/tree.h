/*
 * sarfs/tree.h - assembling the tree of an index being written.
 *
 * Profiles add files and directories by path, in any order; the tree
 * builder stages them in a temporary database and, at the end, gives
 * every node its id: breadth first, children of each directory in byte
 * order of their names, so the same set of entries gives the same tree
 * whatever order they came in (DESIGN invariant 2).
 *
 * Clashes are resolved deterministically: among entries that want the same
 * name in one directory, a directory comes first, then entries in order of
 * their tiebreak bytes (the caller's stable key: the raw member name and
 * content hash, a record's position), then of their content's SHA-256 and
 * origin and key (entries equal in all of these are indistinguishable, so their
 * order cannot show); the first keeps the name, the others
 * get "name~2", "name~3", ... (names.h), skipping names already taken.
 *
 * Paths given here are made of safe names (names.h) joined by '/'.
 *
 * Thread safety: none.
 */
#ifndef SARFS_TREE_H
#define SARFS_TREE_H

#include "sarfs/index.h"

#include <stddef.h>
#include <stdint.h>

#define SARFS_MTIME_ASOF INT64_MIN	/* "the as-of time", resolved at the end */
#define SARFS_TREE_MAX_DEPTH 512

struct sarfs_tree_file {
	int64_t blob;		/* from sarfs_index_put() or a stream */
	uint64_t size;
	int64_t mtime;		/* UTC seconds, or SARFS_MTIME_ASOF */
	const char *origin;	/* user.sarfs.source, or NULL */
	int64_t src;		/* source_file id, or 0 */
	const void *tiebreak;	/* stable clash order key, may be NULL */
	size_t tiebreak_len;
	const char *key;	/* identity across exports (index.h: node.key), or NULL */
	const uint8_t *original;	/* SHA-256 of the bytes before a view redacted
					 * them (SARFS_SHA256_LEN), or NULL */
};

struct sarfs_tree;

/* Starts a tree in the index being written by w (borrowed; it must outlive
 * the tree). */
int sarfs_tree_new(struct sarfs_index_writer *w, struct sarfs_tree **out);

/* Adds a file at path (not empty). Missing parent directories are created.
 * Returns 0, -ENAMETOOLONG (deeper than SARFS_TREE_MAX_DEPTH), or an errno
 * from the database. */
int sarfs_tree_add_file(struct sarfs_tree *t, const char *path, size_t len,
			const struct sarfs_tree_file *f);

/* Makes sure the directory at path exists (an empty path is the root). */
int sarfs_tree_add_dir(struct sarfs_tree *t, const char *path, size_t len);

/* Number of entries added so far (files and directories). */
uint64_t sarfs_tree_count(const struct sarfs_tree *t);

/* Resolves clashes, assigns ids and writes the node table. Files added
 * with SARFS_MTIME_ASOF get asof; a directory gets the newest mtime of the
 * files directly in it, or asof. Stores the node and byte counts in meta.
 * Returns 0 or a negative errno. */
int sarfs_tree_finish(struct sarfs_tree *t, int64_t asof);

void sarfs_tree_free(struct sarfs_tree *t);

#endif
