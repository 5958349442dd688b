/* Cardinal's statistics and numbers: quantiles (statrs), fences' quartiles,
 * doubles written as serde_json writes them. */
#include "indicators.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double licit_cardinal_quantile(const double *v, size_t n, double tau)
{
	if (n == 0 || !(tau >= 0.0 && tau <= 1.0))
		return NAN;
	double h = ((double)n + 1.0 / 3.0) * tau + 1.0 / 3.0;
	long long hf = (long long)h;
	if (hf <= 0 || tau == 0.0)
		return v[0];
	if (hf >= (long long)n || tau == 1.0)
		return v[n - 1];
	double a = v[hf - 1], b = v[hf];
	return a + (h - (double)hf) * (b - a);
}

int card_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void card_quartiles(double *v, size_t n, double *q1, double *q3)
{
	if (n)
		qsort(v, n, sizeof *v, card_cmp_double);
	*q1 = licit_cardinal_quantile(v, n, 0.25);
	*q3 = licit_cardinal_quantile(v, n, 0.75);
}

int licit_cardinal_format(double v, char *out, size_t cap)
{
	if (!isfinite(v))
		return snprintf(out, cap, "null");
	if (v == 0.0)
		return snprintf(out, cap, signbit(v) ? "-0.0" : "0.0");
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* serde_json (ryu) writes plain decimals between 1e-5 and 1e16 */
	double a = fabs(v);
	if (strchr(buf, 'e') && a >= 1e-5 && a < 1e16) {
		int digits = 0;
		for (const char *p = buf; *p && *p != 'e'; p++)
			digits += isdigit((unsigned char)*p) != 0;
		int e = (int)floor(log10(a));
		int decimals = digits - 1 - e;
		snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 0, v);
	}
	if (!strchr(buf, '.') && !strchr(buf, 'e'))
		strcat(buf, ".0");
	char *e = strchr(buf, 'e');
	if (e) { /* 1e+16 -> 1e16, 1e-07 -> 1e-7 */
		char tail[16];
		const char *p = e + 1;
		int neg = *p == '-';
		if (*p == '+' || *p == '-')
			p++;
		while (*p == '0' && p[1])
			p++;
		snprintf(tail, sizeof tail, "%s%s", neg ? "-" : "", p);
		strcpy(e + 1, tail);
	}
	return snprintf(out, cap, "%s", buf);
}

void card_put_num(FILE *f, double v)
{
	char b[64];
	licit_cardinal_format(v, b, sizeof b);
	fputs(b, f);
}

/* Meta values are rounded to 4 decimals, half away from zero. */
void card_put_meta(FILE *f, double v)
{
	card_put_num(f, round(v * 10000.0) / 10000.0);
}

void card_put_quartiles(FILE *f, int has_q, double q1, double q3)
{
	if (!has_q)
		return;
	fputs("\"q1\":", f);
	card_put_meta(f, q1);
	fputs(",\"q3\":", f);
	card_put_meta(f, q3);
	fputc(',', f);
}
