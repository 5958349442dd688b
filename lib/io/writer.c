/* CSV and JSON Lines writers, and atomic output files. */
#define _GNU_SOURCE /* fwrite_unlocked, fputs_unlocked */
#include "licit/io/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "licit/core/array.h"
#include "licit/io/xlsx_write.h"
#include "licit/record/schema.h"

struct licit_writer {
	FILE *f;
	enum licit_format fmt;
	char delim;
	size_t n;
	char **names;
	unsigned char *numeric;
	int header_done;
	char *line; /* a CSV row being put together: one write per row */
	size_t cap;
	unsigned char special[256]; /* the bytes that make a field quoted */
	int err_no; /* errno of the first failed write, 0 while none failed */
	struct licit_xlsx_writer *xlsx; /* LICIT_FMT_XLSX: the rows go there */
	unsigned char *number;          /* its row's number cells */
};

/* LICIT_OK, or LICIT_ERR once the stream has failed, keeping the errno of
 * the write that failed: later calls (a free, a flush that succeeds) may
 * change errno before the failure is reported. */
static int written(struct licit_writer *w)
{
	if (!ferror_unlocked(w->f)) /* (the writer's stream is its own: no lock) */
		return LICIT_OK;
	if (!w->err_no)
		w->err_no = errno ? errno : EIO;
	return LICIT_ERR;
}

static void mark_special(unsigned char *special, char delim);

struct licit_writer *licit_writer_new(FILE *f, enum licit_format fmt,
                                      const char *const *names, size_t n)
{
	struct licit_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->f = f;
	w->fmt = fmt;
	w->delim = fmt == LICIT_FMT_TSV ? '\t' : ',';
	mark_special(w->special, w->delim);
	w->n = n;
	w->names = calloc(n ? n : 1, sizeof *w->names);
	w->numeric = calloc(n ? n : 1, 1);
	if (!w->names || !w->numeric)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		w->names[i] = strdup(names[i]);
		if (!w->names[i])
			goto fail;
		int fld = licit_field_lookup(names[i]);
		w->numeric[i] = fld >= 0 && licit_type_is_number(licit_field_type(fld));
	}
	if (fmt == LICIT_FMT_XLSX &&
	    (!(w->number = calloc(n ? n : 1, 1)) ||
	     !(w->xlsx = licit_xlsx_writer_new(f, names, n, NULL))))
		goto fail;
	return w;
fail:
	w->header_done = 1; /* nothing may reach the stream */
	licit_writer_close(w, NULL);
	return NULL;
}

void licit_writer_set_numeric(struct licit_writer *w, size_t col, int on)
{
	if (col < w->n)
		w->numeric[col] = (unsigned char)(on != 0);
}

/* 1 when a CSV field must be quoted: it holds delim, a quote, CR or LF
 * (special[] marks those four bytes). A field of 4 bytes or more is
 * looked at 16 bytes at a time, its last piece (or all of a field
 * shorter than 16) by loads inside the field that may overlap, never
 * byte by byte. */
static int needs_quotes(const unsigned char *special, const char *s, size_t n, char delim)
{
#ifdef __SSE2__
	if (n >= 4) {
		const __m128i vd = _mm_set1_epi8(delim), vq = _mm_set1_epi8('"');
		const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
#define SPECIAL(x)                                                                       \
	_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vq)), \
	                               _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr))))
		if (n >= 16) {
			for (size_t i = 0; i + 16 < n; i += 16)
				if (SPECIAL(_mm_loadu_si128((const __m128i *)(s + i))))
					return 1;
			return SPECIAL(_mm_loadu_si128((const __m128i *)(s + n - 16))) != 0;
		}
		long long lo, hi;
		if (n >= 8) {
			memcpy(&lo, s, 8);
			memcpy(&hi, s + n - 8, 8);
		} else {
			int a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			lo = a;
			hi = b;
		}
		return SPECIAL(_mm_set_epi64x(hi, lo)) != 0;
#undef SPECIAL
	}
#endif
	unsigned char hit = 0;
	for (size_t i = 0; i < n; i++)
		hit |= special[(unsigned char)s[i]];
	return hit;
}

static void mark_special(unsigned char *special, char delim)
{
	memset(special, 0, 256);
	special[(unsigned char)delim] = special['"'] = special['\n'] = special['\r'] = 1;
}

void licit_csv_put(FILE *f, const char *s, size_t n, char delim)
{
	unsigned char special[256];
	mark_special(special, delim);
	if (!needs_quotes(special, s, n, delim)) {
		fwrite_unlocked(s, 1, n, f);
		return;
	}
	putc_unlocked('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			putc_unlocked('"', f);
		putc_unlocked(s[i], f);
	}
	putc_unlocked('"', f);
}

/* A TSV field: tab, line feed, carriage return and backslash escaped as
 * \t \n \r \\ (the reader undoes it), nothing quoted. */
static void tsv_put(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\t' || c == '\n' || c == '\r' || c == '\\') {
			putc_unlocked('\\', f);
			c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
		}
		putc_unlocked(c, f);
	}
}

static int safe_csv;

void licit_writer_set_safe_csv(int on)
{
	safe_csv = on != 0;
}

/* A number a spreadsheet reads as one: [+-]digits[.digits][e[+-]digits] */
static int is_number_text(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	if (i < n && s[i] == '.')
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			digits++;
	if (digits && i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = ++i;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			e = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == e)
			return 0;
	}
	return digits > 0 && i == n;
}

/* A cell a spreadsheet would run as a formula (OWASP's CSV injection:
 * = + - @ tab CR first), and that is not a plain number. */
static int is_formula(const char *s, size_t n)
{
	return n && strchr("=+-@\t\r", s[0]) && !is_number_text(s, n);
}

static void put_field(const struct licit_writer *w, const char *s, size_t n)
{
	if (safe_csv && is_formula(s, n)) {
		/* a leading single quote makes it text; in CSV the cell is quoted */
		if (w->fmt == LICIT_FMT_TSV) {
			putc_unlocked('\'', w->f);
			tsv_put(w->f, s, n);
			return;
		}
		fputs_unlocked("\"'", w->f);
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '"')
				putc_unlocked('"', w->f);
			putc_unlocked(s[i], w->f);
		}
		putc_unlocked('"', w->f);
		return;
	}
	if (w->fmt == LICIT_FMT_TSV)
		tsv_put(w->f, s, n);
	else
		licit_csv_put(w->f, s, n, w->delim);
}

static void json_put_string(FILE *f, const char *s, size_t n)
{
	putc_unlocked('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs_unlocked("\\\"", f); break;
		case '\\': fputs_unlocked("\\\\", f); break;
		case '\n': fputs_unlocked("\\n", f); break;
		case '\r': fputs_unlocked("\\r", f); break;
		case '\t': fputs_unlocked("\\t", f); break;
		default:
			if (c < 0x20) {
				char u[7] = {'\\', 'u', '0', '0', "0123456789abcdef"[c >> 4],
				             "0123456789abcdef"[c & 15], 0};
				fputs_unlocked(u, f);
			}
			else
				putc_unlocked((int)c, f);
		}
	}
	putc_unlocked('"', f);
}

/* A JSON number as written by licit: -?digits(.digits)? */
static int is_plain_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;
	if (i < n && s[i] == '-')
		i++;
	if (i < n && s[i] == '0' && i + 1 < n && s[i + 1] != '.')
		return 0;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		size_t frac = 0;
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			frac++;
		if (!frac)
			return 0;
	}
	return digits > 0 && i == n;
}

static int stdout_written;

int licit_writer_stdout_written(void)
{
	return stdout_written;
}

static void write_header(struct licit_writer *w)
{
	w->header_done = 1;
	stdout_written |= w->f == stdout;
	if (w->fmt == LICIT_FMT_JSONL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		if (i)
			putc_unlocked(w->delim, w->f);
		put_field(w, w->names[i], strlen(w->names[i]));
	}
	putc_unlocked('\n', w->f);
}

/* The fast path of a row whose values lie one after another in memory,
 * each followed by its NUL (values a reader left in place in one input
 * line; no value holds a NUL): the span of them with each NUL made a
 * delimiter is the row when no byte of it needs quoting. 1 when done so
 * in w->line (*k its length), 0 when the row takes the field by field
 * path, -1 out of memory. */
static int csv_span(struct licit_writer *w, const char *const *v, const size_t *len, size_t *k)
{
	size_t n = w->n;
	if (!len || !n)
		return 0;
	for (size_t i = 1; i < n; i++)
		if (v[i] != v[i - 1] + len[i - 1] + 1)
			return 0;
	const char *p = v[0];
	size_t total = (size_t)(v[n - 1] + len[n - 1] - p), i = 0;
	if (LICIT_GROW(w->line, w->cap, total + 2) != LICIT_OK)
		return -1;
	char *out = w->line;
#ifdef __SSE2__
	const __m128i vd = _mm_set1_epi8(w->delim), vq = _mm_set1_epi8('"');
	const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'), z = _mm_setzero_si128();
	for (; i + 16 <= total; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, vd), _mm_cmpeq_epi8(x, vq)),
		                           _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr)));
		if (_mm_movemask_epi8(bad))
			return 0;
		__m128i nul = _mm_cmpeq_epi8(x, z);
		x = _mm_or_si128(_mm_andnot_si128(nul, x), _mm_and_si128(nul, vd));
		_mm_storeu_si128((__m128i *)(out + i), x);
	}
#endif
	for (; i < total; i++) {
		char c = p[i];
		if (w->special[(unsigned char)c])
			return 0;
		out[i] = c ? c : w->delim;
	}
	out[total] = '\n';
	*k = total + 1;
	return 1;
}

/* A CSV row put together in w->line, then written at once. */
static int csv_row(struct licit_writer *w, const char *const *v, const size_t *len)
{
	size_t k = 0;
	int span = csv_span(w, v, len, &k);
	if (span < 0) {
		if (!w->err_no)
			w->err_no = ENOMEM;
		return LICIT_ERR;
	}
	if (span) {
		errno = 0;
		fwrite_unlocked(w->line, 1, k, w->f);
		return written(w);
	}
	for (size_t i = 0; i < w->n; i++) {
		size_t n = len ? len[i] : strlen(v[i]);
		if (w->cap - k < 2 * n + 4) {
			size_t cap = w->cap ? w->cap : 4096;
			while (cap - k < 2 * n + 4)
				cap *= 2;
			char *b = realloc(w->line, cap);
			if (!b) {
				if (!w->err_no)
					w->err_no = ENOMEM;
				return LICIT_ERR;
			}
			w->line = b;
			w->cap = cap;
		}
		if (i)
			w->line[k++] = w->delim;
		const char *s = v[i];
		if (!needs_quotes(w->special, s, n, w->delim)) {
			memcpy(w->line + k, s, n);
			k += n;
			continue;
		}
		w->line[k++] = '"';
		for (size_t j = 0; j < n; j++) {
			if (s[j] == '"')
				w->line[k++] = '"';
			w->line[k++] = s[j];
		}
		w->line[k++] = '"';
	}
	w->line[k++] = '\n';
	errno = 0;
	fwrite_unlocked(w->line, 1, k, w->f);
	return written(w);
}

int licit_writer_records(struct licit_writer *w, const char *p, size_t n)
{
	if (!w->header_done)
		write_header(w);
	fwrite_unlocked(p, 1, n, w->f);
	return written(w);
}

/* A failed append: its errno kept as a failed write's. */
static int append_failed(struct licit_writer *w, int e)
{
	if (!w->err_no)
		w->err_no = e ? e : EIO;
	return LICIT_ERR;
}

int licit_writer_append(struct licit_writer *w, int fd, off_t at, off_t n)
{
	if (w->xlsx)
		return append_failed(w, EINVAL);
	if (!w->header_done)
		write_header(w);
	if (fflush(w->f) != 0 || written(w) != LICIT_OK)
		return append_failed(w, errno);
	int out = fileno(w->f); /* -1: a memory stream */
	off_t end = at + n;
	while (out >= 0 && at < end) { /* sendfile moves at on */
		size_t want = end - at > (off_t)1 << 30 ? (size_t)1 << 30 : (size_t)(end - at);
		ssize_t k = sendfile(out, fd, &at, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EINVAL || errno == ENOSYS))
			break; /* not between these two: read and written below */
		if (k <= 0)
			return append_failed(w, k < 0 ? errno : EIO);
	}
	char buf[1 << 16];
	while (at < end) {
		size_t want = end - at > (off_t)sizeof buf ? sizeof buf : (size_t)(end - at);
		ssize_t k = pread(fd, buf, want, at);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return append_failed(w, k < 0 ? errno : EIO);
		fwrite_unlocked(buf, 1, (size_t)k, w->f);
		if (written(w) != LICIT_OK)
			return LICIT_ERR;
		at += k;
	}
	return LICIT_OK;
}

int licit_writer_raw_ok(const struct licit_writer *w, char delim)
{
	return !w->xlsx && w->fmt == LICIT_FMT_CSV && !safe_csv && w->delim == delim && delim;
}

void licit_writer_skip_header(struct licit_writer *w)
{
	w->header_done = 1;
}

int licit_writer_row(struct licit_writer *w, const char *const *v,
                     const size_t *len)
{
	if (w->xlsx) {
		for (size_t i = 0; i < w->n; i++)
			w->number[i] = w->numeric[i] && is_plain_number(v[i], len ? len[i] : strlen(v[i]));
		return licit_xlsx_writer_row(w->xlsx, v, len, w->number);
	}
	if (!w->header_done)
		write_header(w);
	FILE *f = w->f;
	errno = 0;
	if (w->fmt == LICIT_FMT_JSONL) {
		putc_unlocked('{', f);
		for (size_t i = 0; i < w->n; i++) {
			size_t n = len ? len[i] : strlen(v[i]);
			if (i)
				putc_unlocked(',', f);
			json_put_string(f, w->names[i], strlen(w->names[i]));
			putc_unlocked(':', f);
			if (w->numeric[i] && n == 0)
				fputs_unlocked("null", f);
			else if (w->numeric[i] && is_plain_number(v[i], n))
				fwrite_unlocked(v[i], 1, n, f);
			else
				json_put_string(f, v[i], n);
		}
		putc_unlocked('}', f);
	} else if (w->fmt == LICIT_FMT_CSV && !safe_csv) {
		return csv_row(w, v, len);
	} else {
		for (size_t i = 0; i < w->n; i++) {
			if (i)
				putc_unlocked(w->delim, f);
			put_field(w, v[i], len ? len[i] : strlen(v[i]));
		}
	}
	putc_unlocked('\n', f);
	return written(w);
}

int licit_writer_close(struct licit_writer *w, struct licit_error *err)
{
	if (!w)
		return LICIT_OK;
	int rc = LICIT_OK;
	if (w->xlsx) {
		struct licit_xlsx_writer *x = w->xlsx;
		w->xlsx = NULL;
		if (w->header_done) /* discarded */
			licit_xlsx_writer_discard(x);
		else if (licit_xlsx_writer_close(x, err) != LICIT_OK)
			rc = LICIT_ERR;
		w->header_done = 1; /* the workbook has its own header */
	}
	if (w->f && w->names && rc == LICIT_OK) {
		errno = 0;
		if (!w->header_done)
			write_header(w);
		if (fflush(w->f) != 0 && !w->err_no)
			w->err_no = errno ? errno : EIO;
		if (written(w) != LICIT_OK || w->err_no)
			rc = licit_error_set(err, NULL, 0, NULL, "write error: %s",
			                     strerror(w->err_no));
	}
	for (size_t i = 0; w->names && i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w->numeric);
	free(w->number);
	free(w->line);
	free(w);
	return rc;
}

int licit_writer_error(const struct licit_writer *w, struct licit_error *err)
{
	if (w && w->xlsx)
		return licit_xlsx_writer_error(w->xlsx, err);
	return licit_error_set(err, NULL, 0, NULL, "write error: %s",
	                       strerror(w && w->err_no ? w->err_no : EIO));
}

void licit_writer_discard(struct licit_writer *w)
{
	if (w)
		w->header_done = 1;
	licit_writer_close(w, NULL);
}

/* The temporaries not yet renamed or removed, in fixed memory that a
 * signal handler can read: a slot's path is complete before `used` is
 * set, and cleared only after the file is gone. */
#define TEMP_SLOTS 272 /* licit shard's 256 files, and a few more */
#define TEMP_PATH 4096
static struct {
	volatile sig_atomic_t used;
	char path[TEMP_PATH];
} temps[TEMP_SLOTS];

static int temp_register(const char *path)
{
	if (strlen(path) >= TEMP_PATH)
		return 0;
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (!temps[i].used) {
			memcpy(temps[i].path, path, strlen(path) + 1);
			temps[i].used = 1;
			return i + 1;
		}
	return 0;
}

static void temp_forget(struct licit_outfile *o)
{
	if (o->slot)
		temps[o->slot - 1].used = 0;
	o->slot = 0;
}

void licit_outfile_remove_temps(void)
{
	for (int i = 0; i < TEMP_SLOTS; i++)
		if (temps[i].used)
			unlink(temps[i].path); /* async-signal-safe */
}

void licit_cleanup_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGPIPE);
}

/* mkstemp and registration with the signals that remove temporaries
 * blocked, so that no signal falls between the two (in this thread; the
 * reader's helper thread blocks them for good, so none goes there) */
static int temp_create(struct licit_outfile *o)
{
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(o->tmp);
	int e = errno;
	if (fd >= 0 && !(o->slot = temp_register(o->tmp))) {
		close(fd);
		unlink(o->tmp);
		fd = -1;
		e = EMFILE;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = e;
	return fd;
}

/* Every output gets one large buffer: a write per LICIT_OUT_BUFFER bytes
 * instead of one per 4 KiB. Standard output's is set once, before the
 * first write. */
#define LICIT_OUT_BUFFER (1 << 18)
static FILE *big_buffer(struct licit_outfile *o, FILE *f)
{
	static char out_buf[LICIT_OUT_BUFFER];
	static int stdout_done;
	if (f == stdout) {
		if (!stdout_done++)
			setvbuf(f, out_buf, _IOFBF, sizeof out_buf);
	} else if ((o->buf = malloc(LICIT_OUT_BUFFER)) != NULL) {
		setvbuf(f, o->buf, _IOFBF, LICIT_OUT_BUFFER);
	}
	return f;
}

int licit_outfile_check(const char *path, struct licit_error *err)
{
	struct stat st;
	if (!path || strcmp(path, "-") == 0)
		return LICIT_OK;
	int exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return licit_error_set(err, path, 0, NULL, "is a directory");
	if (exists && !S_ISREG(st.st_mode)) /* a device or a pipe: written in place */
		return LICIT_OK;
	/* a file its owner made read-only is not replaced behind its back
	 * (the rename would need only the folder's permission) */
	if (exists && access(path, W_OK) != 0 && errno == EACCES)
		return licit_error_set(err, path, 0, NULL, "cannot write: %s", strerror(errno));
	/* the temporary goes in the folder of the file (the one a symlink
	 * names) */
	char *real = exists ? realpath(path, NULL) : NULL;
	const char *p = real ? real : path, *slash = strrchr(p, '/');
	char *dir = slash ? strndup(p, slash == p ? 1 : (size_t)(slash - p)) : strdup(".");
	int e = !dir ? ENOMEM : access(dir, W_OK | X_OK) != 0 ? errno : 0;
	free(dir);
	free(real);
	return e ? licit_error_set(err, path, 0, NULL, "cannot create: %s", strerror(e)) : LICIT_OK;
}

FILE *licit_outfile_open(struct licit_outfile *o, const char *path,
                         struct licit_error *err)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return big_buffer(o, o->f);
	}
	if (licit_outfile_check(path, err) != LICIT_OK)
		return NULL;
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		/* a device or a pipe (/dev/null, /dev/stdout): written in place,
		 * never replaced by a rename */
		o->f = fopen(path, "w");
		if (!o->f) {
			licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
			return NULL;
		}
		o->direct = 1;
		o->path = strdup(path); /* its name in messages */
		return big_buffer(o, o->f);
	}
	/* through a symlink, the temporary goes beside the file it names, and
	 * the rename replaces that file, not the link */
	char *real = exists ? realpath(path, NULL) : NULL;
	o->path = real ? real : strdup(path);
	size_t n = o->path ? strlen(o->path) : 0;
	o->tmp = malloc(n + 16);
	if (!o->path || !o->tmp) {
		licit_error_set(err, path, 0, NULL, "out of memory");
		goto fail;
	}
	snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", o->path);
	int fd = temp_create(o);
	if (fd < 0) {
		licit_error_set(err, path, 0, NULL, "cannot create: %s", strerror(errno));
		goto fail;
	}
	mode_t mode;
	if (exists) {
		mode = st.st_mode & 07777; /* an existing file keeps its mode */
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	fchmod(fd, mode);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
		close(fd);
		unlink(o->tmp);
		temp_forget(o);
		goto fail;
	}
	return big_buffer(o, o->f);
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return NULL;
}

int licit_outfile_close(struct licit_outfile *o, struct licit_error *err)
{
	if (!o->f)
		return LICIT_OK;
	const char *name = o->path ? o->path : "standard output";
	/* the errno of the call that failed, not of a later one; an error
	 * the stream had before (a failed write its writer reported) is EIO */
	int e = 0;
	errno = 0;
	if (fflush(o->f) != 0)
		e = errno ? errno : EIO;
	if (!e && ferror(o->f))
		e = EIO;
	if (!e && o->tmp && fsync(fileno(o->f)) != 0)
		e = errno ? errno : EIO;
	if ((o->tmp || o->direct) && fclose(o->f) != 0 && !e)
		e = errno ? errno : EIO;
	o->f = NULL;
	free(o->buf);
	o->buf = NULL;
	if (e)
		return licit_error_set(err, name, 0, NULL, "write error: %s", strerror(e));
	return LICIT_OK;
}

int licit_outfile_commit(struct licit_outfile *o, struct licit_error *err)
{
	int rc = licit_outfile_close(o, err);
	if (rc == LICIT_OK && o->tmp && rename(o->tmp, o->path) != 0)
		rc = licit_error_set(err, o->path, 0, NULL, "cannot rename into place: %s",
		                     strerror(errno));
	if (rc == LICIT_OK && o->tmp) {
		temp_forget(o);
		free(o->tmp); /* renamed: nothing left to remove */
		o->tmp = NULL;
	}
	licit_outfile_abort(o);
	return rc;
}

void licit_outfile_abort(struct licit_outfile *o)
{
	if (o->f && (o->tmp || o->direct))
		fclose(o->f);
	free(o->buf);
	if (o->tmp)
		unlink(o->tmp);
	temp_forget(o);
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
}
