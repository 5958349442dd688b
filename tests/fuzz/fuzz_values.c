/* libFuzzer target: every value parser over arbitrary bytes, with small
 * and large output buffers. */
#define _POSIX_C_SOURCE 200809L /* strnlen */
#include <stdint.h>
#include <string.h>

#include "licit/core/text.h"
#include "licit/values/value.h"

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
		licit_text_squeeze(s, size, fold);
	}
	return 0;
}
