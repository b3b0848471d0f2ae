/*
 * timefmt.c - parsing and writing times without libc's TZ machinery.
 */
#include "sarfs/timefmt.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's civil-date algorithms (public domain), in 64 bits. */
int64_t sarfs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

struct sarfs_time sarfs_time_from_number(int64_t v, enum sarfs_time_unit unit)
{
	struct sarfs_time t = { SARFS_TIME_NONE, 0, 0 };

	if (v <= 0)
		return t;
	if (unit == SARFS_UNIT_AUTO) {
		if (v >= 100000000LL && v < 100000000000LL)
			unit = SARFS_UNIT_S;
		else if (v >= 100000000000LL && v < 100000000000000LL)
			unit = SARFS_UNIT_MS;
		else if (v >= 100000000000000LL && v < 100000000000000000LL)
			unit = SARFS_UNIT_US;
		else
			return t;
	}
	t.kind = SARFS_TIME_UTC;
	switch (unit) {
	case SARFS_UNIT_MS:
		t.sec = v / 1000;
		t.nsec = (int32_t)(v % 1000) * 1000000;
		break;
	case SARFS_UNIT_US:
		t.sec = v / 1000000;
		t.nsec = (int32_t)(v % 1000000) * 1000;
		break;
	default:
		t.sec = v;
		break;
	}
	return t;
}

/* A tiny cursor over the text being parsed. */
struct cur {
	const char *p, *end;
};

static int digits(struct cur *c, int n, int *out)
{
	int v = 0, i;

	if (c->end - c->p < n)
		return 0;
	for (i = 0; i < n; i++) {
		if (c->p[i] < '0' || c->p[i] > '9')
			return 0;
		v = v * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*out = v;
	return 1;
}

static int eat(struct cur *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

static int valid_date(int y, int m, int d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12 || d < 1)
		return 0;
	if (m == 2 && !leap)
		return d <= 28;
	return d <= mdays[m - 1];
}

/* Parses a zone: "Z", "+HH:MM", "+HHMM", "+HH", " UTC", " GMT". Returns 1
 * and the offset in seconds, 0 if there is none, -1 if malformed. */
static int zone(struct cur *c, int *off)
{
	int hh = 0, mm = 0, sign;

	if (eat(c, 'Z') || eat(c, 'z')) {
		*off = 0;
		return 1;
	}
	if (c->end - c->p >= 4 && (memcmp(c->p, " UTC", 4) == 0 || memcmp(c->p, " GMT", 4) == 0)) {
		c->p += 4;
		*off = 0;
		return 1;
	}
	if (c->p >= c->end || (*c->p != '+' && *c->p != '-'))
		return 0;
	sign = *c->p == '-' ? -1 : 1;
	c->p++;
	if (!digits(c, 2, &hh))
		return -1;
	if (eat(c, ':')) {
		if (!digits(c, 2, &mm))
			return -1;
	} else if (c->p < c->end) {
		if (!digits(c, 2, &mm))
			return -1;
	}
	if (hh > 23 || mm > 59)
		return -1;
	*off = sign * (hh * 3600 + mm * 60);
	return 1;
}

static struct sarfs_time parse_iso(struct cur *c)
{
	struct sarfs_time t = { SARFS_TIME_NONE, 0, 0 };
	int y, mo, d, h = 0, mi = 0, s = 0, off = 0, z, ns = 0, scale = 100000000;

	if (!digits(c, 4, &y) || !eat(c, '-') || !digits(c, 2, &mo) || !eat(c, '-') ||
	    !digits(c, 2, &d) || !valid_date(y, mo, d))
		return t;
	if (c->p < c->end && (*c->p == 'T' || *c->p == 't' || *c->p == ' ') &&
	    c->end - c->p >= 3 && c->p[1] >= '0' && c->p[1] <= '9') {
		c->p++;
		if (!digits(c, 2, &h) || !eat(c, ':') || !digits(c, 2, &mi))
			return t;
		if (eat(c, ':')) {
			if (!digits(c, 2, &s))
				return t;
			if (eat(c, '.') || eat(c, ',')) {
				int any = 0;

				while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
					if (scale) {
						ns += (*c->p - '0') * scale;
						scale /= 10;
					}
					c->p++;
					any = 1;
				}
				if (!any)
					return t;
			}
		}
		if (h > 23 || mi > 59 || s > 60)
			return t;
	}
	z = zone(c, &off);
	if (z < 0 || c->p != c->end)
		return t;
	t.kind = z ? SARFS_TIME_UTC : SARFS_TIME_NAIVE;
	t.sec = sarfs_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		h * 3600 + mi * 60 + s - off;
	t.nsec = ns;
	return t;
}

/* "Wed Oct 10 20:19:24 +0000 2018" */
static struct sarfs_time parse_twitter(struct cur *c)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct sarfs_time t = { SARFS_TIME_NONE, 0, 0 };
	int mo = 0, d, h, mi, s, off, y, i;

	if (c->end - c->p != 30 || c->p[3] != ' ' || c->p[7] != ' ')
		return t;
	for (i = 0; i < 12; i++)
		if (memcmp(c->p + 4, months + 3 * i, 3) == 0)
			mo = i + 1;
	c->p += 8;
	if (!mo || !digits(c, 2, &d) || !eat(c, ' ') || !digits(c, 2, &h) ||
	    !eat(c, ':') || !digits(c, 2, &mi) || !eat(c, ':') || !digits(c, 2, &s) ||
	    !eat(c, ' ') || zone(c, &off) != 1 || !eat(c, ' ') || !digits(c, 4, &y) ||
	    c->p != c->end || !valid_date(y, mo, d) || h > 23 || mi > 59 || s > 60)
		return t;
	t.kind = SARFS_TIME_UTC;
	t.sec = sarfs_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
		h * 3600 + mi * 60 + s - off;
	return t;
}

struct sarfs_time sarfs_time_parse(const char *s, size_t n, enum sarfs_time_unit unit)
{
	struct sarfs_time none = { SARFS_TIME_NONE, 0, 0 };
	struct cur c = { s, s + n };
	const char *q;
	int64_t v = 0;
	int neg = 0;

	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t'))
		c.p++;
	while (c.end > c.p && (c.end[-1] == ' ' || c.end[-1] == '\t' ||
			       c.end[-1] == '\r' || c.end[-1] == '\n'))
		c.end--;
	if (c.p == c.end)
		return none;
	q = c.p;
	if (*q == '-') {
		neg = 1;
		q++;
	}
	if (q < c.end && *q >= '0' && *q <= '9') {
		const char *r = q;

		/* 18 digits cannot overflow int64; more is not a time anyway */
		while (r < c.end && *r >= '0' && *r <= '9' && r - q < 18)
			v = v * 10 + (*r++ - '0');
		if (r == c.end)
			return neg ? none : sarfs_time_from_number(v, unit);
	}
	if (c.end - c.p >= 10 && c.p[4] == '-')
		return parse_iso(&c);
	return parse_twitter(&c);
}

void sarfs_time_format_utc(int64_t sec, char out[32])
{
	int64_t days = sec / 86400, rem = sec % 86400, y;
	unsigned m, d;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(out, 32, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

void sarfs_time_format(const struct sarfs_time *t, char out[32])
{
	if (t->kind == SARFS_TIME_NONE) {
		snprintf(out, 32, "unknown");
		return;
	}
	sarfs_time_format_utc(t->sec, out);
	if (t->kind == SARFS_TIME_NAIVE)
		out[strlen(out) - 1] = '\0';
}
