/* Partial results: a run's per-group state written as a CSV file
 * (licit kpi --partial), and any number of such files merged into one
 * state (licit kpi --merge) that then settles and writes as a single run
 * over all their rows would. The format is in licit-kpi(1), PARTIAL
 * RESULTS:
 *
 *   licit-kpi-partial,1,FINGERPRINT,OPTIONS   the version line
 *   currencies,MXN,USD,...                    the currency numbers below
 *   have,BITS                                 the inputs some file had
 *   group,KEY...,FIELDS...                    one per group, parts in order
 *   keys,PART,GROUP,N                         then the N records of that part
 *   KEY,FIELDS...                             and group, one per line
 *   end,RECORDS                               the records before this one
 */
#include "kpi_impl.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/io/partial.h"
#include "licit/io/writer.h"

#define VERSION "1"
#define MAGIC "licit-kpi-partial"

/* ---- fields ---------------------------------------------------------- */

long long kpi_f_int(struct kpi_fields *f)
{
	if (f->i >= f->n) {
		f->bad = 1;
		return 0;
	}
	const char *s = f->f[f->i++];
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		f->bad = 1;
	return v;
}

double kpi_f_num(struct kpi_fields *f)
{
	if (f->i >= f->n) {
		f->bad = 1;
		return 0;
	}
	const char *s = f->f[f->i++];
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		f->bad = 1;
	return v;
}

void kpi_f_sum(struct kpi_fields *f, struct ksum *k)
{
	struct ksum s = {kpi_f_num(f), 0};
	s.c = kpi_f_num(f);
	kpi_ksum_merge(k, &s);
}

void kpi_ksum_merge(struct ksum *k, const struct ksum *src)
{
	ksum_add(k, src->s);
	k->c += src->c;
}

int32_t kpi_f_opt(struct kpi_fields *f, int32_t none)
{
	if (f->i >= f->n)
		return none;
	if (!f->f[f->i][0]) {
		f->i++;
		return none;
	}
	long long v = kpi_f_int(f);
	if (v < INT32_MIN || v > INT32_MAX || v == none)
		f->bad = 1;
	return (int32_t)v;
}

void kpi_w_int(FILE *o, long long v)
{
	fprintf(o, ",%lld", v);
}

void kpi_w_num(FILE *o, double v)
{
	fprintf(o, ",%.17g", v); /* reads back to the same double */
}

void kpi_w_sum(FILE *o, const struct ksum *k)
{
	kpi_w_num(o, k->s);
	kpi_w_num(o, k->c);
}

void kpi_w_opt(FILE *o, int32_t v, int32_t none)
{
	if (v == none)
		fputc(',', o);
	else
		kpi_w_int(o, v);
}

void kpi_hist_save(const struct kpi_hist *h, FILE *o)
{
	kpi_w_int(o, h->used);
	for (uint32_t i = 0; i < h->cap; i++)
		if (h->cnt[i]) {
			kpi_w_int(o, h->val[i]);
			kpi_w_int(o, (long long)h->cnt[i]);
		}
}

int kpi_hist_merge(struct kpi_hist *h, struct kpi_fields *f)
{
	long long m = kpi_f_int(f);
	if (m < 0 || (size_t)m > (f->n - f->i) / 2) {
		f->bad = 1;
		return 0;
	}
	for (long long i = 0; i < m && !f->bad; i++) {
		long long v = kpi_f_int(f), c = kpi_f_int(f);
		if (v < INT32_MIN || v > INT32_MAX || c <= 0) {
			f->bad = 1;
			return 0;
		}
		if (kpi_hist_addn(h, (int32_t)v, (uint64_t)c) < 0)
			return -1;
	}
	return 0;
}

/* ---- the options' fingerprint ------------------------------------------ */

static int add_text(char **s, size_t *len, size_t *cap, const char *t)
{
	size_t n = strlen(t);
	if (*len + n + 1 > *cap) {
		size_t c = (*cap ? *cap : 256);
		while (c < *len + n + 1)
			c *= 2;
		char *b = realloc(*s, c);
		if (!b)
			return -1;
		*s = b;
		*cap = c;
	}
	memcpy(*s + *len, t, n + 1);
	*len += n;
	return 0;
}

/* the reference table's contents hash, as hex */
static int file_hash(const char *path, char *hex, struct licit_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
		return -1;
	}
	unsigned long long h = 0;
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		h = licit_mix64(h ^ licit_mix64(licit_hash(buf, n)));
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		licit_error_set(err, path, 0, NULL, "read error");
		return -1;
	}
	snprintf(hex, 17, "%016llx", h);
	return 0;
}

int kpi_fingerprint(struct licit_kpi *k, const struct licit_kpi_opts *o,
                    struct licit_error *err)
{
	char *s = NULL, num[64], ref[17] = "-";
	size_t len = 0, cap = 0;
	int rc = add_text(&s, &len, &cap, "by=");
	for (size_t i = 0; i < k->nby; i++)
		rc |= add_text(&s, &len, &cap, i ? "|" : "") | add_text(&s, &len, &cap, k->by[i]);
	rc |= add_text(&s, &len, &cap, ";kpis=");
	for (size_t i = 0; i < k->nkpis; i++)
		rc |= add_text(&s, &len, &cap, i ? "|" : "") |
		      add_text(&s, &len, &cap, kpi_table[k->kpis[i]].name);
	rc |= add_text(&s, &len, &cap, ";date=") |
	      add_text(&s, &len, &cap, k->date_field ? k->date_field : "-");
	snprintf(num, sizeof num, ";cap=%.17g", k->cap);
	rc |= add_text(&s, &len, &cap, num);
	if (o->reference_path && file_hash(o->reference_path, ref, err) < 0) {
		free(s);
		return -1;
	}
	rc |= add_text(&s, &len, &cap, ";reference=") | add_text(&s, &len, &cap, ref);
	rc |= add_text(&s, &len, &cap, k->include_test ? ";include_test=1" : ";include_test=0");
	if (rc) {
		free(s);
		licit_error_set(err, "", 0, NULL, "out of memory");
		return -1;
	}
	k->fingerprint = s;
	return 0;
}

/* ---- writing ----------------------------------------------------------- */

static void save_group(const struct licit_kpi *k, const unsigned char *g, FILE *o)
{
	for (size_t i = 0; i < k->nparts; i++)
		if (k->part[i]->save)
			k->part[i]->save(k, g + k->part_off[i], o);
}

/* the records of keyed part pi, by group (a counting sort) */
static int save_records(const struct licit_kpi *k, size_t pi, size_t ng,
                        struct licit_partial_out *po)
{
	const struct kpi_keyed *x = &k->keyed[pi];
	size_t n = kpi_keyed_count(x);
	size_t *start = calloc(ng + 1, sizeof *start), *idx = malloc((n ? n : 1) * sizeof *idx);
	if (!start || !idx) {
		free(start);
		free(idx);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		start[*(const uint32_t *)kpi_keyed_rec(x, i) + 1]++;
	for (size_t g = 0; g < ng; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < n; i++)
		idx[start[*(const uint32_t *)kpi_keyed_rec(x, i)]++] = i;
	size_t at = 0;
	for (size_t g = 0; g < ng; g++) {
		if (at == start[g])
			continue; /* start[g] is now the end of group g */
		fprintf(po->f, "keys,%zu,%zu,%zu", pi, g, start[g] - at);
		licit_partial_eol(po);
		for (; at < start[g]; at++) {
			size_t i = idx[at];
			licit_partial_str(po->f, kpi_keyed_key(x, i), kpi_keyed_key_len(x, i), 1);
			k->part[pi]->save_rec(kpi_keyed_rec(x, i), po->f);
			licit_partial_eol(po);
		}
	}
	free(start);
	free(idx);
	return 0;
}

static int write_state(struct licit_kpi *k, FILE *o, int records, struct licit_error *err);

int licit_kpi_partial_write(struct licit_kpi *k, FILE *o, struct licit_error *err)
{
	if (kpi_pipe_drain(k) < 0)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	kpi_unusable_report(k);
	return write_state(k, o, 1, err);
}

/* the partial file of k; without its keyed records unless records */
static int write_state(struct licit_kpi *k, FILE *o, int records, struct licit_error *err)
{
	struct licit_partial_out po;
	licit_partial_begin(&po, o, MAGIC, VERSION, k->fingerprint);
	fputs("currencies", o);
	for (size_t i = 0; i < licit_map_count(k->currencies); i++) {
		size_t n;
		const char *c = licit_map_key(k->currencies, i, &n);
		licit_partial_str(o, c, n, 0);
	}
	licit_partial_eol(&po);
	fprintf(o, "have,%u", k->have);
	licit_partial_eol(&po);
	size_t ng = licit_map_count(k->groups);
	for (size_t i = 0; i < ng; i++) {
		size_t len;
		const char *key = licit_map_key(k->groups, i, &len);
		fputs("group", o);
		for (size_t j = 0, p = 0; j < k->nby; j++) {
			size_t n = strlen(key + p);
			licit_partial_str(o, key + p, n, 0);
			p += n + 1;
		}
		save_group(k, k->g + i * k->stride, o);
		licit_partial_eol(&po);
	}
	for (size_t i = 0; records && i < k->nparts; i++)
		if (k->part[i]->save_rec && save_records(k, i, ng, &po) < 0)
			return licit_error_set(err, "", 0, NULL, "out of memory");
	licit_partial_end(&po);
	return LICIT_OK;
}

/* ---- reading ----------------------------------------------------------- */

struct merge {
	struct licit_kpi *k;
	const char *name;
	struct licit_partial_in r;
	int *cur_map;
	size_t ncur;
	uint32_t *gid; /* the file's group numbers -> this run's */
	size_t ngid, gcap;
	long sect_part, sect_group; /* the keys section being read, -1 none */
	long long sect_left;        /* its records still to come */
};

static int fail(struct merge *m, struct licit_error *err, const char *why)
{
	return licit_partial_fail(&m->r, err, why);
}

/* a group line: its state merged into its group and the total */
static int merge_group(struct merge *m, struct licit_error *err)
{
	struct licit_kpi *k = m->k;
	if (m->r.nf < 1 + k->nby)
		return fail(m, err, "a group line with too few fields");
	size_t len = 0;
	for (size_t j = 0; j < k->nby; j++)
		len += strlen(m->r.fld[1 + j]) + 1;
	if (kpi_kbuf_reserve(k, len + 1) < 0)
		goto oom;
	for (size_t j = 0, p = 0; j < k->nby; j++) {
		size_t n = strlen(m->r.fld[1 + j]);
		memcpy(k->kbuf + p, m->r.fld[1 + j], n + 1);
		p += n + 1;
	}
	uint32_t gid;
	unsigned char *g = kpi_group_get(k, k->kbuf, len, &gid);
	if (!g || LICIT_GROW(m->gid, m->gcap, m->ngid + 1) != LICIT_OK)
		goto oom;
	m->gid[m->ngid++] = gid;
	for (int t = 0; t < 1 + k->total; t++) {
		unsigned char *s = t ? k->all : g;
		struct kpi_fields f = {m->r.fld, m->r.nf, 1 + k->nby, 0, m->cur_map, m->ncur};
		for (size_t i = 0; i < k->nparts && !f.bad; i++)
			if (k->part[i]->merge && k->part[i]->merge(k, s + k->part_off[i], &f) < 0)
				goto oom;
		if (f.bad || f.i != f.n)
			return fail(m, err, "a group line whose fields do not fit these KPIs");
	}
	return LICIT_OK;
oom:
	return fail(m, err, "out of memory");
}

static int merge_keys(struct merge *m, struct licit_error *err)
{
	struct kpi_fields f = {m->r.fld, m->r.nf, 1, 0, NULL, 0};
	long long p = kpi_f_int(&f), g = kpi_f_int(&f), n = kpi_f_int(&f);
	if (f.bad || f.i != f.n || p < 0 || (size_t)p >= m->k->nparts ||
	    !m->k->part[p]->merge_rec || g < 0 || (size_t)g >= m->ngid || n <= 0)
		return fail(m, err, "a keys line that names no keyed part or group of this file");
	m->sect_part = (long)p;
	m->sect_group = (long)g;
	m->sect_left = n;
	return LICIT_OK;
}

static int merge_record(struct merge *m, struct licit_error *err)
{
	struct licit_kpi *k = m->k;
	m->sect_left--;
	const struct kpi_part *p = k->part[m->sect_part];
	struct kpi_keyed *x = &k->keyed[m->sect_part];
	uint32_t gid = m->gid[m->sect_group];
	const char *key = m->r.fld[0];
	size_t n = strlen(key);
	unsigned long long kh = kpi_key_hash(key, n);
	for (int t = 0; t < 1 + k->total; t++) {
		uint32_t id = t ? TOTAL_GID : gid;
		int added;
		void *rec = kpi_keyed_put(x, id, key, n, kh, &added);
		if (!rec)
			return fail(m, err, "out of memory");
		struct kpi_fields f = {m->r.fld, m->r.nf, 1, 0, NULL, 0};
		p->merge_rec(rec, added, id, &f);
		if (f.bad || f.i != f.n)
			return fail(m, err, "a record whose fields do not fit its part");
	}
	return LICIT_OK;
}

static int merge_currencies(struct merge *m, struct licit_error *err)
{
	if (m->cur_map)
		return fail(m, err, "a second currencies line");
	m->ncur = m->r.nf - 1;
	if (!(m->cur_map = malloc((m->ncur + 1) * sizeof *m->cur_map)))
		return fail(m, err, "out of memory");
	for (size_t i = 0; i < m->ncur; i++) {
		long c = licit_map_put(m->k->currencies, m->r.fld[1 + i], strlen(m->r.fld[1 + i]),
		                       NULL);
		if (c < 0)
			return fail(m, err, "out of memory");
		m->cur_map[i] = (int)c;
	}
	return LICIT_OK;
}

static int merge_file(struct merge *m, FILE *f, struct licit_error *err)
{
	if (licit_partial_open(&m->r, f, m->name, MAGIC, VERSION, m->k->fingerprint, "licit kpi partial",
	                       "--merge takes the --by, --kpis, --date, --cap, --reference "
	                       "and --include-test of the partial runs", err) != LICIT_OK)
		return LICIT_ERR;
	int rc;
	while ((rc = licit_partial_next(&m->r, m->sect_left == 0, err)) == 1) {
		const char *tag = m->r.fld[0];
		int ok;
		if (m->sect_left > 0)
			ok = merge_record(m, err);
		else if (strcmp(tag, "currencies") == 0)
			ok = merge_currencies(m, err);
		else if (!m->cur_map)
			ok = fail(m, err, "no currencies line before the groups");
		else if (strcmp(tag, "have") == 0) {
			struct kpi_fields f = {m->r.fld, m->r.nf, 1, 0, NULL, 0};
			long long h = kpi_f_int(&f);
			if (f.bad || f.i != f.n || h < 0 || h > 0xffff)
				return fail(m, err, "a malformed have line");
			m->k->have |= (unsigned)h;
			ok = LICIT_OK;
		} else if (strcmp(tag, "group") == 0)
			ok = m->sect_part >= 0 ? fail(m, err, "a group line after the keys")
			                      : merge_group(m, err);
		else if (strcmp(tag, "keys") == 0)
			ok = merge_keys(m, err);
		else
			ok = licit_error_set(err, m->name, m->r.rec_line, NULL,
			                     "unknown line '%.40s'", tag);
		if (ok != LICIT_OK)
			return LICIT_ERR;
	}
	return rc == 0 ? LICIT_OK : LICIT_ERR;
}

int licit_kpi_merge(struct licit_kpi *k, FILE *f, const char *name, struct licit_error *err)
{
	struct merge m = {.k = k, .name = name, .sect_part = -1, .sect_group = -1};
	int rc = merge_file(&m, f, err);
	licit_partial_close(&m.r);
	free(m.cur_map);
	free(m.gid);
	return rc;
}

/* the counts a partial file does not hold: test rows, undated rows, and
 * the unusable values per field and reason (in first-seen order) */
static void absorb_counts(struct licit_kpi *k, const struct licit_kpi *src)
{
	k->skipped += src->skipped;
	k->undated += src->undated;
	for (size_t i = 0; i < src->nunusable; i++) {
		const struct kpi_unusable *u = &src->unusable[i];
		size_t j = 0;
		while (j < k->nunusable &&
		       (strcmp(k->unusable[j].field, u->field) != 0 ||
		        strcmp(k->unusable[j].why, u->why) != 0 ||
		        strcmp(k->unusable[j].then, u->then) != 0))
			j++;
		if (j == k->nunusable && j < sizeof k->unusable / sizeof k->unusable[0])
			k->unusable[k->nunusable++] = (struct kpi_unusable){u->field, u->why, u->then, 0};
		if (j < k->nunusable)
			k->unusable[j].n += u->n;
	}
}

/* table t of keyed part pi of src into k's, gid mapping src's groups to
 * k's; on a thread of its own (a table's records are its own, and
 * absorb_rec touches a record alone) */
struct absorb_task {
	struct licit_kpi *k;
	const struct licit_kpi *src;
	size_t pi, t;
	const uint32_t *gid;
	int rc;
};

/* How many records ahead absorb_table prefetches the slot of a record
 * (and, half as far ahead, its entry): the tables are far larger than
 * the cache, and a lookup that waits for its slot costs most of a merge. */
#define AHEAD 16

static void *absorb_table(void *arg)
{
	struct absorb_task *a = arg;
	struct licit_kpi *k = a->k;
	const struct kpi_part *p = k->part[a->pi];
	struct kpi_keyed *x = &k->keyed[a->pi];
	const struct kpi_keyed *sx = &a->src->keyed[a->pi];
	size_t count = kpi_keyed_table_count(sx, a->t);
	/* (made room for at once: growing on the way would place the
	 * records already there again, and again) */
	if (count && kpi_keyed_reserve(x, a->t, kpi_keyed_table_count(x, a->t) +
	                                            count * (1 + (size_t)k->total)) < 0) {
		a->rc = -1;
		return NULL;
	}
	struct {
		const void *srec;
		const char *key;
		size_t n;
		uint32_t g;
		unsigned long long kh;
	} ring[AHEAD];
	for (size_t i = 0; i < count + AHEAD; i++) {
		if (i >= AHEAD) { /* record i - AHEAD, in the ring's place of i */
			const size_t j = (i - AHEAD) % AHEAD;
			for (int t = 0; t < 1 + k->total; t++) {
				uint32_t id = t ? TOTAL_GID : ring[j].g;
				int added;
				void *rec = kpi_keyed_put(x, id, ring[j].key, ring[j].n, ring[j].kh, &added);
				if (!rec) {
					a->rc = -1;
					return NULL;
				}
				p->absorb_rec(rec, added, id, ring[j].srec);
			}
		}
		if (i < count) {
			const size_t j = i % AHEAD;
			ring[j].srec = kpi_keyed_table_rec(sx, a->t, i);
			ring[j].key = kpi_keyed_table_key(sx, a->t, i, &ring[j].n);
			ring[j].g = a->gid[*(const uint32_t *)ring[j].srec];
			ring[j].kh = kpi_key_hash(ring[j].key, ring[j].n);
			kpi_keyed_prefetch(x, ring[j].g, ring[j].kh, 0);
		}
		if (i >= AHEAD / 2 && i - AHEAD / 2 < count) {
			const size_t j = (i - AHEAD / 2) % AHEAD;
			kpi_keyed_prefetch(x, ring[j].g, ring[j].kh, 1);
		}
	}
	return NULL;
}

/* The tasks, taken one after another by the threads. */
struct absorb_pool {
	struct absorb_task *task;
	size_t n;
	size_t next; /* (atomic) */
};

static void *absorb_tasks(void *arg)
{
	struct absorb_pool *pool = arg;
	size_t i;
	while ((i = __atomic_fetch_add(&pool->next, 1, __ATOMIC_RELAXED)) < pool->n)
		absorb_table(&pool->task[i]);
	return NULL;
}

int licit_kpi_absorb(struct licit_kpi *k, struct licit_kpi *src, int threads,
                     struct licit_error *err)
{
	if (kpi_pipe_drain(src) < 0 || kpi_pipe_drain(k) < 0)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	/* the groups' states through a partial file in memory (few lines);
	 * the keyed records, the bulk, straight from src's tables */
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	if (!o)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	int rc = write_state(src, o, 0, err);
	if (fclose(o) != 0 && rc == LICIT_OK)
		rc = licit_error_set(err, "", 0, NULL, "out of memory");
	FILE *in = rc == LICIT_OK ? fmemopen(buf, len, "r") : NULL;
	if (rc == LICIT_OK && !in)
		rc = licit_error_set(err, "", 0, NULL, "out of memory");
	struct merge m = {.k = k, .name = "(a job's state)", .sect_part = -1, .sect_group = -1};
	if (rc == LICIT_OK)
		rc = merge_file(&m, in, err);
	licit_partial_close(&m.r);
	if (in)
		fclose(in);
	free(buf);
	free(m.cur_map);
	if (rc == LICIT_OK && m.ngid != licit_map_count(src->groups))
		rc = licit_error_set(err, "", 0, NULL, "a job's groups were not all merged");
	/* every (keyed part, table) a task, on up to threads threads (each
	 * takes the next task not yet taken) */
	struct absorb_task tasks[sizeof k->keyed / sizeof k->keyed[0] * KPI_KEYED_TABLES];
	size_t nt = 0;
	for (size_t i = 0; rc == LICIT_OK && i < k->nparts; i++)
		for (size_t t = 0; k->part[i]->absorb_rec && t < KPI_KEYED_TABLES; t++)
			tasks[nt++] = (struct absorb_task){.k = k, .src = src, .pi = i, .t = t, .gid = m.gid};
	struct absorb_pool pool = {tasks, nt, 0};
	pthread_t th[8];
	int nth = 0;
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (; nth + 1 < threads && nth < 8 && (size_t)nth + 1 < nt; nth++)
		if (pthread_create(&th[nth], NULL, absorb_tasks, &pool) != 0)
			break;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	absorb_tasks(&pool);
	for (int i = 0; i < nth; i++)
		pthread_join(th[i], NULL);
	for (size_t i = 0; i < nt; i++)
		if (tasks[i].rc < 0 && rc == LICIT_OK)
			rc = licit_error_set(err, "", 0, NULL, "out of memory");
	free(m.gid);
	if (rc == LICIT_OK)
		absorb_counts(k, src);
	return rc;
}
