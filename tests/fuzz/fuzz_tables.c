/* libFuzzer target: every table a tool reads beside its input. The first
 * byte picks the table, the rest is its contents: normalise's --rates and
 * --proc-types, and the flags tables a settings file names (thresholds,
 * holidays, sanctioned list, incorporation dates, BESA register), each
 * loaded as licit_flags_new loads it. */
#include "fuzz_file.h"

#include <string.h>

#include "licit/flags/flags.h"
#include "licit/normalise/normalise.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int which = data[0] % 7;
	const char *table = fuzz_file_slot(1, data + 1, size - 1);
	struct licit_error err;
	if (which < 2) {
		struct licit_norm_opts no = {0};
		if (which == 0)
			no.rates_path = table;
		else
			no.proctypes_path = table;
		licit_normaliser_free(licit_normaliser_new(&no, &err));
		return 0;
	}
	static const char *const keys[] = {"[MX-DIRECT-THRESHOLD]\ntable", "[MX-HOLIDAY]\nholidays",
	                                   "[MX-SANCTIONED]\nlist", "[MX-NEW-COMPANY]\ntable",
	                                   "[BESA-UNREGISTERED]\nregister"};
	char ini[256];
	int n = snprintf(ini, sizeof ini, "%s = %s\n", keys[which - 2], table);
	const char *path = fuzz_file_slot(0, ini, (size_t)n);
	struct licit_flags_settings s;
	if (licit_flags_settings_load(&s, path, NULL, &err) == 0)
		licit_flags_free(licit_flags_new(&s, NULL, NULL, &err));
	licit_flags_settings_fini(&s);
	return 0;
}
