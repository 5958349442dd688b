/* libFuzzer target: the dedupe engine over arbitrary CSV. At the exact
 * and key levels the streaming decisions (with and without provenance)
 * must be those of the two-pass engine row for row (kept, rule, cluster,
 * dup_of); the fuzzy level and supplier entities must run through. Each
 * row written from the reader's values (often in place, the writer's
 * span path) must be the bytes written from copies of them. */
#include "fuzz_file.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "licit/dedupe/dedupe.h"
#include "licit/io/reader.h"
#include "licit/io/writer.h"

#define MAXROWS 4096

struct dec {
	unsigned long cluster;
	int kept, rule;
	char of[64];
};

static struct licit_reader *open_csv(const char *path)
{
	struct licit_reader_opts ro = {0};
	ro.format = LICIT_FMT_CSV;
	struct licit_error err;
	return licit_reader_open(path, &ro, &err);
}

/* One run; the decisions of up to MAXROWS rows into out (NULL: none
 * kept); the count of rows, or -1 when the input is not read. */
static long run(const char *path, struct licit_dedupe_opts *o, struct dec *out)
{
	struct licit_reader *r = open_csv(path);
	if (!r)
		return -1;
	struct licit_error err;
	struct licit_dedupe *d = licit_dedupe_new(o, licit_reader_header(r), licit_reader_ncols(r),
	                                          &err);
	long n = 0;
	const struct licit_row *row;
	if (!d || licit_dedupe_bind(d, r, &err) != LICIT_OK) {
		licit_reader_close(r);
		licit_dedupe_free(d);
		return -1;
	}
	int stream = licit_dedupe_streaming(d);
	while (n < MAXROWS && licit_reader_next(r, &row, &err) == LICIT_OK) {
		struct licit_dup m;
		if (licit_dedupe_add(d, row, &m, &err) != LICIT_OK)
			break;
		if (stream && out) {
			out[n] = (struct dec){m.cluster, m.kept, (int)m.rule, ""};
			snprintf(out[n].of, sizeof out[n].of, "%s", m.of);
		}
		n++;
	}
	licit_reader_close(r);
	if (licit_dedupe_finish(d, &err) == LICIT_OK && !stream) {
		for (long i = 0; i < n; i++) {
			struct licit_dup m;
			licit_dedupe_get(d, (size_t)i, &m);
			if (out) {
				out[i] = (struct dec){m.cluster, m.kept, (int)m.rule, ""};
				snprintf(out[i].of, sizeof out[i].of, "%s", m.of);
			}
		}
		for (size_t e = 0; e < licit_dedupe_nentities(d); e++) {
			struct licit_entity en;
			licit_dedupe_entity(d, e, &en);
			if (!en.id || !*en.id)
				__builtin_trap();
		}
	}
	struct licit_dedupe_stats st;
	licit_dedupe_stats(d, &st);
	long long removed = st.removed[LICIT_RULE_EXACT] + st.removed[LICIT_RULE_KEY] +
	                    st.removed[LICIT_RULE_FUZZY] + st.removed[LICIT_RULE_NONE];
	if (st.rows != n || removed > st.rows)
		__builtin_trap();
	licit_dedupe_free(d);
	return n;
}

static void same(const struct dec *a, const struct dec *b, long n, int lean)
{
	for (long i = 0; i < n; i++) {
		if (a[i].kept != b[i].kept || a[i].rule != b[i].rule)
			__builtin_trap();
		if (!lean && (a[i].cluster != b[i].cluster || strcmp(a[i].of, b[i].of) != 0))
			__builtin_trap();
	}
}

/* The writer's bytes for each row, from the row's values and from copies. */
static void writer_check(const char *path)
{
	struct licit_reader *r = open_csv(path);
	if (!r)
		return;
	size_t nc = licit_reader_ncols(r);
	char *b1 = NULL, *b2 = NULL;
	size_t l1 = 0, l2 = 0;
	FILE *f1 = open_memstream(&b1, &l1), *f2 = open_memstream(&b2, &l2);
	struct licit_writer *w1 = licit_writer_new(f1, LICIT_FMT_CSV, licit_reader_header(r), nc);
	struct licit_writer *w2 = licit_writer_new(f2, LICIT_FMT_CSV, licit_reader_header(r), nc);
	const char **v = calloc(nc + 1, sizeof *v);
	size_t *len = calloc(nc + 1, sizeof *len);
	const struct licit_row *row;
	struct licit_error err;
	long n = 0;
	while (v && len && n++ < MAXROWS && licit_reader_next(r, &row, &err) == LICIT_OK) {
		char *copy[64];
		size_t k = nc < 64 ? nc : 64;
		for (size_t i = 0; i < nc; i++) {
			v[i] = i < row->n ? row->v[i] : "";
			len[i] = i < row->n ? row->len[i] : 0;
		}
		licit_writer_row(w1, v, len);
		for (size_t i = 0; i < k; i++) {
			copy[i] = malloc(len[i] + 1);
			if (copy[i]) {
				memcpy(copy[i], v[i], len[i] + 1);
				v[i] = copy[i];
			}
		}
		licit_writer_row(w2, v, len);
		for (size_t i = 0; i < k; i++)
			free(copy[i]);
	}
	licit_writer_close(w1, NULL);
	licit_writer_close(w2, NULL);
	fclose(f1);
	fclose(f2);
	if (nc <= 64 && (l1 != l2 || memcmp(b1, b2, l1) != 0))
		__builtin_trap();
	free(b1);
	free(b2);
	free(v);
	free(len);
	licit_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dec a[MAXROWS], b[MAXROWS], c[MAXROWS];
	const char *path = fuzz_file(data, size);
	for (int level = LICIT_DUP_EXACT; level <= LICIT_DUP_KEY; level++) {
		struct licit_dedupe_opts o;
		licit_dedupe_opts_default(&o);
		o.level = (enum licit_dup_level)level;
		long n = run(path, &o, a);
		if (n < 0)
			return 0;
		o.lean = 1;
		if (run(path, &o, b) != n)
			__builtin_trap();
		same(a, b, n, 1);
		o.lean = 0;
		o.need_all = 1; /* two passes: the reference */
		if (run(path, &o, c) != n)
			__builtin_trap();
		same(a, c, n, 0);
	}
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.level = LICIT_DUP_FUZZY;
	o.need_all = 1;
	run(path, &o, NULL);
	o.level = LICIT_DUP_KEY;
	o.keep = LICIT_KEEP_COMPLETE;
	o.entities = 1;
	run(path, &o, NULL);
	writer_check(path);
	return 0;
}
