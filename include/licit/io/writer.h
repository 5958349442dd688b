/* Record writers: CSV (RFC 4180, quoting only where needed) and JSON
 * Lines; and output files that appear whole or not at all. */
#ifndef LICIT_WRITER_H
#define LICIT_WRITER_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

struct licit_writer;

/* A writer of rows with these column names (copied) to f (borrowed).
 * fmt is LICIT_FMT_CSV, LICIT_FMT_TSV or LICIT_FMT_JSONL. In JSON Lines,
 * canonical numeric columns (amount, n_tenderers, ...) holding a number
 * are written as JSON numbers, empty values as null. The CSV header is
 * written before the first row, or by licit_writer_close if no row came. */
struct licit_writer *licit_writer_new(FILE *f, enum licit_format fmt,
                                      const char *const *names, size_t n);
/* Marks column col as numeric (on = 1) or text (on = 0) for JSON Lines:
 * a numeric column's plain-decimal values are written as JSON numbers and
 * its empty values as null. Canonical numeric fields are numeric from the
 * start; a tool's own columns (KPIs, scores) are marked by the tool. */
void licit_writer_set_numeric(struct licit_writer *w, size_t col, int on);

/* Writes one row of n values; len may be NULL (then strlen is used).
 * Returns LICIT_OK, or LICIT_ERR when the stream reports an error. */
int licit_writer_row(struct licit_writer *w, const char *const *v,
                     const size_t *len);
/* Writes n bytes of whole records made by another writer of the same
 * columns and format (one that skipped its header), after the header if
 * it is not written yet. LICIT_OK or LICIT_ERR, as licit_writer_row. */
int licit_writer_records(struct licit_writer *w, const char *p, size_t n);
/* Appends bytes [at, at + n) of the file open at fd (records that
 * another writer of the same columns and format wrote there, its header
 * skipped) after the rows written so far, the header first if it is not
 * written yet: copied in the kernel where it can be (sendfile(2)), else
 * read and written. LICIT_OK, or LICIT_ERR as licit_writer_row (also for
 * a read error of fd, or a file shorter than at + n). */
int licit_writer_append(struct licit_writer *w, int fd, off_t at, off_t n);
/* Whether a record read from a file separated by delim, holding no quote,
 * CR or LF, is as it is the row this writer writes of its values (CSV
 * with that delimiter, no --safe-csv): then licit_writer_records may
 * write it. */
int licit_writer_raw_ok(const struct licit_writer *w, char delim);
/* Marks the header as written: rows only, for a writer whose records
 * another writer writes out (licit_writer_records). */
void licit_writer_skip_header(struct licit_writer *w);
/* Flushes; returns LICIT_ERR (err filled) if any write failed. Frees w. */
int licit_writer_close(struct licit_writer *w, struct licit_error *err);
/* After licit_writer_row failed: fills err with "write error: <reason>",
 * the reason that of the write that failed (not a later errno); returns
 * LICIT_ERR. err->source is left for the caller (the file's name). */
int licit_writer_error(const struct licit_writer *w, struct licit_error *err);

/* Frees w without writing anything more (a failed run: no header for
 * rows that never came). */
void licit_writer_discard(struct licit_writer *w);

/* For every writer, from now on (--safe-csv): a CSV or TSV cell that
 * starts with = + - @ tab or CR and is not a plain number (-5, +7,
 * -3.25, 1e5) is written with a leading single quote ('=1+1), quoted in
 * CSV, so that a spreadsheet shows it as text instead of running it. */
void licit_writer_set_safe_csv(int on);

/* Writes one CSV field to f, quoted only if it holds a delimiter, a quote,
 * CR or LF. */
void licit_csv_put(FILE *f, const char *s, size_t n, char delim);

/* An output that is standard output, a device or pipe written in place,
 * or a named file written to a temporary file beside it (beside the file
 * a symlink names) and renamed into place on commit: a failed run never
 * leaves a half-written file, and an existing file keeps its mode. */
struct licit_outfile {
	FILE *f;
	char *path; /* the file to replace; NULL for stdout or a device */
	char *tmp;  /* the temporary, until renamed */
	int direct; /* a device or pipe: written in place */
	int slot;   /* 1 + its place among the temporaries to remove on a signal */
	char *buf;  /* its stdio buffer (256 KiB), freed once it is closed */
};

/* path NULL or "-": standard output. A directory is refused at once.
 * Returns f, or NULL with err. */
FILE *licit_outfile_open(struct licit_outfile *o, const char *path,
                         struct licit_error *err);
/* What licit_outfile_open would refuse of path, said as it says it,
 * without making anything: a folder, a file made read-only, a folder
 * that does not exist or cannot be written (where the temporary goes).
 * LICIT_OK (also for standard output, a device or a pipe), or LICIT_ERR
 * with err. A tool that opens its output only after its pass calls it
 * first. */
int licit_outfile_check(const char *path, struct licit_error *err);
/* Flushes and closes (standard output is only flushed), keeping a named
 * file's temporary until commit or abort; LICIT_ERR with err on failure.
 * Closing every output before committing any lets a tool that writes
 * several files commit all or none. */
int licit_outfile_close(struct licit_outfile *o, struct licit_error *err);
/* Closes if still open, then renames the temporary into place. On
 * failure removes the temporary and returns LICIT_ERR. */
int licit_outfile_commit(struct licit_outfile *o, struct licit_error *err);
/* Drops a named file's temporary, open or closed (the target is left
 * untouched). */
void licit_outfile_abort(struct licit_outfile *o);
/* Removes every temporary not yet renamed or dropped, leaving the
 * targets untouched; async-signal-safe (unlink(2) only), for a handler
 * of the signals licit_cleanup_signals() names. */
void licit_outfile_remove_temps(void);
/* Fills set with the signals that end a tool after its temporaries are
 * removed: SIGINT, SIGTERM, SIGHUP and SIGPIPE. */
void licit_cleanup_signals(sigset_t *set);
/* 1 once a writer has begun writing to standard output (its header). */
int licit_writer_stdout_written(void);

#endif
