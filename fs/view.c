/*
 * view.c - views (view.h): loading one, deciding what it shows, and the
 * redaction engine that every text of a share goes through.
 *
 * What this is: a matcher of listed values (and of the values field rules
 * found in records), of e-mail and IP addresses, and of regular
 * expressions, over bytes, with one numbering of what it finds. What it is
 * not: a parser of the formats it redacts. It sees a raw SQL dump as text;
 * only rendered records are walked as JSON (sarfs_view_redact_json()).
 *
 * Matches are gathered per window of the text (candidates from every
 * rule), then chosen leftmost first, longest first, earliest rule first,
 * and never overlapping. A streamed text is cut into windows that overlap
 * by more than the longest value, so a value is found wherever the pieces
 * of the file happen to end.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "sarfs/view.h"

#include "sarfs/hash.h"
#include "sarfs/json.h"
#include "sarfs/names.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define VIEW_MAX_BYTES (16u << 20)	/* a view file is small; refuse a huge one */
#define MIN_FOUND 4			/* shorter field values are redacted in the
					 * field only: "0" or "CH" would blank every
					 * other token of the tree */
#define MAX_LITERAL (64u * 1024)	/* longer values are redacted in the field
					 * only (and line by line) */
#define STREAM_CHUNK (256u * 1024)
#define NONE UINT32_MAX

/* ---- a map from (group, bytes) to a number ------------------------------ */

struct ent {
	uint64_t h;
	uint32_t group;
	uint32_t len;
	char *key;		/* owned, NUL-terminated; NULL: empty slot */
	uint64_t num;
};

struct vmap {
	struct ent *e;
	size_t cap, n;
};

static uint64_t hash_bytes(uint32_t g, const char *p, size_t n)
{
	uint64_t h = 1469598103934665603ull ^ g;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void vmap_destroy(struct vmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->e[i].key);
	free(m->e);
	m->e = NULL;
	m->cap = m->n = 0;
}

static int vmap_grow(struct vmap *m)
{
	size_t cap = m->cap ? 2 * m->cap : 64, i, j;
	struct ent *e = calloc(cap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	for (i = 0; i < m->cap; i++) {
		if (!m->e[i].key)
			continue;
		for (j = m->e[i].h & (cap - 1); e[j].key; j = (j + 1) & (cap - 1))
			;
		e[j] = m->e[i];
	}
	free(m->e);
	m->e = e;
	m->cap = cap;
	return 0;
}

/* The entry for (g, p), added (num 0) if add and absent; NULL if absent
 * and not added, or on ENOMEM (*added tells which when add). */
static struct ent *vmap_get(struct vmap *m, uint32_t g, const char *p, size_t n, int add,
			    int *added)
{
	uint64_t h = hash_bytes(g, p, n);
	size_t j;

	if (added)
		*added = 0;
	if (n > UINT32_MAX)
		return NULL;
	if (m->cap) {
		for (j = h & (m->cap - 1); m->e[j].key; j = (j + 1) & (m->cap - 1))
			if (m->e[j].h == h && m->e[j].group == g && m->e[j].len == n &&
			    memcmp(m->e[j].key, p, n) == 0)
				return &m->e[j];
	}
	if (!add)
		return NULL;
	if ((m->n + 1) * 2 > m->cap && vmap_grow(m))
		return NULL;
	for (j = h & (m->cap - 1); m->e[j].key; j = (j + 1) & (m->cap - 1))
		;
	m->e[j].key = malloc(n + 1);
	if (!m->e[j].key)
		return NULL;
	memcpy(m->e[j].key, p, n);
	m->e[j].key[n] = '\0';
	m->e[j].h = h;
	m->e[j].group = g;
	m->e[j].len = (uint32_t)n;
	m->e[j].num = 0;
	m->n++;
	if (added)
		*added = 1;
	return &m->e[j];
}

/* ---- the view ------------------------------------------------------------ */

enum kind { K_FIELDS, K_VALUES, K_PATTERN, K_REGEX };

#define P_EMAIL 1u
#define P_IPV4 2u
#define P_IPV6 4u

struct rule {
	enum kind kind;
	uint32_t group;
	size_t index;		/* position in "redact" */
	char **list;		/* fields or values, owned */
	size_t nlist;
	unsigned char *seen;	/* fields: a record had it */
	unsigned pattern;
	pcre2_code *re;
	int icase;
	char **keep;		/* owned */
	size_t nkeep;
};

struct group {
	char *name;		/* owned */
	uint64_t next;		/* the last number given */
	uint64_t places;	/* replacements */
	unsigned kinds;		/* 1 << kind */
	unsigned patterns;
	size_t nlisted;
	char *fields;		/* owned: "a, b" */
};

struct literal {
	char *form;		/* owned */
	uint32_t len;
	uint32_t rule;
	const char *canon;	/* borrowed from v->canon */
	uint32_t clen;
};

struct glob {
	char *text;		/* owned, as written */
	char **comp;		/* owned; "**" is any number of folders */
	size_t n;
};

/* one field name, for lookups while collecting */
struct field {
	const char *name;	/* borrowed from its rule */
	uint32_t rule;
	uint32_t idx;
};

struct sarfs_view {
	char *file;		/* owned: for messages */
	char *text;		/* owned: the file's bytes */
	size_t text_len;
	char sha[SARFS_SHA256_HEX];
	char *name, *title;
	int keep_binary, original_hashes;
	struct glob *inc, *exc;
	size_t ninc, nexc;
	struct rule *rules;
	size_t nrules;
	struct group *groups;
	size_t ngroups;
	struct field *fields;	/* sorted by name */
	size_t nfields;

	struct vmap found;	/* group = rule index: values found in fields */
	struct vmap canon;	/* group = rule index: canonical values of literals */
	struct vmap nums;	/* group = group index: placeholder numbers */
	struct literal *lit;
	size_t nlit, litcap;
	uint32_t *head;		/* 65536 buckets by the first two bytes, folded */
	uint32_t *next;
	size_t window;		/* the overlap of a stream's windows */
	int prepared;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	uint64_t places;
};

struct sarfs_view_found {
	struct vmap set;	/* group = rule index */
	struct vmap seen;	/* group = rule index, key = field name */
};

static void free_strv(char **s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void sarfs_view_free(struct sarfs_view *v)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < v->ninc; i++) {
		free(v->inc[i].text);
		free_strv(v->inc[i].comp, v->inc[i].n);
	}
	for (i = 0; i < v->nexc; i++) {
		free(v->exc[i].text);
		free_strv(v->exc[i].comp, v->exc[i].n);
	}
	free(v->inc);
	free(v->exc);
	for (i = 0; i < v->nrules; i++) {
		free_strv(v->rules[i].list, v->rules[i].nlist);
		free_strv(v->rules[i].keep, v->rules[i].nkeep);
		free(v->rules[i].seen);
		pcre2_code_free(v->rules[i].re);
	}
	free(v->rules);
	for (i = 0; i < v->ngroups; i++) {
		free(v->groups[i].name);
		free(v->groups[i].fields);
	}
	free(v->groups);
	free(v->fields);
	for (i = 0; i < v->nlit; i++)
		free(v->lit[i].form);
	free(v->lit);
	free(v->head);
	free(v->next);
	vmap_destroy(&v->found);
	vmap_destroy(&v->canon);
	vmap_destroy(&v->nums);
	pcre2_match_data_free(v->md);
	pcre2_match_context_free(v->mctx);
	free(v->file);
	free(v->text);
	free(v->name);
	free(v->title);
	free(v);
}

const char *sarfs_view_name(const struct sarfs_view *v)
{
	return v->name;
}

const char *sarfs_view_title(const struct sarfs_view *v)
{
	return v->title ? v->title : "";
}

const char *sarfs_view_sha256(const struct sarfs_view *v)
{
	return v->sha;
}

const char *sarfs_view_text(const struct sarfs_view *v, size_t *len)
{
	*len = v->text_len;
	return v->text;
}

int sarfs_view_public(const struct sarfs_view *v)
{
	size_t i;

	for (i = 0; i < v->nrules; i++)
		if (v->rules[i].kind == K_VALUES || v->rules[i].kind == K_REGEX)
			return 0;
	return 1;
}

int sarfs_view_keep_binary(const struct sarfs_view *v)
{
	return v->keep_binary;
}

int sarfs_view_original_hashes(const struct sarfs_view *v)
{
	return v->original_hashes;
}

size_t sarfs_view_overlap(const struct sarfs_view *v)
{
	return v->window > SARFS_VIEW_WINDOW ? v->window : SARFS_VIEW_WINDOW;
}

uint64_t sarfs_view_places(const struct sarfs_view *v)
{
	return v->places;
}

size_t sarfs_view_nglobs(const struct sarfs_view *v, int exclude)
{
	return exclude ? v->nexc : v->ninc;
}

const char *sarfs_view_glob(const struct sarfs_view *v, int exclude, size_t i)
{
	return exclude ? v->exc[i].text : v->inc[i].text;
}

int sarfs_view_has_fields(const struct sarfs_view *v)
{
	return v->nfields > 0;
}

/* ---- loading ------------------------------------------------------------- */

struct loader {
	struct sarfs_view *v;
	struct sarfs_diag *d;
	int bad;
};

/* Where in the file the JSON string s is written (its first occurrence),
 * and the column of its character at byte off: 1-based, or 0 if the text
 * writes it in another way than jansson would. */
static void locate(const struct sarfs_view *v, const char *s, size_t n, size_t off, long *line,
		   long *col)
{
	json_t *js = json_stringn_nocheck(s, n), *jp = json_stringn_nocheck(s, off);
	char *enc = js ? json_dumps(js, JSON_ENCODE_ANY) : NULL;
	char *pre = jp ? json_dumps(jp, JSON_ENCODE_ANY) : NULL;
	const char *hit = enc ? memmem(v->text, v->text_len, enc, strlen(enc)) : NULL;
	const char *p;

	*line = *col = 0;
	if (hit && pre) {
		*line = 1;
		*col = 1;
		for (p = v->text; p < hit; p++) {
			if (*p == '\n') {
				(*line)++;
				*col = 1;
			} else {
				(*col)++;
			}
		}
		/* the opening quote, then the prefix as written */
		*col += off ? (long)strlen(pre) - 1 : 0;
	}
	free(enc);
	free(pre);
	json_decref(js);
	json_decref(jp);
}

/* Reports a problem with the string s (at byte off of it) at pointer. */
__attribute__((format(printf, 6, 7)))
static void bad_at(struct loader *l, const char *pointer, const char *s, size_t n, size_t off,
		   const char *fmt, ...)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	long line = 0, col = 0;
	va_list ap;

	if (s)
		locate(l->v, s, n, off, &line, &col);
	va_start(ap, fmt);
	if (sarfs_buf_vprintf(&b, fmt, ap) == 0)
		sarfs_diag_add(l->d, SARFS_ERROR, l->v->file, line, col, "%s: %s", pointer, b.data);
	va_end(ap);
	sarfs_buf_destroy(&b);
	l->bad = 1;
}

static int name_ok(const char *s, size_t max, int upper)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
		      (upper && ((c >= 'A' && c <= 'Z') || c == '.'))))
			return 0;
	}
	return 1;
}

/* Text given as a string or a list of lines. */
static char *get_text(struct loader *l, json_t *x, const char *pointer)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	json_t *line;
	size_t i;

	if (json_is_string(x))
		return strdup(json_string_value(x));
	if (!json_is_array(x)) {
		bad_at(l, pointer, NULL, 0, 0, "must be a string or a list of lines");
		return NULL;
	}
	json_array_foreach(x, i, line) {
		if (!json_is_string(line)) {
			bad_at(l, pointer, NULL, 0, 0, "line %zu must be a string", i + 1);
			sarfs_buf_destroy(&b);
			return NULL;
		}
		if ((i && sarfs_buf_addc(&b, '\n')) || sarfs_buf_adds(&b, json_string_value(line))) {
			sarfs_buf_destroy(&b);
			return NULL;
		}
	}
	return sarfs_buf_detach(&b);
}

/* A list of non-empty strings (a missing key gives an empty list). */
static int get_list(struct loader *l, json_t *x, const char *pointer, char ***out, size_t *n)
{
	json_t *e;
	size_t i;
	char **s;

	*out = NULL;
	*n = 0;
	if (!x)
		return 0;
	if (!json_is_array(x)) {
		bad_at(l, pointer, NULL, 0, 0, "must be a list of strings");
		return 0;
	}
	s = calloc(json_array_size(x) + 1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	json_array_foreach(x, i, e) {
		char where[96];

		snprintf(where, sizeof(where), "%s/%zu", pointer, i);
		if (!json_is_string(e) || json_string_length(e) == 0) {
			bad_at(l, where, NULL, 0, 0, "must be a non-empty string");
			continue;
		}
		if (strlen(json_string_value(e)) != json_string_length(e)) {
			bad_at(l, where, NULL, 0, 0, "must not contain \\u0000");
			continue;
		}
		s[*n] = strdup(json_string_value(e));
		if (!s[*n]) {
			free_strv(s, *n);
			return -ENOMEM;
		}
		(*n)++;
	}
	*out = s;
	return 0;
}

/* Checks one glob and splits it into components. */
static int compile_glob(struct loader *l, const char *text, const char *pointer, struct glob *g)
{
	size_t n = strlen(text), start, i, end;
	const char *t = text;

	memset(g, 0, sizeof(*g));
	g->text = strdup(text);
	if (!g->text)
		return -ENOMEM;
	start = t[0] == '/' ? 1 : 0;	/* "/raw" is "raw": paths are of the tree */
	end = n;
	if (end > start && t[end - 1] == '/')
		end--;			/* "raw/" names a folder: so does "raw" */
	if (end <= start) {
		bad_at(l, pointer, text, n, 0, "an empty glob (to show nothing, write \"exclude\": [\"**\"])");
		return 0;
	}
	g->comp = calloc(n + 1, sizeof(*g->comp));
	if (!g->comp)
		return -ENOMEM;
	for (i = start; i <= end; i++) {
		size_t j, k;

		if (i < end && t[i] != '/')
			continue;
		/* the component t[start, i) */
		if (i == start) {
			bad_at(l, pointer, text, n, i, "an empty folder name (two '/' in a row)");
			return 0;
		}
		for (j = start; j < i; j++) {
			if (t[j] == '\\') {
				if (j + 1 == i) {
					bad_at(l, pointer, text, n, j, "'\\' at the end of a name escapes nothing");
					return 0;
				}
				j++;
			} else if (t[j] == '[') {
				k = j + 1;
				if (k < i && (t[k] == '!' || t[k] == '^'))
					k++;
				if (k < i && t[k] == ']')
					k++;
				while (k < i && t[k] != ']')
					k++;
				if (k == i) {
					bad_at(l, pointer, text, n, j, "'[' without a closing ']'");
					return 0;
				}
				j = k;
			} else if (t[j] == '*' && j + 1 < i && t[j + 1] == '*' &&
				   !(j == start && j + 2 == i)) {
				bad_at(l, pointer, text, n, j,
				       "'**' must be a whole folder name, as in \"a/**/b\"");
				return 0;
			}
		}
		g->comp[g->n] = strndup(t + start, i - start);
		if (!g->comp[g->n])
			return -ENOMEM;
		g->n++;
		start = i + 1;
	}
	return 0;
}

static int compile_globs(struct loader *l, json_t *x, const char *key, struct glob **out,
			 size_t *n)
{
	char where[96];
	json_t *e;
	size_t i;
	int rc = 0;

	*n = 0;
	if (!x)
		return 0;
	if (!json_is_array(x)) {
		snprintf(where, sizeof(where), "/%s", key);
		bad_at(l, where, NULL, 0, 0, "must be a list of globs");
		return 0;
	}
	*out = calloc(json_array_size(x) + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	json_array_foreach(x, i, e) {
		snprintf(where, sizeof(where), "/%s/%zu", key, i);
		if (!json_is_string(e) || strlen(json_string_value(e)) != json_string_length(e)) {
			bad_at(l, where, NULL, 0, 0, "must be a string");
			continue;
		}
		rc = compile_glob(l, json_string_value(e), where, &(*out)[*n]);
		(*n)++;
		if (rc)
			break;
	}
	return rc;
}

static int find_group(struct sarfs_view *v, const char *name, uint32_t *g)
{
	size_t i;
	struct group *ng;

	for (i = 0; i < v->ngroups; i++)
		if (strcmp(v->groups[i].name, name) == 0) {
			*g = (uint32_t)i;
			return 0;
		}
	ng = realloc(v->groups, (v->ngroups + 1) * sizeof(*ng));
	if (!ng)
		return -ENOMEM;
	v->groups = ng;
	memset(&ng[v->ngroups], 0, sizeof(*ng));
	ng[v->ngroups].name = strdup(name);
	if (!ng[v->ngroups].name)
		return -ENOMEM;
	*g = (uint32_t)v->ngroups++;
	return 0;
}

static const char *const rule_keys[] = { "rule", "fields", "values", "pattern", "regex",
					 "ignore_case", "keep", NULL };

static int load_rule(struct loader *l, json_t *x, size_t index)
{
	struct sarfs_view *v = l->v;
	struct rule *r = &v->rules[v->nrules];
	const char *key, *rname;
	char pointer[64], where[96];
	json_t *val;
	int kinds = 0, rc;
	size_t i;

	snprintf(pointer, sizeof(pointer), "/redact/%zu", index);
	if (!json_is_object(x)) {
		bad_at(l, pointer, NULL, 0, 0, "a rule must be an object");
		return 0;
	}
	json_object_foreach(x, key, val) {
		for (i = 0; rule_keys[i] && strcmp(rule_keys[i], key) != 0; i++)
			;
		if (!rule_keys[i]) {
			snprintf(where, sizeof(where), "%s/%s", pointer, key);
			bad_at(l, where, key, strlen(key), 0,
			       "unknown key (a rule has: rule, and one of fields, values, pattern, "
			       "regex; and ignore_case, keep)");
		}
	}
	val = json_object_get(x, "rule");
	rname = json_string_value(val);
	snprintf(where, sizeof(where), "%s/rule", pointer);
	if (!rname || !name_ok(rname, 32, 0)) {
		bad_at(l, where, rname, rname ? strlen(rname) : 0, 0,
		       "every rule needs a \"rule\" name of 1 to 32 characters a-z, 0-9, '-' and '_' "
		       "(it is shown in the placeholder)");
		return 0;
	}
	memset(r, 0, sizeof(*r));
	r->index = index;
	rc = find_group(v, rname, &r->group);
	if (rc)
		return rc;
	kinds = !!json_object_get(x, "fields") + !!json_object_get(x, "values") +
		!!json_object_get(x, "pattern") + !!json_object_get(x, "regex");
	if (kinds != 1) {
		bad_at(l, where, rname, strlen(rname), 0,
		       "a rule has exactly one of \"fields\", \"values\", \"pattern\" and \"regex\"");
		return 0;
	}
	snprintf(where, sizeof(where), "%s/keep", pointer);
	rc = get_list(l, json_object_get(x, "keep"), where, &r->keep, &r->nkeep);
	if (rc)
		return rc;
	if ((val = json_object_get(x, "ignore_case")) && !json_is_boolean(val)) {
		snprintf(where, sizeof(where), "%s/ignore_case", pointer);
		bad_at(l, where, NULL, 0, 0, "must be true or false");
	}
	r->icase = json_is_true(val);
	if ((val = json_object_get(x, "fields"))) {
		r->kind = K_FIELDS;
		snprintf(where, sizeof(where), "%s/fields", pointer);
		rc = get_list(l, val, where, &r->list, &r->nlist);
		if (!rc && !r->nlist && !l->bad)
			bad_at(l, where, NULL, 0, 0, "names no field");
		r->seen = calloc(r->nlist + 1, 1);
		if (!rc && !r->seen)
			rc = -ENOMEM;
	} else if ((val = json_object_get(x, "values"))) {
		r->kind = K_VALUES;
		snprintf(where, sizeof(where), "%s/values", pointer);
		rc = get_list(l, val, where, &r->list, &r->nlist);
		for (i = 0; !rc && i < r->nlist; i++)
			if (strlen(r->list[i]) < 2) {
				char w2[160];

				snprintf(w2, sizeof(w2), "%s/%zu", where, i);
				bad_at(l, w2, r->list[i], strlen(r->list[i]), 0,
				       "a listed value needs at least 2 characters");
			} else if (strlen(r->list[i]) > MAX_LITERAL) {
				char w2[160];

				snprintf(w2, sizeof(w2), "%s/%zu", where, i);
				bad_at(l, w2, NULL, 0, 0, "a listed value may have at most %u bytes",
				       MAX_LITERAL);
			} else if (strcasecmp(r->list[i], "redacted") == 0) {
				char w2[160];

				/* sarfs's own texts must say it: the share's
				 * self-check would find it there and refuse */
				snprintf(w2, sizeof(w2), "%s/%zu", where, i);
				bad_at(l, w2, r->list[i], strlen(r->list[i]), 0,
				       "\"redacted\" is the placeholders' own word and cannot be "
				       "a listed value; list the longer text it is part of");
			}
	} else if ((val = json_object_get(x, "pattern"))) {
		const char *p = json_string_value(val);

		r->kind = K_PATTERN;
		snprintf(where, sizeof(where), "%s/pattern", pointer);
		if (p && strcmp(p, "email") == 0)
			r->pattern = P_EMAIL;
		else if (p && strcmp(p, "ipv4") == 0)
			r->pattern = P_IPV4;
		else if (p && strcmp(p, "ipv6") == 0)
			r->pattern = P_IPV6;
		else if (p && strcmp(p, "ip") == 0)
			r->pattern = P_IPV4 | P_IPV6;
		else
			bad_at(l, where, p, p ? strlen(p) : 0, 0,
			       "unknown pattern (known: email, ip, ipv4, ipv6; write other patterns "
			       "as \"regex\")");
	} else {
		const char *p = json_string_value(val = json_object_get(x, "regex"));
		int err = 0;
		PCRE2_SIZE off = 0;

		r->kind = K_REGEX;
		snprintf(where, sizeof(where), "%s/regex", pointer);
		if (!p || !*p) {
			bad_at(l, where, NULL, 0, 0, "must be a non-empty string");
			return 0;
		}
		r->re = pcre2_compile((PCRE2_SPTR)p, json_string_length(val),
				      PCRE2_UTF | PCRE2_UCP | PCRE2_MATCH_INVALID_UTF |
				      (r->icase ? PCRE2_CASELESS : 0), &err, &off, NULL);
		if (!r->re) {
			PCRE2_UCHAR msg[256];

			pcre2_get_error_message(err, msg, sizeof(msg));
			bad_at(l, where, p, json_string_length(val), off,
			       "invalid regular expression at character %zu: %s", (size_t)off + 1,
			       (const char *)msg);
		} else {
			pcre2_match_data *md = pcre2_match_data_create_from_pattern(r->re, NULL);
			int m = md ? pcre2_match(r->re, (PCRE2_SPTR)"", 0, 0, 0, md, NULL) : -1;

			pcre2_match_data_free(md);
			if (m >= 0)
				bad_at(l, where, p, json_string_length(val), 0,
				       "the regular expression matches the empty text: it would "
				       "redact nothing, everywhere");
		}
	}
	if (rc)
		return rc;
	{
		struct group *g = &v->groups[r->group];

		g->kinds |= 1u << r->kind;
		g->patterns |= r->pattern;
		if (r->kind == K_VALUES)
			g->nlisted += r->nlist;
		for (i = 0; r->kind == K_FIELDS && i < r->nlist; i++) {
			size_t old = g->fields ? strlen(g->fields) : 0;
			char *f = realloc(g->fields, old + strlen(r->list[i]) + 3);

			if (!f)
				return -ENOMEM;
			g->fields = f;
			sprintf(f + old, "%s%s", old ? ", " : "", r->list[i]);
		}
	}
	v->nrules++;
	return 0;
}

static const char *const view_keys[] = { "view", "title", "include", "exclude", "binary",
					 "original_hashes", "redact", NULL };

int sarfs_view_parse(const char *name, const char *text, size_t n, struct sarfs_view **out,
		     struct sarfs_diag *d)
{
	struct sarfs_view *v = calloc(1, sizeof(*v));
	struct loader l = { v, d, 0 };
	json_error_t err;
	json_t *doc = NULL, *x;
	uint8_t sha[SARFS_SHA256_LEN];
	const char *key;
	size_t i, nf;
	int rc = 0;

	if (!v)
		return -ENOMEM;
	v->original_hashes = 1;
	v->file = strdup(name);
	v->text = malloc(n + 1);
	if (!v->file || !v->text) {
		rc = -ENOMEM;
		goto out;
	}
	memcpy(v->text, text, n);
	v->text[n] = '\0';
	v->text_len = n;
	rc = sarfs_sha256(text, n, sha);
	if (rc)
		goto out;
	sarfs_hex(sha, SARFS_SHA256_LEN, v->sha);
	doc = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
	if (!doc) {
		sarfs_diag_add(d, SARFS_ERROR, name, err.line, err.column, "%s", err.text);
		rc = -EINVAL;
		goto out;
	}
	if (!json_is_object(doc)) {
		sarfs_diag_add(d, SARFS_ERROR, name, 1, 1, "a view is a JSON object");
		rc = -EINVAL;
		goto out;
	}
	json_object_foreach(doc, key, x) {
		for (i = 0; view_keys[i] && strcmp(view_keys[i], key) != 0; i++)
			;
		if (!view_keys[i]) {
			char where[96];

			snprintf(where, sizeof(where), "/%s", key);
			bad_at(&l, where, key, strlen(key), 0,
			       "unknown key (a view has: view, title, include, exclude, binary, "
			       "original_hashes, redact)");
		}
	}
	x = json_object_get(doc, "view");
	if (!json_is_string(x) || !name_ok(json_string_value(x), 64, 1))
		bad_at(&l, "/view", json_string_value(x), json_string_length(x), 0,
		       "a view needs a \"view\" name: 1 to 64 letters, digits, '.', '-' or '_'");
	else if (!(v->name = strdup(json_string_value(x))))
		rc = -ENOMEM;
	if (!rc && (x = json_object_get(doc, "title")) && !(v->title = get_text(&l, x, "/title")) &&
	    !l.bad)
		rc = -ENOMEM;
	if (!rc && (x = json_object_get(doc, "binary"))) {
		if (json_is_string(x) && strcmp(json_string_value(x), "keep") == 0)
			v->keep_binary = 1;
		else if (!json_is_string(x) || strcmp(json_string_value(x), "withhold") != 0)
			bad_at(&l, "/binary", json_string_value(x), json_string_length(x), 0,
			       "must be \"withhold\" (the default) or \"keep\"");
	}
	if (!rc && (x = json_object_get(doc, "original_hashes"))) {
		if (!json_is_boolean(x))
			bad_at(&l, "/original_hashes", NULL, 0, 0, "must be true or false");
		v->original_hashes = !json_is_false(x);
	}
	if (!rc)
		rc = compile_globs(&l, json_object_get(doc, "include"), "include", &v->inc, &v->ninc);
	if (!rc)
		rc = compile_globs(&l, json_object_get(doc, "exclude"), "exclude", &v->exc, &v->nexc);
	x = json_object_get(doc, "redact");
	if (!rc && x && !json_is_array(x))
		bad_at(&l, "/redact", NULL, 0, 0, "must be a list of rules");
	if (!rc && json_is_array(x)) {
		json_t *e;

		v->rules = calloc(json_array_size(x) + 1, sizeof(*v->rules));
		if (!v->rules)
			rc = -ENOMEM;
		json_array_foreach(x, i, e) {
			if (rc)
				break;
			rc = load_rule(&l, e, i);
		}
	}
	if (rc)
		goto out;
	if (l.bad) {
		rc = -EINVAL;
		goto out;
	}
	/* the field names, sorted, for collecting */
	for (i = 0, nf = 0; i < v->nrules; i++)
		if (v->rules[i].kind == K_FIELDS)
			nf += v->rules[i].nlist;
	v->fields = calloc(nf + 1, sizeof(*v->fields));
	if (!v->fields) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < v->nrules; i++) {
		size_t k;

		for (k = 0; v->rules[i].kind == K_FIELDS && k < v->rules[i].nlist; k++)
			v->fields[v->nfields++] = (struct field){ v->rules[i].list[k], (uint32_t)i,
								 (uint32_t)k };
	}
	/* stable: a field named by two rules goes to the first */
	for (i = 1; i < v->nfields; i++) {
		struct field f = v->fields[i];
		size_t j = i;

		while (j > 0 && strcmp(v->fields[j - 1].name, f.name) > 0) {
			v->fields[j] = v->fields[j - 1];
			j--;
		}
		v->fields[j] = f;
	}
	v->mctx = pcre2_match_context_create(NULL);
	if (!v->mctx) {
		rc = -ENOMEM;
		goto out;
	}
	/* a pathological expression gives up instead of taking hours */
	pcre2_set_match_limit(v->mctx, 10000000);
	pcre2_set_depth_limit(v->mctx, 100000);
out:
	json_decref(doc);
	if (rc) {
		sarfs_view_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

int sarfs_view_load(const char *path, struct sarfs_view **out, struct sarfs_diag *d)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	char buf[65536];
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		rc = -errno;
		sarfs_diag_add(d, SARFS_ERROR, path, 0, 0, "cannot read the view: %s", strerror(-rc));
		return rc;
	}
	while ((k = read(fd, buf, sizeof(buf))) != 0) {
		if (k < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			sarfs_diag_add(d, SARFS_ERROR, path, 0, 0, "cannot read the view: %s",
				       strerror(-rc));
			break;
		}
		if (b.len + (size_t)k > VIEW_MAX_BYTES) {
			sarfs_diag_add(d, SARFS_ERROR, path, 0, 0, "a view file of more than %u bytes "
				       "is not a view", VIEW_MAX_BYTES);
			rc = -EINVAL;
			break;
		}
		if ((rc = sarfs_buf_add(&b, buf, (size_t)k)) != 0)
			break;
	}
	close(fd);
	if (!rc)
		rc = sarfs_view_parse(path, b.data ? b.data : "", b.len, out, d);
	sarfs_buf_destroy(&b);
	return rc;
}

/* ---- include and exclude --------------------------------------------------- */

/* Does g match the first np components of the path, or fewer (a folder
 * above it)? */
static int glob_match(const struct glob *g, size_t gi, char **comp, size_t pi, size_t np)
{
	for (;;) {
		if (gi == g->n)
			return 1;
		if (strcmp(g->comp[gi], "**") == 0) {
			if (glob_match(g, gi + 1, comp, pi, np))
				return 1;
			if (pi == np)
				return 0;
			pi++;
			continue;
		}
		if (pi == np || fnmatch(g->comp[gi], comp[pi], 0) != 0)
			return 0;
		gi++;
		pi++;
	}
}

static int any_match(const struct glob *g, size_t n, char **comp, size_t np)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (glob_match(&g[i], 0, comp, 0, np))
			return 1;
	return 0;
}

int sarfs_view_shows(const struct sarfs_view *v, const char *path, size_t len)
{
	char *copy = strndup(path, len), **comp = NULL, *p, *save = NULL;
	size_t np = 0;
	int shown = 0;

	if (!copy)
		return 0;	/* not shown: the safe side */
	comp = calloc(len / 2 + 2, sizeof(*comp));
	if (comp) {
		for (p = strtok_r(copy, "/", &save); p; p = strtok_r(NULL, "/", &save))
			comp[np++] = p;
		shown = (v->ninc == 0 || any_match(v->inc, v->ninc, comp, np)) &&
			!any_match(v->exc, v->nexc, comp, np);
	}
	free(comp);
	free(copy);
	return shown;
}

/* ---- finding field values ------------------------------------------------------ */

int sarfs_view_found_new(const struct sarfs_view *v, struct sarfs_view_found **out)
{
	(void)v;
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void sarfs_view_found_free(struct sarfs_view_found *f)
{
	if (!f)
		return;
	vmap_destroy(&f->set);
	vmap_destroy(&f->seen);
	free(f);
}

static const struct field *find_field(const struct sarfs_view *v, const char *key)
{
	size_t lo = 0, hi = v->nfields;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v->fields[mid].name, key);

		if (c == 0) {
			while (mid > 0 && strcmp(v->fields[mid - 1].name, key) == 0)
				mid--;
			return &v->fields[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* The text a scalar is written as, or 0 for one that has none worth
 * redacting elsewhere (true, false, null). */
static int scalar_text(const json_t *x, struct sarfs_buf *b)
{
	sarfs_buf_reset(b);
	if (json_is_string(x))
		return sarfs_buf_add(b, json_string_value(x), json_string_length(x)) ? -ENOMEM : 1;
	if (json_is_integer(x))
		return sarfs_buf_printf(b, "%" JSON_INTEGER_FORMAT, json_integer_value(x)) ? -ENOMEM : 1;
	if (json_is_real(x))
		return sarfs_json_format_real(json_real_value(x), b) ? -ENOMEM : 1;
	return 0;
}

static int collect_leaves(json_t *x, uint32_t rule, struct sarfs_view_found *f,
			  struct sarfs_buf *b, unsigned depth)
{
	const char *key;
	json_t *e;
	size_t i;
	int rc;

	if (depth > SARFS_JSON_MAX_DEPTH + 8)
		return 0;
	if (json_is_object(x)) {
		json_object_foreach(x, key, e)
			if ((rc = collect_leaves(e, rule, f, b, depth + 1)) != 0)
				return rc;
		return 0;
	}
	if (json_is_array(x)) {
		json_array_foreach(x, i, e)
			if ((rc = collect_leaves(e, rule, f, b, depth + 1)) != 0)
				return rc;
		return 0;
	}
	rc = scalar_text(x, b);
	if (rc <= 0)
		return rc;
	if (b->len == 0)
		return 0;
	return vmap_get(&f->set, rule, b->data, b->len, 1, NULL) ? 0 : -ENOMEM;
}

static int collect(const struct sarfs_view *v, json_t *x, struct sarfs_view_found *f,
		   struct sarfs_buf *b, unsigned depth)
{
	const char *key;
	json_t *e;
	size_t i;
	int rc;

	if (depth > SARFS_JSON_MAX_DEPTH + 8)
		return 0;
	if (json_is_array(x)) {
		json_array_foreach(x, i, e)
			if ((rc = collect(v, e, f, b, depth + 1)) != 0)
				return rc;
		return 0;
	}
	if (!json_is_object(x))
		return 0;
	json_object_foreach(x, key, e) {
		const struct field *fl = find_field(v, key);

		if (fl) {
			if (!vmap_get(&f->seen, fl->rule, key, strlen(key), 1, NULL))
				return -ENOMEM;
			if ((rc = collect_leaves(e, fl->rule, f, b, depth + 1)) != 0)
				return rc;
		}
		if ((rc = collect(v, e, f, b, depth + 1)) != 0)
			return rc;
	}
	return 0;
}

int sarfs_view_collect(const struct sarfs_view *v, json_t *record,
		       struct sarfs_view_found *f)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	int rc;

	if (!v->nfields)
		return 0;
	rc = collect(v, record, f, &b, 0);
	sarfs_buf_destroy(&b);
	return rc;
}

int sarfs_view_absorb(struct sarfs_view *v, struct sarfs_view_found *f)
{
	size_t i, k;

	for (i = 0; i < f->set.cap; i++)
		if (f->set.e[i].key &&
		    !vmap_get(&v->found, f->set.e[i].group, f->set.e[i].key, f->set.e[i].len, 1, NULL))
			return -ENOMEM;
	for (i = 0; i < f->seen.cap; i++) {
		struct rule *r;

		if (!f->seen.e[i].key)
			continue;
		r = &v->rules[f->seen.e[i].group];
		for (k = 0; k < r->nlist; k++)
			if (strcmp(r->list[k], f->seen.e[i].key) == 0)
				r->seen[k] = 1;
	}
	vmap_destroy(&f->set);
	vmap_destroy(&f->seen);
	return 0;
}

/* ---- the literal table ------------------------------------------------------------ */

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

static int add_literal(struct sarfs_view *v, uint32_t rule, const char *form, size_t len,
		       const char *canon, size_t clen)
{
	struct literal *l;
	size_t i;

	if (len < 2 || len > 4 * MAX_LITERAL + 16)
		return 0;
	/* one form is enough: the same bytes name the same value */
	for (i = v->nlit; i-- > 0 && v->lit[i].canon == canon;)
		if (v->lit[i].len == len && memcmp(v->lit[i].form, form, len) == 0)
			return 0;
	if (v->nlit == v->litcap) {
		size_t cap = v->litcap ? 2 * v->litcap : 64;

		l = realloc(v->lit, cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		v->lit = l;
		v->litcap = cap;
	}
	l = &v->lit[v->nlit];
	l->form = malloc(len + 1);
	if (!l->form)
		return -ENOMEM;
	memcpy(l->form, form, len);
	l->form[len] = '\0';
	l->len = (uint32_t)len;
	l->rule = rule;
	l->canon = canon;
	l->clen = (uint32_t)clen;
	v->nlit++;
	if (len + 16 > v->window)
		v->window = len + 16;
	return 0;
}

/* The value as written in a JSON string (slash: '/' as "\/" too), in a
 * mysqldump string, and in a quoted CSV cell. */
static int forms(struct sarfs_view *v, uint32_t rule, const char *canon, size_t clen)
{
	struct sarfs_buf j = SARFS_BUF_INIT, js = SARFS_BUF_INIT, q = SARFS_BUF_INIT,
			 c = SARFS_BUF_INIT;
	size_t i;
	int rc = add_literal(v, rule, canon, clen, canon, clen);

	for (i = 0; i < clen && !rc; i++) {
		unsigned char ch = (unsigned char)canon[i];
		const char *e = NULL;
		char u[8];

		switch (ch) {
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case '\t': e = "\\t"; break;
		case '\b': e = "\\b"; break;
		case '\f': e = "\\f"; break;
		default:
			if (ch < 0x20) {
				snprintf(u, sizeof(u), "\\u%04x", ch);
				e = u;
			}
		}
		rc |= e ? sarfs_buf_adds(&j, e) : sarfs_buf_addc(&j, (char)ch);
		rc |= ch == '/' ? sarfs_buf_adds(&js, "\\/") :
		      e ? sarfs_buf_adds(&js, e) : sarfs_buf_addc(&js, (char)ch);
		switch (ch) {
		case '\0': e = "\\0"; break;
		case '\'': e = "\\'"; break;
		case '"': e = "\\\""; break;
		case '\\': e = "\\\\"; break;
		case '\n': e = "\\n"; break;
		case '\r': e = "\\r"; break;
		case 0x1a: e = "\\Z"; break;
		default: e = NULL;
		}
		rc |= e ? sarfs_buf_adds(&q, e) : sarfs_buf_addc(&q, (char)ch);
		rc |= ch == '"' ? sarfs_buf_adds(&c, "\"\"") : sarfs_buf_addc(&c, (char)ch);
	}
	if (!rc && j.len)
		rc = add_literal(v, rule, j.data, j.len, canon, clen);
	if (!rc && js.len)
		rc = add_literal(v, rule, js.data, js.len, canon, clen);
	if (!rc && q.len)
		rc = add_literal(v, rule, q.data, q.len, canon, clen);
	if (!rc && c.len)
		rc = add_literal(v, rule, c.data, c.len, canon, clen);
	sarfs_buf_destroy(&j);
	sarfs_buf_destroy(&js);
	sarfs_buf_destroy(&q);
	sarfs_buf_destroy(&c);
	return rc ? -ENOMEM : 0;
}

static int add_value(struct sarfs_view *v, uint32_t rule, const char *s, size_t n)
{
	struct ent *e;

	if (n < 2 || n > MAX_LITERAL)
		return 0;
	e = vmap_get(&v->canon, rule, s, n, 1, NULL);
	if (!e)
		return -ENOMEM;
	return forms(v, rule, e->key, e->len);
}

static int lit_cmp(const void *a, const void *b)
{
	const struct literal *x = a, *y = b;

	/* longest first in each bucket's chain: the first that fits wins,
	 * ties to the rule listed first */
	if (x->len != y->len)
		return x->len > y->len ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return memcmp(x->form, y->form, x->len);
}

int sarfs_view_prepare(struct sarfs_view *v, struct sarfs_diag *d)
{
	size_t i, k;
	int rc = 0;

	if (v->prepared)
		return 0;
	v->window = SARFS_VIEW_WINDOW;
	for (i = 0; i < v->nrules && !rc; i++) {
		struct rule *r = &v->rules[i];

		for (k = 0; r->kind == K_VALUES && k < r->nlist && !rc; k++)
			rc = add_value(v, (uint32_t)i, r->list[k], strlen(r->list[k]));
		for (k = 0; r->kind == K_FIELDS && k < r->nlist; k++) {
			char where[96];
			long line, col;

			if (r->seen[k])
				continue;
			snprintf(where, sizeof(where), "/redact/%zu/fields/%zu", r->index, k);
			locate(v, r->list[k], strlen(r->list[k]), 0, &line, &col);
			sarfs_diag_add(d, SARFS_WARNING, v->file, line, col,
				       "%s: no record has a field \"%s\"; nothing is redacted by it",
				       where, r->list[k]);
		}
	}
	/* what field rules found: each value whole, and each line of one that
	 * has several (a profile may show it indented) */
	for (i = 0; i < v->found.cap && !rc; i++) {
		const struct ent *e = &v->found.e[i];
		const char *p, *end, *nl;

		if (!e->key)
			continue;
		if (e->len >= MIN_FOUND)
			rc = add_value(v, e->group, e->key, e->len);
		if (!memchr(e->key, '\n', e->len))
			continue;
		for (p = e->key, end = e->key + e->len; p < end && !rc; p = nl + 1) {
			const char *a = p, *b;

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				nl = end;
			b = nl;
			while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
				b--;
			if ((size_t)(b - a) >= MIN_FOUND)
				rc = add_value(v, e->group, a, (size_t)(b - a));
		}
	}
	if (rc)
		return rc;
	/* canon pointers stay valid: the canon map's keys are never moved */
	if (v->nlit > 1)
		qsort(v->lit, v->nlit, sizeof(*v->lit), lit_cmp);
	v->head = malloc(65536 * sizeof(*v->head));
	v->next = malloc((v->nlit + 1) * sizeof(*v->next));
	if (!v->head || !v->next)
		return -ENOMEM;
	for (i = 0; i < 65536; i++)
		v->head[i] = NONE;
	/* chains in table order (longest first): fill from the back */
	for (i = v->nlit; i-- > 0;) {
		unsigned b = (unsigned)fold((unsigned char)v->lit[i].form[0]) << 8 |
			     fold((unsigned char)v->lit[i].form[1]);

		v->next[i] = v->head[b];
		v->head[b] = (uint32_t)i;
	}
	v->md = pcre2_match_data_create(32, NULL);
	if (!v->md)
		return -ENOMEM;
	v->prepared = 1;
	return 0;
}

/* ---- matching ------------------------------------------------------------------- */

/* A letter or digit, in the sense of token edges: ASCII letters, digits
 * and '_', and every character beyond ASCII but spaces, punctuation,
 * symbols and pictographs. A byte that is not UTF-8 is taken as a letter
 * (a Latin-1 'é'). */
static int word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z') || cp == '_';
	if ((cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF))
		return 0;
	return 1;
}

static int word_at(const unsigned char *p, size_t n, size_t i)
{
	uint32_t cp;

	if (p[i] < 0x80)
		return word_cp(p[i]);
	return sarfs_utf8_decode(p + i, n - i, &cp) ? word_cp(cp) : 1;
}

static int word_before(const unsigned char *p, size_t i)
{
	size_t j = i - 1;
	uint32_t cp;

	if (p[j] < 0x80)
		return word_cp(p[j]);
	while (j > 0 && i - j < 4 && (p[j] & 0xC0) == 0x80)
		j--;
	if (sarfs_utf8_decode(p + j, i - j, &cp) == i - j)
		return word_cp(cp);
	return 1;
}

/* A whole token: no letter or digit glued to an edge that is one. At the
 * end of a window that is not the end of the text the next byte is not
 * known: no match (it is looked at again in the next window). */
static int token_ok(const unsigned char *p, size_t n, size_t s, size_t e, int eof)
{
	if (word_at(p, n, s) && s > 0 && word_before(p, s))
		return 0;
	if (word_before(p, e)) {
		if (e == n)
			return eof;
		if (word_at(p, n, e))
			return 0;
	}
	return 1;
}

struct cand {
	size_t s, e;
	uint32_t rule;
	const char *canon;	/* borrowed, or own */
	size_t clen;
	char *own;
};

struct cands {
	struct cand *c;
	size_t n, cap;
};

static void cands_clear(struct cands *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->c[i].own);
	cs->n = 0;
}

static int kept(const struct rule *r, const char *s, size_t n)
{
	size_t i, k;

	for (i = 0; i < r->nkeep; i++) {
		if (strlen(r->keep[i]) != n)
			continue;
		for (k = 0; k < n && fold((unsigned char)r->keep[i][k]) == fold((unsigned char)s[k]); k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

/* Adds a candidate; own (may be NULL) is stolen. */
static int cand_add(struct cands *cs, const struct sarfs_view *v, size_t s, size_t e,
		    uint32_t rule, const char *canon, size_t clen, char *own)
{
	struct cand *c;

	if (kept(&v->rules[rule], canon, clen)) {
		free(own);
		return 0;
	}
	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? 2 * cs->cap : 64;

		c = realloc(cs->c, cap * sizeof(*c));
		if (!c) {
			free(own);
			return -ENOMEM;
		}
		cs->c = c;
		cs->cap = cap;
	}
	cs->c[cs->n++] = (struct cand){ s, e, rule, canon, clen, own };
	return 0;
}

static int ascii_alnum(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int find_literals(const struct sarfs_view *v, const unsigned char *p, size_t n,
			 size_t base, int eof, struct cands *cs)
{
	size_t i;
	int rc;

	if (!v->nlit)
		return 0;
	for (i = base; i + 1 < n; i++) {
		uint32_t k = v->head[(unsigned)fold(p[i]) << 8 | fold(p[i + 1])];

		for (; k != NONE; k = v->next[k]) {
			const struct literal *l = &v->lit[k];
			size_t j;

			if (l->len > n - i)
				continue;
			for (j = 2; j < l->len && fold(p[i + j]) == fold((unsigned char)l->form[j]); j++)
				;
			if (j < l->len || !token_ok(p, n, i, i + l->len, eof))
				continue;
			rc = cand_add(cs, v, i, i + l->len, l->rule, l->canon, l->clen, NULL);
			if (rc)
				return rc;
			break;	/* the longest at i; shorter ones lose anyway */
		}
	}
	return 0;
}

static int email_local(unsigned char c)
{
	return ascii_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

static int email_domain(unsigned char c)
{
	return ascii_alnum(c) || c == '.' || c == '-';
}

/* A file name's extension after an address ("lea@example.org.json", a
 * record named by its address): not part of the domain, when what is left
 * is still a domain. Real top-level domains that are also extensions
 * (.md, .zip) lose only where a domain remains. */
static int file_ext(const unsigned char *p, size_t n)
{
	static const char *const ext[] = { "json", "jsonl", "txt", "csv", "tsv", "sql", "html",
					   "htm", "xml", "pdf", "png", "jpg", "jpeg", "gif", "zip",
					   "gz", "md", "js", "log", "eml", "vcf", "ics", "mbox", "doc",
					   "docx", "xls", "xlsx", "mp4", "mov", NULL };
	size_t i, k;

	for (i = 0; ext[i]; i++) {
		if (strlen(ext[i]) != n)
			continue;
		for (k = 0; k < n && fold(p[k]) == (unsigned char)ext[i][k]; k++)
			;
		if (k == n)
			return 1;
	}
	return 0;
}

static int find_emails(const struct sarfs_view *v, uint32_t rule, const unsigned char *p,
		       size_t n, size_t base, struct cands *cs)
{
	size_t i;

	for (i = base; i < n; i++) {
		size_t s = i, e = i + 1, dot = 0, k, tld = 0;
		char *canon;
		int rc;

		if (p[i] != '@')
			continue;
		while (s > 0 && email_local(p[s - 1]) && i - s < 64)
			s--;
		while (s < i && p[s] == '.')
			s++;
		if (s == i || s < base || (s > 0 && (ascii_alnum(p[s - 1]) || p[s - 1] >= 0x80)))
			continue;
		while (e < n && email_domain(p[e]) && e - i < 256)
			e++;
		while (e > i + 1 && (p[e - 1] == '.' || p[e - 1] == '-'))
			e--;
		for (k = i + 1; k < e; k++)
			if (p[k] == '.') {
				if (k == i + 1 || p[k - 1] == '.')
					break;
				dot = k;
			}
		if (k < e || !dot)
			continue;
		if (file_ext(p + dot + 1, e - dot - 1)) {
			size_t prev = dot;

			while (prev > i + 1 && p[prev - 1] != '.')
				prev--;
			if (prev > i + 1) {
				e = dot;
				dot = prev - 1;
			}
		}
		for (k = dot + 1; k < e && ((p[k] | 32) >= 'a' && (p[k] | 32) <= 'z'); k++)
			tld++;
		if (k < e || tld < 2 || (e < n && p[e] >= 0x80))
			continue;
		canon = malloc(e - s + 1);
		if (!canon)
			return -ENOMEM;
		for (k = s; k < e; k++)
			canon[k - s] = (char)fold(p[k]);
		canon[e - s] = '\0';
		rc = cand_add(cs, v, s, e, rule, canon, e - s, canon);
		if (rc)
			return rc;
		i = e - 1;
	}
	return 0;
}

static int find_ipv4(const struct sarfs_view *v, uint32_t rule, const unsigned char *p,
		     size_t n, size_t base, int eof, struct cands *cs)
{
	size_t i;

	for (i = base; i < n; i++) {
		size_t j = i, k;
		int oct, rc;
		char *canon;

		if (!(p[i] >= '0' && p[i] <= '9'))
			continue;
		if (i > 0 && (ascii_alnum(p[i - 1]) || p[i - 1] == '.' || p[i - 1] == '_' ||
			      p[i - 1] >= 0x80))
			continue;
		for (oct = 0; oct < 4; oct++) {
			unsigned val = 0, nd = 0;

			while (j < n && p[j] >= '0' && p[j] <= '9' && nd < 4) {
				val = val * 10 + (unsigned)(p[j] - '0');
				j++;
				nd++;
			}
			if (nd == 0 || nd > 3 || val > 255)
				break;
			if (oct < 3) {
				if (j >= n || p[j] != '.')
					break;
				j++;
			}
		}
		if (oct < 4)
			continue;
		if (j == n && !eof)
			continue;
		if (j < n && (ascii_alnum(p[j]) || p[j] == '_' || p[j] >= 0x80 ||
			      (p[j] == '.' && j + 1 < n && p[j + 1] >= '0' && p[j + 1] <= '9')))
			continue;
		canon = malloc(j - i + 1);
		if (!canon)
			return -ENOMEM;
		for (k = i; k < j; k++)
			canon[k - i] = (char)p[k];
		canon[j - i] = '\0';
		rc = cand_add(cs, v, i, j, rule, canon, j - i, canon);
		if (rc)
			return rc;
		i = j - 1;
	}
	return 0;
}

static int v6char(unsigned char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'f') || c == ':' || c == '.';
}

static int find_ipv6(const struct sarfs_view *v, uint32_t rule, const unsigned char *p,
		     size_t n, size_t base, int eof, struct cands *cs)
{
	size_t i;

	for (i = base; i < n; i++) {
		char tmp[72], out[INET6_ADDRSTRLEN];
		struct in6_addr a;
		size_t j = i, colons = 0, hex = 0, k;
		char *canon;
		int rc;

		if (!v6char(p[i]) || p[i] == '.')
			continue;
		if (i > 0 && (ascii_alnum(p[i - 1]) || p[i - 1] == '_' || p[i - 1] == ':' ||
			      p[i - 1] == '.' || p[i - 1] >= 0x80))
			continue;
		while (j < n && v6char(p[j]) && j - i < 64)
			j++;
		if (j == n && !eof)
			continue;
		if (j < n && (ascii_alnum(p[j]) || p[j] == '_' || p[j] >= 0x80))
			continue;
		while (j > i && p[j - 1] == '.')
			j--;
		for (k = i; k < j; k++) {
			colons += p[k] == ':';
			hex += p[k] != ':' && p[k] != '.';
		}
		if (colons < 2 || !hex)
			continue;
		memcpy(tmp, p + i, j - i);
		tmp[j - i] = '\0';
		if (inet_pton(AF_INET6, tmp, &a) != 1) {
			/* "fe80::1:" before a colon of the text */
			if (j - i < 3 || tmp[j - i - 1] != ':' || tmp[j - i - 2] == ':')
				continue;
			tmp[--j - i] = '\0';
			if (inet_pton(AF_INET6, tmp, &a) != 1)
				continue;
		}
		if (!inet_ntop(AF_INET6, &a, out, sizeof(out)))
			continue;
		canon = strdup(out);
		if (!canon)
			return -ENOMEM;
		rc = cand_add(cs, v, i, j, rule, canon, strlen(canon), canon);
		if (rc)
			return rc;
		i = j - 1;
	}
	return 0;
}

static int find_regex(struct sarfs_view *v, uint32_t rule, const unsigned char *p, size_t n,
		      size_t base, size_t safe, int eof, struct cands *cs)
{
	const struct rule *r = &v->rules[rule];
	PCRE2_SIZE off = base, *ov;
	int m, rc;

	while (off <= n) {
		size_t s, e, k;
		char *canon;

		m = pcre2_match(r->re, p, n, off, 0, v->md, v->mctx);
		if (m == PCRE2_ERROR_NOMATCH)
			return 0;
		if (m < 0)
			return m == PCRE2_ERROR_MATCHLIMIT || m == PCRE2_ERROR_DEPTHLIMIT ||
			       m == PCRE2_ERROR_HEAPLIMIT ? -EIO : 0;
		ov = pcre2_get_ovector_pointer(v->md);
		s = ov[0];
		e = ov[1];
		if (!eof && s >= safe)
			return 0;
		if (e <= s) {
			/* an empty match (a lookahead): step one character on */
			off = s + 1;
			while (off < n && (p[off] & 0xC0) == 0x80)
				off++;
			continue;
		}
		canon = malloc(e - s + 1);
		if (!canon)
			return -ENOMEM;
		for (k = s; k < e; k++)
			canon[k - s] = (char)(r->icase ? fold(p[k]) : p[k]);
		canon[e - s] = '\0';
		rc = cand_add(cs, v, s, e, rule, canon, e - s, canon);
		if (rc)
			return rc;
		off = e;
	}
	return 0;
}

static int cand_cmp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	if (x->e != y->e)
		return x->e > y->e ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* Every candidate in p[base, n). */
static int find_all(struct sarfs_view *v, const unsigned char *p, size_t n, size_t base,
		    size_t safe, int eof, struct cands *cs)
{
	size_t i;
	int rc = find_literals(v, p, n, base, eof, cs);

	for (i = 0; i < v->nrules && !rc; i++) {
		const struct rule *r = &v->rules[i];

		if (r->pattern & P_EMAIL)
			rc = find_emails(v, (uint32_t)i, p, n, base, cs);
		if (!rc && (r->pattern & P_IPV6))
			rc = find_ipv6(v, (uint32_t)i, p, n, base, eof, cs);
		if (!rc && (r->pattern & P_IPV4))
			rc = find_ipv4(v, (uint32_t)i, p, n, base, eof, cs);
		if (!rc && r->re)
			rc = find_regex(v, (uint32_t)i, p, n, base, safe, eof, cs);
	}
	if (!rc && cs->n > 1)
		qsort(cs->c, cs->n, sizeof(*cs->c), cand_cmp);
	return rc;
}

static int placeholder(struct sarfs_view *v, const struct cand *c, struct sarfs_buf *out)
{
	struct group *g = &v->groups[v->rules[c->rule].group];
	struct ent *e;
	int added;

	e = vmap_get(&v->nums, v->rules[c->rule].group, c->canon, c->clen, 1, &added);
	if (!e)
		return -ENOMEM;
	if (added)
		e->num = ++g->next;
	g->places++;
	v->places++;
	return sarfs_buf_printf(out, "[redacted:%s:%llu]", g->name, (unsigned long long)e->num);
}

/* Redacts p[base, n) up to where it is settled: the end if eof, else up to
 * the last byte that no later byte can change. Appends that to out and
 * returns how far it got in *done. */
static int process(struct sarfs_view *v, const char *text, size_t n, size_t base, int eof,
		   struct sarfs_buf *out, size_t *done, uint64_t *hits)
{
	const unsigned char *p = (const unsigned char *)text;
	struct cands cs = { NULL, 0, 0 };
	size_t safe = eof ? n : (n > v->window ? n - v->window : 0), at = base, i;
	int rc;

	if (safe < base)
		safe = base;
	rc = find_all(v, p, n, base, safe, eof, &cs);
	for (i = 0; i < cs.n && !rc; i++) {
		const struct cand *c = &cs.c[i];

		if (c->s < at)
			continue;	/* overlaps the one chosen before */
		if (!eof && c->s >= safe)
			break;
		rc = sarfs_buf_add(out, text + at, c->s - at);
		if (!rc)
			rc = placeholder(v, c, out);
		if (hits)
			(*hits)++;
		at = c->e;
	}
	if (!rc) {
		size_t end = eof ? n : (at > safe ? at : safe);

		rc = sarfs_buf_add(out, text + at, end - at);
		*done = end;
	}
	cands_clear(&cs);
	free(cs.c);
	return rc;
}

int sarfs_view_redact(struct sarfs_view *v, const char *p, size_t n, struct sarfs_buf *out,
		      uint64_t *hits)
{
	size_t done;

	if (!v->prepared)
		return -EINVAL;
	return process(v, p, n, 0, 1, out, &done, hits);
}

/* Spans "[redacted:NAME:N]" in p: a placeholder is not a value. */
static int in_placeholder(const char *p, size_t n, size_t s, size_t e)
{
	size_t a = s, b;

	/* the '[' of a placeholder before s, and its ']' at or after e */
	while (a > 0 && s - a < 64 && p[a] != '[' && p[a] != ']')
		a--;
	if (p[a] != '[' || n - a < 14 || memcmp(p + a, "[redacted:", 10) != 0)
		return 0;
	for (b = a + 10; b < n && b - a < 64 && p[b] != ']'; b++)
		;
	return b < n && p[b] == ']' && b + 1 >= e;
}

int sarfs_view_finds_part(struct sarfs_view *v, const char *p, size_t n, size_t from, int eof)
{
	struct cands cs = { NULL, 0, 0 };
	size_t i;
	int rc, found = 0;

	if (!v->prepared)
		return -EINVAL;
	rc = find_all(v, (const unsigned char *)p, n, 0, n, eof, &cs);
	for (i = 0; i < cs.n && !rc && !found; i++)
		found = cs.c[i].s >= from && (eof || cs.c[i].e < n) &&
			!in_placeholder(p, n, cs.c[i].s, cs.c[i].e);
	cands_clear(&cs);
	free(cs.c);
	return rc ? rc : found;
}

int sarfs_view_finds(struct sarfs_view *v, const char *p, size_t n)
{
	return sarfs_view_finds_part(v, p, n, 0, 1);
}

/* ---- streams ------------------------------------------------------------- */

struct sarfs_view_stream {
	struct sarfs_view *v;
	struct sarfs_buf win;	/* a few settled bytes (context), then pending ones */
	size_t base;		/* where the pending ones start */
	uint64_t hits;
};

int sarfs_view_stream_open(struct sarfs_view *v, struct sarfs_view_stream **out)
{
	struct sarfs_view_stream *s;

	if (!v->prepared)
		return -EINVAL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->v = v;
	*out = s;
	return 0;
}

static int stream_step(struct sarfs_view_stream *s, int eof, struct sarfs_buf *out)
{
	size_t done, ctx;
	int rc = process(s->v, s->win.data ? s->win.data : "", s->win.len, s->base, eof, out,
			 &done, &s->hits);

	if (rc)
		return rc;
	/* keep up to 4 settled bytes: the character before the next match */
	ctx = done < 4 ? done : 4;
	if (s->win.data)
		memmove(s->win.data, s->win.data + done - ctx, s->win.len - done + ctx);
	s->win.len = s->win.len - done + ctx;
	s->base = ctx;
	return 0;
}

int sarfs_view_stream_write(struct sarfs_view_stream *s, const void *p, size_t n,
			    struct sarfs_buf *out)
{
	int rc = sarfs_buf_add(&s->win, p, n);

	if (!rc && s->win.len - s->base >= STREAM_CHUNK + s->v->window)
		rc = stream_step(s, 0, out);
	return rc;
}

int sarfs_view_stream_close(struct sarfs_view_stream *s, struct sarfs_buf *out,
			    uint64_t *hits)
{
	int rc = stream_step(s, 1, out);

	if (hits)
		*hits += s->hits;
	sarfs_buf_destroy(&s->win);
	free(s);
	return rc;
}

/* ---- records ------------------------------------------------------------- */

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int redact_json(struct sarfs_view *v, json_t *x, json_t **out, uint64_t *hits,
		       struct sarfs_buf *t, unsigned depth);

/* The placeholder for a whole field value. */
static int field_value(struct sarfs_view *v, uint32_t rule, json_t *x, json_t **out,
		       uint64_t *hits, struct sarfs_buf *t)
{
	struct cand c = { 0, 0, rule, NULL, 0, NULL };
	char *dump = NULL;
	int rc;

	if (json_is_string(x)) {
		c.canon = json_string_value(x);
		c.clen = json_string_length(x);
	} else {
		dump = json_dumps(x, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		if (!dump)
			return -ENOMEM;
		c.canon = dump;
		c.clen = strlen(dump);
	}
	sarfs_buf_reset(t);
	rc = placeholder(v, &c, t);
	free(dump);
	if (rc)
		return rc;
	if (hits)
		(*hits)++;
	*out = json_stringn_nocheck(t->data, t->len);
	return *out ? 0 : -ENOMEM;
}

static int redact_scalar(struct sarfs_view *v, json_t *x, json_t **out, uint64_t *hits,
			 struct sarfs_buf *t)
{
	struct sarfs_buf in = SARFS_BUF_INIT;
	uint64_t h = 0;
	int rc = scalar_text(x, &in);

	*out = NULL;
	if (rc <= 0) {
		sarfs_buf_destroy(&in);
		return rc;
	}
	sarfs_buf_reset(t);
	rc = process(v, in.data, in.len, 0, 1, t, &(size_t){ 0 }, &h);
	if (!rc && h) {
		*out = json_stringn_nocheck(t->data ? t->data : "", t->len);
		rc = *out ? 0 : -ENOMEM;
		if (hits)
			*hits += h;
	}
	sarfs_buf_destroy(&in);
	return rc;
}

static int redact_object(struct sarfs_view *v, json_t *x, json_t **out, uint64_t *hits,
			 struct sarfs_buf *t, unsigned depth)
{
	size_t n = json_object_size(x), i = 0;
	const char **keys = calloc(n + 1, sizeof(*keys));
	json_t *res = NULL, *e;
	const char *key;
	int rc = 0, changed = 0;

	*out = NULL;
	if (!keys)
		return -ENOMEM;
	json_object_foreach(x, key, e)
		keys[i++] = key;
	qsort(keys, n, sizeof(*keys), key_cmp);
	res = json_object();
	if (!res)
		rc = -ENOMEM;
	for (i = 0; i < n && !rc; i++) {
		const struct field *f = find_field(v, keys[i]);
		json_t *val = json_object_get(x, keys[i]), *nv = NULL;
		struct sarfs_buf nk = SARFS_BUF_INIT;
		uint64_t h = 0;

		rc = process(v, keys[i], strlen(keys[i]), 0, 1, &nk, &(size_t){ 0 }, &h);
		if (!rc && f && !json_is_null(val) && !json_is_boolean(val) &&
		    !(json_is_string(val) && json_string_length(val) == 0))
			rc = field_value(v, f->rule, val, &nv, hits, t);
		else if (!rc)
			rc = redact_json(v, val, &nv, hits, t, depth + 1);
		/* two keys that redact to one: the later one gets "~2", as
		 * names do, rather than replacing the first */
		/* (process() wrote the key, redacted or not, to nk) */
		if (!rc && !nk.data)
			rc = sarfs_buf_adds(&nk, "");
		if (!rc && json_object_getn(res, nk.data, nk.len)) {
			struct sarfs_buf k2 = SARFS_BUF_INIT;
			unsigned long sfx;

			for (sfx = 2; !rc; sfx++) {
				sarfs_buf_reset(&k2);
				rc = sarfs_buf_printf(&k2, "%s~%lu", nk.data, sfx);
				if (!rc && !json_object_getn(res, k2.data, k2.len))
					break;
			}
			sarfs_buf_destroy(&nk);
			nk = k2;
			h = h ? h : 1;
		}
		if (!rc) {
			if (h || nv)
				changed = 1;
			if (hits)
				*hits += h;
			rc = json_object_setn_new_nocheck(res, nk.data, nk.len,
							  nv ? nv : json_incref(val)) ? -ENOMEM : 0;
		} else {
			json_decref(nv);
		}
		sarfs_buf_destroy(&nk);
	}
	free(keys);
	if (rc || !changed) {
		json_decref(res);
		return rc;
	}
	*out = res;
	return 0;
}

/* *out receives a new value if x changed, else NULL. */
static int redact_json(struct sarfs_view *v, json_t *x, json_t **out, uint64_t *hits,
		       struct sarfs_buf *t, unsigned depth)
{
	*out = NULL;
	if (depth > SARFS_JSON_MAX_DEPTH + 8)
		return 0;
	if (json_is_object(x))
		return redact_object(v, x, out, hits, t, depth);
	if (json_is_array(x)) {
		json_t *res = NULL, *e, *nv;
		size_t i;
		int rc = 0;

		json_array_foreach(x, i, e) {
			rc = redact_json(v, e, &nv, hits, t, depth + 1);
			if (rc)
				break;
			if (nv && !res) {
				res = json_deep_copy(x);
				if (!res) {
					json_decref(nv);
					rc = -ENOMEM;
					break;
				}
			}
			if (nv && json_array_set_new(res, i, nv)) {
				rc = -ENOMEM;
				break;
			}
		}
		if (rc) {
			json_decref(res);
			return rc;
		}
		*out = res;
		return 0;
	}
	return redact_scalar(v, x, out, hits, t);
}

int sarfs_view_redact_json(struct sarfs_view *v, json_t **value, uint64_t *hits)
{
	struct sarfs_buf t = SARFS_BUF_INIT;
	json_t *nv = NULL;
	int rc;

	if (!v->prepared)
		return -EINVAL;
	rc = redact_json(v, *value, &nv, hits, &t, 0);
	sarfs_buf_destroy(&t);
	if (!rc && nv) {
		json_decref(*value);
		*value = nv;
	}
	return rc;
}

/* ---- README.txt ------------------------------------------------------------ */

int sarfs_view_report(const struct sarfs_view *v, struct sarfs_buf *out)
{
	size_t i;
	int rc = 0;

	if (!v->ngroups)
		return sarfs_buf_adds(out, "  none: the view has no rules\n");
	for (i = 0; i < v->ngroups && !rc; i++) {
		const struct group *g = &v->groups[i];
		const char *sep = "";

		rc |= sarfs_buf_printf(out, "  [redacted:%s:N]\n      matches:  ", g->name);
		if (g->kinds & (1u << K_FIELDS)) {
			rc |= sarfs_buf_printf(out, "the field%s %s of records, and their values\n"
					       "                wherever else they appear",
					       strchr(g->fields, ',') ? "s" : "", g->fields);
			sep = ";\n                ";
		}
		if (g->kinds & (1u << K_VALUES)) {
			rc |= sarfs_buf_printf(out, "%s%zu value%s listed in the view (not shown here)",
					       sep, g->nlisted, g->nlisted == 1 ? "" : "s");
			sep = ";\n                ";
		}
		if (g->patterns) {
			rc |= sarfs_buf_printf(out, "%s%s%s%s%s%s", sep,
					       g->patterns & P_EMAIL ? "e-mail addresses" : "",
					       (g->patterns & P_EMAIL) && (g->patterns & (P_IPV4 | P_IPV6)) ?
					       ", " : "",
					       g->patterns & P_IPV4 ? "IPv4 addresses" : "",
					       (g->patterns & P_IPV4) && (g->patterns & P_IPV6) ? ", " : "",
					       g->patterns & P_IPV6 ? "IPv6 addresses" : "");
			sep = ";\n                ";
		}
		if (g->kinds & (1u << K_REGEX))
			rc |= sarfs_buf_printf(out, "%sa regular expression (not shown here: it\n"
					       "                may spell out what it hides)", sep);
		rc |= sarfs_buf_printf(out, "\n      redacted: %llu distinct value%s in %llu place%s\n",
				       (unsigned long long)g->next, g->next == 1 ? "" : "s",
				       (unsigned long long)g->places, g->places == 1 ? "" : "s");
	}
	return rc ? -ENOMEM : 0;
}
