/* The buyer-year and split rules: each compares a row with the other
 * contracts of its buyer in its year (or of its buyer and supplier in a
 * window of days), from per-group state gathered in pass 1. Also the
 * direct-award maximum (the thresholds table it shares with MX-SPLIT). */
#include "rules.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/values/similar.h"
#include "licit/io/writer.h"
#include "licit/values/value.h"
#include "tally.h"

struct threshold {
	int year;
	char ctype[16];
	double max;
};

struct split_c { /* one contract under the maximum: 24 bytes on disk, until settle */
	double amount;
	uint64_t grp; /* its threshold's number in the top bits, then a hash of
	                 (buyer, supplier, contract type, year) in the thr_shift
	                 bits below: two groups of one hash would be one, odds
	                 about n^2 / 2^(thr_shift + 1) (1e-5 for a million groups
	                 and a table of 30 rows) */
	uint32_t row;
	int32_t day;
};

struct split_hit { /* a raised contract: the largest raising window holding it */
	long row;
	double total;
	int count, days;
};

struct failed {
	long buyer, day;
	char *title;
};

/* per buyer-year */
struct by {
	long n, ndirect;
	double amount, direct;
	unsigned rep; /* after settle: REP_* of the values it repeats */
};

enum { REP_TITLE = 1, REP_AMOUNT = 2, REP_DAY = 4, REP_SUP = 8, REP_CELP = 16 };

/* -j N: a job engine's row, as the main engine adds it to its buyer-year's
 * and supplier's counts and sums at the merge (sums of doubles in input
 * order, so that they are the one-job sums bit for bit): 24 bytes on
 * disk until then. The supplier is its fingerprint's low bits (fkey
 * without the buyer-year's number), so that a job keeps no supplier in
 * memory: the main engine numbers them at the merge, in input order. */
struct by_row {
	double mxn;
	uint64_t sup;     /* the low bits of fkey, NO_SUP: no supplier */
	uint32_t by;      /* the job's number */
	uint32_t flags;   /* ROW_* */
};
#define NO_SUP UINT64_MAX
#define BY_AHEAD 16
enum { ROW_MXN = 1, ROW_DIRECT = 2 };

struct group {
	struct threshold *thr;
	size_t nthr, thr_cap;
	int on_split, on_ftd, on_celp;
	struct rx failed_rx;
	struct licit_hidx bys;       /* the buyer-years, numbered */
	struct licit_map *buyers;    /* buyers with a failed procedure */
	/* per buyer-year supplier (its count and amount), by fingerprints
	 * (fkey: the buyer-year's number in the top bits, which settle reads
	 * back): two suppliers of one buyer-year with one fingerprint would
	 * count as one */
	struct licit_hidx bysup;
	/* titles, amounts, dates per buyer-year: their fingerprints */
	struct tally titles, amounts, days;
	struct by *by;
	size_t by_cap;
	double *sup_amount, *sup_direct; /* sup_direct: for MX-CELP */
	unsigned *sup_n;
	size_t sup_cap, sup_ncap, sup_dcap;
	struct parts split;          /* struct split_c, on disk until settle */
	int thr_shift; /* 64 - the bits of a threshold's number */
	struct split_hit *hit;
	size_t nhit, hit_cap, hit_pos;
	struct failed *failed;
	size_t nfailed, failed_cap;
	size_t *failed_first; /* per buyer: first index in the sorted list, or SIZE_MAX */
	struct parts rows;    /* a job engine's rows (struct by_row), until the merge */
	/* the main engine's last rows, added BY_AHEAD rows late (by_push) */
	struct by_row ahead[BY_AHEAD];
	size_t ahead_at, nahead; /* the oldest, and how many */
	int job;              /* a job engine: its sums are the main engine's to do */
	int borrowed;         /* pass 2 of a job engine: the settled state is the main's */
	/* the row being evaluated */
	struct by *b;
	const struct split_hit *c;
	const struct threshold *t; /* of its year and contract type, NULL */
	long sup;
};

/* ---- tables and state ------------------------------------------------------------- */

static int thr_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct group *g = ctx;
	const char *const *v = r->v;
	long long y;
	double m;
	char why[160];
	if (licit_num_int(v[0], 1900, 2100, &y, why, sizeof why))
		return licit_error_set(err, r->source, r->line, "year", "%s", why);
	if (licit_num_real(v[2], 0, 1e15, &m, why, sizeof why))
		return licit_error_set(err, r->source, r->line, "max_direct_amount", "%s", why);
	if (LICIT_GROW(g->thr, g->thr_cap, g->nthr + 1) != LICIT_OK)
		return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	struct threshold *t = &g->thr[g->nthr++];
	t->year = (int)y;
	snprintf(t->ctype, sizeof t->ctype, "%s", v[1]);
	t->max = m;
	return 0;
}

static int group_init(struct licit_flags *f, void *st, struct licit_error *err)
{
	struct group *g = st;
	const struct licit_mx_params *p = f->p;
	if (flags_on(f, &mx_direct_threshold) || flags_on(f, &mx_split)) {
		static const struct licit_table_col cols[] = {
			{"year", LICIT_COL_REQUIRED}, {"contract_type", LICIT_COL_REQUIRED},
			{"max_direct_amount", LICIT_COL_REQUIRED}};
		if (!*p->thr_table.v) {
			flags_off(f, &mx_direct_threshold);
			flags_off(f, &mx_split);
		} else if (flags_table(f, p->thr_table.v, cols, 3, thr_row, g, err)) {
			if (p->thr_table.line) /* named in the settings: its absence is an error */
				return LICIT_ERR;
			licit_diag(f->diag, f->dctx, LICIT_NOTE, err->source, 0, NULL, NULL,
			           "no threshold table (%s): MX-DIRECT-THRESHOLD and MX-SPLIT are off",
			           err->text);
			licit_error_clear(err);
			flags_off(f, &mx_direct_threshold);
			flags_off(f, &mx_split);
		}
	}
	g->on_split = flags_on(f, &mx_split);
	g->thr_shift = 63;
	while (g->thr_shift > 40 && ((size_t)1 << (64 - g->thr_shift)) < g->nthr)
		g->thr_shift--;
	if (g->on_split && g->thr_shift == 40)
		return licit_error_set(err, "", 0, NULL, "a threshold table of more than 2^24 rows");
	g->on_ftd = flags_on(f, &mx_failed_then_direct);
	g->on_celp = flags_on(f, &mx_celp);
	if (g->on_ftd && flags_rx_compile(f, &g->failed_rx, p->ftd_status.v, LICIT_MATCH_LIMIT,
	                                  LICIT_DEPTH_LIMIT, f->s->path, p->ftd_status.line,
	                                  "failed_status", err))
		return LICIT_ERR;
	g->job = f->job;
	g->rows.elem = sizeof(struct by_row);
	g->buyers = licit_map_new();
	if (!g->buyers)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	return 0;
}

/* What pass 1 gathered (the tables and the pattern stay). */
static void gathered_fini(struct group *g)
{
	licit_hidx_fini(&g->bys);
	licit_map_free(g->buyers);
	licit_hidx_fini(&g->bysup);
	tally_fini(&g->titles);
	tally_fini(&g->amounts);
	tally_fini(&g->days);
	free(g->by);
	free(g->sup_amount);
	free(g->sup_direct);
	free(g->sup_n);
	parts_fini(&g->split);
	free(g->hit);
	for (size_t i = 0; i < g->nfailed; i++)
		free(g->failed[i].title);
	free(g->failed);
	free(g->failed_first);
	parts_fini(&g->rows);
}

static void group_fini(void *st)
{
	struct group *g = st;
	flags_rx_free(&g->failed_rx);
	if (g->borrowed)
		return;
	free(g->thr);
	gathered_fini(g);
}

static const struct threshold *threshold(const struct group *g, int year,
                                         const struct frow *x)
{
	const char *ct = fx_text(x, LICIT_F_CONTRACT_TYPE);
	for (size_t i = 0; i < g->nthr; i++)
		if (g->thr[i].year == year && strcmp(g->thr[i].ctype, ct) == 0)
			return &g->thr[i];
	return NULL;
}

/* The buyer-year's key: a 64-bit hash of the buyer and the year (two
 * buyer-years of one hash would be one: about n^2 / 2^65 odds). */
static uint64_t by_key(const struct frow *x)
{
	return licit_map_hash(x->c.buyer, x->c.buyer_len) ^ licit_mix64((uint64_t)x->c.year + 1);
}

/* A hash of (buyer-year, value), from the buyer-year's key (not its
 * number, which differs between the jobs of -j N). */
static uint64_t mixed(uint64_t bk, const void *v, size_t n)
{
	return licit_mix64(licit_map_hash(v, n) ^ licit_mix64(bk + 0x9E3779B97F4A7C15ULL));
}

/* The fingerprint of (buyer-year, value) in a tally: the buyer-year's
 * number in the top 24 bits (so that settle can tell which buyer-years
 * repeat a value), a hash of both in the 40 below. Two values of one
 * buyer-year with one hash count as one: odds about n^2 / 2^41 for n
 * distinct values in it (5e-5 for 10000). */
#define BY_BITS 24
#define FP_LOW (((uint64_t)1 << (64 - BY_BITS)) - 1)
static uint64_t fkey(long by, uint64_t bk, const void *v, size_t n)
{
	/* (beyond 2^24 buyer-years, several share the top bits) */
	return (uint64_t)by << (64 - BY_BITS) | mixed(bk, v, n) >> BY_BITS;
}

static long hkey(struct licit_hidx *m, long by, uint64_t bk, const void *v, size_t n, int add)
{
	uint64_t k = fkey(by, bk, v, n);
	return add ? licit_hidx_put(m, k, NULL) : licit_hidx_get(m, k);
}

/* The (amount text, currency text) key of MX-REPEAT-AMOUNT. */
static size_t amount_key(const struct frow *x, char *k, size_t cap)
{
	size_t a = x->c.len[LICIT_F_AMOUNT], c = x->c.len[LICIT_F_CURRENCY];
	if (a > cap / 2)
		a = cap / 2;
	if (c > cap / 2 - 1)
		c = cap / 2 - 1;
	memcpy(k, x->c.text[LICIT_F_AMOUNT], a);
	k[a] = '\x1f';
	memcpy(k + a + 1, x->c.text[LICIT_F_CURRENCY], c);
	return a + 1 + c;
}

/* A failed procedure (MX-FAILED-THEN-DIRECT), dated by its award, else
 * its tender end, else its tender start, else the row's date. */
static int gather_failed(struct licit_flags *f, struct group *g, struct frow *x)
{
	if (x->direct || x->c.ptype == LICIT_PT_NONE || !frow_has_title(x) ||
	    flags_rx_match(f, &g->failed_rx, fx_text(x, LICIT_F_STATUS)) != 1)
		return 0;
	size_t tn;
	const char *title = frow_title(x, &tn);
	static const enum licit_field by[] = {LICIT_F_AWARD_DATE, LICIT_F_TENDER_END,
	                                      LICIT_F_TENDER_START};
	int fl = LICIT_F_TENDER_START;
	for (int i = 0; i < 3; i++)
		if (x->c.len[by[i]]) {
			fl = by[i];
			break;
		}
	long day = fx_day(x, (enum licit_field)fl);
	if (day < 0 && x->c.date == LICIT_NO_DAY)
		return 0;
	if (day < 0)
		day = x->c.date;
	long b = licit_map_put(g->buyers, x->c.buyer, x->c.buyer_len, NULL);
	if (b < 0)
		return -1;
	if (LICIT_GROW(g->failed, g->failed_cap, g->nfailed + 1) != LICIT_OK)
		return -1;
	struct failed *e = &g->failed[g->nfailed++];
	e->buyer = b;
	e->day = day;
	e->title = strdup(title);
	return e->title ? 0 : -1;
}

/* A buyer-year's supplier's key in bysup. */
static uint64_t sup_key(size_t by, uint64_t sup)
{
	return (uint64_t)by << (64 - BY_BITS) | sup;
}

/* A row's share of its buyer-year's (by, g's number) and its supplier's
 * there counts and sums; the supplier numbered in g when new (in the
 * order the rows are added). */
static int by_add(struct group *g, const struct by_row *r, size_t by)
{
	long s = -1;
	if ((r->sup != NO_SUP && (s = licit_hidx_put(&g->bysup, sup_key(by, r->sup), NULL)) < 0) ||
	    LICIT_GROW(g->by, g->by_cap, by + 1) != LICIT_OK)
		return LICIT_ERR;
	struct by *b = &g->by[by];
	int direct = (r->flags & ROW_DIRECT) != 0, has = (r->flags & ROW_MXN) != 0;
	b->n++;
	b->ndirect += direct;
	if (has) {
		b->amount += r->mxn;
		if (direct)
			b->direct += r->mxn;
	}
	if (s < 0)
		return LICIT_OK;
	if (GROW_QUARTER(g->sup_amount, g->sup_cap, (size_t)s + 1) != LICIT_OK ||
	    GROW_QUARTER(g->sup_n, g->sup_ncap, (size_t)s + 1) != LICIT_OK)
		return LICIT_ERR;
	g->sup_n[s]++;
	if (has)
		g->sup_amount[s] += r->mxn;
	if (g->on_celp) {
		if (GROW_QUARTER(g->sup_direct, g->sup_dcap, (size_t)s + 1) != LICIT_OK)
			return LICIT_ERR;
		if (has && direct)
			g->sup_direct[s] += r->mxn;
	}
	return LICIT_OK;
}

/* The main engine's row added to its buyer-year's state BY_AHEAD rows
 * later, in the same order: its supplier's slot is fetched now, so that
 * the lookups' cache misses overlap. */
static int by_push(struct group *g, const struct by_row *r)
{
	if (r->sup != NO_SUP)
		licit_hidx_prefetch(&g->bysup, sup_key(r->by, r->sup));
	if (g->nahead == BY_AHEAD) {
		struct by_row *old = &g->ahead[g->ahead_at];
		if (by_add(g, old, old->by) != LICIT_OK)
			return LICIT_ERR;
		*old = *r;
		g->ahead_at = (g->ahead_at + 1) % BY_AHEAD;
		return LICIT_OK;
	}
	g->ahead[(g->ahead_at + g->nahead++) % BY_AHEAD] = *r;
	return LICIT_OK;
}

/* The rows by_push holds back, added. */
static int by_flush(struct group *g)
{
	for (; g->nahead; g->nahead--) {
		struct by_row *old = &g->ahead[g->ahead_at];
		if (by_add(g, old, old->by) != LICIT_OK)
			return LICIT_ERR;
		g->ahead_at = (g->ahead_at + 1) % BY_AHEAD;
	}
	return LICIT_OK;
}

static int group_gather(struct licit_flags *f, void *st, struct frow *x)
{
	struct group *g = st;
	if (!x->c.buyer_len)
		return 0;
	if (g->on_ftd && gather_failed(f, g, x) < 0)
		return -1;
	if (x->c.date == LICIT_NO_DAY)
		return 0;
	char k[2048];
	uint64_t bk = by_key(x);
	long by = licit_hidx_put(&g->bys, bk, NULL);
	if (by < 0)
		return -1;
	const struct by_row br = {x->c.mxn,
	                          !x->c.supplier_len ? NO_SUP
	                                             : fkey(0, bk, x->c.supplier, x->c.supplier_len),
	                          (uint32_t)by,
	                          (x->c.has_mxn ? ROW_MXN : 0u) | (x->direct ? ROW_DIRECT : 0u)};
	if ((g->job ? parts_add(&g->rows, &br) : by_push(g, &br)) != LICIT_OK)
		return -1;
	size_t tn;
	const char *title = frow_title(x, &tn);
	if (tn && tally_add(&g->titles, fkey(by, bk, title, tn)) != LICIT_OK)
		return -1;
	if (x->c.len[LICIT_F_AMOUNT] &&
	    tally_add(&g->amounts, fkey(by, bk, k, amount_key(x, k, sizeof k))) != LICIT_OK)
		return -1;
	long day = x->c.date;
	if (tally_add(&g->days, fkey(by, bk, &day, sizeof day)) != LICIT_OK)
		return -1;
	/* split candidates: under the direct-award maximum */
	const struct threshold *t;
	if (g->on_split && licit_strset_has(&f->p->split_types, fx_text(x, LICIT_F_PROCEDURE_TYPE)) &&
	    x->c.supplier_len && x->c.len[LICIT_F_CONTRACT_TYPE] && x->c.has_mxn &&
	    (t = threshold(g, x->c.year, x)) && x->c.mxn <= t->max) {
		size_t n = 0, sn = x->c.supplier_len < 500 ? x->c.supplier_len : 500;
		memcpy(k + n, x->c.supplier, sn);
		n += sn;
		k[n++] = '\x1f';
		size_t cn = x->c.len[LICIT_F_CONTRACT_TYPE] < 80 ? x->c.len[LICIT_F_CONTRACT_TYPE] : 80;
		memcpy(k + n, fx_text(x, LICIT_F_CONTRACT_TYPE), cn);
		uint64_t grp = (uint64_t)(t - g->thr) << g->thr_shift |
		               (mixed(bk, k, n + cn) >> (64 - g->thr_shift));
		const struct split_c c = {x->c.mxn, grp, (uint32_t)x->r, (int32_t)day};
		g->split.elem = sizeof c;
		if (parts_add(&g->split, &c) != LICIT_OK)
			return -1;
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

/* In place (qsort would copy the array): by group, an American-flag
 * radix sort of its top bytes, then by date and row within a group. */
static void sort_split(struct split_c *a, size_t n, int shift)
{
	if (n < 64 || shift < 0) {
		qsort(a, n, sizeof *a, cmp_split_grp); /* small: on the stack */
		return;
	}
	size_t cnt[256] = {0}, pos[256], end[256], p = 0;
	for (size_t i = 0; i < n; i++)
		cnt[(a[i].grp >> shift) & 255]++;
	for (int b = 0; b < 256; b++) {
		pos[b] = p;
		p += cnt[b];
		end[b] = p;
	}
	for (int b = 0; b < 256; b++)
		while (pos[b] < end[b]) {
			struct split_c v = a[pos[b]];
			int d = (int)((v.grp >> shift) & 255);
			if (d == b) {
				pos[b]++;
				continue;
			}
			a[pos[b]] = a[pos[d]];
			a[pos[d]++] = v;
		}
	p = 0;
	for (int b = 0; b < 256; p += cnt[b++])
		if (cnt[b] > 1)
			sort_split(a + p, cnt[b], shift - 8);
}

/* A repeated value's count raises its rule in its buyer-year (repeat()). */
struct keep {
	const struct group *g;
	const struct mx_share *p;
	size_t nby;
};

static int raises(const void *ctx, uint64_t fp, unsigned count)
{
	const struct keep *k = ctx;
	if (k->nby >> BY_BITS)
		return 1;
	const struct by *b = &k->g->by[fp >> (64 - BY_BITS)];
	return b->n > k->p->min_contracts && (double)count / (double)b->n >= k->p->share;
}

static int cmp_hit_row(const void *a, const void *b)
{
	const struct split_hit *x = a, *y = b;
	return (x->row > y->row) - (x->row < y->row);
}

static int cmp_failed(const void *a, const void *b)
{
	const struct failed *x = a, *y = b;
	if (x->buyer != y->buyer)
		return x->buyer < y->buyer ? -1 : 1;
	return (x->day > y->day) - (x->day < y->day);
}

/* MX-SPLIT's candidates, a partition of the groups at a time. */
struct split_run {
	struct licit_flags *f;
	struct group *g;
	struct split_hit *w; /* the best window of each contract of a group */
	size_t wcap;
};

static uint64_t split_key(const void *rec)
{
	const struct split_c *c = rec;
	return c->grp;
}

/* Every window of window_days starting at a contract; the contracts of a
 * window whose sum passes the maximum are raised. */
static int split_part(void *ctx, void *recs, size_t nsp)
{
	struct split_run *r = ctx;
	struct licit_flags *f = r->f;
	struct group *g = r->g;
	struct split_c *sp = recs;
	sort_split(sp, nsp, 56);
	for (size_t i = 0; i < nsp;) {
		size_t end = i;
		while (end < nsp && sp[end].grp == sp[i].grp)
			end++;
		if (LICIT_GROW(r->w, r->wcap, end - i) != LICIT_OK)
			return -1;
		struct split_hit *w = r->w;
		memset(w, 0, (end - i) * sizeof *w);
		const double max = g->thr[sp[i].grp >> g->thr_shift].max;
		size_t k = i;
		double sum = 0;
		for (size_t j = i; j < end; j++) {
			if (k <= j) { /* the previous window ended before j */
				sum = sp[j].amount;
				k = j + 1;
			}
			/* extend to every contract within window_days of j */
			while (k < end && sp[k].day - sp[j].day <= f->p->split_window) {
				sum += sp[k].amount;
				k++;
			}
			int count = (int)(k - j);
			if (count >= f->p->split_min && sum > max)
				for (size_t m = j; m < k; m++)
					if (sum > w[m - i].total) {
						w[m - i].total = sum;
						w[m - i].count = count;
						w[m - i].days = (int)(sp[k - 1].day - sp[j].day);
					}
			sum -= sp[j].amount;
		}
		for (size_t m = i; m < end; m++)
			if (w[m - i].count) {
				if (LICIT_GROW(g->hit, g->hit_cap, g->nhit + 1) != LICIT_OK)
					return -1;
				w[m - i].row = sp[m].row;
				g->hit[g->nhit++] = w[m - i];
			}
		i = end;
	}
	return 0;
}

/* A tally settled (on a second thread when there is one). */
struct settle1 {
	struct tally *t;
	const struct keep *k;
	int rc;
	int err_no; /* the failure's errno (licit_flags_failed) */
};

static void *settle_one(void *arg)
{
	struct settle1 *s = arg;
	s->rc = tally_settle(s->t, 2, raises, s->k);
	s->err_no = s->rc == LICIT_OK ? 0 : errno;
	return NULL;
}

static int group_settle(struct licit_flags *f, void *st)
{
	struct group *g = st;
	if (by_flush(g) != LICIT_OK)
		return -1;
	/* the tallies keep the values that raise their rule (any repeated
	 * one when buyer-years outnumber the fingerprints' 24 bits): that of
	 * dates on a second thread with threads > 1 (its values repeat, so
	 * all of them are sorted), while this one does MX-SPLIT's, the
	 * titles' and the amounts' (mostly seen once: tally.c leaves those
	 * out before it sorts); they share nothing but the buyer-years'
	 * counts, read only */
	size_t nby = g->bys.n;
	const struct keep kt = {g, &f->p->repeat_title, nby}, ka = {g, &f->p->repeat_amount, nby},
	                   kd = {g, &f->p->same_day, nby};
	struct settle1 days = {&g->days, &kd, LICIT_OK, 0};
	pthread_t th;
	int started = 0;
	if (f->threads > 1) {
		sigset_t block, old;
		licit_cleanup_signals(&block);
		pthread_sigmask(SIG_BLOCK, &block, &old);
		started = pthread_create(&th, NULL, settle_one, &days) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	/* MX-SPLIT: every window of window_days starting at a contract; the
	 * contracts of a window whose sum passes the maximum are raised
	 * (split_part, a partition of the groups at a time) */
	struct split_run run = {f, g, NULL, 0};
	int rc = parts_each(&g->split, split_key, split_part, &run);
	free(run.w);
	parts_fini(&g->split); /* the candidates are done with */
	if (rc == LICIT_OK && g->nhit)
		qsort(g->hit, g->nhit, sizeof *g->hit, cmp_hit_row);
	g->hit_pos = 0;
	if (rc == LICIT_OK)
		rc = tally_settle(&g->titles, 2, raises, &kt);
	if (rc == LICIT_OK)
		rc = tally_settle(&g->amounts, 2, raises, &ka);
	if (started)
		pthread_join(th, NULL);
	else
		settle_one(&days);
	if (rc == LICIT_OK && days.rc != LICIT_OK)
		errno = days.err_no;
	if (rc != LICIT_OK || days.rc != LICIT_OK)
		return -1;
	/* the buyer-years with such a value of each kind: only their rows look
	 * theirs up in pass 2; and those with a supplier that raises
	 * MX-SUPPLIER-SHARE or MX-CELP */
	const struct tally *t[3] = {&g->titles, &g->amounts, &g->days};
	for (int k = 0; k < 3; k++)
		for (size_t i = 0; i < t[k]->n; i++)
			for (size_t b = t[k]->fp[i] >> (64 - BY_BITS); b < nby; b += (size_t)1 << BY_BITS)
				g->by[b].rep |= 1u << k;
	/* (each supplier's buyer-year from its fingerprint; beyond 2^24
	 * buyer-years every one sharing those bits, which only makes pass 2
	 * look up more suppliers) */
	for (size_t slot = 0; slot < g->bysup.cap; slot++) {
		if (!g->bysup.key[slot])
			continue;
		size_t s = g->bysup.idx[slot];
		for (size_t bi = (size_t)(g->bysup.key[slot] >> (64 - BY_BITS)); bi < nby;
		     bi += (size_t)1 << BY_BITS) {
			struct by *b = &g->by[bi];
			const struct mx_share *p = &f->p->supplier_share, *c = &f->p->celp;
			if (b->n >= p->min_contracts &&
			    ((double)g->sup_n[s] / (double)b->n >= p->share ||
			     (b->amount > 0 ? g->sup_amount[s] / b->amount : 0) >= p->share))
				b->rep |= REP_SUP;
			if (g->on_celp && b->ndirect >= c->min_contracts && b->direct > 0 &&
			    g->sup_direct[s] / b->direct >= c->share)
				b->rep |= REP_CELP;
		}
	}
	if (g->nfailed)
		qsort(g->failed, g->nfailed, sizeof *g->failed, cmp_failed);
	size_t nb = licit_map_count(g->buyers);
	g->failed_first = malloc((nb + 1) * sizeof *g->failed_first);
	if (!g->failed_first)
		return -1;
	for (size_t i = 0; i <= nb; i++)
		g->failed_first[i] = SIZE_MAX;
	for (size_t i = g->nfailed; i-- > 0;)
		g->failed_first[g->failed[i].buyer] = i;
	return 0;
}

/* Pass 2: the row's buyer-year, its supplier in it, its split candidate. */
static void group_prepare(struct licit_flags *f, void *st, struct frow *x)
{
	(void)f;
	struct group *g = st;
	g->b = NULL;
	g->c = NULL;
	g->sup = -1;
	g->t = x->c.year && x->c.len[LICIT_F_CONTRACT_TYPE] ? threshold(g, x->c.year, x) : NULL;
	if (g->on_split) {
		while (g->hit_pos < g->nhit && g->hit[g->hit_pos].row < x->r)
			g->hit_pos++;
		if (g->hit_pos < g->nhit && g->hit[g->hit_pos].row == x->r)
			g->c = &g->hit[g->hit_pos];
	}
	if (!x->c.buyer_len || x->c.date == LICIT_NO_DAY)
		return;
	x->bk = by_key(x);
	x->by = licit_hidx_get(&g->bys, x->bk);
	if (x->by < 0)
		return;
	g->b = &g->by[x->by];
	if (x->c.supplier_len)
		if (g->b->rep & (REP_SUP | REP_CELP))
			g->sup = hkey(&g->bysup, x->by, x->bk, x->c.supplier, x->c.supplier_len, 0);
}

static void group_report(struct licit_flags *f, void *st)
{
	struct group *g = st;
	flags_rx_report(f, &g->failed_rx, "MX-FAILED-THEN-DIRECT",
	                "those procedures are not counted as failed");
}

/* ---- -j N: a job engine's state merged, the settled state shared ---------------- */

/* A job's numbers in the main engine's. */
struct remap {
	struct group *g;
	uint32_t *by_of;   /* buyer-years */
	struct tally *t;   /* the main engine's tally being added to */
	long base;         /* the row number of the job's first row */
};

static int remap_rows(void *ctx, const void *recs, size_t n)
{
	const struct remap *m = ctx;
	const struct by_row *r = recs;
	for (size_t i = 0; i < n; i++) {
		if (i + BY_AHEAD < n && r[i + BY_AHEAD].sup != NO_SUP)
			licit_hidx_prefetch(&m->g->bysup,
			                    sup_key(m->by_of[r[i + BY_AHEAD].by], r[i + BY_AHEAD].sup));
		if (by_add(m->g, &r[i], m->by_of[r[i].by]) != LICIT_OK)
			return -1;
	}
	return 0;
}

static int remap_fp(void *ctx, const void *recs, size_t n)
{
	const struct remap *m = ctx;
	const char *p = recs;
	for (size_t i = 0; i < n; i++) {
		uint64_t fp;
		memcpy(&fp, p + i * sizeof fp, sizeof fp);
		fp = (uint64_t)m->by_of[fp >> (64 - BY_BITS)] << (64 - BY_BITS) | (fp & FP_LOW);
		if (tally_add(m->t, fp) != LICIT_OK)
			return -1;
	}
	return 0;
}

static int remap_split(void *ctx, const void *recs, size_t n)
{
	const struct remap *m = ctx;
	const char *p = recs;
	for (size_t i = 0; i < n; i++) {
		struct split_c c;
		memcpy(&c, p + i * sizeof c, sizeof c);
		c.row += (uint32_t)m->base;
		m->g->split.elem = sizeof c;
		if (parts_add(&m->g->split, &c) != LICIT_OK)
			return -1;
	}
	return 0;
}

/* The job's buyer-years numbered in g, in the order the job numbered
 * them (the order they first came), so that g numbers them as one job
 * reading both ranges would (its suppliers are numbered as its rows are
 * added, remap_rows). */
static int remap_keys(struct group *g, const struct group *j, struct remap *m)
{
	uint64_t *key = malloc((j->bys.n + 1) * sizeof *key);
	m->by_of = malloc((j->bys.n + 1) * sizeof *m->by_of);
	int rc = key && m->by_of ? LICIT_OK : LICIT_ERR;
	for (size_t i = 0; rc == LICIT_OK && i < j->bys.cap; i++)
		if (j->bys.key[i])
			key[j->bys.idx[i]] = j->bys.key[i];
	for (size_t b = 0; rc == LICIT_OK && b < j->bys.n; b++) {
		long n = licit_hidx_put(&g->bys, key[b], NULL);
		if (n < 0)
			rc = LICIT_ERR;
		m->by_of[b] = (uint32_t)n;
	}
	free(key);
	return rc;
}

/* The job's failed procedures after g's, their buyers numbered in g. */
static int merge_failed(struct group *g, struct group *j)
{
	size_t nb = licit_map_count(j->buyers);
	long *b_of = malloc((nb + 1) * sizeof *b_of);
	if (!b_of || LICIT_GROW(g->failed, g->failed_cap, g->nfailed + j->nfailed) != LICIT_OK) {
		free(b_of);
		return LICIT_ERR;
	}
	for (size_t i = 0; i < nb; i++) {
		size_t len;
		const char *k = licit_map_key(j->buyers, i, &len);
		if ((b_of[i] = licit_map_put(g->buyers, k, len, NULL)) < 0) {
			free(b_of);
			return LICIT_ERR;
		}
	}
	for (size_t i = 0; i < j->nfailed; i++) {
		struct failed *e = &g->failed[g->nfailed++];
		*e = j->failed[i];
		e->buyer = b_of[j->failed[i].buyer];
	}
	j->nfailed = 0; /* the titles are g's now */
	free(b_of);
	return LICIT_OK;
}

/* Empties a job engine's gathered state (its tables and pattern stay). */
static int group_reset(struct group *j)
{
	struct group e = {0};
	e.thr = j->thr;
	e.nthr = j->nthr;
	e.thr_cap = j->thr_cap;
	e.on_split = j->on_split;
	e.on_ftd = j->on_ftd;
	e.on_celp = j->on_celp;
	e.failed_rx = j->failed_rx;
	e.thr_shift = j->thr_shift;
	e.job = j->job;
	e.rows.elem = sizeof(struct by_row);
	gathered_fini(j);
	*j = e;
	return (j->buyers = licit_map_new()) ? LICIT_OK : LICIT_ERR;
}

static int group_merge(struct licit_flags *f, void *st, void *jst, long base,
                       struct licit_error *err)
{
	(void)f;
	struct group *g = st, *j = jst;
	if (j->bys.n >> BY_BITS)
		return licit_error_set(err, "", 0, NULL,
		                       "more than 2^24 buyer-years in one job: run with -j 1");
	struct remap m = {g, NULL, NULL, base};
	int rc = by_flush(g) == LICIT_OK ? remap_keys(g, j, &m) : LICIT_ERR;
	if (rc == LICIT_OK)
		rc = parts_scan(&j->rows, remap_rows, &m);
	struct tally *gt[3] = {&g->titles, &g->amounts, &g->days},
	             *jt[3] = {&j->titles, &j->amounts, &j->days};
	for (int k = 0; k < 3 && rc == LICIT_OK; k++) {
		m.t = gt[k];
		rc = parts_scan(&jt[k]->in, remap_fp, &m);
	}
	if (rc == LICIT_OK)
		rc = parts_scan(&j->split, remap_split, &m);
	if (rc == LICIT_OK)
		rc = merge_failed(g, j);
	if (j->failed_rx.hits) { /* the job's values came after g's */
		g->failed_rx.hits += j->failed_rx.hits;
		g->failed_rx.error = j->failed_rx.error;
		j->failed_rx.hits = 0;
	}
	free(m.by_of);
	if (rc == LICIT_OK)
		rc = group_reset(j);
	return rc == LICIT_OK ? LICIT_OK : licit_flags_failed(err, "", 0);
}

static void group_share(void *st, const void *main_st)
{
	struct group *g = st;
	struct rx own = g->failed_rx; /* its hits were merged; pass 2 does not match it */
	free(g->thr);
	gathered_fini(g);
	*g = *(const struct group *)main_st;
	g->failed_rx = own;
	g->borrowed = 1;
	g->hit_pos = 0;
}

const struct flags_family fam_group = {sizeof(struct group), group_init, group_fini, NULL,
                                       group_gather, group_settle, group_prepare, group_report,
                                       group_merge, group_share};

/* ---- MX-DIRECT-THRESHOLD ---------------------------------------------------------- */

static int exempt(const struct licit_flags *f, const char *exc)
{
	const struct licit_strset *e = &f->p->exempt;
	for (size_t i = 0; *exc && i < e->n; i++)
		if (strncmp(exc, e->v[i], strlen(e->v[i])) == 0)
			return 1;
	return 0;
}

static enum licit_outcome threshold_eval(struct licit_flags *f, void *st, struct frow *x,
                                         struct why *w)
{
	const struct threshold *t;
	if (x->c.ptype == LICIT_PT_NONE)
		return LICIT_NA;
	if (!x->direct || exempt(f, fx_text(x, LICIT_F_EXCEPTION)))
		return LICIT_NOT_RAISED;
	if (!x->c.has_mxn || !(t = ((const struct group *)st)->t))
		return LICIT_NA;
	w->a = t->max;
	return x->c.mxn > t->max ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void threshold_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                              const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	char a2[48];
	const char *exc = fx_text(x, LICIT_F_EXCEPTION);
	flags_amount(x->c.mxn, o->value, sizeof o->value);
	flags_amount(w->a, a2, sizeof a2);
	snprintf(o->reason, sizeof o->reason,
	         "direct award of %s MXN above the %s maximum for %s in %04d%s%s", o->value, a2,
	         fx_text(x, LICIT_F_CONTRACT_TYPE), x->c.year, *exc ? "; exception " : "", exc);
}

static const struct flags_param threshold_params[] = {
	PARAM("table", "thresholds_mx.csv", "CSV year,contract_type,max_direct_amount (MXN); relative names are looked for in the data folder", P_TEXT, NORANGE, thr_table),
	PARAM("exempt_exceptions", "LAASSP-41|LOPSRM-42", "exceptions (prefixes) that allow a direct award at any amount", P_LIST, NORANGE, exempt),
	P_END};

const struct flags_rule mx_direct_threshold = {
	"MX-DIRECT-THRESHOLD", "direct award above the maximum amount for its year and contract type",
	"true", threshold_params, &fam_group, threshold_eval, threshold_explain};

/* ---- MX-SPLIT --------------------------------------------------------------------- */

static enum licit_outcome split_eval(struct licit_flags *f, void *st, struct frow *x,
                                     struct why *w)
{
	const struct group *g = st;
	(void)w;
	if (g->c)
		return LICIT_RAISED;
	if (x->c.ptype != LICIT_PT_NONE &&
	    !licit_strset_has(&f->p->split_types, fx_text(x, LICIT_F_PROCEDURE_TYPE)))
		return LICIT_NOT_RAISED;
	/* (a contract under the maximum that no window raised is one of these) */
	if (x->c.buyer_len && x->c.supplier_len && x->c.has_mxn && g->t)
		return LICIT_NOT_RAISED;
	return LICIT_NA;
}

static void split_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                          const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)x;
	(void)w;
	const struct group *g = st;
	char a2[48];
	flags_amount(g->c->total, o->value, sizeof o->value);
	flags_amount(g->t ? g->t->max : 0, a2, sizeof a2);
	snprintf(o->reason, sizeof o->reason,
	         "%d contracts of this buyer to this supplier within %d days, each under "
	         "the %s maximum, total %s MXN",
	         g->c->count, g->c->days, a2, o->value);
}

static const struct flags_param split_params[] = {
	PARAM("window_days", "30", "the contracts fall within this many days", P_INT, DAYS, split_window),
	PARAM("min_contracts", "2", "at least this many contracts in the window", P_INT, COUNT, split_min),
	PARAM("procedure_types", "direct", "procedure types whose contracts are looked at (pipe-separated)", P_TYPES, NORANGE, split_types),
	P_END};

const struct flags_rule mx_split = {
	"MX-SPLIT", "several contracts, one buyer, one supplier, each under the direct-award maximum, together above it",
	"true", split_params, &fam_group, split_eval, split_explain};

/* ---- MX-SUPPLIER-SHARE ------------------------------------------------------------ */

static enum licit_outcome supplier_share_eval(struct licit_flags *f, void *st, struct frow *x,
                                              struct why *w)
{
	const struct group *g = st;
	const struct mx_share *p = &f->p->supplier_share;
	if (!g->b || !x->c.supplier_len)
		return LICIT_NA;
	if (g->b->n < p->min_contracts || !(g->b->rep & REP_SUP)) /* no supplier raises */
		return LICIT_NOT_RAISED;
	w->a = (double)g->sup_n[g->sup] / (double)g->b->n;
	w->b = g->b->amount > 0 ? g->sup_amount[g->sup] / g->b->amount : 0;
	return w->a >= p->share || w->b >= p->share ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void supplier_share_explain(const struct licit_flags *f, const void *st,
                                   const struct frow *x, const struct why *w,
                                   struct licit_flag *o)
{
	const struct group *g = st;
	char a1[48], a2[48];
	snprintf(o->value, sizeof o->value, "%.4f", w->b > w->a ? w->b : w->a);
	flags_amount(g->sup_amount[g->sup], a1, sizeof a1);
	flags_amount(g->b->amount, a2, sizeof a2);
	snprintf(o->reason, sizeof o->reason,
	         "supplier has %ld of the buyer's %ld contracts in %04d (%.1f %%) and %s "
	         "of %s MXN (%.1f %%); limit %.1f %%",
	         (long)g->sup_n[g->sup], g->b->n, x->c.year, 100 * w->a, a1, a2, 100 * w->b,
	         100 * f->p->supplier_share.share);
}

#define SHARE_PARAMS(name, share_def, share_help, min_help, field) \
	static const struct flags_param name[] = { \
		PARAM("share", share_def, share_help, P_REAL, SHARE, field.share), \
		PARAM("min_contracts", "10", min_help, P_INT, COUNT, field.min_contracts), P_END}

SHARE_PARAMS(supplier_share_params, "0.5",
             "share (of amount or of count) at or above which the rule is raised",
             "buyer-years with fewer contracts are not judged", supplier_share);

const struct flags_rule mx_supplier_share = {
	"MX-SUPPLIER-SHARE", "a supplier with a large share of a buyer's yearly amount or count",
	"true", supplier_share_params, &fam_group, supplier_share_eval, supplier_share_explain};

/* ---- MX-DIRECT-SHARE -------------------------------------------------------------- */

static enum licit_outcome direct_share_eval(struct licit_flags *f, void *st, struct frow *x,
                                            struct why *w)
{
	const struct group *g = st;
	(void)w;
	if (x->c.ptype == LICIT_PT_NONE || !g->b)
		return LICIT_NA;
	if (!x->direct || g->b->n < f->p->direct_share.min_contracts)
		return LICIT_NOT_RAISED;
	if (!(g->b->amount > 0))
		return LICIT_NA;
	return g->b->direct / g->b->amount > f->p->direct_share.share ? LICIT_RAISED
	                                                              : LICIT_NOT_RAISED;
}

static void direct_share_explain(const struct licit_flags *f, const void *st,
                                 const struct frow *x, const struct why *w,
                                 struct licit_flag *o)
{
	(void)w;
	const struct by *b = ((const struct group *)st)->b;
	char a1[48], a2[48];
	snprintf(o->value, sizeof o->value, "%.4f", b->direct / b->amount);
	flags_amount(b->direct, a1, sizeof a1);
	flags_amount(b->amount, a2, sizeof a2);
	snprintf(o->reason, sizeof o->reason,
	         "direct awards are %s of the buyer's %s MXN in %04d (%.1f %% > %.1f %%)", a1, a2,
	         x->c.year, 100 * b->direct / b->amount, 100 * f->p->direct_share.share);
}

SHARE_PARAMS(direct_share_params, "0.3", "share above which the rule is raised",
             "buyer-years with fewer contracts are not judged", direct_share);

const struct flags_rule mx_direct_share = {
	"MX-DIRECT-SHARE", "direct awards take a large share of a buyer's yearly amount",
	"true", direct_share_params, &fam_group, direct_share_eval, direct_share_explain};

/* ---- MX-REPEAT-TITLE, MX-REPEAT-AMOUNT, MX-SAME-DAY: one value on many of
 * a buyer-year's contracts ------------------------------------------------------------ */

/* seen: the row has the value (so its count is at least 1); the tally
 * keeps only the values seen twice or more. */
/* look: its buyer-year repeats some value of the kind, so fp is looked up */
static enum licit_outcome repeat(const struct group *g, const struct tally *t, int seen,
                                 int look, uint64_t fp, const struct mx_share *p, struct why *w)
{
	if (!seen)
		return LICIT_NA;
	unsigned n = look ? tally_get(t, fp) : 0;
	w->n = n ? (long)n : 1;
	if (g->b->n <= p->min_contracts || w->n < 2 ||
	    (double)w->n / (double)g->b->n < p->share)
		return LICIT_NOT_RAISED;
	return LICIT_RAISED;
}

static enum licit_outcome repeat_title_eval(struct licit_flags *f, void *st, struct frow *x,
                                            struct why *w)
{
	struct group *g = st;
	if (!g->b || !frow_has_title(x))
		return LICIT_NA;
	uint64_t fp = 0;
	int look = (g->b->rep & REP_TITLE) != 0;
	if (look) {
		size_t tn;
		const char *title = frow_title(x, &tn);
		fp = fkey(x->by, x->bk, title, tn);
	}
	return repeat(g, &g->titles, 1, look, fp, &f->p->repeat_title, w);
}

static enum licit_outcome repeat_amount_eval(struct licit_flags *f, void *st, struct frow *x,
                                             struct why *w)
{
	struct group *g = st;
	int seen = g->b && x->c.len[LICIT_F_AMOUNT];
	int look = seen && (g->b->rep & REP_AMOUNT);
	uint64_t fp = 0;
	if (look) {
		char k[2048];
		fp = fkey(x->by, x->bk, k, amount_key(x, k, sizeof k));
	}
	return repeat(g, &g->amounts, seen, look, fp, &f->p->repeat_amount, w);
}

static enum licit_outcome same_day_eval(struct licit_flags *f, void *st, struct frow *x,
                                        struct why *w)
{
	struct group *g = st;
	long day = x->c.date;
	int look = g->b && (g->b->rep & REP_DAY);
	return repeat(g, &g->days, g->b != NULL, look, look ? fkey(x->by, x->bk, &day, sizeof day) : 0,
	              &f->p->same_day, w);
}

static void repeat_title_explain(const struct licit_flags *f, const void *st,
                                 const struct frow *x, const struct why *w, struct licit_flag *o)
{
	const struct by *b = ((const struct group *)st)->b;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason,
	         "the same title on %ld of the buyer's %ld contracts in %04d (%.1f %% >= %.1f %%)",
	         w->n, b->n, x->c.year, 100.0 * (double)w->n / (double)b->n,
	         100 * f->p->repeat_title.share);
}

static void repeat_amount_explain(const struct licit_flags *f, const void *st,
                                  const struct frow *x, const struct why *w,
                                  struct licit_flag *o)
{
	const struct by *b = ((const struct group *)st)->b;
	const char *am = fx_text(x, LICIT_F_AMOUNT);
	snprintf(o->value, sizeof o->value, "%s", am);
	snprintf(o->reason, sizeof o->reason,
	         "the amount %s on %ld of the buyer's %ld contracts in %04d (%.1f %% >= %.1f %%)",
	         am, w->n, b->n, x->c.year, 100.0 * (double)w->n / (double)b->n,
	         100 * f->p->repeat_amount.share);
}

static void same_day_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                             const struct why *w, struct licit_flag *o)
{
	const struct by *b = ((const struct group *)st)->b;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason,
	         "%ld of the buyer's %ld contracts in %04d dated %.10s (%.1f %% >= %.1f %%)", w->n,
	         b->n, x->c.year, fx_text(x, (enum licit_field)x->c.date_field),
	         100.0 * (double)w->n / (double)b->n, 100 * f->p->same_day.share);
}

#define REPEAT_HELP "share of the buyer-year's contracts at or above which it is raised"
#define REPEAT_MIN "the buyer-year must have more contracts than this"
SHARE_PARAMS(repeat_title_params, "0.1", REPEAT_HELP, REPEAT_MIN, repeat_title);
SHARE_PARAMS(repeat_amount_params, "0.1", REPEAT_HELP, REPEAT_MIN, repeat_amount);
SHARE_PARAMS(same_day_params, "0.03", REPEAT_HELP, REPEAT_MIN, same_day);

const struct flags_rule mx_repeat_title = {
	"MX-REPEAT-TITLE", "the same title on many of a buyer's contracts in a year", "true",
	repeat_title_params, &fam_group, repeat_title_eval, repeat_title_explain};
const struct flags_rule mx_repeat_amount = {
	"MX-REPEAT-AMOUNT", "the same amount on many of a buyer's contracts in a year", "true",
	repeat_amount_params, &fam_group, repeat_amount_eval, repeat_amount_explain};
const struct flags_rule mx_same_day = {
	"MX-SAME-DAY", "many of a buyer's yearly contracts signed on one date", "true",
	same_day_params, &fam_group, same_day_eval, same_day_explain};

/* ---- MX-FAILED-THEN-DIRECT -------------------------------------------------------- */

static enum licit_outcome ftd_eval(struct licit_flags *f, void *st, struct frow *x,
                                   struct why *w)
{
	const struct group *g = st;
	if (x->c.ptype == LICIT_PT_NONE)
		return LICIT_NA;
	if (!x->direct)
		return LICIT_NOT_RAISED;
	if (!x->c.buyer_len || x->c.date == LICIT_NO_DAY || !frow_has_title(x))
		return LICIT_NA;
	long bi = g->nfailed ? licit_map_get(g->buyers, x->c.buyer, x->c.buyer_len) : -1;
	if (bi < 0)
		return LICIT_NOT_RAISED;
	size_t tn;
	const char *title = frow_title(x, &tn);
	const struct failed *hit = NULL;
	double best = 0;
	long day = x->c.date;
	if (bi >= 0)
		for (size_t i = g->failed_first[bi]; i < g->nfailed && g->failed[i].buyer == bi; i++) {
			const struct failed *fl = &g->failed[i];
			if (fl->day > day || day - fl->day > f->p->ftd_window)
				continue;
			double j = licit_similar_tokens(fl->title, title, 3);
			if (j >= f->p->ftd_sim && j > best) {
				best = j;
				hit = fl;
			}
		}
	w->a = best;
	w->p = hit;
	return hit ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void ftd_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                        const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	const struct failed *hit = w->p;
	snprintf(o->value, sizeof o->value, "%.4f", w->a);
	snprintf(o->reason, sizeof o->reason,
	         "direct award %ld days after a failed procedure of the same buyer "
	         "with a similar title (%.0f %% common words): %.120s",
	         (long)x->c.date - hit->day, 100 * w->a, hit->title);
}

static const struct flags_param ftd_params[] = {
	PARAM("window_days", "90", "the direct award comes within this many days", P_INT, DAYS, ftd_window),
	PARAM("similarity", "0.5", "minimum share of common title words (Jaccard)", P_REAL, SHARE, ftd_sim),
	PARAM("failed_status", "(?i)desiert|unsuccessful|cancel|sin adjudicar", "PCRE2 pattern on status marking a failed procedure", P_TEXT, NORANGE, ftd_status),
	P_END};

const struct flags_rule mx_failed_then_direct = {
	"MX-FAILED-THEN-DIRECT", "a failed procedure followed by a direct award of the same buyer with a similar title",
	"true", ftd_params, &fam_group, ftd_eval, ftd_explain};

/* ---- MX-CELP ---------------------------------------------------------------------- */

static enum licit_outcome celp_eval(struct licit_flags *f, void *st, struct frow *x,
                                    struct why *w)
{
	const struct group *g = st;
	const struct mx_share *p = &f->p->celp;
	if (x->c.ptype == LICIT_PT_NONE || !g->b || !x->c.supplier_len)
		return LICIT_NA;
	if (!x->direct || g->b->ndirect < p->min_contracts)
		return LICIT_NOT_RAISED;
	if (!(g->b->direct > 0))
		return LICIT_NA;
	if (!(g->b->rep & REP_CELP)) /* no supplier raises it */
		return LICIT_NOT_RAISED;
	w->a = g->sup_direct[g->sup] / g->b->direct;
	return w->a >= p->share ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void celp_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                         const struct why *w, struct licit_flag *o)
{
	const struct group *g = st;
	char a1[48], a2[48];
	snprintf(o->value, sizeof o->value, "%.4f", w->a);
	flags_amount(g->sup_direct[g->sup], a1, sizeof a1);
	flags_amount(g->b->direct, a2, sizeof a2);
	snprintf(o->reason, sizeof o->reason,
	         "supplier won %s of the buyer's %s MXN of direct awards in %04d (%.1f %% >= %.1f %%)",
	         a1, a2, x->c.year, 100 * w->a, 100 * f->p->celp.share);
}

SHARE_PARAMS(celp_params, "0.333", "share of the buyer-year's direct-award amount at or above which it is raised",
             "buyer-years with fewer direct awards are not judged", celp);

const struct flags_rule mx_celp = {
	"MX-CELP", "one supplier wins a large share of a buyer's yearly direct-award amount",
	"false", celp_params, &fam_group, celp_eval, celp_explain};
