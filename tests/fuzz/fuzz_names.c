/*
 * fuzz_names.c - the name rules (names.h, DESIGN invariant 5).
 *
 * The input is a raw name (or path). Everything names.c makes from it is
 * checked against names.h with code written here, not taken from names.c:
 *   - a name is 1..255 bytes of valid UTF-8 without '/', NUL, controls or
 *     bidi overrides, not "." or "..", and sarfs_name_is_safe() says so;
 *   - it is exactly the reference escaping below when that fits, and it
 *     reads back to the raw bytes (the mapping is one-to-one); a longer one
 *     is a head of that escaping, '~', the first 8 hex digits of the raw
 *     bytes' SHA-256 and the escaping's extension;
 *   - paths, clash suffixes, Latin-1 repair, the UTF-8 helpers, printable
 *     forms and base names keep their contracts.
 */
#include "fuzz.h"

#include "sarfs/hash.h"
#include "sarfs/names.h"

#include <stdlib.h>
#include <string.h>

/* The code point of the valid sequence of len bytes at s. */
static uint32_t decode(const unsigned char *s, size_t len)
{
	static const unsigned char lead_mask[5] = { 0, 0x7F, 0x1F, 0x0F, 0x07 };
	uint32_t cp = s[0] & lead_mask[len];
	size_t i;

	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3F);
	return cp;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t seq_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] < 0xE0 ? 2 : s[0] < 0xF0 ? 3 : 4;

	return len <= n && fuzz_utf8_valid((const char *)s, len) ? len : 0;
}

static int escaped_cp(uint32_t cp, int keep_slash)
{
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) ||
	       (cp == '/' && !keep_slash) || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

static int hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

static int hexval(unsigned char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* names.h's escaping, without the length limit. */
static void ref_escape(struct sarfs_buf *out, const unsigned char *s, size_t n)
{
	size_t i = 0, k, j;

	if (n == 0 || (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) {
		sarfs_buf_adds(out, n == 0 ? "%00" : n == 1 ? "%2E" : "%2E%2E");
		return;
	}
	while (i < n) {
		k = seq_len(s + i, n - i);
		if (!k || escaped_cp(decode(s + i, k), 0)) {
			for (j = 0; j < (k ? k : 1); j++)
				sarfs_buf_printf(out, "%%%02X", s[i + j]);
			i += k ? k : 1;
		} else if (s[i] == '%' && i + 2 < n && hex(s[i + 1]) && hex(s[i + 2])) {
			sarfs_buf_adds(out, "%25");
			i++;
		} else {
			sarfs_buf_add(out, s + i, k);
			i += k;
		}
	}
}

/* Reads an escaped name back: "%XX" is a byte, any other '%' itself. */
static void unescape(struct sarfs_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && hex((unsigned char)s[i + 1]) &&
		    hex((unsigned char)s[i + 2])) {
			sarfs_buf_addc(out, (char)(hexval((unsigned char)s[i + 1]) * 16 +
						   hexval((unsigned char)s[i + 2])));
			i += 2;
		} else {
			sarfs_buf_addc(out, s[i]);
		}
	}
}

/* What a served name must be (names.h), checked byte by byte. */
static void check_safe(const char *name, size_t n)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, k;

	FUZZ_CHECK(n >= 1 && n <= SARFS_NAME_MAX, "a name of 0 or more than 255 bytes");
	FUZZ_CHECK(!(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.'),
		   "a name that is . or ..");
	FUZZ_CHECK(fuzz_utf8_valid(name, n), "a name that is not UTF-8");
	while (i < n) {
		k = seq_len(s + i, n - i);
		FUZZ_CHECK(!escaped_cp(decode(s + i, k), 0), "a name with a character to escape");
		i += k;
	}
	FUZZ_CHECK(sarfs_name_is_safe(name, n), "sarfs_name_is_safe() refuses a made name");
}

/* The extension a shortened name keeps: from the last '.' that is not the
 * first byte, if that is within the last 16 bytes. */
static size_t ref_ext(const char *s, size_t n)
{
	size_t i;

	for (i = n; i > 1 && n - (i - 1) <= 16; i--)
		if (s[i - 1] == '.')
			return n - (i - 1);
	return 0;
}

/* A sanitized name of raw within max bytes, as names.h describes it. */
static void check_name(const char *name, size_t n, const unsigned char *raw, size_t rn,
		       size_t max)
{
	struct sarfs_buf ref = SARFS_BUF_INIT, back = SARFS_BUF_INIT;
	uint8_t digest[SARFS_SHA256_LEN];
	char hexd[SARFS_SHA256_HEX];
	size_t ext = 0, head;

	ref_escape(&ref, raw, rn);
	if (ref.len <= max) {
		fuzz_check_bytes(name, n, ref.data, ref.len, "the name and the reference escaping");
		if (rn) {
			unescape(&back, name, n);
			fuzz_check_bytes(back.data, back.len, raw, rn,
					 "the raw bytes and the name read back");
		}
	} else {
		/* head ~ 8 hex digits extension: the extension is the escaping's
		 * last dot and what follows, if at most 16 bytes */
		FUZZ_CHECK(n <= max, "a shortened name is too long");
		FUZZ_CHECK(sarfs_sha256(raw, rn, digest) == 0, "out of memory");
		sarfs_hex(digest, 4, hexd);
		ext = ref_ext(ref.data, ref.len);
		FUZZ_CHECK(n >= ext && memcmp(name + n - ext, ref.data + ref.len - ext, ext) == 0,
			   "a shortened name lost its extension");
		FUZZ_CHECK(n >= 9 + ext, "a shortened name without its digest");
		head = n - 9 - ext;
		FUZZ_CHECK(name[head] == '~' && memcmp(name + head + 1, hexd, 8) == 0,
			   "a shortened name without '~' and the digest");
		FUZZ_CHECK(memcmp(name, ref.data, head) == 0, "a shortened name's head differs");
		/* the head is cut where nothing is split: neither a character
		 * nor an escape, so it is not much shorter than it could be */
		FUZZ_CHECK(head + 9 + ext + 6 > max, "a shortened name cut much shorter than needed");
	}
	sarfs_buf_destroy(&ref);
	sarfs_buf_destroy(&back);
}

static void check_sanitize(const unsigned char *raw, size_t n, uint64_t h)
{
	static const char *const exts[] = { ".json", ".txt", "", ".x", ".0123456789abcdef0123456789abcde" };
	const char *ext = exts[h % 5];
	struct sarfs_buf a = SARFS_BUF_INIT, b = SARFS_BUF_INIT, s = SARFS_BUF_INIT;
	size_t e = strlen(ext);
	unsigned long k;

	FUZZ_CHECK(sarfs_name_sanitize(&a, (const char *)raw, n) == 0, "sanitize failed");
	check_safe(a.data, a.len);
	check_name(a.data, a.len, raw, n, SARFS_NAME_MAX);

	/* appending leaves what the buffer held */
	sarfs_buf_adds(&b, "x/");
	FUZZ_CHECK(sarfs_name_sanitize_ext(&b, (const char *)raw, n, ext) == 0, "sanitize_ext failed");
	FUZZ_CHECK(memcmp(b.data, "x/", 2) == 0, "sanitize_ext changed the buffer's contents");
	check_safe(b.data + 2, b.len - 2);
	FUZZ_CHECK(b.len - 2 >= e && memcmp(b.data + b.len - e, ext, e) == 0,
		   "sanitize_ext lost the extension");
	check_name(b.data + 2, b.len - 2 - e, raw, n, SARFS_NAME_MAX - e);

	/* a clash suffix keeps a safe name safe */
	k = 2 + (unsigned long)(h >> 8) % (h & 0x100 ? 20u : ~0ul - 2);
	FUZZ_CHECK(sarfs_name_suffixed(&s, a.data, a.len, k) == 0, "suffixed failed");
	check_safe(s.data, s.len);
	FUZZ_CHECK(strchr(s.data, '~'), "a suffixed name without '~'");
	sarfs_buf_destroy(&a);
	sarfs_buf_destroy(&b);
	sarfs_buf_destroy(&s);
}

static void check_path(const unsigned char *raw, size_t n)
{
	struct sarfs_buf p = SARFS_BUF_INIT, want = SARFS_BUF_INIT, one = SARFS_BUF_INIT;
	unsigned flags = 0, wflags = 0;
	size_t i = 0, j;

	FUZZ_CHECK(sarfs_path_sanitize(&p, (const char *)raw, n, &flags) == 0, "path failed");
	if (n && raw[0] == '/')
		wflags |= SARFS_PATH_ABSOLUTE | SARFS_PATH_ALTERED;
	while (i < n) {
		for (j = i; j < n && raw[j] != '/'; j++)
			;
		if (j > i && !(j - i == 1 && raw[i] == '.')) {
			if (j - i == 2 && raw[i] == '.' && raw[i + 1] == '.')
				wflags |= SARFS_PATH_DOTDOT;
			sarfs_buf_reset(&one);
			FUZZ_CHECK(sarfs_name_sanitize(&one, (const char *)raw + i, j - i) == 0,
				   "sanitize failed");
			check_safe(one.data, one.len);
			if (one.len != j - i || memcmp(one.data, raw + i, j - i) != 0)
				wflags |= SARFS_PATH_ALTERED;
			if (want.len)
				sarfs_buf_addc(&want, '/');
			sarfs_buf_add(&want, one.data, one.len);
		}
		i = j + 1;
	}
	fuzz_check_same(&p, &want, "the path and its sanitized components");
	FUZZ_CHECK(flags == wflags, "path flags");
	sarfs_buf_destroy(&p);
	sarfs_buf_destroy(&want);
	sarfs_buf_destroy(&one);
}

static void check_utf8(const unsigned char *raw, size_t n)
{
	struct sarfs_buf l = SARFS_BUF_INIT, r = SARFS_BUF_INIT;
	size_t first = 0, i, k, bad = 0;
	uint32_t cp;

	while (first < n && seq_len(raw + first, n - first))
		first += seq_len(raw + first, n - first);
	FUZZ_CHECK(sarfs_utf8_first_invalid((const char *)raw, n) == first, "utf8_first_invalid");
	FUZZ_CHECK(!sarfs_utf8_valid((const char *)raw, n) == (first < n), "utf8_valid");
	for (i = 0; i < n; i++) {
		k = sarfs_utf8_decode(raw + i, n - i, &cp);
		FUZZ_CHECK(k == seq_len(raw + i, n - i), "utf8_decode length");
		FUZZ_CHECK(!k || cp == decode(raw + i, k), "utf8_decode code point");
	}

	/* Latin-1 repair: valid UTF-8 stays, each other byte becomes its
	 * Latin-1 character */
	FUZZ_CHECK(sarfs_latin1_append(&l, (const char *)raw, n) == 0, "latin1_append failed");
	FUZZ_CHECK(fuzz_utf8_valid(l.data ? l.data : "", l.len), "Latin-1 repair is not UTF-8");
	for (i = 0; i < n; i += k ? k : 1) {
		k = seq_len(raw + i, n - i);
		bad += !k;
	}
	FUZZ_CHECK(l.len == n + bad, "Latin-1 repair's length");
	if (!bad)
		FUZZ_CHECK(n == 0 || memcmp(l.data, raw, n) == 0, "Latin-1 repair changed UTF-8");
	sarfs_buf_add(&r, raw, n);
	FUZZ_CHECK(sarfs_latin1_repair(&r) == 0, "latin1_repair failed");
	fuzz_check_same(&l, &r, "latin1_append and latin1_repair");
	FUZZ_CHECK(n == 0 || r.data[r.len] == '\0', "latin1_repair's result is not terminated");
	sarfs_buf_destroy(&l);
	sarfs_buf_destroy(&r);
}

/* Printable forms: UTF-8 without controls or bidi overrides. */
static void check_printable(const char *s, int keep_percent, const unsigned char *raw, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	struct sarfs_buf back = SARFS_BUF_INIT;
	size_t i = 0, k, len = strlen(s);

	FUZZ_CHECK(fuzz_utf8_valid(s, len), "a printable form is not UTF-8");
	while (i < len) {
		k = seq_len(p + i, len - i);
		FUZZ_CHECK(!escaped_cp(decode(p + i, k), 1), "a printable form with a control");
		i += k;
	}
	if (!keep_percent) {
		/* a path's printable form reads back as the path */
		unescape(&back, s, len);
		fuzz_check_bytes(back.data, back.len, raw, n,
				 "a path read back from its printable form");
	}
	sarfs_buf_destroy(&back);
}

static void check_base(const unsigned char *raw, size_t n)
{
	/* not strndup: raw has no NUL after its n bytes, and ASan's
	 * strict_string_checks (tools/test.sh) reads strndup's source as a
	 * string */
	char *path = malloc(n + 1), *base;
	size_t len, end, start;

	FUZZ_CHECK(path, "out of memory");
	memcpy(path, raw, n);
	path[n] = '\0';
	base = sarfs_path_base(path);
	FUZZ_CHECK(base, "path_base failed");
	len = strlen(path);
	for (end = len; end > 0 && path[end - 1] == '/'; end--)
		;
	for (start = end; start > 0 && path[start - 1] != '/'; start--)
		;
	if (len && end == 0)
		FUZZ_CHECK(strcmp(base, "/") == 0, "the base of \"/\" is \"/\"");
	else
		FUZZ_CHECK(strlen(base) == end - start && memcmp(base, path + start, end - start) == 0,
			   "path_base is not the last part");
	free(base);
	free(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t h = fuzz_hash(data, size);
	char *s;

	check_sanitize(data, size, h);
	check_path(data, size);
	check_utf8(data, size);
	s = sarfs_name_printable((const char *)data, size);
	FUZZ_CHECK(s, "name_printable failed");
	check_printable(s, 0, data, size);
	free(s);
	s = sarfs_text_printable((const char *)data, size);
	FUZZ_CHECK(s, "text_printable failed");
	check_printable(s, 1, data, size);
	free(s);
	check_base(data, size);
	return 0;
}
