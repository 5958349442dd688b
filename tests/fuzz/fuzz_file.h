/* For fuzz targets whose reader takes a path: the input is written to an
 * in-memory file (memfd), reused for every input, named by a /proc path.
 * fuzz_file_slot gives a target more than one such file (slots 0-3). */
#ifndef LICIT_FUZZ_FILE_H
#define LICIT_FUZZ_FILE_H

#define _GNU_SOURCE /* memfd_create */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static inline const char *fuzz_file_slot(int slot, const void *data, size_t size)
{
	static int fd[4] = {-1, -1, -1, -1};
	static char path[4][64];
	if (fd[slot] < 0) {
		if ((fd[slot] = memfd_create("licit-fuzz", 0)) < 0)
			abort();
		snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
	}
	if (ftruncate(fd[slot], 0) != 0 || pwrite(fd[slot], data, size, 0) != (ssize_t)size)
		abort();
	return path[slot];
}

static inline const char *fuzz_file(const void *data, size_t size)
{
	return fuzz_file_slot(0, data, size);
}

#endif
