/* Delimited-text back end of the reader, on libcsv. libcsv pushes fields
 * through callbacks; this file collects them into whole rows in the
 * reader's batch, so that tools can pull. */
#include "reader_impl.h"

#include <csv.h>
#include <errno.h>
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

/* Spaces around a field are not data, and a space between a closing
 * quote and the delimiter ("ACME" ,) must not reopen the field; tabs are
 * left alone because they may be the delimiter. */
static int is_space(unsigned char c)
{
	return c == ' ';
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
	/* line breaks inside quoted fields: LF, CRLF, or a lone CR */
	const char *d = data;
	for (size_t i = 0; i < n; i++)
		if (d[i] == '\n' || (d[i] == '\r' && (i + 1 == n || d[i + 1] != '\n')))
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
	char **f = malloc((s->nf ? s->nf : 1) * sizeof *f);
	if (!f) {
		s->oom = 1;
		return;
	}
	for (size_t i = 0; i < s->nf; i++)
		f[i] = s->bytes + s->off[i];
	if (!s->have_header) {
		if (reader_set_header(r, (const char *const *)f, s->len, s->nf) < 0)
			s->oom = 1;
		s->have_header = 1;
	} else {
		struct csv_record rec = {f, s->len, s->nf, line, s->row_newlines, 1, 0, 0, 0, 0};
		if (csv_row_emit(r, &rec) < 0)
			s->oom = 1;
	}
	free(f);
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

char csv_guess_delimiter(const struct input *in)
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

/* TSV (the IANA text/tab-separated-values form): one record per line,
 * fields split on tabs, no quoting; \t \n \r and \\ stand for a tab, a
 * line feed, a carriage return and a backslash, as licit writes them. */
static int tsv_line(struct licit_reader *r, struct licit_error *err)
{
	struct csv_state *s = r->csv;
	const char *line;
	size_t n;
	int rc = input_line(&r->in, &line, &n);
	if (rc < 0)
		return licit_error_set(err, r->source, s->line_next, NULL, "read error: %s",
		                       input_error(errno));
	if (rc == 1)
		return LICIT_EOF;
	long lineno = s->line_next++;
	if (n && line[n - 1] == '\r')
		n--;
	if (n == 0)
		return LICIT_OK; /* a blank line */
	char *field = malloc(n + 1);
	if (!field)
		return licit_error_set(err, r->source, lineno, NULL, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == n || line[i] == '\t') {
			on_field(field, k, s);
			k = 0;
		} else if (line[i] == '\\' && i + 1 < n && line[i + 1] && strchr("tnr\\", line[i + 1])) {
			char e = line[++i];
			field[k++] = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\\';
		} else {
			field[k++] = line[i];
		}
	}
	free(field);
	s->row_newlines = 0; /* escaped line breaks are not lines */
	emit_row(s, lineno);
	s->nf = 0;
	s->nbytes = 0;
	return s->oom ? licit_error_set(err, r->source, lineno, NULL, "out of memory")
	              : LICIT_OK;
}

/* Feeds one chunk (or the end) to libcsv. */
static int feed(struct licit_reader *r, struct licit_error *err)
{
	struct csv_state *s = r->csv;
	struct input *in = &r->in;
	if (r->format == LICIT_FMT_TSV)
		return tsv_line(r, err);
	if (in->pos == in->len) {
		int rc = input_fill(in);
		if (rc < 0)
			return licit_error_set(err, r->source, s->line_next, NULL,
			                       "read error: %s", input_error(errno));
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
	csv_set_space_func(&s->p, is_space);
	char delim = r->opts.delimiter;
	if (r->format == LICIT_FMT_TSV) {
		delim = '\t';
	} else if (!delim) {
		delim = csv_guess_delimiter(&r->in);
	}
	csv_set_delim(&s->p, (unsigned char)delim);
	r->csv_delim = delim;
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
