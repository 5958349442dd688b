/* Bid-protest statistics: protests per group divided by the distinct
 * procedures of the same entity / buying unit / year. */
#include "protest_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/record/schema.h"
#include "licit/core/stats.h"
#include "licit/values/value.h"

/* ---- ids as 64-bit hashes -------------------------------------------------
 * Ten million procedure ids must fit comfortably: storing the strings in a
 * licit_map costs ~80 bytes per id, a 64-bit hash in a licit_hidx 16-32
 * (12-byte slots at load 0.375-0.75). Two different ids share a hash with
 * probability ~n^2/2^65 (about 3e-6 for 10 million ids): a negligible
 * miscount, stated in the man page. */

/* ---- keys ---------------------------------------------------------------- */

static const char *const key_names[LICIT_PKEY_N] = {"entity_id", "buyer_id", "year",
                                                    "stage", "outcome"};

int licit_protest_key_parse(const char *name)
{
	for (int k = 0; k < LICIT_PKEY_N; k++)
		if (strcmp(name, key_names[k]) == 0)
			return k;
	return -1;
}

const char *licit_protest_key_name(enum licit_protest_key k)
{
	return (unsigned)k < LICIT_PKEY_N ? key_names[k] : "";
}

static int is_den_key(enum licit_protest_key k)
{
	return k == LICIT_PKEY_ENTITY || k == LICIT_PKEY_BUYER || k == LICIT_PKEY_YEAR;
}

/* ---- measures ------------------------------------------------------------ */

static void put(struct licit_protest_measure *m, size_t *n, const char *name,
                enum licit_measure_kind kind, double value, double num, double den)
{
	m[*n] = (struct licit_protest_measure){name, kind, value, num, den};
	(*n)++;
}

static void count(struct licit_protest_measure *m, size_t *n, const char *name, double v)
{
	put(m, n, name, LICIT_MEASURE_COUNT, v, NAN, NAN);
}

/* num / den; empty (NAN) when den is unknown (NAN) or 0. */
static void ratio(struct licit_protest_measure *m, size_t *n, const char *name,
                  double num, double den)
{
	double v = isnan(den) || den <= 0 ? NAN : num / den;
	put(m, n, name, LICIT_MEASURE_RATIO, v, num, den);
}

size_t licit_protest_measures(const struct licit_protest_counts *c, unsigned opts,
                              struct licit_protest_measure *out)
{
	size_t n = 0;
	double procs = c->have_procedures ? (double)c->procedures : NAN;
	double comp = c->have_procedures && c->have_types ? (double)c->competitive : NAN;
	count(out, &n, "protests", (double)c->protests);
	count(out, &n, "protested_procedures", (double)c->protested);
	count(out, &n, "procedures", procs);
	count(out, &n, "competitive_procedures", comp);
	count(out, &n, "unmatched_protests", c->have_procedures ? (double)c->unmatched : NAN);
	ratio(out, &n, "protest_rate", (double)c->rated_protests, procs);
	ratio(out, &n, "protested_share", (double)c->rated_protested, procs);
	ratio(out, &n, "protest_rate_competitive", (double)c->rated_comp_protests, comp);
	ratio(out, &n, "dismissed_share", (double)c->dismissed, (double)c->outcome_known);
	ratio(out, &n, "founded_share_of_examined", (double)c->founded,
	      (double)(c->founded + c->unfounded));
	ratio(out, &n, "award_stage_share", (double)c->award, (double)c->stage_known);
	ratio(out, &n, "founded_award_stage_share", (double)c->founded_award,
	      (double)c->founded_stage_known);
	ratio(out, &n, "withdrawn_share", (double)c->withdrawn, (double)c->outcome_known);
	ratio(out, &n, "pending_share", (double)c->pending, (double)c->outcome_known);
	put(out, &n, "median_days_to_resolve", LICIT_MEASURE_DAYS,
	    c->n_days > 0 ? c->median_days : NAN, NAN, (double)c->n_days);
	if (opts & LICIT_PM_CHANGE) {
		double first = c->first_year_protests >= 0 ? (double)c->first_year_protests : NAN;
		ratio(out, &n, "change_from_first", (double)c->protests - first, first);
	}
	if (opts & LICIT_PM_MEAN) {
		double ne = c->n_entities >= 0 ? (double)c->n_entities : NAN;
		ratio(out, &n, "mean_entity_protest_rate",
		      c->n_entities >= 0 ? c->sum_entity_rates : NAN, ne);
	}
	return n;
}

/* ---- counts per (index, entity) pairs -------------------------------------- */

static void pairs_fini(struct pairs *p)
{
	licit_map_free(p->m);
	free(p->n);
	free(p->buf);
}

static const char *pair_key(struct pairs *p, long idx, const char *entity, size_t *len)
{
	size_t el = strlen(entity);
	if (p->bufcap < sizeof idx + el + 1) {
		size_t cap = sizeof idx + el + 64;
		char *b = realloc(p->buf, cap);
		if (!b)
			return NULL;
		p->buf = b;
		p->bufcap = cap;
	}
	memcpy(p->buf, &idx, sizeof idx);
	memcpy(p->buf + sizeof idx, entity, el);
	*len = sizeof idx + el;
	return p->buf;
}

static int pair_add(struct pairs *p, long idx, const char *entity)
{
	size_t len;
	const char *key = pair_key(p, idx, entity, &len);
	if (!p->m && !(p->m = licit_map_new()))
		return -1;
	long k = key ? licit_map_put(p->m, key, len, NULL) : -1;
	if (k < 0)
		return -1;
	if (LICIT_GROW(p->n, p->cap, (size_t)k + 1) != LICIT_OK)
		return -1;
	p->n[k]++;
	return 0;
}

struct licit_protest_stats *licit_protest_stats_new(const enum licit_protest_key *keys,
                                                    size_t nkeys, struct licit_error *err)
{
	if (nkeys == 0 || nkeys > LICIT_PKEY_N) {
		licit_error_set(err, "", 0, NULL, "give between 1 and %d grouping keys",
		                LICIT_PKEY_N);
		return NULL;
	}
	for (size_t i = 0; i < nkeys; i++)
		for (size_t j = 0; j < i; j++)
			if (keys[i] == keys[j]) {
				licit_error_set(err, "", 0, NULL, "grouping key '%s' given twice",
				                key_names[keys[i]]);
				return NULL;
			}
	struct licit_protest_stats *s = calloc(1, sizeof *s);
	if (!s)
		goto oom;
	s->nkeys = nkeys;
	s->den_only = 1;
	s->year_den = -1;
	s->merged_procs = -1;
	for (size_t i = 0, nd = 0; i < nkeys; i++) {
		s->keys[i] = keys[i];
		s->den_only &= is_den_key(keys[i]);
		if (keys[i] == LICIT_PKEY_YEAR)
			s->year_den = (int)nd;
		nd += is_den_key(keys[i]);
	}
	licit_arena_init(&s->arena, 1 << 16);
	s->den = licit_map_new();
	s->groups = licit_map_new();
	s->ent = licit_map_new();
	if (!s->den || !s->groups || !s->ent)
		goto oom;
	for (int i = 0; i < LICIT_P_NFIELDS; i++)
		s->col[i] = -1;
	for (int i = 0; i < LICIT_NFIELDS; i++)
		s->pcols.col[i] = -1;
	return s;
oom:
	licit_protest_stats_free(s);
	licit_error_set(err, "", 0, NULL, "out of memory");
	return NULL;
}

void licit_protest_stats_free(struct licit_protest_stats *s)
{
	if (!s)
		return;
	licit_hidx_fini(&s->procs);
	free(s->comp);
	free(s->pden);
	free(s->pent);
	free(s->prows);
	free(s->pcomp);
	free(s->kept);
	licit_hidx_fini(&s->protested);
	licit_hidx_fini(&s->all_protested);
	licit_hidx_fini(&s->rated_protested);
	licit_hidx_fini(&s->ids);
	licit_map_free(s->den);
	free(s->den_procs);
	free(s->den_comp);
	free(s->den_used);
	if (s->groups)
		for (size_t i = 0; i < licit_map_count(s->groups); i++)
			licit_dvec_fini(&s->g[i].days);
	licit_map_free(s->groups);
	free(s->g);
	licit_map_free(s->ent);
	free(s->ent_protests);
	free(s->ent_procs);
	pairs_fini(&s->den_ent);
	pairs_fini(&s->group_ent);
	licit_dvec_fini(&s->all_days);
	free(s->order);
	free(s->kbuf);
	free(s->dbuf);
	licit_arena_fini(&s->arena);
	free(s);
}

/* The index of a key in the denominator map, its arrays grown. */
long protest_den_put(struct licit_protest_stats *s, const char *key, size_t len)
{
	long d = licit_map_put(s->den, key, len, NULL);
	if (d < 0)
		return -1;
	if ((size_t)d >= s->den_cap) {
		size_t cap = licit_grow_cap(s->den_cap, (size_t)d + 1, sizeof *s->den_procs);
		if (!cap || licit_resize(&s->den_procs, s->den_cap, cap, sizeof *s->den_procs) ||
		    licit_resize(&s->den_comp, s->den_cap, cap, sizeof *s->den_comp) ||
		    licit_resize(&s->den_used, s->den_cap, cap, 1))
			return -1;
		s->den_cap = cap;
	}
	return d;
}

long protest_ent_put(struct licit_protest_stats *s, const char *e)
{
	long k = licit_map_put(s->ent, e, strlen(e), NULL);
	if (k < 0)
		return -1;
	if ((size_t)k >= s->ent_cap) {
		size_t cap = licit_grow_cap(s->ent_cap, (size_t)k + 1, sizeof *s->ent_procs);
		if (!cap || licit_resize(&s->ent_protests, s->ent_cap, cap, sizeof *s->ent_protests) ||
		    licit_resize(&s->ent_procs, s->ent_cap, cap, sizeof *s->ent_procs))
			return -1;
		s->ent_cap = cap;
	}
	return k;
}

/* Joins values with US (0x1f) into s->kbuf (or s->dbuf). */
static const char *join(struct licit_protest_stats *s, char **buf, const char *const *v,
                        size_t n, size_t *len)
{
	size_t need = 1;
	for (size_t i = 0; i < n; i++)
		need += strlen(v[i]) + 1;
	if (need > s->kcap || !*buf) {
		size_t cap = need < 256 ? 256 : need * 2;
		char *k = realloc(s->kbuf, cap), *d = k ? realloc(s->dbuf, cap) : NULL;
		if (k)
			s->kbuf = k;
		if (d)
			s->dbuf = d;
		if (!k || !d)
			return NULL;
		s->kcap = cap;
	}
	char *p = *buf;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i]);
		if (i)
			*p++ = '\x1f';
		memcpy(p, v[i], l);
		p += l;
	}
	*p = '\0';
	*len = (size_t)(p - *buf);
	return *buf;
}

static int oom(struct licit_error *err)
{
	return licit_error_set(err, "", 0, NULL, "out of memory");
}

/* YYYY of an ISO date, or "" when the value is not a date. */
static void year_of(const char *iso, char year[5])
{
	long d;
	year[0] = '\0';
	if (iso[0] && licit_date_days(iso, &d) == 0) {
		memcpy(year, iso, 4);
		year[4] = '\0';
	}
}

/* ---- procedures ----------------------------------------------------------- */

int licit_protest_stats_bind_procedures(struct licit_protest_stats *s,
                                        const struct licit_reader *r,
                                        licit_diag_fn fn, void *ctx,
                                        struct licit_error *err)
{
	licit_cols_bind(&s->pcols, r);
	const char *src = licit_reader_source(r);
	s->source = src;
	if (s->pcols.col[LICIT_F_PROCEDURE_ID] < 0)
		return licit_error_set(err, src, 1, "procedure_id",
		                       "missing column 'procedure_id' (procedures must be "
		                       "canonical contract records: licit normalise)");
	for (size_t i = 0; i < s->nkeys; i++) {
		if (s->keys[i] == LICIT_PKEY_ENTITY && s->pcols.col[LICIT_F_ENTITY_ID] < 0)
			return licit_error_set(err, src, 1, "entity_id",
			                       "missing column 'entity_id', needed by --by");
		if (s->keys[i] == LICIT_PKEY_BUYER && s->pcols.col[LICIT_F_BUYER_ID] < 0)
			return licit_error_set(err, src, 1, "buyer_id",
			                       "missing column 'buyer_id', needed by --by");
		if (s->keys[i] == LICIT_PKEY_YEAR && s->pcols.col[LICIT_F_TENDER_START] < 0 &&
		    s->pcols.col[LICIT_F_AWARD_DATE] < 0 && s->pcols.col[LICIT_F_SIGNED_DATE] < 0)
			return licit_error_set(err, src, 1, "tender_start",
			                       "no date column (tender_start, award_date, "
			                       "signed_date) to give procedures a year");
	}
	if (s->pcols.col[LICIT_F_PROCEDURE_TYPE] < 0) {
		s->no_types = 1;
		licit_diag(fn, ctx, LICIT_WARNING, src, 1, "procedure_type", NULL,
		           "no procedure_type column: competitive procedures unknown, their "
		           "rates left empty");
	}
	return LICIT_OK;
}

static int competitive(const char *t)
{
	return strcmp(t, "open") == 0 || strcmp(t, "selective") == 0 ||
	       strcmp(t, "limited") == 0;
}

int protest_proc_grow(struct licit_protest_stats *s, long p)
{
	if ((size_t)p < s->p_cap)
		return LICIT_OK;
	size_t cap = licit_grow_cap(s->p_cap, (size_t)p + 1, sizeof *s->pden);
	if (!cap || licit_resize(&s->comp, s->p_cap, cap, 1) ||
	    licit_resize(&s->pden, s->p_cap, cap, sizeof *s->pden) ||
	    licit_resize(&s->pent, s->p_cap, cap, sizeof *s->pent) ||
	    licit_resize(&s->prows, s->p_cap, cap, sizeof *s->prows) ||
	    licit_resize(&s->pcomp, s->p_cap, cap, sizeof *s->pcomp))
		return LICIT_ERR;
	s->p_cap = cap;
	return LICIT_OK;
}

/* byte order of two map keys */
static int key_cmp(const struct licit_map *m, long a, long b)
{
	if (a == b)
		return 0;
	size_t la, lb;
	const char *x = licit_map_key(m, (size_t)a, &la), *y = licit_map_key(m, (size_t)b, &lb);
	int c = memcmp(x, y, la < lb ? la : lb);
	return c ? c : (la > lb) - (la < lb);
}

/* Two map keys of US-joined values, value by value: the smaller value
 * in byte order first, an empty value after any other. */
static int values_cmp(const struct licit_map *m, long a, long b)
{
	if (a == b)
		return 0;
	const char *x = licit_map_key(m, (size_t)a, NULL), *y = licit_map_key(m, (size_t)b, NULL);
	for (;;) {
		size_t lx = strcspn(x, "\x1f"), ly = strcspn(y, "\x1f");
		if (lx != ly || memcmp(x, y, lx) != 0) {
			if (!lx || !ly)
				return lx ? -1 : 1;
			int c = memcmp(x, y, lx < ly ? lx : ly);
			return c ? c : (lx > ly) - (lx < ly);
		}
		if (!x[lx] || !y[ly])
			return (x[lx] != 0) - (y[ly] != 0);
		x += lx + 1;
		y += ly + 1;
	}
}

/* The row that counts for a procedure does not depend on the order of
 * its rows (nor on how they were cut into shards): of its rows, the one
 * with the smallest grouping values (entity_id, buyer_id, year, as the
 * grouping uses them; an empty value after any other), then the smallest
 * entity_id (the same way), then a competitive one. */
void protest_proc_take(struct licit_protest_stats *s, long p, int added, long d, long e, int c,
                       uint32_t rows, uint32_t comp_rows)
{
	if (!added) {
		s->prows[p] += rows;
		s->pcomp[p] += comp_rows;
		int k = values_cmp(s->den, d, (long)s->pden[p]);
		if (!k)
			k = values_cmp(s->ent, e, (long)s->pent[p]);
		if (k > 0 || (k == 0 && c <= s->comp[p]))
			return;
	} else {
		s->prows[p] = rows;
		s->pcomp[p] = comp_rows;
	}
	s->pden[p] = (uint32_t)d;
	s->pent[p] = (uint32_t)e;
	s->comp[p] = (unsigned char)c;
}

int licit_protest_stats_procedure(struct licit_protest_stats *s,
                                  const struct licit_row *row,
                                  licit_diag_fn fn, void *ctx,
                                  struct licit_error *err)
{
	s->sum.procedure_rows++;
	const char *id = licit_get(row, &s->pcols, LICIT_F_PROCEDURE_ID);
	if (!id[0]) {
		s->sum.no_procedure_id++;
		return LICIT_OK;
	}
	int comp = competitive(licit_get(row, &s->pcols, LICIT_F_PROCEDURE_TYPE));
	int added;
	unsigned long long h = licit_hash(id, strlen(id));
	long p = licit_hidx_put(&s->procs, h, &added);
	if (p < 0 || protest_proc_grow(s, p) != LICIT_OK)
		return oom(err);

	const char *v[LICIT_PKEY_N];
	char year[5] = "";
	size_t nv = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		switch (s->keys[i]) {
		case LICIT_PKEY_ENTITY:
			v[nv++] = licit_get(row, &s->pcols, LICIT_F_ENTITY_ID);
			break;
		case LICIT_PKEY_BUYER:
			v[nv++] = licit_get(row, &s->pcols, LICIT_F_BUYER_ID);
			break;
		case LICIT_PKEY_YEAR: {
			static const enum licit_field dates[] = {
				LICIT_F_TENDER_START, LICIT_F_AWARD_DATE, LICIT_F_SIGNED_DATE};
			for (size_t d = 0; d < 3 && !year[0]; d++)
				year_of(licit_get(row, &s->pcols, dates[d]), year);
			if (!year[0] && added)
				licit_diag(fn, ctx, LICIT_WARNING, s->source, row->line, "tender_start",
				           id, "procedure without a date: no year");
			v[nv++] = year;
			break;
		}
		default:
			break;
		}
	}
	size_t len;
	const char *key = join(s, &s->dbuf, v, nv, &len);
	long d = key ? protest_den_put(s, key, len) : -1;
	long e = protest_ent_put(s, licit_get(row, &s->pcols, LICIT_F_ENTITY_ID));
	if (d < 0 || e < 0)
		return oom(err);
	protest_proc_take(s, p, added, d, e, comp, 1, (uint32_t)comp);
	return LICIT_OK;
}

/* The procedures' counts, once they are all read: per denominator, per
 * entity and per (denominator, entity), from the row that counts for
 * each procedure. */
static int seal(struct licit_protest_stats *s)
{
	if (s->sealed)
		return LICIT_OK;
	s->sealed = 1;
	for (size_t p = 0; p < s->procs.n; p++) {
		uint32_t d = s->pden[p], e = s->pent[p];
		int c = s->comp[p];
		s->den_procs[d]++;
		s->den_comp[d] += c;
		s->ent_procs[e]++;
		s->sum.procedures++;
		s->sum.competitive += c;
		s->sum.type_conflicts += c ? s->prows[p] - s->pcomp[p] : s->pcomp[p];
		if (s->year_den >= 0) {
			const char *k = licit_map_key(s->den, d, NULL);
			for (int i = 0; i < s->year_den && k; i++)
				if ((k = strchr(k, '\x1f')))
					k++;
			s->sum.procedures_no_year += !k || *k == '\x1f' || !*k;
		}
		if (pair_add(&s->den_ent, d, licit_map_key(s->ent, e, NULL)) < 0)
			return LICIT_ERR;
	}
	return LICIT_OK;
}

/* ---- protests ------------------------------------------------------------- */

int licit_protest_stats_bind_protests(struct licit_protest_stats *s,
                                      const struct licit_reader *r,
                                      struct licit_error *err)
{
	if (seal(s) != LICIT_OK)
		return oom(err);
	const char *const *names = licit_protest_field_names(NULL);
	for (int i = 0; i < LICIT_P_NFIELDS; i++)
		s->col[i] = licit_reader_col(r, names[i]);
	const char *src = licit_reader_source(r);
	s->source = src;
	if (s->col[LICIT_P_PROCEDURE_ID] < 0)
		return licit_error_set(err, src, 1, "procedure_id",
		                       "missing column 'procedure_id' (protests must be "
		                       "canonical: licit normalise --kind protests)");
	if (s->col[LICIT_P_PROTEST_ID] < 0 && s->col[LICIT_P_FILED_DATE] < 0 &&
	    s->col[LICIT_P_RESOLVED_DATE] < 0 && s->col[LICIT_P_STAGE] < 0 &&
	    s->col[LICIT_P_OUTCOME] < 0)
		return licit_error_set(err, src, 1, NULL,
		                       "no protest column (protest_id, filed_date, "
		                       "resolved_date, stage, outcome): not protest records");
	static const enum licit_protest_field need[LICIT_PKEY_N] = {
		LICIT_P_ENTITY_ID, LICIT_P_BUYER_ID, LICIT_P_FILED_DATE, LICIT_P_STAGE,
		LICIT_P_OUTCOME};
	for (size_t i = 0; i < s->nkeys; i++)
		if (s->col[need[s->keys[i]]] < 0)
			return licit_error_set(err, src, 1, names[need[s->keys[i]]],
			                       "missing column '%s', needed by --by %s",
			                       names[need[s->keys[i]]], key_names[s->keys[i]]);
	return LICIT_OK;
}

static const char *pget(const struct licit_protest_stats *s, const struct licit_row *row,
                        enum licit_protest_field f)
{
	int c = s->col[f];
	return c >= 0 && (size_t)c < row->n ? row->v[c] : "";
}

long protest_group_put(struct licit_protest_stats *s, const char *const *v)
{
	size_t len;
	const char *key = join(s, &s->kbuf, v, s->nkeys, &len);
	int added;
	long k = key ? licit_map_put(s->groups, key, len, &added) : -1;
	if (k < 0)
		return -1;
	if (!added)
		return k;
	if (LICIT_GROW(s->g, s->g_cap, (size_t)k + 1) != LICIT_OK)
		return -1;
	struct group *g = &s->g[k];
	memset(g, 0, sizeof *g);
	g->c.first_year_protests = -1;
	g->c.n_entities = -1;
	g->vals = licit_arena_alloc(&s->arena, (s->nkeys + 1) * sizeof *g->vals);
	if (!g->vals)
		return -1;
	const char *dv[LICIT_PKEY_N];
	size_t nd = 0;
	for (size_t i = 0; i < s->nkeys; i++) {
		g->vals[i] = licit_arena_strndup(&s->arena, v[i], strlen(v[i]));
		if (!g->vals[i])
			return -1;
		if (is_den_key(s->keys[i]))
			dv[nd++] = v[i];
	}
	g->vals[s->nkeys] = NULL;
	const char *dkey = join(s, &s->dbuf, dv, nd, &len);
	g->den = dkey ? protest_den_put(s, dkey, len) : -1;
	if (g->den < 0)
		return -1;
	s->den_used[g->den] = 1;
	return k;
}

static void tally(struct licit_protest_counts *c, enum licit_protest_stage st,
                  enum licit_protest_outcome oc, int matched, int comp)
{
	c->protests++;
	c->unmatched += !matched;
	c->comp_protests += comp;
	if (st != LICIT_STAGE_UNKNOWN) {
		c->stage_known++;
		c->award += st == LICIT_STAGE_AWARD;
	}
	if (oc != LICIT_OUTCOME_UNKNOWN) {
		c->outcome_known++;
		c->dismissed += oc == LICIT_OUTCOME_DISMISSED;
		c->unfounded += oc == LICIT_OUTCOME_UNFOUNDED;
		c->founded += oc == LICIT_OUTCOME_FOUNDED;
		c->withdrawn += oc == LICIT_OUTCOME_WITHDRAWN;
		c->pending += oc == LICIT_OUTCOME_PENDING;
	}
	if (oc == LICIT_OUTCOME_FOUNDED && st != LICIT_STAGE_UNKNOWN) {
		c->founded_stage_known++;
		c->founded_award += st == LICIT_STAGE_AWARD;
	}
}

static void bad(struct licit_protest_stats *s, licit_diag_fn fn, void *ctx,
                long line, const char *field, const char *value, const char *text)
{
	s->sum.bad_values++;
	licit_diag(fn, ctx, LICIT_WARNING, s->source, line, field, value, "%s", text);
}

int protest_check_id(struct licit_protest_stats *s, unsigned long long h, licit_diag_fn fn,
                     void *ctx, long line, const char *pid)
{
	int added;
	if (licit_hidx_put(&s->ids, h, &added) < 0)
		return LICIT_ERR;
	if (!added) {
		s->sum.duplicate_ids++;
		bad(s, fn, ctx, line, "protest_id", pid, "protest_id seen before: counted again");
	}
	return LICIT_OK;
}

int protest_keep(struct licit_protest_stats *s, const struct prec *q)
{
	if (LICIT_GROW(s->kept, s->kept_cap, s->nkept + 1) != LICIT_OK)
		return LICIT_ERR;
	s->kept[s->nkept++] = *q;
	return LICIT_OK;
}

/* A protest into the counts (the procedures are all in by now). */
static int apply(struct licit_protest_stats *s, const struct prec *q)
{
	s->sum.protests++;
	long p = q->has_proc ? licit_hidx_get(&s->procs, q->proc) : -1;
	int matched = p >= 0, comp = p >= 0 && s->comp[p];
	if (!q->has_proc)
		s->sum.no_procedure_id_protests++;
	if (!matched)
		s->sum.unmatched++;
	struct group *g = &s->g[q->g];
	int rated = s->den_procs[g->den] > 0;
	enum licit_protest_stage st = (enum licit_protest_stage)q->st;
	enum licit_protest_outcome oc = (enum licit_protest_outcome)q->oc;
	tally(&g->c, st, oc, matched, comp);
	tally(&s->total, st, oc, matched, comp);
	if (rated) {
		s->total.rated_protests++;
		s->total.rated_comp_protests += comp;
	}
	if (q->has_proc) {
		int added;
		unsigned long long pair = licit_mix64(q->proc ^ licit_mix64((unsigned long long)q->g + 1));
		if (licit_hidx_put(&s->protested, pair, &added) < 0)
			return LICIT_ERR;
		g->c.protested += added;
		if (licit_hidx_put(&s->all_protested, q->proc, &added) < 0)
			return LICIT_ERR;
		s->total.protested += added;
		if (rated) {
			if (licit_hidx_put(&s->rated_protested, q->proc, &added) < 0)
				return LICIT_ERR;
			s->total.rated_protested += added;
		}
	}
	if (q->days >= 0 && (licit_dvec_push(&g->days, (double)q->days) < 0 ||
	                     licit_dvec_push(&s->all_days, (double)q->days) < 0))
		return LICIT_ERR;
	if (pair_add(&s->group_ent, (long)q->g, licit_map_key(s->ent, q->ent, NULL)) < 0)
		return LICIT_ERR;
	s->ent_protests[q->ent]++;
	return LICIT_OK;
}

int licit_protest_stats_protest(struct licit_protest_stats *s,
                                const struct licit_row *row,
                                licit_diag_fn fn, void *ctx,
                                struct licit_error *err)
{
	struct prec q = {0};
	const char *pid = pget(s, row, LICIT_P_PROTEST_ID);
	if (pid[0]) {
		q.has_pid = 1;
		q.pid = licit_hash(pid, strlen(pid));
		if (protest_check_id(s, q.pid, fn, ctx, row->line, pid) != LICIT_OK)
			return oom(err);
	}
	const char *stage = pget(s, row, LICIT_P_STAGE);
	enum licit_protest_stage st = licit_protest_stage_parse(stage);
	if (stage[0] && st == LICIT_STAGE_UNKNOWN)
		bad(s, fn, ctx, row->line, "stage", stage,
		    "not call, clarification, opening, award, contract or other");
	const char *outcome = pget(s, row, LICIT_P_OUTCOME);
	enum licit_protest_outcome oc = licit_protest_outcome_parse(outcome);
	if (outcome[0] && oc == LICIT_OUTCOME_UNKNOWN)
		bad(s, fn, ctx, row->line, "outcome", outcome,
		    "not dismissed, unfounded, founded, withdrawn or pending");
	const char *filed = pget(s, row, LICIT_P_FILED_DATE);
	const char *resolved = pget(s, row, LICIT_P_RESOLVED_DATE);
	long fd = 0, rd = 0;
	int have_f = filed[0] && licit_date_days(filed, &fd) == 0 && strlen(filed) == 10;
	int have_r = resolved[0] && licit_date_days(resolved, &rd) == 0 && strlen(resolved) == 10;
	if (filed[0] && !have_f)
		bad(s, fn, ctx, row->line, "filed_date", filed, "not a YYYY-MM-DD date");
	if (resolved[0] && !have_r)
		bad(s, fn, ctx, row->line, "resolved_date", resolved, "not a YYYY-MM-DD date");
	if (have_f && have_r && rd < fd) {
		bad(s, fn, ctx, row->line, "resolved_date", resolved,
		    "resolved before it was filed: no time to resolve");
		have_r = 0;
	}
	char year[5] = "";
	if (have_f) {
		memcpy(year, filed, 4);
		year[4] = '\0';
	}
	const char *proc = pget(s, row, LICIT_P_PROCEDURE_ID);
	q.has_proc = proc[0] != '\0';
	q.proc = licit_hash(proc, strlen(proc));
	q.st = (unsigned char)st;
	q.oc = (unsigned char)oc;
	q.days = have_f && have_r ? (long long)(rd - fd) : -1;

	const char *v[LICIT_PKEY_N];
	for (size_t i = 0; i < s->nkeys; i++) {
		switch (s->keys[i]) {
		case LICIT_PKEY_ENTITY: v[i] = pget(s, row, LICIT_P_ENTITY_ID); break;
		case LICIT_PKEY_BUYER: v[i] = pget(s, row, LICIT_P_BUYER_ID); break;
		case LICIT_PKEY_YEAR: v[i] = year; break;
		case LICIT_PKEY_STAGE: v[i] = licit_protest_stage_name(st); break;
		case LICIT_PKEY_OUTCOME: v[i] = licit_protest_outcome_name(oc); break;
		default: v[i] = ""; break;
		}
	}
	long gi = protest_group_put(s, v);
	long e = protest_ent_put(s, pget(s, row, LICIT_P_ENTITY_ID));
	if (gi < 0 || e < 0)
		return oom(err);
	q.g = (uint32_t)gi;
	q.ent = (uint32_t)e;
	if ((s->keep ? protest_keep(s, &q) : apply(s, &q)) != LICIT_OK)
		return oom(err);
	return LICIT_OK;
}

void licit_protest_stats_keep(struct licit_protest_stats *s)
{
	s->keep = 1;
}

int licit_protest_stats_known_procedure(const struct licit_protest_stats *s,
                                        const char *procedure_id, size_t len)
{
	return len && licit_hidx_get(&s->procs, licit_hash(procedure_id, len)) >= 0;
}

/* ---- finishing ------------------------------------------------------------ */

/* byte order of two keys of sort_map (qsort has no context) */
static const struct licit_map *sort_map;
static int cmp_key(const void *a, const void *b)
{
	return key_cmp(sort_map, (long)*(const size_t *)a, (long)*(const size_t *)b);
}

/* The numbers 0..n-1 of m's keys in their byte order, so that sums of
 * doubles over them do not depend on the order keys were first seen. */
static size_t *sorted_keys(const struct licit_map *m, size_t n)
{
	size_t *o = malloc((n ? n : 1) * sizeof *o);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++)
		o[i] = i;
	sort_map = m;
	if (n)
		qsort(o, n, sizeof *o, cmp_key);
	return o;
}

/* mean_entity_protest_rate of every group: over the entities with
 * procedures in the group's denominator, the mean of (the entity's
 * protests in the group / its procedures there), summed in (group,
 * entity) byte order. */
static int entity_means(struct licit_protest_stats *s, size_t ng)
{
	size_t nd = licit_map_count(s->den);
	long long *nent = calloc(nd ? nd : 1, sizeof *nent);
	if (!nent)
		return -1;
	size_t npairs = s->den_ent.m ? licit_map_count(s->den_ent.m) : 0;
	for (size_t k = 0; k < npairs; k++) {
		long d;
		memcpy(&d, licit_map_key(s->den_ent.m, k, NULL), sizeof d);
		nent[d] += s->den_ent.n[k] > 0;
	}
	for (size_t i = 0; i < ng; i++) {
		s->g[i].c.n_entities = nent[s->g[i].den];
		s->g[i].c.sum_entity_rates = 0;
	}
	free(nent);
	size_t ngp = s->group_ent.m ? licit_map_count(s->group_ent.m) : 0;
	size_t *order = sorted_keys(s->group_ent.m, ngp);
	if (!order)
		return -1;
	for (size_t o = 0; o < ngp; o++) {
		size_t k = order[o], len;
		const char *key = licit_map_key(s->group_ent.m, k, &len);
		long gi;
		memcpy(&gi, key, sizeof gi);
		struct group *g = &s->g[gi];
		/* the same entity's procedures in the group's denominator */
		size_t dl;
		const char *dk = pair_key(&s->den_ent, g->den, key + sizeof gi, &dl);
		if (!dk) {
			free(order);
			return -1;
		}
		long j = s->den_ent.m ? licit_map_get(s->den_ent.m, dk, dl) : -1;
		if (j >= 0 && s->den_ent.n[j] > 0)
			g->c.sum_entity_rates += (double)s->group_ent.n[k] / (double)s->den_ent.n[j];
	}
	free(order);
	return 0;
}

/* Rows sort by their key values; vals is NULL-terminated so that the
 * comparison needs no context. */
static int cmp_rows(const void *a, const void *b)
{
	const char *const *x = (*(const struct group *const *)a)->vals;
	const char *const *y = (*(const struct group *const *)b)->vals;
	for (; *x; x++, y++) {
		int c = strcmp(*x, *y);
		if (c)
			return c;
	}
	return 0;
}

int licit_protest_stats_finish(struct licit_protest_stats *s, int with_procedures,
                               struct licit_error *err)
{
	if (seal(s) != LICIT_OK)
		return oom(err);
	for (size_t i = 0; i < s->nkept; i++)
		if (apply(s, &s->kept[i]) != LICIT_OK)
			return oom(err);
	s->nkept = 0;
	/* with only procedure-level keys, a group with procedures and no
	 * protest is a real 0 and must be listed (it weighs in averages) */
	if (s->den_only) {
		size_t nd = licit_map_count(s->den);
		for (size_t d = 0; d < nd; d++) {
			if (s->den_used[d] || !s->den_procs[d])
				continue;
			size_t len;
			const char *key = licit_map_key(s->den, d, &len);
			char *copy = licit_arena_strndup(&s->arena, key, len);
			const char *v[LICIT_PKEY_N];
			if (!copy)
				return oom(err);
			for (size_t i = 0; i < s->nkeys; i++) {
				v[i] = copy;
				char *us = strchr(copy, '\x1f');
				if (us) {
					*us = '\0';
					copy = us + 1;
				}
			}
			if (protest_group_put(s, v) < 0)
				return oom(err);
		}
	}
	size_t ng = licit_map_count(s->groups);
	s->order = malloc((ng ? ng : 1) * sizeof *s->order);
	if (!s->order)
		return oom(err);
	for (size_t i = 0; i < ng; i++) {
		struct group *g = &s->g[i];
		s->order[i] = i;
		g->c.have_procedures = with_procedures;
		g->c.have_types = !s->no_types;
		g->c.rated_protests = g->c.protests;
		g->c.rated_protested = g->c.protested;
		g->c.rated_comp_protests = g->c.comp_protests;
		g->c.procedures = s->den_procs[g->den];
		g->c.competitive = s->den_comp[g->den];
		g->c.n_days = (long long)g->days.n;
		g->c.median_days = licit_median(g->days.v, g->days.n);
		if (with_procedures && !g->c.procedures) {
			s->sum.groups_without_procedures++;
			s->sum.protests_without_procedures += g->c.protests;
		}
	}
	if (with_procedures && entity_means(s, ng) < 0)
		return oom(err);
	s->nrows = ng;
	struct group **byp = malloc((ng ? ng : 1) * sizeof *byp);
	if (!byp)
		return oom(err);
	for (size_t i = 0; i < ng; i++)
		byp[i] = &s->g[i];
	qsort(byp, ng, sizeof *byp, cmp_rows);
	for (size_t i = 0; i < ng; i++)
		s->order[i] = (size_t)(byp[i] - s->g);
	free(byp);

	/* change_from_first: against the earliest known year of the same
	 * other-key values */
	size_t ykey = s->nkeys;
	for (size_t i = 0; i < s->nkeys; i++)
		if (s->keys[i] == LICIT_PKEY_YEAR)
			ykey = i;
	if (ykey < s->nkeys) {
		struct licit_map *series = licit_map_new();
		size_t cap = ng ? ng : 1;
		const char **first_year = calloc(cap, sizeof *first_year);
		long long *first_n = calloc(cap, sizeof *first_n);
		long *which = malloc(cap * sizeof *which);
		if (!series || !first_year || !first_n || !which) {
			licit_map_free(series);
			free(first_year);
			free(first_n);
			free(which);
			return oom(err);
		}
		int failed = 0;
		for (size_t i = 0; i < ng && !failed; i++) {
			struct group *g = &s->g[i];
			const char *v[LICIT_PKEY_N];
			size_t nv = 0, len;
			for (size_t k = 0; k < s->nkeys; k++)
				if (k != ykey)
					v[nv++] = g->vals[k];
			const char *key = join(s, &s->kbuf, v, nv, &len);
			long sidx = key ? licit_map_put(series, key, len, NULL) : -1;
			which[i] = sidx;
			if (sidx < 0) {
				failed = 1;
				break;
			}
			const char *y = g->vals[ykey];
			if (y[0] && (!first_year[sidx] || strcmp(y, first_year[sidx]) < 0)) {
				first_year[sidx] = y;
				first_n[sidx] = g->c.protests;
			}
		}
		for (size_t i = 0; i < ng && !failed; i++)
			if (s->g[i].vals[ykey][0] && first_year[which[i]])
				s->g[i].c.first_year_protests = first_n[which[i]];
		licit_map_free(series);
		free(first_year);
		free(first_n);
		free(which);
		if (failed)
			return oom(err);
	}

	/* the pooled row */
	struct licit_protest_counts *t = &s->total;
	t->have_procedures = with_procedures;
	t->have_types = !s->no_types;
	t->procedures = s->sum.procedures;
	t->competitive = s->sum.competitive;
	t->n_days = (long long)s->all_days.n;
	t->median_days = licit_median(s->all_days.v, s->all_days.n);
	t->first_year_protests = -1;
	t->n_entities = -1;
	if (with_procedures) {
		t->n_entities = 0;
		t->sum_entity_rates = 0;
		size_t ne = licit_map_count(s->ent), *order = sorted_keys(s->ent, ne);
		if (!order)
			return oom(err);
		for (size_t o = 0; o < ne; o++) {
			size_t e = order[o];
			if (s->ent_procs[e] > 0) {
				t->n_entities++;
				t->sum_entity_rates += (double)s->ent_protests[e] / (double)s->ent_procs[e];
			}
		}
		free(order);
	}
	return LICIT_OK;
}

size_t licit_protest_stats_nrows(const struct licit_protest_stats *s)
{
	return s->nrows;
}

const char *const *licit_protest_stats_keys(const struct licit_protest_stats *s, size_t i)
{
	return (const char *const *)s->g[s->order[i]].vals;
}

const struct licit_protest_counts *licit_protest_stats_row(const struct licit_protest_stats *s,
                                                           size_t i)
{
	return &s->g[s->order[i]].c;
}

const struct licit_protest_counts *licit_protest_stats_total(const struct licit_protest_stats *s)
{
	return &s->total;
}

void licit_protest_stats_summary(const struct licit_protest_stats *s,
                                 struct licit_protest_summary *out)
{
	*out = s->sum;
	out->have_types = !s->no_types;
}
