/* licit prepare: Cardinal's corrections of OCDS compiled releases, and its quality issues as CSV */
#define _GNU_SOURCE /* putc_unlocked */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/cardinal/cardinal_line.h"
#include "licit/flags/flags.h"
#include "licit/ocds/ocds.h"
#include "licit/cardinal/prepare.h"
#include "licit/core/settings.h"

static const char usage[] =
	"usage: licit prepare [-q] [--settings FILE] [-o FILE] [--errors FILE]\n"
	"                     [--header] [--encoding E] [file ...]\n"
	"\n"
	"Corrects OCDS compiled releases as Cardinal's prepare does (defaults,\n"
	"redactions, award status from contract status, codelist replacements,\n"
	"moved auction bids, id prefixes, split procurementMethodDetails, objects\n"
	"where arrays are expected, numeric ids as strings) and writes them as\n"
	"JSON Lines. Quality issues are CSV rows: line, ocid, path, array\n"
	"indexes, incorrect value, error description. See licit-prepare(1).\n"
	"\n"
	"  --settings FILE    Cardinal settings ([defaults], [redactions],\n"
	"                     [corrections], [modifications], [codelists.*]; the\n"
	"                     indicators' and licit's rules' sections are checked too)\n"
	"  -o, --output FILE  corrected releases here (atomically), default stdout\n"
	"  --errors FILE      quality issues here (atomically), default stderr\n"
	"  --header           the quality issues with a header line\n"
	"  --encoding E, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done (issues and skipped lines are not failures), 1\n"
	"unreadable input or settings, or write error, 2 usage error.\n";

enum { OPT_SETTINGS = OPT_TOOL, OPT_ERRORS, OPT_HEADER };


struct run {
	struct cli cli;
	struct licit_prepare_settings s;
	const char *source;
	struct cli_shown warnings; /* of the file */
	FILE *out, *issues;
};

static void warn_line(struct run *r, long line, const char *text)
{
	if (cli_show(&r->warnings) && !r->cli.quiet)
		cli_warn(&r->cli, "%s:%ld: %s", r->source, line, text);
}

/* a correction prepare could not make */
static void on_warn(void *ctx, const struct licit_diag *d)
{
	warn_line(ctx, d->line, d->text);
}

static void on_skip(void *ctx, const struct licit_diag *d)
{
	char text[200];
	snprintf(text, sizeof text, "%s: line skipped", d->text);
	warn_line(ctx, d->line, text);
}

static void csv(FILE *f, const char *s)
{
	licit_csv_put(f, s, strlen(s), ',');
}

static void on_issue(void *ctx, long line, const struct licit_json *ocid, const char *path,
                     const char *indexes, const char *value, const char *description)
{
	struct run *r = ctx;
	FILE *f = r->issues;
	fprintf(f, "%ld,", line);
	if (ocid && (ocid->type == LICIT_JSON_STRING || ocid->type == LICIT_JSON_NUMBER))
		licit_csv_put(f, ocid->u.s, ocid->n, ',');
	else if (ocid && ocid->type == LICIT_JSON_TRUE)
		fputs("true", f);
	else if (ocid && ocid->type == LICIT_JSON_FALSE)
		fputs("false", f);
	putc_unlocked(',', f);
	csv(f, path);
	putc_unlocked(',', f);
	csv(f, indexes);
	putc_unlocked(',', f);
	csv(f, value);
	putc_unlocked(',', f);
	csv(f, description);
	putc_unlocked('\n', f);
}

static int prepare_one(struct run *r, struct licit_json *v, long line, struct licit_arena *a,
                       struct licit_error *err)
{
	if (licit_prepare_release(&r->s, v, a, line, on_issue, on_warn, r) < 0) {
		licit_error_set(err, r->source, line, NULL, "out of memory");
		return -1;
	}
	licit_cardinal_json_write(r->out, v);
	return 0;
}

/* Packages are opened: a record's compiled release (or its releases
 * compiled), a release package's releases (those of one ocid compiled). */
static int on_value(void *ctx, struct licit_json *v, long line, struct licit_arena *a,
                    struct licit_error *err)
{
	struct run *r = ctx;
	if (v->type != LICIT_JSON_OBJECT) {
		warn_line(r, line, "not a JSON object: line skipped");
		return 0;
	}
	const struct licit_json *records = licit_json_get(v, "records");
	const struct licit_json *releases = licit_json_get(v, "releases");
	if (licit_json_get(v, "ocid") || (!licit_json_is_array(records) && !licit_json_is_array(releases)))
		return prepare_one(r, v, line, a, err);
	size_t i;
	const struct licit_json *e;
	licit_json_foreach(records, i, e) {
		const struct licit_json *c = licit_json_get(e, "compiledRelease");
		const struct licit_json *rel = licit_json_get(e, "releases");
		if (!c && licit_json_size(rel)) {
			const struct licit_json **p = malloc(licit_json_size(rel) * sizeof *p);
			if (!p)
				return licit_error_set(err, r->source, line, NULL, "out of memory"), -1;
			for (size_t k = 0; k < licit_json_size(rel); k++)
				p[k] = licit_json_at(rel, k);
			c = licit_ocds_compile(p, licit_json_size(rel), a);
			free(p);
			if (!c)
				return licit_error_set(err, r->source, line, NULL, "out of memory"), -1;
		}
		if (!licit_json_is_object(c)) {
			warn_line(r, line, "a record with neither compiledRelease nor releases: skipped");
			continue;
		}
		if (prepare_one(r, (struct licit_json *)c, line, a, err) < 0)
			return -1;
	}
	/* releases of one ocid are one process: compiled together */
	size_t n = licit_json_size(releases);
	char *done = calloc(n + 1, 1);
	const struct licit_json **p = malloc((n + 1) * sizeof *p);
	int rc = done && p ? 0 : -1;
	if (rc < 0)
		licit_error_set(err, r->source, line, NULL, "out of memory");
	for (size_t k = 0; k < n && rc == 0; k++) {
		if (done[k])
			continue;
		const struct licit_json *rk = licit_json_at(releases, k);
		const char *ocid = licit_json_str(licit_json_get(rk, "ocid"));
		size_t np = 0;
		for (size_t m = k; m < n; m++) {
			const struct licit_json *rm = licit_json_at(releases, m);
			const char *o = licit_json_str(licit_json_get(rm, "ocid"));
			if (m == k || (ocid && o && strcmp(o, ocid) == 0)) {
				p[np++] = rm;
				done[m] = 1;
			}
		}
		const struct licit_json *c = np == 1 ? rk : licit_ocds_compile(p, np, a);
		if (!c) {
			rc = licit_error_set(err, r->source, line, NULL, "out of memory");
			break;
		}
		if (!licit_json_is_object(c))
			warn_line(r, line, "a release that is not a JSON object: skipped");
		else
			rc = prepare_one(r, (struct licit_json *)c, line, a, err);
	}
	free(done);
	free(p);
	return rc;
}

static int one_file(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	run->source = licit_reader_source(r);
	int rc = licit_reader_is_raw(r)
	         ? licit_cardinal_lines(r, run->cli.in.encoding, on_value, on_skip, run, err)
	         : licit_error_set(err, run->source, 1, NULL, "not JSON: licit prepare reads "
	                           "OCDS compiled releases as JSON Lines or JSON documents");
	cli_shown_end(&run->cli, &run->warnings, run->source, "warnings");
	return rc == LICIT_OK ? LICIT_OK : LICIT_ERR;
}

/* The settings: every section checked (the flags' reading), the prepare
 * sections taken. */
static int load_settings(struct run *run, const char *path, struct licit_flags_settings *fs)
{
	struct licit_error err;
	licit_error_clear(&err);
	if (licit_flags_settings_load(fs, path, NULL, &err) != LICIT_OK ||
	    licit_prepare_settings_load(&run->s, fs->ini, &err) != LICIT_OK) {
		cli_error(&run->cli, &err);
		return -1;
	}
	return 0;
}

int licit_cmd_prepare(int argc, char **argv)
{
	struct run run = {0};
	cli_init(&run.cli, argv[0], usage);
	run.cli.in.raw_json = 1;
	run.cli.in.format = LICIT_FMT_JSONL;
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"settings", required_argument, NULL, OPT_SETTINGS},
		{"errors", required_argument, NULL, OPT_ERRORS},
		{"header", no_argument, NULL, OPT_HEADER},
		{0, 0, 0, 0}};
	const char *settings = NULL, *errors = NULL;
	int header = 0, opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (opt == OPT_FORMAT || opt == OPT_INPUT_FORMAT || opt == OPT_DELIMITER ||
		    opt == OPT_ROOT_PATH || opt == OPT_CSV_ENGINE || opt == OPT_MEMORY)
			cli_usage(&run.cli, "licit prepare reads and writes JSON Lines only: "
			          "no %s", argv[optind - 1]);
		if (cli_option(&run.cli, opt, optarg))
			continue;
		switch (opt) {
		case OPT_SETTINGS: settings = optarg; break;
		case OPT_ERRORS: errors = optarg; break;
		case OPT_HEADER: header = 1; break;
		default: cli_usage(&run.cli, "unknown option");
		}
	}
	cli_open_inputs(&run.cli, argc, argv, 1);
	const struct cli_file outs[] = {{"-o", run.cli.output}, {"--errors", errors}},
	                      set = {"--settings", settings};
	/* without --errors the issues go to standard error, not checked */
	cli_check_files(&run.cli, outs, errors ? 2 : 1, &set, settings ? 1 : 0, run.cli.paths,
	                run.cli.npaths);
	struct licit_flags_settings fs;
	if (load_settings(&run, settings, &fs) < 0) {
		licit_flags_settings_fini(&fs);
		licit_prepare_settings_fini(&run.s);
		return EXIT_DATA;
	}
	struct licit_error err;
	licit_error_clear(&err);
	int status = EXIT_OK;
	run.out = cli_output(&run.cli, "-o", run.cli.output, &err);
	run.issues = run.out ? errors ? cli_output(&run.cli, "--errors", errors, &err) : stderr : NULL;
	if (!run.out || !run.issues)
		status = EXIT_DATA;
	if (status == EXIT_OK && header)
		fputs("line,ocid,path,array indexes,incorrect value,error description\n", run.issues);
	const struct cli_hooks hooks = {.open = one_file, .ctx = &run};
	if (status == EXIT_OK && cli_pass(&run.cli, &hooks, &err) != LICIT_OK)
		status = EXIT_DATA;
	if (status == EXIT_OK && (ferror(run.out) || (run.issues != stderr && ferror(run.issues)))) {
		cli_output_error(&run.cli, ferror(run.out) ? run.out : run.issues, &err);
		status = EXIT_DATA;
	}
	if (status == EXIT_OK && cli_commit(&run.cli, &err) != LICIT_OK)
		status = EXIT_DATA;
	if (status != EXIT_OK && err.text[0])
		cli_error(&run.cli, &err);
	cli_abort(&run.cli);
	licit_flags_settings_fini(&fs);
	licit_prepare_settings_fini(&run.s);
	return status;
}
