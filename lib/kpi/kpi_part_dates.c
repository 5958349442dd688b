/* Contract-level timing: days from award to signature (a histogram for
 * the median) and contracts signed before their tender was published. */
#include "kpi_impl.h"

#include <string.h>

struct sign {
	struct kpi_hist days;
	double median;
};

static void sign_init(void *st)
{
	memset(st, 0, sizeof(struct sign));
}

static int sign_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                       const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid;
	return r->dsign == NO_DAYS ? 0 : kpi_hist_add(&((struct sign *)st)->days, r->dsign);
}

static int sign_finish(void *st)
{
	struct sign *s = st;
	return kpi_hist_median(&s->days, &s->median);
}

static void sign_fini(void *st)
{
	kpi_hist_fini(&((struct sign *)st)->days);
}

static void sign_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	kpi_hist_save(&((const struct sign *)st)->days, o);
}

static int sign_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	return kpi_hist_merge(&((struct sign *)st)->days, f);
}

const struct kpi_part kpi_sign_part = {
	.size = sizeof(struct sign), .init = sign_init, .update = sign_update,
	.finish = sign_finish, .fini = sign_fini, .save = sign_save, .merge = sign_merge,
};

void kpi_cell_median_days_to_sign(const struct licit_kpi *k, const void *ctx,
                                  const void *st, int arg, struct cell *c)
{
	(void)k, (void)ctx, (void)arg;
	const struct sign *s = st;
	kpi_median_cell(c, s->median, s->days.n);
}

/* ---- signed before published ---------------------------------------------- */

struct sbp {
	long long before, both;
};

static void sbp_init(void *st)
{
	memset(st, 0, sizeof(struct sbp));
}

static int sbp_update(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
                      const struct kpi_row *r)
{
	(void)k, (void)ctx, (void)gid;
	struct sbp *s = st;
	if (r->sbp >= 0) {
		s->both++;
		s->before += r->sbp;
	}
	return 0;
}

static void sbp_save(const struct licit_kpi *k, const void *st, FILE *o)
{
	(void)k;
	const struct sbp *s = st;
	kpi_w_int(o, s->before);
	kpi_w_int(o, s->both);
}

static int sbp_merge(struct licit_kpi *k, void *st, struct kpi_fields *f)
{
	(void)k;
	struct sbp *s = st;
	s->before += kpi_f_int(f);
	s->both += kpi_f_int(f);
	return 0;
}

const struct kpi_part kpi_sbp_part = {
	.size = sizeof(struct sbp), .init = sbp_init, .update = sbp_update,
	.save = sbp_save, .merge = sbp_merge,
};

void kpi_cell_signed_before_published(const struct licit_kpi *k, const void *ctx,
                                      const void *st, int arg, struct cell *c)
{
	(void)ctx, (void)arg;
	const struct sbp *s = st;
	kpi_count_share(k, c, s->before, s->both);
}
