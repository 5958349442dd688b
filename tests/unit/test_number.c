/* Unit tests for the strict numbers of settings, tables and options
 * (licit_num_int, licit_num_real) and for licit_parse_number. */
#include <criterion/criterion.h>

#include <math.h>

#include "licit/core/number.h"
#include "licit/core/stats.h"

static void int_ok(const char *s, long long lo, long long hi, long long want)
{
	long long v = -42;
	char why[160] = "";
	cr_assert_eq(licit_num_int(s, lo, hi, &v, why, sizeof why), 0, "'%s': %s", s, why);
	cr_assert_eq(v, want, "'%s' read as %lld", s, v);
}

static void int_bad(const char *s, long long lo, long long hi, const char *why_want)
{
	long long v = -42;
	char why[160] = "";
	cr_assert_eq(licit_num_int(s, lo, hi, &v, why, sizeof why), -1, "'%s' accepted", s);
	cr_assert_eq(v, -42, "'%s': *out written on error", s);
	cr_assert_str_eq(why, why_want);
}

static void real_ok(const char *s, double lo, double hi, double want)
{
	double v = -42;
	char why[160] = "";
	cr_assert_eq(licit_num_real(s, lo, hi, &v, why, sizeof why), 0, "'%s': %s", s, why);
	cr_assert_eq(v, want, "'%s' read as %.17g", s, v);
}

static void real_bad(const char *s, double lo, double hi, const char *why_want)
{
	double v = -42;
	char why[160] = "";
	cr_assert_eq(licit_num_real(s, lo, hi, &v, why, sizeof why), -1, "'%s' accepted", s);
	cr_assert_eq(v, -42);
	cr_assert_str_eq(why, why_want);
}

Test(number, integers)
{
	int_ok("0", 0, 10, 0);
	int_ok("10", 0, 10, 10);
	int_ok("-3", -5, 10, -3);
	int_ok("+7", 0, 10, 7);
	int_ok("9223372036854775807", 0, 9223372036854775807LL, 9223372036854775807LL);
	int_bad("11", 0, 10, "'11' is out of range (0 to 10)");
	int_bad("-1", 0, 10, "'-1' is out of range (0 to 10)");
	int_bad("9223372036854775808", 0, 9223372036854775807LL,
	        "'9223372036854775808' is out of range (0 to 9223372036854775807)");
	int_bad("99999999999999999999", 0, 100, "'99999999999999999999' is out of range (0 to 100)");
	int_bad("", 0, 10, "'' is not an integer");
	int_bad(" 5", 0, 10, "' 5' is not an integer");
	int_bad("5 ", 0, 10, "'5 ' is not an integer");
	int_bad("5d", 0, 10, "'5d' is not an integer");
	int_bad("1e3", 0, 5000, "'1e3' is not an integer");
	int_bad("2.0", 0, 5, "'2.0' is not an integer");
	int_bad("0x10", 0, 50, "'0x10' is not an integer");
	int_bad("-", 0, 5, "'-' is not an integer");
}

Test(number, reals)
{
	real_ok("0.5", 0, 1, 0.5);
	real_ok("1", 0, 1, 1);
	real_ok(".25", 0, 1, 0.25);
	real_ok("3.", 0, 5, 3);
	real_ok("1e3", 0, 1e4, 1000);
	real_ok("-0", 0, 1, 0);
	real_ok("1e-400", 0, 1, 0); /* underflow reads as 0, within range */
	real_ok("0.1", 0, 1, 0.1);  /* correctly rounded */
	real_bad("nan", 0, 1, "'nan' is not a finite number");
	real_bad("-inf", -1, 1, "'-inf' is not a finite number");
	real_bad("Infinity", 0, 1, "'Infinity' is not a finite number");
	real_bad("1e400", 0, 1e300, "'1e400' is out of range (0 to 1e+300)");
	real_bad("1.5", 0, 1, "'1.5' is out of range (0 to 1)");
	real_bad("0x1p3", 0, 100, "'0x1p3' is not a number");
	real_bad("1,5", 0, 5, "'1,5' is not a number");
	real_bad("", 0, 5, "'' is not a number");
	real_bad(".", 0, 5, "'.' is not a number");
	real_bad("1e", 0, 5, "'1e' is not a number");
	real_bad("0.5 # half", 0, 5, "'0.5 # half' is not a number");
}

Test(number, parse_number_finite)
{
	char nines[401];
	memset(nines, '9', 400);
	nines[400] = '\0';
	double v = 1;
	cr_assert_eq(licit_parse_number(nines, &v), -2, "400 nines read as %g", v);
	cr_assert_eq(licit_parse_number("-12.5", &v), 0);
	cr_assert_eq(v, -12.5);
	cr_assert_eq(licit_parse_number("123456.789", &v), 0);
	cr_assert_eq(v, 123456.789); /* the double strtod gives, not a sum of digits */
	cr_assert_eq(licit_parse_number("inf", &v), -1);
	cr_assert_eq(licit_parse_number("1e5", &v), -1);
	cr_assert_eq(licit_parse_number(" 1", &v), -1);
}
