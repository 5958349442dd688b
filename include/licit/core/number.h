/* Strict numbers for settings, tables and option arguments: the whole
 * text is the number (no blank, no trailing junk), read once, checked
 * against a range. Every numeric setting of every tool goes through
 * these two functions, so that overflow, nan, inf and "15 days" are
 * errors everywhere and never a silent clamp. */
#ifndef LICIT_NUMBER_H
#define LICIT_NUMBER_H

#include <stddef.h>

/* A decimal integer ([+-]digits) within [lo, hi]. Returns 0 and sets
 * *out, or -1 with why set to e.g. "'9223372036854775808' is out of range
 * (0 to 36600)" or "'15 days' is not an integer". */
int licit_num_int(const char *s, long long lo, long long hi, long long *out, char *why,
                  size_t cap);

/* A finite decimal number ([+-]digits[.digits][e[+-]digits], C locale)
 * within [lo, hi]. nan, inf, hexadecimal and values beyond a double are
 * errors. Returns 0 and sets *out, or -1 with why set. */
int licit_num_real(const char *s, double lo, double hi, double *out, char *why, size_t cap);

#endif
