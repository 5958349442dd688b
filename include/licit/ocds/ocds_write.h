/* OCDS output: canonical records grouped by ocid (whatever their order,
 * in bounded memory) and written as compiled releases, one JSON object per
 * line, in byte order of ocid. The mapping from canonical fields to OCDS
 * paths is in licit-normalise(1); a value that no OCDS path gives back
 * exactly is kept in the contract's "licit" object, so that reading the
 * output again gives the same canonical records. */
#ifndef LICIT_OCDS_WRITE_H
#define LICIT_OCDS_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"

struct licit_ocds_writer;

/* Releases go to f (borrowed); memory is the grouping budget (0: the
 * default of licit_ocid_sort). NULL when out of memory. */
struct licit_ocds_writer *licit_ocds_writer_new(FILE *f, size_t memory);
/* One canonical record (LICIT_NFIELDS values). LICIT_OK, or LICIT_ERR
 * with err filled (a temporary file could not be written). */
int licit_ocds_writer_row(struct licit_ocds_writer *w, const char *const *vals,
                          struct licit_error *err);
/* Groups, writes every release and frees w; LICIT_ERR with err filled on
 * a write or temporary-file failure. */
int licit_ocds_writer_close(struct licit_ocds_writer *w, struct licit_error *err);
/* Frees w writing nothing (a failed run). */
void licit_ocds_writer_discard(struct licit_ocds_writer *w);

#endif
