/*
 * jsonfast.c - rendering a JSON record straight from its text.
 *
 * The generic mapping renders every record of every JSON and JSON Lines
 * file; building a jansson tree for each, only to print it again, was most
 * of an index build. This renders from a flat array of tokens instead, and
 * gives exactly the bytes sarfs_json_render() gives for jansson's parse of
 * the same text (tests/unit/test_jsonfast.c compares the two on fixed and
 * random documents).
 *
 * It is a fast path, not a second parser: anything outside the common
 * shape -- bytes that are not UTF-8, a control character in a string, a key
 * with an escape, a key that appears twice, an integer beyond 64 bits, a
 * real that overflows, "-0", malformed text, nesting beyond 256 levels --
 * makes it decline (return 1), and the caller uses jansson, whose messages
 * and repairs then apply as before.
 */
#include "sarfs/json.h"

#include "sarfs/hash.h"
#include "sarfs/names.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { T_NULL, T_TRUE, T_FALSE, T_INT, T_REAL, T_STR, T_ARR, T_OBJ };

struct tok {
	uint8_t type;
	uint8_t esc;		/* a string with escapes */
	uint32_t off, len;	/* the text: a string without its quotes */
	uint32_t n;		/* containers: number of children (members count twice) */
	uint32_t end;		/* containers: index after the last descendant */
	int64_t i;		/* T_INT */
	double d;		/* T_REAL */
};

struct fast {
	const unsigned char *s;
	size_t n, pos;
	struct tok *t;
	size_t nt, cap;
};

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(struct fast *f)
{
	while (f->pos < f->n && is_ws(f->s[f->pos]))
		f->pos++;
}

static int push(struct fast *f, struct tok **out)
{
	if (f->nt == f->cap) {
		size_t cap = f->cap ? 2 * f->cap : 64;
		struct tok *v;

		if (cap > UINT32_MAX)
			return 1;
		v = realloc(f->t, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		f->t = v;
		f->cap = cap;
	}
	*out = &f->t[f->nt++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* \uXXXX at p (p points at 'u'); returns the code unit or -1. */
static long u4(const unsigned char *p, const unsigned char *e)
{
	long v = 0;
	int i, h;

	if (e - p < 5)
		return -1;
	for (i = 1; i <= 4; i++) {
		if ((h = sarfs_hex_digit(p[i])) < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* A string at f->pos (at its '"'). Validates what jansson would accept
 * here, no more: otherwise declines. */
static int scan_string(struct fast *f, struct tok *t)
{
	const unsigned char *s = f->s, *e = f->s + f->n, *p = s + f->pos + 1;
	uint32_t cp;
	size_t k;

	t->type = T_STR;
	t->off = (uint32_t)(p - s);
	while (p < e) {
		unsigned char c = *p;

		if (c == '"') {
			t->len = (uint32_t)(p - s - t->off);
			f->pos = (size_t)(p - s) + 1;
			return 0;
		}
		if (c < 0x20)
			return 1;
		if (c == '\\') {
			t->esc = 1;
			if (p + 1 >= e)
				return 1;
			switch (p[1]) {
			case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
				p += 2;
				continue;
			case 'u': {
				long hi = u4(p + 1, e);

				if (hi < 0)
					return 1;
				if (hi >= 0xD800 && hi <= 0xDBFF) {
					long lo;

					if (e - p < 12 || p[6] != '\\' || p[7] != 'u')
						return 1;
					lo = u4(p + 7, e);
					if (lo < 0xDC00 || lo > 0xDFFF)
						return 1;
					p += 12;
				} else if (hi >= 0xDC00 && hi <= 0xDFFF) {
					return 1;
				} else {
					p += 6;
				}
				continue;
			}
			default:
				return 1;
			}
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		k = sarfs_utf8_decode(p, (size_t)(e - p), &cp);
		if (!k)
			return 1;	/* not UTF-8: jansson repairs it, with a warning */
		p += k;
	}
	return 1;
}

static int scan_number(struct fast *f, struct tok *t)
{
	const unsigned char *s = f->s;
	size_t p = f->pos, start = p;
	int real = 0;
	char buf[64], *end;

	if (p < f->n && s[p] == '-')
		p++;
	if (p >= f->n || s[p] < '0' || s[p] > '9')
		return 1;
	if (s[p] == '0' && p + 1 < f->n && s[p + 1] >= '0' && s[p + 1] <= '9')
		return 1;
	while (p < f->n && s[p] >= '0' && s[p] <= '9')
		p++;
	if (p < f->n && s[p] == '.') {
		real = 1;
		p++;
		if (p >= f->n || s[p] < '0' || s[p] > '9')
			return 1;
		while (p < f->n && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p < f->n && (s[p] == 'e' || s[p] == 'E')) {
		real = 1;
		p++;
		if (p < f->n && (s[p] == '+' || s[p] == '-'))
			p++;
		if (p >= f->n || s[p] < '0' || s[p] > '9')
			return 1;
		while (p < f->n && s[p] >= '0' && s[p] <= '9')
			p++;
	}
	if (p - start >= sizeof(buf))
		return 1;
	memcpy(buf, s + start, p - start);
	buf[p - start] = '\0';
	errno = 0;
	t->off = (uint32_t)start;
	t->len = (uint32_t)(p - start);
	if (real) {
		t->type = T_REAL;
		t->d = strtod(buf, &end);
		if (errno || *end)
			return 1;	/* overflow: jansson's message */
	} else {
		t->type = T_INT;
		if (strcmp(buf, "-0") == 0)
			return 1;	/* jansson gives 0: leave it to jansson */
		t->i = strtoll(buf, &end, 10);
		if (errno || *end)
			return 1;	/* beyond 64 bits: kept as text by jansson's path */
	}
	f->pos = p;
	return 0;
}

static int scan_lit(struct fast *f, struct tok *t, const char *w, int type)
{
	size_t n = strlen(w);

	if (f->n - f->pos < n || memcmp(f->s + f->pos, w, n) != 0)
		return 1;
	f->pos += n;
	t->type = (uint8_t)type;
	return 0;
}

/* Parses the whole text into tokens, depth first; 1 to decline. */
static int scan(struct fast *f)
{
	size_t stack[SARFS_JSON_MAX_DEPTH + 1];
	size_t depth = 0, ti;
	struct tok *t;
	int rc, want_key = 0;

	for (;;) {
		unsigned char c;

		skip_ws(f);
		if (f->pos >= f->n)
			return 1;
		c = f->s[f->pos];
		rc = push(f, &t);
		if (rc)
			return rc;
		ti = f->nt - 1;
		if (want_key) {
			if (c != '"' || (rc = scan_string(f, t)) != 0 || t->esc)
				return 1;	/* an escape in a key: jansson sorts decoded keys */
			skip_ws(f);
			if (f->pos >= f->n || f->s[f->pos] != ':')
				return 1;
			f->pos++;
			want_key = 0;
			continue;
		}
		switch (c) {
		case '{':
		case '[':
			if (depth == SARFS_JSON_MAX_DEPTH)
				return 1;
			t->type = c == '{' ? T_OBJ : T_ARR;
			f->pos++;
			/* "{}" and "[]": closed at once */
			skip_ws(f);
			if (f->pos < f->n && f->s[f->pos] == (c == '{' ? '}' : ']')) {
				f->pos++;
				t->end = (uint32_t)f->nt;
				goto next;
			}
			stack[depth++] = ti;
			want_key = c == '{';
			continue;
		case '"':
			rc = scan_string(f, t);
			break;
		case 't':
			rc = scan_lit(f, t, "true", T_TRUE);
			break;
		case 'f':
			rc = scan_lit(f, t, "false", T_FALSE);
			break;
		case 'n':
			rc = scan_lit(f, t, "null", T_NULL);
			break;
		default:
			rc = scan_number(f, t);
			break;
		}
		if (rc)
			return rc;
next:
		/* after a value: a sibling, or the end of containers */
		for (;;) {
			struct tok *parent;

			if (!depth) {
				skip_ws(f);
				return f->pos == f->n ? 0 : 1;
			}
			parent = &f->t[stack[depth - 1]];
			parent->n += parent->type == T_OBJ ? 2 : 1;
			skip_ws(f);
			if (f->pos >= f->n)
				return 1;
			c = f->s[f->pos++];
			if (c == ',') {
				want_key = parent->type == T_OBJ;
				break;
			}
			if (c != (parent->type == T_ARR ? ']' : '}'))
				return 1;
			f->t[stack[depth - 1]].end = (uint32_t)f->nt;
			depth--;
			if (!depth) {
				skip_ws(f);
				return f->pos == f->n ? 0 : 1;
			}
			/* the closed container is a value of its parent */
		}
	}
}

/* ---- rendering: the same bytes as json.c's render() ------------------- */

struct out {
	struct sarfs_buf *b;
	size_t limit;
	const struct fast *f;
};

static int put_esc_cp(struct sarfs_buf *b, uint32_t cp)
{
	char u[8];

	switch (cp) {
	case '"':
		return sarfs_buf_add(b, "\\\"", 2);
	case '\\':
		return sarfs_buf_add(b, "\\\\", 2);
	case '\n':
		return sarfs_buf_add(b, "\\n", 2);
	case '\t':
		return sarfs_buf_add(b, "\\t", 2);
	case '\r':
		return sarfs_buf_add(b, "\\r", 2);
	default:
		break;
	}
	if (cp < 0x20 || cp == 0x7F) {
		snprintf(u, sizeof(u), "\\u%04x", (unsigned)cp);
		return sarfs_buf_adds(b, u);
	}
	if (cp < 0x80)
		return sarfs_buf_addc(b, (char)cp);
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		return sarfs_buf_add(b, u, 2);
	}
	if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		return sarfs_buf_add(b, u, 3);
	}
	u[0] = (char)(0xF0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	u[3] = (char)(0x80 | (cp & 0x3F));
	return sarfs_buf_add(b, u, 4);
}

static int put_string(struct out *o, const struct tok *t)
{
	const unsigned char *p = o->f->s + t->off, *e = p + t->len, *run = p;
	int rc = sarfs_buf_addc(o->b, '"');

	while (p < e && !rc) {
		unsigned char c = *p;
		uint32_t cp;

		if (c == '\\') {
			rc = sarfs_buf_add(o->b, run, (size_t)(p - run));
			switch (p[1]) {
			case 'b':
				cp = 8;
				break;
			case 'f':
				cp = 12;
				break;
			case 'n':
				cp = '\n';
				break;
			case 'r':
				cp = '\r';
				break;
			case 't':
				cp = '\t';
				break;
			case 'u': {
				long hi = u4(p + 1, e);

				if (hi >= 0xD800 && hi <= 0xDBFF) {
					long lo = u4(p + 7, e);

					cp = (uint32_t)(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
					p += 6;
				} else {
					cp = (uint32_t)hi;
				}
				p += 4;
				break;
			}
			default:	/* '"', '\\', '/' */
				cp = p[1];
				break;
			}
			p += 2;
			rc = rc ? rc : put_esc_cp(o->b, cp);
			run = p;
			continue;
		}
		if (c == '"' || c == 0x7F) {
			rc = sarfs_buf_add(o->b, run, (size_t)(p - run));
			rc = rc ? rc : put_esc_cp(o->b, c);
			run = ++p;
			continue;
		}
		p++;
	}
	rc = rc ? rc : sarfs_buf_add(o->b, run, (size_t)(e - run));
	return rc ? rc : sarfs_buf_addc(o->b, '"');
}

static int newline(struct out *o, int level)
{
	int rc;

	if (o->b->len > o->limit)
		return -EFBIG;
	rc = sarfs_buf_addc(o->b, '\n');
	while (!rc && level-- > 0)
		rc = sarfs_buf_add(o->b, "  ", 2);
	return rc;
}

struct member {
	const unsigned char *key;
	uint32_t len;
	size_t value;	/* token index */
};

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);

	return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Renders token ti and what is under it; *next receives the index after
 * it. 1 declines (duplicate keys). */
static int put(struct out *o, size_t ti, int level, size_t *next)
{
	const struct tok *t = &o->f->t[ti];
	size_t k, i, c;
	int rc = 0;

	*next = ti + 1;
	switch (t->type) {
	case T_NULL:
		return sarfs_buf_add(o->b, "null", 4);
	case T_TRUE:
		return sarfs_buf_add(o->b, "true", 4);
	case T_FALSE:
		return sarfs_buf_add(o->b, "false", 5);
	case T_INT:
		return sarfs_buf_add(o->b, o->f->s + t->off, t->len);
	case T_REAL:
		return sarfs_json_format_real(t->d, o->b);
	case T_STR:
		return put_string(o, t);
	case T_ARR:
		*next = t->end;
		if (!t->n)
			return sarfs_buf_add(o->b, "[]", 2);
		rc = sarfs_buf_addc(o->b, '[');
		for (i = 0, c = ti + 1; i < t->n && !rc; i++) {
			rc = newline(o, level + 1);
			rc = rc ? rc : put(o, c, level + 1, &c);
			if (!rc && i + 1 < t->n)
				rc = sarfs_buf_addc(o->b, ',');
		}
		rc = rc ? rc : newline(o, level);
		return rc ? rc : sarfs_buf_addc(o->b, ']');
	default: {
		struct member *m;
		size_t nm = t->n / 2;

		*next = t->end;
		if (!nm)
			return sarfs_buf_add(o->b, "{}", 2);
		m = malloc(nm * sizeof(*m));
		if (!m)
			return -ENOMEM;
		for (k = 0, c = ti + 1; k < nm; k++) {
			const struct tok *key = &o->f->t[c];
			const struct tok *v = &o->f->t[c + 1];

			m[k].key = o->f->s + key->off;
			m[k].len = key->len;
			m[k].value = c + 1;
			c = v->type == T_ARR || v->type == T_OBJ ? v->end : c + 2;
		}
		qsort(m, nm, sizeof(*m), cmp_member);
		for (k = 1; k < nm; k++)
			if (cmp_member(&m[k - 1], &m[k]) == 0) {
				free(m);
				return 1;	/* a key twice: jansson keeps the last */
			}
		rc = sarfs_buf_addc(o->b, '{');
		for (k = 0; k < nm && !rc; k++) {
			struct tok key = { T_STR, 0, (uint32_t)(m[k].key - o->f->s), m[k].len, 0, 0, 0, 0 };
			size_t dummy;

			rc = newline(o, level + 1);
			rc = rc ? rc : put_string(o, &key);
			rc = rc ? rc : sarfs_buf_add(o->b, ": ", 2);
			rc = rc ? rc : put(o, m[k].value, level + 1, &dummy);
			if (!rc && k + 1 < nm)
				rc = sarfs_buf_addc(o->b, ',');
		}
		free(m);
		rc = rc ? rc : newline(o, level);
		return rc ? rc : sarfs_buf_addc(o->b, '}');
	}
	}
}

/* The top-level members named in keys (strings and integers), as a new
 * jansson object: enough for the caller to name and date the record. */
static json_t *summary(const struct fast *f, const char *const *keys)
{
	json_t *o = json_object();
	const struct tok *top = &f->t[0];
	size_t c, k;

	if (!o || top->type != T_OBJ || !keys)
		return o;
	for (c = 1; c < top->end;) {
		const struct tok *key = &f->t[c], *v = &f->t[c + 1];

		for (k = 0; keys[k]; k++) {
			json_t *x = NULL;

			if (strlen(keys[k]) != key->len || memcmp(keys[k], f->s + key->off, key->len))
				continue;
			if (v->type == T_INT)
				x = json_integer(v->i);
			else if (v->type == T_STR && !v->esc)
				x = json_stringn((const char *)f->s + v->off, v->len);
			else if (v->type == T_STR)
				x = json_loadb((const char *)f->s + v->off - 1, v->len + 2,
					       JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
			if (x)
				json_object_set_new(o, keys[k], x);
			break;
		}
		c = v->type == T_ARR || v->type == T_OBJ ? v->end : c + 2;
	}
	return o;
}

int sarfs_json_render_text(const char *text, size_t n, struct sarfs_buf *out, size_t limit,
			   const char *const *keys, json_t **value)
{
	struct fast f = { (const unsigned char *)text, n, 0, NULL, 0, 0 };
	struct out o = { out, 0, &f };
	size_t start = out->len, next;
	int rc;

	if (n > UINT32_MAX)
		return 1;
	rc = scan(&f);
	if (rc) {
		free(f.t);
		return rc;
	}
	o.limit = start + limit > start ? start + limit : SIZE_MAX;
	rc = put(&o, 0, 0, &next);
	if (!rc && out->len - start > limit)
		rc = -EFBIG;
	if (!rc)
		rc = sarfs_buf_addc(out, '\n');
	if (!rc && value) {
		*value = summary(&f, keys);
		if (!*value)
			rc = -ENOMEM;
	}
	if (rc) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
	}
	free(f.t);
	return rc;
}
