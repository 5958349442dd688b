/* Open-addressing hash tables with dense, insertion-ordered key numbers:
 * the string-keyed map and the keyless 64-bit index. */
#include "licit/core/map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"

struct licit_map {
	long *slots;          /* key number + 1, 0 = empty */
	size_t nslots;        /* a power of two */
	const char **keys;
	size_t *lens;
	unsigned long long *hashes;
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
	free(m->keys);
	free(m->lens);
	free(m->hashes);
	licit_arena_fini(&m->arena);
	free(m);
}

static size_t find_slot(const struct licit_map *m, const char *key, size_t len,
                        unsigned long long h)
{
	size_t mask = m->nslots - 1, i = (size_t)licit_mix64(h) & mask;
	for (;;) {
		long s = m->slots[i];
		if (s == 0)
			return i;
		size_t k = (size_t)(s - 1);
		if (m->hashes[k] == h && m->lens[k] == len &&
		    (len == 0 || memcmp(m->keys[k], key, len) == 0))
			return i;
		i = (i + 1) & mask;
	}
}

static int grow(struct licit_map *m)
{
	size_t n = m->nslots * 2;
	long *slots = n <= SIZE_MAX / sizeof *slots ? malloc(n * sizeof *slots) : NULL;
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
		size_t i = (size_t)licit_mix64(m->hashes[k]) & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = (long)k + 1;
	}
	return 0;
}

long licit_map_get(const struct licit_map *m, const char *key, size_t len)
{
	long s = m->slots[find_slot(m, key, len, licit_hash(key, len))];
	return s ? s - 1 : -1;
}

long licit_map_put(struct licit_map *m, const char *key, size_t len, int *added)
{
	unsigned long long h = licit_hash(key, len);
	size_t i = find_slot(m, key, len, h);
	if (added)
		*added = 0;
	if (m->slots[i])
		return m->slots[i] - 1;
	if (m->count == m->cap) { /* three arrays, one capacity */
		size_t cap = licit_grow_cap(m->cap, m->count + 1, sizeof *m->hashes);
		if (!cap || licit_resize(&m->keys, m->cap, cap, sizeof *m->keys) ||
		    licit_resize(&m->lens, m->cap, cap, sizeof *m->lens) ||
		    licit_resize(&m->hashes, m->cap, cap, sizeof *m->hashes))
			return -1;
		m->cap = cap;
	}
	char *copy = licit_arena_strndup(&m->arena, key, len);
	if (!copy)
		return -1;
	size_t k = m->count++;
	m->keys[k] = copy;
	m->lens[k] = len;
	m->hashes[k] = h;
	m->slots[i] = (long)k + 1;
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
		*len = m->lens[i];
	return m->keys[i];
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

void licit_hidx_fini(struct licit_hidx *h)
{
	free(h->key);
	free(h->idx);
	h->key = NULL;
	h->idx = NULL;
	h->cap = h->n = 0;
}
