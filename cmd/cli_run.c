/* The run every tool follows (see cli.h): its inputs, the passes over
 * them with standard input copied aside when there are two, progress, the
 * outputs and their commit, and the union of the inputs' columns. */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/io/unpack.h"

/* Progress on stderr, at most once a second. */
struct progress {
	const struct cli *cli;
	int on;
	time_t last;
	long long rows;
};
static void progress_init(struct progress *p, const struct cli *c);
static void progress_tick(struct progress *p, const struct licit_reader *r);
static void progress_done(struct progress *p);

/* The file operands after the options (getopt's optind), or "-" alone
 * when there are none; returns their number. */
static int cli_inputs(int argc, char **argv, char ***paths)
{
	static char *stdin_only[] = {"-", NULL};
	static char **expanded; /* kept for the whole run */
	if (optind < argc) {
		*paths = argv + optind;
		argc -= optind;
	} else {
		*paths = stdin_only;
		argc = 1;
	}
	/* a zip archive is one input per file it holds */
	int n = licit_unpack_expand_all(*paths, argc, &expanded);
	if (n >= 0)
		*paths = expanded;
	return n >= 0 ? n : argc;
}

/* A temporary file to keep standard input in, for a second pass; NULL
 * with err filled on failure. */
static FILE *cli_spool_stdin(struct licit_error *err)
{
	FILE *t = tmpfile();
	if (!t)
		licit_error_set(err, "-", 0, NULL, "cannot create a temporary file for "
		                "the second pass");
	return t;
}

/* The first pass over standard input reads it through a tee that copies
 * each block to the spool as it goes: that pass starts at once, beside
 * the tools before it in a pipeline, instead of after a whole copy. */
static FILE *teed_spool, *tee_stream;

static ssize_t tee_read(void *cookie, char *buf, size_t n)
{
	size_t got = fread(buf, 1, n, stdin);
	if (got && fwrite(buf, 1, got, (FILE *)cookie) != got) {
		errno = errno ? errno : EIO; /* the temporary copy could not be written */
		return -1;
	}
	return got || !ferror(stdin) ? (ssize_t)got : -1;
}

/* Opens path; for "-" with a spool, the first time standard input itself,
 * copied to the spool as it is read, and after that the spool from its
 * start. */
static struct licit_reader *cli_reopen(const struct cli *c, const char *path, FILE *spool,
                                       struct licit_error *err)
{
	/* a zip or spreadsheet on standard input is already a seekable copy */
	if (spool && strcmp(path, "-") == 0 && !cli_input_file(c, path) &&
	    !licit_unpack_stdin_copied()) {
		if (spool != teed_spool) {
			cookie_io_functions_t io = {.read = tee_read};
			if (!(tee_stream = fopencookie(spool, "r", io))) {
				licit_error_set(err, "-", 0, NULL, "out of memory");
				return NULL;
			}
			teed_spool = spool;
			return licit_reader_open_stream(tee_stream, "-", &c->in, err);
		}
		if (tee_stream) { /* the first pass is over: its reader is closed */
			fclose(tee_stream);
			tee_stream = NULL;
		}
		rewind(spool);
		return licit_reader_open_stream(spool, "-", &c->in, err);
	}
	return cli_open_with(c, path, &c->in, err);
}

const char *cli_input_file(const struct cli *c, const char *path)
{
	if (strcmp(path, "-") != 0)
		return path;
	return c->stdin_file && !licit_unpack_stdin_copied() ? "/dev/stdin" : NULL;
}

struct licit_reader *cli_open_with(const struct cli *c, const char *path,
                                   const struct licit_reader_opts *o, struct licit_error *err)
{
	const char *file = cli_input_file(c, path);
	if (!file || file == path)
		return licit_reader_open(path, o, err);
	struct licit_reader_opts named = *o;
	named.name = "-";
	return licit_reader_open(file, &named, err);
}

/* 1 when standard input is a regular file at its start that /dev/stdin
 * opens again with an offset of its own (Linux): it can then be read
 * twice, and by ranges, without a copy. Asked before anything reads it. */
static int stdin_reopens(void)
{
	struct stat a, b;
	int fl = fcntl(0, F_GETFL);
	if (fl < 0 || (fl & O_ACCMODE) == O_WRONLY || fstat(0, &a) != 0 || !S_ISREG(a.st_mode) ||
	    lseek(0, 0, SEEK_CUR) != 0)
		return 0;
	int fd = open("/dev/stdin", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	int own = fstat(fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	          lseek(fd, 1, SEEK_SET) == 1 && lseek(0, 0, SEEK_CUR) == 0;
	close(fd);
	return own;
}

/* ---- the run ------------------------------------------------------------- */

void cli_open_inputs(struct cli *c, int argc, char **argv, int passes)
{
	/* -j N (or LICIT_JOBS): N jobs of one thread each; else --threads
	 * jobs, where the input can be cut and the tool reads by jobs by
	 * default (cli_jobs.c) */
	if (c->jobs_ok && !c->jobs_given)
		c->jobs_given = c->jobs_env;
	c->jobs = !c->jobs_ok ? 1 : c->jobs_given ? c->jobs_given : c->threads;
	if (c->jobs_given) {
		c->threads = 1;
		c->in.threads = 1;
	}
	c->stdin_file = stdin_reopens();
	c->npaths = cli_inputs(argc, argv, &c->paths);
	c->passes = passes;
	c->pass = 0;
}

/* Reads r's rows through h; LICIT_OK at its end. */
static int read_rows(struct cli *c, const struct cli_hooks *h, struct licit_reader *r,
                     int input, struct progress *pg, struct licit_error *err)
{
	int shard = c->shard_n && !c->shard_self;
	if (shard && !h->row)
		return licit_error_set(err, licit_reader_source(r), 0, NULL,
		                       "--shard is for canonical records: this input is read "
		                       "as raw JSON lines");
	int rc = h->open ? h->open(h->ctx, r, input, err) : LICIT_OK;
	const struct licit_row *row;
	struct licit_cols cols;
	if (shard)
		licit_cols_bind(&cols, r);
	if (!h->row && rc == LICIT_OK) /* open() read the input itself */
		rc = LICIT_EOF;
	while (rc == LICIT_OK && (rc = licit_reader_next(r, &row, err)) == LICIT_OK) {
		if (!shard || licit_shard_of_row(&c->shard_key, &cols, row, c->shard_n) == c->shard_i)
			rc = h->row(h->ctx, r, row, err);
		progress_tick(pg, r);
	}
	if (rc == LICIT_EOF)
		rc = h->done ? h->done(h->ctx, r, err) : LICIT_OK;
	return rc == LICIT_OK ? LICIT_OK : LICIT_ERR;
}

/* the progress of the pass under way, for cli_tick */
static struct progress *pass_progress;

void cli_tick(const struct licit_reader *r)
{
	if (pass_progress)
		progress_tick(pass_progress, r);
}

int cli_pass(struct cli *c, const struct cli_hooks *h, struct licit_error *err)
{
	return cli_pass_files(c, c->paths, c->npaths, h, err);
}

int cli_pass_begin(struct cli *c, char **paths, int npaths, struct licit_error *err)
{
	if (c->pass++ == 0)
		for (int i = 0; c->passes > 1 && i < npaths && !c->spool; i++)
			if (!cli_input_file(c, paths[i]) && !(c->spool = cli_spool_stdin(err)))
				return LICIT_ERR;
	return LICIT_OK;
}

struct licit_reader *cli_reopen_input(const struct cli *c, const char *path,
                                      struct licit_error *err)
{
	return cli_reopen(c, path, c->spool, err);
}

int cli_pass_files(struct cli *c, char **paths, int npaths, const struct cli_hooks *h,
                   struct licit_error *err)
{
	if (cli_pass_begin(c, paths, npaths, err) != LICIT_OK)
		return LICIT_ERR;
	struct licit_reader **rs = NULL;
	int rc = LICIT_OK;
	if (h->header) { /* every header before any row */
		if (!(rs = calloc((size_t)npaths, sizeof *rs)))
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		for (int i = 0; i < npaths && rc == LICIT_OK; i++)
			rc = (rs[i] = cli_reopen(c, paths[i], c->spool, err))
			     ? h->header(h->ctx, rs[i], i, err) : LICIT_ERR;
	}
	struct progress pg;
	progress_init(&pg, c);
	pass_progress = &pg;
	for (int i = 0; i < npaths && rc == LICIT_OK; i++) {
		struct licit_reader *r = rs ? rs[i] : cli_reopen(c, paths[i], c->spool, err);
		if (rs)
			rs[i] = NULL;
		rc = r ? read_rows(c, h, r, i, &pg, err) : LICIT_ERR;
		licit_reader_close(r);
	}
	progress_done(&pg);
	pass_progress = NULL;
	if (c->pass == 1) /* the manifest's rows read: of the first pass */
		cli_count(LICIT_ROWS_READ, pg.rows);
	for (int i = 0; rs && i < npaths; i++)
		licit_reader_close(rs[i]);
	free(rs);
	return rc;
}

int cli_with_file(const char *path,
                  int (*fn)(void *ctx, FILE *f, const char *name, struct licit_error *err),
                  void *ctx, struct licit_error *err)
{
	int in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "r");
	if (!f)
		return licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
	int rc = fn(ctx, f, in ? "<stdin>" : path, err);
	if (!in)
		fclose(f);
	return rc;
}

FILE *cli_output(struct cli *c, const char *opt, const char *path, struct licit_error *err)
{
	if (LICIT_GROW(c->out, c->capout, (size_t)c->nout + 1) != LICIT_OK) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	struct cli_output *o = &c->out[c->nout];
	memset(o, 0, sizeof *o);
	if (!(o->f = licit_outfile_open(&o->file, path, err)))
		return NULL;
	o->opt = opt;
	o->path = path;
	c->nout++;
	return o->f;
}

static struct cli_output *output_of(const struct cli *c, FILE *f)
{
	for (int i = 0; i < c->nout; i++)
		if (c->out[i].f == f)
			return (struct cli_output *)&c->out[i];
	return NULL;
}

struct licit_writer *cli_writer(struct cli *c, FILE *f, int fmt, const char *const *cols,
                                size_t n, struct licit_error *err)
{
	struct cli_output *o = output_of(c, f);
	struct licit_writer *w = o && !o->w
	        ? licit_writer_new(f, fmt < 0 ? c->out_format : (enum licit_format)fmt, cols, n)
	        : NULL;
	if (!w)
		licit_error_set(err, NULL, 0, NULL, "out of memory");
	else
		o->w = w;
	return w;
}

int cli_output_error(const struct cli *c, FILE *f, struct licit_error *err)
{
	const struct cli_output *o = output_of(c, f);
	if (o && o->w) {
		licit_writer_error(o->w, err);
	} else { /* written directly: the reason is the flush's */
		errno = 0;
		if (f)
			fflush(f);
		licit_error_set(err, NULL, 0, NULL, "write error: %s", strerror(errno ? errno : EIO));
	}
	return cli_write_error(err, o ? o->path : NULL);
}

static void end_inputs(struct cli *c)
{
	if (c->spool)
		fclose(c->spool);
	c->spool = NULL;
}

int cli_commit(struct cli *c, struct licit_error *err)
{
	int rc = LICIT_OK;
	for (int i = 0; i < c->nout && rc == LICIT_OK; i++) {
		struct licit_writer *w = c->out[i].w;
		c->out[i].w = NULL;
		if (licit_writer_close(w, err) != LICIT_OK)
			rc = cli_write_error(err, c->out[i].path);
	}
	/* every output complete on disk before any is renamed into place */
	for (int i = 0; i < c->nout && rc == LICIT_OK; i++)
		rc = licit_outfile_close(&c->out[i].file, err);
	for (int i = 0; i < c->nout && rc == LICIT_OK; i++)
		rc = licit_outfile_commit(&c->out[i].file, err);
	if (rc == LICIT_OK)
		rc = cli_manifest_outputs(c, err);
	cli_abort(c);
	return rc;
}

void cli_abort(struct cli *c)
{
	for (int i = 0; i < c->nout; i++) {
		licit_writer_discard(c->out[i].w);
		licit_outfile_abort(&c->out[i].file);
	}
	free(c->out);
	c->out = NULL;
	c->nout = 0;
	c->capout = 0;
	end_inputs(c);
}

static int skipped(const char *name, const char *const *skip, size_t nskip)
{
	for (size_t k = 0; k < nskip; k++)
		if (strcmp(name, skip[k]) == 0)
			return 1;
	return 0;
}

int cli_columns_add(struct cli_columns *u, const struct licit_reader *r,
                    const char *const *skip, size_t nskip)
{
	const char *const *h = licit_reader_header(r);
	for (size_t j = 0; j < licit_reader_ncols(r); j++) {
		size_t k = 0;
		while (k < u->n && strcmp(u->names[k], h[j]) != 0)
			k++;
		if (k < u->n || skipped(h[j], skip, nskip))
			continue;
		if (LICIT_GROW(u->names, u->cap, u->n + 1) != LICIT_OK)
			return LICIT_ERR;
		/* header names die with their reader; a second pass needs them */
		if (!(u->names[u->n] = strdup(h[j])))
			return LICIT_ERR;
		u->n++;
	}
	return LICIT_OK;
}

static void same_columns(struct cli_columns *u)
{
	u->ident = 1;
	for (size_t k = 0; k < u->n && u->ident; k++)
		u->ident = u->map[k] == (long)k;
}

int cli_columns_bind(struct cli_columns *u, const struct licit_reader *r)
{
	free(u->map);
	if (!(u->map = malloc((u->n + 1) * sizeof *u->map)))
		return LICIT_ERR;
	for (size_t k = 0; k < u->n; k++)
		u->map[k] = licit_reader_col(r, u->names[k]);
	same_columns(u);
	return LICIT_OK;
}

int cli_columns_bind_names(struct cli_columns *u, const char *const *names, size_t n)
{
	free(u->map);
	if (!(u->map = malloc((u->n + 1) * sizeof *u->map)))
		return LICIT_ERR;
	/* the first column of a name, as licit_reader_col: the names are
	 * numbered in order, so a name's number is that of its first column */
	struct licit_map *by = licit_map_new();
	long *first = malloc((n + 1) * sizeof *first);
	int rc = by && first ? LICIT_OK : LICIT_ERR;
	for (size_t i = 0; i < n && rc == LICIT_OK; i++) {
		int added;
		long k = licit_map_put(by, names[i], strlen(names[i]), &added);
		if (k < 0)
			rc = LICIT_ERR;
		else if (added)
			first[k] = (long)i;
	}
	for (size_t k = 0; k < u->n && rc == LICIT_OK; k++) {
		long i = licit_map_get(by, u->names[k], strlen(u->names[k]));
		u->map[k] = i < 0 ? -1 : first[i];
	}
	licit_map_free(by);
	free(first);
	same_columns(u);
	return rc;
}

void cli_columns_row(const struct cli_columns *u, const struct licit_row *row,
                     const char **v, size_t *len)
{
	if (u->ident && row->n >= u->n) { /* the usual row */
		memcpy(v, row->v, u->n * sizeof *v);
		memcpy(len, row->len, u->n * sizeof *len);
		return;
	}
	for (size_t k = 0; k < u->n; k++) {
		long c = u->map[k];
		int in = c >= 0 && (size_t)c < row->n;
		v[k] = in ? row->v[c] : "";
		len[k] = in ? row->len[c] : 0;
	}
}

void cli_columns_fini(struct cli_columns *u)
{
	for (size_t k = 0; k < u->n; k++)
		free(u->names[k]);
	free(u->names);
	free(u->map);
	memset(u, 0, sizeof *u);
}

int cli_progress_on(const struct cli *c)
{
	return !c->quiet && (c->progress == 1 || (c->progress == -1 && isatty(2)));
}

void cli_progress_show(const struct cli *c, const char *source, long long rows,
                       long long done, long long size)
{
	if (size > 0)
		fprintf(stderr, "\r%s: %s: %lld rows, %lld%%   ", c->prog, source, rows,
		        done * 100 / size);
	else
		fprintf(stderr, "\r%s: %s: %lld rows, %lld MB   ", c->prog, source, rows,
		        done >> 20);
}

void cli_progress_clear(const struct cli *c)
{
	(void)c;
	fputs("\r\033[K", stderr);
}

static void progress_init(struct progress *p, const struct cli *c)
{
	memset(p, 0, sizeof *p);
	p->cli = c;
	p->on = cli_progress_on(c);
	p->last = time(NULL);
}

static void progress_tick(struct progress *p, const struct licit_reader *r)
{
	if ((++p->rows & 4095) || !p->on)
		return;
	time_t now = time(NULL);
	if (now == p->last)
		return;
	p->last = now;
	cli_progress_show(p->cli, licit_reader_source(r), p->rows, licit_reader_bytes(r),
	                  licit_reader_size(r));
}

static void progress_done(struct progress *p)
{
	if (p->on && p->rows >= 4096)
		cli_progress_clear(p->cli);
}
