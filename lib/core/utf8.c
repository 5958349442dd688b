/* UTF-8 validation and single-byte to UTF-8 conversion. */
#include "licit/core/utf8.h"

#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <string.h>

size_t licit_utf8_seq_len(const unsigned char *p, size_t left)
{
	unsigned c = p[0];
	size_t len;
	uint32_t cp, min;
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		len = 2, cp = c & 0x1F, min = 0x80;
	else if ((c & 0xF0) == 0xE0)
		len = 3, cp = c & 0x0F, min = 0x800;
	else if ((c & 0xF8) == 0xF0)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (left < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

int licit_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		/* ASCII sixteen, then eight bytes at a time */
#ifdef __SSE2__
		while (e - p >= 16 &&
		       !_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(const void *)p)))
			p += 16;
#endif
		uint64_t w;
		while (e - p >= 8 && (memcpy(&w, p, 8), (w & 0x8080808080808080ULL) == 0))
			p += 8;
		if (p < e && *p < 0x80) {
			p++;
			continue;
		}
		if (p == e)
			break;
		size_t len = licit_utf8_seq_len(p, (size_t)(e - p));
		if (!len)
			return 0;
		p += len;
	}
	return 1;
}

int licit_utf8_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		/* sixteen bytes at a time up to the first NUL or byte >= 0x80 */
#ifdef __SSE2__
		const __m128i zero = _mm_setzero_si128();
		while (e - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero)));
			if (m) {
				p += __builtin_ctz(m);
				break;
			}
			p += 16;
		}
		if (p == e)
			break;
#endif
		if (*p == 0)
			return 0;
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t len = licit_utf8_seq_len(p, (size_t)(e - p));
		if (!len)
			return 0;
		p += len;
	}
	return 1;
}

static char *put_cp(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xE0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* Windows-1252 0x80-0x9F; 0 marks the five undefined bytes, which are
 * mapped to the C1 control of the same number, as Latin-1 would. */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

size_t licit_cp1252_to_utf8(const char *s, size_t n, char *out)
{
	char *o = out;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		uint32_t cp = c;
		if (c >= 0x80 && c < 0xA0 && cp1252_hi[c - 0x80])
			cp = cp1252_hi[c - 0x80];
		o = put_cp(o, cp);
	}
	*o = '\0';
	return (size_t)(o - out);
}

size_t licit_latin1_to_utf8(const char *s, size_t n, char *out)
{
	char *o = out;
	for (size_t i = 0; i < n; i++)
		o = put_cp(o, (unsigned char)s[i]);
	*o = '\0';
	return (size_t)(o - out);
}
