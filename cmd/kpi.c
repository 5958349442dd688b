/* licit kpi: procurement KPIs (mix, competition, concentration, timing) per group */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/kpi/kpi.h"
#include "licit/core/stats.h"

static const char usage[] =
	"usage: licit kpi [-q] [-o FILE] [-j N] [--by FIELD,...] [--kpis KPI,...] [--total]\n"
	"                 [--long] [--percent] [--date FIELD] [--cap X]\n"
	"                 [--reference FILE] [--include-test] [--format csv|tsv|jsonl]\n"
	"                 [--input-format F] [--encoding E] [--delimiter C]\n"
	"                 [--progress | --no-progress] [--partial] [file ...]\n"
	"       licit kpi --merge [options] PARTIAL ...\n"
	"\n"
	"Reads canonical contract records (licit normalise output) and writes one\n"
	"row of procurement KPIs per group. Formulas: licit-kpi(1).\n"
	"\n"
	"  --by FIELD,...     group by these columns and/or year, quarter, month\n"
	"                     (default: one row for everything)\n"
	"  --kpis KPI,...     these KPIs, in this order (default: the 24 standard ones,\n"
	"                     + savings_amount,savings_rate with --reference)\n"
	"  --total            add a final row over all groups, group fields = ALL\n"
	"  --long             one row per group and KPI: kpi,value,numerator,denominator\n"
	"  --percent          shares and rates as percentages (default: fractions)\n"
	"  --date FIELD       date for year/quarter/month (default signed_date,\n"
	"                     else award_date, else start_date)\n"
	"  --cap X            direct_over_cap threshold, a fraction (default 0.30)\n"
	"  --reference FILE   CSV contract_id|ocid|procedure_id...,reference_amount\n"
	"  --include-test     count rows marked test=1 (left out by default)\n"
	"  --partial          write each group's state (a partial file), not KPIs\n"
	"  --merge            read partial files (same --by, --kpis, --date, --cap,\n"
	"                     --reference, --include-test) and write their KPIs\n"
	"  -j, --jobs N       read a CSV file as N jobs at once (default: --threads,\n"
	"                     when the file is big enough); the same output\n"
	"  -o, --output FILE  write here (atomically) instead of stdout\n"
	"  --format F         csv (default), tsv, jsonl, xlsx (needs -o FILE)\n"
	"  --input-format F, --encoding E, --delimiter C, --progress, --no-progress,\n"
	"  --safe-csv, --manifest FILE, -q/--quiet, --help, --version\n"
	"\n"
	"KPIs: contracts procedures amount suppliers share_open_count\n"
	"share_open_amount share_selective_count share_selective_amount\n"
	"share_limited_count share_limited_amount share_direct_count\n"
	"share_direct_amount mean_tenderers median_tenderers single_bid_rate\n"
	"few_bidders_rate top_supplier top_supplier_share hhi median_days_tender\n"
	"median_days_to_award median_days_to_sign share_signed_before_published\n"
	"direct_over_cap savings_amount savings_rate currency amount_contracts\n"
	"\n"
	"Exit status: 0 done (warnings are not failures), 1 unreadable input,\n"
	"missing group column, bad reference file or write error, 2 usage error.\n";

enum { OPT_BY = OPT_TOOL, OPT_KPIS, OPT_TOTAL, OPT_LONG, OPT_PERCENT, OPT_DATE,
       OPT_CAP, OPT_REFERENCE, OPT_INCLUDE_TEST, OPT_PARTIAL, OPT_MERGE };

/* at most this many value problems are shown one by one */
#define SHOW_PROBLEMS 10

struct run {
	struct cli cli;
	long shown_left; /* value problems still to show */
};

/* one job's engine and its count of value problems */
struct job {
	struct run *run;
	int w;
	struct licit_kpi *k;
	long long problems;
};

/* kpi's diagnostics: a value that cannot be used is shown (the first
 * SHOW_PROBLEMS of them, in input order across the jobs) as
 * "file:line: field: 'value' why"; the others as they come */
static void on_diag(void *ctx, const struct licit_diag *d)
{
	struct job *j = ctx;
	struct run *r = j->run;
	if (d->value)
		j->problems++;
	/* a missing column is told by job 0, which reads every input too */
	if (r->cli.quiet || (!d->value && j->w > 0))
		return;
	if (d->value)
		cli_warn_limited(&r->cli, &r->shown_left, "%s:%ld: %s: '%.80s' %s", d->source,
		                 d->line, d->field, d->value, d->text);
	else if (d->source)
		cli_warn(&r->cli, "%s: %s", d->source, d->text);
	else
		cli_warn(&r->cli, "%s", d->text);
}

static int emit(void *ctx, const char *const *values)
{
	cli_count(LICIT_ROWS_WRITTEN, 1);
	return licit_writer_row(ctx, values, NULL) == LICIT_OK ? 0 : -1;
}

static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	return licit_kpi_bind(((struct job *)ctx)->k, r, err);
}

static int add(void *ctx, struct licit_reader *r, const struct licit_row *row,
               struct licit_error *err)
{
	(void)r;
	return licit_kpi_add(((struct job *)ctx)->k, row, err);
}

/* The rows' pass, by run->cli.jobs jobs (one engine each): the later
 * jobs' engines are then merged, in input order, into job 0's. */
static int read_rows(struct run *run, struct job *jobs, struct licit_error *err)
{
	int n = run->cli.jobs;
	void **ctx = malloc((size_t)n * sizeof *ctx);
	if (!ctx)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (int w = 0; w < n; w++)
		ctx[w] = &jobs[w];
	const struct cli_hooks hooks = {.open = bind, .row = add};
	const struct cli_jobs cj = {.ctx = ctx};
	int rc = cli_pass_jobs(&run->cli, &hooks, &cj, err);
	free(ctx);
	for (int w = 1; rc == LICIT_OK && w < n; w++)
		rc = licit_kpi_absorb(jobs[0].k, jobs[w].k, n, err);
	return rc;
}

static int write_out(struct run *run, struct licit_kpi *k, struct licit_error *err)
{
	FILE *f = cli_output(&run->cli, "-o", run->cli.output, err);
	const char *const *names;
	size_t n = licit_kpi_columns(k, &names);
	struct licit_writer *w = f ? cli_writer(&run->cli, f, -1, names, n, err) : NULL;
	if (!w)
		return LICIT_ERR;
	/* figures are JSON numbers in JSON Lines; group values and names stay text */
	for (size_t i = licit_kpi_ngroup_columns(k); i < n; i++)
		licit_writer_set_numeric(w, i, licit_kpi_column_numeric(k, i));
	if (licit_kpi_write(k, emit, w) != 0)
		return cli_output_error(&run->cli, f, err);
	return cli_commit(&run->cli, err);
}

/* --partial: the rows' per-group state instead of the KPIs (k: read by
 * read_rows) */
static int write_partial(struct run *run, struct licit_kpi *k, struct licit_error *err)
{
	FILE *f = cli_output(&run->cli, "-o", run->cli.output, err);
	if (!f || licit_kpi_partial_write(k, f, err) != LICIT_OK)
		return LICIT_ERR;
	if (ferror(f))
		return cli_output_error(&run->cli, f, err);
	return cli_commit(&run->cli, err);
}

static int merge_one(void *k, FILE *f, const char *name, struct licit_error *err)
{
	return licit_kpi_merge(k, f, name, err);
}

/* --merge: the file operands are partial files */
static int merge_partials(struct run *run, struct licit_kpi *k, struct licit_error *err)
{
	for (int i = 0; i < run->cli.npaths; i++)
		if (cli_with_file(run->cli.paths[i], merge_one, k, err) != LICIT_OK)
			return LICIT_ERR;
	if (licit_kpi_finish(k, err) != LICIT_OK)
		return LICIT_ERR;
	return write_out(run, k, err);
}

static int *parse_kpis(struct run *run, const char *arg, size_t *n)
{
	char **names;
	int k = cli_split(arg, &names);
	if (k < 0) {
		cli_warn(&run->cli, "out of memory");
		exit(EXIT_DATA);
	}
	int *ids = malloc((size_t)k * sizeof *ids);
	if (!ids) {
		cli_warn(&run->cli, "out of memory");
		exit(EXIT_DATA);
	}
	for (int i = 0; i < k; i++) {
		ids[i] = licit_kpi_lookup(names[i]);
		if (ids[i] < 0)
			cli_usage(&run->cli, "--kpis: unknown KPI '%s' (the list is in --help)",
			          names[i]);
		for (int j = 0; j < i; j++)
			if (ids[j] == ids[i])
				cli_usage(&run->cli, "--kpis: '%s' given twice", names[i]);
	}
	free(names[0]);
	free(names);
	*n = (size_t)k;
	return ids;
}

int licit_cmd_kpi(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"by", required_argument, NULL, OPT_BY},
		{"kpis", required_argument, NULL, OPT_KPIS},
		{"total", no_argument, NULL, OPT_TOTAL},
		{"long", no_argument, NULL, OPT_LONG},
		{"percent", no_argument, NULL, OPT_PERCENT},
		{"date", required_argument, NULL, OPT_DATE},
		{"cap", required_argument, NULL, OPT_CAP},
		{"reference", required_argument, NULL, OPT_REFERENCE},
		{"include-test", no_argument, NULL, OPT_INCLUDE_TEST},
		{"partial", no_argument, NULL, OPT_PARTIAL},
		{"merge", no_argument, NULL, OPT_MERGE},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	struct licit_kpi_opts ko = {0};
	char **by = NULL;
	int *kpis = NULL, merge = 0;
	ko.cap = -1;
	cli_init(&run.cli, argv[0], usage);
	run.cli.in.csv_ahead = 1; /* CSV parsed on a second thread (--threads) */
	run.cli.xlsx = 1;
	run.cli.jobs_ok = 1;
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_BY: {
			if (by) {
				free(by[0]);
				free(by);
			}
			int n = cli_split(optarg, &by);
			if (n < 0) {
				cli_warn(&run.cli, "out of memory");
				return EXIT_DATA;
			}
			for (int i = 0; i < n; i++) {
				if (!by[i][0])
					cli_usage(&run.cli, "--by: empty field name in '%s'", optarg);
				for (int j = 0; j < i; j++)
					if (strcmp(by[i], by[j]) == 0)
						cli_usage(&run.cli, "--by: '%s' given twice", by[i]);
			}
			ko.by = (const char *const *)by;
			ko.nby = (size_t)n;
			break;
		}
		case OPT_KPIS:
			free(kpis);
			kpis = parse_kpis(&run, optarg, &ko.nkpis);
			ko.kpis = kpis;
			break;
		case OPT_TOTAL: ko.total = 1; break;
		case OPT_LONG: ko.long_form = 1; break;
		case OPT_PERCENT: ko.percent = 1; break;
		case OPT_DATE:
			if (!optarg[0])
				cli_usage(&run.cli, "--date: empty field name");
			ko.date_field = optarg;
			break;
		case OPT_CAP:
			if (licit_parse_number(optarg, &ko.cap) != 0 || ko.cap < 0 || ko.cap > 1)
				cli_usage(&run.cli, "--cap: '%s' is not a fraction between 0 and 1",
				          optarg);
			break;
		case OPT_REFERENCE: ko.reference_path = optarg; break;
		case OPT_INCLUDE_TEST: ko.include_test = 1; break;
		case OPT_PARTIAL: ko.partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		}
	}
	for (size_t i = 0; kpis && i < ko.nkpis; i++)
		if ((licit_kpi_flags(kpis[i]) & LICIT_KPI_REFERENCE) && !ko.reference_path)
			cli_usage(&run.cli, "--kpis: %s needs --reference FILE",
			          licit_kpi_name(kpis[i]));
	/* an option that would change nothing is refused, not ignored */
	int cap_used = !kpis, dated = 0;
	for (size_t i = 0; kpis && i < ko.nkpis; i++)
		cap_used |= (licit_kpi_flags(kpis[i]) & LICIT_KPI_CAP) != 0;
	if (ko.cap >= 0 && !cap_used)
		cli_usage(&run.cli, "--cap: --kpis has no direct_over_cap");
	for (size_t i = 0; i < ko.nby; i++)
		dated |= licit_kpi_is_derived(ko.by[i]);
	if (ko.date_field && !dated)
		cli_usage(&run.cli, "--date: --by has no year, quarter or month");
	if (ko.partial && merge)
		cli_usage(&run.cli, "--partial and --merge: one or the other");
	if (ko.partial && (ko.total || ko.long_form || ko.percent))
		cli_usage(&run.cli, "--partial: --total, --long and --percent apply at --merge");
	if (merge && (run.cli.shard_n || optind >= argc))
		cli_usage(&run.cli, run.cli.shard_n ? "--merge reads partial files: no --shard"
		                                    : "--merge: no partial file");

	cli_open_inputs(&run.cli, argc, argv, 1);
	const struct cli_file out = {"-o", run.cli.output}, ref = {"--reference", ko.reference_path};
	cli_check_files(&run.cli, &out, 1, &ref, ko.reference_path ? 1 : 0, run.cli.paths,
	                run.cli.npaths);
	struct licit_error err;
	licit_error_clear(&err);
	ko.diag = on_diag;
	ko.threads = run.cli.threads;
	run.shown_left = SHOW_PROBLEMS;
	/* one engine per job: the later ones keep their state as a partial
	 * run does, and read_rows merges it into job 0's. Without -j, KPIs
	 * that keep distinct keys are read by one job (its groups updated on
	 * a second thread): merging those keys would cost what the second
	 * job saves. */
	int njobs = merge ? 1 : run.cli.jobs;
	struct job *jobs = calloc((size_t)njobs, sizeof *jobs);
	if (!jobs) {
		cli_warn(&run.cli, "out of memory");
		return EXIT_DATA;
	}
	struct licit_kpi *k = NULL;
	int status = EXIT_OK;
	for (int w = 0; w < njobs && status == EXIT_OK; w++) {
		struct licit_kpi_opts o = ko;
		o.diag_ctx = &jobs[w];
		if (w > 0) { /* its state goes to job 0's engine */
			o.partial = 1;
			o.threads = 1;
		}
		jobs[w].run = &run;
		jobs[w].w = w;
		if (!(jobs[w].k = licit_kpi_new(&o, &err)))
			status = EXIT_DATA;
		else if (w == 0 && !merge && !run.cli.jobs_given && licit_kpi_keeps_keys(jobs[0].k))
			njobs = run.cli.jobs = 1;
	}
	if (status != EXIT_OK) {
		cli_error(&run.cli, &err);
		goto done;
	}
	k = jobs[0].k;
	if (merge) {
		status = merge_partials(&run, k, &err) == LICIT_OK ? EXIT_OK : EXIT_DATA;
		if (status != EXIT_OK)
			cli_error(&run.cli, &err);
		goto done;
	}
	if (read_rows(&run, jobs, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
		goto done;
	}
	long long problems = 0;
	for (int w = 0; w < njobs; w++)
		problems += jobs[w].problems;
	if (ko.partial) {
		if (write_partial(&run, k, &err) != LICIT_OK) {
			cli_error(&run.cli, &err);
			status = EXIT_DATA;
		}
		goto done;
	}
	if (problems > SHOW_PROBLEMS && !run.cli.quiet)
		cli_warn(&run.cli, "%lld values could not be used (the first %d shown; "
		         "counts per field follow)", problems, SHOW_PROBLEMS);
	if (licit_kpi_finish(k, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
	if (status == EXIT_OK && !run.cli.quiet) {
		long long undated = licit_kpi_undated(k);
		if (undated)
			cli_warn(&run.cli, "%lld row%s no valid %s: year, quarter and month left "
			         "empty (--date FIELD picks another date)", undated,
			         undated == 1 ? " has" : "s have",
			         ko.date_field ? ko.date_field : "signed_date, award_date or start_date");
		long long skipped = licit_kpi_skipped(k);
		if (skipped)
			cli_warn(&run.cli, "%lld test row%s (test=1) left out; --include-test "
			         "counts them", skipped, skipped == 1 ? "" : "s");
	}
	if (status == EXIT_OK && write_out(&run, k, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
	cli_count(LICIT_ROWS_PROBLEMS, problems);
	cli_count(LICIT_ROWS_SKIPPED, licit_kpi_skipped(k));
done:
	cli_abort(&run.cli);
	for (int w = 0; w < njobs; w++)
		licit_kpi_free(jobs[w].k);
	free(jobs);
	if (by) {
		free(by[0]);
		free(by);
	}
	free(kpis);
	return status;
}
