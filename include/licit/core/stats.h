/* Order statistics over arrays of doubles. */
#ifndef LICIT_STATS_H
#define LICIT_STATS_H

#include <stddef.h>

/* Median of v[0..n) (sorts v in place); NAN when n == 0. The mean of the
 * two middle values when n is even. */
double licit_median(double *v, size_t n);

/* Quantile q in [0, 1] of an ascending array by linear interpolation
 * between closest ranks (R type 7, numpy's default); NAN when n == 0. */
double licit_quantile_sorted(const double *v, size_t n, double q);

/* Sorts ascending. */
void licit_sort_doubles(double *v, size_t n);

/* A growable array of doubles: per-group value lists. */
struct licit_dvec {
	double *v;
	size_t n, cap;
};
int licit_dvec_push(struct licit_dvec *d, double x); /* -1 on OOM */
void licit_dvec_fini(struct licit_dvec *d);

/* Strict plain decimal ("-12.5", "3"), as normalise writes numbers, and
 * finite: 0 and *out set; -1 for anything else (empty included); -2 for
 * a plain decimal beyond a double (400 nines). */
int licit_parse_number(const char *s, double *out);

#endif
