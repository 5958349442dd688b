/* licit/io/ahead.h: chunks filled by several threads come out in order. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sched.h>

#include "licit/io/ahead.h"

#define NCHUNKS 4
#define TOTAL 2000

struct work {
	struct licit_ahead q;
	pthread_mutex_t mu;
	long seq;
	struct chunk {
		struct licit_ahead_chunk q;
		long value;
	} chunk[NCHUNKS];
};

static void *fill(void *arg)
{
	struct work *w = arg;
	struct chunk *c;
	while ((c = (struct chunk *)licit_ahead_free(&w->q))) {
		pthread_mutex_lock(&w->mu);
		int over = w->seq == TOTAL;
		if (!over) {
			c->q.seq = w->seq++;
			c->q.last = w->seq == TOTAL;
		}
		pthread_mutex_unlock(&w->mu);
		if (over) {
			licit_ahead_give(&w->q, &c->q);
			break;
		}
		if (c->q.seq % 3 == 0) /* some take longer */
			sched_yield();
		c->value = c->q.seq * 7;
		licit_ahead_ready(&w->q, &c->q);
	}
	return NULL;
}

Test(ahead, chunks_come_out_in_input_order_from_two_threads)
{
	struct work w;
	licit_ahead_init(&w.q);
	pthread_mutex_init(&w.mu, NULL);
	w.seq = 0;
	for (int i = 0; i < NCHUNKS; i++)
		licit_ahead_give(&w.q, &w.chunk[i].q);
	pthread_t t[2];
	cr_assert_eq(licit_ahead_start(t, 2, fill, &w), 2);
	long want = 0;
	for (int last = 0; !last; want++) {
		struct chunk *c = (struct chunk *)licit_ahead_next(&w.q);
		cr_assert_eq(c->q.seq, want);
		cr_assert_eq(c->value, want * 7);
		last = c->q.last;
		licit_ahead_give(&w.q, &c->q);
	}
	cr_assert_eq(want, TOTAL);
	licit_ahead_stop(&w.q);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	licit_ahead_fini(&w.q);
	pthread_mutex_destroy(&w.mu);
}
