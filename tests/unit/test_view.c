/*
 * test_view.c - views: loading and its errors, globs, and the redaction
 * engine (tokens, overlaps, patterns, numbering, streams, records).
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
#include "sarfs/view.h"

static struct sarfs_view *load(const char *text)
{
	struct sarfs_view *v = NULL;
	struct sarfs_diag d;

	sarfs_diag_init(&d);
	if (sarfs_view_parse("t.view", text, strlen(text), &v, &d) != 0)
		sarfs_diag_print(&d, stderr, "test: ");
	sarfs_diag_destroy(&d);
	assert_non_null(v);
	return v;
}

/* The first message of a view that must not load. */
static char msg[1024];

static const char *load_error(const char *text)
{
	struct sarfs_view *v = NULL;
	struct sarfs_diag d;
	char *s;

	sarfs_diag_init(&d);
	assert_int_equal(sarfs_view_parse("t.view", text, strlen(text), &v, &d), -EINVAL);
	assert_null(v);
	assert_true(d.n > 0);
	s = sarfs_diag_format(&d.msg[0]);
	snprintf(msg, sizeof(msg), "%s", s);
	free(s);
	sarfs_diag_destroy(&d);
	return msg;
}

static char out[8192];

static const char *red(struct sarfs_view *v, const char *in)
{
	struct sarfs_buf b = SARFS_BUF_INIT;

	assert_int_equal(sarfs_view_redact(v, in, strlen(in), &b, NULL), 0);
	snprintf(out, sizeof(out), "%s", b.data ? b.data : "");
	sarfs_buf_destroy(&b);
	return out;
}

static struct sarfs_view *prepared(const char *text)
{
	struct sarfs_view *v = load(text);

	assert_int_equal(sarfs_view_prepare(v, NULL), 0);
	return v;
}

static void errors_name_the_place(void **state)
{
	(void)state;
	assert_string_equal(load_error("{\"view\": \"x\",\n \"exclude\": [\"raw/[abc\"]}"),
			    "t.view:2:19: error: /exclude/0: '[' without a closing ']'");
	assert_string_equal(load_error("{\"view\": \"x\", \"include\": [\"a/b**/c\"]}"),
			    "t.view:1:31: error: /include/0: '**' must be a whole folder name, "
			    "as in \"a/**/b\"");
	assert_string_equal(load_error("{\"view\": \"x\", \"redact\": [\n"
				       "  {\"rule\": \"n\", \"regex\": \"Anna (Keller\"}]}"),
			    "t.view:2:39: error: /redact/0/regex: invalid regular expression at "
			    "character 13: missing closing parenthesis");
	assert_string_equal(load_error("{\"view\": \"x\", \"exlude\": []}"),
			    "t.view:1:15: error: /exlude: unknown key (a view has: view, title, "
			    "include, exclude, binary, original_hashes, redact)");
	assert_string_equal(load_error("{\"view\": \"x\", \"redact\": [{\"rule\": \"Bad Name\", "
				       "\"pattern\": \"email\"}]}"),
			    "t.view:1:35: error: /redact/0/rule: every rule needs a \"rule\" name of "
			    "1 to 32 characters a-z, 0-9, '-' and '_' (it is shown in the placeholder)");
	assert_string_equal(load_error("{\"view\": \"x\", \"redact\": [{\"rule\": \"a\", "
				       "\"pattern\": \"phone\"}]}"),
			    "t.view:1:51: error: /redact/0/pattern: unknown pattern (known: email, "
			    "ip, ipv4, ipv6; write other patterns as \"regex\")");
	assert_string_equal(load_error("{\"view\": \"x\", \"redact\": [{\"rule\": \"a\", "
				       "\"regex\": \"x*\"}]}"),
			    "t.view:1:49: error: /redact/0/regex: the regular expression matches the "
			    "empty text: it would redact nothing, everywhere");
	assert_string_equal(load_error("{\"view\": \"x\", \"redact\": [{\"rule\": \"a\", "
				       "\"values\": [\"b\"], \"pattern\": \"ip\"}]}"),
			    "t.view:1:35: error: /redact/0/rule: a rule has exactly one of "
			    "\"fields\", \"values\", \"pattern\" and \"regex\"");
	assert_string_equal(load_error("{\"view\": \"x\",}"),
			    "t.view:1:14: error: string or '}' expected near '}'");
}

static void globs(void **state)
{
	struct sarfs_view *v = load("{\"view\": \"g\", \"include\": [\"raw\", \"posts/**/thread.txt\","
				    " \"README.txt\"], \"exclude\": [\"raw/identity/*.jpg\", \"**/secret\"]}");

	(void)state;
#define SHOWS(p) sarfs_view_shows(v, p, strlen(p))
	assert_true(SHOWS("raw/a.sql"));
	assert_true(SHOWS("raw/identity/typing.csv"));
	assert_false(SHOWS("raw/identity/photo_1.jpg"));
	assert_true(SHOWS("posts/c/1-x/thread.txt"));
	assert_true(SHOWS("posts/thread.txt"));
	assert_false(SHOWS("posts/c/1-x/post-1.txt"));
	assert_true(SHOWS("README.txt"));
	assert_false(SHOWS("MISSING.txt"));
	assert_false(SHOWS("raw/x/secret/y.txt"));
	assert_false(SHOWS("raw/secret"));
#undef SHOWS
	sarfs_view_free(v);
	v = load("{\"view\": \"none\", \"exclude\": [\"**\"]}");
	assert_false(sarfs_view_shows(v, "README.txt", 10));
	assert_false(sarfs_view_shows(v, "a/b/c", 5));
	sarfs_view_free(v);
}

static void tokens_longest_first(void **state)
{
	struct sarfs_view *v = prepared(
		"{\"view\": \"t\", \"redact\": ["
		"{\"rule\": \"person\", \"values\": [\"Anna\", \"Anna Keller\", \"Keller\", \"3385\"]},"
		"{\"rule\": \"other\", \"values\": [\"Anna Keller\"]}]}");

	(void)state;
	/* inside a word: not a token */
	assert_string_equal(red(v, "Annabelle and Hanna"), "Annabelle and Hanna");
	/* the longest at a place wins; the rule listed first on a tie */
	assert_string_equal(red(v, "Anna Keller met Anna."),
			    "[redacted:person:1] met [redacted:person:2].");
	/* ASCII case is ignored; the same value keeps its number */
	assert_string_equal(red(v, "ANNA KELLER, anna, Keller"),
			    "[redacted:person:1], [redacted:person:2], [redacted:person:3]");
	/* digits are letters of a token: 13385 and 3385x are other tokens */
	assert_string_equal(red(v, "user 3385; 13385; 3385x; (3385)"),
			    "user [redacted:person:4]; 13385; 3385x; ([redacted:person:4])");
	/* punctuation beyond ASCII ends a token, letters do not */
	assert_string_equal(red(v, "Anna\xe2\x80\x99s K\xc3\xa9ller Anna\xc3\xa9"),
			    "[redacted:person:2]\xe2\x80\x99s K\xc3\xa9ller Anna\xc3\xa9");
	/* a leftmost match wins over a longer one that starts later */
	assert_string_equal(red(v, "Keller Anna Keller"),
			    "[redacted:person:3] [redacted:person:1]");
	sarfs_view_free(v);
}

static void patterns(void **state)
{
	struct sarfs_view *v = prepared(
		"{\"view\": \"p\", \"redact\": ["
		"{\"rule\": \"email\", \"pattern\": \"email\", \"keep\": [\"privacy@example.org\"]},"
		"{\"rule\": \"ip\", \"pattern\": \"ip\"}]}");

	(void)state;
	assert_string_equal(red(v, "Write to Lea.Martin@Example.org. Or privacy@example.org!"),
			    "Write to [redacted:email:1]. Or privacy@example.org!");
	assert_string_equal(red(v, "lea.martin@example.org"), "[redacted:email:1]");
	/* a record or file named by an address keeps its extension */
	assert_string_equal(red(v, "lea.martin@example.org.json, a@example.md, b@example.org.md"),
			    "[redacted:email:1].json, [redacted:email:2], [redacted:email:3].md");
	assert_string_equal(red(v, "no @ here, a@b, x@y.z, @example.org"),
			    "no @ here, a@b, x@y.z, @example.org");
	assert_string_equal(red(v, "from 192.0.2.17, 192.0.2.17. and 10.0.0.256 or 1.2.3.4.5"),
			    "from [redacted:ip:1], [redacted:ip:1]. and 10.0.0.256 or 1.2.3.4.5");
	assert_string_equal(red(v, "Chrome/33.0.1750.146 v1.2.3.4"),
			    "Chrome/33.0.1750.146 v1.2.3.4");
	assert_string_equal(red(v, "[2001:DB8::1]:443 and 2001:db8:0:0::1, fe80::1%eth0"),
			    "[[redacted:ip:2]]:443 and [redacted:ip:2], [redacted:ip:3]%eth0");
	assert_string_equal(red(v, "at 10:02:37, std::vector, 00:1a:2b:3c:4d:5e, x::y"),
			    "at 10:02:37, std::vector, 00:1a:2b:3c:4d:5e, x::y");
	assert_string_equal(red(v, "::ffff:192.0.2.17"), "[redacted:ip:4]");
	sarfs_view_free(v);
}

static void regex_rules(void **state)
{
	struct sarfs_view *v = prepared(
		"{\"view\": \"r\", \"redact\": ["
		"{\"rule\": \"hash\", \"regex\": \"\\\\b[0-9a-f]{8}\\\\b\", \"keep\": [\"0e6ec167\"]},"
		"{\"rule\": \"name\", \"regex\": \"l\\u00e9a\\\\s+martin\", \"ignore_case\": true}]}");

	(void)state;
	assert_string_equal(red(v, "f790cbef, 0e6ec167, f790cbefa, L\xc3\xa9" "a  Martin"),
			    "[redacted:hash:1], 0e6ec167, f790cbefa, [redacted:name:1]");
	assert_false(sarfs_view_public(v));
	sarfs_view_free(v);
}

static void fields_and_records(void **state)
{
	struct sarfs_view *v = load(
		"{\"view\": \"f\", \"redact\": ["
		"{\"rule\": \"agent\", \"fields\": [\"user_agent\", \"nowhere\"]},"
		"{\"rule\": \"text\", \"fields\": [\"text\"]},"
		"{\"rule\": \"ip\", \"pattern\": \"ipv4\"}]}");
	struct sarfs_view_found *f = NULL;
	struct sarfs_diag d;
	json_error_t err;
	json_t *rec = json_loads("{\"a\": [{\"user_agent\": \"Mozilla/5.0 (X11)\", \"n\": 1}],"
				 " \"text\": \"I'll \\\"go\\\"\\nMeet at 9\", \"ok\": \"x\","
				 " \"user_agent\": 7}", 0, &err);
	struct sarfs_buf b = SARFS_BUF_INIT;
	char *s;

	(void)state;
	assert_non_null(rec);
	assert_true(sarfs_view_has_fields(v));
	assert_true(sarfs_view_public(v));
	assert_int_equal(sarfs_view_found_new(v, &f), 0);
	assert_int_equal(sarfs_view_collect(v, rec, f), 0);
	assert_int_equal(sarfs_view_absorb(v, f), 0);
	sarfs_view_found_free(f);
	sarfs_diag_init(&d);
	assert_int_equal(sarfs_view_prepare(v, &d), 0);
	/* a field no record had: a warning that names it */
	assert_int_equal(d.n, 1);
	s = sarfs_diag_format(&d.msg[0]);
	assert_string_equal(s, "t.view:1:69: warning: /redact/0/fields/1: no record has a field "
			       "\"nowhere\"; nothing is redacted by it");
	free(s);
	sarfs_diag_destroy(&d);

	/* in the record: whole values, numbered in the order keys render */
	assert_int_equal(sarfs_view_redact_json(v, &rec, NULL), 0);
	assert_int_equal(sarfs_json_render(rec, &b), 0);
	assert_string_equal(b.data,
			    "{\n"
			    "  \"a\": [\n"
			    "    {\n"
			    "      \"n\": 1,\n"
			    "      \"user_agent\": \"[redacted:agent:1]\"\n"
			    "    }\n"
			    "  ],\n"
			    "  \"ok\": \"x\",\n"
			    "  \"text\": \"[redacted:text:1]\",\n"
			    "  \"user_agent\": \"[redacted:agent:2]\"\n"
			    "}\n");
	sarfs_buf_destroy(&b);
	json_decref(rec);
	/* two keys that redact to one are both kept */
	rec = json_loads("{\"192.0.2.1\": 1, \"[redacted:ip:1]\": 2}", 0, &err);
	assert_non_null(rec);
	assert_int_equal(sarfs_view_redact_json(v, &rec, NULL), 0);
	assert_int_equal(json_object_size(rec), 2);
	assert_int_equal(json_integer_value(json_object_get(rec, "[redacted:ip:1]")), 1);
	assert_int_equal(json_integer_value(json_object_get(rec, "[redacted:ip:1]~2")), 2);
	json_decref(rec);
	/* elsewhere: the value as it is, and as a JSON, SQL or CSV string
	 * writes it; and line by line; "7" is too short to redact elsewhere */
	assert_string_equal(red(v, "ua=Mozilla/5.0 (X11) n=7"), "ua=[redacted:agent:1] n=7");
	assert_string_equal(red(v, "{\"ua\":\"Mozilla\\/5.0 (X11)\"}"),
			    "{\"ua\":\"[redacted:agent:1]\"}");
	assert_string_equal(red(v, "\"I'll \\\"go\\\"\\nMeet at 9\""), "\"[redacted:text:1]\"");
	assert_string_equal(red(v, "'I\\'ll \\\"go\\\"\\nMeet at 9'"), "'[redacted:text:1]'");
	assert_string_equal(red(v, "\"I'll \"\"go\"\"\nMeet at 9\""), "\"[redacted:text:1]\"");
	assert_string_equal(red(v, "    I'll \"go\"\n    Meet at 9\n"),
			    "    [redacted:text:2]\n    [redacted:text:3]\n");
	sarfs_view_free(v);
}

/* A streamed text gives what the whole text gives, wherever it is cut. */
static void streams_match_whole(void **state)
{
	const char *rules = "{\"view\": \"s\", \"redact\": [{\"rule\": \"v\", \"values\": "
			    "[\"needle\", \"needle in a haystack\"]}, {\"rule\": \"ip\", "
			    "\"pattern\": \"ip\"}, {\"rule\": \"e\", \"pattern\": \"email\"}]}";
	struct sarfs_view *v1 = prepared(rules), *v2;
	struct sarfs_buf text = SARFS_BUF_INIT, whole = SARFS_BUF_INIT;
	size_t i, cut;
	unsigned seed = 7;

	(void)state;
	for (i = 0; i < 40000; i++) {
		seed = seed * 1103515245u + 12345u;
		switch ((seed >> 16) % 7) {
		case 0: sarfs_buf_adds(&text, "needle "); break;
		case 1: sarfs_buf_adds(&text, "needle in a haystack "); break;
		case 2: sarfs_buf_adds(&text, "198.51.100.23\n"); break;
		case 3: sarfs_buf_adds(&text, "a.b@example.org "); break;
		case 4: sarfs_buf_adds(&text, "needles "); break;
		default: sarfs_buf_adds(&text, "hay "); break;
		}
	}
	assert_int_equal(sarfs_view_redact(v1, text.data, text.len, &whole, NULL), 0);
	for (cut = 1; cut < 300000; cut = cut * 3 + 11) {
		struct sarfs_view_stream *s = NULL;
		struct sarfs_buf got = SARFS_BUF_INIT;
		uint64_t hits = 0;
		size_t off;

		v2 = prepared(rules);
		assert_int_equal(sarfs_view_stream_open(v2, &s), 0);
		for (off = 0; off < text.len; off += cut)
			assert_int_equal(sarfs_view_stream_write(s, text.data + off,
								 text.len - off < cut ? text.len - off : cut,
								 &got), 0);
		assert_int_equal(sarfs_view_stream_close(s, &got, &hits), 0);
		assert_true(hits > 0);
		assert_int_equal(got.len, whole.len);
		assert_memory_equal(got.data, whole.data, whole.len);
		sarfs_buf_destroy(&got);
		sarfs_view_free(v2);
	}
	sarfs_buf_destroy(&text);
	sarfs_buf_destroy(&whole);
	sarfs_view_free(v1);
}

static void self_check_ignores_placeholders(void **state)
{
	struct sarfs_view *v = prepared("{\"view\": \"c\", \"redact\": [{\"rule\": \"id\", "
					"\"values\": [\"12\", \"id\"]}]}");

	(void)state;
	assert_int_equal(sarfs_view_finds(v, "[redacted:id:12] and [redacted:id:1]", 36), 0);
	assert_int_equal(sarfs_view_finds(v, "user 12", 7), 1);
	assert_int_equal(sarfs_view_finds(v, "the id", 6), 1);
	sarfs_view_free(v);
}

static void report_hides_values(void **state)
{
	struct sarfs_view *v = prepared("{\"view\": \"c\", \"redact\": [{\"rule\": \"id\", "
					"\"values\": [\"Keller\"]}, {\"rule\": \"id\", \"regex\": "
					"\"Anna\"}]}");
	struct sarfs_buf b = SARFS_BUF_INIT;

	(void)state;
	red(v, "Anna Keller, Keller");
	assert_int_equal(sarfs_view_report(v, &b), 0);
	assert_string_equal(b.data,
			    "  [redacted:id:N]\n"
			    "      matches:  1 value listed in the view (not shown here);\n"
			    "                a regular expression (not shown here: it\n"
			    "                may spell out what it hides)\n"
			    "      redacted: 2 distinct values in 3 places\n");
	assert_null(strstr(b.data, "Keller"));
	sarfs_buf_destroy(&b);
	sarfs_view_free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_name_the_place),
		cmocka_unit_test(globs),
		cmocka_unit_test(tokens_longest_first),
		cmocka_unit_test(patterns),
		cmocka_unit_test(regex_rules),
		cmocka_unit_test(fields_and_records),
		cmocka_unit_test(streams_match_whole),
		cmocka_unit_test(self_check_ignores_placeholders),
		cmocka_unit_test(report_hides_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
