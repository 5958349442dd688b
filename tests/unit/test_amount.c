/* Unit tests for licit_amount_parse and licit_amount_format. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

/* Parses a NUL-terminated literal and checks status and canonical text. */
static struct licit_amount expect(const char *in,
                                  enum licit_amount_status st,
                                  const char *canon)
{
	struct licit_amount a;
	char out[128];
	memset(out, 'x', sizeof out);
	enum licit_amount_status got =
	        licit_amount_parse(in, strlen(in), &a, out, sizeof out);
	cr_assert_eq(got, st, "\"%s\": status %s, expected %s", in,
	             licit_amount_status_text(got),
	             licit_amount_status_text(st));
	cr_assert_eq(a.status, st, "\"%s\": a.status", in);
	cr_assert_str_eq(out, canon, "\"%s\": out \"%s\", expected \"%s\"", in,
	                 out, canon);
	return a;
}

static void ok(const char *in, const char *canon, double v)
{
	struct licit_amount a = expect(in, LICIT_AMOUNT_OK, canon);
	cr_assert_float_eq(a.value, v, 1e-9 * (v < 0 ? -v : v) + 1e-12,
	                   "\"%s\": value %.17g, expected %.17g", in, a.value,
	                   v);
	cr_assert_eq(a.nparts, 1, "\"%s\": nparts %d", in, a.nparts);
}

static void multiple(const char *in, const char *canon, int nparts,
                     double first, double sum)
{
	struct licit_amount a = expect(in, LICIT_AMOUNT_MULTIPLE, canon);
	cr_assert_eq(a.nparts, nparts, "\"%s\": nparts %d", in, a.nparts);
	cr_assert_float_eq(a.first, first, 1e-6, "\"%s\": first %g", in,
	                   a.first);
	cr_assert_float_eq(a.value, sum, 1e-6, "\"%s\": sum %g", in, a.value);
}

static void status_only(const char *in, enum licit_amount_status st)
{
	struct licit_amount a = expect(in, st, "");
	cr_assert_eq(a.nparts, 0, "\"%s\": nparts %d", in, a.nparts);
	cr_assert_float_eq(a.value, 0.0, 1e-12, "\"%s\": value", in);
}

/* ISSSTE review, Table 5: one value typed six ways. */
Test(amount, issste_table5)
{
	ok("1000000", "1000000", 1e6);
	ok("1\xC2\xB4" "000,000.00", "1000000", 1e6); /* U+00B4 */
	ok("1'000,000.00", "1000000", 1e6);
	ok("1\xE2\x80\x99" "000,000.00", "1000000", 1e6); /* U+2019 */
	ok("$ 1,000,000,00", "1000000", 1e6);
	ok("$ 1.000.000.00", "1000000", 1e6);
	ok("$ 1,000,000. 00", "1000000", 1e6);
	ok("$  1,000, 000.00", "1000000", 1e6);
	ok("$ 1,000.000.00", "1000000", 1e6);
}

/* Mixed separators: read only when the last mark has exactly two digits
 * after it (licit-normalise(1), "Amounts"). */
Test(amount, mixed_separators)
{
	ok("1,000.000.00", "1000000", 1e6);
	ok("1.000,000.00", "1000000", 1e6);
	ok("1,000.000,50", "1000000.5", 1000000.5);
	ok("1'000.000.00", "1000000", 1e6);
	ok("12,345.678.90", "12345678.9", 12345678.9);
	status_only("1,000.000.0", LICIT_AMOUNT_INVALID);
	status_only("1,000.000.000", LICIT_AMOUNT_INVALID);
	status_only("1.000,000,000", LICIT_AMOUNT_INVALID);
	status_only("1,00.000.00", LICIT_AMOUNT_INVALID);
	status_only("1,000.00.00", LICIT_AMOUNT_INVALID);
}

Test(amount, multiple_joined_by_y)
{
	multiple("1,000.00 Y 2,500.00", "1000+2500", 2, 1000, 3500);
	multiple("1,000.00 y 2,500.00", "1000+2500", 2, 1000, 3500);
	multiple("$1,000.00Y$2,500.00", "1000+2500", 2, 1000, 3500);
}

Test(amount, three_in_one_cell)
{
	multiple("1,000.00 2,500.50 3,000.00", "1000+2500.5+3000", 3, 1000,
	         6500.5);
	multiple("1,000.00\n2,500.00\n3,000.00", "1000+2500+3000", 3, 1000,
	         6500);
	multiple("1,000.00\r\n2,500.00\r\n3,000.00", "1000+2500+3000", 3,
	         1000, 6500);
	multiple("1000/2500/3000", "1000+2500+3000", 3, 1000, 6500);
	multiple("1000; 2500; 3000", "1000+2500+3000", 3, 1000, 6500);
	multiple("1000 + 2500 + 3000", "1000+2500+3000", 3, 1000, 6500);
	multiple("$1,000 y $2,500 Y $3,000", "1000+2500+3000", 3, 1000, 6500);
	multiple("1000 2000", "1000+2000", 2, 1000, 3000);
	multiple("1,000.00, 2,500.00", "1000+2500", 2, 1000, 3500);
}

Test(amount, word_and_empty)
{
	status_only("ABIERTO", LICIT_AMOUNT_WORD);
	status_only("abierto", LICIT_AMOUNT_WORD);
	status_only("N/A", LICIT_AMOUNT_WORD);
	status_only("$ ABIERTO", LICIT_AMOUNT_WORD);
	status_only("", LICIT_AMOUNT_EMPTY);
	status_only("   ", LICIT_AMOUNT_EMPTY);
	status_only("\t \xC2\xA0", LICIT_AMOUNT_EMPTY);
	status_only("$", LICIT_AMOUNT_EMPTY);
	status_only(" $ ", LICIT_AMOUNT_EMPTY);
	status_only("MXN", LICIT_AMOUNT_EMPTY);
	status_only("-", LICIT_AMOUNT_EMPTY);
}

Test(amount, currency)
{
	ok("$1,234.56 MXN", "1234.56", 1234.56);
	ok("MXN 1234.5", "1234.5", 1234.5);
	ok("$1,234.56 M.N.", "1234.56", 1234.56);
	ok("1,234.56 (M.N.)", "1234.56", 1234.56);
	ok("1234.56 pesos", "1234.56", 1234.56);
	ok("USD 10", "10", 10);
	ok("MXN$5", "5", 5);
}

Test(amount, separators)
{
	ok("1.234.567,89", "1234567.89", 1234567.89);
	ok("1,5", "1.5", 1.5);
	ok("1,50", "1.5", 1.5);
	ok("1,500", "1500", 1500);
	ok("1.500", "1.5", 1.5);
	ok("1.5", "1.5", 1.5);
	ok("12 500 000", "12500000", 12500000);
	ok("12 500 000.50", "12500000.5", 12500000.5);
	ok("1 000 000,5", "1000000.5", 1000000.5);
	ok("5216380.89", "5216380.89", 5216380.89);
	ok("1,000,000,000", "1000000000", 1e9);
	ok("1.000.000", "1000000", 1e6);
	ok("1,000,000,5", "1000000.5", 1000000.5);
	ok("1,234.5678", "1234.5678", 1234.5678);
	ok("1'000'000", "1000000", 1e6);
	ok("100 200", "100200", 100200);
}

Test(amount, zero_sign_and_edges)
{
	ok("0", "0", 0);
	ok("0.00", "0", 0);
	ok("000", "0", 0);
	ok("007.50", "7.5", 7.5);
	ok("-0", "0", 0);
	ok("-0.00", "0", 0);
	ok("-500", "-500", -500);
	ok("(500)", "-500", -500);
	ok("( 1,500.25 )", "-1500.25", -1500.25);
	ok("- 500", "-500", -500);
	ok("$ -1,000.00", "-1000", -1000);
	ok("-$1,000.00", "-1000", -1000);
	ok("\xE2\x88\x92" "7", "-7", -7); /* U+2212 MINUS SIGN */
	ok(".50", "0.5", 0.5);
	ok("1,000.", "1000", 1000);
	ok("  42  ", "42", 42);
	ok("1,000 Y", "1000", 1000); /* a dangling separator adds nothing */
	ok("1\xC2\xA0" "000", "1000", 1000); /* NO-BREAK SPACE thousands */
}

Test(amount, invalid)
{
	status_only("1,00,0.5", LICIT_AMOUNT_INVALID);
	status_only("12,34,567", LICIT_AMOUNT_INVALID);
	status_only("CONTRATO 123", LICIT_AMOUNT_INVALID);
	status_only("123 CONTRATO", LICIT_AMOUNT_INVALID);
	status_only("1e5", LICIT_AMOUNT_INVALID);
	status_only("(500", LICIT_AMOUNT_INVALID);
	status_only("500)", LICIT_AMOUNT_INVALID);
	status_only("1000-500", LICIT_AMOUNT_INVALID);
	status_only("--5", LICIT_AMOUNT_INVALID);
	status_only("1,5000", LICIT_AMOUNT_INVALID);
	status_only("1234,567", LICIT_AMOUNT_INVALID);
	status_only("1.000,00.5", LICIT_AMOUNT_INVALID);
	status_only("1'5", LICIT_AMOUNT_INVALID);
	status_only("50%", LICIT_AMOUNT_INVALID);
}

Test(amount, precision_kept_in_text)
{
	/* 17 significant digits: a double would round the text. */
	ok("123456789012345.67", "123456789012345.67", 123456789012345.67);
	ok("0.000000000000001", "0.000000000000001", 1e-15);
	ok("123456789012345678901234", "123456789012345678901234",
	   123456789012345678901234.0);
	status_only("1234567890123456789012345", LICIT_AMOUNT_INVALID);
	status_only("0.1234567890123456", LICIT_AMOUNT_INVALID);
}

Test(amount, buffers)
{
	struct licit_amount a;
	char out[8];

	/* cap 0: out untouched, status still computed. */
	out[0] = 'z';
	cr_assert_eq(licit_amount_parse("1,000", 5, &a, out, 0),
	             LICIT_AMOUNT_OK);
	cr_assert_eq(out[0], 'z');
	/* A NULL result struct is allowed. */
	cr_assert_eq(licit_amount_parse("1,000", 5, NULL, out, sizeof out),
	             LICIT_AMOUNT_OK);
	cr_assert_str_eq(out, "1000");
	/* Multiple parts: whole parts only when out is short. */
	cr_assert_eq(licit_amount_parse("1000 Y 2000", 11, &a, out, 8),
	             LICIT_AMOUNT_MULTIPLE);
	cr_assert_str_eq(out, "1000");
	cr_assert_float_eq(a.value, 3000.0, 1e-9);
	/* Length is honoured: no NUL needed, bytes past n ignored. */
	cr_assert_eq(licit_amount_parse("12345", 3, &a, out, sizeof out),
	             LICIT_AMOUNT_OK);
	cr_assert_str_eq(out, "123");
	cr_assert_eq(licit_amount_parse(NULL, 0, &a, out, sizeof out),
	             LICIT_AMOUNT_EMPTY);
}

Test(amount, malformed_bytes)
{
	struct licit_amount a;
	char out[64];
	static const char nul[] = { '1', '\0', '2' };
	cr_assert_eq(licit_amount_parse(nul, sizeof nul, &a, out, sizeof out),
	             LICIT_AMOUNT_INVALID);
	cr_assert_eq(licit_amount_parse("\xff\xfe", 2, &a, out, sizeof out),
	             LICIT_AMOUNT_WORD);
	cr_assert_eq(licit_amount_parse("1\xC2", 2, &a, out, sizeof out),
	             LICIT_AMOUNT_INVALID); /* truncated UTF-8 */
	cr_assert_eq(licit_amount_parse("1\xE2\x80", 3, &a, out, sizeof out),
	             LICIT_AMOUNT_INVALID);
	cr_assert_str_eq(out, "");
}

Test(amount, huge_inputs)
{
	size_t n = 1 << 20;
	char *s = malloc(n);
	struct licit_amount a;
	char out[64];
	cr_assert_not_null(s);

	memset(s, ' ', n);
	cr_assert_eq(licit_amount_parse(s, n, &a, out, sizeof out),
	             LICIT_AMOUNT_EMPTY);
	s[n / 2] = '7';
	cr_assert_eq(licit_amount_parse(s, n, &a, out, sizeof out),
	             LICIT_AMOUNT_OK);
	cr_assert_str_eq(out, "7");
	memset(s, '9', n);
	cr_assert_eq(licit_amount_parse(s, n, &a, out, sizeof out),
	             LICIT_AMOUNT_INVALID);
	/* "1 Y 1 Y ...": many parts, out keeps whole ones. */
	for (size_t i = 0; i + 4 <= n; i += 4)
		memcpy(s + i, "1 Y ", 4);
	cr_assert_eq(licit_amount_parse(s, n, &a, out, sizeof out),
	             LICIT_AMOUNT_MULTIPLE);
	cr_assert_eq(a.nparts, (int)(n / 4));
	cr_assert_eq(strlen(out) % 2, 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(i * 37 + 11);
	licit_amount_parse(s, n, &a, out, sizeof out); /* must not crash */
	free(s);
}

Test(amount, status_text)
{
	cr_assert_str_eq(licit_amount_status_text(LICIT_AMOUNT_OK), "ok");
	cr_assert_str_eq(licit_amount_status_text(LICIT_AMOUNT_MULTIPLE),
	                 "multiple");
	cr_assert_str_eq(licit_amount_status_text(LICIT_AMOUNT_INVALID),
	                 "invalid");
	cr_assert_str_eq(licit_amount_status_text(LICIT_AMOUNT_WORD), "word");
	cr_assert_str_eq(licit_amount_status_text(LICIT_AMOUNT_EMPTY),
	                 "empty");
}

static void fmt(double v, const char *want)
{
	char out[400];
	size_t k = licit_amount_format(v, out, sizeof out);
	cr_assert_str_eq(out, want, "format(%.17g) = \"%s\"", v, out);
	cr_assert_eq(k, strlen(want));
}

Test(amount, format)
{
	fmt(0, "0");
	fmt(-0.0, "0");
	fmt(-0.0000001, "0");
	fmt(1000000, "1000000");
	fmt(1234.56, "1234.56");
	fmt(-1234.5, "-1234.5");
	fmt(0.1, "0.1");
	fmt(1.0000004, "1");
	fmt(1.0000006, "1.000001");
	fmt(99999999999.99, "99999999999.99");
	fmt(0.3, "0.3");
	fmt(0.1 + 0.2, "0.3"); /* 0.30000000000000004, 6 decimals */
	fmt(0.9999999, "1");
	fmt(5216380.89, "5216380.89");
	fmt(123456.123456, "123456.123456");
	fmt(1e15, "1000000000000000");
	fmt(1e20, "100000000000000000000");
	fmt(18446744073709551616.0, "18446744073709551616");
	fmt(-1e22, "-10000000000000000000000");
	{
		char out[400];
		licit_amount_format(1.7976931348623157e308, out, sizeof out);
		cr_assert_eq(strlen(out), 309);
		cr_assert_eq(strncmp(out, "17976931348623157", 17), 0);
	}
}

Test(amount, format_small_buffers)
{
	char out[4];
	cr_assert_eq(licit_amount_format(123456, out, sizeof out), 3);
	cr_assert_str_eq(out, "123");
	cr_assert_eq(licit_amount_format(1, out, 0), 0);
	cr_assert_eq(licit_amount_format(5, out, 1), 0);
	cr_assert_str_eq(out, "");
}

Test(amount, format_roundtrip)
{
	/* The canonical text of an amount formats back to itself. */
	static const char *const in[] = {
		"1000000", "1234.56", "0.5", "5216380.89", "-500", "12500000",
		"99999999999.99",
	};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		struct licit_amount a;
		char canon[64], back[64];
		licit_amount_parse(in[i], strlen(in[i]), &a, canon, sizeof canon);
		licit_amount_format(a.value, back, sizeof back);
		cr_assert_str_eq(back, canon);
	}
}
