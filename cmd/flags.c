/* licit flags: red-flag indicators (Cardinal-compatible OCDS indicators and Mexico contract rules) */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "licit/cardinal/cardinal.h"
#include "licit/cardinal/fences.h"
#include "licit/core/array.h"
#include "licit/core/text.h"
#include "licit/flags/flags.h"
#include "licit/flags/spool.h"
#include "licit/record/schema.h"

static const char usage[] =
	"usage: licit flags [-q] [-o FILE] [--settings FILE] [--long | --summary]\n"
	"                   [--format csv|tsv|jsonl|cardinal] [--no-meta] [--count]\n"
	"                   [--map] [-j N]\n"
	"                   [--data-dir DIR] [--input-format F] [--encoding E]\n"
	"                   [--delimiter C] [file ...]\n"
	"       licit flags --init\n"
	"\n"
	"Mexico rules on canonical records (licit normalise output): writes the\n"
	"records with `flags` (codes separated by ';') and `flag_count` added,\n"
	"or with --long one row per raised flag. With --format cardinal, reads\n"
	"OCDS compiled releases (JSON Lines or any packaging) and writes the\n"
	"output object of Cardinal's `ocdscardinal indicators`.\n"
	"\n"
	"  --settings FILE         INI settings (Cardinal's format, plus the Mexico rules)\n"
	"  --init                  print a settings file with every rule and its default\n"
	"  --long                  one row per raised flag: ocid,contract_id,code,value,reason\n"
	"  --summary               raised / not raised / not computable per rule on stderr\n"
	"                          (cardinal: per indicator, with the field missing)\n"
	"  --format F              csv (default), tsv, jsonl, xlsx (needs -o FILE), or\n"
	"                          cardinal (OCDS indicators)\n"
	"  --no-meta               cardinal: leave out the \"Meta\" key\n"
	"  --map                   cardinal: add Cardinal's \"Maps\" (flagged processes'\n"
	"                          buyers, procuring entities, tenderers)\n"
	"  --count                 cardinal: print the number of results per group on stderr\n"
	"  --partial, --merge, --fences FILE  cardinal over shards (licit-scale(7))\n"
	"  --data-dir DIR          where default tables are (thresholds_mx.csv); must exist\n"
	"  -j, --jobs N            read each input that can be cut as N ranges at once\n"
	"                          (default: --threads); the same output for any N\n"
	"  -o, --output FILE       write here (atomically) instead of stdout\n"
	"  --input-format F, --encoding E, --delimiter C, --memory SIZE, --root-path PATH,\n"
	"  --progress, --no-progress, --safe-csv, --manifest FILE, -q/--quiet, --help,\n"
	"  --version\n"
	"\n"
	"Exit status: 0 done, 1 unreadable input, settings or tables, or write\n"
	"error, 2 usage error.\n";

enum { OPT_SETTINGS = OPT_TOOL, OPT_INIT, OPT_LONG, OPT_SUMMARY, OPT_NO_META, OPT_COUNT,
       OPT_DATA_DIR, OPT_MAP, OPT_PARTIAL, OPT_MERGE, OPT_FENCES };

struct run {
	struct cli cli;
	int long_out, summary, cardinal, meta, count, map;
	int partial, merge;  /* cardinal over shards (licit-scale(7)) */
	const char *fences;
};

/* a fences or partial file of the Cardinal phases (cli_with_file) */
static int load_fences(void *c, FILE *f, const char *name, struct licit_error *err)
{
	return licit_cardinal_fences_load(c, f, name, err);
}

static int merge_partial(void *c, FILE *f, const char *name, struct licit_error *err)
{
	return licit_cardinal_partial_merge(c, f, name, err);
}

static int run_cardinal(struct run *run, const struct licit_flags_settings *s, char **paths,
                        int npaths)
{
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_cardinal *c = licit_cardinal_new(&s->card);
	if (!c) {
		cli_warn(&run->cli, "out of memory");
		return EXIT_DATA;
	}
	int bad = run->fences && cli_with_file(run->fences, load_fences, c, &err) < 0;
	for (int i = 0; i < npaths && !bad; i++)
		bad = run->merge ? cli_with_file(paths[i], merge_partial, c, &err) < 0
		                 : licit_cardinal_read(c, paths[i], &run->cli.in, cli_diag, &run->cli,
		                                       &err) < 0;
	FILE *f = bad ? NULL : cli_output(&run->cli, "-o", run->cli.output, &err);
	if (f && (run->partial || run->merge)) /* phases 1 and 2: a partial or fences file */
		bad = (run->partial ? licit_cardinal_partial_write : licit_cardinal_fences_write)(
		              c, f, &err) != LICIT_OK ||
		      cli_commit(&run->cli, &err) != LICIT_OK;
	if (!f || bad || run->partial || run->merge) {
		if (!f || bad) {
			cli_error(&run->cli, &err);
			cli_abort(&run->cli);
		}
		licit_cardinal_free(c);
		return !f || bad ? EXIT_DATA : EXIT_OK;
	}
	licit_cardinal_finish(c);
	long counts[4];
	int rc = licit_cardinal_write(c, f, run->meta, counts);
	if (rc == 0 && !run->cli.quiet)
		licit_cardinal_write_summary(c, stderr);
	licit_cardinal_free(c);
	if (rc < 0)
		licit_error_set(&err, NULL, 0, NULL, "out of memory");
	if (rc < 0 || cli_commit(&run->cli, &err) != LICIT_OK) {
		cli_error(&run->cli, &err);
		cli_abort(&run->cli);
		return EXIT_DATA;
	}
	if (run->count) {
		static const char *const g[] = {"OCID", "Buyer", "ProcuringEntity", "Tenderer"};
		for (int i = 0; i < 4; i++)
			if (counts[i])
				fprintf(stderr, "%s: %ld\n", g[i], counts[i]);
	}
	return EXIT_OK;
}

static void print_summary(struct run *run, struct licit_flags *fl, long long rows)
{
	fprintf(stderr, "%s: %lld row%s\n", run->cli.prog, rows, cli_s(rows));
	fprintf(stderr, "%-24s %10s %10s %14s\n", "rule", "raised", "not_raised", "not_computable");
	for (size_t i = 0; i < licit_flags_nrules(fl); i++) {
		long long c[3];
		const char *code = licit_flags_rule(fl, i, c);
		if (code)
			fprintf(stderr, "%-24s %10lld %10lld %14lld\n", code, c[0], c[1], c[2]);
	}
}

/* The Mexico rules: pass 1 reads the inputs once, gathering the rules'
 * per-group state and writing each row to the spool (with --long only
 * the columns the rules read); pass 2 reads the rows back from the spool
 * and writes each with its flags.
 *
 * With jobs (-j N, or --threads N without it), an input that can be cut
 * is read as ranges, range w by job w with its own engine and spool
 * (struct part); after each input the jobs' states are merged into the
 * main engine (part 0's) in range order. Pass 2: each job evaluates its
 * own rows on its own thread, against the main engine's settled state,
 * and writes them out into its own temporary file (part 0's first range
 * straight to the output); the files are then appended to the output in
 * input order, in the kernel where it can (licit_writer_append). Part 0,
 * done with its own rows, appends a later part's rows while that part
 * still writes them: the part flushes its file every PUBLISH_EVERY rows
 * and says how far it is (the fields under mu), so that only its last
 * rows are left to copy when it ends. */
struct part {
	struct mexico *m;
	int w;
	struct licit_flags *fl; /* part 0: the main engine */
	struct licit_spool *sp;
	unsigned char *keep;    /* --long: the columns spooled */
	size_t keep_cap;
	/* pass 2 */
	char *source;           /* of the rows being read back */
	struct cli_columns u;   /* the mexico's columns (borrowed), bound to the input */
	int c_ocid, c_cid;      /* the bound input's ocid, contract_id */
	const char **vals;
	size_t *lens;
	struct raised *r;       /* a row's raised flags */
	char *tailbuf;          /* a raw row's end: its flags and their count */
	char raw;               /* records written as they are, this delimiter
	                           after them (0: not so) */
	FILE *out;              /* its deferred rows written out: a temporary */
	char *outbuf;           /* its stdio buffer (OUT_BUF) */
	struct licit_writer *ow; /* the writer there (no header) */
	long long *out_at;      /* per input: where its rows start in out */
	long long *out_end;     /* and end */
	/* how far its deferred rows are, for part 0 to append them as they
	 * come (write_parts); under mu, cv signalled at each change */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int out_fd;             /* out's */
	int live_in;            /* the input whose rows it writes out now (-1) */
	long long pub;          /* its rows are flushed to out up to here */
	int seg_done;           /* the inputs before this one are written out */
	int finished;           /* part_run returned: rc, failed_in, err are set */
	int pending;            /* the spool's next header was read (it) */
	/* part 0, pass 1: where the inputs' headers and the last input's
	 * rows (one in MARK_EVERY) start in the spool, for a second thread
	 * to decide the second half of an input read by one job (halve) */
	long long *hdr_at;
	struct mark {
		long long at, row;
	} *mark;
	size_t nmark, mark_cap;
	long long in_rows;
	int limit_in;           /* pass 2: the input whose first limit rows only */
	long long limit;        /* this part decides (-1: none) */
	struct licit_spool_item it;
	long long rows, raised;
	int rc;
	int failed_in;          /* the input whose rows it failed on, -1 */
	struct licit_error err;
	pthread_t thread;
	int started;
};

struct mexico {
	struct run *run;
	struct licit_flags *fl; /* the main engine */
	struct part *part;
	int njobs;              /* parts */
	int jobs;               /* read by cli_pass_jobs */
	int *nparts;            /* per input: its ranges */
	long *base;             /* per input and part: the number of its first row */
	long rows1;             /* rows gathered in the inputs merged so far */
	struct cli_columns u;   /* the union of the inputs' columns, written out */
	const char **code;      /* the rules' codes, in licit_flags_eval's order */
	size_t ncode;
	FILE *f;
	struct licit_writer *w;
	long long rows, raised;
};

#define MARK_EVERY 8192 /* rows */

static int header(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct part *p = ctx;
	if (cli_columns_add(&p->m->u, r, NULL, 0) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	struct part *p = ctx;
	struct mexico *m = p->m;
	if (p->w == 0) {
		p->hdr_at[input] = licit_spool_bytes(p->sp);
		p->nmark = 0;
		p->in_rows = 0;
	}
	/* (with jobs the header hook is not called: part 0 reads every input) */
	if (m->jobs && p->w == 0 && header(p, r, input, err) != LICIT_OK)
		return LICIT_ERR;
	licit_flags_bind(p->fl, r);
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	if (licit_cols_require(&cols, r, err) != LICIT_OK)
		return LICIT_ERR;
	const char *const *names = licit_reader_header(r);
	size_t n = licit_reader_ncols(r);
	if (m->run->long_out) {
		if (LICIT_GROW(p->keep, p->keep_cap, n + 1) != LICIT_OK)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		for (size_t i = 0; i < n; i++)
			p->keep[i] = (unsigned char)licit_flags_reads(p->fl, names[i]);
	}
	/* a file's rows are read again from it, a stream's are spooled */
	const char *file = cli_input_file(&m->run->cli, m->run->cli.paths[input]);
	return licit_spool_header(p->sp, licit_reader_source(r), names, n,
	                          m->run->long_out ? p->keep : NULL, file,
	                          licit_reader_delimiter(r), err);
}

static int gather(void *ctx, struct licit_reader *r, const struct licit_row *row,
                  struct licit_error *err)
{
	struct part *p = ctx;
	if (licit_flags_gather(p->fl, row) < 0)
		return licit_flags_failed(err, licit_reader_source(r), row->line);
	if (p->w == 0 && p->in_rows++ % MARK_EVERY == 0) {
		if (LICIT_GROW(p->mark, p->mark_cap, p->nmark + 1) != LICIT_OK)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		p->mark[p->nmark++] = (struct mark){licit_spool_bytes(p->sp), p->in_rows - 1};
	}
	return licit_spool_row(p->sp, row, err);
}

/* After every job is done with an input: their states merged in range
 * order, and the number of each range's first row kept for pass 2. */
static int joined(void *tool, int input, int nparts, struct licit_error *err)
{
	struct mexico *m = tool;
	m->nparts[input] = nparts;
	long *base = m->base + (size_t)input * (size_t)m->njobs;
	base[0] = m->rows1;
	for (int w = 1; w < nparts; w++) {
		base[w] = licit_flags_rows(m->fl);
		if (licit_flags_merge(m->fl, m->part[w].fl, err) != LICIT_OK)
			return LICIT_ERR;
	}
	m->rows1 = licit_flags_rows(m->fl);
	return LICIT_OK;
}

/* Pass 1: by cli_pass_jobs with jobs, else cli_pass as always. */
static int first_pass(struct mexico *m, struct licit_error *err)
{
	struct cli *c = &m->run->cli;
	struct cli_hooks h = {.header = header, .open = bind, .row = gather, .ctx = &m->part[0]};
	if (!m->jobs) {
		for (int i = 0; i < c->npaths; i++)
			m->nparts[i] = 1;
		return cli_pass(c, &h, err);
	}
	void **ctx = malloc((size_t)m->njobs * sizeof *ctx);
	if (!ctx)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (int w = 0; w < m->njobs; w++)
		ctx[w] = &m->part[w];
	const struct cli_jobs cj = {.ctx = ctx, .joined = joined, .tool = m};
	int rc = cli_pass_jobs(c, &h, &cj, err);
	free(ctx);
	return rc;
}

/* The output's columns: the inputs' (their union), then flags and
 * flag_count; with --long those of a raised flag. Into cols (room for
 * m->u.n + 5); their number. */
static size_t out_cols(const struct mexico *m, const char **cols)
{
	static const char *const long_cols[] = {"ocid", "contract_id", "code", "value", "reason"};
	if (m->run->long_out) {
		memcpy(cols, long_cols, sizeof long_cols);
		return 5;
	}
	size_t nc = m->u.n;
	for (size_t k = 0; k < nc; k++)
		cols[k] = m->u.names[k];
	cols[nc] = "flags";
	cols[nc + 1] = "flag_count";
	return nc + 2;
}

/* A writer of the output's rows (start, part_out): flag_count a number
 * in JSON Lines and xlsx. */
static struct licit_writer *out_writer(struct mexico *m, FILE *f, int own,
                                       struct licit_error *err)
{
	const char **cols = calloc(m->u.n + 5, sizeof *cols);
	if (!cols) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	size_t n = out_cols(m, cols);
	struct licit_writer *w =
		own ? licit_writer_new(f, m->run->cli.out_format, cols, n)
		    : cli_writer(&m->run->cli, f, -1, cols, n, err);
	free(cols);
	if (!w && own)
		licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (w && !m->run->long_out)
		licit_writer_set_numeric(w, m->u.n + 1, 1);
	return w;
}

/* The output, once every header is known. */
static int start(struct mexico *m, struct licit_error *err)
{
	if (!(m->f = cli_output(&m->run->cli, "-o", m->run->cli.output, err)))
		return LICIT_ERR;
	return (m->w = out_writer(m, m->f, 0, err)) ? LICIT_OK : LICIT_ERR;
}

/* Pass 2: an input's rows start (its header as spooled). */
static int bind2(struct part *p, const struct licit_spool_item *it, struct licit_error *err)
{
	free(p->source);
	if (!(p->source = strdup(it->source)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	licit_flags_bind_names(p->fl, it->names, it->n, p->source);
	p->c_ocid = p->c_cid = -1;
	for (size_t i = it->n; i-- > 0;) {
		if (strcmp(it->names[i], "ocid") == 0)
			p->c_ocid = (int)i;
		if (strcmp(it->names[i], "contract_id") == 0)
			p->c_cid = (int)i;
	}
	if (cli_columns_bind_names(&p->u, it->names, it->n) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static const char *col(const struct licit_row *row, int c)
{
	return c >= 0 && (size_t)c < row->n ? row->v[c] : "";
}

/* Room after a spooled row for its flags and their count. */
static size_t flags_room(const struct licit_flags *fl)
{
	size_t room = 32;
	for (size_t i = 0; i < licit_flags_nrules(fl); i++) {
		const char *code = licit_flags_rule(fl, i, NULL);
		room += code ? strlen(code) + 1 : 0;
	}
	return room;
}

/* A raised flag as it is written: its rule (its place among the
 * outcomes licit_flags_eval gives), and with --long its value and reason. */
struct raised {
	unsigned k;
	const char *value, *reason;
};

/* The raised flags' codes, joined by ';', into out (NUL-terminated);
 * their length. */
static size_t join_codes(const struct mexico *m, const struct raised *r, size_t n, char *out)
{
	size_t len = 0;
	for (size_t k = 0; k < n; k++) {
		const char *code = m->code[r[k].k];
		size_t cl = strlen(code);
		if (len)
			out[len++] = ';';
		memcpy(out + len, code, cl);
		len += cl;
	}
	out[len] = '\0';
	return len;
}

/* A failed write by w: to the output, or to a part's temporary file. */
static int write_failed(struct part *p, struct licit_writer *w, struct licit_error *err)
{
	struct mexico *m = p->m;
	if (w == m->w)
		return cli_output_error(&m->run->cli, m->f, err);
	struct licit_error e;
	licit_writer_error(w, &e);
	return licit_error_set(err, NULL, 0, NULL, "temporary file: %s", e.text);
}

/* A row that is its record as read from the file, written by w as it is
 * (p->raw: licit_writer_raw_ok), then its flags and their count. */
static int emit_raw(struct part *p, struct licit_writer *w, const char *raw, size_t raw_len,
                    const struct raised *r, size_t n, struct licit_error *err)
{
	struct mexico *m = p->m;
	char *t = p->tailbuf;
	t[0] = p->raw;
	size_t len = 1 + join_codes(m, r, n, t + 1);
	t[len++] = p->raw;
	len += licit_format_long((long long)n, t + len);
	t[len++] = '\n';
	if (licit_writer_records(w, raw, raw_len) != LICIT_OK ||
	    licit_writer_records(w, t, len) != LICIT_OK)
		return write_failed(p, w, err);
	return LICIT_OK;
}

/* One row and its raised flags, written out by w. The codes go into
 * tail, the room after the row's values, so that the whole output row
 * lies in one piece. */
static int emit(struct part *p, struct licit_writer *w, const struct licit_row *row, char *tail,
                const struct raised *r, size_t n, struct licit_error *err)
{
	struct mexico *m = p->m;
	if (m->run->long_out) {
		for (size_t k = 0; k < n; k++) {
			const char *v[5] = {col(row, p->c_ocid), col(row, p->c_cid), m->code[r[k].k],
			                    r[k].value, r[k].reason};
			if (licit_writer_row(w, v, NULL) != LICIT_OK)
				return write_failed(p, w, err);
		}
		return LICIT_OK;
	}
	size_t len = join_codes(m, r, n, tail);
	char *cnt = tail + len + 1;
	size_t cn = licit_format_long((long long)n, cnt);
	size_t nc = p->u.n;
	cli_columns_row(&p->u, row, p->vals, p->lens);
	p->vals[nc] = tail;
	p->lens[nc] = len;
	p->vals[nc + 1] = cnt;
	p->lens[nc + 1] = cn;
	if (licit_writer_row(w, p->vals, p->lens) != LICIT_OK)
		return write_failed(p, w, err);
	return LICIT_OK;
}

/* Pass 2: one row decided and written out by w (the output, or when
 * deferred the part's temporary file). */
static int decide(struct part *p, struct licit_writer *w, const struct licit_spool_item *it,
                  struct licit_error *err)
{
	const struct licit_flag *res;
	size_t nres, n = 0;
	if (licit_flags_eval(p->fl, &it->row, &res, &nres) < 0)
		return licit_error_set(err, p->source, it->row.line, NULL, "out of memory");
	p->rows++;
	for (size_t k = 0; k < nres; k++)
		if (res[k].outcome == LICIT_RAISED)
			p->r[n++] = (struct raised){(unsigned)k, res[k].value, res[k].reason};
	p->raised += (long long)n;
	return p->raw && it->raw ? emit_raw(p, w, it->raw, it->raw_len, p->r, n, err)
	                         : emit(p, w, &it->row, it->tail, p->r, n, err);
}

#define OUT_BUF (1 << 20) /* a write a MiB */
#define PUBLISH_EVERY 4096 /* rows: a deferred part's rows flushed, for write_parts */

/* Part p's progress told to write_parts: set (under the lock) and
 * signalled. */
static void tell(struct part *p, int live_in, long long pub, int seg_done, int finished)
{
	pthread_mutex_lock(&p->mu);
	if (live_in >= 0) {
		p->live_in = live_in;
		p->pub = pub;
	}
	if (seg_done > p->seg_done)
		p->seg_done = seg_done;
	p->finished |= finished;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* A write or flush of a part's temporary file that failed (errno). */
static int temp_failed(struct licit_error *err)
{
	return licit_error_set(err, NULL, 0, NULL, "temporary file: %s", strerror(errno ? errno : EIO));
}

/* A deferred part's rows so far flushed to its file, and told. */
static int publish(struct part *p, int input, struct licit_error *err)
{
	long long at;
	if (fflush(p->out) != 0 || (at = (long long)ftello(p->out)) < 0)
		return temp_failed(err);
	tell(p, input, at, -1, 0);
	return LICIT_OK;
}

/* The temporary file a part's deferred rows are written to, and its
 * writer: the output's columns and format, no header. */
static int part_out(struct part *p, struct licit_error *err)
{
	struct mexico *m = p->m;
	if (p->ow)
		return LICIT_OK;
	if (!(p->out = licit_spool_temp()))
		return licit_error_set(err, NULL, 0, NULL, "cannot make a temporary file: %s",
		                       strerror(errno ? errno : EIO));
	if (!(p->outbuf = malloc(OUT_BUF)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	setvbuf(p->out, p->outbuf, _IOFBF, OUT_BUF);
	p->out_fd = fileno(p->out);
	if (!(p->ow = out_writer(m, p->out, 1, err)))
		return LICIT_ERR;
	licit_writer_skip_header(p->ow);
	return LICIT_OK;
}

/* Pass 2, a part's rows of one input (they start with its header in the
 * part's spool): decided and written out, by the output's writer or
 * (deferred) into the part's temporary file. */
static int segment(struct part *p, int input, int deferred, struct licit_error *err)
{
	struct mexico *m = p->m;
	int rc = p->pending ? LICIT_OK : licit_spool_next(p->sp, &p->it, err);
	p->pending = 0;
	if (rc == LICIT_EOF || (rc == LICIT_OK && !p->it.header))
		return licit_error_set(err, NULL, 0, NULL, "the spool does not start an input here");
	if (rc != LICIT_OK || bind2(p, &p->it, err) != LICIT_OK ||
	    (deferred && part_out(p, err) != LICIT_OK))
		return LICIT_ERR;
	struct licit_writer *w = deferred ? p->ow : m->w;
	if (deferred) {
		p->out_at[input] = p->out_end[input] = (long long)ftello(p->out);
		tell(p, input, p->out_at[input], -1, 0);
	}
	if (m->jobs)
		licit_flags_set_row(p->fl, m->base[(size_t)input * (size_t)m->njobs + (size_t)p->w]);
	/* rows as they are in the file go out as they are when the output
	 * is the input's columns in CSV of its delimiter */
	p->raw = !m->run->long_out && p->u.ident && p->it.n == p->u.n &&
	                 licit_writer_raw_ok(w, p->it.delim)
	         ? p->it.delim
	         : 0;
	long long left = p->limit_in == input ? p->limit : -1; /* halve: the rest is part 1's */
	int since = 0;
	while (left != 0 &&
	       (rc = (p->raw ? licit_spool_next_raw : licit_spool_next)(p->sp, &p->it, err)) ==
	               LICIT_OK) {
		if (p->it.header) {
			p->pending = 1;
			break;
		}
		if (decide(p, w, &p->it, err) != LICIT_OK) {
			rc = LICIT_ERR;
			break;
		}
		if (deferred && ++since == PUBLISH_EVERY) {
			since = 0;
			if (publish(p, input, err) != LICIT_OK) {
				rc = LICIT_ERR;
				break;
			}
		}
		left -= left > 0;
	}
	if (left == 0)
		rc = LICIT_EOF;
	int ok = rc == LICIT_EOF || p->pending;
	if (deferred) { /* up to a failure: the rows a one-job run wrote */
		if (fflush(p->out) != 0 && ok) {
			temp_failed(err);
			ok = 0;
		}
		p->out_end[input] = (long long)ftello(p->out);
		if (ok)
			tell(p, -1, 0, input + 1, 0);
	}
	return ok ? LICIT_OK : LICIT_ERR;
}

static int part_begin(struct part *p, struct licit_error *err)
{
	struct mexico *m = p->m;
	size_t nc = m->u.n, np = (size_t)m->run->cli.npaths + 1;
	p->u.names = m->u.names;
	p->u.n = nc;
	p->vals = calloc(nc + 5, sizeof *p->vals);
	p->lens = calloc(nc + 5, sizeof *p->lens);
	p->out_at = calloc(np, sizeof *p->out_at);
	p->out_end = calloc(np, sizeof *p->out_end);
	p->r = calloc(m->ncode + 1, sizeof *p->r);
	p->tailbuf = malloc(flags_room(p->fl) + 2);
	if (!p->vals || !p->lens || !p->out_at || !p->out_end || !p->r || !p->tailbuf)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return licit_spool_rewind(p->sp, flags_room(p->fl), err);
}

/* Pass 2 of part p on its own thread: its range of the first input
 * written out when it is part 0, every other one deferred. */
static void *part_run(void *arg)
{
	struct part *p = arg;
	struct mexico *m = p->m;
	p->rc = LICIT_OK;
	p->failed_in = -1;
	for (int i = 0; i < m->run->cli.npaths && p->rc == LICIT_OK; i++) {
		if (p->w >= m->nparts[i])
			continue;
		if ((p->rc = segment(p, i, p->w || i, &p->err)) != LICIT_OK)
			p->failed_in = i;
	}
	/* (each deferred segment flushed its rows as it ended) */
	tell(p, -1, 0, -1, 1);
	return NULL;
}

/* Part p's deferred rows of input i appended to the output from its
 * temporary file while p may still be writing them: what it has flushed,
 * until it is done with input i (or has failed there: then its error,
 * after the rows before the failure). */
static int append_part(struct mexico *m, struct part *p, int i, struct licit_error *err)
{
	long long at = -1; /* appended up to here; -1: nothing yet */
	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->finished && p->seg_done <= i && (p->live_in != i || p->pub <= at))
			pthread_cond_wait(&p->cv, &p->mu);
		int done = p->finished || p->seg_done > i;
		int failed = p->finished && p->failed_in >= 0 && p->failed_in <= i;
		long long from = at < 0 ? p->out_at[i] : at;
		long long to = done ? p->out_end[i] : p->pub;
		int fd = p->out_fd;
		pthread_mutex_unlock(&p->mu);
		if (to > from && licit_writer_append(m->w, fd, (off_t)from, (off_t)(to - from)) != LICIT_OK)
			return cli_output_error(&m->run->cli, m->f, err);
		at = to > from ? to : from;
		if (!done)
			continue;
		if (failed) {
			*err = p->err;
			return LICIT_ERR;
		}
		return LICIT_OK;
	}
}

/* The deferred rows in input order (part 0's of the first input are
 * written already), each part's appended from its temporary file as it
 * comes; stops after the first part that failed. */
static int write_parts(struct mexico *m, struct licit_error *err)
{
	for (int i = 0; i < m->run->cli.npaths; i++)
		for (int w = 0; w < m->nparts[i]; w++) {
			struct part *p = &m->part[w];
			if (!w && !i && p->failed_in == 0) { /* (its rows went out as it wrote them) */
				*err = p->err;
				return LICIT_ERR;
			}
			if ((w || i) && append_part(m, p, i, err) != LICIT_OK)
				return LICIT_ERR;
		}
	return LICIT_OK;
}

/* No input was cut (standard input, a pipe, compressed input; with
 * jobs): the last input's second half is decided by part 1 on its own
 * thread, reading part 0's spool from the mark nearest the middle (a
 * second reader of the file), while part 0 decides the first half. Its
 * rows are then written after part 0's, as a job's are. LICIT_OK when so
 * split; else nothing changes (too few rows, the spool not readable
 * again). */
static int halve(struct mexico *m)
{
	struct part *p0 = &m->part[0], *p1 = &m->part[1];
	int last = m->run->cli.npaths - 1;
	if (p0->nmark < 2 || m->nparts[last] != 1)
		return LICIT_ERR;
	const struct mark *mk = &p0->mark[p0->nmark / 2];
	struct licit_error e;
	struct licit_spool *sp = licit_spool_reader(p0->sp, p0->hdr_at[last], mk->at, &p1->it, &e);
	if (!sp || part_begin(p1, &e) != LICIT_OK) {
		licit_spool_free(sp);
		return LICIT_ERR;
	}
	licit_spool_free(p1->sp); /* (empty: part 1 read nothing in pass 1) */
	p1->sp = sp;
	p1->pending = 1; /* its input's header, read */
	size_t b = (size_t)last * (size_t)m->njobs;
	m->base[b + 1] = m->base[b] + mk->row;
	p0->limit_in = last;
	p0->limit = mk->row;
	m->nparts[last] = 2;
	return LICIT_OK;
}

/* Pass 2: with jobs, one thread per part (part 0 on this one); else
 * (one job, or xlsx, which cannot be cut) the parts one after another. */
static int second_pass(struct mexico *m, struct licit_error *err)
{
	int used = 1;
	for (int i = 0; i < m->run->cli.npaths; i++)
		used = m->nparts[i] > used ? m->nparts[i] : used;
	for (size_t i = 0; i < licit_flags_nrules(m->fl); i++) /* in licit_flags_eval's order */
		if (licit_flags_rule(m->fl, i, NULL))
			m->code[m->ncode++] = licit_flags_rule(m->fl, i, NULL);
	for (int w = 0; w < used; w++)
		if (part_begin(&m->part[w], err) != LICIT_OK)
			return LICIT_ERR;
	if (used == 1 && m->njobs > 1 && m->run->cli.out_format != LICIT_FMT_XLSX &&
	    halve(m) == LICIT_OK)
		used = 2;
	for (int w = 1; w < used; w++)
		licit_flags_share(m->part[w].fl, m->fl);
	if (used == 1 || m->run->cli.out_format == LICIT_FMT_XLSX) {
		for (int i = 0; i < m->run->cli.npaths; i++)
			for (int w = 0; w < m->nparts[i]; w++)
				if (segment(&m->part[w], i, 0, err) != LICIT_OK)
					return LICIT_ERR;
		return LICIT_OK;
	}
	sigset_t block, old;
	licit_cleanup_signals(&block);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	for (int w = 1; w < used; w++)
		m->part[w].started =
			pthread_create(&m->part[w].thread, NULL, part_run, &m->part[w]) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	part_run(&m->part[0]);
	for (int w = 1; w < used; w++)
		if (!m->part[w].started)
			part_run(&m->part[w]); /* no thread for it: its rows now, on this one */
	int rc = write_parts(m, err); /* while the others still run */
	for (int w = 1; w < used; w++)
		if (m->part[w].started)
			pthread_join(m->part[w].thread, NULL);
	return rc;
}

/* The parts: part 0 holds the main engine; each other one a job engine. */
static int parts_new(struct mexico *m, const struct licit_flags_settings *s,
                     struct licit_error *err)
{
	struct cli *c = &m->run->cli;
	/* -j N, else one job per thread (--threads): an input that cannot be
	 * cut is read by one job, which parses ahead on a second thread */
	m->njobs = c->jobs > 1 ? c->jobs : 1;
	m->jobs = m->njobs > 1;
	m->part = calloc((size_t)m->njobs, sizeof *m->part);
	m->nparts = calloc((size_t)c->npaths + 1, sizeof *m->nparts);
	m->base = calloc(((size_t)c->npaths + 1) * (size_t)m->njobs, sizeof *m->base);
	if (!m->part || !m->nparts || !m->base)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (int w = 0; w < m->njobs; w++) {
		pthread_mutex_init(&m->part[w].mu, NULL);
		pthread_cond_init(&m->part[w].cv, NULL);
		m->part[w].out_fd = m->part[w].live_in = -1;
	}
	if (!(m->fl = licit_flags_new(s, cli_diag, c, err)))
		return LICIT_ERR;
	if (!(m->code = calloc(licit_flags_nrules(m->fl) + 1, sizeof *m->code)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	licit_flags_set_text(m->fl, m->run->long_out); /* reasons only when written */
	licit_flags_set_threads(m->fl, c->jobs_given ? c->jobs : c->threads);
	for (int w = 0; w < m->njobs; w++) {
		struct part *p = &m->part[w];
		p->m = m;
		p->w = w;
		p->limit_in = -1;
		if (w == 0 && !(p->hdr_at = calloc((size_t)c->npaths + 1, sizeof *p->hdr_at)))
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		if (!(p->fl = w ? licit_flags_job_new(m->fl, err) : m->fl) ||
		    !(p->sp = licit_spool_new(err)))
			return LICIT_ERR;
	}
	return LICIT_OK;
}

static void parts_free(struct mexico *m)
{
	for (int w = m->part ? m->njobs : 0; w-- > 0;) { /* the jobs borrow the main engine's state */
		struct part *p = &m->part[w];
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
		if (p->ow)
			licit_writer_discard(p->ow);
		if (p->out)
			fclose(p->out);
		free(p->outbuf);
		free(p->u.map);
		free(p->vals);
		free(p->lens);
		free(p->r);
		free(p->tailbuf);
		free(p->out_at);
		free(p->out_end);
		free(p->hdr_at);
		free(p->mark);
		free(p->keep);
		free(p->source);
		licit_spool_free(p->sp);
		if (w)
			licit_flags_free(p->fl);
	}
	licit_flags_free(m->fl);
	free(m->part);
	free(m->code);
	free(m->nparts);
	free(m->base);
}

static int run_mexico(struct run *run, const struct licit_flags_settings *s)
{
	struct licit_error err;
	licit_error_clear(&err);
	struct mexico m = {.run = run};
	int status = EXIT_DATA;
	if (parts_new(&m, s, &err) != LICIT_OK || first_pass(&m, &err) != LICIT_OK ||
	    (licit_flags_settle(m.fl) < 0 && licit_flags_failed(&err, NULL, 0)) ||
	    start(&m, &err) != LICIT_OK || second_pass(&m, &err) != LICIT_OK ||
	    cli_commit(&run->cli, &err) != LICIT_OK) {
		cli_error(&run->cli, &err);
	} else {
		for (int w = 0; w < m.njobs; w++) {
			m.rows += m.part[w].rows;
			m.raised += m.part[w].raised;
			if (w)
				licit_flags_add_counts(m.fl, m.part[w].fl);
		}
		licit_flags_report(m.fl);
		cli_count(LICIT_ROWS_WRITTEN, run->long_out ? m.raised : m.rows);
		if (run->summary)
			print_summary(run, m.fl, m.rows);
		else if (!run->cli.quiet)
			fprintf(stderr, "%s: %lld row%s, %lld flag%s raised\n", run->cli.prog, m.rows,
			        cli_s(m.rows), m.raised, cli_s(m.raised));
		status = EXIT_OK;
	}
	/* a failed run adds nothing more, not even a header */
	cli_abort(&run->cli);
	cli_columns_fini(&m.u);
	parts_free(&m);
	return status;
}

int licit_cmd_flags(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"settings", required_argument, NULL, OPT_SETTINGS},
		{"init", no_argument, NULL, OPT_INIT},
		{"long", no_argument, NULL, OPT_LONG},
		{"summary", no_argument, NULL, OPT_SUMMARY},
		{"no-meta", no_argument, NULL, OPT_NO_META},
		{"count", no_argument, NULL, OPT_COUNT},
		{"map", no_argument, NULL, OPT_MAP},
		{"data-dir", required_argument, NULL, OPT_DATA_DIR},
		{"partial", no_argument, NULL, OPT_PARTIAL},
		{"merge", no_argument, NULL, OPT_MERGE},
		{"fences", required_argument, NULL, OPT_FENCES},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	run.meta = 1;
	const char *settings = NULL, *dir = NULL;
	int init = 0;
	cli_init(&run.cli, argv[0], usage);
	run.cli.xlsx = 1;
	run.cli.jobs_ok = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == OPT_FORMAT) {
			run.cardinal = cli_format(&run.cli, optarg, "cardinal");
			continue;
		}
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_SETTINGS: settings = optarg; break;
		case OPT_INIT: init = 1; break;
		case OPT_LONG: run.long_out = 1; break;
		case OPT_SUMMARY: run.summary = 1; break;
		case OPT_NO_META: run.meta = 0; break;
		case OPT_COUNT: run.count = 1; break;
		case OPT_MAP: run.map = 1; break;
		case OPT_DATA_DIR: dir = optarg; break;
		case OPT_PARTIAL: run.partial = 1; break;
		case OPT_MERGE: run.merge = 1; break;
		case OPT_FENCES: run.fences = optarg; break;
		}
	}
	if (init) {
		if (optind < argc)
			cli_usage(&run.cli, "--init takes no input file");
		licit_flags_init_write(stdout);
		if (fflush(stdout) == 0 && !ferror(stdout))
			return EXIT_OK;
		struct licit_error werr;
		licit_error_clear(&werr);
		cli_write_error(&werr, NULL);
		cli_error(&run.cli, &werr);
		return EXIT_DATA;
	}
	if (run.cardinal && run.long_out)
		cli_usage(&run.cli, "--long is for the Mexico rules, not --format cardinal");
	if (run.long_out && run.summary)
		cli_usage(&run.cli, "--long and --summary exclude each other");
	if (!run.cardinal && (!run.meta || run.count || run.map))
		cli_usage(&run.cli, "--no-meta, --count and --map need --format cardinal");
	if (!run.cardinal && (run.partial || run.merge || run.fences))
		cli_usage(&run.cli, "--partial, --merge and --fences need --format cardinal");
	if (run.partial + run.merge + (run.fences != NULL) > 1 ||
	    (run.map && (run.partial || run.merge || run.fences)))
		cli_usage(&run.cli, "--partial, --merge and --fences: one at a time, and not with "
		          "--map");
	cli_open_inputs(&run.cli, argc, argv, 1); /* the Mexico rules' pass 2 reads a spool */
	run.cli.in.csv_ahead = !run.cardinal; /* CSV parsed on a second thread (--threads) */
	const struct cli_file out = {"-o", run.cli.output},
	                      ins[] = {{"--settings", settings}, {"--fences", run.fences}};
	cli_check_files(&run.cli, &out, 1, settings ? ins : ins + 1,
	                (settings ? 1 : 0) + (run.fences ? 1 : 0), run.cli.paths, run.cli.npaths);
	char dbuf[1100];
	struct licit_flags_settings s;
	struct licit_error err;
	licit_error_clear(&err);
	if (licit_flags_settings_load(&s, settings, cli_data_dir(&run.cli, dir, dbuf, sizeof dbuf), &err)) {
		cli_error(&run.cli, &err);
		licit_flags_settings_fini(&s);
		return EXIT_DATA;
	}
	s.card.map = run.map;
	s.card.summary = run.summary && run.cardinal;
	int status = run.cardinal ? run_cardinal(&run, &s, run.cli.paths, run.cli.npaths)
	                          : run_mexico(&run, &s);
	licit_flags_settings_fini(&s);
	return status;
}
