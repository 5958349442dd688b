/* Savings: reference amounts against the amounts paid, over the contracts
 * that have both (the reference table is read in kpi_reference.c). */
#include "kpi_impl.h"

#include <string.h>

struct savings {
	struct ksum ref, paid;
	long long n;
};

static void savings_init(void *st)
{
	memset(st, 0, sizeof(struct savings));
}

static int savings_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                          const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid;
	struct savings *s = st;
	if (r->has_ref && r->has_amt) {
		s->n++;
		ksum_add(&s->ref, r->ref);
		ksum_add(&s->paid, r->amt);
	}
	return 0;
}

static void savings_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	const struct savings *s = st;
	kpi_w_int(o, s->n);
	kpi_w_sum(o, &s->ref);
	kpi_w_sum(o, &s->paid);
}

static int savings_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	struct savings *s = st;
	s->n += kpi_f_int(f);
	kpi_f_sum(f, &s->ref);
	kpi_f_sum(f, &s->paid);
	return 0;
}

const struct kpi_part kpi_savings_part = {
	.size = sizeof(struct savings), .init = savings_init, .update = savings_update,
	.save = savings_save, .merge = savings_merge,
};

void kpi_cell_savings_amount(const struct licit_kpi *k, const void *ctx, const void *st,
                             int arg, struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	const struct savings *s = st;
	if (s->n)
		kpi_put_amount(c->v, ksum_get(&s->ref) - ksum_get(&s->paid));
}

void kpi_cell_savings_rate(const struct licit_kpi *k, const void *ctx, const void *st,
                           int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct savings *s = st;
	kpi_amount_share(k, c, s->n ? ksum_get(&s->ref) - ksum_get(&s->paid) : 0,
	                 ksum_get(&s->ref));
}
