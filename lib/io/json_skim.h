/* Skimming a JSON value: checked as lib/io/json.c checks the values it
 * skips, without building anything, in one tight loop (see json_skim.c). */
#ifndef LICIT_IO_JSON_SKIM_H
#define LICIT_IO_JSON_SKIM_H

#include <stdint.h>

/* The value at p (after any white space) in [p, end), nested at `depth`:
 * returns just after it when it is well-formed JSON (*nul set to 1 when a
 * string in it has \u0000), NULL when it is not or when skimming cannot
 * tell (too deep, too long): then the caller parses it token by token,
 * which finds the same end or the error. */
const unsigned char *licit_json_skim(const unsigned char *p, const unsigned char *end,
                                     int depth, int *nul);

/* The four hex digits at p as a number in *out; -1 when one is not. */
static inline int licit_json_hex4(const unsigned char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if ((c | 32) >= 'a' && (c | 32) <= 'f')
			d = (c | 32) - 'a' + 10;
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/* 1 when a byte of w is '"', '\\' or below 0x20 (bytes above 0x7F are
 * let through): for the scans without SSE2. */
static inline int licit_json_special8(uint64_t w)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
	uint64_t zero_q = (q - ones) & ~q, zero_b = (b - ones) & ~b;
	uint64_t ctl = (w - ones * 0x20) & ~w;
	return ((zero_q | zero_b | ctl) & high) != 0;
}

#endif
