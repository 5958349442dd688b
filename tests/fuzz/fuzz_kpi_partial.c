/* libFuzzer target: licit kpi --merge's reader of partial files. The
 * first byte picks the options of the merge (the default KPIs by
 * entity_id and year; by buyer_id with the supplier and median KPIs; no
 * grouping), the rest is the partial file; what merges is then settled
 * and written, as the merge does. */
#include "fuzz_file.h"

#include "licit/kpi/kpi.h"

static int emit(void *ctx, const char *const *values)
{
	(void)ctx, (void)values;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const char *const ey[] = {"entity_id", "year"}, *const b[] = {"buyer_id"};
	int ids[6];
	size_t nids = 0;
	static const char *const names[] = {"suppliers", "top_supplier", "hhi", "median_tenderers",
	                                    "median_days_to_sign", "amount"};
	for (size_t i = 0; i < 6; i++)
		ids[nids++] = licit_kpi_lookup(names[i]);
	struct licit_kpi_opts o = {.cap = -1, .threads = 1, .total = data[0] & 1};
	switch (data[0] / 2 % 3) {
	case 0: o.by = ey; o.nby = 2; break;
	case 1: o.by = b; o.nby = 1; o.kpis = ids; o.nkpis = nids; break;
	default: break;
	}
	struct licit_error err;
	struct licit_kpi *k = licit_kpi_new(&o, &err);
	if (!k)
		abort();
	FILE *f = fopen(fuzz_file(data + 1, size - 1), "r");
	if (!f)
		abort();
	if (licit_kpi_merge(k, f, "fuzz", &err) == LICIT_OK && licit_kpi_finish(k, &err) == LICIT_OK)
		licit_kpi_write(k, emit, NULL);
	fclose(f);
	licit_kpi_free(k);
	return 0;
}
