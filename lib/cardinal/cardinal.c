/* Cardinal-compatible red-flag indicators over OCDS compiled releases. */
#include "licit/cardinal/cardinal.h"
#include "licit/values/value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/cardinal/cardinal_map.h"
#include "licit/cardinal/cardinal_r044.h"
#include "licit/cardinal/cardinal_summary.h"
#include "licit/core/map.h"
#include "licit/cardinal/prepare.h"
#include "licit/ocds/ocds.h"
#include "licit/io/reader.h"
#include "licit/core/stats.h"
#include <jansson.h>

typedef struct licit_json J;

static const char *const codes[LICIT_NIND] = {
	"R003", "R018", "R024", "R025", "R028", "R030",
	"R035", "R036", "R038", "R044", "R048", "R058"};

const char *licit_cardinal_code(enum licit_cardinal_ind i) { return codes[i]; }

int licit_cardinal_lookup(const char *code)
{
	for (int i = 0; i < LICIT_NIND; i++)
		if (strcmp(codes[i], code) == 0)
			return i;
	return -1;
}

int licit_cardinal_implemented(enum licit_cardinal_ind i)
{
	(void)i;
	return 1;
}

/* ---- pipe-separated sets ------------------------------------------------ */

/* Rust's split_terminator('|'): "a|b|" gives a, b; "" gives nothing. */
int licit_strset_parse(struct licit_strset *s, const char *list)
{
	licit_strset_fini(s);
	if (!list || !*list)
		return 0;
	const char *p = list;
	for (;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		/* "open | selective": blanks around an element are not part of it */
		while (n && (*p == ' ' || *p == '\t'))
			p++, n--;
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (!bar && n == 0)
			break;
		char **v = realloc(s->v, (s->n + 1) * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		if (!(v[s->n] = malloc(n + 1)))
			return -1;
		memcpy(v[s->n], p, n);
		v[s->n++][n] = '\0';
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

int licit_strset_has(const struct licit_strset *s, const char *x)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 1;
	return 0;
}

void licit_strset_fini(struct licit_strset *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void licit_cardinal_settings_init(struct licit_cardinal_settings *s)
{
	memset(s, 0, sizeof *s);
	s->r003_threshold = 15;
	s->r035_threshold = 1;
	s->r025_percentile = 75;
	s->r038_min_bids = 2;
	s->r038_min_processes = 2;
	s->r048_digits = 2;
	s->r048_min_processes = 20;
	licit_strset_parse(&s->r018_methods, "open|selective");
}

void licit_cardinal_settings_fini(struct licit_cardinal_settings *s)
{
	licit_strset_fini(&s->price_methods);
	licit_strset_fini(&s->no_price_methods);
	licit_strset_fini(&s->exclude_method_details);
	licit_strset_fini(&s->r003_methods);
	licit_strset_fini(&s->r018_methods);
	for (size_t i = 0; i < s->r003_ndetails; i++)
		free(s->r003_details[i]);
	free(s->r003_details);
	free(s->r003_details_days);
	s->r003_details = NULL;
	s->r003_details_days = NULL;
	s->r003_ndetails = 0;
}

/* ---- statistics and number formatting ------------------------------------ */

double licit_cardinal_quantile(const double *v, size_t n, double tau)
{
	if (n == 0 || !(tau >= 0.0 && tau <= 1.0))
		return NAN;
	double h = ((double)n + 1.0 / 3.0) * tau + 1.0 / 3.0;
	long long hf = (long long)h;
	if (hf <= 0 || tau == 0.0)
		return v[0];
	if (hf >= (long long)n || tau == 1.0)
		return v[n - 1];
	double a = v[hf - 1], b = v[hf];
	return a + (h - (double)hf) * (b - a);
}

int licit_cardinal_format(double v, char *out, size_t cap)
{
	if (!isfinite(v))
		return snprintf(out, cap, "null");
	if (v == 0.0)
		return snprintf(out, cap, signbit(v) ? "-0.0" : "0.0");
	char buf[40];
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	/* serde_json (ryu) writes plain decimals between 1e-5 and 1e16 */
	double a = fabs(v);
	if (strchr(buf, 'e') && a >= 1e-5 && a < 1e16) {
		int digits = 0;
		for (const char *p = buf; *p && *p != 'e'; p++)
			digits += isdigit((unsigned char)*p) != 0;
		int e = (int)floor(log10(a));
		int decimals = digits - 1 - e;
		snprintf(buf, sizeof buf, "%.*f", decimals > 0 ? decimals : 0, v);
	}
	if (!strchr(buf, '.') && !strchr(buf, 'e'))
		strcat(buf, ".0");
	char *e = strchr(buf, 'e');
	if (e) { /* 1e+16 -> 1e16, 1e-07 -> 1e-7 */
		char tail[16];
		const char *p = e + 1;
		int neg = *p == '-';
		if (*p == '+' || *p == '-')
			p++;
		while (*p == '0' && p[1])
			p++;
		snprintf(tail, sizeof tail, "%s%s", neg ? "-" : "", p);
		strcpy(e + 1, tail);
	}
	return snprintf(out, cap, "%s", buf);
}

/* ---- results ---------------------------------------------------------------- */

enum { G_OCID, G_BUYER, G_PE, G_TENDERER, NGROUPS };
static const char *const group_names[NGROUPS] = {"OCID", "Buyer", "ProcuringEntity",
                                                  "Tenderer"};

struct group {
	struct licit_map *ids;
	double *val; /* LICIT_NIND per id, NAN = not set */
	size_t cap;
};

struct ratio {
	double r;
	char *winner, *other;
};

struct licit_cardinal {
	const struct licit_cardinal_settings *s;
	struct licit_arena prepared; /* what prepare adds to a release */
	struct licit_cardinal_maps *maps; /* --map, else NULL */
	struct licit_cardinal_summary *summary; /* --summary, else NULL */
	struct group g[NGROUPS];
	char *currency; /* the run's currency: set, or the first seen */
	struct licit_map *ratio_ids;
	struct ratio *ratios;
	size_t ratio_cap;
	/* Meta: q1, q3, fence per fence-based indicator */
	int has_meta[LICIT_NIND], has_q[LICIT_NIND];
	double q1[LICIT_NIND], q3[LICIT_NIND], fence[LICIT_NIND];
	/* fractions: R025 per tenderer, R038 per buyer, procuring entity, tenderer */
	struct frac { struct licit_map *ids; long *num, *den; size_t cap; } r025, r038[3];
	/* R048 per supplier: num = processes, den = distinct (supplier, code)
	 * pairs, which r048_pairs tells apart */
	struct frac r048;
	struct licit_map *r048_pairs;
	double r038_q1[3], r038_q3[3], r038_fence[3];
	int r038_meta[3], r025_meta;
	double r025_upper;
	int oom;
};

static long frac_add(struct licit_cardinal *c, struct frac *f, const char *id, long num,
                     long den)
{
	if (!f->ids && !(f->ids = licit_map_new()))
		goto oom;
	long k = licit_map_put(f->ids, id, strlen(id), NULL);
	if (k < 0)
		goto oom;
	if ((size_t)k >= f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 256;
		long *n = realloc(f->num, cap * sizeof *n);
		if (n)
			f->num = n;
		long *d = n ? realloc(f->den, cap * sizeof *d) : NULL;
		if (!d)
			goto oom;
		f->den = d;
		memset(f->num + f->cap, 0, (cap - f->cap) * sizeof *n);
		memset(f->den + f->cap, 0, (cap - f->cap) * sizeof *d);
		f->cap = cap;
	}
	f->num[k] += num;
	f->den[k] += den;
	return k;
oom:
	c->oom = 1;
	return -1;
}

static void frac_free(struct frac *f)
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
	if (!(c->ratio_ids = licit_map_new()))
		goto fail;
	if (s->currency && !(c->currency = strdup(s->currency)))
		goto fail;
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
	size_t n = licit_map_count(c->ratio_ids);
	for (size_t i = 0; i < n; i++) {
		free(c->ratios[i].winner);
		free(c->ratios[i].other);
	}
	licit_map_free(c->ratio_ids);
	free(c->ratios);
	frac_free(&c->r025);
	for (int i = 0; i < 3; i++)
		frac_free(&c->r038[i]);
	frac_free(&c->r048);
	licit_map_free(c->r048_pairs);
	free(c->currency);
	free(c);
}

static void map_add(struct licit_cardinal *c, enum licit_cmap which, const char *ocid,
                    const char *id)
{
	if (c->maps && licit_cardinal_maps_add(c->maps, which, ocid, id) < 0)
		c->oom = 1;
}

static void set_result(struct licit_cardinal *c, int group, const char *id,
                       enum licit_cardinal_ind ind, double v)
{
	struct group *g = &c->g[group];
	int added;
	long k = licit_map_put(g->ids, id, strlen(id), &added);
	if (k < 0) {
		c->oom = 1;
		return;
	}
	if ((size_t)k >= g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 64;
		double *nv = realloc(g->val, cap * LICIT_NIND * sizeof *nv);
		if (!nv) {
			c->oom = 1;
			return;
		}
		g->val = nv;
		g->cap = cap;
	}
	if (added)
		for (int i = 0; i < LICIT_NIND; i++)
			g->val[(size_t)k * LICIT_NIND + i] = NAN;
	g->val[(size_t)k * LICIT_NIND + ind] = v;
}

/* ---- release helpers (Cardinal's Indicators:: functions) -------------------- */

static const char *str(const J *o, const char *key)
{
	const J *v = licit_json_get_raw(o, key);
	return licit_json_is_string(v) ? licit_json_str(v) : NULL;
}

static const J *obj(const J *o, const char *key)
{
	const J *v = licit_json_get_raw(o, key);
	return licit_json_is_object(v) ? v : NULL;
}

static const J *arr(const J *o, const char *key)
{
	const J *v = licit_json_get_raw(o, key);
	return licit_json_is_array(v) ? v : NULL;
}

static int matches_method(const J *tender, const struct licit_strset *set)
{
	if (!set->n)
		return 1;
	const char *m = str(tender, "procurementMethod");
	return m && licit_strset_has(set, m);
}

static int matches_details(const J *release, const struct licit_strset *include,
                           const struct licit_strset *exclude)
{
	const J *tender = obj(release, "tender");
	const char *d = tender ? str(tender, "procurementMethodDetails") : NULL;
	if (d)
		return include->n ? licit_strset_has(include, d) : !licit_strset_has(exclude, d);
	return include->n == 0;
}

static int is_submitted(const J *bid)
{
	const char *st = str(bid, "status");
	return st && strcmp(st, "invited") != 0 && strcmp(st, "withdrawn") != 0;
}

/* Active awards, when every award with a status is final (active,
 * cancelled or unsuccessful) and bids/details exists; else -1. */
static int complete_awards(const J *release, const J **awards_out, const J **details)
{
	const J *awards = arr(release, "awards");
	const J *bids = obj(release, "bids");
	*details = bids ? arr(bids, "details") : NULL;
	if (!awards || !*details)
		return -1;
	int n = 0;
	size_t i;
	const J *a;
	licit_json_foreach(awards, i, a) {
		const char *st = str(a, "status");
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

/* The run's currency: the configured one, else the first one seen. */
static int same_currency(struct licit_cardinal *c, const char *cur)
{
	if (!c->currency && !(c->currency = strdup(cur))) {
		c->oom = 1;
		return 0;
	}
	return strcmp(cur, c->currency) == 0;
}

static int bid_amount(const J *bid, double *amount, const char **currency)
{
	const J *value = obj(bid, "value");
	const J *a = value ? licit_json_get_raw(value, "amount") : NULL;
	*currency = value ? str(value, "currency") : NULL;
	if (!licit_json_is_number(a) || !*currency)
		return 0;
	*amount = licit_json_double(a);
	return !isnan(*amount); /* beyond a double's range: no amount */
}

/* ---- the indicators ---------------------------------------------------------- */

static void r003(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const J *tender = obj(release, "tender");
	const J *period = tender ? obj(tender, "tenderPeriod") : NULL;
	const char *sd = period ? str(period, "startDate") : NULL;
	const char *ed = period ? str(period, "endDate") : NULL;
	double s, e;
	if (!sd || !ed || !matches_method(tender, &c->s->r003_methods) || licit_rfc3339_seconds(sd, &s) ||
	    licit_rfc3339_seconds(ed, &e))
		return;
	double dur = trunc((e - s) / 86400.0); /* chrono's num_days truncates */
	long threshold = c->s->r003_threshold;
	const char *details = str(tender, "procurementMethodDetails");
	for (size_t i = 0; details && i < c->s->r003_ndetails; i++)
		if (strcmp(c->s->r003_details[i], details) == 0)
			threshold = c->s->r003_details_days[i];
	if (dur < (double)threshold)
		set_result(c, G_OCID, ocid, LICIT_R003, 1.0);
}

static int is_one(const J *n)
{
	int ok;
	return licit_json_integer(n, &ok) == 1 && ok;
}

static void r018(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const J *tender = obj(release, "tender");
	const J *n = tender ? licit_json_get_raw(tender, "numberOfTenderers") : NULL;
	/* serde's as_u64: only an integer counts, 1.0 does not */
	if (tender && matches_method(tender, &c->s->r018_methods) && is_one(n))
		set_result(c, G_OCID, ocid, LICIT_R018, 1.0);
}

/* The one supplier of a process's one active award, when the process is
 * complete (see complete_awards), with its bids in *details; else NULL. */
static const char *sole_winner(const J *release, const J **details)
{
	const J *awards[65];
	if (complete_awards(release, awards, details) != 1)
		return NULL;
	const J *suppliers = arr(awards[0], "suppliers");
	if (!suppliers || licit_json_size(suppliers) != 1)
		return NULL;
	return str(licit_json_at(suppliers, 0), "id");
}

static void second_lowest(struct licit_cardinal *c, const J *release, const char *ocid)
{
	if (!matches_details(release, &c->s->price_methods, &c->s->no_price_methods))
		return;
	const J *details;
	const char *supplier = sole_winner(release, &details);
	if (!supplier)
		return;
	const char *winner = NULL, *other = NULL;
	double wa = 0, oa = 0;
	size_t i;
	const J *bid;
	licit_json_foreach(details, i, bid) {
		const char *st = str(bid, "status"), *cur;
		const J *tenderers = arr(bid, "tenderers");
		double amount;
		if (!st || !bid_amount(bid, &amount, &cur) || !tenderers ||
		    licit_json_size(tenderers) != 1 || strcmp(st, "valid") != 0)
			continue;
		const char *tid = str(licit_json_at(tenderers, 0), "id");
		if (!tid || !same_currency(c, cur))
			continue;
		if (strcmp(tid, supplier) == 0) {
			if (!winner || amount < wa) {
				winner = tid;
				wa = amount;
			}
		} else if (!other || amount < oa) {
			other = tid;
			oa = amount;
		}
	}
	if (!winner || !other || !(oa >= wa))
		return;
	int added;
	long k = licit_map_put(c->ratio_ids, ocid, strlen(ocid), &added);
	if (k < 0)
		goto oom;
	if ((size_t)k >= c->ratio_cap) {
		size_t cap = c->ratio_cap ? c->ratio_cap * 2 : 256;
		struct ratio *r = realloc(c->ratios, cap * sizeof *r);
		if (!r)
			goto oom;
		c->ratios = r;
		c->ratio_cap = cap;
	}
	struct ratio *r = &c->ratios[k];
	if (!added) {
		free(r->winner);
		free(r->other);
	}
	r->r = (oa - wa) / wa;
	r->winner = strdup(winner);
	r->other = strdup(other);
	if (!r->winner || !r->other)
		goto oom;
	return;
oom:
	c->oom = 1;
}

/* A bid's tenderer ids as a sorted, NUL-separated set, for comparison. */
static size_t id_set(const J *tenderers, char *out, size_t cap)
{
	const char *ids[32];
	size_t n = 0, len = 0, i;
	const J *t;
	licit_json_foreach(tenderers, i, t) {
		const char *id = str(t, "id");
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
		set_result(c, G_TENDERER, set + p, ind, 1.0);
		map_add(c, LICIT_MAP_R028, ocid, set + p);
	}
}

static void r028(struct licit_cardinal *c, const J *release, const char *ocid)
{
	if (!matches_details(release, &c->s->price_methods, &c->s->no_price_methods))
		return;
	const J *bids = obj(release, "bids");
	const J *details = bids ? arr(bids, "details") : NULL;
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
		const J *tenderers = arr(bid, "tenderers");
		double amount;
		const char *cur;
		if (!is_submitted(bid) || !tenderers || !bid_amount(bid, &amount, &cur))
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
			set_result(c, G_OCID, ocid, LICIT_R028, 1.0);
			flag_ids(c, ocid, ids, len, LICIT_R028);
			flag_ids(c, ocid, prices[k].ids, prices[k].len, LICIT_R028);
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

static void r030(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const J *tender = obj(release, "tender");
	const J *period = tender ? obj(tender, "tenderPeriod") : NULL;
	const char *end = period ? str(period, "endDate") : NULL;
	const J *awards = arr(release, "awards");
	const J *bids = obj(release, "bids");
	const J *details = bids ? arr(bids, "details") : NULL;
	if (!end || !awards || !details)
		return;
	size_t i, j, k, l;
	const J *bid, *t, *a, *s;
	licit_json_foreach(details, i, bid) {
		const char *st = str(bid, "status"), *date = str(bid, "date");
		const J *tenderers = arr(bid, "tenderers");
		if (!st || !date || !tenderers || strcmp(st, "valid") != 0 || strcmp(date, end) <= 0)
			continue;
		licit_json_foreach(tenderers, j, t) {
			const char *id = str(t, "id");
			if (!id)
				continue;
			int won = 0;
			licit_json_foreach(awards, k, a) {
				const char *ast = str(a, "status");
				const J *sup = arr(a, "suppliers");
				if (!ast || !sup || strcmp(ast, "active") != 0)
					continue;
				licit_json_foreach(sup, l, s) {
					const char *sid = str(s, "id");
					won |= sid && strcmp(sid, id) == 0;
				}
			}
			if (won) {
				set_result(c, G_OCID, ocid, LICIT_R030, 1.0);
				set_result(c, G_TENDERER, id, LICIT_R030, 1.0);
				map_add(c, LICIT_MAP_R030, ocid, id);
			}
		}
	}
}

/* A small set of borrowed strings (the ids in one release). */
struct idset {
	const char **v;
	size_t n, cap;
};

/* 1 when id was added, 0 when present, -1 when memory ran out. */
static int idset_add(struct idset *s, const char *id)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], id) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		const char **v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = id;
	return 1;
}

static void r035(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const J *awards_[65], *details;
	if (complete_awards(release, awards_, &details) < 0)
		return;
	struct idset won = {0}, valid = {0}, disq = {0};
	size_t i, j;
	const J *a, *s, *bid, *t;
	licit_json_foreach(arr(release, "awards"), i, a) {
		const char *st = str(a, "status");
		const J *sup = arr(a, "suppliers");
		if (st && sup && strcmp(st, "active") == 0)
			licit_json_foreach(sup, j, s) {
				const char *id = str(s, "id");
				if (id && idset_add(&won, id) < 0)
					c->oom = 1;
			}
	}
	licit_json_foreach(details, i, bid) {
		const char *st = str(bid, "status");
		const J *tenderers = arr(bid, "tenderers");
		if (!st || !tenderers)
			continue;
		int isv = strcmp(st, "valid") == 0, isd = strcmp(st, "disqualified") == 0;
		if (!isv && !isd)
			continue;
		licit_json_foreach(tenderers, j, t) {
			const char *id = str(t, "id");
			if (id && idset_add(isv ? &valid : &disq, id) < 0)
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
			set_result(c, G_OCID, ocid, LICIT_R035, (double)diff);
			set_result(c, G_TENDERER, valid.v[0], LICIT_R035, 0.0);
			map_add(c, LICIT_MAP_R035, ocid, valid.v[0]);
		}
	}
	free(won.v);
	free(valid.v);
	free(disq.v);
}

static void r036(struct licit_cardinal *c, const J *release, const char *ocid)
{
	if (!matches_details(release, &c->s->price_methods, &c->s->no_price_methods))
		return;
	const J *awards = arr(release, "awards");
	if (!awards)
		return;
	int any = 0;
	size_t i;
	const J *a, *bid;
	licit_json_foreach(awards, i, a) {
		const char *st = str(a, "status");
		any |= st && strcmp(st, "active") == 0;
	}
	if (!any)
		return;
	const J *bids = obj(release, "bids");
	const J *details = bids ? arr(bids, "details") : NULL;
	int have_lowest = 0, lowest_disq = 0, has_valid = 0;
	double lowest = 0;
	licit_json_foreach(details, i, bid) {
		double amount;
		const char *cur, *st = str(bid, "status");
		if (!is_submitted(bid) || !bid_amount(bid, &amount, &cur) || !same_currency(c, cur))
			continue;
		if (!have_lowest || amount < lowest) {
			have_lowest = 1;
			lowest = amount;
			lowest_disq = strcmp(st, "disqualified") == 0;
		}
		has_valid |= strcmp(st, "valid") == 0;
	}
	if (has_valid && lowest_disq)
		set_result(c, G_OCID, ocid, LICIT_R036, 1.0);
}


static void r025(struct licit_cardinal *c, const J *release)
{
	const J *details;
	const char *supplier = sole_winner(release, &details);
	if (!supplier)
		return;
	/* each valid tenderer once per process, whatever its number of bids */
	struct idset seen = {0};
	size_t i;
	const J *bid;
	licit_json_foreach(details, i, bid) {
		const char *st = str(bid, "status");
		const J *t = arr(bid, "tenderers");
		const char *id = t && licit_json_size(t) == 1 ? str(licit_json_at(t, 0), "id") : NULL;
		int added = st && id && strcmp(st, "valid") == 0 ? idset_add(&seen, id) : 0;
		if (added < 0)
			c->oom = 1;
		else if (added)
			frac_add(c, &c->r025, id, strcmp(id, supplier) == 0, 1);
	}
	free(seen.v);
}

static void r038(struct licit_cardinal *c, const J *release)
{
	const J *bids = obj(release, "bids");
	const J *details = bids ? arr(bids, "details") : NULL;
	long submitted = 0, disq = 0;
	size_t i, j;
	const J *bid, *t;
	licit_json_foreach(details, i, bid) {
		if (!is_submitted(bid))
			continue;
		submitted++;
		int inc = strcmp(str(bid, "status"), "disqualified") == 0;
		disq += inc;
		const J *tenderers = arr(bid, "tenderers");
		if (tenderers)
			licit_json_foreach(tenderers, j, t) {
				const char *id = str(t, "id");
				if (id)
					frac_add(c, &c->r038[2], id, inc, 1);
			}
	}
	if (!submitted)
		return;
	const J *buyer = obj(release, "buyer");
	const char *bid_ = buyer ? str(buyer, "id") : NULL;
	const char *ocid = str(release, "ocid");
	if (bid_)
		frac_add(c, &c->r038[0], bid_, disq, submitted);
	if (bid_ && disq > 0)
		map_add(c, LICIT_MAP_BUYER_R038, ocid, bid_);
	const J *tender = obj(release, "tender");
	const J *pe = tender ? obj(tender, "procuringEntity") : NULL;
	const char *pid = pe ? str(pe, "id") : NULL;
	if (pid)
		frac_add(c, &c->r038[1], pid, disq, submitted);
	if (pid && disq > 0)
		map_add(c, LICIT_MAP_PE_R038, ocid, pid);
}

/* The first n characters (UTF-8 code points) of s. */
static size_t utf8_prefix(const char *s, long n)
{
	size_t b = 0;
	for (long k = 0; k < n && s[b]; k++) {
		b++;
		while (((unsigned char)s[b] & 0xC0) == 0x80)
			b++;
	}
	return b;
}

static void r048(struct licit_cardinal *c, const J *release)
{
	const J *awards = arr(release, "awards");
	struct idset seen = {0};
	size_t i, j;
	const J *a, *it;
	if (!c->r048_pairs && !(c->r048_pairs = licit_map_new()))
		goto oom;
	licit_json_foreach(awards, i, a) {
		const char *st = str(a, "status");
		const J *items = arr(a, "items"), *sup = arr(a, "suppliers");
		const char *sid = sup && licit_json_size(sup) == 1 ? str(licit_json_at(sup, 0), "id") : NULL;
		if (!st || !items || !sid || strcmp(st, "active") != 0)
			continue;
		licit_json_foreach(items, j, it) {
			const J *cl = obj(it, "classification");
			const char *code = cl ? str(cl, "id") : NULL;
			if (!code)
				continue;
			long k = frac_add(c, &c->r048, sid, 0, 0);
			if (k < 0)
				goto oom;
			/* a supplier counts once per contracting process */
			int fresh = idset_add(&seen, sid);
			if (fresh < 0)
				goto oom;
			c->r048.num[k] += fresh;
			char key[512];
			size_t pl = utf8_prefix(code, c->s->r048_digits);
			int kl = snprintf(key, sizeof key, "%ld\x1f%.*s", k, (int)pl, code);
			int added = 0;
			if (kl < 0 || licit_map_put(c->r048_pairs, key,
			                            (size_t)kl < sizeof key ? (size_t)kl : sizeof key - 1,
			                            &added) < 0)
				goto oom;
			c->r048.den[k] += added;
		}
	}
	free(seen.v);
	return;
oom:
	free(seen.v);
	c->oom = 1;
}

/* --map: every submitted bid's tenderers, per process */
static void map_tenderers(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const J *bids = obj(release, "bids");
	const J *details = bids ? arr(bids, "details") : NULL;
	size_t i, j;
	const J *bid, *t;
	licit_json_foreach(details, i, bid) {
		const J *tenderers = is_submitted(bid) ? arr(bid, "tenderers") : NULL;
		if (tenderers)
			licit_json_foreach(tenderers, j, t) {
				const char *id = str(t, "id");
				if (id)
					map_add(c, LICIT_MAP_TENDERER, ocid, id);
			}
	}
}

/* R044 (lib/cardinal/cardinal_r044.c): the process and its similar tenderers */
static void r044(struct licit_cardinal *c, const J *release, const char *ocid)
{
	const char **ids;
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	long n = licit_r044(release, &a, &ids);
	if (n < 0)
		c->oom = 1;
	if (n > 0)
		set_result(c, G_OCID, ocid, LICIT_R044, 1.0);
	for (long i = 0; i < n; i++)
		set_result(c, G_TENDERER, ids[i], LICIT_R044, 1.0);
	licit_arena_fini(&a);
}

void licit_cardinal_release(struct licit_cardinal *c, const J *release)
{
	const char *ocid = str(release, "ocid");
	if (!ocid)
		return;
	const J *tender = obj(release, "tender");
	const char *st = tender ? str(tender, "status") : NULL;
	static const struct licit_strset none = {0};
	if ((st && strcmp(st, "cancelled") == 0) ||
	    !matches_details(release, &none, &c->s->exclude_method_details))
		return;
	const int *on = c->s->enabled;
	if (c->summary)
		licit_cardinal_summary_take(c->summary, on, release);
	if (on[LICIT_R024] || on[LICIT_R058])
		second_lowest(c, release, ocid);
	if (on[LICIT_R003])
		r003(c, release, ocid);
	if (on[LICIT_R018])
		r018(c, release, ocid);
	if (on[LICIT_R028])
		r028(c, release, ocid);
	if (on[LICIT_R030])
		r030(c, release, ocid);
	if (on[LICIT_R035])
		r035(c, release, ocid);
	if (on[LICIT_R036])
		r036(c, release, ocid);
	if (on[LICIT_R025])
		r025(c, release);
	if (on[LICIT_R038])
		r038(c, release);
	if (on[LICIT_R048])
		r048(c, release);
	if (on[LICIT_R044])
		r044(c, release, ocid);
	if (c->maps && (on[LICIT_R025] || on[LICIT_R038] || on[LICIT_R048]))
		map_tenderers(c, release, ocid);
}

/* ---- the fence-based indicators ----------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Q1 and Q3 of v[0..n) (sorted here). */
static int quartiles(struct licit_cardinal *c, double *v, size_t n, double *q1, double *q3)
{
	if (n)
		qsort(v, n, sizeof *v, cmp_double);
	*q1 = licit_cardinal_quantile(v, n, 0.25);
	*q3 = licit_cardinal_quantile(v, n, 0.75);
	(void)c;
	return 0;
}

static void finish_r024(struct licit_cardinal *c, double q1, double q3, size_t n)
{
	double fence, gate;
	c->has_meta[LICIT_R024] = 1;
	if (c->s->r024_has_threshold) {
		fence = c->s->r024_threshold;
		gate = 1.0; /* Cardinal's dummy q1 to pass its guard */
	} else {
		c->has_q[LICIT_R024] = 1;
		c->q1[LICIT_R024] = q1;
		c->q3[LICIT_R024] = q3;
		fence = fma(q3 - q1, -1.5, q1); /* Rust's mul_add: one rounding */
		gate = q1;
	}
	c->fence[LICIT_R024] = fence;
	/* ratios are never negative: skip when a quarter of them are 0 */
	if (gate > 0.0 && fence > 0.0)
		for (size_t i = 0; i < n; i++)
			if (c->ratios[i].r <= fence) {
				const char *ocid = licit_map_key(c->ratio_ids, i, NULL);
				set_result(c, G_OCID, ocid, LICIT_R024, c->ratios[i].r);
				set_result(c, G_TENDERER, c->ratios[i].winner, LICIT_R024, 0.0);
				set_result(c, G_TENDERER, c->ratios[i].other, LICIT_R024, 0.0);
				map_add(c, LICIT_MAP_R024, ocid, c->ratios[i].winner);
				map_add(c, LICIT_MAP_R024, ocid, c->ratios[i].other);
			}
}

static void finish_r058(struct licit_cardinal *c, double q1, double q3, size_t n)
{
	double fence;
	c->has_meta[LICIT_R058] = 1;
	if (c->s->r058_has_threshold) {
		fence = c->s->r058_threshold;
	} else {
		c->has_q[LICIT_R058] = 1;
		c->q1[LICIT_R058] = q1;
		c->q3[LICIT_R058] = q3;
		fence = fma(q3 - q1, 1.5, q3);
	}
	c->fence[LICIT_R058] = fence;
	if (fence > 0.0)
		for (size_t i = 0; i < n; i++)
			if (c->ratios[i].r >= fence) {
				const char *ocid = licit_map_key(c->ratio_ids, i, NULL);
				set_result(c, G_OCID, ocid, LICIT_R058, c->ratios[i].r);
				set_result(c, G_TENDERER, c->ratios[i].winner, LICIT_R058, 0.0);
				map_add(c, LICIT_MAP_R058, ocid, c->ratios[i].winner);
			}
}

static void finish_r025(struct licit_cardinal *c)
{
	struct frac *f = &c->r025;
	size_t n = f->ids ? licit_map_count(f->ids) : 0;
	double *v = malloc((n ? n : 1) * sizeof *v), q1, q3;
	if (!v) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (double)f->den[i];
	if (n)
		qsort(v, n, sizeof *v, cmp_double);
	double upper = licit_cardinal_quantile(v, n, (double)c->s->r025_percentile / 100.0);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)f->num[i] / (double)f->den[i];
	double lower, gate;
	c->has_meta[LICIT_R025] = 1;
	if (c->s->r025_has_threshold) {
		lower = c->s->r025_threshold;
		gate = 1.0;
	} else {
		quartiles(c, v, n, &q1, &q3);
		c->has_q[LICIT_R025] = 1;
		c->q1[LICIT_R025] = q1;
		c->q3[LICIT_R025] = q3;
		lower = fma(q3 - q1, -1.5, q1);
		gate = q1;
	}
	free(v);
	c->r025_upper = upper;
	c->fence[LICIT_R025] = lower;
	if (gate > 0.0 && lower > 0.0)
		for (size_t i = 0; i < n; i++) {
			double ratio = (double)f->num[i] / (double)f->den[i];
			if ((double)f->den[i] >= upper && ratio <= lower)
				set_result(c, G_TENDERER, licit_map_key(f->ids, i, NULL), LICIT_R025, ratio);
		}
}

static void finish_r038(struct licit_cardinal *c)
{
	static const int groups[3] = {G_BUYER, G_PE, G_TENDERER};
	for (int g = 0; g < 3; g++) {
		struct frac *f = &c->r038[g];
		size_t n = f->ids ? licit_map_count(f->ids) : 0, m = 0;
		long min = g == 2 ? c->s->r038_min_bids : c->s->r038_min_processes;
		double *v = malloc((n ? n : 1) * sizeof *v);
		if (!v) {
			c->oom = 1;
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (f->den[i] >= min)
				v[m++] = (double)f->num[i] / (double)f->den[i];
		if (!m) {
			free(v);
			continue;
		}
		double fence;
		c->has_meta[LICIT_R038] = 1;
		c->r038_meta[g] = 1;
		if (c->s->r038_has_threshold) {
			fence = c->s->r038_threshold;
		} else {
			double q1, q3;
			quartiles(c, v, m, &q1, &q3);
			c->r038_q1[g] = q1;
			c->r038_q3[g] = q3;
			fence = fma(q3 - q1, 1.5, q3);
		}
		free(v);
		c->r038_fence[g] = fence;
		if (fence > 0.0)
			for (size_t i = 0; i < n; i++) {
				double ratio = (double)f->num[i] / (double)f->den[i];
				if (f->den[i] >= min && ratio >= fence)
					set_result(c, groups[g], licit_map_key(f->ids, i, NULL), LICIT_R038, ratio);
			}
	}
}

static void finish_r048(struct licit_cardinal *c)
{
	size_t n = c->r048.ids ? licit_map_count(c->r048.ids) : 0, m = 0;
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (c->r048.num[i] >= c->s->r048_min_processes)
			v[m++] = (double)c->r048.den[i];
	double fence;
	c->has_meta[LICIT_R048] = 1;
	if (c->s->r048_has_threshold) {
		fence = (double)c->s->r048_threshold;
	} else {
		double q1, q3;
		quartiles(c, v, m, &q1, &q3);
		c->has_q[LICIT_R048] = 1;
		c->q1[LICIT_R048] = q1;
		c->q3[LICIT_R048] = q3;
		fence = fma(q3 - q1, 1.5, q3);
	}
	free(v);
	c->fence[LICIT_R048] = fence;
	for (size_t i = 0; i < n; i++)
		if (c->r048.num[i] >= c->s->r048_min_processes &&
		    (double)c->r048.den[i] >= fence)
			set_result(c, G_TENDERER, licit_map_key(c->r048.ids, i, NULL), LICIT_R048,
			           (double)c->r048.den[i]);
}

void licit_cardinal_finish(struct licit_cardinal *c)
{
	const int *on = c->s->enabled;
	size_t n = licit_map_count(c->ratio_ids);
	double q1 = NAN, q3 = NAN;
	if (on[LICIT_R024] || on[LICIT_R058]) {
		double *v = malloc((n ? n : 1) * sizeof *v);
		if (!v) {
			c->oom = 1;
			return;
		}
		for (size_t i = 0; i < n; i++)
			v[i] = c->ratios[i].r;
		quartiles(c, v, n, &q1, &q3);
		free(v);
	}
	/* in Cardinal's finalize order */
	if (on[LICIT_R024])
		finish_r024(c, q1, q3, n);
	if (on[LICIT_R025])
		finish_r025(c);
	if (on[LICIT_R038])
		finish_r038(c);
	if (on[LICIT_R048])
		finish_r048(c);
	if (on[LICIT_R058])
		finish_r058(c, q1, q3, n);
}

/* ---- output --------------------------------------------------------------------- */

static void put_json_string(FILE *f, const char *s)
{
	json_t *j = json_string(s);
	char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	fputs(t ? t : "\"\"", f);
	free(t);
	json_decref(j);
}

static void put_num(FILE *f, double v)
{
	char b[64];
	licit_cardinal_format(v, b, sizeof b);
	fputs(b, f);
}

/* Meta values are rounded to 4 decimals, half away from zero. */
static double round4(double v) { return round(v * 10000.0) / 10000.0; }

int licit_cardinal_write(const struct licit_cardinal *c, FILE *f, int meta, long counts[4])
{
	/* Cardinal's key order (serde_json with preserve_order): OCID and
	 * Tenderer always exist after its reduce step, Buyer and
	 * ProcuringEntity come from finalize, then empty OCID and Tenderer
	 * are swap_removed; identifiers in insertion (input) order; Meta last. */
	int order[NGROUPS] = {G_OCID, G_TENDERER, G_BUYER, G_PE};
	int n = 2;
	for (int gi = G_BUYER; gi <= G_PE; gi++)
		if (licit_map_count(c->g[gi].ids))
			order[n++] = gi;
	for (int drop = G_OCID; drop <= G_TENDERER; drop += G_TENDERER - G_OCID)
		for (int i = 0; i < n; i++)
			if (order[i] == drop && !licit_map_count(c->g[drop].ids)) {
				order[i] = order[--n];
				break;
			}
	int first = 1;
	fputc('{', f);
	for (int gi = 0; gi < NGROUPS; gi++)
		if (counts)
			counts[gi] = (long)licit_map_count(c->g[gi].ids);
	for (int oi = 0; oi < n; oi++) {
		const struct group *g = &c->g[order[oi]];
		size_t ni = licit_map_count(g->ids);
		fprintf(f, "%s\"%s\":{", first ? "" : ",", group_names[order[oi]]);
		first = 0;
		for (size_t i = 0; i < ni; i++) {
			if (i)
				fputc(',', f);
			put_json_string(f, licit_map_key(g->ids, i, NULL));
			fputs(":{", f);
			int vfirst = 1;
			for (int k = 0; k < LICIT_NIND; k++) {
				double v = g->val[i * LICIT_NIND + k];
				if (isnan(v))
					continue;
				fprintf(f, "%s\"%s\":", vfirst ? "" : ",", codes[k]);
				vfirst = 0;
				put_num(f, v);
			}
			fputc('}', f);
		}
		fputc('}', f);
	}
	if (meta) {
		fputs(first ? "\"Meta\":{" : ",\"Meta\":{", f);
		int mfirst = 1;
		for (int i = 0; i < LICIT_NIND; i++) {
			if (!c->has_meta[i])
				continue;
			fprintf(f, "%s\"%s\":{", mfirst ? "" : ",", codes[i]);
			mfirst = 0;
			if (i == LICIT_R038) {
				static const char *const gn[3] = {"Buyer", "ProcuringEntity", "Tenderer"};
				int kfirst = 1;
				for (int g = 0; g < 3; g++) {
					if (!c->r038_meta[g])
						continue;
					if (!c->s->r038_has_threshold) {
						fprintf(f, "%s\"%s_q1\":", kfirst ? "" : ",", gn[g]);
						put_num(f, round4(c->r038_q1[g]));
						fprintf(f, ",\"%s_q3\":", gn[g]);
						put_num(f, round4(c->r038_q3[g]));
						kfirst = 0;
					}
					fprintf(f, "%s\"%s_upper_fence\":", kfirst ? "" : ",", gn[g]);
					put_num(f, round4(c->r038_fence[g]));
					kfirst = 0;
				}
				fputc('}', f);
				continue;
			}
			if (c->has_q[i]) {
				fputs("\"q1\":", f);
				put_num(f, round4(c->q1[i]));
				fputs(",\"q3\":", f);
				put_num(f, round4(c->q3[i]));
				fputc(',', f);
			}
			if (i == LICIT_R025) {
				fputs("\"upper_fence\":", f);
				put_num(f, round4(c->r025_upper));
				fputs(",\"lower_fence\":", f);
			} else {
				fprintf(f, "\"%s\":", i == LICIT_R024 ? "lower_fence" : "upper_fence");
			}
			put_num(f, round4(c->fence[i]));
			fputc('}', f);
		}
		fputc('}', f);
	}
	if (c->maps) { /* Cardinal adds it after Meta */
		if (!first || meta)
			fputc(',', f);
		licit_cardinal_maps_write(c->maps, f);
	}
	fputs("}\n", f);
	return c->oom ? -1 : 0;
}

void licit_cardinal_write_summary(const struct licit_cardinal *c, FILE *f)
{
	if (!c->summary)
		return;
	long n[3][LICIT_NIND] = {{0}};
	static const int groups[4] = {0, 2, 2, 1}; /* G_OCID, G_BUYER, G_PE, G_TENDERER */
	for (int gi = 0; gi < NGROUPS; gi++) {
		const struct group *g = &c->g[gi];
		size_t ni = licit_map_count(g->ids);
		for (size_t i = 0; i < ni; i++)
			for (int k = 0; k < LICIT_NIND; k++)
				if (!isnan(g->val[i * LICIT_NIND + k]))
					n[groups[gi]][k]++;
	}
	licit_cardinal_summary_write(c->summary, c->s->enabled, n[0], n[1], n[2], f);
}

/* ---- input ------------------------------------------------------------------------ */

static int take_release(void *ctx, const J *release)
{
	struct licit_cardinal *c = ctx;
	if (c->s->prepare) { /* the reader's tree, written in place */
		licit_arena_reset(&c->prepared);
		if (licit_prepare_release(c->s->prepare, (J *)release, &c->prepared, 0, NULL, NULL,
		                          NULL) < 0)
			return -1;
	}
	licit_cardinal_release(c, release);
	return 0;
}

/* All that the indicators, --summary and --map read of a release, and
 * what finding and compiling releases read (ocid, id, date, tag; each
 * array's objects' id), inside any packaging. */
#define KEEP_END {NULL, NULL}
static const struct licit_json_keep id_only[] = {{"id", NULL}, KEEP_END};
static const struct licit_json_keep value_kept[] = {{"amount", NULL}, {"currency", NULL},
                                                    KEEP_END};
static const struct licit_json_keep period_kept[] = {{"startDate", NULL}, {"endDate", NULL},
                                                     KEEP_END};
static const struct licit_json_keep tender_kept[] = {
	{"id", NULL}, {"status", NULL}, {"procurementMethod", NULL},
	{"procurementMethodDetails", NULL}, {"tenderPeriod", period_kept},
	{"numberOfTenderers", NULL}, {"procuringEntity", id_only}, KEEP_END};
static const struct licit_json_keep item_kept[] = {{"id", NULL}, {"classification", id_only},
                                                   KEEP_END};
static const struct licit_json_keep award_kept[] = {
	{"id", NULL}, {"status", NULL}, {"suppliers", id_only}, {"items", item_kept}, KEEP_END};
static const struct licit_json_keep bid_kept[] = {
	{"id", NULL}, {"status", NULL}, {"date", NULL}, {"value", value_kept},
	{"tenderers", id_only}, KEEP_END};
static const struct licit_json_keep bids_kept[] = {{"details", bid_kept}, KEEP_END};
static const struct licit_json_keep address_kept[] = {
	{"streetAddress", NULL}, {"locality", NULL}, {"region", NULL}, {"postalCode", NULL},
	{"countryName", NULL}, KEEP_END};
static const struct licit_json_keep contact_kept[] = {
	{"name", NULL}, {"email", NULL}, {"telephone", NULL}, {"faxNumber", NULL}, {"url", NULL},
	KEEP_END};
static const struct licit_json_keep party_kept[] = {
	{"id", NULL}, {"roles", NULL}, {"address", address_kept}, {"contactPoint", contact_kept},
	KEEP_END};
#define RELEASE_KEPT                                                                       \
	{"ocid", NULL}, {"id", NULL}, {"date", NULL}, {"tag", NULL}, {"tender", tender_kept},   \
	{"awards", award_kept}, {"bids", bids_kept}, {"buyer", id_only}, {"parties", party_kept}
static const struct licit_json_keep release_kept[] = {RELEASE_KEPT, KEEP_END};
static const struct licit_json_keep record_kept[] = {
	{"ocid", NULL}, {"compiledRelease", release_kept}, {"releases", release_kept}, KEEP_END};
/* a line or document: a release, a record or a package */
static const struct licit_json_keep cardinal_keep[] = {
	RELEASE_KEPT, {"releases", release_kept}, {"records", record_kept},
	{"compiledRelease", release_kept}, KEEP_END};

int licit_cardinal_read(struct licit_cardinal *c, const char *path,
                        const struct licit_reader_opts *opts,
                        licit_diag_fn diag, void *ctx, struct licit_error *err)
{
	struct licit_reader_opts o = *opts;
	o.format = LICIT_FMT_OCDS;
	o.release = take_release;
	o.release_ctx = c;
	/* what no indicator reads; an object is a release without them */
	static const char *const unread[] = {
		"parties", "contracts", "planning", "documents", "milestones", "amendments",
		"relatedProcesses", "implementation", "address", "contactPoint",
		"additionalClassifications", "description", "unit", "language", NULL};
	/* R044 reads the parties' addresses and contact points */
	static const char *const unread_r044[] = {
		"contracts", "planning", "documents", "milestones", "amendments",
		"relatedProcesses", "implementation", "additionalClassifications", "description",
		"unit", "language", NULL};
	o.release_skip = c->s->enabled[LICIT_R044] ? unread_r044 : unread;
	if (!c->s->prepare) /* prepare reads and writes much more */
		o.release_keep = cardinal_keep;
	struct licit_reader *r = licit_reader_open(path, &o, err);
	if (!r)
		return -1;
	const struct licit_row *row;
	int rc;
	while ((rc = licit_reader_next(r, &row, err)) != LICIT_EOF) {
		if (rc == LICIT_OK) /* the hook takes every release: no rows */
			continue;
		if (licit_reader_failed(r))
			break;
		licit_diag_error(diag, ctx, LICIT_ERROR, err);
	}
	licit_reader_close(r);
	return rc == LICIT_EOF ? 0 : -1;
}
