/* The hash tables, and the one hash and mixer they use.
 *
 * struct licit_map: string keys (copied) numbered densely in insertion
 * order (0, 1, 2, ...): callers keep per-key state in parallel arrays
 * indexed by that number, and iterate in a deterministic order.
 *
 * struct licit_hidx: the keyless variant, for counters that grow with
 * distinct values: 64-bit keys (hashes of the caller's keys) to dense
 * numbers, 12 bytes a slot at most 3/4 full, no key text kept. Two keys
 * of one hash count as one: about n^2 / 2^65 odds (1e-6 for 5 million
 * keys), which the caller documents where it matters. */
#ifndef LICIT_MAP_H
#define LICIT_MAP_H

#include <stddef.h>

/* FNV-1a's xor-multiply over the bytes (64-bit prime; the offset basis
 * 1469598103934665603 is not FNV's, and stays, so that hashes stay as
 * they were), for keys built by the caller. Its low bits are weak: mix
 * before indexing a table. */
unsigned long long licit_hash(const void *data, size_t len);
/* The one mixer (SplitMix64's finaliser): spreads every input bit over
 * the result, so that low bits can index a table; a bijection. Use it to
 * combine hashes: licit_mix64(h1 ^ licit_mix64(h2)). */
static inline unsigned long long licit_mix64(unsigned long long x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

struct licit_map;

struct licit_map *licit_map_new(void);
void licit_map_free(struct licit_map *m); /* accepts NULL */

/* The key's number, inserting the key if absent (*added = 1 then; added
 * may be NULL). -1 when memory runs out. */
long licit_map_put(struct licit_map *m, const char *key, size_t len, int *added);
/* The same with the caller's hash of the key: every put on that map must
 * then give one (equal keys, equal hashes), and licit_map_get, which
 * hashes its own way, is not for it. */
long licit_map_put_hashed(struct licit_map *m, const char *key, size_t len,
                          unsigned long long h, int *added);
/* The key's number, or -1 if absent. */
long licit_map_get(const struct licit_map *m, const char *key, size_t len);
/* For callers that look many keys up in a row, a few ahead of the one
 * they are at: the hash licit_map_put gives a key; a prefetch of the
 * slot a lookup of hash h reads first; and, once that slot is in cache,
 * the number of the key it holds if that key may be the one of hash h
 * (-1 if not: a guess, which prefetches the key's entry). h is the hash
 * the key is put with (licit_map_hash's, or the caller's). */
unsigned long long licit_map_hash(const void *key, size_t len);
void licit_map_prefetch(const struct licit_map *m, unsigned long long h);
long licit_map_guess(const struct licit_map *m, unsigned long long h);
size_t licit_map_count(const struct licit_map *m);
/* Room made for n keys in all (their text aside), so that adding them
 * does not grow the table on the way; -1 out of memory. */
int licit_map_reserve(struct licit_map *m, size_t n);
/* The key numbered i (NUL-terminated, borrowed from m), and its length. */
const char *licit_map_key(const struct licit_map *m, size_t i, size_t *len);

/* Zero-initialised (struct licit_hidx h = {0}) is an empty index. */
struct licit_hidx {
	unsigned long long *key; /* 0 = empty slot (key 0 is stored as 1) */
	unsigned *idx;
	size_t cap, n;
};

/* The key's number, adding it if absent (*added = 1 then; added may be
 * NULL); -1 when memory runs out. Keys need not be mixed beforehand. */
long licit_hidx_put(struct licit_hidx *h, unsigned long long key, int *added);
/* The key's number, or -1 if absent. */
long licit_hidx_get(const struct licit_hidx *h, unsigned long long key);
/* Fetches the slot where key is or would go into the cache, for a put
 * or get of it a little later (a hint: nothing changes). */
void licit_hidx_prefetch(const struct licit_hidx *h, unsigned long long key);
/* Frees the slots; h is empty again. */
void licit_hidx_fini(struct licit_hidx *h);

#endif
