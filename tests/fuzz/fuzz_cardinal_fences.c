/* libFuzzer target: the readers of Cardinal's partial files (flags
 * --format cardinal --merge) and fences files (--fences). The first byte
 * picks which (even: a partial file, merged, then its fences written;
 * odd: a fences file, loaded, then the fences settled and the output
 * written), the rest is the file. Default settings: every indicator. */
#include "fuzz_file.h"

#include "licit/cardinal/cardinal.h"
#include "licit/cardinal/fences.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct licit_cardinal_settings s;
	licit_cardinal_settings_init(&s);
	struct licit_cardinal *c = licit_cardinal_new(&s);
	if (!c)
		abort();
	FILE *f = fopen(fuzz_file(data + 1, size - 1), "r"), *out = fopen("/dev/null", "w");
	if (!f || !out)
		abort();
	struct licit_error err;
	if (data[0] & 1) {
		if (licit_cardinal_fences_load(c, f, "fuzz", &err) == LICIT_OK) {
			licit_cardinal_finish(c);
			licit_cardinal_write(c, out, 1, NULL);
		}
	} else if (licit_cardinal_partial_merge(c, f, "fuzz", &err) == LICIT_OK) {
		licit_cardinal_fences_write(c, out, &err);
	}
	fclose(f);
	fclose(out);
	licit_cardinal_free(c);
	licit_cardinal_settings_fini(&s);
	return 0;
}
