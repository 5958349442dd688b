/* Unit tests for licit_date_parse, licit_date_days and licit_date_weekday. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

static void ok(const char *in, const char *want)
{
	char out[32];
	memset(out, 'x', sizeof out);
	enum licit_date_status st =
	        licit_date_parse(in, strlen(in), out, sizeof out);
	cr_assert_eq(st, LICIT_DATE_OK, "\"%s\": status %d", in, st);
	cr_assert_str_eq(out, want, "\"%s\": got \"%s\"", in, out);
}

static void bad(const char *in, enum licit_date_status want)
{
	char out[32];
	memset(out, 'x', sizeof out);
	enum licit_date_status st =
	        licit_date_parse(in, strlen(in), out, sizeof out);
	cr_assert_eq(st, want, "\"%s\": status %d, expected %d", in, st, want);
	cr_assert_str_eq(out, "", "\"%s\": out \"%s\"", in, out);
}

Test(date, compranet_layouts)
{
	ok("2014-11-24", "2014-11-24");
	ok("2014-11-12 19:21", "2014-11-12");
	ok("2014-11-24 00:00:00 GMT", "2014-11-24");
	ok("  2013-12-30  ", "2013-12-30");
	ok("2014-1-5", "2014-01-05");
}

Test(date, iso8601)
{
	ok("2017-03-06T00:00:00Z", "2017-03-06");
	ok("2017-03-06T23:59:59-06:00", "2017-03-06"); /* zone not shifted */
	ok("2017-03-06T00:00:00.000+0000", "2017-03-06");
	ok("2017-03-06T10:15:30.123456+05:30", "2017-03-06");
	ok("2017-03-06T10:15-06", "2017-03-06");
	ok("2017-03-06 10:15:30 UTC", "2017-03-06");
}

Test(date, day_first_and_slashes)
{
	ok("06/03/2017", "2017-03-06");
	ok("06-03-2017", "2017-03-06");
	ok("6/3/2017", "2017-03-06");
	ok("31/12/2014 10:30", "2014-12-31");
	ok("24/11/2014 10:30:00 a. m.", "2014-11-24");
	ok("24/11/2014 10:30 PM", "2014-11-24");
	ok("2017/03/06", "2017-03-06");
}

Test(date, leap_years)
{
	ok("2012-02-29", "2012-02-29");
	ok("2000-02-29", "2000-02-29");
	ok("29/02/2016", "2016-02-29");
	bad("2013-02-29", LICIT_DATE_INVALID);
	bad("1900-02-29", LICIT_DATE_INVALID); /* century, not leap */
	bad("2100-02-29", LICIT_DATE_INVALID);
	bad("2012-02-30", LICIT_DATE_INVALID);
}

Test(date, impossible)
{
	bad("2013-13-01", LICIT_DATE_INVALID);
	bad("2013-00-10", LICIT_DATE_INVALID);
	bad("2013-01-00", LICIT_DATE_INVALID);
	bad("2014-04-31", LICIT_DATE_INVALID);
	bad("31/04/2014", LICIT_DATE_INVALID);
	bad("1899-12-31", LICIT_DATE_INVALID);
	bad("2101-01-01", LICIT_DATE_INVALID);
	ok("1900-01-01", "1900-01-01");
	ok("2100-12-31", "2100-12-31");
}

Test(date, malformed)
{
	bad("", LICIT_DATE_EMPTY);
	bad("   \t", LICIT_DATE_EMPTY);
	bad("2014-11-24x", LICIT_DATE_INVALID);
	bad("2014-11-24 foo", LICIT_DATE_INVALID);
	bad("2014-11-24T", LICIT_DATE_INVALID);
	bad("2014-11-24 25:00", LICIT_DATE_INVALID);
	bad("2014-11-24 10:61", LICIT_DATE_INVALID);
	bad("2014-11/24", LICIT_DATE_INVALID);
	bad("20141124", LICIT_DATE_INVALID);
	bad("06/03/17", LICIT_DATE_INVALID); /* two-digit year */
	bad("2014-11-124", LICIT_DATE_INVALID);
	bad("02014-11-24", LICIT_DATE_INVALID);
	bad("2014-11", LICIT_DATE_INVALID);
	bad("2014-", LICIT_DATE_INVALID);
	bad("ABIERTO", LICIT_DATE_INVALID);
	bad("\xff\xfe\xc3", LICIT_DATE_INVALID);
	bad("2014-11-24\xc3", LICIT_DATE_INVALID);
}

Test(date, lengths_and_buffers)
{
	char out[16];
	/* n is honoured: the time after n is not seen. */
	cr_assert_eq(licit_date_parse("2014-11-24Tgarbage", 10, out, sizeof out),
	             LICIT_DATE_OK);
	cr_assert_str_eq(out, "2014-11-24");
	static const char nul[] = "2014-11-24\0junk";
	cr_assert_eq(licit_date_parse(nul, sizeof nul - 1, out, sizeof out),
	             LICIT_DATE_INVALID);
	cr_assert_eq(licit_date_parse("2014-11-24", 10, out, 5), LICIT_DATE_OK);
	cr_assert_str_eq(out, "2014");
	out[0] = 'q';
	cr_assert_eq(licit_date_parse("2014-11-24", 10, out, 0), LICIT_DATE_OK);
	cr_assert_eq(out[0], 'q');
	cr_assert_eq(licit_date_parse(NULL, 0, out, sizeof out),
	             LICIT_DATE_EMPTY);

	size_t n = 1 << 20;
	char *big = malloc(n);
	cr_assert_not_null(big);
	memset(big, ' ', n);
	cr_assert_eq(licit_date_parse(big, n, out, sizeof out),
	             LICIT_DATE_EMPTY);
	memcpy(big + n / 2, "2014-11-24", 10);
	cr_assert_eq(licit_date_parse(big, n, out, sizeof out), LICIT_DATE_OK);
	memset(big, '9', n);
	cr_assert_eq(licit_date_parse(big, n, out, sizeof out),
	             LICIT_DATE_INVALID);
	free(big);
}

Test(date, days)
{
	long d = 12345;
	cr_assert_eq(licit_date_days("1970-01-01", &d), 0);
	cr_assert_eq(d, 0);
	cr_assert_eq(licit_date_days("1970-01-02", &d), 0);
	cr_assert_eq(d, 1);
	cr_assert_eq(licit_date_days("1969-12-31", &d), 0);
	cr_assert_eq(d, -1);
	cr_assert_eq(licit_date_days("2000-03-01", &d), 0);
	cr_assert_eq(d, 11017);
	cr_assert_eq(licit_date_days("2014-11-24", &d), 0);
	cr_assert_eq(d, 16398);
	cr_assert_eq(licit_date_days("1900-01-01", &d), 0);
	cr_assert_eq(d, -25567);
	/* Only the first 10 bytes count. */
	cr_assert_eq(licit_date_days("2014-11-24T10:00:00Z", &d), 0);
	cr_assert_eq(d, 16398);
	/* Differences across a leap day. */
	long a, b;
	cr_assert_eq(licit_date_days("2016-02-28", &a), 0);
	cr_assert_eq(licit_date_days("2016-03-01", &b), 0);
	cr_assert_eq(b - a, 2);
	cr_assert_eq(licit_date_days("2015-02-28", &a), 0);
	cr_assert_eq(licit_date_days("2015-03-01", &b), 0);
	cr_assert_eq(b - a, 1);
}

Test(date, days_invalid)
{
	long d = 7;
	cr_assert_eq(licit_date_days("2013-02-29", &d), -1);
	cr_assert_eq(licit_date_days("2013-13-01", &d), -1);
	cr_assert_eq(licit_date_days("2013/01/01", &d), -1);
	cr_assert_eq(licit_date_days("2013-01", &d), -1); /* short: no over-read */
	cr_assert_eq(licit_date_days("", &d), -1);
	cr_assert_eq(licit_date_days(NULL, &d), -1);
	cr_assert_eq(d, 7);
}

Test(date, weekday)
{
	cr_assert_eq(licit_date_weekday("1970-01-01"), 3); /* Thursday */
	cr_assert_eq(licit_date_weekday("1970-01-05"), 0); /* Monday */
	cr_assert_eq(licit_date_weekday("1969-12-28"), 6); /* Sunday */
	cr_assert_eq(licit_date_weekday("2014-11-24"), 0); /* Monday */
	cr_assert_eq(licit_date_weekday("2000-02-29"), 1); /* Tuesday */
	cr_assert_eq(licit_date_weekday("1900-01-01"), 0); /* Monday */
	cr_assert_eq(licit_date_weekday("2024-12-25"), 2); /* Wednesday */
	cr_assert_eq(licit_date_weekday("2014-02-30"), -1);
	cr_assert_eq(licit_date_weekday("nonsense"), -1);
}

Test(date, rfc3339_seconds_are_utc_and_strict)
{
	double a, b;
	cr_assert_eq(licit_rfc3339_seconds("2015-02-10T10:00:00-06:00", &a), 0);
	cr_assert_eq(licit_rfc3339_seconds("2015-02-10T16:00:00Z", &b), 0);
	cr_assert_float_eq(a, b, 1e-9);
	cr_assert_eq(licit_rfc3339_seconds("1970-01-01T00:00:01.5Z", &a), 0);
	cr_assert_float_eq(a, 1.5, 1e-9);
	cr_assert_eq(licit_rfc3339_seconds("2015-02-10", &a), -1);          /* a bare date */
	cr_assert_eq(licit_rfc3339_seconds("2015-02-10T10:00:00", &a), -1); /* no zone */
	cr_assert_eq(licit_rfc3339_seconds("2015-02-29T10:00:00Z", &a), -1);
	cr_assert_eq(licit_rfc3339_seconds("2015-02-10T", &a), -1);
}

/* The one copy of the calendar: day numbers both ways, leap years,
 * month lengths and weekdays, over every day of 1600..2400. */
Test(date, calendar_round_trip)
{
	long expect = licit_days_from_civil(1600, 1, 1);
	cr_assert_eq(licit_days_from_civil(1970, 1, 1), 0);
	cr_assert_eq(licit_days_from_civil(2000, 3, 1), 11017);
	cr_assert_eq(licit_days_from_civil(1969, 12, 31), -1);
	for (long y = 1600; y <= 2400; y++)
		for (long m = 1; m <= 12; m++)
			for (long d = 1; d <= licit_month_days(y, m); d++) {
				long days = licit_days_from_civil(y, m, d), yy, mm, dd;
				cr_assert_eq(days, expect, "%ld-%ld-%ld", y, m, d);
				licit_civil_from_days(days, &yy, &mm, &dd);
				cr_assert(yy == y && mm == m && dd == d, "%ld: %ld-%ld-%ld", days,
				          yy, mm, dd);
				expect++;
			}
	cr_assert(licit_leap_year(2000) && licit_leap_year(2024));
	cr_assert(!licit_leap_year(1900) && !licit_leap_year(2100) && !licit_leap_year(2023));
	cr_assert_eq(licit_month_days(1900, 2), 28);
	cr_assert_eq(licit_month_days(2000, 2), 29);
	cr_assert_eq(licit_month_days(2023, 4), 30);
	cr_assert_eq(licit_month_days(2023, 0), 0);
	cr_assert_eq(licit_month_days(2023, 13), 0);
	cr_assert_eq(licit_days_weekday(0), 3);    /* a Thursday */
	cr_assert_eq(licit_days_weekday(-1), 2);   /* 1969-12-31, a Wednesday */
	cr_assert_eq(licit_days_weekday(licit_days_from_civil(2024, 2, 5)), 0);
	cr_assert_eq(licit_days_weekday(licit_days_from_civil(1600, 1, 2)), 6);
}
