/* Skimming a JSON value that a reader does not keep (licit_json_parse_keeping
 * and _skipping): one loop over its tokens, with the containers open in a
 * bit stack instead of recursion, strings scanned sixteen bytes at a time
 * (SSE2, the x86-64 baseline; eight bytes at a time elsewhere), nothing
 * built. It accepts exactly what the token-by-token parser accepts in a
 * skipped value (strings not checked as UTF-8); whatever it cannot vouch
 * for it leaves to that parser, which then finds the error and says it in
 * its own words. tests/fuzz/fuzz_json.c compares the two. */
#include "json_skim.h"

#include <stdint.h>
#include <string.h>

#include "licit/io/json.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

static inline const unsigned char *ws(const unsigned char *p, const unsigned char *end)
{
	if (p < end && *p > ' ') /* the common case: none */
		return p;
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

/* The first '"', '\\' or control byte at or after p (end when none). */
static inline const unsigned char *special(const unsigned char *p, const unsigned char *end)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
	              ctl = _mm_set1_epi8(0x1F);
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
		                                      _mm_cmpeq_epi8(x, bslash)),
		                         _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
		unsigned sp = (unsigned)_mm_movemask_epi8(m);
		if (sp)
			return p + __builtin_ctz(sp);
		p += 16;
	}
#else
	uint64_t w;
	while (end - p >= 8 && (memcpy(&w, p, 8), !licit_json_special8(w)))
		p += 8;
#endif
	while (p < end && *p != '"' && *p != '\\' && *p >= 0x20)
		p++;
	return p;
}

/* A string from just after its opening quote: just after its closing one. */
static inline __attribute__((always_inline)) const unsigned char *
skim_string(const unsigned char *p, const unsigned char *end, int *nul)
{
	const unsigned char *start = p;
	for (;;) {
		p = special(p, end);
		if (p >= end || *p < 0x20)
			return NULL;
		if (*p == '"')
			break;
		if (end - p < 2) /* a backslash */
			return NULL;
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			p += 2;
			break;
		case 'u': {
			unsigned cp, lo;
			if (end - p < 6 || licit_json_hex4(p + 2, &cp) < 0)
				return NULL;
			p += 6;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
				    licit_json_hex4(p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return NULL;
				p += 6;
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				return NULL;
			} else if (cp == 0) {
				*nul = 1;
			}
			break;
		}
		default:
			return NULL;
		}
	}
	if ((size_t)(p - start) > UINT32_MAX)
		return NULL;
	return p + 1;
}

static inline int digit(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

static const unsigned char *skim_number(const unsigned char *p, const unsigned char *end)
{
	const unsigned char *start = p;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (digit(p, end))
		while (digit(p, end))
			p++;
	else
		return NULL;
	if (p < end && *p == '.') {
		p++;
		if (!digit(p, end))
			return NULL;
		while (digit(p, end))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!digit(p, end))
			return NULL;
		while (digit(p, end))
			p++;
	}
	if ((size_t)(p - start) > UINT32_MAX)
		return NULL;
	return p;
}

const unsigned char *licit_json_skim(const unsigned char *p, const unsigned char *end,
                                     int depth, int *nul)
{
	/* bit d: the container open at level d is an object (set as each
	 * opens) */
	uint64_t obj[LICIT_JSON_MAX_DEPTH / 64];
	int d = 0, found_nul = 0, in_obj = 0; /* in_obj: level d - 1's bit */
value:
	p = ws(p, end);
	if (p >= end)
		return NULL;
	switch (*p) {
	case '"':
		if (!(p = skim_string(p + 1, end, &found_nul)))
			return NULL;
		goto after;
	case '{':
	case '[': {
		if (depth + d >= LICIT_JSON_MAX_DEPTH)
			return NULL;
		int o = *p == '{';
		uint64_t bit = 1ULL << (d & 63);
		obj[d >> 6] = o ? obj[d >> 6] | bit : obj[d >> 6] & ~bit;
		d++;
		p = ws(p + 1, end);
		if (p < end && *p == (o ? '}' : ']')) {
			p++;
			d--;
			goto after;
		}
		in_obj = o;
		if (o)
			goto key;
		goto value;
	}
	case 't':
		if (end - p < 4 || memcmp(p, "true", 4) != 0)
			return NULL;
		p += 4;
		goto after;
	case 'f':
		if (end - p < 5 || memcmp(p, "false", 5) != 0)
			return NULL;
		p += 5;
		goto after;
	case 'n':
		if (end - p < 4 || memcmp(p, "null", 4) != 0)
			return NULL;
		p += 4;
		goto after;
	default:
		if (!(p = skim_number(p, end)))
			return NULL;
		goto after;
	}
key:
	p = ws(p, end);
	if (p >= end || *p != '"' || !(p = skim_string(p + 1, end, &found_nul)))
		return NULL;
	p = ws(p, end);
	if (p >= end || *p != ':')
		return NULL;
	p++;
	goto value;
after:
	if (d == 0) {
		*nul |= found_nul;
		return p;
	}
	p = ws(p, end);
	if (p >= end)
		return NULL;
	if (*p == ',') {
		p++;
		if (in_obj)
			goto key;
		goto value;
	}
	if (*p == (in_obj ? '}' : ']')) {
		p++;
		d--;
		in_obj = d && obj[(d - 1) >> 6] >> ((d - 1) & 63) & 1;
		goto after;
	}
	return NULL;
}
