/* --manifest FILE (licit(1), licit-manifest(5)): the run's manifest is
 * recorded as it goes (the inputs hashed when checked, standard input and
 * output as their bytes go by, the outputs once committed, the tables the
 * library loads through its observer) and written by cli_finish when the
 * run succeeded. Without --manifest nothing here runs. */
#define _GNU_SOURCE /* fopencookie */
#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/manifest.h"
#include "licit/io/unpack.h"

static int cmd_argc;
static char **cmd_argv;              /* the command line as typed */
static struct licit_manifest *run;   /* NULL: not recording */
static const char *run_path;         /* --manifest FILE; NULL: kept for the tool */
static char run_prog[64];            /* the tool, for messages after it returned */
static int stdin_read;               /* "-" is an input */

void cli_command(int argc, char **argv)
{
	static char *copy[4096];
	cmd_argc = argc < 4096 ? argc : 4095;
	memcpy(copy, argv, (size_t)cmd_argc * sizeof *copy);
	cmd_argv = copy;
}

/* A stream's bytes, hashed as they go by. */
struct hashed {
	struct licit_sha256 sha;
	int fd;
};
static struct hashed in_hash = {.fd = 0}, out_hash = {.fd = 1};

static ssize_t hashed_read(void *cookie, char *buf, size_t n)
{
	struct hashed *h = cookie;
	ssize_t got;
	do
		got = read(h->fd, buf, n);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		licit_sha256_update(&h->sha, buf, (size_t)got);
	return got;
}

static ssize_t hashed_write(void *cookie, const char *buf, size_t n)
{
	struct hashed *h = cookie;
	size_t done = 0;
	while (done < n) {
		ssize_t put = write(h->fd, buf + done, n - done);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0)
			break;
		done += (size_t)put;
	}
	licit_sha256_update(&h->sha, buf, done);
	return done ? (ssize_t)done : -1;
}

/* stdin and stdout become streams over the same descriptors that hash
 * what goes through them: every reader and writer uses stdio. */
static int hash_std_streams(void)
{
	cookie_io_functions_t rd = {.read = hashed_read}, wr = {.write = hashed_write};
	licit_sha256_init(&in_hash.sha);
	licit_sha256_init(&out_hash.sha);
	FILE *in = fopencookie(&in_hash, "r", rd), *out = fopencookie(&out_hash, "w", wr);
	if (!in || !out)
		return -1;
	fflush(stdout);
	stdin = in;
	stdout = out;
	return 0;
}

static void die(const struct cli *c, const struct licit_error *err)
{
	cli_error(c, err);
	exit(EXIT_DATA);
}

static void start(const struct cli *c)
{
	if (run)
		return;
	char cwd[4096];
	const char *prog = strncmp(c->prog, "licit-", 6) == 0 ? c->prog + 6 : c->prog;
	struct licit_error err;
	licit_error_set(&err, NULL, 0, NULL, "out of memory");
	if (!(run = licit_manifest_new(prog, LICIT_VERSION)) ||
	    licit_manifest_command(run, cmd_argc, (const char *const *)cmd_argv,
	                           getcwd(cwd, sizeof cwd) ? cwd : NULL) != LICIT_OK ||
	    hash_std_streams() != 0)
		die(c, &err);
	/* the variables that change what a run writes */
	static const char *const vars[] = {"LICIT_CSV_ENGINE", "LICIT_DATA_DIR", "LICIT_SAFE_CSV",
	                                   "LICIT_THREADS"};
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
		const char *v = getenv(vars[i]);
		if (v && licit_manifest_env(run, vars[i], v) != LICIT_OK)
			die(c, &err);
	}
	snprintf(run_prog, sizeof run_prog, "%s", c->prog);
	licit_manifest_observe(run);
}

void cli_manifest_option(struct cli *c, const char *path)
{
	if (!path[0] || strcmp(path, "-") == 0)
		cli_usage(c, "--manifest: give a file name (the manifest is never standard output)");
	run_path = path;
	start(c);
}

struct licit_manifest *cli_manifest_record(struct cli *c)
{
	start(c);
	return run;
}

struct licit_manifest *cli_manifest(void)
{
	return run;
}

const char *cli_manifest_path(void)
{
	return run_path;
}

/* Standard input to its end (a tool that stopped before it still gets the
 * digest of all of it), then its digest. */
static int stdin_digest(struct licit_error *err)
{
	static char buf[1 << 16];
	while (fread(buf, 1, sizeof buf, stdin) > 0)
		;
	if (ferror(stdin))
		return licit_error_set(err, "-", 0, NULL, "read error: %s", strerror(errno));
	unsigned char d[LICIT_SHA256_LEN];
	long long n = (long long)in_hash.sha.bytes;
	licit_sha256_final(&in_hash.sha, d);
	return licit_manifest_digest(run, LICIT_MANIFEST_INPUT, NULL, "-", n, d, err);
}

/* The file operands are hashed beside the run, on a thread of their own
 * (none with --threads 1), and listed when it is over. */
static struct inputs {
	char **path;
	int n;
	unsigned char (*sha)[LICIT_SHA256_LEN];
	long long *size;
	struct licit_error err;
	int rc;
	pthread_t thread;
	int started;
} ops_hash;

static void *hash_operands(void *arg)
{
	struct inputs *h = arg;
	h->rc = LICIT_OK;
	for (int i = 0; i < h->n && h->rc == LICIT_OK; i++)
		if (strcmp(h->path[i], "-") != 0) /* standard input: as it is read */
			h->rc = licit_sha256_file(h->path[i], h->sha[i], &h->size[i], &h->err);
	return NULL;
}

/* The operands' digests into the manifest, once they are all there. */
static int operands_listed(struct licit_error *err)
{
	struct inputs *h = &ops_hash;
	if (h->started)
		pthread_join(h->thread, NULL);
	h->started = 0;
	if (h->rc != LICIT_OK) {
		*err = h->err;
		return LICIT_ERR;
	}
	for (int i = 0; i < h->n; i++)
		if ((strcmp(h->path[i], "-") == 0
		             ? stdin_digest(err)
		             : licit_manifest_digest(run, LICIT_MANIFEST_INPUT, NULL, h->path[i],
		                                     h->size[i], h->sha[i], err)) != LICIT_OK)
			return LICIT_ERR;
	h->n = 0;
	return LICIT_OK;
}

void cli_manifest_inputs(const struct cli *c, const struct cli_file *in, size_t nin,
                         char *const *ops, int nops)
{
	if (!run)
		return;
	struct licit_error err;
	licit_error_clear(&err);
	struct inputs *h = &ops_hash;
	h->path = calloc((size_t)nops + 1, sizeof *h->path);
	h->sha = calloc((size_t)nops + 1, sizeof *h->sha);
	h->size = calloc((size_t)nops + 1, sizeof *h->size);
	licit_error_set(&err, NULL, 0, NULL, "out of memory");
	if (!h->path || !h->sha || !h->size)
		die(c, &err);
	for (int i = 0; i < nops; i++) {
		char arch[4096]; /* a zip member: its archive is the file */
		const char *p = licit_unpack_archive(ops[i], arch, sizeof arch);
		if (!(h->path[h->n++] = strdup(p)))
			die(c, &err);
	}
	if (c->threads > 1 && h->n && pthread_create(&h->thread, NULL, hash_operands, h) == 0)
		h->started = 1;
	else
		hash_operands(h);
	licit_error_clear(&err);
	for (size_t i = 0; i < nin; i++) {
		if (!in[i].path)
			continue;
		if (strcmp(in[i].path, "-") == 0)
			stdin_read = 1;
		else if (licit_manifest_file(run, LICIT_MANIFEST_TABLE, in[i].opt, in[i].path,
		                             &err) != LICIT_OK)
			die(c, &err);
	}
}

void cli_count(enum licit_manifest_count which, long long n)
{
	if (run)
		licit_manifest_count(run, which, n);
}

int cli_manifest_outputs(const struct cli *c, struct licit_error *err)
{
	if (!run)
		return LICIT_OK;
	for (int i = 0; i < c->nout; i++) {
		const struct cli_output *o = &c->out[i];
		int rc;
		if (!o->path || strcmp(o->path, "-") == 0) {
			fflush(stdout);
			struct licit_sha256 s = out_hash.sha; /* what went out so far */
			unsigned char d[LICIT_SHA256_LEN];
			licit_sha256_final(&s, d);
			rc = licit_manifest_digest(run, LICIT_MANIFEST_OUTPUT, o->opt, "-",
			                           (long long)out_hash.sha.bytes, d, err);
		} else {
			rc = licit_manifest_file(run, LICIT_MANIFEST_OUTPUT, o->opt, o->path, err);
		}
		if (rc != LICIT_OK)
			return LICIT_ERR;
	}
	return LICIT_OK;
}

char *cli_manifest_json(struct licit_error *err)
{
	if (!run) {
		licit_error_set(err, NULL, 0, NULL, "no manifest is being recorded");
		return NULL;
	}
	if (operands_listed(err) != LICIT_OK ||
	    (stdin_read && !licit_manifest_has(run, "-") && stdin_digest(err) != LICIT_OK))
		return NULL;
	return licit_manifest_json(run, err);
}

int cli_manifest_finish(int status)
{
	if (!run || !run_path || status != EXIT_OK)
		return status;
	licit_manifest_observe(NULL);
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_outfile o;
	char *json = NULL;
	FILE *f = NULL;
	int rc = operands_listed(&err) == LICIT_OK &&
	         (!stdin_read || licit_manifest_has(run, "-") || stdin_digest(&err) == LICIT_OK) &&
	         (json = licit_manifest_json(run, &err)) &&
	         (f = licit_outfile_open(&o, run_path, &err)) ? LICIT_OK : LICIT_ERR;
	if (rc == LICIT_OK && fputs(json, f) < 0)
		rc = cli_write_error(&err, run_path);
	if (rc == LICIT_OK)
		rc = licit_outfile_commit(&o, &err);
	else if (f)
		licit_outfile_abort(&o);
	free(json);
	if (rc != LICIT_OK) {
		if (!err.source[0])
			snprintf(err.source, sizeof err.source, "%s", run_path);
		struct cli named = {.prog = run_prog};
		cli_error(&named, &err);
		return EXIT_DATA;
	}
	return status;
}
