/* licit dedupe: drop or mark duplicate contracts and group supplier spellings into entities */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/dedupe/dedupe.h"
#include "licit/core/number.h"

static const char usage[] =
	"usage: licit dedupe [-q] [-o FILE] [--mark | --removed FILE | --suppliers]\n"
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
};

static int write_row(struct run *run, struct licit_writer *w, const struct licit_row *row,
                     const struct licit_dup *m, int extra)
{
	cli_columns_row(&run->u, row, run->vals, run->lens);
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

/* Writes one row where it belongs; LICIT_ERR with err on a write error. */
static int emit(struct run *run, const struct licit_row *row, const struct licit_dup *m,
                struct licit_error *err)
{
	if (run->mark || m->kept) {
		run->nout++;
		if (write_row(run, run->out, row, m, run->mark ? 5 : 0) != LICIT_OK)
			return cli_output_error(&run->cli, run->out_f, err);
	} else {
		run->nremoved++;
		if (run->removed && write_row(run, run->removed, row, m, 4) != LICIT_OK)
			return cli_output_error(&run->cli, run->removed_f, err);
	}
	return LICIT_OK;
}

/* Every header first: the output has the union of the inputs' columns. */
static int header(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	if (cli_columns_add(&run->u, r, licit_dedupe_mark_cols, run->mark ? 5 : 0) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

/* The engine and the outputs, once every header is known. */
static int start(struct run *run, struct licit_error *err)
{
	size_t nc = run->u.n;
	run->vals = calloc(nc + 6, sizeof *run->vals);
	run->lens = calloc(nc + 6, sizeof *run->lens);
	const char **ocols = calloc(nc + 6, sizeof *ocols);
	int rc = LICIT_ERR;
	if (!run->vals || !run->lens || !ocols) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		goto done;
	}
	if (!(run->d = licit_dedupe_new(run->o, (const char *const *)run->u.names, nc, err)) ||
	    !(run->out_f = cli_output(&run->cli, "-o", run->cli.output, err)))
		goto done;
	memcpy(ocols, run->u.names, nc * sizeof *ocols);
	for (int k = 0; k < 5; k++)
		ocols[nc + k] = licit_dedupe_mark_cols[k];
	static const char *const ecols[] = {"entity_id", "name", "rfc", "variants", "rows", "rule"};
	run->out = run->suppliers ? cli_writer(&run->cli, run->out_f, -1, ecols, 6, err)
	                          : cli_writer(&run->cli, run->out_f, -1, ocols,
	                                       nc + (run->mark ? 5 : 0), err);
	if (!run->out)
		goto done;
	if (run->removed_path &&
	    (!(run->removed_f = cli_output(&run->cli, "--removed", run->removed_path, err)) ||
	     !(run->removed = cli_writer(&run->cli, run->removed_f, -1, ocols, nc + 4, err))))
		goto done;
	/* cluster numbers and scores are JSON numbers in JSON Lines */
	for (size_t k = nc; !run->suppliers && run->mark && k < nc + 5; k++)
		licit_writer_set_numeric(run->out, k, k == nc || k == nc + 3);
	if (run->suppliers)
		licit_writer_set_numeric(run->out, 4, 1); /* rows */
	rc = LICIT_OK;
done:
	free(ocols);
	return rc;
}

/* Pass 1: every row into the engine (and out, when streaming). */
static int bind1(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	struct run *run = ctx;
	if (input == 0 && start(run, err) != LICIT_OK)
		return LICIT_ERR;
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
	if (cli_pass(&run.cli, &h1, &err) != LICIT_OK ||
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
		summary(&run, run.d, &o, suppliers, key_cols);
		if (!suppliers) {
			cli_count(LICIT_ROWS_WRITTEN, run.nout);
			cli_count(LICIT_ROWS_SKIPPED, run.nremoved);
		}
		status = EXIT_OK;
	}
	/* a failed run adds nothing more, not even a header */
	cli_abort(&run.cli);
	cli_columns_fini(&run.u);
	free(run.vals);
	free(run.lens);
	licit_dedupe_free(run.d);
	free(key ? key[0] : NULL);
	free(key);
	return status;
}
