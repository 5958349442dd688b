/* What Cardinal's indicators read of a release (Cardinal's Indicators::
 * helpers), found once per release (see indicators.h). */
#include "indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"

/* The active awards, when every award with a status is final (active,
 * cancelled or unsuccessful) and bids/details exists; else -1. */
static int complete_awards(const struct card_release *r, const J **awards_out)
{
	if (!r->awards || !r->details)
		return -1;
	int n = 0;
	size_t i;
	const J *a;
	licit_json_foreach(r->awards, i, a) {
		const char *st = card_str(a, "status");
		if (!st)
			continue;
		if (strcmp(st, "active") == 0) {
			if (n < 64)
				awards_out[n] = a;
			n++;
		} else if (strcmp(st, "cancelled") != 0 && strcmp(st, "unsuccessful") != 0)
			return -1;
	}
	return n;
}

void card_release_view(struct card_release *r, const J *release, const char *ocid)
{
	r->release = release;
	r->ocid = ocid;
	r->tender = card_obj(release, "tender");
	r->method = r->tender ? card_str(r->tender, "procurementMethod") : NULL;
	r->method_details = r->tender ? card_str(r->tender, "procurementMethodDetails") : NULL;
	r->awards = card_arr(release, "awards");
	const J *bids = card_obj(release, "bids");
	r->details = bids ? card_arr(bids, "details") : NULL;
	r->nactive = complete_awards(r, r->active);
}

int card_matches_method(const struct card_release *r, const struct licit_strset *set)
{
	if (!set->n)
		return 1;
	return r->method && licit_strset_has(set, r->method);
}

int card_matches_details(const struct card_release *r, const struct licit_strset *include,
                         const struct licit_strset *exclude)
{
	const char *d = r->method_details;
	if (d)
		return include->n ? licit_strset_has(include, d) : !licit_strset_has(exclude, d);
	return include->n == 0;
}

int card_is_submitted(const J *bid)
{
	const char *st = card_str(bid, "status");
	return st && strcmp(st, "invited") != 0 && strcmp(st, "withdrawn") != 0;
}

const char *card_sole_winner(const struct card_release *r)
{
	if (r->nactive != 1)
		return NULL;
	const J *suppliers = card_arr(r->active[0], "suppliers");
	if (!suppliers || licit_json_size(suppliers) != 1)
		return NULL;
	return card_str(licit_json_at(suppliers, 0), "id");
}

int card_same_currency(struct licit_cardinal *c, const char *cur)
{
	if (!c->currency && !(c->currency = strdup(cur))) {
		c->oom = 1;
		return 0;
	}
	return strcmp(cur, c->currency) == 0;
}

int card_bid_amount(const J *bid, double *amount, const char **currency)
{
	const J *value = card_obj(bid, "value");
	const J *a = value ? licit_json_get_raw(value, "amount") : NULL;
	*currency = value ? card_str(value, "currency") : NULL;
	if (!licit_json_is_number(a) || !*currency)
		return 0;
	*amount = licit_json_double(a);
	return !isnan(*amount); /* beyond a double's range: no amount */
}

int card_idset_add(struct card_idset *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return 0;
	if (LICIT_GROW(s->v, s->cap, s->n + 1) != LICIT_OK)
		return -1;
	s->v[s->n++] = id;
	return 1;
}
