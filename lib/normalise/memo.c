/* The normaliser's cache of cleaned values (see memo.h). */
#include "memo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"

#define MEMO_SETS 1024 /* per table, a power of two */
#define MEMO_WAYS 2

struct entry {
	char *raw, *out, *problem; /* one allocation; problem NULL if none */
	size_t rawlen;
	unsigned long long h;
};

struct norm_memo {
	struct entry **table; /* MEMO_SETS * MEMO_WAYS entries each, allocated when first kept */
	size_t ntables;
};

struct norm_memo *norm_memo_new(size_t tables)
{
	struct norm_memo *m = calloc(1, sizeof *m);
	if (m && !(m->table = calloc(tables ? tables : 1, sizeof *m->table))) {
		free(m);
		return NULL;
	}
	if (m)
		m->ntables = tables;
	return m;
}

void norm_memo_free(struct norm_memo *m)
{
	if (!m)
		return;
	for (size_t t = 0; t < m->ntables; t++) {
		for (size_t i = 0; m->table[t] && i < MEMO_SETS * MEMO_WAYS; i++)
			free(m->table[t][i].raw);
		free(m->table[t]);
	}
	free(m->table);
	free(m);
}

/* Eight bytes at a time, mixed at the end: only a slot is chosen by it,
 * so it need not be licit_hash (which goes byte by byte). */
unsigned long long norm_memo_hash(const char *raw, size_t len)
{
	unsigned long long h = len;
	size_t i = 0;
	for (uint64_t w; i + 8 <= len; i += 8) {
		memcpy(&w, raw + i, 8);
		h = licit_mix64(h ^ w);
	}
	if (i < len) {
		uint64_t w = 0;
		memcpy(&w, raw + i, len - i);
		h = licit_mix64(h ^ w ^ 0x80);
	}
	return licit_mix64(h);
}

static struct entry *set_of(const struct norm_memo *m, size_t t, unsigned long long h)
{
	return m->table[t] ? m->table[t] + (h & (MEMO_SETS - 1)) * MEMO_WAYS : NULL;
}

const char *norm_memo_get(struct norm_memo *m, size_t t, unsigned long long h, const char *raw,
                          size_t len, const char **problem)
{
	struct entry *s = m && t < m->ntables ? set_of(m, t, h) : NULL;
	for (int w = 0; s && w < MEMO_WAYS; w++) {
		struct entry *e = &s[w];
		if (e->raw && e->h == h && e->rawlen == len && memcmp(e->raw, raw, len) == 0) {
			if (w) { /* the one used last first */
				struct entry tmp = s[0];
				s[0] = *e;
				*e = tmp;
			}
			*problem = s[0].problem;
			return s[0].out;
		}
	}
	return NULL;
}

const char *norm_memo_put(struct norm_memo *m, size_t t, unsigned long long h, const char *raw,
                          size_t len, const char *out, const char *problem)
{
	if (!m || t >= m->ntables)
		return out;
	if (!m->table[t] && !(m->table[t] = calloc(MEMO_SETS * MEMO_WAYS, sizeof **m->table)))
		return out;
	struct entry *s = set_of(m, t, h);
	size_t ol = strlen(out), pl = problem ? strlen(problem) : 0;
	char *block = malloc(len + ol + pl + 3);
	if (!block)
		return out; /* no entry: still a right answer */
	free(s[MEMO_WAYS - 1].raw); /* the older one goes */
	memmove(s + 1, s, (MEMO_WAYS - 1) * sizeof *s);
	struct entry *e = &s[0];
	e->raw = memcpy(block, raw, len);
	block[len] = '\0';
	e->out = memcpy(block + len + 1, out, ol + 1);
	e->problem = problem ? memcpy(block + len + ol + 2, problem, pl + 1) : NULL;
	e->rawlen = len;
	e->h = h;
	return e->out;
}
