/* libFuzzer target: licit's JSON parser against jansson on the same
 * bytes (tests/json_vs_jansson.h), plus the writer: what licit reads and
 * writes back, it reads again to the same values; and the parse that
 * skips members reads what the full parse reads (and, as its strings are
 * not checked as UTF-8, perhaps more). */
#include <stdint.h>
#include <string.h>

#include "../json_vs_jansson.h"

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
		if (rest > size)
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
	licit_arena_fini(&a);
	return 0;
}
