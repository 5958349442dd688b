/* Suppliers: the distinct supplier keys of each group with their amounts,
 * settled at the end into their count, the top supplier and the HHI. */
#include "kpi_impl.h"

#include <math.h>
#include <string.h>


struct sup { /* one (group, supplier) */
	uint32_t gid;
	struct ksum amt;
};

struct sgrp {
	long long suppliers;
	struct ksum amt; /* amount of the rows that name a supplier */
	struct ksum sumsq;
	double top_amt;
	long top;        /* the top supplier's entry, -1 none */
};

static void sgrp_init(void *st)
{
	struct sgrp *g = st;
	memset(g, 0, sizeof *g);
	g->top = -1;
}

static int sup_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                      const struct kpi_row *r)
{
	struct sgrp *g = st;
	(void)k;
	if (!r->suplen)
		return 0;
	int added;
	struct sup *s = kpi_keyed_put(ctx, gid, r->sup, r->suplen, r->suph, &added);
	if (!s)
		return -1;
	if (added)
		s->gid = gid;
	if (r->has_amt) {
		ksum_add(&s->amt, r->amt);
		ksum_add(&g->amt, r->amt);
	}
	return 0;
}

/* the largest supplier (on ties, the smallest supplier key in byte
 * order: the order of the rows does not matter), and the squares for HHI */
static int sup_settle(struct licit_kpi *k, void *ctx)
{
	for (size_t i = 0, n = kpi_keyed_count(ctx); i < n; i++) {
		const struct sup *s = kpi_keyed_rec(ctx, i);
		struct sgrp *g = kpi_state(k, s->gid, &kpi_sup_part);
		double a = ksum_get(&s->amt);
		g->suppliers++;
		ksum_add(&g->sumsq, a * a);
		if (g->top < 0 || a > g->top_amt ||
		    (a == g->top_amt &&
		     kpi_keyed_cmp(ctx, i, (size_t)g->top) < 0)) {
			g->top = (long)i;
			g->top_amt = a;
		}
	}
	return 0;
}

static void sgrp_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	kpi_w_sum(o, &((const struct sgrp *)st)->amt);
}

static int sgrp_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	kpi_f_sum(f, &((struct sgrp *)st)->amt);
	return 0;
}

static void sup_save(const void *rec, FILE *o)
{
	kpi_w_sum(o, &((const struct sup *)rec)->amt);
}

static void sup_merge(void *rec, int added, uint32_t gid, struct kpi_fields *f)
{
	struct sup *s = rec;
	if (added)
		s->gid = gid;
	kpi_f_sum(f, &s->amt);
}

static void sup_absorb(void *rec, int added, uint32_t gid, const void *src)
{
	struct sup *s = rec;
	if (added)
		s->gid = gid;
	kpi_ksum_merge(&s->amt, &((const struct sup *)src)->amt);
}

static const char *sup_key(const struct kpi_row *r, size_t *len, unsigned long long *h)
{
	*len = r->suplen;
	*h = r->suph;
	return r->sup;
}

const struct kpi_part kpi_sup_part = {
	.size = sizeof(struct sgrp), .init = sgrp_init, .update = sup_update,
	.settle = sup_settle, .keyed_size = sizeof(struct sup), .key = sup_key, .save = sgrp_save,
	.merge = sgrp_merge, .save_rec = sup_save, .merge_rec = sup_merge,
	.absorb_rec = sup_absorb,
};

void kpi_cell_suppliers(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                        struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	kpi_put_count(c->v, ((const struct sgrp *)st)->suppliers);
}

void kpi_cell_top_supplier(const struct licit_kpi *k, const void *ctx, const void *st,
                           int arg, struct cell *c)
{
	(void)k, (void)arg;
	const struct sgrp *g = st;
	double sup = ksum_get(&g->amt);
	if (g->top >= 0 && sup > 0) {
		c->text = kpi_keyed_key(ctx, (size_t)g->top);
		kpi_put_amount(c->num, g->top_amt);
		kpi_put_amount(c->den, sup);
	}
}

void kpi_cell_top_supplier_share(const struct licit_kpi *k, const void *ctx, const void *st,
                                 int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct sgrp *g = st;
	kpi_amount_share(k, c, g->top >= 0 ? g->top_amt : 0, ksum_get(&g->amt));
}

void kpi_cell_hhi(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                  struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	const struct sgrp *g = st;
	double sup = ksum_get(&g->amt);
	licit_kpi_format(sup > 0 ? ksum_get(&g->sumsq) / (sup * sup) : NAN, 6, c->v, sizeof c->v);
	kpi_put_amount(c->den, sup);
}
