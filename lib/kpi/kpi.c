/* Procurement KPIs per group: one pass over canonical rows. Setting up
 * the parts the selected KPIs read, binding inputs, adding rows to their
 * group (and the total), and settling at the end. */
#include "kpi_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/io/reader.h"

/* ---- small shared pieces ---------------------------------------------- */

void ksum_add(struct ksum *k, double x)
{
	double t = k->s + x;
	if (fabs(k->s) >= fabs(x))
		k->c += (k->s - t) + x;
	else
		k->c += (x - t) + k->s;
	k->s = t;
}

double ksum_get(const struct ksum *k)
{
	return k->s + k->c;
}

int kpi_kbuf_reserve(struct licit_kpi *k, size_t n)
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

/* ---- setup ------------------------------------------------------------- */

/* The parts the selected KPIs read, laid out in a group's state. */
static int setup_parts(struct licit_kpi *k)
{
	k->amount_off = -1;
	for (size_t i = 0; i < kpi_nparts; i++) {
		const struct kpi_part *p = kpi_parts[i];
		int used = p == &kpi_amount_part && (k->in & IN_AMOUNT);
		for (size_t j = 0; j < k->nkpis && !used; j++)
			used = kpi_table[k->kpis[j]].part == p;
		if (!used)
			continue;
		if (p == &kpi_amount_part)
			k->amount_off = (long)k->stride;
		k->part[k->nparts] = p;
		k->part_off[k->nparts] = k->stride;
		k->keyed[k->nparts].size = p->keyed_size;
		k->keyed_parts += p->keyed_size > 0;
		k->nparts++;
		k->stride += (p->size + 7) & ~(size_t)7;
	}
	if (!k->stride)
		k->stride = 8;
	return (k->all = calloc(1, k->stride)) ? 0 : -1;
}

static void group_init(struct licit_kpi *k, unsigned char *g)
{
	for (size_t i = 0; i < k->nparts; i++)
		k->part[i]->init(g + k->part_off[i]);
}

static void group_fini(struct licit_kpi *k, unsigned char *g)
{
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i]->fini)
			k->part[i]->fini(g + k->part_off[i]);
}

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
		k->by_kind[i] = kpi_derived_kind(o->by[i]);
	}
	k->kpis = malloc((kpi_ntable + 1) * sizeof *k->kpis);
	if (!k->kpis)
		goto oom;
	if (o->kpis) {
		for (size_t i = 0; i < o->nkpis; i++) {
			if (o->kpis[i] < 0 || (size_t)o->kpis[i] >= kpi_ntable) {
				licit_error_set(err, "", 0, NULL, "unknown KPI number %d", o->kpis[i]);
				goto fail;
			}
			for (size_t j = 0; j < i; j++)
				if (o->kpis[j] == o->kpis[i]) {
					licit_error_set(err, "", 0, NULL, "--kpis names '%s' twice",
					                kpi_table[o->kpis[i]].name);
					goto fail;
				}
			k->kpis[k->nkpis++] = o->kpis[i];
		}
	} else {
		unsigned dflt = LICIT_KPI_DEFAULT | (o->reference_path ? LICIT_KPI_REFERENCE : 0);
		for (size_t i = 0; i < kpi_ntable; i++)
			if (kpi_table[i].flags & dflt)
				k->kpis[k->nkpis++] = (int)i;
	}
	for (size_t i = 0; i < k->nkpis; i++)
		k->in |= kpi_table[k->kpis[i]].in;
	if ((k->in & IN_REF) && !o->reference_path) {
		licit_error_set(err, "", 0, NULL,
		                "savings_amount and savings_rate need --reference FILE");
		goto fail;
	}
	if (o->date_field && !(k->date_field = strdup(o->date_field)))
		goto oom;
	k->date_f = -1;
	if (o->date_field) {
		int f = licit_field_lookup(o->date_field);
		if (f >= 0 && licit_field_type(f) == LICIT_T_DATE)
			k->date_f = f;
	}
	k->cap = o->cap < 0 ? 0.30 : o->cap;
	/* without groups the one row is the total; a partial file holds the
	 * groups alone (the merge makes the total from them) */
	k->total = o->total && o->nby > 0 && !o->partial;
	k->partial = o->partial;
	k->include_test = o->include_test;
	k->percent = o->percent;
	k->long_form = o->long_form;
	k->threads = o->threads;
	k->diag = o->diag;
	k->diag_ctx = o->diag_ctx;
	k->groups = licit_map_new();
	k->currencies = licit_map_new();
	/* the key buffer always exists: an empty key is still a pointer */
	if (!k->groups || !k->currencies || kpi_kbuf_reserve(k, 256) < 0 || setup_parts(k) < 0)
		goto oom;
	group_init(k, k->all);
	if (o->reference_path) {
		if (kpi_reference_load(k, o->reference_path, err) != LICIT_OK)
			goto fail;
	} else {
		k->in &= ~(unsigned)IN_REF;
	}
	if (kpi_fingerprint(k, o, err) < 0)
		goto fail;
	return k;
oom:
	licit_error_set(err, "", 0, NULL, "out of memory");
fail:
	licit_kpi_free(k);
	return NULL;
}

void licit_kpi_free(struct licit_kpi *k)
{
	if (!k)
		return;
	kpi_pipe_free(k);
	for (size_t i = 0; i < k->nby && k->by; i++)
		free(k->by[i]);
	free(k->by);
	free(k->by_kind);
	free(k->by_col);
	free(k->kpis);
	free(k->date_field);
	free(k->fingerprint);
	for (size_t i = 0; i < k->ngroups; i++)
		group_fini(k, k->g + i * k->stride);
	if (k->all)
		group_fini(k, k->all);
	for (size_t i = 0; i < k->nparts; i++)
		kpi_keyed_fini(&k->keyed[i]);
	if (k->cx_ready)
		licit_canon_free(&k->cx);
	free(k->all);
	free(k->g);
	licit_map_free(k->groups);
	licit_map_free(k->currencies);
	licit_map_free(k->ref);
	free(k->ref_amt);
	free(k->kbuf);
	free(k->colnames);
	free(k->order);
	free(k);
}

/* ---- binding an input ---------------------------------------------------- */

/* the columns each input is read from */
static const struct {
	unsigned in;
	int fields[3];
	int any; /* one of the fields is enough */
} in_cols[] = {
	{IN_AMOUNT, {LICIT_F_AMOUNT_MXN, LICIT_F_AMOUNT, -1}, 1},
	{IN_TYPE, {LICIT_F_PROCEDURE_TYPE, -1, -1}, 0},
	{IN_PROC, {LICIT_F_PROCEDURE_ID, -1, -1}, 0},
	{IN_TEND, {LICIT_F_N_TENDERERS, -1, -1}, 0},
	{IN_PDAYS, {LICIT_F_TENDER_START, LICIT_F_TENDER_END, LICIT_F_AWARD_DATE}, 0},
	{IN_SUP, {LICIT_F_SUPPLIER_ID, LICIT_F_SUPPLIER_NAME, -1}, 1},
	{IN_SIGN, {LICIT_F_AWARD_DATE, LICIT_F_SIGNED_DATE, -1}, 0},
	{IN_SBP, {LICIT_F_SIGNED_DATE, LICIT_F_TENDER_START, -1}, 0},
};

static void add_missing(char *missing, size_t cap, size_t *mlen, const char *name)
{
	int n = snprintf(missing + *mlen, cap - *mlen, "%s%s", *mlen ? ", " : "", name);
	if (n > 0 && (size_t)n < cap - *mlen)
		*mlen += (size_t)n;
}

/* The typed record's context: made at the first input, its columns
 * bound again at each (interned supplier numbers hold across inputs). */
static int bind_record(struct licit_kpi *k, const struct licit_reader *r, int derived)
{
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	if (k->cx_ready) {
		licit_canon_bind(&k->cx, &cols);
		return LICIT_OK;
	}
	uint64_t need = kpi_row_need(k->in);
	k->nreport = kpi_row_report(k->in, k->report);
	if (derived && !k->date_field) {
		const enum licit_field *by = licit_canon_dated_by();
		for (int i = 0; i < LICIT_DATED_BY; i++)
			need |= LICIT_NEED(by[i]);
	}
	if (k->date_f >= 0)
		need |= LICIT_NEED(k->date_f);
	if (licit_canon_init_cols(&k->cx, &cols, need) != LICIT_OK)
		return LICIT_ERR;
	k->cx_ready = 1;
	return LICIT_OK;
}

int licit_kpi_bind(struct licit_kpi *k, const struct licit_reader *r, struct licit_error *err)
{
	const char *src = licit_reader_source(r);
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	if (licit_cols_require(&cols, r, err) != LICIT_OK)
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
	k->date_col = -1;
	if (derived && k->date_field) {
		int c = licit_reader_col(r, k->date_field);
		if (c < 0)
			return licit_error_set(err, src, 1, k->date_field, "no such column for --date");
		if (k->date_f < 0)
			k->date_col = c;
	} else if (derived && cols.col[LICIT_F_SIGNED_DATE] < 0 &&
	           cols.col[LICIT_F_AWARD_DATE] < 0 && cols.col[LICIT_F_START_DATE] < 0) {
		return licit_error_set(err, src, 1, "signed_date",
		                       "no signed_date, award_date or start_date "
		                       "column for year, quarter or month");
	}
	if (bind_record(k, r, derived) != LICIT_OK)
		return licit_error_set(err, src, 0, NULL, "out of memory");
	k->source = src;
	/* which KPIs this input cannot feed */
	char missing[256] = "";
	size_t mlen = 0;
	for (size_t i = 0; i < sizeof in_cols / sizeof in_cols[0]; i++) {
		if (!(k->in & in_cols[i].in))
			continue;
		int present = 0, absent = 0;
		for (int j = 0; j < 3 && in_cols[i].fields[j] >= 0; j++) {
			if (cols.col[in_cols[i].fields[j]] >= 0)
				present++;
			else
				absent++;
		}
		if (in_cols[i].any ? present > 0 : absent == 0) {
			k->have |= in_cols[i].in;
			continue;
		}
		for (int j = 0; j < 3 && in_cols[i].fields[j] >= 0; j++) {
			int f = in_cols[i].fields[j];
			if (cols.col[f] < 0 && !strstr(missing, licit_field_name(f)))
				add_missing(missing, sizeof missing, &mlen, licit_field_name(f));
		}
	}
	if (k->in & IN_REF) {
		int ok = 1;
		for (int i = 0; i < k->nref_key; i++)
			if (cols.col[k->ref_key[i]] < 0) {
				ok = 0;
				add_missing(missing, sizeof missing, &mlen,
				            licit_field_name(k->ref_key[i]));
			}
		if (ok)
			k->have |= IN_REF;
	}
	if (mlen)
		licit_diag(k->diag, k->diag_ctx, LICIT_WARNING, src, 0, NULL, NULL,
		           "no column %s: the KPIs built on %s are empty", missing,
		           strchr(missing, ',') ? "them" : "it");
	return LICIT_OK;
}

/* ---- adding rows -------------------------------------------------------- */

static int apply(struct licit_kpi *k, unsigned char *g, uint32_t gid, const struct kpi_row *v)
{
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i]->update(k, &k->keyed[i], g + k->part_off[i], gid, v) < 0)
			return -1;
	return 0;
}

/* the state of group gi, new when added */
static unsigned char *group_at(struct licit_kpi *k, long gi, int added)
{
	if (licit_grow(&k->g, &k->gcap, ((size_t)gi + 1) * k->stride, 1) != LICIT_OK)
		return NULL;
	unsigned char *g = k->g + (size_t)gi * k->stride;
	if (added) {
		group_init(k, g);
		k->ngroups = (size_t)gi + 1;
	}
	return g;
}

unsigned char *kpi_group_get(struct licit_kpi *k, const char *key, size_t len, uint32_t *gid)
{
	int added;
	long gi = licit_map_put(k->groups, key, len, &added);
	*gid = (uint32_t)gi;
	return gi < 0 ? NULL : group_at(k, gi, added);
}

/* One row's update of its group and the total (on the worker). */
int kpi_apply(struct licit_kpi *k, const char *key, size_t len, const struct kpi_row *v)
{
	uint32_t gi;
	return kpi_group_get(k, key, len, &gi) ? kpi_apply_at(k, gi, v) : -1;
}

int kpi_apply_at(struct licit_kpi *k, uint32_t gid, const struct kpi_row *v)
{
	if (apply(k, k->g + (size_t)gid * k->stride, gid, v) < 0 ||
	    (k->total && apply(k, k->all, TOTAL_GID, v) < 0))
		return -1;
	return 0;
}

void kpi_prefetch(const struct licit_kpi *k, uint32_t gid, const struct kpi_row *v, int stage)
{
	for (size_t i = 0; i < k->nparts; i++) {
		size_t n;
		unsigned long long h;
		const char *key = k->part[i]->key ? k->part[i]->key(v, &n, &h) : NULL;
		if (!key || !n)
			continue;
		kpi_keyed_prefetch(&k->keyed[i], gid, h, stage);
		if (k->total)
			kpi_keyed_prefetch(&k->keyed[i], TOTAL_GID, h, stage);
	}
}

int licit_kpi_add(struct licit_kpi *k, const struct licit_row *row, struct licit_error *err)
{
	struct licit_canon c;
	if (licit_canon_load(&k->cx, row, &c) != LICIT_OK)
		goto oom;
	if (!k->include_test && c.test == 1) {
		k->skipped++;
		return LICIT_OK;
	}
	struct kpi_row v;
	k->line = row->line;
	k->nrow_fields = 0;
	kpi_row_read(k, &c, &v);
	size_t kl;
	if (kpi_group_key(k, row, &c, &kl) < 0 || kpi_pipe_push(k, k->kbuf, kl, &v) < 0)
		goto oom;
	return LICIT_OK;
oom:
	return licit_error_set(err, k->source, row->line, NULL, "out of memory");
}

int licit_kpi_keeps_keys(const struct licit_kpi *k)
{
	return k->keyed_parts > 0;
}

long long licit_kpi_skipped(const struct licit_kpi *k)
{
	return k->skipped;
}

long long licit_kpi_undated(const struct licit_kpi *k)
{
	return k->undated;
}

/* ---- finishing ----------------------------------------------------------- */

int licit_kpi_finish(struct licit_kpi *k, struct licit_error *err)
{
	if (k->finished)
		return LICIT_OK;
	if (kpi_pipe_drain(k) < 0)
		goto oom;
	if (!k->nby && licit_map_count(k->groups) == 0) {
		/* no row at all: still one row, with zero contracts */
		if (licit_map_put(k->groups, "", 0, NULL) < 0 || !group_at(k, 0, 1))
			goto oom;
	}
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i]->settle && k->part[i]->settle(k, &k->keyed[i]) < 0)
			goto oom;
	size_t ng = licit_map_count(k->groups);
	for (size_t i = 0; i < k->nparts; i++) {
		if (!k->part[i]->finish)
			continue;
		for (size_t j = 0; j <= ng; j++) {
			unsigned char *g = j < ng ? k->g + j * k->stride : k->all;
			if (k->part[i]->finish(g + k->part_off[i]) < 0)
				goto oom;
		}
	}
	if (kpi_output_prepare(k) < 0)
		goto oom;
	k->finished = 1;
	return LICIT_OK;
oom:
	return licit_error_set(err, "", 0, NULL, "out of memory");
}
