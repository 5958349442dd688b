/* licit coverage: how many times each JSON path (or CSV column) holds a non-empty value */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "licit/cardinal/cardinal_line.h"
#include "licit/cardinal/coverage.h"
#include "licit/core/array.h"
#include "licit/core/utf8.h"

static const char usage[] =
	"usage: licit coverage [-q] [-o FILE] [--format csv|tsv|jsonl]\n"
	"                      [--input-format F] [--encoding E] [--delimiter C]\n"
	"                      [file ...]\n"
	"\n"
	"JSON Lines in (each line any JSON text, as Cardinal's coverage reads it):\n"
	"writes one JSON object mapping each path to the number of times it holds a\n"
	"non-empty value, in Cardinal's format ({\"/tender/id\": 2, \"/\": 2, \"\": 2}).\n"
	"Empty values are \"\", [], {}, null and values holding only empty values.\n"
	"The \"\" path is a line, a path ending with / an object, with [] an array\n"
	"item. Blank lines are skipped; a line that is not JSON text is skipped\n"
	"with a warning.\n"
	"CSV or TSV in: one row per column, column,non_empty (--format: csv, tsv,\n"
	"jsonl), in header order.\n"
	"\n"
	"  -o, --output FILE  write here (atomically) instead of stdout\n"
	"  --input-format F, --encoding E, --delimiter C, -q/--quiet, --help, --version\n"
	"\n"
	"Exit status: 0 done (skipped lines are warnings), 1 unreadable input or\n"
	"write error, or CSV and JSON inputs mixed, 2 usage error.\n";


struct run {
	struct cli cli;
	const char *source;
	struct cli_shown skips; /* lines skipped in the file */
	struct licit_coverage *json;
	struct cli_columns u;     /* CSV: the columns */
	unsigned long long *cols; /* their non-empty counts */
	size_t cols_cap;
	int kind; /* 0 none yet, 1 JSON, 2 CSV */
};

static void on_skip(void *ctx, const struct licit_diag *d)
{
	struct run *r = ctx;
	if (cli_show(&r->skips) && !r->cli.quiet)
		cli_warn(&r->cli, "%s:%ld: %s: line skipped", r->source, d->line, d->text);
}

static int on_line(void *ctx, struct licit_json *v, long line, struct licit_arena *a,
                   struct licit_error *err)
{
	(void)a;
	struct run *r = ctx;
	if (licit_coverage_add(r->json, v) < 0) {
		licit_error_set(err, r->source, line, NULL, "out of memory");
		return -1;
	}
	return 0;
}

/* CSV: the union of the files' columns (the first file's, then a later
 * file's new ones), each with its count of non-empty values. */
static int read_csv(struct run *run, struct licit_reader *r, struct licit_error *err)
{
	struct cli_columns *u = &run->u;
	if (cli_columns_add(u, r, NULL, 0) != LICIT_OK || cli_columns_bind(u, r) != LICIT_OK ||
	    LICIT_GROW(run->cols, run->cols_cap, u->n) != LICIT_OK)
		return licit_error_set(err, run->source, 0, NULL, "out of memory");
	const struct licit_row *row;
	int rc;
	while ((rc = licit_reader_next(r, &row, err)) == LICIT_OK)
		for (size_t k = 0; k < u->n; k++) {
			long c = u->map[k];
			if (c >= 0 && (size_t)c < row->n && row->len[c] > 0)
				run->cols[k]++;
		}
	return rc == LICIT_EOF ? LICIT_OK : LICIT_ERR;
}

static int one_file(void *ctx, struct licit_reader *r, int input, struct licit_error *err)
{
	(void)input;
	struct run *run = ctx;
	run->source = licit_reader_source(r);
	int kind = licit_reader_is_raw(r) ? 1 : 2;
	int rc;
	if (run->kind && kind != run->kind)
		rc = licit_error_set(err, run->source, 0, NULL, "%s input after %s input: "
		                     "count CSV and JSON files in separate runs",
		                     kind == 1 ? "JSON" : "CSV", kind == 1 ? "CSV" : "JSON");
	else if (kind == 1)
		rc = licit_cardinal_lines(r, run->cli.in.encoding, on_line, on_skip, run, err);
	else
		rc = read_csv(run, r, err);
	run->kind = kind;
	cli_shown_end(&run->cli, &run->skips, run->source, "lines skipped");
	return rc == LICIT_OK ? LICIT_OK : LICIT_ERR;
}

/* A path as Rust's Debug writes a string (Cardinal prints its map so). */
static void put_debug(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		unsigned cp = c;
		size_t len = 1;
		if (c >= 0x80) { /* the paths are UTF-8: the parser checked */
			len = licit_utf8_seq_len((const unsigned char *)s + i, n - i);
			if (len == 2)
				cp = (c & 0x1fu) << 6 | (s[i + 1] & 0x3fu);
			else if (len == 3)
				cp = (c & 0x0fu) << 12 | (s[i + 1] & 0x3fu) << 6 | (s[i + 2] & 0x3fu);
			else
				cp = 0x10000; /* beyond the BMP: printed as it is */
			if (len == 0)
				len = 1;
		}
		switch (cp) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		case 0: fputs("\\0", f); break;
		default:
			/* controls, and the characters Rust does not print as they
			 * are that field names may hold: combining accents, soft
			 * hyphen, zero-width and direction marks, line and
			 * paragraph separators, BOM */
			if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad ||
			    (cp >= 0x300 && cp < 0x370) || (cp >= 0x200b && cp <= 0x200f) ||
			    cp == 0x2028 || cp == 0x2029 || (cp >= 0x2060 && cp <= 0x2064) ||
			    cp == 0xfeff)
				fprintf(f, "\\u{%x}", cp);
			else
				fwrite(s + i, 1, len, f);
		}
		i += len - 1;
	}
	putc('"', f);
}

static int write_json(struct run *run, FILE *f)
{
	(void)run;
	size_t n = licit_coverage_count(run->json);
	putc('{', f);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *p = licit_coverage_path(run->json, i, &len);
		if (i)
			fputs(", ", f);
		put_debug(f, p, len);
		fprintf(f, ": %llu", licit_coverage_n(run->json, i));
	}
	fputs("}\n", f);
	return ferror(f) ? -1 : 0;
}

static int write_csv(struct run *run, FILE *f, struct licit_error *err)
{
	static const char *const cols[] = {"column", "non_empty"};
	struct licit_writer *w = cli_writer(&run->cli, f, -1, cols, 2, err);
	if (!w)
		return LICIT_ERR;
	licit_writer_set_numeric(w, 1, 1);
	for (size_t i = 0; i < run->u.n; i++) {
		char num[24];
		snprintf(num, sizeof num, "%llu", run->cols[i]);
		const char *v[] = {run->u.names[i], num};
		if (licit_writer_row(w, v, NULL) != LICIT_OK)
			return cli_output_error(&run->cli, f, err);
	}
	return LICIT_OK;
}

int licit_cmd_coverage(int argc, char **argv)
{
	struct run run = {0};
	cli_init(&run.cli, argv[0], usage);
	run.cli.in.raw_json = 1;
	static const struct option longopts[] = {CLI_LONGOPTS, {0, 0, 0, 0}};
	int opt;
	while ((opt = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1)
		if (!cli_option(&run.cli, opt, optarg))
			cli_usage(&run.cli, "unknown option");
	if (run.cli.in.format == LICIT_FMT_OCDS)
		run.cli.in.format = LICIT_FMT_JSONL;
	cli_open_inputs(&run.cli, argc, argv, 1);
	const struct cli_file out = {"-o", run.cli.output};
	cli_check_files(&run.cli, &out, 1, NULL, 0, run.cli.paths, run.cli.npaths);
	run.json = licit_coverage_new();
	if (!run.json) {
		cli_warn(&run.cli, "out of memory");
		return EXIT_DATA;
	}
	struct licit_error err;
	licit_error_clear(&err);
	const struct cli_hooks hooks = {.open = one_file, .ctx = &run};
	FILE *f = NULL;
	int status = EXIT_DATA;
	if (cli_pass(&run.cli, &hooks, &err) == LICIT_OK &&
	    (f = cli_output(&run.cli, "-o", run.cli.output, &err)) &&
	    (run.kind == 2 ? write_csv(&run, f, &err)
	                   : write_json(&run, f) < 0 ? cli_output_error(&run.cli, f, &err)
	                                             : LICIT_OK) == LICIT_OK &&
	    cli_commit(&run.cli, &err) == LICIT_OK)
		status = EXIT_OK;
	if (status != EXIT_OK)
		cli_error(&run.cli, &err);
	cli_abort(&run.cli);
	licit_coverage_free(run.json);
	cli_columns_fini(&run.u);
	free(run.cols);
	return status;
}
