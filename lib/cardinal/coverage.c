/* Field coverage (see licit/cardinal/coverage.h). The walk moves through a tree
 * of path steps (an object's "/", a member's name, an array's "[]"), each
 * step found from its parent by one hash of the step alone; a step's
 * whole path is spelt once, the first time it is counted, and numbered by
 * licit_map in first-counted order (steps that spell the same path, as an
 * empty member name does, share the number). */
#include "licit/cardinal/coverage.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/cardinal/cardinal_line.h"
#include "licit/core/map.h"
#include "licit/core/array.h"
#include "licit/core/error.h"

struct step {
	uint32_t parent;
	uint32_t len;
	const char *seg;
	int32_t path;          /* its path's number, -1 until counted */
	int32_t object, array; /* the "/" and "[]" steps under it, -1 = none yet */
};

struct licit_coverage {
	struct step *st;
	size_t nst, cap;
	uint32_t *slot;        /* 1 + step index, 0 = free; keyed by (parent, seg) */
	size_t nslot;          /* a power of two */
	uint64_t *slot_hash;
	struct licit_arena segs;
	struct licit_map *paths;
	unsigned long long *n; /* counts, by path number */
	size_t ncap;
	char *buf;             /* a path being spelt */
	size_t bcap;
	int oom;
};

static uint64_t seg_hash(uint32_t parent, const char *s, size_t n)
{
	return licit_mix64(licit_hash(s, n) ^ licit_mix64((uint64_t)parent + 1));
}

static long new_step(struct licit_coverage *c, uint32_t parent, const char *s, size_t n)
{
	if (c->nst == c->cap && LICIT_GROW(c->st, c->cap, c->nst + 1) != LICIT_OK)
		return -1;
	const char *seg = n ? licit_arena_strndup(&c->segs, s, n) : "";
	if (!seg)
		return -1;
	c->st[c->nst] = (struct step){parent, (uint32_t)n, seg, -1, -1, -1};
	return (long)c->nst++;
}

struct licit_coverage *licit_coverage_new(void)
{
	struct licit_coverage *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	licit_arena_init(&c->segs, 1 << 16);
	c->nslot = 1024;
	c->slot = calloc(c->nslot, sizeof *c->slot);
	c->slot_hash = calloc(c->nslot, sizeof *c->slot_hash);
	c->paths = licit_map_new();
	if (!c->slot || !c->slot_hash || !c->paths || new_step(c, 0, "", 0) < 0) {
		licit_coverage_free(c);
		return NULL;
	}
	return c;
}

void licit_coverage_free(struct licit_coverage *c)
{
	if (!c)
		return;
	free(c->st);
	free(c->slot);
	free(c->slot_hash);
	licit_arena_fini(&c->segs);
	licit_map_free(c->paths);
	free(c->n);
	free(c->buf);
	free(c);
}

static int grow(struct licit_coverage *c)
{
	size_t ns = 2 * c->nslot;
	uint32_t *s = calloc(ns, sizeof *s);
	uint64_t *h = calloc(ns, sizeof *h);
	if (!s || !h) {
		free(s);
		free(h);
		return -1;
	}
	for (size_t i = 0; i < c->nslot; i++) {
		if (!c->slot[i])
			continue;
		size_t j = c->slot_hash[i] & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = c->slot[i];
		h[j] = c->slot_hash[i];
	}
	free(c->slot);
	free(c->slot_hash);
	c->slot = s;
	c->slot_hash = h;
	c->nslot = ns;
	return 0;
}

/* The step s under parent, made when new; -1 when memory runs out. */
static long child(struct licit_coverage *c, uint32_t parent, const char *s, size_t n)
{
	uint64_t h = seg_hash(parent, s, n);
	size_t j = h & (c->nslot - 1);
	for (; c->slot[j]; j = (j + 1) & (c->nslot - 1)) {
		const struct step *st = &c->st[c->slot[j] - 1];
		if (c->slot_hash[j] == h && st->parent == parent && st->len == n &&
		    memcmp(st->seg, s, n) == 0)
			return (long)c->slot[j] - 1;
	}
	long k = new_step(c, parent, s, n);
	if (k < 0)
		return -1;
	c->slot[j] = (uint32_t)k + 1;
	c->slot_hash[j] = h;
	if (2 * c->nst > c->nslot && grow(c) < 0)
		return -1;
	return k;
}

static long special(struct licit_coverage *c, uint32_t parent, int array)
{
	int32_t *have = array ? &c->st[parent].array : &c->st[parent].object;
	if (*have < 0) {
		long k = child(c, parent, array ? "[]" : "/", array ? 2 : 1);
		if (k < 0)
			return -1;
		have = array ? &c->st[parent].array : &c->st[parent].object;
		*have = (int32_t)k;
	}
	return *have;
}

/* Its path spelt and numbered, the first time a step is counted. */
static int number(struct licit_coverage *c, uint32_t k)
{
	size_t len = 0;
	for (uint32_t s = k; s; s = c->st[s].parent)
		len += c->st[s].len;
	if (len + 1 > c->bcap) {
		char *b = realloc(c->buf, len + 1);
		if (!b)
			return -1;
		c->buf = b;
		c->bcap = len + 1;
	}
	size_t at = len;
	for (uint32_t s = k; s; s = c->st[s].parent) {
		at -= c->st[s].len;
		memcpy(c->buf + at, c->st[s].seg, c->st[s].len);
	}
	int added;
	long p = licit_map_put(c->paths, c->buf, len, &added);
	if (p < 0)
		return -1;
	if ((size_t)p >= c->ncap && LICIT_GROW(c->n, c->ncap, (size_t)p + 1) != LICIT_OK)
		return -1;
	if (added)
		c->n[p] = 0;
	c->st[k].path = (int32_t)p;
	return 0;
}

static void increment(struct licit_coverage *c, uint32_t k)
{
	if (c->st[k].path < 0 && number(c, k) < 0) {
		c->oom = 1;
		return;
	}
	c->n[c->st[k].path]++;
}

/* 1 when v is non-empty; counts v's path (step k) then. */
static int walk(struct licit_coverage *c, const struct licit_json *v, uint32_t k)
{
	int counted = 0;
	long s;
	switch (v->type) {
	case LICIT_JSON_NULL:
		break;
	case LICIT_JSON_STRING:
		counted = v->n > 0;
		break;
	case LICIT_JSON_ARRAY:
		if (v->n == 0 || (s = special(c, k, 1)) < 0)
			break;
		for (uint32_t i = 0; i < v->n; i++)
			counted |= walk(c, &v->u.items[i], (uint32_t)s);
		break;
	case LICIT_JSON_OBJECT:
		if (v->n == 0 || (s = special(c, k, 0)) < 0)
			break;
		for (uint32_t i = 0; i < v->n; i++) {
			const struct licit_json *m = licit_cardinal_member(v, i);
			long mk = m ? child(c, (uint32_t)s, v->u.members[i].key, v->u.members[i].klen) : 0;
			if (mk < 0) {
				c->oom = 1;
				return 0;
			}
			if (m)
				counted |= walk(c, m, (uint32_t)mk);
		}
		if (counted)
			increment(c, (uint32_t)s);
		break;
	default: /* numbers, true, false */
		counted = 1;
	}
	if (counted)
		increment(c, k);
	return counted;
}

int licit_coverage_add(struct licit_coverage *c, const struct licit_json *v)
{
	walk(c, v, 0);
	return c->oom ? -1 : 0;
}

size_t licit_coverage_count(const struct licit_coverage *c)
{
	return licit_map_count(c->paths);
}

const char *licit_coverage_path(const struct licit_coverage *c, size_t i, size_t *len)
{
	return licit_map_key(c->paths, i, len);
}

unsigned long long licit_coverage_n(const struct licit_coverage *c, size_t i)
{
	return c->n[i];
}
