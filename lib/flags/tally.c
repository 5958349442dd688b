/* The tally of fingerprints (tally.h): appended, sorted in place by an
 * American-flag radix sort, reduced to the repeated ones, looked up
 * by binary search. */
#include "tally.h"

#include <stdlib.h>

#include "licit/core/array.h"
#include "licit/core/error.h"

int grow_quarter(void *pp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return LICIT_OK;
	size_t n = need + need / 4 + 1024;
	if (n < need || licit_resize(pp, *cap, n, elem) != LICIT_OK)
		return LICIT_ERR;
	*cap = n;
	return LICIT_OK;
}

int tally_add(struct tally *t, uint64_t fp)
{
	if (t->n == t->cap && GROW_QUARTER(t->fp, t->cap, t->n + 1) != LICIT_OK)
		return LICIT_ERR;
	t->fp[t->n++] = fp;
	return LICIT_OK;
}

/* In place, by the byte at shift, then the next ones. */
static void sort(uint64_t *a, size_t n, int shift)
{
	if (n < 48) {
		for (size_t i = 1; i < n; i++) {
			uint64_t v = a[i];
			size_t j = i;
			for (; j > 0 && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	size_t cnt[256] = {0}, pos[256], end[256];
	for (size_t i = 0; i < n; i++)
		cnt[(a[i] >> shift) & 255]++;
	size_t p = 0;
	for (int b = 0; b < 256; b++) {
		pos[b] = p;
		p += cnt[b];
		end[b] = p;
	}
	for (int b = 0; b < 256; b++)
		while (pos[b] < end[b]) {
			uint64_t v = a[pos[b]];
			int d = (int)((v >> shift) & 255);
			if (d == b) {
				pos[b]++;
				continue;
			}
			a[pos[b]] = a[pos[d]];
			a[pos[d]++] = v;
		}
	if (shift == 0)
		return;
	p = 0;
	for (int b = 0; b < 256; p += cnt[b++])
		if (cnt[b] > 1)
			sort(a + p, cnt[b], shift - 8);
}

/* The run of equal fingerprints at i: its end in *j, whether it is kept. */
static int run(const struct tally *t, size_t i, size_t *j, unsigned min,
               int (*keep)(const void *, uint64_t, unsigned), const void *ctx, unsigned *c)
{
	size_t e = i + 1;
	while (e < t->n && t->fp[e] == t->fp[i])
		e++;
	*j = e;
	*c = (unsigned)(e - i < UINT32_MAX ? e - i : UINT32_MAX);
	return *c >= min && (!keep || keep(ctx, t->fp[i], *c));
}

int tally_settle(struct tally *t, unsigned min,
                 int (*keep)(const void *ctx, uint64_t fp, unsigned count), const void *ctx)
{
	sort(t->fp, t->n, 56);
	size_t nkeep = 0, j;
	unsigned c;
	for (size_t i = 0; i < t->n; i = j)
		nkeep += run(t, i, &j, min, keep, ctx, &c);
	if (nkeep && !(t->cnt = malloc(nkeep * sizeof *t->cnt)))
		return LICIT_ERR;
	size_t k = 0;
	for (size_t i = 0; i < t->n; i = j)
		if (run(t, i, &j, min, keep, ctx, &c)) {
			t->fp[k] = t->fp[i];
			t->cnt[k++] = c;
		}
	t->n = t->cap = k;
	if (!k) {
		free(t->fp);
		t->fp = NULL;
		return LICIT_OK;
	}
	uint64_t *fp = realloc(t->fp, k * sizeof *fp);
	if (fp)
		t->fp = fp;
	return LICIT_OK;
}

unsigned tally_get(const struct tally *t, uint64_t fp)
{
	size_t n = t->cnt ? t->n : 0, lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->fp[mid] < fp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && t->fp[lo] == fp ? t->cnt[lo] : 0;
}

void tally_fini(struct tally *t)
{
	free(t->fp);
	free(t->cnt);
	t->fp = NULL;
	t->cnt = NULL;
	t->n = t->cap = 0;
}
