/* Date parser: the date layouts of CompraNet and OCDS exports to ISO "YYYY-MM-DD". */
#include "licit/values/value.h"

#include <string.h>

/* The scanner walks s[pos..n) and never looks past n. */
struct scan {
	const unsigned char *s;
	size_t n, pos;
};

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

static int is_blank(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

static unsigned up(unsigned c)
{
	return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

static int at_end(const struct scan *sc) { return sc->pos >= sc->n; }

static int peek(const struct scan *sc)
{
	return sc->pos < sc->n ? sc->s[sc->pos] : -1;
}

static int accept(struct scan *sc, int c)
{
	if (peek(sc) == c) {
		sc->pos++;
		return 1;
	}
	return 0;
}

/* Reads between min and max digits; returns their value or -1. */
static long digits(struct scan *sc, int min, int max)
{
	long v = 0;
	int k = 0;
	while (k < max && !at_end(sc) && is_digit(sc->s[sc->pos])) {
		v = v * 10 + (sc->s[sc->pos] - '0');
		sc->pos++;
		k++;
	}
	if (k < min)
		return -1;
	/* A longer run would have been cut in the middle. */
	if (!at_end(sc) && is_digit(sc->s[sc->pos]))
		return -1;
	return v;
}

static long two_digits(struct scan *sc)
{
	if (sc->n - sc->pos < 2 || !is_digit(sc->s[sc->pos]) ||
	    !is_digit(sc->s[sc->pos + 1]))
		return -1;
	sc->pos += 2;
	return (sc->s[sc->pos - 2] - '0') * 10 + (sc->s[sc->pos - 1] - '0');
}

static void skip_blanks(struct scan *sc)
{
	while (!at_end(sc) && is_blank(sc->s[sc->pos]))
		sc->pos++;
}

int licit_leap_year(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int licit_month_days(long y, long m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30,
		                   31, 31, 30, 31, 30, 31 };
	if (m < 1 || m > 12)
		return 0;
	return m == 2 && licit_leap_year(y) ? 29 : d[m - 1];
}

static int valid_ymd(long y, long m, long d)
{
	return d >= 1 && d <= licit_month_days(y, m);
}

/* Optional "a.m."/"p.m."/"AM"/"PM" after a time, as Spanish locales
 * print it ("a. m." included). */
static void skip_meridiem(struct scan *sc)
{
	struct scan c = *sc;
	int x = peek(&c);
	if (x < 0 || (up((unsigned)x) != 'A' && up((unsigned)x) != 'P'))
		return;
	c.pos++;
	accept(&c, '.');
	skip_blanks(&c);
	x = peek(&c);
	if (x < 0 || up((unsigned)x) != 'M')
		return;
	c.pos++;
	accept(&c, '.');
	*sc = c;
}

/* Time and zone after the date: [T| ]hh:mm[:ss[.fff]] [Z|GMT|UTC|±hh[:mm]].
 * Checked so that a date followed by garbage is not taken for a date. */
static int time_tail(struct scan *sc, int iso_t)
{
	if (at_end(sc))
		return 0;
	if (iso_t && (accept(sc, 'T') || accept(sc, 't'))) {
		/* fall through to the time */
	} else {
		size_t before = sc->pos;
		skip_blanks(sc);
		if (at_end(sc))
			return 0;
		if (sc->pos == before)
			return -1;
	}
	long h = digits(sc, 1, 2);
	if (h < 0 || h > 24 || !accept(sc, ':'))
		return -1;
	long mi = digits(sc, 2, 2);
	if (mi < 0 || mi > 59)
		return -1;
	if (accept(sc, ':')) {
		long se = digits(sc, 2, 2);
		if (se < 0 || se > 60)
			return -1;
		if (accept(sc, '.') || accept(sc, ',')) {
			if (at_end(sc) || !is_digit(sc->s[sc->pos]))
				return -1;
			while (!at_end(sc) && is_digit(sc->s[sc->pos]))
				sc->pos++;
		}
	}
	skip_blanks(sc);
	skip_meridiem(sc);
	skip_blanks(sc);
	if (at_end(sc))
		return 0;
	int c = peek(sc);
	if (c == 'Z' || c == 'z') {
		sc->pos++;
	} else if (c == '+' || c == '-') {
		/* "-06:00", "-0600" or "-06": the digits run on without a
		 * separator, so they are read two at a time. */
		sc->pos++;
		long zh = two_digits(sc);
		if (zh < 0 || zh > 14)
			return -1;
		accept(sc, ':');
		if (!at_end(sc) && two_digits(sc) < 0)
			return -1;
	} else if (sc->n - sc->pos >= 3 &&
	           ((up(sc->s[sc->pos]) == 'G' && up(sc->s[sc->pos + 1]) == 'M' &&
	             up(sc->s[sc->pos + 2]) == 'T') ||
	            (up(sc->s[sc->pos]) == 'U' && up(sc->s[sc->pos + 1]) == 'T' &&
	             up(sc->s[sc->pos + 2]) == 'C'))) {
		sc->pos += 3;
	} else {
		return -1;
	}
	skip_blanks(sc);
	return at_end(sc) ? 0 : -1;
}

static void write_iso(long y, long m, long d, char *out, size_t cap)
{
	char b[11];
	b[0] = (char)('0' + y / 1000);
	b[1] = (char)('0' + y / 100 % 10);
	b[2] = (char)('0' + y / 10 % 10);
	b[3] = (char)('0' + y % 10);
	b[4] = '-';
	b[5] = (char)('0' + m / 10);
	b[6] = (char)('0' + m % 10);
	b[7] = '-';
	b[8] = (char)('0' + d / 10);
	b[9] = (char)('0' + d % 10);
	b[10] = '\0';
	if (cap == 0)
		return;
	size_t k = cap - 1 < 10 ? cap - 1 : 10;
	memcpy(out, b, k);
	out[k] = '\0';
}

enum licit_date_status licit_date_parse(const char *s, size_t n, char *out,
                                        size_t cap)
{
	struct scan sc = { (const unsigned char *)s, s ? n : 0, 0 };
	long y, m, d;
	int iso = 0;

	if (cap)
		out[0] = '\0';
	/* Trim both ends so that only the date itself is matched. */
	while (sc.n > 0 && is_blank(sc.s[sc.n - 1]))
		sc.n--;
	skip_blanks(&sc);
	if (at_end(&sc))
		return LICIT_DATE_EMPTY;

	/* The first run of digits decides the layout: four digits start a
	 * year-first date, one or two a day-first one. */
	size_t k = 0;
	const unsigned char *p = sc.s + sc.pos;
	if (sc.n - sc.pos >= 10 && p[4] == '-' && p[7] == '-' && is_digit(p[0]) &&
	    is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) && is_digit(p[5]) &&
	    is_digit(p[6]) && is_digit(p[8]) && is_digit(p[9]) &&
	    (sc.n - sc.pos == 10 || !is_digit(p[10]))) {
		/* YYYY-MM-DD, the usual one: read as the digits below would */
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		m = (p[5] - '0') * 10 + (p[6] - '0');
		d = (p[8] - '0') * 10 + (p[9] - '0');
		sc.pos += 10;
		iso = 1;
	} else {
		while (sc.pos + k < sc.n && is_digit(sc.s[sc.pos + k]))
			k++;
	}
	if (iso) {
		/* read above */
	} else if (k == 4) {
		y = digits(&sc, 4, 4);
		int sep = peek(&sc);
		if (sep != '-' && sep != '/')
			return LICIT_DATE_INVALID;
		sc.pos++;
		m = digits(&sc, 1, 2);
		if (m < 0 || !accept(&sc, sep))
			return LICIT_DATE_INVALID;
		d = digits(&sc, 1, 2);
		iso = sep == '-';
	} else if (k == 1 || k == 2) {
		d = digits(&sc, 1, 2);
		int sep = peek(&sc);
		if (sep != '/' && sep != '-' && sep != '.')
			return LICIT_DATE_INVALID;
		sc.pos++;
		m = digits(&sc, 1, 2);
		if (m < 0 || !accept(&sc, sep))
			return LICIT_DATE_INVALID;
		y = digits(&sc, 4, 4);
		iso = 0;
	} else {
		return LICIT_DATE_INVALID;
	}
	if (y < 0 || d < 0)
		return LICIT_DATE_INVALID;
	if (y < 1900 || y > 2100 || !valid_ymd(y, m, d))
		return LICIT_DATE_INVALID;
	if (time_tail(&sc, iso))
		return LICIT_DATE_INVALID;
	write_iso(y, m, d, out, cap);
	return LICIT_DATE_OK;
}

/* H. Hinnant's days_from_civil and civil_from_days. */
long licit_days_from_civil(long y, long m, long d)
{
	if (y >= 1901 && y <= 2099 && m >= 1 && m <= 12) {
		/* every fourth year a leap year (2000 is one): days before each
		 * month of a common year */
		static const short before[13] = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273,
		                                 304, 334};
		long leaps = (y - 1901) / 4 - 17; /* leap days since 1970: (y - 1969) / 4, floored */
		return 365 * (y - 1970) + leaps + before[m] + (m > 2 && (y & 3) == 0) + d - 1;
	}
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void licit_civil_from_days(long z, long *y, long *m, long *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int licit_days_weekday(long days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	long w = (days + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int licit_date_days(const char *iso, long *days)
{
	if (!iso)
		return -1;
	/* In order, stopping at the first wrong byte, so that a short string
	 * is never over-read (its NUL is neither a digit nor '-'). */
	const unsigned char *s = (const unsigned char *)iso;
#define DIGIT(i) ((unsigned)s[i] - '0')
	if (DIGIT(0) > 9 || DIGIT(1) > 9 || DIGIT(2) > 9 || DIGIT(3) > 9 || s[4] != '-' ||
	    DIGIT(5) > 9 || DIGIT(6) > 9 || s[7] != '-' || DIGIT(8) > 9 || DIGIT(9) > 9)
		return -1;
	long y = (long)(DIGIT(0) * 1000 + DIGIT(1) * 100 + DIGIT(2) * 10 + DIGIT(3));
	long m = (long)(DIGIT(5) * 10 + DIGIT(6)), dd = (long)(DIGIT(8) * 10 + DIGIT(9));
#undef DIGIT
	if (y < 1 || !valid_ymd(y, m, dd))
		return -1;
	if (days)
		*days = licit_days_from_civil(y, m, dd);
	return 0;
}

int licit_date_weekday(const char *iso)
{
	long d;
	if (licit_date_days(iso, &d))
		return -1;
	return licit_days_weekday(d);
}

/* ---- RFC 3339 timestamps (as chrono's parse_from_rfc3339 reads them) */

static int rfc_digits(const char *s, int n, long *out)
{
	long v = 0;
	for (int i = 0; i < n; i++) {
		if (!(s[i] >= '0' && s[i] <= '9'))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

int licit_rfc3339_seconds(const char *s, double *out)
{
	long y, mo, d, h, mi, se;
	if (strlen(s) < 20 || !rfc_digits(s, 4, &y) || s[4] != '-' || !rfc_digits(s + 5, 2, &mo) ||
	    s[7] != '-' || !rfc_digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !rfc_digits(s + 11, 2, &h) ||
	    s[13] != ':' || !rfc_digits(s + 14, 2, &mi) || s[16] != ':' || !rfc_digits(s + 17, 2, &se))
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) ||
	    h > 23 || mi > 59 || se > 60)
		return -1;
	const char *p = s + 19;
	double frac = 0;
	if (*p == '.') {
		double scale = 0.1;
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		while ((*p >= '0' && *p <= '9')) {
			frac += (*p - '0') * scale;
			scale /= 10;
			p++;
		}
	}
	long off = 0;
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		long oh, om;
		if (!rfc_digits(p + 1, 2, &oh) || p[3] != ':' || !rfc_digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return -1;
		off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p)
		return -1;
	*out = (double)licit_days_from_civil(y, mo, d) * 86400.0 + (double)(h * 3600 + mi * 60 + se) +
	       frac - (double)off;
	return 0;
}
