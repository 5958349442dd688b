/* Cardinal's prepare corrections (see licit/cardinal/prepare.h), step by step in
 * Cardinal's order: parties, buyer, tender, auctions, bids, contracts,
 * awards, party roles. The release is edited in place: an object keeps
 * one member per name (the last value, at the place of the first), a new
 * member goes at the end, a removed one takes the last member into its
 * place (serde_json's swap_remove), as in Cardinal's output. */
#include "licit/cardinal/prepare.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/cardinal/cardinal_line.h"
#include "licit/core/map.h"
#include "licit/core/settings.h"

typedef struct licit_json J;
typedef struct licit_json_member M;

#define DEDUPED 0x40 /* private flag: the object has one member per name */

static const char *const bid_statuses[] = {"invited", "pending", "valid", "disqualified",
                                           "withdrawn", NULL};
static const char *const award_statuses[] = {"pending", "active", "cancelled",
                                             "unsuccessful", NULL};

struct run {
	const struct licit_prepare_settings *s;
	struct licit_arena *a;
	long line;
	const J *ocid;
	licit_prepare_issue_fn issue;
	licit_diag_fn warn;
	void *ctx;
	int oom;
	/* party roles: party id -> roles (with [defaults] party_roles) */
	struct licit_map *roles_of;
	struct roles {
		const char **v;
		size_t n, cap;
	} *roles;
	size_t nroles;
};

/* ---- editing objects ----------------------------------------------------- */

static void dedupe(J *o)
{
	if (o->flags & DEDUPED)
		return;
	o->flags |= DEDUPED;
	M *m = o->u.members;
	uint32_t k = 0;
	for (uint32_t i = 0; i < o->n; i++) {
		uint32_t j = 0;
		while (j < k && !(m[j].klen == m[i].klen && memcmp(m[j].key, m[i].key, m[i].klen) == 0))
			j++;
		if (j < k)
			m[j].v = m[i].v;
		else
			m[k++] = m[i];
	}
	o->n = k;
}

static J *get(J *o, const char *key)
{
	if (!o || o->type != LICIT_JSON_OBJECT)
		return NULL;
	dedupe(o);
	size_t kl = strlen(key);
	for (uint32_t i = 0; i < o->n; i++)
		if (o->u.members[i].klen == kl && memcmp(o->u.members[i].key, key, kl) == 0)
			return &o->u.members[i].v;
	return NULL;
}

static J *get_type(J *o, const char *key, int type)
{
	J *v = get(o, key);
	return v && v->type == type ? v : NULL;
}
#define get_object(o, k) get_type((o), (k), LICIT_JSON_OBJECT)
#define get_array(o, k) get_type((o), (k), LICIT_JSON_ARRAY)
#define get_string(o, k) get_type((o), (k), LICIT_JSON_STRING)

/* Sets o[key] (o an object): in place, or appended. */
static J *set(struct run *r, J *o, const char *key, J v)
{
	J *have = get(o, key);
	if (have) {
		*have = v;
		return have;
	}
	M *m = licit_arena_alloc(r->a, (o->n + 1) * sizeof *m);
	char *k = licit_arena_strndup(r->a, key, strlen(key));
	if (!m || !k) {
		r->oom = 1;
		return NULL;
	}
	if (o->n)
		memcpy(m, o->u.members, o->n * sizeof *m);
	m[o->n] = (M){k, (uint32_t)strlen(key), 0, v};
	o->u.members = m;
	return &m[o->n++].v;
}

/* Removes o[key], the last member taking its place. */
static void swap_remove(J *o, const char *key)
{
	J *v = get(o, key);
	if (!v)
		return;
	M *m = (M *)((char *)v - offsetof(M, v));
	*m = o->u.members[--o->n];
}

static J string(struct run *r, const char *s, size_t n)
{
	J v = {LICIT_JSON_STRING, 0, (uint32_t)n, {.s = licit_arena_strndup(r->a, s, n)}};
	if (!v.u.s)
		r->oom = 1;
	return v;
}

static int is_str(const J *v, const char *s)
{
	return v && v->type == LICIT_JSON_STRING && strcmp(v->u.s, s) == 0;
}

static int in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

static void issue(struct run *r, const char *path, const char *indexes, const char *value,
                  const char *what)
{
	if (r->issue)
		r->issue(r->ctx, r->line, r->ocid, path, indexes, value, what);
}

static void issue_at(struct run *r, const char *path, size_t j, const char *value,
                     const char *what)
{
	char ix[24];
	snprintf(ix, sizeof ix, "%zu", j);
	issue(r, path, ix, value, what);
}

/* ---- organization references ---------------------------------------------- */

/* A number id becomes a string of its digits (Cardinal's stringify). */
static void stringify(J *o, const char *key)
{
	J *v = get(o, key);
	if (v && v->type == LICIT_JSON_NUMBER)
		v->type = LICIT_JSON_STRING;
}

static int redacted(const struct licit_prepare_settings *s, const char *id)
{
	for (size_t i = 0; i < s->nredact_org_id; i++)
		if (strcmp(s->redact_org_id[i], id) == 0)
			return 1;
	return 0;
}

static void add_role(struct run *r, const char *id, const char *role)
{
	long i = r->roles_of ? licit_map_get(r->roles_of, id, strlen(id)) : -1;
	if (i < 0)
		return;
	struct roles *ro = &r->roles[i];
	for (size_t k = 0; k < ro->n; k++)
		if (strcmp(ro->v[k], role) == 0)
			return;
	if (ro->n == ro->cap) {
		size_t cap = ro->cap ? 2 * ro->cap : 4;
		const char **v = licit_arena_alloc(r->a, cap * sizeof *v);
		if (!v) {
			r->oom = 1;
			return;
		}
		if (ro->n)
			memcpy(v, ro->v, ro->n * sizeof *v);
		ro->v = v;
		ro->cap = cap;
	}
	ro->v[ro->n++] = role;
}

/* One organization reference: id as a string, redacted, prefixed, its
 * role noted for its party. */
static void org_ref(struct run *r, J *o, const char *prefix, const char *role)
{
	stringify(o, "id");
	J *id = get_string(o, "id");
	if (!id)
		return;
	if (redacted(r->s, id->u.s)) {
		swap_remove(o, "id");
		return;
	}
	size_t pl = strlen(prefix);
	if (pl && strncmp(id->u.s, prefix, pl) != 0) {
		char *p = licit_arena_alloc(r->a, pl + id->n + 1);
		if (!p) {
			r->oom = 1;
			return;
		}
		memcpy(p, prefix, pl);
		memcpy(p + pl, id->u.s, id->n + 1);
		id->u.s = p;
		id->n += (uint32_t)pl;
		id->flags &= (uint8_t)~LICIT_JSON_PLAIN; /* the prefix may need escapes */
	}
	if (role)
		add_role(r, id->u.s, role);
}

static void org_object(struct run *r, J *parent, const char *key, const char *prefix,
                       const char *role)
{
	J *o = get_object(parent, key);
	if (o)
		org_ref(r, o, prefix, role);
}

/* An array of references; an object there becomes an array holding it. */
static void org_array(struct run *r, J *parent, const char *key, const char *prefix,
                      const char *role)
{
	J *v = get(parent, key);
	if (!v)
		return;
	if (v->type == LICIT_JSON_OBJECT) {
		J *item = licit_arena_alloc(r->a, sizeof *item);
		if (!item) {
			r->oom = 1;
			return;
		}
		*item = *v;
		*v = (J){LICIT_JSON_ARRAY, 0, 1, {.items = item}};
	}
	if (v->type != LICIT_JSON_ARRAY)
		return;
	for (uint32_t i = 0; i < v->n; i++)
		if (v->u.items[i].type == LICIT_JSON_OBJECT)
			org_ref(r, &v->u.items[i], prefix, role);
}

/* ---- the steps --------------------------------------------------------------- */

static void party_lookup(struct run *r, J *release)
{
	J *parties = get_array(release, "parties");
	if (!r->s->party_roles || !parties)
		return;
	if (!(r->roles_of = licit_map_new()) ||
	    !(r->roles = licit_arena_alloc(r->a, (parties->n + 1) * sizeof *r->roles))) {
		r->oom = 1;
		return;
	}
	for (uint32_t i = 0; i < parties->n; i++) {
		J *id = get_string(&parties->u.items[i], "id");
		if (!id)
			continue;
		int added;
		long k = licit_map_put(r->roles_of, id->u.s, id->n, &added);
		if (k < 0) {
			r->oom = 1;
			return;
		}
		/* a repeated id: the later party's roles replace the earlier's */
		r->roles[k] = (struct roles){0};
		J *roles = get_array(&parties->u.items[i], "roles");
		for (uint32_t j = 0; roles && j < roles->n; j++)
			if (roles->u.items[j].type == LICIT_JSON_STRING)
				add_role(r, id->u.s, roles->u.items[j].u.s);
	}
}

static int role_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void party_roles(struct run *r, J *release)
{
	J *parties = get_array(release, "parties");
	if (!r->roles_of || !parties)
		return;
	for (uint32_t i = 0; i < parties->n; i++) {
		J *party = &parties->u.items[i];
		J *id = get_string(party, "id");
		long k = id ? licit_map_get(r->roles_of, id->u.s, id->n) : -1;
		if (k < 0 || r->roles[k].n == 0)
			continue;
		struct roles *ro = &r->roles[k];
		J *items = licit_arena_alloc(r->a, ro->n * sizeof *items);
		if (!items) {
			r->oom = 1;
			return;
		}
		qsort(ro->v, ro->n, sizeof *ro->v, role_cmp);
		for (size_t j = 0; j < ro->n; j++)
			items[j] = (J){LICIT_JSON_STRING, 0, (uint32_t)strlen(ro->v[j]),
			               {.s = ro->v[j]}};
		set(r, party, "roles", (J){LICIT_JSON_ARRAY, 0, (uint32_t)ro->n, {.items = items}});
	}
}

static void tender(struct run *r, J *release)
{
	J *t = get_object(release, "tender");
	if (!t)
		return;
	org_object(r, t, "procuringEntity", r->s->prefix_buyer, "procuringEntity");
	const char *pat = r->s->split_method_details;
	J *d = pat ? get_string(t, "procurementMethodDetails") : NULL;
	if (!d)
		return;
	/* the text before the first separator, without trailing white space
	 * (an empty separator keeps nothing, as Rust's split("")) */
	const char *cut = *pat ? strstr(d->u.s, pat) : d->u.s;
	size_t n = cut ? (size_t)(cut - d->u.s) : d->n;
	n -= licit_rust_space_end(d->u.s, n);
	*d = string(r, d->u.s, n);
}

static void move_auctions(struct run *r, J *release)
{
	if (!r->s->move_auctions)
		return;
	if (get(release, "auctions") && get(release, "bids")) {
		licit_diag(r->warn, r->ctx, LICIT_WARNING, NULL, r->line, NULL, NULL,
		           "can't move /auctions, because /bids is occupied");
		return;
	}
	J *auctions = get_array(release, "auctions");
	if (!auctions)
		return;
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) { /* count, then move */
		J *details = NULL;
		if (pass) {
			if (!(details = licit_arena_alloc(r->a, (n ? n : 1) * sizeof *details))) {
				r->oom = 1;
				return;
			}
			n = 0;
		}
		for (uint32_t i = 0; i < auctions->n; i++) {
			J *stages = get_array(&auctions->u.items[i], "stages");
			for (uint32_t j = 0; stages && j < stages->n; j++) {
				J *stage = &stages->u.items[j];
				J *bids = get(stage, "bids");
				if (!bids)
					continue;
				if (bids->type == LICIT_JSON_ARRAY) {
					if (pass && bids->n)
						memcpy(details + n, bids->u.items, bids->n * sizeof *details);
					n += bids->n;
				}
				if (pass)
					swap_remove(stage, "bids");
			}
		}
		if (pass) {
			M *m = licit_arena_alloc(r->a, sizeof *m);
			if (!m) {
				r->oom = 1;
				return;
			}
			*m = (M){"details", 7, LICIT_JSON_PLAIN, {LICIT_JSON_ARRAY, 0, (uint32_t)n, {.items = details}}};
			set(r, release, "bids", (J){LICIT_JSON_OBJECT, DEDUPED, 1, {.members = m}});
		}
	}
}

/* The code replacing s in a [codelists.*] section, or NULL. */
static const char *recode(const struct licit_ini_entry **codes, size_t n, const char *s);

static void scheme(struct run *r, J *item, const char *path, size_t j, size_t k)
{
	J *c = get_object(item, "classification");
	if (!c || get(c, "scheme"))
		return;
	if (r->s->item_classification_scheme) {
		const char *d = r->s->item_classification_scheme;
		set(r, c, "scheme", string(r, d, strlen(d)));
	} else {
		char ix[48];
		snprintf(ix, sizeof ix, "%zu.%zu", j, k);
		issue(r, path, ix, "", "not set");
	}
}

/* status: the default when absent, recoded, checked against the codelist. */
static void status_of(struct run *r, J *o, const char *path, size_t j, const char *def,
                      const struct licit_ini_entry **codes, size_t ncodes,
                      const char *const *valid)
{
	if (o->type != LICIT_JSON_OBJECT && o->type != LICIT_JSON_NULL) {
		/* not an object: no status to read; Cardinal reports it */
		if (!def)
			issue_at(r, path, j, "", "not set");
		return;
	}
	if (!get(o, "status")) {
		if (def) {
			if (o->type == LICIT_JSON_NULL) /* null becomes an object */
				*o = (J){LICIT_JSON_OBJECT, DEDUPED, 0, {.members = NULL}};
			set(r, o, "status", string(r, def, strlen(def)));
		} else {
			issue_at(r, path, j, "", "not set");
		}
	}
	J *st = get_string(o, "status");
	if (!st)
		return;
	const char *to = recode(codes, ncodes, st->u.s);
	if (to)
		*st = string(r, to, strlen(to));
	if (!in_list(valid, st->u.s))
		issue_at(r, path, j, st->u.s, "invalid");
}

static void bids(struct run *r, J *release)
{
	const struct licit_prepare_settings *s = r->s;
	J *details = get_array(get_object(release, "bids"), "details");
	for (uint32_t j = 0; details && j < details->n; j++) {
		J *bid = &details->u.items[j];
		J *value = get_object(bid, "value");
		if (value) {
			J *amount = get_type(value, "amount", LICIT_JSON_NUMBER);
			if (amount) {
				double x = licit_json_double(amount);
				int red = 0;
				for (size_t i = 0; i < s->nredact_amount && !red; i++)
					red = s->redact_amount[i] == x;
				if (red)
					swap_remove(value, "amount");
				else if (x == 0.0)
					issue_at(r, "/bids/details[]/value/amount", j, "", "is zero");
			}
			if (!get(value, "currency")) {
				if (s->currency)
					set(r, value, "currency", string(r, s->currency, strlen(s->currency)));
				else
					issue_at(r, "/bids/details[]/value/currency", j, "", "not set");
			}
		}
		J *items = get_array(bid, "items");
		for (uint32_t k = 0; items && k < items->n; k++)
			scheme(r, &items->u.items[k], "/bids/details[]/items[]/classification/scheme",
			       j, k);
		status_of(r, bid, "/bids/details[]/status", j, s->bid_status, s->bid_codes,
		          s->nbid_codes, bid_statuses);
		org_array(r, bid, "tenderers", s->prefix_tenderer, "tenderer");
	}
}

/* awardID -> 1 when every contract of that award is cancelled */
static struct licit_map *contracts(struct run *r, J *release, char **cancelled)
{
	J *cs = get_array(release, "contracts");
	if (!r->s->award_status_by_contract_status || !cs)
		return NULL;
	struct licit_map *m = licit_map_new();
	char *all = licit_arena_alloc(r->a, cs->n + 1);
	if (!m || !all) {
		licit_map_free(m);
		r->oom = 1;
		return NULL;
	}
	for (uint32_t i = 0; i < cs->n; i++) {
		J *c = &cs->u.items[i];
		stringify(c, "awardID");
		J *id = get_string(c, "awardID");
		if (!id)
			continue;
		int added, is = is_str(get(c, "status"), "cancelled");
		long k = licit_map_put(m, id->u.s, id->n, &added);
		if (k < 0) {
			r->oom = 1;
			break;
		}
		all[k] = added ? (char)is : (char)(all[k] && is);
	}
	*cancelled = all;
	return m;
}

static void awards(struct run *r, J *release, struct licit_map *by_award, const char *cancelled)
{
	const struct licit_prepare_settings *s = r->s;
	J *aw = get_array(release, "awards");
	for (uint32_t j = 0; aw && j < aw->n; j++) {
		J *award = &aw->u.items[j];
		stringify(award, "id");
		J *items = get_array(award, "items");
		for (uint32_t k = 0; items && k < items->n; k++) {
			J *c = get_object(&items->u.items[k], "classification");
			if (c)
				stringify(c, "id");
			scheme(r, &items->u.items[k], "/awards[]/items[]/classification/scheme", j, k);
		}
		status_of(r, award, "/awards[]/status", j, s->award_status, s->award_codes,
		          s->naward_codes, award_statuses);
		J *id = get_string(award, "id");
		long a = id && by_award ? licit_map_get(by_award, id->u.s, id->n) : -1;
		if (a >= 0 && cancelled[a])
			set(r, award, "status", string(r, "cancelled", 9));
		org_array(r, award, "suppliers", s->prefix_tenderer, "supplier");
	}
}

int licit_prepare_release(const struct licit_prepare_settings *s, struct licit_json *release,
                          struct licit_arena *a, long line, licit_prepare_issue_fn issue_fn,
                          licit_diag_fn warn, void *ctx)
{
	if (release->type != LICIT_JSON_OBJECT)
		return 0;
	struct run r = {s, a, line, NULL, issue_fn, warn, ctx, 0, NULL, NULL, 0};
	r.ocid = get(release, "ocid");
	/* parties: the ids as the references' will be, then who is who */
	org_array(&r, release, "parties", "", NULL);
	party_lookup(&r, release);
	org_object(&r, release, "buyer", s->prefix_buyer, "buyer");
	tender(&r, release);
	move_auctions(&r, release);
	bids(&r, release);
	char *cancelled = NULL;
	struct licit_map *by_award = contracts(&r, release, &cancelled);
	awards(&r, release, by_award, cancelled);
	party_roles(&r, release);
	licit_map_free(by_award);
	licit_map_free(r.roles_of);
	return r.oom ? -1 : 0;
}

static const char *recode(const struct licit_ini_entry **codes, size_t n, const char *s)
{
	for (size_t i = n; i-- > 0;) /* the last of a code wins */
		if (strcmp(codes[i]->key, s) == 0)
			return codes[i]->value;
	return NULL;
}
