/* licit flags: red-flag indicators (Cardinal-compatible OCDS indicators and Mexico contract rules) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "licit/cardinal/cardinal.h"
#include "licit/cardinal/fences.h"
#include "licit/core/array.h"
#include "licit/flags/flags.h"
#include "licit/flags/spool.h"
#include "licit/record/schema.h"

static const char usage[] =
	"usage: licit flags [-q] [-o FILE] [--settings FILE] [--long | --summary]\n"
	"                   [--format csv|tsv|jsonl|cardinal] [--no-meta] [--count]\n"
	"                   [--map]\n"
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

/* a partial or fences file through fn (- is standard input) */
static int card_file(const char *path, struct licit_cardinal *c,
                     int (*fn)(struct licit_cardinal *, FILE *, const char *, struct licit_error *),
                     struct licit_error *err)
{
	int in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "r");
	if (!f)
		return licit_error_set(err, path, 0, NULL, "%s", strerror(errno));
	int rc = fn(c, f, in ? "<stdin>" : path, err);
	if (!in)
		fclose(f);
	return rc;
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
	int bad = run->fences && card_file(run->fences, c, licit_cardinal_fences_load, &err) < 0;
	for (int i = 0; i < npaths && !bad; i++)
		bad = run->merge ? card_file(paths[i], c, licit_cardinal_partial_merge, &err) < 0
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
 * and writes each with its flags. */
struct mexico {
	struct run *run;
	struct licit_flags *fl;
	struct licit_spool *sp;
	unsigned char *keep;    /* --long: the columns spooled */
	size_t keep_cap;
	char *source;           /* of the rows pass 2 reads */
	struct cli_columns u;   /* the union of the inputs' columns, written out */
	FILE *f;
	struct licit_writer *w;
	int c_ocid, c_cid;      /* the bound input's ocid, contract_id */
	const char **vals;
	size_t *lens;
	long long rows, raised;
};

static int header(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct mexico *m = ctx;
	if (cli_columns_add(&m->u, r, NULL, 0) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	struct mexico *m = ctx;
	licit_flags_bind(m->fl, r);
	struct licit_cols cols;
	licit_cols_bind(&cols, r);
	if (licit_cols_require(&cols, r, err) != LICIT_OK)
		return LICIT_ERR;
	const char *const *names = licit_reader_header(r);
	size_t n = licit_reader_ncols(r);
	if (m->run->long_out) {
		if (LICIT_GROW(m->keep, m->keep_cap, n + 1) != LICIT_OK)
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		for (size_t i = 0; i < n; i++)
			m->keep[i] = (unsigned char)licit_flags_reads(m->fl, names[i]);
	}
	/* a file operand's rows are read again from it, standard input's are
	 * spooled */
	const char *path = m->run->cli.paths[input];
	return licit_spool_header(m->sp, licit_reader_source(r), names, n,
	                          m->run->long_out ? m->keep : NULL,
	                          strcmp(path, "-") ? path : NULL, licit_reader_delimiter(r), err);
}

static int gather(void *ctx, struct licit_reader *r, const struct licit_row *row,
                  struct licit_error *err)
{
	struct mexico *m = ctx;
	if (licit_flags_gather(m->fl, row) < 0)
		return licit_error_set(err, licit_reader_source(r), row->line, NULL, "out of memory");
	return licit_spool_row(m->sp, row, err);
}

/* The output, once every header is known. */
static int start(struct mexico *m, struct licit_error *err)
{
	struct run *run = m->run;
	size_t nc = m->u.n;
	m->vals = calloc(nc + 5, sizeof *m->vals);
	m->lens = calloc(nc + 5, sizeof *m->lens);
	if (!m->vals || !m->lens)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	if (!(m->f = cli_output(&run->cli, "-o", run->cli.output, err)))
		return LICIT_ERR;
	static const char *const long_cols[] = {"ocid", "contract_id", "code", "value", "reason"};
	if (run->long_out) {
		m->w = cli_writer(&run->cli, m->f, -1, long_cols, 5, err);
	} else {
		const char **all = m->vals; /* for the header, before any row */
		for (size_t k = 0; k < nc; k++)
			all[k] = m->u.names[k];
		all[nc] = "flags";
		all[nc + 1] = "flag_count";
		m->w = cli_writer(&run->cli, m->f, -1, all, nc + 2, err);
		if (m->w) /* a number in JSON Lines and xlsx */
			licit_writer_set_numeric(m->w, nc + 1, 1);
	}
	return m->w ? LICIT_OK : LICIT_ERR;
}

/* Pass 2: an input's rows start (its header as spooled). */
static int bind2(struct mexico *m, const struct licit_spool_item *it, struct licit_error *err)
{
	free(m->source);
	if (!(m->source = strdup(it->source)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	licit_flags_bind_names(m->fl, it->names, it->n, m->source);
	m->c_ocid = m->c_cid = -1;
	for (size_t i = it->n; i-- > 0;) {
		if (strcmp(it->names[i], "ocid") == 0)
			m->c_ocid = (int)i;
		if (strcmp(it->names[i], "contract_id") == 0)
			m->c_cid = (int)i;
	}
	if (cli_columns_bind_names(&m->u, it->names, it->n) != LICIT_OK)
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

/* Pass 2: one row and its flags. The codes go into tail, the room after
 * the row's values, so that the whole output row lies in one piece. */
static int eval(struct mexico *m, const struct licit_row *row, char *tail,
                struct licit_error *err)
{
	const struct licit_flag *res;
	size_t nres, len = 0;
	if (licit_flags_eval(m->fl, row, &res, &nres) < 0)
		return licit_error_set(err, m->source, row->line, NULL, "out of memory");
	m->rows++;
	if (m->run->long_out) {
		for (size_t k = 0; k < nres; k++) {
			if (res[k].outcome != LICIT_RAISED)
				continue;
			const char *v[5] = {col(row, m->c_ocid), col(row, m->c_cid), res[k].code,
			                    res[k].value, res[k].reason};
			if (licit_writer_row(m->w, v, NULL) != LICIT_OK)
				return cli_output_error(&m->run->cli, m->f, err);
			m->raised++;
		}
		return LICIT_OK;
	}
	int count = 0;
	for (size_t k = 0; k < nres; k++)
		if (res[k].outcome == LICIT_RAISED) {
			size_t cl = strlen(res[k].code);
			if (len)
				tail[len++] = ';';
			memcpy(tail + len, res[k].code, cl);
			len += cl;
			count++;
		}
	m->raised += count;
	tail[len] = '\0';
	char *cnt = tail + len + 1;
	size_t cn = (size_t)snprintf(cnt, 16, "%d", count);
	size_t nc = m->u.n;
	cli_columns_row(&m->u, row, m->vals, m->lens);
	m->vals[nc] = tail;
	m->lens[nc] = len;
	m->vals[nc + 1] = cnt;
	m->lens[nc + 1] = cn;
	if (licit_writer_row(m->w, m->vals, m->lens) != LICIT_OK)
		return cli_output_error(&m->run->cli, m->f, err);
	return LICIT_OK;
}

/* Pass 2 over the spool. */
static int second_pass(struct mexico *m, struct licit_error *err)
{
	if (licit_spool_rewind(m->sp, flags_room(m->fl), err) != LICIT_OK)
		return LICIT_ERR;
	struct licit_spool_item it;
	int rc;
	while ((rc = licit_spool_next(m->sp, &it, err)) == LICIT_OK)
		if ((it.header ? bind2(m, &it, err) : eval(m, &it.row, it.tail, err)) != LICIT_OK)
			return LICIT_ERR;
	return rc == LICIT_EOF ? LICIT_OK : LICIT_ERR;
}

static int run_mexico(struct run *run, const struct licit_flags_settings *s)
{
	struct licit_error err;
	licit_error_clear(&err);
	struct mexico m = {.run = run};
	if (!(m.fl = licit_flags_new(s, cli_diag, &run->cli, &err))) {
		cli_error(&run->cli, &err);
		return EXIT_DATA;
	}
	licit_flags_set_text(m.fl, run->long_out); /* reasons only when written */
	const struct cli_hooks h1 = {.header = header, .open = bind, .row = gather, .ctx = &m};
	int status = EXIT_DATA;
	if (!(m.sp = licit_spool_new(&err)) || cli_pass(&run->cli, &h1, &err) != LICIT_OK ||
	    (licit_flags_settle(m.fl) < 0 && licit_error_set(&err, NULL, 0, NULL, "out of memory")) ||
	    start(&m, &err) != LICIT_OK || second_pass(&m, &err) != LICIT_OK ||
	    cli_commit(&run->cli, &err) != LICIT_OK) {
		cli_error(&run->cli, &err);
	} else {
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
	free(m.vals);
	free(m.lens);
	free(m.keep);
	free(m.source);
	licit_spool_free(m.sp);
	licit_flags_free(m.fl);
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
