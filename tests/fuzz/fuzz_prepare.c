/* libFuzzer target: licit prepare's input and corrections. The input is
 * a settings file and releases, split at the first NUL byte (no NUL:
 * releases only, the default settings); the corrected releases and the
 * issues are written to /dev/null. */
#include "fuzz_file.h"

#include <string.h>

#include "licit/cardinal/cardinal_line.h"
#include "licit/cardinal/prepare.h"
#include "licit/io/reader.h"
#include "licit/core/settings.h"

static FILE *sink;

static void issue(void *ctx, long line, const struct licit_json *ocid, const char *path,
                  const char *indexes, const char *value, const char *description)
{
	(void)ctx, (void)ocid;
	fprintf(sink, "%ld,%s,%s,%s,%s\n", line, path, indexes, value, description);
}

static int one(void *ctx, struct licit_json *v, long line, struct licit_arena *a,
               struct licit_error *err)
{
	(void)err;
	if (licit_prepare_release(ctx, v, a, line, issue, NULL, NULL) < 0)
		return -1;
	licit_cardinal_json_write(sink, v);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!sink && !(sink = fopen("/dev/null", "w")))
		abort();
	const uint8_t *nul = memchr(data, 0, size);
	struct licit_error err;
	struct licit_ini *ini = NULL;
	if (nul) {
		ini = licit_ini_load(fuzz_file(data, (size_t)(nul - data)), &err);
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
		if (!ini)
			return 0;
	}
	struct licit_prepare_settings s;
	if (licit_prepare_settings_load(&s, ini, &err) == LICIT_OK) {
		struct licit_reader_opts o = {0};
		o.raw_json = 1;
		o.format = LICIT_FMT_JSONL;
		struct licit_reader *r = licit_reader_open(fuzz_file(data, size), &o, &err);
		if (r)
			licit_cardinal_lines(r, LICIT_ENC_AUTO, one, NULL, &s, &err);
		licit_reader_close(r);
	}
	licit_prepare_settings_fini(&s);
	licit_ini_free(ini);
	return 0;
}
