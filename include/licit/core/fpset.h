/* The fingerprint set: the hash table of licit/core/map.h for keys that
 * are already finished 128-bit hashes (every bit uniformly random), when
 * there are as many of them as rows and memory per key counts (dedupe's
 * distinct rows and keys).
 *
 * Each key holds vsize bytes of the caller's value. Memory: per key 16 +
 * vsize bytes in a dense array, plus a 4-byte slot at 5/8 to 4/5 full
 * (about 6 bytes); the set is split in 256 parts by the key's top byte,
 * each grown by half when 4/5 full, so growing never holds two copies of
 * more than one part. Keys are compared whole: two keys are one only when
 * all 128 bits agree. */
#ifndef LICIT_FPSET_H
#define LICIT_FPSET_H

#include <stddef.h>
#include <stdint.h>

struct licit_fpset;

/* NULL when memory runs out. */
struct licit_fpset *licit_fpset_new(size_t vsize);
void licit_fpset_free(struct licit_fpset *s); /* accepts NULL */

/* The value of key (a, b), inserting it if absent (*added = 1 then, the
 * value zeroed); NULL when memory runs out or a part holds 2^24 - 2 keys.
 * The pointer (not aligned: read it with memcpy) is valid until the next
 * put. */
void *licit_fpset_put(struct licit_fpset *s, uint64_t a, uint64_t b, int *added);
/* The value of key (a, b), or NULL when absent. */
void *licit_fpset_get(const struct licit_fpset *s, uint64_t a, uint64_t b);
size_t licit_fpset_count(const struct licit_fpset *s);
/* Starts loading the slot where key (a, ...) is looked for, so that a
 * put or get of it a little later does not wait for memory. */
void licit_fpset_prefetch(const struct licit_fpset *s, uint64_t a);

#endif
