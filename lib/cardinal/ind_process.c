/* Indicators raised by one contracting process alone (see indicators.h):
 * R003 R018 R028 R030 R035 R036 R044. */
#include "indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/cardinal/cardinal_r044.h"
#include "licit/values/value.h"

const struct licit_cardinal_param card_no_params[] = {CARD_PARAMS_END};

/* R003: a short submission period */
static void r003(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	const J *period = r->tender ? card_obj(r->tender, "tenderPeriod") : NULL;
	const char *sd = period ? card_str(period, "startDate") : NULL;
	const char *ed = period ? card_str(period, "endDate") : NULL;
	double s, e;
	if (!sd || !ed || !card_matches_method(r, &c->s->r003_methods) ||
	    licit_rfc3339_seconds(sd, &s) || licit_rfc3339_seconds(ed, &e))
		return;
	double dur = trunc((e - s) / 86400.0); /* chrono's num_days truncates */
	long threshold = c->s->r003_threshold;
	const char *details = r->method_details;
	for (size_t i = 0; details && i < c->s->r003_ndetails; i++)
		if (strcmp(c->s->r003_details[i], details) == 0)
			threshold = c->s->r003_details_days[i];
	if (dur < (double)threshold)
		card_set_result(c, G_OCID, r->ocid, LICIT_R003, 1.0);
}

static const struct licit_cardinal_param r003_params[] = {
	CARD_PARAM("threshold", LICIT_CP_INT, 0, 36600, r003_threshold),
	CARD_PARAM("procurement_methods", LICIT_CP_METHODS, 0, 0, r003_methods), CARD_PARAMS_END};

const struct card_ind card_r003 = {
	.code = "R003", .params = r003_params, .shares = -1, .eval = r003,
	.missing = card_missing_r003};

/* R018: a single bid received */
static int is_one(const J *n)
{
	int ok;
	return licit_json_integer(n, &ok) == 1 && ok;
}

static void r018(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	const J *n = r->tender ? licit_json_get_raw(r->tender, "numberOfTenderers") : NULL;
	/* serde's as_u64: only an integer counts, 1.0 does not */
	if (r->tender && card_matches_method(r, &c->s->r018_methods) && is_one(n))
		card_set_result(c, G_OCID, r->ocid, LICIT_R018, 1.0);
}

static const struct licit_cardinal_param r018_params[] = {
	CARD_PARAM("procurement_methods", LICIT_CP_METHODS, 0, 0, r018_methods), CARD_PARAMS_END};

const struct card_ind card_r018 = {
	.code = "R018", .params = r018_params, .shares = -1, .eval = r018,
	.missing = card_missing_r018};

/* R028: identical bid prices from different tenderers */

/* A bid's tenderer ids as a sorted, NUL-separated set, for comparison. */
static size_t id_set(const J *tenderers, char *out, size_t cap)
{
	const char *ids[32];
	size_t n = 0, len = 0, i;
	const J *t;
	licit_json_foreach(tenderers, i, t) {
		const char *id = card_str(t, "id");
		if (!id || n == 32)
			continue;
		int dup = 0;
		for (size_t j = 0; j < n; j++)
			dup |= strcmp(ids[j], id) == 0;
		if (!dup)
			ids[n++] = id;
	}
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(ids[b - 1], ids[b]) > 0; b--) {
			const char *x = ids[b];
			ids[b] = ids[b - 1];
			ids[b - 1] = x;
		}
	for (size_t j = 0; j < n; j++) {
		size_t l = strlen(ids[j]) + 1;
		if (len + l > cap)
			break;
		memcpy(out + len, ids[j], l);
		len += l;
	}
	return len;
}

static void flag_ids(struct licit_cardinal *c, const char *ocid, const char *set, size_t len,
                     enum licit_cardinal_ind ind)
{
	for (size_t p = 0; p < len; p += strlen(set + p) + 1) {
		card_set_result(c, G_TENDERER, set + p, ind, 1.0);
		card_map_add(c, LICIT_MAP_R028, ocid, set + p);
	}
}

static void r028(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	if (!card_matches_details(r, &c->s->price_methods, &c->s->no_price_methods))
		return;
	const J *details = r->details;
	if (!details)
		return;
	size_t n = licit_json_size(details);
	struct price {
		double amount;
		const char *currency;
		char ids[1024];
		size_t len;
	} *prices = malloc((n ? n : 1) * sizeof *prices);
	if (!prices) {
		c->oom = 1;
		return;
	}
	size_t np = 0, i;
	const J *bid;
	licit_json_foreach(details, i, bid) {
		const J *tenderers = card_arr(bid, "tenderers");
		double amount;
		const char *cur;
		if (!card_is_submitted(bid) || !tenderers || !card_bid_amount(bid, &amount, &cur))
			continue;
		char ids[1024];
		size_t len = id_set(tenderers, ids, sizeof ids);
		if (!len)
			continue;
		size_t k;
		for (k = 0; k < np; k++)
			if (prices[k].amount == amount && strcmp(prices[k].currency, cur) == 0)
				break;
		if (k < np && (prices[k].len != len || memcmp(prices[k].ids, ids, len) != 0)) {
			card_set_result(c, G_OCID, r->ocid, LICIT_R028, 1.0);
			flag_ids(c, r->ocid, ids, len, LICIT_R028);
			flag_ids(c, r->ocid, prices[k].ids, prices[k].len, LICIT_R028);
		}
		if (k == np)
			np++;
		prices[k].amount = amount;
		prices[k].currency = cur;
		memcpy(prices[k].ids, ids, len);
		prices[k].len = len;
	}
	free(prices);
}

const struct card_ind card_r028 = {
	.code = "R028", .params = card_no_params, .shares = -1, .eval = r028,
	.missing = card_missing_submitted};

/* R030: a late bid that won */
static void r030(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	const J *period = r->tender ? card_obj(r->tender, "tenderPeriod") : NULL;
	const char *end = period ? card_str(period, "endDate") : NULL;
	const J *awards = r->awards, *details = r->details;
	if (!end || !awards || !details)
		return;
	size_t i, j, k, l;
	const J *bid, *t, *a, *s;
	licit_json_foreach(details, i, bid) {
		const char *st_ = card_str(bid, "status"), *date = card_str(bid, "date");
		const J *tenderers = card_arr(bid, "tenderers");
		if (!st_ || !date || !tenderers || strcmp(st_, "valid") != 0 || strcmp(date, end) <= 0)
			continue;
		licit_json_foreach(tenderers, j, t) {
			const char *id = card_str(t, "id");
			if (!id)
				continue;
			int won = 0;
			licit_json_foreach(awards, k, a) {
				const char *ast = card_str(a, "status");
				const J *sup = card_arr(a, "suppliers");
				if (!ast || !sup || strcmp(ast, "active") != 0)
					continue;
				licit_json_foreach(sup, l, s) {
					const char *sid = card_str(s, "id");
					won |= sid && strcmp(sid, id) == 0;
				}
			}
			if (won) {
				card_set_result(c, G_OCID, r->ocid, LICIT_R030, 1.0);
				card_set_result(c, G_TENDERER, id, LICIT_R030, 1.0);
				card_map_add(c, LICIT_MAP_R030, r->ocid, id);
			}
		}
	}
}

const struct card_ind card_r030 = {
	.code = "R030", .params = card_no_params, .shares = -1, .eval = r030,
	.missing = card_missing_r030};

/* R035: all but the winning bid disqualified */
static void r035(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	if (r->nactive < 0)
		return;
	struct card_idset won = {0}, valid = {0}, disq = {0};
	size_t i, j;
	const J *a, *s, *bid, *t;
	licit_json_foreach(r->awards, i, a) {
		const char *ast = card_str(a, "status");
		const J *sup = card_arr(a, "suppliers");
		if (ast && sup && strcmp(ast, "active") == 0)
			licit_json_foreach(sup, j, s) {
				const char *id = card_str(s, "id");
				if (id && card_idset_add(&won, id) < 0)
					c->oom = 1;
			}
	}
	licit_json_foreach(r->details, i, bid) {
		const char *bst = card_str(bid, "status");
		const J *tenderers = card_arr(bid, "tenderers");
		if (!bst || !tenderers)
			continue;
		int isv = strcmp(bst, "valid") == 0, isd = strcmp(bst, "disqualified") == 0;
		if (!isv && !isd)
			continue;
		licit_json_foreach(tenderers, j, t) {
			const char *id = card_str(t, "id");
			if (id && card_idset_add(isv ? &valid : &disq, id) < 0)
				c->oom = 1;
		}
	}
	/* one valid tenderer, the only supplier awarded, and others disqualified */
	if (valid.n == 1 && won.n == 1 && strcmp(valid.v[0], won.v[0]) == 0) {
		long diff = 0;
		for (i = 0; i < disq.n; i++)
			diff += strcmp(disq.v[i], valid.v[0]) != 0;
		long threshold = c->s->r035_threshold < 1 ? 1 : c->s->r035_threshold;
		if (diff >= threshold) {
			card_set_result(c, G_OCID, r->ocid, LICIT_R035, (double)diff);
			card_set_result(c, G_TENDERER, valid.v[0], LICIT_R035, 0.0);
			card_map_add(c, LICIT_MAP_R035, r->ocid, valid.v[0]);
		}
	}
	free(won.v);
	free(valid.v);
	free(disq.v);
}

static const struct licit_cardinal_param r035_params[] = {
	CARD_PARAM("threshold", LICIT_CP_INT, 0, 1e9, r035_threshold), CARD_PARAMS_END};

const struct card_ind card_r035 = {
	.code = "R035", .params = r035_params, .shares = -1, .eval = r035,
	.missing = card_missing_bids_awards};

/* R036: the lowest bid disqualified */
static void r036(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	if (!card_matches_details(r, &c->s->price_methods, &c->s->no_price_methods))
		return;
	if (!r->awards)
		return;
	int any = 0;
	size_t i;
	const J *a, *bid;
	licit_json_foreach(r->awards, i, a) {
		const char *ast = card_str(a, "status");
		any |= ast && strcmp(ast, "active") == 0;
	}
	if (!any)
		return;
	int have_lowest = 0, lowest_disq = 0, has_valid = 0;
	double lowest = 0;
	licit_json_foreach(r->details, i, bid) {
		double amount;
		const char *cur, *bst = card_str(bid, "status");
		if (!card_is_submitted(bid) || !card_bid_amount(bid, &amount, &cur) ||
		    !card_same_currency(c, cur))
			continue;
		if (!have_lowest || amount < lowest) {
			have_lowest = 1;
			lowest = amount;
			lowest_disq = strcmp(bst, "disqualified") == 0;
		}
		has_valid |= strcmp(bst, "valid") == 0;
	}
	if (has_valid && lowest_disq)
		card_set_result(c, G_OCID, r->ocid, LICIT_R036, 1.0);
}

const struct card_ind card_r036 = {
	.code = "R036", .params = card_no_params, .shares = -1, .eval = r036,
	.missing = card_missing_bids_awards};

/* R044 (lib/cardinal/cardinal_r044.c): the process and its similar tenderers */
static void r044(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	(void)st;
	const char **ids;
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	long n = licit_r044(r->release, &a, &ids);
	if (n < 0)
		c->oom = 1;
	if (n > 0)
		card_set_result(c, G_OCID, r->ocid, LICIT_R044, 1.0);
	for (long i = 0; i < n; i++)
		card_set_result(c, G_TENDERER, ids[i], LICIT_R044, 1.0);
	licit_arena_fini(&a);
}

const struct card_ind card_r044 = {
	.code = "R044", .params = card_no_params, .shares = -1, .eval = r044,
	.missing = card_missing_r044};
