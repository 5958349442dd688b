/* Unit tests of the KPI formulas and of licit_kpi over small inputs. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/kpi/kpi.h"
#include "licit/io/reader.h"

/* ---- helpers ---------------------------------------------------------- */

static int kpi_id(const char *name)
{
	int i = licit_kpi_lookup(name);
	cr_assert_geq(i, 0, "no KPI %s", name);
	return i;
}
#define K(name) kpi_id(#name)

static size_t g_ncols;

static int collect(void *ctx, const char *const *v)
{
	FILE *f = ctx;
	for (size_t i = 0; i < g_ncols; i++)
		fprintf(f, "%s%s", i ? "," : "", v[i]);
	fputc('\n', f);
	return 0;
}

/* The diagnostics of a run: how many, and their texts one a line. */
struct diags {
	size_t n, values; /* all, and those about a value */
	char text[8192];
};

static void on_diag(void *ctx, const struct licit_diag *d)
{
	struct diags *g = ctx;
	g->n++;
	g->values += d->value != NULL;
	size_t len = strlen(g->text);
	snprintf(g->text + len, sizeof g->text - len, "%s|%s|%s\n", d->field ? d->field : "",
	         d->value ? d->value : "", d->text);
}

/* Adds the rows of csv to k: LICIT_OK, or the error of binding them. */
static int feed_err(struct licit_kpi *k, const char *csv, struct licit_error *err)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	struct licit_reader_opts ro = {0};
	ro.format = LICIT_FMT_CSV;
	struct licit_reader *r = licit_reader_open_stream(in, "in.csv", &ro, err);
	cr_assert_not_null(r, "%s", err->text);
	int rc = licit_kpi_bind(k, r, err);
	const struct licit_row *row;
	while (rc == LICIT_OK && (rc = licit_reader_next(r, &row, err)) == LICIT_OK)
		cr_assert_eq(licit_kpi_add(k, row, err), LICIT_OK);
	licit_reader_close(r);
	fclose(in);
	return rc == LICIT_EOF ? LICIT_OK : rc;
}

static void feed(struct licit_kpi *k, const char *csv)
{
	struct licit_error err;
	cr_assert_eq(feed_err(k, csv, &err), LICIT_OK, "%s", err.text);
}

/* k's KPIs, header first (k finished here) */
static char *written(struct licit_kpi *k)
{
	struct licit_error err;
	cr_assert_eq(licit_kpi_finish(k, &err), LICIT_OK, "%s", err.text);
	const char *const *names;
	g_ncols = licit_kpi_columns(k, &names);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	collect(out, names);
	cr_assert_eq(licit_kpi_write(k, collect, out), 0);
	fclose(out);
	return buf;
}

/* Runs licit_kpi over one CSV text; returns the output (header included),
 * or NULL with err filled; *nwarn: the warnings of licit_kpi_finish. */
static char *run_err(const char *csv, const struct licit_kpi_opts *opts,
                     struct licit_error *err, size_t *nwarn)
{
	struct diags dg = {0};
	struct licit_kpi_opts o = *opts;
	o.diag = on_diag;
	o.diag_ctx = &dg;
	licit_error_clear(err);
	struct licit_kpi *k = licit_kpi_new(&o, err);
	if (!k)
		return NULL;
	if (feed_err(k, csv, err) != LICIT_OK) {
		licit_kpi_free(k);
		return NULL;
	}
	size_t before = dg.n;
	char *buf = written(k);
	if (nwarn)
		*nwarn = dg.n - before;
	licit_kpi_free(k);
	return buf;
}

static char *run(const char *csv, const struct licit_kpi_opts *o)
{
	struct licit_error err;
	char *s = run_err(csv, o, &err, NULL);
	cr_assert_not_null(s, "%s", err.text);
	return s;
}

static char *run_kpis(const char *csv, const char *by, const int *kpis, size_t n)
{
	struct licit_kpi_opts o = {0};
	const char *b[] = {by};
	o.by = b;
	o.nby = by ? 1 : 0;
	o.kpis = kpis;
	o.nkpis = n;
	o.cap = -1;
	return run(csv, &o);
}

/* ---- formulas ---------------------------------------------------------- */

Test(kpi, format_trims_and_never_prints_minus_zero)
{
	char b[64];
	licit_kpi_format(1.0 / 3, 6, b, sizeof b);
	cr_assert_str_eq(b, "0.333333");
	licit_kpi_format(2.0 / 3, 6, b, sizeof b);
	cr_assert_str_eq(b, "0.666667");
	licit_kpi_format(1, 6, b, sizeof b);
	cr_assert_str_eq(b, "1");
	licit_kpi_format(2.5, 6, b, sizeof b);
	cr_assert_str_eq(b, "2.5");
	licit_kpi_format(-0.0000001, 6, b, sizeof b);
	cr_assert_str_eq(b, "0");
	licit_kpi_format(NAN, 6, b, sizeof b);
	cr_assert_str_eq(b, "");
	licit_kpi_format(12.5, 0, b, sizeof b);
	cr_assert_str_eq(b, "12"); /* round half to even, as printf does */
}

Test(kpi, ratio_is_nan_for_zero_or_missing_denominator)
{
	cr_assert_float_eq(licit_kpi_ratio(1, 4), 0.25, 1e-15);
	cr_assert(isnan(licit_kpi_ratio(1, 0)));
	cr_assert(isnan(licit_kpi_ratio(0, 0)));
	cr_assert(isnan(licit_kpi_ratio(NAN, 2)));
	cr_assert(isnan(licit_kpi_ratio(1, NAN)));
}

Test(kpi, hhi_of_shares)
{
	double two[] = {50, 50}, one[] = {7}, four[] = {1, 1, 1, 1}, zero[] = {0, 0};
	double skew[] = {60, 30, 10};
	cr_assert_float_eq(licit_kpi_hhi(two, 2), 0.5, 1e-15);
	cr_assert_float_eq(licit_kpi_hhi(one, 1), 1, 1e-15);
	cr_assert_float_eq(licit_kpi_hhi(four, 4), 0.25, 1e-15);
	cr_assert_float_eq(licit_kpi_hhi(skew, 3), 0.36 + 0.09 + 0.01, 1e-12);
	cr_assert(isnan(licit_kpi_hhi(zero, 2)));
	cr_assert(isnan(licit_kpi_hhi(NULL, 0)));
}

Test(kpi, names_in_documented_order)
{
	static const char *const issue[] = {
		"contracts", "procedures", "amount", "suppliers",
		"share_open_count", "share_open_amount", "share_selective_count",
		"share_selective_amount", "share_limited_count", "share_limited_amount",
		"share_direct_count", "share_direct_amount",
		"mean_tenderers", "median_tenderers", "single_bid_rate", "few_bidders_rate",
		"top_supplier", "top_supplier_share", "hhi",
		"median_days_tender", "median_days_to_award", "median_days_to_sign",
		"share_signed_before_published", "direct_over_cap"};
	size_t ndefault = 0;
	for (size_t i = 0; i < licit_kpi_count(); i++)
		ndefault += (licit_kpi_flags((int)i) & LICIT_KPI_DEFAULT) != 0;
	cr_assert_eq(sizeof issue / sizeof issue[0], ndefault);
	for (int i = 0; i < (int)ndefault; i++) {
		cr_assert_str_eq(licit_kpi_name(i), issue[i]);
		cr_assert_eq(licit_kpi_lookup(issue[i]), i);
		cr_assert(licit_kpi_flags(i) & LICIT_KPI_DEFAULT);
	}
	cr_assert_str_eq(licit_kpi_name(24), "savings_amount");
	cr_assert_str_eq(licit_kpi_name(25), "savings_rate");
	cr_assert(licit_kpi_flags(25) & LICIT_KPI_REFERENCE);
	cr_assert(licit_kpi_flags(licit_kpi_lookup("direct_over_cap")) & LICIT_KPI_CAP);
	cr_assert(licit_kpi_flags(licit_kpi_lookup("top_supplier")) & LICIT_KPI_TEXT);
	cr_assert_eq(licit_kpi_lookup("nope"), -1);
	cr_assert_null(licit_kpi_name((int)licit_kpi_count()));
	cr_assert(licit_kpi_is_derived("quarter"));
	cr_assert(!licit_kpi_is_derived("entity_id"));
}

/* ---- shares and amounts -------------------------------------------------- */

Test(kpi, shares_skip_rows_without_procedure_type)
{
	const char *csv = "procedure_id,procedure_type,amount,currency,amount_mxn\n"
	                  "P1,open,100,MXN,100\n"
	                  "P2,direct,300,MXN,300\n"
	                  "P3,,50,MXN,50\n";
	int k[] = {K(contracts), K(amount), K(share_open_count),
	           K(share_open_amount), K(share_direct_amount),
	           K(share_limited_count)};
	char *s = run_kpis(csv, NULL, k, 6);
	cr_assert_str_eq(s, "contracts,amount,share_open_count,share_open_amount,"
	                    "share_direct_amount,share_limited_count\n"
	                    "3,450,0.5,0.25,0.75,0\n");
	free(s);
}

Test(kpi, missing_amounts_are_empty_never_zero)
{
	const char *csv = "procedure_id,procedure_type,amount,currency,amount_mxn\n"
	                  "P1,open,,,\n"
	                  "P2,direct,,,\n";
	int k[] = {K(contracts), K(amount), K(share_open_amount),
	           K(top_supplier_share), K(hhi), K(direct_over_cap),
	           K(amount_contracts)};
	char *s = run_kpis(csv, NULL, k, 7);
	cr_assert_str_eq(s, "contracts,amount,share_open_amount,top_supplier_share,hhi,"
	                    "direct_over_cap,amount_contracts\n"
	                    "2,,,,,,0\n");
	free(s);
}

Test(kpi, amount_mxn_first_then_one_currency_per_group)
{
	const char *csv = "entity_id,amount,currency,amount_mxn\n"
	                  "A,10,USD,200\n"      /* converted: 200 MXN */
	                  "A,5,MXN,5\n"
	                  "B,10,USD,\n"         /* only USD: summed in USD */
	                  "B,2.5,USD,\n"
	                  "C,10,USD,\n"         /* USD and MXN: empty, warned */
	                  "C,7,MXN,7\n";
	struct licit_kpi_opts o = {0};
	const char *by[] = {"entity_id"};
	int k[] = {K(amount), K(currency), K(amount_contracts)};
	o.by = by;
	o.nby = 1;
	o.kpis = k;
	o.nkpis = 3;
	o.cap = -1;
	o.total = 1;
	struct licit_error err;
	size_t nw = 0;
	char *s = run_err(csv, &o, &err, &nw);
	cr_assert_str_eq(s, "entity_id,amount,currency,amount_contracts\n"
	                    "A,205,MXN,2\n"
	                    "B,12.5,USD,2\n"
	                    "C,,,2\n"
	                    "ALL,,,6\n");
	cr_assert_eq(nw, 2); /* C and ALL */
	free(s);
}

Test(kpi, invalid_amount_is_reported_and_left_out)
{
	const char *csv = "amount,currency,amount_mxn\n1,MXN,1x\n2,MXN,2\n";
	struct licit_kpi_opts o = {0};
	int k[] = {K(contracts), K(amount)};
	struct diags dg = {0};
	o.kpis = k;
	o.nkpis = 2;
	o.cap = -1;
	o.diag = on_diag;
	o.diag_ctx = &dg;
	struct licit_error err;
	struct licit_kpi *kp = licit_kpi_new(&o, &err);
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	struct licit_reader_opts ro = {0};
	struct licit_reader *r = licit_reader_open_stream(in, "x", &ro, &err);
	cr_assert_eq(licit_kpi_bind(kp, r, &err), LICIT_OK);
	const struct licit_row *row;
	while (licit_reader_next(r, &row, &err) == LICIT_OK)
		cr_assert_eq(licit_kpi_add(kp, row, &err), LICIT_OK);
	cr_assert_eq(dg.values, 1);
	cr_assert_str_eq(dg.text, "amount_mxn|1x|not a plain decimal number: amount left out\n");
	cr_assert_eq(licit_kpi_finish(kp, &err), LICIT_OK);
	cr_assert_eq(dg.n, 2);
	cr_assert(strstr(dg.text, "|amount_mxn: 1 value not a plain decimal number: amount left out"),
	          "%s", dg.text);
	licit_reader_close(r);
	fclose(in);
	licit_kpi_free(kp);
}

/* ---- competition ------------------------------------------------------- */

Test(kpi, tenderers_per_competitive_procedure)
{
	/* P1 has two contracts but counts once; P3 is direct: left out;
	 * P4 has no known number of tenderers. */
	const char *csv = "procedure_id,procedure_type,n_tenderers\n"
	                  "P1,open,4\n"
	                  "P1,open,4\n"
	                  "P2,limited,1\n"
	                  "P3,direct,1\n"
	                  "P4,open,\n"
	                  "P5,selective,2\n";
	int k[] = {K(procedures), K(mean_tenderers),
	           K(median_tenderers), K(single_bid_rate),
	           K(few_bidders_rate)};
	char *s = run_kpis(csv, NULL, k, 5);
	cr_assert_str_eq(s, "procedures,mean_tenderers,median_tenderers,single_bid_rate,"
	                    "few_bidders_rate\n"
	                    "5,2.333333,2,0.333333,0.666667\n");
	free(s);
}

Test(kpi, median_of_even_count_is_mean_of_middle)
{
	const char *csv = "procedure_id,procedure_type,n_tenderers\n"
	                  "P1,open,1\nP2,open,2\nP3,open,5\nP4,open,9\n";
	int k[] = {K(median_tenderers)};
	char *s = run_kpis(csv, NULL, k, 1);
	cr_assert_str_eq(s, "median_tenderers\n3.5\n");
	free(s);
}

Test(kpi, no_competitive_procedure_gives_empty_rates)
{
	const char *csv = "procedure_id,procedure_type,n_tenderers\nP1,direct,1\n";
	int k[] = {K(single_bid_rate), K(mean_tenderers),
	           K(median_tenderers)};
	char *s = run_kpis(csv, NULL, k, 3);
	cr_assert_str_eq(s, "single_bid_rate,mean_tenderers,median_tenderers\n,,\n");
	free(s);
}

/* ---- concentration ------------------------------------------------------ */

Test(kpi, top_supplier_and_hhi)
{
	const char *csv = "supplier_id,amount_mxn\n"
	                  "S1,30\nS2,60\nS1,30\nS3,20\n,100\n";
	int k[] = {K(suppliers), K(top_supplier), K(top_supplier_share),
	           K(hhi), K(amount)};
	char *s = run_kpis(csv, NULL, k, 5);
	/* S1 60 and S2 60 tie: the first seen wins; shares over the 140
	 * named: (60/140)^2*2 + (20/140)^2 = 0.387755 */
	cr_assert_str_eq(s, "suppliers,top_supplier,top_supplier_share,hhi,amount\n"
	                    "3,S1,0.428571,0.387755,240\n");
	free(s);
}

/* ---- timing ------------------------------------------------------------- */

Test(kpi, days_per_procedure_and_contract)
{
	const char *csv = "procedure_id,tender_start,tender_end,award_date,signed_date\n"
	                  "P1,2015-01-01,2015-01-11,2015-01-15,2015-01-20\n"
	                  "P1,2015-01-01,2015-01-11,2015-01-15,2015-01-16\n"
	                  "P2,2015-02-01,2015-02-02,2015-02-10,2015-01-30\n"
	                  "P3,,,2015-03-01,\n";
	int k[] = {K(median_days_tender), K(median_days_to_award),
	           K(median_days_to_sign), K(share_signed_before_published)};
	char *s = run_kpis(csv, NULL, k, 4);
	/* tender: P1 10, P2 1 -> 5.5; award: P1 4, P2 8 -> 6;
	 * sign per contract: 5, 1, -11 -> 1; signed before published: 1 of 3 */
	cr_assert_str_eq(s, "median_days_tender,median_days_to_award,median_days_to_sign,"
	                    "share_signed_before_published\n"
	                    "5.5,6,1,0.333333\n");
	free(s);
}

/* ---- groups, total, test rows ---------------------------------------------- */

Test(kpi, derived_year_quarter_month_with_fallback)
{
	const char *csv = "procedure_id,signed_date,award_date\n"
	                  "P1,2015-02-03,\n"
	                  "P2,,2014-11-30\n"
	                  "P3,,\n"
	                  "P4,2015-12-31,2014-01-01\n";
	struct licit_kpi_opts o = {0};
	const char *by[] = {"year", "quarter", "month"};
	int k[] = {K(contracts)};
	o.by = by;
	o.nby = 3;
	o.kpis = k;
	o.nkpis = 1;
	o.cap = -1;
	char *s = run(csv, &o);
	cr_assert_str_eq(s, "year,quarter,month,contracts\n"
	                    ",,,1\n"
	                    "2014,2014-Q4,2014-11,1\n"
	                    "2015,2015-Q1,2015-02,1\n"
	                    "2015,2015-Q4,2015-12,1\n");
	free(s);
	o.date_field = "award_date"; /* no fallback then */
	o.nby = 1;
	s = run(csv, &o);
	cr_assert_str_eq(s, "year,contracts\n,2\n2014,2\n");
	free(s);
}

Test(kpi, total_counts_distinct_across_groups)
{
	/* one procedure with contracts in two years: 1 procedure in ALL */
	const char *csv = "procedure_id,supplier_id,signed_date,amount_mxn\n"
	                  "P1,S1,2014-05-01,10\n"
	                  "P1,S1,2015-05-01,30\n";
	struct licit_kpi_opts o = {0};
	const char *by[] = {"year"};
	int k[] = {K(contracts), K(procedures), K(suppliers),
	           K(amount)};
	o.by = by;
	o.nby = 1;
	o.kpis = k;
	o.nkpis = 4;
	o.cap = -1;
	o.total = 1;
	char *s = run(csv, &o);
	cr_assert_str_eq(s, "year,contracts,procedures,suppliers,amount\n"
	                    "2014,1,1,1,10\n2015,1,1,1,30\nALL,2,1,1,40\n");
	free(s);
}

Test(kpi, absorbed_jobs_give_the_single_run)
{
	/* enough procedures and suppliers for every table, some in both
	 * halves; the second half absorbed on 1 and on 3 threads */
	char *csv[3] = {NULL, NULL, NULL}; /* all, first half, second half */
	size_t len[3];
	FILE *f[3];
	for (int i = 0; i < 3; i++)
		f[i] = open_memstream(&csv[i], &len[i]);
	const char *head = "procedure_id,procedure_type,n_tenderers,supplier_id,signed_date,amount_mxn\n";
	const char *types[] = {"open", "direct", "selective", "limited"};
	for (int i = 0; i < 3; i++)
		fputs(head, f[i]);
	for (int i = 0; i < 3000; i++) {
		char line[160];
		snprintf(line, sizeof line, "P%d,%s,%d,S%d,%d-0%d-01,%d.%02d\n", (i * 7) % 1100,
		         types[i % 4], i % 9, (i * 13) % 230, 2014 + i % 3, 1 + i % 9, i % 500, i % 100);
		fputs(line, f[0]);
		fputs(line, f[1 + (i >= 1700)]);
	}
	for (int i = 0; i < 3; i++)
		fclose(f[i]);
	struct licit_kpi_opts o = {0};
	const char *by[] = {"year"};
	o.by = by;
	o.nby = 1;
	o.cap = -1;
	o.total = 1;
	o.threads = 1;
	struct licit_error err;
	struct licit_kpi *one = licit_kpi_new(&o, &err);
	cr_assert_not_null(one);
	feed(one, csv[0]);
	char *want = written(one);
	licit_kpi_free(one);
	for (int threads = 1; threads <= 3; threads += 2) {
		struct licit_kpi_opts po = o;
		po.partial = 1;
		struct licit_kpi *k = licit_kpi_new(&o, &err), *src = licit_kpi_new(&po, &err);
		cr_assert(k && src);
		feed(k, csv[1]);
		feed(src, csv[2]);
		cr_assert_eq(licit_kpi_absorb(k, src, threads, &err), LICIT_OK, "%s", err.text);
		licit_kpi_free(src);
		char *got = written(k);
		cr_assert_str_eq(got, want, "threads %d", threads);
		free(got);
		licit_kpi_free(k);
	}
	free(want);
	for (int i = 0; i < 3; i++)
		free(csv[i]);
}

Test(kpi, groups_sorted_by_value_bytes)
{
	const char *csv = "entity_id,buyer_id\nB,2\nA,9\nB,10\n,1\nA,9\n";
	struct licit_kpi_opts o = {0};
	const char *by[] = {"entity_id", "buyer_id"};
	int k[] = {K(contracts)};
	o.by = by;
	o.nby = 2;
	o.kpis = k;
	o.nkpis = 1;
	o.cap = -1;
	char *s = run(csv, &o);
	cr_assert_str_eq(s, "entity_id,buyer_id,contracts\n,1,1\nA,9,2\nB,10,1\nB,2,1\n");
	free(s);
}

Test(kpi, test_rows_left_out_unless_asked)
{
	const char *csv = "procedure_id,test\nP1,\nP2,1\nP3,0\n";
	int k[] = {K(contracts)};
	char *s = run_kpis(csv, NULL, k, 1);
	cr_assert_str_eq(s, "contracts\n2\n");
	free(s);
	struct licit_kpi_opts o = {0};
	o.kpis = k;
	o.nkpis = 1;
	o.cap = -1;
	o.include_test = 1;
	s = run(csv, &o);
	cr_assert_str_eq(s, "contracts\n3\n");
	free(s);
}

Test(kpi, empty_input_without_groups_gives_one_row)
{
	int k[] = {K(contracts), K(amount), K(share_open_count)};
	char *s = run_kpis("procedure_id,procedure_type,amount_mxn\n", NULL, k, 3);
	cr_assert_str_eq(s, "contracts,amount,share_open_count\n0,,\n");
	free(s);
}

/* ---- cap, percent, long form ----------------------------------------------- */

Test(kpi, direct_over_cap_and_percent_and_long)
{
	const char *csv = "procedure_type,amount_mxn\ndirect,30\nopen,70\n";
	struct licit_kpi_opts o = {0};
	int k[] = {K(share_direct_amount), K(direct_over_cap),
	           K(hhi)};
	o.kpis = k;
	o.nkpis = 3;
	o.cap = -1;
	char *s = run(csv, &o);
	/* exactly at the cap is not over it */
	cr_assert_str_eq(s, "share_direct_amount,direct_over_cap,hhi\n0.3,0,\n");
	free(s);
	o.cap = 0.25;
	o.percent = 1;
	s = run(csv, &o);
	cr_assert_str_eq(s, "share_direct_amount,direct_over_cap,hhi\n30,1,\n");
	free(s);
	o.long_form = 1;
	s = run(csv, &o);
	cr_assert_str_eq(s, "kpi,value,numerator,denominator\n"
	                    "share_direct_amount,30,30,100\n"
	                    "direct_over_cap,1,30,100\n"
	                    "hhi,,,\n");
	free(s);
}

/* ---- savings -------------------------------------------------------------- */

static char *write_tmp(const char *text)
{
	char *path = strdup("/tmp/licit-kpi-test.XXXXXX");
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(kpi, savings_against_reference_amounts)
{
	/* IMSS Table 7 style: savings / reference value */
	char *ref = write_tmp("contract_id,reference_amount\nC1,100\nC2,50\nC9,1000\n");
	const char *csv = "contract_id,amount_mxn\nC1,90\nC2,45\nC3,500\n";
	struct licit_kpi_opts o = {0};
	int k[] = {K(savings_amount), K(savings_rate)};
	o.kpis = k;
	o.nkpis = 2;
	o.cap = -1;
	o.reference_path = ref;
	o.long_form = 1;
	char *s = run(csv, &o);
	cr_assert_str_eq(s, "kpi,value,numerator,denominator\n"
	                    "savings_amount,15,,\n"
	                    "savings_rate,0.1,15,150\n");
	free(s);
	unlink(ref);
	free(ref);
}

Test(kpi, reference_errors_name_file_line_field)
{
	struct licit_kpi_opts o = {0};
	struct licit_error err;
	o.cap = -1;
	char *ref = write_tmp("contract_id,reference_amount\nC1,100\nC1,90\n");
	o.reference_path = ref;
	cr_assert_null(licit_kpi_new(&o, &err));
	cr_assert_eq(err.line, 3);
	cr_assert(strstr(err.text, "twice"), "%s", err.text);
	unlink(ref);
	free(ref);
	ref = write_tmp("contract_id,reference_amount\nC1,\"1,000\"\n");
	o.reference_path = ref;
	cr_assert_null(licit_kpi_new(&o, &err));
	cr_assert_str_eq(err.field, "reference_amount");
	unlink(ref);
	free(ref);
	ref = write_tmp("contract_id,price\nC1,1\n");
	o.reference_path = ref;
	cr_assert_null(licit_kpi_new(&o, &err));
	cr_assert_str_eq(err.field, "reference_amount");
	unlink(ref);
	free(ref);
	o.reference_path = NULL;
	int k[] = {K(savings_rate)};
	o.kpis = k;
	o.nkpis = 1;
	cr_assert_null(licit_kpi_new(&o, &err));
	cr_assert(strstr(err.text, "--reference"));
}

/* ---- binding ----------------------------------------------------------------- */

Test(kpi, bind_errors_and_warnings)
{
	struct licit_kpi_opts o = {0};
	struct licit_error err;
	const char *by[] = {"buyer_id"};
	o.by = by;
	o.nby = 1;
	o.cap = -1;
	cr_assert_null(run_err("entity_id,amount\nA,1\n", &o, &err, NULL));
	cr_assert_str_eq(err.field, "buyer_id");
	o.nby = 0;
	cr_assert_null(run_err("SIGLAS,IMPORTE_CONTRATO\nA,1\n", &o, &err, NULL));
	cr_assert(strstr(err.text, "normalise"), "%s", err.text);
	/* a missing KPI column is a warning, and its KPIs are empty */
	struct diags dg = {0};
	o.diag = on_diag;
	o.diag_ctx = &dg;
	struct licit_kpi *k = licit_kpi_new(&o, &err);
	const char *csv = "procedure_id,amount_mxn\nP1,5\n";
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	struct licit_reader_opts ro = {0};
	struct licit_reader *r = licit_reader_open_stream(in, "x", &ro, &err);
	cr_assert_eq(licit_kpi_bind(k, r, &err), LICIT_OK);
	cr_assert_eq(dg.n, 1);
	cr_assert(strstr(dg.text, "n_tenderers"), "%s", dg.text);
	licit_reader_close(r);
	fclose(in);
	licit_kpi_free(k);
}

/* ---- medians by histogram ------------------------------------------------ */

#include "../../lib/kpi/kpi_impl.h"
#include "licit/core/stats.h"

Test(kpi, histogram_median_equals_median_of_the_values)
{
	unsigned seed = 12345;
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)round % 37; /* 0 .. 36 values: odd, even, empty */
		int spread = round % 5 == 0 ? 3 : round % 3 == 0 ? 100000 : 400;
		struct kpi_hist h = {0};
		double *v = malloc((n + 1) * sizeof *v);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			int32_t x = (int32_t)((seed >> 8) % (unsigned)(2 * spread + 1)) - spread;
			v[i] = x;
			cr_assert_eq(kpi_hist_add(&h, x), 0);
		}
		cr_assert_eq(h.n, n);
		double got, want = licit_median(v, n);
		cr_assert_eq(kpi_hist_median(&h, &got), 0);
		if (isnan(want))
			cr_assert(isnan(got), "round %d", round);
		else
			cr_assert_eq(got, want, "round %d: %g, want %g", round, got, want);
		kpi_hist_fini(&h);
		free(v);
	}
}

Test(kpi, histogram_keeps_one_slot_per_distinct_value)
{
	struct kpi_hist h = {0};
	for (int i = 0; i < 100000; i++)
		cr_assert_eq(kpi_hist_add(&h, i % 7 - 3), 0);
	cr_assert_eq(h.used, 7);
	cr_assert_leq(h.cap, 16);
	double m;
	cr_assert_eq(kpi_hist_median(&h, &m), 0);
	cr_assert_eq(m, 0);
	kpi_hist_fini(&h);
}
