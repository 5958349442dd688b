/* The report model: what `licit report` shows, computed by the engines
 * licit kpi, flags and bidprotest-stats use (in this process, so every
 * figure is the one those tools print for the same input), and for each
 * figure the first rows behind it (source, source_line).
 *
 * Use: licit_report_new(); pass 1 over the canonical records:
 * licit_report_bind() per input, licit_report_add() per row; with
 * opts.flags, licit_report_settle() then pass 2 over the same rows in
 * the same order: licit_report_bind2() and licit_report_flag(); the
 * optional side inputs (procedures, protests, normalise's issues,
 * dedupe's removed rows) through licit_report_side_bind() and
 * licit_report_side_row(); then licit_report_finish(). The page is
 * written by licit_report_write_html (include/licit/report/page.h).
 *
 * Memory: the groups, the distinct suppliers and procedures (as the
 * engines keep them), and at most opts.max_rows sample rows per figure. */
#ifndef LICIT_REPORT_H
#define LICIT_REPORT_H

#include <stddef.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

struct licit_flags_settings;

struct licit_report_opts {
	const char *const *by;  /* the grouping (default entity_id,year) */
	size_t nby;
	int max_rows;           /* rows kept behind each figure (default 5) */
	const struct licit_flags_settings *flags; /* run the Mexico rules, or NULL */
	int threads;            /* for the kpi engine (1: no second thread) */
	licit_diag_fn diag;     /* warnings of the engines (may be NULL) */
	void *diag_ctx;
};

/* The default of max_rows. */
#define LICIT_REPORT_ROWS 5

/* The side inputs, read through licit_report_side_bind/_row. */
enum licit_report_side {
	LICIT_SIDE_PROCEDURES, /* canonical records: the protest denominators */
	LICIT_SIDE_PROTESTS,   /* canonical protests (normalise --kind protests) */
	LICIT_SIDE_ISSUES,     /* normalise --issues FILE */
	LICIT_SIDE_REMOVED     /* dedupe --removed FILE */
};

struct licit_report;

struct licit_report *licit_report_new(const struct licit_report_opts *o,
                                      struct licit_error *err);
void licit_report_free(struct licit_report *r); /* accepts NULL */

/* Pass 1 over the records. LICIT_ERR when a group column is missing or
 * memory runs out. */
int licit_report_bind(struct licit_report *r, const struct licit_reader *rd,
                      struct licit_error *err);
int licit_report_add(struct licit_report *r, const struct licit_row *row,
                     struct licit_error *err);
/* With opts.flags: between the passes, then pass 2 over the same rows. */
int licit_report_settle(struct licit_report *r, struct licit_error *err);
int licit_report_bind2(struct licit_report *r, const struct licit_reader *rd,
                       struct licit_error *err);
int licit_report_flag(struct licit_report *r, const struct licit_row *row,
                      struct licit_error *err);

/* A side input: bind to its header (LICIT_ERR naming the file when a
 * needed column is missing), then one call per row. Procedures come
 * before protests. */
int licit_report_side_bind(struct licit_report *r, enum licit_report_side side,
                           const struct licit_reader *rd, struct licit_error *err);
int licit_report_side_row(struct licit_report *r, const struct licit_row *row,
                          struct licit_error *err);

/* Rows of the records read, and the test rows left out of them. */
void licit_report_counts(const struct licit_report *r, long long *rows, long long *test_rows);

/* Computes everything (after the last row of every input). */
int licit_report_finish(struct licit_report *r, struct licit_error *err);

#endif
