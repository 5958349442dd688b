/* The loader of reference tables: small CSV files a tool reads once
 * (exchange rates, procedure types, thresholds, holidays, sanctioned
 * suppliers, reference prices, value rules) through the licit reader.
 *
 * The caller names the columns it wants; the loader finds them in the
 * header (a missing required column is an error naming it and the
 * columns the table has to have, line 1) and calls row() once per data row. */
#ifndef LICIT_TABLE_H
#define LICIT_TABLE_H

#include <stddef.h>

#include "licit/core/error.h"

enum licit_table_need {
	LICIT_COL_REQUIRED = 0, /* the table must have it */
	LICIT_COL_OPTIONAL,     /* read when present, else "" */
	LICIT_COL_ONE_OF        /* at least one of the ONE_OF columns */
};

struct licit_table_col {
	const char *name;
	enum licit_table_need need;
};

/* One data row: v[i] and len[i] are the values of the i-th wanted column
 * ("" and 0 when it is absent), all borrowed until row() returns. */
struct licit_table_row {
	const char *const *v;
	const size_t *len;
	const int *present; /* present[i]: the table has the i-th column */
	long line;          /* the row's line in the table */
	const char *source; /* the table's name in messages */
};

/* row() returns LICIT_OK to go on, or LICIT_ERR with err filled to stop. */
typedef int (*licit_table_row_fn)(void *ctx, const struct licit_table_row *r,
                                  struct licit_error *err);

/* Reads the CSV table at path ("-": standard input; the delimiter is
 * detected, the reader's encoding rules apply). At most
 * LICIT_TABLE_MAXCOLS columns. LICIT_OK, or LICIT_ERR with err (the
 * reader's, a missing column's, or row()'s). *nrows (may be NULL) gets the number
 * of data rows read. */
#define LICIT_TABLE_MAXCOLS 16
int licit_table_load(const char *path, const struct licit_table_col *cols, int ncols,
                     licit_table_row_fn row, void *ctx, long *nrows,
                     struct licit_error *err);

#endif
