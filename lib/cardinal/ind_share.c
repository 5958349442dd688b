/* Indicators on shares per buyer, procuring entity or tenderer, against
 * fences over all of them (see indicators.h): R025 (a tenderer that wins
 * a low share of the processes it bids in), R038 (a high share of
 * disqualified bids), R048 (a supplier winning in many classification
 * codes). */
#include "indicators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- R025 ---- */

struct r025 {
	struct card_frac f; /* per valid tenderer: processes won, processes bid */
	int has_q;
	double q1, q3, upper, lower;
};

static void gather_r025(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	struct r025 *s = st;
	const char *supplier = card_sole_winner(r);
	if (!supplier)
		return;
	/* each valid tenderer once per process, whatever its number of bids */
	struct card_idset seen = {0};
	size_t i;
	const J *bid;
	licit_json_foreach(r->details, i, bid) {
		const char *bst = card_str(bid, "status");
		const J *t = card_arr(bid, "tenderers");
		const char *id = t && licit_json_size(t) == 1 ? card_str(licit_json_at(t, 0), "id") : NULL;
		int added = bst && id && strcmp(bst, "valid") == 0 ? card_idset_add(&seen, id) : 0;
		if (added < 0)
			c->oom = 1;
		else if (added)
			card_frac_add(c, &s->f, id, strcmp(id, supplier) == 0, 1);
	}
	free(seen.v);
}

static void settle_r025(struct licit_cardinal *c, void *st)
{
	struct r025 *s = st;
	struct card_frac *f = &s->f;
	size_t n = f->ids ? licit_map_count(f->ids) : 0;
	double *v = malloc((n ? n : 1) * sizeof *v), q1, q3;
	if (!v) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = (double)f->den[i];
	if (n)
		qsort(v, n, sizeof *v, card_cmp_double);
	double upper = licit_cardinal_quantile(v, n, (double)c->s->r025_percentile / 100.0);
	for (size_t i = 0; i < n; i++)
		v[i] = (double)f->num[i] / (double)f->den[i];
	double lower, gate;
	if (c->s->r025_has_threshold) {
		lower = c->s->r025_threshold;
		gate = 1.0;
	} else {
		card_quartiles(v, n, &q1, &q3);
		s->has_q = 1;
		s->q1 = q1;
		s->q3 = q3;
		lower = fma(q3 - q1, -1.5, q1);
		gate = q1;
	}
	free(v);
	s->upper = upper;
	s->lower = lower;
	if (gate > 0.0 && lower > 0.0)
		for (size_t i = 0; i < n; i++) {
			double ratio = (double)f->num[i] / (double)f->den[i];
			if ((double)f->den[i] >= upper && ratio <= lower)
				card_set_result(c, G_TENDERER, licit_map_key(f->ids, i, NULL), LICIT_R025,
				                ratio);
		}
}

static int meta_r025(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep)
{
	const struct r025 *s = st;
	(void)c;
	fprintf(f, "%s\"R025\":{", sep);
	card_put_quartiles(f, s->has_q, s->q1, s->q3);
	fputs("\"upper_fence\":", f);
	card_put_meta(f, s->upper);
	fputs(",\"lower_fence\":", f);
	card_put_meta(f, s->lower);
	fputc('}', f);
	return 1;
}

static void fini_r025(void *st)
{
	card_frac_free(&((struct r025 *)st)->f);
}

static const struct licit_cardinal_param r025_params[] = {
	CARD_PARAM("percentile", LICIT_CP_INT, 0, 100, r025_percentile),
	CARD_PARAM_HAS("threshold", LICIT_CP_REAL, 0, 1, r025_threshold, r025_has_threshold),
	CARD_PARAMS_END};

static void save_r025(struct licit_cardinal *c, void *st, struct licit_partial_out *o, int fences)
{
	(void)c, (void)fences;
	card_frac_save(&((struct r025 *)st)->f, o, "R025", -1);
}

static int take_r025(struct licit_cardinal *c, void *st, const struct licit_partial_in *r,
                     int fences)
{
	(void)fences;
	return card_frac_take(c, &((struct r025 *)st)->f, r, 1);
}

const struct card_ind card_r025 = {
	.code = "R025", .params = r025_params, .state = sizeof(struct r025), .shares = -1,
	.gather = gather_r025, .settle = settle_r025, .meta = meta_r025,
	.missing = card_missing_bids_awards, .fini = fini_r025, .per_party = 1,
	.save = save_r025, .take = take_r025};

/* ---- R038 ---- */

struct r038 {
	struct card_frac f[3]; /* per buyer, procuring entity, tenderer: disqualified, submitted */
	int meta[3];
	double q1[3], q3[3], fence[3];
};

static void gather_r038(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	struct r038 *s = st;
	long submitted = 0, disq = 0;
	size_t i, j;
	const J *bid, *t;
	licit_json_foreach(r->details, i, bid) {
		if (!card_is_submitted(bid))
			continue;
		submitted++;
		int inc = strcmp(card_str(bid, "status"), "disqualified") == 0;
		disq += inc;
		const J *tenderers = card_arr(bid, "tenderers");
		if (tenderers)
			licit_json_foreach(tenderers, j, t) {
				const char *id = card_str(t, "id");
				if (id)
					card_frac_add(c, &s->f[2], id, inc, 1);
			}
	}
	if (!submitted)
		return;
	const J *buyer = card_obj(r->release, "buyer");
	const char *bid_ = buyer ? card_str(buyer, "id") : NULL;
	if (bid_)
		card_frac_add(c, &s->f[0], bid_, disq, submitted);
	if (bid_ && disq > 0)
		card_map_add(c, LICIT_MAP_BUYER_R038, r->ocid, bid_);
	const J *pe = r->tender ? card_obj(r->tender, "procuringEntity") : NULL;
	const char *pid = pe ? card_str(pe, "id") : NULL;
	if (pid)
		card_frac_add(c, &s->f[1], pid, disq, submitted);
	if (pid && disq > 0)
		card_map_add(c, LICIT_MAP_PE_R038, r->ocid, pid);
}

static void settle_r038(struct licit_cardinal *c, void *st)
{
	struct r038 *s = st;
	static const int groups[3] = {G_BUYER, G_PE, G_TENDERER};
	for (int g = 0; g < 3; g++) {
		struct card_frac *f = &s->f[g];
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
		s->meta[g] = 1;
		if (c->s->r038_has_threshold) {
			fence = c->s->r038_threshold;
		} else {
			double q1, q3;
			card_quartiles(v, m, &q1, &q3);
			s->q1[g] = q1;
			s->q3[g] = q3;
			fence = fma(q3 - q1, 1.5, q3);
		}
		free(v);
		s->fence[g] = fence;
		if (fence > 0.0)
			for (size_t i = 0; i < n; i++) {
				double ratio = (double)f->num[i] / (double)f->den[i];
				if (f->den[i] >= min && ratio >= fence)
					card_set_result(c, groups[g], licit_map_key(f->ids, i, NULL), LICIT_R038,
					                ratio);
			}
	}
}

static int meta_r038(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep)
{
	const struct r038 *s = st;
	static const char *const gn[3] = {"Buyer", "ProcuringEntity", "Tenderer"};
	if (!s->meta[0] && !s->meta[1] && !s->meta[2])
		return 0;
	fprintf(f, "%s\"R038\":{", sep);
	int kfirst = 1;
	for (int g = 0; g < 3; g++) {
		if (!s->meta[g])
			continue;
		if (!c->s->r038_has_threshold) {
			fprintf(f, "%s\"%s_q1\":", kfirst ? "" : ",", gn[g]);
			card_put_meta(f, s->q1[g]);
			fprintf(f, ",\"%s_q3\":", gn[g]);
			card_put_meta(f, s->q3[g]);
			kfirst = 0;
		}
		fprintf(f, "%s\"%s_upper_fence\":", kfirst ? "" : ",", gn[g]);
		card_put_meta(f, s->fence[g]);
		kfirst = 0;
	}
	fputc('}', f);
	return 1;
}

static void fini_r038(void *st)
{
	struct r038 *s = st;
	for (int g = 0; g < 3; g++)
		card_frac_free(&s->f[g]);
}

static const struct licit_cardinal_param r038_params[] = {
	CARD_PARAM_HAS("threshold", LICIT_CP_REAL, 0, 1, r038_threshold, r038_has_threshold),
	CARD_PARAM("minimum_submitted_bids", LICIT_CP_INT, 0, 1e9, r038_min_bids),
	CARD_PARAM("minimum_contracting_processes", LICIT_CP_INT, 0, 1e9, r038_min_processes),
	CARD_PARAMS_END};

static void save_r038(struct licit_cardinal *c, void *st, struct licit_partial_out *o, int fences)
{
	(void)c, (void)fences;
	for (int g = 0; g < 3; g++)
		card_frac_save(&((struct r038 *)st)->f[g], o, "R038", g);
}

static int take_r038(struct licit_cardinal *c, void *st, const struct licit_partial_in *r,
                     int fences)
{
	(void)fences;
	const char *g = r->nf > 1 ? r->fld[1] : "";
	if (strlen(g) != 1 || g[0] < '0' || g[0] > '2')
		return -1;
	return card_frac_take(c, &((struct r038 *)st)->f[g[0] - '0'], r, 2);
}

const struct card_ind card_r038 = {
	.code = "R038", .params = r038_params, .state = sizeof(struct r038), .shares = -1,
	.gather = gather_r038, .settle = settle_r038, .meta = meta_r038,
	.missing = card_missing_submitted, .fini = fini_r038, .per_party = 1,
	.save = save_r038, .take = take_r038};

/* ---- R048 ---- */

struct r048 {
	/* per supplier: num = processes, den = distinct (supplier, code)
	 * pairs, which pairs tells apart */
	struct card_frac f;
	struct licit_map *pairs;
	int has_q;
	double q1, q3, fence;
};

static void gather_r048(struct licit_cardinal *c, void *st, const struct card_release *r)
{
	struct r048 *s = st;
	struct card_idset seen = {0};
	size_t i, j;
	const J *a, *it;
	if (!s->pairs && !(s->pairs = licit_map_new()))
		goto oom;
	licit_json_foreach(r->awards, i, a) {
		const char *ast = card_str(a, "status");
		const J *items = card_arr(a, "items"), *sup = card_arr(a, "suppliers");
		const char *sid = sup && licit_json_size(sup) == 1 ? card_str(licit_json_at(sup, 0), "id")
		                                                   : NULL;
		if (!ast || !items || !sid || strcmp(ast, "active") != 0)
			continue;
		licit_json_foreach(items, j, it) {
			const J *cl = card_obj(it, "classification");
			const char *code = cl ? card_str(cl, "id") : NULL;
			if (!code)
				continue;
			long k = card_frac_add(c, &s->f, sid, 0, 0);
			if (k < 0)
				goto oom;
			/* a supplier counts once per contracting process */
			int fresh = card_idset_add(&seen, sid);
			if (fresh < 0)
				goto oom;
			s->f.num[k] += fresh;
			char key[512];
			size_t pl = utf8_prefix(code, c->s->r048_digits);
			int kl = snprintf(key, sizeof key, "%ld\x1f%.*s", k, (int)pl, code);
			int added = 0;
			if (kl < 0 || licit_map_put(s->pairs, key,
			                            (size_t)kl < sizeof key ? (size_t)kl : sizeof key - 1,
			                            &added) < 0)
				goto oom;
			s->f.den[k] += added;
		}
	}
	free(seen.v);
	return;
oom:
	free(seen.v);
	c->oom = 1;
}

static void settle_r048(struct licit_cardinal *c, void *st)
{
	struct r048 *s = st;
	struct card_frac *f = &s->f;
	size_t n = f->ids ? licit_map_count(f->ids) : 0, m = 0;
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v) {
		c->oom = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (f->num[i] >= c->s->r048_min_processes)
			v[m++] = (double)f->den[i];
	double fence;
	if (c->s->r048_has_threshold) {
		fence = (double)c->s->r048_threshold;
	} else {
		double q1, q3;
		card_quartiles(v, m, &q1, &q3);
		s->has_q = 1;
		s->q1 = q1;
		s->q3 = q3;
		fence = fma(q3 - q1, 1.5, q3);
	}
	free(v);
	s->fence = fence;
	for (size_t i = 0; i < n; i++)
		if (f->num[i] >= c->s->r048_min_processes && (double)f->den[i] >= fence)
			card_set_result(c, G_TENDERER, licit_map_key(f->ids, i, NULL), LICIT_R048,
			                (double)f->den[i]);
}

static int meta_r048(const struct licit_cardinal *c, const void *st, FILE *f, const char *sep)
{
	const struct r048 *s = st;
	(void)c;
	fprintf(f, "%s\"R048\":{", sep);
	card_put_quartiles(f, s->has_q, s->q1, s->q3);
	fputs("\"upper_fence\":", f);
	card_put_meta(f, s->fence);
	fputc('}', f);
	return 1;
}

static void fini_r048(void *st)
{
	struct r048 *s = st;
	card_frac_free(&s->f);
	licit_map_free(s->pairs);
}

static const struct licit_cardinal_param r048_params[] = {
	CARD_PARAM("digits", LICIT_CP_INT, 1, 64, r048_digits),
	CARD_PARAM_HAS("threshold", LICIT_CP_INT, 0, 1e9, r048_threshold, r048_has_threshold),
	CARD_PARAM("minimum_contracting_processes", LICIT_CP_INT, 0, 1e9, r048_min_processes),
	CARD_PARAMS_END};

/* R048,proc,SUPPLIER,PROCESSES and R048,pair,SUPPLIER,CODE_PREFIX */
static void save_r048(struct licit_cardinal *c, void *st, struct licit_partial_out *o, int fences)
{
	(void)c, (void)fences;
	struct r048 *s = st;
	size_t n = s->f.ids ? licit_map_count(s->f.ids) : 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *id = licit_map_key(s->f.ids, i, &len);
		fputs("R048,proc", o->f);
		licit_partial_str(o->f, id, len, 0);
		fprintf(o->f, ",%ld", s->f.num[i]);
		licit_partial_eol(o);
	}
	size_t np = s->pairs ? licit_map_count(s->pairs) : 0;
	for (size_t i = 0; i < np; i++) {
		const char *key = licit_map_key(s->pairs, i, NULL), *us = strchr(key, '\x1f');
		size_t len;
		const char *id = licit_map_key(s->f.ids, strtoul(key, NULL, 10), &len);
		fputs("R048,pair", o->f);
		licit_partial_str(o->f, id, len, 0);
		licit_partial_str(o->f, us + 1, strlen(us + 1), 0);
		licit_partial_eol(o);
	}
}

static int take_r048(struct licit_cardinal *c, void *st, const struct licit_partial_in *r,
                     int fences)
{
	(void)fences;
	struct r048 *s = st;
	if (r->nf != 4 || (strcmp(r->fld[1], "proc") != 0 && strcmp(r->fld[1], "pair") != 0))
		return -1;
	if (!s->pairs && !(s->pairs = licit_map_new()))
		return c->oom = 1, -1;
	long k = card_frac_add(c, &s->f, r->fld[2], 0, 0);
	if (k < 0)
		return -1;
	if (r->fld[1][1] == 'r') { /* proc */
		size_t i = 3;
		int bad = 0;
		long long n = licit_partial_int(r, &i, &bad);
		if (bad || n < 0 || n > 1000000000000LL)
			return -1;
		s->f.num[k] += (long)n;
		return 0;
	}
	char key[512];
	int kl = snprintf(key, sizeof key, "%ld\x1f%s", k, r->fld[3]);
	int added = 0;
	if (kl < 0 || licit_map_put(s->pairs, key,
	                            (size_t)kl < sizeof key ? (size_t)kl : sizeof key - 1,
	                            &added) < 0)
		return c->oom = 1, -1;
	s->f.den[k] += added;
	return 0;
}

const struct card_ind card_r048 = {
	.code = "R048", .params = r048_params, .state = sizeof(struct r048), .shares = -1,
	.gather = gather_r048, .settle = settle_r048, .meta = meta_r048,
	.missing = card_missing_r048, .fini = fini_r048, .per_party = 1,
	.save = save_r048, .take = take_r048};
