/*
 * sarfs/index.h - the index: one SQLite file holding a finished tree.
 *
 * An index is immutable once written. It holds every node (inode number =
 * node id, 1 is the root), each file's exact bytes (content-addressed,
 * deduplicated by SHA-256, in 64 KiB chunks), where each file came from,
 * the export's own file list with hashes, and the problems met while
 * reading it. Nothing in it points outside it: an index mounts without
 * its source, which is how a view is shared.
 *
 * Children of a directory have consecutive ids in byte order of their
 * names, so readdir at offset k is one rowid lookup, and listing a
 * directory of 100,000 entries is linear.
 *
 * Writing: sarfs_index_writer_*() and the tree builder (tree.h) create a
 * new file; sarfs_index_writer_commit() marks it complete last. A file
 * without that mark, of another format version, not an index at all, or
 * shorter than its own header says, is refused by sarfs_index_open().
 *
 * Thread safety: none. A reader or writer belongs to one thread.
 */
#ifndef SARFS_INDEX_H
#define SARFS_INDEX_H

#include "sarfs/diag.h"
#include "sarfs/hash.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SARFS_INDEX_FORMAT 3
#define SARFS_INDEX_APPID 0x53415246	/* "SARF" */
#define SARFS_CHUNK (64 * 1024)
#define SARFS_ROOT_ID 1

/* ---- reading ---------------------------------------------------------- */

struct sarfs_node {
	uint64_t id;
	uint64_t parent;
	int dir;		/* 1: directory, 0: regular file */
	uint64_t size;		/* files: bytes; directories: 0 */
	int64_t mtime;		/* seconds since the epoch, UTC */
	uint64_t first;		/* directories: id of the first child */
	uint64_t nchild;	/* directories: number of children */
	uint64_t nsubdir;	/* directories: how many children are directories */
	int64_t chunk0;		/* files: first chunk; 0: held in the blob row (or empty) */
	int64_t blob;		/* files: blob id */
};

struct sarfs_index;

/* Opens path read-only. Returns 0, -ENOENT, -EACCES, or -EINVAL for a file
 * that is not a complete sarfs index of this format, or whose schema is
 * not exactly sarfs's (no views, triggers or other tables); the message,
 * in d, says which. SQL stored in the file is never trusted: an index
 * from someone else is input like any other. *out is a new index to
 * sarfs_index_close(). */
int sarfs_index_open(const char *path, struct sarfs_index **out, struct sarfs_diag *d);
void sarfs_index_close(struct sarfs_index *idx);

/* Nonzero if the file at path starts like an SQLite database with the sarfs
 * application id (a cheap test, before deciding how to open a source). */
int sarfs_index_sniff(const char *path);

/* A value of the meta table (source, source_sha256, asof, ...): a new
 * string to free(), or NULL if absent. */
char *sarfs_index_meta(struct sarfs_index *idx, const char *key);

/* Returns 0, -ENOENT, or -EIO for a node that breaks the shape of a tree
 * or cannot be read (sarfs_index_error() says which); an index from
 * someone else is input like any other: every node's
 * name is a safe name (names.h), a directory's children come after it,
 * so the tree has no cycle. */
int sarfs_index_node(struct sarfs_index *idx, uint64_t id, struct sarfs_node *n);

/* Looks name up in directory parent. Returns 0, -ENOENT, or -ENOTDIR. */
int sarfs_index_lookup(struct sarfs_index *idx, uint64_t parent, const char *name,
		       struct sarfs_node *n);

/* Iterates children from..to-1 (ids) of directory dir, in order. name is
 * borrowed until the next call. next returns 1, 0 at the end, or -EIO for
 * a node that is not a well-formed child of dir (see below). */
struct sarfs_index_iter;
int sarfs_index_iter_open(struct sarfs_index *idx, const struct sarfs_node *dir,
			  uint64_t from, uint64_t to, struct sarfs_index_iter **out);
int sarfs_index_iter_next(struct sarfs_index_iter *it, struct sarfs_node *n,
			  const char **name);
void sarfs_index_iter_close(struct sarfs_index_iter *it);

/* Calls fn for every node below directory top (not top itself), depth
 * first, children in order; path is the node's path below top ("a/b"),
 * borrowed for the call. Every node is checked as sarfs_index_node()
 * does, and must have the folder it is listed in as its parent. Returns
 * 0, fn's first nonzero value, -EIO (a damaged node) or -ENOMEM; *bad, if
 * not NULL, receives the id of the damaged node or of the node fn
 * failed on. */
typedef int (*sarfs_index_walk_fn)(void *ctx, const struct sarfs_node *n, const char *path,
				   size_t len);
int sarfs_index_walk(struct sarfs_index *idx, const struct sarfs_node *top,
		     sarfs_index_walk_fn fn, void *ctx, uint64_t *bad);

/* The name of node id as a new string, "" for the root. */
char *sarfs_index_name(struct sarfs_index *idx, uint64_t id);

/* Reads up to len bytes of file n at off into buf; *got receives the count
 * (0 at or past the end). Returns 0, -EIO or -ENOMEM.
 *
 * No byte is handed out that does not match the file's recorded SHA-256
 * (user.sarfs.sha256): a file held in its blob row (up to 64 KiB, nearly
 * every file) is checked at every read; a larger one is checked whole the
 * first time any of it is read on this connection (reading it all once: a
 * 1 GB file costs about a second there), then remembered. A mismatch is
 * -EIO, and the index is then damaged (sarfs_index_damaged()). */
int sarfs_index_read(struct sarfs_index *idx, const struct sarfs_node *n,
		     uint64_t off, size_t len, void *buf, size_t *got);

/* What the last -EIO of this index was about ("the bytes of node 12 do not
 * match their SHA-256", "cannot read node 7: database disk image is
 * malformed"), borrowed until the next call; NULL if there was none. */
const char *sarfs_index_error(const struct sarfs_index *idx);

/* Nonzero once a read has found the file itself damaged (SQLite found a
 * page malformed, or bytes did not match their digest), as opposed to a
 * passing I/O error: an index in the cache is then to be rebuilt. */
int sarfs_index_damaged(const struct sarfs_index *idx);

/* Extended attributes of a node, sarfs's own (user.sarfs.*) only. list
 * writes the NUL-separated names; get writes a value. Both return the
 * length needed (fill the buffer only if it is big enough), or -ENODATA
 * (no such attribute), -ENOENT (no such node) or -EIO. */
ssize_t sarfs_index_listxattr(struct sarfs_index *idx, const struct sarfs_node *n,
			      char *buf, size_t size);
ssize_t sarfs_index_getxattr(struct sarfs_index *idx, const struct sarfs_node *n,
			     const char *name, char *buf, size_t size);

/* The attributes, in the order listxattr gives them: where the file came
 * from, the SHA-256 of its bytes, the SHA-256 of the export's file, and,
 * for a file a share redacted, the SHA-256 of its bytes before that. */
#define SARFS_NXATTR 4
extern const char *const sarfs_xattr_names[SARFS_NXATTR];

/* What identifies file n across exports (sarfs diff): the SHA-256 of its
 * bytes, and in *key the profile's key for it (a new string), or NULL if
 * its path is its identity. Returns 0, -ENOENT, -EIO or -ENOMEM. */
int sarfs_index_identity(struct sarfs_index *idx, const struct sarfs_node *n,
			 uint8_t sha[SARFS_SHA256_LEN], char **key);

/* Node count and total file bytes, for statfs. */
int sarfs_index_stats(struct sarfs_index *idx, uint64_t *nodes, uint64_t *bytes);

/* The underlying connection, for the commands that query it (diff,
 * verify); borrowed. */
sqlite3 *sarfs_index_db(struct sarfs_index *idx);

/* ---- writing ---------------------------------------------------------- */

struct sarfs_index_writer;

/* The writer's SQLite page cache, KiB. It also sizes every sorted run
 * SQLite's sorter keeps in memory on the writer's connection (CREATE
 * INDEX, ORDER BY without an index, a profile's queries), so a build's
 * peak RSS does not grow with the number of entries. */
#define SARFS_WRITE_CACHE_KIB 4096

/* Creates a new index at path, which must not exist (O_EXCL semantics).
 * Returns 0, -EEXIST, or a negative errno; detail in d. */
int sarfs_index_writer_open(const char *path, struct sarfs_index_writer **out,
			    struct sarfs_diag *d);

/* Stores bytes: up to SARFS_CHUNK bytes in the blob row itself, larger
 * ones in chunks (once per distinct content). Allowed while a stream is
 * open: its chunks stay consecutive. *blob receives the blob id and, if
 * sha is not NULL, the digest. Returns 0 or -EIO/-ENOMEM/-ENOSPC. */
int sarfs_index_put(struct sarfs_index_writer *w, const void *p, size_t n,
		    int64_t *blob, uint8_t sha[SARFS_SHA256_LEN]);

/* The same with the digest of the n bytes already computed (by another
 * thread); known may be NULL. */
int sarfs_index_put_hashed(struct sarfs_index_writer *w, const void *p, size_t n,
			   const uint8_t known[SARFS_SHA256_LEN], int64_t *blob,
			   uint8_t sha[SARFS_SHA256_LEN]);

/* Streamed storing, for the export's files: begin, write..., end; stored
 * once per distinct content. Only one stream at a time. */
int sarfs_index_stream_begin(struct sarfs_index_writer *w);
int sarfs_index_stream_write(struct sarfs_index_writer *w, const void *p, size_t n);
int sarfs_index_stream_end(struct sarfs_index_writer *w, int64_t *blob,
			   uint64_t *size, uint8_t sha[SARFS_SHA256_LEN]);

int sarfs_index_set_meta(struct sarfs_index_writer *w, const char *key, const char *value);

/* Records a file of the export (raw path bytes, size, digest). */
int sarfs_index_add_source_file(struct sarfs_index_writer *w, const char *path,
				size_t path_len, uint64_t size,
				const uint8_t sha[SARFS_SHA256_LEN], int64_t *id);

/* Stores the (sorted) problem list. */
int sarfs_index_add_problems(struct sarfs_index_writer *w, const struct sarfs_diag *d);

/* Marks the index complete, flushes and closes it; the writer is freed
 * whatever the result. Returns 0 or a negative errno (e.g. -ENOSPC). */
int sarfs_index_writer_commit(struct sarfs_index_writer *w, struct sarfs_diag *d);

/* Closes without committing and deletes the file. */
void sarfs_index_writer_abort(struct sarfs_index_writer *w);

/* Sets the size and digest of a source_file row added before its bytes
 * were read (the build adds the row first, so that records read from the
 * file while it is stored can name it). */
int sarfs_index_fix_source_file(struct sarfs_index_writer *w, int64_t id, uint64_t size,
				const uint8_t sha[SARFS_SHA256_LEN]);

/* From now on, whatever the writer deletes is overwritten with zeros in the
 * file (SQLite's secure_delete), for a file meant to leave the machine. */
int sarfs_index_writer_secure(struct sarfs_index_writer *w);

/* Copies the committed index at from into a new file at to (which must
 * not exist) holding only its live pages: no free page, no journal, no
 * byte of what was deleted while from was written (VACUUM INTO). The
 * copy is fsynced. Returns 0 or a negative errno; detail in d. */
int sarfs_index_compact(const char *from, const char *to, struct sarfs_diag *d);

/* Borrowed connection, for the tree builder. */
sqlite3 *sarfs_index_writer_db(struct sarfs_index_writer *w);

/* Maps an SQLite result code to a negative errno. */
int sarfs_sqlite_errno(int rc);

/* Small helpers shared by the modules that write SQL: prepare (0 or a
 * negative errno), and step a statement that returns no rows then reset it
 * (0 or a negative errno). */
int sarfs_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st);
int sarfs_sql_run(sqlite3_stmt *st);

#endif
