/* For the archive and xlsx fuzz targets: builds a compressed stream or a
 * zip in memory with libarchive's writer, so that the fuzzed bytes reach
 * the decoders' output and not only their header checks. */
#ifndef FUZZ_PACK_H
#define FUZZ_PACK_H

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/reader.h"

struct part {
	const char *name;
	const void *data;
	size_t len;
};

/* filter: ARCHIVE_FILTER_GZIP/ZSTD/XZ/BZIP2 with the raw format, or
 * ARCHIVE_FILTER_NONE with zip; returns the packed length or 0. */
static size_t pack(int zip, int filter, const struct part *p, int n, char *out, size_t cap)
{
	struct archive *a = archive_write_new();
	size_t used = 0;
	if (!a)
		return 0;
	if (zip)
		archive_write_set_format_zip(a);
	else {
		archive_write_set_format_raw(a);
		archive_write_add_filter(a, filter);
		archive_write_set_filter_option(a, NULL, "compression-level", "1");
	}
	archive_write_set_bytes_in_last_block(a, 1);
	if (archive_write_open_memory(a, out, cap, &used) != ARCHIVE_OK) {
		archive_write_free(a);
		return 0;
	}
	for (int i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, p[i].name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)p[i].len);
		if (archive_write_header(a, e) == ARCHIVE_OK)
			archive_write_data(a, p[i].data, p[i].len);
		archive_entry_free(e);
	}
	int ok = archive_write_close(a) == ARCHIVE_OK;
	archive_write_free(a);
	return ok ? used : 0;
}

/* Reads every record of a packed input through the reader's pull API. */
static void read_all(const char *buf, size_t len, const struct licit_reader_opts *o)
{
	FILE *f = fmemopen((void *)buf, len, "rb");
	if (!f)
		return;
	struct licit_error err;
	struct licit_reader *r = licit_reader_open_stream(f, "fuzz", o, &err);
	if (r) {
		const struct licit_row *row;
		int rc, guard = 0;
		while ((rc = licit_reader_next(r, &row, &err)) != LICIT_EOF && guard++ < 100000) {
			if (rc != LICIT_OK)
				continue;
			for (size_t i = 0; i < row->n; i++)
				if (row->v[i][row->len[i]] != '\0')
					__builtin_trap();
		}
		licit_reader_close(r);
	}
	fclose(f);
}

#endif
