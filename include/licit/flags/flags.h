/* Red-flag rules on canonical contract records (the Mexico family), and
 * the settings file shared with the Cardinal indicators. */
#ifndef LICIT_FLAGS_H
#define LICIT_FLAGS_H

#include <stddef.h>
#include <stdio.h>

#include "licit/cardinal/cardinal.h"
#include "licit/core/error.h"
#include "licit/cardinal/prepare.h"
#include "licit/io/reader.h"
#include "licit/core/settings.h"

/* ---- settings ---------------------------------------------------------------- */

/* A custom rule: a PCRE2 pattern on one column. */
struct licit_flags_custom {
	char *code;    /* CUSTOM-<NAME> unless `code` is set */
	char *field;
	char *pattern;
	long line;
	long match_limit, depth_limit; /* PCRE2 limits per value (match_limit, depth_limit keys) */
};

/* Defaults of the PCRE2 limits of pattern rules: a value whose match
 * needs more backtracking steps, or deeper backtracking, than this is "not
 * computable" for the rule. At these limits one value costs about 1 ms of
 * CPU interpreted, 0.2 ms with JIT; values of 4000 characters still match
 * patterns such as ^(\w+\s?)*$. */
#define LICIT_MATCH_LIMIT 100000
#define LICIT_DEPTH_LIMIT 10000

struct licit_flags_settings {
	struct licit_cardinal_settings card;
	int card_sections;        /* the file enabled Cardinal indicators */
	const char **val;         /* one per parameter (see licit_flags_param) */
	long *line;               /* where it was set, 0 = default */
	struct licit_mx_params *mx; /* every parameter typed and range-checked
	                               (lib/flags/rules.h) */
	int *on;                  /* per Mexico rule: enabled */
	struct licit_flags_custom *custom;
	size_t ncustom;
	const char *path;         /* the settings file, NULL = defaults */
	const char *data_dir;     /* where default tables are looked for */
	struct licit_ini *ini;
	/* Cardinal's prepare sections; card.prepare points here when the file
	 * has one (then prepare corrects each release before the indicators) */
	struct licit_prepare_settings prep;
};

struct licit_mx_params;

/* Parameter i: rule code, key, default ("" = none), description. Returns
 * NULL past the last one. */
const char *licit_flags_param(size_t i, const char **key, const char **def,
                              const char **help);

/* Defaults, then the file at path when not NULL. An unknown section or
 * key, or a bad value, is an error naming the file, line and key. */
int licit_flags_settings_load(struct licit_flags_settings *s, const char *path,
                              const char *data_dir, struct licit_error *err);
void licit_flags_settings_fini(struct licit_flags_settings *s);

/* Writes the commented settings file `licit flags --init` prints: every
 * section, every key with its default. */
void licit_flags_init_write(FILE *f);

/* ---- the rules -------------------------------------------------------------- */

enum licit_outcome { LICIT_NOT_RAISED = 0, LICIT_RAISED, LICIT_NA };

struct licit_flag {
	const char *code;
	enum licit_outcome outcome;
	char value[48];     /* the number the rule compared, "" if none */
	char reason[240];   /* in words, with the numbers compared; both filled
	                       only for raised flags with licit_flags_set_text */
};

struct licit_flags;

/* Loads the tables and compiles the patterns the enabled rules need.
 * diag receives notes (a rule off for lack of a table) and warnings (a
 * column the settings name is absent, patterns that gave up); may be
 * NULL. */
struct licit_flags *licit_flags_new(const struct licit_flags_settings *s, licit_diag_fn diag,
                                    void *ctx, struct licit_error *err);
void licit_flags_free(struct licit_flags *f);

/* Whether licit_flags_eval fills each raised flag's value and reason
 * (on = 1, for --long) or only its code (0, the default): the text is
 * built only when it is written. */
void licit_flags_set_text(struct licit_flags *f, int on);
/* Threads licit_flags_settle may use (default 1: none of its own). */
void licit_flags_set_threads(struct licit_flags *f, int n);

/* Binds to a reader's header: call for each input of each pass (rows are
 * numbered across the inputs of a pass, so pass 2 must read the inputs in
 * pass 1's order). Rules whose columns are absent are "not computable". */
void licit_flags_bind(struct licit_flags *f, const struct licit_reader *r);
/* The same from a header's names (the rows read back from a spool). */
void licit_flags_bind_names(struct licit_flags *f, const char *const *names, size_t n,
                            const char *source);
/* Whether the rules read the column of this name: a canonical field
 * they or the typed record look at, or a column the settings name. The
 * others are only copied to the output (licit flags --long spools only
 * the columns read). */
int licit_flags_reads(const struct licit_flags *f, const char *name);

/* Pass 1: rows in input order, to gather the per-group state of the
 * rules that look across rows. Returns -1 when memory runs out or a
 * temporary file cannot be made, written or read (errno tells which:
 * licit_flags_failed). */
int licit_flags_gather(struct licit_flags *f, const struct licit_row *row);
/* Between the passes. Returns -1 as licit_flags_gather. */
int licit_flags_settle(struct licit_flags *f);
/* After licit_flags_gather or licit_flags_settle returned -1, with errno
 * as they left it: fills err (source and line as given) with "out of
 * memory" or the temporary file's error; returns LICIT_ERR. */
int licit_flags_failed(struct licit_error *err, const char *source, long line);
/* Pass 2: the same rows in the same order; fills the outcome of every
 * enabled rule (borrowed until the next call) and updates the counts. */
int licit_flags_eval(struct licit_flags *f, const struct licit_row *row,
                     const struct licit_flag **out, size_t *n);

/* After pass 2: warns (through the diag callback) once per pattern rule
 * whose PCRE2 limits were hit, with the count of such values. */
void licit_flags_report(struct licit_flags *f);

/* Rules that run, and their counts so far. */
size_t licit_flags_nrules(const struct licit_flags *f);
const char *licit_flags_rule(const struct licit_flags *f, size_t i,
                             long long counts[3]);

/* ---- -j N: jobs reading ranges of an input at once ----------------------------------
 *
 * The main engine f reads the first range of each input itself; a job
 * engine (one per other job, used by one thread at a time) reads the
 * others. Pass 1: after every job is done with an input, licit_flags_merge
 * adds each job's state of it to f, in range order (then the jobs' states
 * are empty again): f's state is then what one engine reading the whole
 * input would have (sums in input order, numbers and ties by row
 * numbers). Pass 2, after licit_flags_settle(f): licit_flags_share makes
 * each job engine read f's settled state (borrowed: free the jobs before
 * f); each job sets the number of its range's first row
 * (licit_flags_set_row: the rows before it in the whole pass, as
 * licit_flags_rows(f) counted them at the merge) and evaluates its rows.
 * At the end licit_flags_add_counts adds each job's counts to f, then
 * licit_flags_report(f). */
struct licit_flags *licit_flags_job_new(const struct licit_flags *f, struct licit_error *err);
/* LICIT_OK, or LICIT_ERR with err (memory, a temporary file, more than
 * 2^24 buyer-years in one job). */
int licit_flags_merge(struct licit_flags *f, struct licit_flags *job, struct licit_error *err);
void licit_flags_share(struct licit_flags *job, const struct licit_flags *f);
/* Rows gathered (pass 1) or evaluated (pass 2) so far, and setting it. */
long licit_flags_rows(const struct licit_flags *f);
void licit_flags_set_row(struct licit_flags *f, long row);
void licit_flags_add_counts(struct licit_flags *f, const struct licit_flags *job);

/* Mexican official holiday (LFT art. 74) or a date from the extra table. */
int licit_holiday_mx(long days_since_epoch);

#endif
