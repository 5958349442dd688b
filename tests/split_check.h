/* For the tests of licit_split_csv (tests/unit/test_split.c and the fuzz
 * target fuzz_split): cutting a file into ranges and reading each range
 * must give, range after range, exactly the rows of one read of the whole
 * file (values, lines, record numbers, offsets, problems) and the same
 * error, if any. */
#ifndef LICIT_SPLIT_CHECK_H
#define LICIT_SPLIT_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/reader.h"
#include "licit/io/split.h"

/* Appends what a reader gives to trace (rows, then the error); 1 after
 * an error */
static inline int split_trace(FILE *t, const char *path, const struct licit_range *range,
                               char delim)
{
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV, .delimiter = delim, .threads = 1,
	                              .range = range};
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_reader *r = licit_reader_open(path, &o, &err);
	const struct licit_row *row;
	int rc = r ? LICIT_OK : LICIT_ERR;
	while (rc == LICIT_OK && (rc = licit_reader_next(r, &row, &err)) == LICIT_OK) {
		fprintf(t, "row %ld %ld %lld %zu %zu %zu:", row->line, row->recno, row->offset,
		        row->bytes, row->n, row->nfields);
		for (size_t i = 0; i < row->n; i++) {
			fprintf(t, "%zu=", row->len[i]);
			fwrite(row->v[i], 1, row->len[i], t);
			fputc('|', t);
		}
		for (size_t i = 0; i < row->nproblems; i++)
			fprintf(t, " problem %s %s", row->problems[i].field, row->problems[i].text);
		fputc('\n', t);
	}
	if (rc == LICIT_ERR)
		fprintf(t, "error %ld %s\n", err.line, err.text);
	licit_reader_close(r);
	return rc == LICIT_ERR;
}

/* 0 when the ranges of path for n jobs read as the whole file does;
 * else 1 with why filled. *nranges: how many ranges it was cut into. */
static inline int split_check(const char *path, char delim, int n, int *nranges, char *why,
                              size_t cap)
{
	struct licit_range *rs;
	struct licit_error err;
	int k = licit_split_csv(path, delim, 0, n, 1, &rs, &err);
	*nranges = k;
	if (k < 0) {
		snprintf(why, cap, "split failed: %s", err.text);
		return 1;
	}
	if (k == 0)
		return 0;
	char *a = NULL, *b = NULL;
	size_t na = 0, nb = 0;
	FILE *ta = open_memstream(&a, &na), *tb = open_memstream(&b, &nb);
	if (!ta || !tb)
		abort();
	split_trace(ta, path, NULL, delim);
	int bad = rs[0].start != 0;
	/* the jobs after one that fails do not count (cli_jobs.c) */
	for (int i = 0, failed = 0; i < k && !failed; i++) {
		bad |= i > 0 && (rs[i].start != rs[i - 1].end || rs[i].start <= rs[i - 1].start);
		failed = split_trace(tb, path, &rs[i], delim);
	}
	fclose(ta);
	fclose(tb);
	if (bad)
		snprintf(why, cap, "ranges do not follow one another");
	else if (na != nb || memcmp(a, b, na) != 0) {
		size_t i = 0;
		while (i < na && i < nb && a[i] == b[i])
			i++;
		size_t from = i > 80 ? i - 80 : 0;
		snprintf(why, cap, "%d ranges read otherwise, at byte %zu of the trace:\n"
		         "whole:  %.160s\nranges: %.160s", k, i, a + from, b + from);
		bad = 1;
	}
	free(a);
	free(b);
	free(rs);
	return bad;
}

#endif
