/* licit flags: red-flag indicators (Cardinal-compatible OCDS indicators and Mexico contract rules) */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "licit/cardinal/cardinal.h"
#include "licit/flags/flags.h"
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
	"  --format F              csv (default), tsv, jsonl, or cardinal (OCDS indicators)\n"
	"  --no-meta               cardinal: leave out the \"Meta\" key\n"
	"  --map                   cardinal: add Cardinal's \"Maps\" (flagged processes'\n"
	"                          buyers, procuring entities, tenderers)\n"
	"  --count                 cardinal: print the number of results per group on stderr\n"
	"  --data-dir DIR          where default tables are (thresholds_mx.csv); must exist\n"
	"  -o, --output FILE       write here (atomically) instead of stdout\n"
	"  --input-format F, --encoding E, --delimiter C, --memory SIZE, --root-path PATH,\n"
	"  --progress, --no-progress, --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 unreadable input, settings or tables, or write\n"
	"error, 2 usage error.\n";

enum { OPT_SETTINGS = OPT_TOOL, OPT_INIT, OPT_LONG, OPT_SUMMARY, OPT_NO_META, OPT_COUNT,
       OPT_DATA_DIR, OPT_MAP };

struct run {
	struct cli cli;
	int long_out, summary, cardinal, meta, count, map;
};

/* The data folder: --data-dir, $LICIT_DATA_DIR, or beside the program
 * (../data in a build tree, ../share/licit when installed). */
static const char *data_dir(const char *given, char *buf, size_t cap)
{
	if (given)
		return given;
	const char *env = getenv("LICIT_DATA_DIR");
	if (env && *env)
		return env;
	char exe[1024];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	static const char *const rel[] = {"/../data", "/../share/licit", "/../../data"};
	for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		snprintf(buf, cap, "%s%s", exe, rel[i]);
		char probe[1200];
		snprintf(probe, sizeof probe, "%s/thresholds_mx.csv", buf);
		if (access(probe, R_OK) == 0)
			return buf;
	}
	return NULL;
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
	for (int i = 0; i < npaths; i++)
		if (licit_cardinal_read(c, paths[i], &run->cli.in, cli_diag, &run->cli, &err) < 0) {
			cli_error(&run->cli, &err);
			licit_cardinal_free(c);
			return EXIT_DATA;
		}
	licit_cardinal_finish(c);
	struct licit_outfile out;
	FILE *f = licit_outfile_open(&out, run->cli.output, &err);
	if (!f) {
		cli_error(&run->cli, &err);
		licit_cardinal_free(c);
		return EXIT_DATA;
	}
	long counts[4];
	int rc = licit_cardinal_write(c, f, run->meta, counts);
	if (rc == 0 && !run->cli.quiet)
		licit_cardinal_write_summary(c, stderr);
	licit_cardinal_free(c);
	if (rc < 0) {
		cli_warn(&run->cli, "out of memory");
		licit_outfile_abort(&out);
		return EXIT_DATA;
	}
	if (licit_outfile_commit(&out, &err) != LICIT_OK) {
		cli_error(&run->cli, &err);
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

/* An input for two passes: a named file is opened twice; standard input
 * is copied to a temporary file first. */
struct input {
	const char *path;
	FILE *spool;
};

static int same_header(const struct licit_reader *r, char **names, size_t n)
{
	if (licit_reader_ncols(r) != n)
		return 0;
	const char *const *h = licit_reader_header(r);
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i], names[i]) != 0)
			return 0;
	return 1;
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

static int run_mexico(struct run *run, const struct licit_flags_settings *s, char **paths,
                      int npaths)
{
	struct licit_error err;
	licit_error_clear(&err);
	int status = EXIT_DATA;
	struct licit_flags *fl = licit_flags_new(s, cli_diag, &run->cli, &err);
	if (!fl) {
		cli_error(&run->cli, &err);
		return EXIT_DATA;
	}
	licit_flags_set_text(fl, run->long_out); /* reasons only when written */
	struct input *in = calloc((size_t)npaths, sizeof *in);
	char **names = NULL;
	size_t ncols = 0;
	struct licit_writer *w = NULL;
	struct licit_outfile out = {0};
	FILE *of = NULL;
	long long rows = 0, raised = 0;
	if (!in)
		goto done;
	for (int i = 0; i < npaths; i++) {
		in[i].path = paths[i];
		if (strcmp(paths[i], "-") == 0 && !(in[i].spool = cli_spool_stdin(&err))) {
			cli_error(&run->cli, &err);
			goto done;
		}
	}
	/* pass 1: per-group state of the rules across rows */
	struct progress pg;
	for (int pass = 1; pass <= 2; pass++) {
		progress_init(&pg, &run->cli); /* each pass counts its rows */
		for (int i = 0; i < npaths; i++) {
			struct licit_reader *r = cli_reopen(&run->cli, in[i].path, in[i].spool, &err);
			if (!r) {
				cli_error(&run->cli, &err);
				goto done;
			}
			if (pass == 2 && !names) {
				ncols = licit_reader_ncols(r);
				names = calloc(ncols + 5, sizeof *names);
				if (!names) {
					licit_reader_close(r);
					goto done;
				}
				/* copies: the header dies with this reader, the
				 * names are needed until the end */
				const char *const *h = licit_reader_header(r);
				for (size_t k = 0; k < ncols; k++)
					if (!(names[k] = strdup(h[k]))) {
						licit_reader_close(r);
						goto done;
					}
				if (!(of = licit_outfile_open(&out, run->cli.output, &err))) {
					cli_error(&run->cli, &err);
					licit_reader_close(r);
					goto done;
				}
				static const char *const long_cols[] = {"ocid", "contract_id", "code", "value",
				                                        "reason"};
				if (run->long_out) {
					w = licit_writer_new(of, run->cli.out_format, long_cols, 5);
				} else {
					const char *cols[2] = {"flags", "flag_count"};
					const char **all = malloc((ncols + 2) * sizeof *all);
					if (!all) {
						licit_reader_close(r);
						goto done;
					}
					for (size_t k = 0; k < ncols; k++)
						all[k] = names[k];
					all[ncols] = cols[0];
					all[ncols + 1] = cols[1];
					w = licit_writer_new(of, run->cli.out_format, all, ncols + 2);
					free(all);
				}
				if (!w) {
					licit_reader_close(r);
					goto done;
				}
			} else if (pass == 2 && !same_header(r, names, ncols)) {
				cli_warn(&run->cli, "%s: its columns differ from the first input's",
				         licit_reader_source(r));
				licit_reader_close(r);
				goto done;
			}
			licit_flags_bind(fl, r);
			struct licit_cols cols;
			licit_cols_bind(&cols, r);
			if (licit_cols_require(&cols, r, &err) != LICIT_OK) {
				cli_error(&run->cli, &err);
				licit_reader_close(r);
				goto done;
			}
			const struct licit_row *row;
			int rc;
			int c_ocid = licit_reader_col(r, "ocid"), c_cid = licit_reader_col(r, "contract_id");
			char *buf = NULL;
			size_t bufcap = 0;
			const char **vals = pass == 2 ? malloc((ncols + 2) * sizeof *vals) : NULL;
			size_t *lens = pass == 2 ? malloc((ncols + 2) * sizeof *lens) : NULL;
			if (pass == 2 && (!vals || !lens)) {
				free(vals);
				free(lens);
				licit_reader_close(r);
				goto done;
			}
			while ((rc = licit_reader_next(r, &row, &err)) == LICIT_OK) {
				progress_tick(&pg, r);
				if (pass == 1) {
					if (licit_flags_gather(fl, row) < 0) {
						cli_warn(&run->cli, "out of memory");
						rc = LICIT_ERR;
						err.text[0] = '\0';
						break;
					}
					continue;
				}
				const struct licit_flag *res;
				size_t nres, len = 0;
				licit_flags_eval(fl, row, &res, &nres);
				rows++;
				int werr = 0, count = 0;
				if (run->long_out) {
					for (size_t k = 0; k < nres; k++) {
						if (res[k].outcome != LICIT_RAISED)
							continue;
						const char *v[5] = {
							c_ocid >= 0 && (size_t)c_ocid < row->n ? row->v[c_ocid] : "",
							c_cid >= 0 && (size_t)c_cid < row->n ? row->v[c_cid] : "",
							res[k].code, res[k].value, res[k].reason};
						werr |= licit_writer_row(w, v, NULL) != LICIT_OK;
						raised++;
					}
				} else {
					for (size_t k = 0; k < nres; k++)
						if (res[k].outcome == LICIT_RAISED) {
							size_t cl = strlen(res[k].code);
							if (len + cl + 2 > bufcap) {
								bufcap = (len + cl + 2) * 2;
								char *nb = realloc(buf, bufcap);
								if (!nb) {
									werr = 1;
									break;
								}
								buf = nb;
							}
							if (len)
								buf[len++] = ';';
							memcpy(buf + len, res[k].code, cl);
							len += cl;
							count++;
						}
					raised += count;
					char cnt[16];
					int cn = snprintf(cnt, sizeof cnt, "%d", count);
					for (size_t k = 0; k < ncols; k++) {
						vals[k] = k < row->n ? row->v[k] : "";
						lens[k] = k < row->n ? row->len[k] : 0;
					}
					if (buf)
						buf[len] = '\0';
					vals[ncols] = len ? buf : "";
					lens[ncols] = len;
					vals[ncols + 1] = cnt;
					lens[ncols + 1] = (size_t)cn;
					werr |= licit_writer_row(w, vals, lens) != LICIT_OK;
				}
				if (werr) {
					cli_write_error(&err, run->cli.output);
					rc = LICIT_ERR;
					break;
				}
			}
			free(buf);
			free(vals);
			free(lens);
			licit_reader_close(r);
			if (rc == LICIT_ERR) {
				if (err.text[0])
					cli_error(&run->cli, &err);
				goto done;
			}
		}
		progress_done(&pg);
		if (pass == 1 && licit_flags_settle(fl) < 0) {
			cli_warn(&run->cli, "out of memory");
			goto done;
		}
	}
	if (licit_writer_close(w, &err) != LICIT_OK) {
		w = NULL;
		cli_write_error(&err, run->cli.output);
		cli_error(&run->cli, &err);
		goto done;
	}
	w = NULL;
	if (licit_outfile_commit(&out, &err) != LICIT_OK) {
		of = NULL;
		cli_error(&run->cli, &err);
		goto done;
	}
	of = NULL;
	licit_flags_report(fl);
	if (run->summary)
		print_summary(run, fl, rows);
	else if (!run->cli.quiet)
		fprintf(stderr, "%s: %lld row%s, %lld flag%s raised\n", run->cli.prog, rows,
		        cli_s(rows), raised, cli_s(raised));
	status = EXIT_OK;
done:
	if (w)
		licit_writer_close(w, &err);
	if (of)
		licit_outfile_abort(&out);
	for (size_t k = 0; names && k < ncols; k++)
		free(names[k]);
	free(names);
	for (int i = 0; in && i < npaths; i++)
		if (in[i].spool)
			fclose(in[i].spool);
	free(in);
	licit_flags_free(fl);
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
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	run.meta = 1;
	const char *settings = NULL, *dir = NULL;
	int init = 0;
	cli_init(&run.cli, argv[0], usage);
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
	char **paths;
	int npaths = cli_inputs(argc, argv, &paths);
	const struct cli_file out = {"-o", run.cli.output}, set = {"--settings", settings};
	cli_check_files(&run.cli, &out, 1, &set, settings ? 1 : 0, paths, npaths);
	/* a data folder named by the user must be there: rules are not
	 * turned off by a typo */
	const char *named = dir ? dir : getenv("LICIT_DATA_DIR");
	struct stat st;
	if (named && *named && (stat(named, &st) != 0 || !S_ISDIR(st.st_mode))) {
		int e = errno;
		cli_warn(&run.cli, "%s %s: %s", dir ? "--data-dir" : "LICIT_DATA_DIR", named,
		         stat(named, &st) != 0 ? strerror(e) : "not a directory");
		return EXIT_DATA;
	}
	char dbuf[1100];
	struct licit_flags_settings s;
	struct licit_error err;
	licit_error_clear(&err);
	if (licit_flags_settings_load(&s, settings, data_dir(dir, dbuf, sizeof dbuf), &err)) {
		cli_error(&run.cli, &err);
		licit_flags_settings_fini(&s);
		return EXIT_DATA;
	}
	s.card.map = run.map;
	s.card.summary = run.summary && run.cardinal;
	int status = run.cardinal ? run_cardinal(&run, &s, paths, npaths)
	                          : run_mexico(&run, &s, paths, npaths);
	licit_flags_settings_fini(&s);
	return status;
}
