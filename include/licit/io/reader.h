/* Pull-style record reader over CSV, TSV, JSON Lines and OCDS JSON.
 *
 * Ownership: a row returned by licit_reader_next() and every string in it
 * are borrowed from the reader and stay valid until the next call to
 * licit_reader_next() or licit_reader_close(); a caller that keeps data
 * copies it. Header names are valid until licit_reader_close().
 *
 * Tools never see the parser: a faster CSV back end can replace libcsv
 * behind this interface without touching them. */
#ifndef LICIT_READER_H
#define LICIT_READER_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"

enum licit_format {
	LICIT_FMT_AUTO = 0, /* detect from content */
	LICIT_FMT_CSV,      /* delimited text; delimiter detected or given */
	LICIT_FMT_TSV,      /* tab-separated, no quoting */
	LICIT_FMT_JSONL,    /* one flat JSON object per line */
	LICIT_FMT_OCDS,     /* OCDS JSON: packages, records, releases, JSON Lines */
	LICIT_FMT_XLSX      /* output only: a spreadsheet (licit/io/xlsx_write.h) */
};

enum licit_encoding {
	LICIT_ENC_AUTO = 0, /* UTF-8; a field that is not valid UTF-8 is read as Windows-1252 */
	LICIT_ENC_UTF8,     /* UTF-8 only; invalid bytes are reported and kept */
	LICIT_ENC_LATIN1,   /* ISO-8859-1 */
	LICIT_ENC_CP1252    /* Windows-1252 */
};

/* Which parser reads CSV and TSV; both give the same rows and problems. */
enum licit_csv_engine {
	LICIT_CSV_FAST = 0, /* in-situ scanning (reader_csv_fast.c) */
	LICIT_CSV_LIBCSV    /* libcsv, the reference */
};

struct licit_problem;
struct licit_json;
struct licit_json_keep;
struct licit_range;

struct licit_reader_opts {
	enum licit_format format;
	enum licit_encoding encoding;
	char delimiter; /* CSV only; 0 = detect (',' ';' '|' or tab) */
	/* Called for a problem that belongs to no row (a duplicate column
	 * name, an empty record, an OCDS release with nothing to flatten), a
	 * LICIT_WARNING naming the source and line; may be NULL. */
	licit_diag_fn note;
	void *note_ctx;
	/* OCDS JSON Lines: bytes of release text kept in memory while
	 * releases are grouped by ocid, before sorted runs are written to
	 * $TMPDIR; 0 = LICIT_OCID_SORT_DEFAULT_BUDGET (32 MiB). */
	size_t memory;
	/* With encoding auto: each value re-read as Windows-1252 is also a
	 * problem of its row (field, value as read, text), not only counted. */
	int report_recoded;
	const char *sheet; /* xlsx: the sheet to read; NULL: the first */
	/* JSON: where the OCDS data is inside each document, for embedded
	 * packages: member names separated by '.' or '/' ("results"); an
	 * array on the way is read item by item. NULL = the document. */
	const char *root_path;
	/* OCDS: when set, each release (compiled when releases of one ocid
	 * come together in a package or record; JSON Lines releases as they
	 * are) is handed to this instead of being flattened into rows, and
	 * a JSON object that is no package or record is taken as a compiled
	 * release. licit_reader_next then returns LICIT_EOF at the end, and
	 * errors as for rows. A non-zero return stops with an error. */
	int (*release)(void *ctx, const struct licit_json *release);
	void *release_ctx;
	enum licit_csv_engine csv_engine;
	/* With release: member names the hook never reads (NULL-terminated),
	 * left out when parsing (licit_json_parse_skipping). */
	const char *const *release_skip;
	/* With release and without root_path: all the hook reads (and what
	 * finding and compiling releases read), the rest left out when
	 * parsing (licit_json_parse_keeping); release_skip is then unused. */
	const struct licit_json_keep *release_keep;
	/* threads the reader may start (--threads): 1 none (JSON Lines
	 * releases parsed on the caller's thread), 0 or more the default, up
	 * to two parsing threads; the values are the same either way */
	int threads;
	/* CSV and TSV (the in-situ back end) with threads other than 1: the
	 * records are parsed on a second thread, ahead of the caller; the
	 * rows, notes and errors are the same, in the same order. */
	int csv_ahead;
	/* JSON input is not parsed: licit_reader_line() hands out each line
	 * as it is (licit coverage, licit prepare read it the way Cardinal
	 * does); CSV and TSV input is read into rows as usual. */
	int raw_json;
	/* Only the records of this range of the file (licit/io/split.h), as
	 * licit_reader_cuttable says it can be read: the header is still
	 * read from the file's start, but its notes are not told again (the
	 * caller opened the file whole first), and the rows have the lines,
	 * record numbers and offsets of a whole-file read. Needs threads 1
	 * or csv_ahead 0. */
	const struct licit_range *range;
	/* licit_reader_open: what the input is called in messages and by
	 * licit_reader_source, when not its path ("-" for standard input
	 * opened again as /dev/stdin); NULL = the path. */
	const char *name;
};

/* A problem the reader found in one record (a ragged row, bytes re-read
 * as Windows-1252, an OCDS release that could not be flattened cleanly).
 * The tool decides what to do with it; the record is still delivered. */
struct licit_problem {
	const char *field;
	const char *value;
	const char *text;
};

struct licit_row {
	size_t n;                   /* number of values == number of header names */
	const char *const *v;       /* NUL-terminated UTF-8 values */
	const size_t *len;          /* their lengths */
	long line;                  /* line where the record starts (CSV, JSON
	                               Lines), or for a JSON document the 1-based
	                               position of the release or record in it */
	long recno;                 /* 1-based data record number in its source */
	size_t nfields;             /* values present in the input (CSV) */
	/* CSV read by the in-situ back end from bytes as they are in the
	 * input (not decompressed): where the record lies, its byte offset
	 * from the input's start and its length without the line end, so
	 * that a tool can find it again in the file (licit flags' pass 2);
	 * bytes 0 when not known, and when a value of the row was re-encoded
	 * (invalid UTF-8 read as CP1252 or Latin-1) */
	long long offset;
	size_t bytes;
	const struct licit_problem *problems;
	size_t nproblems;
};

/* Whether the row is its record's bytes as they are in the input (offset
 * and bytes), split at the delimiter: every value where the reader found
 * it, one byte after the one before, the first at the record's start and
 * the last at its end (so nothing was quoted, trimmed, converted or left
 * out). */
int licit_row_as_in_file(const struct licit_row *row);

/* Hands each of the row's problems to fn, a LICIT_WARNING naming source
 * and the row's line (the one way a tool reports them). */
void licit_row_diags(const struct licit_row *row, const char *source, licit_diag_fn fn,
                     void *ctx);

struct licit_reader;

/* Opens path ("-" or NULL: standard input), reads enough to detect the
 * format and reads the header. Returns NULL and fills err on failure
 * (missing file, empty input, no header, invalid JSON at the start). */
struct licit_reader *licit_reader_open(const char *path,
                                       const struct licit_reader_opts *opts,
                                       struct licit_error *err);

/* The same over an open stream (borrowed: not closed by the reader);
 * name is used in messages. */
struct licit_reader *licit_reader_open_stream(FILE *f, const char *name,
                                              const struct licit_reader_opts *opts,
                                              struct licit_error *err);

/* LICIT_OK with *row set, LICIT_EOF at the end, LICIT_ERR with err filled
 * (file and line). After an error in JSON Lines input, the next call goes
 * on with the next line; after any other error, it returns LICIT_ERR. */
int licit_reader_next(struct licit_reader *r, const struct licit_row **row,
                      struct licit_error *err);

/* 1 after an error the reader cannot go on from (LICIT_ERR from then
 * on); 0 after a JSON Lines line that is skipped. */
int licit_reader_failed(const struct licit_reader *r);

size_t licit_reader_ncols(const struct licit_reader *r);
const char *const *licit_reader_header(const struct licit_reader *r);
/* Index of the column with this exact name, or -1. */
int licit_reader_col(const struct licit_reader *r, const char *name);
enum licit_format licit_reader_format(const struct licit_reader *r);
/* The delimiter of CSV or TSV input (given or detected), else 0. */
char licit_reader_delimiter(const struct licit_reader *r);
/* The name used in messages: the path, or "-" for standard input. */
const char *licit_reader_source(const struct licit_reader *r);
/* Bytes consumed so far, and the input's size when known (else -1). */
long long licit_reader_bytes(const struct licit_reader *r);
long long licit_reader_size(const struct licit_reader *r);
/* Fields re-read as Windows-1252/Latin-1 so far. */
long long licit_reader_recoded(const struct licit_reader *r);
/* The bytes the row handed out last may lie in (the in-situ CSV back
 * end's read buffer): [*lo, *hi), both NULL when there is no such block.
 * A value inside it ends there with its NUL; values elsewhere (converted,
 * or "" for a missing field) are not in it. For copying a row at once. */
void licit_reader_window(const struct licit_reader *r, const char **lo, const char **hi);

/* 1 when the input is CSV or TSV read by the in-situ back end straight
 * from a regular file's bytes (not decompressed, no zip member): one that
 * licit_split_csv may cut and opts.range read by parts. */
int licit_reader_cuttable(const struct licit_reader *r);

/* opts.threads, for the readers built on this one (Cardinal's lines). */
int licit_reader_threads(const struct licit_reader *r);

void licit_reader_close(struct licit_reader *r);

/* With opts.raw_json and JSON input: 1 (read it with licit_reader_line);
 * 0 for rows (CSV, TSV). */
int licit_reader_is_raw(const struct licit_reader *r);
/* The next line of a raw JSON input, without its LF (the bytes stay valid
 * until the next call), blank lines included; *line is its 1-based
 * number. LICIT_OK, LICIT_EOF, or LICIT_ERR (read error, a
 * "#licit-abort: " line from a failed tool upstream). */
int licit_reader_line(struct licit_reader *r, const char **s, size_t *n, long *line,
                      struct licit_error *err);

const char *licit_format_name(enum licit_format f);
/* Parses "fast", "libcsv"; -1 if unknown. */
int licit_csv_engine_parse(const char *s);
/* Parses "csv", "tsv", "jsonl", "ocds", "auto"; -1 if unknown. */
int licit_format_parse(const char *s);
/* Parses "auto", "utf-8"/"utf8", "latin1"/"latin-1"/"iso-8859-1",
 * "cp1252"/"windows-1252"; -1 if unknown. */
int licit_encoding_parse(const char *s);

#endif
