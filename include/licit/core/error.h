/* Error reports: the library never prints; it fills a caller-provided
 * struct licit_error and returns a status, as jansson does. */
#ifndef LICIT_ERROR_H
#define LICIT_ERROR_H

#include <stdarg.h>

/* Status codes returned by step-style functions (reader, writer). */
enum { LICIT_OK = 0, LICIT_EOF = 1, LICIT_ERR = -1 };

struct licit_error {
	char source[256]; /* file name, "-" for standard input, "" if none */
	long line;        /* 1-based line, 0 when not about a line */
	char field[64];   /* field or column name, "" when not about one */
	char text[256];   /* what went wrong, in words */
};

void licit_error_clear(struct licit_error *e);
/* Fills e (if not NULL) with a formatted message; returns LICIT_ERR so
 * that callers can `return licit_error_set(...)`. */
int licit_error_set(struct licit_error *e, const char *source, long line,
                    const char *field, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
