/* The Mexico rules as a table (private to lib/flags).
 *
 * Each rule is one `struct flags_rule`: its code, its parameters (typed,
 * with their ranges: flags_settings.c reads them once into struct
 * licit_mx_params), the family whose per-group state it reads (gather and
 * settle run once per family, however many of its rules are on), and its
 * eval and explain functions. eval decides the outcome and leaves the
 * numbers it compared in a struct why; explain turns them into the value
 * and the reason, only when they are written (--long).
 *
 * One file per family: rules_row.c (one row at a time), rules_group.c
 * (buyer-year and split rules), rules_list.c (list tables: sanctioned
 * suppliers, incorporation dates), rules_besa.c (BESA execution rules),
 * rules_custom.c (custom PCRE2 rules). flags.c holds the table and the engine. */
#ifndef LICIT_FLAGS_RULES_H
#define LICIT_FLAGS_RULES_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

#include "licit/flags/flags.h"
#include "licit/io/table.h"
#include "licit/record/canon.h"
#include "licit/record/schema.h"

/* ---- parameters ---------------------------------------------------------------- */

enum pkind {
	P_BOOL,  /* true/false (also 1/0, yes/no) -> int */
	P_INT,   /* an integer in [lo, hi] -> long */
	P_REAL,  /* a number in [lo, hi] -> double */
	P_TYPES, /* procedure types, pipe-separated, not empty -> struct licit_strset */
	P_LIST,  /* any pipe-separated list -> struct licit_strset */
	P_TEXT,  /* text (a table, a column, a pattern) -> struct mx_text */
	P_DATE   /* YYYY-MM-DD -> long (days since 1970-01-01) */
};

/* A text parameter and where it was set (0: its default). */
struct mx_text {
	const char *v;
	long line;
};

struct flags_param {
	const char *key, *def, *help;
	enum pkind kind;
	double lo, hi;
	size_t off; /* of its typed value in struct licit_mx_params */
};

/* The share rules' common pair. */
struct mx_share {
	double share;
	long min_contracts;
};

/* Every parameter of the Mexico rules, typed and range-checked. */
struct licit_mx_params {
	struct mx_text thr_table;
	struct licit_strset exempt;
	long split_window, split_min;
	struct licit_strset split_types;
	struct mx_share supplier_share, direct_share, repeat_title, repeat_amount, same_day;
	struct mx_text holidays;
	int weekends;
	double round_multiple;
	long long_days;
	long short_nat, short_int;
	struct licit_strset short_types;
	long ftd_window;
	double ftd_sim;
	struct mx_text ftd_status;
	struct mx_text sanc_list;
	struct mx_text newco_table;
	long new_days;
	int use_rfc;
	long late_days;
	struct mx_text col_invoice, col_payment, col_due, col_delivered, col_penalty,
		col_guarantee;
	double guarantee_share;
	struct mx_text register_table;
	double unreg_amount;
	long unreg_since;
	struct mx_share celp;
};

/* range: one of the pairs below (lo, hi) */
#define PARAM(k, d, h, kind, range, field) \
	{k, d, h, kind, range, offsetof(struct licit_mx_params, field)}
#define P_END {NULL, NULL, NULL, P_BOOL, 0, 0, 0}
/* The ranges (licit-flags(1), SETTINGS FILE). */
#define DAYS 0, 36600    /* a hundred years */
#define COUNT 0, 1e9
#define SHARE 0, 1
#define AMOUNT 0, 1e15   /* MXN */
#define MULTIPLE 0.01, 1e15
#define NORANGE 0, 0

/* ---- a row's facts ------------------------------------------------------------- */

/* A row read once for every rule: its typed record, and the facts
 * several rules share, computed on first use. */
struct frow {
	const struct licit_row *row;
	struct licit_canon c;
	long r;                     /* the row's number in this pass */
	int direct;                 /* procedure_type is direct */
	int title_done;
	size_t title_len;
	char title[1024];           /* folded title (frow_title) */
	long by;                    /* the buyer-year group, -1 (rules_group.c) */
	unsigned long long bk;      /* and its key (a hash of buyer and year) */
};

/* A field's text, "" when absent. */
static inline const char *fx_text(const struct frow *x, enum licit_field f)
{
	return x->c.text[f];
}
/* A date field's day, -1 when empty or not a date. */
long fx_day(const struct frow *x, enum licit_field f);
/* The folded title (licit_text_fold), its length in *n. */
const char *frow_title(struct frow *x, size_t *n);
/* Whether the folded title is not empty (without folding it when an
 * ASCII letter or digit says so). */
int frow_has_title(struct frow *x);
/* The text of the input column c (a settings-named column), "" if absent. */
const char *fx_col(const struct frow *x, int c);

/* ---- the numbers a rule compared, for its explanation ------------------------ */

struct why {
	double a, b, c, d;
	long n, m, k;
	const void *p;
	const char *s;
};

/* ---- families and rules -------------------------------------------------------- */

struct licit_flags;

/* An input's header as the rules bind to it: a reader's, or a spool's
 * (pass 2 reads rows back from the spool, licit/flags/spool.h). */
struct flags_header {
	const char *const *names;
	size_t n;
	const char *source; /* in messages */
};
/* The first column of that name, or -1 (as licit_reader_col). */
int flags_header_col(const struct flags_header *h, const char *name);

struct flags_family {
	size_t state_size;
	/* after the rules' on/off are known: tables, patterns; may turn rules off */
	int (*init)(struct licit_flags *f, void *st, struct licit_error *err);
	void (*fini)(void *st);
	void (*bind)(struct licit_flags *f, void *st, const struct flags_header *h);
	int (*gather)(struct licit_flags *f, void *st, struct frow *x); /* -1: out of memory */
	int (*settle)(struct licit_flags *f, void *st);
	/* pass 2, before its rules evaluate a row: what they share */
	void (*prepare)(struct licit_flags *f, void *st, struct frow *x);
	/* after pass 2: warnings (patterns that gave up) */
	void (*report)(struct licit_flags *f, void *st);
	/* -j N (jobs.c). merge: a job engine's pass-1 state of one input (jst)
	 * added to the main engine's (st) as if its rows came right after the
	 * main engine's, their numbers from base; the job's state is empty
	 * again. -1: out of memory, or err set. */
	int (*merge)(struct licit_flags *f, void *st, void *jst, long base,
	             struct licit_error *err);
	/* pass 2 in a job engine: it reads the main engine's settled state
	 * (borrowed, read only; st keeps only what a row's evaluation writes) */
	void (*share)(void *st, const void *main_st);
};

struct flags_rule {
	const char *code, *help;            /* help: what raises it ("enabled" line) */
	const char *enabled;                /* the default of "enabled": "true" or "false" */
	const struct flags_param *params;   /* its other keys, ending with P_END */
	const struct flags_family *family;  /* the per-group state it reads */
	enum licit_outcome (*eval)(struct licit_flags *f, void *st, struct frow *x,
	                           struct why *w);
	void (*explain)(const struct licit_flags *f, const void *st, const struct frow *x,
	                const struct why *w, struct licit_flag *o);
};

/* The table, in output order; NULL-terminated. */
extern const struct flags_rule *const licit_mx_rules[];

extern const struct flags_family fam_row, fam_group, fam_list, fam_besa;
extern const struct flags_rule mx_direct_threshold, mx_split, mx_supplier_share,
	mx_direct_share, mx_repeat_title, mx_repeat_amount, mx_same_day, mx_holiday, mx_round,
	mx_long, mx_early, mx_short_period, mx_failed_then_direct, mx_no_rfc, mx_sanctioned,
	mx_new_company, mx_scale_mismatch, mx_bad_amount, besa_late_payment, besa_no_penalty,
	besa_guarantee, besa_unregistered, mx_celp;

/* ---- the engine, as the families see it ---------------------------------------- */

/* A compiled pattern with its match limits, and how often they were hit. */
struct rx {
	pcre2_code *re;
	pcre2_match_context *mc;
	long match_limit, depth_limit;
	long long hits; /* values given up at a limit */
	int error;      /* the PCRE2 error of the last one */
};

struct custom; /* rules_custom.c */

struct licit_flags {
	const struct licit_flags_settings *s;
	const struct licit_mx_params *p;
	licit_diag_fn diag;
	void *dctx;
	size_t nrules;             /* built in */
	int *on;                   /* per rule of the table */
	int text;                  /* build values and reasons */
	struct licit_cols cols;
	struct licit_canon_ctx cx;
	void **state;              /* per family of the table (by first rule) */
	void **rst;                /* per rule: its family's state */
	const struct flags_family **fams;
	size_t nfams;
	pcre2_jit_stack *jit_stack; /* shared by every pattern; NULL without JIT */
	pcre2_match_data *md;
	struct custom *custom;
	size_t ncustom;
	int col_warned; /* a column named in the settings and absent was warned about */
	int job;        /* a job engine of -j N (licit_flags_job_new) */
	int threads;    /* settle may use this many (licit_flags_set_threads) */
	long row;
	struct frow x;
	/* results */
	struct licit_flag *out;
	struct why *why;
	size_t nout;
	long long (*counts)[3];
};

/* Whether rule r runs (1), and turning it off (a missing table). */
int flags_on(const struct licit_flags *f, const struct flags_rule *r);
void flags_off(struct licit_flags *f, const struct flags_rule *r);


/* The input column a setting names; a column the settings file named
 * that the input lacks is warned about once when the rule is on. */
int flags_setting_col(struct licit_flags *f, const struct flags_header *h, int on,
                      const char *code, const char *key, const struct mx_text *name);

/* A reference table: the CSV at the path a setting names (looked for in
 * the data folder when relative and absent), read by licit_table_load. */
int flags_table(struct licit_flags *f, const char *name, const struct licit_table_col *cols,
                int n, licit_table_row_fn fn, void *ctx, struct licit_error *err);

/* Compiles a pattern (JIT where PCRE2 has it) with its limits. */
int flags_rx_compile(struct licit_flags *f, struct rx *x, const char *pattern, long match_limit,
                     long depth_limit, const char *path, long line, const char *key,
                     struct licit_error *err);
void flags_rx_free(struct rx *x);
/* 1 match, 0 no match, -1 given up at a limit (counted in x->hits). */
int flags_rx_match(struct licit_flags *f, struct rx *x, const char *s);
void flags_rx_report(struct licit_flags *f, const struct rx *x, const char *code,
                     const char *what);

/* Custom rules (rules_custom.c): [custom.NAME] sections. */
int flags_custom_new(struct licit_flags *f, struct licit_error *err);
void flags_custom_free(struct licit_flags *f);
void flags_custom_bind(struct licit_flags *f, const struct flags_header *h);
const char *flags_custom_code(const struct licit_flags *f, size_t i);
enum licit_outcome flags_custom_eval(struct licit_flags *f, size_t i, struct frow *x,
                                     struct why *w);
void flags_custom_explain(const struct licit_flags *f, size_t i, const struct frow *x,
                          const struct why *w, struct licit_flag *o);
void flags_custom_report(struct licit_flags *f);
/* -j N: a job engine's values given up at a limit, added to f's */
void flags_custom_add_hits(struct licit_flags *f, const struct licit_flags *job);

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
long flags_days_of(int y, int m, int d);

/* Amounts as the rules print them (licit_amount_format). */
void flags_amount(double v, char *out, size_t cap);

#endif
