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

int tally_settle(struct tally *t, unsigned min)
{
	if (min < 1)
		min = 1;
	sort(t->fp, t->n, 56);
	size_t keep = 0;
	for (size_t i = 0, j; i < t->n; i = j) {
		for (j = i + 1; j < t->n && t->fp[j] == t->fp[i]; j++)
			;
		keep += j - i >= min;
	}
	if (keep && !(t->cnt = malloc(keep * sizeof *t->cnt)))
		return LICIT_ERR;
	size_t k = 0;
	for (size_t i = 0, j; i < t->n; i = j) {
		for (j = i + 1; j < t->n && t->fp[j] == t->fp[i]; j++)
			;
		if (j - i >= min) {
			t->fp[k] = t->fp[i];
			t->cnt[k++] = (uint32_t)(j - i < UINT32_MAX ? j - i : UINT32_MAX);
		}
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
