/* Procedures: the distinct non-empty procedure_id of each group, with the
 * procedure-level fields (procedure_type, n_tenderers, the tender and
 * award days), each the smallest non-empty value of the procedure's rows
 * (so that the order of the rows, or of partial files, does not matter),
 * settled at the end into each group's count of them, competition
 * counts and day histograms. */
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

/* procedure-level fields: the smallest non-empty value counts */
static void take_min(int32_t *dst, int32_t v, int32_t none)
{
	if (v != none && (*dst == none || v < *dst))
		*dst = v;
}

static void proc_take(struct proc *p, int type, int32_t ntend, int32_t dtender,
                      int32_t daward)
{
	if (type != LICIT_PT_NONE && (p->type == LICIT_PT_NONE || type < p->type))
		p->type = (signed char)type;
	take_min(&p->ntend, ntend < 0 ? -1 : ntend, -1);
	take_min(&p->dtender, dtender, NO_DAYS);
	take_min(&p->daward, daward, NO_DAYS);
}

static int proc_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                       const struct kpi_row *r)
{
	(void)k, (void)st;
	if (!r->proclen)
		return 0;
	int added;
	struct proc *p = kpi_keyed_put(ctx, gid, r->proc, r->proclen, r->proch, &added);
	if (!p)
		return -1;
	if (added)
		*p = (struct proc){gid, -1, NO_DAYS, NO_DAYS, LICIT_PT_NONE};
	proc_take(p, r->ptype, r->ntend, r->dtender, r->daward);
	return 0;
}

static int is_competitive(int t)
{
	return t == LICIT_PT_OPEN || t == LICIT_PT_SELECTIVE || t == LICIT_PT_LIMITED;
}

static int proc_settle(struct licit_kpi *k, void *ctx)
{
	for (size_t i = 0, n = kpi_keyed_count(ctx); i < n; i++) {
		const struct proc *p = kpi_keyed_rec(ctx, i);
		struct pgrp *g = kpi_state(k, p->gid, &kpi_proc_part);
		g->procedures++;
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

/* type, n_tenderers, tender days, award days; the unknown ones at the
 * end are left out */
static void proc_save(const void *rec, FILE *o)
{
	const struct proc *p = rec;
	int last = p->daward != NO_DAYS ? 4 : p->dtender != NO_DAYS ? 3 : p->ntend >= 0 ? 2
	         : p->type != LICIT_PT_NONE ? 1 : 0;
	if (last >= 1)
		kpi_w_opt(o, p->type, LICIT_PT_NONE);
	if (last >= 2)
		kpi_w_opt(o, p->ntend, -1);
	if (last >= 3)
		kpi_w_opt(o, p->dtender, NO_DAYS);
	if (last >= 4)
		kpi_w_opt(o, p->daward, NO_DAYS);
}

static void proc_merge(void *rec, int added, uint32_t gid, struct kpi_fields *f)
{
	struct proc *p = rec;
	if (added)
		*p = (struct proc){gid, -1, NO_DAYS, NO_DAYS, LICIT_PT_NONE};
	int32_t type = kpi_f_opt(f, LICIT_PT_NONE), ntend = kpi_f_opt(f, -1);
	int32_t dtender = kpi_f_opt(f, NO_DAYS), daward = kpi_f_opt(f, NO_DAYS);
	if (type < LICIT_PT_NONE || type > LICIT_PT_OTHER || ntend < -1)
		f->bad = 1;
	else
		proc_take(p, type, ntend, dtender, daward);
}

static void proc_absorb(void *rec, int added, uint32_t gid, const void *src)
{
	struct proc *p = rec;
	const struct proc *q = src;
	if (added)
		*p = (struct proc){gid, -1, NO_DAYS, NO_DAYS, LICIT_PT_NONE};
	proc_take(p, q->type, q->ntend, q->dtender, q->daward);
}

static const char *proc_key(const struct kpi_row *r, size_t *len, unsigned long long *h)
{
	*len = r->proclen;
	*h = r->proch;
	return r->proc;
}

const struct kpi_part kpi_proc_part = {
	.size = sizeof(struct pgrp), .init = pgrp_init, .update = proc_update,
	.settle = proc_settle, .finish = pgrp_finish, .fini = pgrp_fini,
	.keyed_size = sizeof(struct proc), .key = proc_key, .save_rec = proc_save, .merge_rec = proc_merge,
	.absorb_rec = proc_absorb,
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
