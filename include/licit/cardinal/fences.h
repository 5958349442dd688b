/* Cardinal's fence indicators over shards (licit flags --format cardinal
 * --partial / --merge / --fences; licit-scale(7)). R024 and R058 flag
 * processes against fences made of every process's price ratio; R025,
 * R038 and R048 flag parties whose counts add up over every process. A
 * run cut into shards by ocid gives the single run's results in three
 * phases:
 *
 *   1. each shard: licit_cardinal_partial_write after its releases (the
 *      ratios, and the parties' counts);
 *   2. once: licit_cardinal_partial_merge of every partial file, then
 *      licit_cardinal_fences_write (the quartiles of all the ratios, and
 *      the parties' counts summed);
 *   3. each shard again: licit_cardinal_fences_load before its releases;
 *      finish and write then give the shard's results of the single run
 *      (its processes, and every party of R025, R038, R048).
 *
 * Both files are CSV in the frame of licit/io/partial.h; the options
 * text is the enabled fence indicators and their settings. */
#ifndef LICIT_CARDINAL_FENCES_H
#define LICIT_CARDINAL_FENCES_H

#include <stdio.h>

#include "licit/cardinal/cardinal.h"

int licit_cardinal_partial_write(struct licit_cardinal *c, FILE *f, struct licit_error *err);
int licit_cardinal_partial_merge(struct licit_cardinal *c, FILE *f, const char *name,
                                 struct licit_error *err);
int licit_cardinal_fences_write(struct licit_cardinal *c, FILE *f, struct licit_error *err);
int licit_cardinal_fences_load(struct licit_cardinal *c, FILE *f, const char *name,
                               struct licit_error *err);

#endif
