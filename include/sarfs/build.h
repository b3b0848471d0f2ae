/*
 * sarfs/build.h - from an export to an index: the whole pipeline.
 *
 *   source (folder, zip, tar) -> format readers -> profile -> tree -> index
 *
 * One direction, no back and forth: every file of the export is read once,
 * stored byte for byte (raw/), and, if the profile says it is structured,
 * parsed from the stored copy into records. The index is written to a
 * temporary file beside the output and renamed into place only when it is
 * complete, so a half-built index is never seen under the output's name.
 *
 * Thread safety: sarfs_build() may run in several threads at once on
 * different outputs.
 */
#ifndef SARFS_BUILD_H
#define SARFS_BUILD_H

#include "sarfs/diag.h"
#include "sarfs/source.h"

#include <stddef.h>
#include <stdint.h>

struct sarfs_build_options {
	const char *profile;	/* built-in name or file; NULL: "generic" */
	const char *asof;	/* an ISO 8601 time; NULL: from the data */
	const char *label;	/* the source's name in README.txt; NULL: its base name */
	struct sarfs_source_limits limits;
	size_t max_record;	/* bytes; 0: the readers' default (64 MiB) */
	int progress;		/* show progress on stderr */
};

void sarfs_build_options_default(struct sarfs_build_options *o);

/* What a build found, for the caller's summary line. */
struct sarfs_build_stats {
	uint64_t files;		/* regular files in the export */
	uint64_t structured;	/* of which read as records */
	uint64_t records;
	uint64_t bytes;		/* bytes read from the export */
	uint64_t problems;	/* warnings and errors */
	char source_sha256[65];
};

/* Builds the index of source at out (replacing a file there). Problems in
 * the export go to d and never fail the build; a missing or unreadable
 * source, an unloadable profile, or a failure to write the index does.
 * stats may be NULL. Returns 0 or a negative errno. */
int sarfs_build(const char *source, const char *out, const struct sarfs_build_options *o,
		struct sarfs_build_stats *stats, struct sarfs_diag *d);

#endif
