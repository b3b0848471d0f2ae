/*
 * test_timefmt.c - times in, UTC ISO 8601 out, whatever TZ says.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sarfs/timefmt.h"

static struct sarfs_time P(const char *s)
{
	return sarfs_time_parse(s, strlen(s), SARFS_UNIT_AUTO);
}

static void numbers(void **state)
{
	struct sarfs_time t;
	char out[32];

	(void)state;
	t = sarfs_time_from_number(1420070400, SARFS_UNIT_AUTO);
	assert_int_equal(t.kind, SARFS_TIME_UTC);
	assert_int_equal(t.sec, 1420070400);
	sarfs_time_format(&t, out);
	assert_string_equal(out, "2015-01-01T00:00:00Z");

	t = sarfs_time_from_number(1420070400123LL, SARFS_UNIT_AUTO);
	assert_int_equal(t.sec, 1420070400);
	assert_int_equal(t.nsec, 123000000);

	t = sarfs_time_from_number(1420070400123456LL, SARFS_UNIT_AUTO);
	assert_int_equal(t.sec, 1420070400);
	assert_int_equal(t.nsec, 123456000);

	/* Coursera's -1 and 0 mean "unknown", never 1970 */
	assert_int_equal(sarfs_time_from_number(-1, SARFS_UNIT_S).kind, SARFS_TIME_NONE);
	assert_int_equal(sarfs_time_from_number(0, SARFS_UNIT_S).kind, SARFS_TIME_NONE);
	/* a small count is not guessed to be a time */
	assert_int_equal(sarfs_time_from_number(12345, SARFS_UNIT_AUTO).kind, SARFS_TIME_NONE);
	/* but it is when the unit is given */
	assert_int_equal(sarfs_time_from_number(12345, SARFS_UNIT_S).kind, SARFS_TIME_UTC);
	sarfs_time_format(&(struct sarfs_time){ SARFS_TIME_NONE, 0, 0 }, out);
	assert_string_equal(out, "unknown");
}

static void iso(void **state)
{
	struct sarfs_time t;
	char out[32];

	(void)state;
	t = P("2015-03-02T10:00:00Z");
	assert_int_equal(t.kind, SARFS_TIME_UTC);
	assert_int_equal(t.sec, 1425290400);	/* date -u -d ... +%s */

	t = P("2015-03-02T11:00:00+01:00");
	assert_int_equal(t.kind, SARFS_TIME_UTC);
	assert_int_equal(t.sec, 1425290400);

	t = P("2015-03-02T05:30:00-0430");
	assert_int_equal(t.sec, 1425290400);

	t = P(" 2015-03-02 10:00:00.250 UTC ");
	assert_int_equal(t.kind, SARFS_TIME_UTC);
	assert_int_equal(t.sec, 1425290400);
	assert_int_equal(t.nsec, 250000000);

	/* no zone: kept as wall clock, marked naive, printed without Z */
	t = P("2015-03-02 10:00:00");
	assert_int_equal(t.kind, SARFS_TIME_NAIVE);
	sarfs_time_format(&t, out);
	assert_string_equal(out, "2015-03-02T10:00:00");

	t = P("2015-03-02");
	assert_int_equal(t.kind, SARFS_TIME_NAIVE);
	assert_int_equal(t.sec, 1425254400);

	assert_int_equal(P("2015-02-30").kind, SARFS_TIME_NONE);
	assert_int_equal(P("2016-02-29T00:00:00Z").kind, SARFS_TIME_UTC);
	assert_int_equal(P("2015-02-29T00:00:00Z").kind, SARFS_TIME_NONE);
	assert_int_equal(P("2015-03-02T25:00:00Z").kind, SARFS_TIME_NONE);
	assert_int_equal(P("2015-03-02T10:00:00Zjunk").kind, SARFS_TIME_NONE);
	assert_int_equal(P("hello").kind, SARFS_TIME_NONE);
	assert_int_equal(P("").kind, SARFS_TIME_NONE);
	assert_int_equal(P("-1").kind, SARFS_TIME_NONE);
	/* 19 digits: not a time, and no overflow on the way (UBSan watches) */
	assert_int_equal(P("9999999999999999999").kind, SARFS_TIME_NONE);
}

static void twitter(void **state)
{
	struct sarfs_time t = P("Wed Oct 10 20:19:24 +0000 2018");

	(void)state;
	assert_int_equal(t.kind, SARFS_TIME_UTC);
	assert_int_equal(t.sec, 1539202764);
	assert_int_equal(P("Wed Oct 10 20:19:24 +0200 2018").sec, 1539202764 - 7200);
	assert_int_equal(P("Wed Foo 10 20:19:24 +0000 2018").kind, SARFS_TIME_NONE);
}

static void independent_of_tz(void **state)
{
	char a[32], b[32];

	(void)state;
	setenv("TZ", "Pacific/Auckland", 1);
	tzset();
	sarfs_time_format_utc(1425290400, a);
	setenv("TZ", "UTC", 1);
	tzset();
	sarfs_time_format_utc(1425290400, b);
	assert_string_equal(a, "2015-03-02T10:00:00Z");
	assert_string_equal(a, b);
}

static void civil(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(sarfs_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(sarfs_days_from_civil(2000, 3, 1), 11017);
	sarfs_time_format_utc(-86400, out);
	assert_string_equal(out, "1969-12-31T00:00:00Z");
	sarfs_time_format_utc(951782400, out);	/* leap day 2000 */
	assert_string_equal(out, "2000-02-29T00:00:00Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(numbers),
		cmocka_unit_test(iso),
		cmocka_unit_test(twitter),
		cmocka_unit_test(independent_of_tz),
		cmocka_unit_test(civil),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
