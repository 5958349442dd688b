/* Field coverage (see licit/coverage.h): paths numbered by licit_map in
 * first-counted order, the current path in one growing buffer. */
#include "licit/coverage.h"

#include <stdlib.h>
#include <string.h>

#include "licit/cardinal_line.h"
#include "licit/map.h"

struct licit_coverage {
	struct licit_map *paths;  /* numbered in first-counted order */
	unsigned long long *n;    /* counts, by path number */
	size_t cap;
	char *path;               /* the path being walked */
	size_t plen, pcap;
	int oom;
};

struct licit_coverage *licit_coverage_new(void)
{
	struct licit_coverage *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->pcap = 256;
	c->path = malloc(c->pcap);
	c->paths = licit_map_new();
	if (!c->paths || !c->path) {
		licit_coverage_free(c);
		return NULL;
	}
	return c;
}

void licit_coverage_free(struct licit_coverage *c)
{
	if (!c)
		return;
	licit_map_free(c->paths);
	free(c->n);
	free(c->path);
	free(c);
}

/* One more for the current path. */
static void increment(struct licit_coverage *c)
{
	int added;
	long i = licit_map_put(c->paths, c->path, c->plen, &added);
	if (i < 0) {
		c->oom = 1;
		return;
	}
	if ((size_t)i >= c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 256;
		unsigned long long *n = realloc(c->n, cap * sizeof *n);
		if (!n) {
			c->oom = 1;
			return;
		}
		c->n = n;
		c->cap = cap;
	}
	c->n[i] = added ? 1 : c->n[i] + 1;
}

static int push(struct licit_coverage *c, const char *s, size_t n)
{
	if (c->plen + n > c->pcap) {
		size_t cap = c->pcap * 2 > c->plen + n ? c->pcap * 2 : c->plen + n;
		char *p = realloc(c->path, cap);
		if (!p) {
			c->oom = 1;
			return -1;
		}
		c->path = p;
		c->pcap = cap;
	}
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	return 0;
}

/* 1 when v is non-empty; counts v's path then. */
static int walk(struct licit_coverage *c, const struct licit_json *v)
{
	int counted = 0;
	size_t base = c->plen;
	switch (v->type) {
	case LICIT_JSON_NULL:
		break;
	case LICIT_JSON_STRING:
		counted = v->n > 0;
		break;
	case LICIT_JSON_ARRAY:
		if (v->n == 0 || push(c, "[]", 2) < 0)
			break;
		for (uint32_t i = 0; i < v->n; i++)
			counted |= walk(c, &v->u.items[i]);
		c->plen = base;
		break;
	case LICIT_JSON_OBJECT:
		if (v->n == 0 || push(c, "/", 1) < 0)
			break;
		for (uint32_t i = 0; i < v->n; i++) {
			const struct licit_json *m = licit_cardinal_member(v, i);
			if (!m || push(c, v->u.members[i].key, v->u.members[i].klen) < 0)
				continue;
			counted |= walk(c, m);
			c->plen = base + 1;
		}
		if (counted)
			increment(c);
		c->plen = base;
		break;
	default: /* numbers, true, false */
		counted = 1;
	}
	if (counted)
		increment(c);
	return counted;
}

int licit_coverage_add(struct licit_coverage *c, const struct licit_json *v)
{
	c->plen = 0;
	walk(c, v);
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
