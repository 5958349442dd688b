/* The report model's state, shared by the files of lib/report (the
 * model, the sample rows, the side inputs and the page writer). */
#ifndef LICIT_REPORT_IMPL_H
#define LICIT_REPORT_IMPL_H

#include <stddef.h>

#include "licit/core/map.h"
#include "licit/record/canon.h"
#include "licit/report/report.h"

struct licit_kpi;
struct licit_flags;
struct licit_protest_stats;

/* The KPIs the report asks the kpi engine for, in this order. */
enum rep_kpi {
	K_CONTRACTS, K_PROCEDURES, K_AMOUNT, K_SUPPLIERS,
	K_OPEN_C, K_OPEN_A, K_SEL_C, K_SEL_A, K_LIM_C, K_LIM_A, K_DIR_C, K_DIR_A,
	K_MEAN_TEND, K_SINGLE, K_TOP, K_TOP_SHARE, K_HHI, K_OVER_CAP, K_CURRENCY,
	K_N
};
extern const char *const rep_kpi_names[K_N];

/* One figure as licit kpi --long prints it ("" = empty). */
struct rep_fig {
	char *v[3]; /* value, numerator, denominator */
};

/* A row behind a figure. */
struct rep_sample {
	const char *source; /* interned in report.sources */
	long long line;     /* its source_line (else the record's line) */
	char *id;           /* contract_id, protest_id, the issue's value ... */
	char *what;         /* amount and currency, the flag's reason ... */
	char *who;          /* supplier, entity ... (may be NULL) */
};

/* The first rows behind one figure (at most max_rows) and how many rows
 * it has in all. */
struct rep_list {
	struct rep_sample *s;
	size_t n, cap;
	long long total;
};

/* Lists kept per group: one per procedure type, and single bids. */
enum { L_OPEN, L_SELECTIVE, L_LIMITED, L_DIRECT, L_OTHER, L_SINGLE, L_N };

struct rep_group {
	char **keys;         /* nby values (the ALL group: "ALL") */
	struct rep_fig fig[K_N];
	int have_fig;        /* the kpi engine wrote this group */
	struct rep_list list[L_N];
};

/* A flags rule: its counts, and the entities and rows where it was raised. */
struct rep_rule {
	const char *code;
	long long counts[3]; /* raised, not raised, not computable */
	struct rep_list rows;
};

/* A counter by name (currency, field, rule of dedupe, ...). */
struct rep_tally {
	struct licit_map *names;
	long long *n;
	struct rep_list *rows; /* per name, when kept (issues) */
	size_t cap;
	size_t last;           /* 1 + the name counted last (0: none): rows of
	                          one source or currency come in runs */
};

struct rep_supplier {
	double amount;       /* in MXN, of the contracts that have one */
	long long contracts;
	char *name;
};

struct licit_report {
	struct licit_report_opts o;
	char **by;           /* copies of the grouping */
	int *by_kind;        /* 0 column, 1 year, 2 quarter, 3 month */
	int *by_col;         /* column of the bound input */
	int entity_by;       /* which --by field is entity_id, -1 */
	struct licit_kpi *kpi;
	struct licit_canon_ctx cx;
	int cx_ready;

	struct licit_map *gmap; /* joined key -> group */
	struct rep_group *g;
	size_t ng, gcap;
	struct rep_group all;

	struct licit_map *sources; /* interned source names */
	const char *last_source;   /* the one interned last */
	size_t last_source_len;
	struct rep_tally per_source, currencies, kpi_problems, issues, removed;
	long long rows, test_rows, undated;
	int have_issues, have_removed;

	struct licit_map *smap; /* supplier key -> supplier */
	struct rep_supplier *sup;
	size_t scap;

	/* flags (opts.flags) */
	struct licit_flags *fl;
	struct rep_rule *rules;
	size_t nrules;
	struct licit_map *fl_ent;     /* entity_id -> its number */
	long long *fl_counts;         /* [entity][rule][raised, not raised, n/c] */
	size_t fl_cap;                /* entities fl_counts has room for */
	long fl_last;                 /* the entity of the previous row, -1 */
	int fl_entity_col, fl_contract_col, fl_line_col, fl_source_col;
	long long fl_rows;

	/* protests */
	struct licit_protest_stats *ps;
	int have_procedures, have_protests;
	struct rep_tally protest_rows; /* entity -> the first protests */
	long long npe;                 /* procedures rows read */

	/* the side input being read */
	enum licit_report_side side;
	int sc[8];                     /* its columns */
	const char *side_source;
	const struct licit_reader *bound;
};

/* ---- sample rows (lib/report/rows.c) ---- */

/* The interned copy of a source name; NULL when memory runs out. */
const char *rep_source(struct licit_report *r, const char *name);
/* Counts a row in l and keeps it when fewer than max are kept. */
int rep_list_add(struct rep_list *l, int max, const char *source, long long line,
                 const char *id, const char *what, const char *who);
void rep_list_fini(struct rep_list *l);

/* Adds n to the counter `name` (and keeps the row in its list when
 * keep_rows and source are given). Returns the counter's number, -1 on
 * memory. */
long rep_tally_add(struct rep_tally *t, const char *name, size_t len, long long n);
void rep_tally_fini(struct rep_tally *t);

/* The record's line: its source_line, else the reader's record number. */
long long rep_row_line(const struct licit_canon *c, const struct licit_row *row);

#endif
