/* Common options, diagnostics and the checks of files every tool
 * makes; the run itself (inputs, passes, outputs) is in cli_run.c. */
#define _GNU_SOURCE /* F_SETPIPE_SZ */
#include "cli.h"

#include "licit/core/number.h"
#include "licit/io/unpack.h"
#include "licit/io/xlsx_write.h"

#include "licit/ocds/ocid_sort.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>




/* A signal that ends the run removes the temporaries of -o and the other
 * output files, then ends the process by the same signal (exit status
 * 128+N to the shell) with the targets untouched. */
static void on_fatal_signal(int sig)
{
	licit_outfile_remove_temps();
	raise(sig); /* the default action: SA_RESETHAND restored it */
}

static void catch_signals(void)
{
	sigset_t sigs;
	licit_cleanup_signals(&sigs);
	for (int sig = 1; sig < NSIG; sig++) {
		struct sigaction sa, old;
		/* a signal ignored on entry (nohup, a background job's SIGINT)
		 * stays ignored */
		if (sigismember(&sigs, sig) != 1 || sigaction(sig, NULL, &old) != 0 ||
		    old.sa_handler == SIG_IGN)
			continue;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = on_fatal_signal;
		sa.sa_flags = SA_RESETHAND | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		sigaction(sig, &sa, NULL);
	}
}

/* The tool's name and its last message, for the in-band abort mark. */
static const char *tool_prog = "licit";
static char last_message[512];

/* What the reader notes outside any row (an empty record, a duplicate
 * column name): warnings, the first few of them. */
#define SHOW_NOTES 10
static void print_note(void *ctx, const struct licit_diag *d)
{
	static char *shown[SHOW_NOTES];
	static long notes;
	const struct cli *c = ctx;
	if (c->quiet)
		return;
	char text[600];
	snprintf(text, sizeof text, "%s:%ld: %s", d->source ? d->source : "-", d->line, d->text);
	const char *source = d->source ? d->source : "-";
	/* a tool that reads its input twice sees each note twice */
	for (long i = 0; i < notes && i < SHOW_NOTES; i++)
		if (shown[i] && strcmp(shown[i], text) == 0)
			return;
	if (notes < SHOW_NOTES)
		shown[notes] = strdup(text);
	if (notes++ < SHOW_NOTES)
		cli_warn(c, "%s", text);
	else if (notes == SHOW_NOTES + 1)
		cli_warn(c, "%s: more notes like these are not shown", source);
}

/* Pipes at standard input and output grow to 1 MiB where the kernel
 * allows it (fewer context switches between the stages of a pipeline). */
static void pipe_sizes(void)
{
	for (int fd = 0; fd <= 1; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
			(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
	}
}

void cli_init(struct cli *c, const char *prog, const char *usage)
{
	pipe_sizes();
	catch_signals();
	tool_prog = prog;
	memset(c, 0, sizeof *c);
	c->prog = prog;
	c->usage = usage;
	c->out_format = LICIT_FMT_CSV;
	c->progress = -1;
	c->in.note = print_note;
	c->in.note_ctx = c;
	const char *safe = getenv("LICIT_SAFE_CSV");
	licit_writer_set_safe_csv(safe && strcmp(safe, "1") == 0);
	const char *engine = getenv("LICIT_CSV_ENGINE");
	if (engine && *engine && cli_option(c, OPT_CSV_ENGINE, engine) != 1)
		exit(EXIT_USAGE);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	c->threads = cores < 1 ? 1 : cores > CLI_MAX_THREADS ? CLI_MAX_THREADS : (int)cores;
	c->in.threads = c->threads;
	const char *threads = getenv("LICIT_THREADS");
	if (threads && *threads && cli_option(c, OPT_THREADS, threads) != 1)
		exit(EXIT_USAGE);
	/* LICIT_JOBS: the default of -j, for the tools that take it */
	const char *jobs = getenv("LICIT_JOBS");
	long long j;
	char why[160];
	if (jobs && *jobs && licit_num_int(jobs, 1, CLI_MAX_THREADS, &j, why, sizeof why) != 0)
		cli_usage(c, "LICIT_JOBS: %s", why);
	c->jobs_env = jobs && *jobs ? (int)j : 0;
}

int cli_finish(int status)
{
	status = cli_manifest_finish(status);
	if (status != EXIT_DATA || !licit_writer_stdout_written() || isatty(1))
		return status;
	/* one field on one line for any licit reader: no delimiter, quote or
	 * line break of CSV or TSV */
	char msg[sizeof last_message];
	size_t i = 0;
	for (; last_message[i]; i++) {
		char ch = last_message[i];
		msg[i] = ch == ',' ? ';' : ch == '"' ? '\'' : (ch == '\t' || ch == '\r' ||
		                                             ch == '\n') ? ' ' : ch;
	}
	msg[i] = '\0';
	fflush(stdout);
	clearerr(stdout);
	printf("#licit-abort: %s: %s\n", tool_prog, msg[0] ? msg : "failed");
	fflush(stdout);
	return status;
}

/* The synopsis is the usage text's first paragraph. */
static int synopsis_len(const struct cli *c)
{
	const char *end = strstr(c->usage, "\n\n");
	return end ? (int)(end - c->usage) : (int)strlen(c->usage);
}

int cli_format(struct cli *c, const char *arg, const char *own)
{
	if (own && strcmp(arg, own) == 0)
		return 1;
	if (c->xlsx && strcmp(arg, "xlsx") == 0) {
		if (!licit_xlsx_available())
			cli_usage(c, "--format xlsx: this licit is built without libxlsxwriter "
			          "(apt-get install libxlsxwriter-dev, then build again)");
		c->out_format = LICIT_FMT_XLSX;
		return 0;
	}
	int v = licit_format_parse(arg);
	if (v != LICIT_FMT_CSV && v != LICIT_FMT_TSV && v != LICIT_FMT_JSONL)
		cli_usage(c, "--format: '%s' is not csv, tsv%s jsonl%s%s%s%s", arg,
		          own || c->xlsx ? "," : " or", c->xlsx && own ? ", xlsx" : "",
		          own || c->xlsx ? " or " : "", c->xlsx && !own ? "xlsx" : "",
		          own ? own : "");
	c->out_format = (enum licit_format)v;
	return 0;
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
		cli_format(c, arg, NULL);
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
	case OPT_ROOT_PATH:
		if (!*arg)
			cli_usage(c, "--root-path: give member names, e.g. results");
		c->in.root_path = arg;
		return 1;
	case OPT_SAFE_CSV:
		licit_writer_set_safe_csv(1);
		return 1;
	case OPT_CSV_ENGINE:
		v = licit_csv_engine_parse(arg);
		if (v < 0)
			cli_usage(c, "--csv-engine (or LICIT_CSV_ENGINE): '%s' is not fast or libcsv", arg);
		c->in.csv_engine = (enum licit_csv_engine)v;
		return 1;
	case OPT_THREADS: {
		long long t;
		char why[160];
		if (licit_num_int(arg, 1, CLI_MAX_THREADS, &t, why, sizeof why) != 0)
			cli_usage(c, "--threads (or LICIT_THREADS): %s", why);
		c->threads = (int)t;
		c->in.threads = c->threads;
		return 1;
	}
	case 'j': {
		long long t;
		char why[160];
		if (!c->jobs_ok)
			cli_usage(c, "-j/--jobs: this tool reads its input as one job "
			          "(kpi, dedupe and flags take -j)");
		if (licit_num_int(arg, 1, CLI_MAX_THREADS, &t, why, sizeof why) != 0)
			cli_usage(c, "-j/--jobs: %s", why);
		c->jobs_given = (int)t;
		return 1;
	}
	case OPT_SHARD: {
		char why[160];
		if (licit_shard_spec_parse(arg, &c->shard_i, &c->shard_n, why, sizeof why) != LICIT_OK)
			cli_usage(c, "--shard: %s", why);
		return 1;
	}
	case OPT_SHARD_BY: {
		char why[160];
		if (licit_shard_key_parse(arg, &c->shard_key, why, sizeof why) != LICIT_OK)
			cli_usage(c, "--shard-by: %s", why);
		return 1;
	}
	case OPT_MANIFEST:
		cli_manifest_option(c, arg);
		return 1;
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
	char m[sizeof last_message];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(m, sizeof m, fmt, ap);
	va_end(ap);
	if (cli_log_text(m, NULL)) /* a job after the first: told later */
		return;
	memcpy(last_message, m, sizeof m);
	fprintf(stderr, "%s: %s\n", c->prog, last_message);
}

/* "source:line: field: 'value': text" into m; the parts that are absent
 * left out. */
static void diag_text(char *m, size_t cap, const struct licit_diag *d)
{
	size_t k = 0;
	int src = d->source && d->source[0];
	if (src)
		k += (size_t)snprintf(m + k, cap - k, "%s:", d->source);
	if (d->line > 0 && k < cap)
		k += (size_t)snprintf(m + k, cap - k, "%ld:", d->line);
	if ((src || d->line > 0) && k < cap)
		k += (size_t)snprintf(m + k, cap - k, " ");
	if (d->field && d->field[0] && k < cap)
		k += (size_t)snprintf(m + k, cap - k, "%s: ", d->field);
	if (d->value && k < cap)
		k += (size_t)snprintf(m + k, cap - k, "'%s': ", d->value);
	if (k < cap)
		snprintf(m + k, cap - k, "%s", d->text);
}

void cli_shown_end(const struct cli *c, struct cli_shown *s, const char *source,
                   const char *what)
{
	if (s->n > CLI_SHOW && !c->quiet)
		cli_warn(c, "%s: %ld %s in all, the first %d shown", source, s->n, what, CLI_SHOW);
	s->n = 0;
}

void cli_error(const struct cli *c, const struct licit_error *e)
{
	struct licit_diag d = {LICIT_ERROR, e->source, e->line, e->field, NULL, e->text};
	diag_text(last_message, sizeof last_message, &d);
	fprintf(stderr, "%s: %s\n", c->prog, last_message);
}

void cli_diag(void *ctx, const struct licit_diag *d)
{
	const struct cli *c = ctx;
	if (c->quiet && d->severity != LICIT_ERROR)
		return;
	char m[sizeof last_message];
	diag_text(m, sizeof m, d);
	if (cli_log_text(m, NULL))
		return;
	if (d->severity == LICIT_ERROR)
		memcpy(last_message, m, sizeof m);
	fprintf(stderr, "%s: %s\n", c->prog, m);
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

/* What identifies a file: its device and inode when it exists; for one
 * still to be created, its folder's device and inode and its name. */
struct file_id {
	int std;   /* standard input or output */
	int found; /* the file exists */
	dev_t dev;
	ino_t ino;
	const char *base; /* a file to be created: its name in the folder */
};

static int is_std(const char *path)
{
	return !path || strcmp(path, "-") == 0;
}

static void file_id(struct file_id *id, const char *path, int fd)
{
	struct stat st;
	memset(id, 0, sizeof *id);
	id->std = is_std(path);
	if (id->std ? fstat(fd, &st) == 0 : stat(path, &st) == 0) {
		/* only a regular file can be clobbered, and only a file or a
		 * pipe mixes two outputs: /dev/null twice is harmless */
		id->found = S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode);
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		return;
	}
	if (id->std)
		return;
	const char *slash = strrchr(path, '/');
	char dir[4096];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (stat(dir, &st) == 0) {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->base = slash ? slash + 1 : path;
	}
}

static int same_file(const struct file_id *a, const struct file_id *b)
{
	if (a->found && b->found)
		return a->dev == b->dev && a->ino == b->ino;
	if (a->found || b->found || !a->base || !b->base)
		return 0;
	return a->dev == b->dev && a->ino == b->ino && strcmp(a->base, b->base) == 0;
}

static const char *file_opt(const struct cli_file *f)
{
	return f->opt ? f->opt : "the input";
}

static const char *file_name(const char *path, int output)
{
	return !is_std(path) ? path : output ? "standard output" : "standard input";
}

void cli_check_files(const struct cli *c, const struct cli_file *outs, size_t nout,
                     const struct cli_file *in, size_t nin, char *const *ops, int nops)
{
	size_t n = nin + (size_t)nops;
	struct cli_file *all = malloc((n ? n : 1) * sizeof *all);
	struct file_id *ids = malloc((n + nout + 2) * sizeof *ids);
	/* the manifest is one more output */
	struct cli_file *out = malloc((nout + 1) * sizeof *out);
	if (!all || !ids || !out)
		cli_usage(c, "out of memory");
	if (nout)
		memcpy(out, outs, nout * sizeof *out);
	if (cli_manifest_path())
		out[nout++] = (struct cli_file){"--manifest", cli_manifest_path()};
	if (c->out_format == LICIT_FMT_XLSX && is_std(c->output))
		cli_usage(c, "--format xlsx writes a spreadsheet file: give -o FILE");
	if (nin)
		memcpy(all, in, nin * sizeof *all);
	for (int i = 0; i < nops; i++)
		all[nin + (size_t)i] = (struct cli_file){NULL, ops[i]};
	for (size_t i = 0; i < n + nout; i++) {
		const struct cli_file *f = i < n ? &all[i] : &out[i - n];
		if (f->path && !f->path[0])
			cli_usage(c, "%s: empty file name", f->opt ? f->opt : "file operand");
	}
	const char *first_stdin = NULL;
	for (size_t i = 0; i < n; i++) {
		if (is_std(all[i].path)) {
			if (first_stdin)
				cli_usage(c, "standard input ('-') given more than once");
			first_stdin = "-";
		}
		char arch[4096]; /* a zip member's archive is the input file */
		file_id(&ids[i], licit_unpack_archive(all[i].path, arch, sizeof arch), 0);
	}
	struct file_id *oid = ids + n;
	for (size_t o = 0; o < nout; o++) {
		file_id(&oid[o], out[o].path, 1);
		for (size_t p = 0; p < o; p++)
			if ((oid[o].std && oid[p].std) || same_file(&oid[o], &oid[p]))
				cli_usage(c, "%s and %s both write to %s", out[p].opt, out[o].opt,
				          file_name(out[o].path, 1));
		for (size_t i = 0; i < n; i++)
			if (same_file(&oid[o], &ids[i]))
				cli_usage(c, "%s%s%s is the same file as %s %s: refusing to "
				          "overwrite an input", oid[o].std ? "" : out[o].opt,
				          oid[o].std ? "" : " ", file_name(out[o].path, 1),
				          file_opt(&all[i]), file_name(all[i].path, 0));
	}
	/* a folder given as an input is an unreadable input (exit 1), said
	 * the same way for every option that names a file */
	for (size_t i = 0; i < n; i++) {
		struct stat st;
		if (!is_std(all[i].path) && stat(all[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
			cli_warn(c, "%s: is a directory", all[i].path);
			exit(EXIT_DATA);
		}
	}
	/* an output that cannot be made fails now (exit 1), as it would at
	 * the end: a tool that writes after its whole pass says so before */
	for (size_t o = 0; o < nout; o++) {
		struct licit_error err;
		licit_error_clear(&err);
		if (licit_outfile_check(out[o].path, &err) != LICIT_OK) {
			cli_error(c, &err);
			exit(EXIT_DATA);
		}
	}
	cli_manifest_inputs(c, in, nin, ops, nops);
	free(all);
	free(ids);
	free(out);
}

int cli_write_error(struct licit_error *err, const char *path)
{
	int e = errno;
	const char *name = is_std(path) ? "standard output" : path;
	if (strncmp(err->text, "write error", 11) != 0)
		return licit_error_set(err, name, 0, NULL, "write error: %s",
		                       strerror(e ? e : EIO));
	if (!err->source[0])
		snprintf(err->source, sizeof err->source, "%s", name);
	return LICIT_ERR;
}

/* The data folder: --data-dir, $LICIT_DATA_DIR, or beside the program
 * (../data in a build tree, ../share/licit when installed). A folder
 * named by the user must be there (exit EXIT_DATA): rules are not
 * turned off by a typo. */
const char *cli_data_dir(const struct cli *c, const char *given, char *buf, size_t cap)
{
	const char *named = given ? given : getenv("LICIT_DATA_DIR");
	struct stat st;
	if (named && *named && (stat(named, &st) != 0 || !S_ISDIR(st.st_mode))) {
		int e = errno;
		cli_warn(c, "%s %s: %s", given ? "--data-dir" : "LICIT_DATA_DIR", named,
		         stat(named, &st) != 0 ? strerror(e) : "not a directory");
		exit(EXIT_DATA);
	}
	if (named && *named)
		return named;
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
