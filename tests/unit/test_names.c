/*
 * test_names.c - the name rules (DESIGN invariant 5), byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "sarfs/names.h"

static char out_buf[1024];

static const char *san(const char *raw, size_t n)
{
	struct sarfs_buf b = SARFS_BUF_INIT;

	assert_int_equal(sarfs_name_sanitize(&b, raw, n), 0);
	assert_true(b.len < sizeof(out_buf));
	memcpy(out_buf, b.data, b.len + 1);
	sarfs_buf_destroy(&b);
	return out_buf;
}

#define SAN(lit) san(lit, sizeof(lit) - 1)

static void plain_names_unchanged(void **state)
{
	(void)state;
	assert_string_equal(SAN("hello.txt"), "hello.txt");
	assert_string_equal(SAN("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.json"),
			    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.json");
	assert_string_equal(SAN("100% done"), "100% done");
	assert_string_equal(SAN("a%4"), "a%4");
	assert_string_equal(SAN(".bashrc"), ".bashrc");
}

static void dangerous_bytes_escaped(void **state)
{
	(void)state;
	assert_string_equal(SAN("a/b"), "a%2Fb");
	assert_string_equal(SAN("."), "%2E");
	assert_string_equal(SAN(".."), "%2E%2E");
	assert_string_equal(san("", 0), "%00");
	assert_string_equal(san("a\0b", 3), "a%00b");
	assert_string_equal(SAN("\x1b[31mred"), "%1B[31mred");
	assert_string_equal(SAN("tab\there"), "tab%09here");
	assert_string_equal(SAN("del\x7f"), "del%7F");
	/* C1 control U+0085 (NEL) is C2 85 */
	assert_string_equal(SAN("x\xc2\x85y"), "x%C2%85y");
	/* right-to-left override U+202E: "txt.exe" would display reversed */
	assert_string_equal(SAN("a\xe2\x80\xaetxt.exe"), "a%E2%80%AEtxt.exe");
}

static void percent_escapes_stay_one_to_one(void **state)
{
	(void)state;
	/* a literal "%41" must not read as the escape of 'A' */
	assert_string_equal(SAN("%41"), "%2541");
	assert_string_equal(SAN("50%ff"), "50%25ff");
}

static void invalid_utf8_escaped(void **state)
{
	(void)state;
	assert_string_equal(SAN("bad\xff.txt"), "bad%FF.txt");
	assert_string_equal(SAN("\xc0\xaf"), "%C0%AF");		/* overlong '/' */
	assert_string_equal(SAN("\xed\xa0\x80"), "%ED%A0%80");	/* surrogate */
	assert_string_equal(SAN("\xf4\x90\x80\x80"), "%F4%90%80%80");	/* > U+10FFFF */
	assert_string_equal(SAN("cut\xe2\x80"), "cut%E2%80");	/* truncated */
	assert_string_equal(SAN("caf\xe9"), "caf%E9");		/* Latin-1 */
}

static void long_names_shortened(void **state)
{
	char raw[306];
	const char *s;

	(void)state;
	memset(raw, 'a', 300);
	memcpy(raw + 300, ".json", 5);
	s = san(raw, 305);
	assert_int_equal(strlen(s), 255);
	/* head, "~", the first 8 hex digits of SHA-256(raw), the extension */
	assert_memory_equal(s + 255 - 14, "~07bc9bd6.json", 14);
	assert_memory_equal(s, raw, 241);

	/* 200 x U+00E9: the cut must not split a character */
	{
		char e[400];
		size_t i;

		for (i = 0; i < 200; i++) {
			e[2 * i] = (char)0xc3;
			e[2 * i + 1] = (char)0xa9;
		}
		s = san(e, sizeof(e));
		assert_true(strlen(s) <= 255);
		assert_true(sarfs_utf8_valid(s, strlen(s)));
		assert_string_equal(s + strlen(s) - 9, "~df20b2aa");
	}
}

static void long_escaped_names_not_cut_inside_escape(void **state)
{
	char raw[200];
	const char *s;
	size_t n, i;

	(void)state;
	memset(raw, '\x01', sizeof(raw));	/* each byte becomes "%01" */
	s = san(raw, sizeof(raw));
	n = strlen(s);
	assert_true(n <= 255);
	/* the head is whole escapes only: a multiple of 3 before the '~' */
	assert_int_equal((n - 9) % 3, 0);
	for (i = 0; i + 9 < n; i += 3)
		assert_memory_equal(s + i, "%01", 3);
}

static void paths(void **state)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	unsigned f = 99;

	(void)state;
	assert_int_equal(sarfs_path_sanitize(&b, "../../etc/passwd", 16, &f), 0);
	assert_string_equal(b.data, "%2E%2E/%2E%2E/etc/passwd");
	assert_int_equal(f, SARFS_PATH_DOTDOT | SARFS_PATH_ALTERED);

	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_path_sanitize(&b, "/etc/x", 6, &f), 0);
	assert_string_equal(b.data, "etc/x");
	assert_int_equal(f, SARFS_PATH_ABSOLUTE | SARFS_PATH_ALTERED);

	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_path_sanitize(&b, "./a//b/", 7, &f), 0);
	assert_string_equal(b.data, "a/b");
	assert_int_equal(f, 0);

	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_path_sanitize(&b, "d/bad\xff", 6, &f), 0);
	assert_string_equal(b.data, "d/bad%FF");
	assert_int_equal(f, SARFS_PATH_ALTERED);

	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_path_sanitize(&b, "/./", 3, &f), 0);
	assert_int_equal(b.len, 0);
	sarfs_buf_destroy(&b);
}

static void suffixes(void **state)
{
	struct sarfs_buf b = SARFS_BUF_INIT;
	char longname[256];

	(void)state;
	assert_int_equal(sarfs_name_suffixed(&b, "a.json", 6, 2), 0);
	assert_string_equal(b.data, "a~2.json");
	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_name_suffixed(&b, "README", 6, 13), 0);
	assert_string_equal(b.data, "README~13");
	sarfs_buf_reset(&b);
	memset(longname, 'x', 250);
	memcpy(longname + 250, ".json", 5);
	assert_int_equal(sarfs_name_suffixed(&b, longname, 255, 7), 0);
	assert_int_equal(b.len, 255);
	assert_string_equal(b.data + 248, "~7.json");
	sarfs_buf_destroy(&b);
}

static void printable_keeps_slashes(void **state)
{
	char *s = sarfs_name_printable("a/b\n\xff", 5);

	(void)state;
	assert_string_equal(s, "a/b%0A%FF");
	free(s);
}

static void text_keeps_percent(void **state)
{
	static const char t[] = "shown as raw/%2E%2E\x1b[2J";
	char *s = sarfs_text_printable(t, sizeof(t) - 1);

	(void)state;
	assert_string_equal(s, "shown as raw/%2E%2E%1B[2J");
	free(s);
}

static void utf8_decoder(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"\xe0\x80\x80", 3, &cp), 0);
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
	assert_int_equal(sarfs_utf8_decode((const unsigned char *)"\xc3", 1, &cp), 0);
	assert_true(sarfs_utf8_valid("caf\xc3\xa9", 5));
	assert_false(sarfs_utf8_valid("caf\xe9", 4));
}

static void path_base(void **state)
{
	static const char *const cases[][2] = {
		{ "/home/me/export.zip", "export.zip" }, { "export.zip", "export.zip" },
		{ "a/b/", "b" }, { "a//", "a" }, { "", "" },
		/* the root is its own last part (it gave "" before) */
		{ "/", "/" }, { "///", "/" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *b = sarfs_path_base(cases[i][0]);

		assert_non_null(b);
		assert_string_equal(b, cases[i][1]);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_names_unchanged),
		cmocka_unit_test(dangerous_bytes_escaped),
		cmocka_unit_test(percent_escapes_stay_one_to_one),
		cmocka_unit_test(invalid_utf8_escaped),
		cmocka_unit_test(long_names_shortened),
		cmocka_unit_test(long_escaped_names_not_cut_inside_escape),
		cmocka_unit_test(paths),
		cmocka_unit_test(suffixes),
		cmocka_unit_test(printable_keeps_slashes),
		cmocka_unit_test(text_keeps_percent),
		cmocka_unit_test(utf8_decoder),
		cmocka_unit_test(path_base),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
