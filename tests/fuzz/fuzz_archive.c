/* libFuzzer target: compressed and zipped inputs under the reader. The
 * first byte picks gzip, zstd, xz, bzip2 (the rest compressed by
 * libarchive), a zip of two members split at the second byte, or the
 * bytes as they are (corrupt streams and archives). */
#include "fuzz_pack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > 1 << 16)
		return 0;
	static const int filters[] = {ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_ZSTD,
	                              ARCHIVE_FILTER_XZ, ARCHIVE_FILTER_BZIP2};
	int mode = data[0] % 6;
	const uint8_t *d = data + 2;
	size_t n = size - 2, cut = n * data[1] / 256;
	struct licit_reader_opts o = {0};
	if (mode == 5) {
		read_all((const char *)data + 1, size - 1, &o);
		return 0;
	}
	size_t cap = 2 * n + 4096;
	char *buf = malloc(cap);
	if (!buf)
		return 0;
	struct part p[2] = {{"a.csv", d, cut}, {"b.json", d + cut, n - cut}};
	size_t len = mode == 4 ? pack(1, ARCHIVE_FILTER_NONE, p, 2, buf, cap)
	                       : pack(0, filters[mode], &(struct part){"x", d, n}, 1, buf, cap);
	if (len)
		read_all(buf, len, &o);
	free(buf);
	return 0;
}
