/* Open-addressing hash tables with dense, insertion-ordered key numbers:
 * the string-keyed map and the keyless 64-bit index. */
#include "licit/core/map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"

/* A slot is 0 (empty) or the key's number + 1 in its low 32 bits and
 * the high 32 bits of its mixed hash above them: a probe that meets
 * another key's slot is told apart there, without reading the entry.
 * An entry (key, length, hash) is one array, so that a hit reads the
 * slot, the entry and the key text: three cache lines at most. */
struct entry {
	const char *key;
	size_t len;
	unsigned long long hash; /* map_hash's, before licit_mix64 */
};

struct licit_map {
	uint64_t *slots;
	size_t nslots; /* a power of two */
	struct entry *e;
	size_t count, cap;
	struct licit_arena arena;
};

unsigned long long licit_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	unsigned long long h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The map's own hash: eight bytes a step (licit_hash takes one), each
 * word multiplied in and folded down; licit_mix64 spreads it before it
 * indexes. Private: no number it gives leaves the map. */
static unsigned long long map_hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	/* (the length mixed on its own: xor'd into the low bits with the
	 * tail, "p1" and "p10" were one hash) */
	uint64_t h = licit_mix64(len + 0x9E3779B97F4A7C15ULL), w;
	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
		h ^= h >> 32;
	}
	w = 0;
	if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + len - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (len) {
		w = (uint64_t)p[0] << 16 | (uint64_t)p[len / 2] << 8 | p[len - 1];
	}
	h = (h ^ w) * 0x94d049bb133111ebULL;
	return h ^ h >> 29;
}

#define TAG(mh) ((mh) & 0xffffffff00000000ULL)
#define MAX_KEYS 0xfffffffeU

struct licit_map *licit_map_new(void)
{
	struct licit_map *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->nslots = 64;
	m->slots = calloc(m->nslots, sizeof *m->slots);
	if (!m->slots) {
		free(m);
		return NULL;
	}
	licit_arena_init(&m->arena, 1 << 16);
	return m;
}

void licit_map_free(struct licit_map *m)
{
	if (!m)
		return;
	free(m->slots);
	free(m->e);
	licit_arena_fini(&m->arena);
	free(m);
}

static size_t find_slot(const struct licit_map *m, const char *key, size_t len,
                        unsigned long long h)
{
	uint64_t mh = licit_mix64(h), tag = TAG(mh);
	size_t mask = m->nslots - 1, i = (size_t)mh & mask;
	for (;;) {
		uint64_t s = m->slots[i];
		if (s == 0)
			return i;
		if (TAG(s) == tag) {
			const struct entry *e = &m->e[(uint32_t)s - 1];
			if (e->hash == h && e->len == len && (len == 0 || memcmp(e->key, key, len) == 0))
				return i;
		}
		i = (i + 1) & mask;
	}
}

/* to n slots (a power of two, more than there are) */
static int grow_to(struct licit_map *m, size_t n)
{
	uint64_t *slots = n <= SIZE_MAX / sizeof *slots ? malloc(n * sizeof *slots) : NULL;
	if (!slots)
		return -1;
	/* the old slots go before the new are written (the entries are
	 * placed again from their hashes), so that the peak holds one table;
	 * and the new are written, not calloc'd (licit_zeroed says why) */
	free(m->slots);
	memset(slots, 0, n * sizeof *slots);
	m->slots = slots;
	m->nslots = n;
	for (size_t k = 0; k < m->count; k++) {
		/* (a large table is far from the cache: the slot of the entry
		 * 16 on is fetched while this one is placed) */
		if (k + 16 < m->count)
			__builtin_prefetch(&slots[(size_t)licit_mix64(m->e[k + 16].hash) & (n - 1)], 1);
		uint64_t mh = licit_mix64(m->e[k].hash);
		size_t i = (size_t)mh & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = TAG(mh) | (k + 1);
	}
	return 0;
}

static int grow(struct licit_map *m)
{
	return grow_to(m, m->nslots * 2);
}

int licit_map_reserve(struct licit_map *m, size_t n)
{
	if (n > MAX_KEYS)
		return -1;
	size_t slots = m->nslots;
	while (n * 4 > slots * 3)
		slots *= 2;
	if (slots != m->nslots && grow_to(m, slots) < 0)
		return -1;
	if (n > m->cap) {
		if (licit_resize(&m->e, m->cap, n, sizeof *m->e))
			return -1;
		m->cap = n;
	}
	return 0;
}

long licit_map_get(const struct licit_map *m, const char *key, size_t len)
{
	uint64_t s = m->slots[find_slot(m, key, len, map_hash(key, len))];
	return s ? (long)(uint32_t)s - 1 : -1;
}

unsigned long long licit_map_hash(const void *key, size_t len)
{
	return map_hash(key, len);
}

void licit_map_prefetch(const struct licit_map *m, unsigned long long h)
{
	__builtin_prefetch(&m->slots[(size_t)licit_mix64(h) & (m->nslots - 1)]);
}

long licit_map_guess(const struct licit_map *m, unsigned long long h)
{
	uint64_t mh = licit_mix64(h), s = m->slots[(size_t)mh & (m->nslots - 1)];
	if (!s || TAG(s) != TAG(mh))
		return -1;
	__builtin_prefetch(&m->e[(uint32_t)s - 1]);
	return (long)(uint32_t)s - 1;
}

long licit_map_put(struct licit_map *m, const char *key, size_t len, int *added)
{
	return licit_map_put_hashed(m, key, len, map_hash(key, len), added);
}

long licit_map_put_hashed(struct licit_map *m, const char *key, size_t len,
                          unsigned long long h, int *added)
{
	size_t i = find_slot(m, key, len, h);
	if (added)
		*added = 0;
	if (m->slots[i])
		return (long)(uint32_t)m->slots[i] - 1;
	if (m->count == MAX_KEYS)
		return -1;
	if (m->count == m->cap) {
		size_t cap = licit_grow_cap(m->cap, m->count + 1, sizeof *m->e);
		if (!cap || licit_resize(&m->e, m->cap, cap, sizeof *m->e))
			return -1;
		m->cap = cap;
	}
	char *copy = licit_arena_strndup(&m->arena, key, len);
	if (!copy)
		return -1;
	size_t k = m->count++;
	m->e[k] = (struct entry){copy, len, h};
	m->slots[i] = TAG(licit_mix64(h)) | (k + 1);
	if (m->count * 4 > m->nslots * 3 && grow(m) < 0)
		return -1;
	if (added)
		*added = 1;
	return (long)k;
}

size_t licit_map_count(const struct licit_map *m)
{
	return m->count;
}

const char *licit_map_key(const struct licit_map *m, size_t i, size_t *len)
{
	if (len)
		*len = m->e[i].len;
	return m->e[i].key;
}

/* ---- keyless 64-bit index ---- */

static int hidx_grow(struct licit_hidx *h)
{
	size_t cap = h->cap ? h->cap * 2 : 1024;
	unsigned long long *k = calloc(cap, sizeof *k);
	unsigned *ix = malloc(cap * sizeof *ix);
	if (!k || !ix) {
		free(k);
		free(ix);
		return -1;
	}
	for (size_t i = 0; i < h->cap; i++)
		if (h->key[i]) {
			size_t j = (size_t)licit_mix64(h->key[i]) & (cap - 1);
			while (k[j])
				j = (j + 1) & (cap - 1);
			k[j] = h->key[i];
			ix[j] = h->idx[i];
		}
	free(h->key);
	free(h->idx);
	h->key = k;
	h->idx = ix;
	h->cap = cap;
	return 0;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t hidx_slot(const struct licit_hidx *h, unsigned long long key)
{
	size_t j = (size_t)licit_mix64(key) & (h->cap - 1);
	while (h->key[j] && h->key[j] != key)
		j = (j + 1) & (h->cap - 1);
	return j;
}

long licit_hidx_get(const struct licit_hidx *h, unsigned long long key)
{
	if (!h->cap)
		return -1;
	size_t j = hidx_slot(h, key ? key : 1);
	return h->key[j] ? (long)h->idx[j] : -1;
}

long licit_hidx_put(struct licit_hidx *h, unsigned long long key, int *added)
{
	if (!key)
		key = 1;
	if (added)
		*added = 0;
	if ((h->n + 1) * 4 > h->cap * 3 && hidx_grow(h) < 0)
		return -1;
	size_t j = hidx_slot(h, key);
	if (h->key[j])
		return h->idx[j];
	if (h->n >= 0xffffffffu)
		return -1;
	h->key[j] = key;
	h->idx[j] = (unsigned)h->n;
	if (added)
		*added = 1;
	return (long)h->n++;
}

void licit_hidx_prefetch(const struct licit_hidx *h, unsigned long long key)
{
	if (!h->cap)
		return;
	size_t j = (size_t)licit_mix64(key ? key : 1) & (h->cap - 1);
	__builtin_prefetch(&h->key[j]);
	__builtin_prefetch(&h->idx[j]);
}

void licit_hidx_fini(struct licit_hidx *h)
{
	free(h->key);
	free(h->idx);
	h->key = NULL;
	h->idx = NULL;
	h->cap = h->n = 0;
}
