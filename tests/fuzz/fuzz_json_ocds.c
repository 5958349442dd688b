/* libFuzzer target: OCDS over licit's JSON parser: walking any
 * packaging, compiling releases and flattening them to canonical rows;
 * every row value must be a string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/ocds/ocds.h"

static int on_row(void *ctx, const char *const *vals, const struct licit_problem *p,
                  size_t np)
{
	(void)ctx;
	for (size_t i = 0; vals && i < LICIT_NFIELDS; i++)
		if (vals[i] && strlen(vals[i]) > (1u << 24))
			__builtin_trap();
	for (size_t i = 0; i < np; i++)
		if (!p[i].text || !p[i].value || !p[i].field)
			__builtin_trap();
	return 0;
}

static int on_release(void *ctx, const struct licit_json *rel, long index, const char *note)
{
	(void)index;
	(void)note;
	long inactive = 0;
	licit_ocds_flatten(rel, ctx, on_row, NULL, &inactive);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct licit_arena a;
	licit_arena_init(&a, 1 << 16);
	struct licit_json_error e;
	const struct licit_json *v = licit_json_parse((const char *)data, size, &a, NULL, &e);
	if (v) {
		struct licit_error err;
		licit_error_clear(&err);
		licit_ocds_walk(v, &a, on_release, &a, &err);
		/* every item of an array compiled together, as JSON Lines are */
		if (v->type == LICIT_JSON_ARRAY && v->n > 0) {
			const struct licit_json **r = malloc(v->n * sizeof *r);
			for (uint32_t i = 0; r && i < v->n; i++)
				r[i] = &v->u.items[i];
			const struct licit_json *c = r ? licit_ocds_compile(r, v->n, &a) : NULL;
			if (c)
				on_release(&a, c, 1, NULL);
			free(r);
		}
	}
	licit_arena_fini(&a);
	return 0;
}
