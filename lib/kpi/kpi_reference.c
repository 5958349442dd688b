/* The reference table for the savings KPIs: reference amounts keyed by
 * the ocid, procedure_id and contract_id columns the file has. */
#include "kpi_impl.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/stats.h"
#include "licit/io/reader.h"

static const int ref_key_fields[3] = {LICIT_F_OCID, LICIT_F_PROCEDURE_ID,
                                      LICIT_F_CONTRACT_ID};

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

int kpi_reference_load(struct licit_kpi *k, const char *path, struct licit_error *err)
{
	struct licit_reader_opts ro = {0};
	struct licit_reader *r = licit_reader_open(path, &ro, err);
	if (!r)
		return LICIT_ERR;
	const char *src = licit_reader_source(r);
	int amt_col = licit_reader_col(r, "reference_amount"), cols[3];
	k->nref_key = 0;
	for (int i = 0; i < 3; i++) {
		int c = licit_reader_col(r, licit_field_name(ref_key_fields[i]));
		if (c >= 0) {
			k->ref_key[k->nref_key] = ref_key_fields[i];
			cols[k->nref_key++] = c;
		}
	}
	int rc = LICIT_OK;
	if (amt_col < 0) {
		rc = licit_error_set(err, src, 1, "reference_amount",
		                     "reference table has no reference_amount column");
		goto done;
	}
	if (k->nref_key == 0) {
		rc = licit_error_set(err, src, 1, NULL,
		                     "reference table needs a contract_id, ocid or "
		                     "procedure_id column");
		goto done;
	}
	k->ref = licit_map_new();
	long *lines = NULL;
	size_t cap = 0;
	if (!k->ref) {
		rc = licit_error_set(err, src, 0, NULL, "out of memory");
		goto done;
	}
	const struct licit_row *row;
	int st;
	while ((st = licit_reader_next(r, &row, err)) == LICIT_OK) {
		const char *vals[3];
		size_t lens[3], filled = 0;
		for (int i = 0; i < k->nref_key; i++) {
			int c = cols[i];
			vals[i] = (size_t)c < row->n ? row->v[c] : "";
			lens[i] = strlen(vals[i]);
			filled += lens[i] > 0;
		}
		const char *av = (size_t)amt_col < row->n ? row->v[amt_col] : "";
		double amt;
		if (!filled) {
			rc = licit_error_set(err, src, row->line, licit_field_name(k->ref_key[0]),
			                     "reference row names no contract");
			break;
		}
		if (licit_parse_number(av, &amt) != 0 || amt < 0 || amt > LICIT_KPI_MAX_AMOUNT) {
			rc = licit_error_set(err, src, row->line, "reference_amount",
			                     "'%.60s' is not a plain decimal number 0 to 10^15", av);
			break;
		}
		size_t kl;
		int added;
		long idx;
		if (ref_key(k, vals, lens, &kl) < 0 ||
		    (idx = licit_map_put(k->ref, k->kbuf, kl, &added)) < 0) {
			rc = licit_error_set(err, src, row->line, NULL, "out of memory");
			break;
		}
		if (!added) {
			rc = licit_error_set(err, src, row->line, licit_field_name(k->ref_key[0]),
			                     "contract listed twice (first on line %ld)",
			                     lines[idx]);
			break;
		}
		if ((size_t)idx >= cap) {
			size_t nc = cap ? cap * 2 : 256;
			double *a = realloc(k->ref_amt, nc * sizeof *a);
			if (a)
				k->ref_amt = a;
			long *l = realloc(lines, nc * sizeof *l);
			if (l)
				lines = l;
			if (!a || !l) {
				rc = licit_error_set(err, src, row->line, NULL, "out of memory");
				break;
			}
			cap = nc;
		}
		k->ref_amt[idx] = amt;
		lines[idx] = row->line;
	}
	if (st == LICIT_ERR)
		rc = LICIT_ERR;
	free(lines);
done:
	licit_reader_close(r);
	return rc;
}

int kpi_reference_of(struct licit_kpi *k, const struct licit_row *row, double *amt)
{
	const char *vals[3];
	size_t lens[3], kl;
	for (int i = 0; i < k->nref_key; i++)
		vals[i] = kpi_field(k, row, k->ref_key[i], &lens[i]);
	if (ref_key(k, vals, lens, &kl) != 0)
		return 0;
	long idx = licit_map_get(k->ref, k->kbuf, kl);
	if (idx < 0)
		return 0;
	*amt = k->ref_amt[idx];
	return 1;
}
