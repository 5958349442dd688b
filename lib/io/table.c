/* The loader of reference tables (include/licit/io/table.h). */
#include "licit/io/table.h"

#include <stdio.h>
#include <string.h>

#include "licit/core/manifest.h"
#include "licit/io/reader.h"

/* "date,currency,rate": the columns the table has to have, for messages. */
static void wanted(const struct licit_table_col *cols, int ncols, char *buf, size_t cap)
{
	size_t p = 0;
	buf[0] = '\0';
	for (int i = 0; i < ncols && p < cap; i++)
		if (cols[i].need != LICIT_COL_OPTIONAL)
			p += (size_t)snprintf(buf + p, cap - p, "%s%s", p ? "," : "", cols[i].name);
}

/* The columns' indices in r (-1 when absent), or LICIT_ERR. */
static int find_cols(struct licit_reader *r, const char *path,
                     const struct licit_table_col *cols, int ncols, int *idx,
                     struct licit_error *err)
{
	int one_of = 0, found_one = 0;
	char list[256];
	for (int i = 0; i < ncols; i++) {
		idx[i] = licit_reader_col(r, cols[i].name);
		if (cols[i].need == LICIT_COL_ONE_OF) {
			one_of++;
			found_one += idx[i] >= 0;
		} else if (cols[i].need == LICIT_COL_REQUIRED && idx[i] < 0) {
			wanted(cols, ncols, list, sizeof list);
			return licit_error_set(err, path, 1, cols[i].name,
			                       "missing column '%s' (the table is %s)", cols[i].name,
			                       list);
		}
	}
	if (one_of && !found_one) {
		size_t p = 0;
		int seen = 0;
		for (int i = 0; i < ncols && p < sizeof list; i++)
			if (cols[i].need == LICIT_COL_ONE_OF)
				p += (size_t)snprintf(list + p, sizeof list - p, "%s%s",
				                      !seen++ ? "" : seen == one_of ? " or " : ", ",
				                      cols[i].name);
		for (int i = 0; i < ncols; i++)
			if (cols[i].need == LICIT_COL_ONE_OF)
				return licit_error_set(err, path, 1, cols[i].name,
				                       "the table needs a column %s", list);
	}
	return LICIT_OK;
}

int licit_table_load(const char *path, const struct licit_table_col *cols, int ncols,
                     licit_table_row_fn fn, void *ctx, long *nrows,
                     struct licit_error *err)
{
	if (nrows)
		*nrows = 0;
	if (ncols < 1 || ncols > LICIT_TABLE_MAXCOLS)
		return licit_error_set(err, path, 0, NULL, "a table of %d columns", ncols);
	struct licit_reader_opts ro = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = licit_reader_open(path, &ro, err);
	if (!r)
		return LICIT_ERR;
	licit_manifest_loaded(path);
	const char *src = licit_reader_source(r);
	int idx[LICIT_TABLE_MAXCOLS], present[LICIT_TABLE_MAXCOLS];
	int rc = find_cols(r, src, cols, ncols, idx, err);
	for (int i = 0; i < ncols; i++)
		present[i] = idx[i] >= 0;
	const struct licit_row *row;
	long n = 0;
	while (rc == LICIT_OK && (rc = licit_reader_next(r, &row, err)) == LICIT_OK) {
		const char *v[LICIT_TABLE_MAXCOLS];
		size_t len[LICIT_TABLE_MAXCOLS];
		for (int i = 0; i < ncols; i++) {
			int c = idx[i];
			int in = c >= 0 && (size_t)c < row->n;
			v[i] = in ? row->v[c] : "";
			len[i] = in ? row->len[c] : 0;
		}
		struct licit_table_row tr = {v, len, present, row->line, src};
		n++;
		if (fn(ctx, &tr, err) != LICIT_OK)
			rc = LICIT_ERR;
	}
	licit_reader_close(r);
	if (nrows)
		*nrows = n;
	return rc == LICIT_EOF ? LICIT_OK : LICIT_ERR;
}
