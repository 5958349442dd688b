/* The report model over the canonical records: the kpi engine's figures
 * for every group (kept as licit kpi --long prints them), and beside
 * them, read from the same rows, the first rows behind each figure, the
 * suppliers table and the data-quality counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#include "licit/core/array.h"
#include "licit/flags/flags.h"
#include "licit/kpi/kpi.h"
#include "licit/protest/protest.h"
#include "licit/values/value.h"

const char *const rep_kpi_names[K_N] = {
	"contracts", "procedures", "amount", "suppliers",
	"share_open_count", "share_open_amount", "share_selective_count",
	"share_selective_amount", "share_limited_count", "share_limited_amount",
	"share_direct_count", "share_direct_amount", "mean_tenderers", "single_bid_rate",
	"top_supplier", "top_supplier_share", "hhi", "direct_over_cap", "currency",
};

static const char *const default_by[] = {"entity_id", "year"};

/* kpi's diagnostics: values it could not use are counted per field,
 * and everything goes on to the caller */
static void on_kpi_diag(void *ctx, const struct licit_diag *d)
{
	struct licit_report *r = ctx;
	if (d->value && d->line > 0 && d->field)
		rep_tally_add(&r->kpi_problems, d->field, strlen(d->field), 1);
	if (r->o.diag)
		r->o.diag(r->o.diag_ctx, d);
}

struct licit_report *licit_report_new(const struct licit_report_opts *o,
                                      struct licit_error *err)
{
	struct licit_report *r = calloc(1, sizeof *r);
	if (!r)
		goto oom;
	r->o = *o;
	if (!r->o.nby) {
		r->o.by = default_by;
		r->o.nby = 2;
	}
	if (r->o.max_rows <= 0)
		r->o.max_rows = LICIT_REPORT_ROWS;
	r->entity_by = -1;
	r->by = calloc(r->o.nby, sizeof *r->by);
	r->by_kind = calloc(r->o.nby, sizeof *r->by_kind);
	r->by_col = calloc(r->o.nby, sizeof *r->by_col);
	r->gmap = licit_map_new();
	r->sources = licit_map_new();
	r->smap = licit_map_new();
	r->all.keys = calloc(r->o.nby, sizeof *r->all.keys);
	if (!r->by || !r->by_kind || !r->by_col || !r->gmap || !r->sources || !r->smap ||
	    !r->all.keys)
		goto oom;
	for (size_t i = 0; i < r->o.nby; i++) {
		static const char *const derived[] = {"year", "quarter", "month"};
		if (!(r->by[i] = strdup(r->o.by[i])) || !(r->all.keys[i] = strdup("ALL")))
			goto oom;
		for (int d = 0; d < 3; d++)
			if (strcmp(r->by[i], derived[d]) == 0)
				r->by_kind[i] = d + 1;
		if (strcmp(r->by[i], "entity_id") == 0)
			r->entity_by = (int)i;
	}
	int ids[K_N];
	for (int i = 0; i < K_N; i++)
		ids[i] = licit_kpi_lookup(rep_kpi_names[i]);
	struct licit_kpi_opts ko = {
		.by = (const char *const *)r->by, .nby = r->o.nby, .kpis = ids, .nkpis = K_N,
		.cap = -1, .total = 1, .long_form = 1, .threads = r->o.threads,
		.diag = on_kpi_diag, .diag_ctx = r,
	};
	if (!(r->kpi = licit_kpi_new(&ko, err))) {
		licit_report_free(r);
		return NULL;
	}
	if (r->o.flags) {
		if (!(r->fl = licit_flags_new(r->o.flags, r->o.diag, r->o.diag_ctx, err))) {
			licit_report_free(r);
			return NULL;
		}
		licit_flags_set_text(r->fl, 1);
	}
	return r;
oom:
	licit_report_free(r);
	licit_error_set(err, NULL, 0, NULL, "out of memory");
	return NULL;
}

static void group_fini(struct rep_group *g, size_t nby)
{
	for (size_t i = 0; g->keys && i < nby; i++)
		free(g->keys[i]);
	free(g->keys);
	for (int k = 0; k < K_N; k++)
		for (int j = 0; j < 3; j++)
			free(g->fig[k].v[j]);
	for (int l = 0; l < L_N; l++)
		rep_list_fini(&g->list[l]);
}

void licit_report_free(struct licit_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ng; i++)
		group_fini(&r->g[i], r->o.nby);
	free(r->g);
	group_fini(&r->all, r->o.nby);
	for (size_t i = 0; r->by && i < r->o.nby; i++)
		free(r->by[i]);
	free(r->by);
	free(r->by_kind);
	free(r->by_col);
	licit_map_free(r->gmap);
	size_t ns = r->smap ? licit_map_count(r->smap) : 0;
	for (size_t i = 0; i < ns; i++)
		free(r->sup[i].name);
	free(r->sup);
	licit_map_free(r->smap);
	rep_tally_fini(&r->per_source);
	rep_tally_fini(&r->currencies);
	rep_tally_fini(&r->kpi_problems);
	rep_tally_fini(&r->issues);
	rep_tally_fini(&r->removed);
	licit_map_free(r->fl_ent);
	free(r->fl_counts);
	rep_tally_fini(&r->protest_rows);
	for (size_t i = 0; i < r->nrules; i++)
		rep_list_fini(&r->rules[i].rows);
	free(r->rules);
	if (r->cx_ready)
		licit_canon_free(&r->cx);
	licit_kpi_free(r->kpi);
	licit_flags_free(r->fl);
	licit_protest_stats_free(r->ps);
	licit_map_free(r->sources);
	free(r);
}

#define NEED                                                                              \
	(LICIT_NEED(LICIT_F_SIGNED_DATE) | LICIT_NEED(LICIT_F_AWARD_DATE) |                    \
	 LICIT_NEED(LICIT_F_START_DATE) | LICIT_NEED(LICIT_F_AMOUNT) |                         \
	 LICIT_NEED(LICIT_F_AMOUNT_MXN) | LICIT_NEED(LICIT_F_CURRENCY) |                       \
	 LICIT_NEED(LICIT_F_PROCEDURE_TYPE) | LICIT_NEED(LICIT_F_N_TENDERERS) |                \
	 LICIT_NEED(LICIT_F_TEST) | LICIT_NEED(LICIT_F_SOURCE_LINE))

int licit_report_bind(struct licit_report *r, const struct licit_reader *rd,
                      struct licit_error *err)
{
	if (licit_kpi_bind(r->kpi, rd, err) != LICIT_OK)
		return LICIT_ERR;
	for (size_t i = 0; i < r->o.nby; i++)
		r->by_col[i] = r->by_kind[i] ? -1 : licit_reader_col(rd, r->by[i]);
	if (!r->cx_ready) {
		if (licit_canon_init(&r->cx, rd, NEED) != LICIT_OK)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		r->cx_ready = 1;
	} else {
		struct licit_cols cols;
		licit_cols_bind(&cols, rd);
		licit_canon_bind(&r->cx, &cols);
	}
	if (r->fl)
		licit_flags_bind(r->fl, rd);
	return LICIT_OK;
}

/* A group key's value v put at buf + n (cap bytes in all), then a \x1f
 * when more follow; the key's new length. An overlong value is cut (the
 * key stays unique enough): room is kept for the separator and a NUL,
 * and a full key takes no more. */
static size_t key_put(char *buf, size_t cap, size_t n, const char *v, int more)
{
	size_t len = strlen(v), room = cap - n > 2 ? cap - n - 2 : 0;
	if (len > room)
		len = room;
	memcpy(buf + n, v, len);
	n += len;
	if (more && n + 1 < cap)
		buf[n++] = '\x1f';
	return n;
}

/* The row's group key, its values joined by \x1f, into buf. */
static size_t group_key(const struct licit_report *r, const struct licit_row *row,
                        const struct licit_canon *c, char *buf, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < r->o.nby; i++) {
		char d[48] = "";
		const char *v = d;
		if (r->by_kind[i] && c->year) {
			long y, m, day;
			licit_civil_from_days(c->date, &y, &m, &day);
			if (r->by_kind[i] == 1 && y >= 1000 && y <= 9999) /* the common case, without printf */
				d[0] = (char)('0' + y / 1000), d[1] = (char)('0' + y / 100 % 10),
				d[2] = (char)('0' + y / 10 % 10), d[3] = (char)('0' + y % 10), d[4] = '\0';
			else if (r->by_kind[i] == 1)
				snprintf(d, sizeof d, "%ld", y);
			else if (r->by_kind[i] == 2)
				snprintf(d, sizeof d, "%ld-Q%ld", y, (m + 2) / 3);
			else
				snprintf(d, sizeof d, "%ld-%02ld", y, m);
		} else if (!r->by_kind[i] && r->by_col[i] >= 0 && (size_t)r->by_col[i] < row->n) {
			v = row->v[r->by_col[i]];
		}
		n = key_put(buf, cap, n, v, i + 1 < r->o.nby);
	}
	buf[n] = '\0';
	return n;
}

static int group_new(struct licit_report *r, const char *key, struct rep_group **out)
{
	if (LICIT_GROW(r->g, r->gcap, r->ng + 1) != LICIT_OK)
		return LICIT_ERR;
	struct rep_group *g = &r->g[r->ng];
	if (!(g->keys = calloc(r->o.nby, sizeof *g->keys)))
		return LICIT_ERR;
	const char *p = key;
	for (size_t i = 0; i < r->o.nby; i++) {
		const char *e = strchr(p, '\x1f');
		size_t len = e && i + 1 < r->o.nby ? (size_t)(e - p) : strlen(p);
		if (!(g->keys[i] = strndup(p, len))) {
			group_fini(g, r->o.nby);
			memset(g, 0, sizeof *g);
			return LICIT_ERR;
		}
		p += len + (i + 1 < r->o.nby);
	}
	r->ng++;
	*out = g;
	return LICIT_OK;
}

static int supplier_add(struct licit_report *r, const struct licit_canon *c)
{
	if (!c->supplier_len)
		return LICIT_OK;
	int added = 0;
	long i = licit_map_put(r->smap, c->supplier, c->supplier_len, &added);
	if (i < 0 || LICIT_GROW(r->sup, r->scap, (size_t)i + 1) != LICIT_OK)
		return LICIT_ERR;
	struct rep_supplier *s = &r->sup[i];
	if (added) {
		const char *name = c->len[LICIT_F_SUPPLIER_NAME] ? c->text[LICIT_F_SUPPLIER_NAME]
		                                                 : c->supplier;
		if (!(s->name = strdup(name)))
			return LICIT_ERR;
	}
	s->contracts++;
	if (c->has_mxn)
		s->amount += c->mxn;
	return LICIT_OK;
}

int licit_report_add(struct licit_report *r, const struct licit_row *row,
                     struct licit_error *err)
{
	if (licit_kpi_add(r->kpi, row, err) != LICIT_OK)
		return LICIT_ERR;
	if (r->fl && licit_flags_gather(r->fl, row) < 0)
		return licit_flags_failed(err, NULL, 0);
	struct licit_canon c;
	if (licit_canon_load(&r->cx, row, &c) != LICIT_OK)
		goto oom;
	r->rows++;
	const char *src = c.text[LICIT_F_SOURCE];
	if (rep_tally_add(&r->per_source, src, c.len[LICIT_F_SOURCE], 1) < 0)
		goto oom;
	if (c.test == 1) { /* left out, as licit kpi leaves them out */
		r->test_rows++;
		return LICIT_OK;
	}
	const char *cur = c.len[LICIT_F_CURRENCY] ? c.text[LICIT_F_CURRENCY] : "MXN";
	if (rep_tally_add(&r->currencies, cur, strlen(cur), 1) < 0)
		goto oom;
	char key[1024];
	size_t klen = group_key(r, row, &c, key, sizeof key);
	int added = 0;
	long gi = licit_map_put(r->gmap, key, klen, &added);
	if (gi < 0)
		goto oom;
	struct rep_group *g = NULL;
	if (added) {
		if (group_new(r, key, &g) != LICIT_OK)
			goto oom;
	} else {
		g = &r->g[gi];
	}
	int l = c.ptype == LICIT_PT_OPEN        ? L_OPEN
	        : c.ptype == LICIT_PT_SELECTIVE ? L_SELECTIVE
	        : c.ptype == LICIT_PT_LIMITED   ? L_LIMITED
	        : c.ptype == LICIT_PT_DIRECT    ? L_DIRECT
	                                        : L_OTHER;
	struct rep_list *lists[4] = {&g->list[l], &r->all.list[l]};
	int nl = 2;
	if (c.n_tenderers == 1 && l <= L_LIMITED) {
		lists[nl++] = &g->list[L_SINGLE];
		lists[nl++] = &r->all.list[L_SINGLE];
	}
	int max = r->o.max_rows, keep = 0;
	for (int i = 0; i < nl; i++)
		keep |= lists[i]->n < (size_t)max;
	if (keep) { /* the row is one of the first behind a figure */
		const char *s = rep_source(r, src);
		char what[96];
		snprintf(what, sizeof what, "%.40s %s", c.text[LICIT_F_AMOUNT], cur);
		const char *id = c.text[LICIT_F_CONTRACT_ID], *who = c.text[LICIT_F_SUPPLIER_NAME];
		long long line = rep_row_line(&c, row);
		for (int i = 0; i < nl; i++)
			if (!s || rep_list_add(lists[i], max, s, line, id, what, who) != LICIT_OK)
				goto oom;
	} else {
		for (int i = 0; i < nl; i++)
			lists[i]->total++;
	}
	if (supplier_add(r, &c) != LICIT_OK)
		goto oom;
	return LICIT_OK;
oom:
	return licit_error_set(err, NULL, 0, NULL, "out of memory");
}

void licit_report_counts(const struct licit_report *r, long long *rows, long long *test_rows)
{
	*rows = r->rows;
	*test_rows = r->test_rows;
}

/* ---- the kpi engine's figures ---- */

/* The groups as the kpi engine writes them (its order, the ALL row
 * last), before they are matched to the rows' groups. */
struct capture {
	struct licit_report *r;
	struct rep_group *g;
	size_t n, cap;
	int bad;
};

static int take(void *ctx, const char *const *v)
{
	struct capture *cp = ctx;
	size_t nby = cp->r->o.nby;
	int k = -1;
	for (int i = 0; i < K_N; i++)
		if (strcmp(v[nby], rep_kpi_names[i]) == 0)
			k = i;
	if (k < 0)
		return 0;
	if (k == 0) { /* each group's KPIs come together, contracts first */
		if (LICIT_GROW(cp->g, cp->cap, cp->n + 1) != LICIT_OK ||
		    !(cp->g[cp->n].keys = calloc(nby, sizeof(char *))))
			return cp->bad = -1;
		cp->n++;
		for (size_t i = 0; i < nby; i++)
			if (!(cp->g[cp->n - 1].keys[i] = strdup(v[i])))
				return cp->bad = -1;
	}
	if (!cp->n)
		return 0;
	struct rep_fig *f = &cp->g[cp->n - 1].fig[k];
	for (int j = 0; j < 3; j++)
		if (!f->v[j] && !(f->v[j] = strdup(v[nby + 1 + j])))
			return cp->bad = -1;
	cp->g[cp->n - 1].have_fig = 1;
	return 0;
}

static void move_figs(struct rep_group *to, struct rep_group *from)
{
	memcpy(to->fig, from->fig, sizeof to->fig);
	memset(from->fig, 0, sizeof from->fig);
	to->have_fig = 1;
}

/* The groups in kpi's order, each with its figures and its rows. */
static int match(struct licit_report *r, struct capture *cp)
{
	size_t nby = r->o.nby;
	struct rep_group *g = calloc(cp->n ? cp->n : 1, sizeof *g);
	if (!g)
		return LICIT_ERR;
	char key[1024];
	for (size_t i = 0; i + 1 < cp->n; i++) {
		size_t n = 0;
		for (size_t j = 0; j < nby; j++) /* as group_key made it */
			n = key_put(key, sizeof key, n, cp->g[i].keys[j], j + 1 < nby);
		long gi = licit_map_get(r->gmap, key, n);
		if (gi >= 0) { /* the rows' group: its lists */
			memcpy(g[i].list, r->g[gi].list, sizeof g[i].list);
			memset(r->g[gi].list, 0, sizeof r->g[gi].list);
		}
		g[i].keys = cp->g[i].keys;
		cp->g[i].keys = NULL;
		move_figs(&g[i], &cp->g[i]);
	}
	if (cp->n)
		move_figs(&r->all, &cp->g[cp->n - 1]);
	/* groups of rows the kpi engine did not write (none, in practice) */
	for (size_t i = 0; i < r->ng; i++)
		group_fini(&r->g[i], nby);
	free(r->g);
	r->g = g;
	r->ng = cp->n ? cp->n - 1 : 0;
	r->gcap = cp->n ? cp->n : 1;
	return LICIT_OK;
}

int licit_report_finish(struct licit_report *r, struct licit_error *err)
{
	if (licit_kpi_finish(r->kpi, err) != LICIT_OK)
		return LICIT_ERR;
	r->undated = licit_kpi_undated(r->kpi);
	struct capture cp = {.r = r};
	int rc = licit_kpi_write(r->kpi, take, &cp) != 0 || cp.bad ? LICIT_ERR : match(r, &cp);
	for (size_t i = 0; i < cp.n; i++)
		group_fini(&cp.g[i], r->o.nby);
	free(cp.g);
	if (rc != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (size_t i = 0, k = 0; r->rules && i < licit_flags_nrules(r->fl); i++) {
		long long c[3];
		if (licit_flags_rule(r->fl, i, c) && k < r->nrules)
			memcpy(r->rules[k++].counts, c, sizeof c);
	}
	if (r->ps && licit_protest_stats_finish(r->ps, r->have_procedures, err) != LICIT_OK)
		return LICIT_ERR;
	return LICIT_OK;
}
