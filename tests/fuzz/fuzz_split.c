/* libFuzzer target: licit_split_csv's ranges, each read with the
 * reader's range option, must give exactly the rows and error of one
 * read of the whole file (tests/split_check.h). The first byte picks the
 * number of jobs and the delimiter. */
#include "fuzz_file.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../split_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int n = 2 + data[0] % 7;
	char delim = data[0] & 0x80 ? ';' : ',';
	const char *path = fuzz_file(data + 1, size - 1);
	char why[600];
	int k;
	if (split_check(path, delim, n, &k, why, sizeof why)) {
		fprintf(stderr, "%s\n", why);
		abort();
	}
	return 0;
}
