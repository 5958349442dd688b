/* The KPI engine's insides, shared by its files (not a public header).
 *
 * A KPI is one entry of the table in kpi_table.c: its name, the row
 * inputs it reads (IN_*), the per-group state it reads (a part), the
 * function that writes its cell, and its formula text for the man page.
 * A part is a block of per-group state with its init, update (once per
 * row of the group), settle (once, over tables kept across groups) and
 * finish (once per group); several KPIs may read one part (the four
 * procedure-type shares read the procedure mix). Only the parts of the
 * selected KPIs are kept and updated. */
#ifndef LICIT_KPI_IMPL_H
#define LICIT_KPI_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/kpi/kpi.h"
#include "licit/record/canon.h"

struct licit_map;

#define TOTAL_GID UINT32_MAX
#define NO_DAYS INT32_MIN

/* The row inputs: derived values a KPI reads, each from a few fields. */
enum {
	IN_AMOUNT = 1 << 0, /* a usable amount and its currency */
	IN_TYPE = 1 << 1,   /* procedure_type */
	IN_PROC = 1 << 2,   /* procedure_id */
	IN_TEND = 1 << 3,   /* n_tenderers */
	IN_PDAYS = 1 << 4,  /* tender_end - tender_start, award_date - tender_end */
	IN_SUP = 1 << 5,    /* the supplier key */
	IN_SIGN = 1 << 6,   /* signed_date - award_date */
	IN_SBP = 1 << 7,    /* signed_date < tender_start */
	IN_REF = 1 << 8     /* a reference amount (--reference) */
};

/* What one row gives the KPIs, computed once for its group and the total. */
struct kpi_row {
	int has_amt, cur;  /* cur: index in the currency table */
	double amt;
	enum licit_ptype ptype;
	const char *proc, *sup; /* procedure_id, the supplier key */
	size_t proclen, suplen;
	unsigned long long proch, suph; /* their kpi_key_hash, for kpi_keyed_put */
	int ntend;         /* -1 unknown */
	int32_t dtender, daward, dsign; /* NO_DAYS unknown */
	int sbp;           /* signed before published: 1, 0, -1 unknown */
	int has_ref;
	double ref;
};

/* Neumaier-compensated sum: totals of many amounts stay exact to the
 * cent, whatever the order of the rows. */
struct ksum {
	double s, c;
};
void ksum_add(struct ksum *k, double x);
double ksum_get(const struct ksum *k);

/* An exact value -> count histogram of whole numbers, for medians: its
 * size is the number of distinct values, not of values. */
struct kpi_hist {
	int32_t *val;
	uint64_t *cnt;  /* 0: a free slot */
	uint32_t cap, used;
	uint64_t n;     /* values counted */
};
int kpi_hist_add(struct kpi_hist *h, int32_t v); /* -1 out of memory */
/* The median (mean of the two middle values for an even count), NAN when
 * empty. -1 when memory runs out. */
int kpi_hist_median(const struct kpi_hist *h, double *out);
void kpi_hist_fini(struct kpi_hist *h);
/* adds count values v (a partial file's entry); -1 out of memory */
int kpi_hist_addn(struct kpi_hist *h, int32_t v, uint64_t count);

/* A partial file's fields being read (kpi_partial.c): each read takes the
 * next field; a missing or malformed one sets bad. */
struct kpi_fields {
	char **f;
	size_t n, i;
	int bad;
	const int *cur_map; /* the file's currency numbers -> this run's */
	size_t ncur;
};
long long kpi_f_int(struct kpi_fields *f);
double kpi_f_num(struct kpi_fields *f);
/* merges a saved compensated sum into k */
void kpi_f_sum(struct kpi_fields *f, struct ksum *k);
/* the same from another sum (as saved, then read back) */
void kpi_ksum_merge(struct ksum *k, const struct ksum *src);
/* writing them: each field is preceded by a comma */
void kpi_w_int(FILE *o, long long v);
void kpi_w_num(FILE *o, double v);
void kpi_w_sum(FILE *o, const struct ksum *k);
/* a histogram as fields (distinct values, then value, count pairs) */
void kpi_hist_save(const struct kpi_hist *h, FILE *o);
int kpi_hist_merge(struct kpi_hist *h, struct kpi_fields *f); /* -1 out of memory */
/* a whole number, or an empty field for none; reading, an empty or
 * absent field (a record's last fields may be left out) is none */
void kpi_w_opt(FILE *o, int32_t v, int32_t none);
int32_t kpi_f_opt(struct kpi_fields *f, int32_t none);

struct licit_kpi;

struct kpi_part {
	size_t size; /* per-group state */
	void (*init)(void *st);
	int (*update)(struct licit_kpi *k, void *ctx, void *st, uint32_t gid,
	              const struct kpi_row *r);
	/* optional: once at the end, over the part's own tables */
	int (*settle)(struct licit_kpi *k, void *ctx);
	/* optional: once per group at the end, after settle */
	int (*finish)(void *st);
	void (*fini)(void *st); /* optional */
	/* when not 0: the part keeps a record of this size per distinct
	 * (group, key), in a struct kpi_keyed passed to it as ctx; what a
	 * group's records add up to (how many there are, ...) is counted at
	 * settle, not as they are added */
	size_t keyed_size;
	/* optional, for keyed parts: the key a row updates (length 0: none)
	 * and its kpi_key_hash, so that its record can be prefetched a few
	 * rows ahead */
	const char *(*key)(const struct kpi_row *r, size_t *len, unsigned long long *h);
	/* partial results (licit kpi --partial, --merge): save writes the
	 * group's state as fields; merge adds saved fields to a state (-1 out
	 * of memory); for keyed parts, save_rec and merge_rec do the same for
	 * one record (added: the record is new in its group) */
	void (*save)(const struct licit_kpi *k, const void *st, FILE *o);
	int (*merge)(struct licit_kpi *k, void *st, struct kpi_fields *f);
	void (*save_rec)(const void *rec, FILE *o);
	void (*merge_rec)(void *rec, int added, uint32_t gid, struct kpi_fields *f);
	/* the same from another engine's record src (licit_kpi_absorb), as
	 * save_rec then merge_rec would; it touches rec alone (the tables
	 * are absorbed on threads of their own) */
	void (*absorb_rec)(void *rec, int added, uint32_t gid, const void *src);
};

/* Records per distinct (group, key), in KPI_KEYED_TABLES tables chosen
 * by the key's hash (its group aside, so that a key's record in a group
 * and in the total share a table): another engine's records are absorbed
 * a table per thread (licit_kpi_absorb). The records are numbered table
 * after table, each table's in insertion order; the number of tables is
 * fixed, so the order is the same for any -j. */
#define KPI_KEYED_TABLES 4
struct kpi_keyed_table {
	struct licit_map *map; /* keys: the group number, then the key */
	unsigned char *rec;
	size_t cap, n;
	char *kbuf;            /* a text key being built */
	size_t kcap;
};
struct kpi_keyed {
	size_t size; /* of a record */
	struct kpi_keyed_table t[KPI_KEYED_TABLES];
};
/* A key's hash, which the reading thread computes for the worker (while
 * the key is in its cache). */
unsigned long long kpi_key_hash(const char *key, size_t n);
/* The table a key of hash kh is in. */
size_t kpi_keyed_table_of(unsigned long long kh);
/* The record of (gid, key), new and zeroed when *added; NULL when memory
 * runs out. kh is kpi_key_hash(key, n). Two threads may put keys of two
 * tables at once. */
void *kpi_keyed_put(struct kpi_keyed *x, uint32_t gid, const char *key, size_t n,
                    unsigned long long kh, int *added);
/* Stage 0 prefetches the slot where (gid, key) is looked up first;
 * stage 1, some rows later, the record the slot points to. */
void kpi_keyed_prefetch(const struct kpi_keyed *x, uint32_t gid, unsigned long long kh,
                        int stage);
/* Room for n records in table t; -1 out of memory. */
int kpi_keyed_reserve(struct kpi_keyed *x, size_t t, size_t n);
/* Records are numbered 0 .. kpi_keyed_count - 1 over all tables, or
 * taken a table at a time (kpi_keyed_table_count, _table_rec). */
size_t kpi_keyed_count(const struct kpi_keyed *x);
void *kpi_keyed_rec(const struct kpi_keyed *x, size_t i);
size_t kpi_keyed_table_count(const struct kpi_keyed *x, size_t t);
void *kpi_keyed_table_rec(const struct kpi_keyed *x, size_t t, size_t i);
/* The key of record i of table t (without its group number), and its
 * length. */
const char *kpi_keyed_table_key(const struct kpi_keyed *x, size_t t, size_t i, size_t *len);
/* The key of record i (without its group number). */
const char *kpi_keyed_key(const struct kpi_keyed *x, size_t i);
void kpi_keyed_fini(struct kpi_keyed *x);
/* the byte order of the keys of records i and j (their groups aside) */
int kpi_keyed_cmp(const struct kpi_keyed *x, size_t i, size_t j);
size_t kpi_keyed_key_len(const struct kpi_keyed *x, size_t i);

/* One output cell: the value (text for top_supplier and currency), and
 * what --long writes as numerator and denominator. */
struct cell {
	const char *text;
	char v[64], num[64], den[64];
};

/* KPI flags (the public ones of kpi.h, and these) */
#define KPI_AMOUNT_GATED (1u << 8) /* empty when the group's currencies mix */

struct kpi_def {
	const char *name;
	unsigned in;                 /* IN_* */
	const struct kpi_part *part; /* the state it reads */
	void (*cell)(const struct licit_kpi *k, const void *ctx, const void *st, int arg,
	             struct cell *c);
	int arg;                     /* passed to cell (a procedure type) */
	unsigned flags;              /* LICIT_KPI_* and KPI_* */
	const char *formula;         /* the man page entry (troff) */
};

extern const struct kpi_def kpi_table[];
extern const size_t kpi_ntable;
/* The parts, in update order; kpi_amount_part gates the amount KPIs. */
extern const struct kpi_part *const kpi_parts[];
extern const size_t kpi_nparts;
extern const struct kpi_part kpi_amount_part, kpi_count_part, kpi_mix_part,
	kpi_proc_part, kpi_sup_part, kpi_sign_part, kpi_sbp_part, kpi_savings_part;

/* per-group state of the amount part: read by every amount-gated KPI */
struct kpi_amount {
	long long n;      /* contracts with a usable amount */
	struct ksum sum;
	int cur;          /* currency index; -1 none yet, -2 mixed */
	uint32_t curmask; /* the first 32 currencies seen, for messages */
};

/* values that could not be used, counted per field and reason */
struct kpi_unusable {
	const char *field, *why, *then; /* static, or the options' date field */
	long long n;
};

struct licit_kpi {
	char **by;
	int *by_kind;
	size_t nby;
	int *kpis; /* indices in kpi_table */
	size_t nkpis;
	unsigned in; /* IN_* the selected KPIs read */
	char *date_field;
	double cap;
	int total, include_test, percent, long_form;
	int threads; /* licit_kpi_opts.threads */

	/* the parts in use: their offsets in a group's state */
	const struct kpi_part *part[16];
	size_t part_off[16];
	struct kpi_keyed keyed[16];
	size_t nparts, stride;
	long amount_off; /* -1 when no KPI reads amounts */

	/* the bound input, read through the typed record (one context for
	 * all inputs: interned supplier numbers hold across them) */
	struct licit_canon_ctx cx;
	int cx_ready;
	uint64_t need;   /* the canonical fields to decode */
	int report[8];   /* the input fields whose bad values are reported */
	int nreport;
	int *by_col;
	int date_f;      /* --date as a canonical date field, or -1 */
	int date_col;    /* --date as another column, or -1 */
	unsigned have;   /* IN_* whose columns some input had */
	const char *source; /* the bound input's name */

	struct licit_map *groups; /* the worker's, until the end */
	unsigned char *g; /* stride bytes per group */
	size_t gcap, ngroups; /* ngroups: made by the worker so far */
	unsigned char *all;
	struct licit_map *currencies;

	/* the reference table (savings) */
	struct licit_map *ref;
	double *ref_amt;
	int ref_key[3]; /* canonical fields forming the reference key */
	int nref_key;

	char *kbuf; /* key scratch of the reading thread */
	size_t kcap;
	long long skipped;
	long long undated;

	struct kpi_unusable unusable[24];
	size_t nunusable;
	licit_diag_fn diag;
	void *diag_ctx;
	long line;                    /* of the row being added */
	const char *row_fields[16];   /* fields already reported for this row */
	size_t nrow_fields;

	/* the worker thread that updates the groups (kpi_pipe.c) */
	struct kpi_pipe *pipe;
	int keyed_parts; /* parts with keyed tables in use: only then a worker */

	const char **colnames;
	size_t ncols;
	size_t *order;
	size_t norder;
	int finished;
	int partial;        /* licit_kpi_opts.partial: no total, no settling */
	char *fingerprint;  /* the options that shape the state, as text */
};

/* kpi.c: the state of the group of this key, made when new (*gid: its
 * number); NULL when memory runs out */
unsigned char *kpi_group_get(struct licit_kpi *k, const char *key, size_t len, uint32_t *gid);
/* kpi_output.c: the closing counts of unusable values */
void kpi_unusable_report(struct licit_kpi *k);
/* kpi_partial.c: the fingerprint text of the options; -1 out of memory or
 * an unreadable reference file (err) */
int kpi_fingerprint(struct licit_kpi *k, const struct licit_kpi_opts *o,
                    struct licit_error *err);

/* A group's state for one part (gid TOTAL_GID is the total). */
void *kpi_state(const struct licit_kpi *k, uint32_t gid, const struct kpi_part *p);

int kpi_kbuf_reserve(struct licit_kpi *k, size_t n); /* -1 out of memory */

/* kpi.c: one row's update of the group of that key and of the total;
 * the same for a group already got (kpi_group_get); and a prefetch of
 * what a row's update of group gid will read (stages as in
 * kpi_keyed_prefetch) */
int kpi_apply(struct licit_kpi *k, const char *key, size_t len, const struct kpi_row *v);
int kpi_apply_at(struct licit_kpi *k, uint32_t gid, const struct kpi_row *v);
void kpi_prefetch(const struct licit_kpi *k, uint32_t gid, const struct kpi_row *v, int stage);

/* kpi_pipe.c: rows (with their group key) handed to the worker in
 * batches; drain waits for all of them (and ends the worker); free drops
 * what was not handed over */
int kpi_pipe_push(struct licit_kpi *k, const char *key, size_t len, const struct kpi_row *v);
int kpi_pipe_drain(struct licit_kpi *k);
void kpi_pipe_free(struct licit_kpi *k);

/* kpi_row.c: reads one row's inputs from its typed record; reports
 * unusable values */
void kpi_row_read(struct licit_kpi *k, const struct licit_canon *c, struct kpi_row *v);
/* A value of field that cannot be used: why (static text), then what
 * follows from it (": left out"). */
void kpi_problem(struct licit_kpi *k, const char *field, const char *value, const char *why,
                 const char *then);
/* The canonical fields an input reads (LICIT_NEED bits), and which of
 * them have bad values reported. */
uint64_t kpi_row_need(unsigned in);
int kpi_row_report(unsigned in, int *fields);

/* kpi_group.c: the group key of a row */
enum { D_COL = 0, D_YEAR, D_QUARTER, D_MONTH };
int kpi_derived_kind(const char *name);
int kpi_group_key(struct licit_kpi *k, const struct licit_row *row,
                  const struct licit_canon *c, size_t *len);

/* kpi_reference.c */
int kpi_reference_load(struct licit_kpi *k, const char *path, struct licit_error *err);
/* The reference amount of a row: 1 and *amt, or 0. */
int kpi_reference_of(struct licit_kpi *k, const struct licit_canon *c, double *amt);

/* kpi_output.c: cell writers shared by the parts */
void kpi_put_count(char *out, long long n);
void kpi_put_amount(char *out, double a);
void kpi_count_share(const struct licit_kpi *k, struct cell *c, long long num,
                     long long den);
void kpi_amount_share(const struct licit_kpi *k, struct cell *c, double num, double den);
void kpi_median_cell(struct cell *c, double med, uint64_t n);
int kpi_output_prepare(struct licit_kpi *k);

#endif
