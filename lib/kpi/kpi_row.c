/* Reading one row's inputs for the KPIs, and the values that cannot be
 * used (reported once per field and row, and counted per field and
 * reason for the closing warnings). */
#include "kpi_impl.h"

#include <math.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/core/stats.h"
#include "licit/values/value.h"

static const char *const ptype_names[] = {"open", "selective", "limited", "direct"};

const char *kpi_col_value(const struct licit_row *row, int c, size_t *len)
{
	if (c < 0 || (size_t)c >= row->n) {
		*len = 0;
		return "";
	}
	*len = row->len ? row->len[c] : strlen(row->v[c]);
	return row->v[c];
}

const char *kpi_field(const struct licit_kpi *k, const struct licit_row *row, int f,
                      size_t *len)
{
	return kpi_col_value(row, k->cols.col[f], len);
}

int kpi_row_is_test(const struct licit_kpi *k, const struct licit_row *row)
{
	size_t n;
	const char *t = kpi_field(k, row, LICIT_F_TEST, &n);
	return n == 1 && t[0] == '1';
}

void kpi_problem(struct licit_kpi *k, const char *field, const char *value, const char *text)
{
	for (size_t i = 0; i < k->nrow_fields; i++)
		if (strcmp(k->row_fields[i], field) == 0)
			return;
	if (k->nrow_fields < sizeof k->row_fields / sizeof k->row_fields[0])
		k->row_fields[k->nrow_fields++] = field;
	size_t i = 0;
	while (i < k->nunusable &&
	       (strcmp(k->unusable[i].field, field) != 0 || strcmp(k->unusable[i].text, text) != 0))
		i++;
	if (i == k->nunusable && i < sizeof k->unusable / sizeof k->unusable[0])
		k->unusable[k->nunusable++] = (struct kpi_unusable){field, text, 0};
	if (i < k->nunusable)
		k->unusable[i].n++;
	if (k->problem)
		k->problem(k->problem_ctx, field, value, text);
}

/* Days since 1970 of a canonical date field; *ok = 0 when empty or
 * invalid (reported). */
static long day_of(struct licit_kpi *k, const struct licit_row *row, int f, int *ok)
{
	size_t n;
	const char *s = kpi_field(k, row, f, &n);
	long d = 0;
	*ok = 0;
	if (!n)
		return 0;
	if (n != 10 || licit_date_days(s, &d) != 0) {
		kpi_problem(k, licit_field_name(f), s, "not a YYYY-MM-DD date: left out");
		return 0;
	}
	*ok = 1;
	return d;
}

static int ptype_of(const char *s, size_t n)
{
	if (!n)
		return PT_NONE;
	for (int i = 0; i < 4; i++)
		if (strcmp(s, ptype_names[i]) == 0)
			return i;
	return PT_OTHER;
}

static void amount_of(struct licit_kpi *k, const struct licit_row *row, struct kpi_row *v)
{
	size_t n;
	const char *s = kpi_field(k, row, LICIT_F_AMOUNT_MXN, &n);
	int f = LICIT_F_AMOUNT_MXN;
	const char *cur = "MXN";
	size_t curlen = 3;
	if (!n) {
		f = LICIT_F_AMOUNT;
		s = kpi_field(k, row, f, &n);
		cur = kpi_field(k, row, LICIT_F_CURRENCY, &curlen);
	}
	if (!n)
		return;
	const char *why = NULL;
	int rc = licit_parse_number(s, &v->amt);
	if (rc == -1)
		why = "not a plain decimal number: amount left out";
	else if (rc < 0 || fabs(v->amt) > LICIT_KPI_MAX_AMOUNT)
		why = "beyond 10^15: amount left out";
	else if (v->amt < 0)
		why = "negative: left out of the amount KPIs (the contract is counted)";
	if (why) {
		kpi_problem(k, licit_field_name(f), s, why);
		return;
	}
	long c = licit_map_put(k->currencies, cur, curlen, NULL);
	if (c >= 0) {
		v->has_amt = 1;
		v->cur = (int)c;
	}
}

void kpi_row_read(struct licit_kpi *k, const struct licit_row *row, struct kpi_row *v)
{
	size_t n;
	const char *s;
	unsigned in = k->in;
	memset(v, 0, sizeof *v);
	v->ptype = PT_NONE;
	v->ntend = -1;
	v->sbp = -1;
	v->dtender = v->daward = v->dsign = NO_DAYS;
	v->cur = -1;
	if (in & IN_AMOUNT)
		amount_of(k, row, v);
	if (in & IN_TYPE) {
		s = kpi_field(k, row, LICIT_F_PROCEDURE_TYPE, &n);
		v->ptype = ptype_of(s, n);
	}
	if (in & IN_PROC)
		v->proc = kpi_field(k, row, LICIT_F_PROCEDURE_ID, &v->proclen);
	if (in & IN_TEND) {
		s = kpi_field(k, row, LICIT_F_N_TENDERERS, &n);
		if (n) {
			long long t;
			char why[160];
			if (licit_num_int(s, 0, 100000, &t, why, sizeof why) == 0)
				v->ntend = (int)t;
			else
				kpi_problem(k, "n_tenderers", s, "not a whole number 0 to 100000: left out");
		}
	}
	int ok_ts = 0, ok_te = 0, ok_aw = 0, ok_sg = 0;
	long ts = 0, te = 0, aw = 0, sg = 0;
	if (in & (IN_PDAYS | IN_SBP))
		ts = day_of(k, row, LICIT_F_TENDER_START, &ok_ts);
	if (in & IN_PDAYS)
		te = day_of(k, row, LICIT_F_TENDER_END, &ok_te);
	if (in & (IN_PDAYS | IN_SIGN))
		aw = day_of(k, row, LICIT_F_AWARD_DATE, &ok_aw);
	if (in & (IN_SIGN | IN_SBP))
		sg = day_of(k, row, LICIT_F_SIGNED_DATE, &ok_sg);
	/* dates are years 0000 to 9999: their differences fit in 32 bits */
	if (ok_ts && ok_te)
		v->dtender = (int32_t)(te - ts);
	if (ok_te && ok_aw)
		v->daward = (int32_t)(aw - te);
	if ((in & IN_SIGN) && ok_aw && ok_sg)
		v->dsign = (int32_t)(sg - aw);
	if ((in & IN_SBP) && ok_sg && ok_ts)
		v->sbp = sg < ts;
	if (in & IN_SUP)
		v->sup = kpi_field(k, row, LICIT_F_SUPPLIER_ID, &v->suplen);
	if ((in & IN_REF) && (k->have & IN_REF))
		v->has_ref = kpi_reference_of(k, row, &v->ref);
}
