/* Procedures: the distinct non-empty procedure_id of each group, with the
 * procedure-level fields of the first row that has them (procedure_type,
 * n_tenderers, the tender and award days), settled at the end into each
 * group's competition counts and day histograms. */
#include "kpi_impl.h"

#include <math.h>
#include <string.h>


struct proc { /* one (group, procedure) */
	uint32_t gid;
	int32_t ntend, dtender, daward;
	signed char type;
};

struct pgrp {
	long long procedures;
	struct kpi_hist tend, d_tender, d_award;
	double tend_sum;
	long long single, few;
	double med_tend, med_tender, med_award;
};

static void pgrp_init(void *st)
{
	memset(st, 0, sizeof(struct pgrp));
}

static void pgrp_fini(void *st)
{
	struct pgrp *g = st;
	kpi_hist_fini(&g->tend);
	kpi_hist_fini(&g->d_tender);
	kpi_hist_fini(&g->d_award);
}

static int proc_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                       const struct kpi_row *r)
{
	(void)k;
	if (!r->proclen)
		return 0;
	int added;
	struct proc *p = kpi_keyed_put(ctx, gid, r->proc, r->proclen, &added);
	if (!p)
		return -1;
	if (added) {
		((struct pgrp *)st)->procedures++;
		*p = (struct proc){gid, -1, NO_DAYS, NO_DAYS, LICIT_PT_NONE};
	}
	/* procedure-level fields: the first non-empty value counts */
	if (p->type == LICIT_PT_NONE)
		p->type = (signed char)r->ptype;
	if (p->ntend < 0)
		p->ntend = r->ntend;
	if (p->dtender == NO_DAYS)
		p->dtender = r->dtender;
	if (p->daward == NO_DAYS)
		p->daward = r->daward;
	return 0;
}

static int is_competitive(int t)
{
	return t == LICIT_PT_OPEN || t == LICIT_PT_SELECTIVE || t == LICIT_PT_LIMITED;
}

static int proc_settle(struct licit_kpi *k, void *ctx)
{
	for (size_t i = 0; i < kpi_keyed_count(ctx); i++) {
		const struct proc *p = kpi_keyed_rec(ctx, i);
		struct pgrp *g = kpi_state(k, p->gid, &kpi_proc_part);
		if (is_competitive(p->type) && p->ntend >= 0) {
			if (kpi_hist_add(&g->tend, p->ntend) < 0)
				return -1;
			g->tend_sum += p->ntend;
			g->single += p->ntend == 1;
			g->few += p->ntend <= 3;
		}
		if (p->dtender != NO_DAYS && kpi_hist_add(&g->d_tender, p->dtender) < 0)
			return -1;
		if (p->daward != NO_DAYS && kpi_hist_add(&g->d_award, p->daward) < 0)
			return -1;
	}
	return 0;
}

static int pgrp_finish(void *st)
{
	struct pgrp *g = st;
	if (kpi_hist_median(&g->tend, &g->med_tend) < 0 ||
	    kpi_hist_median(&g->d_tender, &g->med_tender) < 0 ||
	    kpi_hist_median(&g->d_award, &g->med_award) < 0)
		return -1;
	return 0;
}

const struct kpi_part kpi_proc_part = {
	.size = sizeof(struct pgrp), .init = pgrp_init, .update = proc_update,
	.settle = proc_settle, .finish = pgrp_finish, .fini = pgrp_fini,
	.keyed_size = sizeof(struct proc),
};

#define UNUSED (void)k, (void)ctx, (void)arg

void kpi_cell_procedures(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
                         struct cell *c)
{
	UNUSED;
	kpi_put_count(c->v, ((const struct pgrp *)st)->procedures);
}

void kpi_cell_mean_tenderers(const struct licit_kpi *k, const void *ctx, const void *st,
                             int arg, struct cell *c)
{
	UNUSED;
	const struct pgrp *g = st;
	licit_kpi_format(licit_kpi_ratio(g->tend_sum, (double)g->tend.n), 6, c->v, sizeof c->v);
	kpi_put_count(c->num, (long long)g->tend_sum);
	kpi_put_count(c->den, (long long)g->tend.n);
}

void kpi_cell_median_tenderers(const struct licit_kpi *k, const void *ctx, const void *st,
                               int arg, struct cell *c)
{
	UNUSED;
	const struct pgrp *g = st;
	kpi_median_cell(c, g->med_tend, g->tend.n);
}

void kpi_cell_single_bid_rate(const struct licit_kpi *k, const void *ctx, const void *st,
                              int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct pgrp *g = st;
	kpi_count_share(k, c, g->single, (long long)g->tend.n);
}

void kpi_cell_few_bidders_rate(const struct licit_kpi *k, const void *ctx, const void *st,
                               int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct pgrp *g = st;
	kpi_count_share(k, c, g->few, (long long)g->tend.n);
}

void kpi_cell_median_days_tender(const struct licit_kpi *k, const void *ctx, const void *st,
                                 int arg, struct cell *c)
{
	UNUSED;
	const struct pgrp *g = st;
	kpi_median_cell(c, g->med_tender, g->d_tender.n);
}

void kpi_cell_median_days_to_award(const struct licit_kpi *k, const void *ctx,
                                   const void *st, int arg, struct cell *c)
{
	UNUSED;
	const struct pgrp *g = st;
	kpi_median_cell(c, g->med_award, g->d_award.n);
}
