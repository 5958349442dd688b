/* Internals shared by the reader's front (reader.c) and its back ends
 * (reader_csv.c, reader_json.c). Not installed. */
#ifndef LICIT_READER_IMPL_H
#define LICIT_READER_IMPL_H

#include <stdio.h>

#include "licit/core/arena.h"
#include "licit/io/reader.h"

#ifndef LICIT_CHUNK /* the fuzz build makes it tiny to reach every buffer edge */
#define LICIT_CHUNK 65536
#endif

/* Buffered input: the bytes read but not yet consumed are buf[pos..len). */
struct input {
	FILE *f;
	int owned;
	char *buf;
	size_t pos, len, cap;
	int eof;
	long long consumed; /* bytes handed to a parser so far */
	long long size;     /* file size, -1 for a pipe */
	int direct;         /* the bytes are the file's as they are (not
	                       decompressed): consumed is a file offset */
	long long limit;    /* opts.range: bytes the stream may still give
	                       (-1: no limit) */
};

/* Rows ready to hand out; their memory lives in `arena` until the batch
 * is emptied and refilled. */
struct batch {
	struct licit_arena arena;
	struct licit_row *rows;
	size_t count, cap, pos;
};

struct csv_state;
struct csv_fast;
struct csv_ahead;
struct json_state;
struct col_key {
	const char *name;
	size_t col;
};

struct licit_reader {
	struct licit_reader_opts opts;
	enum licit_format format; /* the one in use */
	char *source;
	struct input in;
	struct batch batch;
	struct batch *serve; /* the rows licit_reader_next hands out: batch, or
	                        with csv_ahead the chunk taken last */
	char **header;
	size_t ncols;
	struct licit_arena header_arena;
	long recno;
	long long recoded;
	int failed; /* a fatal error was returned */
	char csv_delim; /* the delimiter in use (CSV) */
	/* The header the tools see: the first column of each name (a later
	 * one of the same name is left out of rows too); pub_map[j] is the
	 * back end's column of public column j. NULL map: all columns. */
	char **pub_header;
	size_t pub_ncols;
	size_t *pub_map;
	struct col_key *by_name; /* public names sorted, for licit_reader_col */
	size_t nby_name;
	char *member; /* the zip member to read ("ARCHIVE:MEMBER"), or NULL */
	struct csv_state *csv;
	struct csv_fast *csv_fast; /* the in-situ back end, when in use */
	struct csv_ahead *csv_ahead; /* its thread (reader_csv_ahead.c), when started */
	struct json_state *json;
	int raw;       /* opts.raw_json on JSON input: lines, no rows */
	long raw_line; /* lines handed out so far */
};

/* input.c-like helpers, implemented in reader.c */
int input_fill(struct input *in); /* reads more; 0 = got bytes, 1 = EOF, -1 = error */
/* The same, with room for at least min bytes, and pad zero bytes kept
 * after the data. */
int input_read(struct input *in, size_t min, size_t pad);
/* Why a read failed, from its errno (EBADMSG: a decoder's corrupt or
 * truncated input). */
const char *input_error(int e);
/* The next line without its LF: 0, 1 at EOF, -1 on a read error. The
 * line stays valid until the next call. */
int input_line(struct input *in, const char **s, size_t *n);

/* batch helpers, implemented in reader.c */
struct licit_row *batch_push(struct licit_reader *r);
/* Adds a problem to a row being built (strings copied into the batch). */
int batch_problem(struct licit_reader *r, struct licit_row *row,
                  const char *field, const char *value, size_t vlen,
                  const char *text);
/* Copies a value into the batch, converting its encoding as configured.
 * Returns NULL on allocation failure. *len receives the new length. */
char *batch_value(struct licit_reader *r, struct licit_row *row,
                  const char *field, const char *s, size_t n, size_t *len);
/* The in-band mark of a failed licit tool upstream ("#licit-abort: "
 * followed by the tool and its message): LICIT_ERR with err filled, and
 * the reader failed, when s is one; else LICIT_OK. */
#define LICIT_ABORT_MARK "#licit-abort: "
int reader_abort_mark(struct licit_reader *r, const char *s, size_t n, long line,
                      struct licit_error *err);
/* 1 when batch_value() would return s[0..n) unchanged and report nothing. */
int batch_value_plain(const struct licit_reader *r, const char *s, size_t n);
/* Sets the header (names copied; empty names become column_N). */
int reader_set_header(struct licit_reader *r, const char *const *names,
                      const size_t *lens, size_t n);

/* One delimited record as a CSV or TSV back end found it. */
struct csv_record {
	char *const *f;     /* values, each NUL-terminated (f[i][len[i]] == 0) */
	const size_t *len;
	size_t nf;
	long line;          /* where the record starts */
	long newlines;      /* line breaks inside its values */
	int multiline;      /* some value may hold a line break */
	int stable;         /* the values stay put until the next fill: rows
	                       may point at them instead of copies */
	int plain;          /* 1: the caller knows every value is used as it
	                       is (no NUL, nothing to convert); 0: not checked */
	long long offset;   /* the record's bytes in the input (licit_row) */
	size_t bytes;       /* 0: not known */
};
/* 1 when s[0..n) is ASCII without NUL bytes. */
int csv_ascii(const char *s, size_t n);
/* Adds the record to the batch as a row, with its problems (blank record,
 * stray quote, ragged, and batch_value()'s); -1 when memory runs out. */
int csv_row_emit(struct licit_reader *r, const struct csv_record *rec);

/* back ends: open reads the header; fill adds at least one row to the
 * batch, or returns LICIT_EOF / LICIT_ERR. */
int csv_open(struct licit_reader *r, struct licit_error *err);
int csv_fill(struct licit_reader *r, struct licit_error *err);
void csv_close(struct licit_reader *r);
/* The delimiter the first line suggests: ',' ';' tab or '|'. */
char csv_guess_delimiter(const struct input *in);

/* Raw JSON lines (reader_lines.c): the header is the one column "line". */
int lines_open(struct licit_reader *r, struct licit_error *err);
/* 1 when the input is blank or its first non-blank line is JSON text (a
 * number or a string alone on a line is JSON to Cardinal, not CSV). */
int lines_detect(const struct input *in);

/* The in-situ back end (reader_csv_fast.c): the default, for every
 * delimiter but space, CR, LF and the quote. */
int csv_fast_usable(const struct licit_reader *r);
int csv_fast_open(struct licit_reader *r, struct licit_error *err);
int csv_fast_fill(struct licit_reader *r, struct licit_error *err);
/* After the header: goes on at range->start (or where the header ends,
 * for a range from 0) and stops at range->end. */
int csv_fast_range(struct licit_reader *r, const struct licit_range *range,
                   struct licit_error *err);
void csv_fast_close(struct licit_reader *r);

/* The in-situ back end on a second thread (reader_csv_ahead.c): start
 * (without a thread on failure: then r->csv_ahead stays NULL); the next
 * batch into r->serve (csv_fast_fill's result, its notes told first);
 * csv_fast's refill, on the thread, before it reads: a buffer no row
 * handed out points into (-1 when the reader is being closed); the
 * caller's view of the bytes read and values re-coded; stop and free. */
void csv_ahead_start(struct licit_reader *r);
int csv_ahead_next(struct licit_reader *r, struct licit_error *err);
int csv_ahead_buffer(struct licit_reader *r);
long long csv_ahead_consumed(const struct licit_reader *r);
long long csv_ahead_recoded(const struct licit_reader *r);
void csv_ahead_window(const struct licit_reader *r, const char **lo, const char **hi);
void csv_ahead_stop(struct licit_reader *r);

/* unpack.c: an "ARCHIVE:MEMBER" path's archive opened into *f (1), not
 * such a path (0), or an error (-1). */
int unpack_open_member(const char *path, FILE **f, int *owned, char **member,
                       struct licit_error *err);
/* Once the first bytes are buffered: a compressed stream or a zip
 * replaces r->in.f by its decoded bytes and empties the buffer (1);
 * anything else is left as it is (0); -1 on error (err filled). */
int unpack_wrap(struct licit_reader *r, struct licit_error *err);
/* xlsx.c: a stream of CSV text over one sheet (NULL: the first) of the
 * spreadsheet in the seekable src; closing it closes src when owned (and
 * on failure, src is closed when owned). */
FILE *xlsx_open(FILE *src, int owned, const char *name, const char *sheet,
                struct licit_error *err);

int json_open(struct licit_reader *r, struct licit_error *err);
int json_fill(struct licit_reader *r, struct licit_error *err);
void json_close(struct licit_reader *r);

#endif
