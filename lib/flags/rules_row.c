/* The row rules: each looks at one row only (MX-NO-RFC also at whether
 * the input has RFCs at all). And the Mexican holiday calendar. */
#include "rules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/text.h"
#include "licit/values/value.h"

struct rowst {
	long *extra_holidays;
	size_t nextra, cap;
	int any_rfc;
};

/* ---- holidays --------------------------------------------------------------------- */

/* the calendar is lib/values/date.c's */
long flags_days_of(int y, int m, int d)
{
	return licit_days_from_civil(y, m, d);
}

/* The n-th Monday of a month. */
static long nth_monday(int y, int m, int n)
{
	long first = flags_days_of(y, m, 1);
	long wd = licit_days_weekday(first); /* 0 = Monday */
	return first + (7 - wd) % 7 + 7 * (n - 1);
}

int licit_holiday_mx(long d)
{
	long y, mo, dd; /* the year of d */
	licit_civil_from_days(d, &y, &mo, &dd);
	int yi = (int)y;
	if (d == flags_days_of(yi, 1, 1) || d == flags_days_of(yi, 5, 1) ||
	    d == flags_days_of(yi, 9, 16) || d == flags_days_of(yi, 12, 25))
		return 1;
	if (yi >= 2006) { /* Mondays since the 2006 reform of LFT art. 74 */
		if (d == nth_monday(yi, 2, 1) || d == nth_monday(yi, 3, 3) ||
		    d == nth_monday(yi, 11, 3))
			return 1;
	} else if (d == flags_days_of(yi, 2, 5) || d == flags_days_of(yi, 3, 21) ||
	           d == flags_days_of(yi, 11, 20)) {
		return 1;
	}
	/* transmission of the federal executive power */
	if (yi >= 2024 && (yi - 2024) % 6 == 0 && d == flags_days_of(yi, 10, 1))
		return 1;
	if (yi <= 2018 && yi >= 1934 && (2018 - yi) % 6 == 0 && d == flags_days_of(yi, 12, 1))
		return 1;
	return 0;
}

static int holiday_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct rowst *rs = ctx;
	long d;
	if (r->len[0] != 10 || licit_date_days(r->v[0], &d))
		return licit_error_set(err, r->source, r->line, "date", "'%s' is not a YYYY-MM-DD date",
		                       r->v[0]);
	if (LICIT_GROW(rs->extra_holidays, rs->cap, rs->nextra + 1) != LICIT_OK)
		return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	rs->extra_holidays[rs->nextra++] = d;
	return 0;
}

static int row_init(struct licit_flags *f, void *st, struct licit_error *err)
{
	static const struct licit_table_col dcol[] = {{"date", LICIT_COL_REQUIRED}};
	if (flags_on(f, &mx_holiday) && *f->p->holidays.v &&
	    flags_table(f, f->p->holidays.v, dcol, 1, holiday_row, st, err))
		return LICIT_ERR;
	return 0;
}

static void row_fini(void *st) { free(((struct rowst *)st)->extra_holidays); }

static int row_gather(struct licit_flags *f, void *st, struct frow *x)
{
	(void)f;
	if (x->c.len[LICIT_F_SUPPLIER_RFC])
		((struct rowst *)st)->any_rfc = 1;
	return 0;
}

/* -j N: whether any row has an RFC */
static int row_merge(struct licit_flags *f, void *st, void *jst, long base,
                     struct licit_error *err)
{
	(void)f;
	(void)base;
	(void)err;
	struct rowst *j = jst;
	((struct rowst *)st)->any_rfc |= j->any_rfc;
	j->any_rfc = 0;
	return 0;
}

static void row_share(void *st, const void *main_st)
{
	((struct rowst *)st)->any_rfc = ((const struct rowst *)main_st)->any_rfc;
}

const struct flags_family fam_row = {sizeof(struct rowst), row_init, row_fini, NULL,
                                     row_gather, NULL, NULL, NULL, row_merge, row_share};

/* ---- MX-HOLIDAY ------------------------------------------------------------------- */

static const char *weekday_name(long d)
{
	static const char *const n[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
	                                "Friday", "Saturday", "Sunday"};
	return n[((d % 7) + 7 + 3) % 7];
}

static const char *non_working(const struct licit_flags *f, const struct rowst *rs, long d)
{
	long wd = ((d % 7) + 7 + 3) % 7;
	if (f->p->weekends && wd >= 5)
		return weekday_name(d);
	if (licit_holiday_mx(d))
		return "an official holiday (LFT art. 74)";
	for (size_t i = 0; i < rs->nextra; i++)
		if (rs->extra_holidays[i] == d)
			return "a holiday in the holidays table";
	return NULL;
}

static enum licit_outcome holiday_eval(struct licit_flags *f, void *st, struct frow *x,
                                       struct why *w)
{
	long da = fx_day(x, LICIT_F_AWARD_DATE), ds = fx_day(x, LICIT_F_SIGNED_DATE);
	if (da < 0 && ds < 0)
		return LICIT_NA;
	if (ds >= 0 && (w->s = non_working(f, st, ds))) {
		w->n = LICIT_F_SIGNED_DATE;
		return LICIT_RAISED;
	}
	if (da >= 0 && (w->s = non_working(f, st, da))) {
		w->n = LICIT_F_AWARD_DATE;
		return LICIT_RAISED;
	}
	return LICIT_NOT_RAISED;
}

static void holiday_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                            const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	const char *d = fx_text(x, (enum licit_field)w->n);
	snprintf(o->value, sizeof o->value, "%.10s", d);
	snprintf(o->reason, sizeof o->reason, "%s on %.10s, %s",
	         w->n == LICIT_F_SIGNED_DATE ? "signed" : "awarded", d, w->s);
}

static const struct flags_param holiday_params[] = {
	PARAM("holidays", "", "CSV with a date column: more non-working days (the LFT art. 74 days are built in)", P_TEXT, NORANGE, holidays),
	PARAM("weekends", "true", "Saturdays and Sundays count", P_BOOL, NORANGE, weekends),
	P_END};

const struct flags_rule mx_holiday = {
	"MX-HOLIDAY", "award or signature on a weekend or an official holiday", "true",
	holiday_params, &fam_row, holiday_eval, holiday_explain};

/* ---- MX-ROUND --------------------------------------------------------------------- */

static enum licit_outcome round_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	(void)st;
	(void)w;
	if (x->c.state[LICIT_F_AMOUNT] != LICIT_SLOT_OK)
		return LICIT_NA;
	double a = x->c.amount.value;
	return a > 0 && fmod(a, f->p->round_multiple) == 0 ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void round_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)st;
	(void)w;
	char a1[48];
	const char *am = fx_text(x, LICIT_F_AMOUNT);
	snprintf(o->value, sizeof o->value, "%s", am);
	flags_amount(f->p->round_multiple, a1, sizeof a1);
	snprintf(o->reason, sizeof o->reason, "amount %s is a multiple of %s", am, a1);
}

static const struct flags_param round_params[] = {
	PARAM("multiple", "100000", "the round number", P_REAL, MULTIPLE, round_multiple), P_END};

const struct flags_rule mx_round = {"MX-ROUND", "amount is a multiple of a round number", "true",
                                    round_params, &fam_row, round_eval, round_explain};

/* ---- MX-LONG ---------------------------------------------------------------------- */

static enum licit_outcome long_eval(struct licit_flags *f, void *st, struct frow *x,
                                    struct why *w)
{
	(void)st;
	long s = fx_day(x, LICIT_F_START_DATE), e = fx_day(x, LICIT_F_END_DATE);
	if (s < 0 || e < 0)
		return LICIT_NA;
	w->n = e - s;
	return w->n > f->p->long_days ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void long_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                         const struct why *w, struct licit_flag *o)
{
	(void)st;
	(void)x;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason, "%ld days from start to end (> %ld)", w->n,
	         f->p->long_days);
}

static const struct flags_param long_params[] = {
	PARAM("days", "1000", "days from start_date to end_date above which it is raised", P_INT, DAYS, long_days),
	P_END};

const struct flags_rule mx_long = {"MX-LONG", "contract longer than a number of days", "true",
                                   long_params, &fam_row, long_eval, long_explain};

/* ---- MX-EARLY --------------------------------------------------------------------- */

static enum licit_outcome early_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	(void)f;
	(void)st;
	long p = fx_day(x, LICIT_F_TENDER_START), s = fx_day(x, LICIT_F_SIGNED_DATE),
	     st2 = fx_day(x, LICIT_F_START_DATE);
	if (p < 0 || (s < 0 && st2 < 0))
		return LICIT_NA;
	if (!((s >= 0 && s < p) || (st2 >= 0 && st2 < p)))
		return LICIT_NOT_RAISED;
	long first = s >= 0 && (st2 < 0 || s <= st2) ? s : st2;
	w->n = p - first;
	w->m = first == s;
	return LICIT_RAISED;
}

static void early_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason, "%s %ld days before the procedure was published (%.10s)",
	         w->m ? "signed" : "started", w->n, fx_text(x, LICIT_F_TENDER_START));
}

static const struct flags_param no_params[] = {P_END};

const struct flags_rule mx_early = {
	"MX-EARLY", "contract signed or started before the procedure was published", "true",
	no_params, &fam_row, early_eval, early_explain};

/* ---- MX-SHORT-PERIOD -------------------------------------------------------------- */

static enum licit_outcome short_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	(void)st;
	const char *chr = fx_text(x, LICIT_F_CHARACTER);
	long s = fx_day(x, LICIT_F_TENDER_START), e = fx_day(x, LICIT_F_TENDER_END);
	if (x->c.ptype == LICIT_PT_NONE)
		return LICIT_NA;
	if (!licit_strset_has(&f->p->short_types, fx_text(x, LICIT_F_PROCEDURE_TYPE)))
		return LICIT_NOT_RAISED;
	if (s < 0 || e < 0 || !*chr)
		return LICIT_NA;
	w->m = strncmp(chr, "Internacional", 13) == 0;
	w->k = w->m ? f->p->short_int : f->p->short_nat;
	w->n = e - s;
	return w->n < w->k ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void short_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)x;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason, "%ld days from publication to opening (< %ld, %s)",
	         w->n, w->k, w->m ? "international" : "national");
}

static const struct flags_param short_params[] = {
	PARAM("national", "15", "minimum days for a national procedure", P_INT, DAYS, short_nat),
	PARAM("international", "20", "minimum days for an international procedure", P_INT, DAYS, short_int),
	PARAM("procedure_types", "open", "procedure types the rule applies to (pipe-separated)", P_TYPES, NORANGE, short_types),
	P_END};

const struct flags_rule mx_short_period = {
	"MX-SHORT-PERIOD", "tender period shorter than the legal minimum", "true", short_params,
	&fam_row, short_eval, short_explain};

/* ---- MX-NO-RFC -------------------------------------------------------------------- */

static enum licit_outcome no_rfc_eval(struct licit_flags *f, void *st, struct frow *x,
                                      struct why *w)
{
	(void)f;
	(void)w;
	size_t rfc = x->c.len[LICIT_F_SUPPLIER_RFC];
	if (!((struct rowst *)st)->any_rfc || (!x->c.supplier_len && !rfc))
		return LICIT_NA;
	return rfc ? LICIT_NOT_RAISED : LICIT_RAISED;
}

static void no_rfc_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                           const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)w;
	snprintf(o->reason, sizeof o->reason, "supplier %.150s has no valid RFC", x->c.supplier);
}

const struct flags_rule mx_no_rfc = {"MX-NO-RFC", "supplier without a valid RFC", "true",
                                     no_params, &fam_row, no_rfc_eval, no_rfc_explain};

/* ---- MX-SCALE-MISMATCH ------------------------------------------------------------ */

static enum licit_outcome scale_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	(void)f;
	(void)st;
	(void)w;
	size_t n1 = x->c.len[LICIT_F_SUPPLIER_SIZE], n2 = x->c.len[LICIT_F_SUPPLIER_SIZE_BUYER];
	if (!n1 || !n2)
		return LICIT_NA;
	if (n1 == n2 && memcmp(fx_text(x, LICIT_F_SUPPLIER_SIZE),
	                       fx_text(x, LICIT_F_SUPPLIER_SIZE_BUYER), n1) == 0)
		return LICIT_NOT_RAISED; /* (the same text folds the same) */
	char f1[256], f2[256];
	licit_text_fold(fx_text(x, LICIT_F_SUPPLIER_SIZE), n1 < 255 ? n1 : 255, f1);
	licit_text_fold(fx_text(x, LICIT_F_SUPPLIER_SIZE_BUYER), n2 < 255 ? n2 : 255, f2);
	return strcmp(f1, f2) != 0 ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void scale_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)w;
	snprintf(o->reason, sizeof o->reason, "buyer reports %.100s, supplier reports %.100s",
	         fx_text(x, LICIT_F_SUPPLIER_SIZE_BUYER), fx_text(x, LICIT_F_SUPPLIER_SIZE));
}

const struct flags_rule mx_scale_mismatch = {
	"MX-SCALE-MISMATCH", "company size reported by the buyer differs from the supplier's own",
	"true", no_params, &fam_row, scale_eval, scale_explain};

/* ---- MX-BAD-AMOUNT ---------------------------------------------------------------- */

static enum licit_outcome bad_amount_eval(struct licit_flags *f, void *st, struct frow *x,
                                          struct why *w)
{
	(void)st;
	(void)w;
	if (f->cols.col[LICIT_F_AMOUNT] < 0)
		return LICIT_NA;
	return x->c.state[LICIT_F_AMOUNT] != LICIT_SLOT_OK || x->c.amount.value <= 0
	       ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void bad_amount_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                               const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	(void)w;
	const char *am = fx_text(x, LICIT_F_AMOUNT);
	int has = x->c.state[LICIT_F_AMOUNT] == LICIT_SLOT_OK;
	snprintf(o->value, sizeof o->value, "%.40s", am);
	snprintf(o->reason, sizeof o->reason, "%s",
	         !*am ? "amount missing or unreadable in the source"
	         : has ? (x->c.amount.value == 0 ? "amount is zero" : "amount is negative")
	               : "amount is not a number");
}

const struct flags_rule mx_bad_amount = {
	"MX-BAD-AMOUNT", "amount missing, not a number, zero or negative", "true", no_params,
	&fam_row, bad_amount_eval, bad_amount_explain};
