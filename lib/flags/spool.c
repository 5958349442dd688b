/* The row spool (licit/flags/spool.h): rows written once in a binary
 * form, read back in order. */
#include "licit/flags/spool.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
	/* writing: the kept columns of the current input */
	size_t *keep;
	size_t nkeep, keep_cap;
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
	return s;
}

struct licit_spool *licit_spool_new(struct licit_error *err)
{
	FILE *f = tmpfile();
	if (!f) {
		licit_error_set(err, NULL, 0, NULL,
		                "cannot create a temporary file for the second pass: %s",
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
	free(s->keep);
	free(s->lens);
	free(s->buf);
	free(s->v);
	free(s->len);
	free(s);
}

long long licit_spool_bytes(const struct licit_spool *s) { return s->bytes; }

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
                       size_t n, const unsigned char *keep, struct licit_error *err)
{
	if (LICIT_GROW(s->keep, s->keep_cap, n + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	s->nkeep = 0;
	for (size_t i = 0; i < n; i++)
		if (!keep || keep[i])
			s->keep[s->nkeep++] = i;
	if (LICIT_GROW(s->lens, s->lens_cap, s->nkeep + 1) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	errno = 0;
	int bad = put(s, "H", 1) || put32(s, s->nkeep) || put32(s, strlen(source)) ||
	          put(s, source, strlen(source));
	for (size_t k = 0; k < s->nkeep && !bad; k++) {
		const char *name = names[s->keep[k]];
		bad = put32(s, strlen(name)) || put(s, name, strlen(name));
	}
	return bad ? write_error(s, err) : LICIT_OK;
}

int licit_spool_row(struct licit_spool *s, const struct licit_row *row, struct licit_error *err)
{
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
	int64_t line = row->line;
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
	uint32_t n, sl;
	if (get32(s, &n) || get32(s, &sl))
		return damaged(s, err, "a header record is cut short");
	if (n > SPOOL_MAX_COLS || sl > SPOOL_MAX_BYTES)
		return damaged(s, err, "a header record is too large");
	/* the names' bytes are read one by one into buf, then pointed at */
	size_t used;
	uint32_t *nl;
	if (reserve(s, n, (size_t)sl + 1) < 0)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (get(s, s->buf, sl))
		return damaged(s, err, "a header record is cut short");
	s->buf[sl] = '\0';
	used = (size_t)sl + 1;
	nl = s->lens;
	for (uint32_t i = 0; i < n; i++) {
		if (get32(s, &nl[i]) || nl[i] > SPOOL_MAX_BYTES - used)
			return damaged(s, err, "a column name is cut short or too long");
		if (LICIT_GROW(s->buf, s->buf_cap, used + nl[i] + 1) != LICIT_OK)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		if (get(s, s->buf + used, nl[i]))
			return damaged(s, err, "a column name is cut short");
		s->buf[used + nl[i]] = '\0';
		s->len[i] = used; /* offsets until buf stops moving */
		used += (size_t)nl[i] + 1;
	}
	for (uint32_t i = 0; i < n; i++)
		s->v[i] = s->buf + s->len[i];
	s->ncols = n;
	it->header = 1;
	it->source = s->buf;
	it->names = s->v;
	it->n = n;
	it->tail = NULL;
	return LICIT_OK;
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
	if (reserve(s, n, (size_t)total + s->room + 1) < 0)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (get(s, s->lens, 4 * (size_t)n) || get(s, s->buf, total))
		return damaged(s, err, "a row record is cut short");
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
	memset(&it->row, 0, sizeof it->row);
	it->header = 0;
	it->row.n = n;
	it->row.v = s->v;
	it->row.len = s->len;
	it->row.line = (long)line;
	it->row.nfields = n;
	it->tail = s->buf + total;
	return LICIT_OK;
}

int licit_spool_next(struct licit_spool *s, struct licit_spool_item *it, struct licit_error *err)
{
	if (!s->reading)
		return licit_error_set(err, NULL, 0, NULL, "the spool is not rewound");
	int c = getc_unlocked(s->f);
	if (c == EOF)
		return ferror(s->f) ? damaged(s, err, "read error") : LICIT_EOF;
	if (c == 'H')
		return read_header(s, it, err);
	if (c == 'R')
		return read_row(s, it, err);
	return damaged(s, err, "an unknown record");
}
