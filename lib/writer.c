/* CSV and JSON Lines writers, and atomic output files. */
#include "licit/writer.h"

#include <errno.h>
#include <fcntl.h>
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
		fwrite(s, 1, n, f);
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

static void json_put_string(FILE *f, const char *s, size_t n)
{
	putc_unlocked('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u%04x", c);
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

static void write_header(struct licit_writer *w)
{
	w->header_done = 1;
	if (w->fmt == LICIT_FMT_JSONL)
		return;
	for (size_t i = 0; i < w->n; i++) {
		if (i)
			putc_unlocked(w->delim, w->f);
		licit_csv_put(w->f, w->names[i], strlen(w->names[i]), w->delim);
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
				fputs("null", f);
			else if (w->numeric[i] && is_plain_number(v[i], n))
				fwrite(v[i], 1, n, f);
			else
				json_put_string(f, v[i], n);
		}
		putc_unlocked('}', f);
	} else {
		for (size_t i = 0; i < w->n; i++) {
			if (i)
				putc_unlocked(w->delim, f);
			licit_csv_put(f, v[i], len ? len[i] : strlen(v[i]), w->delim);
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

FILE *licit_outfile_open(struct licit_outfile *o, const char *path,
                         struct licit_error *err)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->f = stdout;
		return o->f;
	}
	size_t n = strlen(path);
	o->path = strdup(path);
	o->tmp = malloc(n + 16);
	if (!o->path || !o->tmp) {
		licit_error_set(err, path, 0, NULL, "out of memory");
		goto fail;
	}
	snprintf(o->tmp, n + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		licit_error_set(err, path, 0, NULL, "cannot create: %s", strerror(errno));
		goto fail;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->f = fdopen(fd, "w");
	if (!o->f) {
		close(fd);
		unlink(o->tmp);
		licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
		goto fail;
	}
	return o->f;
fail:
	free(o->path);
	free(o->tmp);
	memset(o, 0, sizeof *o);
	return NULL;
}

int licit_outfile_commit(struct licit_outfile *o, struct licit_error *err)
{
	int rc = LICIT_OK;
	if (!o->f)
		return LICIT_OK;
	if (!o->path) {
		if (fflush(o->f) != 0 || ferror(o->f))
			rc = licit_error_set(err, "-", 0, NULL, "write error: %s",
			                     strerror(errno));
		o->f = NULL;
		return rc;
	}
	int bad = fflush(o->f) != 0;
	bad |= ferror(o->f) != 0;
	bad |= fclose(o->f) != 0;
	if (bad) {
		rc = licit_error_set(err, o->path, 0, NULL, "write error: %s",
		                     strerror(errno));
		unlink(o->tmp);
	} else if (rename(o->tmp, o->path) != 0) {
		rc = licit_error_set(err, o->path, 0, NULL, "cannot rename into "
		                     "place: %s", strerror(errno));
		unlink(o->tmp);
	}
	o->f = NULL;
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	return rc;
}

void licit_outfile_abort(struct licit_outfile *o)
{
	if (o->f && o->path) {
		fclose(o->f);
		unlink(o->tmp);
	}
	o->f = NULL;
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
}
