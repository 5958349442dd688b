/* Duplicate contract rows (exact, key, fuzzy) and supplier entities.
 *
 * Use: licit_dedupe_new() with the union of the inputs' column names;
 * for each input, licit_dedupe_bind() then licit_dedupe_add() per row
 * (pass 1). In streaming mode (licit_dedupe_streaming()) the decision
 * for a row is final when it is added. Otherwise call
 * licit_dedupe_finish() after the last row and read the decisions with
 * licit_dedupe_get() in a second pass over the same rows in the same
 * order. */
#ifndef LICIT_DEDUPE_H
#define LICIT_DEDUPE_H

#include <stddef.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

enum licit_dup_level { LICIT_DUP_EXACT = 1, LICIT_DUP_KEY, LICIT_DUP_FUZZY };

/* The rule that links a row to its cluster, weakest first. */
enum licit_dup_rule {
	LICIT_RULE_NONE = 0,
	LICIT_RULE_FUZZY,
	LICIT_RULE_KEY,
	LICIT_RULE_EXACT,
	LICIT_RULE_COUNT
};
const char *licit_dup_rule_name(enum licit_dup_rule r);

enum licit_keep { LICIT_KEEP_FIRST = 0, LICIT_KEEP_COMPLETE };

struct licit_dedupe_opts {
	enum licit_dup_level level;  /* rules applied: up to this one */
	const char *const *key;      /* key columns; NULL = procedure_id, contract_id */
	size_t nkey;
	enum licit_keep keep;
	int need_all;                /* decisions for every row (--mark) or the
	                                supplier table: forbids streaming */
	int entities;                /* resolve supplier entities */
	double amount_tol;           /* fuzzy: |a-b| <= tol * max(|a|,|b|) */
	long days;                   /* fuzzy: dates at most this far apart */
	double title_sim;            /* fuzzy: licit_similar_title >= this */
	double name_sim;             /* entities: licit_similar_name of base keys */
	int any_ids;                 /* fuzzy may join rows whose contract_ids
	                                differ (by default they never match) */
	int lean;                    /* streaming: the caller reads only kept
	                                and rule (no --removed), so cluster
	                                numbers and dup_of are not kept (they
	                                are 0 and "") */
};
void licit_dedupe_opts_default(struct licit_dedupe_opts *o);

/* Columns that dedupe adds with --mark; an input that already has them
 * (a marked file deduplicated again) gets them replaced. */
extern const char *const licit_dedupe_mark_cols[5];
/* 1 when name is a provenance column (source, source_line) or one of
 * licit_dedupe_mark_cols: ignored by the exact rule. */
int licit_dedupe_ignored_col(const char *name);

struct licit_dedupe;

/* cols: the output's input columns (names copied). NULL with err when a
 * key column is not among them or memory runs out. */
struct licit_dedupe *licit_dedupe_new(const struct licit_dedupe_opts *o,
                                      const char *const *cols, size_t ncols,
                                      struct licit_error *err);
void licit_dedupe_free(struct licit_dedupe *d);
int licit_dedupe_streaming(const struct licit_dedupe *d);
/* 1 when these options allow streaming: exact or key rules only, the
 * first row kept, no per-row output (--mark) and no entities. Then per
 * distinct row (exact level) or per distinct key (key level; a row
 * without a key counts as its own) about 22 or 30 bytes are kept, plus
 * 16 per cluster without opts.lean (licit-dedupe(1) MEMORY). */
int licit_dedupe_opts_streaming(const struct licit_dedupe_opts *o);

/* Prepares for rows of this reader (its columns are found by name). */
int licit_dedupe_bind(struct licit_dedupe *d, const struct licit_reader *r,
                      struct licit_error *err);

/* What dedupe decided for one row. */
struct licit_dup {
	unsigned long cluster;       /* 1, 2, ... in order of first appearance */
	int kept;                    /* 1 for the row kept for its cluster */
	enum licit_dup_rule rule;    /* the rule that joined this row (or the
	                                group it came with) to its cluster;
	                                NONE for the kept row */
	double score;                /* 1 for exact and key, title similarity for fuzzy */
	const char *of;              /* "source:line" of the kept row ("" if kept) */
	const char *entity;          /* supplier entity id, "" when none or not asked */
};

/* Adds one row of the bound reader. In streaming mode fills *now (may be
 * NULL otherwise). LICIT_ERR with err when memory runs out. */
int licit_dedupe_add(struct licit_dedupe *d, const struct licit_row *row,
                     struct licit_dup *now, struct licit_error *err);
/* Resolves entities, fuzzy links and the kept rows. */
int licit_dedupe_finish(struct licit_dedupe *d, struct licit_error *err);
/* The decision for row i (0-based, in the order added). m->of and
 * m->entity are valid until the next call. */
void licit_dedupe_get(struct licit_dedupe *d, size_t i, struct licit_dup *m);

struct licit_dedupe_stats {
	long long rows;
	long long removed[LICIT_RULE_COUNT]; /* rows not kept, by rule */
	long long clusters;                  /* clusters of two rows or more */
	long long no_key;                    /* rows lacking a key field */
	long long fuzzy_eligible;            /* rows with everything fuzzy needs */
	long long fuzzy_pairs;               /* candidate pairs compared */
	long long spellings, entities;
	long long entity_rule[4];            /* entities by rule: rfc name similar */
};
void licit_dedupe_stats(const struct licit_dedupe *d, struct licit_dedupe_stats *s);

/* Supplier entities, after finish (entities asked for). */
struct licit_entity {
	const char *id, *name, *rfc, *variants, *rule;
	long long rows;
};
size_t licit_dedupe_nentities(const struct licit_dedupe *d);
/* Entity i in order of first appearance; strings valid until the next call. */
void licit_dedupe_entity(struct licit_dedupe *d, size_t i, struct licit_entity *e);

/* ---- PARTS: -j N ------------------------------------------------------
 * An input cut into byte ranges (parts) read at once on several threads,
 * with the decisions of a one-job run. The first part of an input is
 * read by the run's engine itself (licit_dedupe_add: final at once).
 * Each later part has its own engine (licit_dedupe_part_new), decides
 * its rows against its own rows only, and spools to two temporary files
 * ($TMPDIR, removed when freed) what the merge needs: per row that is
 * not an exact copy of one before it in the part (with provenance: per
 * row) its two hashes and decision (64 bytes), and the caller's payload
 * (the row as it will be written) when the row may be written, unless
 * the caller finds those bytes in its input again (licit_dedupe_part_add_at). Its hash
 * sets are freed when the part is done. Then, in input order on one
 * thread, licit_dedupe_join decides the part's rows against everything
 * before them, exactly as licit_dedupe_add would have, and hands each
 * with its payload to fn in order. Only in streaming mode, and not when
 * a key column is one the exact rule ignores (licit_dedupe_parts_ok). */
int licit_dedupe_parts_ok(const struct licit_dedupe *d);

struct licit_dedupe_part;
/* A part engine with d's options and columns; NULL with err. */
struct licit_dedupe_part *licit_dedupe_part_new(const struct licit_dedupe *d,
                                                struct licit_error *err);
void licit_dedupe_part_free(struct licit_dedupe_part *p); /* accepts NULL */
int licit_dedupe_part_bind(struct licit_dedupe_part *p, const struct licit_reader *r,
                           struct licit_error *err);
/* One row of the part, with the len bytes that fn gets back for it.
 * LICIT_ERR with err when memory runs out or the spool cannot be written. */
int licit_dedupe_part_add(struct licit_dedupe_part *p, const struct licit_row *row,
                          const char *payload, size_t len, struct licit_error *err);
/* The same for a row whose payload is the len bytes at offset at (>= 0)
 * of a file of the caller's (the input, read again by fn): only at and
 * len are spooled, not the bytes. */
int licit_dedupe_part_add_at(struct licit_dedupe_part *p, const struct licit_row *row,
                             long long at, size_t len, struct licit_error *err);
/* After the part's last row (on its thread). */
int licit_dedupe_part_done(struct licit_dedupe_part *p, struct licit_error *err);

/* m: the row's decision, as licit_dedupe_add gives it (m->of valid during
 * the call); payload NULL (len 0) for a row the part spooled without one
 * (removed, without provenance), and NULL with at >= 0 for one added by
 * licit_dedupe_part_add_at (its len bytes at at of the caller's file;
 * else at is -1). Payloads of the part lie one after another, valid
 * until fn is called with m NULL (to write out what it held back):
 * before the join reads more of them, and after the last row. LICIT_ERR
 * stops the join. */
typedef int (*licit_dedupe_join_fn)(void *ctx, const struct licit_dup *m,
                                    const char *payload, size_t len, long long at,
                                    struct licit_error *err);
/* Decides p's rows after every row d has seen, in order, calling fn for
 * each spooled row. last: no row comes after this part (d's sets are only
 * looked up, not grown). The part can then be freed. */
int licit_dedupe_join(struct licit_dedupe *d, struct licit_dedupe_part *p, int last,
                      licit_dedupe_join_fn fn, void *ctx, struct licit_error *err);

#endif
