/* The row spool (licit/flags/spool.h): rows written once in a binary
 * form, read back in order. */
#include "licit/flags/spool.h"

#define _GNU_SOURCE /* fread_unlocked */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "licit/core/array.h"

#define SPOOL_BUF (1 << 20)       /* stdio buffer of the temporary file */
#define SPOOL_MAX_COLS (1u << 20) /* more in one record: a damaged spool */
#define SPOOL_MAX_BYTES (1u << 30)

struct licit_spool {
	FILE *f;
	int own;            /* f is our temporary */
	const char *name;   /* in messages */
	char *iobuf;
	long long bytes;
	/* the current input: its columns, the kept ones, and the file its
	 * rows can be read again from (writing: refs) */
	size_t *keep;
	size_t nkeep, keep_cap, nin;
	int refs;
	char delim;
	char *path;         /* reading: that file, opened at its first 'F' row */
	int fd;
	char *win;          /* a window of it */
	size_t win_cap, win_len;
	long long win_off;
	uint32_t *lens;     /* a row's lengths, written or read */
	size_t lens_cap;
	/* reading */
	int reading;
	size_t room;
	char *buf;          /* a record's bytes */
	size_t buf_cap;
	const char **v;     /* pointers into buf */
	size_t *len;
	size_t v_cap, len_cap;
	size_t ncols;       /* of the current input; SIZE_MAX before any */
};

static struct licit_spool *spool_alloc(FILE *f, int own, const char *name)
{
	struct licit_spool *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->f = f;
	s->own = own;
	s->name = name;
	s->ncols = SIZE_MAX;
	s->fd = -1;
	return s;
}

FILE *licit_spool_temp(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	size_t n = strlen(dir) + 32;
	char *path = malloc(n);
	if (!path)
		return NULL;
	snprintf(path, n, "%s/licit-spool.XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd >= 0)
		unlink(path);
	free(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w+") : NULL;
	if (!f && fd >= 0)
		close(fd);
	return f;
}

struct licit_spool *licit_spool_new(struct licit_error *err)
{
	FILE *f = licit_spool_temp();
	if (!f) {
		licit_error_set(err, NULL, 0, NULL,
		                "cannot create a temporary file in $TMPDIR for the second pass: %s",
		                strerror(errno));
		return NULL;
	}
	struct licit_spool *s = spool_alloc(f, 1, "the temporary row spool");
	char *b = s ? malloc(SPOOL_BUF) : NULL;
	if (!b) {
		free(s);
		fclose(f);
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	s->iobuf = b;
	setvbuf(f, b, _IOFBF, SPOOL_BUF);
	return s;
}

struct licit_spool *licit_spool_open_stream(FILE *f, const char *name)
{
	struct licit_spool *s = spool_alloc(f, 0, name);
	if (s)
		s->reading = 1;
	return s;
}

void licit_spool_free(struct licit_spool *s)
{
	if (!s)
		return;
	if (s->own)
		fclose(s->f);
	free(s->iobuf);
	free(s->path);
	if (s->fd >= 0)
		close(s->fd);
	free(s->win);
	free(s->keep);
	free(s->lens);
	free(s->buf);
	free(s->v);
	free(s->len);
	free(s);
}

long long licit_spool_bytes(const struct licit_spool *s) { return s->bytes; }

struct licit_spool *licit_spool_reader(const struct licit_spool *s, long long header_at,
                                       long long at, struct licit_spool_item *it,
                                       struct licit_error *err)
{
	char proc[64]; /* a file description of its own: its own offset */
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(s->f));
	FILE *f = s->own && s->reading ? fopen(proc, "r") : NULL;
	struct licit_spool *c = f ? spool_alloc(f, 1, s->name) : NULL;
	if (!c || !(c->iobuf = malloc(SPOOL_BUF))) {
		licit_error_set(err, NULL, 0, NULL, "cannot read %s again: %s", s->name,
		                strerror(errno ? errno : ENOMEM));
		if (c)
			licit_spool_free(c);
		else if (f)
			fclose(f);
		return NULL;
	}
	setvbuf(f, c->iobuf, _IOFBF, SPOOL_BUF);
	c->reading = 1;
	c->room = s->room;
	int rc = fseeko(f, (off_t)header_at, SEEK_SET) == 0 ? licit_spool_next(c, it, err) : LICIT_ERR;
	if (rc == LICIT_OK && (!it->header || fseeko(f, (off_t)at, SEEK_SET) != 0))
		rc = licit_error_set(err, NULL, 0, NULL, "%s does not start an input there", s->name);
	else if (rc != LICIT_OK && rc != LICIT_ERR)
		rc = licit_error_set(err, NULL, 0, NULL, "%s ends before the input", s->name);
	if (rc != LICIT_OK) {
		licit_spool_free(c);
		return NULL;
	}
	return c;
}

/* ---- writing ----------------------------------------------------------------------- */

static int put(struct licit_spool *s, const void *p, size_t n)
{
	s->bytes += (long long)n;
	return fwrite_unlocked(p, 1, n, s->f) == n ? 0 : -1;
}

static int put32(struct licit_spool *s, size_t v)
{
	uint32_t x = (uint32_t)v; /* the host is little-endian (x86-64, arm64) */
	return put(s, &x, 4);
}

static int write_error(struct licit_spool *s, struct licit_error *err)
{
	return licit_error_set(err, NULL, 0, NULL, "cannot write %s: %s", s->name,
	                       strerror(errno ? errno : EIO));
}

int licit_spool_header(struct licit_spool *s, const char *source, const char *const *names,
                       size_t n, const unsigned char *keep, const char *file, char delim,
                       struct licit_error *err)
{
	if (LICIT_GROW(s->keep, s->keep_cap, n + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	s->nkeep = 0;
	for (size_t i = 0; i < n; i++)
		if (!keep || keep[i])
			s->keep[s->nkeep++] = i;
	if (LICIT_GROW(s->lens, s->lens_cap, s->nkeep + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	s->nin = n;
	s->refs = file && delim;
	if (!s->refs)
		file = "";
	errno = 0;
	int bad = put(s, "H", 1) || put32(s, n) || put32(s, s->nkeep) || put32(s, strlen(source)) ||
	          put(s, source, strlen(source)) || put32(s, strlen(file)) ||
	          put(s, file, strlen(file)) || put(s, &delim, 1);
	for (size_t k = 0; k < s->nkeep && !bad; k++) {
		const char *name = names[s->keep[k]];
		bad = put32(s, s->keep[k]) || put32(s, strlen(name)) || put(s, name, strlen(name));
	}
	return bad ? write_error(s, err) : LICIT_OK;
}

int licit_spool_row(struct licit_spool *s, const struct licit_row *row, struct licit_error *err)
{
	int64_t line = row->line, off = row->offset;
	int plain = row->n == s->nin && licit_row_as_in_file(row);
	if (plain && s->refs) { /* 'F' i64:line i64:offset u32:bytes: read again in pass 2 */
		char rec[21];
		uint32_t bytes = (uint32_t)row->bytes;
		rec[0] = 'F';
		memcpy(rec + 1, &line, 8);
		memcpy(rec + 9, &off, 8);
		memcpy(rec + 17, &bytes, 4);
		errno = 0;
		return put(s, rec, sizeof rec) ? write_error(s, err) : LICIT_OK;
	}
	if (plain && s->nkeep == s->nin) { /* 'P' i64:line u32:bytes, the values and NULs */
		errno = 0;
		if (put(s, "P", 1) || put(s, &line, 8) || put32(s, row->bytes) ||
		    put(s, row->v[0], row->bytes + 1))
			return write_error(s, err);
		return LICIT_OK;
	}
	size_t total = 0;
	for (size_t k = 0; k < s->nkeep; k++) {
		size_t c = s->keep[k];
		size_t n = c < row->n ? (row->len ? row->len[c] : strlen(row->v[c])) : 0;
		s->lens[k] = (uint32_t)n;
		total += n + 1;
	}
	if (total > SPOOL_MAX_BYTES)
		return licit_error_set(err, NULL, 0, NULL, "a row of more than 1 GiB (line %ld)",
		                       row->line);
	errno = 0;
	int bad = put(s, "R", 1) || put(s, &line, 8) || put32(s, s->nkeep) || put32(s, total) ||
	          put(s, s->lens, 4 * s->nkeep);
	/* values that lie one after the other in the reader's buffer (the
	 * usual in-situ row) go out in one piece */
	size_t k = 0;
	while (k < s->nkeep && !bad) {
		size_t c = s->keep[k], e = k + 1;
		if (c >= row->n) {
			bad = put(s, "", 1);
			k++;
			continue;
		}
		const char *p = row->v[c];
		while (e < s->nkeep && s->keep[e] == s->keep[e - 1] + 1 && s->keep[e] < row->n &&
		       row->v[s->keep[e]] == row->v[s->keep[e - 1]] + s->lens[e - 1] + 1)
			e++;
		size_t end = (size_t)(row->v[s->keep[e - 1]] - p) + s->lens[e - 1] + 1;
		bad = put(s, p, end);
		k = e;
	}
	return bad ? write_error(s, err) : LICIT_OK;
}

int licit_spool_rewind(struct licit_spool *s, size_t room, struct licit_error *err)
{
	errno = 0;
	if (fflush(s->f) != 0 || ferror(s->f))
		return write_error(s, err);
	rewind(s->f);
	s->reading = 1;
	s->room = room;
	s->ncols = SIZE_MAX;
	return LICIT_OK;
}

/* ---- reading ----------------------------------------------------------------------- */

static int damaged(struct licit_spool *s, struct licit_error *err, const char *what)
{
	if (ferror(s->f))
		return licit_error_set(err, NULL, 0, NULL, "cannot read %s: %s", s->name,
		                       strerror(errno ? errno : EIO));
	return licit_error_set(err, NULL, 0, NULL, "%s is damaged: %s", s->name, what);
}

static int get(struct licit_spool *s, void *p, size_t n)
{
	return fread_unlocked(p, 1, n, s->f) == n ? 0 : -1;
}

static int get32(struct licit_spool *s, uint32_t *v) { return get(s, v, 4); }

/* n bytes read into s->buf at offset at, buf grown a MiB at a time as
 * they come (a damaged count claiming more than there is costs no more
 * memory than what is there), then room for a NUL after them. 0, -1 cut
 * short, -2 out of memory. */
static int get_grown(struct licit_spool *s, size_t at, size_t n)
{
	for (size_t done = 0; done < n;) {
		size_t step = n - done < ((size_t)1 << 20) ? n - done : (size_t)1 << 20;
		if (LICIT_GROW(s->buf, s->buf_cap, at + done + step) != LICIT_OK)
			return -2;
		if (get(s, s->buf + at + done, step))
			return -1;
		done += step;
	}
	return LICIT_GROW(s->buf, s->buf_cap, at + n + 1) == LICIT_OK ? 0 : -2;
}

/* A row record's n bytes into s->buf (get_grown), then room after them
 * for the caller (s->room). */
static int grown(struct licit_spool *s, size_t n, struct licit_error *err)
{
	int got = get_grown(s, 0, n);
	if (got == -1)
		return damaged(s, err, "a row record is cut short");
	if (got || LICIT_GROW(s->buf, s->buf_cap, n + s->room + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

/* Room for n pointers and lengths, and for bytes in buf. */
static int reserve(struct licit_spool *s, size_t n, size_t bytes)
{
	if (LICIT_GROW(s->v, s->v_cap, n + 1) != LICIT_OK)
		return -1;
	if (LICIT_GROW(s->len, s->len_cap, n + 1) != LICIT_OK)
		return -1;
	if (LICIT_GROW(s->lens, s->lens_cap, n + 1) != LICIT_OK)
		return -1;
	return LICIT_GROW(s->buf, s->buf_cap, bytes) == LICIT_OK ? 0 : -1;
}

static int read_header(struct licit_spool *s, struct licit_spool_item *it, struct licit_error *err)
{
	uint32_t nin, n, sl, fl;
	if (get32(s, &nin) || get32(s, &n) || get32(s, &sl))
		return damaged(s, err, "a header record is cut short");
	if (nin > SPOOL_MAX_COLS || n > nin || sl > SPOOL_MAX_BYTES)
		return damaged(s, err, "a header record is too large");
	if (LICIT_GROW(s->keep, s->keep_cap, (size_t)n + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	s->nin = nin;
	/* the names' bytes are read one by one into buf, then pointed at */
	size_t used;
	uint32_t *nl;
	int got;
	if (reserve(s, n, 1) < 0 || (got = get_grown(s, 0, sl)) == -2)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (got || get32(s, &fl) || fl > SPOOL_MAX_BYTES)
		return damaged(s, err, "a header record is cut short");
	s->buf[sl] = '\0';
	free(s->path);
	s->path = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->win_len = 0;
	if (fl && !s->own) /* a spool from elsewhere reads no file */
		return damaged(s, err, "a header names a file");
	if (fl && !(s->path = malloc((size_t)fl + 1)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (fl && get(s, s->path, fl))
		return damaged(s, err, "a header record is cut short");
	if (s->path)
		s->path[fl] = '\0';
	if (get(s, &s->delim, 1))
		return damaged(s, err, "a header record is cut short");
	s->refs = fl && s->delim;
	used = (size_t)sl + 1;
	nl = s->lens;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t ix;
		if (get32(s, &ix) || ix >= nin || (i && ix <= s->keep[i - 1]))
			return damaged(s, err, "a kept column's number is wrong");
		s->keep[i] = ix;
		if (get32(s, &nl[i]) || nl[i] > SPOOL_MAX_BYTES - used)
			return damaged(s, err, "a column name is cut short or too long");
		if ((got = get_grown(s, used, nl[i])) == -2)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		if (got)
			return damaged(s, err, "a column name is cut short");
		s->buf[used + nl[i]] = '\0';
		s->len[i] = used; /* offsets until buf stops moving */
		used += (size_t)nl[i] + 1;
	}
	for (uint32_t i = 0; i < n; i++)
		s->v[i] = s->buf + s->len[i];
	s->ncols = n;
	it->header = 1;
	it->delim = s->delim;
	it->source = s->buf;
	it->names = s->v;
	it->n = n;
	it->tail = NULL;
	return LICIT_OK;
}

/* A row read back: its n values in s->v, s->len, the free room after
 * them from s->buf + tail. */
static void row_found(struct licit_spool *s, struct licit_spool_item *it, size_t n,
                      size_t tail, int64_t line)
{
	memset(&it->row, 0, sizeof it->row);
	it->header = 0;
	it->row.n = n;
	it->row.v = s->v;
	it->row.len = s->len;
	it->row.line = (long)line;
	it->row.nfields = n;
	it->tail = s->buf + tail;
}

static int read_row(struct licit_spool *s, struct licit_spool_item *it, struct licit_error *err)
{
	int64_t line;
	uint32_t n, total;
	if (get(s, &line, 8) || get32(s, &n) || get32(s, &total))
		return damaged(s, err, "a row record is cut short");
	if (s->ncols == SIZE_MAX || n != s->ncols)
		return damaged(s, err, "a row does not match its header");
	if (total > SPOOL_MAX_BYTES || total < n)
		return damaged(s, err, "a row's size is wrong");
	if (reserve(s, n, 1) < 0)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (get(s, s->lens, 4 * (size_t)n))
		return damaged(s, err, "a row record is cut short");
	if (grown(s, total, err) != LICIT_OK)
		return LICIT_ERR;
	size_t at = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (s->lens[i] >= total - at || s->buf[at + s->lens[i]] != '\0')
			return damaged(s, err, "a value's length is wrong");
		s->v[i] = s->buf + at;
		s->len[i] = s->lens[i];
		at += (size_t)s->lens[i] + 1;
	}
	if (at != total)
		return damaged(s, err, "a row's size is wrong");
	row_found(s, it, n, total, line);
	return LICIT_OK;
}

/* The bytes [off, off + n) of the input file, through a window of it. */
static const char *file_bytes(struct licit_spool *s, long long off, size_t n,
                              struct licit_error *err)
{
	if (s->fd < 0 && (s->fd = open(s->path, O_RDONLY)) < 0) {
		licit_error_set(err, s->path, 0, NULL, "cannot open it again for the second pass: %s",
		                strerror(errno));
		return NULL;
	}
	if (off >= s->win_off && off + (long long)n <= s->win_off + (long long)s->win_len)
		return s->win + (off - s->win_off);
	size_t want = n > SPOOL_BUF ? n : SPOOL_BUF;
	if (LICIT_GROW(s->win, s->win_cap, want) != LICIT_OK) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	s->win_off = off;
	s->win_len = 0;
	while (s->win_len < want) {
		ssize_t got = pread(s->fd, s->win + s->win_len, want - s->win_len,
		                    (off_t)(off + (long long)s->win_len));
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			licit_error_set(err, s->path, 0, NULL, "read error: %s", strerror(errno));
			return NULL;
		}
		if (got == 0)
			break;
		s->win_len += (size_t)got;
	}
	if (s->win_len < n) {
		licit_error_set(err, s->path, 0, NULL, "the file changed between the two passes "
		                "(it is shorter)");
		return NULL;
	}
	return s->win;
}

/* The row in s->buf[0, bytes), a NUL after it, split at d into the
 * input's columns, the kept ones handed out; -1 when they are not as
 * many as the columns. With clean (not NULL), when every column is kept:
 * *clean = whether the bytes hold no quote, CR or LF (the row is then its
 * record as it is in the file: nin - 1 delimiters and nothing quoted). */
static int split_row(struct licit_spool *s, struct licit_spool_item *it, size_t bytes, char d,
                     int64_t line, int *clean)
{
	char *b = s->buf;
	const char **v = s->v;
	size_t *len = s->len;
	const size_t *keep = s->keep, nkeep = s->ncols, nin = s->nin;
	size_t at = 0, k = 0, c = 0, i = 0;
	unsigned bad = 0;
	if (clean)
		*clean = 0;
	if (nkeep == nin) { /* every column (the usual row): no choice per value */
#define VALUE_ALL(e)                           \
	do {                                   \
		size_t e_ = (e);               \
		b[e_] = '\0';                  \
		if (c == nin)                  \
			return -1;             \
		v[c] = b + at;                 \
		len[c++] = e_ - at;            \
		at = e_ + 1;                   \
	} while (0)
#ifdef __SSE2__
		const __m128i vd = _mm_set1_epi8(d), vq = _mm_set1_epi8('"');
		const __m128i vr = _mm_set1_epi8('\r'), vn = _mm_set1_epi8('\n');
		for (; i + 16 <= bytes; i += 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(b + i));
			if (clean)
				bad |= (unsigned)_mm_movemask_epi8(
					_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_cmpeq_epi8(x, vr)),
					             _mm_cmpeq_epi8(x, vn)));
			for (unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)); m; m &= m - 1)
				VALUE_ALL(i + (size_t)__builtin_ctz(m));
		}
#endif
		for (; i < bytes; i++) {
			bad |= b[i] == '"' || b[i] == '\r' || b[i] == '\n';
			if (b[i] == d)
				VALUE_ALL(i);
		}
		VALUE_ALL(bytes);
#undef VALUE_ALL
		if (c != nin)
			return -1;
		if (clean)
			*clean = !bad;
		row_found(s, it, nin, bytes + 1, line);
		return LICIT_OK;
	}
	/* the value of column c ends at e (a delimiter or the end): kept
	 * when it is the next kept column (locals: b's stores may alias s) */
#define VALUE_END(e)                                   \
	do {                                           \
		size_t e_ = (e);                       \
		b[e_] = '\0';                          \
		if (k < nkeep && c < nin && keep[k] == c) { \
			v[k] = b + at;                 \
			len[k++] = e_ - at;            \
		}                                      \
		c++;                                   \
		at = e_ + 1;                           \
	} while (0)
#ifdef __SSE2__
	/* each delimiter ends a value: 16 bytes at a time */
	const __m128i vd = _mm_set1_epi8(d);
	for (; i + 16 <= bytes; i += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(
			_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(b + i)), vd));
		for (; m; m &= m - 1)
			VALUE_END(i + (size_t)__builtin_ctz(m));
	}
#endif
	for (; i < bytes; i++)
		if (b[i] == d)
			VALUE_END(i);
	VALUE_END(bytes);
#undef VALUE_END
	if (k != nkeep || c != nin)
		return -1;
	row_found(s, it, nkeep, bytes + 1, line);
	return LICIT_OK;
}

/* A row read again from the input file, split at the delimiter; with raw,
 * a clean record (split_row) is also handed out as its bytes. */
static int read_file_row(struct licit_spool *s, struct licit_spool_item *it, int raw,
                         struct licit_error *err)
{
	int64_t line, off;
	uint32_t bytes;
	if (get(s, &line, 8) || get(s, &off, 8) || get32(s, &bytes))
		return damaged(s, err, "a row record is cut short");
	if (s->ncols == SIZE_MAX || !s->refs || off < 0 || bytes > SPOOL_MAX_BYTES)
		return damaged(s, err, "a row refers to no file");
	const char *p = file_bytes(s, off, bytes, err);
	if (!p)
		return LICIT_ERR;
	if (reserve(s, s->ncols, (size_t)bytes + s->room + 1) < 0)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	memcpy(s->buf, p, bytes);
	s->buf[bytes] = '\0';
	int clean;
	if (split_row(s, it, bytes, s->delim, line, raw ? &clean : NULL) < 0)
		return licit_error_set(err, s->path, (long)line, NULL,
		                       "the file changed between the two passes");
	if (raw && clean) {
		it->raw = p;
		it->raw_len = bytes;
	}
	return LICIT_OK;
}

/* A plain row: its values and their NULs, split at the NULs. */
static int read_plain_row(struct licit_spool *s, struct licit_spool_item *it,
                          struct licit_error *err)
{
	int64_t line;
	uint32_t bytes;
	if (get(s, &line, 8) || get32(s, &bytes))
		return damaged(s, err, "a row record is cut short");
	if (s->ncols == SIZE_MAX || s->ncols != s->nin || bytes > SPOOL_MAX_BYTES)
		return damaged(s, err, "a row does not match its header");
	if (reserve(s, s->ncols, 1) < 0)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (grown(s, (size_t)bytes + 1, err) != LICIT_OK)
		return LICIT_ERR;
	if (s->buf[bytes] != '\0' || split_row(s, it, bytes, '\0', line, NULL) < 0)
		return damaged(s, err, "a row's values are not its columns");
	return LICIT_OK;
}

static int next(struct licit_spool *s, struct licit_spool_item *it, int raw,
                struct licit_error *err)
{
	it->raw = NULL;
	it->raw_len = 0;
	if (!s->reading)
		return licit_error_set(err, NULL, 0, NULL, "the spool is not rewound");
	int c = getc_unlocked(s->f);
	if (c == EOF)
		return ferror(s->f) ? damaged(s, err, "read error") : LICIT_EOF;
	if (c == 'H') {
		it->at = (long long)ftello(s->f) - 1; /* (headers are few) */
		return read_header(s, it, err);
	}
	if (c == 'R')
		return read_row(s, it, err);
	if (c == 'F')
		return read_file_row(s, it, raw, err);
	if (c == 'P')
		return read_plain_row(s, it, err);
	return damaged(s, err, "an unknown record");
}

int licit_spool_next(struct licit_spool *s, struct licit_spool_item *it, struct licit_error *err)
{
	return next(s, it, 0, err);
}

int licit_spool_next_raw(struct licit_spool *s, struct licit_spool_item *it,
                         struct licit_error *err)
{
	return next(s, it, 1, err);
}
