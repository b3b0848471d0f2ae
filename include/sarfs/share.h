/*
 * sarfs/share.h - a view of an export, as an index to give away, and the
 * proof that it was made from that export with that view.
 *
 *   export ──build (view's field rules collect)──► full tree (private,
 *   in the cache folder, deleted after) ──walk in path order, through the
 *   view──► share (a new index: only what the view shows, redacted)
 *
 * The share is written into a new file with SQLite's secure_delete on,
 * then copied with VACUUM INTO, so that it holds no free page, no journal,
 * and no byte of what was deleted while it was written. It is then read
 * again: a share in which the view still finds something to redact is a
 * bug, and is not kept.
 *
 * A share holds, besides the tree: README.txt (the view, its SHA-256, the
 * source's SHA-256, what each rule redacted, the export's files that were
 * altered and those withheld) and MANIFEST.sha256 (sha256sum -c of every
 * other file). The same export, view and options give the same bytes, so
 * sarfs_share_verify() can rebuild a share and compare.
 *
 * Thread safety: none needed: each call uses its own files.
 */
#ifndef SARFS_SHARE_H
#define SARFS_SHARE_H

#include "sarfs/build.h"
#include "sarfs/buf.h"
#include "sarfs/diag.h"
#include "sarfs/view.h"

#include <stdint.h>

struct sarfs_share_stats {
	uint64_t files;		/* files in the full tree */
	uint64_t shown;		/* of which in the share */
	uint64_t excluded;	/* left out by include / exclude */
	uint64_t withheld;	/* binary files left out */
	uint64_t altered;	/* files whose bytes a rule changed */
	uint64_t places;	/* replacements */
	struct sarfs_build_stats build;
};

/* Writes the share of source through view v (borrowed; it is changed:
 * it collects values and numbers them) at out (replaced if it exists).
 * o are the build's options (o->view is ignored); cache names the private
 * folder for the full tree (NULL: the cache's default). Problems of the
 * export go to d as for sarfs_build(), warnings about the view too.
 * Returns 0 or a negative errno (-EINVAL: source is an index, or out is
 * inside the export). */
int sarfs_share(const char *source, struct sarfs_view *v, const char *out,
		const struct sarfs_build_options *o, const char *cache,
		struct sarfs_share_stats *st, struct sarfs_diag *d);

/* Loads the view stored in the share at path, if the share carries one
 * (a view that hides nothing in its own text). Returns 0, -ENOENT (the
 * share does not carry its view: the message says to give it), or
 * another negative errno. */
int sarfs_share_view(const char *path, struct sarfs_view **out, struct sarfs_diag *d);

/* Rebuilds the share of source with v and compares it with the share at
 * path: the view's SHA-256, the source's SHA-256, then every node (name,
 * kind, size, time, bytes, attributes), the meta data, the export's file
 * list, problems and gaps. Appends to report one line saying what was
 * verified, or naming the first difference. Returns 0 (the same), 1 (not
 * the same), or a negative errno (could not rebuild). */
int sarfs_share_verify(const char *path, const char *source, struct sarfs_view *v,
		       const struct sarfs_build_options *o, const char *cache,
		       struct sarfs_buf *report, struct sarfs_diag *d);

#endif
