/* libarchive loaded on first use (archive_lib.h). */
#include "archive_lib.h"

#include "lazy_lib.h"

#ifndef LICIT_LIBARCHIVE_SONAME /* (CMakeLists.txt passes the one built against) */
#define LICIT_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

#define S(f) {"archive_" #f, offsetof(struct licit_la, f)}
static const struct lazy_sym syms[] = {
	S(read_new),         S(read_free),   S(read_support_format_zip), S(read_support_format_raw),
	S(read_support_filter_all), S(read_open2), S(read_open_FILE), S(read_next_header),
	S(read_data),        S(error_string), S(set_error), S(entry_pathname), S(entry_filetype),
};
#undef S

static struct licit_la la;
static struct lazy_lib lib = LAZY_LIB(LICIT_LIBARCHIVE_SONAME, syms, &la);

const struct licit_la *licit_la_load(const char *what, struct licit_error *err)
{
	return lazy_lib_load(&lib, what, err) == LICIT_OK ? &la : NULL;
}
