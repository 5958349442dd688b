/* Unit tests of dedupe's parts (-j N): rows cut into parts by hand, the
 * first part into the run's engine, the others through part engines and
 * licit_dedupe_join, against the one-job run of the same rows. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/dedupe/dedupe.h"
#include "licit/io/reader.h"

#define NROWS 90
#define HEADER "procedure_id,contract_id,title,source,source_line\n"

/* Row i: few ids and titles, so that exact copies (provenance apart),
 * key duplicates and rows without a key come often, first seen anywhere. */
static void row_text(int i, char *buf, size_t cap)
{
	static const char *const pid[] = {"P-1", "p 1", "P-2", "", "P-3"};
	static const char *const cid[] = {"C-1", "C-2", "c-1", ""};
	static const char *const title[] = {"uno", "dos"};
	unsigned h = (unsigned)i * 2654435761u;
	snprintf(buf, cap, "%s,%s,%s,f%d.csv,%d\n", pid[(h >> 7) % 5], cid[(h >> 13) % 4],
	         title[(h >> 19) % 2], i % 3, i + 2);
}

/* The CSV of rows [a, b). */
static char *csv_of(int a, int b)
{
	size_t cap = 64 * (size_t)(b - a + 2), n = strlen(HEADER);
	char *s = malloc(cap);
	cr_assert_not_null(s);
	memcpy(s, HEADER, n + 1);
	for (int i = a; i < b; i++) {
		row_text(i, s + n, cap - n);
		n += strlen(s + n);
	}
	return s;
}

struct out {
	int n;
	struct {
		int kept, rule, row;
		unsigned long cluster;
		char of[40];
	} r[NROWS];
	long long removed[LICIT_RULE_COUNT], rows, no_key;
};

static void record(struct out *o, const struct licit_dup *m, int row)
{
	cr_assert_lt(o->n, NROWS);
	o->r[o->n].kept = m->kept;
	o->r[o->n].rule = m->rule;
	o->r[o->n].row = row;
	o->r[o->n].cluster = m->cluster;
	snprintf(o->r[o->n].of, sizeof o->r[o->n].of, "%s", m->of);
	o->n++;
}

static int on_join(void *ctx, const struct licit_dup *m, const char *payload, size_t len,
                   long long at, struct licit_error *err)
{
	(void)err;
	if (!m)
		return LICIT_OK;
	int row = -1;
	if (at >= 0) { /* a row added by its place (run_parts: every third) */
		cr_assert_null(payload);
		cr_assert_eq(len, 3);
		row = (int)(at / 100);
		cr_assert_eq(row % 3, 0, "row %d was not added by its place", row);
	} else if (payload) {
		char b[16];
		cr_assert_lt(len, sizeof b);
		memcpy(b, payload, len);
		b[len] = '\0';
		row = atoi(b);
	}
	record(ctx, m, row);
	return LICIT_OK;
}

struct input {
	FILE *f;
	char *text;
	struct licit_reader *r;
};

static void input_open(struct input *in, int a, int b)
{
	struct licit_error err;
	in->text = csv_of(a, b);
	in->f = fmemopen(in->text, strlen(in->text), "rb");
	struct licit_reader_opts ro = {0};
	in->r = licit_reader_open_stream(in->f, "mem", &ro, &err);
	cr_assert_not_null(in->r, "%s", err.text);
}

static void input_close(struct input *in)
{
	licit_reader_close(in->r);
	fclose(in->f);
	free(in->text);
}

static struct licit_dedupe *engine(const struct licit_dedupe_opts *o)
{
	struct input in;
	struct licit_error err;
	input_open(&in, 0, 0);
	struct licit_dedupe *d = licit_dedupe_new(o, licit_reader_header(in.r),
	                                          licit_reader_ncols(in.r), &err);
	cr_assert_not_null(d, "%s", err.text);
	input_close(&in);
	return d;
}

static void stats(struct licit_dedupe *d, struct out *o)
{
	struct licit_dedupe_stats st;
	licit_dedupe_stats(d, &st);
	memcpy(o->removed, st.removed, sizeof o->removed);
	o->rows = st.rows;
	o->no_key = st.no_key;
}

/* Rows [a, b) into d (the run's engine), in order. */
static void feed(struct licit_dedupe *d, int a, int b, struct out *o, int all)
{
	struct input in;
	struct licit_error err;
	input_open(&in, a, b);
	cr_assert_eq(licit_dedupe_bind(d, in.r, &err), LICIT_OK);
	const struct licit_row *row;
	struct licit_dup m;
	for (int i = a; licit_reader_next(in.r, &row, &err) == LICIT_OK; i++) {
		cr_assert_eq(licit_dedupe_add(d, row, &m, &err), LICIT_OK, "%s", err.text);
		if (all || m.kept)
			record(o, &m, i);
	}
	input_close(&in);
}

/* The rows cut at cuts[0] < cuts[1] < ... (inputs end at the cuts marked
 * in newinput): each input's first part into d, the others as parts. */
static void run_parts(const struct licit_dedupe_opts *opts, const int *cuts, int ncuts,
                      struct out *o)
{
	struct licit_dedupe *d = engine(opts);
	struct licit_error err;
	int all = !opts->lean;
	struct licit_dedupe_part *p[8];
	memset(o, 0, sizeof *o);
	feed(d, 0, cuts[0], o, all);
	for (int c = 0; c < ncuts; c++) {
		int a = cuts[c], b = c + 1 < ncuts ? cuts[c + 1] : NROWS;
		p[c] = licit_dedupe_part_new(d, &err);
		cr_assert_not_null(p[c], "%s", err.text);
		struct input in;
		input_open(&in, a, b);
		cr_assert_eq(licit_dedupe_part_bind(p[c], in.r, &err), LICIT_OK);
		const struct licit_row *row;
		for (int i = a; licit_reader_next(in.r, &row, &err) == LICIT_OK; i++) {
			char b2[16];
			int n = snprintf(b2, sizeof b2, "%d", i);
			/* every third row by its place (its number times 100, 3 bytes) */
			int rc = i % 3 ? licit_dedupe_part_add(p[c], row, b2, (size_t)n, &err)
			               : licit_dedupe_part_add_at(p[c], row, 100LL * i, 3, &err);
			cr_assert_eq(rc, LICIT_OK, "%s", err.text);
		}
		cr_assert_eq(licit_dedupe_part_done(p[c], &err), LICIT_OK);
		input_close(&in);
	}
	/* joined in order, the last part only looking up */
	for (int c = 0; c < ncuts; c++) {
		struct out j = {0};
		cr_assert_eq(licit_dedupe_join(d, p[c], c == ncuts - 1, on_join, &j, &err),
		             LICIT_OK, "%s", err.text);
		for (int k = 0; k < j.n; k++)
			if (all || j.r[k].kept) {
				cr_assert_lt(o->n, NROWS);
				o->r[o->n++] = j.r[k];
			}
		licit_dedupe_part_free(p[c]);
	}
	stats(d, o);
	licit_dedupe_free(d);
}

static void same(const struct out *a, const struct out *b, const char *what)
{
	cr_assert_eq(a->n, b->n, "%s: %d rows vs %d", what, a->n, b->n);
	for (int k = 0; k < a->n; k++) {
		cr_assert_eq(a->r[k].row, b->r[k].row, "%s: row %d", what, k);
		cr_assert_eq(a->r[k].kept, b->r[k].kept, "%s: row %d", what, a->r[k].row);
		cr_assert_eq(a->r[k].rule, b->r[k].rule, "%s: row %d rule", what, a->r[k].row);
		cr_assert_eq(a->r[k].cluster, b->r[k].cluster, "%s: row %d", what, a->r[k].row);
		cr_assert_str_eq(a->r[k].of, b->r[k].of, "%s: row %d", what, a->r[k].row);
	}
	for (int r = 0; r < LICIT_RULE_COUNT; r++)
		cr_assert_eq(a->removed[r], b->removed[r], "%s: removed by rule %d", what, r);
	cr_assert_eq(a->rows, b->rows, "%s", what);
	cr_assert_eq(a->no_key, b->no_key, "%s", what);
}

static void check_level(enum licit_dup_level level, int lean)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.level = level;
	o.lean = lean;
	struct out one, parts;
	memset(&one, 0, sizeof one);
	struct licit_dedupe *d = engine(&o);
	cr_assert(licit_dedupe_parts_ok(d));
	feed(d, 0, NROWS, &one, !lean);
	stats(d, &one);
	licit_dedupe_free(d);
	cr_assert_gt(one.removed[LICIT_RULE_EXACT], 3);
	if (level == LICIT_DUP_KEY)
		cr_assert_gt(one.removed[LICIT_RULE_KEY], 3);
	/* one cut, many cuts, cuts of one row, an empty part */
	static const int c1[] = {45}, c2[] = {10, 20, 30, 60, 80}, c3[] = {1, 2, 3, 4, 89},
	                 c4[] = {30, 30, 70};
	const struct {
		const int *c;
		int n;
	} cuts[] = {{c1, 1}, {c2, 5}, {c3, 5}, {c4, 3}};
	for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
		run_parts(&o, cuts[k].c, cuts[k].n, &parts);
		char what[64];
		snprintf(what, sizeof what, "level %d lean %d cuts %zu", level, lean, k);
		same(&one, &parts, what);
	}
}

Test(dedupe_parts, exact_lean) { check_level(LICIT_DUP_EXACT, 1); }
Test(dedupe_parts, exact_removed) { check_level(LICIT_DUP_EXACT, 0); }
Test(dedupe_parts, key_lean) { check_level(LICIT_DUP_KEY, 1); }
Test(dedupe_parts, key_removed) { check_level(LICIT_DUP_KEY, 0); }

Test(dedupe_parts, not_for_ignored_key_columns_or_two_passes)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	static const char *const key[] = {"source"};
	o.key = key;
	o.nkey = 1;
	struct licit_dedupe *d = engine(&o);
	cr_assert_not(licit_dedupe_parts_ok(d));
	licit_dedupe_free(d);
	licit_dedupe_opts_default(&o);
	o.need_all = 1;
	d = engine(&o);
	cr_assert_not(licit_dedupe_parts_ok(d));
	licit_dedupe_free(d);
}
