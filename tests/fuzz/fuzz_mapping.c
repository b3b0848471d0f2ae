/*
 * fuzz_mapping.c - the data side of a profile's mapping.
 *
 * The input is a file of the export, claimed by the built-in Coursera
 * profile three times: as a course's forum dump (mysqldump: any table of
 * the profile's schema, or none), as its clickstream (JSON Lines) and as
 * the typing samples (CSV). Its records are loaded into the profile's
 * tables beside a small fixed course and the whole mapping runs: column
 * names from the data, values of every type through the SQL helpers
 * (sarfs_time, sarfs_slug, sarfs_indent, sarfs_json) and the templates.
 * No record may stop the load (mapping.h: problems in the data are
 * reported), and every generated path must be safe (mapping_run.c).
 */
#include "fuzz.h"

#include "sarfs/profile.h"

#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sarfs_profile *p;
	const char *text = (const char *)data;
	/* a member of length 0 would be read up to a NUL: give a NUL */
	struct fuzz_member m[3] = {
		{ "c-002/c-002_anonymized_forum.sql", SARFS_FORMAT_SQL, size ? text : "", size },
		{ "c-002/c-002_clickstream_export.jsonl", SARFS_FORMAT_JSONL, size ? text : "", size },
		{ "c-002/identity/typing_samples.csv", SARFS_FORMAT_CSV, size ? text : "", size },
	};
	struct sarfs_diag d;

	/* loaded once: the profile is read-only (profile.h) */
	if (!p)
		FUZZ_CHECK(sarfs_profile_load("coursera-spark", &p, NULL) == 0,
			   "the built-in profile does not load");
	sarfs_diag_init(&d);
	fuzz_run_mapping(p, fuzz_hash(data, size) & 1 ? "23906" : NULL, m, 3, &d);
	sarfs_diag_destroy(&d);
	return 0;
}
