/* Bump allocator in linked blocks. */
#include "licit/core/arena.h"

#include <stdlib.h>
#include <string.h>

struct licit_arena_block {
	struct licit_arena_block *next;
	size_t size, used;
	max_align_t data[];
};

void licit_arena_init(struct licit_arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 65536;
}

void *licit_arena_alloc(struct licit_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	struct licit_arena_block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > a->block_size ? n : a->block_size;
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

char *licit_arena_strndup(struct licit_arena *a, const char *s, size_t n)
{
	char *p = licit_arena_alloc(a, n + 1);
	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

void licit_arena_reset(struct licit_arena *a)
{
	struct licit_arena_block *b = a->head;
	if (!b)
		return;
	/* keep the oldest block (the last in the list): it is block_size */
	while (b->next) {
		struct licit_arena_block *next = b->next;
		free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
}

void licit_arena_fini(struct licit_arena *a)
{
	struct licit_arena_block *b = a->head;
	while (b) {
		struct licit_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}
