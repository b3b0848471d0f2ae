/*
 * sarfs/cache.h - finding or building the index of a source.
 *
 * Indexes live in $XDG_CACHE_HOME/sarfs/ (or ~/.cache/sarfs/), never beside
 * the source. They are keyed by content: <key>.sarfs, where key is the
 * SHA-256 of the source's own SHA-256 and of everything else that shapes
 * the tree (profile, options, sarfs's index format and version). So the
 * same export at two paths shares one index, and a changed export gets a
 * new one.
 *
 * Hashing a large export at every mount would make mounting slow, so a
 * second, small file per source path, by-path/<SHA-256 of the real path>,
 * remembers the stat fingerprint (device, inode, size, mtime and ctime in
 * nanoseconds; for a folder, of every entry) seen when the key was last
 * computed, as git's index does. If the fingerprint is unchanged the key
 * is reused without reading the source; otherwise the source is hashed (an
 * archive) or rebuilt (a folder) and the record is replaced.
 *
 * Thread safety: concurrent callers, even in different processes, are
 * safe: each builds into its own temporary file and renames it into place.
 */
#ifndef SARFS_CACHE_H
#define SARFS_CACHE_H

#include "sarfs/build.h"
#include "sarfs/diag.h"

/* The cache directory, created (mode 0700) if missing: dir if not NULL,
 * else $XDG_CACHE_HOME/sarfs, else $HOME/.cache/sarfs. A new string. */
int sarfs_cache_dir(const char *dir, char **out, struct sarfs_diag *d);

/* Finds or builds the index for source. *index receives a new string (the
 * index's path); *built is set to 1 if it was built now. Returns 0 or a
 * negative errno (with a message in d). */
int sarfs_cache_index(const char *source, const char *cache_dir,
		      const struct sarfs_build_options *o, char **index, int *built,
		      struct sarfs_diag *d);

#endif
