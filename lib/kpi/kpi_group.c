/* Groups: the key of a row (its --by values, year, quarter and month
 * derived from its date), and each group's state, the parts in use laid
 * out one after another. */
#include "kpi_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
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

/* The row's date for year, quarter and month (its text): NULL when it
 * has none. */
static const char *row_date(struct licit_kpi *k, const struct licit_row *row,
                            const struct licit_canon *c)
{
	const char *s = "", *name = k->date_field, *why = "not a YYYY-MM-DD date";
	size_t n = 0;
	int ok = 0;
	if (k->date_col >= 0) { /* --date names a column outside the record */
		if ((size_t)k->date_col < row->n) {
			s = row->v[k->date_col];
			n = strlen(s);
		}
		ok = n == 10 && licit_date_days(s, NULL) == 0;
	} else {
		/* --date's canonical field, else the date the row is dated by */
		int f = k->date_f >= 0 ? k->date_f : c->date_field;
		if (f >= 0) {
			s = c->text[f];
			n = c->len[f];
			name = licit_field_name(f);
			ok = c->state[f] == LICIT_SLOT_OK;
			if (!ok && n)
				why = licit_canon_why(c, f);
		}
	}
	if (n && !ok)
		kpi_problem(k, name, s, why, ": no year, quarter or month");
	if (!ok) {
		k->undated++;
		return NULL;
	}
	return s;
}

int kpi_group_key(struct licit_kpi *k, const struct licit_row *row,
                  const struct licit_canon *c, size_t *len)
{
	size_t p = 0;
	const char *date = NULL;
	int dated = 0;
	for (size_t i = 0; i < k->nby; i++) {
		size_t n = 0;
		const char *s = "";
		char buf[16];
		if (k->by_kind[i] == D_COL) {
			if ((size_t)k->by_col[i] < row->n)
				s = row->v[k->by_col[i]];
			n = strlen(s); /* the key separator is NUL */
		} else {
			if (!dated) {
				date = row_date(k, row, c);
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

unsigned long long kpi_key_hash(const char *key, size_t n)
{
	return licit_map_hash(key, n);
}

size_t kpi_keyed_table_of(unsigned long long kh)
{
	return (size_t)(kh >> 56) % KPI_KEYED_TABLES;
}

/* the hash of a table's key (the group's number, then the key's bytes) */
static unsigned long long keyed_hash(uint32_t gid, unsigned long long kh)
{
	return licit_mix64(kh ^ licit_mix64((unsigned long long)gid + 1));
}

void *kpi_keyed_put(struct kpi_keyed *x, uint32_t gid, const char *key, size_t n,
                    unsigned long long kh, int *added)
{
	struct kpi_keyed_table *t = &x->t[kpi_keyed_table_of(kh)];
	/* (the capacities looked at here: a row puts a key or two) */
	if ((n + sizeof gid > t->kcap && LICIT_GROW(t->kbuf, t->kcap, n + sizeof gid) != LICIT_OK) ||
	    (!t->map && !(t->map = licit_map_new())))
		return NULL;
	memcpy(t->kbuf, &gid, sizeof gid);
	if (n)
		memcpy(t->kbuf + sizeof gid, key, n);
	long i = licit_map_put_hashed(t->map, t->kbuf, n + sizeof gid, keyed_hash(gid, kh), added);
	size_t need = ((size_t)i + 1) * x->size;
	if (i < 0 || (need > t->cap && licit_grow(&t->rec, &t->cap, need, 1) != LICIT_OK))
		return NULL;
	if (*added)
		t->n++;
	return t->rec + (size_t)i * x->size;
}

void kpi_keyed_prefetch(const struct kpi_keyed *x, uint32_t gid, unsigned long long kh,
                        int stage)
{
	const struct kpi_keyed_table *t = &x->t[kpi_keyed_table_of(kh)];
	if (!t->map)
		return;
	unsigned long long h = keyed_hash(gid, kh);
	if (stage == 0) {
		licit_map_prefetch(t->map, h);
		return;
	}
	long i = licit_map_guess(t->map, h);
	if (i >= 0 && (size_t)i < t->n)
		__builtin_prefetch(t->rec + (size_t)i * x->size);
}

int kpi_keyed_reserve(struct kpi_keyed *x, size_t t, size_t n)
{
	struct kpi_keyed_table *kt = &x->t[t];
	if ((!kt->map && !(kt->map = licit_map_new())) || licit_map_reserve(kt->map, n) < 0 ||
	    n > SIZE_MAX / x->size)
		return -1;
	return licit_grow(&kt->rec, &kt->cap, n * x->size, 1) == LICIT_OK ? 0 : -1;
}

size_t kpi_keyed_count(const struct kpi_keyed *x)
{
	size_t n = 0;
	for (size_t t = 0; t < KPI_KEYED_TABLES; t++)
		n += x->t[t].n;
	return n;
}

size_t kpi_keyed_table_count(const struct kpi_keyed *x, size_t t)
{
	return x->t[t].n;
}

void *kpi_keyed_table_rec(const struct kpi_keyed *x, size_t t, size_t i)
{
	return x->t[t].rec + i * x->size;
}

const char *kpi_keyed_table_key(const struct kpi_keyed *x, size_t t, size_t i, size_t *len)
{
	const char *key = licit_map_key(x->t[t].map, i, len);
	*len -= sizeof(uint32_t);
	return key + sizeof(uint32_t);
}

/* record i's table (and its number there, in *i) */
static size_t table_at(const struct kpi_keyed *x, size_t *i)
{
	size_t t = 0;
	while (t + 1 < KPI_KEYED_TABLES && *i >= x->t[t].n)
		*i -= x->t[t++].n;
	return t;
}

void *kpi_keyed_rec(const struct kpi_keyed *x, size_t i)
{
	size_t t = table_at(x, &i);
	return kpi_keyed_table_rec(x, t, i);
}

const char *kpi_keyed_key(const struct kpi_keyed *x, size_t i)
{
	size_t len;
	size_t t = table_at(x, &i);
	return kpi_keyed_table_key(x, t, i, &len);
}

size_t kpi_keyed_key_len(const struct kpi_keyed *x, size_t i)
{
	size_t len;
	size_t t = table_at(x, &i);
	kpi_keyed_table_key(x, t, i, &len);
	return len;
}

int kpi_keyed_cmp(const struct kpi_keyed *x, size_t i, size_t j)
{
	size_t m = kpi_keyed_key_len(x, i), n = kpi_keyed_key_len(x, j);
	int c = memcmp(kpi_keyed_key(x, i), kpi_keyed_key(x, j), m < n ? m : n);
	return c ? c : (m > n) - (m < n);
}

void kpi_keyed_fini(struct kpi_keyed *x)
{
	for (size_t t = 0; t < KPI_KEYED_TABLES; t++) {
		licit_map_free(x->t[t].map);
		free(x->t[t].rec);
		free(x->t[t].kbuf);
	}
}
