/*
 * profile.c - loading profiles (profile.h).
 *
 * Only the keys this version understands are read; others are kept in
 * doc for later versions. Every problem names the profile file and the
 * place in it, as any other input would.
 */
#include "sarfs/profile.h"

#include "sarfs/names.h"

#include "embedded.h"

#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {
	[SARFS_FORMAT_JSON] = "json",
	[SARFS_FORMAT_JSONL] = "jsonl",
	[SARFS_FORMAT_CSV] = "csv",
	[SARFS_FORMAT_TSV] = "tsv",
	[SARFS_FORMAT_SQL] = "sql",
};

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void sarfs_profile_free(struct sarfs_profile *p)
{
	size_t i;

	if (!p)
		return;
	free(p->name);
	free(p->title);
	free(p->readme);
	free(p->origin);
	free(p->raw_dir);
	free(p->records_dir);
	free_strv(p->name_keys);
	free_strv(p->time_keys);
	free_strv(p->skip_records);
	free_strv(p->detect);
	for (i = 0; i < p->nformats; i++)
		free(p->formats[i].pattern);
	free(p->formats);
	json_decref(p->doc);
	free(p);
}

const char *const *sarfs_profile_builtin_names(void)
{
	static const char *names[16];
	size_t i;

	for (i = 0; sarfs_builtin_profiles[i].name && i + 1 < sizeof(names) / sizeof(names[0]); i++)
		names[i] = sarfs_builtin_profiles[i].name;
	names[i] = NULL;
	return names;
}

/* A string member, or dflt; -EINVAL (reported) if present but not a string. */
static int get_str(json_t *doc, const char *key, const char *dflt, char **out,
		   const char *file, struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, key);

	if (v && !json_is_string(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "\"%s\" must be a string", key);
		return -EINVAL;
	}
	*out = strdup(v ? json_string_value(v) : dflt);
	return *out ? 0 : -ENOMEM;
}

/* Text given as a string or a list of lines; NULL if absent. */
static int get_lines(json_t *doc, const char *key, char **out, const char *file,
		     struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, key), *x;
	size_t i, n = 0;
	char *s;

	*out = NULL;
	if (!v)
		return 0;
	if (json_is_string(v)) {
		*out = strdup(json_string_value(v));
		return *out ? 0 : -ENOMEM;
	}
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "\"%s\" must be a string or a list of lines",
			       key);
		return -EINVAL;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "\"%s\" line %zu must be a string",
				       key, i + 1);
			return -EINVAL;
		}
		n += json_string_length(x) + 1;
	}
	s = *out = malloc(n + 1);
	if (!s)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		if (i)
			*s++ = '\n';
		memcpy(s, json_string_value(x), json_string_length(x));
		s += json_string_length(x);
	}
	*s = '\0';
	return 0;
}

static int get_strv(json_t *doc, const char *key, char ***out, const char *file,
		    struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, key), *x;
	size_t i;
	char **s;

	if (v && !json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "\"%s\" must be a list of strings", key);
		return -EINVAL;
	}
	s = calloc(json_array_size(v) + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "\"%s\" item %zu must be a string", key, i + 1);
			free_strv(s);
			return -EINVAL;
		}
		if (!(s[i] = strdup(json_string_value(x)))) {
			free_strv(s);
			return -ENOMEM;
		}
	}
	*out = s;
	return 0;
}

static int get_formats(struct sarfs_profile *p, const char *file, struct sarfs_diag *d)
{
	json_t *f = json_object_get(p->doc, "formats"), *list, *x;
	size_t i, k, n = 0;
	int fmt;

	if (!f)
		return 0;
	if (!json_is_object(f)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "\"formats\" must be an object");
		return -EINVAL;
	}
	for (fmt = SARFS_FORMAT_JSON; fmt <= SARFS_FORMAT_SQL; fmt++)
		n += json_array_size(json_object_get(f, format_names[fmt]));
	p->formats = calloc(n ? n : 1, sizeof(*p->formats));
	if (!p->formats)
		return -ENOMEM;
	{
		const char *key;

		json_object_foreach(f, key, list) {
			for (fmt = SARFS_FORMAT_JSON; fmt <= SARFS_FORMAT_SQL; fmt++)
				if (strcmp(key, format_names[fmt]) == 0)
					break;
			if (fmt > SARFS_FORMAT_SQL) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "\"formats\" has an unknown format \"%s\" "
					       "(known: json, jsonl, csv, tsv, sql)", key);
				return -EINVAL;
			}
			if (!json_is_array(list)) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "\"formats\".\"%s\" must be a list of patterns", key);
				return -EINVAL;
			}
		}
	}
	/* a fixed order, so that an earlier format wins a pattern clash the
	 * same way whatever the key order in the file */
	for (k = 0, fmt = SARFS_FORMAT_JSON; fmt <= SARFS_FORMAT_SQL; fmt++) {
		json_array_foreach(json_object_get(f, format_names[fmt]), i, x) {
			if (!json_is_string(x)) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "\"formats\".\"%s\" item %zu must be a string",
					       format_names[fmt], i + 1);
				return -EINVAL;
			}
			p->formats[k].pattern = strdup(json_string_value(x));
			p->formats[k].format = (enum sarfs_format)fmt;
			if (!p->formats[k].pattern)
				return -ENOMEM;
			p->nformats = ++k;
		}
	}
	return 0;
}

/* "raw" and "records" name folders of the tree, which takes paths of safe
 * names only (tree.h): "../x", "a//b" or a control character made an
 * index that sarfs itself then refused as damaged. */
static int check_folder(const char *path, const char *key, const char *file,
			struct sarfs_diag *d)
{
	const char *p = path, *e;

	for (;;) {
		e = strchrnul(p, '/');
		if (!sarfs_name_is_safe(p, (size_t)(e - p))) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "\"%s\" must be a folder: names joined by '/', none empty, "
				       "\".\" or \"..\", none with control characters", key);
			return -EINVAL;
		}
		if (!*e)
			return 0;
		p = e + 1;
	}
}

static int parse_profile(struct sarfs_profile *p, const char *file, struct sarfs_diag *d)
{
	int rc;

	if (!json_is_object(p->doc)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 1, 1, "a profile must be a JSON object");
		return -EINVAL;
	}
	if ((rc = get_str(p->doc, "profile", "unnamed", &p->name, file, d)) ||
	    (rc = get_str(p->doc, "title", "", &p->title, file, d)) ||
	    (rc = get_lines(p->doc, "readme", &p->readme, file, d)) ||
	    (rc = get_str(p->doc, "raw", "raw", &p->raw_dir, file, d)) ||
	    (rc = get_str(p->doc, "records", "records", &p->records_dir, file, d)) ||
	    (rc = check_folder(p->raw_dir, "raw", file, d)) ||
	    (rc = check_folder(p->records_dir, "records", file, d)) ||
	    (rc = get_strv(p->doc, "record_name_keys", &p->name_keys, file, d)) ||
	    (rc = get_strv(p->doc, "record_time_keys", &p->time_keys, file, d)) ||
	    (rc = get_strv(p->doc, "skip_records", &p->skip_records, file, d)) ||
	    (rc = get_strv(p->doc, "detect", &p->detect, file, d)) ||
	    (rc = get_formats(p, file, d)))
		return rc;
	return 0;
}

int sarfs_profile_is_file(const char *name_or_path)
{
	size_t n = strlen(name_or_path);

	return strchr(name_or_path, '/') || (n > 5 && strcmp(name_or_path + n - 5, ".json") == 0);
}

/* Takes the document doc (a new reference, or NULL with err filled by the
 * loader) and reads it as a profile named file in messages. */
static int from_doc(json_t *doc, const json_error_t *err, const char *file,
		    const char *origin, struct sarfs_profile **out, struct sarfs_diag *d)
{
	struct sarfs_profile *p = calloc(1, sizeof(*p));
	int rc = 0;

	if (!p) {
		json_decref(doc);
		return -ENOMEM;
	}
	p->doc = doc;
	p->origin = strdup(origin);
	if (!p->origin) {
		rc = -ENOMEM;
		goto out;
	}
	p->shown = strrchr(p->origin, '/') ? strrchr(p->origin, '/') + 1 : p->origin;
	if (!p->doc) {
		if (json_error_code(err) == json_error_cannot_open_file) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open profile '%s'", file);
			rc = -ENOENT;
		} else {
			sarfs_diag_add(d, SARFS_ERROR, file, err->line, err->column, "%s", err->text);
			rc = -EINVAL;
		}
		goto out;
	}
	rc = parse_profile(p, file, d);
out:
	if (rc) {
		sarfs_profile_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

int sarfs_profile_load(const char *name_or_path, struct sarfs_profile **out,
		       struct sarfs_diag *d)
{
	const struct sarfs_embedded *e = NULL;
	json_error_t err;
	size_t i;

	if (sarfs_profile_is_file(name_or_path))
		return from_doc(json_load_file(name_or_path, JSON_REJECT_DUPLICATES, &err), &err,
				name_or_path, name_or_path, out, d);
	for (i = 0; sarfs_builtin_profiles[i].name; i++)
		if (strcmp(sarfs_builtin_profiles[i].name, name_or_path) == 0)
			e = &sarfs_builtin_profiles[i];
	if (!e) {
		const char *const *names = sarfs_profile_builtin_names();
		char list[512] = "";

		for (i = 0; names[i]; i++) {
			if (i)
				strncat(list, ", ", sizeof(list) - strlen(list) - 1);
			strncat(list, names[i], sizeof(list) - strlen(list) - 1);
		}
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       "no profile named '%s' (built in: %s; or give a file path)",
			       name_or_path, list);
		return -ENOENT;
	}
	return from_doc(json_loadb(e->text, e->len, JSON_REJECT_DUPLICATES, &err), &err,
			name_or_path, "built in", out, d);
}

int sarfs_profile_load_text(const char *text, size_t n, const char *file,
			    struct sarfs_profile **out, struct sarfs_diag *d)
{
	json_error_t err;

	return from_doc(json_loadb(text, n, JSON_REJECT_DUPLICATES, &err), &err, file, file,
			out, d);
}

/* The lowercased base name; ASCII only, so no locale is involved. */
static char *lower_base(const char *path, size_t len)
{
	size_t start = len, i;
	char *s;

	while (start > 0 && path[start - 1] != '/')
		start--;
	s = malloc(len - start + 1);
	if (!s)
		return NULL;
	for (i = start; i < len; i++)
		s[i - start] = (char)(path[i] >= 'A' && path[i] <= 'Z' ? path[i] + 32 : path[i]);
	s[len - start] = '\0';
	return s;
}

enum sarfs_format sarfs_profile_format_of(const struct sarfs_profile *p, const char *path,
					  size_t len)
{
	enum sarfs_format f = SARFS_FORMAT_NONE;
	char *base = lower_base(path, len);
	size_t i;

	if (!base)
		return f;
	for (i = 0; i < p->nformats; i++) {
		if (fnmatch(p->formats[i].pattern, base, 0) == 0) {
			f = p->formats[i].format;
			break;
		}
	}
	free(base);
	return f;
}

int sarfs_profile_skips_records(const struct sarfs_profile *p, const char *path, size_t len)
{
	char *s = strndup(path, len);
	size_t i;
	int hit = 0;

	if (!s)
		return 0;
	for (i = 0; p->skip_records[i] && !hit; i++)
		hit = fnmatch(p->skip_records[i], s, 0) == 0;
	free(s);
	return hit;
}

int sarfs_profile_detects(const struct sarfs_profile *p, const char *path, size_t len)
{
	char *s;
	size_t i;
	int hit = 0;

	if (!p->detect[0])
		return 0;
	s = strndup(path, len);
	if (!s)
		return 0;
	for (i = 0; p->detect[i] && !hit; i++)
		hit = fnmatch(p->detect[i], s, 0) == 0;
	free(s);
	return hit;
}
