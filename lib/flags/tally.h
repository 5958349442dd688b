/* A tally of 64-bit fingerprints (private to lib/flags): each is appended
 * in pass 1 (8 bytes a row, on disk: parts.h), then tally_settle sorts them, a
 * partition of at most about PARTS_BUDGET bytes at a time, and
 * keeps only those seen at least `min` times that the caller wants, with
 * their counts, so that the others cost nothing in pass 2. Two values of one fingerprint
 * count as one (about n^2 / 2^65 odds, as licit_hidx). */
#ifndef LICIT_FLAGS_TALLY_H
#define LICIT_FLAGS_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "parts.h"

struct tally {
	struct parts in; /* pass 1: every fingerprint, on disk (parts.h) */
	uint64_t *fp;    /* after settle: the kept ones, in order */
	uint32_t *cnt;   /* and their counts */
	size_t n, cap;
};

/* Makes *(T **)pp hold at least need elements of elem bytes, growing it
 * by a quarter (large blocks are remapped, not copied, and the unused
 * tail stays small): for the arrays that grow with rows. New elements
 * are zeroed. LICIT_OK or LICIT_ERR. */
int grow_quarter(void *pp, size_t *cap, size_t need, size_t elem);
#define GROW_QUARTER(p, cap, need) grow_quarter(&(p), &(cap), (need), sizeof *(p))

/* LICIT_OK, or LICIT_ERR when memory runs out. */
int tally_add(struct tally *t, uint64_t fp);
/* keep(ctx, fp, count): whether to keep a fingerprint seen count times
 * (NULL: all of them); those seen fewer than min times are dropped first. */
int tally_settle(struct tally *t, unsigned min,
                 int (*keep)(const void *ctx, uint64_t fp, unsigned count), const void *ctx);
/* The count of fp, 0 when it was not kept (seen fewer than min times). */
unsigned tally_get(const struct tally *t, uint64_t fp);
void tally_fini(struct tally *t);

#endif
