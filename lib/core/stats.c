/* Medians, quantiles and a growable double array. */
#include "licit/core/stats.h"

#include "licit/core/array.h"
#include "licit/core/error.h"

#include <math.h>
#include <stdlib.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void licit_sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
}

double licit_median(double *v, size_t n)
{
	if (n == 0)
		return NAN;
	licit_sort_doubles(v, n);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double licit_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

int licit_dvec_push(struct licit_dvec *d, double x)
{
	if (LICIT_GROW(d->v, d->cap, d->n + 1) != LICIT_OK)
		return -1;
	d->v[d->n++] = x;
	return 0;
}

void licit_dvec_fini(struct licit_dvec *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

int licit_parse_number(const char *s, double *out)
{
	/* the grammar by hand (strtod would also take " 1", "1e5", "0x1p3",
	 * "inf"), then strtod for a correctly rounded value */
	const char *p = s;
	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p)
		return -1;
	double v = strtod(s, NULL); /* C locale: licit never calls setlocale */
	if (!isfinite(v))
		return -2; /* a plain decimal beyond a double (400 nines) */
	*out = v;
	return 0;
}
