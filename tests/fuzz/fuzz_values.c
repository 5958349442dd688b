/* libFuzzer target: every value parser over arbitrary bytes, with small
 * and large output buffers. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdint.h>
#include <string.h>

#include "licit/core/text.h"
#include "licit/values/value.h"

/* licit_text_squeeze as it was before its SSE2 fast path, byte by byte:
 * the oracle the fast one must agree with */
static size_t squeeze_ref(const char *s, size_t n, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t o = 0;
	int pending = 0;
	while (p < e) {
		size_t w = 0;
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			w = 1;
		else if (e - p >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
			w = 2;
		if (w) {
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	char small[8], big[4096];
	char *fold = size < 4000 ? big : NULL;
	struct licit_amount a;
	for (int k = 0; k < 2; k++) {
		char *out = k ? big : small;
		size_t cap = k ? sizeof big : sizeof small;
		licit_amount_parse(s, size, &a, out, cap);
		licit_date_parse(s, size, out, cap);
		licit_rfc_check(s, size, out, cap);
		licit_name_clean(s, size, out, cap);
		licit_name_key(s, size, out, cap);
		licit_exception_parse(s, size, "LAASSP", out, cap);
		if (strnlen(out, cap) == cap)
			__builtin_trap(); /* not NUL-terminated */
	}
	if (fold) {
		licit_text_fold(s, size, fold);
		static char ref[4096];
		size_t k = licit_text_squeeze(s, size, fold);
		if (k != squeeze_ref(s, size, ref) || memcmp(fold, ref, k + 1) != 0)
			__builtin_trap(); /* the fast path and the byte loop disagree */
	}
	return 0;
}
