/* Unit tests of the libraries loaded on first use (lib/io/lazy_lib.h):
 * a library that is missing, or lacks a symbol, is an error that says
 * so, every time; a plain CSV run does not map libarchive, a compressed
 * input does. (Criterion runs each test in its own process.) */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../../lib/io/archive_lib.h"
#include "../../lib/io/lazy_lib.h"
#include "licit/io/reader.h"

struct libm_table {
	double (*cos)(double);
};

static int mapped(const char *name)
{
	FILE *f = fopen("/proc/self/maps", "r");
	cr_assert_not_null(f);
	char line[4096];
	int found = 0;
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, name) != NULL;
	fclose(f);
	return found;
}

Test(lazy_lib, a_missing_library_is_an_error_each_time)
{
	struct libm_table t = {0};
	static const struct lazy_sym syms[] = {{"cos", offsetof(struct libm_table, cos)}};
	struct lazy_lib l = LAZY_LIB("libnowhere-licit.so.7", syms, &t);
	for (int i = 0; i < 2; i++) {
		struct licit_error err;
		licit_error_clear(&err);
		cr_assert_eq(lazy_lib_load(&l, "the test", &err), LICIT_ERR);
		cr_assert(strstr(err.text, "the test needs libnowhere-licit.so.7, which cannot be loaded"),
		          "%s", err.text);
	}
	cr_assert_null(t.cos);
}

Test(lazy_lib, a_missing_symbol_is_an_error_and_fills_nothing)
{
	struct {
		double (*cos)(double);
		double (*nope)(double);
	} t = {0};
	static const struct lazy_sym syms[] = {{"cos", 0}, {"licit_no_such_function", sizeof(void *)}};
	struct lazy_lib l = LAZY_LIB("libm.so.6", syms, &t);
	struct licit_error err;
	licit_error_clear(&err);
	cr_assert_eq(lazy_lib_load(&l, "the test", &err), LICIT_ERR);
	cr_assert(strstr(err.text, "libm.so.6 has no licit_no_such_function"), "%s", err.text);
}

Test(lazy_lib, a_present_library_fills_the_table)
{
	struct libm_table t = {0};
	static const struct lazy_sym syms[] = {{"cos", offsetof(struct libm_table, cos)}};
	struct lazy_lib l = LAZY_LIB("libm.so.6", syms, &t);
	struct licit_error err;
	licit_error_clear(&err);
	cr_assert_eq(lazy_lib_load(&l, "the test", &err), LICIT_OK);
	cr_assert_not_null(t.cos);
	cr_assert_float_eq(t.cos(0.0), 1.0, 1e-12);
	cr_assert_eq(lazy_lib_load(&l, "the test", &err), LICIT_OK); /* once */
}

Test(lazy_lib, csv_input_does_not_map_libarchive)
{
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_reader *r = licit_reader_open(LICIT_TESTDATA "/samples/rates.csv", NULL, &err);
	cr_assert_not_null(r, "%s", err.text);
	const struct licit_row *row;
	long n = 0;
	while (licit_reader_next(r, &row, &err) == LICIT_OK)
		n++;
	licit_reader_close(r);
	cr_assert_gt(n, 0);
	cr_assert_not(mapped("libarchive"), "libarchive was loaded for a plain CSV file");
	cr_assert_not_null(licit_la_load("compressed input", &err), "%s", err.text);
	cr_assert(mapped("libarchive"));
}
