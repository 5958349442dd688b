/* Procurement KPIs per group over canonical contract records: counts,
 * amounts, procedure mix, competition, concentration, timing, the
 * direct-award cap and savings (licit-kpi(1) gives every formula).
 *
 * Use: licit_kpi_new(), then per input licit_kpi_bind() and
 * licit_kpi_add() for each row, then licit_kpi_finish() and
 * licit_kpi_write(). Input is streamed once; memory grows with the
 * groups, their distinct procedures and suppliers, and (for the median
 * KPIs only) one count per distinct value (days, tenderers) of each
 * group. */
#ifndef LICIT_KPI_H
#define LICIT_KPI_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

/* The KPIs, numbered 0 .. licit_kpi_count() - 1 in their output order
 * (the table in lib/kpi/kpi_table.c; licit-kpi(1) lists them). */
size_t licit_kpi_count(void);
/* The name of KPI i, or NULL. */
const char *licit_kpi_name(int i);
/* The KPI with this exact name, or -1. */
int licit_kpi_lookup(const char *name);

/* What a KPI is (licit_kpi_flags): */
#define LICIT_KPI_DEFAULT 1u       /* written when --kpis is not given */
#define LICIT_KPI_REFERENCE 2u     /* needs --reference (and is then a default) */
#define LICIT_KPI_CAP 4u           /* reads --cap */
#define LICIT_KPI_TEXT 8u          /* its value is text, not a number */
#define LICIT_KPI_SHARE 16u        /* a share or rate: a percentage with --percent */
unsigned licit_kpi_flags(int i);
/* Its man page entry: the formula, then what --long writes as numerator
 * and denominator (troff text). */
const char *licit_kpi_formula(int i);

/* Group names derived from a row's date rather than read from a column:
 * "year" (2015), "quarter" (2015-Q1), "month" (2015-03). */
int licit_kpi_is_derived(const char *name);

struct licit_kpi_opts {
	const char *const *by;  /* group columns: any input column or a derived name */
	size_t nby;             /* 0: one group for everything */
	const int *kpis;        /* KPI numbers, output order; NULL = default */
	size_t nkpis;
	const char *date_field; /* for year/quarter/month; NULL = signed_date, else award_date, else start_date */
	const char *reference_path; /* contract reference amounts (savings), or NULL */
	double cap;             /* direct_over_cap threshold (fraction); < 0 = 0.30 */
	int total;              /* add a final ALL row */
	int include_test;       /* count rows with test=1 (default: left out) */
	int percent;            /* shares and rates as percentages */
	int long_form;          /* one row per group x KPI with numerator, denominator */
	int threads;            /* 1: everything on the calling thread; more: the
	                           groups of KPIs that keep distinct keys are
	                           updated on a second thread (the same output) */
	/* every diagnostic (may be NULL): LICIT_WARNING for a value that
	 * cannot be used (source, line, field, value, why: the row still
	 * counts), for columns an input lacks (the KPIs built on them stay
	 * empty), and at licit_kpi_finish for the counts of unusable values
	 * per field and reason and for groups whose amounts mix currencies */
	licit_diag_fn diag;
	void *diag_ctx;
	int partial;            /* the run writes a partial file
	                           (licit_kpi_partial_write), not KPIs */
};

struct licit_kpi;

/* NULL with err filled when the options are inconsistent, memory runs
 * out, or the reference table cannot be read (file, line and field). */
struct licit_kpi *licit_kpi_new(const struct licit_kpi_opts *o,
                                struct licit_error *err);
void licit_kpi_free(struct licit_kpi *k); /* accepts NULL */

/* Binds the columns of a new input. LICIT_ERR when a group column is
 * missing or the input holds no canonical field at all; columns that
 * some selected KPIs need and that are absent are a warning (those KPIs
 * stay empty). */
int licit_kpi_bind(struct licit_kpi *k, const struct licit_reader *r,
                   struct licit_error *err);

/* A value that could not be used (not a number, not a date, an amount
 * that is negative or beyond LICIT_KPI_MAX_AMOUNT): the row is still
 * counted and the value treated as missing, with a warning. */
#define LICIT_KPI_MAX_AMOUNT 1e15

/* Adds one row of the bound input (a test row is left out unless
 * include_test). LICIT_OK, or LICIT_ERR when memory runs out. */
int licit_kpi_add(struct licit_kpi *k, const struct licit_row *row, struct licit_error *err);

/* 1 when a selected KPI keeps the distinct procedures or suppliers of
 * each group: merging two runs' states then costs about as much as
 * building them. */
int licit_kpi_keeps_keys(const struct licit_kpi *k);

/* Rows left out because they were test rows. */
long long licit_kpi_skipped(const struct licit_kpi *k);

/* Rows whose year, quarter or month is empty: no (valid) date. */
long long licit_kpi_undated(const struct licit_kpi *k);

/* Computes the KPIs (and gives the closing warnings). Returns LICIT_OK,
 * or LICIT_ERR when memory runs out. */
int licit_kpi_finish(struct licit_kpi *k, struct licit_error *err);

/* The output columns: group columns then KPIs, or in long form group
 * columns, kpi, value, numerator, denominator. Valid until free. */
size_t licit_kpi_columns(const struct licit_kpi *k, const char *const **names);
/* How many of those columns are group columns (they come first). */
size_t licit_kpi_ngroup_columns(const struct licit_kpi *k);
/* 1 when output column i holds numbers (a KPI value, numerator or
 * denominator), 0 for group values, KPI names and text KPIs. */
int licit_kpi_column_numeric(const struct licit_kpi *k, size_t i);

/* Calls emit once per output row (groups in byte order of their values,
 * then the ALL row); stops and returns emit's status when it is not 0. */
int licit_kpi_write(struct licit_kpi *k,
                    int (*emit)(void *ctx, const char *const *values),
                    void *ctx);

/* ---- partial results (licit-kpi(1), PARTIAL RESULTS) -------------------
 *
 * A run made with opts.partial writes, instead of KPIs, each group's state
 * (licit_kpi_partial_write, after the last licit_kpi_add). A run with the
 * same options that shape the state (by, kpis, date_field, cap,
 * reference_path's contents, include_test) and no rows merges any number
 * of such files (licit_kpi_merge, one call per file), then
 * licit_kpi_finish and licit_kpi_write give the KPIs a single run over
 * all the rows gives. */
int licit_kpi_partial_write(struct licit_kpi *k, FILE *f, struct licit_error *err);
/* LICIT_ERR with err naming name and its line when the file is not a
 * partial file, of another format version, from other options, malformed
 * or truncated (or memory runs out); what it merged so far then stays. */
int licit_kpi_merge(struct licit_kpi *k, FILE *f, const char *name, struct licit_error *err);
/* The same for the state of src, a run of the same options with
 * opts.partial whose rows are all added (a job of -j N), in memory,
 * into k, which may hold rows of its own (the rows before src's); its
 * test-row, undated and unusable-value counts are added too (the
 * warnings told at k's licit_kpi_finish). Calls of k in input order give
 * the single run's result. The distinct procedures and suppliers are
 * kept in tables by their key's hash and merged a table at a time, on up
 * to threads threads (at most 9) at once. src can only be freed after. */
int licit_kpi_absorb(struct licit_kpi *k, struct licit_kpi *src, int threads,
                     struct licit_error *err);

/* ---- the formulas, exposed for tests and other tools ---------------- */

/* Herfindahl-Hirschman index of n non-negative amounts: the sum of the
 * squared shares, in [1/n, 1]; NAN when the amounts sum to 0 or less. */
double licit_kpi_hhi(const double *amounts, size_t n);

/* num / den, or NAN when den is 0 (or either is NAN). */
double licit_kpi_ratio(double num, double den);

/* Formats v with at most `decimals` decimals, trailing zeros removed,
 * "" for NAN; never "-0". Returns the length. */
size_t licit_kpi_format(double v, int decimals, char *out, size_t cap);

#endif
