/* libFuzzer target: licit coverage's input (the reader's raw JSON lines,
 * Cardinal's line rules, pretty-printed documents, CSV columns) and the
 * coverage counts. The first byte picks the encoding. */
#include "fuzz_file.h"

#include "licit/cardinal/cardinal_line.h"
#include "licit/cardinal/coverage.h"
#include "licit/io/reader.h"

static int add(void *ctx, struct licit_json *v, long line, struct licit_arena *a,
               struct licit_error *err)
{
	(void)line, (void)a, (void)err;
	return licit_coverage_add(ctx, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct licit_reader_opts o = {0};
	o.raw_json = 1;
	int enc = data[0] % 3 == 0 ? LICIT_ENC_AUTO : data[0] % 3 == 1 ? LICIT_ENC_LATIN1
	                                                                 : LICIT_ENC_CP1252;
	o.encoding = enc;
	struct licit_error err;
	struct licit_reader *r = licit_reader_open(fuzz_file(data + 1, size - 1), &o, &err);
	if (!r)
		return 0;
	struct licit_coverage *c = licit_coverage_new();
	if (c && licit_reader_is_raw(r)) {
		licit_cardinal_lines(r, enc, add, NULL, c, &err);
		size_t len;
		for (size_t i = 0; i < licit_coverage_count(c); i++)
			if (!licit_coverage_path(c, i, &len) || licit_coverage_n(c, i) == 0)
				abort();
	} else if (c) {
		const struct licit_row *row;
		while (licit_reader_next(r, &row, &err) == LICIT_OK)
			;
	}
	licit_coverage_free(c);
	licit_reader_close(r);
	return 0;
}
