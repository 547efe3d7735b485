// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * When a capture was taken, from the text itself: what makes several
 * captures of the same kind samples in time (import.c).
 *
 * `sockvet capture` starts each sample with a header whose fifth field
 * is the UTC time; since it writes fractional seconds a 1 s interval is
 * exact (older captures have whole seconds):
 *
 *   # sockvet capture 1: host web1, kernel 6.1.0, netns net:[4026531840], 2026-12-03T06:10:00.250113Z, sample 2 of 3
 *
 * A pasted transcript carries `date` output beside the commands. GNU
 * coreutils prints, depending on the options and the locale:
 *
 *   Thu Dec  3 07:44:07 UTC 2026          date, date -u (C locale)
 *   Thu Dec  3 07:44:07 AM UTC 2026       en_US locale, coreutils >= 9
 *   Thu, 03 Dec 2026 07:44:07 +0000       date -R
 *   2026-12-03T07:44:07+00:00             date -Iseconds (-Ins: ",123456789")
 *   2026-12-03 07:44:07                   date '+%F %T'
 *   1764747847                            date +%s (+%s.%N: fractional)
 *
 * A numeric offset is applied; a zone abbreviation other than UTC/GMT
 * (CET, EST) is taken as UTC: one host's captures share a zone, so the
 * order and the seconds between them are still right, only the absolute
 * time shown is off by the zone. Anything else is not a time.
 */
#include "import_time.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS 1000000000LL

static const char *const months[] = {
	"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
};

/* ".123" or ",123456789": the fraction in ns; s at the separator. */
static const char *fraction(const char *s, int64_t *ns)
{
	int64_t f = 0, scale = NS / 10;

	*ns = 0;
	if ((*s != '.' && *s != ',') || !isdigit((unsigned char)s[1]))
		return s;
	for (s++; isdigit((unsigned char)*s); s++, scale /= 10)
		f += (*s - '0') * scale;
	*ns = f;
	return s;
}

/* "+0100", "+01:00", "-05", "Z": seconds east of UTC; NULL when not one. */
static const char *offset(const char *s, long *east)
{
	int h = 0, m = 0, n = 0;

	*east = 0;
	if (*s == 'Z')
		return s + 1;
	if (*s != '+' && *s != '-')
		return NULL;
	if (sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) == 2 && n == 5)
		;
	else if (sscanf(s + 1, "%2d%2d%n", &h, &m, &n) == 2 && n == 4)
		;
	else if (sscanf(s + 1, "%2d%n", &h, &n) == 1 && n == 2)
		m = 0;
	else
		return NULL;
	if (h > 14 || m > 59)
		return NULL;
	*east = (*s == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return s + 1 + n;
}

static bool to_ns(struct tm *tm, int64_t frac, long east, int64_t *ns)
{
	time_t t;

	if (tm->tm_year < 70 || tm->tm_year > 1100 || tm->tm_mon < 0 || tm->tm_mon > 11 ||
	    tm->tm_mday < 1 || tm->tm_mday > 31 || tm->tm_hour > 23 || tm->tm_min > 59 ||
	    tm->tm_sec > 60)
		return false;
	t = timegm(tm);
	if (t <= 0)
		return false;
	*ns = ((int64_t)t - east) * NS + frac;
	return true;
}

/* 2026-12-03T07:44:07[.frac][Z|+hh:mm], or with a blank for the T. */
static bool parse_iso(const char *s, int64_t *ns)
{
	struct tm tm;
	int64_t frac;
	long east = 0;
	int n = 0;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%*[T ]%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n < 19)
		return false;
	s = fraction(s + n, &frac);
	if (*s == ' ')
		s++;
	if (!strcmp(s, "UTC") || !strcmp(s, "GMT"))
		s += 3;
	else if (*s && !(s = offset(s, &east)))
		return false;
	if (*s)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon--;
	return to_ns(&tm, frac, east, ns);
}

/* 1764747847 or 1764747847.123: seconds since the epoch, plausible ones. */
static bool parse_epoch(const char *s, int64_t *ns)
{
	char *end;
	long long v = strtoll(s, &end, 10);
	int64_t frac;

	if (end == s || *s == '-' || *s == '+' || v < 100000000LL || v > 40000000000LL)
		return false;
	end = (char *)fraction(end, &frac);
	if (*end)
		return false;
	*ns = (int64_t)v * NS + frac;
	return true;
}

struct words {
	int mon, mday, year, hour, min, sec;
	int64_t frac;
	long east;
	bool pm, am;
};

/* One word of date's default or -R output; false when it cannot be one. */
static bool date_word(struct words *w, const char *t, size_t n)
{
	char buf[32];
	int k = 0, h, mi, sec;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, t, n);
	buf[n] = '\0';
	if (isalpha((unsigned char)buf[0])) {
		for (int m = 0; m < 12; m++)
			if (n >= 3 && !strncasecmp(buf, months[m], 3) && w->mon < 0)
				w->mon = m;
		w->am |= !strcasecmp(buf, "AM");
		w->pm |= !strcasecmp(buf, "PM");
		return true;           /* weekday, month, zone name */
	}
	if (buf[0] == '+' || buf[0] == '-') {
		const char *e = offset(buf, &w->east);

		return e && !*e;
	}
	if (sscanf(buf, "%2d:%2d:%2d%n", &h, &mi, &sec, &k) == 3) {
		const char *e = fraction(buf + k, &w->frac);

		w->hour = h;
		w->min = mi;
		w->sec = sec;

		return !*e;
	}
	if (strspn(buf, "0123456789") != n)
		return false;
	if (n == 4)
		w->year = atoi(buf);
	else if (n <= 2 && w->mday < 0)
		w->mday = atoi(buf);
	else
		return false;
	return true;
}

/* Thu Dec  3 07:44:07 [AM] UTC 2026 / Thu, 03 Dec 2026 07:44:07 +0000 */
static bool parse_words(const char *s, int64_t *ns)
{
	struct words w = { .mon = -1, .mday = -1, .year = -1, .hour = -1 };
	struct tm tm;
	unsigned words = 0;

	while (*s) {
		size_t n;

		while (*s == ' ' || *s == ',' || *s == '\t')
			s++;
		n = strcspn(s, " ,\t");
		if (!n)
			break;
		if (!date_word(&w, s, n) || ++words > 8)
			return false;
		s += n;
	}
	if (w.mon < 0 || w.mday < 0 || w.year < 0 || w.hour < 0)
		return false;
	if (w.pm && w.hour < 12)
		w.hour += 12;
	else if (w.am && w.hour == 12)
		w.hour = 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = w.year - 1900;
	tm.tm_mon = w.mon;
	tm.tm_mday = w.mday;
	tm.tm_hour = w.hour;
	tm.tm_min = w.min;
	tm.tm_sec = w.sec;
	return to_ns(&tm, w.frac, w.east, ns);
}

bool import_time_date(const char *line, int64_t *ns)
{
	char buf[128];
	size_t n;

	while (*line == ' ' || *line == '\t')
		line++;
	n = strlen(line);
	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	if (!n || n >= sizeof(buf))
		return false;
	memcpy(buf, line, n);
	buf[n] = '\0';
	return parse_epoch(buf, ns) || parse_iso(buf, ns) || parse_words(buf, ns);
}

bool import_time_header(const char *cmd, int64_t *ns)
{
	static const char tag[] = "sockvet capture ";
	const char *p;

	if (strncmp(cmd, tag, sizeof(tag) - 1))
		return false;
	/* the time is the field before ", sample K of N" */
	p = strstr(cmd, ", sample ");
	if (!p)
		return false;
	for (const char *q = p - 1; q > cmd; q--) {
		if (q[0] == ' ' && q[-1] == ',') {
			char buf[64];
			size_t n = (size_t)(p - (q + 1));

			if (n >= sizeof(buf))
				return false;
			memcpy(buf, q + 1, n);
			buf[n] = '\0';
			return parse_iso(buf, ns);
		}
	}
	return false;
}
