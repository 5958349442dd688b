/* Stable shards (see licit/record/shard.h). */
#include "licit/record/shard.h"

#include <stdio.h>
#include <string.h>

#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/core/text.h"
#include "licit/io/reader.h"

int licit_shard_key_parse(const char *spec, struct licit_shard_key *k, char *why, size_t cap)
{
	k->nfields = 0;
	k->fold = 0;
	if (strcmp(spec, "buyer") == 0)
		return LICIT_OK;
	if (strcmp(spec, "key") == 0) {
		k->field[0] = LICIT_F_PROCEDURE_ID;
		k->field[1] = LICIT_F_CONTRACT_ID;
		k->nfields = 2;
		k->fold = 1;
		return LICIT_OK;
	}
	const char *p = spec;
	if (strncmp(spec, "key:", 4) == 0) {
		k->fold = 1;
		p += 4;
	}
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char name[64];
		if (n == 0 || n >= sizeof name) {
			snprintf(why, cap, "'%s': give canonical field names joined by commas, or buyer",
			         spec);
			return LICIT_ERR;
		}
		memcpy(name, p, n);
		name[n] = '\0';
		int f = licit_field_lookup(name);
		if (f < 0) {
			snprintf(why, cap, "'%s' is not a canonical field (licit-schema(5))", name);
			return LICIT_ERR;
		}
		if (k->nfields == LICIT_SHARD_FIELDS) {
			snprintf(why, cap, "at most %d key fields", LICIT_SHARD_FIELDS);
			return LICIT_ERR;
		}
		k->field[k->nfields++] = f;
		p += n + (e != NULL);
		if (e && !*p) {
			snprintf(why, cap, "'%s' ends with a comma", spec);
			return LICIT_ERR;
		}
	}
	if (!k->nfields) {
		snprintf(why, cap, "give canonical field names joined by commas, or buyer");
		return LICIT_ERR;
	}
	return LICIT_OK;
}

int licit_shard_spec_parse(const char *spec, int *i, int *n, char *why, size_t cap)
{
	const char *slash = strchr(spec, '/');
	char a[32];
	long long vi, vn;
	if (!slash || (size_t)(slash - spec) >= sizeof a) {
		snprintf(why, cap, "'%s' is not I/N (for example 3/16)", spec);
		return LICIT_ERR;
	}
	memcpy(a, spec, (size_t)(slash - spec));
	a[slash - spec] = '\0';
	if (licit_num_int(slash + 1, 1, LICIT_SHARD_MAX, &vn, why, cap) != 0 ||
	    licit_num_int(a, 1, vn, &vi, why, cap) != 0)
		return LICIT_ERR;
	*i = (int)vi - 1;
	*n = (int)vn;
	return LICIT_OK;
}

/* FNV-1a-64 over n bytes, from h. */
static unsigned long long fnv(unsigned long long h, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int licit_shard_of(const char *const *v, const size_t *len, int nv, int n)
{
	/* FNV-1a over the values joined by 0x1F (licit_hash's own steps, run
	 * across the parts without a copy) */
	unsigned long long h = 1469598103934665603ULL;
	for (int j = 0; j < nv; j++)
		h = fnv(j ? fnv(h, "\x1f", 1) : h, v[j], len[j]);
	return (int)(licit_mix64(h) % (unsigned long long)n);
}

/* The shard of these values (folded first when the key says so). */
static int shard_of_key(const struct licit_shard_key *k, const char *const *v,
                        const size_t *len, int nv, int n)
{
	if (!k->fold)
		return licit_shard_of(v, len, nv, n);
	/* licit_shard_of over the folded values, folded a piece at a time */
	unsigned long long h = 1469598103934665603ULL;
	char buf[512];
	for (int j = 0; j < nv; j++) {
		if (j)
			h = fnv(h, "\x1f", 1);
		struct licit_fold f = {0};
		while (f.done < len[j])
			h = fnv(h, buf, licit_text_fold_piece(&f, v[j], len[j], buf, sizeof buf));
	}
	return (int)(licit_mix64(h) % (unsigned long long)n);
}

static const char *value(const struct licit_cols *cols, const struct licit_row *row, int f,
                         size_t *len)
{
	int c = cols->col[f];
	if (c < 0 || (size_t)c >= row->n) {
		*len = 0;
		return "";
	}
	*len = row->len ? row->len[c] : strlen(row->v[c]);
	return row->v[c];
}

int licit_shard_of_row(const struct licit_shard_key *k, const struct licit_cols *cols,
                       const struct licit_row *row, int n)
{
	const char *v[LICIT_SHARD_FIELDS];
	size_t len[LICIT_SHARD_FIELDS];
	if (!k->nfields) {
		v[0] = value(cols, row, LICIT_F_BUYER_ID, &len[0]);
		if (!len[0])
			v[0] = value(cols, row, LICIT_F_BUYER_NAME, &len[0]);
		return licit_shard_of(v, len, 1, n);
	}
	for (int j = 0; j < k->nfields; j++)
		v[j] = value(cols, row, k->field[j], &len[j]);
	return shard_of_key(k, v, len, k->nfields, n);
}

int licit_shard_of_values(const struct licit_shard_key *k, const char *const *values, int n)
{
	const char *v[LICIT_SHARD_FIELDS];
	size_t len[LICIT_SHARD_FIELDS];
	if (!k->nfields) {
		v[0] = values[LICIT_F_BUYER_ID];
		if (!*v[0])
			v[0] = values[LICIT_F_BUYER_NAME];
		len[0] = strlen(v[0]);
		return licit_shard_of(v, len, 1, n);
	}
	for (int j = 0; j < k->nfields; j++) {
		v[j] = values[k->field[j]];
		len[j] = strlen(v[j]);
	}
	return shard_of_key(k, v, len, k->nfields, n);
}
