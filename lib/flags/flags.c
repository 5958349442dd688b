/* The Mexico red-flag rules over canonical contract records: per-row
 * rules, and rules across rows computed in two passes (gather, evaluate)
 * holding only per-group state. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "licit/flags/flags.h"

#include <math.h>
#include <stddef.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/record/schema.h"
#include "licit/core/stats.h"
#include "licit/core/text.h"
#include "licit/values/similar.h"
#include "licit/values/value.h"

enum rule {
	R_DIRECT_THRESHOLD, R_SPLIT, R_SUPPLIER_SHARE, R_DIRECT_SHARE, R_REPEAT_TITLE,
	R_REPEAT_AMOUNT, R_SAME_DAY, R_HOLIDAY, R_ROUND, R_LONG, R_EARLY, R_SHORT_PERIOD,
	R_FAILED_THEN_DIRECT, R_NO_RFC, R_SANCTIONED, R_NEW_COMPANY, R_SCALE_MISMATCH,
	R_BAD_AMOUNT, R_BESA_LATE_PAYMENT, R_BESA_NO_PENALTY, R_BESA_GUARANTEE,
	R_BESA_UNREGISTERED, NBUILTIN
};

static const char *const rule_codes[NBUILTIN] = {
	"MX-DIRECT-THRESHOLD", "MX-SPLIT", "MX-SUPPLIER-SHARE", "MX-DIRECT-SHARE",
	"MX-REPEAT-TITLE", "MX-REPEAT-AMOUNT", "MX-SAME-DAY", "MX-HOLIDAY", "MX-ROUND",
	"MX-LONG", "MX-EARLY", "MX-SHORT-PERIOD", "MX-FAILED-THEN-DIRECT", "MX-NO-RFC",
	"MX-SANCTIONED", "MX-NEW-COMPANY", "MX-SCALE-MISMATCH", "MX-BAD-AMOUNT",
	"BESA-LATE-PAYMENT", "BESA-NO-PENALTY", "BESA-GUARANTEE", "BESA-UNREGISTERED"};

struct threshold {
	int year;
	char ctype[16];
	double max;
};

struct split_c { /* 48 bytes per contract under the maximum */
	long row;
	int grp, day;
	double amount;
	double max;   /* the direct-award maximum of its year and type */
	double total; /* the largest raising window containing the row */
	int count, days;
};

struct failed {
	long buyer, day;
	char *title;
};

/* A compiled pattern with its match limits, and how often they were hit. */
struct rx {
	pcre2_code *re;
	pcre2_match_context *mc;
	long match_limit, depth_limit;
	long long hits; /* values given up at a limit */
	int error;      /* the PCRE2 error of the last one */
};

struct custom {
	const char *code, *field;
	struct rx rx;
	int col;
};

/* A compact hash index: 64-bit key hashes to dense numbers 0, 1, 2...
 * (12 bytes a slot, at most 3/4 full), for the counters that grow with
 * distinct values (titles, amounts, dates, suppliers per buyer-year).
 * Two distinct keys sharing a 64-bit hash would be counted together: the
 * odds are about n^2 / 2^65 (1e-6 for 5 million keys). */
struct hidx {
	unsigned long long *key; /* 0 = empty */
	unsigned *idx;
	size_t cap, n;
};

static unsigned long long mix64(unsigned long long x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

static int hidx_grow(struct hidx *h)
{
	size_t cap = h->cap ? h->cap * 2 : 1024;
	unsigned long long *k = calloc(cap, sizeof *k);
	unsigned *ix = malloc(cap * sizeof *ix);
	if (!k || !ix) {
		free(k);
		free(ix);
		return -1;
	}
	for (size_t i = 0; i < h->cap; i++)
		if (h->key[i]) {
			size_t j = (size_t)h->key[i] & (cap - 1);
			while (k[j])
				j = (j + 1) & (cap - 1);
			k[j] = h->key[i];
			ix[j] = h->idx[i];
		}
	free(h->key);
	free(h->idx);
	h->key = k;
	h->idx = ix;
	h->cap = cap;
	return 0;
}

/* The number of key, adding it when add is set; -1 if absent or OOM. */
static long hidx_get(struct hidx *h, unsigned long long key, int add)
{
	if (!key)
		key = 1;
	if (add && (h->n + 1) * 4 > h->cap * 3 && hidx_grow(h) < 0)
		return -1;
	if (!h->cap)
		return -1;
	size_t j = (size_t)key & (h->cap - 1);
	while (h->key[j]) {
		if (h->key[j] == key)
			return h->idx[j];
		j = (j + 1) & (h->cap - 1);
	}
	if (!add)
		return -1;
	h->key[j] = key;
	h->idx[j] = (unsigned)h->n;
	return (long)h->n++;
}

static void hidx_free(struct hidx *h)
{
	free(h->key);
	free(h->idx);
}

/* per buyer-year */
struct by {
	long n;
	double amount, direct;
};

struct licit_flags {
	const struct licit_flags_settings *s;
	void (*warn)(void *, const char *);
	void *wctx;
	int on[NBUILTIN];
	struct licit_cols cols;
	/* parameters */
	struct threshold *thr;
	size_t nthr;
	struct licit_strset exempt, short_types, split_types;
	long split_window, split_min, long_days, short_nat, short_int, ftd_window,
		new_days, late_days, min_contracts[NBUILTIN];
	double share[NBUILTIN], round_multiple, ftd_sim, guarantee_share, unreg_amount;
	int weekends, use_rfc;
	long unreg_since;
	struct rx failed_rx;
	pcre2_jit_stack *jit_stack; /* shared by every pattern; NULL without JIT */
	pcre2_match_data *md;
	long *extra_holidays;
	size_t nextra;
	struct licit_map *sanc_rfc, *sanc_name, *newco, *reg;
	long *newco_day;
	int col_invoice, col_payment, col_due, col_delivered, col_penalty, col_guarantee;
	int col_warned; /* a column named in the settings and absent was warned about */
	struct custom *custom;
	size_t ncustom;
	/* across rows */
	struct licit_map *bys, *buyers;
	struct hidx bysup, titles, amounts, daysm, splitg;
	struct by *by;
	size_t by_cap;
	double *sup_amount;
	unsigned *sup_n;
	size_t sup_cap;
	unsigned *cnt_title, *cnt_amount, *cnt_day;
	size_t title_cap, amount_cap, day_cap;
	struct split_c *split;
	size_t nsplit, split_cap, split_pos;
	struct failed *failed;
	size_t nfailed, failed_cap;
	size_t *failed_first; /* per buyer: first index in the sorted list, or SIZE_MAX */
	int any_rfc;
	long row;
	/* results */
	struct licit_flag *out;
	size_t nout;
	long long (*counts)[3];
	char buf[4096];
	int oom;
};

/* ---- small helpers ----------------------------------------------------------- */

static void note(struct licit_flags *f, const char *fmt, const char *a, const char *b)
{
	char msg[2048];
	snprintf(msg, sizeof msg, fmt, a, b);
	if (f->warn)
		f->warn(f->wctx, msg);
}

static const char *param(const struct licit_flags_settings *s, const char *rule,
                         const char *key, long *line)
{
	const char *k;
	for (size_t i = 0;; i++) {
		const char *r = licit_flags_param(i, &k, NULL, NULL);
		if (!r)
			return "";
		if (strcmp(r, rule) == 0 && strcmp(k, key) == 0) {
			if (line)
				*line = s->line[i];
			return s->val[i];
		}
	}
}

static int get_bool(const struct licit_flags_settings *s, const char *rule, const char *key,
                    int *out, struct licit_error *err)
{
	long line;
	const char *v = param(s, rule, key, &line);
	if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
		*out = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
		*out = 0;
	else
		return licit_error_set(err, s->path ? s->path : "", line, key,
		                       "[%s] '%s' is not true or false", rule, v);
	return 0;
}

/* A numeric parameter, as licit_flags_settings_load read and checked it. */
static double num(const struct licit_flags_settings *s, const char *rule, const char *key)
{
	const char *k;
	for (size_t i = 0;; i++) {
		const char *r = licit_flags_param(i, &k, NULL, NULL);
		if (!r)
			return 0;
		if (strcmp(r, rule) == 0 && strcmp(k, key) == 0)
			return s->num[i];
	}
}

/* A table path: as given when absolute or present, else the file of
 * that name in the data folder when it is there, else as given (so that
 * the error names what the user wrote). */
static void table_path(const struct licit_flags_settings *s, const char *name, char *out,
                       size_t cap)
{
	snprintf(out, cap, "%s", name);
	if (name[0] == '/' || !s->data_dir || access(name, F_OK) == 0)
		return;
	char alt[1200];
	snprintf(alt, sizeof alt, "%s/%s", s->data_dir, name);
	if (access(alt, F_OK) == 0)
		snprintf(out, cap, "%s", alt);
}

typedef int (*table_row_fn)(struct licit_flags *f, const char *const *v, const int *col,
                            long line, const char *path, struct licit_error *err);

/* Reads a CSV table through the core reader; cols names the columns
 * wanted (-1 in col when absent). */
static int read_table(struct licit_flags *f, const char *path, const char *const *names,
                      int n, int need_one, table_row_fn fn, struct licit_error *err)
{
	struct licit_reader_opts ro = {0};
	ro.format = LICIT_FMT_CSV;
	struct licit_reader *r = licit_reader_open(path, &ro, err);
	if (!r)
		return LICIT_ERR;
	int col[8], found = 0;
	for (int i = 0; i < n; i++) {
		col[i] = licit_reader_col(r, names[i]);
		found += col[i] >= 0;
	}
	if (found < (need_one ? 1 : n)) {
		licit_reader_close(r);
		return licit_error_set(err, path, 1, names[0], "the table needs the column%s %s%s%s",
		                       n > 1 ? "s" : "", names[0], n > 1 ? (need_one ? " or " : ", ") : "",
		                       n > 1 ? names[1] : "");
	}
	const struct licit_row *row;
	int rc;
	while ((rc = licit_reader_next(r, &row, err)) == LICIT_OK) {
		const char *v[8];
		for (int i = 0; i < n; i++)
			v[i] = col[i] >= 0 && (size_t)col[i] < row->n ? row->v[col[i]] : "";
		if (fn(f, v, col, row->line, path, err)) {
			rc = LICIT_ERR;
			break;
		}
	}
	licit_reader_close(r);
	return rc == LICIT_ERR ? LICIT_ERR : 0;
}

static int thr_row(struct licit_flags *f, const char *const *v, const int *col, long line,
                   const char *path, struct licit_error *err)
{
	(void)col;
	long long y;
	double m;
	char why[160];
	if (licit_num_int(v[0], 1900, 2100, &y, why, sizeof why))
		return licit_error_set(err, path, line, "year", "%s", why);
	if (licit_num_real(v[2], 0, 1e15, &m, why, sizeof why))
		return licit_error_set(err, path, line, "max_direct_amount", "%s", why);
	struct threshold *t = realloc(f->thr, (f->nthr + 1) * sizeof *t);
	if (!t)
		return licit_error_set(err, path, line, NULL, "out of memory");
	f->thr = t;
	t += f->nthr++;
	t->year = (int)y;
	snprintf(t->ctype, sizeof t->ctype, "%s", v[1]);
	t->max = m;
	return 0;
}

static int holiday_row(struct licit_flags *f, const char *const *v, const int *col,
                       long line, const char *path, struct licit_error *err)
{
	(void)col;
	long d;
	if (strlen(v[0]) != 10 || licit_date_days(v[0], &d))
		return licit_error_set(err, path, line, "date", "'%s' is not a YYYY-MM-DD date", v[0]);
	long *n = realloc(f->extra_holidays, (f->nextra + 1) * sizeof *n);
	if (!n)
		return licit_error_set(err, path, line, NULL, "out of memory");
	f->extra_holidays = n;
	n[f->nextra++] = d;
	return 0;
}

static int sanc_row(struct licit_flags *f, const char *const *v, const int *col, long line,
                    const char *path, struct licit_error *err)
{
	(void)col;
	char key[512];
	if (*v[0]) {
		enum licit_rfc_status st = licit_rfc_check(v[0], strlen(v[0]), key, sizeof key);
		if (st != LICIT_RFC_EMPTY && licit_map_put(f->sanc_rfc, key, strlen(key), NULL) < 0)
			return licit_error_set(err, path, line, NULL, "out of memory");
	}
	if (*v[1]) {
		size_t n = licit_name_key(v[1], strlen(v[1]), key, sizeof key);
		if (n && licit_map_put(f->sanc_name, key, n, NULL) < 0)
			return licit_error_set(err, path, line, NULL, "out of memory");
	}
	return 0;
}

static int newco_row(struct licit_flags *f, const char *const *v, const int *col, long line,
                     const char *path, struct licit_error *err)
{
	(void)col;
	char key[32];
	long d;
	licit_rfc_check(v[0], strlen(v[0]), key, sizeof key);
	if (strlen(v[1]) != 10 || licit_date_days(v[1], &d))
		return licit_error_set(err, path, line, "incorporated", "'%s' is not a YYYY-MM-DD date",
		                       v[1]);
	long k = licit_map_put(f->newco, key, strlen(key), NULL);
	long *nd = k >= 0 ? realloc(f->newco_day, (size_t)(k + 1) * sizeof *nd) : NULL;
	if (!nd)
		return licit_error_set(err, path, line, NULL, "out of memory");
	f->newco_day = nd;
	nd[k] = d;
	return 0;
}

static int reg_row(struct licit_flags *f, const char *const *v, const int *col, long line,
                   const char *path, struct licit_error *err)
{
	(void)col;
	if (*v[0] && licit_map_put(f->reg, v[0], strlen(v[0]), NULL) < 0)
		return licit_error_set(err, path, line, NULL, "out of memory");
	return 0;
}

/* Compiles a pattern (JIT-compiled where PCRE2 has JIT; the interpreter
 * otherwise) with a match context holding its limits. */
static int compile(struct licit_flags *f, struct rx *x, const char *pattern, long match_limit,
                   long depth_limit, const char *path, long line, const char *key,
                   struct licit_error *err)
{
	int ec;
	PCRE2_SIZE off;
	x->re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
	                      PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ec, &off, NULL);
	if (!x->re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(ec, msg, sizeof msg);
		return licit_error_set(err, path ? path : "", line, key,
		                       "bad pattern at offset %zu: %s", (size_t)off, (char *)msg);
	}
	(void)pcre2_jit_compile(x->re, PCRE2_JIT_COMPLETE); /* no JIT: interpreted */
	x->match_limit = match_limit;
	x->depth_limit = depth_limit;
	if (!(x->mc = pcre2_match_context_create(NULL)))
		return licit_error_set(err, "", 0, NULL, "out of memory");
	pcre2_set_match_limit(x->mc, (uint32_t)match_limit);
	pcre2_set_depth_limit(x->mc, (uint32_t)depth_limit);
	if (!f->jit_stack) /* JIT's own depth: up to 1 MiB of stack (the default is 32 KiB) */
		f->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	pcre2_jit_stack_assign(x->mc, NULL, f->jit_stack);
	return 0;
}

static void rx_free(struct rx *x)
{
	pcre2_match_context_free(x->mc);
	pcre2_code_free(x->re);
}

/* ---- holidays ------------------------------------------------------------------ */

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long days_of(int y, int m, int d)
{
	long yy = y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* The n-th Monday of a month. */
static long nth_monday(int y, int m, int n)
{
	long first = days_of(y, m, 1);
	long wd = ((first % 7) + 7 + 3) % 7; /* 1970-01-01 was a Thursday: 0 = Monday */
	return first + (7 - wd) % 7 + 7 * (n - 1);
}

int licit_holiday_mx(long d)
{
	/* the year of d */
	long y = 1970 + d / 366;
	while (days_of((int)y + 1, 1, 1) <= d)
		y++;
	while (days_of((int)y, 1, 1) > d)
		y--;
	int yi = (int)y;
	if (d == days_of(yi, 1, 1) || d == days_of(yi, 5, 1) || d == days_of(yi, 9, 16) ||
	    d == days_of(yi, 12, 25))
		return 1;
	if (yi >= 2006) { /* Mondays since the 2006 reform of LFT art. 74 */
		if (d == nth_monday(yi, 2, 1) || d == nth_monday(yi, 3, 3) ||
		    d == nth_monday(yi, 11, 3))
			return 1;
	} else if (d == days_of(yi, 2, 5) || d == days_of(yi, 3, 21) || d == days_of(yi, 11, 20)) {
		return 1;
	}
	/* transmission of the federal executive power */
	if (yi >= 2024 && (yi - 2024) % 6 == 0 && d == days_of(yi, 10, 1))
		return 1;
	if (yi <= 2018 && yi >= 1934 && (2018 - yi) % 6 == 0 && d == days_of(yi, 12, 1))
		return 1;
	return 0;
}

/* ---- construction ----------------------------------------------------------------- */

struct licit_flags *licit_flags_new(const struct licit_flags_settings *s,
                                    void (*warn)(void *, const char *), void *ctx,
                                    struct licit_error *err)
{
	struct licit_flags *f = calloc(1, sizeof *f);
	if (!f) {
		licit_error_set(err, "", 0, NULL, "out of memory");
		return NULL;
	}
	f->s = s;
	f->warn = warn;
	f->wctx = ctx;
	for (int i = 0; i < NBUILTIN; i++)
		if (get_bool(s, rule_codes[i], "enabled", &f->on[i], err))
			goto fail;
	static const int shared[] = {R_SUPPLIER_SHARE, R_DIRECT_SHARE, R_REPEAT_TITLE,
	                             R_REPEAT_AMOUNT, R_SAME_DAY};
	for (size_t i = 0; i < sizeof shared / sizeof shared[0]; i++) {
		int r = shared[i];
		f->share[r] = num(s, rule_codes[r], "share");
		f->min_contracts[r] = (long)num(s, rule_codes[r], "min_contracts");
	}
	f->split_window = (long)num(s, "MX-SPLIT", "window_days");
	f->split_min = (long)num(s, "MX-SPLIT", "min_contracts");
	f->round_multiple = num(s, "MX-ROUND", "multiple");
	f->long_days = (long)num(s, "MX-LONG", "days");
	f->short_nat = (long)num(s, "MX-SHORT-PERIOD", "national");
	f->short_int = (long)num(s, "MX-SHORT-PERIOD", "international");
	f->ftd_window = (long)num(s, "MX-FAILED-THEN-DIRECT", "window_days");
	f->ftd_sim = num(s, "MX-FAILED-THEN-DIRECT", "similarity");
	f->new_days = (long)num(s, "MX-NEW-COMPANY", "days");
	f->late_days = (long)num(s, "BESA-LATE-PAYMENT", "days");
	f->guarantee_share = num(s, "BESA-GUARANTEE", "share");
	f->unreg_amount = num(s, "BESA-UNREGISTERED", "amount");
	if (get_bool(s, "MX-HOLIDAY", "weekends", &f->weekends, err) ||
	    get_bool(s, "MX-NEW-COMPANY", "use_rfc", &f->use_rfc, err))
		goto fail;
	long line;
	const char *since = param(s, "BESA-UNREGISTERED", "since", &line);
	if (strlen(since) != 10 || licit_date_days(since, &f->unreg_since)) {
		licit_error_set(err, s->path ? s->path : "", line, "since", "'%s' is not a date", since);
		goto fail;
	}
	licit_strset_parse(&f->exempt, param(s, "MX-DIRECT-THRESHOLD", "exempt_exceptions", NULL));
	licit_strset_parse(&f->short_types, param(s, "MX-SHORT-PERIOD", "procedure_types", NULL));
	licit_strset_parse(&f->split_types, param(s, "MX-SPLIT", "procedure_types", NULL));
	char path[1300];
	if (f->on[R_DIRECT_THRESHOLD] || f->on[R_SPLIT]) {
		const char *t = param(s, "MX-DIRECT-THRESHOLD", "table", &line);
		static const char *const cols[] = {"year", "contract_type", "max_direct_amount"};
		table_path(s, t, path, sizeof path);
		if (!*t) {
			f->on[R_DIRECT_THRESHOLD] = f->on[R_SPLIT] = 0;
		} else if (read_table(f, path, cols, 3, 0, thr_row, err)) {
			if (line) /* named in the settings: its absence is an error */
				goto fail;
			note(f, "%s: no threshold table (%s): MX-DIRECT-THRESHOLD and MX-SPLIT are off",
			     path, err->text);
			licit_error_clear(err);
			f->on[R_DIRECT_THRESHOLD] = f->on[R_SPLIT] = 0;
		}
	}
	const char *h = param(s, "MX-HOLIDAY", "holidays", NULL);
	static const char *const dcol[] = {"date"};
	if (f->on[R_HOLIDAY] && *h) {
		table_path(s, h, path, sizeof path);
		if (read_table(f, path, dcol, 1, 0, holiday_row, err))
			goto fail;
	}
	const char *l = param(s, "MX-SANCTIONED", "list", NULL);
	if (!*l)
		f->on[R_SANCTIONED] = 0;
	if (f->on[R_SANCTIONED]) {
		static const char *const c[] = {"rfc", "name"};
		f->sanc_rfc = licit_map_new();
		f->sanc_name = licit_map_new();
		table_path(s, l, path, sizeof path);
		if (!f->sanc_rfc || !f->sanc_name || read_table(f, path, c, 2, 1, sanc_row, err))
			goto fail;
	}
	const char *nt = param(s, "MX-NEW-COMPANY", "table", NULL);
	if (f->on[R_NEW_COMPANY] && *nt) {
		static const char *const c[] = {"rfc", "incorporated"};
		f->newco = licit_map_new();
		table_path(s, nt, path, sizeof path);
		if (!f->newco || read_table(f, path, c, 2, 0, newco_row, err))
			goto fail;
	}
	const char *rg = param(s, "BESA-UNREGISTERED", "register", NULL);
	if (!*rg)
		f->on[R_BESA_UNREGISTERED] = 0;
	if (f->on[R_BESA_UNREGISTERED]) {
		static const char *const c[] = {"contract_id"};
		f->reg = licit_map_new();
		table_path(s, rg, path, sizeof path);
		if (!f->reg || read_table(f, path, c, 1, 0, reg_row, err))
			goto fail;
	}
	if (f->on[R_FAILED_THEN_DIRECT]) {
		const char *p = param(s, "MX-FAILED-THEN-DIRECT", "failed_status", &line);
		if (compile(f, &f->failed_rx, p, LICIT_MATCH_LIMIT, LICIT_DEPTH_LIMIT, s->path, line,
		            "failed_status", err))
			goto fail;
	}
	f->ncustom = s->ncustom;
	f->custom = calloc(s->ncustom + 1, sizeof *f->custom);
	if (!f->custom)
		goto oom;
	for (size_t i = 0; i < s->ncustom; i++) {
		f->custom[i].code = s->custom[i].code;
		f->custom[i].field = s->custom[i].field;
		if (compile(f, &f->custom[i].rx, s->custom[i].pattern, s->custom[i].match_limit,
		            s->custom[i].depth_limit, s->path, s->custom[i].line, "pattern", err))
			goto fail;
	}
	f->md = pcre2_match_data_create(4, NULL);
	f->bys = licit_map_new();
	f->buyers = licit_map_new();
	size_t nr = NBUILTIN + s->ncustom;
	f->out = calloc(nr, sizeof *f->out);
	f->counts = calloc(nr, sizeof *f->counts);
	if (!f->md || !f->bys || !f->buyers || !f->out || !f->counts)
		goto oom;
	return f;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
fail:
	licit_flags_free(f);
	return NULL;
}

void licit_flags_free(struct licit_flags *f)
{
	if (!f)
		return;
	free(f->thr);
	licit_strset_fini(&f->exempt);
	licit_strset_fini(&f->short_types);
	licit_strset_fini(&f->split_types);
	rx_free(&f->failed_rx);
	pcre2_jit_stack_free(f->jit_stack);
	pcre2_match_data_free(f->md);
	free(f->extra_holidays);
	licit_map_free(f->sanc_rfc);
	licit_map_free(f->sanc_name);
	licit_map_free(f->newco);
	licit_map_free(f->reg);
	free(f->newco_day);
	for (size_t i = 0; f->custom && i < f->ncustom; i++)
		rx_free(&f->custom[i].rx);
	free(f->custom);
	licit_map_free(f->bys);
	hidx_free(&f->bysup);
	hidx_free(&f->titles);
	hidx_free(&f->amounts);
	hidx_free(&f->daysm);
	hidx_free(&f->splitg);
	licit_map_free(f->buyers);
	free(f->by);
	free(f->sup_amount);
	free(f->sup_n);
	free(f->cnt_title);
	free(f->cnt_amount);
	free(f->cnt_day);
	free(f->split);
	for (size_t i = 0; i < f->nfailed; i++)
		free(f->failed[i].title);
	free(f->failed);
	free(f->failed_first);
	free(f->out);
	free(f->counts);
	free(f);
}

/* The input column a setting names. A column the settings file named
 * (not a default) that the input lacks is warned about, once: the rule
 * would otherwise be "not computable" for every row without a word. */
static int setting_col(struct licit_flags *f, const struct licit_reader *r, int on,
                       const char *code, const char *key, const char *name, long line)
{
	int c = licit_reader_col(r, name);
	if (c < 0 && on && line && !f->col_warned && f->warn) {
		char msg[600];
		snprintf(msg, sizeof msg, "%s:%ld: %s: column '%.200s' is not in %s: %s is not "
		         "computable", f->s->path ? f->s->path : "", line, key, name,
		         licit_reader_source(r), code);
		f->warn(f->wctx, msg);
	}
	return c;
}

void licit_flags_bind(struct licit_flags *f, const struct licit_reader *r)
{
	static const struct {
		int rule;
		const char *code, *key;
		size_t off;
	} cols[] = {
		{R_BESA_LATE_PAYMENT, "BESA-LATE-PAYMENT", "invoice_column",
		 offsetof(struct licit_flags, col_invoice)},
		{R_BESA_LATE_PAYMENT, "BESA-LATE-PAYMENT", "payment_column",
		 offsetof(struct licit_flags, col_payment)},
		{R_BESA_NO_PENALTY, "BESA-NO-PENALTY", "due_column", offsetof(struct licit_flags, col_due)},
		{R_BESA_NO_PENALTY, "BESA-NO-PENALTY", "delivered_column",
		 offsetof(struct licit_flags, col_delivered)},
		{R_BESA_NO_PENALTY, "BESA-NO-PENALTY", "penalty_column",
		 offsetof(struct licit_flags, col_penalty)},
		{R_BESA_GUARANTEE, "BESA-GUARANTEE", "column", offsetof(struct licit_flags, col_guarantee)},
	};
	licit_cols_bind(&f->cols, r);
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		long line;
		const char *name = param(f->s, cols[i].code, cols[i].key, &line);
		*(int *)((char *)f + cols[i].off) =
			setting_col(f, r, f->on[cols[i].rule], cols[i].code, cols[i].key, name, line);
	}
	for (size_t i = 0; i < f->ncustom; i++)
		f->custom[i].col = setting_col(f, r, 1, f->custom[i].code, "field", f->custom[i].field,
		                               f->s->custom[i].line);
	f->col_warned = 1;
	f->row = 0;
	f->split_pos = 0;
}

size_t licit_flags_nrules(const struct licit_flags *f) { return NBUILTIN + f->ncustom; }

const char *licit_flags_rule(const struct licit_flags *f, size_t i, long long counts[3])
{
	if (i < NBUILTIN && !f->on[i])
		return NULL;
	if (counts)
		memcpy(counts, f->counts[i], sizeof f->counts[i]);
	return i < NBUILTIN ? rule_codes[i] : f->custom[i - NBUILTIN].code;
}

/* ---- per-row facts ------------------------------------------------------------------- */

struct facts {
	const char *buyer, *year_date, *supplier;
	char year[5];
	long day;          /* signature (else award, else start) date, -1 if none */
	int has_mxn;
	double mxn;
	const char *ptype;
	int direct;
	char title[1024];
	size_t title_len;
};

static const char *get(const struct licit_flags *f, const struct licit_row *row,
                       enum licit_field fl)
{
	return licit_get(row, &f->cols, fl);
}

static const char *col(const struct licit_row *row, int c)
{
	return c >= 0 && (size_t)c < row->n ? row->v[c] : "";
}

static void facts(const struct licit_flags *f, const struct licit_row *row, struct facts *x)
{
	x->buyer = get(f, row, LICIT_F_BUYER_ID);
	if (!*x->buyer)
		x->buyer = get(f, row, LICIT_F_BUYER_NAME);
	x->supplier = get(f, row, LICIT_F_SUPPLIER_ID);
	if (!*x->supplier)
		x->supplier = get(f, row, LICIT_F_SUPPLIER_NAME);
	const char *d = get(f, row, LICIT_F_SIGNED_DATE);
	if (!*d)
		d = get(f, row, LICIT_F_AWARD_DATE);
	if (!*d)
		d = get(f, row, LICIT_F_START_DATE);
	x->day = -1;
	x->year[0] = '\0';
	x->year_date = d;
	if (licit_date_days(d, &x->day) == 0) {
		memcpy(x->year, d, 4);
		x->year[4] = '\0';
	} else {
		x->day = -1;
	}
	x->has_mxn = 0;
	const char *mxn = get(f, row, LICIT_F_AMOUNT_MXN);
	const char *cur = get(f, row, LICIT_F_CURRENCY);
	if (licit_parse_number(mxn, &x->mxn) == 0)
		x->has_mxn = 1;
	else if ((!*cur || strcmp(cur, "MXN") == 0) &&
	         licit_parse_number(get(f, row, LICIT_F_AMOUNT), &x->mxn) == 0)
		x->has_mxn = 1;
	x->ptype = get(f, row, LICIT_F_PROCEDURE_TYPE);
	x->direct = strcmp(x->ptype, "direct") == 0;
	const char *t = get(f, row, LICIT_F_TITLE);
	size_t tn = strlen(t);
	if (tn > sizeof x->title - 1)
		tn = sizeof x->title - 1;
	x->title_len = licit_text_fold(t, tn, x->title);
}

/* Composite keys: parts joined by 0x1F. */
static size_t key(char *out, size_t cap, const char *a, const char *b, const char *c,
                  const char *d)
{
	int n = snprintf(out, cap, "%s\x1f%s\x1f%s\x1f%s", a, b ? b : "", c ? c : "", d ? d : "");
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

/* Counters keyed by a 64-bit hash of (buyer-year, value). */
static long hkey(struct hidx *m, long by, const char *v, size_t n, int add)
{
	return hidx_get(m, mix64(licit_hash(v, n) ^ mix64((unsigned long long)by + 0x9E3779B97F4A7C15ULL)),
	                add);
}

static int bump(unsigned **arr, size_t *cap, long k)
{
	if (k < 0)
		return -1;
	if ((size_t)k >= *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		while (nc <= (size_t)k)
			nc *= 2;
		unsigned *a = realloc(*arr, nc * sizeof *a);
		if (!a)
			return -1;
		memset(a + *cap, 0, (nc - *cap) * sizeof *a);
		*arr = a;
		*cap = nc;
	}
	(*arr)[k]++;
	return 0;
}

static const struct threshold *threshold(const struct licit_flags *f, const char *year,
                                         const char *ctype)
{
	int y = atoi(year);
	for (size_t i = 0; i < f->nthr; i++)
		if (f->thr[i].year == y && strcmp(f->thr[i].ctype, ctype) == 0)
			return &f->thr[i];
	return NULL;
}

static int exempt(const struct licit_flags *f, const char *exc)
{
	for (size_t i = 0; *exc && i < f->exempt.n; i++)
		if (strncmp(exc, f->exempt.v[i], strlen(f->exempt.v[i])) == 0)
			return 1;
	return 0;
}

/* 1 match, 0 no match, -1 given up (a match, depth, heap or JIT stack
 * limit, counted in x->hits): the answer is not known. */
static int matches(struct licit_flags *f, struct rx *x, const char *s)
{
	int rc = pcre2_match(x->re, (PCRE2_SPTR)s, PCRE2_ZERO_TERMINATED, 0, 0, f->md, x->mc);
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	x->hits++;
	x->error = rc;
	return -1;
}

static void report_limits(struct licit_flags *f, const struct rx *x, const char *code,
                          const char *what)
{
	if (!x->hits || !f->warn)
		return;
	PCRE2_UCHAR msg[128];
	pcre2_get_error_message(x->error, msg, sizeof msg);
	char text[512];
	snprintf(text, sizeof text,
	         "%s: %lld value%s gave up at a PCRE2 limit (%s; match_limit = %ld, "
	         "depth_limit = %ld): %s",
	         code, x->hits, x->hits == 1 ? "" : "s", (char *)msg, x->match_limit,
	         x->depth_limit, what);
	f->warn(f->wctx, text);
}

void licit_flags_report(struct licit_flags *f)
{
	report_limits(f, &f->failed_rx, "MX-FAILED-THEN-DIRECT",
	              "those procedures are not counted as failed");
	for (size_t i = 0; i < f->ncustom; i++)
		report_limits(f, &f->custom[i].rx, f->custom[i].code, "counted as not computable");
}

/* ---- pass 1 ------------------------------------------------------------------------- */

int licit_flags_gather(struct licit_flags *f, const struct licit_row *row)
{
	struct facts x;
	facts(f, row, &x);
	long r = f->row++;
	if (*get(f, row, LICIT_F_SUPPLIER_RFC))
		f->any_rfc = 1;
	char k[2048];
	if (!*x.buyer)
		return 0;
	if (f->on[R_FAILED_THEN_DIRECT] && !x.direct && *x.ptype && x.title_len &&
	    matches(f, &f->failed_rx, get(f, row, LICIT_F_STATUS)) == 1) {
		const char *d = get(f, row, LICIT_F_AWARD_DATE);
		if (!*d)
			d = get(f, row, LICIT_F_TENDER_END);
		if (!*d)
			d = get(f, row, LICIT_F_TENDER_START);
		long day;
		if (licit_date_days(d, &day) == 0 || (day = x.day) >= 0) {
			long b = licit_map_put(f->buyers, x.buyer, strlen(x.buyer), NULL);
			if (b < 0)
				return -1;
			if (f->nfailed == f->failed_cap) {
				size_t nc = f->failed_cap ? f->failed_cap * 2 : 64;
				struct failed *nf = realloc(f->failed, nc * sizeof *nf);
				if (!nf)
					return -1;
				f->failed = nf;
				f->failed_cap = nc;
			}
			struct failed *fl = &f->failed[f->nfailed++];
			fl->buyer = b;
			fl->day = day;
			fl->title = strdup(x.title);
			if (!fl->title)
				return -1;
		}
	}
	if (!x.year[0])
		return 0;
	size_t kn = key(k, sizeof k, x.buyer, x.year, NULL, NULL);
	long by = licit_map_put(f->bys, k, kn, NULL);
	if (by < 0)
		return -1;
	if ((size_t)by >= f->by_cap) {
		size_t nc = f->by_cap ? f->by_cap * 2 : 256;
		struct by *nb = realloc(f->by, nc * sizeof *nb);
		if (!nb)
			return -1;
		memset(nb + f->by_cap, 0, (nc - f->by_cap) * sizeof *nb);
		f->by = nb;
		f->by_cap = nc;
	}
	struct by *b = &f->by[by];
	b->n++;
	if (x.has_mxn) {
		b->amount += x.mxn;
		if (x.direct)
			b->direct += x.mxn;
	}
	if (*x.supplier) {
		long s = hkey(&f->bysup, by, x.supplier, strlen(x.supplier), 1);
		if (s < 0)
			return -1;
		if ((size_t)s >= f->sup_cap) {
			size_t nc = f->sup_cap ? f->sup_cap * 2 : 1024;
			double *a = realloc(f->sup_amount, nc * sizeof *a);
			if (a)
				f->sup_amount = a;
			unsigned *n = a ? realloc(f->sup_n, nc * sizeof *n) : NULL;
			if (!n)
				return -1;
			f->sup_n = n;
			memset(a + f->sup_cap, 0, (nc - f->sup_cap) * sizeof *a);
			memset(n + f->sup_cap, 0, (nc - f->sup_cap) * sizeof *n);
			f->sup_cap = nc;
		}
		f->sup_n[s]++;
		if (x.has_mxn)
			f->sup_amount[s] += x.mxn;
	}
	if (x.title_len && bump(&f->cnt_title, &f->title_cap,
	                        hkey(&f->titles, by, x.title, x.title_len, 1)))
		return -1;
	const char *am = get(f, row, LICIT_F_AMOUNT);
	if (*am) {
		kn = key(k, sizeof k, am, get(f, row, LICIT_F_CURRENCY), NULL, NULL);
		if (bump(&f->cnt_amount, &f->amount_cap, hkey(&f->amounts, by, k, kn, 1)))
			return -1;
	}
	if (x.day >= 0 && bump(&f->cnt_day, &f->day_cap,
	                       hkey(&f->daysm, by, (const char *)&x.day, sizeof x.day, 1)))
		return -1;
	/* split candidates: under the direct-award maximum */
	const char *ct = get(f, row, LICIT_F_CONTRACT_TYPE);
	const struct threshold *t;
	if (f->on[R_SPLIT] && licit_strset_has(&f->split_types, x.ptype) && *x.supplier && *ct &&
	    x.has_mxn && x.day >= 0 &&
	    (t = threshold(f, x.year, ct)) && x.mxn <= t->max) {
		kn = key(k, sizeof k, x.buyer, x.supplier, ct, x.year);
		long g = hidx_get(&f->splitg, mix64(licit_hash(k, kn)), 1);
		if (g < 0)
			return -1;
		if (f->nsplit == f->split_cap) {
			size_t nc = f->split_cap ? f->split_cap * 2 : 1024;
			struct split_c *ns = realloc(f->split, nc * sizeof *ns);
			if (!ns)
				return -1;
			f->split = ns;
			f->split_cap = nc;
		}
		struct split_c *c = &f->split[f->nsplit++];
		c->row = r;
		c->grp = (int)g;
		c->day = (int)x.day;
		c->amount = x.mxn;
		c->max = t->max;
		c->total = 0;
		c->count = 0;
		c->days = 0;
		(void)t;
	}
	return 0;
}

static int cmp_split_grp(const void *a, const void *b)
{
	const struct split_c *x = a, *y = b;
	if (x->grp != y->grp)
		return x->grp < y->grp ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

static int cmp_split_row(const void *a, const void *b)
{
	const struct split_c *x = a, *y = b;
	return (x->row > y->row) - (x->row < y->row);
}

static int cmp_failed(const void *a, const void *b)
{
	const struct failed *x = a, *y = b;
	if (x->buyer != y->buyer)
		return x->buyer < y->buyer ? -1 : 1;
	return (x->day > y->day) - (x->day < y->day);
}

int licit_flags_settle(struct licit_flags *f)
{
	/* MX-SPLIT: every window of window_days starting at a contract; the
	 * contracts of a window whose sum passes the maximum are raised. */
	if (f->nsplit)
		qsort(f->split, f->nsplit, sizeof *f->split, cmp_split_grp);
	for (size_t i = 0; i < f->nsplit;) {
		size_t end = i;
		while (end < f->nsplit && f->split[end].grp == f->split[i].grp)
			end++;
		const double max = f->split[i].max;
		size_t k = i;
		double sum = 0;
		for (size_t j = i; j < end; j++) {
			if (k <= j) { /* the previous window ended before j */
				sum = f->split[j].amount;
				k = j + 1;
			}
			/* extend to every contract within window_days of j */
			while (k < end && f->split[k].day - f->split[j].day <= f->split_window) {
				sum += f->split[k].amount;
				k++;
			}
			int count = (int)(k - j);
			if (count >= f->split_min && sum > max)
				for (size_t m = j; m < k; m++)
					if (sum > f->split[m].total) {
						f->split[m].total = sum;
						f->split[m].count = count;
						f->split[m].days = (int)(f->split[k - 1].day - f->split[j].day);
					}
			sum -= f->split[j].amount;
		}
		i = end;
	}
	if (f->nsplit)
		qsort(f->split, f->nsplit, sizeof *f->split, cmp_split_row);
	f->split_pos = 0;
	if (f->nfailed)
		qsort(f->failed, f->nfailed, sizeof *f->failed, cmp_failed);
	size_t nb = licit_map_count(f->buyers);
	f->failed_first = malloc((nb + 1) * sizeof *f->failed_first);
	if (!f->failed_first)
		return -1;
	for (size_t i = 0; i <= nb; i++)
		f->failed_first[i] = SIZE_MAX;
	for (size_t i = f->nfailed; i-- > 0;)
		f->failed_first[f->failed[i].buyer] = i;
	return 0;
}

/* ---- pass 2 ------------------------------------------------------------------------- */

static void fmt_amount(double v, char *out, size_t cap) { licit_amount_format(v, out, cap); }

static struct licit_flag *set(struct licit_flags *f, size_t i, enum licit_outcome o)
{
	struct licit_flag *r = &f->out[f->nout++];
	r->code = i < NBUILTIN ? rule_codes[i] : f->custom[i - NBUILTIN].code;
	r->outcome = o;
	r->value[0] = r->reason[0] = '\0';
	f->counts[i][o == LICIT_RAISED ? 0 : o == LICIT_NOT_RAISED ? 1 : 2]++;
	return r;
}

#define NA(i) set(f, i, LICIT_NA)
#define NOT(i) set(f, i, LICIT_NOT_RAISED)
#define RAISE(i) set(f, i, LICIT_RAISED)

static long day_of(const char *s)
{
	long d;
	return licit_date_days(s, &d) == 0 ? d : -1;
}

static const char *weekday_name(long d)
{
	static const char *const n[] = {"Monday", "Tuesday", "Wednesday", "Thursday",
	                                "Friday", "Saturday", "Sunday"};
	return n[((d % 7) + 7 + 3) % 7];
}

static int non_working(const struct licit_flags *f, long d, const char **why)
{
	long wd = ((d % 7) + 7 + 3) % 7;
	if (f->weekends && wd >= 5) {
		*why = weekday_name(d);
		return 1;
	}
	if (licit_holiday_mx(d)) {
		*why = "an official holiday (LFT art. 74)";
		return 1;
	}
	for (size_t i = 0; i < f->nextra; i++)
		if (f->extra_holidays[i] == d) {
			*why = "a holiday in the holidays table";
			return 1;
		}
	return 0;
}

int licit_flags_eval(struct licit_flags *f, const struct licit_row *row,
                     const struct licit_flag **out, size_t *n)
{
	struct facts x;
	facts(f, row, &x);
	long r = f->row++;
	f->nout = 0;
	struct licit_flag *o;
	char a1[48], a2[48], k[2048];
	const char *ct = get(f, row, LICIT_F_CONTRACT_TYPE);
	const char *amount_s = get(f, row, LICIT_F_AMOUNT);
	double amount;
	int has_amount = licit_parse_number(amount_s, &amount) == 0;

	if (f->on[R_DIRECT_THRESHOLD]) {
		const struct threshold *t;
		if (!*x.ptype)
			NA(R_DIRECT_THRESHOLD);
		else if (!x.direct || exempt(f, get(f, row, LICIT_F_EXCEPTION)))
			NOT(R_DIRECT_THRESHOLD);
		else if (!x.has_mxn || !x.year[0] || !*ct || !(t = threshold(f, x.year, ct)))
			NA(R_DIRECT_THRESHOLD);
		else if (x.mxn > t->max) {
			o = RAISE(R_DIRECT_THRESHOLD);
			fmt_amount(x.mxn, o->value, sizeof o->value);
			fmt_amount(t->max, a2, sizeof a2);
			snprintf(o->reason, sizeof o->reason,
			         "direct award of %s MXN above the %s maximum for %s in %s%s%s",
			         o->value, a2, ct, x.year, *get(f, row, LICIT_F_EXCEPTION) ? "; exception " : "",
			         get(f, row, LICIT_F_EXCEPTION));
		} else
			NOT(R_DIRECT_THRESHOLD);
	}
	if (f->on[R_SPLIT]) {
		while (f->split_pos < f->nsplit && f->split[f->split_pos].row < r)
			f->split_pos++;
		struct split_c *c = f->split_pos < f->nsplit && f->split[f->split_pos].row == r
		                            ? &f->split[f->split_pos] : NULL;
		if (c && c->count) {
			o = RAISE(R_SPLIT);
			fmt_amount(c->total, o->value, sizeof o->value);
			const struct threshold *t = threshold(f, x.year, ct);
			fmt_amount(t ? t->max : 0, a2, sizeof a2);
			snprintf(o->reason, sizeof o->reason,
			         "%d contracts of this buyer to this supplier within %d days, each under "
			         "the %s maximum, total %s MXN",
			         c->count, c->days, a2, o->value);
		} else if (*x.ptype && !licit_strset_has(&f->split_types, x.ptype)) {
			NOT(R_SPLIT);
		} else if (c || (*x.buyer && *x.supplier && *ct && x.has_mxn && x.year[0] &&
		                 threshold(f, x.year, ct))) {
			NOT(R_SPLIT);
		} else {
			NA(R_SPLIT);
		}
	}
	long by = -1;
	if (*x.buyer && x.year[0]) {
		size_t kn = key(k, sizeof k, x.buyer, x.year, NULL, NULL);
		by = licit_map_get(f->bys, k, kn);
	}
	struct by *b = by >= 0 ? &f->by[by] : NULL;
	if (f->on[R_SUPPLIER_SHARE]) {
		long s = -1;
		if (b && *x.supplier) {
			s = hkey(&f->bysup, by, x.supplier, strlen(x.supplier), 0);
		}
		if (s < 0)
			NA(R_SUPPLIER_SHARE);
		else if (b->n < f->min_contracts[R_SUPPLIER_SHARE])
			NOT(R_SUPPLIER_SHARE);
		else {
			double sc = (double)f->sup_n[s] / (double)b->n;
			double sa = b->amount > 0 ? f->sup_amount[s] / b->amount : 0;
			double th = f->share[R_SUPPLIER_SHARE];
			if (sc >= th || sa >= th) {
				o = RAISE(R_SUPPLIER_SHARE);
				snprintf(o->value, sizeof o->value, "%.4f", sa > sc ? sa : sc);
				fmt_amount(f->sup_amount[s], a1, sizeof a1);
				fmt_amount(b->amount, a2, sizeof a2);
				snprintf(o->reason, sizeof o->reason,
				         "supplier has %ld of the buyer's %ld contracts in %s (%.1f %%) and %s "
				         "of %s MXN (%.1f %%); limit %.1f %%",
				         (long)f->sup_n[s], b->n, x.year, 100 * sc, a1, a2, 100 * sa, 100 * th);
			} else
				NOT(R_SUPPLIER_SHARE);
		}
	}
	if (f->on[R_DIRECT_SHARE]) {
		if (!*x.ptype || !b)
			NA(R_DIRECT_SHARE);
		else if (!x.direct || b->n < f->min_contracts[R_DIRECT_SHARE])
			NOT(R_DIRECT_SHARE);
		else if (!(b->amount > 0))
			NA(R_DIRECT_SHARE);
		else if (b->direct / b->amount > f->share[R_DIRECT_SHARE]) {
			o = RAISE(R_DIRECT_SHARE);
			snprintf(o->value, sizeof o->value, "%.4f", b->direct / b->amount);
			fmt_amount(b->direct, a1, sizeof a1);
			fmt_amount(b->amount, a2, sizeof a2);
			snprintf(o->reason, sizeof o->reason,
			         "direct awards are %s of the buyer's %s MXN in %s (%.1f %% > %.1f %%)", a1,
			         a2, x.year, 100 * b->direct / b->amount, 100 * f->share[R_DIRECT_SHARE]);
		} else
			NOT(R_DIRECT_SHARE);
	}
	if (f->on[R_REPEAT_TITLE]) {
		long t = b && x.title_len ? hkey(&f->titles, by, x.title, x.title_len, 0) : -1;
		if (t < 0)
			NA(R_REPEAT_TITLE);
		else if (b->n <= f->min_contracts[R_REPEAT_TITLE] || (long)f->cnt_title[t] < 2 ||
		         (double)f->cnt_title[t] / (double)b->n < f->share[R_REPEAT_TITLE])
			NOT(R_REPEAT_TITLE);
		else {
			o = RAISE(R_REPEAT_TITLE);
			snprintf(o->value, sizeof o->value, "%ld", (long)f->cnt_title[t]);
			snprintf(o->reason, sizeof o->reason,
			         "the same title on %ld of the buyer's %ld contracts in %s (%.1f %% >= %.1f %%)",
			         (long)f->cnt_title[t], b->n, x.year, 100.0 * (double)f->cnt_title[t] / (double)b->n,
			         100 * f->share[R_REPEAT_TITLE]);
		}
	}
	if (f->on[R_REPEAT_AMOUNT]) {
		long t = -1;
		if (b && *amount_s) {
			size_t kn = key(k, sizeof k, amount_s, get(f, row, LICIT_F_CURRENCY), NULL, NULL);
			t = hkey(&f->amounts, by, k, kn, 0);
		}
		if (t < 0)
			NA(R_REPEAT_AMOUNT);
		else if (b->n <= f->min_contracts[R_REPEAT_AMOUNT] || (long)f->cnt_amount[t] < 2 ||
		         (double)f->cnt_amount[t] / (double)b->n < f->share[R_REPEAT_AMOUNT])
			NOT(R_REPEAT_AMOUNT);
		else {
			o = RAISE(R_REPEAT_AMOUNT);
			snprintf(o->value, sizeof o->value, "%s", amount_s);
			snprintf(o->reason, sizeof o->reason,
			         "the amount %s on %ld of the buyer's %ld contracts in %s (%.1f %% >= %.1f %%)",
			         amount_s, (long)f->cnt_amount[t], b->n, x.year,
			         100.0 * (double)f->cnt_amount[t] / (double)b->n, 100 * f->share[R_REPEAT_AMOUNT]);
		}
	}
	if (f->on[R_SAME_DAY]) {
		long t = b && x.day >= 0 ? hkey(&f->daysm, by, (const char *)&x.day, sizeof x.day, 0) : -1;
		if (t < 0)
			NA(R_SAME_DAY);
		else if (b->n <= f->min_contracts[R_SAME_DAY] || (long)f->cnt_day[t] < 2 ||
		         (double)f->cnt_day[t] / (double)b->n < f->share[R_SAME_DAY])
			NOT(R_SAME_DAY);
		else {
			o = RAISE(R_SAME_DAY);
			snprintf(o->value, sizeof o->value, "%ld", (long)f->cnt_day[t]);
			snprintf(o->reason, sizeof o->reason,
			         "%ld of the buyer's %ld contracts in %s dated %.10s (%.1f %% >= %.1f %%)",
			         (long)f->cnt_day[t], b->n, x.year, x.year_date,
			         100.0 * (double)f->cnt_day[t] / (double)b->n, 100 * f->share[R_SAME_DAY]);
		}
	}
	if (f->on[R_HOLIDAY]) {
		const char *ad = get(f, row, LICIT_F_AWARD_DATE), *sd = get(f, row, LICIT_F_SIGNED_DATE);
		long da = day_of(ad), ds = day_of(sd);
		const char *why;
		if (da < 0 && ds < 0)
			NA(R_HOLIDAY);
		else if (ds >= 0 && non_working(f, ds, &why)) {
			o = RAISE(R_HOLIDAY);
			snprintf(o->value, sizeof o->value, "%.10s", sd);
			snprintf(o->reason, sizeof o->reason, "signed on %.10s, %s", sd, why);
		} else if (da >= 0 && non_working(f, da, &why)) {
			o = RAISE(R_HOLIDAY);
			snprintf(o->value, sizeof o->value, "%.10s", ad);
			snprintf(o->reason, sizeof o->reason, "awarded on %.10s, %s", ad, why);
		} else
			NOT(R_HOLIDAY);
	}
	if (f->on[R_ROUND]) {
		if (!has_amount)
			NA(R_ROUND);
		else if (amount > 0 && fmod(amount, f->round_multiple) == 0) {
			o = RAISE(R_ROUND);
			snprintf(o->value, sizeof o->value, "%s", amount_s);
			fmt_amount(f->round_multiple, a1, sizeof a1);
			snprintf(o->reason, sizeof o->reason, "amount %s is a multiple of %s", amount_s, a1);
		} else
			NOT(R_ROUND);
	}
	if (f->on[R_LONG]) {
		long s = day_of(get(f, row, LICIT_F_START_DATE)), e = day_of(get(f, row, LICIT_F_END_DATE));
		if (s < 0 || e < 0)
			NA(R_LONG);
		else if (e - s > f->long_days) {
			o = RAISE(R_LONG);
			snprintf(o->value, sizeof o->value, "%ld", e - s);
			snprintf(o->reason, sizeof o->reason, "%ld days from start to end (> %ld)", e - s,
			         f->long_days);
		} else
			NOT(R_LONG);
	}
	if (f->on[R_EARLY]) {
		const char *ts = get(f, row, LICIT_F_TENDER_START);
		long p = day_of(ts), s = day_of(get(f, row, LICIT_F_SIGNED_DATE)),
		     st = day_of(get(f, row, LICIT_F_START_DATE));
		if (p < 0 || (s < 0 && st < 0))
			NA(R_EARLY);
		else if ((s >= 0 && s < p) || (st >= 0 && st < p)) {
			o = RAISE(R_EARLY);
			long first = s >= 0 && (st < 0 || s <= st) ? s : st;
			snprintf(o->value, sizeof o->value, "%ld", p - first);
			snprintf(o->reason, sizeof o->reason, "%s %ld days before the procedure was published (%.10s)",
			         first == s ? "signed" : "started", p - first, ts);
		} else
			NOT(R_EARLY);
	}
	if (f->on[R_SHORT_PERIOD]) {
		const char *chr = get(f, row, LICIT_F_CHARACTER);
		long s = day_of(get(f, row, LICIT_F_TENDER_START)), e = day_of(get(f, row, LICIT_F_TENDER_END));
		if (!*x.ptype)
			NA(R_SHORT_PERIOD);
		else if (!licit_strset_has(&f->short_types, x.ptype))
			NOT(R_SHORT_PERIOD);
		else if (s < 0 || e < 0 || !*chr)
			NA(R_SHORT_PERIOD);
		else {
			int intl = strncmp(chr, "Internacional", 13) == 0;
			long min = intl ? f->short_int : f->short_nat;
			if (e - s < min) {
				o = RAISE(R_SHORT_PERIOD);
				snprintf(o->value, sizeof o->value, "%ld", e - s);
				snprintf(o->reason, sizeof o->reason, "%ld days from publication to opening (< %ld, %s)",
				         e - s, min, intl ? "international" : "national");
			} else
				NOT(R_SHORT_PERIOD);
		}
	}
	if (f->on[R_FAILED_THEN_DIRECT]) {
		if (!*x.ptype)
			NA(R_FAILED_THEN_DIRECT);
		else if (!x.direct)
			NOT(R_FAILED_THEN_DIRECT);
		else if (!*x.buyer || x.day < 0 || !x.title_len)
			NA(R_FAILED_THEN_DIRECT);
		else {
			long bi = licit_map_get(f->buyers, x.buyer, strlen(x.buyer));
			const struct failed *hit = NULL;
			double best = 0;
			if (bi >= 0)
				for (size_t i = f->failed_first[bi]; i < f->nfailed && f->failed[i].buyer == bi; i++) {
					const struct failed *fl = &f->failed[i];
					if (fl->day > x.day || x.day - fl->day > f->ftd_window)
						continue;
					double j = licit_similar_tokens(fl->title, x.title, 3);
					if (j >= f->ftd_sim && j > best) {
						best = j;
						hit = fl;
					}
				}
			if (hit) {
				o = RAISE(R_FAILED_THEN_DIRECT);
				snprintf(o->value, sizeof o->value, "%.4f", best);
				snprintf(o->reason, sizeof o->reason,
				         "direct award %ld days after a failed procedure of the same buyer "
				         "with a similar title (%.0f %% common words): %.120s",
				         x.day - hit->day, 100 * best, hit->title);
			} else
				NOT(R_FAILED_THEN_DIRECT);
		}
	}
	const char *rfc = get(f, row, LICIT_F_SUPPLIER_RFC);
	const char *sname = get(f, row, LICIT_F_SUPPLIER_NAME);
	if (f->on[R_NO_RFC]) {
		if (!f->any_rfc || (!*x.supplier && !*rfc))
			NA(R_NO_RFC);
		else if (!*rfc) {
			o = RAISE(R_NO_RFC);
			snprintf(o->reason, sizeof o->reason, "supplier %.150s has no valid RFC", x.supplier);
		} else
			NOT(R_NO_RFC);
	}
	if (f->on[R_SANCTIONED]) {
		char nk[512];
		size_t nn = licit_name_key(sname, strlen(sname), nk, sizeof nk);
		if (!*rfc && !nn)
			NA(R_SANCTIONED);
		else if (*rfc && licit_map_get(f->sanc_rfc, rfc, strlen(rfc)) >= 0) {
			o = RAISE(R_SANCTIONED);
			snprintf(o->value, sizeof o->value, "%s", rfc);
			snprintf(o->reason, sizeof o->reason, "supplier RFC %s is on the list", rfc);
		} else if (nn && licit_map_get(f->sanc_name, nk, nn) >= 0) {
			o = RAISE(R_SANCTIONED);
			snprintf(o->reason, sizeof o->reason, "supplier name %.180s is on the list", sname);
		} else
			NOT(R_SANCTIONED);
	}
	if (f->on[R_NEW_COMPANY]) {
		const char *ad = get(f, row, LICIT_F_AWARD_DATE);
		if (!*ad)
			ad = get(f, row, LICIT_F_SIGNED_DATE);
		long award = day_of(ad), inc = -1;
		long ki = f->newco && *rfc ? licit_map_get(f->newco, rfc, strlen(rfc)) : -1;
		if (ki >= 0)
			inc = f->newco_day[ki];
		else if (f->use_rfc && strlen(rfc) == 12 && award >= 0) {
			/* a company RFC: 3 letters then YYMMDD of incorporation */
			int yy = (rfc[3] - '0') * 10 + (rfc[4] - '0');
			int ay = atoi(ad) % 100, cent = atoi(ad) / 100;
			int mo = (rfc[5] - '0') * 10 + (rfc[6] - '0');
			int dd = (rfc[7] - '0') * 10 + (rfc[8] - '0');
			if (mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31)
				inc = days_of((yy > ay ? cent - 1 : cent) * 100 + yy, mo, dd);
		}
		if (award < 0 || inc < 0)
			NA(R_NEW_COMPANY);
		else if (award - inc >= 0 && award - inc < f->new_days) {
			o = RAISE(R_NEW_COMPANY);
			snprintf(o->value, sizeof o->value, "%ld", award - inc);
			snprintf(o->reason, sizeof o->reason,
			         "supplier incorporated %ld days before the award (< %ld)%s", award - inc,
			         f->new_days, ki >= 0 ? "" : ", date read from its RFC");
		} else
			NOT(R_NEW_COMPANY);
	}
	if (f->on[R_SCALE_MISMATCH]) {
		const char *s1 = get(f, row, LICIT_F_SUPPLIER_SIZE), *s2 = get(f, row, LICIT_F_SUPPLIER_SIZE_BUYER);
		char f1[256], f2[256];
		size_t n1 = strlen(s1) < 255 ? strlen(s1) : 255, n2 = strlen(s2) < 255 ? strlen(s2) : 255;
		if (!*s1 || !*s2)
			NA(R_SCALE_MISMATCH);
		else if (licit_text_fold(s1, n1, f1), licit_text_fold(s2, n2, f2), strcmp(f1, f2) != 0) {
			o = RAISE(R_SCALE_MISMATCH);
			snprintf(o->reason, sizeof o->reason, "buyer reports %.100s, supplier reports %.100s",
			         s2, s1);
		} else
			NOT(R_SCALE_MISMATCH);
	}
	if (f->on[R_BAD_AMOUNT]) {
		if (f->cols.col[LICIT_F_AMOUNT] < 0)
			NA(R_BAD_AMOUNT);
		else if (!has_amount || amount <= 0) {
			o = RAISE(R_BAD_AMOUNT);
			snprintf(o->value, sizeof o->value, "%.40s", amount_s);
			snprintf(o->reason, sizeof o->reason, "%s",
			         !*amount_s ? "amount missing or unreadable in the source"
			         : has_amount ? (amount == 0 ? "amount is zero" : "amount is negative")
			                      : "amount is not a number");
		} else
			NOT(R_BAD_AMOUNT);
	}
	if (f->on[R_BESA_LATE_PAYMENT]) {
		long inv = day_of(col(row, f->col_invoice)), pay = day_of(col(row, f->col_payment));
		if (inv < 0 || pay < 0)
			NA(R_BESA_LATE_PAYMENT);
		else if (pay - inv > f->late_days) {
			o = RAISE(R_BESA_LATE_PAYMENT);
			snprintf(o->value, sizeof o->value, "%ld", pay - inv);
			snprintf(o->reason, sizeof o->reason, "paid %ld days after the invoice (> %ld)",
			         pay - inv, f->late_days);
		} else
			NOT(R_BESA_LATE_PAYMENT);
	}
	if (f->on[R_BESA_NO_PENALTY]) {
		long due = day_of(col(row, f->col_due)), got = day_of(col(row, f->col_delivered));
		const char *pen = col(row, f->col_penalty);
		double p;
		if (due < 0 || got < 0 || f->col_penalty < 0)
			NA(R_BESA_NO_PENALTY);
		else if (got > due && (licit_parse_number(pen, &p) || p <= 0)) {
			o = RAISE(R_BESA_NO_PENALTY);
			snprintf(o->value, sizeof o->value, "%ld", got - due);
			snprintf(o->reason, sizeof o->reason,
			         "delivered %ld days late and no penalty applied (2.5 %% a day, up to 10 %%)",
			         got - due);
		} else
			NOT(R_BESA_NO_PENALTY);
	}
	if (f->on[R_BESA_GUARANTEE]) {
		const char *g = col(row, f->col_guarantee);
		double gv;
		int has_g = licit_parse_number(g, &gv) == 0;
		if (f->col_guarantee < 0 || !x.has_mxn)
			NA(R_BESA_GUARANTEE);
		else if (!has_g || gv < f->guarantee_share * x.mxn) {
			o = RAISE(R_BESA_GUARANTEE);
			snprintf(o->value, sizeof o->value, "%.40s", g);
			fmt_amount(f->guarantee_share * x.mxn, a1, sizeof a1);
			snprintf(o->reason, sizeof o->reason, "guarantee %s below %s (%.0f %% of the amount)",
			         *g ? g : "missing", a1, 100 * f->guarantee_share);
		} else
			NOT(R_BESA_GUARANTEE);
	}
	if (f->on[R_BESA_UNREGISTERED]) {
		const char *cid = get(f, row, LICIT_F_CONTRACT_ID);
		long sd = day_of(get(f, row, LICIT_F_SIGNED_DATE));
		if (!x.has_mxn || sd < 0 || !*cid)
			NA(R_BESA_UNREGISTERED);
		else if (x.mxn >= f->unreg_amount && sd >= f->unreg_since &&
		         licit_map_get(f->reg, cid, strlen(cid)) < 0) {
			o = RAISE(R_BESA_UNREGISTERED);
			fmt_amount(x.mxn, o->value, sizeof o->value);
			snprintf(o->reason, sizeof o->reason,
			         "contract %.60s of %s MXN signed %.10s is not in the register", cid, o->value,
			         get(f, row, LICIT_F_SIGNED_DATE));
		} else
			NOT(R_BESA_UNREGISTERED);
	}
	for (size_t i = 0; i < f->ncustom; i++) {
		const char *v = col(row, f->custom[i].col);
		int m = *v ? matches(f, &f->custom[i].rx, v) : -1;
		if (m < 0) {
			o = NA(NBUILTIN + i);
			if (*v)
				snprintf(o->reason, sizeof o->reason,
				         "%s: the pattern gave up at a PCRE2 limit", f->custom[i].field);
		} else if (m) {
			o = RAISE(NBUILTIN + i);
			snprintf(o->value, sizeof o->value, "%.40s", v);
			snprintf(o->reason, sizeof o->reason, "%s matches the pattern", f->custom[i].field);
		} else
			NOT(NBUILTIN + i);
	}
	*out = f->out;
	*n = f->nout;
	return 0;
}
