/*
 * common.c - the checks the fuzz targets share (fuzz.h).
 */
#include "fuzz.h"

#include "sarfs/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
	fflush(stderr);
	abort();
}

uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
	uint64_t h = 0xcbf29ce484222325u;
	size_t i;

	for (i = 0; i < size; i++) {
		h ^= data[i];
		h *= 0x100000001b3u;
	}
	return h;
}

/* Table 3-7 of the Unicode standard, row by row: the lead byte gives the
 * range of the second byte; the others are 80..BF. */
int fuzz_utf8_valid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, len, k;
	unsigned char lo, hi;

	while (i < n) {
		unsigned char c = s[i];

		lo = 0x80;
		hi = 0xBF;
		if (c <= 0x7F) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			len = 2;
		} else if (c == 0xE0) {
			len = 3;
			lo = 0xA0;
		} else if (c == 0xED) {
			len = 3;
			hi = 0x9F;
		} else if (c >= 0xE1 && c <= 0xEF) {
			len = 3;
		} else if (c == 0xF0) {
			len = 4;
			lo = 0x90;
		} else if (c == 0xF4) {
			len = 4;
			hi = 0x8F;
		} else if (c >= 0xF1 && c <= 0xF3) {
			len = 4;
		} else {
			return 0;
		}
		if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
			return 0;
		for (k = 2; k < len; k++)
			if (s[i + k] < 0x80 || s[i + k] > 0xBF)
				return 0;
		i += len;
	}
	return 1;
}

void fuzz_check_utf8_value(json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		FUZZ_CHECK(fuzz_utf8_valid(json_string_value(v), json_string_length(v)),
			   "a string of a record is not UTF-8");
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, x)
			fuzz_check_utf8_value(x);
		break;
	case JSON_OBJECT:
		json_object_foreach(v, key, x) {
			FUZZ_CHECK(fuzz_utf8_valid(key, strlen(key)), "a key of a record is not UTF-8");
			fuzz_check_utf8_value(x);
		}
		break;
	default:
		break;
	}
}

void fuzz_check_rendered(const char *text, size_t n, json_t *v)
{
	json_t *back;
	size_t i;

	FUZZ_CHECK(n > 0 && text[n - 1] == '\n', "a rendered record does not end its line");
	FUZZ_CHECK(fuzz_utf8_valid(text, n), "a rendered record is not UTF-8");
	for (i = 0; i < n; i++)
		FUZZ_CHECK((unsigned char)text[i] >= 0x20 || text[i] == '\n',
			   "a rendered record holds a control byte");
	if (!v)
		return;
	back = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	FUZZ_CHECK(back, "a rendered record is not JSON");
	FUZZ_CHECK(json_equal(back, v), "a rendered record reads back as another value");
	json_decref(back);
}

void fuzz_render_record(json_t *v, size_t bytes, int read_back, struct sarfs_buf *out)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	int rc;

	/* the budget build.c gives a record (split_render) */
	rc = sarfs_json_render_max(v, &b, 16 * bytes + 65536);
	FUZZ_CHECK(rc == 0 || rc == -EFBIG, "rendering failed");
	if (rc == 0) {
		fuzz_check_rendered(b.data, b.len, read_back ? v : NULL);
		FUZZ_CHECK(sarfs_buf_add(out, b.data, b.len) == 0, "out of memory");
	} else {
		FUZZ_CHECK(sarfs_buf_adds(out, "EFBIG\n") == 0, "out of memory");
	}
	sarfs_buf_destroy(&b);
}

void fuzz_diag_text(struct sarfs_diag *d, struct sarfs_buf *out)
{
	size_t i;

	sarfs_diag_sort(d);
	for (i = 0; i < d->n; i++) {
		char *s = sarfs_diag_format(&d->msg[i]);

		FUZZ_CHECK(s, "out of memory");
		/* messages are printable (diag.h): no terminal escapes */
		FUZZ_CHECK(fuzz_utf8_valid(s, strlen(s)), "a message is not UTF-8");
		sarfs_buf_printf(out, "%s\n", s);
		free(s);
	}
	sarfs_buf_printf(out, "dropped %zu %zu %zu\n", d->dropped[0], d->dropped[1],
			 d->dropped[2]);
}

/* Up to 400 bytes of p from about 200 before offset at. */
static void show(const char *label, const char *p, size_t n, size_t at)
{
	size_t from = at > 200 ? at - 200 : 0;

	fprintf(stderr, "--- %s, from byte %zu:\n%.*s\n", label, from,
		(int)(n - from < 400 ? n - from : 400), p ? p + from : "");
}

void fuzz_check_bytes(const void *a, size_t an, const void *b, size_t bn, const char *what)
{
	const char *x = a, *y = b;
	size_t i = 0;

	if (an == bn && (an == 0 || memcmp(x, y, an) == 0))
		return;
	while (i < an && i < bn && x[i] == y[i])
		i++;
	fprintf(stderr, "%s differ at byte %zu\n", what, i);
	show("first", x, an, i);
	show("second", y, bn, i);
	fuzz_fail(__FILE__, __LINE__, what);
}

void fuzz_check_same(const struct sarfs_buf *a, const struct sarfs_buf *b, const char *what)
{
	fuzz_check_bytes(a->data, a->len, b->data, b->len, what);
}
