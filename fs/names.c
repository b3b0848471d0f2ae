/*
 * names.c - the name rules of names.h.
 *
 * Everything here is byte arithmetic on purpose: no locale, no libc
 * character classes, so the result cannot depend on the environment.
 */
#include "sarfs/names.h"

#include "sarfs/hash.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t sarfs_utf8_decode(const unsigned char *p, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF) {
		len = 2;
		c = p[0] & 0x1F;
	} else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		len = 3;
		c = p[0] & 0x0F;
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t sarfs_utf8_first_invalid(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		k = sarfs_utf8_decode(s + i, n - i, &cp);
		if (!k)
			return i;
		i += k;
	}
	return n;
}

int sarfs_utf8_valid(const char *p, size_t n)
{
	return sarfs_utf8_first_invalid(p, n) == n;
}

int sarfs_latin1_append(struct sarfs_buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, k;
	uint32_t cp;
	int rc = 0;

	while (i < n && !rc) {
		k = sarfs_utf8_decode(s + i, n - i, &cp);
		if (k) {
			rc = sarfs_buf_add(out, s + i, k);
			i += k;
		} else {
			char u[2] = { (char)(0xC0 | (s[i] >> 6)), (char)(0x80 | (s[i] & 0x3F)) };

			rc = sarfs_buf_add(out, u, 2);
			i++;
		}
	}
	return rc;
}

int sarfs_latin1_repair(struct sarfs_buf *b)
{
	struct sarfs_buf o = SARFS_BUF_INIT;

	if (sarfs_latin1_append(&o, b->data ? b->data : "", b->len) ||
	    sarfs_buf_reserve(&o, 1)) {
		sarfs_buf_destroy(&o);
		return -ENOMEM;
	}
	sarfs_buf_destroy(b);
	*b = o;
	return 0;
}

char *sarfs_path_base(const char *path)
{
	size_t n = strlen(path), s;

	while (n > 1 && path[n - 1] == '/')
		n--;
	/* the root has no last part but itself: "/" (the label of
	 * `sarfs index /`) must not become "" */
	if (n == 1 && path[0] == '/')
		return strdup("/");
	s = n;
	while (s > 0 && path[s - 1] != '/')
		s--;
	return strndup(path + s, n - s);
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static int must_escape(uint32_t cp, int keep_slash)
{
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return 1;
	if (cp == '/' && !keep_slash)
		return 1;
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return 1;
	return 0;
}

int sarfs_name_is_safe(const char *name, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, k;
	uint32_t cp;

	if (n < 1 || n > SARFS_NAME_MAX || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return 0;
	while (i < n) {
		k = sarfs_utf8_decode(s + i, n - i, &cp);
		if (!k || must_escape(cp, 0))
			return 0;
		i += k;
	}
	return 1;
}

static int add_escape(struct sarfs_buf *out, const unsigned char *p, size_t k)
{
	static const char digits[] = "0123456789ABCDEF";
	size_t i;
	int rc = 0;

	for (i = 0; i < k && !rc; i++) {
		char e[3] = { '%', digits[p[i] >> 4], digits[p[i] & 15] };

		rc = sarfs_buf_add(out, e, 3);
	}
	return rc;
}

/* The escaping pass shared by names, printable paths and text. */
#define KEEP_SLASH 1
#define KEEP_PERCENT 2
static int escape(struct sarfs_buf *out, const char *raw, size_t n, int flags)
{
	const unsigned char *s = (const unsigned char *)raw;
	size_t i = 0, k;
	uint32_t cp;
	int rc = 0;

	while (i < n && !rc) {
		k = sarfs_utf8_decode(s + i, n - i, &cp);
		if (!k) {
			rc = add_escape(out, s + i, 1);
			i++;
			continue;
		}
		if (must_escape(cp, flags & KEEP_SLASH))
			rc = add_escape(out, s + i, k);
		else if (cp == '%' && !(flags & KEEP_PERCENT) && i + 2 < n && is_hex(s[i + 1]) &&
			 is_hex(s[i + 2]))
			rc = sarfs_buf_add(out, "%25", 3);
		else
			rc = sarfs_buf_add(out, s + i, k);
		i += k;
	}
	return rc;
}

/* Length of the extension (with its dot) worth keeping when shortening. */
static size_t ext_len(const char *name, size_t n)
{
	size_t i;

	for (i = n; i-- > 1;) {
		if (name[i] == '.')
			return n - i <= 16 ? n - i : 0;
		if (n - i > 16)
			break;
	}
	return 0;
}

/* Largest cut <= want that does not split a UTF-8 sequence or an escape. */
static size_t safe_cut(const char *s, size_t want)
{
	size_t cut = want;

	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	if (cut >= 1 && s[cut - 1] == '%')
		cut -= 1;
	else if (cut >= 2 && s[cut - 2] == '%')
		cut -= 2;
	return cut;
}

static int shorten(struct sarfs_buf *out, size_t start, const char *raw, size_t n, size_t max)
{
	uint8_t digest[SARFS_SHA256_LEN];
	char hex[SARFS_SHA256_HEX];
	char *name = out->data + start;
	size_t len = out->len - start;
	size_t ext = ext_len(name, len);
	size_t keep = safe_cut(name, max - 9 - ext);
	char tail[9 + 16 + 1];
	int rc;

	rc = sarfs_sha256(raw, n, digest);
	if (rc)
		return rc;
	sarfs_hex(digest, 4, hex);
	tail[0] = '~';
	memcpy(tail + 1, hex, 8);
	memcpy(tail + 9, name + len - ext, ext);
	out->len = start + keep;
	return sarfs_buf_add(out, tail, 9 + ext);
}

/* The safe form of raw in at most max bytes (max >= 64). */
static int sanitize_max(struct sarfs_buf *out, const char *raw, size_t n, size_t max)
{
	size_t start = out->len;
	int rc;

	if (n == 0)
		return sarfs_buf_add(out, "%00", 3);
	if (n == 1 && raw[0] == '.')
		return sarfs_buf_add(out, "%2E", 3);
	if (n == 2 && raw[0] == '.' && raw[1] == '.')
		return sarfs_buf_add(out, "%2E%2E", 6);
	rc = escape(out, raw, n, 0);
	if (!rc && out->len - start > max)
		rc = shorten(out, start, raw, n, max);
	if (rc)
		out->len = start;
	return rc;
}

int sarfs_name_sanitize(struct sarfs_buf *out, const char *raw, size_t n)
{
	return sanitize_max(out, raw, n, SARFS_NAME_MAX);
}

int sarfs_name_sanitize_ext(struct sarfs_buf *out, const char *raw, size_t n, const char *ext)
{
	size_t e = strlen(ext);
	int rc;

	if (e > 32)
		return -EINVAL;
	rc = sanitize_max(out, raw, n, SARFS_NAME_MAX - e);
	return rc ? rc : sarfs_buf_add(out, ext, e);
}

int sarfs_path_sanitize(struct sarfs_buf *out, const char *raw, size_t n,
			unsigned *flags)
{
	size_t start = out->len, i = 0, j, before;
	unsigned f = 0;
	int rc = 0;

	if (n && raw[0] == '/')
		f |= SARFS_PATH_ABSOLUTE | SARFS_PATH_ALTERED;
	while (i < n && !rc) {
		j = i;
		while (j < n && raw[j] != '/')
			j++;
		if (j == i || (j - i == 1 && raw[i] == '.')) {
			i = j + 1;
			continue;
		}
		if (j - i == 2 && raw[i] == '.' && raw[i + 1] == '.')
			f |= SARFS_PATH_DOTDOT;
		if (out->len > start)
			rc = sarfs_buf_addc(out, '/');
		before = out->len;
		if (!rc)
			rc = sarfs_name_sanitize(out, raw + i, j - i);
		if (!rc && (out->len - before != j - i ||
			    memcmp(out->data + before, raw + i, j - i) != 0))
			f |= SARFS_PATH_ALTERED;
		i = j + 1;
	}
	if (rc) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return rc;
	}
	if (flags)
		*flags = f;
	return 0;
}

int sarfs_name_suffixed(struct sarfs_buf *out, const char *name, size_t n,
			unsigned long k)
{
	char suffix[32];
	size_t ext = ext_len(name, n), slen, keep;
	int w;

	w = snprintf(suffix, sizeof(suffix), "~%lu", k);
	slen = (size_t)w;
	keep = n - ext;
	if (keep + slen + ext > SARFS_NAME_MAX)
		keep = safe_cut(name, SARFS_NAME_MAX - slen - ext);
	if (sarfs_buf_add(out, name, keep) || sarfs_buf_add(out, suffix, slen) ||
	    sarfs_buf_add(out, name + n - ext, ext))
		return -ENOMEM;
	return 0;
}

char *sarfs_name_printable(const char *s, size_t n)
{
	struct sarfs_buf b = SARFS_BUF_INIT;

	if (escape(&b, s, n, KEEP_SLASH) != 0) {
		sarfs_buf_destroy(&b);
		return NULL;
	}
	return sarfs_buf_detach(&b);
}

char *sarfs_text_printable(const char *s, size_t n)
{
	struct sarfs_buf b = SARFS_BUF_INIT;

	if (escape(&b, s, n, KEEP_SLASH | KEEP_PERCENT) != 0) {
		sarfs_buf_destroy(&b);
		return NULL;
	}
	return sarfs_buf_detach(&b);
}

int sarfs_parse_u64(const char *s, int base, unsigned long long *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}
