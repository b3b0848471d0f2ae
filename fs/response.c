/*
 * response.c - loading the user's record of the controller's answers.
 */
#include "sarfs/response.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const statuses[] = {
	"refused", "partial", "not answered", "none exists", "provided", NULL,
};

void sarfs_response_free(struct sarfs_response *r)
{
	size_t i, k;

	if (!r)
		return;
	for (i = 0; i < r->nanswers; i++) {
		struct sarfs_answer *a = &r->answers[i];

		free(a->asked);
		free(a->date);
		free(a->status);
		free(a->said);
		for (k = 0; a->items && a->items[k]; k++)
			free(a->items[k]);
		free(a->items);
	}
	free(r->answers);
	free(r->file);
	free(r->sent);
	free(r->to);
	free(r);
}

/* A string member or "" (NULL on ENOMEM); -1 in *bad if it is not a string. */
static char *str(json_t *o, const char *key, int *bad)
{
	json_t *v = json_object_get(o, key);

	if (v && !json_is_string(v)) {
		*bad = 1;
		return strdup("");
	}
	return strdup(v ? json_string_value(v) : "");
}

int sarfs_response_load(const char *path, struct sarfs_response **out, struct sarfs_diag *d)
{
	/* messages name the file as it is shown elsewhere: without the folder
	 * it happens to be in on this machine (the tree must not depend on it) */
	const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct sarfs_response *r = NULL;
	json_t *doc, *answers, *a, *req;
	json_error_t err;
	size_t i;
	int rc = 0, bad = 0;

	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		if (json_error_code(&err) == json_error_cannot_open_file) {
			sarfs_diag_add(d, SARFS_ERROR, "", 0, 0, "cannot open response file '%s'", path);
			return -ENOENT;
		}
		sarfs_diag_add(d, SARFS_ERROR, name, err.line, err.column, "%s", err.text);
		return -EINVAL;
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->file = strdup(path))) {
		rc = -ENOMEM;
		goto out;
	}
	req = json_object_get(doc, "request");
	r->sent = str(req, "sent", &bad);
	r->to = str(req, "to", &bad);
	answers = json_object_get(doc, "answers");
	if (!json_is_object(doc) || (answers && !json_is_array(answers)) || bad) {
		sarfs_diag_add(d, SARFS_ERROR, name, 0, 0,
			       "a response file is an object with \"request\" {sent, to} and "
			       "\"answers\" [...] (see docs/profiles.md)");
		rc = -EINVAL;
		goto out;
	}
	r->answers = calloc(json_array_size(answers) + 1, sizeof(*r->answers));
	if (!r->answers || !r->sent || !r->to) {
		rc = -ENOMEM;
		goto out;
	}
	json_array_foreach(answers, i, a) {
		struct sarfs_answer *an = &r->answers[r->nanswers];
		json_t *items = json_object_get(a, "items"), *it;
		size_t k, s;

		if (!json_is_object(a) || (items && !json_is_array(items))) {
			sarfs_diag_add(d, SARFS_ERROR, name, 0, 0,
				       "answers[%zu] must be an object with \"items\" a list", i);
			rc = -EINVAL;
			goto out;
		}
		r->nanswers++;
		an->request = json_integer_value(json_object_get(a, "request"));
		an->asked = str(a, "asked", &bad);
		an->date = str(a, "date", &bad);
		an->status = str(a, "status", &bad);
		an->said = str(a, "said", &bad);
		an->items = calloc(json_array_size(items) + 1, sizeof(*an->items));
		if (!an->asked || !an->date || !an->status || !an->said || !an->items) {
			rc = -ENOMEM;
			goto out;
		}
		if (bad) {
			sarfs_diag_add(d, SARFS_ERROR, name, 0, 0,
				       "answers[%zu]: asked, date, status and said must be strings", i);
			rc = -EINVAL;
			goto out;
		}
		for (s = 0; statuses[s] && strcmp(statuses[s], an->status) != 0; s++)
			;
		if (!statuses[s])
			sarfs_diag_add(d, SARFS_WARNING, name, 0, 0,
				       "answers[%zu] (request %ld): status \"%s\" is not one of refused, "
				       "partial, not answered, none exists, provided; shown as written",
				       i, an->request, an->status);
		json_array_foreach(items, k, it) {
			if (!json_is_string(it)) {
				sarfs_diag_add(d, SARFS_ERROR, name, 0, 0,
					       "answers[%zu].items[%zu] must be a string", i, k);
				rc = -EINVAL;
				goto out;
			}
			if (!(an->items[k] = strdup(json_string_value(it)))) {
				rc = -ENOMEM;
				goto out;
			}
		}
	}
out:
	json_decref(doc);
	if (rc) {
		sarfs_response_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

char *sarfs_response_find(const char *source)
{
	static const char *const exts[] = { ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar.zst",
					    ".tar", ".zip", ".7z", ".sarfs", NULL };
	size_t n = strlen(source), i;
	struct stat st;
	char *p;

	while (n > 1 && source[n - 1] == '/')
		n--;
	/* export.zip -> export.response.json, then export.zip.response.json */
	for (i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);

		if (n > e && strncmp(source + n - e, exts[i], e) == 0) {
			if (asprintf(&p, "%.*s.response.json", (int)(n - e), source) < 0)
				return NULL;
			if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
				return p;
			free(p);
			break;
		}
	}
	if (asprintf(&p, "%.*s.response.json", (int)n, source) < 0)
		return NULL;
	if (stat(p, &st) == 0 && S_ISREG(st.st_mode))
		return p;
	free(p);
	return NULL;
}
