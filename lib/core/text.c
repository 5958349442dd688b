/* White-space squeezing and accent folding for matching. */
#include "licit/core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static int is_ws(const unsigned char *p, size_t left, size_t *width)
{
	*width = 1;
	if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '\v' ||
	    *p == '\f')
		return 1;
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0) { /* no-break space */
		*width = 2;
		return 1;
	}
	return 0;
}

/* The bytes that may start white space (is_ws): the others are copied as
 * they come, without the test. */
static const unsigned char ws_start[256] = {
	[' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, [0xC2] = 1,
};

/* 1 when s[0..n) is squeezed already: no white space but single spaces
 * between other bytes (the common value, copied as it is). */
static int squeezed(const unsigned char *p, size_t n)
{
	if (n && (p[0] == ' ' || p[n - 1] == ' '))
		return 0;
#ifdef __SSE2__
	const __m128i sp = _mm_set1_epi8(' '), c2 = _mm_set1_epi8((char)0xC2);
	const __m128i t9 = _mm_set1_epi8('\t'), four = _mm_set1_epi8(4);
	unsigned prev = 0; /* the byte before holds a space */
	for (size_t i = 0; i < n; i += 16) {
		unsigned char tail[16] = {0}; /* the last few bytes, zeros after */
		const unsigned char *b = p + i;
		if (n - i < 16)
			b = memcpy(tail, p + i, n - i);
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)b);
		__m128i d = _mm_sub_epi8(x, t9); /* \t \n \v \f \r: 0..4 */
		__m128i other = _mm_or_si128(_mm_cmpeq_epi8(x, c2), _mm_cmpeq_epi8(_mm_min_epu8(d, four), d));
		unsigned s = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, sp));
		if (_mm_movemask_epi8(other) || (s & ((s << 1) | prev)))
			return 0;
		prev = s >> 15;
	}
	return 1;
#else
	for (size_t i = 0; i < n; i++)
		if (ws_start[p[i]] && (p[i] != ' ' || (i && p[i - 1] == ' ')))
			return 0;
	return 1;
#endif
}

size_t licit_text_squeeze(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	if (squeezed(p, n)) {
		memcpy(out, s, n);
		out[n] = '\0';
		return n;
	}
	size_t o = 0, w;
	int pending = 0;
	while (p < e) {
		if (ws_start[*p] && is_ws(p, (size_t)(e - p), &w)) {
			pending = o > 0;
			p += w;
			continue;
		}
		if (pending)
			out[o++] = ' ';
		pending = 0;
		out[o++] = (char)*p++;
		while (p < e && !ws_start[*p]) /* the rest of the word */
			out[o++] = (char)*p++;
	}
	out[o] = '\0';
	return o;
}

size_t licit_format_double(double v, char *out, size_t cap)
{
	/* strtod reads the C locale's '.', as snprintf writes it: licit never
	 * calls setlocale */
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, cap, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			break;
	}
	return strlen(out);
}

size_t licit_format_long(long long v, char *out)
{
	char tmp[20];
	size_t k = 0, o = 0;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		tmp[k++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		out[o++] = '-';
	while (k)
		out[o++] = tmp[--k];
	out[o] = '\0';
	return o;
}

const char *licit_latin1_fold(unsigned cp)
{
	static const char *const fold[64] = {
		"A", "A", "A", "A", "A", "A", "AE", "C", /* C0 */
		"E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", "",   /* D0; D7 is × */
		"O", "U", "U", "U", "U", "Y", "TH", "SS",
		"A", "A", "A", "A", "A", "A", "AE", "C", /* E0 */
		"E", "E", "E", "E", "I", "I", "I", "I",
		"D", "N", "O", "O", "O", "O", "O", "",   /* F0; F7 is ÷ */
		"O", "U", "U", "U", "U", "Y", "TH", "Y",
	};
	return cp >= 0xC0 && cp <= 0xFF ? fold[cp - 0xC0] : "";
}

void licit_sbuf_init(struct licit_sbuf *b, char *out, size_t cap)
{
	b->out = out;
	b->cap = cap;
	b->len = 0;
	b->full = cap == 0;
	if (cap)
		out[0] = '\0';
}

void licit_sbuf_put(struct licit_sbuf *b, const void *p, size_t k)
{
	if (b->full || b->len + k >= b->cap) {
		b->full = 1;
		return;
	}
	memcpy(b->out + b->len, p, k);
	b->len += k;
	b->out[b->len] = '\0';
}

/* An ASCII byte folded: its lower-case letter or digit, 0 for any other. */
static const char ascii_fold[128] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
#define L(u, l) [u] = l, [l] = l
	L('A', 'a'), L('B', 'b'), L('C', 'c'), L('D', 'd'), L('E', 'e'), L('F', 'f'),
	L('G', 'g'), L('H', 'h'), L('I', 'i'), L('J', 'j'), L('K', 'k'), L('L', 'l'),
	L('M', 'm'), L('N', 'n'), L('O', 'o'), L('P', 'p'), L('Q', 'q'), L('R', 'r'),
	L('S', 's'), L('T', 't'), L('U', 'u'), L('V', 'v'), L('W', 'w'), L('X', 'x'),
	L('Y', 'y'), L('Z', 'z'),
#undef L
};

/* Folds from *pp towards e while out has room for two more bytes (a
 * space and a letter); *any: a letter was written before (in this or an
 * earlier piece), *gap: a space is due before the next letter. */
static inline size_t fold_some(const unsigned char **pp, const unsigned char *e, char *out,
                               size_t cap, int *anyp, int *gapp)
{
	const unsigned char *p = *pp;
	size_t o = 0;
	int any = *anyp, gap = *gapp; /* (locals: out may alias them for the compiler) */
#ifdef __SSE2__
	const unsigned char *slow = p; /* no block tried before it: one failed there */
#endif
	while (p < e && o + 2 <= cap) {
#ifdef __SSE2__
		/* 16 bytes of letters, digits and lone spaces, not ending in
		 * one, fold to themselves with bit 5 set (a space stays a space) */
		if (p >= slow && e - p >= 16 && o + 17 <= cap) {
			__m128i x = _mm_loadu_si128((const __m128i *)p);
			__m128i lo = _mm_or_si128(x, _mm_set1_epi8(0x20));
			__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lo, _mm_set1_epi8('a' - 1)),
			                               _mm_cmplt_epi8(lo, _mm_set1_epi8('z' + 1)));
			__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
			                              _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
			__m128i space = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
			unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit),
			                                                       space));
			unsigned sp = (unsigned)_mm_movemask_epi8(space);
			/* a leading space only where it is the one separator due */
			if (ok == 0xFFFF && !(sp & (sp >> 1)) && !(sp & 0x8000) &&
			    (!(sp & 1) || (any && !gap))) {
				if (gap)
					out[o++] = ' ';
				_mm_storeu_si128((__m128i *)(out + o), lo);
				o += 16;
				p += 16;
				any = 1;
				gap = 0;
				continue;
			}
			slow = p + 8;
		}
#endif
		char c = 0;
		if (*p < 0x80) {
			c = ascii_fold[*p++];
		} else if (p[0] == 0xC3 && p + 1 < e) {
			/* the first letter of the fold is enough for matching */
			c = licit_latin1_fold(0xC0u + (p[1] & 0x3Fu))[0];
			if (c)
				c = (char)(c - 'A' + 'a');
			p += 2;
		} else {
			p++;
		}
		if (!c) {
			gap = any;
			continue;
		}
		if (gap)
			out[o++] = ' ';
		gap = 0;
		any = 1;
		out[o++] = c;
	}
	*pp = p;
	*anyp = any;
	*gapp = gap;
	return o;
}

size_t licit_text_fold(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s;
	int any = 0, gap = 0;
	size_t o = fold_some(&p, p + n, out, n + 1, &any, &gap);
	out[o] = '\0';
	return o;
}

size_t licit_text_fold_piece(struct licit_fold *f, const char *s, size_t n, char *out,
                             size_t cap)
{
	const unsigned char *p = (const unsigned char *)s + f->done;
	size_t o = fold_some(&p, (const unsigned char *)s + n, out, cap, &f->any, &f->gap);
	f->done = (size_t)(p - (const unsigned char *)s);
	return o;
}

int licit_text_has_words(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
		int left = p == hay || p[-1] == ' ';
		int right = p[n] == '\0' || p[n] == ' ';
		if (left && right)
			return 1;
	}
	return 0;
}
