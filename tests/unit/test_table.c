/* Unit tests for the reference-table loader (licit_table_load). */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/io/table.h"

static char *write_table(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/licit_table_XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

struct got {
	char buf[512];
	long stop_at;
};

static int collect(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct got *g = ctx;
	size_t p = strlen(g->buf);
	snprintf(g->buf + p, sizeof g->buf - p, "%ld:%s|%s|%s(%zu,%d);", r->line, r->v[0], r->v[1],
	         r->v[2], r->len[2], r->present[2]);
	if (r->line == g->stop_at)
		return licit_error_set(err, r->source, r->line, "rate", "stop here");
	return LICIT_OK;
}

static const struct licit_table_col cols[] = {
	{"date", LICIT_COL_REQUIRED}, {"currency", LICIT_COL_REQUIRED}, {"note", LICIT_COL_OPTIONAL}};

Test(table, rows_in_wanted_column_order)
{
	char *path = write_table("currency;extra;date\nUSD;x;2020-01-02\nEUR;y;2020-01-03\n");
	struct got g = {"", 0};
	struct licit_error err;
	long n = -1;
	cr_assert_eq(licit_table_load(path, cols, 3, collect, &g, &n, &err), LICIT_OK, "%s",
	             err.text);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(g.buf, "2:2020-01-02|USD|(0,0);3:2020-01-03|EUR|(0,0);");
	unlink(path);
}

Test(table, missing_required_column)
{
	char *path = write_table("date,rate\n2020-01-02,1\n");
	struct got g = {"", 0};
	struct licit_error err;
	cr_assert_eq(licit_table_load(path, cols, 3, collect, &g, NULL, &err), LICIT_ERR);
	cr_assert_str_eq(err.text, "missing column 'currency' (the table is date,currency)");
	cr_assert_str_eq(err.field, "currency");
	cr_assert_eq(err.line, 1);
	cr_assert_str_eq(err.source, path);
	cr_assert_str_eq(g.buf, "", "no row is read");
	unlink(path);
}

Test(table, one_of)
{
	static const struct licit_table_col any[] = {{"contract_id", LICIT_COL_ONE_OF},
	                                             {"ocid", LICIT_COL_ONE_OF},
	                                             {"procedure_id", LICIT_COL_ONE_OF},
	                                             {"amount", LICIT_COL_REQUIRED}};
	char *path = write_table("amount,x\n1,2\n");
	struct licit_error err;
	struct got g = {"", 0};
	cr_assert_eq(licit_table_load(path, any, 4, collect, &g, NULL, &err), LICIT_ERR);
	cr_assert_str_eq(err.text, "the table needs a column contract_id, ocid or procedure_id");
	unlink(path);
	path = write_table("ocid,amount\nA,1\n");
	cr_assert_eq(licit_table_load(path, any, 4, collect, &g, NULL, &err), LICIT_OK, "%s",
	             err.text);
	cr_assert_str_eq(g.buf, "2:|A|(0,0);");
	unlink(path);
}

Test(table, row_error_stops)
{
	char *path = write_table("date,currency,note\n2020-01-02,USD,a\n2020-01-03,EUR,bb\n"
	                         "2020-01-04,GBP,c\n");
	struct got g = {"", 3};
	struct licit_error err;
	long n = 0;
	cr_assert_eq(licit_table_load(path, cols, 3, collect, &g, &n, &err), LICIT_ERR);
	cr_assert_str_eq(err.text, "stop here");
	cr_assert_eq(err.line, 3);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(g.buf, "2:2020-01-02|USD|a(1,1);3:2020-01-03|EUR|bb(2,1);");
	unlink(path);
}

Test(table, unreadable)
{
	struct licit_error err;
	struct got g = {"", 0};
	cr_assert_eq(licit_table_load("/nonexistent/t.csv", cols, 3, collect, &g, NULL, &err),
	             LICIT_ERR);
	cr_assert_str_eq(err.source, "/nonexistent/t.csv");
	cr_assert_eq(licit_table_load("/nonexistent/t.csv", cols, 0, collect, &g, NULL, &err),
	             LICIT_ERR);
}
