/*
 * fuzz_profile.c - loading a profile and executing its mapping.
 *
 * The input is a profile's text. It is loaded as a file would be
 * (sarfs_profile_load_text); a profile that loads is asked for formats,
 * skips and detection on a few paths, then executed on a small fixed
 * export (mapping_run.c). Its raw and records folders must be safe paths.
 */
#include "fuzz.h"

#include "sarfs/names.h"
#include "sarfs/profile.h"

#include <errno.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"c-001/c-001_hash_mapping.sql", "data/a.JSON", "__MACOSX/x", "x/._y", "a.tsv", "",
	};
	struct sarfs_profile *p = NULL;
	struct sarfs_diag d;
	size_t i;
	int rc;

	sarfs_diag_init(&d);
	rc = sarfs_profile_load_text((const char *)data, size, "fuzz.json", &p, &d);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -ENOMEM, "profile_load's error");
	if (rc) {
		FUZZ_CHECK(rc != -EINVAL || d.n == 1, "a refused profile without one message");
		goto out;
	}
	FUZZ_CHECK(p->name && p->title && p->origin && p->raw_dir && p->records_dir &&
		   p->name_keys && p->time_keys && p->skip_records && p->detect,
		   "a loaded profile with a member missing");
	/* the tree takes paths of safe names only (tree.h) */
	fuzz_check_safe_path(p->raw_dir, strlen(p->raw_dir));
	fuzz_check_safe_path(p->records_dir, strlen(p->records_dir));
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		enum sarfs_format f = sarfs_profile_format_of(p, paths[i], strlen(paths[i]));

		FUZZ_CHECK(f >= SARFS_FORMAT_NONE && f <= SARFS_FORMAT_SQL, "a format out of range");
		(void)sarfs_profile_skips_records(p, paths[i], strlen(paths[i]));
		(void)sarfs_profile_detects(p, paths[i], strlen(paths[i]));
	}
	fuzz_run_mapping(p, fuzz_hash(data, size) & 1 ? "23906" : NULL, NULL, 0, &d);
out:
	sarfs_profile_free(p);
	sarfs_diag_destroy(&d);
	return 0;
}
