/* Exact value -> count histograms of whole numbers (days, tenderers): the
 * medians need only the distinct values and their counts. Open addressing
 * with linear probing, the one mixer; a count of 0 marks a free slot.
 * Not licit_hidx: a group holds a few of these, most with a handful of
 * values, and they start at 8 slots where the index starts at 1024. */
#include "kpi_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static uint32_t slot_of(int32_t v, uint32_t cap)
{
	return (uint32_t)licit_mix64((uint32_t)v) & (cap - 1);
}

static int grow(struct kpi_hist *h)
{
	uint32_t cap = h->cap ? h->cap * 2 : 8;
	if (cap < h->cap)
		return -1;
	int32_t *val = malloc(cap * sizeof *val);
	uint64_t *cnt = calloc(cap, sizeof *cnt);
	if (!val || !cnt) {
		free(val);
		free(cnt);
		return -1;
	}
	for (uint32_t i = 0; i < h->cap; i++) {
		if (!h->cnt[i])
			continue;
		uint32_t j = slot_of(h->val[i], cap);
		while (cnt[j])
			j = (j + 1) & (cap - 1);
		val[j] = h->val[i];
		cnt[j] = h->cnt[i];
	}
	free(h->val);
	free(h->cnt);
	h->val = val;
	h->cnt = cnt;
	h->cap = cap;
	return 0;
}

int kpi_hist_add(struct kpi_hist *h, int32_t v)
{
	return kpi_hist_addn(h, v, 1);
}

int kpi_hist_addn(struct kpi_hist *h, int32_t v, uint64_t count)
{
	/* at most 3/4 full */
	if ((h->used + 1) * 4 > h->cap * 3 && grow(h) < 0)
		return -1;
	uint32_t j = slot_of(v, h->cap);
	while (h->cnt[j] && h->val[j] != v)
		j = (j + 1) & (h->cap - 1);
	if (!h->cnt[j]) {
		h->val[j] = v;
		h->used++;
	}
	h->cnt[j] += count;
	h->n += count;
	return 0;
}

struct vc {
	int32_t v;
	uint64_t c;
};

static int vc_cmp(const void *a, const void *b)
{
	int32_t x = ((const struct vc *)a)->v, y = ((const struct vc *)b)->v;
	return (x > y) - (x < y);
}

int kpi_hist_median(const struct kpi_hist *h, double *out)
{
	*out = NAN;
	if (!h->n)
		return 0;
	struct vc *s = malloc(h->used * sizeof *s);
	if (!s)
		return -1;
	size_t m = 0;
	for (uint32_t i = 0; i < h->cap; i++)
		if (h->cnt[i])
			s[m++] = (struct vc){h->val[i], h->cnt[i]};
	qsort(s, m, sizeof *s, vc_cmp);
	/* the values of ranks lo and hi (0-based) in ascending order */
	uint64_t hi = h->n / 2, lo = h->n % 2 ? hi : hi - 1, seen = 0;
	double a = 0, b = 0;
	for (size_t i = 0; i < m; i++) {
		if (seen <= lo && lo < seen + s[i].c)
			a = s[i].v;
		if (seen <= hi && hi < seen + s[i].c) {
			b = s[i].v;
			break;
		}
		seen += s[i].c;
	}
	free(s);
	/* as licit_median: the middle value, or the mean of the two middle */
	*out = h->n % 2 ? b : (a + b) / 2;
	return 0;
}

void kpi_hist_fini(struct kpi_hist *h)
{
	free(h->val);
	free(h->cnt);
	memset(h, 0, sizeof *h);
}
