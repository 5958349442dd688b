/* Procurement KPIs per group: one pass over canonical rows, state kept
 * per group and per distinct (group, procedure) and (group, supplier). */
#include "licit/kpi/kpi.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/record/schema.h"
#include "licit/core/stats.h"
#include "licit/values/value.h"

#define TOTAL_GID UINT32_MAX
#define NO_DAYS INT_MIN

static const char *const kpi_names[] = {
#define LICIT_X_NAME(id, name) name,
	LICIT_KPIS(LICIT_X_NAME)
#undef LICIT_X_NAME
};

/* procedure types; PT_OTHER is a non-empty type outside the four */
enum { PT_NONE = -1, PT_OPEN, PT_SELECTIVE, PT_LIMITED, PT_DIRECT, PT_OTHER };
static const char *const ptype_names[] = {"open", "selective", "limited", "direct"};

/* what the selected KPIs need from each row */
enum {
	NEED_AMOUNT = 1 << 0,
	NEED_TYPE = 1 << 1,
	NEED_PROC = 1 << 2,
	NEED_TEND = 1 << 3,
	NEED_PDAYS = 1 << 4,
	NEED_SUP = 1 << 5,
	NEED_SIGN = 1 << 6,
	NEED_SBP = 1 << 7,
	NEED_REF = 1 << 8
};

enum { D_COL = 0, D_YEAR, D_QUARTER, D_MONTH };

/* Neumaier-compensated sum: totals of many amounts stay exact to the
 * cent, whatever the order of the rows. */
struct ksum {
	double s, c;
};

static void ksum_add(struct ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

static double ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

struct grp {
	long long contracts, procedures, suppliers;
	int cur;                /* currency index; -1 none yet, -2 mixed */
	uint32_t curmask;       /* the first 32 currencies seen, for messages */
	long long amount_n;     /* contracts with a usable amount */
	struct ksum amount;
	long long typed_n, type_n[4];
	struct ksum typed_amt, type_amt[4];
	struct licit_dvec tend, d_tender, d_award, d_sign;
	double tend_sum;
	long long single, few;
	long long signed_before, signed_both;
	struct ksum sup_amt;    /* amount of the rows that name a supplier */
	double sumsq, top_amt;
	long top;               /* supplier entry of the top supplier, -1 none */
	struct ksum sav_ref, sav_paid;
	long long sav_n;
	double med_tend, med_tender, med_award, med_sign;
};

struct licit_kpi {
	char **by;
	int *by_kind;
	size_t nby;
	int *kpis;
	size_t nkpis;
	unsigned need;
	char *date_field;
	double cap;
	int total, include_test, percent, long_form;

	/* the bound input */
	struct licit_cols cols;
	int *by_col;
	int date_col[3]; /* --date, or signed_date, award_date, start_date */
	unsigned have; /* NEED_* whose columns some input had */

	struct licit_map *groups;
	struct grp *g;
	size_t gcap;
	struct grp all;
	int any_row;
	struct licit_map *currencies;

	struct licit_map *procs;
	uint32_t *p_gid;
	signed char *p_type;
	int *p_ntend, *p_dtender, *p_daward;
	size_t pcap;

	struct licit_map *sups;
	uint32_t *s_gid;
	struct ksum *s_amt;
	size_t scap;

	struct licit_map *ref;
	double *ref_amt;
	int ref_key[3]; /* canonical fields forming the reference key */
	int nref_key;

	char *kbuf;
	size_t kcap;
	long long skipped;
	long long undated; /* rows with no date for year, quarter, month */

	char **warn;
	size_t nwarn;
	/* values that could not be used, counted per field and reason */
	struct unusable {
		const char *field, *text; /* static, or the options' date field */
		long long n;
	} unusable[24];
	size_t nunusable;
	licit_kpi_problem_fn problem; /* the caller's, for the row being added */
	void *problem_ctx;
	const char *row_fields[16]; /* fields already reported for this row */
	size_t nrow_fields;
	const char **colnames;
	size_t ncols;
	size_t *order;
	size_t norder;
	int finished;
};

/* ---- names ----------------------------------------------------------- */

const char *licit_kpi_name(enum licit_kpi_id k)
{
	return (unsigned)k < LICIT_NKPIS ? kpi_names[k] : NULL;
}

int licit_kpi_lookup(const char *name)
{
	for (int i = 0; i < LICIT_NKPIS; i++)
		if (strcmp(kpi_names[i], name) == 0)
			return i;
	return -1;
}

static int derived_kind(const char *name)
{
	if (strcmp(name, "year") == 0)
		return D_YEAR;
	if (strcmp(name, "quarter") == 0)
		return D_QUARTER;
	if (strcmp(name, "month") == 0)
		return D_MONTH;
	return D_COL;
}

int licit_kpi_is_derived(const char *name)
{
	return derived_kind(name) != D_COL;
}

/* ---- formulas -------------------------------------------------------- */

double licit_kpi_ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den == 0)
		return NAN;
	return num / den;
}

double licit_kpi_hhi(const double *a, size_t n)
{
	struct ksum s = {0, 0};
	double sq = 0;
	for (size_t i = 0; i < n; i++) {
		ksum_add(&s, a[i]);
		sq += a[i] * a[i];
	}
	double t = ksum_get(&s);
	return t > 0 ? sq / (t * t) : NAN;
}

size_t licit_kpi_format(double v, int decimals, char *out, size_t cap)
{
	if (cap == 0)
		return 0;
	if (isnan(v) || isinf(v)) {
		out[0] = '\0';
		return 0;
	}
	int n = snprintf(out, cap, "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return 0;
	}
	if (memchr(out, '.', (size_t)n)) {
		while (out[n - 1] == '0')
			out[--n] = '\0';
		if (out[n - 1] == '.')
			out[--n] = '\0';
	}
	if (strcmp(out, "-0") == 0) {
		memcpy(out, "0", 2);
		n = 1;
	}
	return (size_t)n;
}

/* ---- setup ----------------------------------------------------------- */

static unsigned need_of(int kpi)
{
	switch (kpi) {
	case LICIT_KPI_CONTRACTS: return 0;
	case LICIT_KPI_PROCEDURES: return NEED_PROC;
	case LICIT_KPI_AMOUNT: case LICIT_KPI_CURRENCY: case LICIT_KPI_AMOUNT_CONTRACTS:
		return NEED_AMOUNT;
	case LICIT_KPI_SUPPLIERS: return NEED_SUP;
	case LICIT_KPI_SHARE_OPEN_COUNT: case LICIT_KPI_SHARE_SELECTIVE_COUNT:
	case LICIT_KPI_SHARE_LIMITED_COUNT: case LICIT_KPI_SHARE_DIRECT_COUNT:
		return NEED_TYPE;
	case LICIT_KPI_SHARE_OPEN_AMOUNT: case LICIT_KPI_SHARE_SELECTIVE_AMOUNT:
	case LICIT_KPI_SHARE_LIMITED_AMOUNT: case LICIT_KPI_SHARE_DIRECT_AMOUNT:
	case LICIT_KPI_DIRECT_OVER_CAP:
		return NEED_TYPE | NEED_AMOUNT;
	case LICIT_KPI_MEAN_TENDERERS: case LICIT_KPI_MEDIAN_TENDERERS:
	case LICIT_KPI_SINGLE_BID_RATE: case LICIT_KPI_FEW_BIDDERS_RATE:
		return NEED_PROC | NEED_TYPE | NEED_TEND;
	case LICIT_KPI_TOP_SUPPLIER: case LICIT_KPI_TOP_SUPPLIER_SHARE: case LICIT_KPI_HHI:
		return NEED_SUP | NEED_AMOUNT;
	case LICIT_KPI_MEDIAN_DAYS_TENDER: case LICIT_KPI_MEDIAN_DAYS_TO_AWARD:
		return NEED_PROC | NEED_PDAYS;
	case LICIT_KPI_MEDIAN_DAYS_TO_SIGN: return NEED_SIGN;
	case LICIT_KPI_SHARE_SIGNED_BEFORE_PUBLISHED: return NEED_SBP;
	case LICIT_KPI_SAVINGS_AMOUNT: case LICIT_KPI_SAVINGS_RATE:
		return NEED_REF | NEED_AMOUNT;
	}
	return 0;
}

static int load_reference(struct licit_kpi *k, const char *path, struct licit_error *err);
static int kbuf_reserve(struct licit_kpi *k, size_t n);

struct licit_kpi *licit_kpi_new(const struct licit_kpi_opts *o, struct licit_error *err)
{
	struct licit_kpi *k = calloc(1, sizeof *k);
	if (!k)
		goto oom;
	k->nby = o->nby;
	k->by = calloc(o->nby + 1, sizeof *k->by);
	k->by_kind = calloc(o->nby + 1, sizeof *k->by_kind);
	k->by_col = calloc(o->nby + 1, sizeof *k->by_col);
	if (!k->by || !k->by_kind || !k->by_col)
		goto oom;
	for (size_t i = 0; i < o->nby; i++) {
		for (size_t j = 0; j < i; j++)
			if (strcmp(o->by[i], o->by[j]) == 0) {
				licit_error_set(err, "", 0, NULL, "--by names '%s' twice", o->by[i]);
				goto fail;
			}
		if (!o->by[i][0]) {
			licit_error_set(err, "", 0, NULL, "--by holds an empty name");
			goto fail;
		}
		if (!(k->by[i] = strdup(o->by[i])))
			goto oom;
		k->by_kind[i] = derived_kind(o->by[i]);
	}
	if (o->kpis) {
		k->nkpis = o->nkpis;
		k->kpis = malloc((o->nkpis + 1) * sizeof *k->kpis);
		if (!k->kpis)
			goto oom;
		for (size_t i = 0; i < o->nkpis; i++) {
			if (o->kpis[i] < 0 || o->kpis[i] >= LICIT_NKPIS) {
				licit_error_set(err, "", 0, NULL, "unknown KPI number %d", o->kpis[i]);
				goto fail;
			}
			for (size_t j = 0; j < i; j++)
				if (o->kpis[j] == o->kpis[i]) {
					licit_error_set(err, "", 0, NULL, "--kpis names '%s' twice",
					                kpi_names[o->kpis[i]]);
					goto fail;
				}
			k->kpis[i] = o->kpis[i];
		}
	} else {
		k->nkpis = o->reference_path ? LICIT_KPI_NDEFAULT_REF : LICIT_KPI_NDEFAULT;
		k->kpis = malloc(k->nkpis * sizeof *k->kpis);
		if (!k->kpis)
			goto oom;
		for (size_t i = 0; i < k->nkpis; i++)
			k->kpis[i] = (int)i;
	}
	for (size_t i = 0; i < k->nkpis; i++)
		k->need |= need_of(k->kpis[i]);
	if ((k->need & NEED_REF) && !o->reference_path) {
		licit_error_set(err, "", 0, NULL,
		                "savings_amount and savings_rate need --reference FILE");
		goto fail;
	}
	if (o->date_field && !(k->date_field = strdup(o->date_field)))
		goto oom;
	k->cap = o->cap < 0 ? 0.30 : o->cap;
	k->total = o->total && o->nby > 0; /* without groups the one row is the total */
	k->include_test = o->include_test;
	k->percent = o->percent;
	k->long_form = o->long_form;
	k->all.cur = -1;
	k->all.top = -1;
	k->groups = licit_map_new();
	k->currencies = licit_map_new();
	k->procs = licit_map_new();
	k->sups = licit_map_new();
	/* the key buffer always exists: an empty key is still a pointer */
	if (!k->groups || !k->currencies || !k->procs || !k->sups || kbuf_reserve(k, 256) < 0)
		goto oom;
	if (o->reference_path) {
		if (load_reference(k, o->reference_path, err) != LICIT_OK)
			goto fail;
	} else {
		k->need &= ~(unsigned)NEED_REF;
	}
	return k;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
fail:
	licit_kpi_free(k);
	return NULL;
}

static void grp_fini(struct grp *g)
{
	licit_dvec_fini(&g->tend);
	licit_dvec_fini(&g->d_tender);
	licit_dvec_fini(&g->d_award);
	licit_dvec_fini(&g->d_sign);
}

void licit_kpi_free(struct licit_kpi *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nby && k->by; i++)
		free(k->by[i]);
	free(k->by);
	free(k->by_kind);
	free(k->by_col);
	free(k->kpis);
	free(k->date_field);
	if (k->groups)
		for (size_t i = 0; i < licit_map_count(k->groups); i++)
			grp_fini(&k->g[i]);
	grp_fini(&k->all);
	free(k->g);
	licit_map_free(k->groups);
	licit_map_free(k->currencies);
	licit_map_free(k->procs);
	free(k->p_gid);
	free(k->p_type);
	free(k->p_ntend);
	free(k->p_dtender);
	free(k->p_daward);
	licit_map_free(k->sups);
	free(k->s_gid);
	free(k->s_amt);
	licit_map_free(k->ref);
	free(k->ref_amt);
	free(k->kbuf);
	for (size_t i = 0; i < k->nwarn; i++)
		free(k->warn[i]);
	free(k->warn);
	free(k->colnames);
	free(k->order);
	free(k);
}

static int kbuf_reserve(struct licit_kpi *k, size_t n)
{
	if (n <= k->kcap)
		return 0;
	size_t cap = k->kcap ? k->kcap : 256;
	while (cap < n)
		cap *= 2;
	char *b = realloc(k->kbuf, cap);
	if (!b)
		return -1;
	k->kbuf = b;
	k->kcap = cap;
	return 0;
}

/* ---- the reference table (savings) ------------------------------------ */

static const int ref_key_fields[3] = {LICIT_F_OCID, LICIT_F_PROCEDURE_ID,
                                      LICIT_F_CONTRACT_ID};

/* key = the key fields' values, each followed by a NUL */
static int ref_key(struct licit_kpi *k, const char *const *vals, const size_t *lens,
                   size_t *outlen)
{
	size_t n = 0;
	for (int i = 0; i < k->nref_key; i++)
		n += lens[i] + 1;
	if (kbuf_reserve(k, n + 1) < 0)
		return -1;
	size_t p = 0;
	for (int i = 0; i < k->nref_key; i++) {
		memcpy(k->kbuf + p, vals[i], lens[i]);
		p += lens[i];
		k->kbuf[p++] = '\0';
	}
	*outlen = p;
	return 0;
}

static int load_reference(struct licit_kpi *k, const char *path, struct licit_error *err)
{
	struct licit_reader_opts ro = {0};
	struct licit_reader *r = licit_reader_open(path, &ro, err);
	if (!r)
		return LICIT_ERR;
	const char *src = licit_reader_source(r);
	int amt_col = licit_reader_col(r, "reference_amount"), cols[3];
	k->nref_key = 0;
	for (int i = 0; i < 3; i++) {
		int c = licit_reader_col(r, licit_field_name(ref_key_fields[i]));
		if (c >= 0) {
			k->ref_key[k->nref_key] = ref_key_fields[i];
			cols[k->nref_key++] = c;
		}
	}
	int rc = LICIT_OK;
	if (amt_col < 0) {
		rc = licit_error_set(err, src, 1, "reference_amount",
		                     "reference table has no reference_amount column");
		goto done;
	}
	if (k->nref_key == 0) {
		rc = licit_error_set(err, src, 1, NULL,
		                     "reference table needs a contract_id, ocid or "
		                     "procedure_id column");
		goto done;
	}
	k->ref = licit_map_new();
	long *lines = NULL;
	size_t cap = 0;
	if (!k->ref) {
		rc = licit_error_set(err, src, 0, NULL, "out of memory");
		goto done;
	}
	const struct licit_row *row;
	int st;
	while ((st = licit_reader_next(r, &row, err)) == LICIT_OK) {
		const char *vals[3];
		size_t lens[3], filled = 0;
		for (int i = 0; i < k->nref_key; i++) {
			int c = cols[i];
			vals[i] = (size_t)c < row->n ? row->v[c] : "";
			lens[i] = strlen(vals[i]);
			filled += lens[i] > 0;
		}
		const char *av = (size_t)amt_col < row->n ? row->v[amt_col] : "";
		double amt;
		if (!filled) {
			rc = licit_error_set(err, src, row->line, licit_field_name(k->ref_key[0]),
			                     "reference row names no contract");
			break;
		}
		if (licit_parse_number(av, &amt) != 0 || amt < 0 || amt > LICIT_KPI_MAX_AMOUNT) {
			rc = licit_error_set(err, src, row->line, "reference_amount",
			                     "'%.60s' is not a plain decimal number 0 to 10^15", av);
			break;
		}
		size_t kl;
		int added;
		long idx;
		if (ref_key(k, vals, lens, &kl) < 0 ||
		    (idx = licit_map_put(k->ref, k->kbuf, kl, &added)) < 0) {
			rc = licit_error_set(err, src, row->line, NULL, "out of memory");
			break;
		}
		if (!added) {
			rc = licit_error_set(err, src, row->line, licit_field_name(k->ref_key[0]),
			                     "contract listed twice (first on line %ld)",
			                     lines[idx]);
			break;
		}
		if ((size_t)idx >= cap) {
			size_t nc = cap ? cap * 2 : 256;
			double *a = realloc(k->ref_amt, nc * sizeof *a);
			if (a)
				k->ref_amt = a;
			long *l = realloc(lines, nc * sizeof *l);
			if (l)
				lines = l;
			if (!a || !l) {
				rc = licit_error_set(err, src, row->line, NULL, "out of memory");
				break;
			}
			cap = nc;
		}
		k->ref_amt[idx] = amt;
		lines[idx] = row->line;
	}
	if (st == LICIT_ERR)
		rc = LICIT_ERR;
	free(lines);
done:
	licit_reader_close(r);
	return rc;
}

/* ---- binding an input -------------------------------------------------- */

static const struct {
	unsigned need;
	int fields[3];
	int any; /* one of the fields is enough */
} need_cols[] = {
	{NEED_AMOUNT, {LICIT_F_AMOUNT_MXN, LICIT_F_AMOUNT, -1}, 1},
	{NEED_TYPE, {LICIT_F_PROCEDURE_TYPE, -1, -1}, 0},
	{NEED_PROC, {LICIT_F_PROCEDURE_ID, -1, -1}, 0},
	{NEED_TEND, {LICIT_F_N_TENDERERS, -1, -1}, 0},
	{NEED_PDAYS, {LICIT_F_TENDER_START, LICIT_F_TENDER_END, LICIT_F_AWARD_DATE}, 0},
	{NEED_SUP, {LICIT_F_SUPPLIER_ID, -1, -1}, 0},
	{NEED_SIGN, {LICIT_F_AWARD_DATE, LICIT_F_SIGNED_DATE, -1}, 0},
	{NEED_SBP, {LICIT_F_SIGNED_DATE, LICIT_F_TENDER_START, -1}, 0},
};

int licit_kpi_bind(struct licit_kpi *k, const struct licit_reader *r,
                   struct licit_error *err)
{
	const char *src = licit_reader_source(r);
	licit_cols_bind(&k->cols, r);
	if (licit_cols_require(&k->cols, r, err) != LICIT_OK)
		return LICIT_ERR;
	int derived = 0;
	for (size_t i = 0; i < k->nby; i++) {
		if (k->by_kind[i] != D_COL) {
			derived = 1;
			continue;
		}
		k->by_col[i] = licit_reader_col(r, k->by[i]);
		if (k->by_col[i] < 0)
			return licit_error_set(err, src, 1, k->by[i], "no such column to group by");
	}
	k->date_col[0] = k->date_col[1] = k->date_col[2] = -1;
	if (derived) {
		if (k->date_field) {
			k->date_col[0] = licit_reader_col(r, k->date_field);
			if (k->date_col[0] < 0)
				return licit_error_set(err, src, 1, k->date_field,
				                       "no such column for --date");
		} else {
			k->date_col[0] = k->cols.col[LICIT_F_SIGNED_DATE];
			k->date_col[1] = k->cols.col[LICIT_F_AWARD_DATE];
			k->date_col[2] = k->cols.col[LICIT_F_START_DATE];
			if (k->date_col[0] < 0 && k->date_col[1] < 0 && k->date_col[2] < 0)
				return licit_error_set(err, src, 1, "signed_date",
				                       "no signed_date, award_date or start_date "
				                       "column for year, quarter or month");
		}
	}
	/* which KPIs this input cannot feed */
	char missing[256] = "";
	size_t mlen = 0;
	for (size_t i = 0; i < sizeof need_cols / sizeof need_cols[0]; i++) {
		if (!(k->need & need_cols[i].need))
			continue;
		int present = 0, absent = 0;
		for (int j = 0; j < 3 && need_cols[i].fields[j] >= 0; j++) {
			if (k->cols.col[need_cols[i].fields[j]] >= 0)
				present++;
			else
				absent++;
		}
		if (need_cols[i].any ? present > 0 : absent == 0) {
			k->have |= need_cols[i].need;
			continue;
		}
		for (int j = 0; j < 3 && need_cols[i].fields[j] >= 0; j++) {
			int f = need_cols[i].fields[j];
			if (k->cols.col[f] >= 0 || strstr(missing, licit_field_name(f)))
				continue;
			int n = snprintf(missing + mlen, sizeof missing - mlen, "%s%s",
			                 mlen ? ", " : "", licit_field_name(f));
			if (n > 0 && (size_t)n < sizeof missing - mlen)
				mlen += (size_t)n;
		}
	}
	if (k->need & NEED_REF) {
		int ok = 1;
		for (int i = 0; i < k->nref_key; i++)
			if (k->cols.col[k->ref_key[i]] < 0) {
				ok = 0;
				int n = snprintf(missing + mlen, sizeof missing - mlen, "%s%s",
				                 mlen ? ", " : "", licit_field_name(k->ref_key[i]));
				if (n > 0 && (size_t)n < sizeof missing - mlen)
					mlen += (size_t)n;
			}
		if (ok)
			k->have |= NEED_REF;
	}
	if (mlen)
		licit_error_set(err, src, 0, NULL,
		                "no column %s: the KPIs built on %s are empty", missing,
		                strchr(missing, ',') ? "them" : "it");
	return LICIT_OK;
}

/* ---- adding rows ------------------------------------------------------ */

/* what one row contributes, computed once for its group and the total */
struct rowv {
	int has_amt, cur, ptype, ntend, sbp, has_ref;
	double amt, ref;
	long dtender, daward, dsign;
	const char *proc, *sup;
	size_t proclen, suplen;
};

static const char *col_value(const struct licit_row *row, int c, size_t *len)
{
	if (c < 0 || (size_t)c >= row->n) {
		*len = 0;
		return "";
	}
	*len = row->len ? row->len[c] : strlen(row->v[c]);
	return row->v[c];
}

static const char *field(const struct licit_kpi *k, const struct licit_row *row,
                         int f, size_t *len)
{
	return col_value(row, k->cols.col[f], len);
}

/* Days since 1970 of a canonical date field; 0 and *ok = 0 when empty or
 * invalid (reported). */
static long day_of(const struct licit_kpi *k, const struct licit_row *row, int f,
                   int *ok, licit_kpi_problem_fn problem, void *ctx)
{
	size_t n;
	const char *s = field(k, row, f, &n);
	long d = 0;
	*ok = 0;
	if (!n)
		return 0;
	if (n != 10 || licit_date_days(s, &d) != 0) {
		if (problem)
			problem(ctx, licit_field_name(f), s, "not a YYYY-MM-DD date: left out");
		return 0;
	}
	*ok = 1;
	return d;
}

static int ptype_of(const char *s, size_t n)
{
	if (!n)
		return PT_NONE;
	for (int i = 0; i < 4; i++)
		if (strcmp(s, ptype_names[i]) == 0)
			return i;
	return PT_OTHER;
}

static void row_values(struct licit_kpi *k, const struct licit_row *row,
                       struct rowv *v, licit_kpi_problem_fn problem, void *ctx)
{
	size_t n;
	const char *s;
	memset(v, 0, sizeof *v);
	v->ptype = PT_NONE;
	v->ntend = -1;
	v->sbp = -1;
	v->dtender = v->daward = v->dsign = NO_DAYS;
	v->cur = -1;
	if (k->need & NEED_AMOUNT) {
		s = field(k, row, LICIT_F_AMOUNT_MXN, &n);
		int f = LICIT_F_AMOUNT_MXN;
		const char *cur = "MXN";
		size_t curlen = 3;
		if (!n) {
			f = LICIT_F_AMOUNT;
			s = field(k, row, f, &n);
			cur = field(k, row, LICIT_F_CURRENCY, &curlen);
		}
		if (n) {
			const char *why = NULL;
			int rc = licit_parse_number(s, &v->amt);
			if (rc == -1)
				why = "not a plain decimal number: amount left out";
			else if (rc < 0 || fabs(v->amt) > LICIT_KPI_MAX_AMOUNT)
				why = "beyond 10^15: amount left out";
			else if (v->amt < 0)
				why = "negative: left out of the amount KPIs (the contract is counted)";
			if (why) {
				if (problem)
					problem(ctx, licit_field_name(f), s, why);
			} else {
				long c = licit_map_put(k->currencies, cur, curlen, NULL);
				if (c >= 0) {
					v->has_amt = 1;
					v->cur = (int)c;
				}
			}
		}
	}
	if (k->need & NEED_TYPE) {
		s = field(k, row, LICIT_F_PROCEDURE_TYPE, &n);
		v->ptype = ptype_of(s, n);
	}
	if (k->need & NEED_PROC)
		v->proc = field(k, row, LICIT_F_PROCEDURE_ID, &v->proclen);
	if (k->need & NEED_TEND) {
		s = field(k, row, LICIT_F_N_TENDERERS, &n);
		if (n) {
			long long t;
			char why[160];
			if (licit_num_int(s, 0, 100000, &t, why, sizeof why) == 0)
				v->ntend = (int)t;
			else if (problem)
				problem(ctx, "n_tenderers", s, "not a whole number 0 to 100000: left out");
		}
	}
	int ok_ts = 0, ok_te = 0, ok_aw = 0, ok_sg = 0;
	long ts = 0, te = 0, aw = 0, sg = 0;
	if (k->need & (NEED_PDAYS | NEED_SBP))
		ts = day_of(k, row, LICIT_F_TENDER_START, &ok_ts, problem, ctx);
	if (k->need & NEED_PDAYS)
		te = day_of(k, row, LICIT_F_TENDER_END, &ok_te, problem, ctx);
	if (k->need & (NEED_PDAYS | NEED_SIGN))
		aw = day_of(k, row, LICIT_F_AWARD_DATE, &ok_aw, problem, ctx);
	if (k->need & (NEED_SIGN | NEED_SBP))
		sg = day_of(k, row, LICIT_F_SIGNED_DATE, &ok_sg, problem, ctx);
	if (ok_ts && ok_te)
		v->dtender = te - ts;
	if (ok_te && ok_aw)
		v->daward = aw - te;
	if ((k->need & NEED_SIGN) && ok_aw && ok_sg)
		v->dsign = sg - aw;
	if ((k->need & NEED_SBP) && ok_sg && ok_ts)
		v->sbp = sg < ts;
	if (k->need & NEED_SUP)
		v->sup = field(k, row, LICIT_F_SUPPLIER_ID, &v->suplen);
	if ((k->need & NEED_REF) && (k->have & NEED_REF)) {
		const char *vals[3];
		size_t lens[3], kl;
		for (int i = 0; i < k->nref_key; i++)
			vals[i] = field(k, row, k->ref_key[i], &lens[i]);
		if (ref_key(k, vals, lens, &kl) == 0) {
			long idx = licit_map_get(k->ref, k->kbuf, kl);
			if (idx >= 0) {
				v->has_ref = 1;
				v->ref = k->ref_amt[idx];
			}
		}
	}
}

static void grp_init(struct grp *g)
{
	memset(g, 0, sizeof *g);
	g->cur = -1;
	g->top = -1;
}

static long composite_put(struct licit_kpi *k, struct licit_map *m, uint32_t gid,
                          const char *s, size_t n, int *added)
{
	if (kbuf_reserve(k, n + sizeof gid) < 0)
		return -1;
	memcpy(k->kbuf, &gid, sizeof gid);
	memcpy(k->kbuf + sizeof gid, s, n);
	return licit_map_put(m, k->kbuf, n + sizeof gid, added);
}

/* resizes one parallel array to n entries, or returns -1 */
#define GROW(arr, n)                                                      \
	do {                                                              \
		void *np_ = realloc((arr), (n) * sizeof *(arr));          \
		if (!np_)                                                 \
			return -1;                                        \
		(arr) = np_;                                              \
	} while (0)

static int proc_reserve(struct licit_kpi *k, size_t idx)
{
	if (idx < k->pcap)
		return 0;
	size_t n = k->pcap ? k->pcap * 2 : 1024;
	GROW(k->p_gid, n);
	GROW(k->p_type, n);
	GROW(k->p_ntend, n);
	GROW(k->p_dtender, n);
	GROW(k->p_daward, n);
	k->pcap = n;
	return 0;
}

static int sup_reserve(struct licit_kpi *k, size_t idx)
{
	if (idx < k->scap)
		return 0;
	size_t n = k->scap ? k->scap * 2 : 1024;
	GROW(k->s_gid, n);
	GROW(k->s_amt, n);
	k->scap = n;
	return 0;
}

static int clamp_days(long d)
{
	return d > INT_MAX ? INT_MAX : d < INT_MIN + 1 ? INT_MIN + 1 : (int)d;
}

static int apply(struct licit_kpi *k, struct grp *g, uint32_t gid, const struct rowv *v)
{
	g->contracts++;
	if (v->has_amt) {
		g->amount_n++;
		ksum_add(&g->amount, v->amt);
		if (g->cur == -1)
			g->cur = v->cur;
		else if (g->cur >= 0 && g->cur != v->cur)
			g->cur = -2;
		if (v->cur < 32)
			g->curmask |= 1u << v->cur;
	}
	if (v->ptype != PT_NONE) {
		g->typed_n++;
		if (v->ptype < PT_OTHER)
			g->type_n[v->ptype]++;
		if (v->has_amt) {
			ksum_add(&g->typed_amt, v->amt);
			if (v->ptype < PT_OTHER)
				ksum_add(&g->type_amt[v->ptype], v->amt);
		}
	}
	if (v->proclen) {
		int added;
		long i = composite_put(k, k->procs, gid, v->proc, v->proclen, &added);
		if (i < 0 || proc_reserve(k, (size_t)i) < 0)
			return -1;
		if (added) {
			g->procedures++;
			k->p_gid[i] = gid;
			k->p_type[i] = PT_NONE;
			k->p_ntend[i] = -1;
			k->p_dtender[i] = k->p_daward[i] = NO_DAYS;
		}
		/* procedure-level fields: the first non-empty value counts */
		if (k->p_type[i] == PT_NONE)
			k->p_type[i] = (signed char)v->ptype;
		if (k->p_ntend[i] < 0)
			k->p_ntend[i] = v->ntend;
		if (k->p_dtender[i] == NO_DAYS && v->dtender != NO_DAYS)
			k->p_dtender[i] = clamp_days(v->dtender);
		if (k->p_daward[i] == NO_DAYS && v->daward != NO_DAYS)
			k->p_daward[i] = clamp_days(v->daward);
	}
	if (v->suplen) {
		int added;
		long i = composite_put(k, k->sups, gid, v->sup, v->suplen, &added);
		if (i < 0 || sup_reserve(k, (size_t)i) < 0)
			return -1;
		if (added) {
			g->suppliers++;
			k->s_gid[i] = gid;
			k->s_amt[i].s = k->s_amt[i].c = 0;
		}
		if (v->has_amt) {
			ksum_add(&k->s_amt[i], v->amt);
			ksum_add(&g->sup_amt, v->amt);
		}
	}
	if (v->dsign != NO_DAYS && licit_dvec_push(&g->d_sign, (double)v->dsign) < 0)
		return -1;
	if (v->sbp >= 0) {
		g->signed_both++;
		g->signed_before += v->sbp;
	}
	if (v->has_ref && v->has_amt) {
		g->sav_n++;
		ksum_add(&g->sav_ref, v->ref);
		ksum_add(&g->sav_paid, v->amt);
	}
	return 0;
}

/* The row's date for year, quarter and month: NULL when it has none. */
static const char *row_date(struct licit_kpi *k, const struct licit_row *row,
                            licit_kpi_problem_fn problem, void *ctx)
{
	static const char *const names[3] = {"signed_date", "award_date", "start_date"};
	size_t n = 0;
	int i = 0;
	const char *s = NULL;
	/* the first non-empty of the fallback chain */
	for (; i < 3; i++) {
		s = col_value(row, k->date_col[i], &n);
		if (n || k->date_field)
			break;
	}
	if (n && (n != 10 || licit_date_days(s, NULL) != 0)) {
		if (problem)
			problem(ctx, k->date_field ? k->date_field : names[i], s,
			        "not a YYYY-MM-DD date: no year, quarter or month");
		n = 0;
	}
	if (!n) {
		k->undated++;
		return NULL;
	}
	return s;
}

/* the group key: each group value followed by a NUL */
static int group_key(struct licit_kpi *k, const struct licit_row *row, size_t *len,
                     licit_kpi_problem_fn problem, void *ctx)
{
	size_t p = 0;
	const char *date = NULL;
	int dated = 0;
	for (size_t i = 0; i < k->nby; i++) {
		size_t n = 0;
		const char *s = "";
		char buf[16];
		if (k->by_kind[i] == D_COL) {
			s = col_value(row, k->by_col[i], &n);
			n = strlen(s); /* the key separator is NUL */
		} else {
			if (!dated) {
				date = row_date(k, row, problem, ctx);
				dated = 1;
			}
			if (date && k->by_kind[i] == D_YEAR) {
				s = date;
				n = 4;
			} else if (date && k->by_kind[i] == D_MONTH) {
				s = date;
				n = 7;
			} else if (date) {
				int m = (date[5] - '0') * 10 + (date[6] - '0');
				snprintf(buf, sizeof buf, "%.4s-Q%d", date, (m - 1) / 3 + 1);
				s = buf;
				n = 7;
			}
		}
		if (kbuf_reserve(k, p + n + 1) < 0)
			return -1;
		memcpy(k->kbuf + p, s, n);
		p += n;
		k->kbuf[p++] = '\0';
	}
	*len = p;
	return 0;
}

/* Counts a value that cannot be used (once per field and row, as the
 * caller is told once), then passes it on to the caller. */
static void count_problem(void *ctx, const char *field, const char *value, const char *text)
{
	struct licit_kpi *k = ctx;
	for (size_t i = 0; i < k->nrow_fields; i++)
		if (strcmp(k->row_fields[i], field) == 0)
			return;
	if (k->nrow_fields < sizeof k->row_fields / sizeof k->row_fields[0])
		k->row_fields[k->nrow_fields++] = field;
	size_t i = 0;
	while (i < k->nunusable &&
	       (strcmp(k->unusable[i].field, field) != 0 || strcmp(k->unusable[i].text, text) != 0))
		i++;
	if (i == k->nunusable && i < sizeof k->unusable / sizeof k->unusable[0])
		k->unusable[k->nunusable++] = (struct unusable){field, text, 0};
	if (i < k->nunusable)
		k->unusable[i].n++;
	if (k->problem)
		k->problem(k->problem_ctx, field, value, text);
}

int licit_kpi_add(struct licit_kpi *k, const struct licit_row *row,
                  licit_kpi_problem_fn problem, void *ctx)
{
	size_t n;
	if (!k->include_test) {
		const char *t = field(k, row, LICIT_F_TEST, &n);
		if (n == 1 && t[0] == '1') {
			k->skipped++;
			return 0;
		}
	}
	struct rowv v;
	k->problem = problem;
	k->problem_ctx = ctx;
	k->nrow_fields = 0;
	row_values(k, row, &v, count_problem, k);
	size_t kl;
	if (group_key(k, row, &kl, count_problem, k) < 0)
		return -1;
	int added;
	long gi = licit_map_put(k->groups, k->kbuf, kl, &added);
	if (gi < 0)
		return -1;
	if ((size_t)gi >= k->gcap) {
		size_t cap = k->gcap ? k->gcap * 2 : 64;
		struct grp *g = realloc(k->g, cap * sizeof *g);
		if (!g)
			return -1;
		k->g = g;
		k->gcap = cap;
	}
	if (added)
		grp_init(&k->g[gi]);
	k->any_row = 1;
	if (apply(k, &k->g[gi], (uint32_t)gi, &v) < 0)
		return -1;
	if (k->total && apply(k, &k->all, TOTAL_GID, &v) < 0)
		return -1;
	return 1;
}

long long licit_kpi_skipped(const struct licit_kpi *k)
{
	return k->skipped;
}

long long licit_kpi_undated(const struct licit_kpi *k)
{
	return k->undated;
}

/* ---- finishing -------------------------------------------------------- */

static struct grp *grp_of(struct licit_kpi *k, uint32_t gid)
{
	return gid == TOTAL_GID ? &k->all : &k->g[gid];
}

static int is_competitive(int t)
{
	return t == PT_OPEN || t == PT_SELECTIVE || t == PT_LIMITED;
}

struct okey {
	const char *key;
	size_t len, idx;
};

static int okey_cmp(const void *a, const void *b)
{
	const struct okey *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->key, y->key, n);
	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

static const char *currency_name(const struct licit_kpi *k, int c)
{
	size_t n;
	const char *s = licit_map_key(k->currencies, (size_t)c, &n);
	return n ? s : "no currency";
}

static int push_warning(struct licit_kpi *k, const char *text)
{
	char **w = realloc(k->warn, (k->nwarn + 1) * sizeof *w);
	if (!w)
		return -1;
	k->warn = w;
	size_t n = strlen(text) + 1;
	if (!(w[k->nwarn] = malloc(n)))
		return -1;
	memcpy(w[k->nwarn++], text, n);
	return 0;
}

static int add_warning(struct licit_kpi *k, const char *group, const struct grp *g)
{
	char cur[200] = "";
	size_t p = 0;
	for (int i = 0; i < 32 && (size_t)i < licit_map_count(k->currencies); i++) {
		if (!(g->curmask & (1u << i)))
			continue;
		int n = snprintf(cur + p, sizeof cur - p, "%s%s", p ? ", " : "",
		                 currency_name(k, i));
		if (n < 0 || (size_t)n >= sizeof cur - p)
			break;
		p += (size_t)n;
	}
	size_t len = strlen(group) + strlen(cur) + 200;
	char *m = malloc(len);
	if (!m)
		return -1;
	snprintf(m, len,
	         "%s: amounts in more than one currency (%s) without amount_mxn: "
	         "amount KPIs left empty (amounts are never added across "
	         "currencies; licit normalise --rates fills amount_mxn)",
	         group, cur);
	int rc = push_warning(k, m);
	free(m);
	return rc;
}

/* "entity_id=IMSS, year=2015" for messages */
static char *group_label(const struct licit_kpi *k, const char *key)
{
	size_t len = 32;
	const char *p = key;
	for (size_t i = 0; i < k->nby; i++) {
		size_t n = key ? strlen(p) : 3;
		len += strlen(k->by[i]) + n + 3;
		if (key)
			p += n + 1;
	}
	char *s = malloc(len);
	if (!s)
		return NULL;
	if (!k->nby) {
		snprintf(s, len, "all rows");
		return s;
	}
	size_t o = (size_t)snprintf(s, len, "group ");
	p = key;
	for (size_t i = 0; i < k->nby; i++) {
		o += (size_t)snprintf(s + o, len - o, "%s%s=%s", i ? ", " : "", k->by[i],
		                      key ? p : "ALL");
		if (key)
			p += strlen(p) + 1;
	}
	return s;
}

static void grp_medians(struct grp *g)
{
	g->med_tend = licit_median(g->tend.v, g->tend.n);
	g->med_tender = licit_median(g->d_tender.v, g->d_tender.n);
	g->med_award = licit_median(g->d_award.v, g->d_award.n);
	g->med_sign = licit_median(g->d_sign.v, g->d_sign.n);
}

int licit_kpi_finish(struct licit_kpi *k, struct licit_error *err)
{
	if (k->finished)
		return LICIT_OK;
	if (!k->nby && licit_map_count(k->groups) == 0) {
		/* no row at all: still one row, with zero contracts */
		if (licit_map_put(k->groups, "", 0, NULL) < 0 ||
		    !(k->g = calloc(1, sizeof *k->g)))
			return licit_error_set(err, "", 0, NULL, "out of memory");
		k->gcap = 1;
		grp_init(&k->g[0]);
	}
	/* procedure-level KPIs, over each group's distinct procedures */
	for (size_t i = 0; i < licit_map_count(k->procs); i++) {
		struct grp *g = grp_of(k, k->p_gid[i]);
		int t = k->p_ntend[i];
		if (is_competitive(k->p_type[i]) && t >= 0) {
			if (licit_dvec_push(&g->tend, t) < 0)
				goto oom;
			g->tend_sum += t;
			g->single += t == 1;
			g->few += t <= 3;
		}
		if (k->p_dtender[i] != NO_DAYS &&
		    licit_dvec_push(&g->d_tender, k->p_dtender[i]) < 0)
			goto oom;
		if (k->p_daward[i] != NO_DAYS &&
		    licit_dvec_push(&g->d_award, k->p_daward[i]) < 0)
			goto oom;
	}
	/* concentration: the largest supplier (first seen on ties), HHI */
	for (size_t i = 0; i < licit_map_count(k->sups); i++) {
		struct grp *g = grp_of(k, k->s_gid[i]);
		double a = ksum_get(&k->s_amt[i]);
		g->sumsq += a * a;
		if (g->top < 0 || a > g->top_amt) {
			g->top = (long)i;
			g->top_amt = a;
		}
	}
	size_t ng = licit_map_count(k->groups);
	for (size_t i = 0; i < ng; i++)
		grp_medians(&k->g[i]);
	grp_medians(&k->all);

	struct okey *ok = malloc((ng ? ng : 1) * sizeof *ok);
	k->order = malloc((ng + 1) * sizeof *k->order);
	if (!ok || !k->order) {
		free(ok);
		goto oom;
	}
	for (size_t i = 0; i < ng; i++) {
		ok[i].key = licit_map_key(k->groups, i, &ok[i].len);
		ok[i].idx = i;
	}
	qsort(ok, ng, sizeof *ok, okey_cmp);
	for (size_t i = 0; i < ng; i++)
		k->order[i] = ok[i].idx;
	free(ok);
	k->norder = ng;

	for (size_t i = 0; i < k->nunusable; i++) {
		const struct unusable *u = &k->unusable[i];
		char m[400];
		snprintf(m, sizeof m, "%s: %lld value%s %s", u->field, u->n, u->n == 1 ? "" : "s",
		         u->text);
		if (push_warning(k, m) < 0)
			goto oom;
	}
	int amount_shown = 0;
	for (size_t i = 0; i < k->nkpis; i++)
		amount_shown |= (need_of(k->kpis[i]) & NEED_AMOUNT) != 0;
	for (size_t i = 0; amount_shown && i <= ng; i++) {
		const struct grp *g = i < ng ? &k->g[k->order[i]] : &k->all;
		if (i == ng && !k->total)
			break;
		if (g->cur != -2)
			continue;
		char *label = group_label(k, i < ng ? licit_map_key(k->groups, k->order[i], NULL)
		                                    : NULL);
		if (!label || add_warning(k, label, g) < 0) {
			free(label);
			goto oom;
		}
		free(label);
	}

	size_t nc = k->nby + (k->long_form ? 4 : k->nkpis);
	k->colnames = malloc(nc * sizeof *k->colnames);
	if (!k->colnames)
		goto oom;
	for (size_t i = 0; i < k->nby; i++)
		k->colnames[i] = k->by[i];
	if (k->long_form) {
		static const char *const lc[] = {"kpi", "value", "numerator", "denominator"};
		for (size_t i = 0; i < 4; i++)
			k->colnames[k->nby + i] = lc[i];
	} else {
		for (size_t i = 0; i < k->nkpis; i++)
			k->colnames[k->nby + i] = kpi_names[k->kpis[i]];
	}
	k->ncols = nc;
	k->finished = 1;
	return LICIT_OK;
oom:
	return licit_error_set(err, "", 0, NULL, "out of memory");
}

size_t licit_kpi_warnings(const struct licit_kpi *k, const char *const **msgs)
{
	*msgs = (const char *const *)k->warn;
	return k->nwarn;
}

size_t licit_kpi_columns(const struct licit_kpi *k, const char *const **names)
{
	*names = k->colnames;
	return k->ncols;
}

size_t licit_kpi_ngroup_columns(const struct licit_kpi *k)
{
	return k->nby;
}

/* ---- output ----------------------------------------------------------- */

struct cell {
	const char *text; /* value when it is text (top_supplier, currency) */
	char v[64], num[64], den[64];
};

static void put_count(char *out, long long n)
{
	snprintf(out, 64, "%lld", n);
}

static void put_amount(char *out, double a)
{
	if (isnan(a))
		out[0] = '\0';
	else
		licit_amount_format(a, out, 64);
}

/* a share or rate: a fraction, or a percentage with --percent */
static void put_share(const struct licit_kpi *k, char *out, double x)
{
	if (k->percent)
		licit_kpi_format(x * 100, 4, out, 64);
	else
		licit_kpi_format(x, 6, out, 64);
}

static void count_share(const struct licit_kpi *k, struct cell *c, long long num,
                        long long den)
{
	put_count(c->num, num);
	put_count(c->den, den);
	put_share(k, c->v, licit_kpi_ratio((double)num, (double)den));
}

static void amount_share(const struct licit_kpi *k, struct cell *c, double num,
                         double den)
{
	put_amount(c->num, num);
	put_amount(c->den, den);
	put_share(k, c->v, licit_kpi_ratio(num, den));
}

static void median_cell(struct cell *c, double med, size_t n)
{
	licit_kpi_format(med, 6, c->v, sizeof c->v);
	put_count(c->den, (long long)n);
}

static void fill_cell(const struct licit_kpi *k, const struct grp *g, int kpi,
                      struct cell *c)
{
	c->text = NULL;
	c->v[0] = c->num[0] = c->den[0] = '\0';
	if (need_of(kpi) & ~k->have)
		return; /* no input had the columns it is built on */
	int amt_ok = g->cur >= 0;
	double typed_amt = ksum_get(&g->typed_amt), sup = ksum_get(&g->sup_amt);
	switch (kpi) {
	case LICIT_KPI_CONTRACTS:
		put_count(c->v, g->contracts);
		break;
	case LICIT_KPI_PROCEDURES:
		put_count(c->v, g->procedures);
		break;
	case LICIT_KPI_AMOUNT:
		if (amt_ok)
			put_amount(c->v, ksum_get(&g->amount));
		break;
	case LICIT_KPI_SUPPLIERS:
		put_count(c->v, g->suppliers);
		break;
	case LICIT_KPI_SHARE_OPEN_COUNT:
	case LICIT_KPI_SHARE_SELECTIVE_COUNT:
	case LICIT_KPI_SHARE_LIMITED_COUNT:
	case LICIT_KPI_SHARE_DIRECT_COUNT:
		count_share(k, c, g->type_n[(kpi - LICIT_KPI_SHARE_OPEN_COUNT) / 2], g->typed_n);
		break;
	case LICIT_KPI_SHARE_OPEN_AMOUNT:
	case LICIT_KPI_SHARE_SELECTIVE_AMOUNT:
	case LICIT_KPI_SHARE_LIMITED_AMOUNT:
	case LICIT_KPI_SHARE_DIRECT_AMOUNT:
		if (amt_ok)
			amount_share(k, c, ksum_get(&g->type_amt[(kpi - LICIT_KPI_SHARE_OPEN_AMOUNT) / 2]),
			             typed_amt);
		break;
	case LICIT_KPI_MEAN_TENDERERS:
		licit_kpi_format(licit_kpi_ratio(g->tend_sum, (double)g->tend.n), 6, c->v,
		                 sizeof c->v);
		put_count(c->num, (long long)g->tend_sum);
		put_count(c->den, (long long)g->tend.n);
		break;
	case LICIT_KPI_MEDIAN_TENDERERS:
		median_cell(c, g->med_tend, g->tend.n);
		break;
	case LICIT_KPI_SINGLE_BID_RATE:
		count_share(k, c, g->single, (long long)g->tend.n);
		break;
	case LICIT_KPI_FEW_BIDDERS_RATE:
		count_share(k, c, g->few, (long long)g->tend.n);
		break;
	case LICIT_KPI_TOP_SUPPLIER:
		if (amt_ok && g->top >= 0 && sup > 0) {
			c->text = licit_map_key(k->sups, (size_t)g->top, NULL) + sizeof(uint32_t);
			put_amount(c->num, g->top_amt);
			put_amount(c->den, sup);
		}
		break;
	case LICIT_KPI_TOP_SUPPLIER_SHARE:
		if (amt_ok && g->top >= 0)
			amount_share(k, c, g->top_amt, sup);
		else if (amt_ok)
			amount_share(k, c, 0, sup);
		break;
	case LICIT_KPI_HHI:
		if (amt_ok) {
			licit_kpi_format(sup > 0 ? g->sumsq / (sup * sup) : NAN, 6, c->v,
			                 sizeof c->v);
			put_amount(c->den, sup);
		}
		break;
	case LICIT_KPI_MEDIAN_DAYS_TENDER:
		median_cell(c, g->med_tender, g->d_tender.n);
		break;
	case LICIT_KPI_MEDIAN_DAYS_TO_AWARD:
		median_cell(c, g->med_award, g->d_award.n);
		break;
	case LICIT_KPI_MEDIAN_DAYS_TO_SIGN:
		median_cell(c, g->med_sign, g->d_sign.n);
		break;
	case LICIT_KPI_SHARE_SIGNED_BEFORE_PUBLISHED:
		count_share(k, c, g->signed_before, g->signed_both);
		break;
	case LICIT_KPI_DIRECT_OVER_CAP:
		if (amt_ok) {
			double d = ksum_get(&g->type_amt[PT_DIRECT]);
			double s = licit_kpi_ratio(d, typed_amt);
			put_amount(c->num, d);
			put_amount(c->den, typed_amt);
			if (!isnan(s))
				snprintf(c->v, sizeof c->v, "%d", s > k->cap);
		}
		break;
	case LICIT_KPI_SAVINGS_AMOUNT:
		if (amt_ok && g->sav_n)
			put_amount(c->v, ksum_get(&g->sav_ref) - ksum_get(&g->sav_paid));
		break;
	case LICIT_KPI_SAVINGS_RATE:
		if (amt_ok)
			amount_share(k, c,
			             g->sav_n ? ksum_get(&g->sav_ref) - ksum_get(&g->sav_paid) : 0,
			             ksum_get(&g->sav_ref));
		break;
	case LICIT_KPI_CURRENCY:
		if (amt_ok)
			c->text = licit_map_key(k->currencies, (size_t)g->cur, NULL);
		break;
	case LICIT_KPI_AMOUNT_CONTRACTS:
		put_count(c->v, g->amount_n);
		break;
	}
}

int licit_kpi_write(struct licit_kpi *k,
                    int (*emit)(void *ctx, const char *const *values), void *ctx)
{
	if (!k->finished)
		return -1;
	const char **vals = malloc((k->ncols + 1) * sizeof *vals);
	struct cell *cells = malloc((k->nkpis + 1) * sizeof *cells);
	const char **gv = malloc((k->nby + 1) * sizeof *gv);
	int rc = -1;
	if (!vals || !cells || !gv)
		goto done;
	rc = 0;
	for (size_t i = 0; i <= k->norder && rc == 0; i++) {
		const struct grp *g;
		if (i < k->norder) {
			g = &k->g[k->order[i]];
			const char *p = licit_map_key(k->groups, k->order[i], NULL);
			for (size_t j = 0; j < k->nby; j++) {
				gv[j] = p;
				p += strlen(p) + 1;
			}
		} else if (k->total) {
			g = &k->all;
			for (size_t j = 0; j < k->nby; j++)
				gv[j] = "ALL";
		} else {
			break;
		}
		for (size_t j = 0; j < k->nby; j++)
			vals[j] = gv[j];
		for (size_t j = 0; j < k->nkpis; j++)
			fill_cell(k, g, k->kpis[j], &cells[j]);
		if (!k->long_form) {
			for (size_t j = 0; j < k->nkpis; j++)
				vals[k->nby + j] = cells[j].text ? cells[j].text : cells[j].v;
			rc = emit(ctx, vals);
			continue;
		}
		for (size_t j = 0; j < k->nkpis && rc == 0; j++) {
			vals[k->nby] = kpi_names[k->kpis[j]];
			vals[k->nby + 1] = cells[j].text ? cells[j].text : cells[j].v;
			vals[k->nby + 2] = cells[j].num;
			vals[k->nby + 3] = cells[j].den;
			rc = emit(ctx, vals);
		}
	}
done:
	free(vals);
	free(cells);
	free(gv);
	return rc;
}
