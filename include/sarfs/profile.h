/*
 * sarfs/profile.h - profiles: how an export becomes a tree, as data.
 *
 * A profile is a JSON file (docs/profiles.md). sarfs carries its own
 * profiles compiled in (the files in fs/profiles/, embedded verbatim at
 * build time) and loads any other from a path given with -o profile=FILE.
 * Adding a platform needs a profile, never C code.
 *
 * The generic profile maps any export: raw/ holds every file byte for
 * byte, and records/ holds each structured file as a folder of records.
 *
 * Thread safety: a loaded profile is read-only and may be shared.
 */
#ifndef SARFS_PROFILE_H
#define SARFS_PROFILE_H

#include "sarfs/diag.h"

#include <jansson.h>
#include <stddef.h>

enum sarfs_format {
	SARFS_FORMAT_NONE,	/* kept as raw bytes only */
	SARFS_FORMAT_JSON,
	SARFS_FORMAT_JSONL,
	SARFS_FORMAT_CSV,
	SARFS_FORMAT_TSV,
	SARFS_FORMAT_SQL,	/* mysqldump text */
};

struct sarfs_profile_format {
	char *pattern;		/* fnmatch pattern on the lowercased base name */
	enum sarfs_format format;
};

struct sarfs_profile {
	char *name;		/* "generic" */
	char *title;		/* one line for README.txt */
	char *readme;		/* the profile's own folders explained, or NULL */
	char *origin;		/* "built in" or the file it was loaded from */
	const char *shown;	/* the same as the tree shows it: "built in" or the
				 * file's base name, never a local path (the tree
				 * depends on the profile's content alone, and may
				 * be shared); points into origin */
	char *raw_dir;		/* "raw" */
	char *records_dir;	/* "records" */
	char **name_keys;	/* NULL-terminated: fields that name a record */
	char **time_keys;	/* NULL-terminated: fields that give a record's time */
	char **skip_records;	/* NULL-terminated: patterns on the path not split into records */
	char **detect;		/* NULL-terminated: if any file's path matches one (fnmatch,
				 * '*' crossing '/'), an export is taken to be this platform's */
	struct sarfs_profile_format *formats;
	size_t nformats;
	json_t *doc;		/* owned: the whole profile document */
};

/* Loads a built-in profile by name, or a profile file by path (anything
 * with a '/' or ending in ".json"). Returns 0, -ENOENT (no such profile;
 * the message lists the built-in ones), or -EINVAL (the message says
 * where in the file). */
int sarfs_profile_load(const char *name_or_path, struct sarfs_profile **out,
		       struct sarfs_diag *d);

/* Loads a profile from the n bytes at text (not NUL-terminated); file names
 * it in messages and in p->origin. Returns 0, -EINVAL (the message says
 * where in the text) or -ENOMEM. For tests and fuzzing: the checks a file
 * gets. */
int sarfs_profile_load_text(const char *text, size_t n, const char *file,
			    struct sarfs_profile **out, struct sarfs_diag *d);

void sarfs_profile_free(struct sarfs_profile *p);

/* Nonzero if sarfs_profile_load() reads name_or_path as a file: it has a
 * '/' or ends in ".json". */
int sarfs_profile_is_file(const char *name_or_path);

/* The format of an export's file, by its path. */
enum sarfs_format sarfs_profile_format_of(const struct sarfs_profile *p, const char *path,
					  size_t len);

/* Nonzero if the file at path is kept out of records/ (e.g. __MACOSX). */
int sarfs_profile_skips_records(const struct sarfs_profile *p, const char *path, size_t len);

/* Nonzero if the file at path (a safe path) matches one of p's detect
 * patterns. */
int sarfs_profile_detects(const struct sarfs_profile *p, const char *path, size_t len);

/* The names of the built-in profiles, NULL-terminated, borrowed. */
const char *const *sarfs_profile_builtin_names(void);

#endif
