/* Field coverage, as Cardinal's `coverage` counts it: how many times each
 * JSON path holds a non-empty value. Empty values are "", [], {}, null
 * and anything that holds only empty values. The "" path is a line; a
 * path ending with "/" is an object, with "[]" an array item; other paths
 * are object members ("/tender/id"). Of members with the same name in
 * one object, the last one counts, at the place of the first. */
#ifndef LICIT_COVERAGE_H
#define LICIT_COVERAGE_H

#include <stddef.h>

#include "licit/io/json.h"

struct licit_coverage;

struct licit_coverage *licit_coverage_new(void);
void licit_coverage_free(struct licit_coverage *c);

/* Counts one line's value; -1 when memory runs out. */
int licit_coverage_add(struct licit_coverage *c, const struct licit_json *v);

/* Paths in the order they were first counted (a member before its
 * object, as Cardinal), with their counts. */
size_t licit_coverage_count(const struct licit_coverage *c);
const char *licit_coverage_path(const struct licit_coverage *c, size_t i, size_t *len);
unsigned long long licit_coverage_n(const struct licit_coverage *c, size_t i);

#endif
