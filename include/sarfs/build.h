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
#include "sarfs/view.h"

#include <stddef.h>
#include <stdint.h>

struct sarfs_build_options {
	const char *profile;	/* built-in name or file; NULL: detect, else "generic" */
	const char *subject;	/* the data subject's id; NULL: the profile detects it */
	const char *response;	/* the user's record of the answers; NULL: look beside
				 * the source (response.h) */
	int no_response;	/* do not look for a response file beside the source */
	const char *asof;	/* an ISO 8601 time; NULL: from the data */
	const char *label;	/* the source's name in README.txt; NULL: its base name */
	struct sarfs_source_limits limits;
	size_t max_record;	/* bytes; 0: the readers' default (64 MiB) */
	int progress;		/* show progress on stderr */
	const char *known_sha256;	/* the archive's SHA-256 in hex, if the caller has
					 * just computed it; NULL: computed here */
	/* One export delivered in several archives (Google Takeout's
	 * -001.zip, -002.zip, ...): the parts after the source, in order,
	 * read as one tree. The export's SHA-256 is then that of what
	 * `sha256sum PART...` prints for all parts, by base name. */
	char *const *more_parts;
	size_t nmore_parts;
	struct sarfs_view *view;	/* borrowed, or NULL: a view whose field rules
					 * collect values from every record read
					 * (sarfs_view_collect(); sarfs share) */
};

void sarfs_build_options_default(struct sarfs_build_options *o);

/* What a build found, for the caller's summary line. */
struct sarfs_build_stats {
	uint64_t files;		/* regular files in the export */
	uint64_t structured;	/* of which read as records */
	uint64_t records;
	uint64_t bytes;		/* bytes read from the export */
	uint64_t problems;	/* warnings and errors */
	unsigned gaps;		/* expected items the export lacks */
	char source_sha256[65];
};

/* The profile that source would be read with: o->profile if set, else the
 * first built-in profile (by name) whose detect patterns match a file of
 * the source, else "generic". Reads only names. A new string. */
char *sarfs_build_detect_profile(const char *source, const struct sarfs_build_options *o,
				 struct sarfs_diag *d);

/* The response file the build would read: o->response, or one found beside
 * source, or NULL. A new string. */
char *sarfs_build_response_path(const char *source, const struct sarfs_build_options *o);

/* Whether the n paths name the parts of one export, as Google Takeout
 * names them: the same name but for a number of three or more digits
 * before the extension ("takeout-20240115T101010Z-001.zip", "-002.zip"),
 * the numbers 1 to n. If so, sorts paths into part order and returns 1;
 * else returns 0 and leaves them as they are. */
int sarfs_build_parts_order(char **paths, size_t n);
/* Refuses (-EINVAL, with a message) an output path inside the export at
 * source: sarfs never writes to the export, not even beside its files. */
int sarfs_build_refuse_inside(const char *source, const char *out, struct sarfs_diag *d);

/* Builds the index of source at out (replacing a file there). Problems in
 * the export go to d and never fail the build; a missing or unreadable
 * source, an unloadable profile, or a failure to write the index does.
 * stats may be NULL. Returns 0 or a negative errno. */
int sarfs_build(const char *source, const char *out, const struct sarfs_build_options *o,
		struct sarfs_build_stats *stats, struct sarfs_diag *d);

#endif
