/* Records that grow with the rows, kept on disk until settle (private
 * to lib/flags): pass 1 appends fixed-size records (a tally's
 * fingerprints, MX-SPLIT's candidates) to a temporary file through a
 * small buffer; settle then hands them to the caller one partition at a
 * time, each holding every record of the keys that hash to it and at
 * most about the budget (PARTS_BUDGET bytes), so that memory stays
 * bounded by the budget, not by the rows. Inputs whose records fit in
 * the buffer never touch the disk (one partition).
 *
 * A file over the budget is read once, not once per partition: its
 * records are split by their keys' hashes into at most PARTS_FAN
 * temporary files, and a file still over the budget is split again the
 * same way. So each record is written and read once per level, and a
 * second level is needed only past PARTS_FAN budgets (256 MB of
 * records); at most PARTS_FAN files of a level are open at once. */
#ifndef LICIT_FLAGS_PARTS_H
#define LICIT_FLAGS_PARTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PARTS_BUDGET ((size_t)4 << 20) /* bytes of records in memory at settle */
#define PARTS_FAN 64                   /* files one split writes */

struct parts {
	size_t elem;   /* bytes of a record */
	size_t budget; /* bytes of a partition (0: PARTS_BUDGET) */
	char *buf;     /* records not yet written */
	size_t bufsz;  /* its bytes (0: 64 KiB) */
	size_t nbuf;   /* in buf */
	size_t n;      /* in all */
	FILE *f;       /* the temporary file, once buf filled up */
	int error;     /* a write failed */
};

/* Zeroed with elem set is empty. LICIT_OK, or LICIT_ERR (memory, the
 * temporary file), errno telling which (licit_flags_failed). */
int parts_add(struct parts *p, const void *rec);
/* fn(ctx, recs, n) for each partition: the records whose key(rec)
 * hashes to it, in the order they came; recs may be reordered by fn.
 * A partition holds at most a quarter more than the budget, unless the
 * records of one key exceed it.
 * LICIT_OK, LICIT_ERR when memory runs out or the file cannot be read,
 * or fn's failure (non-zero). The records stay for another call. */
int parts_each(struct parts *p, uint64_t (*key)(const void *rec),
               int (*fn)(void *ctx, void *recs, size_t n), void *ctx);
/* fn(ctx, recs, n) over every record in the order they came, a buffer
 * at a time (-j N: a job's records added to the main engine's). The
 * same return values as parts_each. */
int parts_scan(struct parts *p, int (*fn)(void *ctx, const void *recs, size_t n), void *ctx);
void parts_fini(struct parts *p);

#endif
