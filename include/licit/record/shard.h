/* Stable shards of canonical records: record -> shard number 0..N-1 by a
 * hash of its shard key that does not depend on the machine, the input
 * order or anything but the key's bytes (licit-scale(7)).
 *
 * The key is the values of the key fields joined by the byte 0x1F; the
 * default key is the buyer key (buyer_id, else buyer_name: see
 * licit/record/canon.h), so that everything a cross-row rule needs (a
 * buyer's years and splits, a buyer's suppliers, the duplicates of a
 * contract) lands in one shard. The shard is
 *     licit_mix64(FNV-1a-64(key)) mod N
 * and tests/unit/test_shard.c pins known values, so a change of it is a
 * change of the on-disk contract, not an accident. */
#ifndef LICIT_SHARD_H
#define LICIT_SHARD_H

#include <stddef.h>
#include <stdint.h>

#include "licit/record/schema.h"

#define LICIT_SHARD_MAX 65536 /* the most shards */
#define LICIT_SHARD_FIELDS 8  /* the most key fields */

struct licit_row;

/* The shard key: canonical fields, or none for the buyer key. */
struct licit_shard_key {
	int field[LICIT_SHARD_FIELDS];
	int nfields; /* 0: the buyer key */
	int fold;    /* the values folded as dedupe's key rule folds them
	                (licit_text_fold) before they are hashed */
};

/* "buyer" or canonical field names joined by commas ("buyer_id,year" is
 * not accepted: year is not a field); "key": dedupe's key, procedure_id
 * and contract_id folded (so that the rows dedupe's exact and key rules
 * join land in one shard), "key:FIELDS" the same for dedupe --key
 * FIELDS. LICIT_OK, or LICIT_ERR with why. */
int licit_shard_key_parse(const char *spec, struct licit_shard_key *k, char *why, size_t cap);
/* "I/N" (1 <= I <= N <= LICIT_SHARD_MAX): *i is 0-based. LICIT_OK or
 * LICIT_ERR with why. */
int licit_shard_spec_parse(const char *spec, int *i, int *n, char *why, size_t cap);

/* The shard (0..n-1) of the key made of these values. */
int licit_shard_of(const char *const *v, const size_t *len, int nv, int n);

/* The shard of a canonical row whose fields sit at cols (the buyer key:
 * buyer_id, else buyer_name; a field the input lacks is empty). */
int licit_shard_of_row(const struct licit_shard_key *k, const struct licit_cols *cols,
                       const struct licit_row *row, int n);
/* The same over canonical values in field order (normalise's output). */
int licit_shard_of_values(const struct licit_shard_key *k, const char *const *values, int n);

#endif
