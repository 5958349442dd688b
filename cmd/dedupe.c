/* licit dedupe: drop or mark duplicate contracts and group supplier spellings into entities */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "licit/dedupe/dedupe.h"
#include "licit/core/array.h"
#include "licit/core/number.h"

static const char usage[] =
	"usage: licit dedupe [-q] [-o FILE] [-j N] [--mark | --removed FILE | --suppliers]\n"
	"                    [--level exact|key|fuzzy] [--key FIELDS] [--keep first|complete]\n"
	"                    [--amount-tol R] [--days N] [--title-sim S] [--name-sim S]\n"
	"                    [--any-ids]\n"
	"                    [--format csv|tsv|jsonl] [--input-format F] [--encoding E]\n"
	"                    [--delimiter C] [--progress | --no-progress] [file ...]\n"
	"\n"
	"Finds duplicate contract rows in canonical records (licit-normalise(1)\n"
	"output, or any CSV/JSON Lines) and writes one row per contract, or with\n"
	"--mark every row with its cluster. Rows in = rows out + rows removed;\n"
	"the count removed per rule goes to stderr.\n"
	"\n"
	"  --level L          rules to apply, each including the previous ones:\n"
	"                     exact (identical rows but source, source_line),\n"
	"                     key (default: same procedure_id + contract_id, or --key),\n"
	"                     fuzzy (same buyer and supplier entity, close amount,\n"
	"                     dates and title)\n"
	"  --key FIELDS       key columns, comma-separated (implies --level key at least)\n"
	"  --keep P           row kept per cluster: first (default) or complete (most\n"
	"                     non-empty fields)\n"
	"  --mark             keep every row; add dup_cluster, dup_of, dup_rule,\n"
	"                     dup_score, supplier_entity\n"
	"  --removed FILE     write the dropped rows there (with the dup_ columns)\n"
	"  --suppliers        write the supplier entity table instead of contracts:\n"
	"                     entity_id,name,rfc,variants,rows,rule\n"
	"  --amount-tol R     fuzzy: amounts within R of the larger (default 0.01)\n"
	"  --days N           fuzzy: every date both rows have within N days (default 30)\n"
	"  --title-sim S      fuzzy: title similarity at least S (default 0.7)\n"
	"  --name-sim S       entities: name similarity at least S (default 0.6)\n"
	"  --any-ids          fuzzy: also join rows whose contract_ids differ\n"
	"  -j, --jobs N       exact and key levels: read a CSV file as N jobs at once\n"
	"                     (default: one job); the same output\n"
	"  -o, --output FILE  write here (atomically) instead of stdout\n"
	"  --format F         csv (default), tsv or jsonl\n"
	"  --input-format F, --encoding E, --delimiter C, --progress, --no-progress,\n"
	"  --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 unreadable input, missing --key column or write\n"
	"error, 2 usage error.\n";

enum { OPT_MARK = OPT_TOOL, OPT_REMOVED, OPT_SUPPLIERS, OPT_LEVEL, OPT_KEY, OPT_KEEP,
       OPT_AMOUNT_TOL, OPT_DAYS, OPT_TITLE_SIM, OPT_NAME_SIM, OPT_ANY_IDS };

/* A numeric option, read as settings are (licit_num_real, licit_num_int). */
static double number_opt(const struct cli *c, const char *name, const char *arg,
                         double lo, double hi, int integer)
{
	char why[160];
	double v;
	long long n;
	if (integer ? licit_num_int(arg, (long long)lo, (long long)hi, &n, why, sizeof why)
	            : licit_num_real(arg, lo, hi, &v, why, sizeof why))
		cli_usage(c, "%s: %s", name, why);
	return integer ? (double)n : v;
}

struct run {
	struct cli cli;
	struct cli_columns u;   /* the union of the inputs' columns, written out */
	int mark, suppliers;
	const struct licit_dedupe_opts *o;
	struct licit_dedupe *d;
	const char *removed_path;
	FILE *out_f, *removed_f;
	struct licit_writer *out, *removed;
	long long nout, nremoved;
	size_t k;               /* pass 2: the row's number */
	const char **vals;
	size_t *lens;
	const char **ocols;     /* the output's columns (the union, then --mark's) */
	struct job *jobs;       /* -j N: c->jobs of them */
};

/* -j N: a job reads one range of an input. Job 0 reads with the run's
 * engine and writes as a one-job run does; a later job decides its rows
 * in its own part (licit_dedupe_part_*), with each row's payload: the
 * row as the output writes it (written out by joined() if kept), or with
 * --removed its values (written by joined() to the file it goes to). A
 * row that the output writes as its record's bytes in the file is
 * spooled by its place there, and joined() copies it from the file. */
struct job {
	struct run *run;
	int w;
	struct licit_dedupe_part *part;
	struct cli_columns u;   /* the run's names, this job's reader's columns */
	const char **vals;
	size_t *lens;
	FILE *pf;               /* the part's writer's stream: into buf */
	struct licit_writer *pw;
	char *buf;
	size_t n, cap;
	int failed;             /* buf could not grow */
	int done;               /* done with the range of the input being read */
	int input;              /* the input it reads */
	int at_ok;              /* rows as in the file may be spooled by their place */
	struct stat st;         /* the file's, when it bound (at_ok) */
};

/* Writes run->vals (the union's values) and extra of the dup_ columns. */
static int write_vals(struct run *run, struct licit_writer *w, const struct licit_dup *m,
                      int extra)
{
	char cl[24] = "", sc[24] = "";
	size_t n = run->u.n;
	if (extra) {
		snprintf(cl, sizeof cl, "%lu", m->cluster);
		if (!m->kept)
			snprintf(sc, sizeof sc, "%.3g", m->score);
		const char *x[] = {cl, m->of, m->kept ? "" : licit_dup_rule_name(m->rule), sc,
		                   m->entity};
		for (int k = 0; k < extra; k++) {
			run->vals[n] = x[k];
			run->lens[n++] = strlen(x[k]);
		}
	}
	return licit_writer_row(w, run->vals, run->lens);
}

/* Writes the row of run->vals where it belongs; LICIT_ERR with err on a
 * write error. */
static int emit_vals(struct run *run, const struct licit_dup *m, struct licit_error *err)
{
	if (run->mark || m->kept) {
		run->nout++;
		if (write_vals(run, run->out, m, run->mark ? 5 : 0) != LICIT_OK)
			return cli_output_error(&run->cli, run->out_f, err);
	} else {
		run->nremoved++;
		if (run->removed && write_vals(run, run->removed, m, 4) != LICIT_OK)
			return cli_output_error(&run->cli, run->removed_f, err);
	}
	return LICIT_OK;
}

static int emit(struct run *run, const struct licit_row *row, const struct licit_dup *m,
                struct licit_error *err)
{
	cli_columns_row(&run->u, row, run->vals, run->lens);
	return emit_vals(run, m, err);
}

static int start(struct run *run, struct licit_error *err);

/* Every header first: the output has the union of the inputs' columns;
 * after the last, the engine and the outputs. */
static int header(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	struct run *run = ctx;
	if (cli_columns_add(&run->u, r, licit_dedupe_mark_cols, run->mark ? 5 : 0) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return input == run->cli.npaths - 1 ? start(run, err) : LICIT_OK;
}

/* The engine and the outputs, once every header is known. */
static int start(struct run *run, struct licit_error *err)
{
	size_t nc = run->u.n;
	run->vals = calloc(nc + 6, sizeof *run->vals);
	run->lens = calloc(nc + 6, sizeof *run->lens);
	const char **ocols = run->ocols = calloc(nc + 6, sizeof *ocols);
	if (!run->vals || !run->lens || !ocols)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (!(run->d = licit_dedupe_new(run->o, (const char *const *)run->u.names, nc, err)) ||
	    !(run->out_f = cli_output(&run->cli, "-o", run->cli.output, err)))
		return LICIT_ERR;
	memcpy(ocols, run->u.names, nc * sizeof *ocols);
	for (int k = 0; k < 5; k++)
		ocols[nc + k] = licit_dedupe_mark_cols[k];
	static const char *const ecols[] = {"entity_id", "name", "rfc", "variants", "rows", "rule"};
	run->out = run->suppliers ? cli_writer(&run->cli, run->out_f, -1, ecols, 6, err)
	                          : cli_writer(&run->cli, run->out_f, -1, ocols,
	                                       nc + (run->mark ? 5 : 0), err);
	if (!run->out)
		return LICIT_ERR;
	if (run->removed_path &&
	    (!(run->removed_f = cli_output(&run->cli, "--removed", run->removed_path, err)) ||
	     !(run->removed = cli_writer(&run->cli, run->removed_f, -1, ocols, nc + 4, err))))
		return LICIT_ERR;
	/* cluster numbers and scores are JSON numbers in JSON Lines */
	for (size_t k = nc; !run->suppliers && run->mark && k < nc + 5; k++)
		licit_writer_set_numeric(run->out, k, k == nc || k == nc + 3);
	if (run->suppliers)
		licit_writer_set_numeric(run->out, 4, 1); /* rows */
	return LICIT_OK;
}

/* Pass 1: every row into the engine (and out, when streaming). */
static int bind1(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	if (cli_columns_bind(&run->u, r) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return licit_dedupe_bind(run->d, r, err);
}

static int row1(void *ctx, struct licit_reader *r, const struct licit_row *row,
                struct licit_error *err)
{
	struct run *run = ctx;
	licit_row_diags(row, licit_reader_source(r), cli_diag, &run->cli);
	struct licit_dup m;
	if (licit_dedupe_add(run->d, row, &m, err) != LICIT_OK)
		return LICIT_ERR;
	return licit_dedupe_streaming(run->d) ? emit(run, row, &m, err) : LICIT_OK;
}

/* Pass 2: the inputs again, each row with its decision. */
static int bind2(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	if (cli_columns_bind(&run->u, r) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int row2(void *ctx, struct licit_reader *r, const struct licit_row *row,
                struct licit_error *err)
{
	(void)r;
	struct run *run = ctx;
	struct licit_dup m;
	licit_dedupe_get(run->d, run->k++, &m);
	return emit(run, row, &m, err);
}

static int pass2(struct run *run, struct licit_error *err)
{
	const struct cli_hooks h2 = {.open = bind2, .row = row2, .ctx = run};
	if (cli_pass(&run->cli, &h2, err) != LICIT_OK)
		return LICIT_ERR;
	struct licit_dedupe_stats st;
	licit_dedupe_stats(run->d, &st);
	if ((long long)run->k != st.rows)
		return licit_error_set(err, "", 0, NULL,
		                       "the input changed between passes (%lld rows, then %zu)",
		                       st.rows, run->k);
	return LICIT_OK;
}

/* ---- -j N ------------------------------------------------------------ */

/* The part's writer's bytes, gathered in the job's buffer. */
static ssize_t job_put(void *ctx, const char *b, size_t n)
{
	struct job *j = ctx;
	if (LICIT_GROW(j->buf, j->cap, j->n + n) != LICIT_OK) {
		j->failed = 1;
		return -1;
	}
	memcpy(j->buf + j->n, b, n);
	j->n += n;
	return (ssize_t)n;
}

static int job_open(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	struct job *j = ctx;
	struct run *run = j->run;
	j->input = input;
	if (j->w == 0)
		return bind1(run, r, input, err);
	j->u.names = run->u.names;
	j->u.n = run->u.n;
	if (cli_columns_bind(&j->u, r) != LICIT_OK ||
	    (!j->vals && !(j->vals = calloc(run->u.n + 1, sizeof *j->vals))) ||
	    (!j->lens && !(j->lens = calloc(run->u.n + 1, sizeof *j->lens))))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (run->o->lean && !j->pw) { /* the rows as the output writes them */
		static const cookie_io_functions_t io = {.write = job_put};
		if (!(j->pf = fopencookie(j, "w", io)) ||
		    !(j->pw = licit_writer_new(j->pf, run->cli.out_format, run->ocols, run->u.n)))
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		licit_writer_skip_header(j->pw);
	}
	if (!(j->part = licit_dedupe_part_new(run->d, err)))
		return LICIT_ERR;
	/* the output's columns in CSV of the file's delimiter, no --mark:
	 * a row as in the file is written as its bytes */
	const char *file = cli_input_file(&run->cli, run->cli.paths[input]);
	j->at_ok = run->o->lean && !run->mark && j->u.ident && j->u.n == run->u.n && file &&
	           licit_writer_raw_ok(j->pw, licit_reader_delimiter(r)) && stat(file, &j->st) == 0;
	return licit_dedupe_part_bind(j->part, r, err);
}

/* A row's payload in j->buf: the row as written out, or (--removed) its
 * values, each after its length. */
static int payload(struct job *j, const struct licit_row *row)
{
	struct run *run = j->run;
	cli_columns_row(&j->u, row, j->vals, j->lens);
	j->n = 0;
	if (run->o->lean)
		return licit_writer_row(j->pw, j->vals, j->lens) == LICIT_OK && fflush(j->pf) == 0 &&
		               !j->failed
		           ? LICIT_OK : LICIT_ERR;
	for (size_t k = 0; k < run->u.n; k++) {
		uint32_t n = (uint32_t)j->lens[k];
		if (j->lens[k] > UINT32_MAX || job_put(j, (const char *)&n, 4) < 0 ||
		    job_put(j, j->vals[k], n) < 0)
			return LICIT_ERR;
	}
	return LICIT_OK;
}

static int job_row(void *ctx, struct licit_reader *r, const struct licit_row *row,
                   struct licit_error *err)
{
	struct job *j = ctx;
	if (j->w == 0)
		return row1(j->run, r, row, err);
	licit_row_diags(row, licit_reader_source(r), cli_diag, &j->run->cli);
	if (j->at_ok && licit_row_as_in_file(row) && !memchr(row->v[0], '"', row->bytes))
		return licit_dedupe_part_add_at(j->part, row, row->offset, row->bytes, err);
	if (payload(j, row) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return licit_dedupe_part_add(j->part, row, j->buf, j->n, err);
}

static int job_done(void *ctx, struct licit_reader *r, struct licit_error *err)
{
	(void)r;
	struct job *j = ctx;
	j->done = 1;
	return j->w == 0 ? LICIT_OK : licit_dedupe_part_done(j->part, err);
}

/* A later part's rows, decided, in order: kept rows' bytes lie one after
 * another (held back and written in one piece, up to the end, m NULL),
 * and so do kept rows spooled by their place in the file, one line end
 * apart (held back as one range of the file, copied from there); with
 * --removed each row's values are written where they go. */
struct held {
	struct run *run;
	const char *p;
	size_t n;
	int fd;                 /* the input file, for rows spooled by their place */
	const char *path;       /* its name in messages */
	long long at, an;       /* held: the file's bytes [at, at + an), and a line end */
	char *buf;              /* a short range read into it (COPY_BUF) */
};

#define COPY_BUF (64u << 10) /* a range of the file this long or longer: sendfile(2) */

/* What h holds written out. */
static int flush_held(struct held *h, struct licit_error *err)
{
	struct run *run = h->run;
	int rc = LICIT_OK;
	if (h->n)
		rc = licit_writer_records(run->out, h->p, h->n);
	h->n = 0;
	if (rc == LICIT_OK && h->an >= COPY_BUF)
		rc = licit_writer_append(run->out, h->fd, (off_t)h->at, (off_t)h->an);
	else if (rc == LICIT_OK && h->an) {
		ssize_t k = pread(h->fd, h->buf, (size_t)h->an, (off_t)h->at);
		if (k != h->an)
			return licit_error_set(err, h->path, 0, NULL, "cannot read it again: %s",
			                       k < 0 ? strerror(errno) : "it is shorter");
		rc = licit_writer_records(run->out, h->buf, (size_t)h->an);
	}
	if (rc == LICIT_OK && h->an)
		rc = licit_writer_records(run->out, "\n", 1);
	h->an = 0;
	return rc == LICIT_OK ? LICIT_OK : cli_output_error(&run->cli, run->out_f, err);
}

static int joined_row(void *ctx, const struct licit_dup *m, const char *p, size_t n,
                      long long at, struct licit_error *err)
{
	struct held *h = ctx;
	struct run *run = h->run;
	if (!run->o->lean) {
		if (!m)
			return LICIT_OK;
		for (size_t k = 0; k < run->u.n; k++) {
			uint32_t l;
			memcpy(&l, p, 4);
			run->vals[k] = p + 4;
			run->lens[k] = l;
			p += 4 + l;
		}
		return emit_vals(run, m, err);
	}
	if (m && m->kept) {
		run->nout++;
		if (at >= 0 && h->an && at == h->at + h->an + 1) {
			h->an += 1 + (long long)n;
			return LICIT_OK;
		}
		if (at < 0 && h->n && p == h->p + h->n) {
			h->n += n;
			return LICIT_OK;
		}
	} else if (m) {
		return LICIT_OK;
	}
	if (flush_held(h, err) != LICIT_OK)
		return LICIT_ERR;
	if (m && at >= 0) {
		h->at = at;
		h->an = (long long)n;
	} else {
		h->p = p;
		h->n = n;
	}
	return LICIT_OK;
}

/* The input file again, to copy the rows a job spooled by their place
 * (at_ok): refused when it is not the file the job read. */
static int open_again(struct run *run, const struct job *j, struct licit_error *err)
{
	const char *path = run->cli.paths[j->input], *file = cli_input_file(&run->cli, path);
	struct stat st;
	int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return licit_error_set(err, path, 0, NULL, "cannot open it again: %s",
		                       strerror(errno ? errno : ENOENT));
	if (fstat(fd, &st) != 0 || st.st_dev != j->st.st_dev || st.st_ino != j->st.st_ino ||
	    st.st_size != j->st.st_size || st.st_mtim.tv_sec != j->st.st_mtim.tv_sec ||
	    st.st_mtim.tv_nsec != j->st.st_mtim.tv_nsec) {
		close(fd);
		return licit_error_set(err, path, 0, NULL, "the file changed while it was read");
	}
	return fd;
}

static int join_part(struct run *run, struct job *j, int last, struct licit_error *err)
{
	struct held h = {run, NULL, 0, -1, run->cli.paths[j->input], 0, 0, NULL};
	int rc = LICIT_OK;
	if (j->at_ok && ((h.fd = open_again(run, j, err)) < 0 || !(h.buf = malloc(COPY_BUF))))
		rc = h.fd < 0 ? LICIT_ERR : licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (rc == LICIT_OK)
		rc = licit_dedupe_join(run->d, j->part, last, joined_row, &h, err);
	if (h.fd >= 0)
		close(h.fd);
	free(h.buf);
	licit_dedupe_part_free(j->part);
	j->part = NULL;
	return rc;
}

static int joined(void *tool, int input, int parts, struct licit_error *err)
{
	struct run *run = tool;
	for (int w = 0; w < run->cli.jobs; w++)
		run->jobs[w].done = 0;
	for (int w = 1; w < parts; w++)
		if (join_part(run, &run->jobs[w], input == run->cli.npaths - 1 && w == parts - 1,
		              err) != LICIT_OK)
			return LICIT_ERR;
	return LICIT_OK;
}

/* After the input being read failed in a job: the rows a one-job run
 * wrote before the failure, those of the ranges before the failing one
 * (done) and of that one up to the failure. */
static void joined_failed(struct run *run)
{
	struct licit_error e;
	for (int w = 0; w < run->cli.jobs; w++) {
		struct job *j = &run->jobs[w];
		int done = j->done;
		if (w > 0 && (!j->part || (!done && licit_dedupe_part_done(j->part, &e) != LICIT_OK) ||
		              join_part(run, j, 1, &e) != LICIT_OK))
			return;
		if (!done)
			return;
	}
}

/* The streaming pass by jobs: every header first (the engine needs the
 * union of the columns), then each input by its jobs. */
static int pass_jobs(struct run *run, struct licit_error *err)
{
	struct cli *c = &run->cli;
	for (int i = 0; i < c->npaths; i++) {
		struct licit_reader *r = cli_reopen_input(c, c->paths[i], err);
		int rc = r ? header(run, r, i, err) : LICIT_ERR;
		licit_reader_close(r);
		if (rc != LICIT_OK)
			return LICIT_ERR;
	}
	if (!licit_dedupe_parts_ok(run->d))
		c->jobs = 1;
	int n = c->jobs;
	void **ctx = calloc((size_t)n, sizeof *ctx);
	run->jobs = calloc((size_t)n, sizeof *run->jobs);
	if (!ctx || !run->jobs) {
		free(ctx);
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	}
	for (int w = 0; w < n; w++) {
		run->jobs[w].run = run;
		run->jobs[w].w = w;
		ctx[w] = &run->jobs[w];
	}
	const struct cli_hooks h = {.open = job_open, .row = job_row, .done = job_done};
	const struct cli_jobs cj = {.ctx = ctx, .joined = joined, .tool = run};
	int rc = cli_pass_jobs(c, &h, &cj, err);
	free(ctx);
	if (rc != LICIT_OK)
		joined_failed(run);
	return rc;
}

static void jobs_free(struct run *run)
{
	for (int w = 0; run->jobs && w < run->cli.jobs; w++) {
		struct job *j = &run->jobs[w];
		licit_dedupe_part_free(j->part);
		if (j->pw)
			licit_writer_discard(j->pw);
		if (j->pf)
			fclose(j->pf);
		free(j->u.map);
		free(j->vals);
		free(j->lens);
		free(j->buf);
	}
	free(run->jobs);
}

static int write_suppliers(struct run *run, struct licit_error *err)
{
	for (size_t i = 0; i < licit_dedupe_nentities(run->d); i++) {
		struct licit_entity e;
		licit_dedupe_entity(run->d, i, &e);
		char rows[24];
		snprintf(rows, sizeof rows, "%lld", e.rows);
		const char *v[] = {e.id, e.name, e.rfc, e.variants, rows, e.rule};
		if (licit_writer_row(run->out, v, NULL) != LICIT_OK)
			return cli_output_error(&run->cli, run->out_f, err);
	}
	return LICIT_OK;
}

static void summary(const struct run *run, const struct licit_dedupe *d,
                    const struct licit_dedupe_opts *o, int suppliers, int key_cols)
{
	if (run->cli.quiet)
		return;
	struct licit_dedupe_stats st;
	licit_dedupe_stats(d, &st);
	const char *p = run->cli.prog;
	if (suppliers) {
		fprintf(stderr, "%s: %lld row%s, %lld supplier spelling%s, %lld entit%s "
		        "(rfc %lld, name %lld, similar %lld)\n", p, st.rows, cli_s(st.rows),
		        st.spellings, cli_s(st.spellings), st.entities,
		        st.entities == 1 ? "y" : "ies", st.entity_rule[1], st.entity_rule[2],
		        st.entity_rule[3]);
		return;
	}
	long long dup = st.removed[LICIT_RULE_EXACT] + st.removed[LICIT_RULE_KEY] +
	                st.removed[LICIT_RULE_FUZZY];
	if (run->mark)
		fprintf(stderr, "%s: %lld row%s, %lld marked as duplicate%s in %lld cluster%s "
		        "(exact %lld, key %lld, fuzzy %lld)\n", p, st.rows, cli_s(st.rows), dup,
		        cli_s(dup), st.clusters, cli_s(st.clusters),
		        st.removed[LICIT_RULE_EXACT], st.removed[LICIT_RULE_KEY],
		        st.removed[LICIT_RULE_FUZZY]);
	else
		fprintf(stderr, "%s: %lld row%s in, %lld out, %lld removed "
		        "(exact %lld, key %lld, fuzzy %lld)\n", p, st.rows, cli_s(st.rows), run->nout,
		        run->nremoved, st.removed[LICIT_RULE_EXACT], st.removed[LICIT_RULE_KEY],
		        st.removed[LICIT_RULE_FUZZY]);
	if (o->level >= LICIT_DUP_KEY && !key_cols)
		fprintf(stderr, "%s: the input has no procedure_id or no contract_id column: "
		        "the key rule matched nothing\n", p);
	else if (o->level >= LICIT_DUP_KEY && st.no_key)
		fprintf(stderr, "%s: %lld row%s %s %s and %s not key-matched\n", p, st.no_key,
		        st.no_key == 1 ? "" : "s", st.no_key == 1 ? "lacks" : "lack",
		        o->key ? "a key field" : "procedure_id or contract_id",
		        st.no_key == 1 ? "was" : "were");
	if (o->level >= LICIT_DUP_FUZZY)
		fprintf(stderr, "%s: fuzzy: %lld of %lld row%s %s buyer, supplier, amount, a "
		        "date and a title; %lld pair%s compared; %lld supplier entit%s\n", p,
		        st.fuzzy_eligible, st.rows, cli_s(st.rows),
		        st.fuzzy_eligible == 1 ? "has" : "have", st.fuzzy_pairs,
		        cli_s(st.fuzzy_pairs), st.entities, st.entities == 1 ? "y" : "ies");
}

int licit_cmd_dedupe(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"mark", no_argument, NULL, OPT_MARK},
		{"removed", required_argument, NULL, OPT_REMOVED},
		{"suppliers", no_argument, NULL, OPT_SUPPLIERS},
		{"level", required_argument, NULL, OPT_LEVEL},
		{"key", required_argument, NULL, OPT_KEY},
		{"keep", required_argument, NULL, OPT_KEEP},
		{"amount-tol", required_argument, NULL, OPT_AMOUNT_TOL},
		{"days", required_argument, NULL, OPT_DAYS},
		{"title-sim", required_argument, NULL, OPT_TITLE_SIM},
		{"name-sim", required_argument, NULL, OPT_NAME_SIM},
		{"any-ids", no_argument, NULL, OPT_ANY_IDS},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	const char *removed_path = NULL;
	char **key = NULL;
	int suppliers = 0, level_set = 0;
	const char *fuzzy_opt = NULL, *name_sim_opt = NULL; /* set, and only for fuzzy */
	cli_init(&run.cli, argv[0], usage);
	run.cli.in.csv_ahead = 1; /* CSV parsed on a second thread (--threads) */
	run.cli.jobs_ok = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_MARK: run.mark = 1; break;
		case OPT_REMOVED: removed_path = optarg; break;
		case OPT_SUPPLIERS: suppliers = 1; break;
		case OPT_LEVEL:
			level_set = 1;
			if (strcmp(optarg, "exact") == 0)
				o.level = LICIT_DUP_EXACT;
			else if (strcmp(optarg, "key") == 0)
				o.level = LICIT_DUP_KEY;
			else if (strcmp(optarg, "fuzzy") == 0)
				o.level = LICIT_DUP_FUZZY;
			else
				cli_usage(&run.cli, "--level: '%s' is not exact, key or fuzzy", optarg);
			break;
		case OPT_KEY: {
			free(key ? key[0] : NULL);
			free(key);
			int n = cli_split(optarg, &key);
			if (n < 0)
				cli_usage(&run.cli, "--key: out of memory");
			for (int i = 0; i < n; i++)
				if (!key[i][0])
					cli_usage(&run.cli, "--key: empty column name in '%s'", optarg);
			o.key = (const char *const *)key;
			o.nkey = (size_t)n;
			break;
		}
		case OPT_KEEP:
			if (strcmp(optarg, "first") == 0)
				o.keep = LICIT_KEEP_FIRST;
			else if (strcmp(optarg, "complete") == 0)
				o.keep = LICIT_KEEP_COMPLETE;
			else
				cli_usage(&run.cli, "--keep: '%s' is not first or complete", optarg);
			break;
		case OPT_AMOUNT_TOL:
			o.amount_tol = number_opt(&run.cli, "--amount-tol", optarg, 0, 1, 0);
			fuzzy_opt = "--amount-tol";
			break;
		case OPT_DAYS:
			o.days = (long)number_opt(&run.cli, "--days", optarg, 0, 36600, 1);
			fuzzy_opt = "--days";
			break;
		case OPT_TITLE_SIM:
			o.title_sim = number_opt(&run.cli, "--title-sim", optarg, 0, 1, 0);
			fuzzy_opt = "--title-sim";
			break;
		case OPT_ANY_IDS:
			o.any_ids = 1;
			fuzzy_opt = "--any-ids";
			break;
		case OPT_NAME_SIM:
			o.name_sim = number_opt(&run.cli, "--name-sim", optarg, 0, 1, 0);
			name_sim_opt = "--name-sim";
			break;
		}
	}
	run.removed_path = removed_path;
	if (run.mark + (removed_path != NULL) + suppliers > 1)
		cli_usage(&run.cli, "--mark, --removed and --suppliers exclude each other");
	if (o.key && level_set && o.level < LICIT_DUP_KEY)
		cli_usage(&run.cli, "--key needs --level key or fuzzy");
	/* a threshold that would not be used is refused, not ignored */
	if (fuzzy_opt && o.level < LICIT_DUP_FUZZY)
		cli_usage(&run.cli, "%s needs --level fuzzy", fuzzy_opt);
	if (name_sim_opt && o.level < LICIT_DUP_FUZZY && !run.mark && !suppliers)
		cli_usage(&run.cli, "%s needs --level fuzzy, --mark or --suppliers", name_sim_opt);
	o.need_all = run.mark || suppliers;
	o.entities = run.mark || suppliers;
	o.lean = !removed_path; /* cluster numbers and dup_of go only there */

	run.removed_path = removed_path;
	run.suppliers = suppliers;
	run.o = &o;
	/* a second pass unless the engine decides as it reads */
	cli_open_inputs(&run.cli, argc, argv, licit_dedupe_opts_streaming(&o) ? 1 : 2);
	const struct cli_file outs[] = {{"-o", run.cli.output}, {"--removed", removed_path}};
	cli_check_files(&run.cli, outs, removed_path ? 2 : 1, NULL, 0, run.cli.paths,
	                run.cli.npaths);

	struct licit_error err;
	licit_error_clear(&err);
	int status = EXIT_DATA;
	const struct cli_hooks h1 = {.header = header, .open = bind1, .row = row1, .ctx = &run};
	/* -j N: streaming, and no standard input (read once, its header with
	 * the others' before any row) */
	/* only with -j N: without it one job (and its parse-ahead thread) is
	 * as fast, with less memory (licit-dedupe(1) JOBS) */
	int by_jobs = run.cli.jobs > 1 && run.cli.jobs_given && licit_dedupe_opts_streaming(&o);
	for (int i = 0; by_jobs && i < run.cli.npaths; i++)
		by_jobs = cli_input_file(&run.cli, run.cli.paths[i]) != NULL;
	if ((by_jobs ? pass_jobs(&run, &err) : cli_pass(&run.cli, &h1, &err)) != LICIT_OK ||
	    licit_dedupe_finish(run.d, &err) != LICIT_OK ||
	    (suppliers ? write_suppliers(&run, &err)
	               : licit_dedupe_streaming(run.d) ? LICIT_OK : pass2(&run, &err)) != LICIT_OK ||
	    cli_commit(&run.cli, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
	} else {
		int key_cols = 1;
		if (!o.key) {
			int has_p = 0, has_c = 0;
			for (size_t j = 0; j < run.u.n; j++) {
				has_p |= strcmp(run.u.names[j], "procedure_id") == 0;
				has_c |= strcmp(run.u.names[j], "contract_id") == 0;
			}
			key_cols = has_p && has_c;
		}
		if (licit_dedupe_streaming(run.d)) { /* a later part's copies are not seen */
			struct licit_dedupe_stats st;
			licit_dedupe_stats(run.d, &st);
			run.nremoved = st.rows - run.nout;
		}
		summary(&run, run.d, &o, suppliers, key_cols);
		if (!suppliers) {
			cli_count(LICIT_ROWS_WRITTEN, run.nout);
			cli_count(LICIT_ROWS_SKIPPED, run.nremoved);
		}
		status = EXIT_OK;
	}
	/* a failed run adds nothing more, not even a header */
	cli_abort(&run.cli);
	jobs_free(&run);
	free(run.ocols);
	cli_columns_fini(&run.u);
	free(run.vals);
	free(run.lens);
	licit_dedupe_free(run.d);
	free(key ? key[0] : NULL);
	free(key);
	return status;
}
