/* Unit tests of the fingerprint set (licit/core/fpset.h). */
#include <criterion/criterion.h>
#include <string.h>

#include "licit/core/fpset.h"
#include "licit/core/map.h"

Test(fpset, keys_values_and_growth)
{
	struct licit_fpset *s = licit_fpset_new(4);
	cr_assert_not_null(s);
	enum { N = 300000 };
	for (uint32_t i = 0; i < N; i++) {
		int added;
		unsigned char *v = licit_fpset_put(s, licit_mix64(i), licit_mix64(i + N), &added);
		cr_assert(v && added);
		memcpy(v, &i, 4);
		/* the same top 64 bits, another low half: another key */
		v = licit_fpset_put(s, licit_mix64(i), licit_mix64(i + 2 * N), &added);
		cr_assert(v && added);
		uint32_t w = i + N;
		memcpy(v, &w, 4);
	}
	cr_assert_eq(licit_fpset_count(s), 2 * N);
	for (uint32_t i = 0; i < N; i++) {
		int added;
		uint32_t got;
		unsigned char *v = licit_fpset_put(s, licit_mix64(i), licit_mix64(i + N), &added);
		cr_assert(v && !added);
		memcpy(&got, v, 4);
		cr_assert_eq(got, i);
		v = licit_fpset_get(s, licit_mix64(i), licit_mix64(i + 2 * N));
		cr_assert_not_null(v);
		memcpy(&got, v, 4);
		cr_assert_eq(got, i + N);
		cr_assert_null(licit_fpset_get(s, licit_mix64(i), licit_mix64(i + 3 * N)));
		cr_assert_null(licit_fpset_get(s, licit_mix64(i + 5 * N), licit_mix64(i + N)));
	}
	cr_assert_eq(licit_fpset_count(s), 2 * N);
	licit_fpset_free(s);
}

Test(fpset, empty_and_zero_value_size)
{
	struct licit_fpset *s = licit_fpset_new(0);
	cr_assert_null(licit_fpset_get(s, 1, 2));
	int added;
	cr_assert_not_null(licit_fpset_put(s, 0, 0, &added));
	cr_assert(added);
	cr_assert_not_null(licit_fpset_get(s, 0, 0));
	cr_assert_eq(licit_fpset_count(s), 1);
	licit_fpset_free(s);
	licit_fpset_free(NULL);
}
