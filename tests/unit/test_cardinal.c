/* Unit tests for the Cardinal quartiles, number formatting and pipe lists. */
#include <criterion/criterion.h>

#include <math.h>
#include <string.h>

#include "licit/cardinal/cardinal.h"

Test(cardinal, quartiles_r8)
{
	/* statrs' documented example: [1, 2, 3, 4] */
	double v[] = {1, 2, 3, 4};
	cr_assert_float_eq(licit_cardinal_quantile(v, 4, 0.25), 1.4166666666666667, 1e-15);
	cr_assert_float_eq(licit_cardinal_quantile(v, 4, 0.75), 3.5833333333333333, 1e-15);
	/* n = 5: h = 5.3333 * 0.25 + 0.3333 = 1.6667, between x1 and x2 */
	double w[] = {1, 99, 99, 99, 99};
	cr_assert_float_eq(licit_cardinal_quantile(w, 5, 0.25), 1 + 98 * (2.0 / 3.0), 1e-12);
	cr_assert_float_eq(licit_cardinal_quantile(w, 5, 0.75), 99, 1e-12);
	/* edges: min below rank 1, max above rank n, NaN when empty */
	double one[] = {7};
	cr_assert_float_eq(licit_cardinal_quantile(one, 1, 0.25), 7, 0);
	cr_assert_float_eq(licit_cardinal_quantile(one, 1, 0.75), 7, 0);
	cr_assert_float_eq(licit_cardinal_quantile(v, 4, 0.0), 1, 0);
	cr_assert_float_eq(licit_cardinal_quantile(v, 4, 1.0), 4, 0);
	cr_assert(isnan(licit_cardinal_quantile(v, 0, 0.5)));
}

static void fmt(double v, const char *want)
{
	char b[64];
	licit_cardinal_format(v, b, sizeof b);
	cr_assert_str_eq(b, want, "%.17g: got %s", v, b);
}

Test(cardinal, serde_number_format)
{
	fmt(1.0, "1.0");
	fmt(0.0, "0.0");
	fmt(99.0, "99.0");
	fmt(0.01, "0.01");
	fmt(0.005, "0.005");
	fmt(-0.0167, "-0.0167");
	fmt(1.0 / 3.0, "0.3333333333333333");
	fmt(123456789.5, "123456789.5");
	fmt(1e16, "1e16");
	fmt(1e-7, "1e-7");
	fmt(NAN, "null");
	fmt(INFINITY, "null");
}

Test(cardinal, pipe_lists)
{
	struct licit_strset s = {0};
	licit_strset_parse(&s, "open|selective|");
	cr_assert_eq(s.n, 2);
	cr_assert(licit_strset_has(&s, "open"));
	cr_assert(licit_strset_has(&s, "selective"));
	cr_assert_not(licit_strset_has(&s, "limited"));
	licit_strset_parse(&s, "");
	cr_assert_eq(s.n, 0);
	licit_strset_parse(&s, "a||b");
	cr_assert_eq(s.n, 3); /* Rust's split_terminator keeps the empty middle */
	licit_strset_fini(&s);
}

Test(cardinal, codes)
{
	cr_assert_eq(licit_cardinal_lookup("R024"), LICIT_R024);
	cr_assert_eq(licit_cardinal_lookup("R999"), -1);
	cr_assert_str_eq(licit_cardinal_code(LICIT_R058), "R058");
}
