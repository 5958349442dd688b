/* licit normalise: any supported source to canonical contract records */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/core/arena.h"
#include "licit/core/array.h"
#include "licit/normalise/normalise.h"
#include "licit/normalise/pool.h"
#include "licit/ocds/ocds_write.h"
#include "licit/protest/protest.h"

static const char usage[] =
	"usage: licit normalise [-q] [-o FILE] [--issues FILE] [--format csv|jsonl|ocds]\n"
	"                       [--layout compranet|canonical|ocds|mapping]\n"
	"                       [--mapping FILE] [--proc-types FILE] [--rates FILE]\n"
	"                       [--ocid-prefix P] [--default-law LAW]\n"
	"                       [--multi-amount empty|first|sum]\n"
	"                       [--kind contracts|protests] [--protest-values FILE]\n"
	"                       [--input-format F] [--encoding E] [--delimiter C]\n"
	"                       [--sheet NAME]\n"
	"                       [--progress | --no-progress] [file ...]\n"
	"\n"
	"Reads CompraNet CSV exports of any era, OCDS JSON (packages, records,\n"
	"releases, JSON Lines), canonical records, or any layout through\n"
	"--mapping, also gzip, zstd, xz, bzip2, zip (each member a source,\n"
	"ARCHIVE:MEMBER) and xlsx, and writes canonical records (see\n"
	"licit-schema(5)) or OCDS compiled releases. No row is dropped:\n"
	"every problem goes to the issues file and is counted on stderr.\n"
	"\n"
	"  -o, --output FILE       write here (atomically) instead of stdout\n"
	"  --issues FILE           problems as CSV: source,line,record,field,value,problem\n"
	"  --format csv|jsonl|ocds output format (default csv); ocds: compiled\n"
	"                          releases as JSON Lines, one per ocid\n"
	"  --layout L              compranet, canonical, ocds or mapping: force the\n"
	"                          input layout instead of detecting it\n"
	"  --mapping FILE          map another layout's columns (licit-normalise(1))\n"
	"  --proc-types FILE       CSV pattern,type replacing the procedure-type table\n"
	"  --rates FILE            CSV date,currency,rate (MXN per unit) for amount_mxn\n"
	"  --kind K                contracts (default) or protests: protest registers\n"
	"                          (inconformidades) to canonical protest records\n"
	"  --protest-values FILE   CSV field,value,canonical consulted before the\n"
	"                          protest value table (licit-bidprotest-stats(1))\n"
	"  --ocid-prefix P         ocid = P + procedure_id when the source has none\n"
	"  --default-law LAW       law of an exception that names none (LAASSP)\n"
	"  --multi-amount M        several amounts in a cell: empty (default), first, sum\n"
	"  --input-format F        auto (default), csv, tsv, jsonl, ocds\n"
	"  --encoding E            auto (default), utf-8, latin1, cp1252\n"
	"  --delimiter C           CSV delimiter (default: detected)\n"
	"  --sheet NAME            xlsx input: the sheet to read (default: the first)\n"
	"  --threads N             normalise on N threads (default: the cores): the\n"
	"                          same output for every N\n"
	"  --memory SIZE           OCDS JSON Lines: budget for grouping by ocid (32M)\n"
	"  --root-path PATH        JSON: the OCDS data is at PATH in each document\n"
	"  --progress, --no-progress, --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done (problems are not failures), 1 unreadable input or\n"
	"write error, 2 usage error.\n";

enum { OPT_ISSUES = OPT_TOOL, OPT_MAPPING, OPT_PROCTYPES, OPT_RATES,
       OPT_OCID_PREFIX, OPT_DEFAULT_LAW, OPT_MULTI, OPT_KIND, OPT_PROTEST_VALUES,
       OPT_LAYOUT, OPT_SHEET };

struct run {
	struct cli cli;
	struct licit_writer *issues;
	const char *source;
	long line, recno;
	long long problems;
	long long by_field[LICIT_NFIELDS + 1]; /* +1: not about one field */
	struct licit_protest_normaliser *protests; /* --kind protests */
	struct licit_ocds_writer *ocds;            /* --format ocds */
	long long by_pfield[LICIT_P_NFIELDS];
	struct licit_normaliser *n;
	FILE *f;                /* the output */
	struct licit_writer *w; /* its rows (not --format ocds) */
	long long rows, before; /* this file's rows; problems before it */
	int files;
	struct licit_norm_pool *pool; /* --threads N > 1: normalising on N threads */
	int write_failed;             /* the pool's write of records failed */
	/* --shard I/N: a row's problems held until its shard is known */
	struct held { const char *field, *value, *text; } *held;
	size_t nheld, capheld;
	struct licit_arena held_text;
};

static void count_problem(struct run *r, const char *field)
{
	int f = licit_field_lookup(field);
	int pf = r->protests ? licit_protest_field_lookup(field) : -1;
	r->problems++;
	if (pf >= 0)
		r->by_pfield[pf]++;
	else
		r->by_field[f >= 0 ? f : LICIT_NFIELDS]++;
}

static void write_issue(struct run *r, const char *source, long line, long recno,
                        const char *field, const char *value, const char *text)
{
	count_problem(r, field);
	if (!r->issues)
		return;
	char l[24], n[24];
	snprintf(l, sizeof l, "%ld", line);
	snprintf(n, sizeof n, "%ld", recno);
	const char *v[] = {source, l, recno ? n : "", field, value, text};
	licit_writer_row(r->issues, v, NULL);
}

/* A problem of the row being read: a row of --issues. */
static void on_problem(void *ctx, const struct licit_diag *d)
{
	struct run *r = ctx;
	if (r->cli.shard_n) { /* held until the row's shard is known */
		const char *t[3] = {d->field ? d->field : "", d->value ? d->value : "", d->text};
		char *c[3];
		for (int i = 0; i < 3; i++)
			c[i] = licit_arena_strndup(&r->held_text, t[i], strlen(t[i]));
		if (c[0] && c[1] && c[2] && LICIT_GROW(r->held, r->capheld, r->nheld + 1) == LICIT_OK) {
			r->held[r->nheld++] = (struct held){c[0], c[1], c[2]};
			return;
		}
		/* out of memory: the problem is told at once rather than lost */
	}
	write_issue(r, r->source, r->line, r->recno, d->field ? d->field : "",
	            d->value ? d->value : "", d->text);
}

/* A problem outside any row. */
static void on_note(void *ctx, const struct licit_diag *d)
{
	struct run *r = ctx;
	/* about the header: a warning as in every tool, and an issue */
	if (strncmp(d->text, "duplicate column name", 21) == 0 && !r->cli.quiet)
		cli_warn(&r->cli, "%s:%ld: %s", d->source, d->line, d->text);
	write_issue(ctx, d->source, d->line, 0, d->field ? d->field : "",
	            d->value ? d->value : "", d->text);
}

static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	run->files++;
	if ((run->protests ? licit_protest_normaliser_bind(run->protests, r, cli_diag, &run->cli, err)
	                   : licit_normaliser_bind(run->n, r, cli_diag, &run->cli, err)) != LICIT_OK)
		return LICIT_ERR;
	run->source = licit_reader_source(r);
	run->rows = 0;
	return LICIT_OK;
}

/* ---- on threads (licit/normalise/pool.h): results in input order ---- */

static void pool_problem(void *ctx, const struct licit_diag *d, long recno)
{
	struct run *r = ctx;
	write_issue(r, r->source, d->line, recno, d->field ? d->field : "", d->value ? d->value : "",
	            d->text);
}

static int pool_bytes(void *ctx, const char *p, size_t n)
{
	struct run *r = ctx;
	if (licit_writer_records(r->w, p, n) == LICIT_OK)
		return LICIT_OK;
	r->write_failed = 1;
	return LICIT_ERR;
}

static void pool_read(void *ctx, const struct licit_reader *r)
{
	(void)ctx;
	cli_tick(r);
}

/* open() that reads the whole input through the pool */
static int pool_file(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	run->files++;
	if (licit_norm_pool_bind(run->pool, r, cli_diag, &run->cli, err) != LICIT_OK)
		return LICIT_ERR;
	run->source = licit_reader_source(r);
	const struct licit_norm_sink sink = {pool_problem, pool_bytes, pool_read, run};
	if (licit_norm_pool_run(run->pool, r, run->source, &sink, &run->rows, err) == LICIT_OK)
		return LICIT_OK;
	if (run->write_failed)
		return cli_output_error(&run->cli, run->f, err);
	return LICIT_ERR;
}

/* --shard I/N: 1 when the record is in the shard (licit/record/shard.h) */
static int in_shard(void *ctx, const char *const *out)
{
	const struct cli *c = ctx;
	return licit_shard_of_values(&c->shard_key, out, c->shard_n) == c->shard_i;
}

/* The held problems of the row just normalised: told when it is kept. */
static void release_held(struct run *run, int keep)
{
	for (size_t i = 0; keep && i < run->nheld; i++)
		write_issue(run, run->source, run->line, run->recno, run->held[i].field,
		            run->held[i].value, run->held[i].text);
	run->nheld = 0;
	licit_arena_reset(&run->held_text);
}

static int one_row(void *ctx, struct licit_reader *r, const struct licit_row *row,
                   struct licit_error *err)
{
	(void)r;
	struct run *run = ctx;
	run->line = row->line;
	run->recno = row->recno;
	licit_row_diags(row, run->source, on_problem, run);
	const char *const *out;
	if ((run->protests ? licit_protest_normaliser_row(run->protests, row, run->source, &out,
	                                                  on_problem, run, err)
	                   : licit_normaliser_row(run->n, row, run->source, &out, on_problem, run,
	                                          err)) != LICIT_OK)
		return LICIT_ERR;
	if (run->cli.shard_n) {
		int keep = in_shard(&run->cli, out);
		release_held(run, keep);
		if (!keep)
			return LICIT_OK;
	}
	if (run->ocds) {
		if (licit_ocds_writer_row(run->ocds, out, err) != LICIT_OK)
			return LICIT_ERR;
	} else if (licit_writer_row(run->w, out, NULL) != LICIT_OK) {
		return cli_output_error(&run->cli, run->f, err);
	}
	run->rows++;
	return LICIT_OK;
}

static int file_done(void *ctx, struct licit_reader *r, struct licit_error *err)
{
	(void)err;
	struct run *run = ctx;
	cli_count(LICIT_ROWS_WRITTEN, run->rows);
	if (run->cli.quiet)
		return LICIT_OK;
	fprintf(stderr, "%s: %s: %lld row%s (%s), %lld problem%s\n", run->cli.prog, run->source,
	        run->rows, cli_s(run->rows),
	        run->protests ? "protests"
	        : run->pool   ? licit_norm_pool_layout(run->pool)
	                      : licit_normaliser_layout(run->n),
	        run->problems - run->before, cli_s(run->problems - run->before));
	run->before = run->problems; /* the next file's notes at open included */
	long long recoded = licit_reader_recoded(r);
	if (recoded)
		cli_warn(&run->cli, "%s: %lld value%s not UTF-8 and %s read as %s", run->source,
		         recoded, recoded == 1 ? " was" : "s were", recoded == 1 ? "was" : "were",
		         run->cli.in.encoding == LICIT_ENC_LATIN1 ? "Latin-1" : "Windows-1252");
	return LICIT_OK;
}

static void summary(const struct run *run, int files)
{
	if (run->cli.quiet || !run->problems)
		return;
	fprintf(stderr, "%s: %d file%s, %lld problem%s:", run->cli.prog, files,
	        cli_s(files), run->problems, cli_s(run->problems));
	for (int f = 0; f <= LICIT_NFIELDS; f++)
		if (run->by_field[f])
			fprintf(stderr, " %s %lld", f < LICIT_NFIELDS ? licit_field_name(f) : "row",
			        run->by_field[f]);
	for (int f = 0; f < LICIT_P_NFIELDS; f++)
		if (run->by_pfield[f])
			fprintf(stderr, " %s %lld", licit_protest_field_names(NULL)[f],
			        run->by_pfield[f]);
	fputs(run->issues ? "\n" : " (--issues FILE lists them)\n", stderr);
}

int licit_cmd_normalise(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"issues", required_argument, NULL, OPT_ISSUES},
		{"mapping", required_argument, NULL, OPT_MAPPING},
		{"proc-types", required_argument, NULL, OPT_PROCTYPES},
		{"rates", required_argument, NULL, OPT_RATES},
		{"ocid-prefix", required_argument, NULL, OPT_OCID_PREFIX},
		{"default-law", required_argument, NULL, OPT_DEFAULT_LAW},
		{"multi-amount", required_argument, NULL, OPT_MULTI},
		{"kind", required_argument, NULL, OPT_KIND},
		{"protest-values", required_argument, NULL, OPT_PROTEST_VALUES},
		{"layout", required_argument, NULL, OPT_LAYOUT},
		{"sheet", required_argument, NULL, OPT_SHEET},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	struct licit_norm_opts no = {0};
	const char *issues_path = NULL, *protest_values = NULL;
	int kind_protests = 0, ocds = 0;
	cli_init(&run.cli, argv[0], usage);
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == OPT_FORMAT) {
			/* ocds, compiled releases: this tool's output only */
			ocds = cli_format(&run.cli, optarg, "ocds");
			continue;
		}
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_ISSUES: issues_path = optarg; break;
		case OPT_MAPPING: no.mapping_path = optarg; break;
		case OPT_PROCTYPES: no.proctypes_path = optarg; break;
		case OPT_RATES: no.rates_path = optarg; break;
		case OPT_OCID_PREFIX: no.ocid_prefix = optarg; break;
		case OPT_DEFAULT_LAW: no.default_law = optarg; break;
		case OPT_PROTEST_VALUES: protest_values = optarg; break;
		case OPT_SHEET: run.cli.in.sheet = optarg; break;
		case OPT_LAYOUT:
			if (strcmp(optarg, "compranet") && strcmp(optarg, "canonical") &&
			    strcmp(optarg, "ocds") && strcmp(optarg, "mapping"))
				cli_usage(&run.cli, "--layout: '%s' is not compranet, canonical, "
				          "ocds or mapping", optarg);
			no.layout = optarg;
			break;
		case OPT_KIND:
			if (strcmp(optarg, "protests") == 0)
				kind_protests = 1;
			else if (strcmp(optarg, "contracts") != 0)
				cli_usage(&run.cli, "--kind: '%s' is not contracts or protests", optarg);
			break;
		case OPT_MULTI:
			if (strcmp(optarg, "empty") == 0)
				no.multi_amount = LICIT_MULTI_EMPTY;
			else if (strcmp(optarg, "first") == 0)
				no.multi_amount = LICIT_MULTI_FIRST;
			else if (strcmp(optarg, "sum") == 0)
				no.multi_amount = LICIT_MULTI_SUM;
			else
				cli_usage(&run.cli, "--multi-amount: '%s' is not empty, first or sum",
				          optarg);
			break;
		}
	}
	if (!no.ocid_prefix)
		no.ocid_prefix = "compranet-";
	if (no.layout && strcmp(no.layout, "mapping") == 0) {
		if (!no.mapping_path)
			cli_usage(&run.cli, "--layout mapping needs --mapping FILE");
		no.layout = NULL; /* a mapping file always binds */
	} else if (no.layout && no.mapping_path) {
		cli_usage(&run.cli, "--layout %s and --mapping: choose one", no.layout);
	}
	if (no.layout && strcmp(no.layout, "ocds") == 0 &&
	    run.cli.in.format == LICIT_FMT_AUTO)
		run.cli.in.format = LICIT_FMT_OCDS;
	if (no.layout && kind_protests)
		cli_usage(&run.cli, "--layout is for --kind contracts");
	if (ocds && kind_protests)
		cli_usage(&run.cli, "--format ocds is for --kind contracts");
	if (protest_values && !kind_protests)
		cli_usage(&run.cli, "--protest-values needs --kind protests");
	if (run.cli.shard_n && kind_protests)
		cli_usage(&run.cli, "--shard is for contracts (canonical records), not --kind protests");
	run.cli.shard_self = 1; /* --shard keeps the records made, not the rows read */
	licit_arena_init(&run.held_text, 4096);
	cli_open_inputs(&run.cli, argc, argv, 1);
	const struct cli_file outs[] = {{"-o", run.cli.output}, {"--issues", issues_path}};
	const struct cli_file ins[] = {{"--mapping", no.mapping_path},
	                               {"--proc-types", no.proctypes_path},
	                               {"--rates", no.rates_path},
	                               {"--protest-values", protest_values}};
	struct cli_file given[4];
	size_t ngiven = 0;
	for (size_t i = 0; i < 4; i++)
		if (ins[i].path)
			given[ngiven++] = ins[i];
	cli_check_files(&run.cli, outs, issues_path ? 2 : 1, given, ngiven, run.cli.paths,
	                run.cli.npaths);

	struct licit_error err;
	licit_error_clear(&err);
	struct licit_normaliser *n = licit_normaliser_new(&no, &err);
	if (n && kind_protests &&
	    !(run.protests = licit_protest_normaliser_new(protest_values, &err))) {
		licit_normaliser_free(n);
		n = NULL;
	}
	if (!n) {
		cli_error(&run.cli, &err);
		return EXIT_DATA;
	}
	run.n = n;
	static const char *const issue_cols[] = {"source", "line", "record", "field",
	                                         "value", "problem"};
	size_t nout = LICIT_NFIELDS;
	const char *const *outnames =
		run.protests ? licit_protest_field_names(&nout) : licit_field_names();
	int status = EXIT_OK;
	FILE *fi = NULL;
	if (!(run.f = cli_output(&run.cli, "-o", run.cli.output, &err)) ||
	    (issues_path && (!(fi = cli_output(&run.cli, "--issues", issues_path, &err)) ||
	                     !(run.issues = cli_writer(&run.cli, fi, LICIT_FMT_CSV, issue_cols,
	                                               6, &err)))) ||
	    (ocds ? !(run.ocds = licit_ocds_writer_new(run.f, run.cli.in.memory))
	          : !(run.w = cli_writer(&run.cli, run.f, -1, outnames, nout, &err)))) {
		if (!err.text[0]) /* the OCDS writer says nothing more */
			licit_error_set(&err, NULL, 0, NULL, "out of memory");
		status = EXIT_DATA;
	}
	run.cli.in.note = on_note;
	run.cli.in.note_ctx = &run;
	run.cli.in.report_recoded = 1; /* each one a row of --issues */
	/* contracts to CSV, TSV or JSON Lines: on threads */
	if (status == EXIT_OK && run.w && !run.protests && run.cli.threads > 1 &&
	    !(run.pool = licit_norm_pool_new(&no, run.cli.threads, run.cli.out_format, outnames,
	                                     nout, &err)))
		status = EXIT_DATA;
	if (run.pool && run.cli.shard_n)
		licit_norm_pool_keep(run.pool, in_shard, &run.cli);
	const struct cli_hooks hooks = {.open = run.pool ? pool_file : bind,
	                                .row = run.pool ? NULL : one_row, .done = file_done,
	                                .ctx = &run};
	if (status == EXIT_OK && cli_pass(&run.cli, &hooks, &err) != LICIT_OK)
		status = EXIT_DATA;
	if (status != EXIT_OK)
		cli_error(&run.cli, &err);
	summary(&run, run.files);
	cli_count(LICIT_ROWS_PROBLEMS, run.problems);
	if (status == EXIT_OK && run.ocds) {
		struct licit_ocds_writer *o = run.ocds;
		run.ocds = NULL;
		if (licit_ocds_writer_close(o, &err) != LICIT_OK) {
			if (strncmp(err.text, "write error", 11) == 0)
				cli_write_error(&err, run.cli.output);
			cli_error(&run.cli, &err);
			status = EXIT_DATA;
		}
	}
	if (status == EXIT_OK && cli_commit(&run.cli, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
	licit_ocds_writer_discard(run.ocds);
	cli_abort(&run.cli);
	licit_norm_pool_free(run.pool);
	free(run.held);
	licit_arena_fini(&run.held_text);
	licit_normaliser_free(n);
	licit_protest_normaliser_free(run.protests);
	return status;
}
