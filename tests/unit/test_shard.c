/* Unit tests of stable shards (licit/record/shard.h). The pinned values
 * are the on-disk contract: shards written by one licit version are read
 * by another, on other machines. A change here is a change of licit-scale(7). */
#include <criterion/criterion.h>
#include <string.h>

#include "licit/core/error.h"
#include "licit/record/shard.h"

static int shard1(const char *key, int n)
{
	size_t len = strlen(key);
	const char *v[1] = {key};
	return licit_shard_of(v, &len, 1, n);
}

Test(shard, pinned_values)
{
	static const struct { const char *key; int n2, n16, n65536; } t[] = {
		{"", 1, 15, 13391},          {"IMSS", 0, 14, 9470},
		{"ISSSTE", 1, 13, 40109},    {"051GYN012", 0, 2, 42258},
		{"ABC010101AB1", 1, 7, 22823},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		cr_assert_eq(shard1(t[i].key, 2), t[i].n2, "%s", t[i].key);
		cr_assert_eq(shard1(t[i].key, 16), t[i].n16, "%s", t[i].key);
		cr_assert_eq(shard1(t[i].key, 65536), t[i].n65536, "%s", t[i].key);
	}
	/* two fields are their values joined by 0x1F */
	const char *v[2] = {"a", "b"};
	size_t len[2] = {1, 1};
	cr_assert_eq(licit_shard_of(v, len, 2, 65536), 6710);
	cr_assert_eq(shard1("a\x1f" "b", 65536), 6710);
	cr_assert_eq(shard1("anything", 1), 0);
}

Test(shard, spec_and_key)
{
	int i, n;
	char why[160];
	cr_assert_eq(licit_shard_spec_parse("3/16", &i, &n, why, sizeof why), LICIT_OK);
	cr_assert_eq(i, 2);
	cr_assert_eq(n, 16);
	cr_assert_eq(licit_shard_spec_parse("17/16", &i, &n, why, sizeof why), LICIT_ERR);
	cr_assert_eq(licit_shard_spec_parse("0/16", &i, &n, why, sizeof why), LICIT_ERR);
	cr_assert_eq(licit_shard_spec_parse("1/65537", &i, &n, why, sizeof why), LICIT_ERR);
	cr_assert_eq(licit_shard_spec_parse("3", &i, &n, why, sizeof why), LICIT_ERR);
	struct licit_shard_key k;
	cr_assert_eq(licit_shard_key_parse("buyer", &k, why, sizeof why), LICIT_OK);
	cr_assert_eq(k.nfields, 0);
	cr_assert_eq(licit_shard_key_parse("buyer_id,supplier_id", &k, why, sizeof why), LICIT_OK);
	cr_assert_eq(k.nfields, 2);
	cr_assert_eq(k.field[1], LICIT_F_SUPPLIER_ID);
	cr_assert_eq(licit_shard_key_parse("year", &k, why, sizeof why), LICIT_ERR);
	cr_assert_str_eq(why, "'year' is not a canonical field (licit-schema(5))");
	cr_assert_eq(licit_shard_key_parse("buyer_id,", &k, why, sizeof why), LICIT_ERR);
}

Test(shard, buyer_key_falls_back_to_the_name)
{
	const char *vals[LICIT_NFIELDS];
	for (int f = 0; f < LICIT_NFIELDS; f++)
		vals[f] = "";
	struct licit_shard_key k = {.nfields = 0};
	vals[LICIT_F_BUYER_NAME] = "IMSS";
	cr_assert_eq(licit_shard_of_values(&k, vals, 65536), 9470);
	vals[LICIT_F_BUYER_ID] = "ISSSTE";
	cr_assert_eq(licit_shard_of_values(&k, vals, 65536), 40109);
}

/* --shard-by key: dedupe's key, folded as its key rule folds it, so that
 * the ids it takes for one ("P-1" and "p 1") share a shard; a value
 * longer than the fold's buffer is folded in pieces alike. */
Test(shard, dedupe_key_folded)
{
	struct licit_shard_key k;
	char why[160];
	cr_assert_eq(licit_shard_key_parse("key", &k, why, sizeof why), LICIT_OK);
	cr_assert(k.fold);
	cr_assert_eq(k.nfields, 2);
	cr_assert_eq(k.field[0], LICIT_F_PROCEDURE_ID);
	cr_assert_eq(k.field[1], LICIT_F_CONTRACT_ID);
	cr_assert_eq(licit_shard_key_parse("key:contract_id", &k, why, sizeof why), LICIT_OK);
	cr_assert(k.fold);
	cr_assert_eq(k.nfields, 1);
	cr_assert_eq(licit_shard_key_parse("key:", &k, why, sizeof why), LICIT_ERR);
	cr_assert_eq(licit_shard_key_parse("key:year", &k, why, sizeof why), LICIT_ERR);
	cr_assert_eq(licit_shard_key_parse("procedure_id", &k, why, sizeof why), LICIT_OK);
	cr_assert_not(k.fold);

	const char *values[LICIT_NFIELDS];
	for (int f = 0; f < LICIT_NFIELDS; f++)
		values[f] = "";
	struct licit_shard_key key;
	licit_shard_key_parse("key", &key, why, sizeof why);
	static char longa[3000], longb[3000];
	for (int i = 0; i < 2999; i++) {
		longa[i] = i % 7 == 6 ? '-' : "AbcDe"[i % 5];
		longb[i] = longa[i] == '-' ? ' ' : longa[i];
	}
	static const char *const same[][4] = {
		{"P-1", "C-1", "p 1", " c 1 "},
		{"LA-051GYN012-E3-2015", "Ñandú", "la 051gyn012 e3 2015", "nandu"},
		{longa, "x", longb, "X"},
	};
	int differ = 0;
	for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
		values[LICIT_F_PROCEDURE_ID] = same[i][0];
		values[LICIT_F_CONTRACT_ID] = same[i][1];
		int a = licit_shard_of_values(&key, values, 65536);
		values[LICIT_F_PROCEDURE_ID] = same[i][2];
		values[LICIT_F_CONTRACT_ID] = same[i][3];
		cr_assert_eq(licit_shard_of_values(&key, values, 65536), a, "%zu", i);
		/* the folded key is what is hashed */
		const char *f[1] = {i == 0 ? "p 1\x1f" "c 1" : NULL};
		size_t fl[1] = {7};
		if (i == 0)
			cr_assert_eq(licit_shard_of(f, fl, 1, 65536), a);
		struct licit_shard_key raw;
		licit_shard_key_parse("procedure_id,contract_id", &raw, why, sizeof why);
		differ += licit_shard_of_values(&raw, values, 65536) != a;
	}
	cr_assert_gt(differ, 0, "unfolded ids would split these rows");
}
