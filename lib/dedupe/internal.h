/* The dedupe engine's state, shared by its files (dedupe.c: rows and
 * decisions; parts.c: -j N, parts of an input decided in order). Not a
 * public header. */
#ifndef LICIT_DEDUPE_INTERNAL_H
#define LICIT_DEDUPE_INTERNAL_H

#include <stdint.h>

#include "licit/core/fpset.h"
#include "licit/core/map.h"
#include "licit/dedupe/dedupe.h"
#include "licit/record/canon.h"

struct h128 {
	uint64_t a, b;
};

struct frow {
	double amount;     /* NAN when absent */
	uint64_t contract; /* hash of the folded contract_id, 0 when empty */
	size_t title;      /* offset in titles, 0 = no title (or not eligible) */
	int32_t buyer, currency, node;
	int32_t date[4];   /* signed, start, award, end: days, INT32_MIN when absent */
	uint8_t eligible;
};

struct entity {
	char *id, *name, *rfc, *variants;
	long long rows;
	int level;
};

struct licit_dedupe {
	struct licit_dedupe_opts o;
	int streaming;
	char **cols;
	size_t ncols;
	size_t *hashcols, nhash;   /* union columns the exact rule reads */
	long *keycols;             /* union index of each key column, -1 absent */
	size_t nkey;
	int key_ok;                /* every key column exists */
	int col_source, col_line;  /* union index, -1 */

	/* current reader */
	long *rmap;                /* union column -> reader column, -1 */
	const char *rsource;
	/* entities and fuzzy read rows through the typed record */
	struct licit_canon_ctx cx;
	struct licit_canon c;

	/* distinct rows and keys (see stream_add for their values) */
	struct licit_fpset *exact, *key, *xkey;
	int merged;                /* streaming key level: one lookup per row */
	int prov;                  /* provenance kept (not with opts.lean) */
	size_t nrows;
	char *scratch;
	size_t scratch_cap;

	/* per row (not streaming) */
	uint32_t *parent;
	uint8_t *rule;
	float *score;
	uint16_t *filled;
	int32_t *node;
	size_t rows_cap;
	/* provenance: per row, or per cluster when streaming */
	int32_t *psrc;
	long *pline;
	size_t prov_cap;
	struct licit_map *sources;
	unsigned long nclusters;   /* streaming */

	/* fuzzy */
	struct frow *fr;
	size_t fr_cap;
	char *titles;
	size_t titles_n, titles_cap;
	struct licit_map *buyers, *currencies;

	/* supplier spellings: node = distinct (name, rfc) */
	struct licit_map *nodes;
	long long *node_rows;
	size_t node_cap;
	uint64_t *pairs;           /* buyer << 32 | node, distinct */
	struct licit_hidx pairset; /* pair + 1 (the index takes no key 0) */
	size_t npairs, pairs_cap;
	int32_t *nparent;
	uint8_t *nlevel;
	int32_t *nrfc;             /* per root: a node carrying the entity's RFC */
	int32_t *nentity;          /* per node: entity index */
	struct entity *ents;
	size_t nents;

	/* results */
	uint32_t *cl;              /* per row: cluster number */
	uint32_t *keeprow;         /* per cluster: the kept row */
	char ofbuf[1024];
	struct licit_dedupe_stats st;
};

/* A row's fingerprints and provenance (what the streaming rules read). */
struct dedupe_keys {
	struct h128 he, hk; /* exact hash, key hash */
	int has_key;
	int sidx;           /* its source in d->sources, -1 without provenance */
	long line;
};

/* Hashes row (bound reader) and counts it (rows, rows without a key). */
int dedupe_row_keys(struct licit_dedupe *d, const struct licit_row *row,
                    struct dedupe_keys *k, unsigned *filled, struct licit_error *err);
/* The streaming rules: the decision for a row with these keys, the sets
 * grown by it. */
int dedupe_stream_add(struct licit_dedupe *d, const struct dedupe_keys *k,
                      struct licit_dup *now, struct licit_error *err);
/* A new cluster with this provenance: its number in *v; 0 or -1. */
int dedupe_new_cluster(struct licit_dedupe *d, int sidx, long line, uint32_t *v);
/* now->of for a removed row of cluster v (with provenance). */
void dedupe_set_of(struct licit_dedupe *d, uint32_t v, struct licit_dup *now);
/* Ends a streaming decision whose rule is set: cluster v, kept or not,
 * the removed count and (with provenance) the row it duplicates. */
void dedupe_decided(struct licit_dedupe *d, uint32_t v, struct licit_dup *now);

#endif
