/* Indicators on the ratio of the second-lowest valid bid to the winning
 * one, against fences over every process's ratio (see indicators.h):
 * R024 (a ratio below the lower fence: bid rotation) and R058 (above the
 * upper fence: heavily discounted bid). R058 uses R024's state and
 * gather. */
#include "indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/stats.h"

struct ratio {
	double r;
	char *winner, *other;
};

struct price {
	struct licit_map *ids; /* ocids with a ratio */
	struct ratio *ratios;
	size_t cap;
	struct licit_dvec more; /* the ratios of other shards (a merge) */
	int settled;           /* q1 and q3 computed (or given by a fences file) */
	double q1, q3;
	/* Meta */
	int has_q24, has_q58;
	double fence24, fence58;
};

static void gather(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	struct price *p = st;
	if (!card_matches_details(r, &c->s->price_methods, &c->s->no_price_methods))
		return;
	const char *supplier = card_sole_winner(r);
	if (!supplier)
		return;
	const char *winner = NULL, *other = NULL;
	double wa = 0, oa = 0;
	size_t i;
	const J *bid;
	licit_json_foreach(r->details, i, bid) {
		const char *st_ = card_str(bid, "status"), *cur;
		const J *tenderers = card_arr(bid, "tenderers");
		double amount;
		if (!st_ || !card_bid_amount(bid, &amount, &cur) || !tenderers ||
		    licit_json_size(tenderers) != 1 || strcmp(st_, "valid") != 0)
			continue;
		const char *tid = card_str(licit_json_at(tenderers, 0), "id");
		if (!tid || !card_same_currency(c, cur))
			continue;
		if (strcmp(tid, supplier) == 0) {
			if (!winner || amount < wa) {
				winner = tid;
				wa = amount;
			}
		} else if (!other || amount < oa) {
			other = tid;
			oa = amount;
		}
	}
	if (!winner || !other || !(oa >= wa))
		return;
	int added;
	if (!p->ids && !(p->ids = licit_map_new()))
		goto oom;
	long k = licit_map_put(p->ids, r->ocid, strlen(r->ocid), &added);
	if (k < 0)
		goto oom;
	if (LICIT_GROW(p->ratios, p->cap, (size_t)k + 1) != LICIT_OK)
		goto oom;
	struct ratio *x = &p->ratios[k];
	if (!added) {
		free(x->winner);
		free(x->other);
	}
	x->r = (oa - wa) / wa;
	x->winner = strdup(winner);
	x->other = strdup(other);
	if (!x->winner || !x->other)
		goto oom;
	return;
oom:
	c->oom = 1;
}

static size_t count(const struct price *p)
{
	return p->ids ? licit_map_count(p->ids) : 0;
}

/* Q1 and Q3 of the ratios, once for both indicators. */
static int settle_quartiles(struct licit_cardinal *c, struct price *p)
{
	if (p->settled)
		return 0;
	size_t n = count(p);
	double *v = malloc((n + p->more.n + 1) * sizeof *v);
	if (!v) {
		c->oom = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = p->ratios[i].r;
	if (p->more.n)
		memcpy(v + n, p->more.v, p->more.n * sizeof *v);
	card_quartiles(v, n + p->more.n, &p->q1, &p->q3);
	free(v);
	p->settled = 1;
	return 0;
}

static void settle_r024(struct licit_cardinal *c, void *st)
{
	struct price *p = st;
	if (settle_quartiles(c, p) < 0)
		return;
	double fence, gate;
	size_t n = count(p);
	if (c->s->r024_has_threshold) {
		fence = c->s->r024_threshold;
		gate = 1.0; /* Cardinal's dummy q1 to pass its guard */
	} else {
		p->has_q24 = 1;
		fence = fma(p->q3 - p->q1, -1.5, p->q1); /* Rust's mul_add: one rounding */
		gate = p->q1;
	}
	p->fence24 = fence;
	/* ratios are never negative: skip when a quarter of them are 0 */
	if (gate > 0.0 && fence > 0.0)
		for (size_t i = 0; i < n; i++)
			if (p->ratios[i].r <= fence) {
				const char *ocid = licit_map_key(p->ids, i, NULL);
				card_set_result(c, G_OCID, ocid, LICIT_R024, p->ratios[i].r);
				card_set_result(c, G_TENDERER, p->ratios[i].winner, LICIT_R024, 0.0);
				card_set_result(c, G_TENDERER, p->ratios[i].other, LICIT_R024, 0.0);
				card_map_add(c, LICIT_MAP_R024, ocid, p->ratios[i].winner);
				card_map_add(c, LICIT_MAP_R024, ocid, p->ratios[i].other);
			}
}

static void settle_r058(struct licit_cardinal *c, void *st)
{
	struct price *p = st;
	if (settle_quartiles(c, p) < 0)
		return;
	double fence;
	size_t n = count(p);
	if (c->s->r058_has_threshold) {
		fence = c->s->r058_threshold;
	} else {
		p->has_q58 = 1;
		fence = fma(p->q3 - p->q1, 1.5, p->q3);
	}
	p->fence58 = fence;
	if (fence > 0.0)
		for (size_t i = 0; i < n; i++)
			if (p->ratios[i].r >= fence) {
				const char *ocid = licit_map_key(p->ids, i, NULL);
				card_set_result(c, G_OCID, ocid, LICIT_R058, p->ratios[i].r);
				card_set_result(c, G_TENDERER, p->ratios[i].winner, LICIT_R058, 0.0);
				card_map_add(c, LICIT_MAP_R058, ocid, p->ratios[i].winner);
			}
}

static void meta(const struct price *p, FILE *f, const char *sep, const char *code, int has_q,
                 const char *which, double fence)
{
	fprintf(f, "%s\"%s\":{", sep, code);
	card_put_quartiles(f, has_q, p->q1, p->q3);
	fprintf(f, "\"%s\":", which);
	card_put_meta(f, fence);
	fputc('}', f);
}

static int meta_r024(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep)
{
	const struct price *p = st;
	(void)c;
	meta(p, f, sep, "R024", p->has_q24, "lower_fence", p->fence24);
	return 1;
}

static int meta_r058(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep)
{
	const struct price *p = st;
	(void)c;
	meta(p, f, sep, "R058", p->has_q58, "upper_fence", p->fence58);
	return 1;
}

static void fini(void *st)
{
	struct price *p = st;
	size_t n = count(p);
	for (size_t i = 0; i < n; i++) {
		free(p->ratios[i].winner);
		free(p->ratios[i].other);
	}
	licit_map_free(p->ids);
	free(p->ratios);
	licit_dvec_fini(&p->more);
}

/* R024,ratio,R for every ratio (a partial file), or R024,quartiles,Q1,Q3
 * of them all (a fences file: the fences are made of these) */
static void save(struct licit_cardinal *c, void *st, struct licit_partial_out *o, int fences)
{
	struct price *p = st;
	size_t n = count(p);
	if (fences) {
		if (n + p->more.n == 0 || settle_quartiles(c, p) < 0)
			return;
		fprintf(o->f, "R024,quartiles,%.17g,%.17g", p->q1, p->q3);
		licit_partial_eol(o);
		return;
	}
	for (size_t i = 0; i < n + p->more.n; i++) {
		fprintf(o->f, "R024,ratio,%.17g", i < n ? p->ratios[i].r : p->more.v[i - n]);
		licit_partial_eol(o);
	}
}

static int take(struct licit_cardinal *c, void *st, const struct licit_partial_in *r, int fences)
{
	struct price *p = st;
	double x[2];
	size_t nx = fences ? 2 : 1;
	if (r->nf != 2 + nx || strcmp(r->fld[1], fences ? "quartiles" : "ratio") != 0)
		return -1;
	for (size_t i = 0; i < nx; i++) {
		char *end;
		x[i] = strtod(r->fld[2 + i], &end);
		if (!r->fld[2 + i][0] || *end) /* inf and nan too: a winning bid of 0 */
			return -1;
	}
	if (!fences)
		return licit_dvec_push(&p->more, x[0]) < 0 ? (c->oom = 1, -1) : 0;
	p->q1 = x[0];
	p->q3 = x[1];
	p->settled = 1;
	return 0;
}

static const struct licit_cardinal_param r024_params[] = {
	CARD_PARAM_HAS("threshold", LICIT_CP_REAL, 0, 1e9, r024_threshold, r024_has_threshold),
	CARD_PARAMS_END};
static const struct licit_cardinal_param r058_params[] = {
	CARD_PARAM_HAS("threshold", LICIT_CP_REAL, 0, 1e9, r058_threshold, r058_has_threshold),
	CARD_PARAMS_END};

const struct card_ind card_r024 = {
	.code = "R024", .params = r024_params, .state = sizeof(struct price), .shares = -1,
	.gather = gather, .settle = settle_r024, .meta = meta_r024,
	.missing = card_missing_bids_awards, .fini = fini, .save = save, .take = take};

const struct card_ind card_r058 = {
	.code = "R058", .params = r058_params, .shares = LICIT_R024, .settle = settle_r058,
	.meta = meta_r058, .missing = card_missing_bids_awards};
