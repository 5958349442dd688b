/* Normalising on several threads: the calling thread reads rows into
 * batches, worker threads normalise each batch and write its output
 * records into memory, and the calling thread hands the batches on in
 * input order. Every row is normalised on its own (the normaliser keeps no
 * state from one row to the next but caches of pure functions), so the
 * output bytes and the problems, in their order, are the same for any
 * number of threads as for one.
 *
 * Ownership: the pool owns its normalisers, writers and batches; the
 * reader and the sink's context stay the caller's. Callbacks run on the
 * calling thread only. */
#ifndef LICIT_NORMALISE_POOL_H
#define LICIT_NORMALISE_POOL_H

#include <stddef.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"
#include "licit/normalise/normalise.h"

struct licit_norm_pool;

/* Where the results go, in input order, on the calling thread. */
struct licit_norm_sink {
	/* a problem of the row with this record number: the reader's first
	 * (licit_row_diags), then the normaliser's (licit_normaliser_row) */
	void (*problem)(void *ctx, const struct licit_diag *d, long recno);
	/* output bytes of whole records; LICIT_ERR stops the run */
	int (*bytes)(void *ctx, const char *p, size_t n);
	/* one row read (progress) */
	void (*read)(void *ctx, const struct licit_reader *r);
	void *ctx;
};

/* A pool of `threads` workers (at least 1), each with its own normaliser
 * from o, writing records as fmt (CSV, TSV, JSON Lines) with these column
 * names, and no header (the caller writes it). NULL with err filled when
 * a table cannot be loaded or memory runs out. */
struct licit_norm_pool *licit_norm_pool_new(const struct licit_norm_opts *o, int threads,
                                            enum licit_format fmt,
                                            const char *const *names, size_t n,
                                            struct licit_error *err);
void licit_norm_pool_free(struct licit_norm_pool *p); /* accepts NULL */

/* Keeps only the records for which keep(ctx, values) is 1 (called on the
 * workers' threads: it must only read its arguments); the problems of the
 * others are dropped with them. */
void licit_norm_pool_keep(struct licit_norm_pool *p, int (*keep)(void *ctx, const char *const *v),
                          void *ctx);

/* Binds every worker's normaliser to r (licit_normaliser_bind), the
 * first one's warnings going to fn: LICIT_OK, or LICIT_ERR with err. */
int licit_norm_pool_bind(struct licit_norm_pool *p, const struct licit_reader *r,
                         licit_diag_fn fn, void *ctx, struct licit_error *err);
/* The layout bound last ("compranet", ...). */
const char *licit_norm_pool_layout(const struct licit_norm_pool *p);

/* Reads r to its end, normalising every row. *rows counts the records
 * handed to the sink. LICIT_OK at the end of input, or LICIT_ERR (err
 * filled) after the rows read before the failure have been handed on.
 * Records left out by keep are not counted. */
int licit_norm_pool_run(struct licit_norm_pool *p, struct licit_reader *r, const char *source,
                        const struct licit_norm_sink *s, long long *rows,
                        struct licit_error *err);

#endif
