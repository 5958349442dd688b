/* White-space squeezing and accent folding for matching. */
#include "licit/core/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

size_t licit_text_squeeze(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
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

size_t licit_text_fold(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t o = 0;
	int gap = 0;
	while (p < e) {
		char c = 0;
		if (*p < 0x80) {
			c = (char)*p;
			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				c = 0;
			p++;
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
			gap = o > 0;
			continue;
		}
		if (gap)
			out[o++] = ' ';
		gap = 0;
		out[o++] = c;
	}
	out[o] = '\0';
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
