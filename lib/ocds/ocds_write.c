/* OCDS output: canonical records to compiled releases, one per ocid.
 *
 * Records are grouped by ocid through licit_ocid_sort (each record kept as
 * the JSON array of its values), so the output does not depend on the
 * input order and memory stays bounded. A group becomes one release: the
 * procedure-level fields come from its first record, each record is an
 * award and a contract. The release is then read back with the OCDS
 * reader's own flattening, and every canonical value that it does not
 * give back exactly goes into the contract's "licit" object, which that
 * reader applies last: the round trip is exact by construction. */
#include "licit/ocds/ocds_write.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/io/json.h"
#include "licit/ocds/ocds.h"
#include "licit/ocds/ocid_sort.h"
#include "licit/record/schema.h"
#include "licit/core/text.h"
#include "licit/values/value.h"

struct licit_ocds_writer {
	FILE *f;
	struct licit_ocid_sort *sort;
	long rows;
};

struct licit_ocds_writer *licit_ocds_writer_new(FILE *f, size_t memory)
{
	struct licit_ocds_writer *w = calloc(1, sizeof *w);
	if (w && !(w->sort = licit_ocid_sort_new(memory))) {
		free(w);
		w = NULL;
	}
	if (w)
		w->f = f;
	return w;
}

void licit_ocds_writer_discard(struct licit_ocds_writer *w)
{
	if (!w)
		return;
	licit_ocid_sort_free(w->sort);
	free(w);
}

int licit_ocds_writer_row(struct licit_ocds_writer *w, const char *const *vals,
                          struct licit_error *err)
{
	json_t *arr = json_array();
	for (int i = 0; arr && i < LICIT_NFIELDS; i++)
		json_array_append_new(arr, json_string(vals[i] ? vals[i] : ""));
	char *text = arr ? json_dumps(arr, JSON_COMPACT) : NULL;
	json_decref(arr);
	/* a record without an ocid is a release of its own */
	char key[600];
	const char *ocid = vals[LICIT_F_OCID] ? vals[LICIT_F_OCID] : "";
	if (!ocid[0])
		snprintf(key, sizeof key, "\x01%s:%s:%ld", vals[LICIT_F_SOURCE] ? vals[LICIT_F_SOURCE] : "",
		         vals[LICIT_F_SOURCE_LINE] ? vals[LICIT_F_SOURCE_LINE] : "", w->rows);
	const char *k = ocid[0] ? ocid : key;
	int rc = text ? licit_ocid_sort_add(w->sort, k, strlen(k), text, strlen(text), ++w->rows) : -1;
	free(text);
	if (rc < 0)
		return licit_error_set(err, NULL, 0, NULL, "OCDS output: %s",
		                       text ? licit_ocid_sort_error(w->sort) : "out of memory");
	return LICIT_OK;
}

/* ---- one release ---------------------------------------------------------- */

/* The values of a group's records, parsed back from their arrays. */
struct group {
	json_t **rec; /* arrays of LICIT_NFIELDS strings */
	size_t n;
};

static const char *val(const struct group *g, size_t i, enum licit_field f)
{
	return json_string_value(json_array_get(g->rec[i], (size_t)f));
}

static void set_str(json_t *o, const char *k, const char *v)
{
	if (v && v[0])
		json_object_set_new(o, k, json_string(v));
}

/* "YYYY-MM-DD" as an OCDS date-time (midnight, Mexico City time). */
static void set_date(json_t *o, const char *k, const char *d)
{
	char buf[40];
	if (!d || !d[0])
		return;
	if (strlen(d) == 10)
		snprintf(buf, sizeof buf, "%sT00:00:00-06:00", d);
	else
		snprintf(buf, sizeof buf, "%.39s", d);
	json_object_set_new(o, k, json_string(buf));
}

/* A canonical decimal as a JSON number (integers exactly; other values
 * as the double that reads back to the same shortest text). */
static json_t *number(const char *s)
{
	char *end;
	if (!s || !s[0])
		return NULL;
	if (!strchr(s, '.') && strlen(s) < 18) {
		long long v = strtoll(s, &end, 10);
		return *end ? NULL : json_integer(v);
	}
	double d = strtod(s, &end);
	return *end ? NULL : json_real(d);
}

static json_t *value(const char *amount, const char *currency)
{
	json_t *v = json_object(), *a = number(amount);
	if (a)
		json_object_set_new(v, "amount", a);
	set_str(v, "currency", currency);
	if (json_object_size(v) == 0) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static void set_obj(json_t *o, const char *k, json_t *v)
{
	if (v && json_object_size(v))
		json_object_set_new(o, k, v);
	else
		json_decref(v);
}

/* The contract status codelist from the status as exported. */
static const char *contract_status(const char *s)
{
	static const struct {
		const char *words, *status;
	} t[] = {
		{"activo", "active"}, {"active", "active"}, {"vigente", "active"},
		{"expirado", "terminated"}, {"terminado", "terminated"},
		{"terminated", "terminated"}, {"concluido", "terminated"},
		{"cancelado", "cancelled"}, {"cancelled", "cancelled"},
		{"pendiente", "pending"}, {"pending", "pending"},
	};
	char f[64];
	if (!s || !s[0] || strlen(s) >= sizeof f)
		return NULL;
	licit_text_fold(s, strlen(s), f);
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (strcmp(f, t[i].words) == 0)
			return t[i].status;
	return NULL;
}

/* The party with this id, added with the role if new. */
static json_t *party(json_t *parties, const char *id, const char *name, const char *role)
{
	size_t i;
	json_t *p;
	json_array_foreach(parties, i, p)
		if (strcmp(json_string_value(json_object_get(p, "id")), id) == 0) {
			json_t *roles = json_object_get(p, "roles");
			size_t j;
			json_t *r;
			json_array_foreach(roles, j, r)
				if (strcmp(json_string_value(r), role) == 0)
					return p;
			json_array_append_new(roles, json_string(role));
			return p;
		}
	p = json_object();
	json_object_set_new(p, "id", json_string(id));
	set_str(p, "name", name);
	json_object_set_new(p, "roles", json_pack("[s]", role));
	json_array_append_new(parties, p);
	return p;
}

static const char *latest_date(const struct group *g)
{
	static const enum licit_field dates[] = {
		LICIT_F_TENDER_START, LICIT_F_TENDER_END, LICIT_F_AWARD_DATE,
		LICIT_F_SIGNED_DATE, LICIT_F_START_DATE};
	const char *best = NULL;
	for (size_t i = 0; i < g->n; i++)
		for (size_t k = 0; k < sizeof dates / sizeof *dates; k++) {
			const char *d = val(g, i, dates[k]);
			if (d && d[0] && (!best || strcmp(d, best) > 0))
				best = d;
		}
	return best;
}

static json_t *build(const struct group *g)
{
	const char *ocid = val(g, 0, LICIT_F_OCID);
	char made[600];
	if (!ocid || !ocid[0]) {
		snprintf(made, sizeof made, "licit-%s-%s", val(g, 0, LICIT_F_SOURCE),
		         val(g, 0, LICIT_F_SOURCE_LINE));
		ocid = made;
	}
	json_t *rel = json_object();
	json_object_set_new(rel, "ocid", json_string(ocid));
	json_object_set_new(rel, "id", json_string(ocid));
	const char *d = latest_date(g);
	/* OCDS requires a date: the epoch says that none is known */
	set_date(rel, "date", d ? d : "1970-01-01T00:00:00Z");
	json_object_set_new(rel, "tag", json_pack("[s]", "compiled"));
	json_object_set_new(rel, "initiationType", json_string("tender"));
	json_t *parties = json_array();
	json_object_set_new(rel, "parties", parties);

	const char *bid = val(g, 0, LICIT_F_BUYER_ID), *bname = val(g, 0, LICIT_F_BUYER_NAME);
	if (bid[0]) {
		json_t *bp = party(parties, bid, bname, "buyer");
		const char *eid = val(g, 0, LICIT_F_ENTITY_ID);
		if (eid[0] && strcmp(eid, bid) != 0) /* the institution above the buyer */
			json_object_set_new(bp, "memberOf", json_pack("[{s:s,s:s}]", "id", eid,
			                    "name", val(g, 0, LICIT_F_ENTITY_NAME)));
		json_t *b = json_object();
		json_object_set_new(b, "id", json_string(bid));
		set_str(b, "name", bname);
		json_object_set_new(rel, "buyer", b);
	} else if (bname[0]) {
		json_object_set_new(rel, "buyer", json_pack("{s:s}", "name", bname));
	}

	json_t *t = json_object();
	set_str(t, "id", val(g, 0, LICIT_F_PROCEDURE_ID));
	set_str(t, "procurementMethod", val(g, 0, LICIT_F_PROCEDURE_TYPE));
	set_str(t, "procurementMethodDetails", val(g, 0, LICIT_F_METHOD_DETAILS));
	set_str(t, "procurementMethodRationale", val(g, 0, LICIT_F_EXCEPTION));
	set_str(t, "mainProcurementCategory", val(g, 0, LICIT_F_CONTRACT_TYPE));
	json_t *tp = json_object();
	set_date(tp, "startDate", val(g, 0, LICIT_F_TENDER_START));
	set_date(tp, "endDate", val(g, 0, LICIT_F_TENDER_END));
	set_obj(t, "tenderPeriod", tp);
	const char *nt = val(g, 0, LICIT_F_N_TENDERERS);
	if (nt[0])
		json_object_set_new(t, "numberOfTenderers", json_integer(strtoll(nt, NULL, 10)));
	const char *url = val(g, 0, LICIT_F_URL);
	if (url[0])
		json_object_set_new(t, "documents", json_pack("[{s:s,s:s,s:s}]", "id", "1",
		                    "documentType", "tenderNotice", "url", url));
	set_obj(rel, "tender", t);

	json_t *awards = json_array(), *contracts = json_array();
	for (size_t i = 0; i < g->n; i++) {
		/* ids are unique in the release: a repeated contract id gets
		 * its position */
		char id[600];
		const char *cid = val(g, i, LICIT_F_CONTRACT_ID);
		int repeated = !cid[0];
		for (size_t j = 0; j < i && !repeated; j++)
			repeated = strcmp(val(g, j, LICIT_F_CONTRACT_ID), cid) == 0;
		if (repeated)
			snprintf(id, sizeof id, "%s#%zu", cid, i + 1);
		else
			snprintf(id, sizeof id, "%s", cid);

		json_t *aw = json_object();
		json_object_set_new(aw, "id", json_string(id));
		json_object_set_new(aw, "status", json_string("active"));
		set_date(aw, "date", val(g, i, LICIT_F_AWARD_DATE));
		const char *sid = val(g, i, LICIT_F_SUPPLIER_ID), *sname = val(g, i, LICIT_F_SUPPLIER_NAME);
		if (sid[0]) {
			json_t *sp = party(parties, sid, sname, "supplier");
			const char *rfc = val(g, i, LICIT_F_SUPPLIER_RFC);
			if (rfc[0] && !json_object_get(sp, "identifier"))
				json_object_set_new(sp, "identifier", json_pack("{s:s,s:s}", "scheme",
				                    "MX-RFC", "id", rfc));
			json_t *s = json_pack("{s:s}", "id", sid);
			set_str(s, "name", sname);
			json_object_set_new(aw, "suppliers", json_pack("[o]", s));
		}
		json_array_append_new(awards, aw);

		json_t *c = json_object();
		json_object_set_new(c, "id", json_string(id));
		json_object_set_new(c, "awardID", json_string(id));
		set_str(c, "title", val(g, i, LICIT_F_TITLE));
		set_obj(c, "value", value(val(g, i, LICIT_F_AMOUNT), val(g, i, LICIT_F_CURRENCY)));
		set_date(c, "dateSigned", val(g, i, LICIT_F_SIGNED_DATE));
		json_t *cp = json_object();
		set_date(cp, "startDate", val(g, i, LICIT_F_START_DATE));
		set_date(cp, "endDate", val(g, i, LICIT_F_END_DATE));
		set_obj(c, "period", cp);
		set_str(c, "status", contract_status(val(g, i, LICIT_F_STATUS)));
		json_array_append_new(contracts, c);
	}
	json_object_set_new(rel, "awards", awards);
	json_object_set_new(rel, "contracts", contracts);
	return rel;
}

/* ---- what the reader gives back ------------------------------------------------ */

/* The reader's value as normalise cleans it, for the types whose OCDS
 * form differs from the canonical one (date-times, JSON numbers). */
static const char *cleaned(enum licit_field f, const char *got, char *buf, size_t cap)
{
	struct licit_amount a;
	switch (licit_field_type(f)) {
	case LICIT_T_DATE:
		return licit_date_parse(got, strlen(got), buf, cap) == LICIT_DATE_OK ? buf : got;
	case LICIT_T_AMOUNT:
		return licit_amount_parse(got, strlen(got), &a, buf, cap) == LICIT_AMOUNT_OK ? buf : got;
	default:
		return got;
	}
}

struct check {
	const struct group *g;
	json_t *contracts;
	size_t k;
};

static int compare(void *ctx, const char *const *vals, const struct licit_problem *p,
                   size_t np)
{
	(void)p;
	(void)np;
	struct check *c = ctx;
	if (!vals) /* problems of a release with no row: c->k says it */
		return 0;
	if (c->k >= c->g->n)
		return 1;
	json_t *ext = json_object();
	for (int f = 0; f < LICIT_NFIELDS; f++) {
		const char *want = val(c->g, c->k, (enum licit_field)f);
		char buf[128];
		const char *got = cleaned((enum licit_field)f, vals[f] ? vals[f] : "", buf, sizeof buf);
		if (strcmp(want, got) != 0)
			json_object_set_new(ext, licit_field_name((enum licit_field)f), json_string(want));
	}
	set_obj(json_array_get(c->contracts, c->k), "licit", ext);
	c->k++;
	return 0;
}

static int write_group(struct licit_ocds_writer *w, const struct licit_ocid_member *m,
                       size_t n, struct licit_error *err)
{
	struct group g = {calloc(n, sizeof *g.rec), 0};
	int rc = LICIT_OK;
	for (size_t i = 0; g.rec && i < n; i++) {
		json_t *a = json_loadb(m[i].text, m[i].len, 0, NULL);
		if (!json_is_array(a) || json_array_size(a) != LICIT_NFIELDS) {
			json_decref(a);
			rc = licit_error_set(err, NULL, 0, NULL, "OCDS output: a record was lost "
			                     "in the temporary files");
			break;
		}
		g.rec[g.n++] = a;
	}
	if (!g.rec)
		rc = licit_error_set(err, NULL, 0, NULL, "out of memory");
	json_t *rel = rc == LICIT_OK ? build(&g) : NULL;
	if (rel) {
		/* read back as the OCDS reader reads it */
		struct licit_arena a;
		licit_arena_init(&a, 4096);
		struct check c = {&g, json_object_get(rel, "contracts"), 0};
		struct licit_json_error je;
		char *plain = json_dumps(rel, JSON_COMPACT);
		const struct licit_json *back = plain ? licit_json_parse(plain, strlen(plain), &a, NULL, &je) : NULL;
		if (!back || licit_ocds_flatten(back, &a, compare, &c, NULL) < 0 || c.k != g.n)
			rc = licit_error_set(err, NULL, 0, NULL, "OCDS output: release %s does "
			                     "not read back", json_string_value(json_object_get(rel, "ocid")));
		free(plain);
		licit_arena_fini(&a);
		char *text = rc == LICIT_OK ? json_dumps(rel, JSON_COMPACT) : NULL;
		if (rc == LICIT_OK && (!text || fputs(text, w->f) == EOF || putc('\n', w->f) == EOF))
			rc = licit_error_set(err, NULL, 0, NULL, "write error: %s", strerror(errno));
		free(text);
		json_decref(rel);
	}
	for (size_t i = 0; i < g.n; i++)
		json_decref(g.rec[i]);
	free(g.rec);
	return rc;
}

int licit_ocds_writer_close(struct licit_ocds_writer *w, struct licit_error *err)
{
	const struct licit_ocid_member *m;
	size_t n;
	int got, rc = LICIT_OK;
	while (rc == LICIT_OK && (got = licit_ocid_sort_next(w->sort, &m, &n)) > 0)
		rc = write_group(w, m, n, err);
	if (rc == LICIT_OK && got < 0)
		rc = licit_error_set(err, NULL, 0, NULL, "OCDS output: %s",
		                     licit_ocid_sort_error(w->sort));
	if (rc == LICIT_OK && (fflush(w->f) != 0 || ferror(w->f)))
		rc = licit_error_set(err, NULL, 0, NULL, "write error: %s", strerror(errno));
	licit_ocds_writer_discard(w);
	return rc;
}
