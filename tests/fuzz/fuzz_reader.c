/* libFuzzer target: the record reader over arbitrary bytes, in every
 * format; the first byte picks the format and the encoding. */
#include <stdint.h>
#include <stdio.h>

#include "licit/io/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct licit_reader_opts o = {0};
	o.format = (enum licit_format)(data[0] % 5);
	o.encoding = (enum licit_encoding)((data[0] >> 3) % 4);
	FILE *f = fmemopen((void *)(data + 1), size - 1, "rb");
	if (!f)
		return 0;
	struct licit_error err;
	struct licit_reader *r = licit_reader_open_stream(f, "fuzz", &o, &err);
	if (r) {
		const struct licit_row *row;
		int rc, guard = 0;
		while ((rc = licit_reader_next(r, &row, &err)) != LICIT_EOF && guard++ < 100000) {
			if (rc != LICIT_OK)
				continue; /* JSON Lines go on after a bad line */
			for (size_t i = 0; i < row->n; i++)
				if (row->v[i][row->len[i]] != '\0')
					__builtin_trap();
		}
		licit_reader_close(r);
	}
	fclose(f);
	return 0;
}
