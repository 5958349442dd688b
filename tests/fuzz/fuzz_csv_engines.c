/* libFuzzer target: the two CSV/TSV back ends, the in-situ one and
 * libcsv's, must read any bytes alike: the same header, rows (values,
 * line and record numbers, field counts), problems, notes and errors.
 * (Notes are compared apart from rows: how far a back end parses ahead
 * of the rows it hands out is its own business.)
 * The in-situ back end on its second thread (csv_ahead) must say exactly
 * what it says on the caller's thread, notes in the same places among
 * the rows.
 * The first byte picks the format, the encoding and the delimiter. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/reader.h"

/* Everything one back end says about the input, as text. */
struct trace {
	char *s;
	size_t n, cap;
};

static void put(struct trace *t, const char *s, size_t n)
{
	if (t->cap - t->n < n + 1) {
		size_t cap = (t->cap + n + 1) * 2;
		char *b = realloc(t->s, cap);
		if (!b)
			abort();
		t->s = b;
		t->cap = cap;
	}
	memcpy(t->s + t->n, s, n);
	t->n += n;
	t->s[t->n] = '\0';
}

static void putf(struct trace *t, const char *fmt, long a, long b, long c)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, fmt, a, b, c);
	put(t, buf, (size_t)n);
}

static void putz(struct trace *t, const char *s)
{
	put(t, s, strlen(s) + 1);
}

/* Notes, each with its line: those after a fatal error are dropped (how
 * far a back end had parsed ahead when it stopped does not matter). */
struct notes {
	struct trace t;
	long line[4096];
	size_t end[4096], n;
};

static void on_note(void *ctx, const struct licit_diag *d)
{
	struct notes *ns = ctx;
	long line = d->line;
	if (ns->n == 4096)
		return;
	putf(&ns->t, "note %ld\n", line, 0, 0);
	putz(&ns->t, d->field ? d->field : "");
	putz(&ns->t, d->value ? d->value : "");
	putz(&ns->t, d->text);
	ns->line[ns->n] = line;
	ns->end[ns->n++] = ns->t.n;
}

/* The notes on lines up to last, in the order of their lines, appended
 * to t (a header note comes when the header is read, perhaps after
 * notes on the lines parsed with it). */
static void put_notes(struct trace *t, const struct notes *ns, long last)
{
	long done = LONG_MIN;
	for (;;) {
		long next = LONG_MAX;
		for (size_t i = 0; i < ns->n; i++)
			if (ns->line[i] > done && ns->line[i] < next)
				next = ns->line[i];
		if (next == LONG_MAX || next > last)
			return;
		for (size_t i = 0; i < ns->n; i++) {
			size_t from = i ? ns->end[i - 1] : 0;
			if (ns->line[i] == next)
				put(t, ns->t.s + from, ns->end[i] - from);
		}
		done = next;
	}
}

/* a note put in the trace where it comes, among the rows */
static void on_note_here(void *ctx, const struct licit_diag *d)
{
	struct trace *t = ctx;
	putf(t, "note %ld\n", d->line, 0, 0);
	putz(t, d->field ? d->field : "");
	putz(t, d->value ? d->value : "");
	putz(t, d->text);
}

/* notes NULL: each note in t where it comes */
static void run(const uint8_t *data, size_t size, struct licit_reader_opts o, struct trace *t,
                struct notes *notes)
{
	static struct notes none;
	o.note = notes ? on_note : on_note_here;
	o.note_ctx = notes ? (void *)notes : (void *)t;
	if (!notes) {
		none.n = none.t.n = 0;
		notes = &none;
	}
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f) {
		if (size)
			abort();
		f = fopen("/dev/null", "rb");
	}
	struct licit_error err;
	struct licit_reader *r = licit_reader_open_stream(f, "fuzz", &o, &err);
	if (!r) {
		putf(t, "open error %ld\n", err.line, 0, 0);
		putz(t, err.text);
		put_notes(t, notes, err.line);
		fclose(f);
		return;
	}
	size_t nc = licit_reader_ncols(r);
	for (size_t i = 0; i < nc; i++)
		putz(t, licit_reader_header(r)[i]);
	const struct licit_row *row;
	int rc, guard = 0;
	while ((rc = licit_reader_next(r, &row, &err)) == LICIT_OK && guard++ < 100000) {
		putf(t, "row %ld %ld %ld\n", row->line, row->recno, (long)row->nfields);
		for (size_t i = 0; i < row->n; i++) {
			if (row->v[i][row->len[i]] != '\0')
				__builtin_trap();
			put(t, row->v[i], row->len[i] + 1);
		}
		for (size_t i = 0; i < row->nproblems; i++) {
			putz(t, row->problems[i].field);
			putz(t, row->problems[i].value);
			putz(t, row->problems[i].text);
		}
	}
	if (rc == LICIT_ERR) {
		putf(t, "error %ld\n", err.line, 0, 0);
		putz(t, err.text);
	}
	put_notes(t, notes, rc == LICIT_ERR ? err.line : LONG_MAX);
	if (rc == LICIT_EOF) /* after an error, a count of what was parsed ahead */
		putf(t, "recoded %ld\n", (long)licit_reader_recoded(r), 0, 0);
	licit_reader_close(r);
	fclose(f);
}

/* traps, showing both, when the traces differ */
static void same(const struct trace *a, const char *an, const struct trace *b, const char *bn)
{
	if (a->n == b->n && memcmp(a->s, b->s, a->n) == 0)
		return;
	fprintf(stderr, "--- %s:\n", an);
	fwrite(a->s, 1, a->n, stderr);
	fprintf(stderr, "\n--- %s:\n", bn);
	fwrite(b->s, 1, b->n, stderr);
	fputc('\n', stderr);
	__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char delims[] = {0, ',', ';', '\t', '|', 'x', 0, 0};
	static const enum licit_format formats[] = {LICIT_FMT_CSV, LICIT_FMT_TSV,
	                                            LICIT_FMT_AUTO, LICIT_FMT_CSV};
	if (size < 1)
		return 0;
	struct licit_reader_opts o = {0};
	o.format = formats[data[0] & 3];
	o.encoding = (enum licit_encoding)((data[0] >> 2) & 3);
	o.delimiter = delims[(data[0] >> 4) & 7];
	static struct notes na, nb;
	struct trace a = {0}, b = {0};
	na.n = nb.n = na.t.n = nb.t.n = 0;
	o.csv_engine = LICIT_CSV_FAST;
	run(data + 1, size - 1, o, &a, &na);
	o.csv_engine = LICIT_CSV_LIBCSV;
	run(data + 1, size - 1, o, &b, &nb);
	same(&a, "fast", &b, "libcsv");
	/* on the caller's thread and on a second one: the same, in order */
	struct trace c = {0}, d = {0};
	o.csv_engine = LICIT_CSV_FAST;
	run(data + 1, size - 1, o, &c, NULL);
	o.csv_ahead = 1;
	o.threads = 2;
	run(data + 1, size - 1, o, &d, NULL);
	same(&c, "fast", &d, "fast, ahead");
	free(a.s);
	free(b.s);
	free(c.s);
	free(d.s);
	return 0;
}
