/* Value parsers: amounts, dates, RFCs, supplier names, legal exceptions.
 *
 * Every parser reads a byte range (s, n) that need not be NUL-terminated,
 * writes its canonical text into a caller buffer `out` of `cap` bytes
 * (always NUL-terminated when cap > 0) and returns a status code. None of
 * them allocates, prints or keeps state; all are locale-independent. */
#ifndef LICIT_VALUE_H
#define LICIT_VALUE_H

#include <stddef.h>

/* ---- amounts --------------------------------------------------------- */

enum licit_amount_status {
	LICIT_AMOUNT_OK = 0,     /* one amount; out holds it as a plain decimal */
	LICIT_AMOUNT_EMPTY,      /* blank, or only a currency sign */
	LICIT_AMOUNT_MULTIPLE,   /* several amounts in one cell ("1,000 Y 2,000") */
	LICIT_AMOUNT_WORD,       /* a word and no digits ("ABIERTO") */
	LICIT_AMOUNT_INVALID     /* digits, but no consistent reading */
};

struct licit_amount {
	enum licit_amount_status status;
	double value;        /* the amount (OK), or the sum of the parts (MULTIPLE) */
	int nparts;          /* how many amounts were found (MULTIPLE: >= 2) */
	double first;        /* the first amount found (MULTIPLE) */
};

/* Parses one cell. Accepts currency signs and codes ($, MXN, M.N., USD,
 * pesos), `,` `.` `´` `'` and spaces as thousands marks, `.` or `,` as
 * the decimal mark (decided by group lengths: the Mexican convention `,`
 * thousands / `.` decimal wins when a lone mark is ambiguous), stray
 * spaces around marks, a leading minus or parentheses. With status OK,
 * `out` holds the canonical form: optional '-', digits without leading
 * zeros, then '.' and the decimals with trailing zeros removed (no '.'
 * when there are none): "1´000,000.00" -> "1000000". With MULTIPLE,
 * `out` holds the parts' canonical forms joined by '+' ("1000+2500"),
 * whole parts only when cap is short; otherwise `out` is "". 48 bytes
 * always hold an OK result (at most 24 integer and 15 decimal digits;
 * longer amounts are INVALID). `a` may be NULL. */
enum licit_amount_status licit_amount_parse(const char *s, size_t n,
                                            struct licit_amount *a,
                                            char *out, size_t cap);
const char *licit_amount_status_text(enum licit_amount_status st);

/* Formats a double as a plain decimal (at most 6 decimals, trailing zeros
 * removed, no exponent). Returns the length written. */
size_t licit_amount_format(double v, char *out, size_t cap);

/* ---- dates ----------------------------------------------------------- */

enum licit_date_status {
	LICIT_DATE_OK = 0,
	LICIT_DATE_EMPTY,
	LICIT_DATE_INVALID
};

/* Dates seen in CompraNet and OCDS: "YYYY-MM-DD", "YYYY-MM-DD hh:mm",
 * "YYYY-MM-DD hh:mm:ss GMT", ISO 8601 with 'T', fractions and zone
 * ("2017-03-06T00:00:00Z", "...-06:00"), "DD/MM/YYYY" and "DD-MM-YYYY"
 * (optionally followed by a time), "YYYY/MM/DD". Writes "YYYY-MM-DD"
 * (the calendar date as written; zones are not shifted). Rejects
 * impossible dates (month 13, 31 April, 29 Feb of a common year) and
 * years outside 1900-2100. */
enum licit_date_status licit_date_parse(const char *s, size_t n, char *out,
                                        size_t cap);

/* Days since 1970-01-01 of an ISO "YYYY-MM-DD" (only the first 10 bytes
 * are read). Returns 0 and sets *days on success, -1 otherwise. */
int licit_date_days(const char *iso, long *days);
/* Seconds since the epoch, UTC, of a strict RFC 3339 date-time
 * ("2010-03-15T09:30:00-06:00", "...Z", optional fraction): 0 and *out
 * set, or -1 for anything else, a bare date included. */
int licit_rfc3339_seconds(const char *s, double *out);
/* Day of week of an ISO date: 0 = Monday ... 6 = Sunday; -1 if invalid. */
int licit_date_weekday(const char *iso);

/* Calendar arithmetic, the only copy (proleptic Gregorian; day numbers
 * count from 1970-01-01 = 0, exact for years 1..9999). */
int licit_leap_year(long y);
/* Days in month m of year y; 0 when m is not 1..12. */
int licit_month_days(long y, long m);
long licit_days_from_civil(long y, long m, long d);
void licit_civil_from_days(long days, long *y, long *m, long *d);
/* Day of week of a day number: 0 = Monday ... 6 = Sunday. */
int licit_days_weekday(long days);

/* ---- RFC (Mexican tax id) -------------------------------------------- */

enum licit_rfc_status {
	LICIT_RFC_OK = 0,          /* valid format, date and check digit */
	LICIT_RFC_EMPTY,
	LICIT_RFC_BAD_FORMAT,      /* not 3/4 letters + 6 digits + 3 homoclave */
	LICIT_RFC_BAD_DATE,        /* YYMMDD is not a date */
	LICIT_RFC_BAD_CHECK,       /* check digit does not match */
	LICIT_RFC_GENERIC          /* XAXX010101000 / XEXX010101000: valid but
	                              names nobody in particular */
};

/* Validates an RFC after trimming spaces, dropping '-' and ' ' inside and
 * upper-casing; writes that compact form to out (13 characters; Ñ stays
 * UTF-8, two bytes, so 18 bytes hold any RFC of valid format). Input of
 * more than 13 characters, or with bytes no RFC has, leaves out "". */
enum licit_rfc_status licit_rfc_check(const char *s, size_t n, char *out,
                                      size_t cap);
const char *licit_rfc_status_text(enum licit_rfc_status st);

/* ---- names ----------------------------------------------------------- */

/* Display form of a supplier or buyer name: trimmed, inner white space
 * collapsed, upper case (accents kept, UTF-8 aware for Latin-1 letters),
 * and a trailing legal form written one way: "S.A. DE C.V.",
 * "S.A.B. DE C.V.", "S.A.P.I. DE C.V.", "S. DE R.L. DE C.V.",
 * "S. DE R.L.", "S.C.", "A.C.", "S.A.", "S.P.R. DE R.L.", "I.A.P.", ...
 * "Teléfonos de México S.A.B de C.V." -> "TELÉFONOS DE MÉXICO S.A.B. DE C.V."
 * Returns the length written. */
size_t licit_name_clean(const char *s, size_t n, char *out, size_t cap);

/* Matching key of a name: the clean form folded to ASCII (accents and Ñ
 * removed), punctuation dropped, legal form in compact form ("SA DE CV").
 * Two spellings of one company give one key. Returns the length. */
size_t licit_name_key(const char *s, size_t n, char *out, size_t cap);

/* ---- legal exceptions ------------------------------------------------ */

enum licit_exception_status {
	LICIT_EXC_OK = 0,
	LICIT_EXC_EMPTY,
	LICIT_EXC_UNRECOGNISED     /* text present, but no article found */
};

/* Canonical legal exception: LAW-ARTICLE[-FRACTION[+FRACTION...]], e.g.
 * "ART.41 FRACC.III" -> "LAASSP-41-III", "41 FRACCION  III YXIV" ->
 * "LAASSP-41-III+XIV", "Adjudicación Directa Art. 43 LOPSRM" ->
 * "LOPSRM-43". The law is LAASSP or LOPSRM when named (also by their long
 * Spanish names); `default_law` (e.g. "LAASSP") when none is named, and
 * no law part at all ("41-III") when default_law is NULL or "". A text
 * naming another law ("Ley de Compras ... de Jalisco") is UNRECOGNISED. */
enum licit_exception_status licit_exception_parse(const char *s, size_t n,
                                                  const char *default_law,
                                                  char *out, size_t cap);

#endif
