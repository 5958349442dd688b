/* OCDS packaging, release compilation and flattening to canonical rows. */
#include "licit/ocds/ocds.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/text.h"
#include "licit/values/value.h"

typedef struct licit_json J;

#define get licit_json_get
#define str licit_json_str
#define foreach licit_json_foreach

static const J *get2(const J *o, const char *k1, const char *k2)
{
	return get(get(o, k1), k2);
}

/* ---- detection and walking ----------------------------------------------- */

static int is_release(const J *v)
{
	static const char *const keys[] = {"tender", "awards", "contracts",
	                                   "parties", "buyer", "planning",
	                                   "tag", "date"};
	if (!licit_json_is_object(v) || !licit_json_is_string(get(v, "ocid")))
		return 0;
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (get(v, keys[i]))
			return 1;
	return 0;
}

int licit_ocds_is_release(const J *v)
{
	return is_release(v) && !get(v, "releases") && !get(v, "records") &&
	       !get(v, "compiledRelease");
}

int licit_ocds_is_plain_release(const J *v)
{
	if (!licit_ocds_is_release(v))
		return 0;
	size_t i;
	const J *t;
	foreach(get(v, "tag"), i, t)
		if (str(t) && strcmp(str(t), "compiled") == 0)
			return 0;
	return 1;
}

int licit_ocds_detect(const J *v)
{
	if (licit_json_is_array(v))
		return licit_json_size(v) > 0 && licit_ocds_detect(licit_json_at(v, 0));
	if (!licit_json_is_object(v))
		return 0;
	return licit_json_is_array(get(v, "releases")) ||
	       licit_json_is_array(get(v, "records")) ||
	       licit_json_is_object(get(v, "compiledRelease")) || is_release(v);
}

static const char *date_of(const J *release)
{
	const char *d = str(get(release, "date"));
	return d ? d : "";
}

/* Release order for compiling: by the instant of their dates, so that
 * "-06:00" and "Z" dates compare right; text order when a date is not
 * an RFC 3339 date-time. */
static int by_date(const J *x, const J *y)
{
	double tx, ty;
	if (licit_rfc3339_seconds(date_of(x), &tx) == 0 &&
	    licit_rfc3339_seconds(date_of(y), &ty) == 0)
		return (tx > ty) - (tx < ty);
	return strcmp(date_of(x), date_of(y));
}

static int all_have_id(const J *arr)
{
	size_t i;
	const J *e;
	if (licit_json_size(arr) == 0)
		return 0;
	foreach(arr, i, e)
		if (!licit_json_is_object(e) || !get(e, "id"))
			return 0;
	return 1;
}

static int same_id(const J *a, const J *b)
{
	return a && b && licit_json_equal(a, b);
}

static int merge_object(const J *dst, const J *src, J *out, struct licit_arena *a);

/* dst's items, those of src with an id already there merged into them,
 * the others appended. */
static int merge_array(const J *dst, const J *src, J *out, struct licit_arena *a)
{
	size_t n = dst->n, cap = (size_t)dst->n + src->n;
	J *items = licit_arena_alloc(a, (cap ? cap : 1) * sizeof *items);
	if (!items)
		return -1;
	memcpy(items, dst->u.items, n * sizeof *items);
	for (uint32_t i = 0; i < src->n; i++) {
		const J *e = &src->u.items[i];
		size_t j = 0;
		while (j < n && !same_id(get(&items[j], "id"), get(e, "id")))
			j++;
		if (j < n) {
			if (merge_object(&items[j], e, &items[j], a) < 0)
				return -1;
		} else {
			items[n++] = *e;
		}
	}
	out->type = LICIT_JSON_ARRAY;
	out->flags = 0;
	out->n = (uint32_t)n;
	out->u.items = items;
	return 0;
}

/* dst with src's members merged in; out may be dst. Values are shared,
 * not copied: trees are never changed once built. */
static int merge_object(const J *dst, const J *src, J *out, struct licit_arena *a)
{
	size_t n = dst ? dst->n : 0, cap = n + src->n;
	struct licit_json_member *m = licit_arena_alloc(a, (cap ? cap : 1) * sizeof *m);
	if (!m)
		return -1;
	if (n)
		memcpy(m, dst->u.members, n * sizeof *m);
	for (uint32_t i = 0; i < src->n; i++) {
		const struct licit_json_member *s = &src->u.members[i];
		size_t j = 0;
		while (j < n && (m[j].klen != s->klen || memcmp(m[j].key, s->key, s->klen) != 0))
			j++;
		if (s->v.type == LICIT_JSON_NULL) { /* null removes the field */
			if (j < n) {
				memmove(&m[j], &m[j + 1], (n - j - 1) * sizeof *m);
				n--;
			}
			continue;
		}
		if (j == n) {
			m[n++] = *s;
			continue;
		}
		J *cur = &m[j].v;
		if (cur->type == LICIT_JSON_OBJECT && s->v.type == LICIT_JSON_OBJECT) {
			if (merge_object(cur, &s->v, cur, a) < 0)
				return -1;
		} else if (cur->type == LICIT_JSON_ARRAY && s->v.type == LICIT_JSON_ARRAY &&
		           all_have_id(&s->v) && all_have_id(cur)) {
			if (merge_array(cur, &s->v, cur, a) < 0)
				return -1;
		} else {
			*cur = s->v;
		}
	}
	out->type = LICIT_JSON_OBJECT;
	out->flags = 0;
	out->n = (uint32_t)n;
	out->u.members = m;
	return 0;
}

static const J compiled_word = {LICIT_JSON_STRING, 0, 8, {.s = "compiled"}};
static const struct licit_json_member compiled_tag = {
	"tag", 3, LICIT_JSON_PLAIN, {LICIT_JSON_ARRAY, 0, 1, {.items = (J *)&compiled_word}}};
static const J compiled_tag_object = {LICIT_JSON_OBJECT, 0, 1,
                                      {.members = (struct licit_json_member *)&compiled_tag}};

const J *licit_ocds_compile(const J *const *r, size_t n, struct licit_arena *a)
{
	const J **sorted = malloc((n ? n : 1) * sizeof *sorted);
	J *out = licit_arena_alloc(a, sizeof *out);
	if (!sorted || !out)
		goto fail;
	memcpy(sorted, r, n * sizeof *sorted);
	/* a stable order for equal dates: insertion sort keeps input order */
	for (size_t i = 1; i < n; i++) {
		const J *x = sorted[i];
		size_t j = i;
		while (j > 0 && by_date(sorted[j - 1], x) > 0) {
			sorted[j] = sorted[j - 1];
			j--;
		}
		sorted[j] = x;
	}
	const J empty = {LICIT_JSON_OBJECT, 0, 0, {.members = NULL}};
	*out = empty;
	for (size_t i = 0; i < n; i++)
		if (licit_json_is_object(sorted[i]) && merge_object(out, sorted[i], out, a) < 0)
			goto fail;
	if (merge_object(out, &compiled_tag_object, out, a) < 0)
		goto fail;
	free(sorted);
	return out;
fail:
	free(sorted);
	return NULL;
}

/* Releases of a package, grouped by ocid in order of first appearance. */
static int walk_release_package(const J *rels, struct licit_arena *a,
                                licit_ocds_release_fn fn, void *ctx,
                                struct licit_error *err)
{
	size_t n = licit_json_size(rels);
	/* next[i]: the following release of the same ocid; one pass, linear */
	size_t *next = malloc((n ? n : 1) * sizeof *next);
	size_t *last = malloc((n ? n : 1) * sizeof *last);
	char *head = malloc(n ? n : 1);
	const J **members = malloc((n ? n : 1) * sizeof *members);
	struct licit_map *ids = licit_map_new();
	int rc = 0;
	if (!next || !last || !head || !members || !ids) {
		rc = licit_error_set(err, NULL, 0, NULL, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const J *ocid = get(licit_json_at(rels, i), "ocid");
		int added = 1;
		long g = str(ocid) ? licit_map_put(ids, ocid->u.s, ocid->n, &added) : -1;
		next[i] = n;
		if (str(ocid) && g < 0) {
			rc = licit_error_set(err, NULL, 0, NULL, "out of memory");
			goto done;
		}
		if (!str(ocid) || added) {
			head[i] = 1;
			if (g >= 0)
				last[g] = i;
		} else {
			head[i] = 0;
			next[last[g]] = i;
			last[g] = i;
		}
	}
	long index = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!head[i])
			continue;
		const J *rel = licit_json_at(rels, i);
		index++;
		if (next[i] == n) {
			rc = fn(ctx, rel, index, NULL);
			continue;
		}
		size_t k = 0;
		for (size_t j = i; j < n; j = next[j])
			members[k++] = licit_json_at(rels, j);
		const J *c = licit_ocds_compile(members, k, a);
		rc = c ? fn(ctx, c, index, NULL)
		       : licit_error_set(err, NULL, 0, NULL, "out of memory");
	}
done:
	free(next);
	free(last);
	free(head);
	free(members);
	licit_map_free(ids);
	return rc;
}

static int walk_record(const J *rec, long index, struct licit_arena *a,
                       licit_ocds_release_fn fn, void *ctx, struct licit_error *err)
{
	const J *cr = get(rec, "compiledRelease");
	if (licit_json_is_object(cr))
		return fn(ctx, cr, index, NULL);
	const J *rels = get(rec, "releases");
	size_t n = licit_json_size(rels);
	if (n == 0)
		return licit_error_set(err, NULL, 0, "records", "record %ld has "
		                       "neither compiledRelease nor releases", index);
	/* linked releases carry only url, date and tag: nothing to compile */
	int embedded = 0;
	const J **r = malloc(n * sizeof *r);
	if (!r)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (size_t i = 0; i < n; i++) {
		r[i] = licit_json_at(rels, i);
		if (get(r[i], "ocid"))
			embedded = 1;
	}
	const J *c = licit_ocds_compile(r, n, a);
	free(r);
	if (!c)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (!get(c, "ocid") && get(rec, "ocid")) {
		const struct licit_json_member ocid = {"ocid", 4, LICIT_JSON_PLAIN, *get(rec, "ocid")};
		const J add = {LICIT_JSON_OBJECT, 0, 1, {.members = (struct licit_json_member *)&ocid}};
		J *with = licit_arena_alloc(a, sizeof *with);
		if (!with || merge_object(c, &add, with, a) < 0)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		c = with;
	}
	return fn(ctx, c, index,
	          embedded ? NULL
	                   : "record has only linked releases and no "
	                     "compiledRelease: process fields are missing");
}

int licit_ocds_walk(const J *v, struct licit_arena *a, licit_ocds_release_fn fn,
                    void *ctx, struct licit_error *err)
{
	size_t i;
	const J *e;
	if (licit_json_is_array(v)) {
		foreach(v, i, e) {
			int rc = licit_ocds_walk(e, a, fn, ctx, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	if (!licit_json_is_object(v))
		return licit_error_set(err, NULL, 0, NULL,
		                       "not OCDS: expected a JSON object");
	const J *recs = get(v, "records");
	if (licit_json_is_array(recs)) {
		foreach(recs, i, e) {
			int rc = walk_record(e, (long)i + 1, a, fn, ctx, err);
			if (rc)
				return rc;
		}
		return 0;
	}
	const J *rels = get(v, "releases");
	if (licit_json_is_array(rels) && !get(v, "ocid"))
		return walk_release_package(rels, a, fn, ctx, err);
	if (get(v, "compiledRelease") || (licit_json_is_array(rels) && get(v, "ocid")))
		return walk_record(v, 1, a, fn, ctx, err);
	if (is_release(v))
		return fn(ctx, v, 1, NULL);
	return licit_error_set(err, NULL, 0, NULL,
	                       "not OCDS: no releases, records, compiledRelease "
	                       "or ocid");
}

/* ---- flattening ------------------------------------------------------------ */

/* planning itself is kept: it marks a release (is_release) */
const char *const licit_ocds_flatten_unread[] = {
	"documents", "milestones", "amendments", "amendment", "relatedProcesses",
	"implementation", "items", "address", "contactPoint", "additionalClassifications",
	"description", "budget", "unit", "language", NULL};

#define MAXPROB 12

struct flat {
	struct licit_arena *a;
	const J *rel;
	const char *vals[LICIT_NFIELDS];
	struct licit_problem prob[MAXPROB];
	size_t nprob;
	size_t nbase; /* problems of the whole release: on every row */
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
	char buf[240];
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

static const char *type_name(const J *v)
{
	switch (v->type) {
	case LICIT_JSON_OBJECT: return "an object";
	case LICIT_JSON_ARRAY: return "an array";
	case LICIT_JSON_STRING: return "a string";
	case LICIT_JSON_NUMBER: return "a number";
	case LICIT_JSON_NULL: return "null";
	default: return "a boolean";
	}
}

/* Where a value is: path of its parent ("" for the release) and key. */
struct at {
	const char *path;
	enum licit_field field; /* the canonical field it feeds */
};

static void wrong_type(struct flat *f, const J *v, const char *path, const char *key,
                       const char *want, enum licit_field field)
{
	problem(f, licit_field_name(field), v->type == LICIT_JSON_STRING ? v->u.s : "",
	        "%s/%s is %s, not %s: not read", path, key, type_name(v), want);
}

/* The member `key` of o when it has the type wanted; a member of another
 * type is a problem (with its JSON path) and reads as absent. */
static const J *want(struct flat *f, const J *o, const char *key, enum licit_json_type t,
                     const char *path, enum licit_field field)
{
	const J *v = get(o, key);
	if (!v || v->type == t)
		return v;
	wrong_type(f, v, path, key,
	           t == LICIT_JSON_OBJECT ? "an object" : t == LICIT_JSON_ARRAY ? "an array"
	                                                                     : "a string",
	           field);
	return NULL;
}

static const char *want_str(struct flat *f, const J *o, const char *key, const char *path,
                            enum licit_field field)
{
	return str(want(f, o, key, LICIT_JSON_STRING, path, field));
}

/* An identifier: a string, or a number as its digits. */
static const char *want_id(struct flat *f, const J *o, const char *key, const char *path,
                           enum licit_field field)
{
	const J *v = get(o, key);
	if (!v)
		return NULL;
	if (v->type == LICIT_JSON_STRING || v->type == LICIT_JSON_NUMBER)
		return v->u.s;
	wrong_type(f, v, path, key, "a string", field);
	return NULL;
}

/* An amount: a number as the digits of the text (exponent form written
 * out), or a string as it is (normalise reads it). */
static const char *want_amount(struct flat *f, const J *o, const char *path)
{
	const J *v = get(o, "amount");
	if (!v)
		return NULL;
	if (v->type == LICIT_JSON_STRING)
		return v->u.s;
	if (v->type != LICIT_JSON_NUMBER) {
		wrong_type(f, v, path, "amount", "a number", LICIT_F_AMOUNT);
		return NULL;
	}
	char buf[LICIT_JSON_PLAIN_MAX + 1];
	if (licit_json_plain_number(v, buf, sizeof buf) < 0) {
		problem(f, "amount", v->u.s, "%s/amount %s is out of range: not read", path, v->u.s);
		return NULL;
	}
	return strcmp(buf, v->u.s) == 0 ? v->u.s : licit_arena_strndup(f->a, buf, strlen(buf));
}

static const J *party(const J *rel, const char *id)
{
	size_t i;
	const J *p;
	if (!id)
		return NULL;
	foreach(get(rel, "parties"), i, p) {
		const char *pid = str(get(p, "id"));
		if (pid && strcmp(pid, id) == 0)
			return p;
	}
	return NULL;
}

static int has_role(const J *p, const char *role)
{
	size_t i;
	const J *r;
	foreach(get(p, "roles"), i, r)
		if (str(r) && strcmp(str(r), role) == 0)
			return 1;
	return 0;
}

/* The parties with a role; returns how many, *first gets the first. */
static size_t parties_with(const J *rel, const char *role, const J **first)
{
	size_t i, n = 0;
	const J *p;
	*first = NULL;
	foreach(get(rel, "parties"), i, p)
		if (has_role(p, role) && n++ == 0)
			*first = p;
	return n;
}

static const char *rfc_of(const J *rel, const J *org)
{
	const char *id = str(get(org, "id"));
	const J *p = party(rel, id);
	const J *ident = get(p ? p : org, "identifier");
	const char *scheme = str(get(ident, "scheme"));
	if (scheme && strcmp(scheme, "MX-RFC") == 0)
		return str(get(ident, "id"));
	size_t i;
	const J *e;
	foreach(get(p, "additionalIdentifiers"), i, e) {
		scheme = str(get(e, "scheme"));
		if (scheme && strcmp(scheme, "MX-RFC") == 0)
			return str(get(e, "id"));
	}
	/* an id of RFC length is worth validating: normalise checks it */
	if (id && (strlen(id) == 12 || strlen(id) == 13))
		return id;
	return NULL;
}

/* An organization reference's id and name; OCDS 1.0 buyers have no id,
 * only an identifier. */
static void set_org(struct flat *f, const J *org, enum licit_field id,
                    enum licit_field name, const char *path)
{
	const char *oid = want_id(f, org, "id", path, id);
	if (!oid)
		oid = str(get2(org, "identifier", "id"));
	const char *oname = want_str(f, org, "name", path, name);
	if (!oname)
		oname = str(get(party(f->rel, oid), "name"));
	f->vals[id] = oid;
	f->vals[name] = oname;
}

static long count_tenderers(const J *rel, const J *t)
{
	const J *n = get(t, "numberOfTenderers");
	if (licit_json_is_number(n)) {
		double d = licit_json_double(n);
		if (d == d && d >= 0 && d < 1e9)
			return (long)d;
	}
	const J *ts = get(t, "tenderers");
	if (licit_json_is_array(ts))
		return (long)licit_json_size(ts);
	/* distinct tenderer ids among the bids */
	const J *bids = get2(rel, "bids", "details");
	if (!licit_json_is_array(bids))
		return -1;
	struct licit_map *seen = licit_map_new();
	if (!seen)
		return -1;
	size_t i, j;
	const J *b, *tt;
	foreach(bids, i, b)
		foreach(get(b, "tenderers"), j, tt) {
			const char *id = str(get(tt, "id"));
			if (id)
				licit_map_put(seen, id, strlen(id), NULL);
		}
	long c = (long)licit_map_count(seen);
	licit_map_free(seen);
	return c;
}

static void set_value(struct flat *f, const J *val, const char *path)
{
	f->vals[LICIT_F_AMOUNT] = want_amount(f, val, path);
	f->vals[LICIT_F_CURRENCY] = want_str(f, val, "currency", path, LICIT_F_CURRENCY);
}

static void set_supplier(struct flat *f, const J *suppliers, const char *where,
                         const char *path)
{
	const J *first = NULL;
	size_t n = licit_json_size(suppliers);
	if (n > 0) {
		first = licit_json_at(suppliers, 0);
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
	set_org(f, first, LICIT_F_SUPPLIER_ID, LICIT_F_SUPPLIER_NAME, path);
	f->vals[LICIT_F_SUPPLIER_RFC] = rfc_of(f->rel, first);
}

static int emit(struct flat *f)
{
	f->rows++;
	int rc = f->fn(f->ctx, f->vals, f->prob, f->nprob);
	f->nprob = f->nbase;
	return rc;
}

/* Emits a row of a contract or award whose "licit" object (licit's own
 * OCDS output: the canonical values that no OCDS path gives back exactly,
 * licit-normalise(1)) is applied last, for this row only. */
static int emit_with(struct flat *f, const J *ext)
{
	if (!licit_json_is_object(ext) || ext->n == 0)
		return emit(f);
	const char *saved[LICIT_NFIELDS];
	memcpy(saved, f->vals, sizeof saved);
	for (uint32_t i = 0; i < ext->n; i++) {
		int fld = licit_field_lookup(ext->u.members[i].key);
		const char *v = licit_json_str(&ext->u.members[i].v);
		if (fld >= 0 && v)
			f->vals[fld] = v;
	}
	int rc = emit(f);
	memcpy(f->vals, saved, sizeof saved);
	return rc;
}

static const J *award_by_id(const J *awards, const J *id)
{
	size_t i;
	const J *a;
	foreach(awards, i, a)
		if (same_id(get(a, "id"), id))
			return a;
	return NULL;
}

/* Release-level fields: the same on every row of the release. */
static void set_process(struct flat *f, const J *rel, const J *t)
{
	f->vals[LICIT_F_OCID] = want_str(f, rel, "ocid", "", LICIT_F_OCID);
	f->vals[LICIT_F_PROCEDURE_ID] = want_id(f, t, "id", "/tender", LICIT_F_PROCEDURE_ID);
	const J *buyer = want(f, rel, "buyer", LICIT_JSON_OBJECT, "", LICIT_F_BUYER_ID);
	if (!buyer)
		parties_with(rel, "buyer", &buyer);
	set_org(f, buyer, LICIT_F_BUYER_ID, LICIT_F_BUYER_NAME, "/buyer");
	/* OCDS has no institution above the buyer: the buyer stands for it */
	f->vals[LICIT_F_ENTITY_ID] = f->vals[LICIT_F_BUYER_ID];
	f->vals[LICIT_F_ENTITY_NAME] = f->vals[LICIT_F_BUYER_NAME];
	const char *method = want_str(f, t, "procurementMethod", "/tender", LICIT_F_PROCEDURE_TYPE);
	f->vals[LICIT_F_PROCEDURE_TYPE] = method;
	f->vals[LICIT_F_METHOD_DETAILS] =
		want_str(f, t, "procurementMethodDetails", "/tender", LICIT_F_METHOD_DETAILS);
	f->vals[LICIT_F_CONTRACT_TYPE] =
		want_str(f, t, "mainProcurementCategory", "/tender", LICIT_F_CONTRACT_TYPE);
	/* the rationale of an open procedure is not an exception to it */
	const char *rationale =
		want_str(f, t, "procurementMethodRationale", "/tender", LICIT_F_EXCEPTION);
	if (!method || strcmp(method, "open") != 0)
		f->vals[LICIT_F_EXCEPTION] = rationale;
	const J *tp = want(f, t, "tenderPeriod", LICIT_JSON_OBJECT, "/tender", LICIT_F_TENDER_START);
	f->vals[LICIT_F_TENDER_START] =
		want_str(f, tp, "startDate", "/tender/tenderPeriod", LICIT_F_TENDER_START);
	f->vals[LICIT_F_TENDER_END] =
		want_str(f, tp, "endDate", "/tender/tenderPeriod", LICIT_F_TENDER_END);
	long nt = count_tenderers(rel, t);
	if (nt >= 0) {
		char buf[24];
		snprintf(buf, sizeof buf, "%ld", nt);
		f->vals[LICIT_F_N_TENDERERS] = licit_arena_strndup(f->a, buf, strlen(buf));
	}
}

static int contract_row(struct flat *f, const J *c, const J *awards, const char *path,
                        const char *tender_title)
{
	const J *award = award_by_id(awards, get(c, "awardID"));
	f->vals[LICIT_F_CONTRACT_ID] = want_id(f, c, "id", path, LICIT_F_CONTRACT_ID);
	const char *title = want_str(f, c, "title", path, LICIT_F_TITLE);
	if (!title)
		title = str(get(award, "title"));
	f->vals[LICIT_F_TITLE] = title ? title : tender_title;
	char vpath[80];
	snprintf(vpath, sizeof vpath, "%s/value", path);
	const J *val = want(f, c, "value", LICIT_JSON_OBJECT, path, LICIT_F_AMOUNT);
	if (!get(val, "amount") && get2(c, "valueWithTax", "amount")) {
		val = get(c, "valueWithTax");
		snprintf(vpath, sizeof vpath, "%s/valueWithTax", path);
		problem(f, "amount", "", "contracts/value missing: amount "
		        "taken from contracts/valueWithTax");
	} else if (!get(val, "amount") && get2(award, "value", "amount")) {
		val = get(award, "value");
		snprintf(vpath, sizeof vpath, "the award's value");
		problem(f, "amount", "", "contracts/value missing: amount "
		        "taken from the award's value");
	}
	set_value(f, val, vpath);
	f->vals[LICIT_F_SIGNED_DATE] = want_str(f, c, "dateSigned", path, LICIT_F_SIGNED_DATE);
	char ppath[80];
	snprintf(ppath, sizeof ppath, "%s/period", path);
	const J *period = want(f, c, "period", LICIT_JSON_OBJECT, path, LICIT_F_START_DATE);
	f->vals[LICIT_F_START_DATE] = want_str(f, period, "startDate", ppath, LICIT_F_START_DATE);
	f->vals[LICIT_F_END_DATE] = want_str(f, period, "endDate", ppath, LICIT_F_END_DATE);
	f->vals[LICIT_F_AWARD_DATE] = str(get(award, "date"));
	f->vals[LICIT_F_STATUS] = want_str(f, c, "status", path, LICIT_F_STATUS);
	const J *sup = get(award, "suppliers");
	if (!licit_json_size(sup))
		sup = get(c, "suppliers"); /* the Mexican APF extension */
	set_supplier(f, sup, award ? "award" : "contract", path);
	return emit_with(f, get(c, "licit"));
}

static int award_row(struct flat *f, const J *aw, const char *path, const char *tender_title)
{
	f->vals[LICIT_F_CONTRACT_ID] = NULL;
	const char *title = want_str(f, aw, "title", path, LICIT_F_TITLE);
	f->vals[LICIT_F_TITLE] = title ? title : tender_title;
	char vpath[80], ppath[80];
	snprintf(vpath, sizeof vpath, "%s/value", path);
	snprintf(ppath, sizeof ppath, "%s/contractPeriod", path);
	set_value(f, want(f, aw, "value", LICIT_JSON_OBJECT, path, LICIT_F_AMOUNT), vpath);
	f->vals[LICIT_F_SIGNED_DATE] = NULL;
	const J *cp = want(f, aw, "contractPeriod", LICIT_JSON_OBJECT, path, LICIT_F_START_DATE);
	f->vals[LICIT_F_START_DATE] = want_str(f, cp, "startDate", ppath, LICIT_F_START_DATE);
	f->vals[LICIT_F_END_DATE] = want_str(f, cp, "endDate", ppath, LICIT_F_END_DATE);
	f->vals[LICIT_F_AWARD_DATE] = want_str(f, aw, "date", path, LICIT_F_AWARD_DATE);
	f->vals[LICIT_F_STATUS] = want_str(f, aw, "status", path, LICIT_F_STATUS);
	const J *sup = want(f, aw, "suppliers", LICIT_JSON_ARRAY, path, LICIT_F_SUPPLIER_ID);
	set_supplier(f, sup, "award", path);
	return emit_with(f, get(aw, "licit"));
}

int licit_ocds_flatten(const J *rel, struct licit_arena *a, licit_ocds_row_fn fn,
                       void *ctx, long *inactive)
{
	struct flat f = {.a = a, .rel = rel, .fn = fn, .ctx = ctx};
	const J *t = want(&f, rel, "tender", LICIT_JSON_OBJECT, "", LICIT_F_PROCEDURE_ID);
	set_process(&f, rel, t);
	const char *tender_title = want_str(&f, t, "title", "/tender", LICIT_F_TITLE);
	const J *contracts = want(&f, rel, "contracts", LICIT_JSON_ARRAY, "", LICIT_F_CONTRACT_ID);
	const J *awards = want(&f, rel, "awards", LICIT_JSON_ARRAY, "", LICIT_F_AWARD_DATE);
	size_t i;
	const J *c, *aw;
	char path[48];
	/* items that are no objects: problems of every row */
	foreach(contracts, i, c)
		if (!licit_json_is_object(c)) {
			snprintf(path, sizeof path, "%zu", i);
			wrong_type(&f, c, "/contracts", path, "an object", LICIT_F_CONTRACT_ID);
		}
	foreach(awards, i, aw)
		if (!licit_json_is_object(aw)) {
			snprintf(path, sizeof path, "%zu", i);
			wrong_type(&f, aw, "/awards", path, "an object", LICIT_F_AWARD_DATE);
		}
	f.nbase = f.nprob;
	foreach(contracts, i, c) {
		snprintf(path, sizeof path, "/contracts/%zu", i);
		if (licit_json_is_object(c) && contract_row(&f, c, awards, path, tender_title))
			return -1;
	}
	/* awards that no contract implements are rows of their own */
	foreach(awards, i, aw) {
		snprintf(path, sizeof path, "/awards/%zu", i);
		if (!licit_json_is_object(aw))
			continue;
		size_t j;
		int implemented = 0;
		foreach(contracts, j, c)
			if (same_id(get(c, "awardID"), get(aw, "id")))
				implemented = 1;
		if (implemented)
			continue;
		/* a pending, cancelled or unsuccessful award is no contract */
		const char *st = str(get(aw, "status"));
		if (st && (strcmp(st, "pending") == 0 || strcmp(st, "cancelled") == 0 ||
		           strcmp(st, "unsuccessful") == 0)) {
			if (inactive)
				(*inactive)++;
			continue;
		}
		if (award_row(&f, aw, path, tender_title))
			return -1;
	}
	if (f.rows == 0 && f.nbase > 0 && fn(ctx, NULL, f.prob, f.nbase))
		return -1;
	return f.rows;
}
