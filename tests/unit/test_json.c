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
