/* --summary in Cardinal mode: per indicator, how many contracting
 * processes it flagged, did not flag, and could not compute, and why (the
 * first field the indicator needs that the process lacks). The fields are
 * the ones Cardinal's methodology names; each is needed for a flag, so a
 * flagged process is never counted as not computable. */
#ifndef LICIT_CARDINAL_SUMMARY_H
#define LICIT_CARDINAL_SUMMARY_H

#include <stdio.h>

#include "licit/cardinal/cardinal.h"
#include "licit/io/json.h"

struct licit_cardinal_summary;

struct licit_cardinal_summary *licit_cardinal_summary_new(void);
void licit_cardinal_summary_free(struct licit_cardinal_summary *s);
/* One process that passed Cardinal's filters (an ocid, not cancelled,
 * not excluded), for the indicators enabled. */
void licit_cardinal_summary_take(struct licit_cardinal_summary *s, const int *enabled,
                                 const struct licit_json *release);
/* The reason a process is not computable for indicator i, or NULL. */
const char *licit_cardinal_missing(enum licit_cardinal_ind i, const struct licit_json *release);
/* Writes one line per enabled indicator; flagged[i] is the number of
 * processes with a result for i (OCID group), tenderers[i] of tenderers,
 * buyers[i] of buyers and procuring entities. */
void licit_cardinal_summary_write(const struct licit_cardinal_summary *s, const int *enabled,
                                  const long *flagged, const long *tenderers,
                                  const long *buyers, FILE *f);

#endif
