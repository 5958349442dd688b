/* RFC validator: format, embedded date and SAT check digit of Mexican tax ids. */
#include "licit/values/value.h"

#include <string.h>

/* Characters are held as small codes while checking: ASCII as itself and
 * Ñ (which arrives as UTF-8 C3 91, or C3 B1 for ñ) as NTILDE. */
#define NTILDE 0xD1

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_upper(int c) { return c >= 'A' && c <= 'Z'; }

/* Letters allowed in the name part: A-Z, '&' (as in "A&B") and Ñ. */
static int is_name_char(int c)
{
	return is_upper(c) || c == '&' || c == NTILDE;
}

/* Value of a character in the SAT check-digit table. */
static int sat_value(int c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'A' && c <= 'N')
		return c - 'A' + 10;
	if (c == '&')
		return 24;
	if (c >= 'O' && c <= 'Z')
		return c - 'O' + 25;
	if (c == ' ')
		return 37;
	if (c == NTILDE)
		return 38;
	return -1;
}

/* Check digit: a 12-character RFC is padded with a leading blank, each of
 * the first 12 characters is weighted 13 down to 2, and the sum mod 11 is
 * turned into '0'..'9' or 'A'. Verified against RFCs of real suppliers in
 * government OCDS data. */
static int check_digit(const int *c13)
{
	long sum = 0;
	for (int i = 0; i < 12; i++)
		sum += (long)sat_value(c13[i]) * (13 - i);
	int r = (int)(sum % 11);
	if (r == 0)
		return '0';
	return 11 - r == 10 ? 'A' : '0' + (11 - r);
}

static int valid_yymmdd(const int *c)
{
	for (int i = 0; i < 6; i++)
		if (!is_digit(c[i]))
			return 0;
	int yy = (c[0] - '0') * 10 + (c[1] - '0');
	int mm = (c[2] - '0') * 10 + (c[3] - '0');
	int dd = (c[4] - '0') * 10 + (c[5] - '0');
	/* a two-digit year is a leap year when yy % 4 == 0 (00 is 2000, and
	 * so of every such year of 1904..2096): read it as 20yy */
	return dd >= 1 && dd <= licit_month_days(2000 + yy, mm);
}

static int is_blank(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* The compact form holds at most 13 characters, but Ñ stays UTF-8 (two
 * bytes): a usual RFC with one Ñ needs 15 bytes + NUL, and 18 bytes are
 * enough for any RFC of valid format (up to four Ñ in the name part).
 * Input longer than 13 characters leaves `out` empty; a short `out` is
 * cut at a character boundary. */
enum licit_rfc_status licit_rfc_check(const char *s, size_t n, char *out,
                                      size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	int c[13];
	int len = 0, bad_char = 0;

	if (cap)
		out[0] = '\0';
	if (!s)
		n = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned b = p[i];
		int code;
		if (is_blank(b) || b == '-')
			continue; /* "GFM-010122-DZ9", "GFM 010122 DZ9" */
		if (b == 0xC2 && i + 1 < n && p[i + 1] == 0xA0) {
			i++; /* NO-BREAK SPACE */
			continue;
		}
		if (b >= 'a' && b <= 'z')
			code = (int)b - 32;
		else if (b == 0xC3 && i + 1 < n &&
		         (p[i + 1] == 0x91 || p[i + 1] == 0xB1)) {
			code = NTILDE;
			i++;
		} else if (is_upper((int)b) || is_digit((int)b) || b == '&')
			code = (int)b;
		else {
			/* Any other byte: the id is malformed, and its bytes
			 * are not worth echoing back. */
			bad_char = 1;
			break;
		}
		if (len == 13) {
			len = 14; /* too long; stop reading */
			break;
		}
		c[len++] = code;
	}
	if (len == 0 && !bad_char)
		return LICIT_RFC_EMPTY;
	if (bad_char || len > 13)
		return LICIT_RFC_BAD_FORMAT;

	/* Write the compact form, Ñ back as UTF-8. Whole characters only. */
	if (cap) {
		size_t o = 0;
		for (int i = 0; i < len; i++) {
			size_t w = c[i] == NTILDE ? 2 : 1;
			if (o + w >= cap)
				break;
			if (c[i] == NTILDE) {
				out[o++] = (char)0xC3;
				out[o++] = (char)0x91;
			} else {
				out[o++] = (char)c[i];
			}
		}
		out[o] = '\0';
	}

	if (len != 12 && len != 13)
		return LICIT_RFC_BAD_FORMAT;
	int nl = len - 9; /* 3 letters for companies, 4 for persons */
	for (int i = 0; i < nl; i++)
		if (!is_name_char(c[i]))
			return LICIT_RFC_BAD_FORMAT;
	for (int i = nl; i < nl + 6; i++)
		if (!is_digit(c[i]))
			return LICIT_RFC_BAD_FORMAT;
	for (int i = nl + 6; i < len; i++)
		if (!is_upper(c[i]) && !is_digit(c[i]))
			return LICIT_RFC_BAD_FORMAT;

	static const int generic[2][13] = {
		{ 'X', 'A', 'X', 'X', '0', '1', '0', '1', '0', '1', '0', '0', '0' },
		{ 'X', 'E', 'X', 'X', '0', '1', '0', '1', '0', '1', '0', '0', '0' },
	};
	if (len == 13 && (memcmp(c, generic[0], sizeof generic[0]) == 0 ||
	                  memcmp(c, generic[1], sizeof generic[1]) == 0))
		return LICIT_RFC_GENERIC;

	if (!valid_yymmdd(c + nl))
		return LICIT_RFC_BAD_DATE;

	int c13[13];
	if (len == 12) {
		c13[0] = ' ';
		memcpy(c13 + 1, c, 12 * sizeof c[0]);
	} else {
		memcpy(c13, c, 13 * sizeof c[0]);
	}
	if (check_digit(c13) != c13[12])
		return LICIT_RFC_BAD_CHECK;
	return LICIT_RFC_OK;
}

const char *licit_rfc_status_text(enum licit_rfc_status st)
{
	switch (st) {
	case LICIT_RFC_OK:
		return "ok";
	case LICIT_RFC_EMPTY:
		return "empty";
	case LICIT_RFC_BAD_FORMAT:
		return "bad format";
	case LICIT_RFC_BAD_DATE:
		return "bad date";
	case LICIT_RFC_BAD_CHECK:
		return "bad check digit";
	case LICIT_RFC_GENERIC:
		return "generic";
	}
	return "unknown";
}
