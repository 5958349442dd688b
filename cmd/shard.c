/* licit shard: canonical records split into N stable shards, one file each */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "licit/core/number.h"
#include "licit/record/shard.h"

static const char usage[] =
	"usage: licit shard [-q] [--by FIELDS] -n N -o DIR [--format csv|tsv|jsonl]\n"
	"                   [--input-format F] [--encoding E] [--delimiter C] [file ...]\n"
	"\n"
	"Splits canonical records into N shards by a stable hash of a key, so\n"
	"that N machines (or cores) can each run the pipeline on one of them:\n"
	"DIR/part-0001.csv ... DIR/part-N.csv, one file per shard and nothing\n"
	"else (an empty shard is a header alone). A record's shard depends only\n"
	"on its key's bytes, on any machine and for any input order; the same\n"
	"records are kept by `--shard I/N` in every tool (licit-scale(7)).\n"
	"\n"
	"  --by FIELDS        the key: buyer (default: buyer_id, else buyer_name),\n"
	"                     or canonical field names joined by commas\n"
	"  -n N               the number of shards, 1 to 256\n"
	"  -o, --output DIR   the folder to write them in: created, or empty\n"
	"  --format F         csv (default), tsv, jsonl\n"
	"  --input-format F, --encoding E, --delimiter C, --progress, --no-progress,\n"
	"  --safe-csv, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done, 1 unreadable input or write error (no shard file is\n"
	"left behind), 2 usage error (DIR not empty, N out of range).\n";

enum { OPT_BY = OPT_TOOL };

#define SHARD_FILES_MAX 256 /* each file has its own 256 KiB buffer */

struct run {
	struct cli cli;
	struct licit_shard_key key;
	int n;
	struct cli_columns u;
	struct licit_cols cols;
	char **path;              /* the shards' files (cli_output keeps them) */
	FILE **f;                 /* their streams, through cli_output */
	struct licit_writer **w;  /* their writers, through cli_writer */
	const char **vals;
	size_t *lens;
	long long total;
};

static int header(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	if (cli_columns_add(&run->u, r, NULL, 0) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int open_shards(struct run *run, struct licit_error *err);

static int bind(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	/* every header is known (header() ran for each): the shards' columns */
	if (!run->w && open_shards(run, err) != LICIT_OK)
		return LICIT_ERR;
	licit_cols_bind(&run->cols, r);
	if (licit_cols_require(&run->cols, r, err) != LICIT_OK)
		return LICIT_ERR;
	if (cli_columns_bind(&run->u, r) != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int one_row(void *ctx, struct licit_reader *r, const struct licit_row *row,
                   struct licit_error *err)
{
	(void)r;
	struct run *run = ctx;
	int s = licit_shard_of_row(&run->key, &run->cols, row, run->n);
	cli_columns_row(&run->u, row, run->vals, run->lens);
	if (licit_writer_row(run->w[s], run->vals, run->lens) != LICIT_OK)
		return cli_output_error(&run->cli, run->f[s], err);
	run->total++;
	return LICIT_OK;
}

/* DIR made (1), or found empty (0); exits EXIT_USAGE otherwise. */
static int make_dir(const struct cli *c, const char *dir)
{
	if (mkdir(dir, 0777) == 0)
		return 1;
	if (errno != EEXIST)
		cli_usage(c, "-o %s: cannot create the folder: %s", dir, strerror(errno));
	DIR *d = opendir(dir);
	if (!d)
		cli_usage(c, "-o %s: not a folder that can be read: %s", dir, strerror(errno));
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			cli_usage(c, "-o %s: the folder is not empty (it must hold the shards "
			          "and nothing else)", dir);
		}
	closedir(d);
	return 0;
}

static void free_run(struct run *run)
{
	cli_abort(&run->cli); /* every shard file not committed is removed */
	for (int i = 0; run->path && i < run->n; i++)
		free(run->path[i]);
	free(run->path);
	free(run->f);
	free(run->w);
	free(run->vals);
	free(run->lens);
	cli_columns_fini(&run->u);
}

/* Every shard file open, with its writer: the run's outputs, committed
 * together by cli_commit. */
static int open_shards(struct run *run, struct licit_error *err)
{
	const char *dir = run->cli.output;
	const char *ext = run->cli.out_format == LICIT_FMT_TSV     ? "tsv"
	                  : run->cli.out_format == LICIT_FMT_JSONL ? "jsonl"
	                                                           : "csv";
	size_t nc = run->u.n;
	run->path = calloc((size_t)run->n, sizeof *run->path);
	run->f = calloc((size_t)run->n, sizeof *run->f);
	run->w = calloc((size_t)run->n, sizeof *run->w);
	run->vals = calloc(nc + 1, sizeof *run->vals);
	run->lens = calloc(nc + 1, sizeof *run->lens);
	if (!run->path || !run->f || !run->w || !run->vals || !run->lens)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	for (int i = 0; i < run->n; i++) {
		size_t len = strlen(dir) + 32;
		if (!(run->path[i] = malloc(len)))
			return licit_error_set(err, NULL, 0, NULL, "out of memory");
		snprintf(run->path[i], len, "%s/part-%04d.%s", dir, i + 1, ext);
		if (!(run->f[i] = cli_output(&run->cli, "-o", run->path[i], err)) ||
		    !(run->w[i] = cli_writer(&run->cli, run->f[i], -1,
		                             (const char *const *)run->u.names, nc, err)))
			return LICIT_ERR;
	}
	return LICIT_OK;
}

int licit_cmd_shard(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"by", required_argument, NULL, OPT_BY},
		{NULL, 0, NULL, 0},
	};
	struct run run = {0};
	const char *by = "buyer";
	char why[200];
	cli_init(&run.cli, argv[0], usage);
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS "n:", longopts, NULL)) != -1) {
		if (cli_option(&run.cli, opt, optarg))
			continue;
		if (opt == OPT_BY) {
			by = optarg;
		} else if (opt == 'n') {
			long long n;
			if (licit_num_int(optarg, 1, SHARD_FILES_MAX, &n, why, sizeof why) != 0)
				cli_usage(&run.cli, "-n: %s", why);
			run.n = (int)n;
		}
	}
	if (licit_shard_key_parse(by, &run.key, why, sizeof why) != LICIT_OK)
		cli_usage(&run.cli, "--by: %s", why);
	if (!run.n)
		cli_usage(&run.cli, "give the number of shards: -n N");
	const char *dir = run.cli.output;
	if (!dir || strcmp(dir, "-") == 0)
		cli_usage(&run.cli, "give the folder of the shards: -o DIR");
	cli_open_inputs(&run.cli, argc, argv, 1);
	cli_check_files(&run.cli, NULL, 0, NULL, 0, run.cli.paths, run.cli.npaths);
	int made = make_dir(&run.cli, dir);

	struct licit_error err;
	licit_error_clear(&err);
	int status = EXIT_OK;
	/* every header first: the shards' columns are the union of the
	 * inputs' (as in dedupe and flags) */
	const struct cli_hooks hooks = {.header = header, .open = bind, .row = one_row, .ctx = &run};
	if (cli_pass(&run.cli, &hooks, &err) != LICIT_OK ||
	    (!run.w && open_shards(&run, &err) != LICIT_OK) || cli_commit(&run.cli, &err) != LICIT_OK) {
		cli_error(&run.cli, &err);
		status = EXIT_DATA;
	} else {
		cli_count(LICIT_ROWS_WRITTEN, run.total);
		if (!run.cli.quiet)
			fprintf(stderr, "%s: %lld record%s in %d shard%s under %s\n", run.cli.prog,
			        run.total, cli_s(run.total), run.n, cli_s(run.n), dir);
	}
	free_run(&run);
	if (status != EXIT_OK && made)
		rmdir(dir); /* a failed run leaves no folder it made */
	return status;
}
