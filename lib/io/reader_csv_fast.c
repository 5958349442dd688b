/* The in-situ delimited-text back end (the default; libcsv's in
 * reader_csv.c is the reference). Input is read in large blocks; a
 * record's fields are found by scanning 64 bytes at a time for the bytes
 * that matter (delimiter, quote, CR, LF) and its values are NUL-terminated
 * where they lie in the read buffer, so the rows of a batch point into it.
 * Only a quoted field holding quotes is rewritten, in place (a value is
 * never longer than its bytes).
 *
 * It reads CSV exactly as libcsv does with CSV_REPALL_NL and only the
 * space as a blank (see reader_csv.c): leading spaces of a field and
 * trailing spaces of an unquoted one are dropped, a quote inside an
 * unquoted field is data, and text after a closing quote carries on the
 * quoted field. A record is scanned first without writing anything, so a
 * record cut by the end of the buffer is scanned again whole after the
 * next read. tests/fuzz/fuzz_csv_engines.c checks both back ends agree. */
#include "reader_impl.h"

#include "licit/io/split.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifndef FAST_READ /* the fuzz build makes both tiny (see CMakeLists.txt) */
#define FAST_READ (1 << 20) /* bytes asked of the stream at a time */
#define FAST_LOW (1 << 16)  /* read again when fewer are left */
#endif
#define FAST_PAD 64         /* zero bytes kept after the data */
#define FAST_BATCH 256      /* rows per batch */

enum { REC_ROW, REC_MORE, REC_EOF, REC_ERR };
enum { F_PLAIN, F_QUOTED, F_REPLAY }; /* how a field's value is found */

struct fast_field {
	size_t start, end; /* value, or for F_REPLAY the bytes after the open quote */
	int kind, breaks;  /* breaks: the bytes hold CR or LF */
};

struct csv_fast {
	struct fast_field *fld;
	char **f;
	size_t *len;
	size_t cap;
	long line_next;
	int last_term;
	int have_header;
	unsigned char delim;
	size_t base;    /* block whose mask is cached, or SIZE_MAX */
	uint64_t mask;
};

/* Bit i set when p[i] is the delimiter, a quote, CR or LF. */
static uint64_t block_mask(const char *p, unsigned char d)
{
#ifdef __SSE2__
	const __m128i vd = _mm_set1_epi8((char)d), vq = _mm_set1_epi8('"');
	const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
	uint64_t m = 0;
	for (int i = 0; i < 4; i++) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * i));
		__m128i t = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vq)),
		                         _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr)));
		m |= (uint64_t)(unsigned)_mm_movemask_epi8(t) << (16 * i);
	}
	return m;
#else
	uint64_t m = 0;
	for (int i = 0; i < 64; i++) {
		unsigned char c = (unsigned char)p[i];
		m |= (uint64_t)(c == d || c == '"' || c == '\n' || c == '\r') << i;
	}
	return m;
#endif
}

/* The first position >= p (and < len) holding a byte that matters, else len. */
static size_t next_special(struct csv_fast *s, const char *buf, size_t p, size_t len)
{
	size_t base = p & ~(size_t)63;
	if (base != s->base) {
		s->base = base;
		s->mask = block_mask(buf + base, s->delim);
	}
	uint64_t m = s->mask & (~(uint64_t)0 << (p - base));
	while (!m) {
		base += 64;
		if (base >= len)
			return len;
		s->base = base;
		m = s->mask = block_mask(buf + base, s->delim);
	}
	size_t q = base + (size_t)__builtin_ctzll(m);
	return q < len ? q : len;
}

static int grow_fields(struct csv_fast *s, size_t n)
{
	if (n < s->cap)
		return 0;
	size_t cap = s->cap ? s->cap * 2 : 64;
	struct fast_field *fld = realloc(s->fld, cap * sizeof *fld);
	if (fld)
		s->fld = fld;
	char **f = fld ? realloc(s->f, cap * sizeof *f) : NULL;
	if (f)
		s->f = f;
	size_t *len = f ? realloc(s->len, cap * sizeof *len) : NULL;
	if (!len)
		return -1;
	s->len = len;
	s->cap = cap;
	return 0;
}

/* Writes a quoted field's value over its own bytes, as libcsv builds it:
 * "" is one quote; after a closing quote, spaces then a quote are kept
 * as they are; any other byte carries the field on. Returns the end. */
static size_t replay_quoted(char *buf, size_t from, size_t to, size_t *start)
{
	size_t w = from - 1, spaces = 0; /* over the opening quote */
	int ended = 0;                  /* just after a quote */
	*start = w;
	for (size_t p = from; p < to; p++) {
		char c = buf[p];
		if (!ended) {
			buf[w++] = c;
			ended = c == '"';
			spaces = 0;
		} else if (c == ' ') {
			buf[w++] = c;
			spaces++;
		} else if (c == '"') {
			if (spaces) {
				spaces = 0;
				buf[w++] = c;
			} else {
				ended = 0;
			}
		} else {
			ended = 0;
			spaces = 0;
			buf[w++] = c;
		}
	}
	return w - spaces - 1; /* without the closing quote and the spaces after it */
}

/* Line breaks in a value as the reference counts them: LF, CRLF, lone CR. */
static long count_breaks(const char *v, size_t n)
{
	long k = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i] == '\n' || (v[i] == '\r' && (i + 1 == n || v[i + 1] != '\n')))
			k++;
	return k;
}

/* Ends a scanned record: values written and terminated, header set or row
 * added. term is the byte that ended it (-1 at the end of input). */
static int finish(struct licit_reader *r, size_t nf, size_t rec_start, size_t rec_end,
                  size_t next, int term)
{
	struct csv_fast *s = r->csv_fast;
	char *buf = r->in.buf;
	long newlines = 0;
	/* before the values are cut out: valid UTF-8 split at ASCII bytes stays
	 * valid, so one check tells for the whole row */
	const char *span = buf + rec_start;
	size_t n = rec_end - rec_start;
	int plain = s->have_header && batch_value_plain(r, span, n);
	for (size_t i = 0; i < nf; i++) {
		struct fast_field *fl = &s->fld[i];
		size_t start = fl->start, end = fl->end;
		if (fl->kind == F_REPLAY)
			end = replay_quoted(buf, start, end, &start);
		buf[end] = '\0';
		s->f[i] = buf + start;
		s->len[i] = end - start;
		if (fl->breaks)
			newlines += count_breaks(buf + start, end - start);
	}
	long line = s->line_next;
	s->line_next += 1 + newlines;
	s->last_term = term;
	r->in.consumed += (long long)(next - r->in.pos);
	r->in.pos = next;
	if (!s->have_header) {
		s->have_header = 1;
		return reader_set_header(r, (const char *const *)s->f, s->len, nf);
	}
	struct csv_record rec = {s->f, s->len, nf, line, newlines, newlines > 0, 1, plain, 0, 0};
	/* where it lies, when its values are its bytes (a value re-encoded
	 * from Latin-1 or CP1252 is not: its record in the file is not it) */
	if (r->in.direct && plain) { /* (consumed and pos as they were for this record) */
		rec.offset = r->in.consumed - (long long)(next - rec_start);
		rec.bytes = rec_end - rec_start;
	}
	return csv_row_emit(r, &rec);
}

static int oom(struct licit_reader *r, struct licit_error *err)
{
	licit_error_set(err, r->source, r->csv_fast->line_next, NULL, "out of memory");
	return REC_ERR;
}

/* A quoted field from its opening quote at p: sets *end to the delimiter,
 * line end or end of input after it. REC_ROW when found. */
static int quoted_field(struct licit_reader *r, struct fast_field *fl, size_t p,
                        size_t *end, struct licit_error *err)
{
	struct csv_fast *s = r->csv_fast;
	const struct input *in = &r->in;
	const char *buf = in->buf;
	const size_t len = in->len;
	size_t q = p, t, closes = 0;
	for (;;) {
		do {
			q = next_special(s, buf, q + 1, len);
			if (q < len && (buf[q] == '\n' || buf[q] == '\r'))
				fl->breaks = 1;
		} while (q < len && buf[q] != '"');
		if (q == len) {
			if (!in->eof)
				return REC_MORE;
			if (r->batch.count)
				return REC_EOF; /* the rows before it first */
			licit_error_set(err, r->source, s->line_next, NULL,
			                "unterminated quoted field "
			                "(the record starting here never ends)");
			return REC_ERR;
		}
		closes++;
		/* after a quote: spaces, then a delimiter or line end ends the
		 * field; "" is a quote; a quote after spaces is data and the
		 * field may still end; anything else carries it on */
		for (t = q + 1;;) {
			size_t sp = t;
			while (t < len && buf[t] == ' ')
				t++;
			if (t == len && !in->eof)
				return REC_MORE;
			unsigned char b = t < len ? (unsigned char)buf[t] : 0;
			if (t == len || b == s->delim || b == '\n' || b == '\r') {
				fl->kind = closes == 1 ? F_QUOTED : F_REPLAY;
				fl->start = p + 1;
				fl->end = closes == 1 ? q : t;
				*end = t;
				return REC_ROW;
			}
			if (b != '"' || t == sp)
				break; /* "" or another byte: back inside the quotes */
			closes++; /* a quote after spaces is data: still after a quote */
			t++;
		}
		closes++;
		q = t;
	}
}

/* A record without quotes and CR, the usual one, from p (not a blank):
 * each delimiter ends a field and the LF the record, so the fields are
 * read off the bit masks, with the spaces at their ends dropped as below.
 * REC_MORE when it is not such a record, or not whole in the buffer: then
 * the general loop below reads it. */
static int plain_record(struct licit_reader *r, size_t p, struct licit_error *err)
{
	struct csv_fast *s = r->csv_fast;
	struct input *in = &r->in;
	const char *buf = in->buf;
	const size_t len = in->len;
	const unsigned char d = s->delim;
	size_t rec_start = p, nf = 0, start = p;
	size_t base = p & ~(size_t)63;
	if (base != s->base) {
		s->base = base;
		s->mask = block_mask(buf + base, d);
	}
	uint64_t m = s->mask & (~(uint64_t)0 << (p - base));
	for (;;) {
		while (!m) {
			base += 64;
			if (base >= len)
				return REC_MORE;
			s->base = base;
			m = s->mask = block_mask(buf + base, d);
		}
		size_t t = base + (size_t)__builtin_ctzll(m);
		m &= m - 1;
		if (t >= len)
			return REC_MORE;
		unsigned char c = (unsigned char)buf[t];
		if (c != d && c != '\n')
			return REC_MORE; /* a quote or a CR */
		if (nf == s->cap && grow_fields(s, nf + 1) < 0)
			return oom(r, err);
		struct fast_field *fl = &s->fld[nf++];
		size_t a = start, e = t;
		while (a < e && buf[a] == ' ')
			a++;
		while (e > a && buf[e - 1] == ' ')
			e--;
		fl->kind = F_PLAIN;
		fl->breaks = 0;
		fl->start = a;
		fl->end = e;
		start = t + 1;
		if (c == '\n')
			return finish(r, nf, rec_start, t, t + 1, '\n') < 0 ? oom(r, err) : REC_ROW;
	}
}

/* One CSV record from the buffer. */
static int csv_record(struct licit_reader *r, struct licit_error *err)
{
	struct csv_fast *s = r->csv_fast;
	struct input *in = &r->in;
	const char *buf = in->buf;
	const size_t len = in->len;
	const unsigned char d = s->delim;
	size_t p = in->pos;
	/* blank lines (spaces only) before the record */
	for (;;) {
		while (p < len && buf[p] == ' ')
			p++;
		if (p == len) {
			if (!in->eof)
				return REC_MORE;
			in->consumed += (long long)(p - in->pos);
			in->pos = p;
			return REC_EOF;
		}
		if (buf[p] != '\n' && buf[p] != '\r')
			break;
		if (!(buf[p] == '\n' && s->last_term == '\r'))
			s->line_next++;
		s->last_term = (unsigned char)buf[p];
		p++;
		in->consumed += (long long)(p - in->pos);
		in->pos = p;
	}
	size_t rec_start = p, nf = 0;
	int rc = plain_record(r, p, err);
	if (rc != REC_MORE)
		return rc;
	for (;;) {
		/* a field: p is past its leading spaces; t will be its end */
		while (p < len && buf[p] == ' ')
			p++;
		if (nf == s->cap && grow_fields(s, nf + 1) < 0)
			return oom(r, err);
		struct fast_field *fl = &s->fld[nf++];
		fl->breaks = 0;
		size_t t = p;
		if (p == len && !in->eof)
			return REC_MORE;
		if (p == len || buf[p] != '"') {
			/* unquoted: runs to the delimiter or the line end; quotes are data */
			unsigned char c = p < len ? (unsigned char)buf[p] : d;
			if (c != d && c != '\n' && c != '\r')
				do
					t = next_special(s, buf, t + 1, len);
				while (t < len && buf[t] == '"');
			if (t == len && !in->eof)
				return REC_MORE;
			size_t e = t;
			while (e > p && buf[e - 1] == ' ')
				e--;
			fl->kind = F_PLAIN;
			fl->start = p;
			fl->end = e;
		} else {
			int rc = quoted_field(r, fl, p, &t, err);
			if (rc != REC_ROW)
				return rc;
		}
		if (t == len)
			return finish(r, nf, rec_start, t, t, -1) < 0 ? oom(r, err) : REC_ROW;
		p = t + 1;
		if ((unsigned char)buf[t] == d)
			continue;
		return finish(r, nf, rec_start, t, p, (unsigned char)buf[t]) < 0 ? oom(r, err) : REC_ROW;
	}
}

/* TSV decoding in place: \t \n \r \\ stand for a tab, LF, CR, backslash. */
static size_t tsv_unescape(char *buf, size_t from, size_t to)
{
	size_t w = from;
	for (size_t i = from; i < to; i++) {
		char c = buf[i];
		if (c == '\\' && i + 1 < to && buf[i + 1] && strchr("tnr\\", buf[i + 1])) {
			char e = buf[++i];
			c = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : '\\';
		}
		buf[w++] = c;
	}
	return w;
}

/* One TSV record (a line) from the buffer. */
static int tsv_record(struct licit_reader *r, struct licit_error *err)
{
	struct csv_fast *s = r->csv_fast;
	struct input *in = &r->in;
	char *buf = in->buf;
	for (;;) {
		size_t p = in->pos;
		if (p == in->len)
			return in->eof ? REC_EOF : REC_MORE;
		char *nl = memchr(buf + p, '\n', in->len - p);
		if (!nl && !in->eof)
			return REC_MORE;
		size_t e = nl ? (size_t)(nl - buf) : in->len;
		size_t next = nl ? e + 1 : e;
		long line = s->line_next++;
		if (e > p && buf[e - 1] == '\r')
			e--;
		in->consumed += (long long)(next - p);
		in->pos = next;
		if (e == p)
			continue; /* a blank line */
		int multiline = memchr(buf + p, '\r', e - p) != NULL;
		int plain = s->have_header && batch_value_plain(r, buf + p, e - p);
		size_t nf = 0;
		for (size_t fs = p;;) {
			char *tab = memchr(buf + fs, '\t', e - fs);
			size_t fe = tab ? (size_t)(tab - buf) : e, w = fe;
			if (memchr(buf + fs, '\\', fe - fs)) {
				w = tsv_unescape(buf, fs, fe);
				multiline = 1;
			}
			if (grow_fields(s, nf + 1) < 0)
				return oom(r, err);
			buf[w] = '\0';
			s->f[nf] = buf + fs;
			s->len[nf++] = w - fs;
			if (!tab)
				break;
			fs = fe + 1;
		}
		if (!s->have_header) {
			s->have_header = 1;
			return reader_set_header(r, (const char *const *)s->f, s->len, nf) < 0
			               ? oom(r, err) : REC_ROW;
		}
		struct csv_record rec = {s->f, s->len, nf, line, 0, multiline, 1, plain, 0, 0};
		return csv_row_emit(r, &rec) < 0 ? oom(r, err) : REC_ROW;
	}
}

static int next_record(struct licit_reader *r, struct licit_error *err)
{
	return r->format == LICIT_FMT_TSV ? tsv_record(r, err) : csv_record(r, err);
}

/* Reads more after the batch is handed out (rows point into the buffer). */
static int refill(struct licit_reader *r, struct licit_error *err)
{
	/* at least FAST_READ more, and more when a record is longer, so that
	 * scanning it again stays linear */
	struct input *in = &r->in;
	size_t left = in->len - in->pos;
	r->csv_fast->base = SIZE_MAX;
	if ((r->csv_ahead && csv_ahead_buffer(r) < 0) ||
	    input_read(in, left > FAST_READ ? left : FAST_READ, FAST_PAD) < 0) {
		licit_error_set(err, r->source, r->csv_fast->line_next, NULL, "read error: %s",
		                input_error(errno));
		return -1;
	}
	return 0;
}

int csv_fast_usable(const struct licit_reader *r)
{
	char d = r->opts.delimiter;
	return r->opts.csv_engine != LICIT_CSV_LIBCSV &&
	       d != ' ' && d != '\r' && d != '\n' && d != '"';
}

int csv_fast_open(struct licit_reader *r, struct licit_error *err)
{
	struct csv_fast *s = calloc(1, sizeof *s);
	if (!s)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	r->csv_fast = s;
	s->line_next = 1;
	s->base = SIZE_MAX;
	r->csv_delim = r->format == LICIT_FMT_TSV ? '\t'
	               : r->opts.delimiter ? r->opts.delimiter
	                                   : csv_guess_delimiter(&r->in);
	s->delim = (unsigned char)r->csv_delim;
	/* the bytes reader.c read to detect the format, and room after them */
	struct input *in = &r->in;
	size_t cap = in->len + FAST_READ + FAST_LOW + FAST_PAD;
	if (in->cap < cap) {
		/* big enough that a refill with < FAST_LOW left reads FAST_READ */
		char *b = realloc(in->buf, cap);
		if (!b)
			return licit_error_set(err, r->source, 0, NULL, "out of memory");
		in->buf = b;
		in->cap = cap;
	}
	memset(in->buf + in->len, 0, FAST_PAD);
	while (!s->have_header) {
		int rc = next_record(r, err);
		if (rc == REC_ERR || (rc == REC_MORE && refill(r, err) < 0)) {
			r->failed = 1;
			return LICIT_ERR;
		}
		if (rc == REC_EOF)
			break;
	}
	if (!s->have_header)
		return licit_error_set(err, r->source, 1, NULL,
		                       "empty input: no header line");
	return LICIT_OK;
}

int csv_fast_range(struct licit_reader *r, const struct licit_range *range,
                   struct licit_error *err)
{
	struct csv_fast *s = r->csv_fast;
	struct input *in = &r->in;
	long long at = range->start ? range->start : in->consumed;
	if (range->start) {
		s->line_next = range->line;
		r->recno = range->recno;
	}
	if (at > range->end || fseeko(in->f, at, SEEK_SET) != 0)
		return licit_error_set(err, r->source, 0, NULL, "cannot read from byte %lld: %s",
		                       at, at > range->end ? "past the range" : strerror(errno));
	in->pos = in->len = 0;
	in->eof = 0;
	in->consumed = at;
	in->limit = range->end - at;
	s->last_term = '\n';
	s->base = SIZE_MAX;
	return LICIT_OK;
}

int csv_fast_fill(struct licit_reader *r, struct licit_error *err)
{
	struct input *in = &r->in;
	if (!in->eof && in->len - in->pos < FAST_LOW && refill(r, err) < 0)
		return LICIT_ERR;
	while (r->batch.count < FAST_BATCH) {
		int rc = next_record(r, err);
		if (rc == REC_EOF)
			return r->batch.count ? LICIT_OK : LICIT_EOF;
		if (rc == REC_MORE && r->batch.count)
			return LICIT_OK; /* its rows point into the buffer: read later */
		if (rc == REC_ERR || (rc == REC_MORE && refill(r, err) < 0))
			return LICIT_ERR; /* the caller marks the reader failed */
	}
	return LICIT_OK;
}

void csv_fast_close(struct licit_reader *r)
{
	struct csv_fast *s = r->csv_fast;
	if (!s)
		return;
	free(s->fld);
	free(s->f);
	free(s->len);
	free(s);
	r->csv_fast = NULL;
}
