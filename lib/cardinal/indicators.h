/* Cardinal's indicators inside lib/cardinal: the table (one entry per
 * indicator), the run's state, and what every indicator reads of a
 * release, found once per release.
 *
 * An indicator is one entry, in the file of its family: ind_process.c
 * (flags raised by one process alone: R003 R018 R028 R030 R035 R036
 * R044), ind_price.c (bid price ratios and their fences: R024 R058),
 * ind_share.c (shares per buyer, procuring entity or tenderer and their
 * fences: R025 R038 R048). Adding one: its enum value and entry, its
 * place in the two orders below (Cardinal's), its settings keys in
 * params, its man text. */
#ifndef LICIT_CARDINAL_INDICATORS_H
#define LICIT_CARDINAL_INDICATORS_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "licit/cardinal/cardinal.h"
#include "licit/cardinal/cardinal_map.h"
#include "licit/core/arena.h"
#include "licit/core/map.h"
#include "licit/io/partial.h"

typedef struct licit_json J;

/* The groups results are given for, in Cardinal's names. */
enum { G_OCID, G_BUYER, G_PE, G_TENDERER, NGROUPS };

/* What the indicators read of one release, found once (see
 * card_release_view). */
struct card_release {
	const J *release;
	const char *ocid;
	const J *tender;                  /* NULL when not an object */
	const char *method, *method_details; /* tender's, when strings */
	const J *awards;                  /* NULL when not an array */
	const J *details;                 /* bids/details, NULL when not an array */
	/* the active awards when every award with a status is final (active,
	 * cancelled or unsuccessful) and bids/details exists; else -1 */
	int nactive;
	const J *active[64];              /* the first 64 of them */
};

struct licit_cardinal;

struct card_ind {
	const char *code;
	const struct licit_cardinal_param *params; /* its section's keys, {NULL}-ended */
	size_t state;       /* bytes of its own state for the run (zeroed); 0: none */
	int shares;         /* -1, or the indicator whose state and gather it uses */
	/* each release, in release_order: gather accumulates into the state,
	 * eval raises what the release alone raises */
	void (*gather)(struct licit_cardinal *c, void *st, const struct card_release *r);
	void (*eval)(struct licit_cardinal *c, void *st, const struct card_release *r);
	/* after the last release, in settle_order: fences and what they raise */
	void (*settle)(struct licit_cardinal *c, void *st);
	/* explain: its "Meta" member (after sep) when it has one, returning 1
	 * then; and for --summary, why a release cannot be computed (NULL:
	 * it can) */
	int (*meta)(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep);
	const char *(*missing)(const J *release);
	void (*fini)(void *st); /* frees inside the state; NULL: nothing to */
	/* partial results (fences.c; NULL: nothing crosses shards): save
	 * writes the state as records tagged with the code (fences: as the
	 * merged state of a fences file), take reads one back into it (0,
	 * or -1 when it does not parse) */
	void (*save)(struct licit_cardinal *c, void *st, struct licit_partial_out *o, int fences);
	int (*take)(struct licit_cardinal *c, void *st, const struct licit_partial_in *r,
	            int fences);
	int per_party;          /* results per party only (--summary counts
	                         * computable processes, not flagged ones) */
};

/* An entry's settings keys (struct licit_cardinal_param) */
#define CARD_PARAM(key, type, lo, hi, field)                                             \
	{key, type, lo, hi, offsetof(struct licit_cardinal_settings, field), -1}
#define CARD_PARAM_HAS(key, type, lo, hi, field, has)                                    \
	{key, type, lo, hi, offsetof(struct licit_cardinal_settings, field),                 \
	 (long)offsetof(struct licit_cardinal_settings, has)}
#define CARD_PARAMS_END {NULL, LICIT_CP_INT, 0, 0, 0, -1}
extern const struct licit_cardinal_param card_no_params[];

/* The table, in output order (enum licit_cardinal_ind). */
extern const struct card_ind *const card_table[LICIT_NIND];
extern const struct card_ind card_r003, card_r018, card_r024, card_r025, card_r028, card_r030,
	card_r035, card_r036, card_r038, card_r044, card_r048, card_r058;

struct card_group {
	struct licit_map *ids;
	double *val; /* LICIT_NIND per id, NAN = not set */
	size_t cap;  /* of val, in doubles */
};

struct licit_cardinal {
	const struct licit_cardinal_settings *s;
	struct licit_arena prepared; /* what prepare adds to a release */
	struct licit_cardinal_maps *maps; /* --map, else NULL */
	struct licit_cardinal_summary *summary; /* --summary, else NULL */
	struct card_group g[NGROUPS];
	char *currency; /* the run's currency: set, or the first seen */
	void *state[LICIT_NIND];  /* each indicator's (a sharer: its owner's) */
	int gathered[LICIT_NIND]; /* its gather runs: on, or a sharer is */
	int settled[LICIT_NIND];  /* its settle has run (its Meta is written) */
	int oom;
};

/* ---- results (cardinal.c) ---- */
void card_set_result(struct licit_cardinal *c, int group, const char *id,
                     enum licit_cardinal_ind ind, double v);
void card_map_add(struct licit_cardinal *c, enum licit_cmap which, const char *ocid,
                  const char *id);

/* Counts per id: numerator and denominator. */
struct card_frac {
	struct licit_map *ids;
	long *num, *den;
	size_t cap;
};
/* Adds to id's counts (inserting it); its number, or -1 (c->oom). */
long card_frac_add(struct licit_cardinal *c, struct card_frac *f, const char *id, long num,
                   long den);
void card_frac_free(struct card_frac *f);
/* A frac as partial records TAG[,G],ID,NUM,DEN (g < 0: no G), and one
 * read back from field i on (fences.c). */
void card_frac_save(const struct card_frac *f, struct licit_partial_out *o, const char *tag,
                    int g);
int card_frac_take(struct licit_cardinal *c, struct card_frac *f, const struct licit_partial_in *r,
                   size_t i);

/* ---- reading releases (cardinal_release.c) ---- */
void card_release_view(struct card_release *r, const J *release, const char *ocid);
/* o's member key when it is a string, an object, an array; else NULL */
static inline const char *card_str(const J *o, const char *key)
{
	const J *v = licit_json_get_rawn(o, key, strlen(key));
	return licit_json_is_string(v) ? v->u.s : NULL;
}
static inline const J *card_obj(const J *o, const char *key)
{
	const J *v = licit_json_get_rawn(o, key, strlen(key));
	return licit_json_is_object(v) ? v : NULL;
}
static inline const J *card_arr(const J *o, const char *key)
{
	const J *v = licit_json_get_rawn(o, key, strlen(key));
	return licit_json_is_array(v) ? v : NULL;
}
int card_matches_method(const struct card_release *r, const struct licit_strset *set);
int card_matches_details(const struct card_release *r, const struct licit_strset *include,
                         const struct licit_strset *exclude);
int card_is_submitted(const J *bid);
/* The one supplier of the one active award when the process is complete;
 * else NULL. */
const char *card_sole_winner(const struct card_release *r);
/* The run's currency: the configured one, else the first one seen. */
int card_same_currency(struct licit_cardinal *c, const char *cur);
int card_bid_amount(const J *bid, double *amount, const char **currency);

/* A small set of borrowed strings (the ids in one release). */
struct card_idset {
	const char **v;
	size_t n, cap;
};
/* 1 when id was added, 0 when present, -1 when memory ran out. */
int card_idset_add(struct card_idset *s, const char *id);

/* ---- fences (cardinal_number.c) ---- */
/* Q1 and Q3 of v[0..n) (sorted here). */
void card_quartiles(double *v, size_t n, double *q1, double *q3);
int card_cmp_double(const void *a, const void *b);
/* A Meta value: rounded to 4 decimals, as Cardinal writes it. */
void card_put_meta(FILE *f, double v);
void card_put_num(FILE *f, double v);
/* "q1":Q1,"q3":Q3, in a Meta object, when has_q */
void card_put_quartiles(FILE *f, int has_q, double q1, double q3);

/* ---- why not computable (cardinal_summary.c) ---- */
const char *card_missing_r003(const J *release);
const char *card_missing_r018(const J *release);
const char *card_missing_r030(const J *release);
const char *card_missing_bids_awards(const J *release);
const char *card_missing_submitted(const J *release);
const char *card_missing_r048(const J *release);
const char *card_missing_r044(const J *release);

#endif
