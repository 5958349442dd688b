/* libFuzzer target: licit bidprotest-stats --merge's reader of partial
 * files. The first byte picks the grouping of the merge (entity_id;
 * entity_id and year; buyer_id and stage), the rest is the partial file;
 * what merges is then finished and every row's measures made, as the
 * merge does. */
#include "fuzz_file.h"

#include "licit/protest/protest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const enum licit_protest_key keys[3][2] = {
		{LICIT_PKEY_ENTITY}, {LICIT_PKEY_ENTITY, LICIT_PKEY_YEAR},
		{LICIT_PKEY_BUYER, LICIT_PKEY_STAGE}};
	static const size_t nkeys[3] = {1, 2, 2};
	int pick = data[0] % 3;
	struct licit_error err;
	struct licit_protest_stats *s = licit_protest_stats_new(keys[pick], nkeys[pick], &err);
	if (!s)
		abort();
	FILE *f = fopen(fuzz_file(data + 1, size - 1), "r");
	if (!f)
		abort();
	if (licit_protest_stats_merge(s, f, "fuzz", &err) == LICIT_OK &&
	    licit_protest_stats_finish(s, licit_protest_stats_merged_procedures(s), &err) ==
	            LICIT_OK) {
		struct licit_protest_measure m[LICIT_PM_MAX];
		for (size_t i = 0; i < licit_protest_stats_nrows(s); i++)
			licit_protest_measures(licit_protest_stats_row(s, i), 3, m);
		licit_protest_measures(licit_protest_stats_total(s), 3, m);
	}
	fclose(f);
	licit_protest_stats_free(s);
	return 0;
}
