/* A bump allocator: many small allocations freed as one unit (a record,
 * a batch of rows, a JSON document's flattening). */
#ifndef LICIT_ARENA_H
#define LICIT_ARENA_H

#include <stddef.h>

struct licit_arena_block;

struct licit_arena {
	struct licit_arena_block *head; /* current block; older ones follow */
	size_t block_size;
};

void licit_arena_init(struct licit_arena *a, size_t block_size);
/* Returns NULL when memory runs out. Aligned for any scalar type. */
void *licit_arena_alloc(struct licit_arena *a, size_t n);
/* Copies s[0..n) and appends a NUL; NULL on allocation failure. */
char *licit_arena_strndup(struct licit_arena *a, const char *s, size_t n);
/* Frees every allocation but keeps the first block for reuse. */
void licit_arena_reset(struct licit_arena *a);
void licit_arena_fini(struct licit_arena *a);

#endif
