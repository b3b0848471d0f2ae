/*
 * test_jsonfast.c - the fast renderer must give exactly jansson's bytes.
 *
 * For every input: if jansson refuses it, the fast path must decline (it
 * must never accept what jansson would report); if the fast path accepts
 * it, its output must equal sarfs_json_render() of jansson's parse, byte
 * for byte. Fixed cases cover each construct; random documents (a fixed
 * seed) and random corruptions of them cover the combinations.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarfs/json.h"

static unsigned long accepted, declined;

/* Returns 1 if the fast path accepted. */
static int check(const char *text, size_t n)
{
	struct sarfs_buf a = SARFS_BUF_INIT, b = SARFS_BUF_INIT;
	json_t *v = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	int rc = sarfs_json_render_text(text, n, &b, SIZE_MAX, NULL, NULL);

	if (!v) {
		if (rc != 1)
			fprintf(stderr, "accepted what jansson refuses: [%.*s]\n", (int)n, text);
		assert_int_equal(rc, 1);
		declined++;
		sarfs_buf_destroy(&b);
		return 0;
	}
	assert_true(rc == 0 || rc == 1);
	if (rc == 0) {
		assert_int_equal(sarfs_json_render(v, &a), 0);
		if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
			fprintf(stderr, "differs for [%.*s]:\njansson: [%s]\nfast:    [%s]\n", (int)n,
				text, a.data, b.data);
		assert_int_equal(a.len, b.len);
		assert_memory_equal(a.data, b.data, a.len);
		accepted++;
	} else {
		declined++;
	}
	json_decref(v);
	sarfs_buf_destroy(&a);
	sarfs_buf_destroy(&b);
	return rc == 0;
}

#define FAST(lit) assert_true(check(lit, sizeof(lit) - 1))
#define ANY(lit) check(lit, sizeof(lit) - 1)

static void common_shapes_are_fast(void **state)
{
	(void)state;
	FAST("{\"id\": 1, \"text\": \"hello\", \"score\": 0.1, \"ok\": true, \"n\": null}");
	FAST("[1, 2, [3, [4, {}]], [], {\"a\": []}]");
	FAST("  {\"b\": {\"z\": 1, \"a\": 2}, \"a\": \"x\"}\r\n");
	FAST("\"caf\xc3\xa9 \\u00e9 \\\"q\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0001 \\u007f \xf0\x9f\x99\x8f\"");
	FAST("\"\\ud83d\\ude4f surrogate pair\"");
	FAST("[-1, 0, 9223372036854775807, -9223372036854775808, 1e300, -2.5E-3, 100.0, 1E2]");
	FAST("{\"k\": \"a\\u0000b\"}");
	FAST("\"raw \x7f del\"");
	FAST("{\"\xc3\xa9t\xc3\xa9\": 1, \"ete\": 2, \"\": 3}");
	FAST("true");
	FAST("12");
	FAST("{\"a\":{\"b\":{\"c\":[[[]]]}}}");
}

static void everything_else_declines(void **state)
{
	(void)state;
	/* valid, but left to jansson: the fast path would differ */
	assert_false(ANY("{\"a\": 1, \"a\": 2}"));			/* duplicate key */
	assert_false(ANY("{\"a\\u00e9\": 1}"));			/* escape in a key */
	assert_false(ANY("[12345678901234567890123]"));		/* beyond 64 bits */
	assert_false(ANY("[-0]"));
	/* invalid: jansson refuses, the fast path must too */
	ANY("{\"a\": }");
	ANY("{\"a\" 1}");
	ANY("[1, 2,]");
	ANY("[1 2]");
	ANY("{,}");
	ANY("[01]");
	ANY("[1.]");
	ANY("[.5]");
	ANY("[1e]");
	ANY("[+1]");
	ANY("\"unterminated");
	ANY("\"tab\tinside\"");
	ANY("\"bad \\x escape\"");
	ANY("\"\\ud83d alone\"");
	ANY("\"\\ude4f alone\"");
	ANY("\"caf\xe9\"");
	ANY("[1] x");
	ANY("");
	ANY("   ");
	ANY("[1e999]");
	ANY("tru");
	ANY("nul");
	ANY("{\"a\":1}}");
	ANY("[[]");
}

/* ---- random documents --------------------------------------------------- */

static unsigned long long seed = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (unsigned)(seed % n);
}

static void ws(struct sarfs_buf *b)
{
	static const char *const w[] = { "", "", " ", "\n", "\t", "\r\n  " };

	sarfs_buf_adds(b, w[rnd(6)]);
}

static void gen_string(struct sarfs_buf *b, int key)
{
	static const char *const parts[] = {
		"a", "Z", "id", " ", "caf\xc3\xa9", "\xe6\x97\xa5", "\xf0\x9f\x99\x8f", "\\n",
		"\\\"", "\\\\", "\\/", "\\u00e9", "\\u0001", "\\ud83d\\ude4f", "\\t", "x y",
	};
	unsigned n = rnd(6), i;

	sarfs_buf_addc(b, '"');
	for (i = 0; i < n; i++)
		sarfs_buf_adds(b, parts[rnd(key ? 7 : 16)]);
	sarfs_buf_addc(b, '"');
}

static void gen(struct sarfs_buf *b, int depth)
{
	static const char *const nums[] = {
		"0", "-1", "42", "3.14159", "0.1", "-2.5e-3", "1E10", "123456789012", "1.0",
		"9007199254740993", "6.02214076e23", "-0.0",
	};
	unsigned k = rnd(depth > 4 ? 5 : 8), i, n;

	ws(b);
	switch (k) {
	case 0:
		sarfs_buf_adds(b, nums[rnd(12)]);
		break;
	case 1:
		sarfs_buf_adds(b, rnd(2) ? "true" : rnd(2) ? "false" : "null");
		break;
	case 2:
	case 3:
	case 4:
		gen_string(b, 0);
		break;
	case 5:
		n = rnd(5);
		sarfs_buf_addc(b, '[');
		for (i = 0; i < n; i++) {
			if (i)
				sarfs_buf_addc(b, ',');
			gen(b, depth + 1);
		}
		ws(b);
		sarfs_buf_addc(b, ']');
		break;
	default:
		n = rnd(5);
		sarfs_buf_addc(b, '{');
		for (i = 0; i < n; i++) {
			if (i)
				sarfs_buf_addc(b, ',');
			ws(b);
			gen_string(b, 1);
			ws(b);
			sarfs_buf_addc(b, ':');
			gen(b, depth + 1);
		}
		ws(b);
		sarfs_buf_addc(b, '}');
		break;
	}
	ws(b);
}

static void random_documents_agree(void **state)
{
	int i;

	(void)state;
	accepted = declined = 0;
	for (i = 0; i < 20000; i++) {
		struct sarfs_buf b = SARFS_BUF_INIT;

		gen(&b, 0);
		check(b.data, b.len);
		sarfs_buf_destroy(&b);
	}
	/* the point of the fast path: most documents take it */
	assert_true(accepted > 15000);
}

static void random_corruptions_agree(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		struct sarfs_buf b = SARFS_BUF_INIT;
		static const char junk[] = "{}[],:\"\\ 0e.-aZ\x01\xe9\xc3";

		gen(&b, 0);
		if (b.len) {
			switch (rnd(3)) {
			case 0:
				b.data[rnd((unsigned)b.len)] = junk[rnd(sizeof(junk) - 1)];
				break;
			case 1:
				b.len = rnd((unsigned)b.len);
				break;
			default:
				b.data[rnd((unsigned)b.len)] = (char)rnd(256);
				break;
			}
		}
		check(b.data ? b.data : "", b.len);
		sarfs_buf_destroy(&b);
	}
}

static void summary_fields(void **state)
{
	static const char *const keys[] = { "id", "time", "missing", NULL };
	static const char text[] = "{\"time\": \"2015-01-01T00:00:00Z\", \"id\": 7, \"x\": {\"id\": 9}}";
	struct sarfs_buf b = SARFS_BUF_INIT;
	json_t *v = NULL;

	(void)state;
	assert_int_equal(sarfs_json_render_text(text, sizeof(text) - 1, &b, SIZE_MAX, keys, &v), 0);
	assert_int_equal(json_object_size(v), 2);
	assert_int_equal(json_integer_value(json_object_get(v, "id")), 7);
	assert_string_equal(json_string_value(json_object_get(v, "time")), "2015-01-01T00:00:00Z");
	json_decref(v);
	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_json_render_text(text, sizeof(text) - 1, &b, 10, keys, NULL), -EFBIG);
	assert_int_equal(b.len, 0);
	sarfs_buf_destroy(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(common_shapes_are_fast),
		cmocka_unit_test(everything_else_declines),
		cmocka_unit_test(random_documents_agree),
		cmocka_unit_test(random_corruptions_agree),
		cmocka_unit_test(summary_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
