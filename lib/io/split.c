/* Cutting a CSV or TSV file into ranges of whole records (split.h).
 *
 * The file is cut into n chunks of equal size, each read in blocks and
 * scanned on its own thread for quotes and line feeds. A chunk does not
 * know whether it starts inside a quoted field, so it counts for both
 * cases: the line feeds outside quotes, and whether a quote or a line
 * start is one the cut cannot be sure of. The quote counts, chunk after
 * chunk, then tell which case is the true one, and each cut goes after
 * the first line feed outside quotes at or after its chunk's start. */
#include "licit/io/split.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "licit/io/writer.h"

#ifndef SPLIT_BLOCK /* the fuzz build makes it tiny */
#define SPLIT_BLOCK (1 << 18)
#endif
#define EDGE 64 /* bytes read before and after a block: a quote's neighbours */

struct chunk {
	int fd;
	size_t size;     /* the whole file's */
	size_t from, to; /* this chunk */
	unsigned char delim;
	int tsv;
	char *buf;       /* file bytes [lo, lo + n) */
	size_t lo, n;
	/* counted from the chunk's start, for [0] outside and [1] inside a
	 * quoted field there */
	long long lf_out[2]; /* line feeds outside quotes */
	int unsure[2];       /* a quote or a line start a cut cannot trust */
	long long lf;        /* all line feeds */
	long long quotes;
	int cr;              /* a CR byte */
	int failed;          /* a read error */
};

/* Reads file bytes [lo, hi) into the buffer. */
static void load(struct chunk *c, size_t lo, size_t hi)
{
	size_t got = 0;
	while (lo + got < hi) {
		ssize_t k = pread(c->fd, c->buf + got, hi - lo - got, (off_t)(lo + got));
		if (k <= 0) {
			c->failed = 1;
			break;
		}
		got += (size_t)k;
	}
	c->lo = lo;
	c->n = got;
}

/* The byte at p (< size), from the buffer or read alone. */
static inline char byte_at(struct chunk *c, size_t p)
{
	if (p >= c->lo && p < c->lo + c->n)
		return c->buf[p - c->lo];
	char b = 0;
	if (pread(c->fd, &b, 1, (off_t)p) != 1)
		c->failed = 1;
	return b;
}

/* Bit i set when p[i] is a quote, CR or LF (TSV: CR or LF), i < 64. */
#ifdef __SSE2__
static inline unsigned mask16(__m128i x, __m128i n, __m128i r, __m128i q)
{
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(x, n), _mm_cmpeq_epi8(x, r)), _mm_cmpeq_epi8(x, q)));
}
#endif

static inline uint64_t mask64(const char *p, int tsv)
{
#ifdef __SSE2__
	const __m128i n = _mm_set1_epi8('\n'), r = _mm_set1_epi8('\r');
	const __m128i q = tsv ? n : _mm_set1_epi8('"');
	uint64_t m0 = mask16(_mm_loadu_si128((const __m128i *)p), n, r, q);
	uint64_t m1 = mask16(_mm_loadu_si128((const __m128i *)(p + 16)), n, r, q);
	uint64_t m2 = mask16(_mm_loadu_si128((const __m128i *)(p + 32)), n, r, q);
	uint64_t m3 = mask16(_mm_loadu_si128((const __m128i *)(p + 48)), n, r, q);
	return m0 | m1 << 16 | m2 << 32 | m3 << 48;
#else
	uint64_t m = 0;
	for (int i = 0; i < 64; i++)
		m |= (uint64_t)(p[i] == '\n' || p[i] == '\r' || (!tsv && p[i] == '"')) << i;
	return m;
#endif
}

/* A quote at p that opens a field: the bytes before it, spaces aside,
 * are the start of the file, a line feed or the delimiter; or it is the
 * second of a "" pair. */
static int opens(struct chunk *c, size_t p)
{
	if (p > 0 && byte_at(c, p - 1) == '"')
		return 1;
	while (p > 0 && byte_at(c, p - 1) == ' ')
		p--;
	if (p == 0)
		return 1;
	char b = byte_at(c, p - 1);
	return b == '\n' || (unsigned char)b == c->delim;
}

/* A quote at p that closes a field: spaces, then the delimiter, a line
 * feed or the end of the file follow; or a quote follows at once ("").
 * Anything else carries the field on: a cut cannot be sure of it. */
static int closes(struct chunk *c, size_t p)
{
	if (p + 1 < c->size && byte_at(c, p + 1) == '"')
		return 1;
	p++;
	while (p < c->size && byte_at(c, p) == ' ')
		p++;
	if (p == c->size)
		return 1;
	char b = byte_at(c, p);
	return b == '\n' || (unsigned char)b == c->delim;
}

/* 1 when the line starting at p may not be a record of its own: empty,
 * starting with a space (the reader skips blank lines), or holding only
 * delimiters, spaces and quotes up to its end (a record of blank fields
 * is no row and has no record number). */
static int odd_line(struct chunk *c, size_t p)
{
	if (p >= c->size)
		return 0;
	char b = byte_at(c, p);
	if (b == '\n' || b == ' ')
		return 1;
	while (p < c->size && ((unsigned char)b == c->delim || b == '"' || b == ' ')) {
		if (++p == c->size)
			return 1;
		b = byte_at(c, p);
	}
	return b == '\n' || b == '\r';
}

/* One special byte at p, the chunk's quote parity so far in *par. */
static void special(struct chunk *c, size_t p, int *par)
{
	char b = c->buf[p - c->lo];
	if (b == '\n') {
		c->lf++;
		c->lf_out[*par]++;
		if (odd_line(c, p + 1))
			c->unsure[*par] = 1;
	} else if (b == '\r') {
		c->cr = 1;
	} else {
		if (!opens(c, p)) /* when the parity in the file is even here */
			c->unsure[*par] = 1;
		if (!closes(c, p)) /* when it is odd */
			c->unsure[!*par] = 1;
		c->quotes++;
		*par ^= 1;
	}
}

static void *scan(void *arg)
{
	struct chunk *c = arg;
	int par = 0;
	if (c->from == 0) { /* the first line, after a byte order mark */
		size_t at = c->size >= 3 && byte_at(c, 0) == '\xEF' && byte_at(c, 1) == '\xBB' &&
		            byte_at(c, 2) == '\xBF' ? 3 : 0;
		if (odd_line(c, at))
			c->unsure[0] = 1;
	}
	for (size_t b = c->from; b < c->to && !c->failed; b += SPLIT_BLOCK) {
		size_t e = b + SPLIT_BLOCK < c->to ? b + SPLIT_BLOCK : c->to;
		size_t lo = b >= EDGE ? b - EDGE : 0;
		load(c, lo, e + EDGE < c->size ? e + EDGE : c->size);
		if (c->lo + c->n < e)
			break; /* failed */
		size_t p = b;
		for (; p + 64 <= e; p += 64) {
			uint64_t m = mask64(c->buf + (p - c->lo), c->tsv);
			while (m) {
				special(c, p + (size_t)__builtin_ctzll(m), &par);
				m &= m - 1;
			}
		}
		for (; p < e; p++) {
			char x = c->buf[p - c->lo];
			if (x == '\n' || x == '\r' || (!c->tsv && x == '"'))
				special(c, p, &par);
		}
	}
	return NULL;
}

/* The first record start at or after p, quote parity par there: just
 * after a line feed outside quotes; *lf, *lf_out count the line feeds
 * before it from p. Returns size when there is none. */
static size_t next_start(struct chunk *c, size_t p, int par, long long *lf, long long *lf_out)
{
	for (; p < c->size && !c->failed; p++) {
		if (p >= c->lo + c->n || p < c->lo)
			load(c, p, p + SPLIT_BLOCK < c->size ? p + SPLIT_BLOCK : c->size);
		char b = c->buf[p - c->lo];
		if (b == '"' && !c->tsv) {
			par ^= 1;
		} else if (b == '\n') {
			++*lf;
			if (!par) {
				++*lf_out;
				return p + 1;
			}
		}
	}
	return c->size;
}

/* The ranges from the chunks' counts; 0 when the file is left whole. */
static int cut(struct chunk *c, int n, struct licit_range **out)
{
	int par = 0;
	for (int i = 0; i < n; i++) {
		if (c[i].cr || c[i].unsure[par] || c[i].failed)
			return 0;
		par ^= (int)(c[i].quotes & 1);
	}
	if (par)
		return 0; /* a quoted field never ends: the reader says so */
	struct licit_range *r = malloc((size_t)n * sizeof *r);
	if (!r)
		return -1;
	int k = 0;
	long long lf = 0, lf_out = 0; /* before chunk i */
	r[0] = (struct licit_range){0, 0, 1, 0};
	par = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0) {
			long long l = lf, lo = lf_out;
			size_t s = next_start(&c[i], c[i].from, par, &l, &lo);
			if (c[i].failed) {
				free(r);
				return 0;
			}
			if (s < c->size && (long long)s > r[k].start) {
				r[k].end = (long long)s;
				r[++k] = (struct licit_range){(long long)s, 0, (long)l + 1, (long)lo - 1};
			}
		}
		lf += c[i].lf;
		lf_out += c[i].lf_out[par];
		par ^= (int)(c[i].quotes & 1);
	}
	r[k].end = (long long)c->size;
	if (k == 0) {
		free(r);
		return 0;
	}
	*out = r;
	return k + 1;
}

int licit_split_csv(const char *path, char delim, int tsv, int n, long long min,
                    struct licit_range **out, struct licit_error *err)
{
	*out = NULL;
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
		return -1;
	}
	if (min < 1)
		min = 1;
	long long most = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? st.st_size / min : 0;
	if (most < n)
		n = (int)most;
	if (n < 2) {
		close(fd);
		return 0;
	}
	struct chunk *c = calloc((size_t)n, sizeof *c);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	char *started = calloc((size_t)n, 1);
	int rc = c && t && started ? 0 : -1;
	for (int i = 0; rc == 0 && i < n; i++) {
		size_t size = (size_t)st.st_size, step = size / (size_t)n;
		c[i] = (struct chunk){.fd = fd, .size = size, .delim = (unsigned char)delim,
		                      .tsv = tsv, .from = step * (size_t)i,
		                      .to = i + 1 == n ? size : step * (size_t)(i + 1)};
		if (!(c[i].buf = malloc(SPLIT_BLOCK + 2 * EDGE)))
			rc = -1;
	}
	if (rc == 0) {
		/* chunk 0 on this thread, the others on their own (the cleanup
		 * signals stay with this one) */
		sigset_t block, old;
		licit_cleanup_signals(&block);
		pthread_sigmask(SIG_BLOCK, &block, &old);
		for (int i = 1; i < n; i++)
			started[i] = pthread_create(&t[i], NULL, scan, &c[i]) == 0;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		scan(&c[0]);
		for (int i = 1; i < n; i++) {
			if (started[i])
				pthread_join(t[i], NULL);
			else
				scan(&c[i]);
		}
		rc = cut(c, n, out);
	}
	if (rc < 0)
		licit_error_set(err, path, 0, NULL, "out of memory");
	for (int i = 0; c && i < n; i++)
		free(c[i].buf);
	free(c);
	free(t);
	free(started);
	close(fd);
	return rc;
}
