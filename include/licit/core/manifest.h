/* The manifest of a run: what a licit tool read and wrote, each file's
 * size and SHA-256, the command line that re-runs it and the row counts,
 * as one JSON object with a stable key order (licit-manifest(5)). The
 * command line part (--manifest FILE) is in cmd/; this is the model and
 * its JSON. */
#ifndef LICIT_MANIFEST_H
#define LICIT_MANIFEST_H

#include <stdio.h>

#include "licit/core/error.h"
#include "licit/core/sha256.h"

#define LICIT_MANIFEST_VERSION 1 /* the "manifest" key: this layout */

struct licit_manifest;

/* The manifest's lists of files, in the order they are written. */
enum licit_manifest_list {
	LICIT_MANIFEST_INPUT,  /* the file operands: the data read */
	LICIT_MANIFEST_TABLE,  /* settings, reference tables, mappings and any
	                          other file an option names or the run loads */
	LICIT_MANIFEST_OUTPUT, /* what the run wrote */
	LICIT_MANIFEST_NLISTS
};

/* The row counts; one not given is written as null (the tool has no
 * such count), not as 0. */
enum licit_manifest_count {
	LICIT_ROWS_READ,     /* rows (records) read from the inputs */
	LICIT_ROWS_WRITTEN,  /* rows written to the main output */
	LICIT_ROWS_PROBLEMS, /* problems reported on values or rows */
	LICIT_ROWS_SKIPPED,  /* rows read but left out (test rows, ...) */
	LICIT_ROWS_NCOUNTS
};

/* An empty manifest of `tool` ("kpi") of licit `version`; NULL when
 * memory runs out. */
struct licit_manifest *licit_manifest_new(const char *tool, const char *version);
void licit_manifest_free(struct licit_manifest *m);

/* The command line (copied) and the folder it ran in. LICIT_OK or
 * LICIT_ERR (memory). */
int licit_manifest_command(struct licit_manifest *m, int argc, const char *const *argv,
                           const char *cwd);
/* An environment variable that changed the run (name=value, copied). */
int licit_manifest_env(struct licit_manifest *m, const char *name, const char *value);

/* Adds the file at path to list, hashing it now (its size and SHA-256);
 * option is the option that named it ("--settings"; NULL for a file
 * operand or a table the run found itself). A path already in the list
 * is not added twice. LICIT_OK, or LICIT_ERR with err (unreadable). */
int licit_manifest_file(struct licit_manifest *m, enum licit_manifest_list list,
                        const char *option, const char *path, struct licit_error *err);
/* The same for a stream hashed by the caller as it went by (standard
 * input or output, path "-"): its size and digest. */
int licit_manifest_digest(struct licit_manifest *m, enum licit_manifest_list list,
                          const char *option, const char *path, long long size,
                          const unsigned char sha[LICIT_SHA256_LEN], struct licit_error *err);
/* 1 when a file of that path is in any list. */
int licit_manifest_has(const struct licit_manifest *m, const char *path);

/* Adds n to a row count (the first call starts it from 0). */
void licit_manifest_count(struct licit_manifest *m, enum licit_manifest_count which,
                          long long n);

/* The manifest as JSON text (two-space indent, keys in a fixed order,
 * ending with a newline), to free(); NULL with err (memory, a file the
 * observer could not hash, or a name that is not UTF-8). */
char *licit_manifest_json(const struct licit_manifest *m, struct licit_error *err);

/* The files the library loads on its own (reference tables, settings
 * files: licit_table_load, licit_ini_load) are noted in the manifest
 * that observes, as LICIT_MANIFEST_TABLE (not added twice; a file the
 * run already lists is left where it is). NULL stops observing. */
void licit_manifest_observe(struct licit_manifest *m);
/* Called by those loaders with the path they open: hashed when a
 * manifest observes, nothing otherwise. */
void licit_manifest_loaded(const char *path);

#endif
