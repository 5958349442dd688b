/* -j N: one pass over the inputs by several jobs at once (cli.h,
 * cli_pass_jobs). Each input that licit_split_csv can cut is read as
 * ranges of whole records, range w by job w on its own thread with its
 * own reader; what the jobs of a range after the first write to standard
 * error is kept in their logs and told, in input order, once they are
 * all done. */
#include "cli.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "licit/core/array.h"
#include "licit/io/split.h"
#include "licit/io/writer.h"

/* ---- the logs of the jobs after the first ------------------------------- */

struct log_entry {
	char *text;          /* a line for standard error, without "prog: " */
	long *budget;        /* cli_warn_limited's, or NULL */
	int note;            /* a reader's note: told through the tool's note fn */
	struct licit_diag d; /* the note, its strings in text (source, field, text) */
};

struct cli_log {
	struct log_entry *e;
	size_t n, cap;
};

static __thread struct cli_log *job_log; /* set on the thread of a job after the first */

int cli_log_text(const char *text, long *budget)
{
	struct cli_log *l = job_log;
	if (!l)
		return 0;
	if (LICIT_GROW(l->e, l->cap, l->n + 1) == LICIT_OK) {
		struct log_entry *e = &l->e[l->n];
		memset(e, 0, sizeof *e);
		if ((e->text = strdup(text))) {
			e->budget = budget;
			l->n++;
		}
	}
	return 1;
}

/* A reader's note in a job after the first: kept, told later. */
static void log_note(void *ctx, const struct licit_diag *d)
{
	(void)ctx;
	struct cli_log *l = job_log;
	if (!l || LICIT_GROW(l->e, l->cap, l->n + 1) != LICIT_OK)
		return;
	const char *src = d->source ? d->source : "", *fld = d->field ? d->field : "";
	const char *txt = d->text ? d->text : "";
	size_t a = strlen(src) + 1, b = strlen(fld) + 1, k = strlen(txt) + 1;
	struct log_entry *e = &l->e[l->n];
	memset(e, 0, sizeof *e);
	if (!(e->text = malloc(a + b + k)))
		return;
	memcpy(e->text, src, a);
	memcpy(e->text + a, fld, b);
	memcpy(e->text + a + b, txt, k);
	e->note = 1;
	e->d = *d;
	e->d.source = d->source ? e->text : NULL;
	e->d.field = d->field ? e->text + a : NULL;
	e->d.text = e->text + a + b;
	e->d.value = NULL;
	l->n++;
}

static void log_tell(const struct cli *c, struct cli_log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct log_entry *e = &l->e[i];
		if (e->note) {
			if (c->in.note)
				c->in.note(c->in.note_ctx, &e->d);
		} else if (!e->budget || (*e->budget)-- > 0) {
			cli_warn(c, "%s", e->text);
		}
		free(e->text);
	}
	free(l->e);
	memset(l, 0, sizeof *l);
}

void cli_warn_limited(const struct cli *c, long *budget, const char *fmt, ...)
{
	char m[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	if (cli_log_text(m, budget))
		return;
	if ((*budget)-- > 0)
		cli_warn(c, "%s", m);
}

/* ---- the jobs ----------------------------------------------------------- */

struct pass;

struct job {
	struct pass *p;
	int w;
	void *ctx;
	struct licit_reader *r; /* opened by the job, or the probe for job 0 */
	struct licit_range range;
	int ranged;
	int rc;
	struct licit_error err;
	struct cli_log log;
	pthread_t thread;
	int started;
};

struct pass {
	struct cli *c;
	const struct cli_hooks *h;
	const char *path;
	int input;
	/* the lowest job that failed: the jobs after it stop */
	int failed;
	long long rows, bytes, size; /* the jobs' progress so far (atomics) */
	time_t last;
	int shown;
};

static int failed_before(struct pass *p, int w)
{
	return __atomic_load_n(&p->failed, __ATOMIC_RELAXED) < w;
}

static void job_failed(struct pass *p, int w)
{
	int cur = __atomic_load_n(&p->failed, __ATOMIC_RELAXED);
	while (w < cur && !__atomic_compare_exchange_n(&p->failed, &cur, w, 0, __ATOMIC_RELAXED,
	                                               __ATOMIC_RELAXED))
		;
}

/* Progress, told by job 0 for every job (at most once a second). */
static void job_tick(struct job *j, long long *rows, long long *at)
{
	struct pass *p = j->p;
	long long bytes = licit_reader_bytes(j->r);
	__atomic_add_fetch(&p->rows, *rows, __ATOMIC_RELAXED);
	__atomic_add_fetch(&p->bytes, bytes - *at, __ATOMIC_RELAXED);
	*rows = 0;
	*at = bytes;
	if (j->w != 0 || !cli_progress_on(p->c))
		return;
	time_t now = time(NULL);
	if (now == p->last)
		return;
	p->last = now;
	p->shown = 1;
	cli_progress_show(p->c, p->path, __atomic_load_n(&p->rows, __ATOMIC_RELAXED),
	                  __atomic_load_n(&p->bytes, __ATOMIC_RELAXED), p->size);
}

static void *run_job(void *arg)
{
	struct job *j = arg;
	struct pass *p = j->p;
	struct cli *c = p->c;
	const struct cli_hooks *h = p->h;
	job_log = j->w ? &j->log : NULL;
	if (!j->r) {
		struct licit_reader_opts o = c->in;
		o.threads = 1;
		o.csv_ahead = 0;
		o.range = &j->range;
		if (j->w) {
			o.note = log_note;
			o.note_ctx = NULL;
		}
		j->r = cli_open_with(c, p->path, &o, &j->err);
	}
	int rc = j->r ? LICIT_OK : LICIT_ERR;
	int shard = c->shard_n && !c->shard_self;
	struct licit_cols cols;
	if (rc == LICIT_OK && shard)
		licit_cols_bind(&cols, j->r);
	if (rc == LICIT_OK && h->open)
		rc = h->open(j->ctx, j->r, p->input, &j->err);
	const struct licit_row *row;
	long long rows = 0, at = licit_reader_bytes(j->r);
	while (rc == LICIT_OK && (rc = licit_reader_next(j->r, &row, &j->err)) == LICIT_OK) {
		if (!shard || licit_shard_of_row(&c->shard_key, &cols, row, c->shard_n) == c->shard_i)
			rc = h->row(j->ctx, j->r, row, &j->err);
		if ((++rows & 4095) == 0) {
			job_tick(j, &rows, &at);
			if (failed_before(p, j->w))
				break; /* an earlier range failed: this one does not count */
		}
	}
	if (rc == LICIT_EOF)
		rc = h->done ? h->done(j->ctx, j->r, &j->err) : LICIT_OK;
	if (j->r)
		job_tick(j, &rows, &at);
	j->rc = rc == LICIT_OK ? LICIT_OK : LICIT_ERR;
	if (j->rc != LICIT_OK)
		job_failed(p, j->w);
	job_log = NULL;
	return NULL;
}

/* The ranges of input path for c->jobs jobs, in *out; 0 when it is read
 * whole (probe, opened to find its format, is then job 0's reader). */
static int cut(const struct cli *c, const char *path, struct licit_reader *probe,
               struct licit_range **out, struct licit_error *err)
{
	*out = NULL;
	int n = c->jobs;
	const char *file = cli_input_file(c, path);
	if (n < 2 || !file || !licit_reader_cuttable(probe))
		return 0;
	const char *min_env = getenv("LICIT_RANGE_MIN");
	long long min = min_env && *min_env ? atoll(min_env) : 8LL << 20;
	int tsv = licit_reader_format(probe) == LICIT_FMT_TSV;
	return licit_split_csv(file, licit_reader_delimiter(probe), tsv, n,
	                       min, out, err);
}

static int pass_input(struct cli *c, const struct cli_hooks *h, const struct cli_jobs *cj,
                      int input, struct job *jobs, struct licit_error *err)
{
	struct pass p = {.c = c, .h = h, .path = c->paths[input], .input = input,
	                 .failed = INT_MAX, .last = time(NULL)};
	struct licit_reader *probe = cli_reopen_input(c, p.path, err);
	if (!probe)
		return LICIT_ERR;
	p.size = licit_reader_size(probe);
	struct licit_range *ranges;
	int k = cut(c, p.path, probe, &ranges, err);
	if (k < 0) {
		licit_reader_close(probe);
		return LICIT_ERR;
	}
	if (k > 0) {
		licit_reader_close(probe);
		probe = NULL;
	}
	int parts = k > 0 ? k : 1;
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (int w = 0; w < parts; w++) {
		struct job *j = &jobs[w];
		memset(j, 0, sizeof *j);
		j->p = &p;
		j->w = w;
		j->ctx = cj->ctx[w];
		j->r = w == 0 ? probe : NULL;
		if (k > 0)
			j->range = ranges[w];
		licit_error_clear(&j->err);
		/* job 0 of an input read whole runs here, on the caller's thread */
		if (k > 0 && w > 0)
			j->started = pthread_create(&j->thread, NULL, run_job, j) == 0;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	run_job(&jobs[0]);
	for (int w = 1; w < parts; w++) {
		if (jobs[w].started)
			pthread_join(jobs[w].thread, NULL);
		else
			run_job(&jobs[w]);
	}
	if (p.shown)
		cli_progress_clear(c);
	int rc = LICIT_OK;
	for (int w = 0; w < parts; w++) {
		struct job *j = &jobs[w];
		if (rc == LICIT_OK)
			log_tell(c, &j->log);
		if (rc == LICIT_OK && j->rc != LICIT_OK) {
			*err = j->err;
			rc = LICIT_ERR;
		}
		licit_reader_close(j->r);
		if (rc != LICIT_OK) { /* the logs after the failure are not told */
			for (size_t i = 0; i < j->log.n; i++)
				free(j->log.e[i].text);
			free(j->log.e);
		}
	}
	if (c->pass == 1)
		cli_count(LICIT_ROWS_READ, p.rows);
	free(ranges);
	if (rc == LICIT_OK && cj->joined)
		rc = cj->joined(cj->tool, input, parts, err);
	return rc;
}

int cli_pass_jobs(struct cli *c, const struct cli_hooks *h, const struct cli_jobs *cj,
                  struct licit_error *err)
{
	if (c->jobs <= 1 && !cj->joined) {
		struct cli_hooks one = *h;
		one.ctx = cj->ctx[0];
		return cli_pass(c, &one, err);
	}
	if (cli_pass_begin(c, c->paths, c->npaths, err) != LICIT_OK)
		return LICIT_ERR;
	struct job *jobs = calloc((size_t)c->jobs, sizeof *jobs);
	if (!jobs)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	int rc = LICIT_OK;
	for (int i = 0; i < c->npaths && rc == LICIT_OK; i++)
		rc = pass_input(c, h, cj, i, jobs, err);
	free(jobs);
	return rc;
}
