/* White-space squeezing and accent folding for matching. */
#include "licit/text.h"

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

size_t licit_text_squeeze(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t o = 0, w;
	int pending = 0;
	while (p < e) {
		if (is_ws(p, (size_t)(e - p), &w)) {
			pending = o > 0;
			p += w;
			continue;
		}
		if (pending)
			out[o++] = ' ';
		pending = 0;
		out[o++] = (char)*p++;
	}
	out[o] = '\0';
	return o;
}

/* ASCII letter for a Latin-1 supplement code point (U+00C0-U+00FF), or 0. */
static char fold_latin1(unsigned cp)
{
	static const char map[64] =
		"aaaaaaaceeeeiiii"  /* C0-CF */
		"dnooooo ouuuuy s"  /* D0-DF: D7 is x (multiply), DE thorn */
		"aaaaaaaceeeeiiii"  /* E0-EF */
		"dnooooo ouuuuy y"; /* F0-FF */
	if (cp < 0xC0 || cp > 0xFF)
		return 0;
	char c = map[cp - 0xC0];
	return c == ' ' ? 0 : c;
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
		} else if ((p[0] == 0xC3) && p + 1 < e) {
			c = fold_latin1(0xC0u + (p[1] & 0x3Fu));
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
