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

struct input {
	const char *path;
	struct licit_reader *r;
	long *map; /* output column -> reader column */
};

struct run {
	struct cli cli;
	struct input *in;
	int nin;
	FILE *spool;            /* standard input, copied for a second pass */
	const char **cols;      /* input columns written out */
	size_t ncols;
	int mark;
	struct licit_writer *out, *removed;
	long long nout, nremoved;
	const char **vals;
	size_t *lens;
	const char *removed_path;
	const char *failed_path; /* the output of the last row written */
};

/* Adds an input column to the output's, unless an earlier input has it
 * (the reader's names are unique, and found by binary search). */
static int add_col(struct run *run, int input, const char *name)
{
	for (int k = 0; k < input; k++)
		if (licit_reader_col(run->in[k].r, name) >= 0)
			return 0;
	const char **c = realloc(run->cols, (run->ncols + 1) * sizeof *c);
	if (!c)
		return -1;
	run->cols = c;
	/* header names die with their reader; the second pass needs them */
	if (!(run->cols[run->ncols] = strdup(name)))
		return -1;
	run->ncols++;
	return 0;
}

static void bind_map(struct run *run, struct input *in)
{
	for (size_t j = 0; j < run->ncols; j++)
		in->map[j] = licit_reader_col(in->r, run->cols[j]);
}

static int write_row(struct run *run, struct licit_writer *w, const struct input *in,
                     const struct licit_row *row, const struct licit_dup *m, int extra)
{
	for (size_t j = 0; j < run->ncols; j++) {
		long c = in->map[j];
		run->vals[j] = c >= 0 && (size_t)c < row->n ? row->v[c] : "";
		run->lens[j] = c >= 0 && (size_t)c < row->n ? row->len[c] : 0;
	}
	char cl[24] = "", sc[24] = "";
	size_t n = run->ncols;
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

/* Writes one row where it belongs; -1 on a write error. */
static int emit(struct run *run, const struct input *in, const struct licit_row *row,
                const struct licit_dup *m)
{
	int rc = LICIT_OK;
	if (run->mark || m->kept) {
		run->nout++;
		rc = write_row(run, run->out, in, row, m, run->mark ? 5 : 0);
		run->failed_path = run->cli.output;
	} else {
		run->nremoved++;
		if (run->removed)
			rc = write_row(run, run->removed, in, row, m, 4);
		run->failed_path = run->removed_path;
	}
	return rc;
}

/* Pass 1: every row into the engine (and out, when streaming). */
static int pass1(struct run *run, struct licit_dedupe *d, struct licit_error *err)
{
	struct progress pg;
	progress_init(&pg, &run->cli);
	int stream = licit_dedupe_streaming(d);
	for (int i = 0; i < run->nin; i++) {
		struct input *in = &run->in[i];
		licit_dedupe_bind(d, in->r, err);
		const struct licit_row *row;
		int rc;
		while ((rc = licit_reader_next(in->r, &row, err)) == LICIT_OK) {
			licit_row_diags(row, licit_reader_source(in->r), cli_diag, &run->cli);
			struct licit_dup m;
			if (licit_dedupe_add(d, row, &m, err) != LICIT_OK)
				return -1;
			if (stream && emit(run, in, row, &m) != LICIT_OK)
				return cli_write_error(err, run->failed_path);
			progress_tick(&pg, in->r);
		}
		if (rc == LICIT_ERR)
			return -1;
		licit_reader_close(in->r);
		in->r = NULL;
	}
	progress_done(&pg);
	return 0;
}

/* Pass 2: the inputs again, each row with its decision. */
static int pass2(struct run *run, struct licit_dedupe *d, struct licit_error *err)
{
	size_t k = 0;
	for (int i = 0; i < run->nin; i++) {
		struct input *in = &run->in[i];
		if (!(in->r = cli_reopen(&run->cli, in->path, run->spool, err)))
			return -1;
		bind_map(run, in);
		const struct licit_row *row;
		int rc;
		while ((rc = licit_reader_next(in->r, &row, err)) == LICIT_OK) {
			struct licit_dup m;
			licit_dedupe_get(d, k++, &m);
			if (emit(run, in, row, &m) != LICIT_OK)
				return cli_write_error(err, run->failed_path);
		}
		if (rc == LICIT_ERR)
			return -1;
		licit_reader_close(in->r);
		in->r = NULL;
	}
	struct licit_dedupe_stats st;
	licit_dedupe_stats(d, &st);
	if ((long long)k != st.rows)
		return licit_error_set(err, "", 0, NULL,
		                       "the input changed between passes (%lld rows, then %zu)",
		                       st.rows, k);
	return 0;
}

static int write_suppliers(struct run *run, struct licit_dedupe *d)
{
	struct licit_writer *w = run->out;
	for (size_t i = 0; i < licit_dedupe_nentities(d); i++) {
		struct licit_entity e;
		licit_dedupe_entity(d, i, &e);
		char rows[24];
		snprintf(rows, sizeof rows, "%lld", e.rows);
		const char *v[] = {e.id, e.name, e.rfc, e.variants, rows, e.rule};
		if (licit_writer_row(w, v, NULL) != LICIT_OK)
			return -1;
	}
	return 0;
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

	char **paths;
	run.nin = cli_inputs(argc, argv, &paths);
	const struct cli_file outs[] = {{"-o", run.cli.output}, {"--removed", removed_path}};
	cli_check_files(&run.cli, outs, removed_path ? 2 : 1, NULL, 0, paths, run.nin);
	int nstdin = 0;
	for (int i = 0; i < run.nin; i++)
		nstdin += strcmp(paths[i], "-") == 0;

	struct licit_error err;
	licit_error_clear(&err);
	int status = EXIT_DATA;
	struct licit_dedupe *d = NULL;
	struct licit_outfile out = {0}, rem = {0};
	int out_open = 0, rem_open = 0, key_cols = 1;
	run.in = calloc((size_t)run.nin, sizeof *run.in);
	if (!run.in)
		goto fail;
	if (nstdin && !licit_dedupe_opts_streaming(&o) && !(run.spool = cli_spool_stdin(&err)))
		goto fail_err;
	/* every header first: the output has the union of the inputs' columns */
	for (int i = 0; i < run.nin; i++) {
		run.in[i].path = paths[i];
		if (!(run.in[i].r = cli_reopen(&run.cli, paths[i], run.spool, &err)))
			goto fail_err;
		const char *const *h = licit_reader_header(run.in[i].r);
		for (size_t j = 0; j < licit_reader_ncols(run.in[i].r); j++) {
			int is_mark = 0;
			for (int k = 0; k < 5; k++)
				is_mark |= strcmp(h[j], licit_dedupe_mark_cols[k]) == 0;
			if (!(run.mark && is_mark) && add_col(&run, i, h[j]) < 0)
				goto fail;
		}
	}
	for (int i = 0; i < run.nin; i++) {
		run.in[i].map = calloc(run.ncols + 1, sizeof *run.in[i].map);
		if (!run.in[i].map)
			goto fail;
		bind_map(&run, &run.in[i]);
	}
	run.vals = calloc(run.ncols + 6, sizeof *run.vals);
	run.lens = calloc(run.ncols + 6, sizeof *run.lens);
	if (!run.vals || !run.lens)
		goto fail;
	if (!(d = licit_dedupe_new(&o, run.cols, run.ncols, &err)))
		goto fail_err;
	if (!o.key) {
		int has_p = 0, has_c = 0;
		for (size_t j = 0; j < run.ncols; j++) {
			has_p |= strcmp(run.cols[j], "procedure_id") == 0;
			has_c |= strcmp(run.cols[j], "contract_id") == 0;
		}
		key_cols = has_p && has_c;
	}

	FILE *f = licit_outfile_open(&out, run.cli.output, &err);
	if (!f)
		goto fail_err;
	out_open = 1;
	const char **ocols = calloc(run.ncols + 6, sizeof *ocols);
	if (!ocols)
		goto fail;
	memcpy(ocols, run.cols, run.ncols * sizeof *ocols);
	for (int k = 0; k < 5; k++)
		ocols[run.ncols + k] = licit_dedupe_mark_cols[k];
	static const char *const ecols[] = {"entity_id", "name", "rfc", "variants", "rows", "rule"};
	if (suppliers)
		run.out = licit_writer_new(f, run.cli.out_format, ecols, 6);
	else
		run.out = licit_writer_new(f, run.cli.out_format, ocols,
		                           run.ncols + (run.mark ? 5 : 0));
	if (removed_path) {
		FILE *fr = licit_outfile_open(&rem, removed_path, &err);
		if (!fr) {
			free(ocols);
			goto fail_err;
		}
		rem_open = 1;
		run.removed = licit_writer_new(fr, run.cli.out_format, ocols, run.ncols + 4);
	}
	free(ocols);
	if (!run.out || (removed_path && !run.removed))
		goto fail;
	/* cluster numbers and scores are JSON numbers in JSON Lines */
	for (size_t k = run.ncols; !suppliers && run.mark && k < run.ncols + 5; k++)
		licit_writer_set_numeric(run.out, k, k == run.ncols || k == run.ncols + 3);
	if (suppliers)
		licit_writer_set_numeric(run.out, 4, 1); /* rows */

	if (pass1(&run, d, &err) < 0 || licit_dedupe_finish(d, &err) != LICIT_OK)
		goto fail_err;
	if (suppliers) {
		if (write_suppliers(&run, d) < 0) {
			cli_write_error(&err, run.cli.output);
			goto fail_err;
		}
	} else if (!licit_dedupe_streaming(d) && pass2(&run, d, &err) < 0) {
		goto fail_err;
	}
	struct licit_writer *w = run.out, *wr = run.removed;
	run.out = run.removed = NULL;
	if (licit_writer_close(w, &err) != LICIT_OK) {
		cli_write_error(&err, run.cli.output);
		licit_writer_discard(wr);
		goto fail_err;
	}
	if (wr && licit_writer_close(wr, &err) != LICIT_OK) {
		cli_write_error(&err, removed_path);
		goto fail_err;
	}
	/* both files complete before either is renamed into place */
	if (licit_outfile_close(&out, &err) != LICIT_OK ||
	    (rem_open && licit_outfile_close(&rem, &err) != LICIT_OK) ||
	    licit_outfile_commit(&out, &err) != LICIT_OK)
		goto fail_err;
	out_open = 0;
	if (rem_open && licit_outfile_commit(&rem, &err) != LICIT_OK)
		goto fail_err;
	rem_open = 0;
	summary(&run, d, &o, suppliers, key_cols);
	status = EXIT_OK;
	goto done;

fail:
	licit_error_set(&err, "", 0, NULL, "out of memory");
fail_err:
	cli_error(&run.cli, &err);
done:
	/* a failed run adds nothing more, not even a header */
	licit_writer_discard(run.out);
	licit_writer_discard(run.removed);
	if (out_open)
		licit_outfile_abort(&out);
	if (rem_open)
		licit_outfile_abort(&rem);
	for (int i = 0; run.in && i < run.nin; i++) {
		if (run.in[i].r)
			licit_reader_close(run.in[i].r);
		free(run.in[i].map);
	}
	free(run.in);
	for (size_t j = 0; j < run.ncols; j++)
		free((char *)run.cols[j]);
	free(run.cols);
	free(run.vals);
	free(run.lens);
	if (run.spool)
		fclose(run.spool);
	licit_dedupe_free(d);
	free(key ? key[0] : NULL);
	free(key);
	return status;
}
