/* libFuzzer target: reader + normaliser end to end (mapping, cleaning,
 * derived fields) over arbitrary CSV or JSON input. */
#include <stdint.h>
#include <stdio.h>

#include "licit/normalise/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct licit_error err;
	struct licit_norm_opts no = {.ocid_prefix = "x-"};
	struct licit_normaliser *n = licit_normaliser_new(&no, &err);
	struct licit_reader *r = licit_reader_open_stream(f, "fuzz", NULL, &err);
	if (n && r && licit_normaliser_bind(n, r, NULL, NULL, &err) == LICIT_OK) {
		const struct licit_row *row;
		const char *const *out;
		int rc, guard = 0;
		while ((rc = licit_reader_next(r, &row, &err)) != LICIT_EOF && guard++ < 100000)
			if (rc == LICIT_OK)
				licit_normaliser_row(n, row, "fuzz", &out, NULL, NULL, &err);
	}
	licit_reader_close(r);
	licit_normaliser_free(n);
	fclose(f);
	return 0;
}
