/* The bid-protest accumulator, shared by protest.c (the rows) and
 * protest_partial.c (its state written as a partial file, and merged). */
#ifndef LICIT_PROTEST_IMPL_H
#define LICIT_PROTEST_IMPL_H

#include <stdint.h>

#include "licit/core/arena.h"
#include "licit/core/map.h"
#include "licit/core/stats.h"
#include "licit/protest/protest.h"
#include "licit/record/schema.h"

/* counts per (index, entity) pairs */
struct pairs {
	struct licit_map *m; /* key: the index's bytes, then the entity id */
	long long *n;
	size_t cap;
	char *buf;
	size_t bufcap;
};

struct group {
	struct licit_protest_counts c;
	long den;              /* index in s->den, -1 none */
	struct licit_dvec days;
	const char **vals;     /* nkeys key values (in s->arena) */
};

/* A protest as the statistics need it, once its row is read. */
struct prec {
	unsigned long long proc, pid; /* procedure_id and protest_id hashes */
	long long days;               /* filed to resolved, -1: unknown */
	uint32_t g, ent;              /* its group, its entity (in s->ent) */
	unsigned char st, oc, has_proc, has_pid;
};

struct licit_protest_stats {
	enum licit_protest_key keys[LICIT_PKEY_N];
	size_t nkeys;
	int den_only;          /* every key is a procedure-level key */
	int year_den;          /* the year's place among the denominator keys, -1 none */
	struct licit_arena arena;

	/* procedures: by procedure number (in procs), the row that counts
	 * (the greatest denominator key, then entity, then competitive) and
	 * the number of rows and of competitive rows */
	struct licit_cols pcols;
	const char *source;    /* the bound input's name (borrowed from its reader) */
	int no_types;          /* a procedures file without procedure_type */
	struct licit_hidx procs; /* procedure id hashes */
	unsigned char *comp;
	uint32_t *pden, *pent, *prows, *pcomp;
	size_t p_cap;
	int sealed;            /* the procedures' counts below are made */
	struct licit_map *den; /* procedure-level key -> counts below */
	long long *den_procs, *den_comp;
	char *den_used;
	size_t den_cap;

	/* protests */
	int col[LICIT_P_NFIELDS];
	int keep;              /* keep the protests (partial and merged runs) */
	struct prec *kept;
	size_t nkept, kept_cap;
	struct licit_map *groups;
	struct group *g;
	size_t g_cap;
	struct licit_hidx protested; /* (group, procedure) pairs */
	struct licit_hidx all_protested;
	struct licit_hidx rated_protested; /* those of groups with procedures */
	struct licit_hidx ids;       /* protest ids, for duplicates */

	/* per entity, for mean_entity_protest_rate: overall, per
	 * (denominator, entity) and per (group, entity) */
	struct licit_map *ent;
	long long *ent_protests, *ent_procs;
	size_t ent_cap;
	struct pairs den_ent, group_ent;

	int merged_procs;      /* --merge: -1 no file yet, else the files' have_procedures */
	struct licit_protest_summary sum;
	struct licit_protest_counts total;
	struct licit_dvec all_days;

	size_t *order;         /* rows in output order */
	size_t nrows;
	char *kbuf, *dbuf;
	size_t kcap;
};

/* shared by the two files */
long protest_den_put(struct licit_protest_stats *s, const char *key, size_t len);
long protest_ent_put(struct licit_protest_stats *s, const char *e);
/* the group of these nkeys values (its index in s->g), -1 out of memory */
long protest_group_put(struct licit_protest_stats *s, const char *const *v);
/* procedure p (new: added) has a row of denominator d, entity e and
 * competitive flag c; rows and comp_rows: how many rows that stands for */
void protest_proc_take(struct licit_protest_stats *s, long p, int added, long d, long e, int c,
                       uint32_t rows, uint32_t comp_rows);
int protest_proc_grow(struct licit_protest_stats *s, long p);
/* a protest_id's hash: duplicates counted (and reported to fn) */
int protest_check_id(struct licit_protest_stats *s, unsigned long long h, licit_diag_fn fn,
                     void *ctx, long line, const char *pid);
int protest_keep(struct licit_protest_stats *s, const struct prec *q);

#endif
