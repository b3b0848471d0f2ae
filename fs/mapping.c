/*
 * mapping.c - executing a profile's tables, subject, nodes and
 * expectations (mapping.h).
 *
 * The data lives in a private temporary database attached as "data"; the
 * subject, the profile's views and the engine's own scratch tables live in
 * "temp". Profile SQL is prepared and stepped with `restricted` set, which
 * the authorizer turns into: read data and temp, call functions, nothing
 * else. The engine's own statements run unrestricted.
 *
 * Templates are plain text with {column} holes ({{ and }} for braces);
 * all logic (conditions, formatting) is in the SQL, with a few helper
 * functions registered here: sarfs_time(), sarfs_name_time(), sarfs_slug(),
 * sarfs_indent(), sarfs_json().
 */
#include "sarfs/mapping.h"

#include "sarfs/buf.h"
#include "sarfs/json.h"
#include "sarfs/names.h"
#include "sarfs/timefmt.h"
#include "sarfs/tree.h"

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rule {
	char *where;		/* "/tables/2", for messages */
	regex_t re;
	int re_ok;
	char **caps;		/* names of the {captures}, NULL-terminated */
	char *table;		/* fixed table, or NULL: the record's group */
	char **columns;		/* names for the cells of array records, or NULL */
	int warned;
};

struct table {
	char *name;
	char **cols;		/* column names, in table order */
	size_t ncols, cap;
	sqlite3_stmt *ins;	/* INSERT of all current columns, or NULL */
	int known;
	struct table *next;
};

struct also {
	char *what;
	char *column;		/* NULL: never in the export */
};

struct node {
	char *where;
	char *path, *query, *text, *header, *row, *mtime;
	char *key;		/* template of the file's identity, or NULL */
	struct also *also;	/* record-level expectations */
	size_t nalso;
	char *also_law;
};

struct expect {
	char *where;
	char *id, *title, *at, *for_each, *expected, *why, *present, *instead, *instead_query,
		*ask, *law;
};

struct gap_rec {
	char *id, *path, *title, *law, *said, *status;
};

/* Where an expectation was found present, for REQUESTS.txt. */
struct seen {
	char *id, *path;
};

struct sarfs_mapping {
	const struct sarfs_profile *p;
	sqlite3 *db;
	const char *subject_arg;
	const struct sarfs_response *resp;
	int active;
	int restricted;		/* the authorizer's switch */

	struct rule *rules;
	size_t nrules;
	char **known;		/* NULL-terminated: the schema's tables */
	char ***known_cols;	/* their columns, each NULL-terminated */
	char **setup;
	size_t nsetup;
	char *subject_query, *subject_describe;
	struct node *nodes;
	size_t nnodes;
	struct expect *expects;
	size_t nexpects;
	struct table *tables;

	struct gap_rec *gaps;
	size_t ngaps, gapcap;
	struct seen *seen;
	size_t nseen, seencap;
	char *subject_text;
};

/* ---- SQL helper functions ---------------------------------------------- */

static void fn_time(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct sarfs_time t = { SARFS_TIME_NONE, 0, 0 };
	enum sarfs_time_unit unit = SARFS_UNIT_S;
	char out[64];	/* a time (31 at most) and " (zone unknown)" */

	if (argc > 1 && sqlite3_value_type(argv[1]) == SQLITE_TEXT) {
		const char *u = (const char *)sqlite3_value_text(argv[1]);

		unit = strcmp(u, "ms") == 0 ? SARFS_UNIT_MS : strcmp(u, "us") == 0 ? SARFS_UNIT_US :
		       strcmp(u, "auto") == 0 ? SARFS_UNIT_AUTO : SARFS_UNIT_S;
	}
	switch (sqlite3_value_type(argv[0])) {
	case SQLITE_INTEGER:
		t = sarfs_time_from_number(sqlite3_value_int64(argv[0]), unit);
		break;
	case SQLITE_FLOAT:
		t = sarfs_time_from_number((int64_t)sqlite3_value_double(argv[0]), unit);
		break;
	case SQLITE_TEXT:
		t = sarfs_time_parse((const char *)sqlite3_value_text(argv[0]),
				     (size_t)sqlite3_value_bytes(argv[0]), unit);
		break;
	default:
		break;
	}
	if (sqlite3_user_data(ctx)) {
		/* for names: ISO 8601 basic format, no ':' (portable everywhere) */
		if (t.kind == SARFS_TIME_NONE) {
			strcpy(out, "unknown-time");
		} else {
			char iso[32];
			size_t i, k = 0;

			sarfs_time_format(&t, iso);
			for (i = 0; iso[i]; i++)
				if (iso[i] != ':' && iso[i] != '-')
					out[k++] = iso[i];
			out[k] = '\0';
		}
		sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
		return;
	}
	sarfs_time_format(&t, out);
	if (t.kind == SARFS_TIME_NAIVE)
		strcat(out, " (zone unknown)");
	sqlite3_result_text(ctx, out, -1, SQLITE_TRANSIENT);
}

/* ASCII lowercase letters and digits, other runs as '-', at most n bytes. */
static void fn_slug(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const unsigned char *s = sqlite3_value_text(argv[0]);
	int max = argc > 1 ? sqlite3_value_int(argv[1]) : 40;
	char out[256];
	int n = 0, dash = 0;

	if (max <= 0 || max > 200)
		max = 40;
	for (; s && *s && n < max; s++) {
		unsigned char c = *s;

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				out[n++] = '-';
			if (n < max)
				out[n++] = (char)c;
			dash = 0;
		} else if (c >= 'A' && c <= 'Z') {
			if (dash && n)
				out[n++] = '-';
			if (n < max)
				out[n++] = (char)(c + 32);
			dash = 0;
		} else {
			dash = 1;
		}
	}
	out[n] = '\0';
	sqlite3_result_text(ctx, out, n, SQLITE_TRANSIENT);
}

/* Every line of text prefixed with prefix. */
static void fn_indent(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	const char *pre = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : "    ";
	struct sarfs_buf b = SARFS_BUF_INIT;
	int rc = 0, bol = 1;

	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	if (!pre)
		pre = "";
	for (; *s && !rc; s++) {
		if (bol)
			rc = sarfs_buf_adds(&b, pre);
		bol = *s == '\n';
		if (*s == '\r') {
			bol = 1;
			if (s[1] == '\n')
				s++;
			rc = rc ? rc : sarfs_buf_addc(&b, '\n');
			continue;
		}
		rc = rc ? rc : sarfs_buf_addc(&b, *s);
	}
	if (rc || sarfs_buf_reserve(&b, 1)) {
		sarfs_buf_destroy(&b);
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, b.data, (int)b.len, free);
}

/* JSON text as sarfs renders records; other text as it is. */
static void fn_json(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	struct sarfs_buf b = SARFS_BUF_INIT;
	json_t *v;

	(void)argc;
	if (!s) {
		sqlite3_result_null(ctx);
		return;
	}
	v = json_loads(s, JSON_DECODE_ANY, NULL);
	if (!v || sarfs_json_render(v, &b) != 0) {
		json_decref(v);
		sarfs_buf_destroy(&b);
		sqlite3_result_value(ctx, argv[0]);
		return;
	}
	json_decref(v);
	if (b.len && b.data[b.len - 1] == '\n')
		b.len--;
	sqlite3_result_text(ctx, b.data, (int)b.len, SQLITE_TRANSIENT);
	sarfs_buf_destroy(&b);
}

/* The index's and the tree builder's own tables (index.c, tree.c). */
static int is_builder_table(const char *name)
{
	static const char *const own[] = { "meta", "node", "blob", "chunk", "source_file", "problem",
					   "gap", "dir", "entry", NULL };
	size_t i;

	for (i = 0; own[i]; i++)
		if (strcmp(own[i], name) == 0)
			return 1;
	return 0;
}

static int authorize(void *ctx, int action, const char *a, const char *b, const char *dbname,
		     const char *trigger)
{
	struct sarfs_mapping *m = ctx;

	(void)trigger;
	if (!m->restricted)
		return SQLITE_OK;
	switch (action) {
	case SQLITE_FUNCTION:
		/* b is the function's name: nothing that reaches outside */
		return b && strcmp(b, "load_extension") == 0 ? SQLITE_DENY : SQLITE_OK;
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		/* the loaded data and the subject; not the index being written */
		if (dbname)
			return strcmp(dbname, "data") == 0 || strcmp(dbname, "temp") == 0 ?
			       SQLITE_OK : SQLITE_DENY;
		/* a read of no particular column (count(*), SELECT 1) comes without
		 * a database name: refuse the tables that are not the profile's */
		return a && is_builder_table(a) ? SQLITE_DENY : SQLITE_OK;
	case SQLITE_CREATE_TEMP_VIEW:
		return m->restricted == 2 ? SQLITE_OK : SQLITE_DENY;
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
		/* the temp schema's bookkeeping of a view being created */
		if (m->restricted == 2 && a && strcmp(a, "sqlite_temp_master") == 0)
			return SQLITE_OK;
		return SQLITE_DENY;
	default:
		return SQLITE_DENY;
	}
}

/* ---- profile parsing ------------------------------------------------------ */

static void free_strv(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Text: a string, or a list of strings joined with newlines. */
static int get_text(json_t *o, const char *key, char **out, const char *file, const char *where,
		    struct sarfs_diag *d)
{
	json_t *v = json_object_get(o, key), *x;
	struct sarfs_buf b = SARFS_BUF_INIT;
	size_t i;

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		*out = strdup(json_string_value(v));
		return *out ? 0 : -ENOMEM;
	}
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
			       "%s/%s must be a string or a list of lines", where, key);
		return -EINVAL;
	}
	json_array_foreach(v, i, x) {
		if (!json_is_string(x)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s/%s/%zu must be a string", where,
				       key, i);
			sarfs_buf_destroy(&b);
			return -EINVAL;
		}
		if ((i && sarfs_buf_addc(&b, '\n')) || sarfs_buf_adds(&b, json_string_value(x))) {
			sarfs_buf_destroy(&b);
			return -ENOMEM;
		}
	}
	*out = sarfs_buf_detach(&b);
	return *out ? 0 : -ENOMEM;
}

static int get_strv(json_t *o, const char *key, char ***out, const char *file,
		    const char *where, struct sarfs_diag *d)
{
	json_t *v = json_object_get(o, key), *x;
	size_t i;

	*out = NULL;
	if (!v)
		return 0;
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s/%s must be a list of strings", where,
			       key);
		return -EINVAL;
	}
	*out = calloc(json_array_size(v) + 1, sizeof(char *));
	if (!*out)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		int rc = 0;

		if (!json_is_string(x)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s/%s/%zu must be a string",
				       where, key, i);
			rc = -EINVAL;
		} else if (!((*out)[i] = strdup(json_string_value(x)))) {
			rc = -ENOMEM;
		}
		if (rc) {
			/* nothing half made is left to the caller */
			free_strv(*out);
			*out = NULL;
			return rc;
		}
	}
	return 0;
}

/* A path pattern as a POSIX regex: "**" any folders, "*" and "?" within a
 * name, "{name}" a captured non-empty name part. */
static int compile_pattern(struct rule *r, const char *pat, const char *file,
			   struct sarfs_diag *d)
{
	struct sarfs_buf re = SARFS_BUF_INIT;
	size_t ncap = 0, i;
	const char *p;
	int rc = sarfs_buf_addc(&re, '^');

	r->caps = calloc(strlen(pat) / 2 + 2, sizeof(char *));
	if (!r->caps)
		return -ENOMEM;
	for (p = pat; *p && !rc; p++) {
		if (p[0] == '*' && p[1] == '*' && p[2] == '/') {
			rc = sarfs_buf_adds(&re, "(.*/)?");
			p += 2;
			ncap++;	/* the group counts as a capture */
			r->caps[ncap - 1] = strdup("");
		} else if (*p == '*') {
			rc = sarfs_buf_adds(&re, "[^/]*");
		} else if (*p == '?') {
			rc = sarfs_buf_adds(&re, "[^/]");
		} else if (*p == '{') {
			const char *e = strchr(p, '}');

			if (!e || e == p + 1) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "%s: pattern \"%s\" has an unclosed or empty {}", r->where,
					       pat);
				free(re.data);
				return -EINVAL;
			}
			for (i = 1; p + i < e; i++)
				if (!(p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') ||
				      (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9'))) {
					sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
						       "%s: capture names are letters, digits and _",
						       r->where);
					free(re.data);
					return -EINVAL;
				}
			r->caps[ncap++] = strndup(p + 1, (size_t)(e - p - 1));
			rc = sarfs_buf_adds(&re, "([^/]+)");
			p = e;
		} else {
			if (strchr(".[]()\\^$+|", *p))
				rc = sarfs_buf_addc(&re, '\\');
			rc = rc ? rc : sarfs_buf_addc(&re, *p);
		}
	}
	rc = rc ? rc : sarfs_buf_addc(&re, '$');
	if (rc) {
		free(re.data);
		return rc;
	}
	if (regcomp(&r->re, re.data, REG_EXTENDED) != 0) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s: bad pattern \"%s\"", r->where, pat);
		free(re.data);
		return -EINVAL;
	}
	r->re_ok = 1;
	free(re.data);
	return 0;
}

static int parse_rules(struct sarfs_mapping *m, json_t *doc, const char *file,
		       struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, "tables"), *x;
	size_t i;
	int rc;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "/tables must be a list");
		return -EINVAL;
	}
	m->rules = calloc(json_array_size(v) + 1, sizeof(*m->rules));
	if (!m->rules)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		struct rule *r = &m->rules[m->nrules++];
		const char *files = json_string_value(json_object_get(x, "files"));
		const char *table = json_string_value(json_object_get(x, "table"));

		if (asprintf(&r->where, "/tables/%zu", i) < 0) {
			r->where = NULL;
			return -ENOMEM;
		}
		if (!json_is_object(x) || !files) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "%s needs \"files\": a path pattern", r->where);
			return -EINVAL;
		}
		if (table && !(r->table = strdup(table)))
			return -ENOMEM;
		rc = get_strv(x, "columns", &r->columns, file, r->where, d);
		if (!rc)
			rc = compile_pattern(r, files, file, d);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_nodes(struct sarfs_mapping *m, json_t *doc, const char *file,
		       struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, "nodes"), *x;
	size_t i;
	int rc = 0;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "/nodes must be a list");
		return -EINVAL;
	}
	m->nodes = calloc(json_array_size(v) + 1, sizeof(*m->nodes));
	if (!m->nodes)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		struct node *n = &m->nodes[m->nnodes++];
		json_t *also = json_object_get(x, "also_expected"), *a;
		size_t k;

		if (asprintf(&n->where, "/nodes/%zu", i) < 0) {
			n->where = NULL;
			return -ENOMEM;
		}
		if ((rc = get_text(x, "path", &n->path, file, n->where, d)) ||
		    (rc = get_text(x, "query", &n->query, file, n->where, d)) ||
		    (rc = get_text(x, "text", &n->text, file, n->where, d)) ||
		    (rc = get_text(x, "header", &n->header, file, n->where, d)) ||
		    (rc = get_text(x, "row", &n->row, file, n->where, d)) ||
		    (rc = get_text(x, "mtime", &n->mtime, file, n->where, d)) ||
		    (rc = get_text(x, "key", &n->key, file, n->where, d)) ||
		    (rc = get_text(x, "also_expected_law", &n->also_law, file, n->where, d)))
			return rc;
		if (!n->path || (!n->query && !n->text) || (n->query && !n->row)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "%s needs \"path\" and either \"text\", or \"query\" and \"row\"",
				       n->where);
			return -EINVAL;
		}
		if (also && !json_is_array(also)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s/also_expected must be a list",
				       n->where);
			return -EINVAL;
		}
		n->also = calloc(json_array_size(also) + 1, sizeof(*n->also));
		if (!n->also)
			return -ENOMEM;
		json_array_foreach(also, k, a) {
			const char *what = json_string_value(json_object_get(a, "what"));
			const char *col = json_string_value(json_object_get(a, "column"));

			if (!what) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "%s/also_expected/%zu needs \"what\"", n->where, k);
				return -EINVAL;
			}
			n->also[k].what = strdup(what);
			n->also[k].column = col ? strdup(col) : NULL;
			n->nalso++;
			if (!n->also[k].what || (col && !n->also[k].column))
				return -ENOMEM;
		}
	}
	return 0;
}

static int parse_expects(struct sarfs_mapping *m, json_t *doc, const char *file,
			 struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, "expect"), *x;
	size_t i, k;
	int rc = 0;

	if (!v)
		return 0;
	if (!json_is_array(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "/expect must be a list");
		return -EINVAL;
	}
	m->expects = calloc(json_array_size(v) + 1, sizeof(*m->expects));
	if (!m->expects)
		return -ENOMEM;
	json_array_foreach(v, i, x) {
		struct expect *e = &m->expects[m->nexpects++];
		char **law = NULL;

		if (asprintf(&e->where, "/expect/%zu", i) < 0) {
			e->where = NULL;
			return -ENOMEM;
		}
		if ((rc = get_text(x, "id", &e->id, file, e->where, d)) ||
		    (rc = get_text(x, "title", &e->title, file, e->where, d)) ||
		    (rc = get_text(x, "at", &e->at, file, e->where, d)) ||
		    (rc = get_text(x, "for_each", &e->for_each, file, e->where, d)) ||
		    (rc = get_text(x, "expected", &e->expected, file, e->where, d)) ||
		    (rc = get_text(x, "why", &e->why, file, e->where, d)) ||
		    (rc = get_text(x, "present", &e->present, file, e->where, d)) ||
		    (rc = get_text(x, "instead", &e->instead, file, e->where, d)) ||
		    (rc = get_text(x, "instead_query", &e->instead_query, file, e->where, d)) ||
		    (rc = get_text(x, "ask", &e->ask, file, e->where, d)) ||
		    (rc = get_strv(x, "law", &law, file, e->where, d)))
			return rc;
		if (!e->id || !e->title || !e->at || !e->expected || !law || !law[0] || !e->ask) {
			free_strv(law);
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "%s needs \"id\", \"title\", \"at\", \"expected\", \"law\" "
				       "(a non-empty list) and \"ask\"", e->where);
			return -EINVAL;
		}
		for (k = 0; k < i; k++)
			if (strcmp(m->expects[k].id, e->id) == 0) {
				free_strv(law);
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "%s: the id \"%s\" is used twice", e->where, e->id);
				return -EINVAL;
			}
		{
			struct sarfs_buf b = SARFS_BUF_INIT;

			for (k = 0; law[k]; k++)
				if ((k && sarfs_buf_adds(&b, "; ")) || sarfs_buf_adds(&b, law[k]))
					rc = -ENOMEM;
			free_strv(law);
			e->law = sarfs_buf_detach(&b);
			if (rc || !e->law)
				return -ENOMEM;
		}
	}
	return 0;
}

/* "schema": { "table": ["column", ...], ... }: the tables the profile
 * knows, with the columns its queries use, so that a query never fails
 * because an export lacks a table or a column; their rows are shown
 * through the profile's nodes rather than as generic records. */
static int parse_schema(struct sarfs_mapping *m, json_t *doc, const char *file,
			struct sarfs_diag *d)
{
	json_t *v = json_object_get(doc, "schema"), *cols, *c;
	const char *name;
	size_t n = 0, i;

	if (!v)
		return 0;
	if (!json_is_object(v)) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
			       "/schema must be an object: table -> list of columns");
		return -EINVAL;
	}
	m->known = calloc(json_object_size(v) + 1, sizeof(char *));
	m->known_cols = calloc(json_object_size(v) + 1, sizeof(char **));
	if (!m->known || !m->known_cols)
		return -ENOMEM;
	json_object_foreach(v, name, cols) {
		if (!json_is_array(cols)) {
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "/schema/%s must be a list of column names", name);
			return -EINVAL;
		}
		m->known[n] = strdup(name);
		m->known_cols[n] = calloc(json_array_size(cols) + 1, sizeof(char *));
		if (!m->known[n] || !m->known_cols[n])
			return -ENOMEM;
		json_array_foreach(cols, i, c) {
			if (!json_is_string(c)) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "/schema/%s/%zu must be a string", name, i);
				return -EINVAL;
			}
			if (!(m->known_cols[n][i] = strdup(json_string_value(c))))
				return -ENOMEM;
		}
		n++;
	}
	return 0;
}

static void check_response(struct sarfs_mapping *m, struct sarfs_diag *d)
{
	size_t i, k, j;

	if (!m->resp)
		return;
	for (i = 0; i < m->resp->nanswers; i++) {
		const struct sarfs_answer *a = &m->resp->answers[i];

		for (k = 0; a->items[k]; k++) {
			for (j = 0; j < m->nexpects; j++)
				if (strcmp(m->expects[j].id, a->items[k]) == 0)
					break;
			if (j == m->nexpects) {
				struct sarfs_buf known = SARFS_BUF_INIT;

				for (j = 0; j < m->nexpects; j++)
					if ((j && sarfs_buf_adds(&known, ", ")) ||
					    sarfs_buf_adds(&known, m->expects[j].id))
						break;
				sarfs_diag_add(d, SARFS_WARNING,
					       strrchr(m->resp->file, '/') ? strrchr(m->resp->file, '/') + 1 :
									      m->resp->file, 0, 0,
					       "answers[%zu] (request %ld) names \"%s\", which profile %s "
					       "does not expect (it expects: %s); the answer is shown only "
					       "in REQUESTS.txt", i, a->request, a->items[k], m->p->name,
					       known.data ? known.data : "nothing");
				sarfs_buf_destroy(&known);
			}
		}
	}
}

int sarfs_mapping_new(const struct sarfs_profile *p, sqlite3 *db, const char *subject,
		      const struct sarfs_response *response, struct sarfs_mapping **out,
		      struct sarfs_diag *d)
{
	struct sarfs_mapping *m = calloc(1, sizeof(*m));
	/* messages go into PROBLEMS.txt: no local path */
	const char *file = p->shown;
	json_t *subj;
	int rc, flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

	if (!m)
		return -ENOMEM;
	m->p = p;
	m->db = db;
	m->subject_arg = subject;
	m->resp = response;
	if (strcmp(file, "built in") == 0)
		file = p->name;
	subj = json_object_get(p->doc, "subject");
	if ((rc = parse_rules(m, p->doc, file, d)) ||
	    (rc = parse_schema(m, p->doc, file, d)) ||
	    (rc = parse_nodes(m, p->doc, file, d)) ||
	    (rc = parse_expects(m, p->doc, file, d)) ||
	    (rc = get_text(subj, "query", &m->subject_query, file, "/subject", d)) ||
	    (rc = get_text(subj, "describe", &m->subject_describe, file, "/subject", d)))
		goto out;
	{
		char **setup = NULL;

		rc = get_strv(p->doc, "setup", &setup, file, "", d);
		if (rc)
			goto out;
		m->setup = setup;
		while (setup && setup[m->nsetup])
			m->nsetup++;
	}
	m->active = m->nrules || m->nnodes || m->nexpects || m->known;
	check_response(m, d);
	if (!m->active)
		goto out;
	rc = sarfs_sqlite_errno(sqlite3_exec(db, "ATTACH DATABASE '' AS data;"
						 "PRAGMA data.journal_mode = OFF;", NULL, NULL, NULL));
	if (!rc && (sqlite3_create_function(db, "sarfs_time", -1, flags, NULL, fn_time, NULL,
					    NULL) ||
		    sqlite3_create_function(db, "sarfs_name_time", -1, flags, (void *)1, fn_time, NULL,
				    NULL) ||
	    sqlite3_create_function(db, "sarfs_slug", -1, flags, NULL, fn_slug, NULL,
					    NULL) ||
		    sqlite3_create_function(db, "sarfs_indent", -1, flags, NULL, fn_indent, NULL,
					    NULL) ||
		    sqlite3_create_function(db, "sarfs_json", 1, flags, NULL, fn_json, NULL, NULL)))
		rc = -ENOMEM;
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_set_authorizer(db, authorize, m));
out:
	if (rc) {
		sarfs_mapping_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

void sarfs_mapping_free(struct sarfs_mapping *m)
{
	size_t i, k;
	struct table *t, *next;

	if (!m)
		return;
	if (m->active)
		sqlite3_set_authorizer(m->db, NULL, NULL);
	for (i = 0; i < m->nrules; i++) {
		free(m->rules[i].where);
		if (m->rules[i].re_ok)
			regfree(&m->rules[i].re);
		free_strv(m->rules[i].caps);
		free(m->rules[i].table);
		free_strv(m->rules[i].columns);
	}
	free(m->rules);
	free_strv(m->known);
	for (i = 0; m->known_cols && m->known_cols[i]; i++)
		free_strv(m->known_cols[i]);
	free(m->known_cols);
	free_strv(m->setup);
	free(m->subject_query);
	free(m->subject_describe);
	for (i = 0; i < m->nnodes; i++) {
		struct node *n = &m->nodes[i];

		free(n->where);
		free(n->path);
		free(n->query);
		free(n->text);
		free(n->header);
		free(n->row);
		free(n->mtime);
		free(n->key);
		free(n->also_law);
		for (k = 0; k < n->nalso; k++) {
			free(n->also[k].what);
			free(n->also[k].column);
		}
		free(n->also);
	}
	free(m->nodes);
	for (i = 0; i < m->nexpects; i++) {
		struct expect *e = &m->expects[i];

		free(e->where);
		free(e->id);
		free(e->title);
		free(e->at);
		free(e->for_each);
		free(e->expected);
		free(e->why);
		free(e->present);
		free(e->instead);
		free(e->instead_query);
		free(e->ask);
		free(e->law);
	}
	free(m->expects);
	for (t = m->tables; t; t = next) {
		next = t->next;
		free(t->name);
		for (i = 0; i < t->ncols; i++)
			free(t->cols[i]);
		free(t->cols);
		sqlite3_finalize(t->ins);
		free(t);
	}
	for (i = 0; i < m->ngaps; i++) {
		free(m->gaps[i].id);
		free(m->gaps[i].path);
		free(m->gaps[i].title);
		free(m->gaps[i].law);
		free(m->gaps[i].said);
		free(m->gaps[i].status);
	}
	free(m->gaps);
	for (i = 0; i < m->nseen; i++) {
		free(m->seen[i].id);
		free(m->seen[i].path);
	}
	free(m->seen);
	free(m->subject_text);
	free(m);
}

int sarfs_mapping_active(const struct sarfs_mapping *m)
{
	return m && m->active;
}

const char *sarfs_mapping_subject(const struct sarfs_mapping *m)
{
	return m && m->subject_text ? m->subject_text : "";
}

unsigned sarfs_mapping_gaps(const struct sarfs_mapping *m)
{
	return m ? (unsigned)m->ngaps : 0;
}

int sarfs_mapping_gap(const struct sarfs_mapping *m, unsigned i, struct sarfs_gap *g)
{
	if (!m || i >= m->ngaps)
		return -ENOENT;
	g->id = m->gaps[i].id;
	g->path = m->gaps[i].path;
	g->title = m->gaps[i].title;
	g->law = m->gaps[i].law;
	g->said = m->gaps[i].said;
	g->status = m->gaps[i].status;
	return 0;
}

/* ---- loading -------------------------------------------------------------- */

void sarfs_claim_destroy(struct sarfs_claim *c)
{
	free(c->captures);
	c->captures = NULL;
}

int sarfs_mapping_claim(struct sarfs_mapping *m, const char *path, size_t len,
			struct sarfs_claim *c)
{
	regmatch_t pm[16];
	char *s;
	size_t i, k;

	memset(c, 0, sizeof(*c));
	if (!m || !m->nrules)
		return 0;
	s = strndup(path, len);
	if (!s)
		return -ENOMEM;
	for (i = 0; i < m->nrules; i++) {
		struct rule *r = &m->rules[i];
		struct sarfs_buf b = SARFS_BUF_INIT;
		int rc = 0;

		if (regexec(&r->re, s, 16, pm, 0) != 0)
			continue;
		for (k = 0; r->caps[k] && k + 1 < 16; k++) {
			if (!r->caps[k][0] || pm[k + 1].rm_so < 0)
				continue;	/* "**" groups are not named */
			rc |= sarfs_buf_add(&b, r->caps[k], strlen(r->caps[k]) + 1);
			rc |= sarfs_buf_add(&b, s + pm[k + 1].rm_so,
					    (size_t)(pm[k + 1].rm_eo - pm[k + 1].rm_so));
			rc |= sarfs_buf_addc(&b, '\0');
		}
		rc |= sarfs_buf_addc(&b, '\0');
		free(s);
		if (rc) {
			sarfs_buf_destroy(&b);
			return -ENOMEM;
		}
		c->rule = (int)i;
		c->captures = sarfs_buf_detach(&b);
		return 1;
	}
	free(s);
	return 0;
}

/* "name" as an SQL identifier: double quotes, inner quotes doubled. */
static int add_ident(struct sarfs_buf *b, const char *name)
{
	int rc = sarfs_buf_addc(b, '"');

	for (; *name && !rc; name++)
		rc = *name == '"' ? sarfs_buf_add(b, "\"\"", 2) : sarfs_buf_addc(b, *name);
	return rc ? rc : sarfs_buf_addc(b, '"');
}

static int is_known(const struct sarfs_mapping *m, const char *table)
{
	size_t i;

	for (i = 0; m->known && m->known[i]; i++)
		if (strcmp(m->known[i], table) == 0)
			return 1;
	return 0;
}

static int exec_sql(sqlite3 *db, const char *sql)
{
	return sarfs_sqlite_errno(sqlite3_exec(db, sql, NULL, NULL, NULL));
}

static struct table *get_table(struct sarfs_mapping *m, const char *name, int *rc)
{
	struct sarfs_buf sql = SARFS_BUF_INIT;
	struct table *t;

	for (t = m->tables; t; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	t = calloc(1, sizeof(*t));
	if (!t || !(t->name = strdup(name))) {
		free(t);
		*rc = -ENOMEM;
		return NULL;
	}
	/* the four provenance columns; data columns come as records need them */
	*rc = sarfs_buf_adds(&sql, "CREATE TABLE data.");
	*rc |= add_ident(&sql, name);
	*rc |= sarfs_buf_adds(&sql, "(\"_file\", \"_loc\", \"_src\", \"_pos\")");
	if (!*rc)
		*rc = exec_sql(m->db, sql.data);
	sarfs_buf_destroy(&sql);
	if (*rc) {
		free(t->name);
		free(t);
		return NULL;
	}
	t->known = is_known(m, name);
	t->cols = malloc(8 * sizeof(char *));
	t->cap = 8;
	if (!t->cols) {
		*rc = -ENOMEM;
		free(t->name);
		free(t);
		return NULL;
	}
	t->cols[0] = strdup("_file");
	t->cols[1] = strdup("_loc");
	t->cols[2] = strdup("_src");
	t->cols[3] = strdup("_pos");
	t->ncols = 4;
	t->next = m->tables;
	m->tables = t;
	return t;
}

/* A dump without CREATE TABLE names values "column 1", "column 2", ...
 * (sqldump.h); for a table the profile knows, the schema lists the
 * columns in the platform's order, so the Nth is the right name. */
static const char *schema_name(const struct sarfs_mapping *m, const struct table *t,
			       const char *key)
{
	long n, k = 0;
	size_t i, j;
	char *end;

	if (!t->known || strncmp(key, "column ", 7) != 0)
		return key;
	n = strtol(key + 7, &end, 10);
	if (*end || n < 1)
		return key;
	for (i = 0; m->known[i]; i++) {
		if (strcmp(m->known[i], t->name) != 0)
			continue;
		for (j = 0; m->known_cols[i][j]; j++)
			if (m->known_cols[i][j][0] != '_' && ++k == n)
				return m->known_cols[i][j];
	}
	return key;
}

static long col_index(const struct table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i], name) == 0)
			return (long)i;
	return -1;
}

static int add_column(struct sarfs_mapping *m, struct table *t, const char *name)
{
	struct sarfs_buf sql = SARFS_BUF_INIT;
	int rc;

	if (t->ncols == t->cap) {
		char **v = realloc(t->cols, 2 * t->cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		t->cols = v;
		t->cap *= 2;
	}
	rc = sarfs_buf_adds(&sql, "ALTER TABLE data.");
	rc |= add_ident(&sql, t->name);
	rc |= sarfs_buf_adds(&sql, " ADD COLUMN ");
	rc |= add_ident(&sql, name);
	if (!rc)
		rc = exec_sql(m->db, sql.data);
	sarfs_buf_destroy(&sql);
	if (rc)
		return rc;
	if (!(t->cols[t->ncols] = strdup(name)))
		return -ENOMEM;
	t->ncols++;
	sqlite3_finalize(t->ins);
	t->ins = NULL;
	return 0;
}

static int prepare_insert(struct sarfs_mapping *m, struct table *t)
{
	struct sarfs_buf sql = SARFS_BUF_INIT;
	size_t i;
	int rc;

	rc = sarfs_buf_adds(&sql, "INSERT INTO data.");
	rc |= add_ident(&sql, t->name);
	rc |= sarfs_buf_adds(&sql, " VALUES (");
	for (i = 0; i < t->ncols; i++)
		rc |= sarfs_buf_adds(&sql, i ? ", ?" : "?");
	rc |= sarfs_buf_addc(&sql, ')');
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db, sql.data, -1, &t->ins, NULL));
	sarfs_buf_destroy(&sql);
	return rc;
}

static void bind_json(sqlite3_stmt *st, int i, json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_INTEGER:
		sqlite3_bind_int64(st, i, json_integer_value(v));
		break;
	case JSON_REAL:
		sqlite3_bind_double(st, i, json_real_value(v));
		break;
	case JSON_STRING:
		sqlite3_bind_text(st, i, json_string_value(v), (int)json_string_length(v),
				  SQLITE_TRANSIENT);
		break;
	case JSON_TRUE:
		sqlite3_bind_int(st, i, 1);
		break;
	case JSON_FALSE:
		sqlite3_bind_int(st, i, 0);
		break;
	case JSON_OBJECT:
	case JSON_ARRAY: {
		char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);

		if (s)
			sqlite3_bind_text(st, i, s, -1, free);
		else
			sqlite3_bind_null(st, i);
		break;
	}
	default:
		sqlite3_bind_null(st, i);
		break;
	}
}

/* Stores r in table tname, adding the columns it needs. */
static int load_record(struct sarfs_mapping *m, struct rule *rule, const char *tname,
		       const struct sarfs_claim *c, const struct sarfs_record *r, const char *file,
		       int64_t src, int *shown_generic)
{
	struct table *t;
	const char *cap;
	size_t i;
	long k;
	int rc = 0;

	t = get_table(m, tname, &rc);
	if (!t)
		return rc;
	*shown_generic = !t->known;
	/* make sure every column exists before binding */
	for (cap = c->captures; cap && *cap; cap += strlen(cap) + 1, cap += strlen(cap) + 1) {
		char col[128];

		snprintf(col, sizeof(col), "_%s", cap);
		if (col_index(t, col) < 0 && (rc = add_column(m, t, col)) != 0)
			return rc;
	}
	if (json_is_object(r->value)) {
		const char *key;
		json_t *v;

		json_object_foreach(r->value, key, v)
			if (col_index(t, schema_name(m, t, key)) < 0 &&
			    (rc = add_column(m, t, schema_name(m, t, key))) != 0)
				return rc;
	} else if (json_is_array(r->value)) {
		for (i = 0; i < json_array_size(r->value); i++) {
			char col[32];
			const char *name = col;

			if (rule->columns) {
				size_t n = 0;

				while (rule->columns[n])
					n++;
				if (i < n)
					name = rule->columns[i];
				else
					snprintf(col, sizeof(col), "c%zu", i + 1);
			} else {
				snprintf(col, sizeof(col), "c%zu", i + 1);
			}
			if (col_index(t, name) < 0 && (rc = add_column(m, t, name)) != 0)
				return rc;
		}
	} else if (col_index(t, "value") < 0 && (rc = add_column(m, t, "value")) != 0) {
		return rc;
	}
	if (!t->ins && (rc = prepare_insert(m, t)) != 0)
		return rc;
	for (i = 1; i <= t->ncols; i++)
		sqlite3_bind_null(t->ins, (int)i);
	sqlite3_bind_text(t->ins, 1, file, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(t->ins, 2, r->locator, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(t->ins, 3, src);
	sqlite3_bind_int64(t->ins, 4, r->index);
	for (cap = c->captures; cap && *cap; cap += strlen(cap) + 1, cap += strlen(cap) + 1) {
		char col[128];

		snprintf(col, sizeof(col), "_%s", cap);
		k = col_index(t, col);
		sqlite3_bind_text(t->ins, (int)k + 1, cap + strlen(cap) + 1, -1, SQLITE_TRANSIENT);
	}
	if (json_is_object(r->value)) {
		const char *key;
		json_t *v;

		json_object_foreach(r->value, key, v)
			bind_json(t->ins, (int)col_index(t, schema_name(m, t, key)) + 1, v);
	} else if (json_is_array(r->value)) {
		for (i = 0; i < json_array_size(r->value); i++) {
			char col[32];
			const char *name = col;
			size_t n = 0;

			while (rule->columns && rule->columns[n])
				n++;
			if (i < n)
				name = rule->columns[i];
			else
				snprintf(col, sizeof(col), "c%zu", i + 1);
			bind_json(t->ins, (int)col_index(t, name) + 1, json_array_get(r->value, i));
		}
	} else {
		bind_json(t->ins, (int)col_index(t, "value") + 1, r->value);
	}
	rc = sqlite3_step(t->ins);
	sqlite3_reset(t->ins);
	return rc == SQLITE_DONE ? 0 : sarfs_sqlite_errno(rc);
}

int sarfs_mapping_load(struct sarfs_mapping *m, const struct sarfs_claim *c,
		       const struct sarfs_record *r, const char *file, int64_t src,
		       int *shown_generic, struct sarfs_diag *d)
{
	struct rule *rule = &m->rules[c->rule];
	const char *tname = rule->table ? rule->table : r->group;
	int rc;

	*shown_generic = 0;
	if (!tname) {
		if (!rule->warned)
			sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
				       "profile %s: %s gives no \"table\" for records that have none; "
				       "they are shown generically", m->p->name, rule->where);
		rule->warned = 1;
		*shown_generic = 1;
		return 0;
	}
	rc = load_record(m, rule, tname, c, r, file, src, shown_generic);
	if (rc == -EIO || rc == -EFBIG) {
		/* SQLite refused the record's shape: more columns than it
		 * allows, two keys that differ only in case (one column name
		 * to SQL), a reserved table name. The builder took any error
		 * here for a read error and dropped the rest of the file
		 * without a word; the record is reported and shown as a
		 * generic record instead, and the file goes on. */
		sarfs_diag_add(d, SARFS_ERROR, file, r->line, r->col,
			       "record not loaded into the profile's table \"%s\" (%s); shown as a "
			       "generic record", tname, sqlite3_errmsg(m->db));
		*shown_generic = 1;
		rc = 0;
	}
	return rc;
}

/* ---- running ------------------------------------------------------------- */

/* A row's columns by name: either a live statement or a copied row. */
struct row {
	sqlite3_stmt *st;	/* live: names and values from the statement */
	size_t n;		/* copied: */
	char **names, **values;
};

static const char *row_get(const struct row *r, const char *name, size_t len, int *found)
{
	size_t i;

	*found = 1;
	if (r && r->st) {
		int n = sqlite3_column_count(r->st), j;

		for (j = 0; j < n; j++) {
			const char *c = sqlite3_column_name(r->st, j);

			if (c && strlen(c) == len && memcmp(c, name, len) == 0) {
				const char *v = (const char *)sqlite3_column_text(r->st, j);

				return v ? v : "";
			}
		}
	} else if (r) {
		for (i = 0; i < r->n; i++)
			if (strlen(r->names[i]) == len && memcmp(r->names[i], name, len) == 0)
				return r->values[i] ? r->values[i] : "";
	}
	*found = 0;
	return "";
}

/* Fills {name} holes from row. sanitize: each '/'-separated part of the
 * result is made a safe name (a value can never add a folder). Returns 0,
 * -ENOMEM, or -EINVAL for a hole the row does not have (reported once). */
static int fill(struct sarfs_buf *out, const char *tpl, const struct row *row, int sanitize,
		const char *where, const char *file, struct sarfs_diag *d)
{
	struct sarfs_buf part = SARFS_BUF_INIT;
	const char *p;
	int rc = 0;

	for (p = tpl; *p && !rc; p++) {
		if (p[0] == '{' && p[1] == '{') {
			rc = sarfs_buf_addc(sanitize ? &part : out, '{');
			p++;
		} else if (p[0] == '}' && p[1] == '}') {
			rc = sarfs_buf_addc(sanitize ? &part : out, '}');
			p++;
		} else if (*p == '{') {
			const char *e = strchr(p, '}');
			const char *v;
			int found;

			if (!e) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s: an unclosed { in \"%s\"",
					       where, tpl);
				rc = -EINVAL;
				break;
			}
			v = row_get(row, p + 1, (size_t)(e - p - 1), &found);
			if (!found) {
				sarfs_diag_add(d, SARFS_ERROR, file, 0, 0,
					       "%s: the template names {%.*s}, which its query does not return",
					       where, (int)(e - p - 1), p + 1);
				rc = -EINVAL;
				break;
			}
			if (sanitize) {
				/* '/' inside a value stays in this name */
				rc = sarfs_buf_adds(&part, v);
			} else {
				rc = sarfs_buf_adds(out, v);
			}
			p = e;
		} else if (sanitize && *p == '/') {
			rc = sarfs_name_sanitize(out, part.data ? part.data : "", part.len);
			rc = rc ? rc : sarfs_buf_addc(out, '/');
			sarfs_buf_reset(&part);
		} else {
			rc = sarfs_buf_addc(sanitize ? &part : out, *p);
		}
	}
	if (!rc && sanitize)
		rc = sarfs_name_sanitize(out, part.data ? part.data : "", part.len);
	sarfs_buf_destroy(&part);
	return rc;
}

static const char *profile_file(const struct sarfs_mapping *m)
{
	return strcmp(m->p->origin, "built in") == 0 ? m->p->name : m->p->shown;
}

/* Prepares profile SQL, restricted. Reports a failure with where. */
static int prepare_profile(struct sarfs_mapping *m, const char *sql, sqlite3_stmt **st,
			   const char *where, struct sarfs_diag *d)
{
	int rc;

	m->restricted = 1;
	rc = sqlite3_prepare_v2(m->db, sql, -1, st, NULL);
	m->restricted = 0;
	if (rc != SQLITE_OK) {
		sarfs_diag_add(d, SARFS_ERROR, profile_file(m), 0, 0, "%s: %s", where,
			       sqlite3_errmsg(m->db));
		sqlite3_finalize(*st);
		*st = NULL;
		return -EINVAL;
	}
	if (sqlite3_bind_parameter_index(*st, ":subject"))
		sqlite3_bind_text(*st, sqlite3_bind_parameter_index(*st, ":subject"),
				  m->subject_arg, -1, SQLITE_STATIC);
	return 0;
}

static int step_profile(struct sarfs_mapping *m, sqlite3_stmt *st)
{
	int rc;

	m->restricted = 1;
	rc = sqlite3_step(st);
	m->restricted = 0;
	return rc;
}

/* Binds every :name parameter of st that row has. */
static void bind_row(sqlite3_stmt *st, const struct row *row)
{
	int n = sqlite3_bind_parameter_count(st), i;

	for (i = 1; i <= n; i++) {
		const char *name = sqlite3_bind_parameter_name(st, i);
		const char *v;
		int found;

		if (!name || name[0] != ':' || strcmp(name, ":subject") == 0)
			continue;
		v = row_get(row, name + 1, strlen(name + 1), &found);
		if (found)
			sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	}
}

/* Copies the current row of st. */
static int copy_row(sqlite3_stmt *st, struct row *r)
{
	int n = sqlite3_column_count(st), i;

	r->st = NULL;
	r->n = (size_t)n;
	r->names = calloc((size_t)n + 1, sizeof(char *));
	r->values = calloc((size_t)n + 1, sizeof(char *));
	if (!r->names || !r->values)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		const char *v = (const char *)sqlite3_column_text(st, i);

		r->names[i] = strdup(sqlite3_column_name(st, i));
		r->values[i] = v ? strdup(v) : NULL;
		if (!r->names[i] || (v && !r->values[i]))
			return -ENOMEM;
	}
	return 0;
}

static void free_row(struct row *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->names[i]);
		free(r->values[i]);
	}
	free(r->names);
	free(r->values);
	memset(r, 0, sizeof(*r));
}

/* Runs query and copies its result rows (for small results). */
static int query_rows(struct sarfs_mapping *m, const char *sql, const struct row *params,
		      struct row **rows, size_t *n, const char *where, struct sarfs_diag *d)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc, s;

	*rows = NULL;
	*n = 0;
	rc = prepare_profile(m, sql, &st, where, d);
	if (rc)
		return rc;
	if (params)
		bind_row(st, params);
	while ((s = step_profile(m, st)) == SQLITE_ROW) {
		if (*n == cap) {
			struct row *v = realloc(*rows, (cap ? 2 * cap : 8) * sizeof(*v));

			if (!v) {
				rc = -ENOMEM;
				break;
			}
			*rows = v;
			cap = cap ? 2 * cap : 8;
		}
		memset(&(*rows)[*n], 0, sizeof(**rows));
		rc = copy_row(st, &(*rows)[(*n)++]);
		if (rc)
			break;
	}
	if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) {
		sarfs_diag_add(d, SARFS_ERROR, profile_file(m), 0, 0, "%s: %s", where,
			       sqlite3_errmsg(m->db));
		rc = -EINVAL;
	}
	sqlite3_finalize(st);
	return rc;
}

static void free_rows(struct row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free_row(&rows[i]);
	free(rows);
}

static int64_t row_mtime(const struct row *r, const char *col)
{
	struct sarfs_time t;
	const char *v;
	int found;

	if (!col)
		return SARFS_MTIME_ASOF;
	v = row_get(r, col, strlen(col), &found);
	if (!found || !*v)
		return SARFS_MTIME_ASOF;
	t = sarfs_time_parse(v, strlen(v), SARFS_UNIT_S);
	return t.kind == SARFS_TIME_UTC ? t.sec : SARFS_MTIME_ASOF;
}

/* The per-item "not in the export" block of a node row. */
static int add_also(struct sarfs_buf *out, const struct node *n, const struct row *r)
{
	size_t i, missing = 0;
	int rc = 0;

	for (i = 0; i < n->nalso; i++) {
		const char *v = "";
		int found = 0;

		if (n->also[i].column)
			v = row_get(r, n->also[i].column, strlen(n->also[i].column), &found);
		if (found && *v)
			continue;
		if (!missing++)
			rc |= sarfs_buf_printf(out, "%s\nNot in the export for this item%s%s%s:\n",
					       out->len && out->data[out->len - 1] != '\n' ? "\n" : "",
					       n->also_law ? " (" : "", n->also_law ? n->also_law : "",
					       n->also_law ? ")" : "");
		rc |= sarfs_buf_printf(out, "  - %s\n", n->also[i].what);
	}
	return rc;
}

static int run_setup(struct sarfs_mapping *m, struct sarfs_diag *d)
{
	size_t i;
	int rc;

	for (i = 0; i < m->nsetup; i++) {
		char *err = NULL;

		m->restricted = 2;
		rc = sqlite3_exec(m->db, m->setup[i], NULL, NULL, &err);
		m->restricted = 0;
		if (rc != SQLITE_OK) {
			sarfs_diag_add(d, SARFS_ERROR, profile_file(m), 0, 0, "/setup/%zu: %s", i,
				       err ? err : sqlite3_errstr(rc));
			sqlite3_free(err);
			if (rc == SQLITE_NOMEM)
				return -ENOMEM;
		}
	}
	return 0;
}

/* The subject: its query's rows become the temp table "subject". */
static int run_subject(struct sarfs_mapping *m, struct sarfs_diag *d)
{
	struct sarfs_buf sql = SARFS_BUF_INIT;
	sqlite3_stmt *st = NULL, *ins = NULL;
	int rc = 0, s, n, i;
	long rows = 0;

	if (!m->subject_query)
		return 0;
	rc = prepare_profile(m, m->subject_query, &st, "/subject/query", d);
	if (rc)
		return rc == -EINVAL ? 0 : rc;
	n = sqlite3_column_count(st);
	rc = sarfs_buf_adds(&sql, "CREATE TEMP TABLE subject(");
	for (i = 0; i < n; i++) {
		rc |= i ? sarfs_buf_adds(&sql, ", ") : 0;
		rc |= add_ident(&sql, sqlite3_column_name(st, i));
	}
	rc |= sarfs_buf_addc(&sql, ')');
	if (!rc)
		rc = exec_sql(m->db, sql.data);
	sarfs_buf_reset(&sql);
	rc |= sarfs_buf_adds(&sql, "INSERT INTO temp.subject VALUES (");
	for (i = 0; i < n; i++)
		rc |= sarfs_buf_adds(&sql, i ? ", ?" : "?");
	rc |= sarfs_buf_addc(&sql, ')');
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db, sql.data, -1, &ins, NULL));
	while (!rc && (s = step_profile(m, st)) == SQLITE_ROW) {
		for (i = 0; i < n; i++)
			sqlite3_bind_value(ins, i + 1, sqlite3_column_value(st, i));
		s = sqlite3_step(ins);
		sqlite3_reset(ins);
		rc = s == SQLITE_DONE ? 0 : sarfs_sqlite_errno(s);
		rows++;
	}
	sqlite3_finalize(st);
	sqlite3_finalize(ins);
	sarfs_buf_destroy(&sql);
	if (rc)
		return rc;
	if (rows == 0) {
		sarfs_diag_add(d, SARFS_ERROR, "", 0, 0,
			       m->subject_arg ?
			       "no account in the export has the id given with -o subject=%s" :
			       "cannot tell whose export this is%s; give the person's id with -o subject=ID",
			       m->subject_arg ? m->subject_arg : "");
	}
	if (m->subject_describe) {
		struct row *r = NULL;
		size_t nr = 0, k;
		struct sarfs_buf b = SARFS_BUF_INIT;

		rc = query_rows(m, m->subject_describe, NULL, &r, &nr, "/subject/describe", d);
		for (k = 0; !rc && k < nr; k++)
			if (r[k].n && r[k].values[0])
				rc = (k && sarfs_buf_adds(&b, "\n            ")) ||
				     sarfs_buf_adds(&b, r[k].values[0]) ? -ENOMEM : 0;
		free_rows(r, nr);
		m->subject_text = sarfs_buf_detach(&b);
		if (rc == -EINVAL)
			rc = 0;
	}
	return rc;
}

/* Writes text, and a line end if it has none: a row or a header is
 * always whole lines. */
static int write_line(const struct sarfs_emitter *e, const unsigned char *text, size_t n)
{
	int rc = n ? e->write(e->ctx, text, n) : 0;

	if (!rc && (n == 0 || text[n - 1] != '\n'))
		rc = e->write(e->ctx, "\n", 1);
	return rc;
}

/* Writes the files of one generator: rows are gathered by path in a
 * scratch table, then each path is written as one file. */
static int run_node(struct sarfs_mapping *m, size_t gi, const struct sarfs_emitter *e,
		    struct sarfs_diag *d)
{
	const struct node *n = &m->nodes[gi];
	struct sarfs_buf path = SARFS_BUF_INIT, text = SARFS_BUF_INIT, origin = SARFS_BUF_INIT;
	struct sarfs_buf key = SARFS_BUF_INIT;
	sqlite3_stmt *q = NULL, *put = NULL, *get = NULL;
	const char *file = profile_file(m);
	int64_t seq = 0;
	int rc = 0, s;

	if (!n->query) {
		/* a file with fixed text */
		rc = fill(&path, n->path, NULL, 1, n->where, file, d);
		if (!rc)
			rc = e->begin(e->ctx);
		if (!rc)
			rc = e->write(e->ctx, n->text, strlen(n->text));
		if (!rc && (!n->text[0] || n->text[strlen(n->text) - 1] != '\n'))
			rc = e->write(e->ctx, "\n", 1);
		if (!rc)
			rc = e->end(e->ctx, path.data, path.len, SARFS_MTIME_ASOF,
				    "written by the profile", 0, NULL, (uint32_t)gi);
		sarfs_buf_destroy(&path);
		return rc == -EINVAL ? 0 : rc;
	}
	rc = prepare_profile(m, n->query, &q, n->where, d);
	if (rc)
		return rc == -EINVAL ? 0 : rc;
	rc = exec_sql(m->db, "CREATE TEMP TABLE IF NOT EXISTS sarfs_out(path BLOB, seq INTEGER, "
			     "head TEXT, body TEXT, mtime INTEGER, origin TEXT, src INTEGER, key TEXT);"
			     "DELETE FROM temp.sarfs_out;");
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db,
			"INSERT INTO temp.sarfs_out VALUES (?, ?, ?, ?, ?, ?, ?, ?)", -1, &put, NULL));
	while (!rc && (s = step_profile(m, q)) == SQLITE_ROW) {
		struct row r = { q, 0, NULL, NULL };
		const char *f, *l, *sv;
		int ff, lf, sf;
		int64_t mt;

		sarfs_buf_reset(&path);
		sarfs_buf_reset(&text);
		sarfs_buf_reset(&origin);
		sarfs_buf_reset(&key);
		rc = fill(&path, n->path, &r, 1, n->where, file, d);
		if (!rc && n->key)
			rc = fill(&key, n->key, &r, 0, n->where, file, d);
		if (!rc)
			rc = fill(&text, n->row, &r, 0, n->where, file, d);
		if (!rc)
			rc = add_also(&text, n, &r) ? -ENOMEM : 0;
		if (rc)
			break;
		f = row_get(&r, "_file", 5, &ff);
		l = row_get(&r, "_loc", 4, &lf);
		sv = row_get(&r, "_src", 4, &sf);
		if (ff && lf && *f)
			rc = sarfs_buf_printf(&origin, "%s, %s", f, l);
		else
			rc = sarfs_buf_printf(&origin, "written by the profile %s from the export's data",
					      m->p->name);
		if (rc)
			break;
		mt = row_mtime(&r, n->mtime);
		sqlite3_bind_blob(put, 1, path.data, (int)path.len, SQLITE_STATIC);
		sqlite3_bind_int64(put, 2, seq++);
		if (n->header) {
			struct sarfs_buf h = SARFS_BUF_INIT;

			rc = fill(&h, n->header, &r, 0, n->where, file, d);
			if (rc) {
				sarfs_buf_destroy(&h);
				break;
			}
			sqlite3_bind_text(put, 3, h.data ? h.data : "", -1, SQLITE_TRANSIENT);
			sarfs_buf_destroy(&h);
		} else {
			sqlite3_bind_null(put, 3);
		}
		sqlite3_bind_text(put, 4, text.data ? text.data : "", (int)text.len, SQLITE_STATIC);
		if (mt == SARFS_MTIME_ASOF)
			sqlite3_bind_null(put, 5);
		else
			sqlite3_bind_int64(put, 5, mt);
		sqlite3_bind_text(put, 6, origin.data, -1, SQLITE_STATIC);
		sqlite3_bind_int64(put, 7, sf && *sv ? strtoll(sv, NULL, 10) : 0);
		if (n->key)
			sqlite3_bind_text(put, 8, key.data ? key.data : "", (int)key.len, SQLITE_STATIC);
		else
			sqlite3_bind_null(put, 8);
		s = sqlite3_step(put);
		sqlite3_reset(put);
		rc = s == SQLITE_DONE ? 0 : sarfs_sqlite_errno(s);
	}
	if (!rc && s != SQLITE_DONE && s != SQLITE_ROW) {
		sarfs_diag_add(d, SARFS_ERROR, file, 0, 0, "%s: %s", n->where, sqlite3_errmsg(m->db));
		rc = -EINVAL;
	}
	sqlite3_finalize(q);
	sqlite3_finalize(put);
	if (!rc)
		rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db,
			"SELECT path, head, body, mtime, origin, src, key FROM temp.sarfs_out "
			"ORDER BY path, seq", -1, &get, NULL));
	{
		struct sarfs_buf cur = SARFS_BUF_INIT, org = SARFS_BUF_INIT, k = SARFS_BUF_INIT;
		int open = 0, same_origin = 1, has_key = 0;
		int64_t newest = INT64_MIN, srcid = 0;

		while (!rc && (s = sqlite3_step(get)) == SQLITE_ROW) {
			const char *pth = sqlite3_column_blob(get, 0);
			size_t plen = (size_t)sqlite3_column_bytes(get, 0);
			const char *o = (const char *)sqlite3_column_text(get, 4);
			const char *rk = (const char *)sqlite3_column_text(get, 6);

			if (open && (plen != cur.len || memcmp(pth, cur.data, plen) != 0)) {
				rc = e->end(e->ctx, cur.data, cur.len,
					    newest == INT64_MIN ? SARFS_MTIME_ASOF : newest,
					    same_origin ? org.data : "several places in the export: see the file",
					    same_origin ? srcid : 0, has_key ? k.data : NULL, (uint32_t)gi);
				open = 0;
			}
			if (rc)
				break;
			if (!open) {
				sarfs_buf_reset(&cur);
				sarfs_buf_reset(&org);
				rc = sarfs_buf_add(&cur, pth, plen) || sarfs_buf_adds(&org, o ? o : "") ?
				     -ENOMEM : 0;
				rc = rc ? rc : e->begin(e->ctx);
				if (!rc && sqlite3_column_type(get, 1) != SQLITE_NULL)
					rc = write_line(e, sqlite3_column_text(get, 1),
							(size_t)sqlite3_column_bytes(get, 1));
				open = !rc;
				same_origin = 1;
				newest = INT64_MIN;
				srcid = sqlite3_column_int64(get, 5);
				/* a file is one identity only if all its rows say so */
				sarfs_buf_reset(&k);
				has_key = rk && *rk;
				if (has_key && sarfs_buf_adds(&k, rk))
					rc = -ENOMEM;
			} else {
				if (strcmp(org.data ? org.data : "", o ? o : "") != 0)
					same_origin = 0;
				if (has_key && (!rk || strcmp(rk, k.data) != 0))
					has_key = 0;
			}
			if (!rc)
				rc = write_line(e, sqlite3_column_text(get, 2),
						(size_t)sqlite3_column_bytes(get, 2));
			if (sqlite3_column_type(get, 3) != SQLITE_NULL &&
			    sqlite3_column_int64(get, 3) > newest)
				newest = sqlite3_column_int64(get, 3);
		}
		if (!rc && open)
			rc = e->end(e->ctx, cur.data, cur.len,
				    newest == INT64_MIN ? SARFS_MTIME_ASOF : newest,
				    same_origin ? org.data : "several places in the export: see the file",
				    same_origin ? srcid : 0, has_key ? k.data : NULL, (uint32_t)gi);
		sarfs_buf_destroy(&cur);
		sarfs_buf_destroy(&org);
		sarfs_buf_destroy(&k);
	}
	sqlite3_finalize(get);
	sarfs_buf_destroy(&path);
	sarfs_buf_destroy(&text);
	sarfs_buf_destroy(&origin);
	sarfs_buf_destroy(&key);
	return rc == -EINVAL ? 0 : rc;
}

/* ---- expectations ----------------------------------------------------- */

static int add_gap(struct sarfs_mapping *m, const struct expect *x, const char *path,
		   const char *said, const char *status)
{
	struct gap_rec *g;

	if (m->ngaps == m->gapcap) {
		size_t cap = m->gapcap ? 2 * m->gapcap : 16;
		struct gap_rec *v = realloc(m->gaps, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->gaps = v;
		m->gapcap = cap;
	}
	g = &m->gaps[m->ngaps++];
	g->id = strdup(x->id);
	g->path = strdup(path);
	g->title = strdup(x->title);
	g->law = strdup(x->law);
	g->said = strdup(said);
	g->status = strdup(status);
	return g->id && g->path && g->title && g->law && g->said && g->status ? 0 : -ENOMEM;
}

static int add_seen(struct sarfs_mapping *m, const char *id, const char *path)
{
	if (m->nseen == m->seencap) {
		size_t cap = m->seencap ? 2 * m->seencap : 16;
		struct seen *v = realloc(m->seen, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		m->seen = v;
		m->seencap = cap;
	}
	m->seen[m->nseen].id = strdup(id);
	m->seen[m->nseen].path = strdup(path);
	m->nseen++;
	return m->seen[m->nseen - 1].id && m->seen[m->nseen - 1].path ? 0 : -ENOMEM;
}

/* What the controller said about expectation id: "date, to request N
 * (status): "said"" lines, and whether one of them says none exists. */
static int controller_said(const struct sarfs_mapping *m, const char *id, struct sarfs_buf *out,
			   struct sarfs_buf *one_line, int *none_exists)
{
	size_t i, k;
	int rc = 0;

	*none_exists = 0;
	if (!m->resp)
		return 0;
	for (i = 0; i < m->resp->nanswers; i++) {
		const struct sarfs_answer *a = &m->resp->answers[i];

		for (k = 0; a->items[k]; k++) {
			if (strcmp(a->items[k], id) != 0)
				continue;
			if (strcmp(a->status, "none exists") == 0)
				*none_exists = 1;
			if (out->len)
				rc |= sarfs_buf_adds(out, "\n            ");
			rc |= sarfs_buf_printf(out, "%s, to request %ld (%s): \"%s\"",
					       a->date[0] ? a->date : "undated", a->request,
					       a->status[0] ? a->status : "no status recorded",
					       a->said[0] ? a->said : "(nothing)");
			if (one_line->len)
				rc |= sarfs_buf_adds(one_line, "; ");
			rc |= sarfs_buf_printf(one_line, "%s: \"%s\"",
					       a->date[0] ? a->date : "undated",
					       a->said[0] ? a->said : a->status);
		}
	}
	if (!out->len)
		/* the response file is named in README.txt alone: its name is
		 * the user's and differs between two exports (diff -r) */
		rc |= sarfs_buf_printf(out, "nothing recorded (no answer in the response file "
				       "names \"%s\")", id);
	return rc ? -ENOMEM : 0;
}

/* Wraps text at 76 columns; the caller has already written a label as
 * wide as indent, which later lines are indented by. */
static int add_wrapped(struct sarfs_buf *out, const char *text, const char *indent)
{
	const char *p = text;
	size_t ind = strlen(indent), col = ind;
	int rc = 0, fresh = 1;	/* nothing written on this line yet */

	while (*p && !rc) {
		const char *w = p;
		size_t len;

		if (*p == '\n') {
			rc = sarfs_buf_addc(out, '\n') || sarfs_buf_adds(out, indent);
			col = ind;
			fresh = 1;
			p++;
			continue;
		}
		while (*w && *w != ' ' && *w != '\n')
			w++;
		len = (size_t)(w - p);
		if (!fresh && col + 1 + len > 76) {
			rc = sarfs_buf_addc(out, '\n') || sarfs_buf_adds(out, indent);
			col = ind;
		} else if (!fresh) {
			rc = sarfs_buf_addc(out, ' ');
			col++;
		}
		rc = rc ? rc : sarfs_buf_add(out, p, len);
		col += len;
		fresh = 0;
		p = w;
		while (*p == ' ')
			p++;
	}
	return rc;
}

static int run_expect(struct sarfs_mapping *m, size_t xi, struct sarfs_diag *d)
{
	const struct expect *x = &m->expects[xi];
	struct row *inst = NULL, none = { NULL, 0, NULL, NULL };
	size_t ninst = 0, i;
	const char *file = profile_file(m);
	int rc = 0;

	if (x->for_each) {
		char where[64];

		snprintf(where, sizeof(where), "%s/for_each", x->where);
		rc = query_rows(m, x->for_each, NULL, &inst, &ninst, where, d);
		if (rc)
			return rc == -EINVAL ? 0 : rc;
	}
	for (i = 0; i < (x->for_each ? ninst : 1) && !rc; i++) {
		const struct row *r = x->for_each ? &inst[i] : &none;
		struct sarfs_buf at = SARFS_BUF_INIT, t = SARFS_BUF_INIT, said = SARFS_BUF_INIT,
				 said1 = SARFS_BUF_INIT, tmp = SARFS_BUF_INIT;
		int present = 0, none_exists = 0;

		rc = fill(&at, x->at, r, 1, x->where, file, d);
		if (!rc && x->present) {
			struct row *pr = NULL;
			size_t np = 0;
			char where[64];

			snprintf(where, sizeof(where), "%s/present", x->where);
			rc = query_rows(m, x->present, r, &pr, &np, where, d);
			present = !rc && np > 0;
			free_rows(pr, np);
			if (rc == -EINVAL)
				rc = 0;
		}
		if (!rc && present)
			rc = add_seen(m, x->id, at.data);
		if (!rc && !present) {
			rc = controller_said(m, x->id, &said, &said1, &none_exists);
			rc |= sarfs_buf_printf(&t, "%s\n", x->title);
			memset(&tmp, 0, sizeof(tmp));
			{
				size_t k;

				for (k = 0; k < strlen(x->title) && !rc; k++)
					rc = sarfs_buf_addc(&t, '-');
			}
			rc |= sarfs_buf_adds(&t, "\nExpected:   ");
			sarfs_buf_reset(&tmp);
			if (!rc)
				rc = fill(&tmp, x->expected, r, 0, x->where, file, d);
			rc = rc ? rc : add_wrapped(&t, tmp.data ? tmp.data : "", "            ");
			rc = rc ? rc : sarfs_buf_adds(&t, "\nWhy:        ");
			rc = rc ? rc : add_wrapped(&t, x->law, "            ");
			if (!rc && x->why) {
				sarfs_buf_reset(&tmp);
				rc = fill(&tmp, x->why, r, 0, x->where, file, d);
				rc = rc ? rc : sarfs_buf_adds(&t, "\n            ");
				rc = rc ? rc : add_wrapped(&t, tmp.data ? tmp.data : "", "            ");
			}
			rc = rc ? rc : sarfs_buf_adds(&t, "\nInstead:    ");
			sarfs_buf_reset(&tmp);
			if (!rc && x->instead_query) {
				struct row *ir = NULL;
				size_t nir = 0, k;
				char where[64];

				snprintf(where, sizeof(where), "%s/instead_query", x->where);
				rc = query_rows(m, x->instead_query, r, &ir, &nir, where, d);
				for (k = 0; !rc && k < nir; k++)
					rc = (k && sarfs_buf_addc(&tmp, '\n')) ||
					     sarfs_buf_adds(&tmp, ir[k].n && ir[k].values[0] ?
								  ir[k].values[0] : "") ? -ENOMEM : 0;
				free_rows(ir, nir);
				if (rc == -EINVAL)
					rc = 0;
			}
			if (!rc && !tmp.len && x->instead)
				rc = fill(&tmp, x->instead, r, 0, x->where, file, d);
			if (!rc && !tmp.len)
				rc = sarfs_buf_adds(&tmp, "nothing");
			rc = rc ? rc : add_wrapped(&t, tmp.data, "            ");
			if (!rc && m->resp) {
				rc = sarfs_buf_adds(&t, "\nController: ");
				rc = rc ? rc : add_wrapped(&t, said.data, "            ");
			}
			rc = rc ? rc : sarfs_buf_adds(&t, "\nAsk again:  ");
			sarfs_buf_reset(&tmp);
			rc = rc ? rc : fill(&tmp, x->ask, r, 0, x->where, file, d);
			rc = rc ? rc : sarfs_buf_addc(&t, '"');
			rc = rc ? rc : add_wrapped(&t, tmp.data ? tmp.data : "", "            ");
			rc = rc ? rc : sarfs_buf_adds(&t, "\"\n");
			if (!rc) {
				/* sections of one folder's missing.txt, in profile order */
				sqlite3_stmt *put = NULL;

				rc = exec_sql(m->db, "CREATE TEMP TABLE IF NOT EXISTS sarfs_missing("
						     "dir BLOB, seq INTEGER, body TEXT)");
				if (!rc)
					rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db,
						"INSERT INTO temp.sarfs_missing VALUES (?, ?, ?)", -1, &put, NULL));
				if (!rc) {
					sqlite3_bind_blob(put, 1, at.data, (int)at.len, SQLITE_STATIC);
					sqlite3_bind_int64(put, 2, (sqlite3_int64)(xi * 100000 + i));
					sqlite3_bind_text(put, 3, t.data, (int)t.len, SQLITE_STATIC);
					rc = sqlite3_step(put) == SQLITE_DONE ? 0 : -EIO;
				}
				sqlite3_finalize(put);
			}
			if (!rc) {
				struct sarfs_buf mp = SARFS_BUF_INIT;

				rc = sarfs_buf_printf(&mp, "%s/missing.txt", at.data);
				rc = rc ? rc : add_gap(m, x, mp.data, said1.data ? said1.data : "",
						       none_exists ? "the controller says none exist" :
								     "missing");
				sarfs_buf_destroy(&mp);
			}
		}
		sarfs_buf_destroy(&at);
		sarfs_buf_destroy(&t);
		sarfs_buf_destroy(&said);
		sarfs_buf_destroy(&said1);
		sarfs_buf_destroy(&tmp);
		if (rc == -EINVAL)
			rc = 0;
	}
	free_rows(inst, ninst);
	return rc;
}

static int emit_text(const struct sarfs_emitter *e, const char *path, const char *text,
		     size_t n, const char *origin)
{
	int rc = e->begin(e->ctx);

	rc = rc ? rc : e->write(e->ctx, text, n);
	return rc ? rc : e->end(e->ctx, path, strlen(path), SARFS_MTIME_ASOF, origin, 0, NULL,
				0xFFFF);
}

static int write_missing(struct sarfs_mapping *m, const struct sarfs_emitter *e)
{
	sqlite3_stmt *get = NULL;
	struct sarfs_buf dir = SARFS_BUF_INIT, body = SARFS_BUF_INIT, path = SARFS_BUF_INIT;
	int rc, s, nsec = 0;

	if (!m->ngaps)
		return 0;
	rc = sarfs_sqlite_errno(sqlite3_prepare_v2(m->db,
		"SELECT dir, body FROM temp.sarfs_missing ORDER BY dir, seq", -1, &get, NULL));
	while (!rc) {
		s = sqlite3_step(get);
		if (s == SQLITE_ROW && dir.data && (size_t)sqlite3_column_bytes(get, 0) == dir.len &&
		    memcmp(sqlite3_column_blob(get, 0), dir.data, dir.len) == 0) {
			rc = sarfs_buf_adds(&body, "\n") ||
			     sarfs_buf_adds(&body, (const char *)sqlite3_column_text(get, 1)) ? -ENOMEM : 0;
			nsec++;
			continue;
		}
		if (dir.len || (dir.data && body.len)) {
			struct sarfs_buf all = SARFS_BUF_INIT;

			sarfs_buf_reset(&path);
			rc = sarfs_buf_printf(&path, "%s/missing.txt", dir.data);
			rc |= sarfs_buf_printf(&all,
				"What this folder should hold but the export does not: %d item%s.\n"
				"For each: what was expected, why (the law, and the platform's own\n"
				"records), what the export has instead, what the controller said, and\n"
				"a sentence to ask for it again. MISSING.txt at the top lists them all.\n\n%s",
				nsec, nsec == 1 ? "" : "s", body.data);
			if (!rc)
				rc = emit_text(e, path.data, all.data, all.len,
					       "written by sarfs from the profile's expectations");
			sarfs_buf_destroy(&all);
		}
		if (rc || s != SQLITE_ROW)
			break;
		sarfs_buf_reset(&dir);
		sarfs_buf_reset(&body);
		rc = sarfs_buf_add(&dir, sqlite3_column_blob(get, 0), (size_t)sqlite3_column_bytes(get, 0)) ||
		     sarfs_buf_adds(&body, (const char *)sqlite3_column_text(get, 1)) ? -ENOMEM : 0;
		nsec = 1;
	}
	sqlite3_finalize(get);
	sarfs_buf_destroy(&dir);
	sarfs_buf_destroy(&body);
	sarfs_buf_destroy(&path);
	return rc;
}

static int cmp_gap(const void *a, const void *b)
{
	const struct gap_rec *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	return c ? c : strcmp(x->id, y->id);
}

static int write_index_files(struct sarfs_mapping *m, const struct sarfs_emitter *e)
{
	struct sarfs_buf t = SARFS_BUF_INIT;
	size_t i, k, j, nnone = 0;
	int rc = 0;

	if (m->nexpects) {
		/* with nothing missing, gaps is NULL, which qsort may not be given */
		if (m->ngaps > 1)
			qsort(m->gaps, m->ngaps, sizeof(*m->gaps), cmp_gap);
		for (i = 0; i < m->ngaps; i++)
			nnone += strcmp(m->gaps[i].status, "missing") != 0;
		rc |= sarfs_buf_printf(&t,
			"What this export lacks: %zu gap%s (profile %s).\n"
			"Each is explained in the missing.txt named: what was expected, why (the\n"
			"law, and the platform's own records), what the export has instead, what\n"
			"the controller said, and a sentence to ask for it again.\n",
			m->ngaps, m->ngaps == 1 ? "" : "s", m->p->name);
		if (nnone)
			rc |= sarfs_buf_printf(&t,
				"%zu of them the controller says do not exist; that cannot be checked\n"
				"from the export, so they are listed too.\n", nnone);
		for (i = 0; i < m->ngaps && !rc; i++) {
			const struct gap_rec *g = &m->gaps[i];

			rc |= sarfs_buf_printf(&t, "\n%s\n    %s\n    %s\n", g->path, g->title, g->law);
			if (strcmp(g->status, "missing") != 0)
				rc |= sarfs_buf_printf(&t, "    status: %s\n", g->status);
			if (g->said[0]) {
				rc |= sarfs_buf_adds(&t, "    controller: ");
				rc |= add_wrapped(&t, g->said, "        ");
				rc |= sarfs_buf_addc(&t, '\n');
			}
		}
		if (!rc)
			rc = emit_text(e, "MISSING.txt", t.data, t.len,
				       "written by sarfs from the profile's expectations");
	}
	if (!rc && m->resp && m->resp->nanswers) {
		sarfs_buf_reset(&t);
		rc |= sarfs_buf_adds(&t,
			"Your requests and the controller's answers, as recorded in the response\n"
			"file (README.txt names it), and where this tree shows the data or its\n"
			"absence.\n");
		if (m->resp->sent[0] || m->resp->to[0])
			rc |= sarfs_buf_printf(&t, "Request sent %s%s%s.\n",
					       m->resp->sent[0] ? m->resp->sent : "(date not recorded)",
					       m->resp->to[0] ? " to " : "", m->resp->to);
		for (i = 0; i < m->resp->nanswers && !rc; i++) {
			const struct sarfs_answer *a = &m->resp->answers[i];

			size_t start = t.len;

			rc |= sarfs_buf_printf(&t, "\n%ld. ", a->request);
			rc |= add_wrapped(&t, a->asked, "   ");
			rc |= sarfs_buf_printf(&t, "\n   Answer (%s, %s): ", a->date[0] ? a->date : "undated",
					       a->status);
			if (a->said[0]) {
				rc |= sarfs_buf_addc(&t, '"');
				rc |= add_wrapped(&t, a->said, "   ");
				rc |= sarfs_buf_adds(&t, "\"\n");
			} else {
				rc |= sarfs_buf_adds(&t, "no answer\n");
			}
			for (k = 0; a->items[k] && !rc; k++) {
				int shown = 0;

				for (j = 0; j < m->ngaps; j++)
					if (strcmp(m->gaps[j].id, a->items[k]) == 0) {
						char line[1024];

						snprintf(line, sizeof(line), "   missing: %s\n", m->gaps[j].path);
						/* two items explained in one file: name it once */
						if (!strstr(t.data + start, line))
							rc |= sarfs_buf_adds(&t, line);
						shown = 1;
					}
				for (j = 0; j < m->nseen; j++)
					if (strcmp(m->seen[j].id, a->items[k]) == 0) {
						rc |= sarfs_buf_printf(&t, "   in the export: %s/\n",
								       m->seen[j].path);
						shown = 1;
					}
				if (!shown)
					rc |= sarfs_buf_printf(&t, "   (\"%s\": not an expectation of profile %s)\n",
							       a->items[k], m->p->name);
			}
		}
		if (!rc)
			rc = emit_text(e, "REQUESTS.txt", t.data, t.len,
				       "written by sarfs from the response file");
	}
	sarfs_buf_destroy(&t);
	return rc;
}

int sarfs_mapping_run(struct sarfs_mapping *m, const struct sarfs_emitter *e,
		      struct sarfs_diag *d)
{
	size_t i;
	int rc = 0;

	if (!m || !m->active) {
		if (m && m->resp)
			return write_index_files(m, e);
		return 0;
	}
	/* the schema's tables and columns exist, even where the export lacks
	 * them, so that the profile's queries see empty data, not errors */
	for (i = 0; m->known && m->known[i] && !rc; i++) {
		struct table *t = get_table(m, m->known[i], &rc);
		size_t k;

		for (k = 0; t && m->known_cols[i][k] && !rc; k++)
			if (col_index(t, m->known_cols[i][k]) < 0)
				rc = add_column(m, t, m->known_cols[i][k]);
	}
	if (!rc)
		rc = run_setup(m, d);
	if (!rc)
		rc = run_subject(m, d);
	for (i = 0; i < m->nnodes && !rc; i++)
		rc = run_node(m, i, e, d);
	for (i = 0; i < m->nexpects && !rc; i++)
		rc = run_expect(m, i, d);
	if (!rc)
		rc = write_missing(m, e);
	if (!rc)
		rc = write_index_files(m, e);
	return rc;
}
