/*
 * test_json.c - the JSON / JSON Lines splitter and the record renderer.
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

#include "memin.h"
#include "sarfs/json.h"

/* Reads every record of text; returns them rendered one after another,
 * each preceded by its locator line, so a test compares one string. */
struct run {
	struct sarfs_buf out;
	struct sarfs_diag d;
	int nrec;
};

/* The fields a prerendering reader summarizes (see check_summary()). */
static const char *const summary_keys[] = { "id", "t", "a", "name", "n", NULL };

/* A prerendered record's value holds exactly the string and integer
 * members named in summary_keys, equal to those of the full parse. */
static void check_summary(const struct sarfs_record *rec)
{
	json_t *full = json_loadb(rec->text, rec->text_len, JSON_DECODE_ANY, NULL);
	size_t i, want = 0;

	assert_non_null(full);
	assert_true(json_is_object(rec->value));
	for (i = 0; summary_keys[i]; i++) {
		json_t *x = json_is_object(full) ? json_object_get(full, summary_keys[i]) : NULL;

		if (json_is_string(x) || json_is_integer(x)) {
			want++;
			assert_true(json_equal(x, json_object_get(rec->value, summary_keys[i])));
		}
	}
	assert_int_equal(json_object_size(rec->value), want);
	json_decref(full);
}

static void run_one(struct run *r, const char *text, size_t n, enum sarfs_json_mode mode,
		    size_t step, int prerender)
{
	struct memin m = { text, n, 0, step };
	struct sarfs_json_reader *jr = NULL;
	struct sarfs_record rec;
	struct sarfs_in in;
	int rc;

	sarfs_buf_init(&r->out);
	sarfs_diag_init(&r->d);
	r->nrec = 0;
	assert_int_equal(sarfs_in_init(&in, memin_read, &m), 0);
	assert_int_equal(sarfs_json_open(&in, "t.json", mode, 0, &jr), 0);
	if (prerender)
		sarfs_json_prerender(jr, summary_keys);
	while ((rc = sarfs_json_next(jr, &rec, &r->d)) == 1) {
		r->nrec++;
		sarfs_buf_printf(&r->out, "@%s [%ld:%ld]%s%s\n", rec.locator, rec.line,
				 rec.col, rec.group ? " group=" : "", rec.group ? rec.group : "");
		if (rec.text) {
			assert_true(prerender);
			check_summary(&rec);
			assert_int_equal(sarfs_buf_add(&r->out, rec.text, rec.text_len), 0);
		} else {
			assert_int_equal(sarfs_json_render(rec.value, &r->out), 0);
		}
	}
	assert_int_equal(rc, 0);
	sarfs_json_close(jr);
	sarfs_in_destroy(&in);
	sarfs_diag_sort(&r->d);
}

/* Reads text as the build does (records prerendered straight from their
 * bytes where they can be) and checks that the plain reader, which parses
 * every record with jansson, gives the very same records and messages. */
static void run_reader(struct run *r, const char *text, size_t n,
		       enum sarfs_json_mode mode, size_t step)
{
	struct run plain;
	size_t i;

	run_one(r, text, n, mode, step, 1);
	run_one(&plain, text, n, mode, step, 0);
	assert_int_equal(sarfs_buf_add(&r->out, "", 0), 0);
	assert_int_equal(sarfs_buf_add(&plain.out, "", 0), 0);
	assert_string_equal(r->out.data, plain.out.data);
	assert_int_equal(r->nrec, plain.nrec);
	assert_int_equal(r->d.n, plain.d.n);
	for (i = 0; i < r->d.n; i++) {
		char *a = sarfs_diag_format(&r->d.msg[i]), *b = sarfs_diag_format(&plain.d.msg[i]);

		assert_non_null(a);
		assert_non_null(b);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	sarfs_buf_destroy(&plain.out);
	sarfs_diag_destroy(&plain.d);
}

static void run_free(struct run *r)
{
	sarfs_buf_destroy(&r->out);
	sarfs_diag_destroy(&r->d);
}

static char *diag_text(const struct sarfs_diag *d, size_t i)
{
	assert_true(i < d->n);
	return sarfs_diag_format(&d->msg[i]);
}

#define RUN(r, lit, mode) run_reader(r, lit, sizeof(lit) - 1, mode, 0)

static void render_sorted_and_plain(void **state)
{
	const char *src = "{\"b\": 0.1, \"a\": [1, 2.0, 1e300, -3], \"c\": \"caf\\u00e9 \\\"q\\\"\\nline\","
			  " \"e\": {}, \"d\": [], \"f\": null, \"g\": true, \"h\": 3.14159}";
	json_t *v = json_loads(src, 0, NULL);
	struct sarfs_buf b = SARFS_BUF_INIT;

	(void)state;
	assert_non_null(v);
	assert_int_equal(sarfs_json_render(v, &b), 0);
	assert_string_equal(b.data,
			    "{\n"
			    "  \"a\": [\n"
			    "    1,\n"
			    "    2.0,\n"
			    "    1e+300,\n"
			    "    -3\n"
			    "  ],\n"
			    "  \"b\": 0.1,\n"
			    "  \"c\": \"caf\xc3\xa9 \\\"q\\\"\\nline\",\n"
			    "  \"d\": [],\n"
			    "  \"e\": {},\n"
			    "  \"f\": null,\n"
			    "  \"g\": true,\n"
			    "  \"h\": 3.14159\n"
			    "}\n");
	json_decref(v);
	sarfs_buf_destroy(&b);
}

static void reals_round_trip(void **state)
{
	static const double v[] = { 0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308, 100.0, -0.5 };
	static const char *expect[] = { "0.1", "0.3333333333333333", "5e-324",
					"1.7976931348623157e+308", "100.0", "-0.5" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct sarfs_buf b = SARFS_BUF_INIT;

		assert_int_equal(sarfs_json_format_real(v[i], &b), 0);
		assert_string_equal(b.data, expect[i]);
		assert_true(strtod(b.data, NULL) == v[i]);
		sarfs_buf_destroy(&b);
	}
}

/* The shortest form counted digit by digit, as sarfs first did it: the
 * reference the bisection in sarfs_json_format_real() must agree with. */
static void ref_format_real(double v, char *out, size_t n)
{
	char tmp[48];
	int prec, exp10;

	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	exp10 = atoi(strchr(tmp, 'e') + 1);
	if (exp10 >= -4 && exp10 < 16) {
		snprintf(tmp, sizeof(tmp), "%.*f", prec - 1 - exp10 > 0 ? prec - 1 - exp10 : 0, v);
		snprintf(out, n, "%s%s", tmp, strchr(tmp, '.') ? "" : ".0");
	} else {
		char *e = strchr(tmp, 'e');

		snprintf(out, n, "%.*se%s%d", (int)(e - tmp), tmp, exp10 < 0 ? "-" : "+",
			 abs(exp10));
	}
}

static void reals_shortest_by_count(void **state)
{
	uint64_t x = 0x9E3779B97F4A7C15u;
	int i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		struct sarfs_buf b = SARFS_BUF_INIT;
		char want[64];
		double v;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* random bit patterns, and short decimals at many scales */
		if (i % 2) {
			memcpy(&v, &x, sizeof(v));
			if (v != v || v - v != 0)
				continue;
		} else {
			v = (double)(x % 100000) / 1000.0 * (i % 3 ? 1e-7 : 1e12);
		}
		ref_format_real(v, want, sizeof(want));
		assert_int_equal(sarfs_json_format_real(v, &b), 0);
		assert_string_equal(b.data, want);
		assert_true(strtod(b.data, NULL) == v);
		sarfs_buf_destroy(&b);
	}
}

static void top_array(void **state)
{
	struct run r;
	const char text[] = "[\n  {\"id\": 1},\n  {\"id\": 2, \"t\": \"x, ]\"},\n  3\n]\n";
	size_t step;

	(void)state;
	/* the result must not depend on how the bytes arrive */
	for (step = 1; step <= 8; step += 7) {
		run_reader(&r, text, sizeof(text) - 1, SARFS_JSON_DOCUMENT, step);
		assert_int_equal(r.nrec, 3);
		assert_int_equal(r.d.n, 0);
		assert_string_equal(r.out.data,
				    "@/0 [2:3]\n{\n  \"id\": 1\n}\n"
				    "@/1 [3:3]\n{\n  \"id\": 2,\n  \"t\": \"x, ]\"\n}\n"
				    "@/2 [4:3]\n3\n");
		run_free(&r);
	}
}

static void top_object(void **state)
{
	struct run r;

	(void)state;
	/* arrays of objects become groups of records; everything else stays
	 * together as one record, handed out when the object closes */
	RUN(&r, "{\"posts\": [{\"a\": 1}, {\"a\": 2}], \"profile\": {\"name\": \"N\"}, "
		"\"a/b~\": [], \"tags\": [\"x\", 2], \"n\": 5, \"more\": [ {\"b\": 3}]}",
	    SARFS_JSON_DOCUMENT);
	assert_int_equal(r.d.n, 0);
	assert_string_equal(r.out.data,
			    "@/posts/0 [1:12] group=posts\n{\n  \"a\": 1\n}\n"
			    "@/posts/1 [1:22] group=posts\n{\n  \"a\": 2\n}\n"
			    "@/more/0 [1:107] group=more\n{\n  \"b\": 3\n}\n"
			    "@ [1:1]\n{\n  \"a/b~\": [],\n  \"n\": 5,\n"
			    "  \"profile\": {\n    \"name\": \"N\"\n  },\n"
			    "  \"tags\": [\n    \"x\",\n    2\n  ]\n}\n");
	run_free(&r);
}

static void object_errors_keep_the_rest(void **state)
{
	struct run r;
	char *m;

	(void)state;
	/* a bad member value is reported where it is; the others are kept */
	RUN(&r, "{\"a\": 1,\n \"b\": tru,\n \"c\": [{\"x\": 1}], \"a\": 2}", SARFS_JSON_DOCUMENT);
	assert_string_equal(r.out.data,
			    "@/c/0 [3:8] group=c\n{\n  \"x\": 1\n}\n"
			    "@ [1:1]\n{\n  \"a\": 2\n}\n");
	assert_int_equal(r.d.n, 3);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:2:7: error: invalid token near 'tru'");
	free(m);
	/* the record is shown without "b": it says so, or it would look whole */
	m = diag_text(&r.d, 1);
	assert_string_equal(m, "t.json:2:7: note: so the record of the top-level object is shown "
			       "without member \"b\"");
	free(m);
	m = diag_text(&r.d, 2);
	assert_string_equal(m, "t.json:3:24: warning: member \"a\" appears twice; the last one is shown");
	free(m);
	run_free(&r);
}

static void js_assignment_and_bom(void **state)
{
	const char text[] = "\xef\xbb\xbfwindow.YTD.tweets.part0 = [ {\"id_str\": \"1234567890123456789\"} ]";
	static const size_t steps[] = { 0, 1, 2, 5 };
	struct run r;
	size_t i;

	(void)state;
	/* the BOM and the assignment are skipped however the reads are cut
	 * (the fuzz target found both missed when the first read was short) */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		run_reader(&r, text, sizeof(text) - 1, SARFS_JSON_DOCUMENT, steps[i]);
		assert_int_equal(r.nrec, 1);
		assert_int_equal(r.d.n, 0);
		assert_string_equal(r.out.data,
				    "@/0 [1:29]\n{\n  \"id_str\": \"1234567890123456789\"\n}\n");
		run_free(&r);
	}
}

/* The record of a top-level object's other members is as large as those
 * members (its size sets the renderer's budget), not as the last thing
 * captured: here an element cut short at max_record, whose length
 * depended on where the reads ended. */
static void rest_record_size(void **state)
{
	const char text[] = "{\"a\": \"12345\", \"list\": [{\"x\": \"0123456789\"}, {\"y\": 1}], \"b\": 7}";
	size_t step;

	(void)state;
	for (step = 0; step <= 3; step++) {
		struct memin m = { text, sizeof(text) - 1, 0, step };
		struct sarfs_json_reader *jr = NULL;
		struct sarfs_record rec;
		struct sarfs_diag d;
		struct sarfs_in in;

		sarfs_diag_init(&d);
		assert_int_equal(sarfs_in_init(&in, memin_read, &m), 0);
		assert_int_equal(sarfs_json_open(&in, "t.json", SARFS_JSON_DOCUMENT, 12, &jr), 0);
		assert_int_equal(sarfs_json_next(jr, &rec, &d), 1);
		assert_string_equal(rec.locator, "/list/1");
		assert_int_equal(rec.bytes, 8);
		assert_int_equal(sarfs_json_next(jr, &rec, &d), 1);
		assert_string_equal(rec.locator, "");
		assert_int_equal(json_object_size(rec.value), 2);
		assert_int_equal(rec.bytes, 8);		/* "12345" and 7 */
		assert_int_equal(sarfs_json_next(jr, &rec, &d), 0);
		assert_int_equal(d.n, 1);		/* /list/0 is too large */
		sarfs_json_close(jr);
		sarfs_in_destroy(&in);
		sarfs_diag_destroy(&d);
	}
}

static void bad_record_skipped_rest_read(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[{\"a\": 1},\n {\"b\": },\n {\"c\": 3}]", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 2);
	assert_non_null(strstr(r.out.data, "@/0 "));
	assert_non_null(strstr(r.out.data, "@/2 [3:2]"));
	assert_null(strstr(r.out.data, "@/1 "));
	assert_int_equal(r.d.n, 1);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:2:8: error: unexpected token near '}'");
	free(m);
	run_free(&r);
}

static void truncated_file(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[{\"a\": 1},\n {\"b\": \"unterminated", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_true(r.d.n >= 1);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:2:2: error: the file ends inside this value (truncated?)");
	free(m);
	run_free(&r);
}

static void latin1_repaired(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[{\"name\": \"Fran\xe7ois\"}]", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.out.data, "@/0 [1:2]\n{\n  \"name\": \"Fran\xc3\xa7ois\"\n}\n");
	assert_int_equal(r.d.n, 1);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:1:16: warning: bytes that are not UTF-8; read as Latin-1 (here first; maybe elsewhere in the file too)");
	free(m);
	run_free(&r);
}

static void huge_integers_kept_as_text(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[{\"n\": 123456789012345678901234567890, \"m\": 1}]", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.out.data,
			    "@/0 [1:2]\n{\n  \"m\": 1,\n  \"n\": \"123456789012345678901234567890\"\n}\n");
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:1:8: warning: number beyond 64-bit range; kept as text, digit for digit");
	free(m);
	run_free(&r);
}

/* Numbers a double cannot hold: beyond its range either way, or too small
 * (jansson would read 1e-400 as 0 without a word). Each is kept digit for
 * digit, and each message gives the column of the number as written, not
 * as it is after the quotes put around the ones before it. */
static void numbers_beyond_a_double(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[{\"a\": 1e-400, \"b\": [1e400, -1e400, 18446744073709551616], \"c\": -0.5e-999,"
		" \"d\": 0e-999, \"e\": 5e-324, \"f\": \"1e-400\"}]", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.out.data,
			    "@/0 [1:2]\n{\n  \"a\": \"1e-400\",\n  \"b\": [\n    \"1e400\",\n"
			    "    \"-1e400\",\n    \"18446744073709551616\"\n  ],\n  \"c\": \"-0.5e-999\",\n"
			    "  \"d\": 0.0,\n  \"e\": 5e-324,\n  \"f\": \"1e-400\"\n}\n");
	assert_int_equal(r.d.n, 5);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:1:8: warning: number too small for a double (it would read "
			       "as 0); kept as text, digit for digit");
	free(m);
	m = diag_text(&r.d, 1);
	assert_string_equal(m, "t.json:1:22: warning: number beyond 64-bit range; kept as text, digit for digit");
	free(m);
	m = diag_text(&r.d, 2);
	assert_string_equal(m, "t.json:1:29: warning: number beyond 64-bit range; kept as text, digit for digit");
	free(m);
	m = diag_text(&r.d, 3);
	assert_string_equal(m, "t.json:1:37: warning: number beyond 64-bit range; kept as text, digit for digit");
	free(m);
	m = diag_text(&r.d, 4);
	assert_string_equal(m, "t.json:1:65: warning: number too small for a double (it would read "
			       "as 0); kept as text, digit for digit");
	free(m);
	run_free(&r);
}

static void deep_nesting_refused_cleanly(void **state)
{
	size_t depth = 100000, i;
	char *text = malloc(2 * depth + 16);
	struct run r;
	char *m;

	(void)state;
	strcpy(text, "[");
	for (i = 0; i < depth; i++)
		text[1 + i] = '[';
	for (i = 0; i < depth; i++)
		text[1 + depth + i] = ']';
	strcpy(text + 1 + 2 * depth, ",{\"ok\": 1}]");
	run_reader(&r, text, strlen(text), SARFS_JSON_DOCUMENT, 0);
	assert_int_equal(r.nrec, 1);
	assert_non_null(strstr(r.out.data, "\"ok\": 1"));
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:1:2: error: record nested deeper than 256 levels; "
			       "not split out (it is in raw/)");
	free(m);
	run_free(&r);
	free(text);
}

/* 256 levels are kept, 257 are not: the bound is exact */
static void depth_limit_exact(void **state)
{
	char text[2 * 257 + 8];
	struct run r;
	int depth, i;

	(void)state;
	for (depth = 256; depth <= 257; depth++) {
		size_t n = 0;

		text[n++] = '[';	/* the top-level array holding the record */
		for (i = 0; i < depth; i++)
			text[n++] = '[';
		for (i = 0; i < depth; i++)
			text[n++] = ']';
		text[n++] = ']';
		run_reader(&r, text, n, SARFS_JSON_DOCUMENT, 0);
		assert_int_equal(r.nrec, depth == 256 ? 1 : 0);
		assert_int_equal(r.d.n, depth == 256 ? 0 : 1);
		run_free(&r);
	}
}

static void render_budget(void **state)
{
	json_t *v = json_loads("[[[[1, 2, 3]]]]", 0, NULL);
	struct sarfs_buf b = SARFS_BUF_INIT;

	(void)state;
	assert_int_equal(sarfs_json_render_max(v, &b, 16), -EFBIG);
	sarfs_buf_reset(&b);
	assert_int_equal(sarfs_json_render_max(v, &b, 1000), 0);
	assert_int_equal(b.len, 72);	/* 2+4+6+8+11+11+10+8+6+4+2 */
	json_decref(v);
	sarfs_buf_destroy(&b);
}

static void garbage_after_value(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "[1, 2]\n;\nxyz", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 2);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:3:1: error: unexpected text after the JSON value; ignored");
	free(m);
	run_free(&r);
}

static void not_json_at_all(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "\x89PNG\r\n\x1a\n", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 0);
	assert_int_equal(r.d.n, 1);
	m = diag_text(&r.d, 0);
	assert_string_equal(m, "t.json:1:1: error: not JSON: it starts with the byte 0x89; "
			       "not split into records (it is in raw/)");
	free(m);
	run_free(&r);
}

static void latin1_warned_once(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "{\"a\": \"\xe9\", \"b\": \"\xe8\"}\n[", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_non_null(strstr(r.out.data, "\"a\": \"\xc3\xa9\""));
	assert_non_null(strstr(r.out.data, "\"b\": \"\xc3\xa8\""));
	assert_int_equal(sarfs_diag_count(&r.d, SARFS_WARNING) - sarfs_diag_count(&r.d, SARFS_ERROR), 1);
	run_free(&r);
}

static void top_level_literals(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "true", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 1);
	assert_string_equal(r.out.data, "@ [1:1]\ntrue\n");
	run_free(&r);
	RUN(&r, " null\n", SARFS_JSON_DOCUMENT);
	assert_string_equal(r.out.data, "@ [1:2]\nnull\n");
	run_free(&r);
}

static void empty_file(void **state)
{
	struct run r;

	(void)state;
	RUN(&r, "  \n", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 0);
	assert_int_equal(r.d.n, 1);
	assert_string_equal(r.d.msg[0].text, "empty JSON file");
	run_free(&r);
	RUN(&r, "[]", SARFS_JSON_DOCUMENT);
	assert_int_equal(r.nrec, 0);
	assert_int_equal(r.d.n, 0);
	run_free(&r);
}

static void json_lines(void **state)
{
	struct run r;
	char *m;

	(void)state;
	RUN(&r, "{\"a\": 1}\r\n\r\n  {\"a\": 2}\r{\"a\":\n{\"a\": 4}\n", SARFS_JSON_LINES);
	assert_int_equal(r.nrec, 3);
	assert_string_equal(r.out.data,
			    "@line 1 [1:1]\n{\n  \"a\": 1\n}\n"
			    "@line 3 [3:3]\n{\n  \"a\": 2\n}\n"
			    "@line 5 [5:1]\n{\n  \"a\": 4\n}\n");
	assert_int_equal(r.d.n, 1);
	m = diag_text(&r.d, 0);
	assert_non_null(strstr(m, "t.json:4:"));
	free(m);
	run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_sorted_and_plain),
		cmocka_unit_test(reals_round_trip),
		cmocka_unit_test(reals_shortest_by_count),
		cmocka_unit_test(top_array),
		cmocka_unit_test(top_object),
		cmocka_unit_test(object_errors_keep_the_rest),
		cmocka_unit_test(js_assignment_and_bom),
		cmocka_unit_test(rest_record_size),
		cmocka_unit_test(bad_record_skipped_rest_read),
		cmocka_unit_test(truncated_file),
		cmocka_unit_test(latin1_repaired),
		cmocka_unit_test(huge_integers_kept_as_text),
		cmocka_unit_test(numbers_beyond_a_double),
		cmocka_unit_test(deep_nesting_refused_cleanly),
		cmocka_unit_test(depth_limit_exact),
		cmocka_unit_test(render_budget),
		cmocka_unit_test(garbage_after_value),
		cmocka_unit_test(empty_file),
		cmocka_unit_test(top_level_literals),
		cmocka_unit_test(not_json_at_all),
		cmocka_unit_test(latin1_warned_once),
		cmocka_unit_test(json_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
