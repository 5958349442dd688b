/* Duplicate contract rows (exact, key, fuzzy) and supplier entities. */
#include "licit/dedupe/dedupe.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/fpset.h"
#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/record/canon.h"
#include "licit/record/schema.h"
#include "licit/values/similar.h"
#include "licit/core/stats.h"
#include "licit/core/text.h"
#include "licit/values/value.h"

#include "internal.h"

const char *const licit_dedupe_mark_cols[5] = {
	"dup_cluster", "dup_of", "dup_rule", "dup_score", "supplier_entity",
};

const char *licit_dup_rule_name(enum licit_dup_rule r)
{
	static const char *const names[] = {"", "fuzzy", "key", "exact"};
	return r < LICIT_RULE_COUNT ? names[r] : "";
}

int licit_dedupe_ignored_col(const char *name)
{
	if (strcmp(name, "source") == 0 || strcmp(name, "source_line") == 0)
		return 1;
	for (size_t i = 0; i < 5; i++)
		if (strcmp(name, licit_dedupe_mark_cols[i]) == 0)
			return 1;
	return 0;
}

void licit_dedupe_opts_default(struct licit_dedupe_opts *o)
{
	memset(o, 0, sizeof *o);
	o->level = LICIT_DUP_KEY;
	o->amount_tol = 0.01;
	o->days = 30;
	o->title_sim = 0.7;
	o->name_sim = 0.6;
}

/* ---- 128-bit row hash --------------------------------------------------
 * Two 64-bit multiply-rotate lanes with different constants, each
 * finished with the one mixer (licit_mix64). Only these 16 bytes (or
 * fewer, see the fingerprint sets below) are kept per distinct row or
 * key. */

static inline uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }

static inline void h_word(struct h128 *h, uint64_t w)
{
	h->a ^= w;
	h->a *= 0x9E3779B97F4A7C15ULL;
	h->a = rotl(h->a, 27);
	h->b += w;
	h->b = rotl(h->b, 31);
	h->b *= 0xC2B2AE3D27D4EB4FULL;
}

static void h_init(struct h128 *h, uint64_t domain)
{
	h->a = 0x243F6A8885A308D3ULL ^ domain;
	h->b = 0x13198A2E03707344ULL + domain;
}

static inline uint64_t load64(const char *s)
{
	uint64_t w;
	memcpy(&w, s, 8);
	return w;
}

static inline uint64_t load32(const char *s)
{
	uint32_t w;
	memcpy(&w, s, 4);
	return w;
}

/* A field: its length first, so that field boundaries count. The last
 * 1-8 bytes are read with loads inside the field that may overlap (the
 * length says which bytes they are), never byte by byte. */
static inline void h_field(struct h128 *h, const char *s, size_t n)
{
	h_word(h, (uint64_t)n * 0xFF51AFD7ED558CCDULL + 0x2545F4914F6CDD1DULL);
	if (n > 8) {
		size_t i = 0;
		for (; i + 8 < n; i += 8)
			h_word(h, load64(s + i));
		h_word(h, load64(s + n - 8));
	} else if (n >= 4) {
		h_word(h, load32(s) | load32(s + n - 4) << 32);
	} else if (n) {
		h_word(h, (uint64_t)(unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
		              (uint64_t)(unsigned char)s[n - 1] << 16);
	}
}

static void h_final(struct h128 *h)
{
	h->a = licit_mix64(h->a);
	h->b = licit_mix64(h->b ^ 0x452821E638D01377ULL);
}

/* The hash of a byte string: its 8-byte words go in turn to two states
 * (two chains of multiplies at once), the last 1-16 bytes hashed as a
 * field (h_field), the length last. */
static struct h128 h_bytes(const char *s, size_t n, uint64_t domain)
{
	struct h128 x, y;
	h_init(&x, domain);
	h_init(&y, domain ^ 0x3C6EF372FE94F82BULL);
	size_t i = 0;
	for (; i + 16 < n; i += 16) {
		h_word(&x, load64(s + i));
		h_word(&y, load64(s + i + 8));
	}
	h_field(&x, s + i, n - i);
	h_word(&y, (uint64_t)n);
	return (struct h128){licit_mix64(x.a ^ licit_mix64(y.a)),
	                     licit_mix64(x.b ^ licit_mix64(y.b ^ 0x452821E638D01377ULL))};
}

/* Per-row facts fuzzy matching needs. */

struct licit_dedupe *licit_dedupe_new(const struct licit_dedupe_opts *o,
                                      const char *const *cols, size_t ncols,
                                      struct licit_error *err)
{
	struct licit_dedupe *d = calloc(1, sizeof *d);
	if (!d)
		goto oom;
	d->o = *o;
	if (d->o.level >= LICIT_DUP_FUZZY)
		d->o.entities = 1;
	d->streaming = licit_dedupe_opts_streaming(&d->o);
	d->cols = calloc(ncols + 1, sizeof *d->cols);
	d->hashcols = calloc(ncols + 1, sizeof *d->hashcols);
	d->rmap = calloc(ncols + 1, sizeof *d->rmap);
	d->sources = licit_map_new();
	if (!d->cols || !d->hashcols || !d->rmap || !d->sources)
		goto oom;
	d->ncols = ncols;
	d->col_source = d->col_line = -1;
	for (size_t i = 0; i < ncols; i++) {
		if (!(d->cols[i] = strdup(cols[i])))
			goto oom;
		if (strcmp(cols[i], "source") == 0)
			d->col_source = (int)i;
		else if (strcmp(cols[i], "source_line") == 0)
			d->col_line = (int)i;
		if (!licit_dedupe_ignored_col(cols[i]))
			d->hashcols[d->nhash++] = i;
	}
	static const char *const default_key[] = {"procedure_id", "contract_id"};
	const char *const *key = o->key ? o->key : default_key;
	d->nkey = o->key ? o->nkey : 2;
	d->keycols = calloc(d->nkey + 1, sizeof *d->keycols);
	if (!d->keycols)
		goto oom;
	d->key_ok = 1;
	for (size_t k = 0; k < d->nkey; k++) {
		d->keycols[k] = -1;
		for (size_t i = 0; i < ncols; i++)
			if (strcmp(cols[i], key[k]) == 0)
				d->keycols[k] = (long)i;
		if (d->keycols[k] < 0) {
			d->key_ok = 0;
			if (o->key) {
				licit_error_set(err, "", 0, "--key", "no column '%s' in the input",
				                key[k]);
				licit_dedupe_free(d);
				return NULL;
			}
		}
	}
	d->prov = !d->streaming || !d->o.lean;
	d->merged = d->streaming && d->o.level >= LICIT_DUP_KEY && d->key_ok;
	for (size_t k = 0; d->merged && k < d->nkey; k++)
		if (licit_dedupe_ignored_col(cols[d->keycols[k]]))
			d->merged = 0;
	size_t cl = d->prov ? 4 : 0; /* a cluster or row number */
	d->exact = licit_fpset_new(d->streaming ? cl : 4);
	d->key = licit_fpset_new(!d->streaming ? 4 : d->merged ? 8 + cl : cl);
	d->xkey = licit_fpset_new(0);
	if (!d->exact || !d->key || !d->xkey)
		goto oom;
	if (d->o.entities || d->o.level >= LICIT_DUP_FUZZY) {
		d->buyers = licit_map_new();
		d->currencies = licit_map_new();
		d->nodes = licit_map_new();
		if (!d->buyers || !d->currencies || !d->nodes)
			goto oom;
		/* the dates and amounts fuzzy compares; the rest is text */
		struct licit_cols none;
		for (int f = 0; f < LICIT_NFIELDS; f++)
			none.col[f] = -1;
		uint64_t need = LICIT_NEED(LICIT_F_SIGNED_DATE) | LICIT_NEED(LICIT_F_START_DATE) |
		                LICIT_NEED(LICIT_F_AWARD_DATE) | LICIT_NEED(LICIT_F_END_DATE) |
		                LICIT_NEED(LICIT_F_AMOUNT) | LICIT_NEED(LICIT_F_AMOUNT_MXN) |
		                LICIT_NEED(LICIT_F_CURRENCY);
		if (licit_canon_init_cols(&d->cx, &none, d->o.level >= LICIT_DUP_FUZZY ? need : 0) !=
		    LICIT_OK)
			goto oom;
	}
	if (LICIT_GROW(d->titles, d->titles_cap, 1) != LICIT_OK)
		goto oom;
	d->titles[0] = '\0';
	d->titles_n = 1; /* offset 0 is the empty title */
	return d;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
	licit_dedupe_free(d);
	return NULL;
}

void licit_dedupe_free(struct licit_dedupe *d)
{
	if (!d)
		return;
	for (size_t i = 0; d->cols && i < d->ncols; i++)
		free(d->cols[i]);
	free(d->cols);
	free(d->hashcols);
	free(d->keycols);
	free(d->rmap);
	licit_fpset_free(d->exact);
	licit_fpset_free(d->key);
	licit_fpset_free(d->xkey);
	free(d->scratch);
	free(d->parent);
	free(d->rule);
	free(d->score);
	free(d->filled);
	free(d->node);
	free(d->psrc);
	free(d->pline);
	licit_map_free(d->sources);
	free(d->fr);
	free(d->titles);
	licit_map_free(d->buyers);
	licit_map_free(d->currencies);
	licit_canon_free(&d->cx);
	licit_map_free(d->nodes);
	free(d->node_rows);
	free(d->pairs);
	licit_hidx_fini(&d->pairset);
	free(d->nparent);
	free(d->nlevel);
	free(d->nrfc);
	free(d->nentity);
	for (size_t i = 0; i < d->nents; i++) {
		free(d->ents[i].id);
		free(d->ents[i].name);
		free(d->ents[i].rfc);
		free(d->ents[i].variants);
	}
	free(d->ents);
	free(d->cl);
	free(d->keeprow);
	free(d);
}

int licit_dedupe_streaming(const struct licit_dedupe *d) { return d->streaming; }

int licit_dedupe_opts_streaming(const struct licit_dedupe_opts *o)
{
	return !o->need_all && o->keep == LICIT_KEEP_FIRST && o->level <= LICIT_DUP_KEY &&
	       !o->entities;
}

int licit_dedupe_bind(struct licit_dedupe *d, const struct licit_reader *r,
                      struct licit_error *err)
{
	(void)err; /* nothing can fail yet; the parameter keeps the API open */
	d->rsource = licit_reader_source(r);
	for (size_t i = 0; i < d->ncols; i++)
		d->rmap[i] = licit_reader_col(r, d->cols[i]);
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	licit_canon_bind(&d->cx, &cols);
	return LICIT_OK;
}

static const char *val(const struct licit_dedupe *d, const struct licit_row *row,
                       size_t col, size_t *len)
{
	long c = d->rmap[col];
	if (c < 0 || (size_t)c >= row->n) {
		*len = 0;
		return "";
	}
	*len = row->len[c];
	return row->v[c];
}

static char *scratch(struct licit_dedupe *d, size_t n)
{
	if (LICIT_GROW(d->scratch, d->scratch_cap, n) != LICIT_OK)
		return NULL;
	return d->scratch;
}

/* The exact rule's hash of a row: its hashed values joined by NUL bytes
 * (no value holds one: the readers replace them), hashed as one string,
 * in place when the reader left them so in its buffer (each value right
 * after the previous one's NUL), else copied together first. *filled
 * counts the non-empty values. */
static int row_hash(struct licit_dedupe *d, const struct licit_row *row, struct h128 *h,
                    unsigned *filled)
{
	size_t len, total = 0;
	const char *first = NULL, *end = NULL;
	int inplace = 1;
	*filled = 0;
	for (size_t k = 0; k < d->nhash; k++) {
		const char *v = val(d, row, d->hashcols[k], &len);
		if (k && v != end + 1)
			inplace = 0;
		if (!k)
			first = v;
		end = v + len;
		total += len + (k > 0);
		*filled += len > 0;
	}
	if (inplace) { /* (no column hashed: no bytes, and no pointer either) */
		*h = h_bytes(first ? first : "", total, 1);
		return 0;
	}
	char *buf = scratch(d, total + 1), *w = buf;
	if (!buf)
		return -1;
	for (size_t k = 0; k < d->nhash; k++) {
		const char *v = val(d, row, d->hashcols[k], &len);
		if (k)
			*w++ = '\0';
		memcpy(w, v, len);
		w += len;
	}
	*h = h_bytes(buf, total, 1);
	return 0;
}

/* ---- row union-find -------------------------------------------------------- */
static uint32_t find(uint32_t *p, uint32_t i)
{
	while (p[i] != i) {
		p[i] = p[p[i]];
		i = p[i];
	}
	return i;
}

/* Links the clusters of rows i and j. The later root joins the earlier
 * one (so a cluster's root is its first row) and records the rule of
 * this link: every row but a root is labelled exactly once, so the labels
 * count the rows each rule removes. */
static void link_rows(struct licit_dedupe *d, uint32_t i, uint32_t j,
                      enum licit_dup_rule r, double s)
{
	uint32_t a = find(d->parent, i), b = find(d->parent, j);
	if (a == b)
		return;
	if (b < a) {
		uint32_t t = a;
		a = b;
		b = t;
	}
	d->parent[b] = a;
	d->rule[b] = (uint8_t)r;
	d->score[b] = (float)s;
}

static int intern(struct licit_map *m, const char *s, size_t n)
{
	return (int)licit_map_put(m, s, n, NULL);
}

/* Records the supplier spelling and buyer of a row; returns the node or -1. */
static int add_supplier(struct licit_dedupe *d, const struct licit_canon *c, int buyer,
                        struct licit_error *err)
{
	const char *name = c->text[LICIT_F_SUPPLIER_NAME];
	size_t nn = c->len[LICIT_F_SUPPLIER_NAME], rl = c->len[LICIT_F_SUPPLIER_RFC];
	char rfc[16] = "";
	if (rl && licit_rfc_check(c->text[LICIT_F_SUPPLIER_RFC], rl, rfc, sizeof rfc) != LICIT_RFC_OK)
		rfc[0] = '\0';
	size_t nr = strlen(rfc);
	if (!nn && !nr)
		return -1;
	char *k = scratch(d, nn + nr + 2);
	if (!k)
		goto oom;
	memcpy(k, name, nn);
	k[nn] = '\x1f';
	memcpy(k + nn + 1, rfc, nr + 1);
	int added = 0;
	long node = licit_map_put(d->nodes, k, nn + nr + 1, &added);
	if (node < 0 || LICIT_GROW(d->node_rows, d->node_cap, (size_t)node + 1) != LICIT_OK)
		goto oom;
	if (added)
		d->node_rows[node] = 0;
	d->node_rows[node]++;
	if (buyer >= 0) {
		uint64_t pr = (uint64_t)(uint32_t)buyer << 32 | (uint32_t)node;
		added = 0;
		if (licit_hidx_put(&d->pairset, pr + 1, &added) < 0)
			goto oom;
		if (added) {
			if (LICIT_GROW(d->pairs, d->pairs_cap, d->npairs + 1) != LICIT_OK)
				goto oom;
			d->pairs[d->npairs++] = pr;
		}
	}
	return (int)node;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
	return -2;
}

/* Hash of the folded value (the key rule's view of an id), 0 when empty. */
static uint64_t fold_hash(struct licit_dedupe *d, const char *s, size_t n)
{
	char *f = scratch(d, n + 1);
	if (!f)
		return 0;
	n = licit_text_fold(s, n, f);
	return n ? licit_hash(f, n) | 1 : 0;
}

/* ---- streaming: exact and key rules only, decisions final at once ----------
 * The sets' values: with provenance, the cluster number (4 bytes); when
 * merged, the key set's entries hold first the exact fingerprint (lane b,
 * 8 bytes) of the key's first row. Merged (key level, every key column
 * read by the exact rule, so that identical rows have one key): a row
 * with a key is looked up by its key only, and it is an exact copy when
 * it equals the key's first row or a row the key rule removed before
 * (those are kept in xkey), else a key duplicate. Rows without a key go
 * to the exact set. */

int dedupe_new_cluster(struct licit_dedupe *d, int sidx, long line, uint32_t *v)
{
	*v = (uint32_t)++d->nclusters;
	if (!d->prov)
		return 0;
	size_t pc = d->prov_cap;
	if (LICIT_GROW(d->pline, pc, *v + 1) != LICIT_OK ||
	    LICIT_GROW(d->psrc, d->prov_cap, *v + 1) != LICIT_OK)
		return -1;
	d->psrc[*v] = sidx;
	d->pline[*v] = line;
	return 0;
}

void dedupe_decided(struct licit_dedupe *d, uint32_t v, struct licit_dup *now)
{
	now->cluster = v;
	now->kept = now->rule == LICIT_RULE_NONE;
	if (now->kept) {
		now->score = 0;
	} else {
		d->st.removed[now->rule]++;
		if (d->prov)
			dedupe_set_of(d, v, now);
	}
}

void dedupe_set_of(struct licit_dedupe *d, uint32_t v, struct licit_dup *now)
{
	snprintf(d->ofbuf, sizeof d->ofbuf, "%s:%ld",
	         licit_map_key(d->sources, (size_t)d->psrc[v], NULL), d->pline[v]);
	now->of = d->ofbuf;
}

int dedupe_stream_add(struct licit_dedupe *d, const struct dedupe_keys *rk,
                      struct licit_dup *now, struct licit_error *err)
{
	struct h128 he = rk->he, hk = rk->hk;
	int has_key = rk->has_key;
	memset(now, 0, sizeof *now);
	now->of = "";
	now->entity = "";
	now->score = 1;
	uint32_t v = 0;
	int added, prov = d->prov;
	unsigned char *e, *k;
	if (d->merged && has_key) {
		if (!(k = licit_fpset_put(d->key, hk.a, hk.b, &added)))
			goto oom;
		if (added) {
			memcpy(k, &he.b, 8);
			if (dedupe_new_cluster(d, rk->sidx, rk->line, &v) < 0)
				goto oom;
			if (prov)
				memcpy(k + 8, &v, 4);
		} else {
			uint64_t first;
			memcpy(&first, k, 8);
			now->rule = LICIT_RULE_EXACT;
			if (first != he.b) {
				int xadded;
				if (!licit_fpset_put(d->xkey, he.a, he.b, &xadded))
					goto oom;
				if (xadded)
					now->rule = LICIT_RULE_KEY;
			}
			if (prov)
				memcpy(&v, k + 8, 4);
		}
	} else {
		if (!(e = licit_fpset_put(d->exact, he.a, he.b, &added)))
			goto oom;
		if (!added) {
			now->rule = LICIT_RULE_EXACT;
			if (prov)
				memcpy(&v, e, 4);
		} else if (has_key) {
			if (!(k = licit_fpset_put(d->key, hk.a, hk.b, &added)))
				goto oom;
			if (!added) { /* a new row of a known key */
				now->rule = LICIT_RULE_KEY;
				if (prov)
					memcpy(&v, k, 4);
			} else if (dedupe_new_cluster(d, rk->sidx, rk->line, &v) < 0) {
				goto oom;
			} else if (prov) {
				memcpy(k, &v, 4);
			}
			if (prov)
				memcpy(e, &v, 4);
		} else {
			if (dedupe_new_cluster(d, rk->sidx, rk->line, &v) < 0)
				goto oom;
			if (prov)
				memcpy(e, &v, 4);
		}
	}
	dedupe_decided(d, v, now);
	return LICIT_OK;
oom:
	return licit_error_set(err, "", 0, NULL, "out of memory");
}

int dedupe_row_keys(struct licit_dedupe *d, const struct licit_row *row,
                    struct dedupe_keys *out, unsigned *filled, struct licit_error *err)
{
	size_t i = d->nrows, len;
	if (i >= UINT32_MAX - 1)
		return licit_error_set(err, d->rsource, row->line, NULL,
		                       "more than %u rows", UINT32_MAX - 2);
	/* the key rule: folded key values; a row lacking one is not key-matched */
	struct h128 hk;
	int has_key = d->o.level >= LICIT_DUP_KEY && d->key_ok;
	h_init(&hk, 2);
	for (size_t k = 0; has_key && k < d->nkey; k++) {
		const char *v = val(d, row, (size_t)d->keycols[k], &len);
		char *f = scratch(d, len + 1);
		if (!f)
			return licit_error_set(err, "", 0, NULL, "out of memory");
		size_t fl = licit_text_fold(v, len, f);
		if (!fl)
			has_key = 0;
		else
			h_field(&hk, f, fl);
	}
	h_final(&hk);
	/* a streaming row with a key is looked up by it alone: its slot loads
	 * while the exact hash is made */
	if (d->merged && has_key)
		licit_fpset_prefetch(d->key, hk.a);
	/* the exact rule: every column but provenance */
	struct h128 he;
	if (row_hash(d, row, &he, filled) < 0)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	if (d->o.level >= LICIT_DUP_KEY && !has_key)
		d->st.no_key++;

	/* provenance of the row, for dup_of (not kept when not wanted) */
	int sidx = -1;
	long line = row->recno;
	if (d->prov) {
		const char *src = d->rsource;
		if (d->col_source >= 0 && d->col_line >= 0) {
			/* source and source_line, when both are there and the line is a
			 * line number; else this input's name and record number (never
			 * one from each, nor a line clamped from 99999999999999999999) */
			size_t sl;
			const char *s = val(d, row, (size_t)d->col_source, &sl);
			const char *l = val(d, row, (size_t)d->col_line, &len);
			long long v;
			char why[160];
			if (sl && licit_num_int(l, 1, LONG_MAX, &v, why, sizeof why) == 0) {
				src = s;
				line = (long)v;
			}
		}
		if ((sidx = intern(d->sources, src, strlen(src))) < 0)
			return licit_error_set(err, "", 0, NULL, "out of memory");
	}

	d->nrows++;
	d->st.rows++;
	*out = (struct dedupe_keys){he, hk, has_key, sidx, line};
	return LICIT_OK;
}

int licit_dedupe_add(struct licit_dedupe *d, const struct licit_row *row,
                     struct licit_dup *now, struct licit_error *err)
{
	size_t i = d->nrows;
	struct dedupe_keys k;
	unsigned filled;
	if (dedupe_row_keys(d, row, &k, &filled, err) != LICIT_OK)
		return LICIT_ERR;
	if (d->streaming)
		return dedupe_stream_add(d, &k, now, err);
	struct h128 he = k.he, hk = k.hk;
	int has_key = k.has_key, sidx = k.sidx;
	long line = k.line;

	size_t cap = d->rows_cap;
	if (LICIT_GROW(d->parent, cap, i + 1) != LICIT_OK)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	if (cap != d->rows_cap) {
		size_t old = d->rows_cap;
		if (licit_resize(&d->rule, old, cap, sizeof *d->rule) != LICIT_OK ||
		    licit_resize(&d->score, old, cap, sizeof *d->score) != LICIT_OK ||
		    licit_resize(&d->filled, old, cap, sizeof *d->filled) != LICIT_OK ||
		    licit_resize(&d->node, old, cap, sizeof *d->node) != LICIT_OK ||
		    licit_resize(&d->psrc, old, cap, sizeof *d->psrc) != LICIT_OK ||
		    licit_resize(&d->pline, old, cap, sizeof *d->pline) != LICIT_OK)
			return licit_error_set(err, "", 0, NULL, "out of memory");
		d->rows_cap = cap;
	}
	d->parent[i] = (uint32_t)i;
	d->rule[i] = LICIT_RULE_NONE;
	d->score[i] = 0;
	d->filled[i] = filled > UINT16_MAX ? UINT16_MAX : (uint16_t)filled;
	d->psrc[i] = sidx;
	d->pline[i] = line;
	d->node[i] = -1;
	/* the sets hold each distinct row's and key's first row */
	uint32_t v, row32 = (uint32_t)i;
	int added;
	unsigned char *e = licit_fpset_put(d->exact, he.a, he.b, &added);
	if (!e)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	if (added)
		memcpy(e, &row32, 4);
	else
		link_rows(d, row32, (memcpy(&v, e, 4), v), LICIT_RULE_EXACT, 1);
	if (has_key) {
		if (!(e = licit_fpset_put(d->key, hk.a, hk.b, &added)))
			return licit_error_set(err, "", 0, NULL, "out of memory");
		if (added)
			memcpy(e, &row32, 4);
		else
			link_rows(d, row32, (memcpy(&v, e, 4), v), LICIT_RULE_KEY, 1);
	}
	if (!d->o.entities)
		return LICIT_OK;

	/* buyer and supplier: entities and fuzzy evidence, from the typed
	 * record (its buyer key: buyer_id, else buyer_name) */
	struct licit_canon *c = &d->c;
	if (licit_canon_load(&d->cx, row, c) != LICIT_OK)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	int buyer = c->buyer_len ? intern(d->buyers, c->buyer, c->buyer_len) : -1;
	int node = add_supplier(d, c, buyer, err);
	if (node == -2)
		return LICIT_ERR;
	d->node[i] = node;
	if (d->o.level < LICIT_DUP_FUZZY)
		return LICIT_OK;
	if (LICIT_GROW(d->fr, d->fr_cap, i + 1) != LICIT_OK)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	struct frow *f = &d->fr[i];
	memset(f, 0, sizeof *f);
	f->buyer = buyer;
	f->node = node;
	/* the amount in its currency (amount_mxn in MXN when it holds a
	 * number, else amount; an empty currency is MXN); currencies are
	 * numbered in order of first appearance, one that is not a code by
	 * its text */
	f->currency = -1;
	if (c->has_amt) {
		char code[3] = {(char)(c->amt_cur >> 16), (char)(c->amt_cur >> 8), (char)c->amt_cur};
		f->currency = c->amt_cur == LICIT_CUR_OTHER
		                  ? intern(d->currencies, c->text[LICIT_F_CURRENCY], c->len[LICIT_F_CURRENCY])
		                  : intern(d->currencies, code, 3);
		if (f->currency < 0)
			return licit_error_set(err, "", 0, NULL, "out of memory");
	}
	f->amount = c->has_amt ? c->amt : NAN;
	static const enum licit_field df[4] = {LICIT_F_SIGNED_DATE, LICIT_F_START_DATE,
	                                       LICIT_F_AWARD_DATE, LICIT_F_END_DATE};
	int anydate = 0;
	for (int k = 0; k < 4; k++) {
		f->date[k] = c->state[df[k]] == LICIT_SLOT_OK ? c->day[df[k]] : INT32_MIN;
		anydate |= f->date[k] != INT32_MIN;
	}
	f->contract = fold_hash(d, c->text[LICIT_F_CONTRACT_ID], c->len[LICIT_F_CONTRACT_ID]);
	/* the folded title, kept only for a row that can be compared */
	if (buyer < 0 || node < 0 || !c->has_amt || !anydate)
		return LICIT_OK;
	size_t tl = c->len[LICIT_F_TITLE];
	if (tl > LICIT_SIM_MAXLEN)
		tl = LICIT_SIM_MAXLEN;
	if (LICIT_GROW(d->titles, d->titles_cap, d->titles_n + tl + 1) != LICIT_OK)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	size_t fl = licit_text_fold(c->text[LICIT_F_TITLE], tl, d->titles + d->titles_n);
	if (fl) {
		f->title = d->titles_n;
		d->titles_n += fl + 1;
	}
	f->eligible = f->title != 0;
	d->st.fuzzy_eligible += f->eligible;
	return LICIT_OK;
}

/* ---- supplier entities ------------------------------------------------------ */
enum { LEV_NONE = 0, LEV_RFC = 1, LEV_NAME = 2, LEV_SIMILAR = 3 };
static const char *const level_names[] = {"", "rfc", "name", "similar"};

static int32_t nfind(int32_t *p, int32_t i)
{
	while (p[i] != i) {
		p[i] = p[p[i]];
		i = p[i];
	}
	return i;
}

static void nunion(struct licit_dedupe *d, int32_t a, int32_t b, int level)
{
	a = nfind(d->nparent, a);
	b = nfind(d->nparent, b);
	if (a == b) {
		if (level > d->nlevel[a])
			d->nlevel[a] = (uint8_t)level;
		return;
	}
	if (b < a) {
		int32_t t = a;
		a = b;
		b = t;
	}
	d->nparent[b] = a;
	int lv = d->nlevel[a] > d->nlevel[b] ? d->nlevel[a] : d->nlevel[b];
	d->nlevel[a] = (uint8_t)(level > lv ? level : lv);
	if (d->nrfc[a] < 0)
		d->nrfc[a] = d->nrfc[b];
}

static const char *node_name(const struct licit_dedupe *d, size_t i, size_t *len)
{
	size_t kl;
	const char *k = licit_map_key(d->nodes, i, &kl);
	const char *sep = memchr(k, '\x1f', kl);
	*len = (size_t)(sep - k);
	return k;
}

static const char *node_rfc(const struct licit_dedupe *d, size_t i)
{
	size_t kl;
	const char *k = licit_map_key(d->nodes, i, &kl);
	return (const char *)memchr(k, '\x1f', kl) + 1;
}

struct block {
	uint64_t key; /* buyer << 32 | block-key hash */
	int32_t node;
};

static int cmp_block(const void *a, const void *b)
{
	const struct block *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->node > y->node) - (x->node < y->node);
}

/* Spellings per entity, merged by name, most rows first. */
struct spell {
	const char *name;
	size_t len;
	long long rows;
	size_t first;
};

static int cmp_spell(const void *a, const void *b)
{
	const struct spell *x = a, *y = b;
	if (x->rows != y->rows)
		return x->rows > y->rows ? -1 : 1;
	return (x->first > y->first) - (x->first < y->first);
}

static int resolve_entities(struct licit_dedupe *d)
{
	size_t n = licit_map_count(d->nodes);
	d->st.spellings = (long long)n;
	d->nparent = malloc((n + 1) * sizeof *d->nparent);
	d->nlevel = calloc(n + 1, 1);
	d->nrfc = malloc((n + 1) * sizeof *d->nrfc);
	d->nentity = malloc((n + 1) * sizeof *d->nentity);
	size_t *base = malloc((n + 1) * sizeof *base);
	int32_t *next = malloc((n + 1) * sizeof *next);
	struct licit_map *rfcs = licit_map_new(), *bases = licit_map_new();
	int32_t *rfc_first = NULL, *head = NULL, *grp = NULL; /* grp: base key number, -1 */
	struct licit_hidx memo = {0};
	uint8_t *seen = NULL;
	size_t seen_cap = 0;
	char *bbuf = NULL;
	size_t bbuf_n = 0, bbuf_cap = 0;
	struct block *bl = NULL;
	int rc = -1;
	if (!d->nparent || !d->nlevel || !d->nrfc || !d->nentity || !base || !next || !rfcs ||
	    !bases)
		goto out;
	rfc_first = malloc((n + 1) * sizeof *rfc_first);
	head = malloc((n + 1) * sizeof *head);
	grp = malloc((n + 1) * sizeof *grp);
	if (!rfc_first || !head || !grp)
		goto out;
	for (size_t i = 0; i < n; i++) {
		d->nparent[i] = (int32_t)i;
		d->nrfc[i] = *node_rfc(d, i) ? (int32_t)i : -1;
		head[i] = -1;
	}
	/* 1. the same valid RFC */
	for (size_t i = 0; i < n; i++) {
		const char *r = node_rfc(d, i);
		if (!*r)
			continue;
		int added;
		long k = licit_map_put(rfcs, r, strlen(r), &added);
		if (k < 0)
			goto out;
		if (added)
			rfc_first[k] = (int32_t)i;
		else
			nunion(d, rfc_first[k], (int32_t)i, LEV_RFC);
	}
	/* 2. equal name keys without legal form, unless that would join two RFCs */
	char key[1024], b[1024];
	for (size_t i = 0; i < n; i++) {
		size_t nl;
		const char *nm = node_name(d, i, &nl);
		size_t kl = licit_name_key(nm, nl, key, sizeof key);
		size_t bn = licit_similar_name_base(key, kl, b, sizeof b);
		if (LICIT_GROW(bbuf, bbuf_cap, bbuf_n + bn + 1) != LICIT_OK)
			goto out;
		memcpy(bbuf + bbuf_n, b, bn + 1);
		base[i] = bbuf_n;
		bbuf_n += bn + 1;
		next[i] = -1;
		grp[i] = -1;
		if (!bn)
			continue;
		int added;
		long g = licit_map_put(bases, b, bn, &added);
		if (g < 0)
			goto out;
		grp[i] = (int32_t)g;
		next[i] = head[g]; /* a list per base key */
		head[g] = (int32_t)i;
	}
	for (size_t g = 0; g < licit_map_count(bases); g++) {
		int32_t rfc_root = -1, first_plain = -1;
		int many = 0;
		for (int32_t i = head[g]; i >= 0; i = next[i]) {
			int32_t r = nfind(d->nparent, i);
			if (d->nrfc[r] >= 0) {
				if (rfc_root >= 0 && nfind(d->nparent, rfc_root) != r)
					many = 1;
				rfc_root = r;
			}
		}
		for (int32_t i = head[g]; i >= 0; i = next[i]) {
			if (*node_rfc(d, (size_t)i))
				continue;
			if (first_plain < 0)
				first_plain = i;
			else
				nunion(d, first_plain, i, LEV_NAME);
		}
		if (first_plain >= 0 && rfc_root >= 0 && !many)
			nunion(d, first_plain, rfc_root, LEV_NAME);
	}
	/* 3. similar names that share a buyer; blocked on the first and on the
	 * last three letters of the base key, per buyer */
	bl = malloc((2 * d->npairs + 1) * sizeof *bl);
	if (!bl)
		goto out;
	size_t nb = 0;
	for (size_t p = 0; p < d->npairs; p++) {
		uint32_t buyer = (uint32_t)(d->pairs[p] >> 32);
		int32_t node = (int32_t)(uint32_t)d->pairs[p];
		const char *s = bbuf + base[node];
		size_t sl = strlen(s);
		if (sl < 5)
			continue;
		uint64_t h1 = licit_hash(s, 3) & 0x7fffffffULL;
		uint64_t h2 = (licit_hash(s + sl - 3, 3) & 0x7fffffffULL) | 0x80000000ULL;
		bl[nb++] = (struct block){(uint64_t)buyer << 32 | h1, node};
		bl[nb++] = (struct block){(uint64_t)buyer << 32 | h2, node};
	}
	qsort(bl, nb, sizeof *bl, cmp_block);
	/* the same two base keys meet again under other buyers and blocks:
	 * each pair is compared once (memo: 1 similar, 2 not) */
	for (size_t i = 0; i < nb; i++)
		for (size_t j = i + 1; j < nb && j <= i + 200 && bl[j].key == bl[i].key; j++) {
			int32_t a = nfind(d->nparent, bl[i].node), c = nfind(d->nparent, bl[j].node);
			if (a == c || (d->nrfc[a] >= 0 && d->nrfc[c] >= 0))
				continue;
			uint32_t ga = (uint32_t)grp[bl[i].node], gc = (uint32_t)grp[bl[j].node];
			int similar = 1; /* one base key: equal names */
			if (ga != gc) {
				int added;
				long m = licit_hidx_put(&memo, (uint64_t)(ga < gc ? ga : gc) << 32 |
				                                   (ga < gc ? gc : ga), &added);
				if (m < 0 || LICIT_GROW(seen, seen_cap, (size_t)m + 1) != LICIT_OK)
					goto out;
				if (added)
					seen[m] = licit_similar_name(bbuf + base[bl[i].node],
					                             bbuf + base[bl[j].node]) >= d->o.name_sim
					              ? 1 : 2;
				similar = seen[m] == 1;
			}
			if (similar)
				nunion(d, a, c, LEV_SIMILAR);
		}
	/* 4. one entity per root, in order of first appearance */
	for (size_t i = 0; i < n; i++)
		d->nentity[i] = -1;
	size_t ne = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t r = nfind(d->nparent, (int32_t)i);
		if (d->nentity[r] < 0)
			d->nentity[r] = (int32_t)ne++;
		head[i] = -1;
	}
	d->ents = calloc(ne + 1, sizeof *d->ents);
	if (!d->ents)
		goto out;
	d->nents = ne;
	for (size_t i = n; i-- > 0;) { /* members per entity, in node order */
		int32_t e = d->nentity[nfind(d->nparent, (int32_t)i)];
		next[i] = head[e];
		head[e] = (int32_t)i;
	}
	struct licit_map *ids = licit_map_new();
	struct spell *sp = NULL;
	size_t sp_cap = 0;
	if (!ids)
		goto out;
	for (size_t e = 0; e < ne; e++) {
		struct entity *en = &d->ents[e];
		int32_t root = nfind(d->nparent, head[e]);
		size_t ns = 0;
		for (int32_t i = head[e]; i >= 0; i = next[i]) {
			size_t nl;
			const char *nm = node_name(d, (size_t)i, &nl);
			en->rows += d->node_rows[i];
			size_t k = 0;
			while (k < ns && !(sp[k].len == nl && memcmp(sp[k].name, nm, nl) == 0))
				k++;
			if (k == ns) {
				if (LICIT_GROW(sp, sp_cap, ns + 1) != LICIT_OK)
					goto out_ids;
				sp[ns++] = (struct spell){nm, nl, 0, (size_t)i};
			}
			sp[k].rows += d->node_rows[i];
		}
		qsort(sp, ns, sizeof *sp, cmp_spell);
		size_t vl = 0;
		for (size_t k = 0; k < ns; k++)
			vl += sp[k].len + 3;
		en->variants = malloc(vl + 1);
		en->name = strndup(sp[0].name, sp[0].len);
		en->rfc = strdup(d->nrfc[root] >= 0 ? node_rfc(d, (size_t)d->nrfc[root]) : "");
		if (!en->variants || !en->name || !en->rfc)
			goto out_ids;
		char *w = en->variants;
		for (size_t k = 0; k < ns; k++) {
			if (k)
				w += sprintf(w, " | ");
			memcpy(w, sp[k].name, sp[k].len);
			w += sp[k].len;
		}
		*w = '\0';
		en->level = d->nlevel[root] ? d->nlevel[root] : (*en->rfc ? LEV_RFC : LEV_NAME);
		d->st.entity_rule[en->level]++;
		/* the id: the RFC, else the name key of the usual spelling */
		size_t il = *en->rfc ? strlen(en->rfc)
		                     : licit_name_key(en->name, strlen(en->name), key, sizeof key);
		if (*en->rfc)
			memcpy(key, en->rfc, il + 1);
		if (!il)
			il = (size_t)snprintf(key, sizeof key, "entity-%zu", e + 1);
		int added;
		long id = licit_map_put(ids, key, il, &added);
		for (int k = 2; id >= 0 && !added; k++) {
			char alt[1100];
			int al = snprintf(alt, sizeof alt, "%s~%d", key, k);
			id = licit_map_put(ids, alt, (size_t)al, &added);
		}
		if (id < 0 || !(en->id = strdup(licit_map_key(ids, (size_t)id, NULL))))
			goto out_ids;
	}
	d->st.entities = (long long)ne;
	rc = 0;
out_ids:
	free(sp);
	licit_map_free(ids);
out:
	free(base);
	free(next);
	free(head);
	free(rfc_first);
	free(grp);
	free(seen);
	licit_hidx_fini(&memo);
	free(bbuf);
	free(bl);
	licit_map_free(rfcs);
	licit_map_free(bases);
	return rc;
}

/* ---- fuzzy contract matching -------------------------------------------- */
struct cand {
	int32_t buyer, entity, currency;
	uint32_t row;
	double amount;
};

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->buyer != y->buyer)
		return x->buyer < y->buyer ? -1 : 1;
	if (x->entity != y->entity)
		return x->entity < y->entity ? -1 : 1;
	if (x->currency != y->currency)
		return x->currency < y->currency ? -1 : 1;
	if (x->amount != y->amount)
		return x->amount < y->amount ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* 1 with *score when rows i and j look like one contract. cid: per
 * cluster root, the contract id hash its rows carry (0 none, ~0 several). */
static int fuzzy_pair(const struct licit_dedupe *d, const uint64_t *cid, uint32_t i,
                      uint32_t j, double *score)
{
	const struct frow *a = &d->fr[i], *b = &d->fr[j];
	/* the publisher says these are two contracts; checked on the clusters
	 * so that a row without an id cannot chain two ids together */
	uint64_t ca = cid[find(d->parent, i)], cb = cid[find(d->parent, j)];
	if (!d->o.any_ids && ca && cb && (ca != cb || ca == ~0ULL))
		return 0;
	int common = 0;
	for (int k = 0; k < 4; k++)
		if (a->date[k] != INT32_MIN && b->date[k] != INT32_MIN) {
			long diff = (long)a->date[k] - b->date[k];
			if (diff > d->o.days || -diff > d->o.days)
				return 0;
			common++;
		}
	if (!common)
		return 0;
	double s = licit_similar_title(d->titles + a->title, d->titles + b->title);
	if (s < d->o.title_sim)
		return 0;
	*score = s;
	return 1;
}

static int fuzzy(struct licit_dedupe *d)
{
	struct cand *c = malloc((d->nrows + 1) * sizeof *c);
	uint64_t *cid = calloc(d->nrows + 1, sizeof *cid);
	if (!c || !cid) {
		free(c);
		free(cid);
		return -1;
	}
	for (size_t i = 0; i < d->nrows; i++) {
		uint64_t v = d->fr[i].contract, *r = &cid[find(d->parent, (uint32_t)i)];
		if (v)
			*r = !*r || *r == v ? v : ~0ULL;
	}
	size_t n = 0;
	for (size_t i = 0; i < d->nrows; i++) {
		const struct frow *f = &d->fr[i];
		if (!f->eligible)
			continue;
		c[n++] = (struct cand){f->buyer, d->nentity[nfind(d->nparent, f->node)],
		                       f->currency, (uint32_t)i, f->amount};
	}
	qsort(c, n, sizeof *c, cmp_cand);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n && j <= i + 1000; j++) {
			if (c[j].buyer != c[i].buyer || c[j].entity != c[i].entity ||
			    c[j].currency != c[i].currency)
				break;
			double hi = fmax(fabs(c[i].amount), fabs(c[j].amount));
			if (c[j].amount - c[i].amount > d->o.amount_tol * hi)
				break;
			if (find(d->parent, c[i].row) == find(d->parent, c[j].row))
				continue;
			d->st.fuzzy_pairs++;
			double s;
			if (fuzzy_pair(d, cid, c[i].row, c[j].row, &s)) {
				uint64_t ca = cid[find(d->parent, c[i].row)];
				uint64_t cb = cid[find(d->parent, c[j].row)];
				link_rows(d, c[i].row, c[j].row, LICIT_RULE_FUZZY, s);
				cid[find(d->parent, c[i].row)] = !ca ? cb : !cb || ca == cb ? ca : ~0ULL;
			}
		}
	free(c);
	free(cid);
	return 0;
}

int licit_dedupe_finish(struct licit_dedupe *d, struct licit_error *err)
{
	if (d->streaming) /* decisions were final as rows came */
		return LICIT_OK;
	/* the exact and key links are made: their sets are not needed again */
	licit_fpset_free(d->exact);
	licit_fpset_free(d->key);
	d->exact = d->key = NULL;
	if (d->o.entities && resolve_entities(d) < 0)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	if (d->o.level >= LICIT_DUP_FUZZY && fuzzy(d) < 0)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	/* clusters numbered by first appearance; the kept row of each */
	d->cl = malloc((d->nrows + 1) * sizeof *d->cl);
	d->keeprow = malloc((d->nrows + 2) * sizeof *d->keeprow);
	uint32_t *size = calloc(d->nrows + 2, sizeof *size);
	if (!d->cl || !d->keeprow || !size) {
		free(size);
		return licit_error_set(err, "", 0, NULL, "out of memory");
	}
	uint32_t ncl = 0;
	for (size_t i = 0; i < d->nrows; i++) {
		uint32_t r = find(d->parent, (uint32_t)i);
		if (r == i) {
			d->cl[i] = ++ncl;
			d->keeprow[ncl] = (uint32_t)i;
		} else {
			d->cl[i] = d->cl[r]; /* the root is the earliest row */
			uint32_t k = d->keeprow[d->cl[i]];
			if (d->o.keep == LICIT_KEEP_COMPLETE && d->filled[i] > d->filled[k])
				d->keeprow[d->cl[i]] = (uint32_t)i;
		}
		size[d->cl[i]]++;
	}
	for (uint32_t k = 1; k <= ncl; k++)
		d->st.clusters += size[k] > 1;
	for (size_t i = 0; i < d->nrows; i++) {
		uint32_t k = d->keeprow[d->cl[i]];
		if (d->parent[i] == i && k != i) {
			/* the kept row is not the first: it hands its label to the first */
			d->rule[i] = d->rule[k];
			d->score[i] = d->score[k];
			d->rule[k] = LICIT_RULE_NONE;
			d->score[k] = 0;
		}
	}
	for (size_t i = 0; i < d->nrows; i++)
		if (d->keeprow[d->cl[i]] != i)
			d->st.removed[d->rule[i]]++;
	free(size);
	return LICIT_OK;
}

void licit_dedupe_get(struct licit_dedupe *d, size_t i, struct licit_dup *m)
{
	memset(m, 0, sizeof *m);
	m->of = "";
	m->entity = "";
	if (d->streaming || i >= d->nrows)
		return;
	m->cluster = d->cl[i];
	uint32_t k = d->keeprow[m->cluster];
	m->kept = k == i;
	m->rule = (enum licit_dup_rule)d->rule[i];
	m->score = d->score[i];
	if (!m->kept) {
		snprintf(d->ofbuf, sizeof d->ofbuf, "%s:%ld",
		         licit_map_key(d->sources, (size_t)d->psrc[k], NULL), d->pline[k]);
		m->of = d->ofbuf;
	}
	if (d->o.entities && d->node[i] >= 0)
		m->entity = d->ents[d->nentity[nfind(d->nparent, d->node[i])]].id;
}

void licit_dedupe_stats(const struct licit_dedupe *d, struct licit_dedupe_stats *s)
{
	*s = d->st;
}

size_t licit_dedupe_nentities(const struct licit_dedupe *d) { return d->nents; }

void licit_dedupe_entity(struct licit_dedupe *d, size_t i, struct licit_entity *e)
{
	const struct entity *en = &d->ents[i];
	e->id = en->id;
	e->name = en->name;
	e->rfc = en->rfc;
	e->variants = en->variants;
	e->rows = en->rows;
	e->rule = level_names[en->level];
}
