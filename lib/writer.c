/* CSV and JSON Lines writers, and atomic output files. */
#define _GNU_SOURCE /* fwrite_unlocked, fputs_unlocked */
#include "licit/writer.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "licit/schema.h"

struct licit_writer {
	FILE *f;
	enum licit_format fmt;
	char delim;
	size_t n;
	char **names;
	unsigned char *numeric;
	int header_done;
};

struct licit_writer *licit_writer_new(FILE *f, enum licit_format fmt,
                                      const char *const *names, size_t n)
{
	struct licit_writer *w = calloc(1, sizeof *w);
	if (!w)
		return NULL;
	w->f = f;
	w->fmt = fmt;
	w->delim = fmt == LICIT_FMT_TSV ? '\t' : ',';
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

void licit_csv_put(FILE *f, const char *s, size_t n, char delim)
{
	int quote = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == delim || c == '"' || c == '\n' || c == '\r') {
			quote = 1;
			break;
		}
	}
	if (!quote) {
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

int licit_writer_row(struct licit_writer *w, const char *const *v,
                     const size_t *len)
{
	if (!w->header_done)
		write_header(w);
	FILE *f = w->f;
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
	} else {
		for (size_t i = 0; i < w->n; i++) {
			if (i)
				putc_unlocked(w->delim, f);
			put_field(w, v[i], len ? len[i] : strlen(v[i]));
		}
	}
	putc_unlocked('\n', f);
	return ferror(f) ? LICIT_ERR : LICIT_OK;
}

int licit_writer_close(struct licit_writer *w, struct licit_error *err)
{
	if (!w)
		return LICIT_OK;
	int rc = LICIT_OK;
	if (w->f && w->names) {
		if (!w->header_done)
			write_header(w);
		if (fflush(w->f) != 0 || ferror(w->f))
			rc = licit_error_set(err, NULL, 0, NULL, "write error: %s",
			                     strerror(errno));
	}
	for (size_t i = 0; w->names && i < w->n; i++)
		free(w->names[i]);
	free(w->names);
	free(w->numeric);
	free(w);
	return rc;
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
#define TEMP_SLOTS 16
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

/* mkstemp and registration with the signals that remove temporaries
 * blocked, so that no signal falls between the two */
static int temp_create(struct licit_outfile *o)
{
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGPIPE);
	sigprocmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(o->tmp);
	int e = errno;
	if (fd >= 0 && !(o->slot = temp_register(o->tmp))) {
		close(fd);
		unlink(o->tmp);
		fd = -1;
		e = EMFILE;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
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

FILE *licit_outfile_open(struct licit_outfile *o, const char *path,
                         struct licit_error *err)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return big_buffer(o, o->f);
	}
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && S_ISDIR(st.st_mode)) {
		licit_error_set(err, path, 0, NULL, "is a directory");
		return NULL;
	}
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
	int bad = fflush(o->f) != 0;
	bad |= ferror(o->f) != 0;
	if (o->tmp)
		bad |= fsync(fileno(o->f)) != 0;
	int e = errno;
	if (o->tmp || o->direct)
		bad |= fclose(o->f) != 0;
	o->f = NULL;
	free(o->buf);
	o->buf = NULL;
	if (bad)
		return licit_error_set(err, name, 0, NULL, "write error: %s",
		                       strerror(e ? e : errno));
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
