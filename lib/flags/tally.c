/* The tally of fingerprints (tally.h): appended to disk (parts.h), then
 * one partition at a time rid of most values seen once (a bitmap),
 * sorted in place by an American-flag radix sort and reduced to the
 * kept ones, looked up by binary search. */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/error.h"
#include "licit/core/map.h"

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
	t->in.elem = sizeof fp;
	return parts_add(&t->in, &fp);
}

static uint64_t tally_key(const void *rec)
{
	uint64_t fp;
	memcpy(&fp, rec, sizeof fp);
	return fp;
}

/* In place, by the byte at shift, then the next ones (from the highest
 * byte that differs among them: repeated values end there). */
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
	uint64_t diff = 0;
	for (size_t i = 1; i < n; i++)
		diff |= a[i] ^ a[0];
	if (!diff)
		return;
	int top = (63 - __builtin_clzll(diff)) / 8 * 8;
	if (top < shift)
		shift = top;
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

struct settle {
	struct tally *t;
	unsigned min;
	int (*keep)(const void *, uint64_t, unsigned);
	const void *ctx;
	size_t parts;
};

/* Leaves at the start of a (returning how many) the fingerprints that
 * may be seen more than once: those whose bucket (one bit in 8n to 16n)
 * was hit twice, every copy of a repeated one among them (two bitmaps:
 * 2 to 4 MiB for 1 M of them). Where repeats are many (a quarter of them or more),
 * all n stay: filtering would keep most. n when the bitmaps cannot be
 * had. */
#define FILTER_MIN 4096 /* fewer are sorted as they are */
static size_t repeats(uint64_t *a, size_t n)
{
	int bits = 12;
	while (((size_t)1 << bits) < 8 * n)
		bits++;
	size_t words = ((size_t)1 << bits) / 64, hits = 0, m = 0;
	uint64_t *once = calloc(2 * words, sizeof *once), *twice = once + words;
	if (!once)
		return n;
#define BUCKET(v) (licit_mix64(v) >> (64 - bits))
	for (size_t i = 0; i < n; i++) {
		uint64_t h = BUCKET(a[i]), b = (uint64_t)1 << (h & 63);
		hits += (once[h >> 6] & b) != 0;
		twice[h >> 6] |= once[h >> 6] & b;
		once[h >> 6] |= b;
	}
	if (hits >= n / 4) {
		free(once);
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t h = BUCKET(a[i]);
		if (twice[h >> 6] >> (h & 63) & 1)
			a[m++] = a[i];
	}
#undef BUCKET
	free(once);
	return m;
}

/* One partition: those seen once left out first when min > 1 (repeats),
 * the rest sorted, their runs of equal fingerprints counted, the kept
 * ones added. */
static int settle_part(void *ctx, void *recs, size_t n)
{
	struct settle *st = ctx;
	struct tally *t = st->t;
	uint64_t *a = recs;
	st->parts++;
	if (st->min > 1 && n >= FILTER_MIN)
		n = repeats(a, n);
	sort(a, n, 56);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && a[j] == a[i]; j++)
			;
		unsigned c = (unsigned)(j - i < UINT32_MAX ? j - i : UINT32_MAX);
		if (c < st->min || (st->keep && !st->keep(st->ctx, a[i], c)))
			continue;
		size_t cap = t->cap;
		if (LICIT_GROW(t->fp, t->cap, t->n + 1) != LICIT_OK ||
		    LICIT_GROW(t->cnt, cap, t->n + 1) != LICIT_OK)
			return -1;
		t->fp[t->n] = a[i];
		t->cnt[t->n++] = c;
	}
	return 0;
}

struct kept {
	uint64_t fp;
	uint32_t cnt;
};

static int cmp_kept(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;
	return (x->fp > y->fp) - (x->fp < y->fp);
}

int tally_settle(struct tally *t, unsigned min,
                 int (*keep)(const void *ctx, uint64_t fp, unsigned count), const void *ctx)
{
	struct settle st = {t, min, keep, ctx, 0};
	free(t->fp);
	free(t->cnt);
	t->fp = NULL;
	t->cnt = NULL;
	t->n = t->cap = 0;
	int rc = parts_each(&t->in, tally_key, settle_part, &st);
	parts_fini(&t->in);
	if (rc != LICIT_OK)
		return LICIT_ERR;
	if (st.parts > 1 && t->n > 1) { /* each partition is in order, not all of them */
		struct kept *k = malloc(t->n * sizeof *k);
		if (!k)
			return LICIT_ERR;
		for (size_t i = 0; i < t->n; i++)
			k[i] = (struct kept){t->fp[i], t->cnt[i]};
		qsort(k, t->n, sizeof *k, cmp_kept);
		for (size_t i = 0; i < t->n; i++) {
			t->fp[i] = k[i].fp;
			t->cnt[i] = k[i].cnt;
		}
		free(k);
	}
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
	parts_fini(&t->in);
	free(t->fp);
	free(t->cnt);
	t->fp = NULL;
	t->cnt = NULL;
	t->n = t->cap = 0;
}
