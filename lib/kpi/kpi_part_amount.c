/* The contract count and the amount part: the sum of the usable amounts
 * and the group's one currency (amounts are never added across
 * currencies: a group whose currencies mix has every amount KPI empty). */
#include "kpi_impl.h"

#include <string.h>

#include "licit/core/map.h"

/* ---- contracts -------------------------------------------------------- */

static void count_init(void *st)
{
	*(long long *)st = 0;
}

static int count_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                        const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid, (void)r;
	++*(long long *)st;
	return 0;
}

static void count_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	kpi_w_int(o, *(const long long *)st);
}

static int count_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	*(long long *)st += kpi_f_int(f);
	return 0;
}

const struct kpi_part kpi_count_part = {
	.size = sizeof(long long), .init = count_init, .update = count_update,
	.save = count_save, .merge = count_merge,
};

void kpi_cell_contracts(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                        struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	kpi_put_count(c->v, *(const long long *)st);
}

/* ---- amounts ---------------------------------------------------------- */

static void amount_init(void *st)
{
	struct kpi_amount *a = st;
	memset(a, 0, sizeof *a);
	a->cur = -1;
}

static int amount_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                         const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid;
	struct kpi_amount *a = st;
	if (!r->has_amt)
		return 0;
	a->n++;
	ksum_add(&a->sum, r->amt);
	if (a->cur == -1)
		a->cur = r->cur;
	else if (a->cur >= 0 && a->cur != r->cur)
		a->cur = -2;
	if (r->cur < 32)
		a->curmask |= 1u << r->cur;
	return 0;
}

/* the currency: its number in the file's currency line, -1 none, -2 mixed */
static void amount_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	const struct kpi_amount *a = st;
	kpi_w_int(o, a->n);
	kpi_w_sum(o, &a->sum);
	kpi_w_int(o, a->cur);
	kpi_w_int(o, a->curmask);
}

static int amount_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	struct kpi_amount *a = st;
	a->n += kpi_f_int(f);
	kpi_f_sum(f, &a->sum);
	long long cur = kpi_f_int(f), mask = kpi_f_int(f);
	if (cur < -2 || cur >= (long long)f->ncur || mask < 0 || mask > UINT32_MAX) {
		f->bad = 1;
		return 0;
	}
	int c = cur >= 0 ? f->cur_map[cur] : (int)cur;
	if (a->cur == -1 || c == -2)
		a->cur = c;
	else if (c >= 0 && a->cur != c)
		a->cur = -2;
	for (size_t i = 0; i < 32 && i < f->ncur; i++)
		if (((unsigned long long)mask >> i & 1) && f->cur_map[i] < 32)
			a->curmask |= 1u << f->cur_map[i];
	return 0;
}

const struct kpi_part kpi_amount_part = {
	.size = sizeof(struct kpi_amount), .init = amount_init, .update = amount_update,
	.save = amount_save, .merge = amount_merge,
};

void kpi_cell_amount(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                     struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	kpi_put_amount(c->v, ksum_get(&((const struct kpi_amount *)st)->sum));
}

void kpi_cell_currency(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                       struct cell *c)
{
	(void)ctx, (void)arg;
	c->text = licit_map_key(k->currencies, (size_t)((const struct kpi_amount *)st)->cur, NULL);
}

void kpi_cell_amount_contracts(const struct licit_kpi *k, const void *ctx, const void *st,
                               int arg, struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	kpi_put_count(c->v, ((const struct kpi_amount *)st)->n);
}
