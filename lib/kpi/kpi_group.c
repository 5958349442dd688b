/* Groups: the key of a row (its --by values, year, quarter and month
 * derived from its date), and each group's state, the parts in use laid
 * out one after another. */
#include "kpi_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/values/value.h"

int kpi_derived_kind(const char *name)
{
	if (strcmp(name, "year") == 0)
		return D_YEAR;
	if (strcmp(name, "quarter") == 0)
		return D_QUARTER;
	if (strcmp(name, "month") == 0)
		return D_MONTH;
	return D_COL;
}

int licit_kpi_is_derived(const char *name)
{
	return kpi_derived_kind(name) != D_COL;
}

/* The row's date for year, quarter and month: NULL when it has none. */
static const char *row_date(struct licit_kpi *k, const struct licit_row *row)
{
	static const char *const names[3] = {"signed_date", "award_date", "start_date"};
	size_t n = 0;
	int i = 0;
	const char *s = NULL;
	/* the first non-empty of the fallback chain */
	for (; i < 3; i++) {
		s = kpi_col_value(row, k->date_col[i], &n);
		if (n || k->date_field)
			break;
	}
	if (n && (n != 10 || licit_date_days(s, NULL) != 0)) {
		kpi_problem(k, k->date_field ? k->date_field : names[i], s,
		            "not a YYYY-MM-DD date: no year, quarter or month");
		n = 0;
	}
	if (!n) {
		k->undated++;
		return NULL;
	}
	return s;
}

int kpi_group_key(struct licit_kpi *k, const struct licit_row *row, size_t *len)
{
	size_t p = 0;
	const char *date = NULL;
	int dated = 0;
	for (size_t i = 0; i < k->nby; i++) {
		size_t n = 0;
		const char *s = "";
		char buf[16];
		if (k->by_kind[i] == D_COL) {
			s = kpi_col_value(row, k->by_col[i], &n);
			n = strlen(s); /* the key separator is NUL */
		} else {
			if (!dated) {
				date = row_date(k, row);
				dated = 1;
			}
			if (date && k->by_kind[i] == D_YEAR) {
				s = date;
				n = 4;
			} else if (date && k->by_kind[i] == D_MONTH) {
				s = date;
				n = 7;
			} else if (date) {
				int m = (date[5] - '0') * 10 + (date[6] - '0');
				snprintf(buf, sizeof buf, "%.4s-Q%d", date, (m - 1) / 3 + 1);
				s = buf;
				n = 7;
			}
		}
		if (kpi_kbuf_reserve(k, p + n + 1) < 0)
			return -1;
		memcpy(k->kbuf + p, s, n);
		p += n;
		k->kbuf[p++] = '\0';
	}
	*len = p;
	return 0;
}

void *kpi_state(const struct licit_kpi *k, uint32_t gid, const struct kpi_part *p)
{
	unsigned char *g = gid == TOTAL_GID ? k->all : k->g + (size_t)gid * k->stride;
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i] == p)
			return g + k->part_off[i];
	return NULL;
}

void *kpi_keyed_put(struct licit_kpi *k, struct kpi_keyed *x, uint32_t gid, const char *key,
                    size_t n, int *added)
{
	if (kpi_kbuf_reserve(k, n + sizeof gid) < 0)
		return NULL;
	memcpy(k->kbuf, &gid, sizeof gid);
	memcpy(k->kbuf + sizeof gid, key, n);
	long i = licit_map_put(x->map, k->kbuf, n + sizeof gid, added);
	if (i < 0 || kpi_reserve(&x->rec, &x->cap, (size_t)i * x->size + x->size - 1, 1) < 0)
		return NULL;
	unsigned char *r = x->rec + (size_t)i * x->size;
	if (*added)
		memset(r, 0, x->size);
	return r;
}

size_t kpi_keyed_count(const struct kpi_keyed *x)
{
	return x->map ? licit_map_count(x->map) : 0;
}

void *kpi_keyed_rec(const struct kpi_keyed *x, size_t i)
{
	return x->rec + i * x->size;
}

const char *kpi_keyed_key(const struct kpi_keyed *x, size_t i)
{
	return licit_map_key(x->map, i, NULL) + sizeof(uint32_t);
}
