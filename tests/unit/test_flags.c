/* Unit tests for the Mexican holiday calendar, the flags settings and
 * the row spool. */
#include <criterion/criterion.h>

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "licit/flags/flags.h"
#include "licit/flags/spool.h"
#include "licit/values/value.h"

static int holiday(const char *iso)
{
	long d;
	cr_assert_eq(licit_date_days(iso, &d), 0);
	return licit_holiday_mx(d);
}

Test(flags, lft_art74_holidays)
{
	cr_assert(holiday("2015-01-01"));
	cr_assert(holiday("2015-02-02"));  /* first Monday of February */
	cr_assert(holiday("2015-03-16"));  /* third Monday of March */
	cr_assert(holiday("2015-05-01"));
	cr_assert(holiday("2015-09-16"));
	cr_assert(holiday("2015-11-16"));  /* third Monday of November */
	cr_assert(holiday("2015-12-25"));
	cr_assert(holiday("2024-10-01"));  /* transmission of power, since 2024 */
	cr_assert(holiday("2018-12-01"));  /* before: 1 December */
	cr_assert(holiday("2005-03-21"));  /* fixed dates before the 2006 reform */
	cr_assert_not(holiday("2015-02-05"));
	cr_assert_not(holiday("2015-03-21"));
	cr_assert_not(holiday("2025-10-01"));
	cr_assert_not(holiday("2019-12-01"));
	cr_assert_not(holiday("2015-09-15"));
}

Test(flags, settings_defaults_and_params)
{
	struct licit_flags_settings s;
	struct licit_error err;
	cr_assert_eq(licit_flags_settings_load(&s, NULL, NULL, &err), 0);
	/* no file: every implemented Cardinal indicator is on */
	cr_assert(s.card.enabled[LICIT_R024]);
	cr_assert(s.card.enabled[LICIT_R038]);
	cr_assert_eq(s.card.r048_min_processes, 20);
	cr_assert_eq(s.card.r003_threshold, 15);
	int found = 0;
	const char *key, *def;
	for (size_t i = 0; licit_flags_param(i, &key, &def, NULL); i++)
		if (strcmp(licit_flags_param(i, NULL, NULL, NULL), "MX-LONG") == 0 &&
		    strcmp(key, "days") == 0) {
			cr_assert_str_eq(def, "1000");
			found = 1;
		}
	cr_assert(found);
	licit_flags_settings_fini(&s);
}

/* A damaged spool whose header or row claims a gigabyte that is not
 * there: refused as damaged, with memory grown only by what was read
 * (a few bytes, not the gigabyte). */
Test(spool, damaged_counts_cost_no_memory)
{
	static const unsigned char header[] = {'H', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 'x'};
	static const unsigned char row[] = {'H', 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	                                    0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 'a',
	                                    'P', 7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0x3f,
	                                    'v'};
	const unsigned char *in[] = {header, row};
	size_t len[] = {sizeof header, sizeof row};
	for (int t = 0; t < 2; t++) {
		FILE *f = fmemopen((void *)in[t], len[t], "r");
		struct licit_spool *s = licit_spool_open_stream(f, "the spool");
		struct licit_spool_item it;
		struct licit_error err;
		licit_error_clear(&err);
		int rc;
		while ((rc = licit_spool_next(s, &it, &err)) == LICIT_OK)
			;
		cr_assert_eq(rc, LICIT_ERR, "case %d", t);
		cr_assert(strstr(err.text, "is damaged"), "case %d: %s", t, err.text);
		struct mallinfo2 mi = mallinfo2(); /* (all zero under AddressSanitizer) */
		cr_assert_lt(mi.hblkhd, (size_t)64 << 20, "case %d: %zu bytes mapped", t, mi.hblkhd);
		licit_spool_free(s);
		fclose(f);
	}
}
