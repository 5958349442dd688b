/* Two threads: the caller's reads rows into their inputs (the CSV
 * parser, the typed record, group keys, unusable values, all in input
 * order), a worker finds their groups and updates the groups' state from
 * batches of them (with --threads 1 the caller runs the batches itself).
 * One worker, taking the batches in order, updates every part in the
 * same order as one thread would: the output does not depend on it. */
#include "kpi_impl.h"

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/io/writer.h"

#define BATCH 4096

struct entry {
	size_t key, keylen; /* offsets in the batch's text: the group key, */
	size_t proc, sup;   /* the procedure id, the supplier key */
	uint32_t gid;       /* the group, found before any row is applied */
	struct kpi_row v;
};

/* how many rows ahead a row's records are prefetched: their slots at
 * twice this, their records at this (a row takes about 100 ns) */
#define AHEAD 8

struct batch {
	struct entry *e;
	size_t n, cap;
	char *text;
	size_t tlen, tcap;
};

struct kpi_pipe {
	pthread_t thread;
	int running;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[2]; /* the one being filled, the one handed over */
	int fill;          /* index of the one being filled */
	int handed, quit;  /* a batch waits for the worker; the worker stops */
	int failed;        /* the worker ran out of memory */
};

/* The groups first (numbered in row order, as one row at a time
 * would), then the updates, with the keyed records a few rows ahead
 * fetched while a row is applied: the tables of (group, key) are too
 * large for the cache, and a lookup would otherwise wait for memory. */
static int run_batch(struct licit_kpi *k, struct batch *b)
{
	struct entry *e = b->e;
	for (size_t i = 0; i < b->n; i++) {
		e[i].v.proc = b->text + e[i].proc;
		e[i].v.sup = b->text + e[i].sup;
		if (!kpi_group_get(k, b->text + e[i].key, e[i].keylen, &e[i].gid))
			return -1;
	}
	for (size_t i = 0; i < b->n; i++) {
		if (i + 2 * AHEAD < b->n)
			kpi_prefetch(k, e[i + 2 * AHEAD].gid, &e[i + 2 * AHEAD].v, 0);
		if (i + AHEAD < b->n)
			kpi_prefetch(k, e[i + AHEAD].gid, &e[i + AHEAD].v, 1);
		if (kpi_apply_at(k, e[i].gid, &e[i].v) < 0)
			return -1;
	}
	b->n = b->tlen = 0;
	return 0;
}

static void *work(void *arg)
{
	struct licit_kpi *k = arg;
	struct kpi_pipe *p = k->pipe;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->handed && !p->quit)
			pthread_cond_wait(&p->cv, &p->mu);
		if (!p->handed)
			break;
		struct batch *b = &p->b[!p->fill];
		pthread_mutex_unlock(&p->mu);
		int rc = p->failed ? 0 : run_batch(k, b);
		b->n = b->tlen = 0;
		pthread_mutex_lock(&p->mu);
		if (rc < 0)
			p->failed = 1;
		p->handed = 0;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

static int start(struct licit_kpi *k)
{
	struct kpi_pipe *p = calloc(1, sizeof *p);
	if (!p)
		return -1;
	k->pipe = p;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* the cleanup signals stay with the caller's thread */
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	p->running = k->threads > 1 && pthread_create(&p->thread, NULL, work, k) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return 0; /* without a thread the batches are run here */
}

/* Hands the filled batch over (waiting for the worker to be done with
 * the previous one). */
static int hand_over(struct licit_kpi *k)
{
	struct kpi_pipe *p = k->pipe;
	if (!p->running)
		return run_batch(k, &p->b[p->fill]);
	pthread_mutex_lock(&p->mu);
	while (p->handed)
		pthread_cond_wait(&p->cv, &p->mu);
	int failed = p->failed;
	p->fill = !p->fill;
	p->handed = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return failed ? -1 : 0;
}

/* copies n bytes and a NUL to the batch's text; returns their offset */
static size_t put_text(struct batch *b, const char *s, size_t n)
{
	size_t at = b->tlen;
	if (n)
		memcpy(b->text + at, s, n);
	b->text[at + n] = '\0';
	b->tlen += n + 1;
	return at;
}

int kpi_pipe_push(struct licit_kpi *k, const char *key, size_t len, const struct kpi_row *v)
{
	/* without a table of distinct keys the update is too cheap to batch;
	 * with --threads 1 the batches are run here (their prefetching is
	 * still worth it) */
	if (!k->keyed_parts)
		return kpi_apply(k, key, len, v);
	if (!k->pipe && start(k) < 0)
		return -1;
	struct kpi_pipe *p = k->pipe;
	struct batch *b = &p->b[p->fill];
	size_t need = b->tlen + len + v->proclen + v->suplen + 3;
	if (LICIT_GROW(b->e, b->cap, b->n + 1) != LICIT_OK ||
	    LICIT_GROW(b->text, b->tcap, need) != LICIT_OK)
		return -1;
	struct entry *e = &b->e[b->n++];
	e->v = *v;
	e->key = put_text(b, key, len);
	e->keylen = len;
	e->proc = put_text(b, v->proc, v->proclen);
	e->sup = put_text(b, v->sup, v->suplen);
	return b->n < BATCH ? 0 : hand_over(k);
}

int kpi_pipe_drain(struct licit_kpi *k)
{
	struct kpi_pipe *p = k->pipe;
	if (!p)
		return 0;
	int rc = p->b[p->fill].n ? hand_over(k) : 0;
	if (p->running) {
		pthread_mutex_lock(&p->mu);
		p->quit = 1;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->thread, NULL);
		p->running = 0;
		rc |= p->failed ? -1 : 0;
	}
	return rc < 0 ? -1 : 0;
}

void kpi_pipe_free(struct licit_kpi *k)
{
	struct kpi_pipe *p = k->pipe;
	if (!p)
		return;
	p->b[p->fill].n = 0; /* rows not yet handed over are dropped */
	kpi_pipe_drain(k);
	for (int i = 0; i < 2; i++) {
		free(p->b[i].e);
		free(p->b[i].text);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
	k->pipe = NULL;
}
