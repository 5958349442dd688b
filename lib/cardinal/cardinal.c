/* Cardinal-compatible red-flag indicators over OCDS compiled releases:
 * the run (its results per group, each indicator's state) and the
 * table's dispatch, in Cardinal's orders (see indicators.h). */
#include "indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/cardinal/cardinal_summary.h"
#include "licit/core/array.h"

const struct card_ind *const card_table[LICIT_NIND] = {
	&card_r003, &card_r018, &card_r024, &card_r025, &card_r028, &card_r030,
	&card_r035, &card_r036, &card_r038, &card_r044, &card_r048, &card_r058};

/* Cardinal's order: each release through the indicators (its results
 * come out in the order they are first set) ... */
static const enum licit_cardinal_ind release_order[LICIT_NIND] = {
	LICIT_R024, LICIT_R058, LICIT_R003, LICIT_R018, LICIT_R028, LICIT_R030,
	LICIT_R035, LICIT_R036, LICIT_R025, LICIT_R038, LICIT_R048, LICIT_R044};
/* ... and the fences after the last one (its finalize order) */
static const enum licit_cardinal_ind settle_order[] = {LICIT_R024, LICIT_R025, LICIT_R038,
                                                        LICIT_R048, LICIT_R058};

const char *licit_cardinal_code(enum licit_cardinal_ind i) { return card_table[i]->code; }

int licit_cardinal_lookup(const char *code)
{
	for (int i = 0; i < LICIT_NIND; i++)
		if (strcmp(card_table[i]->code, code) == 0)
			return i;
	return -1;
}

int licit_cardinal_implemented(enum licit_cardinal_ind i)
{
	(void)i;
	return 1;
}

/* ---- the run ---------------------------------------------------------------- */

long card_frac_add(struct licit_cardinal *c, struct card_frac *f, const char *id, long num,
                   long den)
{
	if (!f->ids && !(f->ids = licit_map_new()))
		goto oom;
	long k = licit_map_put(f->ids, id, strlen(id), NULL);
	if (k < 0)
		goto oom;
	if ((size_t)k >= f->cap) { /* two arrays, one capacity */
		size_t cap = licit_grow_cap(f->cap, (size_t)k + 1, sizeof *f->num);
		if (!cap || licit_resize(&f->num, f->cap, cap, sizeof *f->num) != LICIT_OK ||
		    licit_resize(&f->den, f->cap, cap, sizeof *f->den) != LICIT_OK)
			goto oom;
		f->cap = cap;
	}
	f->num[k] += num;
	f->den[k] += den;
	return k;
oom:
	c->oom = 1;
	return -1;
}

void card_frac_free(struct card_frac *f)
{
	licit_map_free(f->ids);
	free(f->num);
	free(f->den);
}

struct licit_cardinal *licit_cardinal_new(const struct licit_cardinal_settings *s)
{
	struct licit_cardinal *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->s = s;
	licit_arena_init(&c->prepared, 1 << 16);
	if (s->map && !(c->maps = licit_cardinal_maps_new()))
		goto fail;
	if (s->summary && !(c->summary = licit_cardinal_summary_new()))
		goto fail;
	for (int i = 0; i < NGROUPS; i++)
		if (!(c->g[i].ids = licit_map_new()))
			goto fail;
	if (s->currency && !(c->currency = strdup(s->currency)))
		goto fail;
	for (int i = 0; i < LICIT_NIND; i++) {
		const struct card_ind *ind = card_table[i];
		if (ind->state && !(c->state[i] = calloc(1, ind->state)))
			goto fail;
		if (s->enabled[i])
			c->gathered[ind->shares >= 0 ? ind->shares : i] = 1;
	}
	for (int i = 0; i < LICIT_NIND; i++) /* a sharer reads its owner's state */
		if (card_table[i]->shares >= 0)
			c->state[i] = c->state[card_table[i]->shares];
	return c;
fail:
	licit_cardinal_free(c);
	return NULL;
}

void licit_cardinal_free(struct licit_cardinal *c)
{
	if (!c)
		return;
	licit_arena_fini(&c->prepared);
	licit_cardinal_maps_free(c->maps);
	licit_cardinal_summary_free(c->summary);
	for (int i = 0; i < NGROUPS; i++) {
		licit_map_free(c->g[i].ids);
		free(c->g[i].val);
	}
	for (int i = 0; i < LICIT_NIND; i++) {
		const struct card_ind *ind = card_table[i];
		if (ind->shares >= 0 || !c->state[i])
			continue;
		if (ind->fini)
			ind->fini(c->state[i]);
		free(c->state[i]);
	}
	free(c->currency);
	free(c);
}

void card_map_add(struct licit_cardinal *c, enum licit_cmap which, const char *ocid,
                  const char *id)
{
	if (c->maps && licit_cardinal_maps_add(c->maps, which, ocid, id) < 0)
		c->oom = 1;
}

void card_set_result(struct licit_cardinal *c, int group, const char *id,
                     enum licit_cardinal_ind ind, double v)
{
	struct card_group *g = &c->g[group];
	int added;
	long k = licit_map_put(g->ids, id, strlen(id), &added);
	if (k < 0) {
		c->oom = 1;
		return;
	}
	if (LICIT_GROW(g->val, g->cap, ((size_t)k + 1) * LICIT_NIND) != LICIT_OK) {
		c->oom = 1;
		return;
	}
	if (added)
		for (int i = 0; i < LICIT_NIND; i++)
			g->val[(size_t)k * LICIT_NIND + i] = NAN;
	g->val[(size_t)k * LICIT_NIND + ind] = v;
}

/* --map: every submitted bid's tenderers, per process */
static void map_tenderers(struct licit_cardinal *c, const struct card_release *r)
{
	size_t i, j;
	const J *bid, *t;
	licit_json_foreach(r->details, i, bid) {
		const J *tenderers = card_is_submitted(bid) ? card_arr(bid, "tenderers") : NULL;
		if (tenderers)
			licit_json_foreach(tenderers, j, t) {
				const char *id = card_str(t, "id");
				if (id)
					card_map_add(c, LICIT_MAP_TENDERER, r->ocid, id);
			}
	}
}

void licit_cardinal_release(struct licit_cardinal *c, const J *release)
{
	const char *ocid = card_str(release, "ocid");
	if (!ocid)
		return;
	struct card_release r;
	card_release_view(&r, release, ocid);
	const char *st = r.tender ? card_str(r.tender, "status") : NULL;
	static const struct licit_strset none = {0};
	if ((st && strcmp(st, "cancelled") == 0) ||
	    !card_matches_details(&r, &none, &c->s->exclude_method_details))
		return;
	const int *on = c->s->enabled;
	if (c->summary)
		licit_cardinal_summary_take(c->summary, on, release);
	for (int k = 0; k < LICIT_NIND; k++) {
		enum licit_cardinal_ind i = release_order[k];
		const struct card_ind *ind = card_table[i];
		if (ind->gather && c->gathered[i])
			ind->gather(c, c->state[i], &r);
		if (ind->eval && on[i])
			ind->eval(c, c->state[i], &r);
	}
	if (c->maps && (on[LICIT_R025] || on[LICIT_R038] || on[LICIT_R048]))
		map_tenderers(c, &r);
}

void licit_cardinal_finish(struct licit_cardinal *c)
{
	for (size_t k = 0; k < sizeof settle_order / sizeof *settle_order; k++) {
		enum licit_cardinal_ind i = settle_order[k];
		if (c->s->enabled[i] && card_table[i]->settle) {
			card_table[i]->settle(c, c->state[i]);
			c->settled[i] = 1;
		}
	}
}
