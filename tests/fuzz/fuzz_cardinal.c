/* libFuzzer target: the Cardinal indicators' release input (through the
 * licit reader: JSON Lines or OCDS documents, releases, records,
 * packages) and the indicators
 * computed and written from whatever it accepted. The first byte picks
 * fixed thresholds instead of the fences, to reach both paths. */
#include "fuzz_file.h"

#include "licit/cardinal/cardinal.h"
#include "licit/io/reader.h"

static void ignore(void *ctx, const struct licit_diag *d)
{
	(void)ctx;
	if (!d->text) /* the text is never NULL */
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *sink;
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	if (size < 1)
		return 0;
	struct licit_cardinal_settings s;
	licit_cardinal_settings_init(&s);
	for (int i = 0; i < LICIT_NIND; i++)
		s.enabled[i] = licit_cardinal_implemented(i);
	if (data[0] & 1) {
		s.r024_has_threshold = s.r058_has_threshold = 1;
		s.r024_threshold = 0.05;
		s.r058_threshold = 0.5;
		s.r025_has_threshold = s.r038_has_threshold = s.r048_has_threshold = 1;
		s.r025_threshold = 0.05;
		s.r038_threshold = 0.5;
		s.r048_threshold = 1;
		s.r048_digits = 1 + (data[0] >> 1) % 8;
	}
	s.map = (data[0] & 2) != 0;     /* --map */
	s.summary = (data[0] & 4) != 0; /* --summary */
	struct licit_cardinal *c = licit_cardinal_new(&s);
	struct licit_error err;
	struct licit_reader_opts o = {0};
	if (c && licit_cardinal_read(c, fuzz_file(data + 1, size - 1), &o, ignore, NULL, &err) == 0) {
		long counts[4];
		licit_cardinal_finish(c);
		licit_cardinal_write(c, sink, 1, counts);
		licit_cardinal_write_summary(c, sink);
	}
	licit_cardinal_free(c);
	licit_cardinal_settings_fini(&s);
	return 0;
}
