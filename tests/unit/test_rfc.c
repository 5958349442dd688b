/* Unit tests for licit_rfc_check. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

static void check(const char *in, enum licit_rfc_status want,
                  const char *compact)
{
	char out[32];
	memset(out, 'x', sizeof out);
	enum licit_rfc_status st = licit_rfc_check(in, strlen(in), out,
	                                           sizeof out);
	cr_assert_eq(st, want, "\"%s\": %s, expected %s", in,
	             licit_rfc_status_text(st), licit_rfc_status_text(want));
	cr_assert_str_eq(out, compact, "\"%s\": out \"%s\"", in, out);
}

/* RFCs of suppliers in a real government OCDS file. */
Test(rfc, real_companies)
{
	static const char *const real[] = {
		"GFM010122DZ9", "SDS060209QG3", "CCS0308152M5", "ICO060113L83",
		"CIP981109IZ5", "FGG0309129E1", "SDS040719E51",
	};
	for (size_t i = 0; i < sizeof real / sizeof real[0]; i++)
		check(real[i], LICIT_RFC_OK, real[i]);
}

Test(rfc, check_digit)
{
	check("GFM010122DZ8", LICIT_RFC_BAD_CHECK, "GFM010122DZ8");
	check("GFM010122DZA", LICIT_RFC_BAD_CHECK, "GFM010122DZA");
	check("SDS060209QG4", LICIT_RFC_BAD_CHECK, "SDS060209QG4");
	/* Persons: 13 characters, no padding. */
	check("GOMA800229AB2", LICIT_RFC_OK, "GOMA800229AB2");
	check("PEPJ800101H15", LICIT_RFC_OK, "PEPJ800101H15");
	check("PEPJ800101H16", LICIT_RFC_BAD_CHECK, "PEPJ800101H16");
	/* Remainders that give 'A' and '0'. */
	check("GOMA800101AKA", LICIT_RFC_OK, "GOMA800101AKA");
	check("GOMA800101AE0", LICIT_RFC_OK, "GOMA800101AE0");
	/* '&' in the name part. */
	check("A&B010203XY9", LICIT_RFC_OK, "A&B010203XY9");
}

Test(rfc, ntilde)
{
	/* Ñ stays UTF-8 in the compact form, so it takes 2 bytes. */
	check("A\xC3\x91O000101AA2", LICIT_RFC_OK, "A\xC3\x91O000101AA2");
	check("a\xC3\xB1o000101aa2", LICIT_RFC_OK, "A\xC3\x91O000101AA2");
	check("MU\xC3\x91O8507153F7", LICIT_RFC_OK, "MU\xC3\x91O8507153F7");
	check("MU\xC3\x91O8507153F8", LICIT_RFC_BAD_CHECK,
	      "MU\xC3\x91O8507153F8");
	/* Latin-1 Ñ (one byte 0xD1) is not UTF-8: malformed. */
	check("A\xD1O000101AA2", LICIT_RFC_BAD_FORMAT, "");
}

Test(rfc, normalisation)
{
	check(" gfm010122dz9 ", LICIT_RFC_OK, "GFM010122DZ9");
	check("GFM-010122-DZ9", LICIT_RFC_OK, "GFM010122DZ9");
	check("GFM 010122 DZ9", LICIT_RFC_OK, "GFM010122DZ9");
	check("\tGFM\xC2\xA0" "010122DZ9\r\n", LICIT_RFC_OK, "GFM010122DZ9");
}

Test(rfc, generic)
{
	check("XAXX010101000", LICIT_RFC_GENERIC, "XAXX010101000");
	check("XEXX010101000", LICIT_RFC_GENERIC, "XEXX010101000");
	check("xaxx-010101-000", LICIT_RFC_GENERIC, "XAXX010101000");
}

Test(rfc, dates)
{
	check("GFM011322DZ9", LICIT_RFC_BAD_DATE, "GFM011322DZ9");
	check("GFM010132DZ9", LICIT_RFC_BAD_DATE, "GFM010132DZ9");
	check("GFM010100DZ9", LICIT_RFC_BAD_DATE, "GFM010100DZ9");
	check("ABC000229AB5", LICIT_RFC_OK, "ABC000229AB5"); /* 2000 leap */
	check("ABC010229AB8", LICIT_RFC_BAD_DATE, "ABC010229AB8");
	check("ABC010431AB8", LICIT_RFC_BAD_DATE, "ABC010431AB8");
}

Test(rfc, format)
{
	check("", LICIT_RFC_EMPTY, "");
	check("  - ", LICIT_RFC_EMPTY, "");
	check("ABC", LICIT_RFC_BAD_FORMAT, "ABC");
	check("GFM010122DZ", LICIT_RFC_BAD_FORMAT, "GFM010122DZ");
	check("1FM010122DZ9", LICIT_RFC_BAD_FORMAT, "1FM010122DZ9");
	check("GF1010122DZ9", LICIT_RFC_BAD_FORMAT, "GF1010122DZ9");
	check("GFMA10122DZ9", LICIT_RFC_BAD_FORMAT, "GFMA10122DZ9");
	check("GFM010122D&9", LICIT_RFC_BAD_FORMAT, "GFM010122D&9");
	check("GFM010122DZ99", LICIT_RFC_BAD_FORMAT, "GFM010122DZ99");
	check("GFM010122DZ999", LICIT_RFC_BAD_FORMAT, "");
	check("GFM.010122.DZ9", LICIT_RFC_BAD_FORMAT, "");
	check("\xff\xfe", LICIT_RFC_BAD_FORMAT, "");
	check("GFM010122DZ\xC3", LICIT_RFC_BAD_FORMAT, ""); /* cut UTF-8 */
}

Test(rfc, buffers)
{
	char out[16];
	/* n honoured */
	cr_assert_eq(licit_rfc_check("GFM010122DZ9XYZ", 12, out, sizeof out),
	             LICIT_RFC_OK);
	cr_assert_str_eq(out, "GFM010122DZ9");
	/* embedded NUL is a bad byte */
	cr_assert_eq(licit_rfc_check("GFM010122\0DZ9", 13, out, sizeof out),
	             LICIT_RFC_BAD_FORMAT);
	/* short out: cut at a character, status unaffected */
	cr_assert_eq(licit_rfc_check("GFM010122DZ9", 12, out, 5), LICIT_RFC_OK);
	cr_assert_str_eq(out, "GFM0");
	cr_assert_eq(licit_rfc_check("A\xC3\x91O000101AA2", 13, out, 3),
	             LICIT_RFC_OK);
	cr_assert_str_eq(out, "A"); /* Ñ does not fit whole */
	out[0] = 'q';
	cr_assert_eq(licit_rfc_check("GFM010122DZ9", 12, out, 0), LICIT_RFC_OK);
	cr_assert_eq(out[0], 'q');
	cr_assert_eq(licit_rfc_check(NULL, 0, out, sizeof out), LICIT_RFC_EMPTY);

	size_t n = 1 << 20;
	char *big = malloc(n);
	cr_assert_not_null(big);
	memset(big, 'A', n);
	cr_assert_eq(licit_rfc_check(big, n, out, sizeof out),
	             LICIT_RFC_BAD_FORMAT);
	cr_assert_str_eq(out, "");
	memset(big, ' ', n);
	cr_assert_eq(licit_rfc_check(big, n, out, sizeof out), LICIT_RFC_EMPTY);
	free(big);
}

Test(rfc, status_text)
{
	cr_assert_str_eq(licit_rfc_status_text(LICIT_RFC_OK), "ok");
	cr_assert_str_eq(licit_rfc_status_text(LICIT_RFC_BAD_CHECK),
	                 "bad check digit");
	cr_assert_str_eq(licit_rfc_status_text(LICIT_RFC_GENERIC), "generic");
}
