/* Reading ahead on other threads: chunks of parsed input passed from
 * the threads that fill them to the one thread that uses them, in input
 * order. A caller's chunk type starts with a struct licit_ahead_chunk;
 * the caller gives every chunk to the free queue once at the start
 * (licit_ahead_give), a filling thread takes one (licit_ahead_free),
 * numbers it (seq: 0, 1, 2, ... in input order; last on the final one),
 * fills it and hands it on (licit_ahead_ready); the using thread takes
 * them in seq order (licit_ahead_next) and gives each back when done. */
#ifndef LICIT_AHEAD_H
#define LICIT_AHEAD_H

#include <pthread.h>

struct licit_ahead_chunk {
	long seq;  /* its place in the input */
	int last;  /* no chunk after it */
	struct licit_ahead_chunk *next;
};

struct licit_ahead {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct licit_ahead_chunk *free_q, *ready; /* ready in seq order */
	int stop;
	long want; /* the using thread's next seq */
};

void licit_ahead_init(struct licit_ahead *q);
void licit_ahead_fini(struct licit_ahead *q);
/* A chunk to the free queue (at the start, when used, or not filled). */
void licit_ahead_give(struct licit_ahead *q, struct licit_ahead_chunk *c);
/* A filling thread: a free chunk, waiting for one; NULL once stopped. */
struct licit_ahead_chunk *licit_ahead_free(struct licit_ahead *q);
/* A filling thread: c filled, c->seq and c->last set. */
void licit_ahead_ready(struct licit_ahead *q, struct licit_ahead_chunk *c);
/* The using thread: the chunk with the next seq, waiting for it. */
struct licit_ahead_chunk *licit_ahead_next(struct licit_ahead *q);
/* The using thread is done: filling threads stop at their next chunk. */
void licit_ahead_stop(struct licit_ahead *q);
/* Starts fn(arg) on up to n threads (into t), with the signals whose
 * handler removes output temporaries blocked (licit_cleanup_signals), so
 * that it runs on the caller's thread. Returns how many started. */
int licit_ahead_start(pthread_t *t, int n, void *(*fn)(void *), void *arg);

#endif
