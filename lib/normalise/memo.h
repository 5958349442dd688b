/* The normaliser's cache of cleaned values (memo.c). Not installed.
 *
 * Categorical values, names and supplier keys repeat from row to row:
 * each table keeps, for the raw values seen last, the cleaned value and
 * the problem it gave. A table is 2-way set associative (the value used
 * last stays, the older one of its set goes), so that a few thousand
 * distinct values mostly stay. A lookup's answer is correct whatever the
 * cache holds: a miss only costs the cleaning. */
#ifndef LICIT_NORM_MEMO_H
#define LICIT_NORM_MEMO_H

#include <stddef.h>

struct norm_memo;

/* A cache of `tables` tables; NULL when memory runs out (then there is
 * no cache, which is no failure). */
struct norm_memo *norm_memo_new(size_t tables);
void norm_memo_free(struct norm_memo *m); /* accepts NULL */

/* The hash a lookup and a keep of the same value share. */
unsigned long long norm_memo_hash(const char *raw, size_t len);
/* The cleaned value kept for raw[0..len) in table t, or NULL; *problem is
 * the problem text kept with it (NULL for none). */
const char *norm_memo_get(struct norm_memo *m, size_t t, unsigned long long h, const char *raw,
                          size_t len, const char **problem);
/* Keeps out and problem (NULL: none) for raw in table t. Returns the kept
 * copy of out, or out itself when memory runs out. */
const char *norm_memo_put(struct norm_memo *m, size_t t, unsigned long long h, const char *raw,
                          size_t len, const char *out, const char *problem);

#endif
