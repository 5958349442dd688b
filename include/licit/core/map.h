/* A string-keyed hash map that numbers its keys densely in insertion
 * order (0, 1, 2, ...): callers keep per-key state in parallel arrays
 * indexed by that number, and iterate in a deterministic order. Keys
 * are copied. */
#ifndef LICIT_MAP_H
#define LICIT_MAP_H

#include <stddef.h>

struct licit_map;

struct licit_map *licit_map_new(void);
void licit_map_free(struct licit_map *m); /* accepts NULL */

/* The key's number, inserting the key if absent (*added = 1 then; added
 * may be NULL). -1 when memory runs out. */
long licit_map_put(struct licit_map *m, const char *key, size_t len, int *added);
/* The key's number, or -1 if absent. */
long licit_map_get(const struct licit_map *m, const char *key, size_t len);
size_t licit_map_count(const struct licit_map *m);
/* The key numbered i (NUL-terminated), and its length. */
const char *licit_map_key(const struct licit_map *m, size_t i, size_t *len);

/* 64-bit FNV-1a, for callers that hash composite keys themselves. */
unsigned long long licit_hash(const void *data, size_t len);

#endif
