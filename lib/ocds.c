/* OCDS packaging, release compilation and flattening to canonical rows. */
#include "licit/ocds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/map.h"
#include "licit/text.h"
#include "licit/value.h"

/* ---- small jansson helpers --------------------------------------------- */

static json_t *get(json_t *o, const char *k)
{
	return json_is_object(o) ? json_object_get(o, k) : NULL;
}

static json_t *get2(json_t *o, const char *k1, const char *k2)
{
	return get(get(o, k1), k2);
}

/* Text of a scalar: strings as they are, numbers in the shortest form that
 * reads back as the same double, booleans as 1/0. */
static const char *text(struct licit_arena *a, json_t *v)
{
	char buf[64];
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		licit_format_double(json_real_value(v), buf, sizeof buf);
	} else if (json_is_boolean(v)) {
		return json_is_true(v) ? "1" : "0";
	} else {
		return NULL;
	}
	return licit_arena_strndup(a, buf, strlen(buf));
}

/* ---- detection and walking ----------------------------------------------- */

static int is_release(json_t *v)
{
	static const char *const keys[] = {"tender", "awards", "contracts",
	                                   "parties", "buyer", "planning",
	                                   "tag", "date"};
	if (!json_is_object(v) || !json_is_string(get(v, "ocid")))
		return 0;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (get(v, keys[i]))
			return 1;
	return 0;
}

int licit_ocds_is_plain_release(json_t *v)
{
	if (!is_release(v) || get(v, "releases") || get(v, "compiledRelease"))
		return 0;
	size_t i;
	json_t *t;
	json_array_foreach(get(v, "tag"), i, t)
		if (json_is_string(t) && strcmp(json_string_value(t), "compiled") == 0)
			return 0;
	return 1;
}

int licit_ocds_detect(json_t *v)
{
	if (json_is_array(v))
		return json_array_size(v) > 0 && licit_ocds_detect(json_array_get(v, 0));
	if (!json_is_object(v))
		return 0;
	return json_is_array(get(v, "releases")) || json_is_array(get(v, "records")) ||
	       json_is_object(get(v, "compiledRelease")) || is_release(v);
}

static const char *date_of(json_t *release)
{
	const char *d = json_string_value(get(release, "date"));
	return d ? d : "";
}

/* Release order for compiling: by the instant of their dates, so that
 * "-06:00" and "Z" dates compare right; text order when a date is not
 * an RFC 3339 date-time. */
static int by_date(const void *a, const void *b)
{
	json_t *const *x = a, *const *y = b;
	double tx, ty;
	if (licit_rfc3339_seconds(date_of(*x), &tx) == 0 &&
	    licit_rfc3339_seconds(date_of(*y), &ty) == 0)
		return (tx > ty) - (tx < ty);
	return strcmp(date_of(*x), date_of(*y));
}

static int all_have_id(json_t *arr)
{
	size_t i;
	json_t *e;
	if (json_array_size(arr) == 0)
		return 0;
	json_array_foreach(arr, i, e)
		if (!json_is_object(e) || !get(e, "id"))
			return 0;
	return 1;
}

static int same_id(json_t *a, json_t *b)
{
	return a && b && json_equal(a, b);
}

static int merge_into(json_t *dst, json_t *src);

static int merge_array(json_t *dst_arr, json_t *src_arr)
{
	size_t i, j;
	json_t *e, *d;
	json_array_foreach(src_arr, i, e) {
		json_t *hit = NULL;
		json_array_foreach(dst_arr, j, d)
			if (same_id(get(d, "id"), get(e, "id"))) {
				hit = d;
				break;
			}
		if (hit) {
			if (merge_into(hit, e) < 0)
				return -1;
		} else if (json_array_append_new(dst_arr, json_deep_copy(e)) < 0) {
			return -1;
		}
	}
	return 0;
}

static int merge_into(json_t *dst, json_t *src)
{
	const char *k;
	json_t *v;
	json_object_foreach(src, k, v) {
		json_t *cur = json_object_get(dst, k);
		if (json_is_null(v)) {
			json_object_del(dst, k);
		} else if (json_is_object(v) && json_is_object(cur)) {
			if (merge_into(cur, v) < 0)
				return -1;
		} else if (json_is_array(v) && json_is_array(cur) && all_have_id(v) &&
		           all_have_id(cur)) {
			if (merge_array(cur, v) < 0)
				return -1;
		} else if (json_object_set_new(dst, k, json_deep_copy(v)) < 0) {
			return -1;
		}
	}
	return 0;
}

json_t *licit_ocds_compile(json_t *releases)
{
	size_t n = json_array_size(releases);
	json_t **sorted = malloc((n ? n : 1) * sizeof *sorted);
	json_t *out = json_object();
	if (!sorted || !out)
		goto fail;
	for (size_t i = 0; i < n; i++)
		sorted[i] = json_array_get(releases, i);
	/* a stable order for equal dates: insertion sort keeps input order */
	for (size_t i = 1; i < n; i++) {
		json_t *x = sorted[i];
		size_t j = i;
		while (j > 0 && by_date(&sorted[j - 1], &x) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		if (json_is_object(sorted[i]) && merge_into(out, sorted[i]) < 0)
			goto fail;
	json_object_set_new(out, "tag", json_pack("[s]", "compiled"));
	free(sorted);
	return out;
fail:
	free(sorted);
	json_decref(out);
	return NULL;
}

/* OCDS null means "absent" once releases are merged; a null left in a
 * compiled or single release must not hide a fallback. */
static void strip_nulls(json_t *v)
{
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		void *tmp;
		json_object_foreach_safe(v, tmp, k, x) {
			if (json_is_null(x))
				json_object_del(v, k);
			else
				strip_nulls(x);
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
			strip_nulls(x);
	}
}

/* Hands a finished release to the caller. */
static int give(licit_ocds_release_fn fn, void *ctx, json_t *rel, long index,
                const char *note)
{
	strip_nulls(rel);
	return fn(ctx, rel, index, note);
}

/* Releases of a package, grouped by ocid in order of first appearance. */
static int walk_release_package(json_t *rels, licit_ocds_release_fn fn,
                                void *ctx, struct licit_error *err)
{
	size_t n = json_array_size(rels);
	/* next[i]: the following release of the same ocid; one pass, linear */
	size_t *next = malloc((n ? n : 1) * sizeof *next);
	size_t *last = malloc((n ? n : 1) * sizeof *last);
	long *group = malloc((n ? n : 1) * sizeof *group);
	struct licit_map *ids = licit_map_new();
	int rc = 0;
	if (!next || !last || !group || !ids) {
		rc = licit_error_set(err, NULL, 0, NULL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const char *ocid = json_string_value(get(json_array_get(rels, i), "ocid"));
		int added = 1;
		long g = ocid ? licit_map_put(ids, ocid, strlen(ocid), &added) : -1;
		next[i] = n;
		if (ocid && g < 0) {
			rc = licit_error_set(err, NULL, 0, NULL, "out of memory");
			goto done;
		}
		if (!ocid || added) {
			group[i] = 1; /* i heads a group */
			if (g >= 0)
				last[g] = i;
		} else {
			group[i] = 0;
			next[last[g]] = i;
			last[g] = i;
		}
	}
	long index = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!group[i])
			continue;
		json_t *rel = json_array_get(rels, i);
		index++;
		if (next[i] == n) {
			rc = give(fn, ctx, rel, index, NULL);
			continue;
		}
		json_t *members = json_array();
		for (size_t j = i; j < n && members; j = next[j])
			json_array_append(members, json_array_get(rels, j));
		json_t *c = members ? licit_ocds_compile(members) : NULL;
		rc = c ? give(fn, ctx, c, index, NULL)
		       : licit_error_set(err, NULL, 0, NULL, "out of memory");
		json_decref(c);
		json_decref(members);
	}
done:
	free(next);
	free(last);
	free(group);
	licit_map_free(ids);
	return rc;
}

static int walk_record(json_t *rec, long index, licit_ocds_release_fn fn,
                       void *ctx, struct licit_error *err)
{
	json_t *cr = get(rec, "compiledRelease");
	if (json_is_object(cr))
		return give(fn, ctx, cr, index, NULL);
	json_t *rels = get(rec, "releases");
	if (!json_is_array(rels) || json_array_size(rels) == 0)
		return licit_error_set(err, NULL, 0, "records", "record %ld has "
		                       "neither compiledRelease nor releases", index);
	/* linked releases carry only url, date and tag: nothing to compile */
	int embedded = 0;
	size_t i;
	json_t *e;
	json_array_foreach(rels, i, e)
		if (get(e, "ocid"))
			embedded = 1;
	json_t *c = licit_ocds_compile(rels);
	if (!c)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (!get(c, "ocid") && get(rec, "ocid"))
		json_object_set(c, "ocid", get(rec, "ocid"));
	int rc = give(fn, ctx, c, index,
	            embedded ? NULL
	                     : "record has only linked releases and no "
	                       "compiledRelease: process fields are missing");
	json_decref(c);
	return rc;
}

int licit_ocds_walk(json_t *v, licit_ocds_release_fn fn, void *ctx,
                    struct licit_error *err)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			int rc = licit_ocds_walk(e, fn, ctx, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!json_is_object(v))
		return licit_error_set(err, NULL, 0, NULL,
		                       "not OCDS: expected a JSON object");
	json_t *recs = get(v, "records");
	if (json_is_array(recs)) {
		size_t i;
		json_t *e;
		json_array_foreach(recs, i, e) {
			int rc = walk_record(e, (long)i + 1, fn, ctx, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	json_t *rels = get(v, "releases");
	if (json_is_array(rels) && !get(v, "ocid"))
		return walk_release_package(rels, fn, ctx, err);
	if (get(v, "compiledRelease") || (json_is_array(rels) && get(v, "ocid")))
		return walk_record(v, 1, fn, ctx, err);
	if (is_release(v))
		return give(fn, ctx, v, 1, NULL);
	return licit_error_set(err, NULL, 0, NULL,
	                       "not OCDS: no releases, records, compiledRelease "
	                       "or ocid");
}

/* ---- flattening ------------------------------------------------------------ */

#define MAXPROB 8

struct flat {
	struct licit_arena *a;
	json_t *rel;
	const char *vals[LICIT_NFIELDS];
	struct licit_problem prob[MAXPROB];
	size_t nprob;
	licit_ocds_row_fn fn;
	void *ctx;
	int rows;
};

static void problem(struct flat *f, const char *field, const char *value,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void problem(struct flat *f, const char *field, const char *value,
                    const char *fmt, ...)
{
	if (f->nprob == MAXPROB)
		return;
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct licit_problem *p = &f->prob[f->nprob];
	p->field = field;
	p->value = value ? value : "";
	p->text = licit_arena_strndup(f->a, buf, strlen(buf));
	if (p->text)
		f->nprob++;
}

static json_t *party(json_t *rel, const char *id)
{
	size_t i;
	json_t *p;
	if (!id)
		return NULL;
	json_array_foreach(get(rel, "parties"), i, p) {
		const char *pid = json_string_value(get(p, "id"));
		if (pid && strcmp(pid, id) == 0)
			return p;
	}
	return NULL;
}

static int has_role(json_t *p, const char *role)
{
	size_t i;
	json_t *r;
	json_array_foreach(get(p, "roles"), i, r)
		if (json_is_string(r) && strcmp(json_string_value(r), role) == 0)
			return 1;
	return 0;
}

/* The parties with a role; returns how many, *first gets the first. */
static size_t parties_with(json_t *rel, const char *role, json_t **first)
{
	size_t i, n = 0;
	json_t *p;
	*first = NULL;
	json_array_foreach(get(rel, "parties"), i, p)
		if (has_role(p, role) && n++ == 0)
			*first = p;
	return n;
}

static const char *rfc_of(json_t *rel, json_t *org)
{
	const char *id = json_string_value(get(org, "id"));
	json_t *p = party(rel, id);
	json_t *ident = get(p ? p : org, "identifier");
	const char *scheme = json_string_value(get(ident, "scheme"));
	if (scheme && strcmp(scheme, "MX-RFC") == 0)
		return json_string_value(get(ident, "id"));
	size_t i;
	json_t *e;
	json_array_foreach(get(p, "additionalIdentifiers"), i, e) {
		scheme = json_string_value(get(e, "scheme"));
		if (scheme && strcmp(scheme, "MX-RFC") == 0)
			return json_string_value(get(e, "id"));
	}
	/* an id of RFC length is worth validating: normalise checks it */
	if (id && (strlen(id) == 12 || strlen(id) == 13))
		return id;
	return NULL;
}

static void set_org(struct flat *f, json_t *org, enum licit_field id,
                    enum licit_field name)
{
	const char *oid = json_string_value(get(org, "id"));
	const char *oname = json_string_value(get(org, "name"));
	if (!oname)
		oname = json_string_value(get(party(f->rel, oid), "name"));
	f->vals[id] = oid;
	f->vals[name] = oname;
}

static long count_tenderers(json_t *rel)
{
	json_t *t = get(rel, "tender");
	json_t *n = get(t, "numberOfTenderers");
	if (json_is_integer(n))
		return (long)json_integer_value(n);
	if (json_is_real(n))
		return (long)json_real_value(n);
	json_t *ts = get(t, "tenderers");
	if (json_is_array(ts))
		return (long)json_array_size(ts);
	/* distinct tenderer ids among the bids */
	json_t *bids = get2(rel, "bids", "details");
	if (!json_is_array(bids))
		return -1;
	json_t *seen = json_object();
	size_t i, j;
	json_t *b, *tt;
	json_array_foreach(bids, i, b)
		json_array_foreach(get(b, "tenderers"), j, tt) {
			const char *id = json_string_value(get(tt, "id"));
			if (id)
				json_object_set_new(seen, id, json_true());
		}
	long c = (long)json_object_size(seen);
	json_decref(seen);
	return c;
}

static void set_value(struct flat *f, json_t *val)
{
	f->vals[LICIT_F_AMOUNT] = text(f->a, get(val, "amount"));
	f->vals[LICIT_F_CURRENCY] = json_string_value(get(val, "currency"));
}

static void set_supplier(struct flat *f, json_t *suppliers, const char *where)
{
	json_t *first = NULL;
	size_t n = json_array_size(suppliers);
	if (n > 0) {
		first = json_array_get(suppliers, 0);
	} else if (parties_with(f->rel, "supplier", &first) != 1) {
		first = NULL;
	}
	if (n > 1)
		problem(f, "supplier_id", "",
		        "%s has %zu suppliers: the first is in the supplier fields",
		        where, n);
	f->vals[LICIT_F_SUPPLIER_ID] = NULL;
	f->vals[LICIT_F_SUPPLIER_NAME] = NULL;
	f->vals[LICIT_F_SUPPLIER_RFC] = NULL;
	if (!first) {
		problem(f, "supplier_id", "", "no supplier on the %s nor a single "
		        "supplier party", where);
		return;
	}
	set_org(f, first, LICIT_F_SUPPLIER_ID, LICIT_F_SUPPLIER_NAME);
	f->vals[LICIT_F_SUPPLIER_RFC] = rfc_of(f->rel, first);
}

static int emit(struct flat *f)
{
	f->rows++;
	int rc = f->fn(f->ctx, f->vals, f->prob, f->nprob);
	f->nprob = 0;
	return rc;
}

static json_t *award_by_id(json_t *rel, json_t *id)
{
	size_t i;
	json_t *a;
	json_array_foreach(get(rel, "awards"), i, a)
		if (same_id(get(a, "id"), id))
			return a;
	return NULL;
}

int licit_ocds_flatten(json_t *rel, struct licit_arena *a, licit_ocds_row_fn fn,
                       void *ctx, long *inactive)
{
	struct flat f = {.a = a, .rel = rel, .fn = fn, .ctx = ctx};
	json_t *t = get(rel, "tender");
	f.vals[LICIT_F_OCID] = json_string_value(get(rel, "ocid"));
	f.vals[LICIT_F_PROCEDURE_ID] = text(a, get(t, "id"));
	json_t *buyer = get(rel, "buyer");
	if (!buyer)
		parties_with(rel, "buyer", &buyer);
	set_org(&f, buyer, LICIT_F_BUYER_ID, LICIT_F_BUYER_NAME);
	/* OCDS has no institution above the buyer: the buyer stands for it */
	f.vals[LICIT_F_ENTITY_ID] = f.vals[LICIT_F_BUYER_ID];
	f.vals[LICIT_F_ENTITY_NAME] = f.vals[LICIT_F_BUYER_NAME];
	const char *method = json_string_value(get(t, "procurementMethod"));
	f.vals[LICIT_F_PROCEDURE_TYPE] = method;
	f.vals[LICIT_F_METHOD_DETAILS] = json_string_value(get(t, "procurementMethodDetails"));
	f.vals[LICIT_F_CONTRACT_TYPE] = json_string_value(get(t, "mainProcurementCategory"));
	/* the rationale of an open procedure is not an exception to it */
	if (!method || strcmp(method, "open") != 0)
		f.vals[LICIT_F_EXCEPTION] =
			json_string_value(get(t, "procurementMethodRationale"));
	f.vals[LICIT_F_TENDER_START] = json_string_value(get2(t, "tenderPeriod", "startDate"));
	f.vals[LICIT_F_TENDER_END] = json_string_value(get2(t, "tenderPeriod", "endDate"));
	long nt = count_tenderers(rel);
	if (nt >= 0) {
		char buf[24];
		snprintf(buf, sizeof buf, "%ld", nt);
		f.vals[LICIT_F_N_TENDERERS] = licit_arena_strndup(a, buf, strlen(buf));
	}
	const char *tender_title = json_string_value(get(t, "title"));

	json_t *contracts = get(rel, "contracts");
	json_t *awards = get(rel, "awards");
	size_t i;
	json_t *c, *aw;
	json_array_foreach(contracts, i, c) {
		json_t *award = award_by_id(rel, get(c, "awardID"));
		f.vals[LICIT_F_CONTRACT_ID] = text(a, get(c, "id"));
		const char *title = json_string_value(get(c, "title"));
		if (!title)
			title = json_string_value(get(award, "title"));
		f.vals[LICIT_F_TITLE] = title ? title : tender_title;
		json_t *val = get(c, "value");
		if (!get(val, "amount") && get2(c, "valueWithTax", "amount")) {
			val = get(c, "valueWithTax");
			problem(&f, "amount", "", "contracts/value missing: amount "
			        "taken from contracts/valueWithTax");
		} else if (!get(val, "amount") && get2(award, "value", "amount")) {
			val = get(award, "value");
			problem(&f, "amount", "", "contracts/value missing: amount "
			        "taken from the award's value");
		}
		set_value(&f, val);
		f.vals[LICIT_F_SIGNED_DATE] = json_string_value(get(c, "dateSigned"));
		f.vals[LICIT_F_START_DATE] = json_string_value(get2(c, "period", "startDate"));
		f.vals[LICIT_F_END_DATE] = json_string_value(get2(c, "period", "endDate"));
		f.vals[LICIT_F_AWARD_DATE] = json_string_value(get(award, "date"));
		f.vals[LICIT_F_STATUS] = json_string_value(get(c, "status"));
		json_t *sup = get(award, "suppliers");
		if (!json_array_size(sup))
			sup = get(c, "suppliers"); /* the Mexican APF extension */
		set_supplier(&f, sup, award ? "award" : "contract");
		if (emit(&f))
			return -1;
	}
	/* awards that no contract implements are rows of their own */
	json_array_foreach(awards, i, aw) {
		size_t j;
		int implemented = 0;
		json_array_foreach(contracts, j, c)
			if (same_id(get(c, "awardID"), get(aw, "id")))
				implemented = 1;
		if (implemented)
			continue;
		/* a pending, cancelled or unsuccessful award is no contract */
		const char *st = json_string_value(get(aw, "status"));
		if (st && (strcmp(st, "pending") == 0 || strcmp(st, "cancelled") == 0 ||
		           strcmp(st, "unsuccessful") == 0)) {
			if (inactive)
				(*inactive)++;
			continue;
		}
		f.vals[LICIT_F_CONTRACT_ID] = NULL;
		const char *title = json_string_value(get(aw, "title"));
		f.vals[LICIT_F_TITLE] = title ? title : tender_title;
		set_value(&f, get(aw, "value"));
		f.vals[LICIT_F_SIGNED_DATE] = NULL;
		f.vals[LICIT_F_START_DATE] = json_string_value(get2(aw, "contractPeriod", "startDate"));
		f.vals[LICIT_F_END_DATE] = json_string_value(get2(aw, "contractPeriod", "endDate"));
		f.vals[LICIT_F_AWARD_DATE] = json_string_value(get(aw, "date"));
		f.vals[LICIT_F_STATUS] = json_string_value(get(aw, "status"));
		set_supplier(&f, get(aw, "suppliers"), "award");
		if (emit(&f))
			return -1;
	}
	return f.rows;
}
