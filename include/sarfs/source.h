/*
 * sarfs/source.h - the export as a sequence of members.
 *
 * A source is a folder, a zip, a tar (plain or compressed), or a single
 * file that is none of these (a one-member export). It is opened read-only
 * and never written: the path the user gives is opened once (following it
 * if it is a symlink: it is the user's choice), O_RDONLY, with O_NOATIME
 * where permitted; inside a folder every file is opened O_NOFOLLOW and
 * symbolic links are reported, never followed; nothing is created beside
 * the source.
 *
 * Iteration is open / next / read / close. Member paths are the raw bytes
 * the export uses; making them safe is names.h's job. Folder members come
 * in byte order of their names; archive members in archive order (the tree
 * builder sorts, so order never shows in the tree).
 *
 * Limits against archive bombs: once the archive's members together
 * expand past expand_floor bytes and past max_expand_ratio times the
 * archive's size, reading stops with an error naming the member. A zip
 * member whose data is damaged is reported and the zip is reopened at the
 * next member, at most 64 times.
 *
 * Thread safety: a source belongs to one thread. Archive member names are
 * decoded with LC_CTYPE pinned to C.UTF-8 for that thread during next(), so
 * the result does not depend on the user's locale.
 */
#ifndef SARFS_SOURCE_H
#define SARFS_SOURCE_H

#include "sarfs/diag.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum sarfs_member_type {
	SARFS_MEMBER_FILE,
	SARFS_MEMBER_DIR,
	SARFS_MEMBER_SYMLINK,	/* never followed; link holds the target */
	SARFS_MEMBER_HARDLINK,	/* tar hard link; link holds the earlier member's path */
	SARFS_MEMBER_OTHER,	/* device, fifo, socket: listed, not read */
};

enum sarfs_source_kind {
	SARFS_SOURCE_FOLDER,
	SARFS_SOURCE_ZIP,
	SARFS_SOURCE_TAR,
	SARFS_SOURCE_TAR_COMPRESSED,
	SARFS_SOURCE_ARCHIVE_OTHER,
	SARFS_SOURCE_FILE,	/* a single plain file */
};

struct sarfs_member {
	const char *path;	/* borrowed until the next next(); raw bytes, NUL-terminated */
	size_t path_len;
	enum sarfs_member_type type;
	int64_t size;		/* expanded size as declared, -1 if unknown */
	const char *link;	/* borrowed; symlink or hard link target, else NULL */
	int from_cp437;		/* the zip name was not UTF-8 and was decoded as CP437 */
};

struct sarfs_source_limits {
	double max_expand_ratio;	/* default 250 */
	uint64_t expand_floor;		/* default 1 GiB: below this, no ratio check */
	unsigned max_depth;		/* folders: default 256 levels */
};

struct sarfs_source;

void sarfs_source_limits_default(struct sarfs_source_limits *l);

/* Opens path. limits may be NULL for the defaults. On success *out is a new
 * source to sarfs_source_close(). Errors: -ENOENT, -EACCES, ... (with a
 * message in d naming the path). An archive libarchive cannot open at all
 * is reported in d and read as a single file. */
int sarfs_source_open(const char *path, const struct sarfs_source_limits *limits,
		      struct sarfs_source **out, struct sarfs_diag *d);

enum sarfs_source_kind sarfs_source_kind(const struct sarfs_source *s);
/* "folder", "zip archive", "tar archive", ...: for README.txt. */
const char *sarfs_source_kind_name(enum sarfs_source_kind k);

/* Advances to the next member. Returns 1 and fills *m, 0 at the end (and
 * on every call after it), or a negative errno when the rest of the source
 * cannot be read (a truncated or corrupt archive; again on every call
 * after it); the message is in d and the members already seen stay valid.
 * Unread data of the previous member is skipped. */
int sarfs_source_next(struct sarfs_source *s, struct sarfs_member *m,
		      struct sarfs_diag *d);

/* Reads up to n bytes of the current member. Returns the count, 0 at its
 * end, or a negative errno (the message is in d). */
ssize_t sarfs_source_read(struct sarfs_source *s, void *buf, size_t n,
			  struct sarfs_diag *d);

void sarfs_source_close(struct sarfs_source *s);

/* SHA-256 of a whole file, read with the same care (read-only, no atime
 * update where permitted). Returns 0 or a negative errno. */
int sarfs_file_sha256(const char *path, uint8_t out[32]);

/* SHA-256 of the source file itself (an archive or single file; -EINVAL
 * for a folder), read through the source's own descriptor with pread():
 * safe to call from another thread while the source is being read. */
int sarfs_source_sha256(struct sarfs_source *s, uint8_t out[32]);

#endif
