/* The KPI table: every KPI in its output order, with its inputs, the
 * per-group state it reads, its cell and its formula as licit-kpi(1)
 * gives it (tests/unit/test_kpi_man.c checks the man page against it).
 * A new KPI is one entry here plus its cell function (and its part, when
 * no existing state holds what it needs). */
#include "kpi_impl.h"

#include <string.h>

#define CELL(fn) \
	void fn(const struct licit_kpi *k, const void *ctx, const void *st, int arg, struct cell *c)
CELL(kpi_cell_contracts);
CELL(kpi_cell_amount);
CELL(kpi_cell_currency);
CELL(kpi_cell_amount_contracts);
CELL(kpi_cell_share_count);
CELL(kpi_cell_share_amount);
CELL(kpi_cell_direct_over_cap);
CELL(kpi_cell_procedures);
CELL(kpi_cell_mean_tenderers);
CELL(kpi_cell_median_tenderers);
CELL(kpi_cell_single_bid_rate);
CELL(kpi_cell_few_bidders_rate);
CELL(kpi_cell_median_days_tender);
CELL(kpi_cell_median_days_to_award);
CELL(kpi_cell_suppliers);
CELL(kpi_cell_top_supplier);
CELL(kpi_cell_top_supplier_share);
CELL(kpi_cell_hhi);
CELL(kpi_cell_median_days_to_sign);
CELL(kpi_cell_signed_before_published);
CELL(kpi_cell_savings_amount);
CELL(kpi_cell_savings_rate);

#define DEF LICIT_KPI_DEFAULT
#define GATED KPI_AMOUNT_GATED
#define TENDERERS (IN_PROC | IN_TYPE | IN_TEND)

const struct kpi_def kpi_table[] = {
	{"contracts", 0, &kpi_count_part, kpi_cell_contracts, 0, DEF,
	 "Number of rows."},
	{"procedures", IN_PROC, &kpi_proc_part, kpi_cell_procedures, 0, DEF,
	 "Number of distinct non-empty procedure_id."},
	{"amount", IN_AMOUNT, &kpi_amount_part, kpi_cell_amount, 0, DEF | GATED,
	 "Sum of the contracts' amounts (empty if none has one, or currencies mix)."},
	{"suppliers", IN_SUP, &kpi_sup_part, kpi_cell_suppliers, 0, DEF,
	 "Number of distinct supplier keys (supplier_id, else supplier_name; see\n"
	 "above)."},
	{"share_open_count", IN_TYPE, &kpi_mix_part, kpi_cell_share_count, LICIT_PT_OPEN,
	 DEF | LICIT_KPI_SHARE, "Typed contracts of type open / typed contracts."},
	{"share_open_amount", IN_TYPE | IN_AMOUNT, &kpi_mix_part, kpi_cell_share_amount, LICIT_PT_OPEN,
	 DEF | LICIT_KPI_SHARE | GATED,
	 "Amount of typed contracts of type open / amount of typed contracts."},
	{"share_selective_count", IN_TYPE, &kpi_mix_part, kpi_cell_share_count, LICIT_PT_SELECTIVE,
	 DEF | LICIT_KPI_SHARE, "Typed contracts of type selective / typed contracts."},
	{"share_selective_amount", IN_TYPE | IN_AMOUNT, &kpi_mix_part, kpi_cell_share_amount,
	 LICIT_PT_SELECTIVE, DEF | LICIT_KPI_SHARE | GATED,
	 "Amount of typed contracts of type selective / amount of typed contracts."},
	{"share_limited_count", IN_TYPE, &kpi_mix_part, kpi_cell_share_count, LICIT_PT_LIMITED,
	 DEF | LICIT_KPI_SHARE, "Typed contracts of type limited / typed contracts."},
	{"share_limited_amount", IN_TYPE | IN_AMOUNT, &kpi_mix_part, kpi_cell_share_amount,
	 LICIT_PT_LIMITED, DEF | LICIT_KPI_SHARE | GATED,
	 "Amount of typed contracts of type limited / amount of typed contracts."},
	{"share_direct_count", IN_TYPE, &kpi_mix_part, kpi_cell_share_count, LICIT_PT_DIRECT,
	 DEF | LICIT_KPI_SHARE, "Typed contracts of type direct / typed contracts."},
	{"share_direct_amount", IN_TYPE | IN_AMOUNT, &kpi_mix_part, kpi_cell_share_amount,
	 LICIT_PT_DIRECT, DEF | LICIT_KPI_SHARE | GATED,
	 "Amount of typed contracts of type direct / amount of typed contracts."},
	{"mean_tenderers", TENDERERS, &kpi_proc_part, kpi_cell_mean_tenderers, 0, DEF,
	 "Sum of n_tenderers / number of competitive procedures with a known\n"
	 "n_tenderers (numerator: the sum; denominator: that number)."},
	{"median_tenderers", TENDERERS, &kpi_proc_part, kpi_cell_median_tenderers, 0, DEF,
	 "Median n_tenderers over the same procedures (the mean of the two middle\n"
	 "values for an even count; denominator: how many)."},
	{"single_bid_rate", TENDERERS, &kpi_proc_part, kpi_cell_single_bid_rate, 0,
	 DEF | LICIT_KPI_SHARE,
	 "Competitive procedures with n_tenderers = 1 / competitive procedures\n"
	 "with a known n_tenderers."},
	{"few_bidders_rate", TENDERERS, &kpi_proc_part, kpi_cell_few_bidders_rate, 0,
	 DEF | LICIT_KPI_SHARE,
	 "Competitive procedures with n_tenderers \\(<= 3 / the same denominator."},
	{"top_supplier", IN_SUP | IN_AMOUNT, &kpi_sup_part, kpi_cell_top_supplier, 0,
	 DEF | GATED | LICIT_KPI_TEXT,
	 "The supplier key with the largest amount in the group (on a tie, the\n"
	 "smallest key in byte order); numerator its amount, denominator the\n"
	 "amount of the contracts that name a supplier."},
	{"top_supplier_share", IN_SUP | IN_AMOUNT, &kpi_sup_part, kpi_cell_top_supplier_share, 0,
	 DEF | LICIT_KPI_SHARE | GATED,
	 "Top supplier's amount / amount of the contracts that name a supplier."},
	{"hhi", IN_SUP | IN_AMOUNT, &kpi_sup_part, kpi_cell_hhi, 0, DEF | GATED,
	 "Herfindahl\\-Hirschman index on supplier amount shares, in [0, 1]:\n"
	 "the sum over the group's suppliers of (a / A)^2, where a is a\n"
	 "supplier's amount and A the amount of the contracts that name a supplier\n"
	 "(the denominator). 1 = one supplier; 1/n = n equal suppliers.\n"
	 "Negative amounts are left out (above), so it stays in [0, 1]."},
	{"median_days_tender", IN_PROC | IN_PDAYS, &kpi_proc_part, kpi_cell_median_days_tender,
	 0, DEF,
	 "Median over procedures of tender_end \\- tender_start (publication to bid\n"
	 "opening), in days; denominator: how many procedures had both dates."},
	{"median_days_to_award", IN_PROC | IN_PDAYS, &kpi_proc_part,
	 kpi_cell_median_days_to_award, 0, DEF,
	 "Median over procedures of award_date \\- tender_end (bid opening to\n"
	 "award)."},
	{"median_days_to_sign", IN_SIGN, &kpi_sign_part, kpi_cell_median_days_to_sign, 0, DEF,
	 "Median over contracts of signed_date \\- award_date (award to signature)."},
	{"share_signed_before_published", IN_SBP, &kpi_sbp_part,
	 kpi_cell_signed_before_published, 0, DEF | LICIT_KPI_SHARE,
	 "Contracts with signed_date < tender_start / contracts with both dates."},
	{"direct_over_cap", IN_TYPE | IN_AMOUNT, &kpi_mix_part, kpi_cell_direct_over_cap, 0,
	 DEF | GATED | LICIT_KPI_CAP,
	 "1 when share_direct_amount > the cap (\\fB\\-\\-cap\\fR, 0.30), else 0;\n"
	 "empty when share_direct_amount is. Numerator: amount of direct\n"
	 "contracts; denominator: amount of typed contracts."},
	{"savings_amount", IN_REF | IN_AMOUNT, &kpi_savings_part, kpi_cell_savings_amount, 0,
	 LICIT_KPI_REFERENCE | GATED,
	 "Over the contracts that have a reference amount and an amount:\n"
	 "\\(*S reference_amount \\- \\(*S amount (needs \\fB\\-\\-reference\\fR)."},
	{"savings_rate", IN_REF | IN_AMOUNT, &kpi_savings_part, kpi_cell_savings_rate, 0,
	 LICIT_KPI_REFERENCE | LICIT_KPI_SHARE | GATED,
	 "savings_amount / \\(*S reference_amount of the same contracts, as in the\n"
	 "OECD IMSS review's Table 7 (savings / reference value)."},
	{"currency", IN_AMOUNT, &kpi_amount_part, kpi_cell_currency, 0, GATED | LICIT_KPI_TEXT,
	 "The currency of the group's amounts (MXN when amount_mxn is used); empty\n"
	 "when currencies mix or there is no amount. Only with \\fB\\-\\-kpis\\fR."},
	{"amount_contracts", IN_AMOUNT, &kpi_amount_part, kpi_cell_amount_contracts, 0, 0,
	 "Contracts with a usable amount. Only with \\fB\\-\\-kpis\\fR."},
};
const size_t kpi_ntable = sizeof kpi_table / sizeof kpi_table[0];

/* the parts in update order */
const struct kpi_part *const kpi_parts[] = {
	&kpi_amount_part, &kpi_count_part, &kpi_mix_part,  &kpi_proc_part,
	&kpi_sup_part,    &kpi_sign_part,  &kpi_sbp_part, &kpi_savings_part,
};
const size_t kpi_nparts = sizeof kpi_parts / sizeof kpi_parts[0];

size_t licit_kpi_count(void)
{
	return kpi_ntable;
}

const char *licit_kpi_name(int i)
{
	return i >= 0 && (size_t)i < kpi_ntable ? kpi_table[i].name : NULL;
}

int licit_kpi_lookup(const char *name)
{
	for (size_t i = 0; i < kpi_ntable; i++)
		if (strcmp(kpi_table[i].name, name) == 0)
			return (int)i;
	return -1;
}

unsigned licit_kpi_flags(int i)
{
	/* the public flags only */
	return licit_kpi_name(i) ? kpi_table[i].flags & 0xffu : 0;
}

const char *licit_kpi_formula(int i)
{
	return licit_kpi_name(i) ? kpi_table[i].formula : NULL;
}
