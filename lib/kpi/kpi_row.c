/* One row's inputs for the KPIs, from its typed record (the fallback
 * rules are the record's: licit-schema(5)), and the values that cannot
 * be used: reported once per field and row, and counted per field and
 * reason for the closing warnings. */
#include "kpi_impl.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "licit/core/map.h"

/* the fields each input decodes, in the order their bad values are
 * reported (the amount first: the field the row's amount comes from) */
static const struct {
	unsigned in;
	int fields[3];
} in_fields[] = {
	{IN_AMOUNT, {LICIT_F_AMOUNT_MXN, LICIT_F_AMOUNT, LICIT_F_CURRENCY}},
	{IN_TYPE, {LICIT_F_PROCEDURE_TYPE, -1, -1}},
	{IN_TEND, {LICIT_F_N_TENDERERS, -1, -1}},
	{IN_PDAYS | IN_SBP, {LICIT_F_TENDER_START, -1, -1}},
	{IN_PDAYS, {LICIT_F_TENDER_END, -1, -1}},
	{IN_PDAYS | IN_SIGN, {LICIT_F_AWARD_DATE, -1, -1}},
	{IN_SIGN | IN_SBP, {LICIT_F_SIGNED_DATE, -1, -1}},
};

uint64_t kpi_row_need(unsigned in)
{
	uint64_t need = LICIT_NEED(LICIT_F_TEST);
	for (size_t i = 0; i < sizeof in_fields / sizeof in_fields[0]; i++)
		for (int j = 0; j < 3 && (in & in_fields[i].in); j++)
			if (in_fields[i].fields[j] >= 0)
				need |= LICIT_NEED(in_fields[i].fields[j]);
	return need; /* the supplier key is the record's, from text */
}

/* the dates and counts whose bad values are told (amounts are told by
 * amount_of, procedure types and currencies never: they still count) */
int kpi_row_report(unsigned in, int *fields)
{
	int n = 0;
	for (size_t i = 2; i < sizeof in_fields / sizeof in_fields[0]; i++)
		if (in & in_fields[i].in)
			fields[n++] = in_fields[i].fields[0];
	return n;
}

void kpi_problem(struct licit_kpi *k, const char *field, const char *value, const char *why,
                 const char *then)
{
	for (size_t i = 0; i < k->nrow_fields; i++)
		if (strcmp(k->row_fields[i], field) == 0)
			return;
	if (k->nrow_fields < sizeof k->row_fields / sizeof k->row_fields[0])
		k->row_fields[k->nrow_fields++] = field;
	size_t i = 0;
	while (i < k->nunusable &&
	       (strcmp(k->unusable[i].field, field) != 0 || strcmp(k->unusable[i].why, why) != 0 ||
	        strcmp(k->unusable[i].then, then) != 0))
		i++;
	if (i == k->nunusable && i < sizeof k->unusable / sizeof k->unusable[0])
		k->unusable[k->nunusable++] = (struct kpi_unusable){field, why, then, 0};
	if (i < k->nunusable)
		k->unusable[i].n++;
	if (k->diag) {
		char text[256];
		snprintf(text, sizeof text, "%s%s", why, then);
		struct licit_diag d = {LICIT_WARNING, k->source, k->line, field, value, text};
		k->diag(k->diag_ctx, &d);
	}
}

static void amount_of(struct licit_kpi *k, const struct licit_canon *c, struct kpi_row *v)
{
	int f = c->amt_field;
	if (f < 0)
		return; /* no amount */
	const char *why = NULL;
	if (!c->has_amt) {
		why = licit_canon_why(c, f);
		/* beyond a double is beyond kpi's bound too: one reason for both */
		if (strncmp(why, "beyond", 6) == 0)
			why = "beyond 10^15";
	}
	else if (fabs(c->amt) > LICIT_KPI_MAX_AMOUNT)
		why = "beyond 10^15";
	else if (c->amt < 0)
		why = "negative";
	if (why) {
		kpi_problem(k, licit_field_name(f), c->text[f], why,
		            c->has_amt && c->amt < 0
		                    ? ": left out of the amount KPIs (the contract is counted)"
		                    : ": amount left out");
		return;
	}
	/* the currency's code, or its text when it is not a code */
	char code[3];
	const char *cur = code;
	size_t curlen = 3;
	if (c->amt_cur == LICIT_CUR_OTHER) {
		cur = c->text[LICIT_F_CURRENCY];
		curlen = c->len[LICIT_F_CURRENCY];
	} else {
		code[0] = (char)(c->amt_cur >> 16);
		code[1] = (char)(c->amt_cur >> 8 & 0xff);
		code[2] = (char)(c->amt_cur & 0xff);
	}
	long i = licit_map_put(k->currencies, cur, curlen, NULL);
	if (i >= 0) {
		v->has_amt = 1;
		v->amt = c->amt;
		v->cur = (int)i;
	}
}

static int32_t days(const struct licit_canon *c, int from, int to)
{
	if (c->state[from] != LICIT_SLOT_OK || c->state[to] != LICIT_SLOT_OK)
		return NO_DAYS;
	/* dates are years 0000 to 9999: their differences fit in 32 bits */
	return c->day[to] - c->day[from];
}

void kpi_row_read(struct licit_kpi *k, const struct licit_canon *c, struct kpi_row *v)
{
	unsigned in = k->in;
	memset(v, 0, sizeof *v);
	v->ptype = LICIT_PT_NONE;
	v->ntend = -1;
	v->sbp = -1;
	v->dtender = v->daward = v->dsign = NO_DAYS;
	v->cur = -1;
	if (in & IN_AMOUNT)
		amount_of(k, c, v);
	for (int i = 0; i < k->nreport; i++) {
		int f = k->report[i];
		if (c->state[f] == LICIT_SLOT_BAD)
			kpi_problem(k, licit_field_name(f), c->text[f], licit_canon_why(c, f),
			            ": left out");
	}
	if (in & IN_TYPE)
		v->ptype = c->ptype;
	if (in & IN_PROC) {
		v->proc = c->text[LICIT_F_PROCEDURE_ID];
		v->proclen = c->len[LICIT_F_PROCEDURE_ID];
		v->proch = kpi_key_hash(v->proc, v->proclen);
	}
	if (in & IN_TEND)
		v->ntend = c->n_tenderers;
	if (in & IN_PDAYS) {
		v->dtender = days(c, LICIT_F_TENDER_START, LICIT_F_TENDER_END);
		v->daward = days(c, LICIT_F_TENDER_END, LICIT_F_AWARD_DATE);
	}
	if (in & IN_SIGN)
		v->dsign = days(c, LICIT_F_AWARD_DATE, LICIT_F_SIGNED_DATE);
	if ((in & IN_SBP) && c->state[LICIT_F_SIGNED_DATE] == LICIT_SLOT_OK &&
	    c->state[LICIT_F_TENDER_START] == LICIT_SLOT_OK)
		v->sbp = c->day[LICIT_F_SIGNED_DATE] < c->day[LICIT_F_TENDER_START];
	if (in & IN_SUP) {
		v->sup = c->supplier;
		v->suplen = c->supplier_len;
		v->suph = kpi_key_hash(v->sup, v->suplen);
	}
	if ((in & IN_REF) && (k->have & IN_REF))
		v->has_ref = kpi_reference_of(k, c, &v->ref);
}
