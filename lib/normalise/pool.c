/* Normalising on several threads (see licit/normalise/pool.h).
 *
 * A ring of batches, each in one of four states: FREE (the reader thread
 * may fill it), READY (rows copied in, waiting for a worker), BUSY (a
 * worker normalises it into its own bytes) and DONE (waiting to be handed
 * on). The reader thread fills batches in input order and hands them on in
 * the same order, so nothing depends on which worker took which. */
#define _GNU_SOURCE /* fopencookie */
#include "licit/normalise/pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/io/ahead.h"
#include "licit/io/writer.h"

#define POOL_ROWS 1024          /* rows per batch */
#define POOL_BYTES (512 * 1024) /* or input bytes per batch */

/* A growable byte buffer (LICIT_GROW, kept from batch to batch). */
struct bytes {
	char *p;
	size_t n, cap;
};

static int bytes_put(struct bytes *b, const void *s, size_t n)
{
	if (n == 0) /* nothing to copy; b->p may still be NULL (memcpy's UB) */
		return 0;
	if (LICIT_GROW(b->p, b->cap, b->n + n) != LICIT_OK)
		return -1;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	return 0;
}

/* Offset of a NUL-terminated copy of s[0..n) in b, or SIZE_MAX. */
static size_t bytes_str(struct bytes *b, const char *s, size_t n)
{
	size_t at = b->n;
	if (bytes_put(b, s, n) || bytes_put(b, "", 1))
		return SIZE_MAX;
	return at;
}

struct brow {
	size_t first, n;  /* values: off[first .. first + n) */
	long line, recno;
	size_t nfields;
	int dropped;      /* left out by keep() */
};

struct bprob {
	size_t row;
	int severity, has_source;
	long line;
	size_t field, value, text; /* offsets in the batch's pbytes, SIZE_MAX for NULL */
};

enum { B_FREE, B_READY, B_BUSY, B_DONE };

struct batch {
	int state;
	struct bytes in;   /* the rows' values, NUL-terminated, one after another */
	size_t *off;       /* value offsets in `in` */
	size_t *len;
	size_t nval, capval;
	struct brow *rows;
	size_t nrows, caprows;
	struct bprob *rp, *wp; /* the reader's and the normaliser's problems */
	size_t nrp, caprp, nwp, capwp;
	struct bytes pbytes;   /* their strings */
	struct bytes out;      /* the records written by the worker */
	int failed;            /* the worker ran out of memory or failed */
};

struct worker {
	struct licit_norm_pool *pool;
	struct licit_normaliser *n;
	struct licit_writer *w;
	FILE *f;
	struct bytes *sink; /* where f's bytes go: the batch being written */
	pthread_t thread;
	int started;
	struct batch *cur;   /* for the problem callback */
	size_t cur_row;
	const char **v;      /* the row being normalised: its values */
	size_t vcap;
};

struct licit_norm_pool {
	struct worker *w;
	int nw;
	struct batch *b;
	int nb;
	const char *source;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int next_ready; /* the next READY batch a worker takes, in ring order */
	int fill, out;  /* the next batch the reader thread fills, hands on */
	int quit;
	const char *layout;
	int (*keep)(void *ctx, const char *const *v);
	void *keep_ctx;
};

/* ---- the workers' output streams ------------------------------------------------ */

static ssize_t cookie_write(void *c, const char *buf, size_t n)
{
	struct worker *w = c;
	if (!w->sink || bytes_put(w->sink, buf, n))
		return -1;
	return (ssize_t)n;
}

static size_t str_or_null(struct bytes *b, const char *s, int *failed)
{
	if (!s)
		return SIZE_MAX;
	size_t at = bytes_str(b, s, strlen(s));
	if (at == SIZE_MAX)
		*failed = 1;
	return at;
}

static const char *str_at(const struct bytes *b, size_t at)
{
	return at == SIZE_MAX ? NULL : b->p + at;
}

static int add_prob(struct batch *b, int worker, size_t row, const struct licit_diag *d)
{
	struct bprob **list = worker ? &b->wp : &b->rp;
	size_t *n = worker ? &b->nwp : &b->nrp, *cap = worker ? &b->capwp : &b->caprp;
	if (licit_grow(list, cap, *n + 1, sizeof **list) != LICIT_OK)
		return -1;
	struct bprob *p = &(*list)[*n];
	int failed = 0;
	p->row = row;
	p->severity = (int)d->severity;
	p->has_source = d->source != NULL;
	p->line = d->line;
	p->field = str_or_null(&b->pbytes, d->field, &failed);
	p->value = str_or_null(&b->pbytes, d->value, &failed);
	p->text = str_or_null(&b->pbytes, d->text ? d->text : "", &failed);
	if (failed)
		return -1;
	(*n)++;
	return 0;
}

static void on_worker_problem(void *ctx, const struct licit_diag *d)
{
	struct worker *w = ctx;
	if (add_prob(w->cur, 1, w->cur_row, d))
		w->cur->failed = 1;
}

/* Normalises batch b on worker w into b->out. */
static void work(struct worker *w, struct batch *b)
{
	w->cur = b;
	w->sink = &b->out;
	b->out.n = 0;
	for (size_t i = 0; i < b->nrows && !b->failed; i++) {
		struct brow *r = &b->rows[i];
		if (LICIT_GROW(w->v, w->vcap, r->n) != LICIT_OK) {
			b->failed = 1;
			break;
		}
		for (size_t j = 0; j < r->n; j++)
			w->v[j] = b->in.p + b->off[r->first + j];
		struct licit_row row = {.n = r->n, .v = w->v, .len = b->len + r->first,
		                        .line = r->line, .recno = r->recno, .nfields = r->nfields};
		const char *const *out;
		w->cur_row = i;
		struct licit_error e;
		if (licit_normaliser_row(w->n, &row, w->pool->source, &out, on_worker_problem, w, &e) !=
		    LICIT_OK) {
			b->failed = 1;
		} else if (w->pool->keep && !w->pool->keep(w->pool->keep_ctx, out)) {
			r->dropped = 1;
		} else if (licit_writer_row(w->w, out, NULL) != LICIT_OK) {
			b->failed = 1;
		}
	}
	if (fflush(w->f) != 0)
		b->failed = 1;
	w->sink = NULL;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct licit_norm_pool *p = w->pool;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct batch *b = &p->b[p->next_ready];
		while (!p->quit && b->state != B_READY) {
			pthread_cond_wait(&p->cv, &p->mu);
			b = &p->b[p->next_ready];
		}
		if (p->quit)
			break;
		b->state = B_BUSY;
		p->next_ready = (p->next_ready + 1) % p->nb;
		pthread_mutex_unlock(&p->mu);
		work(w, b);
		pthread_mutex_lock(&p->mu);
		b->state = B_DONE;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- the pool ----------------------------------------------------------------------- */

struct licit_norm_pool *licit_norm_pool_new(const struct licit_norm_opts *o, int threads,
                                            enum licit_format fmt,
                                            const char *const *names, size_t n,
                                            struct licit_error *err)
{
	if (threads < 1)
		threads = 1;
	struct licit_norm_pool *p = calloc(1, sizeof *p);
	if (!p)
		goto oom;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	p->nb = 2 * threads + 2;
	p->b = calloc((size_t)p->nb, sizeof *p->b);
	p->w = calloc((size_t)threads, sizeof *p->w);
	if (!p->b || !p->w)
		goto oom;
	static const cookie_io_functions_t io = {.write = cookie_write};
	for (int i = 0; i < threads; i++) {
		struct worker *w = &p->w[i];
		w->pool = p;
		p->nw++;
		if (!(w->n = licit_normaliser_new(o, err)))
			goto fail;
		if (!(w->f = fopencookie(w, "w", io)) ||
		    !(w->w = licit_writer_new(w->f, fmt, names, n)))
			goto oom;
		setvbuf(w->f, NULL, _IOFBF, 256 * 1024);
		licit_writer_skip_header(w->w);
	}
	for (int i = 0; i < p->nw; i++) {
		/* with the cleanup signals blocked: their handler runs on the
		 * calling thread */
		if (licit_ahead_start(&p->w[i].thread, 1, worker_main, &p->w[i]) != 1)
			goto oom;
		p->w[i].started = 1;
	}
	return p;
oom:
	licit_error_set(err, NULL, 0, NULL, "out of memory (starting %d normalising threads)",
	                threads);
fail:
	licit_norm_pool_free(p);
	return NULL;
}

void licit_norm_pool_free(struct licit_norm_pool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nw; i++) {
		struct worker *w = &p->w[i];
		if (w->started)
			pthread_join(w->thread, NULL);
		licit_writer_discard(w->w);
		if (w->f)
			fclose(w->f);
		licit_normaliser_free(w->n);
		free(w->v);
	}
	for (int i = 0; p->b && i < p->nb; i++) {
		struct batch *b = &p->b[i];
		free(b->in.p);
		free(b->off);
		free(b->len);
		free(b->rows);
		free(b->rp);
		free(b->wp);
		free(b->pbytes.p);
		free(b->out.p);
	}
	free(p->b);
	free(p->w);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

void licit_norm_pool_keep(struct licit_norm_pool *p, int (*keep)(void *ctx, const char *const *v),
                          void *ctx)
{
	p->keep = keep;
	p->keep_ctx = ctx;
}

int licit_norm_pool_bind(struct licit_norm_pool *p, const struct licit_reader *r,
                         licit_diag_fn fn, void *ctx, struct licit_error *err)
{
	for (int i = 0; i < p->nw; i++)
		if (licit_normaliser_bind(p->w[i].n, r, i ? NULL : fn, ctx, err) != LICIT_OK)
			return LICIT_ERR;
	p->layout = licit_normaliser_layout(p->w[0].n);
	return LICIT_OK;
}

const char *licit_norm_pool_layout(const struct licit_norm_pool *p)
{
	return p->layout;
}

/* Copies a reader row into b; -1 out of memory. [lo, hi): the reader's
 * window (licit_reader_window). */
static int copy_row(struct batch *b, const struct licit_row *row, const char *lo, const char *hi)
{
	size_t old = b->capval;
	if (LICIT_GROW(b->rows, b->caprows, b->nrows + 1) != LICIT_OK ||
	    LICIT_GROW(b->off, b->capval, b->nval + row->n) != LICIT_OK)
		return -1;
	/* len grows with off: the same capacity */
	if (b->capval != old && licit_resize(&b->len, old, b->capval, sizeof *b->len) != LICIT_OK) {
		b->capval = old;
		return -1;
	}
	struct brow *r = &b->rows[b->nrows];
	r->first = b->nval;
	r->n = row->n;
	r->line = row->line;
	r->recno = row->recno;
	r->nfields = row->nfields;
	r->dropped = 0;
	/* the values one after another in the window (as the in-situ reader
	 * leaves them): the bytes from the first to the last in one copy;
	 * else each value with its NUL */
	size_t total = 0, *len = b->len + b->nval;
	uintptr_t at = (uintptr_t)lo, end = (uintptr_t)hi;
	int one = lo && row->n;
	for (size_t j = 0; j < row->n; j++) {
		size_t n = row->len ? row->len[j] : strlen(row->v[j]);
		uintptr_t p = (uintptr_t)row->v[j];
		one &= p >= at && p < end && n < end - p;
		at = p + n + 1;
		len[j] = n;
		total += n + 1;
	}
	const char *first = row->n ? row->v[0] : NULL;
	if (one)
		total = (size_t)(at - (uintptr_t)first);
	if (total && LICIT_GROW(b->in.p, b->in.cap, b->in.n + total) != LICIT_OK)
		return -1;
	if (one) {
		memcpy(b->in.p + b->in.n, first, total);
		for (size_t j = 0; j < row->n; j++)
			b->off[b->nval++] = b->in.n + (size_t)((uintptr_t)row->v[j] - (uintptr_t)first);
		b->in.n += total;
	} else {
		for (size_t j = 0; j < row->n; j++) {
			memcpy(b->in.p + b->in.n, row->v[j], len[j] + 1);
			b->off[b->nval++] = b->in.n;
			b->in.n += len[j] + 1;
		}
	}
	for (size_t k = 0; k < row->nproblems; k++) {
		struct licit_diag d = {LICIT_WARNING, "", row->line, row->problems[k].field,
		                       row->problems[k].value, row->problems[k].text};
		if (add_prob(b, 0, b->nrows, &d))
			return -1;
	}
	b->nrows++;
	return 0;
}

static void batch_clear(struct batch *b)
{
	b->in.n = b->pbytes.n = b->out.n = 0;
	b->nval = b->nrows = b->nrp = b->nwp = 0;
	b->failed = 0;
}

static void replay(const struct batch *b, const struct bprob *p, const char *source,
                   const struct licit_norm_sink *s)
{
	struct licit_diag d = {(enum licit_severity)p->severity, p->has_source ? source : NULL,
	                       p->line, str_at(&b->pbytes, p->field), str_at(&b->pbytes, p->value),
	                       str_at(&b->pbytes, p->text)};
	s->problem(s->ctx, &d, b->rows[p->row].recno);
}

/* Hands a DONE batch on; LICIT_ERR when the sink or the worker failed. */
static int emit(struct batch *b, const char *source, const struct licit_norm_sink *s,
                long long *rows, struct licit_error *err)
{
	size_t a = 0, c = 0;
	long long kept = 0;
	for (size_t i = 0; i < b->nrows; i++) {
		int show = !b->rows[i].dropped;
		kept += show;
		for (; a < b->nrp && b->rp[a].row == i; a++)
			if (show)
				replay(b, &b->rp[a], source, s);
		for (; c < b->nwp && b->wp[c].row == i; c++)
			if (show)
				replay(b, &b->wp[c], source, s);
	}
	if (b->failed)
		return licit_error_set(err, NULL, 0, NULL, "out of memory normalising rows");
	if (b->out.n && s->bytes(s->ctx, b->out.p, b->out.n) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "write error");
	*rows += kept;
	return LICIT_OK;
}

int licit_norm_pool_run(struct licit_norm_pool *p, struct licit_reader *r, const char *source,
                        const struct licit_norm_sink *s, long long *rows,
                        struct licit_error *err)
{
	int fill = p->fill, out = p->out; /* ring positions, kept from the last run */
	int inflight = 0, eof = 0, read_failed = 0, rc = LICIT_OK;
	struct licit_error rerr;
	licit_error_clear(&rerr);
	p->source = source;
	*rows = 0;
	while (!eof || inflight) {
		pthread_mutex_lock(&p->mu);
		while (inflight && p->b[out].state != B_DONE && (eof || p->b[fill].state != B_FREE))
			pthread_cond_wait(&p->cv, &p->mu);
		int done = inflight && p->b[out].state == B_DONE;
		pthread_mutex_unlock(&p->mu);
		if (done) {
			struct batch *b = &p->b[out];
			if (rc == LICIT_OK && emit(b, source, s, rows, err) != LICIT_OK) {
				rc = LICIT_ERR;
				eof = 1; /* read no more; the batches in flight are dropped */
			}
			batch_clear(b);
			pthread_mutex_lock(&p->mu);
			b->state = B_FREE;
			pthread_mutex_unlock(&p->mu);
			out = (out + 1) % p->nb;
			inflight--;
			continue;
		}
		if (eof)
			continue;
		/* fill the next free batch (no other thread touches a FREE one) */
		struct batch *b = &p->b[fill];
		const struct licit_row *row;
		int got = LICIT_OK;
		while (b->nrows < POOL_ROWS && b->in.n < POOL_BYTES &&
		       (got = licit_reader_next(r, &row, &rerr)) == LICIT_OK) {
			const char *lo, *hi;
			licit_reader_window(r, &lo, &hi);
			if (copy_row(b, row, lo, hi)) {
				licit_error_set(&rerr, source, row->line, NULL, "out of memory");
				got = LICIT_ERR;
				break;
			}
			if (s->read)
				s->read(s->ctx, r);
		}
		if (got != LICIT_OK) {
			/* the end of input, or a failure: reported once the rows
			 * read before it have been handed on */
			eof = 1;
			read_failed = got == LICIT_ERR;
		}
		if (b->nrows) {
			pthread_mutex_lock(&p->mu);
			b->state = B_READY;
			pthread_cond_broadcast(&p->cv);
			pthread_mutex_unlock(&p->mu);
			fill = (fill + 1) % p->nb;
			inflight++;
		}
	}
	p->fill = fill;
	p->out = out;
	if (rc == LICIT_OK && read_failed) {
		*err = rerr;
		return LICIT_ERR;
	}
	return rc;
}
