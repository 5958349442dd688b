/* The growable array: one way to make room in a realloc'd array.
 *
 * The caller keeps a pointer, a count and a capacity (in elements):
 *
 *     struct rate *rates = NULL; size_t n = 0, cap = 0;
 *     if (LICIT_GROW(rates, cap, n + 1) != LICIT_OK) return LICIT_ERR;
 *     rates[n++] = r;
 *     ...
 *     free(rates);
 *
 * New elements are zeroed. On failure the array, its elements and cap
 * are unchanged (the caller still frees the array). */
#ifndef LICIT_ARRAY_H
#define LICIT_ARRAY_H

#include <stddef.h>

/* Makes *(T **)pp hold at least need elements of elem bytes, *cap being
 * its capacity: doubles it (at least 16), zeroes the new elements.
 * LICIT_OK, or LICIT_ERR when memory runs out or the size overflows. */
int licit_grow(void *pp, size_t *cap, size_t need, size_t elem);

/* Resizes *(T **)pp from old to n elements (n > old: the new ones are
 * zeroed), for parallel arrays that share one capacity. LICIT_OK or
 * LICIT_ERR (then unchanged). */
int licit_resize(void *pp, size_t old, size_t n, size_t elem);

/* The capacity licit_grow would choose for need from cap (cap when it
 * already holds need; 0 when it would overflow elem-byte elements). */
size_t licit_grow_cap(size_t cap, size_t need, size_t elem);

/* calloc for a hash table: the zeroes written at once, so that each page
 * is made by a plain write fault. A calloc'd table whose slots are read
 * before they are written maps the shared zero page first, and each
 * page's first write then costs a copy-on-write fault that, while other
 * threads of the run are on other cores, stops them all to flush their
 * TLBs (7 % of the CPU of kpi -j 2 on the bench file). NULL when memory
 * runs out or n * elem overflows. */
void *licit_zeroed(size_t n, size_t elem);

#define LICIT_GROW(p, cap, need) licit_grow(&(p), &(cap), (need), sizeof *(p))

#endif
