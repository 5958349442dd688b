/* licit's JSON parser (lib/io/json.c and json_skim.c) built a second time
 * in the including file, without SSE2 (its eight-bytes-at-a-time scalar
 * scans) and under other names (scalar_json_*), and the check that the
 * two builds read every text alike: the same tree down to the flags, the
 * same end, the same error. For the fuzz target and the differential
 * test over files. Include it after tests/json_vs_jansson.h. */
#ifndef LICIT_JSON_SCALAR_H
#define LICIT_JSON_SCALAR_H

#include "json_vs_jansson.h"

/* the scalar build's entry points (json.c calls some before it defines them) */
struct licit_json *scalar_json_parse_skipping(const char *s, size_t n, struct licit_arena *a,
                                              size_t *rest, const char *const *skip,
                                              struct licit_json_error *err);
struct licit_json *scalar_json_parse_how(const char *s, size_t n, struct licit_arena *a,
                                         size_t *rest, const char *const *skip,
                                         const struct licit_json_keep *keep, unsigned how,
                                         struct licit_json_error *err);

#define licit_json_parse scalar_json_parse
#define licit_json_parse_skipping scalar_json_parse_skipping
#define licit_json_parse_keeping scalar_json_parse_keeping
#define licit_json_parse_how scalar_json_parse_how
#define licit_json_get_raw scalar_json_get_raw
#define licit_json_get scalar_json_get
#define licit_json_double scalar_json_double
#define licit_json_integer scalar_json_integer
#define licit_json_plain_number scalar_json_plain_number
#define licit_json_equal scalar_json_equal
#define licit_json_dump scalar_json_dump
#define licit_json_skim scalar_json_skim
#ifdef __SSE2__
#define LICIT_JSON_SCALAR_HAD_SSE2
#undef __SSE2__
#endif
#include "../lib/io/json.c"
#include "../lib/io/json_skim.c"
#ifdef LICIT_JSON_SCALAR_HAD_SSE2
#define __SSE2__ 1
#endif
#undef licit_json_parse
#undef licit_json_parse_skipping
#undef licit_json_parse_keeping
#undef licit_json_parse_how
#undef licit_json_get_raw
#undef licit_json_get
#undef licit_json_double
#undef licit_json_integer
#undef licit_json_plain_number
#undef licit_json_equal
#undef licit_json_dump
#undef licit_json_skim

/* 0 when both builds read s[0..n) alike in every way of parsing (whole,
 * skip, keep; skimmed and token by token; with and without rest), else a
 * reason. */
static inline const char *jvj_scalar_same(const char *s, size_t n, const char *const *skip,
                                          const struct licit_json_keep *keep)
{
	const char *why = NULL;
	struct licit_arena a;
	licit_arena_init(&a, 1 << 16);
	for (int way = 0; way < 8 && !why; way++) {
		const char *const *sk = way & 1 ? skip : NULL;
		const struct licit_json_keep *kp = way & 2 ? keep : NULL;
		unsigned how = way & 4 ? LICIT_JSON_TOKENS : 0;
		if (sk && kp)
			continue; /* one or the other */
		for (int with_rest = 0; with_rest < 2 && !why; with_rest++) {
			struct licit_json_error e1, e2;
			size_t r1 = 0, r2 = 0;
			const struct licit_json *x =
				licit_json_parse_how(s, n, &a, with_rest ? &r1 : NULL, sk, kp, how, &e1);
			const struct licit_json *y =
				scalar_json_parse_how(s, n, &a, with_rest ? &r2 : NULL, sk, kp, how, &e2);
			if (!x != !y)
				why = "SSE2 and scalar builds: one reads it, the other does not";
			else if (x && (r1 != r2 || !jvj_same_tree(x, y)))
				why = "SSE2 and scalar builds: the trees differ";
			else if (!x && (e1.pos != e2.pos || e1.line != e2.line ||
			                e1.column != e2.column || e1.utf8 != e2.utf8 ||
			                strcmp(e1.text, e2.text) != 0))
				why = "SSE2 and scalar builds: the errors differ";
		}
	}
	licit_arena_fini(&a);
	return why;
}

#endif
