/* A shared library loaded the first time a run needs it (dlopen), so that
 * a run that does not need it maps neither it nor the libraries it pulls
 * in. libarchive (compressed input, zip, xlsx input) and libxlsxwriter
 * (xlsx output) are loaded so: linked, they and theirs (libcrypto,
 * libxml2, ICU, libstdc++) took about 4 MB of resident memory from the
 * start of every run.
 *
 * A table of functions is a struct of function pointers and a list of
 * the symbols' names with their places in it. lazy_lib_load fills it
 * once, whichever thread asks first: LICIT_OK, or LICIT_ERR with err
 * saying what needed it, the library and why it did not load (every
 * later call says the same). */
#ifndef LICIT_LAZY_LIB_H
#define LICIT_LAZY_LIB_H

#include <pthread.h>
#include <stddef.h>

#include "licit/core/error.h"

struct lazy_sym {
	const char *name;
	size_t at; /* offsetof the pointer in the table */
};

struct lazy_lib {
	const char *soname;
	const struct lazy_sym *sym;
	size_t nsym;
	void *table;
	pthread_mutex_t lock;
	int tried, ok;
	char why[300];
};

/* The library named name whose symbols s (an array) fill table t; the
 * loader's own state starts empty. */
#define LAZY_LIB(name, s, t)                                                        \
	{.soname = (name), .sym = (s), .nsym = sizeof(s) / sizeof((s)[0]), .table = (t), \
	 .lock = PTHREAD_MUTEX_INITIALIZER}

int lazy_lib_load(struct lazy_lib *l, const char *what, struct licit_error *err);

#endif
