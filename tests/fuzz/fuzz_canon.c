/* libFuzzer target: the typed canonical record over arbitrary values. The
 * input is split at 0x1F into the values of the canonical fields, in
 * order; each amount read as OK must equal the plain-decimal parser's
 * value bit for bit, and the derived values must follow their rules. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/stats.h"
#include "licit/io/reader.h"
#include "licit/record/canon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	const char *v[LICIT_NFIELDS];
	size_t len[LICIT_NFIELDS];
	struct licit_cols cols;
	size_t n = 0;
	char *p = buf;
	while (n < LICIT_NFIELDS) {
		char *e = memchr(p, 0x1f, size - (size_t)(p - buf));
		v[n] = p;
		len[n] = e ? (size_t)(e - p) : strlen(p);
		cols.col[n] = (int)n;
		n++;
		if (!e)
			break;
		*e = '\0';
		p = e + 1;
	}
	for (size_t f = n; f < LICIT_NFIELDS; f++)
		cols.col[f] = -1;
	struct licit_row row = {.n = n, .v = v, .len = len};
	struct licit_canon_ctx cx;
	struct licit_canon c;
	if (licit_canon_init_cols(&cx, &cols, LICIT_NEED_ALL | LICIT_NEED_INTERN) == 0 &&
	    licit_canon_load(&cx, &row, &c) == 0) {
		static const int amt[2] = {LICIT_F_AMOUNT, LICIT_F_AMOUNT_MXN};
		for (int i = 0; i < 2; i++) {
			int f = amt[i];
			double want;
			int ok = c.state[f] == LICIT_SLOT_OK;
			/* text with a NUL inside is not a plain decimal to either */
			if (strlen(c.text[f]) != c.len[f])
				continue;
			if (ok != (c.len[f] && licit_parse_number(c.text[f], &want) == 0))
				__builtin_trap();
			const struct licit_decimal *d = f == LICIT_F_AMOUNT ? &c.amount : &c.amount_mxn;
			if (ok && memcmp(&d->value, &want, sizeof want) != 0)
				__builtin_trap();
		}
		if (c.has_mxn && !c.has_amt)
			__builtin_trap();
		if ((c.date == LICIT_NO_DAY) != (c.year == 0))
			__builtin_trap();
		for (int f = 0; f < LICIT_NFIELDS; f++)
			if (c.state[f] == LICIT_SLOT_BAD && !licit_canon_why(&c, f) &&
			    licit_field_type(f) != LICIT_T_TEXT)
				__builtin_trap();
		licit_canon_free(&cx);
	}
	free(buf);
	return 0;
}
