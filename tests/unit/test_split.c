/* Unit tests of licit_split_csv: cut files read range by range exactly
 * as whole ones (tests/split_check.h), and files it must leave whole. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "../split_check.h"

static char *write_tmp(const char *data, size_t n)
{
	char *path = strdup("/tmp/licit-split-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, n), (ssize_t)n);
	close(fd);
	return path;
}

static int check(const char *data, int n)
{
	char *path = write_tmp(data, strlen(data));
	char why[600];
	int k;
	int bad = split_check(path, ',', n, &k, why, sizeof why);
	cr_assert(!bad, "%s\ninput:\n%s", why, data);
	unlink(path);
	free(path);
	return k;
}

Test(split, plain_rows_cut_at_line_ends)
{
	cr_assert_eq(check("a,b\n1,2\n3,4\n5,6\n7,8\n", 3), 3);
	cr_assert_eq(check("\xEF\xBB\xBFa,b\n1,2\n3,4\n5,6\n7,8\n", 3), 3);
}

Test(split, quoted_line_breaks_and_pairs)
{
	/* a cut never falls inside "x\ny" or after a "" pair */
	int k = check("id,text\n1,\"one\ntwo\"\n2,\"say \"\"hi\"\"\nthere\"\n3,plain\n"
	              "4,\"\"\n5,\"a,b\"\n6,\"\n\n\"\n7,end\n", 7);
	cr_assert_geq(k, 2);
}

Test(split, left_whole_when_unsure)
{
	/* CR, a blank line, a line starting with a space, a stray quote, an
	 * unterminated quoted field, a blank line after a byte order mark, a
	 * record of blank fields: the file is read by one job */
	const char *whole[] = {"a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n\n3,4\n5,6\n",
	                       "a,b\n1,2\n 3,4\n5,6\n", "a,b\n1,x\"y\n3,4\n5,6\n",
	                       "a,b\n1,\"x\n3,4\n5,6\n", "a,b\n1,\"x\" y\n3,4\n5,6\n",
	                       "\xEF\xBB\xBF\na,b\n1,2\n3,4\n", "a,b\n1,2\n,\n3,4\n"};
	for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
		cr_assert_eq(check(whole[i], 4), 0, "case %zu was cut", i);
}

/* a CSV of random records: plain, empty and quoted fields (with
 * delimiters, line breaks and "" pairs inside), ragged rows */
static size_t random_csv(char *buf, size_t cap, unsigned *seed)
{
	static const char *field[] = {"a", "bc", "", "\"\"", "\"x,y\"", "\"l1\nl2\"",
	                              "\"q\"\"q\"", "\"\n\"", " s", "t ", "\"a\"  "};
	size_t n = 0;
	int rows = 1 + rand_r(seed) % 12;
	for (int r = 0; r < rows && n + 64 < cap; r++) {
		int nf = 1 + rand_r(seed) % 4;
		for (int f = 0; f < nf; f++) {
			const char *v = field[rand_r(seed) % (sizeof field / sizeof field[0])];
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", f ? "," : "", v);
		}
		if (r + 1 < rows || rand_r(seed) % 2)
			buf[n++] = '\n';
	}
	buf[n] = '\0';
	return n;
}

Test(split, random_records_read_alike)
{
	unsigned seed = 777;
	char buf[1024];
	int cut = 0;
	for (int t = 0; t < 3000; t++) {
		random_csv(buf, sizeof buf, &seed);
		cut += check(buf, 2 + t % 6) > 0;
	}
	cr_assert_gt(cut, 300, "only %d of 3000 files were cut", cut);
}

Test(split, random_files_read_alike)
{
	/* bytes from a small alphabet, weighted toward what matters */
	static const char alpha[] = "ab,,\"\"\n\n  x\r";
	unsigned seed = 12345;
	char buf[400];
	for (int t = 0; t < 3000; t++) {
		size_t n = 20 + (size_t)(rand_r(&seed) % 300);
		for (size_t i = 0; i < n; i++)
			buf[i] = alpha[rand_r(&seed) % (sizeof alpha - 1)];
		buf[n] = '\0';
		if (t % 3 == 0) /* most records plain, some quoted */
			for (size_t i = 0; i < n; i++)
				if (buf[i] == '\r' || (buf[i] == ' ' && i % 5))
					buf[i] = 'c';
		check(buf, 2 + t % 6);
	}
}
