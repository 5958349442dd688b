/* libFuzzer target, differential: the number readers against each other
 * and against simple references.
 *   licit_num_int    vs a digit-by-digit reference with overflow checks;
 *   licit_parse_number (plain decimals) vs licit_num_real (the settings
 *                    reader): same acceptance on plain decimals, same value;
 *   licit_amount_parse on a plain decimal gives the same value, and its
 *                    canonical text reads back to it;
 *   licit_amount_format then licit_parse_number gives the value back to
 *                    the 6 decimals it keeps. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "licit/core/number.h"
#include "licit/core/stats.h"
#include "licit/values/value.h"

/* [+-]digits within long long: 0 and *out, else -1 */
static int ref_int(const char *s, long long *out)
{
	int neg = *s == '-';
	if (*s == '+' || *s == '-')
		s++;
	if (!*s)
		return -1;
	long long v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		int d = *s - '0';
		if (__builtin_mul_overflow(v, 10, &v) ||
		    (neg ? __builtin_sub_overflow(v, d, &v) : __builtin_add_overflow(v, d, &v)))
			return -1;
	}
	*out = v;
	return 0;
}

/* -?digits(.digits)? with at most maxi integer and maxd decimal digits */
static int plain(const char *s, int maxi, int maxd)
{
	int ni = 0, nd = 0;
	if (*s == '-')
		s++;
	while (*s >= '0' && *s <= '9')
		s++, ni++;
	if (*s == '.') {
		s++;
		while (*s >= '0' && *s <= '9')
			s++, nd++;
		if (!nd)
			return 0;
	}
	return !*s && ni && ni <= maxi && nd <= maxd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[512];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (strlen(s) != size)
		return 0; /* a NUL inside: the readers see C strings */
	char why[160];

	long long a, b;
	int ra = licit_num_int(s, LLONG_MIN, LLONG_MAX, &a, why, sizeof why);
	int rb = ref_int(s, &b);
	if (ra != rb || (ra == 0 && a != b))
		__builtin_trap();
	if (ra == 0 && (licit_num_int(s, 0, 36600, &a, why, sizeof why) == 0) != (b >= 0 && b <= 36600))
		__builtin_trap();

	double x, y;
	int px = licit_parse_number(s, &x);
	int py = licit_num_real(s, -DBL_MAX, DBL_MAX, &y, why, sizeof why);
	if (px == 0 && (py != 0 || x != y || !isfinite(x)))
		__builtin_trap();
	if (py == 0 && plain(s, INT_MAX, INT_MAX) && px != 0)
		__builtin_trap();
	if (py == 0 && !isfinite(y))
		__builtin_trap();

	if (px == 0 && plain(s, 13, 6)) {
		struct licit_amount am;
		char canon[64];
		enum licit_amount_status st = licit_amount_parse(s, size, &am, canon, sizeof canon);
		double back;
		if (st != LICIT_AMOUNT_OK || am.value != x || licit_parse_number(canon, &back) != 0 ||
		    back != x)
			__builtin_trap();
	}
	if (px == 0 && fabs(x) < 1e12) {
		char out[64];
		double back;
		licit_amount_format(x, out, sizeof out);
		if (licit_parse_number(out, &back) != 0 || fabs(back - x) > 5e-7 + 1e-15 * fabs(x))
			__builtin_trap();
	}
	return 0;
}
