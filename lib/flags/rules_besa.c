/* The BESA execution rules: payment, delivery, guarantee and register of
 * a contract (columns the settings name, beside the canonical ones). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/stats.h"
#include "licit/values/value.h"

struct besa {
	struct licit_map *reg;
	int invoice, payment, due, delivered, penalty, guarantee; /* input columns, -1 */
};

static int reg_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct besa *b = ctx;
	if (r->len[0] && licit_map_put(b->reg, r->v[0], r->len[0], NULL) < 0)
		return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	return 0;
}

static int besa_init(struct licit_flags *f, void *st, struct licit_error *err)
{
	struct besa *b = st;
	if (!*f->p->register_table.v)
		flags_off(f, &besa_unregistered);
	if (flags_on(f, &besa_unregistered)) {
		static const struct licit_table_col c[] = {{"contract_id", LICIT_COL_REQUIRED}};
		if (!(b->reg = licit_map_new()))
			return licit_error_set(err, "", 0, NULL, "out of memory");
		if (flags_table(f, f->p->register_table.v, c, 1, reg_row, b, err))
			return LICIT_ERR;
	}
	return 0;
}

static void besa_fini(void *st) { licit_map_free(((struct besa *)st)->reg); }

static void besa_bind(struct licit_flags *f, void *st, const struct flags_header *r)
{
	struct besa *b = st;
	const struct licit_mx_params *p = f->p;
	int late = flags_on(f, &besa_late_payment), pen = flags_on(f, &besa_no_penalty);
	const char *lc = besa_late_payment.code, *pc = besa_no_penalty.code;
	b->invoice = flags_setting_col(f, r, late, lc, "invoice_column", &p->col_invoice);
	b->payment = flags_setting_col(f, r, late, lc, "payment_column", &p->col_payment);
	b->due = flags_setting_col(f, r, pen, pc, "due_column", &p->col_due);
	b->delivered = flags_setting_col(f, r, pen, pc, "delivered_column", &p->col_delivered);
	b->penalty = flags_setting_col(f, r, pen, pc, "penalty_column", &p->col_penalty);
	b->guarantee = flags_setting_col(f, r, flags_on(f, &besa_guarantee), besa_guarantee.code,
	                                 "column", &p->col_guarantee);
}

const struct flags_family fam_besa = {sizeof(struct besa), besa_init, besa_fini, besa_bind,
                                      NULL, NULL, NULL, NULL, NULL, NULL};

/* A date in a column the settings name: its first ten characters. */
static long col_day(const struct frow *x, int c)
{
	long d;
	return licit_date_days(fx_col(x, c), &d) == 0 ? d : -1;
}

/* ---- BESA-LATE-PAYMENT ------------------------------------------------------------ */

static enum licit_outcome late_eval(struct licit_flags *f, void *st, struct frow *x,
                                    struct why *w)
{
	const struct besa *b = st;
	long inv = col_day(x, b->invoice), pay = col_day(x, b->payment);
	if (inv < 0 || pay < 0)
		return LICIT_NA;
	w->n = pay - inv;
	return w->n > f->p->late_days ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void late_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                         const struct why *w, struct licit_flag *o)
{
	(void)st;
	(void)x;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason, "paid %ld days after the invoice (> %ld)", w->n,
	         f->p->late_days);
}

static const struct flags_param late_params[] = {
	PARAM("days", "20", "days from invoice to payment above which it is raised", P_INT, DAYS, late_days),
	PARAM("invoice_column", "invoice_date", "input column with the invoice date", P_TEXT, NORANGE, col_invoice),
	PARAM("payment_column", "payment_date", "input column with the payment date", P_TEXT, NORANGE, col_payment),
	P_END};

const struct flags_rule besa_late_payment = {
	"BESA-LATE-PAYMENT", "payment more than a number of days after the invoice", "true",
	late_params, &fam_besa, late_eval, late_explain};

/* ---- BESA-NO-PENALTY -------------------------------------------------------------- */

static enum licit_outcome penalty_eval(struct licit_flags *f, void *st, struct frow *x,
                                       struct why *w)
{
	(void)f;
	const struct besa *b = st;
	long due = col_day(x, b->due), got = col_day(x, b->delivered);
	double p;
	if (due < 0 || got < 0 || b->penalty < 0)
		return LICIT_NA;
	w->n = got - due;
	return got > due && (licit_parse_number(fx_col(x, b->penalty), &p) || p <= 0)
	       ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void penalty_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                            const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)x;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason,
	         "delivered %ld days late and no penalty applied (2.5 %% a day, up to 10 %%)", w->n);
}

static const struct flags_param penalty_params[] = {
	PARAM("due_column", "delivery_due", "input column with the agreed delivery date", P_TEXT, NORANGE, col_due),
	PARAM("delivered_column", "delivery_date", "input column with the actual delivery date", P_TEXT, NORANGE, col_delivered),
	PARAM("penalty_column", "penalty_amount", "input column with the penalty applied", P_TEXT, NORANGE, col_penalty),
	P_END};

const struct flags_rule besa_no_penalty = {
	"BESA-NO-PENALTY", "late delivery without a penalty applied", "true", penalty_params,
	&fam_besa, penalty_eval, penalty_explain};

/* ---- BESA-GUARANTEE --------------------------------------------------------------- */

static enum licit_outcome guarantee_eval(struct licit_flags *f, void *st, struct frow *x,
                                         struct why *w)
{
	(void)w;
	const struct besa *b = st;
	double gv;
	if (b->guarantee < 0 || !x->c.has_mxn)
		return LICIT_NA;
	return licit_parse_number(fx_col(x, b->guarantee), &gv) != 0 ||
	       gv < f->p->guarantee_share * x->c.mxn ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void guarantee_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                              const struct why *w, struct licit_flag *o)
{
	(void)w;
	const char *g = fx_col(x, ((const struct besa *)st)->guarantee);
	char a1[48];
	snprintf(o->value, sizeof o->value, "%.40s", g);
	flags_amount(f->p->guarantee_share * x->c.mxn, a1, sizeof a1);
	snprintf(o->reason, sizeof o->reason, "guarantee %s below %s (%.0f %% of the amount)",
	         *g ? g : "missing", a1, 100 * f->p->guarantee_share);
}

static const struct flags_param guarantee_params[] = {
	PARAM("column", "guarantee_amount", "input column with the guarantee amount", P_TEXT, NORANGE, col_guarantee),
	PARAM("share", "0.1", "minimum guarantee as a share of the contract amount", P_REAL, SHARE, guarantee_share),
	P_END};

const struct flags_rule besa_guarantee = {
	"BESA-GUARANTEE", "performance guarantee missing or below a share of the amount", "true",
	guarantee_params, &fam_besa, guarantee_eval, guarantee_explain};

/* ---- BESA-UNREGISTERED ------------------------------------------------------------ */

static enum licit_outcome unreg_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	(void)w;
	const struct besa *b = st;
	size_t cn = x->c.len[LICIT_F_CONTRACT_ID];
	long sd = fx_day(x, LICIT_F_SIGNED_DATE);
	if (!x->c.has_mxn || sd < 0 || !cn)
		return LICIT_NA;
	return x->c.mxn >= f->p->unreg_amount && sd >= f->p->unreg_since &&
	       licit_map_get(b->reg, fx_text(x, LICIT_F_CONTRACT_ID), cn) < 0
	       ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void unreg_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)w;
	flags_amount(x->c.mxn, o->value, sizeof o->value);
	snprintf(o->reason, sizeof o->reason,
	         "contract %.60s of %s MXN signed %.10s is not in the register",
	         fx_text(x, LICIT_F_CONTRACT_ID), o->value, fx_text(x, LICIT_F_SIGNED_DATE));
}

static const struct flags_param unreg_params[] = {
	PARAM("register", "", "CSV with a contract_id column: the contracts in the register", P_TEXT, NORANGE, register_table),
	PARAM("amount", "15000000", "contracts of at least this amount (MXN) must be registered", P_REAL, AMOUNT, unreg_amount),
	PARAM("since", "2021-10-18", "signed on or after this date", P_DATE, NORANGE, unreg_since),
	P_END};

const struct flags_rule besa_unregistered = {
	"BESA-UNREGISTERED", "large contract missing from the BESA register (runs only when register is set)",
	"true", unreg_params, &fam_besa, unreg_eval, unreg_explain};
