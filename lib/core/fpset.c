/* The fingerprint set (licit/core/fpset.h): 256 open-addressing parts,
 * each a dense array of entries (key, value) in insertion order, in
 * chunks of CHUNK entries that never move (large enough to be mapped on
 * their own, so that only the pages written count and nothing is left
 * behind when a part grows), and a table of 4-byte slots, linear probing. A slot holds 8 more bits of the
 * key (a tag, so that most slots that are not the key are passed over
 * without reading its entry) and the entry's number + 1 in 24 bits. */
#include "licit/core/fpset.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/error.h"

#define PARTS 256
#define MAX_PART 0xFFFFFEu /* entries in a part: numbers + 1 fit in 24 bits */
#define CHUNK_BITS 13
#define CHUNK (1u << CHUNK_BITS)

struct part {
	uint32_t *slot;
	uint32_t cap, n;       /* slots, entries */
	unsigned char **chunk; /* n entries of esize bytes, CHUNK a chunk */
	size_t nchunk, chunk_cap;
};

struct licit_fpset {
	size_t vsize, esize, count;
	struct part p[PARTS];
};

struct licit_fpset *licit_fpset_new(size_t vsize)
{
	struct licit_fpset *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->vsize = vsize;
	s->esize = 16 + vsize;
	return s;
}

void licit_fpset_free(struct licit_fpset *s)
{
	if (!s)
		return;
	for (int i = 0; i < PARTS; i++) {
		free(s->p[i].slot);
		for (size_t c = 0; c < s->p[i].nchunk; c++)
			free(s->p[i].chunk[c]);
		free(s->p[i].chunk);
	}
	free(s);
}

size_t licit_fpset_count(const struct licit_fpset *s) { return s->count; }

/* Where a key's probe starts: its low 32 bits scaled to the table. */
static inline uint32_t home(uint64_t a, uint32_t cap)
{
	return (uint32_t)(((uint64_t)(uint32_t)a * cap) >> 32);
}

static inline uint32_t tag_of(uint64_t a) { return (uint32_t)(a >> 48) & 0xFFu; }

/* Entry k of part p. */
static inline unsigned char *entry(const struct licit_fpset *s, const struct part *p, uint32_t k)
{
	return p->chunk[k >> CHUNK_BITS] + (size_t)(k & (CHUNK - 1)) * s->esize;
}

/* The entry of key (a, b) in part p, or NULL with *empty the slot where
 * it would go. */
static unsigned char *find(const struct licit_fpset *s, const struct part *p, uint64_t a,
                           uint64_t b, uint32_t *empty)
{
	uint32_t i = home(a, p->cap), tag = tag_of(a);
	for (;;) {
		uint32_t v = p->slot[i];
		if (!v) {
			*empty = i;
			return NULL;
		}
		if (v >> 24 == tag) {
			unsigned char *e = entry(s, p, (v & 0xFFFFFFu) - 1);
			uint64_t ea, eb;
			memcpy(&ea, e, 8);
			memcpy(&eb, e + 8, 8);
			if (ea == a && eb == b)
				return e;
		}
		if (++i == p->cap)
			i = 0;
	}
}

/* A table half as large again, filled from the entries; the old one is
 * freed only once the new one is made. */
static int regrow(const struct licit_fpset *s, struct part *p)
{
	uint32_t cap = p->cap ? p->cap + p->cap / 2 : 64;
	uint32_t *slot = licit_zeroed(cap, sizeof *slot);
	if (!slot)
		return -1;
	for (uint32_t k = 0; k < p->n; k++) {
		uint64_t a;
		memcpy(&a, entry(s, p, k), 8);
		uint32_t i = home(a, cap);
		while (slot[i])
			if (++i == cap)
				i = 0;
		slot[i] = tag_of(a) << 24 | (k + 1);
	}
	free(p->slot);
	p->slot = slot;
	p->cap = cap;
	return 0;
}

void licit_fpset_prefetch(const struct licit_fpset *s, uint64_t a)
{
	const struct part *p = &s->p[a >> 56];
	if (p->cap)
		__builtin_prefetch(&p->slot[home(a, p->cap)]);
}

void *licit_fpset_get(const struct licit_fpset *s, uint64_t a, uint64_t b)
{
	const struct part *p = &s->p[a >> 56];
	uint32_t empty;
	if (!p->cap)
		return NULL;
	unsigned char *e = find(s, p, a, b, &empty);
	return e ? e + 16 : NULL;
}

void *licit_fpset_put(struct licit_fpset *s, uint64_t a, uint64_t b, int *added)
{
	struct part *p = &s->p[a >> 56];
	uint32_t empty = 0; /* set by find() below: an empty part always regrows first */
	*added = 0;
	if (p->cap) {
		unsigned char *e = find(s, p, a, b, &empty);
		if (e)
			return e + 16;
	}
	if (p->n >= MAX_PART)
		return NULL;
	if ((uint64_t)(p->n + 1) * 5 > (uint64_t)p->cap * 4) {
		if (regrow(s, p) < 0)
			return NULL;
		find(s, p, a, b, &empty);
	}
	if (p->n == p->nchunk * CHUNK) {
		if (LICIT_GROW(p->chunk, p->chunk_cap, p->nchunk + 1) != LICIT_OK ||
		    !(p->chunk[p->nchunk] = malloc((size_t)CHUNK * s->esize)))
			return NULL;
		p->nchunk++;
	}
	unsigned char *e = entry(s, p, p->n);
	memcpy(e, &a, 8);
	memcpy(e + 8, &b, 8);
	memset(e + 16, 0, s->vsize);
	p->slot[empty] = tag_of(a) << 24 | ++p->n;
	s->count++;
	*added = 1;
	return e + 16;
}
