/* Partial result files: the frame every tool's partial format shares
 * (see licit/io/partial.h). */
#include "licit/io/partial.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "licit/core/map.h"
#include "licit/io/writer.h"

/* ---- writing ----------------------------------------------------------- */

void licit_partial_str(FILE *f, const char *s, size_t n, int first)
{
	if (!first)
		fputc(',', f);
	licit_csv_put(f, s, n, ',');
}

void licit_partial_begin(struct licit_partial_out *o, FILE *f, const char *magic,
                         const char *version, const char *options)
{
	o->f = f;
	o->records = 0;
	fprintf(f, "%s,%s,%016llx,", magic, version,
	        licit_mix64(licit_hash(options, strlen(options))));
	licit_partial_str(f, options, strlen(options), 1);
	licit_partial_eol(o);
}

void licit_partial_eol(struct licit_partial_out *o)
{
	fputc('\n', o->f);
	o->records++;
}

void licit_partial_end(struct licit_partial_out *o)
{
	fprintf(o->f, "end,%lld\n", o->records);
}

/* ---- reading ----------------------------------------------------------- */

static int put(struct licit_partial_in *r, char c)
{
	if (r->len + 1 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		char *b = realloc(r->buf, cap);
		if (!b)
			return -1;
		r->buf = b;
		r->cap = cap;
	}
	r->buf[r->len++] = c;
	return 0;
}

static int new_field(struct licit_partial_in *r)
{
	if (r->nf + 1 > r->fcap) {
		size_t cap = r->fcap ? r->fcap * 2 : 64;
		size_t *o = realloc(r->off, cap * sizeof *o);
		if (!o)
			return -1;
		r->off = o;
		char **f = realloc(r->fld, cap * sizeof *f);
		if (!f)
			return -1;
		r->fld = f;
		r->fcap = cap;
	}
	r->off[r->nf++] = r->len;
	return 0;
}

/* The next CSV record: 1, 0 at the end of the file, -1 when the file
 * ends inside one (truncated), -2 out of memory. */
static int next_record(struct licit_partial_in *r)
{
	r->len = 0;
	r->nf = 0;
	r->rec_line = r->line + 1;
	int inq = 0, started = 0;
	if (new_field(r) < 0)
		return -2;
	for (;;) {
		ssize_t n = getline(&r->lbuf, &r->lcap, r->f);
		if (n <= 0)
			return started ? -1 : 0;
		started = 1;
		r->line++;
		if (r->lbuf[n - 1] != '\n')
			return -1; /* a last line without its line end */
		for (ssize_t i = 0; i < n; i++) {
			char c = r->lbuf[i];
			int rc = 0;
			if (inq) {
				if (c == '"' && i + 1 < n && r->lbuf[i + 1] == '"')
					rc = put(r, r->lbuf[i++]);
				else if (c == '"')
					inq = 0;
				else
					rc = put(r, c);
			} else if (c == '"' && r->len == r->off[r->nf - 1]) {
				inq = 1;
			} else if (c == ',') {
				rc = put(r, '\0') | new_field(r);
			} else if (c == '\n') {
				if (put(r, '\0') < 0)
					return -2;
				for (size_t j = 0; j < r->nf; j++)
					r->fld[j] = r->buf + r->off[j];
				return 1;
			} else {
				rc = put(r, c);
			}
			if (rc)
				return -2;
		}
	}
}

int licit_partial_fail(struct licit_partial_in *r, struct licit_error *err, const char *why)
{
	return licit_error_set(err, r->name, r->rec_line, NULL, "%s", why);
}

int licit_partial_open(struct licit_partial_in *r, FILE *f, const char *name,
                       const char *magic, const char *version, const char *options,
                       const char *what, const char *hint, struct licit_error *err)
{
	memset(r, 0, sizeof *r);
	r->f = f;
	r->name = name;
	int rc = next_record(r);
	if (rc == -2)
		return licit_partial_fail(r, err, "out of memory");
	if (rc == 0)
		return licit_error_set(err, name, 1, NULL, "empty: not a %s file", what);
	if (rc < 0)
		return licit_error_set(err, name, r->line, NULL,
		                       "truncated: the file ends before its end line");
	if ( r->nf < 2 || strcmp(r->fld[0], magic) != 0)
		return licit_error_set(err, name, 1, NULL,
		                       "not a %s file (its first line is not "
		                       "'%s,VERSION,...')", what, magic);
	if (strcmp(r->fld[1], version) != 0)
		return licit_error_set(err, name, r->rec_line, NULL,
		                       "partial file format version '%.20s': this licit "
		                       "reads version %s", r->fld[1], version);
	if (r->nf != 4)
		return licit_partial_fail(r, err, "a version line without its options");
	r->records = 1;
	const char *a = r->fld[3], *b = options;
	if (strcmp(a, b) == 0)
		return LICIT_OK;
	/* the first option that differs */
	for (;;) {
		size_t n = strcspn(a, ";"), o = strcspn(b, ";");
		if (n != o || memcmp(a, b, n) != 0 || !a[n] || !b[o])
			return licit_error_set(err, name, r->rec_line, NULL,
			                       "written with other options (%.*s, here %.*s): %s",
			                       (int)(n > 80 ? 80 : n), a, (int)(o > 80 ? 80 : o), b,
			                       hint);
		a += n + 1;
		b += o + 1;
	}
}

int licit_partial_next(struct licit_partial_in *r, int may_end, struct licit_error *err)
{
	int rc = next_record(r);
	if (rc == -2)
		return licit_partial_fail(r, err, "out of memory");
	if (rc == 0 || rc == -1)
		return licit_error_set(err, r->name, r->line, NULL,
		                       "truncated: the file ends before its end line");
	if (!may_end || strcmp(r->fld[0], "end") != 0) {
		r->records++;
		return 1;
	}
	size_t i = 1;
	int bad = 0;
	long long n = licit_partial_int(r, &i, &bad);
	if (bad || i != r->nf || n != r->records)
		return licit_partial_fail(r, err, "an end line that does not count the lines "
		                                  "before it: the file is damaged");
	rc = next_record(r);
	if (rc != 0)
		return licit_partial_fail(r, err, "lines after the end line");
	if (ferror(r->f))
		return licit_error_set(err, r->name, 0, NULL, "read error");
	return 0;
}

void licit_partial_close(struct licit_partial_in *r)
{
	free(r->lbuf);
	free(r->buf);
	free(r->off);
	free(r->fld);
	memset(r, 0, sizeof *r);
}

long long licit_partial_int(const struct licit_partial_in *r, size_t *i, int *bad)
{
	if (*i >= r->nf) {
		*bad = 1;
		return 0;
	}
	const char *s = r->fld[(*i)++];
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (!*s || *end || errno)
		*bad = 1;
	return v;
}

unsigned long long licit_partial_hex(const struct licit_partial_in *r, size_t *i,
                                     int *present, int *bad)
{
	*present = 0;
	if (*i >= r->nf) {
		*bad = 1;
		return 0;
	}
	const char *s = r->fld[(*i)++];
	if (!*s)
		return 0;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 16);
	if (strlen(s) != 16 || *end || errno || s[0] == '-' || s[0] == '+')
		*bad = 1;
	*present = 1;
	return v;
}
