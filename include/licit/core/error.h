/* The library's contract: how every lib/ function reports failure and
 * diagnostics, and who owns what. The rule is stated here once.
 *
 * RETURNS
 *   A function that can fail returns int: LICIT_OK (0) on success,
 *   LICIT_ERR (-1) on failure; a step function (licit_reader_next and the
 *   like) returns LICIT_EOF (1) at the end. A constructor returns a
 *   pointer, NULL on failure. On failure the function fills the caller's
 *   struct licit_error (when the pointer is not NULL) and leaves its
 *   outputs unspecified. Running out of memory is a failure like any
 *   other: it is never turned into an empty value or a blank field.
 *   struct licit_error is only ever an error: a function that returns
 *   LICIT_OK leaves nothing in it for the caller to read.
 *
 * DIAGNOSTICS
 *   Everything else worth telling (a value that is not a date, a rule off
 *   for lack of a table, a duplicate column name, a skipped line) goes to
 *   the caller's licit_diag_fn, one call per diagnostic, with a struct
 *   licit_diag. A NULL callback drops them. The library never prints.
 *
 * OWNERSHIP
 *   - Every string in a struct licit_diag is borrowed for the duration of
 *     the call: a callback that keeps one copies it.
 *   - x_new() returns an object the caller owns and frees with x_free();
 *     every x_free() accepts NULL. x_init()/x_fini() work on a struct the
 *     caller owns (often on the stack); x_fini() frees what x_init() and
 *     later calls allocated, not the struct.
 *   - A `const` pointer returned by a getter (a row, a header name, a key)
 *     is borrowed from the object: valid until the call its comment
 *     names (the next row, the object's free), never freed by the
 *     caller. A `char *` result that the caller must free says so.
 *   - Strings passed in are borrowed for the call unless the function
 *     says it keeps them (licit_map_put copies its keys, for example). */
#ifndef LICIT_ERROR_H
#define LICIT_ERROR_H

#include <stdarg.h>

enum { LICIT_OK = 0, LICIT_EOF = 1, LICIT_ERR = -1 };

/* A failure, filled by the function that fails (caller-owned). */
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

enum licit_severity {
	LICIT_NOTE = 0, /* information; nothing is lost (a rule off for lack of a
	                   table, a duplicate column name, a recoded value) */
	LICIT_WARNING,  /* a value or a record is left out or taken as missing,
	                   and the run goes on */
	LICIT_ERROR     /* a failure reported as it happens (a skipped JSON Lines
	                   line); the function's return value still says it */
};

/* One diagnostic. Every pointer is borrowed for the call; source, field
 * and value are NULL when the diagnostic is not about one. */
struct licit_diag {
	enum licit_severity severity;
	const char *source; /* file name, "-" for standard input */
	long line;          /* 1-based line (or record), 0 when not about one */
	const char *field;  /* the field or column */
	const char *value;  /* the value as read */
	const char *text;   /* what is wrong, in words, never NULL */
};

typedef void (*licit_diag_fn)(void *ctx, const struct licit_diag *d);

/* Formats text and calls fn (nothing when fn is NULL). */
void licit_diag(licit_diag_fn fn, void *ctx, enum licit_severity severity,
                const char *source, long line, const char *field, const char *value,
                const char *fmt, ...) __attribute__((format(printf, 8, 9)));
/* Hands an error on to fn as a diagnostic of that severity. */
void licit_diag_error(licit_diag_fn fn, void *ctx, enum licit_severity severity,
                      const struct licit_error *e);
/* "warning", "note" or "error". */
const char *licit_severity_name(enum licit_severity s);

#endif
