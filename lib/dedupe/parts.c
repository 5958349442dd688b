/* -j N: the parts of an input (byte ranges read on their own threads)
 * decided against their own rows first, then in order against everything
 * before them (see licit/dedupe/dedupe.h, PARTS). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "licit/dedupe/dedupe.h"
#include "licit/flags/spool.h"

#include "internal.h"

/* What the ordered merge needs of a row the part did not remove as an
 * exact copy of its own (or, with provenance, of every row). */
struct prec {
	uint64_t ea, eb, ka, kb; /* exact and key hashes */
	int64_t at;              /* the payload is the caller's bytes here (-1: in data) */
	long line;               /* provenance: line */
	uint32_t cluster;        /* provenance: the part's own cluster */
	int32_t sidx;            /* provenance: source in the part's sources */
	uint32_t len;            /* payload bytes in data */
	uint8_t rule, has_key;   /* the part's own decision */
};

struct licit_dedupe_part {
	struct licit_dedupe *d; /* the part's own engine */
	FILE *meta, *data;
	char *mbuf, *dbuf;      /* their stdio buffers */
	long long data_n;
};

#define SPOOL_BUF (1u << 20)

int licit_dedupe_parts_ok(const struct licit_dedupe *d)
{
	/* the key rule apart from the exact one (a key column the exact rule
	 * ignores) keeps rows and keys in two sets whose order of growth the
	 * merge does not replay: one job */
	return d->streaming && (d->o.level < LICIT_DUP_KEY || !d->key_ok || d->merged);
}

struct licit_dedupe_part *licit_dedupe_part_new(const struct licit_dedupe *d,
                                                struct licit_error *err)
{
	struct licit_dedupe_part *p = calloc(1, sizeof *p);
	if (!p) {
		licit_error_set(err, "", 0, NULL, "out of memory");
		return NULL;
	}
	if (!(p->d = licit_dedupe_new(&d->o, (const char *const *)d->cols, d->ncols, err)))
		goto fail;
	if (!(p->meta = licit_spool_temp()) || !(p->data = licit_spool_temp())) {
		licit_error_set(err, NULL, 0, NULL,
		                "cannot create a temporary file in $TMPDIR for a part: %s",
		                strerror(errno));
		goto fail;
	}
	if (!(p->mbuf = malloc(SPOOL_BUF)) || !(p->dbuf = malloc(SPOOL_BUF))) {
		licit_error_set(err, "", 0, NULL, "out of memory");
		goto fail;
	}
	setvbuf(p->meta, p->mbuf, _IOFBF, SPOOL_BUF);
	setvbuf(p->data, p->dbuf, _IOFBF, SPOOL_BUF);
	return p;
fail:
	licit_dedupe_part_free(p);
	return NULL;
}

void licit_dedupe_part_free(struct licit_dedupe_part *p)
{
	if (!p)
		return;
	licit_dedupe_free(p->d);
	if (p->meta)
		fclose(p->meta);
	if (p->data)
		fclose(p->data);
	free(p->mbuf);
	free(p->dbuf);
	free(p);
}

int licit_dedupe_part_bind(struct licit_dedupe_part *p, const struct licit_reader *r,
                           struct licit_error *err)
{
	return licit_dedupe_bind(p->d, r, err);
}

static int spool_error(struct licit_error *err)
{
	return licit_error_set(err, NULL, 0, NULL, "cannot write a part's temporary file: %s",
	                       strerror(errno ? errno : EIO));
}

/* A row of the part, its payload in data, or without one (NULL) the len
 * bytes at the caller's offset at. */
static int part_add(struct licit_dedupe_part *p, const struct licit_row *row,
                    const char *payload, size_t len, long long at, struct licit_error *err)
{
	struct dedupe_keys k;
	struct licit_dup now;
	unsigned filled;
	if (dedupe_row_keys(p->d, row, &k, &filled, err) != LICIT_OK ||
	    dedupe_stream_add(p->d, &k, &now, err) != LICIT_OK)
		return LICIT_ERR;
	int prov = p->d->prov;
	/* an exact copy of a row before it in the part: removed whatever came
	 * before the part, and (without provenance) nothing to write */
	if (now.rule == LICIT_RULE_EXACT && !prov)
		return LICIT_OK;
	/* without provenance only a row the part kept may be written */
	if (!prov && !now.kept)
		len = 0;
	if (!len || payload)
		at = -1;
	if (len > UINT32_MAX)
		return licit_error_set(err, "", row->line, NULL, "a row of more than 4 GiB");
	struct prec r = {k.he.a, k.he.b, k.hk.a, k.hk.b, at, k.line, (uint32_t)now.cluster,
	                 k.sidx, (uint32_t)len, (uint8_t)now.rule, (uint8_t)k.has_key};
	errno = 0;
	if (fwrite(&r, sizeof r, 1, p->meta) != 1 ||
	    (len && payload && fwrite(payload, 1, len, p->data) != len))
		return spool_error(err);
	if (payload)
		p->data_n += (long long)len;
	return LICIT_OK;
}

int licit_dedupe_part_add(struct licit_dedupe_part *p, const struct licit_row *row,
                          const char *payload, size_t len, struct licit_error *err)
{
	return part_add(p, row, payload, len, -1, err);
}

int licit_dedupe_part_add_at(struct licit_dedupe_part *p, const struct licit_row *row,
                             long long at, size_t len, struct licit_error *err)
{
	if (at < 0)
		return licit_error_set(err, "", row->line, NULL, "a row at a negative offset");
	return part_add(p, row, NULL, len, at, err);
}

int licit_dedupe_part_done(struct licit_dedupe_part *p, struct licit_error *err)
{
	errno = 0;
	if (fflush(p->meta) != 0 || fflush(p->data) != 0)
		return spool_error(err);
	/* the part's sets are not needed again: the spool holds its decisions */
	licit_fpset_free(p->d->exact);
	licit_fpset_free(p->d->key);
	licit_fpset_free(p->d->xkey);
	p->d->exact = p->d->key = p->d->xkey = NULL;
	return LICIT_OK;
}

/* The streaming rules for a row of the last part, the sets looked up and
 * not grown (nothing after it needs them): a row they do not know keeps
 * the part's own decision (rule, and the cluster that became, v). */
static int stream_get(struct licit_dedupe *d, const struct dedupe_keys *rk, int rule,
                      uint32_t v, struct licit_dup *now)
{
	memset(now, 0, sizeof *now);
	now->of = "";
	now->entity = "";
	now->score = 1;
	int found = 0;
	const unsigned char *e, *k;
	if (d->merged && rk->has_key) {
		if ((k = licit_fpset_get(d->key, rk->hk.a, rk->hk.b))) {
			uint64_t first;
			memcpy(&first, k, 8);
			now->rule = first == rk->he.b || licit_fpset_get(d->xkey, rk->he.a, rk->he.b)
			                ? LICIT_RULE_EXACT : LICIT_RULE_KEY;
			if (d->prov)
				memcpy(&v, k + 8, 4);
			found = 1;
		}
	} else if ((e = licit_fpset_get(d->exact, rk->he.a, rk->he.b))) {
		now->rule = LICIT_RULE_EXACT;
		if (d->prov)
			memcpy(&v, e, 4);
		found = 1;
	} else if (rk->has_key && (k = licit_fpset_get(d->key, rk->hk.a, rk->hk.b))) {
		now->rule = LICIT_RULE_KEY;
		if (d->prov)
			memcpy(&v, k, 4);
		found = 1;
	}
	if (!found) {
		now->rule = (enum licit_dup_rule)rule;
		if (rule == LICIT_RULE_NONE && dedupe_new_cluster(d, rk->sidx, rk->line, &v) < 0)
			return -1;
	}
	dedupe_decided(d, v, now);
	return 0;
}

/* The part's payloads are read through a window of the data file mapped
 * WINDOW bytes at a time (more for a longer row), so that what the join
 * holds does not grow with the part. */
#define WINDOW (16u << 20)

struct window {
	struct licit_dedupe_part *part;
	char *p;       /* the mapping: file bytes [at, at + n) */
	size_t at, n;
	size_t map;    /* its length */
};

static int window_at(struct window *w, size_t off, size_t len, struct licit_error *err)
{
	if (w->p)
		munmap(w->p, w->map);
	w->p = NULL;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t start = off / page * page, end = (size_t)w->part->data_n;
	size_t want = off - start + (len > WINDOW ? len : WINDOW);
	if (start + want > end)
		want = end - start;
	void *m = mmap(NULL, want, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(w->part->data),
	               (off_t)start);
	if (m == MAP_FAILED)
		return licit_error_set(err, NULL, 0, NULL, "cannot read a part's temporary file: %s",
		                       strerror(errno));
	w->p = m;
	w->at = start;
	w->n = w->map = want;
	return LICIT_OK;
}

/* The join reads a part's records BATCH at a time, and fetches the slots
 * its rows will look up in the run's sets before it decides the first:
 * the sets are far larger than the cache. */
#define BATCH 32

static size_t next_batch(const struct licit_dedupe *d, FILE *meta, struct prec *b)
{
	size_t n = fread(b, sizeof *b, BATCH, meta);
	for (size_t i = 0; i < n; i++) {
		if (b[i].rule == LICIT_RULE_EXACT)
			continue;
		if (!d->merged || !b[i].has_key)
			licit_fpset_prefetch(d->exact, b[i].ea);
		if (b[i].has_key)
			licit_fpset_prefetch(d->key, b[i].ka);
	}
	return n;
}

int licit_dedupe_join(struct licit_dedupe *d, struct licit_dedupe_part *p, int last,
                      licit_dedupe_join_fn fn, void *ctx, struct licit_error *err)
{
	const struct licit_dedupe *pd = p->d;
	int prov = d->prov, rc = LICIT_ERR;
	d->nrows += pd->nrows;
	d->st.rows += pd->st.rows;
	d->st.no_key += pd->st.no_key;
	d->st.removed[LICIT_RULE_EXACT] += pd->st.removed[LICIT_RULE_EXACT];
	/* with provenance: the part's own clusters -> the run's */
	uint32_t *map = prov ? calloc(pd->nclusters + 1, sizeof *map) : NULL;
	struct window win = {p, NULL, 0, 0, 0};
	if (prov && !map)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	rewind(p->meta);
	struct prec batch[BATCH], r;
	size_t off = 0, nb = 0, bi = 0;
	for (;;) {
		if (bi == nb) {
			if (!(nb = next_batch(d, p->meta, batch)))
				break;
			bi = 0;
		}
		r = batch[bi++];
		struct licit_dup now;
		if (r.rule == LICIT_RULE_EXACT) { /* provenance only: of a row before it */
			memset(&now, 0, sizeof now);
			now.rule = LICIT_RULE_EXACT;
			now.score = 1;
			now.cluster = map[r.cluster];
			now.entity = "";
			dedupe_set_of(d, map[r.cluster], &now);
		} else {
			struct dedupe_keys k = {{r.ea, r.eb}, {r.ka, r.kb}, r.has_key, -1, r.line};
			if (prov) {
				size_t sl;
				const char *s = licit_map_key(pd->sources, (size_t)r.sidx, &sl);
				if ((k.sidx = (int)licit_map_put(d->sources, s, sl, NULL)) < 0) {
					licit_error_set(err, "", 0, NULL, "out of memory");
					goto out;
				}
			}
			if (!last && dedupe_stream_add(d, &k, &now, err) != LICIT_OK)
				goto out;
			if (last && stream_get(d, &k, r.rule, prov ? map[r.cluster] : 0, &now) < 0) {
				licit_error_set(err, "", 0, NULL, "out of memory");
				goto out;
			}
			if (prov && r.rule == LICIT_RULE_NONE)
				map[r.cluster] = (uint32_t)now.cluster;
		}
		const char *pl = NULL;
		if (r.at >= 0) { /* the caller's bytes */
			if (fn(ctx, &now, NULL, r.len, r.at, err) != LICIT_OK)
				goto out;
			continue;
		}
		if (r.len) {
			if (off + r.len > (size_t)p->data_n) {
				licit_error_set(err, NULL, 0, NULL, "a part's temporary file is short");
				goto out;
			}
			if (off + r.len > win.at + win.n) { /* the payloads so far are done with */
				if (fn(ctx, NULL, NULL, 0, -1, err) != LICIT_OK)
					goto out;
				if (window_at(&win, off, r.len, err) != LICIT_OK)
					goto out;
			}
			pl = win.p + (off - win.at);
		}
		if (fn(ctx, &now, pl, r.len, -1, err) != LICIT_OK)
			goto out;
		off += r.len;
	}
	if (ferror(p->meta)) {
		licit_error_set(err, NULL, 0, NULL, "cannot read a part's temporary file: %s",
		                strerror(errno));
		goto out;
	}
	rc = fn(ctx, NULL, NULL, 0, -1, err); /* the payloads are valid until it returns */
out:
	if (win.p)
		munmap(win.p, win.map);
	free(map);
	return rc;
}
