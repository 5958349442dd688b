/* OCDS: finding releases in any packaging, compiling releases into one
 * compiled release, and flattening a compiled release into canonical
 * rows (one per contract, or per award where no contract exists). */
#ifndef LICIT_OCDS_H
#define LICIT_OCDS_H

#include "licit/core/arena.h"
#include "licit/core/error.h"
#include "licit/io/json.h"
#include "licit/io/reader.h"
#include "licit/record/schema.h"

/* Called once per compiled release. `release` is borrowed for the call.
 * `index` is the 1-based position of the release or record in the value
 * walked. `note` is NULL, or says how the release was obtained when that
 * deserves a warning (e.g. compiled from linked releases only).
 * A non-zero return stops the walk and is returned by licit_ocds_walk. */
typedef int (*licit_ocds_release_fn)(void *ctx, const struct licit_json *release,
                                     long index, const char *note);

/* Walks a JSON value: a release package (releases sharing an ocid are
 * compiled together, in date order), a record package (each record's
 * compiledRelease, else its releases compiled), a single record, a single
 * release, or an array of any of these. Compiled releases live in `a`.
 * Returns 0, the callback's non-zero value, or -1 with err filled when
 * the value is not OCDS. */
int licit_ocds_walk(const struct licit_json *value, struct licit_arena *a,
                    licit_ocds_release_fn fn, void *ctx, struct licit_error *err);

/* 1 when the value looks like OCDS (package, record or release). */
int licit_ocds_detect(const struct licit_json *value);

/* Merges releases r[0..n) into a compiled release (in `a`; it shares the
 * releases' values, which must outlive it) following the OCDS merge
 * rules: releases in date order (equal dates: in the order given),
 * objects merged field by field, arrays of objects with an "id" merged
 * by id, other arrays and values replaced, null removing a field. NULL
 * when memory runs out. */
const struct licit_json *licit_ocds_compile(const struct licit_json *const *r, size_t n,
                                            struct licit_arena *a);

/* Called once per canonical row. vals is indexed by enum licit_field; a
 * NULL entry means empty. Problems describe what could not be flattened
 * cleanly. A non-zero return stops the flattening. Once more with vals
 * NULL, after the last row, when the release gave no row but has
 * problems of its own (a value of the wrong type): they belong to no row. */
typedef int (*licit_ocds_row_fn)(void *ctx, const char *const *vals,
                                 const struct licit_problem *problems,
                                 size_t nproblems);

/* Flattens a compiled release into rows; strings it makes live in `a`.
 * An award that no contract implements is a row when it is active (or
 * has no status); pending, cancelled and unsuccessful ones are counted in
 * *inactive (may be NULL) instead. Returns the number of rows emitted,
 * or -1 on allocation failure or when the callback stopped it. */
int licit_ocds_flatten(const struct licit_json *release, struct licit_arena *a,
                       licit_ocds_row_fn fn, void *ctx, long *inactive);

/* Member names that neither walking, compiling nor flattening ever read
 * (NULL-terminated): a parser may leave them out. */
extern const char *const licit_ocds_flatten_unread[];

/* 1 for a single release (not a package or record) that is not already
 * a compiled release (its tag does not say "compiled"). */
int licit_ocds_is_plain_release(const struct licit_json *value);
/* 1 for a single release, compiled or not (not a package or record). */
int licit_ocds_is_release(const struct licit_json *value);

#endif
