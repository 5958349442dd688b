/* The in-situ CSV back end on a second thread (reader_opts.csv_ahead with
 * more than one thread): the thread runs the same fills the caller's
 * thread would (csv_fast_fill), each into a chunk of its own, and the
 * caller takes the chunks in order. A chunk is one batch: its rows, the
 * notes said while it was filled (told when it is taken, as a fill on the
 * caller's thread tells them) and how the fill ended. So rows, notes and
 * errors come out as without the thread, in the same order.
 *
 * Rows point into the read buffer. A buffer that rows handed out still
 * point into is not read into again: the thread goes on in another one
 * (the bytes of the record begun copied over), and a buffer is free once
 * the caller has given back every chunk pointing into it. */
#include "reader_impl.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/io/ahead.h"

#define AHEAD_CHUNKS 4
#define AHEAD_BUFS 2 /* a buffer holds more batches than there are chunks */

struct chunk {
	struct licit_ahead_chunk q; /* first: its place in the queue */
	struct batch b;
	int rc;                     /* csv_fast_fill's */
	struct licit_error err;
	int buf;                    /* the buffer its rows point into */
	const char *lo, *hi;        /* its bytes when filled */
	long long consumed, recoded;
	struct licit_diag *notes;   /* strings in b.arena */
	size_t nnotes, capnotes;
};

struct csv_ahead {
	pthread_t thread;
	struct licit_ahead q;
	struct chunk chunk[AHEAD_CHUNKS];
	struct batch own;         /* the reader's batch, kept for close */
	pthread_mutex_t mu;       /* the buffers' refs and stop */
	pthread_cond_t cv;
	struct {
		char *p;
		size_t cap;
		int refs;         /* chunks handed out pointing into it */
	} buf[AHEAD_BUFS];
	int stop;
	int cur_buf;              /* the thread's: the one r->in reads into */
	struct chunk *filling;    /* the thread's: where notes go */
	licit_diag_fn note;       /* the caller's */
	void *note_ctx;
	struct chunk *cur;        /* the caller's: the chunk it reads */
	int done;
	long long consumed, recoded;
};

/* opts.note while the thread fills: the note kept in the chunk */
static void keep_note(void *ctx, const struct licit_diag *d)
{
	struct licit_reader *r = ctx;
	struct chunk *c = r->csv_ahead->filling;
	struct licit_arena *a = &r->batch.arena;
	if (LICIT_GROW(c->notes, c->capnotes, c->nnotes + 1) != LICIT_OK)
		return;
	struct licit_diag *k = &c->notes[c->nnotes];
	*k = *d;
	k->source = d->source ? licit_arena_strndup(a, d->source, strlen(d->source)) : NULL;
	k->field = d->field ? licit_arena_strndup(a, d->field, strlen(d->field)) : NULL;
	k->value = d->value ? licit_arena_strndup(a, d->value, strlen(d->value)) : NULL;
	k->text = d->text ? licit_arena_strndup(a, d->text, strlen(d->text)) : NULL;
	if ((d->source && !k->source) || (d->field && !k->field) || (d->value && !k->value) ||
	    (d->text && !k->text))
		return;
	c->nnotes++;
}

static void *run(void *arg)
{
	struct licit_reader *r = arg;
	struct csv_ahead *ah = r->csv_ahead;
	long seq = 0;
	struct chunk *c;
	while ((c = (struct chunk *)licit_ahead_free(&ah->q))) {
		r->batch = c->b;
		r->batch.count = r->batch.pos = 0;
		licit_arena_reset(&r->batch.arena);
		c->nnotes = 0;
		ah->filling = c;
		licit_error_clear(&c->err);
		c->rc = csv_fast_fill(r, &c->err);
		c->b = r->batch;
		c->buf = ah->cur_buf;
		c->lo = r->in.buf;
		c->hi = r->in.buf + r->in.len;
		c->consumed = r->in.consumed;
		c->recoded = r->recoded;
		pthread_mutex_lock(&ah->mu);
		ah->buf[c->buf].refs++;
		pthread_mutex_unlock(&ah->mu);
		c->q.seq = seq++;
		c->q.last = c->rc != LICIT_OK;
		licit_ahead_ready(&ah->q, &c->q);
		if (c->q.last)
			break;
	}
	return NULL;
}

void csv_ahead_start(struct licit_reader *r)
{
	struct csv_ahead *ah = calloc(1, sizeof *ah);
	if (!ah)
		return; /* read on this thread */
	licit_ahead_init(&ah->q);
	pthread_mutex_init(&ah->mu, NULL);
	pthread_cond_init(&ah->cv, NULL);
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_init(&ah->chunk[i].b.arena, 1 << 16);
		licit_ahead_give(&ah->q, &ah->chunk[i].q);
	}
	ah->buf[0].p = r->in.buf;
	ah->buf[0].cap = r->in.cap;
	ah->own = r->batch;
	ah->note = r->opts.note;
	ah->note_ctx = r->opts.note_ctx;
	ah->consumed = r->in.consumed;
	ah->recoded = r->recoded;
	r->opts.note = keep_note;
	r->opts.note_ctx = r;
	r->csv_ahead = ah;
	if (licit_ahead_start(&ah->thread, 1, run, r) != 1) {
		r->csv_ahead = NULL;
		r->opts.note = ah->note;
		r->opts.note_ctx = ah->note_ctx;
		for (int i = 0; i < AHEAD_CHUNKS; i++)
			licit_arena_fini(&ah->chunk[i].b.arena);
		licit_ahead_fini(&ah->q);
		pthread_mutex_destroy(&ah->mu);
		pthread_cond_destroy(&ah->cv);
		free(ah);
	}
}

int csv_ahead_buffer(struct licit_reader *r)
{
	struct csv_ahead *ah = r->csv_ahead;
	struct input *in = &r->in;
	pthread_mutex_lock(&ah->mu);
	ah->buf[ah->cur_buf].p = in->buf; /* a read may have moved it */
	ah->buf[ah->cur_buf].cap = in->cap;
	int nb = ah->buf[ah->cur_buf].refs ? -1 : ah->cur_buf;
	while (nb < 0 && !ah->stop) {
		for (int i = 0; i < AHEAD_BUFS && nb < 0; i++)
			if (i != ah->cur_buf && ah->buf[i].refs == 0)
				nb = i;
		if (nb < 0)
			pthread_cond_wait(&ah->cv, &ah->mu);
	}
	pthread_mutex_unlock(&ah->mu);
	if (nb < 0) {
		errno = ECANCELED;
		return -1; /* the caller stopped reading */
	}
	if (nb == ah->cur_buf)
		return 0; /* nobody reads it: read into it again */
	size_t left = in->len - in->pos;
	if (ah->buf[nb].cap < in->cap) {
		char *p = realloc(ah->buf[nb].p, in->cap);
		if (!p)
			return -1;
		ah->buf[nb].p = p;
		ah->buf[nb].cap = in->cap;
	}
	memcpy(ah->buf[nb].p, in->buf + in->pos, left);
	in->buf = ah->buf[nb].p;
	in->cap = ah->buf[nb].cap;
	in->len = left;
	in->pos = 0;
	ah->cur_buf = nb;
	return 0;
}

/* The chunk read last given back. */
static void give_back(struct csv_ahead *ah)
{
	struct chunk *c = ah->cur;
	if (!c)
		return;
	ah->cur = NULL;
	pthread_mutex_lock(&ah->mu);
	ah->buf[c->buf].refs--;
	pthread_cond_broadcast(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
	licit_ahead_give(&ah->q, &c->q);
}

int csv_ahead_next(struct licit_reader *r, struct licit_error *err)
{
	struct csv_ahead *ah = r->csv_ahead;
	give_back(ah);
	r->serve = &ah->own;
	ah->own.count = ah->own.pos = 0;
	if (ah->done)
		return LICIT_EOF;
	struct chunk *c = (struct chunk *)licit_ahead_next(&ah->q);
	ah->cur = c;
	ah->done = c->q.last;
	ah->consumed = c->consumed;
	ah->recoded = c->recoded;
	for (size_t i = 0; ah->note && i < c->nnotes; i++)
		ah->note(ah->note_ctx, &c->notes[i]);
	r->serve = &c->b;
	if (c->rc == LICIT_ERR)
		*err = c->err;
	return c->rc;
}

long long csv_ahead_consumed(const struct licit_reader *r)
{
	return r->csv_ahead->consumed;
}

void csv_ahead_window(const struct licit_reader *r, const char **lo, const char **hi)
{
	const struct chunk *c = r->csv_ahead->cur;
	*lo = c ? c->lo : NULL;
	*hi = c ? c->hi : NULL;
}

long long csv_ahead_recoded(const struct licit_reader *r)
{
	return r->csv_ahead->recoded;
}

void csv_ahead_stop(struct licit_reader *r)
{
	struct csv_ahead *ah = r->csv_ahead;
	if (!ah)
		return;
	give_back(ah);
	licit_ahead_stop(&ah->q);
	pthread_mutex_lock(&ah->mu);
	ah->stop = 1;
	pthread_cond_broadcast(&ah->cv);
	pthread_mutex_unlock(&ah->mu);
	pthread_join(ah->thread, NULL);
	/* r->in.buf is one of the buffers: close frees it, this the others */
	for (int i = 0; i < AHEAD_BUFS; i++)
		if (ah->buf[i].p != r->in.buf && i != ah->cur_buf)
			free(ah->buf[i].p);
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_fini(&ah->chunk[i].b.arena);
		free(ah->chunk[i].b.rows);
		free(ah->chunk[i].notes);
	}
	r->batch = ah->own;
	r->serve = &r->batch;
	r->opts.note = ah->note;
	r->opts.note_ctx = ah->note_ctx;
	licit_ahead_fini(&ah->q);
	pthread_mutex_destroy(&ah->mu);
	pthread_cond_destroy(&ah->cv);
	free(ah);
	r->csv_ahead = NULL;
}
