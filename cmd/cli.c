/* Common options, diagnostics and progress for every tool. */
#include "cli.h"

#include "licit/ocid_sort.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void cli_init(struct cli *c, const char *prog, const char *usage)
{
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	c->out_format = LICIT_FMT_CSV;
	c->progress = -1;
}

/* The synopsis is the usage text's first paragraph. */
static int synopsis_len(const struct cli *c)
{
	const char *end = strstr(c->usage, "\n\n");
	return end ? (int)(end - c->usage) : (int)strlen(c->usage);
}

int cli_option(struct cli *c, int opt, const char *arg)
{
	int v;
	switch (opt) {
	case 'o':
		c->output = arg;
		return 1;
	case 'q':
		c->quiet = 1;
		return 1;
	case OPT_FORMAT:
		v = licit_format_parse(arg);
		if (v != LICIT_FMT_CSV && v != LICIT_FMT_TSV && v != LICIT_FMT_JSONL)
			cli_usage(c, "--format: '%s' is not csv, tsv or jsonl", arg);
		c->out_format = (enum licit_format)v;
		return 1;
	case OPT_INPUT_FORMAT:
		v = licit_format_parse(arg);
		if (v < 0)
			cli_usage(c, "--input-format: '%s' is not auto, csv, tsv, jsonl or ocds", arg);
		c->in.format = (enum licit_format)v;
		return 1;
	case OPT_ENCODING:
		v = licit_encoding_parse(arg);
		if (v < 0)
			cli_usage(c, "--encoding: '%s' is not auto, utf-8, latin1 or cp1252", arg);
		c->in.encoding = (enum licit_encoding)v;
		return 1;
	case OPT_DELIMITER:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			c->in.delimiter = '\t';
		else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n')
			c->in.delimiter = arg[0];
		else
			cli_usage(c, "--delimiter: give one character or 'tab'");
		return 1;
	case OPT_MEMORY: {
		long long m = licit_parse_size(arg);
		if (m < 1024)
			cli_usage(c, "--memory: '%s' is not a size of at least 1K (e.g. 64M, 2G)", arg);
		c->in.memory = (size_t)m;
		return 1;
	}
	case OPT_PROGRESS:
		c->progress = 1;
		return 1;
	case OPT_NO_PROGRESS:
		c->progress = 0;
		return 1;
	case OPT_HELP:
		fputs(c->usage, stdout);
		exit(EXIT_OK);
	case OPT_VERSION:
		printf("%s %s\n", c->prog, LICIT_VERSION);
		exit(EXIT_OK);
	case '?': /* getopt has said what was wrong */
		fprintf(stderr, "%.*s\n", synopsis_len(c), c->usage);
		fprintf(stderr, "Try '%s --help' for more.\n", c->prog);
		exit(EXIT_USAGE);
	}
	return 0;
}

void cli_warn(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_error(const struct cli *c, const struct licit_error *e)
{
	fprintf(stderr, "%s: ", c->prog);
	if (e->source[0])
		fprintf(stderr, "%s:", e->source);
	if (e->line > 0)
		fprintf(stderr, "%ld:", e->line);
	if (e->source[0] || e->line > 0)
		fputc(' ', stderr);
	if (e->field[0])
		fprintf(stderr, "%s: ", e->field);
	fprintf(stderr, "%s\n", e->text);
}

void cli_usage(const struct cli *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, "%.*s\n", synopsis_len(c), c->usage);
	fprintf(stderr, "Try '%s --help' for more.\n", c->prog);
	exit(EXIT_USAGE);
}

int cli_split(const char *s, char ***out)
{
	char *copy = strdup(s);
	int n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ',';
	char **v = malloc((size_t)n * sizeof *v);
	if (!copy || !v) {
		free(copy);
		free(v);
		return -1;
	}
	int k = 0;
	for (char *tok = copy, *next; tok; tok = next) {
		next = strchr(tok, ',');
		if (next)
			*next++ = '\0';
		v[k++] = tok;
	}
	*out = v;
	return k;
}

int cli_inputs(int argc, char **argv, char ***paths)
{
	static char *stdin_only[] = {"-", NULL};
	if (optind < argc) {
		*paths = argv + optind;
		return argc - optind;
	}
	*paths = stdin_only;
	return 1;
}

FILE *cli_spool_stdin(struct licit_error *err)
{
	FILE *t = tmpfile();
	if (!t) {
		licit_error_set(err, "-", 0, NULL, "cannot create a temporary file for "
		                "the second pass");
		return NULL;
	}
	char buf[1 << 16];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		if (fwrite(buf, 1, n, t) != n) {
			fclose(t);
			licit_error_set(err, "-", 0, NULL, "cannot write the temporary copy "
			                "of standard input");
			return NULL;
		}
	if (ferror(stdin)) {
		fclose(t);
		licit_error_set(err, "-", 0, NULL, "read error");
		return NULL;
	}
	rewind(t);
	return t;
}

struct licit_reader *cli_reopen(const struct cli *c, const char *path, FILE *spool,
                                struct licit_error *err)
{
	if (spool && strcmp(path, "-") == 0) {
		rewind(spool);
		return licit_reader_open_stream(spool, "-", &c->in, err);
	}
	return licit_reader_open(path, &c->in, err);
}

void progress_init(struct progress *p, const struct cli *c)
{
	memset(p, 0, sizeof *p);
	p->cli = c;
	p->on = !c->quiet && (c->progress == 1 || (c->progress == -1 && isatty(2)));
	p->last = time(NULL);
}

void progress_tick(struct progress *p, const struct licit_reader *r)
{
	if (!p->on || (++p->rows & 4095))
		return;
	time_t now = time(NULL);
	if (now == p->last)
		return;
	p->last = now;
	long long done = licit_reader_bytes(r), size = licit_reader_size(r);
	if (size > 0)
		fprintf(stderr, "\r%s: %s: %lld rows, %lld%%   ", p->cli->prog,
		        licit_reader_source(r), p->rows, done * 100 / size);
	else
		fprintf(stderr, "\r%s: %s: %lld rows, %lld MB   ", p->cli->prog,
		        licit_reader_source(r), p->rows, done >> 20);
}

void progress_done(struct progress *p)
{
	if (p->on && p->rows >= 4096)
		fputs("\r\033[K", stderr);
}
