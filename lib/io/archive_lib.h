/* libarchive's functions, loaded when an input first needs them
 * (lazy_lib.h): compressed streams other than gzip, zip archives, xlsx. */
#ifndef LICIT_ARCHIVE_LIB_H
#define LICIT_ARCHIVE_LIB_H

#include <stdio.h>

#include <archive.h>
#include <archive_entry.h>

#include "licit/core/error.h"

struct licit_la {
	__typeof__(archive_read_new) *read_new;
	__typeof__(archive_read_free) *read_free;
	__typeof__(archive_read_support_format_zip) *read_support_format_zip;
	__typeof__(archive_read_support_format_raw) *read_support_format_raw;
	__typeof__(archive_read_support_filter_all) *read_support_filter_all;
	__typeof__(archive_read_open2) *read_open2;
	__typeof__(archive_read_open_FILE) *read_open_FILE;
	__typeof__(archive_read_next_header) *read_next_header;
	__typeof__(archive_read_data) *read_data;
	__typeof__(archive_error_string) *error_string;
	__typeof__(archive_set_error) *set_error;
	__typeof__(archive_entry_pathname) *entry_pathname;
	__typeof__(archive_entry_filetype) *entry_filetype;
};

/* The functions, or NULL with err (the library cannot be loaded; what,
 * "compressed input" or "xlsx input", names the need). */
const struct licit_la *licit_la_load(const char *what, struct licit_error *err);

#endif
