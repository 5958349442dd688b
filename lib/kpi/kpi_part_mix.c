/* The procedure mix: contracts and amounts per procedure type, over the
 * typed contracts (a non-empty procedure_type); the direct-award cap. */
#include "kpi_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct mix { /* per enum licit_ptype */
	long long typed_n, type_n[LICIT_PT_OTHER + 1];
	struct ksum typed_amt, type_amt[LICIT_PT_OTHER + 1];
};

static void mix_init(void *st)
{
	memset(st, 0, sizeof(struct mix));
}

static int mix_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                      const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid;
	struct mix *m = st;
	if (r->ptype == LICIT_PT_NONE)
		return 0;
	m->typed_n++;
	m->type_n[r->ptype]++;
	if (r->has_amt) {
		ksum_add(&m->typed_amt, r->amt);
		ksum_add(&m->type_amt[r->ptype], r->amt);
	}
	return 0;
}

static void mix_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	const struct mix *m = st;
	kpi_w_int(o, m->typed_n);
	kpi_w_sum(o, &m->typed_amt);
	for (int t = 0; t <= LICIT_PT_OTHER; t++) {
		kpi_w_int(o, m->type_n[t]);
		kpi_w_sum(o, &m->type_amt[t]);
	}
}

static int mix_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	struct mix *m = st;
	m->typed_n += kpi_f_int(f);
	kpi_f_sum(f, &m->typed_amt);
	for (int t = 0; t <= LICIT_PT_OTHER; t++) {
		m->type_n[t] += kpi_f_int(f);
		kpi_f_sum(f, &m->type_amt[t]);
	}
	return 0;
}

const struct kpi_part kpi_mix_part = {
	.size = sizeof(struct mix), .init = mix_init, .update = mix_update,
	.save = mix_save, .merge = mix_merge,
};

void kpi_cell_share_count(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                          struct cell *c)
{
	(void)ctx;
	const struct mix *m = st;
	kpi_count_share(k, c, m->type_n[arg], m->typed_n);
}

void kpi_cell_share_amount(const struct licit_kpi *k, const void *ctx, const void *st,
                           int arg, struct cell *c)
{
	(void)ctx;
	const struct mix *m = st;
	kpi_amount_share(k, c, ksum_get(&m->type_amt[arg]), ksum_get(&m->typed_amt));
}

void kpi_cell_direct_over_cap(const struct licit_kpi *k, const void *ctx, const void *st,
                              int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct mix *m = st;
	double d = ksum_get(&m->type_amt[LICIT_PT_DIRECT]), typed = ksum_get(&m->typed_amt);
	double s = licit_kpi_ratio(d, typed);
	kpi_put_amount(c->num, d);
	kpi_put_amount(c->den, typed);
	if (!isnan(s))
		snprintf(c->v, sizeof c->v, "%d", s > k->cap);
}
