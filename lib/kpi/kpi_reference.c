/* The reference table for the savings KPIs: reference amounts keyed by
 * the ocid, procedure_id and contract_id columns the file has, read by
 * the one reference-table loader. */
#include "kpi_impl.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/core/stats.h"
#include "licit/io/table.h"

static const struct licit_table_col ref_cols[] = {
	{"reference_amount", LICIT_COL_REQUIRED},
	{"ocid", LICIT_COL_ONE_OF},
	{"procedure_id", LICIT_COL_ONE_OF},
	{"contract_id", LICIT_COL_ONE_OF},
};
static const int ref_fields[3] = {LICIT_F_OCID, LICIT_F_PROCEDURE_ID, LICIT_F_CONTRACT_ID};

/* key = the key fields' values, each followed by a NUL */
static int ref_key(struct licit_kpi *k, const char *const *vals, const size_t *lens,
                   size_t *outlen)
{
	size_t n = 0;
	for (int i = 0; i < k->nref_key; i++)
		n += lens[i] + 1;
	if (kpi_kbuf_reserve(k, n + 1) < 0)
		return -1;
	size_t p = 0;
	for (int i = 0; i < k->nref_key; i++) {
		memcpy(k->kbuf + p, vals[i], lens[i]);
		p += lens[i];
		k->kbuf[p++] = '\0';
	}
	*outlen = p;
	return 0;
}

struct load {
	struct licit_kpi *k;
	long *lines; /* where each key was listed */
	size_t cap;  /* of ref_amt and lines */
	int col[3];  /* the key columns' places in ref_cols */
};

static int ref_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct load *l = ctx;
	struct licit_kpi *k = l->k;
	if (!k->nref_key)
		for (int i = 0; i < 3; i++)
			if (r->present[i + 1]) {
				l->col[k->nref_key] = i + 1;
				k->ref_key[k->nref_key++] = ref_fields[i];
			}
	const char *vals[3];
	size_t lens[3], filled = 0;
	for (int i = 0; i < k->nref_key; i++) {
		vals[i] = r->v[l->col[i]];
		lens[i] = r->len[l->col[i]];
		filled += lens[i] > 0;
	}
	if (!filled)
		return licit_error_set(err, r->source, r->line, licit_field_name(k->ref_key[0]),
		                       "reference row names no contract");
	double amt;
	if (licit_parse_number(r->v[0], &amt) != 0 || amt < 0 || amt > LICIT_KPI_MAX_AMOUNT)
		return licit_error_set(err, r->source, r->line, "reference_amount",
		                       "'%.60s' is not a plain decimal number 0 to 10^15", r->v[0]);
	size_t kl;
	int added;
	long idx;
	if (ref_key(k, vals, lens, &kl) < 0 || (idx = licit_map_put(k->ref, k->kbuf, kl, &added)) < 0)
		return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	if (!added)
		return licit_error_set(err, r->source, r->line, licit_field_name(k->ref_key[0]),
		                       "contract listed twice (first on line %ld)", l->lines[idx]);
	size_t cap = l->cap;
	if (LICIT_GROW(k->ref_amt, cap, (size_t)idx + 1) != LICIT_OK ||
	    LICIT_GROW(l->lines, l->cap, (size_t)idx + 1) != LICIT_OK)
		return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	k->ref_amt[idx] = amt;
	l->lines[idx] = r->line;
	return LICIT_OK;
}

int kpi_reference_load(struct licit_kpi *k, const char *path, struct licit_error *err)
{
	if (!(k->ref = licit_map_new()))
		return licit_error_set(err, path, 0, NULL, "out of memory");
	struct load l = {k, NULL, 0, {0, 0, 0}};
	int rc = licit_table_load(path, ref_cols, 4, ref_row, &l, NULL, err);
	free(l.lines);
	return rc;
}

int kpi_reference_of(struct licit_kpi *k, const struct licit_canon *c, double *amt)
{
	const char *vals[3];
	size_t lens[3], kl;
	for (int i = 0; i < k->nref_key; i++) {
		vals[i] = c->text[k->ref_key[i]];
		lens[i] = c->len[k->ref_key[i]];
	}
	if (ref_key(k, vals, lens, &kl) != 0)
		return 0;
	long idx = licit_map_get(k->ref, k->kbuf, kl);
	if (idx < 0)
		return 0;
	*amt = k->ref_amt[idx];
	return 1;
}
