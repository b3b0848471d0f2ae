/*
 * fuzz_mapping.c - the data side of a profile's mapping.
 *
 * The input is a file of the export, claimed by the built-in Coursera
 * profile as what it looks like: a course's clickstream (JSON Lines) if
 * it starts with '{', else a forum dump (mysqldump: any table of the
 * profile's schema, or none) if it has an INSERT, else the typing samples
 * (CSV). One reading, not three: the mapping's fixed cost (a schema of
 * twenty tables, its views and queries) already makes this the slowest
 * target. Its records are loaded into the profile's
 * tables beside a small fixed course and the whole mapping runs: column
 * names from the data, values of every type through the SQL helpers
 * (sarfs_time, sarfs_slug, sarfs_indent, sarfs_json) and the templates.
 * No record may stop the load (mapping.h: problems in the data are
 * reported), and every generated path must be safe (mapping_run.c).
 */
#include "fuzz.h"

#include "sarfs/profile.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sarfs_profile *p;
	const char *text = (const char *)data;
	static const struct fuzz_member as[3] = {
		{ "c-002/c-002_clickstream_export.jsonl", SARFS_FORMAT_JSONL, NULL, 0 },
		{ "c-002/c-002_anonymized_forum.sql", SARFS_FORMAT_SQL, NULL, 0 },
		{ "c-002/identity/typing_samples.csv", SARFS_FORMAT_CSV, NULL, 0 },
	};
	struct fuzz_member m;
	struct sarfs_diag d;
	size_t i = 0;

	/* loaded once: the profile is read-only (profile.h) */
	if (!p)
		FUZZ_CHECK(sarfs_profile_load("coursera-spark", &p, NULL) == 0,
			   "the built-in profile does not load");
	while (i < size && (data[i] == ' ' || data[i] == '\n'))
		i++;
	m = as[i < size && data[i] == '{' ? 0 : memmem(data, size, "INSERT", 6) ? 1 : 2];
	/* a member of length 0 would be read up to a NUL: give a NUL */
	m.text = size ? text : "";
	m.len = size;
	sarfs_diag_init(&d);
	fuzz_run_mapping(p, fuzz_hash(data, size) & 1 ? "23906" : NULL, &m, 1, &d);
	sarfs_diag_destroy(&d);
	return 0;
}
