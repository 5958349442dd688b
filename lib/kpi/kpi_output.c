/* The output: the formulas and number formats, the order of the groups,
 * the closing warnings, and the rows written through the caller's emit. */
#include "kpi_impl.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/values/value.h"

/* ---- formulas and formats -------------------------------------------- */

double licit_kpi_ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den == 0)
		return NAN;
	return num / den;
}

double licit_kpi_hhi(const double *a, size_t n)
{
	struct ksum s = {0, 0};
	double sq = 0;
	for (size_t i = 0; i < n; i++) {
		ksum_add(&s, a[i]);
		sq += a[i] * a[i];
	}
	double t = ksum_get(&s);
	return t > 0 ? sq / (t * t) : NAN;
}

size_t licit_kpi_format(double v, int decimals, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	if (isnan(v) || isinf(v)) {
		out[0] = '\0';
		return 0;
	}
	int n = snprintf(out, cap, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return 0;
	}
	if (memchr(out, '.', (size_t)n)) {
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (strcmp(out, "-0") == 0) {
		memcpy(out, "0", 2);
		n = 1;
	}
	return (size_t)n;
}

void kpi_put_count(char *out, long long n)
{
	snprintf(out, 64, "%lld", n);
}

void kpi_put_amount(char *out, double a)
{
	if (isnan(a))
		out[0] = '\0';
	else
		licit_amount_format(a, out, 64);
}

/* a share or rate: a fraction, or a percentage with --percent */
static void put_share(const struct licit_kpi *k, char *out, double x)
{
	if (k->percent)
		licit_kpi_format(x * 100, 4, out, 64);
	else
		licit_kpi_format(x, 6, out, 64);
}

void kpi_count_share(const struct licit_kpi *k, struct cell *c, long long num, long long den)
{
	kpi_put_count(c->num, num);
	kpi_put_count(c->den, den);
	put_share(k, c->v, licit_kpi_ratio((double)num, (double)den));
}

void kpi_amount_share(const struct licit_kpi *k, struct cell *c, double num, double den)
{
	kpi_put_amount(c->num, num);
	kpi_put_amount(c->den, den);
	put_share(k, c->v, licit_kpi_ratio(num, den));
}

void kpi_median_cell(struct cell *c, double med, uint64_t n)
{
	licit_kpi_format(med, 6, c->v, sizeof c->v);
	kpi_put_count(c->den, (long long)n);
}

/* ---- order, warnings, columns ------------------------------------------ */

struct okey {
	const char *key;
	size_t len, idx;
};

static int okey_cmp(const void *a, const void *b)
{
	const struct okey *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static int mixed_warning(struct licit_kpi *k, const char *group, const struct kpi_amount *a)
{
	char cur[200] = "";
	size_t p = 0;
	for (int i = 0; i < 32 && (size_t)i < licit_map_count(k->currencies); i++) {
		if (!(a->curmask & (1u << i)))
			continue;
		int n = snprintf(cur + p, sizeof cur - p, "%s%s", p ? ", " : "",
		                 licit_map_key(k->currencies, (size_t)i, NULL));
		if (n < 0 || (size_t)n >= sizeof cur - p)
			break;
		p += (size_t)n;
	}
	licit_diag(k->diag, k->diag_ctx, LICIT_WARNING, NULL, 0, NULL, NULL,
	           "%s: amounts in more than one currency (%s) without amount_mxn: "
	           "amount KPIs left empty (amounts are never added across "
	           "currencies; licit normalise --rates fills amount_mxn)",
	           group, cur);
	return 0;
}

/* "entity_id=IMSS, year=2015" for messages */
static char *group_label(const struct licit_kpi *k, const char *key)
{
	size_t len = 32;
	const char *p = key;
	for (size_t i = 0; i < k->nby; i++) {
		size_t n = key ? strlen(p) : 3;
		len += strlen(k->by[i]) + n + 3;
		if (key)
			p += n + 1;
	}
	char *s = malloc(len);
	if (!s)
		return NULL;
	if (!k->nby) {
		snprintf(s, len, "all rows");
		return s;
	}
	size_t o = (size_t)snprintf(s, len, "group ");
	p = key;
	for (size_t i = 0; i < k->nby; i++) {
		o += (size_t)snprintf(s + o, len - o, "%s%s=%s", i ? ", " : "", k->by[i],
		                      key ? p : "ALL");
		if (key)
			p += strlen(p) + 1;
	}
	return s;
}

static const struct kpi_amount *amount_of(const struct licit_kpi *k, const unsigned char *g)
{
	return k->amount_off >= 0 ? (const struct kpi_amount *)(g + k->amount_off) : NULL;
}

static const unsigned char *group_at(const struct licit_kpi *k, size_t i)
{
	return i < k->norder ? k->g + k->order[i] * k->stride : k->all;
}

void kpi_unusable_report(struct licit_kpi *k)
{
	for (size_t i = 0; i < k->nunusable; i++) {
		const struct kpi_unusable *u = &k->unusable[i];
		licit_diag(k->diag, k->diag_ctx, LICIT_WARNING, NULL, 0, NULL, NULL,
		           "%s: %lld value%s %s%s", u->field, u->n, u->n == 1 ? "" : "s", u->why,
		           u->then);
	}
}

/* The group order, the warnings and the column names, once the parts
 * have settled. */
int kpi_output_prepare(struct licit_kpi *k)
{
	size_t ng = licit_map_count(k->groups);
	struct okey *ok = malloc((ng ? ng : 1) * sizeof *ok);
	k->order = malloc((ng + 1) * sizeof *k->order);
	if (!ok || !k->order) {
		free(ok);
		return -1;
	}
	for (size_t i = 0; i < ng; i++) {
		ok[i].key = licit_map_key(k->groups, i, &ok[i].len);
		ok[i].idx = i;
	}
	qsort(ok, ng, sizeof *ok, okey_cmp);
	for (size_t i = 0; i < ng; i++)
		k->order[i] = ok[i].idx;
	free(ok);
	k->norder = ng;

	kpi_unusable_report(k);
	for (size_t i = 0; k->amount_off >= 0 && i <= ng; i++) {
		if (i == ng && !k->total)
			break;
		if (amount_of(k, group_at(k, i))->cur != -2)
			continue;
		char *label = group_label(k, i < ng ? licit_map_key(k->groups, k->order[i], NULL)
		                                    : NULL);
		if (!label || mixed_warning(k, label, amount_of(k, group_at(k, i))) < 0) {
			free(label);
			return -1;
		}
		free(label);
	}

	size_t nc = k->nby + (k->long_form ? 4 : k->nkpis);
	k->colnames = malloc(nc * sizeof *k->colnames);
	if (!k->colnames)
		return -1;
	for (size_t i = 0; i < k->nby; i++)
		k->colnames[i] = k->by[i];
	if (k->long_form) {
		static const char *const lc[] = {"kpi", "value", "numerator", "denominator"};
		for (size_t i = 0; i < 4; i++)
			k->colnames[k->nby + i] = lc[i];
	} else {
		for (size_t i = 0; i < k->nkpis; i++)
			k->colnames[k->nby + i] = kpi_table[k->kpis[i]].name;
	}
	k->ncols = nc;
	return 0;
}

size_t licit_kpi_columns(const struct licit_kpi *k, const char *const **names)
{
	*names = k->colnames;
	return k->ncols;
}

size_t licit_kpi_ngroup_columns(const struct licit_kpi *k)
{
	return k->nby;
}

int licit_kpi_column_numeric(const struct licit_kpi *k, size_t i)
{
	if (i < k->nby || i >= k->ncols)
		return 0;
	if (k->long_form)
		return i > k->nby; /* value, numerator, denominator; not kpi */
	return !(kpi_table[k->kpis[i - k->nby]].flags & LICIT_KPI_TEXT);
}

/* ---- rows --------------------------------------------------------------- */

static void fill_cell(const struct licit_kpi *k, const unsigned char *g, int kpi,
                      struct cell *c)
{
	const struct kpi_def *d = &kpi_table[kpi];
	c->text = NULL;
	c->v[0] = c->num[0] = c->den[0] = '\0';
	if (d->in & ~k->have)
		return; /* no input had the columns it is built on */
	if ((d->flags & KPI_AMOUNT_GATED) && amount_of(k, g)->cur < 0)
		return; /* no amount, or currencies mix */
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i] == d->part) {
			d->cell(k, &k->keyed[i], g + k->part_off[i], d->arg, c);
			return;
		}
}

int licit_kpi_write(struct licit_kpi *k,
                    int (*emit)(void *ctx, const char *const *values), void *ctx)
{
	if (!k->finished)
		return -1;
	const char **vals = malloc((k->ncols + 1) * sizeof *vals);
	struct cell *cells = malloc((k->nkpis + 1) * sizeof *cells);
	int rc = -1;
	if (!vals || !cells)
		goto done;
	rc = 0;
	for (size_t i = 0; i <= k->norder && rc == 0; i++) {
		if (i == k->norder && !k->total)
			break;
		const unsigned char *g = group_at(k, i);
		const char *p = i < k->norder ? licit_map_key(k->groups, k->order[i], NULL) : NULL;
		for (size_t j = 0; j < k->nby; j++) {
			vals[j] = p ? p : "ALL";
			if (p)
				p += strlen(p) + 1;
		}
		for (size_t j = 0; j < k->nkpis; j++)
			fill_cell(k, g, k->kpis[j], &cells[j]);
		if (!k->long_form) {
			for (size_t j = 0; j < k->nkpis; j++)
				vals[k->nby + j] = cells[j].text ? cells[j].text : cells[j].v;
			rc = emit(ctx, vals);
			continue;
		}
		for (size_t j = 0; j < k->nkpis && rc == 0; j++) {
			vals[k->nby] = kpi_table[k->kpis[j]].name;
			vals[k->nby + 1] = cells[j].text ? cells[j].text : cells[j].v;
			vals[k->nby + 2] = cells[j].num;
			vals[k->nby + 3] = cells[j].den;
			rc = emit(ctx, vals);
		}
	}
done:
	free(vals);
	free(cells);
	return rc;
}
