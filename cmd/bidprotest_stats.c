/* licit bidprotest-stats: bid-protest rates, outcomes and stages per entity, buyer or year */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/protest/protest.h"
#include "licit/values/value.h"

static const char usage[] =
	"usage: licit bidprotest-stats [-q] [-o FILE] [--procedures FILE]...\n"
	"                              [--by KEYS] [--total] [--long]\n"
	"                              [--unmatched FILE] [--format csv|tsv|jsonl]\n"
	"                              [--input-format F] [--encoding E] [--delimiter C]\n"
	"                              [--progress | --no-progress] [--partial] [protests ...]\n"
	"       licit bidprotest-stats --merge [--by KEYS] [--total] [--long] [-o FILE]\n"
	"                              [--format F] PARTIAL ...\n"
	"\n"
	"Reads canonical protest records (licit normalise --kind protests) and,\n"
	"with --procedures, canonical contract records whose distinct procedure_id\n"
	"values are the denominators; writes one row per group with protest\n"
	"counts, rates, outcome and stage shares (see licit-bidprotest-stats(1)).\n"
	"\n"
	"  --procedures FILE   canonical contract records (repeatable)\n"
	"  --by KEYS           comma-separated: entity_id (default), buyer_id, year,\n"
	"                      stage, outcome\n"
	"  --total             add an ALL row (pooled), and mean_entity_protest_rate\n"
	"  --long              one row per measure: keys, measure, value, numerator,\n"
	"                      denominator\n"
	"  --unmatched FILE    protests whose procedure_id is not in --procedures, as\n"
	"                      CSV source,line,protest_id,procedure_id\n"
	"  --partial           write the run's state (a partial file), not statistics\n"
	"  --merge             read partial files (same --by) and write the statistics\n"
	"                      of all their rows\n"
	"  -o, --output FILE   write here (atomically) instead of stdout\n"
	"  --format F          csv (default), tsv or jsonl\n"
	"  --input-format F, --encoding E, --delimiter C: how to read the inputs\n"
	"  --progress, --no-progress, --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done (warnings are not failures), 1 unreadable input or\n"
	"write error, 2 usage error.\n";

enum { OPT_PROCEDURES = OPT_TOOL, OPT_BY, OPT_TOTAL, OPT_LONG, OPT_UNMATCHED, OPT_PARTIAL,
       OPT_MERGE };


struct run {
	struct cli cli;
	const char *source;
	struct cli_shown notes; /* per-value warnings of the file */
	struct licit_protest_stats *s;
	int procedures;         /* reading the --procedures files */
	int pcol, icol;         /* procedure_id, protest_id of the bound input */
	struct licit_writer *unmatched;
	FILE *unmatched_f;
};

static void on_note(void *ctx, const struct licit_diag *d)
{
	struct run *r = ctx;
	if (cli_show(&r->notes))
		cli_diag(&r->cli, d);
}

static void end_notes(struct run *r)
{
	cli_shown_end(&r->cli, &r->notes, r->source, "warnings");
}

/* Procedures, then protests: bind, then one call per row. */
static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	run->source = licit_reader_source(r);
	run->pcol = licit_reader_col(r, "procedure_id");
	run->icol = licit_reader_col(r, "protest_id");
	return run->procedures ? licit_protest_stats_bind_procedures(run->s, r, cli_diag, &run->cli,
	                                                             err)
	                       : licit_protest_stats_bind_protests(run->s, r, err);
}

static int one_row(void *ctx, struct licit_reader *r, const struct licit_row *row,
                   struct licit_error *err)
{
	(void)r;
	struct run *run = ctx;
	if (run->procedures)
		return licit_protest_stats_procedure(run->s, row, on_note, run, err);
	if (licit_protest_stats_protest(run->s, row, on_note, run, err) != LICIT_OK)
		return LICIT_ERR;
	const char *pid = row->v[run->pcol];
	if (run->unmatched && !licit_protest_stats_known_procedure(run->s, pid, strlen(pid))) {
		char line[24];
		snprintf(line, sizeof line, "%ld", row->line);
		const char *v[] = {run->source, line, run->icol >= 0 ? row->v[run->icol] : "", pid};
		if (licit_writer_row(run->unmatched, v, NULL) != LICIT_OK)
			return cli_output_error(&run->cli, run->unmatched_f, err);
	}
	return LICIT_OK;
}

static int file_done(void *ctx, struct licit_reader *r, struct licit_error *err)
{
	(void)r, (void)err;
	end_notes(ctx);
	return LICIT_OK;
}

static void fmt_value(char *buf, size_t cap, enum licit_measure_kind k, double v)
{
	if (isnan(v))
		buf[0] = '\0';
	else if (k == LICIT_MEASURE_COUNT)
		snprintf(buf, cap, "%.0f", v);
	else
		licit_amount_format(v, buf, cap);
}

struct out {
	struct licit_writer *w;
	size_t nkeys;
	int lng;
	unsigned opts;
};

static int write_row(struct out *o, const char *const *keys,
                     const struct licit_protest_counts *c)
{
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t nm = licit_protest_measures(c, o->opts, m);
	char buf[LICIT_PM_MAX][3][48];
	const char *v[LICIT_PKEY_N + LICIT_PM_MAX];
	for (size_t k = 0; k < o->nkeys; k++)
		v[k] = keys[k];
	if (!o->lng) {
		for (size_t i = 0; i < nm; i++) {
			fmt_value(buf[i][0], sizeof buf[i][0], m[i].kind, m[i].value);
			v[o->nkeys + i] = buf[i][0];
		}
		return licit_writer_row(o->w, v, NULL);
	}
	for (size_t i = 0; i < nm; i++) {
		enum licit_measure_kind nk = m[i].kind == LICIT_MEASURE_RATIO
		                             ? LICIT_MEASURE_DAYS : LICIT_MEASURE_COUNT;
		fmt_value(buf[i][0], sizeof buf[i][0], m[i].kind, m[i].value);
		/* numerators are counts, except a sum of rates */
		fmt_value(buf[i][1], sizeof buf[i][1],
		          strcmp(m[i].name, "mean_entity_protest_rate") == 0 ? nk : LICIT_MEASURE_COUNT,
		          m[i].numerator);
		fmt_value(buf[i][2], sizeof buf[i][2], LICIT_MEASURE_COUNT, m[i].denominator);
		v[o->nkeys] = m[i].name;
		v[o->nkeys + 1] = buf[i][0];
		v[o->nkeys + 2] = buf[i][1];
		v[o->nkeys + 3] = buf[i][2];
		if (licit_writer_row(o->w, v, NULL) != LICIT_OK)
			return LICIT_ERR;
	}
	return LICIT_OK;
}

/* --partial: the run's state instead of the statistics */
static int write_partial(struct cli *c, const struct licit_protest_stats *s, int with_procs,
                         struct licit_error *err)
{
	FILE *f = cli_output(c, "-o", c->output, err);
	if (!f || licit_protest_stats_partial_write(s, f, with_procs, err) != LICIT_OK)
		return LICIT_ERR;
	if (ferror(f))
		return cli_output_error(c, f, err);
	return cli_commit(c, err);
}

/* --merge: the file operands are partial files (- is standard input) */
static int merge_one(void *s, FILE *f, const char *name, struct licit_error *err)
{
	return licit_protest_stats_merge(s, f, name, err);
}

static int merge_partials(struct cli *c, struct licit_protest_stats *s, struct licit_error *err)
{
	for (int i = 0; i < c->npaths; i++)
		if (cli_with_file(c->paths[i], merge_one, s, err) != LICIT_OK)
			return LICIT_ERR;
	return LICIT_OK;
}

static void summary(struct run *run, const struct licit_protest_stats *s, int with_procs)
{
	struct licit_protest_summary m;
	licit_protest_stats_summary(s, &m);
	if (run->cli.quiet)
		return;
	if (with_procs && m.have_types)
		cli_warn(&run->cli, "%lld procedure%s (%lld competitive) in %lld row%s",
		         m.procedures, cli_s(m.procedures), m.competitive, m.procedure_rows,
		         cli_s(m.procedure_rows));
	else if (with_procs)
		cli_warn(&run->cli, "%lld procedure%s in %lld row%s", m.procedures,
		         cli_s(m.procedures), m.procedure_rows, cli_s(m.procedure_rows));
	if (m.no_procedure_id)
		cli_warn(&run->cli, "%lld procedure row%s without procedure_id, not counted",
		         m.no_procedure_id, cli_s(m.no_procedure_id));
	if (m.type_conflicts)
		cli_warn(&run->cli, "%lld procedure row%s disagree%s with the row that counts "
		         "for %s procedure on procedure_type (licit-bidprotest-stats(1))",
		         m.type_conflicts, cli_s(m.type_conflicts), m.type_conflicts == 1 ? "s" : "",
		         m.type_conflicts == 1 ? "its" : "their");
	if (m.procedures_no_year)
		cli_warn(&run->cli, "%lld procedure%s no date: %s year is empty",
		         m.procedures_no_year, m.procedures_no_year == 1 ? " has" : "s have",
		         m.procedures_no_year == 1 ? "its" : "their");
	cli_warn(&run->cli, "%lld protest%s", m.protests, cli_s(m.protests));
	if (with_procs && m.unmatched) {
		char why[64] = "";
		if (m.no_procedure_id_protests)
			snprintf(why, sizeof why, " (%lld without procedure_id)",
			         m.no_procedure_id_protests);
		cli_warn(&run->cli, "%lld protest%s%s name%s no procedure of the procedures "
		         "file: counted, see unmatched_protests%s", m.unmatched,
		         m.unmatched == 1 ? "" : "s", why, m.unmatched == 1 ? "s" : "",
		         run->unmatched ? "" : " and --unmatched FILE");
	}
	if (m.duplicate_ids)
		cli_warn(&run->cli, "%lld protest%s repeat%s an earlier protest_id (counted)",
		         m.duplicate_ids, m.duplicate_ids == 1 ? "" : "s",
		         m.duplicate_ids == 1 ? "s" : "");
	if (!with_procs)
		cli_warn(&run->cli, "no --procedures: rates are empty");
}

int licit_cmd_bidprotest_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"procedures", required_argument, NULL, OPT_PROCEDURES},
		{"by", required_argument, NULL, OPT_BY},
		{"total", no_argument, NULL, OPT_TOTAL},
		{"long", no_argument, NULL, OPT_LONG},
		{"unmatched", required_argument, NULL, OPT_UNMATCHED},
		{"partial", no_argument, NULL, OPT_PARTIAL},
		{"merge", no_argument, NULL, OPT_MERGE},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	const char *by = "entity_id", *unmatched_path = NULL;
	char **procs = calloc((size_t)argc + 1, sizeof *procs);
	int nprocs = 0, total = 0, lng = 0, partial = 0, merge = 0;
	cli_init(&run.cli, argv[0], usage);
	if (!procs) {
		cli_warn(&run.cli, "out of memory");
		return EXIT_DATA;
	}
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_PROCEDURES: procs[nprocs++] = optarg; break;
		case OPT_BY: by = optarg; break;
		case OPT_TOTAL: total = 1; break;
		case OPT_LONG: lng = 1; break;
		case OPT_UNMATCHED: unmatched_path = optarg; break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		}
	}
	if (unmatched_path && !nprocs)
		cli_usage(&run.cli, "--unmatched needs --procedures");
	if (partial && merge)
		cli_usage(&run.cli, "--partial and --merge: one or the other");
	if (partial && (total || lng || unmatched_path))
		cli_usage(&run.cli, "--partial: --total and --long apply at --merge, and "
		          "--unmatched needs every procedure (a single run)");
	if (merge && (nprocs || run.cli.shard_n || optind >= argc))
		cli_usage(&run.cli, nprocs ? "--merge reads partial files: no --procedures"
		                    : run.cli.shard_n ? "--merge reads partial files: no --shard"
		                                      : "--merge: no partial file");
	cli_open_inputs(&run.cli, argc, argv, 1);
	char **paths = run.cli.paths;
	int npaths = run.cli.npaths;
	{
		const struct cli_file outs[] = {{"-o", run.cli.output},
		                                {"--unmatched", unmatched_path}};
		struct cli_file *ins = calloc((size_t)nprocs + 1, sizeof *ins);
		if (!ins) {
			cli_warn(&run.cli, "out of memory");
			return EXIT_DATA;
		}
		for (int i = 0; i < nprocs; i++)
			ins[i] = (struct cli_file){"--procedures", procs[i]};
		cli_check_files(&run.cli, outs, unmatched_path ? 2 : 1, ins, (size_t)nprocs, paths,
		                npaths);
		free(ins);
	}
	char **names;
	int nk = cli_split(by, &names);
	if (nk < 0) {
		cli_warn(&run.cli, "out of memory");
		return EXIT_DATA;
	}
	enum licit_protest_key keys[LICIT_PKEY_N];
	if (nk > LICIT_PKEY_N)
		cli_usage(&run.cli, "--by: at most %d keys", LICIT_PKEY_N);
	int has_year = 0;
	for (int i = 0; i < nk; i++) {
		int k = licit_protest_key_parse(names[i]);
		if (k < 0)
			cli_usage(&run.cli, "--by: '%s' is not entity_id, buyer_id, year, stage "
			          "or outcome", names[i]);
		keys[i] = (enum licit_protest_key)k;
		has_year |= k == LICIT_PKEY_YEAR;
	}
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_protest_stats *s = licit_protest_stats_new(keys, (size_t)nk, &err);
	if (!s)
		cli_usage(&run.cli, "--by: %s", err.text);

	run.s = s;
	int status = EXIT_OK, with_procs = nprocs > 0;
	if (partial)
		licit_protest_stats_keep(s);
	if (unmatched_path) {
		static const char *const ucols[] = {"source", "line", "protest_id", "procedure_id"};
		if (!(run.unmatched_f = cli_output(&run.cli, "--unmatched", unmatched_path, &err)) ||
		    !(run.unmatched = cli_writer(&run.cli, run.unmatched_f, LICIT_FMT_CSV, ucols, 4,
		                                 &err)))
			status = EXIT_DATA;
	}
	const struct cli_hooks hooks = {.open = bind, .row = one_row, .done = file_done,
	                                .ctx = &run};
	run.procedures = 1;
	if (merge) {
		if (merge_partials(&run.cli, s, &err) != LICIT_OK)
			status = EXIT_DATA;
		with_procs = licit_protest_stats_merged_procedures(s);
	} else if (status == EXIT_OK &&
	           cli_pass_files(&run.cli, procs, nprocs, &hooks, &err) != LICIT_OK) {
		status = EXIT_DATA;
	}
	run.procedures = 0;
	if (!merge && status == EXIT_OK && cli_pass(&run.cli, &hooks, &err) != LICIT_OK)
		status = EXIT_DATA;
	if (status != EXIT_OK && err.text[0])
		cli_error(&run.cli, &err);
	if (partial) {
		if (status == EXIT_OK && write_partial(&run.cli, s, with_procs, &err) != LICIT_OK) {
			cli_error(&run.cli, &err);
			status = EXIT_DATA;
		}
		goto done;
	}

	if (status == EXIT_OK && licit_protest_stats_finish(s, with_procs, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
	if (status == EXIT_OK) {
		summary(&run, s, with_procs);
		for (size_t i = 0; i < licit_protest_stats_nrows(s); i++) {
			const struct licit_protest_counts *c = licit_protest_stats_row(s, i);
			if (with_procs && !c->procedures && !run.cli.quiet) {
				const char *const *kv = licit_protest_stats_keys(s, i);
				char what[256] = "";
				for (int k = 0; k < nk; k++)
					snprintf(what + strlen(what), sizeof what - strlen(what), "%s%s=%s",
					         k ? "," : "", names[k], kv[k]);
				cli_warn(&run.cli, "%s: %lld protest%s and no procedure in the "
				         "procedures file: rates left empty", what, c->protests,
				         c->protests == 1 ? "" : "s");
			}
		}
	}

	FILE *f = status == EXIT_OK ? cli_output(&run.cli, "-o", run.cli.output, &err) : NULL;
	if (status == EXIT_OK && !f) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
	if (status == EXIT_OK) {
		unsigned opts = (has_year ? LICIT_PM_CHANGE : 0) | (total ? LICIT_PM_MEAN : 0);
		struct licit_protest_measure m[LICIT_PM_MAX];
		size_t nm = licit_protest_measures(licit_protest_stats_total(s), opts, m);
		const char *cols[LICIT_PKEY_N + LICIT_PM_MAX];
		size_t nc = 0;
		for (int k = 0; k < nk; k++)
			cols[nc++] = names[k];
		if (lng) {
			cols[nc++] = "measure";
			cols[nc++] = "value";
			cols[nc++] = "numerator";
			cols[nc++] = "denominator";
		} else {
			for (size_t i = 0; i < nm; i++)
				cols[nc++] = m[i].name;
		}
		struct out o = {cli_writer(&run.cli, f, -1, cols, nc, &err), (size_t)nk, lng, opts};
		/* figures are JSON numbers in JSON Lines; group values and the
		 * measure's name stay text */
		for (size_t i = (size_t)nk + (lng ? 1 : 0); o.w && i < nc; i++)
			licit_writer_set_numeric(o.w, i, 1);
		int rc = o.w ? LICIT_OK : LICIT_ERR;
		for (size_t i = 0; i < licit_protest_stats_nrows(s) && rc == LICIT_OK; i++)
			rc = write_row(&o, licit_protest_stats_keys(s, i), licit_protest_stats_row(s, i));
		if (total && rc == LICIT_OK) {
			const char *all[LICIT_PKEY_N];
			for (int k = 0; k < nk; k++)
				all[k] = "ALL";
			rc = write_row(&o, all, licit_protest_stats_total(s));
		}
		cli_count(LICIT_ROWS_WRITTEN, (long long)licit_protest_stats_nrows(s) + (total ? 1 : 0));
		if (rc != LICIT_OK) {
			if (o.w)
				cli_output_error(&run.cli, f, &err);
			cli_error(&run.cli, &err);
			status = EXIT_DATA;
		}
	}
	if (status == EXIT_OK && cli_commit(&run.cli, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	}
done:
	cli_abort(&run.cli);
	licit_protest_stats_free(s);
	free(names[0]);
	free(names);
	free(procs);
	return status;
}
