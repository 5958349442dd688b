/* The reader's front: opening, format detection, the row batch, and
 * encoding conversion shared by every back end. */
#include "reader_impl.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "licit/core/array.h"
#include "licit/core/utf8.h"

const char *licit_format_name(enum licit_format f)
{
	switch (f) {
	case LICIT_FMT_CSV: return "csv";
	case LICIT_FMT_TSV: return "tsv";
	case LICIT_FMT_JSONL: return "jsonl";
	case LICIT_FMT_OCDS: return "ocds";
	case LICIT_FMT_XLSX: return "xlsx";
	default: return "auto";
	}
}

int licit_format_parse(const char *s)
{
	static const char *const names[] = {"auto", "csv", "tsv", "jsonl", "ocds"};
	for (int i = 0; i < 5; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	if (strcmp(s, "json") == 0)
		return LICIT_FMT_OCDS;
	return -1;
}

int licit_csv_engine_parse(const char *s)
{
	if (strcmp(s, "fast") == 0)
		return LICIT_CSV_FAST;
	if (strcmp(s, "libcsv") == 0)
		return LICIT_CSV_LIBCSV;
	return -1;
}

int licit_encoding_parse(const char *s)
{
	if (strcmp(s, "auto") == 0)
		return LICIT_ENC_AUTO;
	if (strcmp(s, "utf-8") == 0 || strcmp(s, "utf8") == 0 || strcmp(s, "UTF-8") == 0)
		return LICIT_ENC_UTF8;
	if (strcmp(s, "latin1") == 0 || strcmp(s, "latin-1") == 0 ||
	    strcmp(s, "iso-8859-1") == 0 || strcmp(s, "ISO-8859-1") == 0)
		return LICIT_ENC_LATIN1;
	if (strcmp(s, "cp1252") == 0 || strcmp(s, "windows-1252") == 0 ||
	    strcmp(s, "CP1252") == 0)
		return LICIT_ENC_CP1252;
	return -1;
}

const char *input_error(int e)
{
	return e == EBADMSG ? "corrupt or truncated data (compressed stream, zip or spreadsheet)"
	                    : strerror(e ? e : EIO);
}

int input_read(struct input *in, size_t min, size_t pad)
{
	if (in->eof)
		return 1;
	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->cap - in->len < min + pad) {
		size_t cap = in->cap ? in->cap * 2 : 2 * min;
		if (cap < in->len + min + pad)
			cap = in->len + min + pad;
		char *b = realloc(in->buf, cap);
		if (!b)
			return -1;
		in->buf = b;
		in->cap = cap;
	}
	size_t want = in->cap - in->len - pad;
	if (in->limit >= 0 && (long long)want > in->limit)
		want = (size_t)in->limit;
	size_t got = want ? fread(in->buf + in->len, 1, want, in->f) : 0;
	if (in->limit >= 0)
		in->limit -= (long long)got;
	in->len += got;
	memset(in->buf + in->len, 0, pad);
	if (got == 0) {
		if (ferror(in->f))
			return -1;
		in->eof = 1;
		return 1;
	}
	return 0;
}

int input_fill(struct input *in)
{
	return input_read(in, LICIT_CHUNK, 0);
}

/* Next line (without its newline) from the input; 1 at EOF, -1 on error. */
int input_line(struct input *in, const char **s, size_t *n)
{
	for (;;) {
		char *nl = memchr(in->buf + in->pos, '\n', in->len - in->pos);
		if (nl || (in->eof && in->pos < in->len)) {
			size_t end = nl ? (size_t)(nl - in->buf) : in->len;
			*s = in->buf + in->pos;
			*n = end - in->pos;
			size_t step = end - in->pos + (nl ? 1 : 0);
			in->pos += step;
			in->consumed += (long long)step;
			return 0;
		}
		if (in->eof)
			return 1;
		if (input_fill(in) < 0)
			return -1;
	}
}

struct licit_row *batch_push(struct licit_reader *r)
{
	struct batch *b = &r->batch;
	if (LICIT_GROW(b->rows, b->cap, b->count + 1) != LICIT_OK)
		return NULL;
	struct licit_row *row = &b->rows[b->count++];
	memset(row, 0, sizeof *row);
	return row;
}

int batch_problem(struct licit_reader *r, struct licit_row *row,
                  const char *field, const char *value, size_t vlen,
                  const char *text)
{
	struct licit_arena *a = &r->batch.arena;
	struct licit_problem *p =
		licit_arena_alloc(a, (row->nproblems + 1) * sizeof *p);
	if (!p)
		return -1;
	if (row->nproblems)
		memcpy(p, row->problems, row->nproblems * sizeof *p);
	p[row->nproblems].field = licit_arena_strndup(a, field, strlen(field));
	p[row->nproblems].value = licit_arena_strndup(a, value, vlen);
	p[row->nproblems].text = licit_arena_strndup(a, text, strlen(text));
	if (!p[row->nproblems].field || !p[row->nproblems].value ||
	    !p[row->nproblems].text)
		return -1;
	row->problems = p;
	row->nproblems++;
	return 0;
}

static int has_high_bit(const char *s, size_t n)
{
	size_t i = 0;
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		if (w & 0x8080808080808080ULL)
			return 1;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* A copy of s with each NUL byte replaced by U+FFFD (EF BF BD). */
static char *replace_nul(struct licit_arena *a, const char *s, size_t n, size_t *len)
{
	size_t nul = 0;
	for (size_t i = 0; i < n; i++)
		nul += s[i] == '\0';
	char *out = licit_arena_alloc(a, n + 2 * nul + 1);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			memcpy(out + k, "\xEF\xBF\xBD", 3);
			k += 3;
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	*len = k;
	return out;
}

static char *convert_value(struct licit_reader *r, struct licit_row *row,
                           const char *field, const char *s, size_t n, size_t *len);

int batch_value_plain(const struct licit_reader *r, const char *s, size_t n)
{
	enum licit_encoding enc = r->opts.encoding;
	/* no NUL, and no byte to convert: UTF-8 read as UTF-8, else ASCII */
	return enc == LICIT_ENC_AUTO || enc == LICIT_ENC_UTF8 ? licit_utf8_text(s, n)
	                                                      : csv_ascii(s, n);
}

char *batch_value(struct licit_reader *r, struct licit_row *row,
                  const char *field, const char *s, size_t n, size_t *len)
{
	char *v = convert_value(r, row, field, s, n, len);
	/* a NUL would end the value for every consumer of C strings: it is
	 * replaced visibly and reported (after conversion, which keeps it) */
	if (!v || !memchr(v, '\0', *len))
		return v;
	v = replace_nul(&r->batch.arena, v, *len, len);
	if (v && row && batch_problem(r, row, field, v, *len, "NUL byte replaced by U+FFFD") < 0)
		return NULL;
	return v;
}

static char *convert_value(struct licit_reader *r, struct licit_row *row,
                           const char *field, const char *s, size_t n, size_t *len)
{
	struct licit_arena *a = &r->batch.arena;
	enum licit_encoding enc = r->opts.encoding;
	/* JSON text was converted before parsing: its strings are UTF-8 */
	if (r->json || !has_high_bit(s, n)) {
		*len = n;
		return licit_arena_strndup(a, s, n);
	}
	if (enc == LICIT_ENC_AUTO || enc == LICIT_ENC_UTF8) {
		if (licit_utf8_valid(s, n)) {
			*len = n;
			return licit_arena_strndup(a, s, n);
		}
		if (enc == LICIT_ENC_UTF8) {
			if (row && batch_problem(r, row, field, s, n,
			                         "invalid UTF-8 (kept as is; "
			                         "try --encoding cp1252)") < 0)
				return NULL;
			*len = n;
			return licit_arena_strndup(a, s, n);
		}
		enc = LICIT_ENC_CP1252;
	}
	char *out = licit_arena_alloc(a, 3 * n + 1);
	if (!out)
		return NULL;
	*len = enc == LICIT_ENC_LATIN1 ? licit_latin1_to_utf8(s, n, out)
	                               : licit_cp1252_to_utf8(s, n, out);
	r->recoded++;
	if (row && r->opts.report_recoded && r->opts.encoding == LICIT_ENC_AUTO &&
	    batch_problem(r, row, field, out, *len,
	                  "not UTF-8: read as Windows-1252 (--encoding picks another)") < 0)
		return NULL;
	return out;
}

int reader_set_header(struct licit_reader *r, const char *const *names,
                      const size_t *lens, size_t n)
{
	struct licit_arena *a = &r->header_arena;
	r->header = licit_arena_alloc(a, (n ? n : 1) * sizeof *r->header);
	if (!r->header)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *s = names[i];
		size_t len = lens ? lens[i] : strlen(s);
		/* the header's own spaces and encoding are not data: trim them */
		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
		               s[len - 1] == '\r'))
			len--;
		char tmp[32];
		if (len == 0) {
			snprintf(tmp, sizeof tmp, "column_%zu", i + 1);
			s = tmp;
			len = strlen(tmp);
		}
		if (memchr(s, '\0', len)) {
			size_t k;
			if (!(s = replace_nul(a, s, len, &k)))
				return -1;
			len = k;
		}
		if (has_high_bit(s, len) && !licit_utf8_valid(s, len)) {
			char *out = licit_arena_alloc(a, 3 * len + 1);
			if (!out)
				return -1;
			if (r->opts.encoding == LICIT_ENC_LATIN1)
				licit_latin1_to_utf8(s, len, out);
			else
				licit_cp1252_to_utf8(s, len, out);
			r->header[i] = out;
		} else {
			r->header[i] = licit_arena_strndup(a, s, len);
		}
		if (!r->header[i])
			return -1;
	}
	r->ncols = n;
	return 0;
}

int reader_abort_mark(struct licit_reader *r, const char *s, size_t n, long line,
                      struct licit_error *err)
{
	size_t m = sizeof LICIT_ABORT_MARK - 1;
	if (n < m || memcmp(s, LICIT_ABORT_MARK, m) != 0)
		return LICIT_OK;
	r->failed = 1;
	return licit_error_set(err, r->source, line, NULL, "upstream licit tool failed: %.*s",
	                       (int)(n - m > 400 ? 400 : n - m), s + m);
}

/* The first column of each name is the one every tool sees; a later one
 * of the same name is reported once and left out of the rows. The names
 * sorted (with their public index) make licit_reader_col a binary search,
 * so that a header of 100 000 columns costs n log n, not n squared. */
static int key_cmp(const void *a, const void *b)
{
	const struct col_key *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->col > y->col) - (x->col < y->col);
}

static int public_header(struct licit_reader *r)
{
	size_t n = r->ncols;
	struct licit_arena *a = &r->header_arena;
	struct col_key *keys = licit_arena_alloc(a, (n ? n : 1) * sizeof *keys);
	size_t *first = malloc((n ? n : 1) * sizeof *first);
	if (!keys || !first) {
		free(first);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		keys[i] = (struct col_key){r->header[i], i};
	qsort(keys, n, sizeof *keys, key_cmp);
	size_t ndup = 0;
	for (size_t i = 0; i < n; i++) {
		int same = i > 0 && strcmp(keys[i].name, keys[i - 1].name) == 0;
		first[keys[i].col] = same ? first[keys[i - 1].col] : keys[i].col;
		ndup += same;
	}
	r->pub_header = r->header;
	r->pub_ncols = n;
	if (ndup) {
		r->pub_map = licit_arena_alloc(a, n * sizeof *r->pub_map);
		r->pub_header = licit_arena_alloc(a, n * sizeof *r->pub_header);
		if (!r->pub_map || !r->pub_header) {
			free(first);
			return -1;
		}
		r->pub_ncols = 0;
	}
	/* public index of each first column, in column order */
	size_t *pub = first; /* reused: first[i] == i marks a first column */
	for (size_t i = 0; i < n; i++) {
		if (first[i] != i) {
			char text[256];
			snprintf(text, sizeof text, "duplicate column name \"%.80s\" (column %zu): "
			         "column %zu is used", r->header[i], i + 1, first[i] + 1);
			struct licit_diag d = {LICIT_WARNING, r->source, 1, r->header[i], NULL, text};
			if (r->opts.note && !r->opts.range)
				r->opts.note(r->opts.note_ctx, &d);
			continue;
		}
		if (ndup) {
			r->pub_map[r->pub_ncols] = i;
			r->pub_header[r->pub_ncols] = r->header[i];
			pub[i] = r->pub_ncols++;
		}
	}
	/* the sorted names keep only first columns, with their public index */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || strcmp(keys[i].name, keys[i - 1].name) != 0)
			keys[k++] = (struct col_key){keys[i].name, pub[keys[i].col]};
	free(first);
	r->by_name = keys;
	r->nby_name = k;
	return 0;
}

/* A row as the tools see it: the columns of the public header, in place
 * (the map only moves values towards the start). */
static void public_row(const struct licit_reader *r, struct licit_row *row)
{
	if (!r->pub_map || row->n != r->ncols)
		return;
	const char **v = (const char **)row->v;
	size_t *len = (size_t *)row->len;
	for (size_t j = 0; j < r->pub_ncols; j++) {
		v[j] = v[r->pub_map[j]];
		len[j] = len[r->pub_map[j]];
	}
	row->n = r->pub_ncols;
}

/* Skips a UTF-8 byte order mark and reports where the data starts. */
static size_t skip_bom(const struct input *in)
{
	if (in->len >= 3 && memcmp(in->buf, "\xEF\xBB\xBF", 3) == 0)
		return 3;
	return 0;
}

static enum licit_format detect(const struct input *in)
{
	size_t i = in->pos;
	while (i < in->len && (in->buf[i] == ' ' || in->buf[i] == '\t' ||
	                       in->buf[i] == '\r' || in->buf[i] == '\n'))
		i++;
	if (i < in->len && (in->buf[i] == '{' || in->buf[i] == '['))
		return LICIT_FMT_OCDS; /* JSON: json_open tells flat rows from OCDS */
	return LICIT_FMT_CSV;
}

static struct licit_reader *reader_new(const char *name,
                                       const struct licit_reader_opts *opts,
                                       struct licit_error *err)
{
	struct licit_reader *r = calloc(1, sizeof *r);
	if (r && !(r->source = strdup(name))) {
		free(r);
		r = NULL;
	}
	if (!r) {
		licit_error_set(err, name, 0, NULL, "out of memory");
		return NULL;
	}
	if (opts)
		r->opts = *opts;
	licit_arena_init(&r->batch.arena, 1 << 16);
	r->serve = &r->batch;
	licit_arena_init(&r->header_arena, 4096);
	r->in.size = -1;
	r->in.limit = -1;
	return r;
}

/* Reads enough to see the first line. */
static int fill_start(struct licit_reader *r, struct licit_error *err)
{
	while (!r->in.eof && r->in.len < 4096 &&
	       (!r->in.buf || !memchr(r->in.buf, '\n', r->in.len)))
		if (input_fill(&r->in) < 0)
			return licit_error_set(err, r->source, 0, NULL, "read error: %s",
			                       input_error(errno));
	return LICIT_OK;
}

/* Reads enough to see the first line, detects the format, reads the header. */
static struct licit_reader *reader_start(struct licit_reader *r,
                                         struct licit_error *err)
{
	/* a compressed stream or a zip is read on through its decoded bytes
	 * (two levels: a gzip in a zip) */
	int u, levels = 0;
	do
		if (fill_start(r, err) != LICIT_OK)
			goto fail;
	while ((u = levels++ < 2 ? unpack_wrap(r, err) : 0) > 0);
	if (u < 0)
		goto fail;
	if (r->in.len >= 2 && ((unsigned char)r->in.buf[0] == 0xFF || (unsigned char)r->in.buf[0] == 0xFE) &&
	    ((unsigned char)r->in.buf[1] ^ (unsigned char)r->in.buf[0]) == 0x01) {
		/* FF FE or FE FF: Excel's "Unicode text" */
		licit_error_set(err, r->source, 1, NULL, "UTF-16 input: convert it to UTF-8 "
		                "first (iconv -f UTF-16 -t UTF-8)");
		goto fail;
	}
	r->in.pos = skip_bom(&r->in);
	r->in.consumed = (long long)r->in.pos;
	r->in.direct = levels == 1; /* nothing unpacked */
	r->format = r->opts.format;
	if (r->format == LICIT_FMT_AUTO)
		r->format = r->opts.raw_json && lines_detect(&r->in) ? LICIT_FMT_JSONL
		            : detect(&r->in);
	int json = r->format != LICIT_FMT_CSV && r->format != LICIT_FMT_TSV;
	int rc = json && r->opts.raw_json ? lines_open(r, err)
	         : json ? json_open(r, err)
	         : csv_fast_usable(r) ? csv_fast_open(r, err)
	                               : csv_open(r, err);
	if (rc == LICIT_OK && r->opts.range)
		rc = r->csv_fast && licit_reader_cuttable(r)
		     ? csv_fast_range(r, r->opts.range, err)
		     : licit_error_set(err, r->source, 0, NULL, "this input cannot be read by "
		                       "ranges (not CSV read straight from a file)");
	if (rc == LICIT_OK && r->ncols == 1)
		rc = reader_abort_mark(r, r->header[0], strlen(r->header[0]), 1, err);
	if (rc == LICIT_OK && public_header(r) < 0)
		rc = licit_error_set(err, r->source, 0, NULL, "out of memory");
	if (rc == LICIT_OK)
		return r;
fail:
	licit_reader_close(r);
	return NULL;
}

struct licit_reader *licit_reader_open_stream(FILE *f, const char *name,
                                              const struct licit_reader_opts *opts,
                                              struct licit_error *err)
{
	struct licit_reader *r = reader_new(name ? name : "-", opts, err);
	if (!r)
		return NULL;
	r->in.f = f;
	return reader_start(r, err);
}

struct licit_reader *licit_reader_open(const char *path,
                                       const struct licit_reader_opts *opts,
                                       struct licit_error *err)
{
	const char *name = (!path || strcmp(path, "-") == 0) ? "-" : path;
	const char *called = opts && opts->name ? opts->name : name;
	FILE *af;
	int aowned;
	char *member;
	int m = unpack_open_member(name, &af, &aowned, &member, err);
	if (m < 0)
		return NULL;
	if (m > 0) { /* "ARCHIVE:MEMBER", or a spreadsheet on standard input */
		struct licit_reader *r = reader_new(called, opts, err);
		if (r) {
			r->in.f = af;
			r->in.owned = aowned;
			r->member = member;
			return reader_start(r, err);
		}
		if (aowned)
			fclose(af);
		free(member);
		return NULL;
	}
	if (strcmp(name, "-") == 0)
		return licit_reader_open_stream(stdin, name, opts, err);
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		licit_error_set(err, called, 0, NULL, "is a directory");
		return NULL;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		licit_error_set(err, called, 0, NULL, "%s", strerror(errno));
		return NULL;
	}
	struct licit_reader *r = reader_new(called, opts, err);
	if (!r) {
		fclose(f);
		return NULL;
	}
	r->in.f = f;
	r->in.owned = 1;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		r->in.size = st.st_size;
	return reader_start(r, err);
}

int licit_reader_next(struct licit_reader *r, const struct licit_row **row,
                      struct licit_error *err)
{
	struct batch *b = r->serve;
	if (r->raw)
		return licit_error_set(err, r->source, 0, NULL, "raw JSON lines have no rows");
	if (b->pos == b->count) {
		if (r->failed)
			return licit_error_set(err, r->source, 0, NULL,
			                       "input unreadable after an earlier error");
		if (r->csv_fast && !r->csv_ahead && r->opts.csv_ahead && r->opts.threads != 1)
			csv_ahead_start(r);
		int rc;
		if (r->csv_ahead) {
			rc = csv_ahead_next(r, err);
			b = r->serve;
		} else {
			b->pos = b->count = 0;
			licit_arena_reset(&b->arena);
			rc = r->csv_fast ? csv_fast_fill(r, err) : r->csv ? csv_fill(r, err)
			                                                   : json_fill(r, err);
		}
		if (rc == LICIT_ERR && r->csv_fast)
			r->failed = 1;
		if (rc != LICIT_OK)
			return rc;
		if (b->count == 0)
			return LICIT_EOF;
	}
	struct licit_row *got = &b->rows[b->pos++];
	if ((r->format == LICIT_FMT_CSV || r->format == LICIT_FMT_TSV) &&
	    got->nfields == 1 && got->n > 0 &&
	    reader_abort_mark(r, got->v[0], got->len[0], got->line, err) != LICIT_OK)
		return LICIT_ERR;
	public_row(r, got);
	*row = got;
	return LICIT_OK;
}

int licit_reader_failed(const struct licit_reader *r)
{
	return r->failed;
}

size_t licit_reader_ncols(const struct licit_reader *r)
{
	return r->pub_header ? r->pub_ncols : r->ncols;
}

const char *const *licit_reader_header(const struct licit_reader *r)
{
	return (const char *const *)(r->pub_header ? r->pub_header : r->header);
}

int licit_reader_col(const struct licit_reader *r, const char *name)
{
	if (r->by_name) {
		size_t lo = 0, hi = r->nby_name;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			int c = strcmp(r->by_name[mid].name, name);
			if (c == 0)
				return (int)r->by_name[mid].col;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		return -1;
	}
	for (size_t i = 0; i < r->ncols; i++) /* while the back end opens */
		if (strcmp(r->header[i], name) == 0)
			return (int)i;
	return -1;
}

enum licit_format licit_reader_format(const struct licit_reader *r)
{
	return r->format;
}

char licit_reader_delimiter(const struct licit_reader *r)
{
	return r->format == LICIT_FMT_CSV || r->format == LICIT_FMT_TSV ? r->csv_delim : 0;
}

const char *licit_reader_source(const struct licit_reader *r)
{
	return r->source;
}

long long licit_reader_bytes(const struct licit_reader *r)
{
	if (r->csv_ahead)
		return csv_ahead_consumed(r);
	return r->in.consumed;
}

long long licit_reader_size(const struct licit_reader *r)
{
	return r->in.size;
}

long long licit_reader_recoded(const struct licit_reader *r)
{
	if (r->csv_ahead)
		return csv_ahead_recoded(r);
	return r->recoded;
}

void licit_reader_window(const struct licit_reader *r, const char **lo, const char **hi)
{
	*lo = *hi = NULL;
	if (r->csv_ahead)
		csv_ahead_window(r, lo, hi);
	else if (r->csv_fast && r->in.buf) {
		*lo = r->in.buf;
		*hi = r->in.buf + r->in.len;
	}
}

int licit_reader_cuttable(const struct licit_reader *r)
{
	return r->csv_fast && r->in.direct && r->in.size >= 0 && !r->member &&
	       (r->format == LICIT_FMT_CSV || r->format == LICIT_FMT_TSV);
}

int licit_reader_threads(const struct licit_reader *r)
{
	return r->opts.threads;
}

void licit_reader_close(struct licit_reader *r)
{
	if (!r)
		return;
	csv_ahead_stop(r);
	csv_close(r);
	csv_fast_close(r);
	json_close(r);
	if (r->in.owned && r->in.f)
		fclose(r->in.f);
	free(r->in.buf);
	free(r->batch.rows);
	licit_arena_fini(&r->batch.arena);
	licit_arena_fini(&r->header_arena);
	free(r->source);
	free(r->member);
	free(r);
}

int licit_row_as_in_file(const struct licit_row *row)
{
	size_t n = row->n;
	if (!row->bytes || !row->len || row->nfields != n || !n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (row->v[i] != row->v[i - 1] + row->len[i - 1] + 1)
			return 0;
	return (size_t)(row->v[n - 1] + row->len[n - 1] - row->v[0]) == row->bytes;
}

void licit_row_diags(const struct licit_row *row, const char *source, licit_diag_fn fn,
                     void *ctx)
{
	for (size_t i = 0; fn && i < row->nproblems; i++) {
		const struct licit_problem *p = &row->problems[i];
		struct licit_diag d = {LICIT_WARNING, source, row->line, p->field, p->value, p->text};
		fn(ctx, &d);
	}
}
