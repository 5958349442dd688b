/* What every licit tool shares on the command line: the common options,
 * diagnostics in one format, inputs, outputs and progress. */
#ifndef LICIT_CLI_H
#define LICIT_CLI_H

#include <getopt.h>
#include <stdio.h>
#include <time.h>

#include "licit/error.h"
#include "licit/reader.h"
#include "licit/writer.h"

#define LICIT_VERSION "0.1.0"

/* Exit statuses, the same for every tool (see licit(1)). */
enum { EXIT_OK = 0, EXIT_DATA = 1, EXIT_USAGE = 2 };

#define TOOL(name, fn, summary) int fn(int argc, char **argv);
#include "tools.def"
#undef TOOL

struct cli {
	const char *prog;           /* "licit-normalise" */
	const char *usage;          /* the synopsis and options, as in the man page */
	const char *output;         /* -o FILE, NULL = standard output */
	struct licit_reader_opts in;
	enum licit_format out_format;
	int quiet;
	int progress;               /* -1 = when stderr is a terminal */
};

/* Long options every tool accepts; tools append their own after these. */
enum {
	OPT_FORMAT = 1000, OPT_INPUT_FORMAT, OPT_ENCODING, OPT_DELIMITER,
	OPT_PROGRESS, OPT_NO_PROGRESS, OPT_HELP, OPT_VERSION, OPT_TOOL = 1100
};
#define CLI_LONGOPTS                                                     \
	{"output", required_argument, NULL, 'o'},                        \
	{"format", required_argument, NULL, OPT_FORMAT},                 \
	{"input-format", required_argument, NULL, OPT_INPUT_FORMAT},     \
	{"encoding", required_argument, NULL, OPT_ENCODING},             \
	{"delimiter", required_argument, NULL, OPT_DELIMITER},           \
	{"quiet", no_argument, NULL, 'q'},                               \
	{"progress", no_argument, NULL, OPT_PROGRESS},                   \
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS},             \
	{"help", no_argument, NULL, OPT_HELP},                           \
	{"version", no_argument, NULL, OPT_VERSION}
#define CLI_SHORTOPTS "o:q"

void cli_init(struct cli *c, const char *prog, const char *usage);
/* Handles a common option: returns 1 if it was one (exits on --help,
 * --version and bad values), 0 if the tool must handle it. */
int cli_option(struct cli *c, int opt, const char *arg);

void cli_warn(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints "prog: source:line: field: text" for a library error. */
void cli_error(const struct cli *c, const struct licit_error *e);
/* Prints the message and the usage line, exits EXIT_USAGE. */
void cli_usage(const struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));
/* Parses "a,b,c" into at most max names (pointers into a copy). */
int cli_split(const char *s, char ***out);

/* Progress on stderr, at most once a second. */
struct progress {
	const struct cli *cli;
	int on;
	time_t last;
	long long rows;
};
void progress_init(struct progress *p, const struct cli *c);
void progress_tick(struct progress *p, const struct licit_reader *r);
void progress_done(struct progress *p);

#endif
