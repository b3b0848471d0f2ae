/*
 * sarfs/timefmt.h - times found in exports, and how sarfs writes them.
 *
 * Exports carry times as epoch seconds, milliseconds or microseconds, ISO
 * 8601 with or without an offset, and localized text. sarfs writes every
 * time it knows as UTC ISO 8601 ("2015-03-02T10:00:00Z"), computed with
 * integer arithmetic only, so the result cannot depend on TZ or locale.
 * A time written without a zone is never given one: it is parsed as
 * SARFS_TIME_NAIVE and is not used as a file's mtime.
 */
#ifndef SARFS_TIMEFMT_H
#define SARFS_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

enum sarfs_time_kind {
	SARFS_TIME_NONE = 0,	/* not a time, or a time that means "unknown" */
	SARFS_TIME_UTC,		/* an instant: epoch number, or text with a zone */
	SARFS_TIME_NAIVE,	/* wall-clock text without a zone ("zone unknown") */
};

struct sarfs_time {
	enum sarfs_time_kind kind;
	int64_t sec;	/* seconds since 1970-01-01T00:00:00 (UTC, or the unknown zone) */
	int32_t nsec;
};

/* Units for numbers; SARFS_UNIT_AUTO guesses from the magnitude:
 * 10^8..10^11 seconds, ..10^14 milliseconds, ..10^17 microseconds
 * (1973-2286 in each), anything else is not taken as a time. */
enum sarfs_time_unit { SARFS_UNIT_AUTO, SARFS_UNIT_S, SARFS_UNIT_MS, SARFS_UNIT_US };

/* Parses an epoch number. Values <= 0 mean "unknown" in the exports we know
 * (Coursera uses -1 and 0), giving SARFS_TIME_NONE, never 1970. */
struct sarfs_time sarfs_time_from_number(int64_t v, enum sarfs_time_unit unit);

/* Parses text: an integer (as above), ISO 8601 ("2015-03-02", "2015-03-02
 * 10:00", "2015-03-02T10:00:00.123+01:00", "...Z", "... UTC"), or the
 * X/Twitter form "Wed Oct 10 20:19:24 +0000 2018". Leading and trailing
 * blanks are ignored. Anything else gives SARFS_TIME_NONE. */
struct sarfs_time sarfs_time_parse(const char *s, size_t n, enum sarfs_time_unit unit);

/* Days since 1970-01-01 of a proleptic Gregorian date (no range checks). */
int64_t sarfs_days_from_civil(int64_t y, unsigned m, unsigned d);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" (or without Z for a naive time, or
 * "unknown" for SARFS_TIME_NONE) into out, which must hold 32 bytes. */
void sarfs_time_format(const struct sarfs_time *t, char out[32]);

/* The same for a UTC epoch second. */
void sarfs_time_format_utc(int64_t sec, char out[32]);

#endif
