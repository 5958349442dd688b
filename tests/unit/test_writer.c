/* Unit tests of the CSV and JSON Lines writers and atomic output files. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/io/writer.h"

static char *render(enum licit_format fmt, const char *const *names, size_t n,
                    const char *const *v)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct licit_writer *w = licit_writer_new(f, fmt, names, n);
	cr_assert_eq(licit_writer_row(w, v, NULL), LICIT_OK);
	cr_assert_eq(licit_writer_close(w, NULL), LICIT_OK);
	fclose(f);
	return buf;
}

Test(writer, csv_quotes_only_where_needed)
{
	const char *names[] = {"a", "b", "c", "d"};
	const char *v[] = {"plain", "x,y", "say \"hi\"", "two\nlines"};
	char *s = render(LICIT_FMT_CSV, names, 4, v);
	cr_assert_str_eq(s, "a,b,c,d\nplain,\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\n");
	free(s);
}

Test(writer, csv_header_even_without_rows)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	const char *names[] = {"x", "y"};
	licit_writer_close(licit_writer_new(f, LICIT_FMT_CSV, names, 2), NULL);
	fclose(f);
	cr_assert_str_eq(buf, "x,y\n");
	free(buf);
}

Test(writer, jsonl_numbers_for_numeric_canonical_fields)
{
	const char *names[] = {"amount", "n_tenderers", "title", "amount_mxn"};
	const char *v[] = {"1234.5", "", "a \"q\"\t", "007"};
	char *s = render(LICIT_FMT_JSONL, names, 4, v);
	cr_assert_str_eq(s, "{\"amount\":1234.5,\"n_tenderers\":null,"
	                    "\"title\":\"a \\\"q\\\"\\t\",\"amount_mxn\":\"007\"}\n");
	free(s);
}

Test(outfile, named_file_appears_only_on_commit)
{
	char dir[] = "/tmp/licit-out.XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/out.csv", dir);
	struct licit_outfile o;
	struct licit_error err;
	FILE *f = licit_outfile_open(&o, path, &err);
	cr_assert_not_null(f);
	fputs("data\n", f);
	cr_assert_neq(access(path, F_OK), 0, "visible before commit");
	cr_assert_eq(licit_outfile_commit(&o, &err), LICIT_OK);
	cr_assert_eq(access(path, F_OK), 0);

	/* an aborted run leaves the previous file as it was */
	f = licit_outfile_open(&o, path, &err);
	fputs("half", f);
	licit_outfile_abort(&o);
	FILE *in = fopen(path, "r");
	char line[16] = "";
	cr_assert_not_null(fgets(line, sizeof line, in));
	fclose(in);
	cr_assert_str_eq(line, "data\n");
	unlink(path);
	rmdir(dir);
}

Test(writer, safe_csv_neutralises_formulas_keeps_numbers)
{
	licit_writer_set_safe_csv(1);
	const char *names[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	const char *v[] = {"=1+1", "-5", "+7", "-3.25", "@SUM(A1)", "-", "1e5", "-1e",
	                   "\tx", "say \"=\""};
	char *s = render(LICIT_FMT_CSV, names, 10, v);
	cr_assert_str_eq(s, "a,b,c,d,e,f,g,h,i,j\n"
	                    "\"'=1+1\",-5,+7,-3.25,\"'@SUM(A1)\",\"'-\",1e5,\"'-1e\","
	                    "\"'\tx\",\"say \"\"=\"\"\"\n");
	free(s);
	s = render(LICIT_FMT_TSV, names, 2, v);
	cr_assert_str_eq(s, "a\tb\n'=1+1\t-5\n");
	free(s);
	licit_writer_set_safe_csv(0);
	s = render(LICIT_FMT_CSV, names, 1, v);
	cr_assert_str_eq(s, "a\n=1+1\n");
	free(s);
}

Test(writer, signal_cleanup_removes_temporaries_only)
{
	char dir[] = "/tmp/licit-unit-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char target[64];
	snprintf(target, sizeof target, "%s/out.csv", dir);
	FILE *t = fopen(target, "w");
	fputs("old\n", t);
	fclose(t);
	struct licit_outfile o;
	struct licit_error err;
	FILE *f = licit_outfile_open(&o, target, &err);
	cr_assert_not_null(f);
	fputs("new\n", f);
	fflush(f);
	cr_assert_eq(access(o.tmp, F_OK), 0);
	licit_outfile_remove_temps(); /* what the signal handler calls */
	cr_assert_neq(access(o.tmp, F_OK), 0);
	char buf[16] = "";
	t = fopen(target, "r");
	cr_assert_not_null(fgets(buf, sizeof buf, t));
	fclose(t);
	cr_assert_str_eq(buf, "old\n");
	licit_outfile_abort(&o);
	unlink(target);
	rmdir(dir);
}

/* A failed write is reported with its own reason, not with whatever errno
 * holds when the writer or the file is closed. */
Test(writer, write_error_keeps_its_reason)
{
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		cr_skip_test("no /dev/full");
	static const char *const cols[] = {"a"};
	struct licit_writer *w = licit_writer_new(f, LICIT_FMT_CSV, cols, 1);
	cr_assert_not_null(w);
	static char big[70000];
	memset(big, 'x', sizeof big - 1);
	const char *v[] = {big};
	int rc = LICIT_OK;
	for (int i = 0; i < 100 && rc == LICIT_OK; i++)
		rc = licit_writer_row(w, v, NULL);
	cr_assert_eq(rc, LICIT_ERR, "/dev/full takes no row");
	errno = EBADF; /* stale: a later call failed for another reason */
	struct licit_error err;
	licit_error_clear(&err);
	licit_writer_error(w, &err);
	cr_assert_str_eq(err.text, "write error: No space left on device");
	errno = EBADF;
	cr_assert_eq(licit_writer_close(w, &err), LICIT_ERR);
	cr_assert_str_eq(err.text, "write error: No space left on device");
	fclose(f);
}

/* Values lying one after another in one buffer, each followed by its NUL
 * (as the in-place reader leaves them): the same bytes as values apart,
 * whether a value needs quoting or not, at every length around the
 * 16-byte steps. */
Test(writer, csv_contiguous_values_as_values_apart)
{
	const char *names[] = {"a", "b", "c"};
	const char *samples[] = {"", "x", "plain words", "0123456789abcdef", "x,y", "say \"hi\"",
	                         "two\nlines", "cr\r", "a much longer value of thirty-odd bytes"};
	size_t ns = sizeof samples / sizeof *samples;
	for (size_t i = 0; i < ns; i++)
		for (size_t j = 0; j < ns; j++)
			for (size_t k = 0; k < ns; k++) {
				const char *apart[] = {samples[i], samples[j], samples[k]};
				char buf[256], *p = buf;
				const char *v[3];
				size_t len[3];
				for (int c = 0; c < 3; c++) {
					len[c] = strlen(apart[c]);
					memcpy(p, apart[c], len[c] + 1);
					v[c] = p;
					p += len[c] + 1;
				}
				char *want = render(LICIT_FMT_CSV, names, 3, apart);
				char *got = NULL;
				size_t glen = 0;
				FILE *f = open_memstream(&got, &glen);
				struct licit_writer *w = licit_writer_new(f, LICIT_FMT_CSV, names, 3);
				cr_assert_eq(licit_writer_row(w, v, len), LICIT_OK);
				cr_assert_eq(licit_writer_close(w, NULL), LICIT_OK);
				fclose(f);
				cr_assert_str_eq(got, want);
				free(got);
				free(want);
			}
}

/* What licit_writer_append wrote after a row of its own: the header, the
 * row, then bytes [4, 12) of part. */
static void check_append(FILE *f, FILE *part, const char *path)
{
	static const char *const names[] = {"x", "y"}, *const row[] = {"a", "b"};
	struct licit_writer *w = licit_writer_new(f, LICIT_FMT_CSV, names, 2);
	cr_assert_eq(licit_writer_row(w, row, NULL), LICIT_OK);
	cr_assert_eq(licit_writer_append(w, fileno(part), 4, 8), LICIT_OK);
	cr_assert_eq(licit_writer_row(w, row, NULL), LICIT_OK);
	cr_assert_eq(licit_writer_close(w, NULL), LICIT_OK);
	if (!path)
		return;
	fclose(f);
	char got[64] = {0};
	FILE *r = fopen(path, "r");
	cr_assert_not_null(r);
	size_t k = fread(got, 1, sizeof got - 1, r);
	fclose(r);
	cr_assert_eq(k, strlen("pre\nx,y\na,b\n1,2\n3,4\na,b\n"));
	cr_assert_str_eq(got, "pre\nx,y\na,b\n1,2\n3,4\na,b\n");
}

/* Another writer's records appended from its file: by sendfile(2) to a
 * file, read and written to a file open for appending (sendfile refuses
 * it) and to a memory stream (no descriptor); the header first when no
 * row came before; a file shorter than asked is an error. */
Test(writer, append_another_writers_records)
{
	FILE *part = tmpfile();
	cr_assert_not_null(part);
	fputs("skip1,2\n3,4\nmore", part);
	cr_assert_eq(fflush(part), 0);
	char path[] = "/tmp/licit-append.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "pre\n", 4), 4);
	FILE *f = fdopen(fd, "w");
	cr_assert_eq(fseek(f, 0, SEEK_END), 0);
	check_append(f, part, path);
	FILE *a = fopen(path, "w");
	fputs("pre\n", a);
	fclose(a);
	check_append(fopen(path, "a"), part, path);
	unlink(path);

	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	check_append(m, part, NULL);
	fclose(m);
	cr_assert_str_eq(buf, "x,y\na,b\n1,2\n3,4\na,b\n");
	free(buf);

	buf = NULL;
	m = open_memstream(&buf, &len);
	static const char *const names[] = {"x", "y"};
	struct licit_writer *w = licit_writer_new(m, LICIT_FMT_CSV, names, 2);
	cr_assert_eq(licit_writer_append(w, fileno(part), 4, 8), LICIT_OK);
	cr_assert_eq(licit_writer_append(w, fileno(part), 4, 100), LICIT_ERR, "part is shorter");
	struct licit_error err;
	licit_error_clear(&err);
	licit_writer_error(w, &err);
	cr_assert_str_eq(err.text, "write error: Input/output error");
	licit_writer_discard(w);
	fclose(m);
	cr_assert_eq(strncmp(buf, "x,y\n1,2\n3,4\n", 12), 0);
	free(buf);
	fclose(part);
}
