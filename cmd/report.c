/* licit report: one self-contained HTML page of KPIs, red flags, bid protests and data quality, every figure traceable */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/core/stats.h"
#include "licit/flags/flags.h"
#include "licit/kpi/kpi.h"
#include "licit/report/page.h"
#include "licit/report/report.h"

static const char usage[] =
	"usage: licit report [-q] [-o FILE] [--by FIELD,...] [--lang es|en] [--rows N]\n"
	"                    [--flags [--settings FILE] [--data-dir DIR]]\n"
	"                    [--protests FILE --procedures FILE] [--issues FILE]\n"
	"                    [--removed FILE] [--manifest FILE] [--input-format F]\n"
	"                    [--encoding E]\n"
	"                    [--delimiter C] [file ...]\n"
	"\n"
	"Reads canonical contract records (licit normalise output, after licit\n"
	"dedupe) and writes one self-contained HTML page: procedure mix, direct\n"
	"awards against the 30% reference, competition, concentration, red flags,\n"
	"bid protests and data quality, each figure with its numerator,\n"
	"denominator and first rows, and the licit commands that reproduce it.\n"
	"\n"
	"  --by FIELD,...     the grouping, as licit kpi --by (default entity_id,year)\n"
	"  --lang es|en       the page's language (default: from LC_ALL, LC_MESSAGES, LANG)\n"
	"  --rows N           rows kept behind each figure (default 5)\n"
	"  --flags            run the Mexico rules of licit flags (a second pass)\n"
	"  --settings FILE    their settings (licit-flags(1)); --data-dir DIR their tables\n"
	"  --protests FILE    canonical protests (licit normalise --kind protests)\n"
	"  --procedures FILE  the procedures the protest rates divide by (records)\n"
	"  --issues FILE      licit normalise --issues output: problems by field\n"
	"  --removed FILE     licit dedupe --removed output: duplicates removed by rule\n"
	"  --manifest FILE    write the run's manifest there, and show it in the page\n"
	"  -o, --output FILE  write here (atomically) instead of stdout\n"
	"  --threads N, --input-format F, --encoding E, --delimiter C, --progress,\n"
	"  --no-progress, --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 unreadable input, missing column, bad settings or\n"
	"write error, 2 usage error.\n";

enum { OPT_BY = OPT_TOOL, OPT_LANG, OPT_ROWS, OPT_FLAGS, OPT_SETTINGS, OPT_DATA_DIR,
       OPT_PROTESTS, OPT_PROCEDURES, OPT_ISSUES, OPT_REMOVED };

#define SHOW_PROBLEMS 10

struct run {
	struct cli cli;
	struct licit_report *rep;
	enum licit_report_side side;
	long long problems;
};

/* warnings: values that cannot be used, the first SHOW_PROBLEMS shown */
static void on_diag(void *ctx, const struct licit_diag *d)
{
	struct run *r = ctx;
	if (d->value && r->problems++ >= SHOW_PROBLEMS)
		return;
	cli_diag(&r->cli, d);
}

static int bind(void *ctx, struct licit_reader *rd, int input, struct licit_error *err)
{
	(void)input;
	return licit_report_bind(((struct run *)ctx)->rep, rd, err);
}

static int add(void *ctx, struct licit_reader *rd, const struct licit_row *row,
               struct licit_error *err)
{
	(void)rd;
	return licit_report_add(((struct run *)ctx)->rep, row, err);
}

static int bind2(void *ctx, struct licit_reader *rd, int input, struct licit_error *err)
{
	(void)input;
	return licit_report_bind2(((struct run *)ctx)->rep, rd, err);
}

static int flag(void *ctx, struct licit_reader *rd, const struct licit_row *row,
                struct licit_error *err)
{
	(void)rd;
	return licit_report_flag(((struct run *)ctx)->rep, row, err);
}

static int side_bind(void *ctx, struct licit_reader *rd, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	return licit_report_side_bind(run->rep, run->side, rd, err);
}

static int side_row(void *ctx, struct licit_reader *rd, const struct licit_row *row,
                    struct licit_error *err)
{
	(void)rd;
	return licit_report_side_row(((struct run *)ctx)->rep, row, err);
}

/* ---- the command lines that reproduce the page ---- */

struct line {
	char *s;
	size_t n, cap;
};

static void put(struct line *l, const char *s)
{
	size_t k = strlen(s);
	if (l->n + k + 1 > l->cap) {
		size_t cap = (l->n + k + 1) * 2;
		char *p = realloc(l->s, cap);
		if (!p) {
			fputs("licit-report: out of memory\n", stderr);
			exit(EXIT_DATA);
		}
		l->s = p;
		l->cap = cap;
	}
	memcpy(l->s + l->n, s, k + 1);
	l->n += k;
}

/* s as one shell word: as it is when it is safe, else in single quotes */
static void word(struct line *l, const char *s)
{
	put(l, " ");
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	                    "_-./,:=+@%") == strlen(s)) {
		put(l, s);
		return;
	}
	put(l, "'");
	for (const char *p = s; *p; p++) {
		char c[2] = {*p, 0};
		put(l, *p == '\'' ? "'\\''" : c);
	}
	put(l, "'");
}

static void words(struct line *l, char **v, int n)
{
	for (int i = 0; i < n; i++)
		word(l, v[i]);
}

struct opts {
	const char *by, *settings, *data_dir, *issues, *removed;
	char **protests, **procedures;
	int nprotests, nprocedures, flags;
};

static size_t commands(struct run *run, const struct opts *o, int argc, char **argv,
                       struct licit_report_cmd *cmds, struct line *lines)
{
	size_t n = 0;
	put(&lines[n], "licit kpi --long --total --by");
	word(&lines[n], o->by ? o->by : "entity_id,year");
	put(&lines[n], " --kpis ");
	for (int i = 0; i < 19; i++) {
		static const char *const k[] = {
			"contracts", "procedures", "amount", "suppliers", "share_open_count",
			"share_open_amount", "share_selective_count", "share_selective_amount",
			"share_limited_count", "share_limited_amount", "share_direct_count",
			"share_direct_amount", "mean_tenderers", "single_bid_rate", "top_supplier",
			"top_supplier_share", "hhi", "direct_over_cap", "currency"};
		put(&lines[n], i ? "," : "");
		put(&lines[n], k[i]);
	}
	words(&lines[n], run->cli.paths, run->cli.npaths);
	cmds[n] = (struct licit_report_cmd){LICIT_WHAT_KPI, lines[n].s};
	n++;
	if (o->flags) {
		put(&lines[n], "licit flags --summary");
		if (o->settings) {
			put(&lines[n], " --settings");
			word(&lines[n], o->settings);
		}
		if (o->data_dir) {
			put(&lines[n], " --data-dir");
			word(&lines[n], o->data_dir);
		}
		words(&lines[n], run->cli.paths, run->cli.npaths);
		put(&lines[n], " > /dev/null");
		cmds[n] = (struct licit_report_cmd){LICIT_WHAT_FLAGS, lines[n].s};
		n++;
	}
	if (o->nprotests) {
		put(&lines[n], "licit bidprotest-stats --long --total --by entity_id");
		for (int i = 0; i < o->nprocedures; i++) {
			put(&lines[n], " --procedures");
			word(&lines[n], o->procedures[i]);
		}
		words(&lines[n], o->protests, o->nprotests);
		cmds[n] = (struct licit_report_cmd){LICIT_WHAT_PROTESTS, lines[n].s};
		n++;
	}
	put(&lines[n], "licit report");
	words(&lines[n], argv + 1, argc - 1);
	cmds[n] = (struct licit_report_cmd){LICIT_WHAT_REPORT, lines[n].s};
	return n + 1;
}

/* ---- the run ---- */

static int read_side(struct run *run, enum licit_report_side side, char **paths, int n,
                     struct licit_error *err)
{
	const struct cli_hooks h = {.open = side_bind, .row = side_row, .ctx = run};
	run->side = side;
	return n ? cli_pass_files(&run->cli, paths, n, &h, err) : LICIT_OK;
}

static int build(struct run *run, const struct opts *o, struct licit_error *err)
{
	const struct cli_hooks h1 = {.open = bind, .row = add, .ctx = run},
	                       h2 = {.open = bind2, .row = flag, .ctx = run};
	if (cli_pass(&run->cli, &h1, err) != LICIT_OK)
		return LICIT_ERR;
	if (o->flags && (licit_report_settle(run->rep, err) != LICIT_OK ||
	                 cli_pass(&run->cli, &h2, err) != LICIT_OK))
		return LICIT_ERR;
	char *issues[] = {(char *)o->issues}, *removed[] = {(char *)o->removed};
	if (read_side(run, LICIT_SIDE_PROCEDURES, o->procedures, o->nprocedures, err) ||
	    read_side(run, LICIT_SIDE_PROTESTS, o->protests, o->nprotests, err) ||
	    read_side(run, LICIT_SIDE_ISSUES, issues, o->issues ? 1 : 0, err) ||
	    read_side(run, LICIT_SIDE_REMOVED, removed, o->removed ? 1 : 0, err))
		return LICIT_ERR;
	return licit_report_finish(run->rep, err);
}

static int write_page(struct run *run, const struct opts *o, enum licit_report_lang lang,
                      int argc, char **argv, struct licit_error *err)
{
	struct licit_report_cmd cmds[4];
	struct line lines[4] = {{0}};
	struct licit_report_page page = {
		.lang = lang, .version = LICIT_VERSION,
		.inputs = (const char *const *)run->cli.paths, .ninputs = (size_t)run->cli.npaths,
		.cmds = cmds,
	};
	page.ncmds = commands(run, o, argc, argv, cmds, lines);
	long long rows, test_rows;
	licit_report_counts(run->rep, &rows, &test_rows);
	cli_count(LICIT_ROWS_SKIPPED, test_rows);
	cli_count(LICIT_ROWS_PROBLEMS, run->problems);
	/* with --manifest, the manifest so far (inputs, tables, command, counts)
	 * goes in the page too; without, no input is hashed (SHA-256 of the
	 * records costs more than the report itself) */
	char *manifest = cli_manifest() ? cli_manifest_json(err) : NULL;
	if (cli_manifest() && !manifest) {
		for (int i = 0; i < 4; i++)
			free(lines[i].s);
		return LICIT_ERR;
	}
	page.manifest = manifest;
	page.manifest_len = manifest ? strlen(manifest) : 0;
	FILE *f = cli_output(&run->cli, "-o", run->cli.output, err);
	int rc = !f ? LICIT_ERR
	         : licit_report_write_html(run->rep, &page, f) != 0
	                 ? cli_output_error(&run->cli, f, err)
	                 : cli_commit(&run->cli, err);
	for (int i = 0; i < 4; i++)
		free(lines[i].s);
	free(manifest);
	return rc;
}

int licit_cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"by", required_argument, NULL, OPT_BY},
		{"lang", required_argument, NULL, OPT_LANG},
		{"rows", required_argument, NULL, OPT_ROWS},
		{"flags", no_argument, NULL, OPT_FLAGS},
		{"settings", required_argument, NULL, OPT_SETTINGS},
		{"data-dir", required_argument, NULL, OPT_DATA_DIR},
		{"protests", required_argument, NULL, OPT_PROTESTS},
		{"procedures", required_argument, NULL, OPT_PROCEDURES},
		{"issues", required_argument, NULL, OPT_ISSUES},
		{"removed", required_argument, NULL, OPT_REMOVED},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	struct opts o = {0};
	struct licit_report_opts ro = {0};
	char **by = NULL;
	int lang = licit_report_lang_default(getenv("LC_ALL"), getenv("LC_MESSAGES"),
	                                     getenv("LANG"));
	o.protests = calloc((size_t)argc + 1, sizeof *o.protests);
	o.procedures = calloc((size_t)argc + 1, sizeof *o.procedures);
	cli_init(&run.cli, argv[0], usage);
	if (!o.protests || !o.procedures) {
		cli_warn(&run.cli, "out of memory");
		return EXIT_DATA;
	}
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == OPT_FORMAT)
			cli_usage(&run.cli, "--format: the report is HTML");
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_BY: {
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
			o.by = optarg;
			ro.by = (const char *const *)by;
			ro.nby = (size_t)n;
			break;
		}
		case OPT_LANG:
			if ((lang = licit_report_lang_parse(optarg)) < 0)
				cli_usage(&run.cli, "--lang: '%s' is not es or en", optarg);
			break;
		case OPT_ROWS: {
			double v;
			if (licit_parse_number(optarg, &v) != 0 || v < 1 || v > 100000 || v != (int)v)
				cli_usage(&run.cli, "--rows: '%s' is not a whole number from 1 to 100000",
				          optarg);
			ro.max_rows = (int)v;
			break;
		}
		case OPT_FLAGS: o.flags = 1; break;
		case OPT_SETTINGS: o.settings = optarg; break;
		case OPT_DATA_DIR: o.data_dir = optarg; break;
		case OPT_PROTESTS: o.protests[o.nprotests++] = optarg; break;
		case OPT_PROCEDURES: o.procedures[o.nprocedures++] = optarg; break;
		case OPT_ISSUES: o.issues = optarg; break;
		case OPT_REMOVED: o.removed = optarg; break;
		}
	}
	if ((o.settings || o.data_dir) && !o.flags)
		cli_usage(&run.cli, "--settings and --data-dir are for --flags");
	if (o.nprocedures && !o.nprotests)
		cli_usage(&run.cli, "--procedures: no --protests");
	cli_open_inputs(&run.cli, argc, argv, o.flags ? 2 : 1);
	{ /* every input, none the output, standard input at most once */
		struct cli_file out = {"-o", run.cli.output};
		struct cli_file *in = calloc((size_t)argc + 4, sizeof *in);
		size_t nin = 0;
		if (!in) {
			cli_warn(&run.cli, "out of memory");
			return EXIT_DATA;
		}
		if (o.settings)
			in[nin++] = (struct cli_file){"--settings", o.settings};
		for (int i = 0; i < o.nprotests; i++)
			in[nin++] = (struct cli_file){"--protests", o.protests[i]};
		for (int i = 0; i < o.nprocedures; i++)
			in[nin++] = (struct cli_file){"--procedures", o.procedures[i]};
		if (o.issues)
			in[nin++] = (struct cli_file){"--issues", o.issues};
		if (o.removed)
			in[nin++] = (struct cli_file){"--removed", o.removed};
		cli_check_files(&run.cli, &out, 1, in, nin, run.cli.paths, run.cli.npaths);
		free(in);
	}
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_flags_settings s;
	int have_settings = 0, status = EXIT_DATA;
	char dbuf[1100]; /* the settings keep the data folder's name */
	if (o.flags) {
		have_settings = 1;
		if (licit_flags_settings_load(&s, o.settings,
		                              cli_data_dir(&run.cli, o.data_dir, dbuf, sizeof dbuf),
		                              &err) != LICIT_OK) {
			cli_error(&run.cli, &err);
			goto done;
		}
		ro.flags = &s;
	}
	ro.threads = run.cli.threads;
	ro.diag = on_diag;
	ro.diag_ctx = &run;
	if (!(run.rep = licit_report_new(&ro, &err))) {
		cli_error(&run.cli, &err);
		goto done;
	}
	if (build(&run, &o, &err) != LICIT_OK ||
	    write_page(&run, &o, (enum licit_report_lang)lang, argc, argv, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		goto done;
	}
	if (run.problems > SHOW_PROBLEMS && !run.cli.quiet)
		cli_warn(&run.cli, "%lld values could not be used (the first %d shown; the page "
		         "counts them per field)", run.problems, SHOW_PROBLEMS);
	status = EXIT_OK;
done:
	cli_abort(&run.cli);
	licit_report_free(run.rep);
	if (have_settings)
		licit_flags_settings_fini(&s);
	if (by) {
		free(by[0]);
		free(by);
	}
	free(o.protests);
	free(o.procedures);
	return status;
}
