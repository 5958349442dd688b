/* libFuzzer target: licit's JSON parser against jansson on the same
 * bytes (tests/json_vs_jansson.h), plus the writer: what licit reads and
 * writes back, it reads again to the same values; and the parse that
 * skips members reads what the full parse reads (and, as its strings are
 * not checked as UTF-8, perhaps more); and those parses give the same
 * tree, end and error whether the values they leave out are skimmed
 * (lib/io/json_skim.c: SSE2 string scans, a scalar tail) or read token
 * by token; and the build without SSE2 (tests/json_scalar.h) reads it as
 * the SSE2 build does. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../json_scalar.h"

/* 1 when k is v with only the members keep names (at their level) */
static int kept_equal(const struct licit_json *v, const struct licit_json *k,
                      const struct licit_json_keep *keep)
{
	if (!keep)
		return licit_json_equal(v, k);
	if (v->type != k->type)
		return 0;
	if (v->type == LICIT_JSON_ARRAY) {
		if (v->n != k->n)
			return 0;
		for (uint32_t i = 0; i < v->n; i++)
			if (!kept_equal(&v->u.items[i], &k->u.items[i], keep))
				return 0;
		return 1;
	}
	if (v->type != LICIT_JSON_OBJECT)
		return licit_json_equal(v, k);
	uint32_t j = 0;
	for (uint32_t i = 0; i < v->n; i++) {
		const struct licit_json_member *m = &v->u.members[i];
		const struct licit_json_keep *e = keep;
		while (e->name && strcmp(e->name, m->key) != 0)
			e++;
		if (!e->name)
			continue;
		if (j == k->n || strcmp(k->u.members[j].key, m->key) != 0 ||
		    !kept_equal(&m->v, &k->u.members[j].v, e->keep))
			return 0;
		j++;
	}
	return j == k->n;
}

/* 1 when every number of v reads as strtod reads its text, bit for bit
 * (licit_json_double has a fast path of its own) */
static int doubles_as_strtod(const struct licit_json *v)
{
	if (v->type == LICIT_JSON_NUMBER) {
		double got = licit_json_double(v), want = strtod(v->u.s, NULL);
		return isnan(got) ? isinf(want) : memcmp(&got, &want, sizeof got) == 0;
	}
	for (uint32_t i = 0; v->type == LICIT_JSON_ARRAY && i < v->n; i++)
		if (!doubles_as_strtod(&v->u.items[i]))
			return 0;
	for (uint32_t i = 0; v->type == LICIT_JSON_OBJECT && i < v->n; i++)
		if (!doubles_as_strtod(&v->u.members[i].v))
			return 0;
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (json_vs_jansson((const char *)data, size))
		__builtin_trap();
	struct licit_arena a;
	licit_arena_init(&a, 1 << 16);
	struct licit_json_error e;
	size_t rest;
	const struct licit_json *v = licit_json_parse((const char *)data, size, &a, &rest, &e);
	if (v) {
		if (rest > size || !doubles_as_strtod(v))
			__builtin_trap();
		char *text = licit_json_dump(v, &a);
		const struct licit_json *again = text ? licit_json_parse(text, strlen(text), &a, NULL, &e) : NULL;
		if (text && (!again || !licit_json_equal(v, again)))
			__builtin_trap();
	}
	static const char *const skip[] = {"a", "parties", "", NULL};
	struct licit_json_error e2;
	const struct licit_json *w = licit_json_parse_skipping((const char *)data, size, &a,
	                                                       NULL, skip, &e2);
	const struct licit_json *full = licit_json_parse((const char *)data, size, &a, NULL, &e);
	if ((full && !w) || (w && !full && !e.utf8))
		__builtin_trap();
	/* keeping: accepts what the full parse accepts, and keeps of it
	 * exactly the members named (an array's items as the array) */
	static const struct licit_json_keep inner[] = {{"b", NULL}, {"", NULL}, {NULL, NULL}};
	static const struct licit_json_keep keep[] = {{"a", inner}, {"c", NULL}, {NULL, NULL}};
	const struct licit_json *k = licit_json_parse_keeping((const char *)data, size, &a, NULL,
	                                                      keep, &e2);
	if ((full && !k) || (k && !full && !e.utf8))
		__builtin_trap();
	if (full && k && !kept_equal(full, k, keep))
		__builtin_trap();
	if (jvj_skim_same((const char *)data, size, skip, NULL) ||
	    jvj_skim_same((const char *)data, size, NULL, keep) ||
	    jvj_skim_same((const char *)data, size, jvj_ocds_skip, NULL) ||
	    jvj_skim_same((const char *)data, size, NULL, jvj_ocds_keep) ||
	    jvj_scalar_same((const char *)data, size, skip, keep) ||
	    jvj_scalar_same((const char *)data, size, jvj_ocds_skip, jvj_ocds_keep))
		__builtin_trap();
	licit_arena_fini(&a);
	return 0;
}
