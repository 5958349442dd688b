/* licit_json_parse_keeping: only the members named are built. */
#include <criterion/criterion.h>
#include <string.h>

#include "licit/io/json.h"

Test(json, keeping_builds_only_the_members_named)
{
	static const struct licit_json_keep id_only[] = {{"id", NULL}, {NULL, NULL}};
	static const struct licit_json_keep keep[] = {
		{"ocid", NULL}, {"awards", id_only}, {"tender", NULL}, {NULL, NULL}};
	const char *text = "{\"ocid\":\"x\",\"parties\":[{\"id\":1}],\"awards\":[{\"id\":\"a1\","
	                   "\"title\":\"t\"},{\"status\":\"active\",\"id\":\"a2\"}],"
	                   "\"tender\":{\"id\":\"t1\",\"items\":[1,2]},\"bad\":[\"\\u00e9\"]}";
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	struct licit_json_error e;
	const struct licit_json *v = licit_json_parse_keeping(text, strlen(text), &a, NULL, keep, &e);
	cr_assert_not_null(v, "%s", e.text);
	char *out = licit_json_dump(v, &a);
	cr_assert_str_eq(out, "{\"ocid\":\"x\",\"awards\":[{\"id\":\"a1\"},{\"id\":\"a2\"}],"
	                      "\"tender\":{\"id\":\"t1\",\"items\":[1,2]}}");
	/* what is left out is still checked as JSON */
	const char *broken = "{\"ocid\":\"x\",\"parties\":[{\"id\":1,}]}";
	cr_assert_null(licit_json_parse_keeping(broken, strlen(broken), &a, NULL, keep, &e));
	licit_arena_fini(&a);
}

/* The values left out are skimmed (lib/io/json_skim.c) unless
 * LICIT_JSON_TOKENS: the same tree, end and error either way, on the
 * cases skimming hands back to the token-by-token parser as on those it
 * takes. */
#include "../json_vs_jansson.h"

Test(json, skimmed_values_read_as_token_by_token)
{
	static const char *const texts[] = {
		"{\"a\":1,\"skip\":{\"x\":[1,2.5e-3,-0,true,false,null,\"s\"]},\"b\":2}",
		"{\"skip\":\"\\u0000\",\"a\":1}",
		"{\"skip\":[\"\\ud83d\\ude00\", \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"],\"a\":1}",
		"{\"skip\":\"\\udc00\"}", "{\"skip\":\"\\ud800x\"}", "{\"skip\":\"\\u12\"}",
		"{\"skip\":\"\\x\"}", "{\"skip\":\"a\tb\"}", "{\"skip\":\"abc", "{\"skip\":\"abc\\",
		"{\"skip\":-}", "{\"skip\":01}", "{\"skip\":1.}", "{\"skip\":1e}", "{\"skip\":1e+5}",
		"{\"skip\":tru}", "{\"skip\":nul}", "{\"skip\":[1,]}", "{\"skip\":{\"k\" 1}}",
		"{\"skip\":{\"k\":1,}}", "{\"skip\":{}, \"a\":[]}", "{\"skip\" : [ 1 , { } ] , \"a\" : 2 }",
		"{\"skip\":\"\xC3\x28 a string longer than sixteen bytes, not UTF-8\"}",
		"{\"skip\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]"
		"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
		"{\"skip\":[1,2]", "{\"skip\":[1,2]]", "{\"skip\":{\"k\":[}]}", "{\"skip\":",
		"{\"skip\":\"a very long string that runs over several sixteen-byte blocks\\n too\"}",
	};
	static const char *const skip[] = {"skip", NULL};
	static const struct licit_json_keep keep[] = {{"a", NULL}, {"b", NULL}, {NULL, NULL}};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		size_t n = strlen(texts[i]);
		const char *why = jvj_skim_same(texts[i], n, skip, NULL);
		cr_assert_null(why, "%s: %s", texts[i], why);
		why = jvj_skim_same(texts[i], n, NULL, keep);
		cr_assert_null(why, "%s: %s", texts[i], why);
		why = jvj_skim_same(texts[i], n, jvj_ocds_skip, NULL);
		cr_assert_null(why, "%s: %s", texts[i], why);
		why = jvj_skim_same(texts[i], n, NULL, jvj_ocds_keep);
		cr_assert_null(why, "%s: %s", texts[i], why);
	}
	/* nesting: the limit counts inside a skimmed value too */
	char deep[2 * LICIT_JSON_MAX_DEPTH + 32];
	size_t k = 0;
	k += (size_t)sprintf(deep, "{\"skip\":");
	for (int i = 0; i < LICIT_JSON_MAX_DEPTH; i++)
		deep[k++] = '[';
	for (int i = 0; i < LICIT_JSON_MAX_DEPTH; i++)
		deep[k++] = ']';
	deep[k++] = '}';
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	struct licit_json_error e;
	cr_assert_null(licit_json_parse_skipping(deep, k, &a, NULL, skip, &e));
	cr_assert(strstr(e.text, "nested deeper") != NULL, "%s", e.text);
	cr_assert_null(jvj_skim_same(deep, k, skip, NULL));
	/* a \u0000 in a skimmed string marks the root as in a read one */
	const struct licit_json *v = licit_json_parse_keeping(texts[1], strlen(texts[1]), &a, NULL,
	                                                      keep, &e);
	cr_assert_not_null(v, "%s", e.text);
	cr_assert(v->flags & LICIT_JSON_HAD_NUL);
	licit_arena_fini(&a);
}

/* licit_json_double's fast path (15 digits, no exponent) gives strtod's
 * double, bit for bit, and so does its strtod path. */
#include <stdio.h>
#include <stdlib.h>

static void same_as_strtod(const char *text)
{
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	struct licit_json_error e;
	const struct licit_json *v = licit_json_parse(text, strlen(text), &a, NULL, &e);
	cr_assert_not_null(v, "%s: %s", text, e.text);
	double got = licit_json_double(v), want = strtod(text, NULL);
	cr_assert(memcmp(&got, &want, sizeof got) == 0, "%s: %.17g, strtod %.17g", text, got, want);
	licit_arena_fini(&a);
}

Test(json, double_as_strtod)
{
	static const char *const texts[] = {
		"0", "-0", "0.0", "-0.0", "1", "-1", "0.1", "0.3", "1234.56", "409837", "-17.25",
		"999999999999999", "999999999999999.9", "0.000000000000001", "123456789012.345",
		"9007199254740993", "1e3", "1.5E-3", "0.1000000000000000055511151231257827",
		"00", "100000000000000000000000", "3.14159265358979"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
		if (strcmp(texts[i], "00") != 0) /* not JSON */
			same_as_strtod(texts[i]);
	/* numbers of 1 to 18 digits, at every scale, some with a zero
	 * integer part */
	unsigned long long x = 88172645463325252ULL;
	char text[40];
	for (int i = 0; i < 20000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		int ilen = 1 + (int)(x % 9), flen = (int)(x >> 4 & 0xF) % 10, k = 0;
		unsigned long long digits = x >> 12;
		if (x >> 8 & 1)
			text[k++] = '-';
		if (x >> 9 & 1) {
			text[k++] = '0';
		} else {
			text[k++] = (char)('1' + digits % 9);
			for (int d = 1; d < ilen; d++, digits /= 10)
				text[k++] = (char)('0' + digits % 10);
		}
		if (flen)
			text[k++] = '.';
		for (int d = 0; d < flen; d++, digits /= 7)
			text[k++] = (char)('0' + digits % 10);
		text[k] = '\0';
		same_as_strtod(text);
	}
}

/* The parser's member stack starts on the C stack and moves to the heap
 * past 64 members: a document with many on it at once reads whole. */
Test(json, many_members_at_once)
{
	char text[16384];
	size_t k = 0;
	k += (size_t)sprintf(text + k, "{\"a\":[");
	for (int i = 0; i < 1000; i++)
		k += (size_t)sprintf(text + k, "%s{\"k%d\":%d}", i ? "," : "", i, i);
	k += (size_t)sprintf(text + k, "],\"b\":\"end\"}");
	struct licit_arena a;
	licit_arena_init(&a, 4096);
	struct licit_json_error e;
	const struct licit_json *v = licit_json_parse(text, k, &a, NULL, &e);
	cr_assert_not_null(v, "%s", e.text);
	cr_assert_str_eq(licit_json_dump(v, &a), text);
	cr_assert_eq(licit_json_size(licit_json_get(v, "a")), 1000);
	licit_arena_fini(&a);
}
