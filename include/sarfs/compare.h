/*
 * sarfs/compare.h - several exports of one account, side by side.
 *
 *   sarfs export-2015-01.zip export-2016-02.zip MOUNTPOINT
 *
 * shows one folder per export, named by its as-of date, and beside them
 * README.txt and changes/<older>..<newer>/ for each two exports next to
 * each other in time: SUMMARY.txt, added/, removed/ and changed/ (each
 * changed file as a unified diff). The exports' own indexes are served as
 * they are; what this module builds is the small "top" index of README.txt
 * and changes/ (diff.h), kept in the cache beside the others and keyed by
 * the exports' indexes, so that a second mount of the same exports is at
 * once.
 *
 * Thread safety: none.
 */
#ifndef SARFS_COMPARE_H
#define SARFS_COMPARE_H

#include "sarfs/diag.h"
#include "sarfs/index.h"

#include <stddef.h>

/* At most this many exports side by side (each is a slot of the mount). */
#define SARFS_COMPARE_MAX 16

struct sarfs_compare {
	size_t n;
	char **index;		/* owned: the exports' index paths, oldest first */
	char **label;		/* owned: their folder names ("2014-11-24") */
	char *top;		/* owned: the top index (README.txt, changes/) */
};

/* Orders the n (2 <= n <= SARFS_COMPARE_MAX) indexes at paths by as-of
 * time (then by the source's SHA-256), names each by its as-of date (the
 * time is added where two share a date; "unknown-date" where the index's
 * as-of is unknown or not a time of sarfs's form; then ~2, ~3 where labels
 * are still the same), and finds or builds
 * the top index in cache_dir (NULL: the default cache). Returns 0 with
 * *out new, to sarfs_compare_free(), or a negative errno (message in d). */
int sarfs_compare_prepare(char *const *paths, size_t n, const char *cache_dir,
			  struct sarfs_compare **out, struct sarfs_diag *d);
void sarfs_compare_free(struct sarfs_compare *c);

/* Builds the top index at out (which must not exist) for the n open
 * indexes idx, in order, named label. Returns 0 or a negative errno. */
int sarfs_compare_build(struct sarfs_index *const *idx, char *const *label, size_t n,
			const char *out, struct sarfs_diag *d);

#endif
