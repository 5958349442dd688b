/* Strict numbers for settings, tables and option arguments. */
#include "licit/core/number.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int digit(char c) { return c >= '0' && c <= '9'; }

/* Length of the longest prefix of s that is a decimal number of the
 * grammar above (with_real: fraction and exponent allowed); 0 if none. */
static size_t scan(const char *s, int with_real)
{
	size_t i = 0, nd = 0;
	if (s[i] == '+' || s[i] == '-')
		i++;
	while (digit(s[i]))
		i++, nd++;
	if (with_real && s[i] == '.') {
		i++;
		while (digit(s[i]))
			i++, nd++;
	}
	if (!nd)
		return 0;
	if (with_real && (s[i] == 'e' || s[i] == 'E')) {
		size_t j = i + 1;
		if (s[j] == '+' || s[j] == '-')
			j++;
		if (!digit(s[j]))
			return 0;
		while (digit(s[j]))
			j++;
		i = j;
	}
	return i;
}

static int nonfinite_word(const char *s)
{
	if (*s == '+' || *s == '-')
		s++;
	return strncasecmp(s, "nan", 3) == 0 || strncasecmp(s, "inf", 3) == 0;
}

int licit_num_int(const char *s, long long lo, long long hi, long long *out, char *why,
                  size_t cap)
{
	size_t n = scan(s, 0);
	if (!n || s[n]) {
		snprintf(why, cap, "'%.40s' is not an integer", s);
		return -1;
	}
	errno = 0;
	long long v = strtoll(s, NULL, 10);
	if (errno == ERANGE || v < lo || v > hi) {
		snprintf(why, cap, "'%.40s' is out of range (%lld to %lld)", s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int licit_num_real(const char *s, double lo, double hi, double *out, char *why, size_t cap)
{
	size_t n = scan(s, 1);
	if (!n || s[n]) {
		snprintf(why, cap, nonfinite_word(s) ? "'%.40s' is not a finite number"
		                                      : "'%.40s' is not a number", s);
		return -1;
	}
	/* licit never calls setlocale: strtod reads the C locale's '.' */
	errno = 0;
	double v = strtod(s, NULL);
	if ((errno == ERANGE && fabs(v) > 1) || !isfinite(v) || v < lo || v > hi) {
		snprintf(why, cap, "'%.40s' is out of range (%.15g to %.15g)", s, lo, hi);
		return -1;
	}
	*out = v == 0 ? 0 : v; /* -0 reads as 0 */
	return 0;
}
