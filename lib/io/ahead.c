/* Chunks passed between threads in input order (see licit/io/ahead.h). */
#include "licit/io/ahead.h"

#include <signal.h>

#include "licit/io/writer.h"

void licit_ahead_init(struct licit_ahead *q)
{
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	q->free_q = q->ready = NULL;
	q->stop = 0;
	q->want = 0;
}

void licit_ahead_fini(struct licit_ahead *q)
{
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
}

void licit_ahead_give(struct licit_ahead *q, struct licit_ahead_chunk *c)
{
	pthread_mutex_lock(&q->mu);
	c->next = q->free_q;
	q->free_q = c;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

struct licit_ahead_chunk *licit_ahead_free(struct licit_ahead *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->free_q && !q->stop)
		pthread_cond_wait(&q->cv, &q->mu);
	struct licit_ahead_chunk *c = q->stop ? NULL : q->free_q;
	if (c)
		q->free_q = c->next;
	pthread_mutex_unlock(&q->mu);
	return c;
}

void licit_ahead_ready(struct licit_ahead *q, struct licit_ahead_chunk *c)
{
	pthread_mutex_lock(&q->mu);
	struct licit_ahead_chunk **at = &q->ready;
	while (*at && (*at)->seq < c->seq)
		at = &(*at)->next;
	c->next = *at;
	*at = c;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

struct licit_ahead_chunk *licit_ahead_next(struct licit_ahead *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->ready || q->ready->seq != q->want)
		pthread_cond_wait(&q->cv, &q->mu);
	struct licit_ahead_chunk *c = q->ready;
	q->ready = c->next;
	q->want++;
	pthread_mutex_unlock(&q->mu);
	return c;
}

void licit_ahead_stop(struct licit_ahead *q)
{
	pthread_mutex_lock(&q->mu);
	q->stop = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

int licit_ahead_start(pthread_t *t, int n, void *(*fn)(void *), void *arg)
{
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int k = 0;
	while (k < n && pthread_create(&t[k], NULL, fn, arg) == 0)
		k++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return k;
}
