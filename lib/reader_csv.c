/* Delimited-text back end of the reader, on libcsv. libcsv pushes fields
 * through callbacks; this file collects them into whole rows in the
 * reader's batch, so that tools can pull. */
#include "reader_impl.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

struct csv_state {
	struct csv_parser p;
	struct licit_reader *r;
	char *bytes;          /* the current row's field bytes */
	size_t nbytes, capbytes;
	size_t *off, *len;    /* per field: offset into bytes, length */
	size_t nf, capf;
	long line_next;       /* line on which the next record starts */
	long row_newlines;    /* newlines inside the current row's quoted fields */
	int last_term;        /* the character that ended the previous line */
	int have_header;
	int oom;
};

static int no_space(unsigned char c)
{
	(void)c;
	return 0; /* keep every byte: normalise decides what is white space */
}

static void on_field(void *data, size_t n, void *ctx)
{
	struct csv_state *s = ctx;
	if (s->oom)
		return;
	if (s->nf == s->capf) {
		size_t cap = s->capf ? s->capf * 2 : 64;
		size_t *off = realloc(s->off, cap * sizeof *off);
		size_t *len = off ? realloc(s->len, cap * sizeof *len) : NULL;
		if (off)
			s->off = off;
		if (!off || !len) {
			s->oom = 1;
			return;
		}
		s->len = len;
		s->capf = cap;
	}
	if (s->capbytes - s->nbytes < n + 1) {
		size_t cap = s->capbytes ? s->capbytes : 4096;
		while (cap - s->nbytes < n + 1)
			cap *= 2;
		char *b = realloc(s->bytes, cap);
		if (!b) {
			s->oom = 1;
			return;
		}
		s->bytes = b;
		s->capbytes = cap;
	}
	if (n)
		memcpy(s->bytes + s->nbytes, data, n);
	for (size_t i = 0; i < n; i++)
		if (((const char *)data)[i] == '\n')
			s->row_newlines++;
	s->off[s->nf] = s->nbytes;
	s->len[s->nf] = n;
	s->nbytes += n;
	s->bytes[s->nbytes++] = '\0';
	s->nf++;
}

static void emit_row(struct csv_state *s, long line)
{
	struct licit_reader *r = s->r;
	if (!s->have_header) {
		const char **names = malloc((s->nf ? s->nf : 1) * sizeof *names);
		if (!names) {
			s->oom = 1;
			return;
		}
		for (size_t i = 0; i < s->nf; i++)
			names[i] = s->bytes + s->off[i];
		if (reader_set_header(r, names, s->len, s->nf) < 0)
			s->oom = 1;
		free(names);
		s->have_header = 1;
		return;
	}
	struct licit_row *row = batch_push(r);
	size_t n = r->ncols;
	char **v = row ? licit_arena_alloc(&r->batch.arena, n * sizeof *v + 1) : NULL;
	size_t *len = v ? licit_arena_alloc(&r->batch.arena, n * sizeof *len + 1) : NULL;
	if (!len) {
		s->oom = 1;
		return;
	}
	row->n = n;
	row->v = (const char *const *)v;
	row->len = len;
	row->line = line;
	row->recno = ++r->recno;
	row->nfields = s->nf;
	for (size_t i = 0; i < n; i++) {
		if (i < s->nf)
			v[i] = batch_value(r, row, r->header[i], s->bytes + s->off[i], s->len[i], &len[i]);
		else
			v[i] = licit_arena_strndup(&r->batch.arena, "", 0), len[i] = 0;
		if (!v[i]) {
			s->oom = 1;
			return;
		}
	}
	if (s->nf != n) {
		char text[96];
		snprintf(text, sizeof text, "ragged row: %zu fields, header has %zu",
		         s->nf, n);
		/* the values beyond the header are kept in the report */
		size_t from = s->nf > n ? s->off[n] : 0;
		size_t to = s->nf > n ? s->nbytes - 1 : 0;
		char *extra = s->nf > n ? s->bytes + from : "";
		for (size_t i = from; i < to; i++)
			if (s->bytes[i] == '\0')
				s->bytes[i] = '|';
		if (batch_problem(r, row, "", extra, to - from, text) < 0)
			s->oom = 1;
	}
}

static void on_row(int c, void *ctx)
{
	struct csv_state *s = ctx;
	if (s->nf == 0) {
		/* an empty line, or the LF of a CRLF pair (CSV_REPALL_NL reports
		 * every line end so that line numbers stay exact) */
		if (!(c == '\n' && s->last_term == '\r') && c != -1)
			s->line_next++;
		s->last_term = c;
		return;
	}
	long line = s->line_next;
	s->line_next += 1 + s->row_newlines;
	emit_row(s, line);
	s->row_newlines = 0;
	s->nf = 0;
	s->nbytes = 0;
	s->last_term = c;
}

static char guess_delimiter(const struct input *in)
{
	static const char cands[] = {',', ';', '\t', '|'};
	size_t count[4] = {0};
	int quoted = 0;
	for (size_t i = in->pos; i < in->len; i++) {
		char c = in->buf[i];
		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted)
			for (int k = 0; k < 4; k++)
				if (c == cands[k])
					count[k]++;
	}
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (count[k] > count[best])
			best = k;
	return cands[best];
}

/* Feeds one chunk (or the end) to libcsv. */
static int feed(struct licit_reader *r, struct licit_error *err)
{
	struct csv_state *s = r->csv;
	struct input *in = &r->in;
	if (in->pos == in->len) {
		int rc = input_fill(in);
		if (rc < 0)
			return licit_error_set(err, r->source, s->line_next, NULL,
			                       "read error");
		if (rc == 1) {
			/* libcsv's lenient mode would end an unclosed quoted field
			 * silently at EOF: its public state says we are inside one */
			if ((s->p.quoted && s->p.pstate == 2 /* FIELD_BEGUN */) ||
			    csv_fini(&s->p, on_field, on_row, s) != 0)
				return licit_error_set(err, r->source, s->line_next, NULL,
				                       "unterminated quoted field "
				                       "(the record starting here never ends)");
			return LICIT_EOF;
		}
	}
	size_t n = in->len - in->pos;
	if (csv_parse(&s->p, in->buf + in->pos, n, on_field, on_row, s) != n)
		return licit_error_set(err, r->source, s->line_next, NULL, "%s",
		                       csv_strerror(csv_error(&s->p)));
	in->pos = in->len;
	in->consumed += (long long)n;
	if (s->oom)
		return licit_error_set(err, r->source, s->line_next, NULL,
		                       "out of memory");
	return LICIT_OK;
}

int csv_open(struct licit_reader *r, struct licit_error *err)
{
	struct csv_state *s = calloc(1, sizeof *s);
	if (!s)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	r->csv = s;
	s->r = r;
	s->line_next = 1;
	if (csv_init(&s->p, CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	csv_set_space_func(&s->p, no_space);
	char delim = r->opts.delimiter;
	if (r->format == LICIT_FMT_TSV) {
		delim = '\t';
		csv_set_quote(&s->p, '\0'); /* TSV has no quoting */
	} else if (!delim) {
		delim = guess_delimiter(&r->in);
	}
	csv_set_delim(&s->p, (unsigned char)delim);
	while (!s->have_header) {
		int rc = feed(r, err);
		if (rc == LICIT_ERR) {
			r->failed = 1;
			return LICIT_ERR;
		}
		if (rc == LICIT_EOF)
			break;
	}
	if (!s->have_header)
		return licit_error_set(err, r->source, 1, NULL,
		                       "empty input: no header line");
	return LICIT_OK;
}

int csv_fill(struct licit_reader *r, struct licit_error *err)
{
	while (r->batch.count == 0) {
		int rc = feed(r, err);
		if (rc == LICIT_ERR) {
			r->failed = 1;
			return LICIT_ERR;
		}
		if (rc == LICIT_EOF)
			return r->batch.count ? LICIT_OK : LICIT_EOF;
	}
	return LICIT_OK;
}

void csv_close(struct licit_reader *r)
{
	struct csv_state *s = r->csv;
	if (!s)
		return;
	csv_free(&s->p);
	free(s->bytes);
	free(s->off);
	free(s->len);
	free(s);
	r->csv = NULL;
}
