/* The row spool of a two-pass tool (licit flags): pass 1 writes each row
 * it reads, only the columns pass 2 needs, to a temporary file in a
 * compact binary form; pass 2 reads them back without parsing CSV again,
 * and without reading the input a second time (standard input is read
 * once, as it comes).
 *
 * The file is a sequence of records. A header record ('H') starts each
 * input: its number of columns, its name in messages, the file its rows
 * can be read again from ("" for none: standard input, an unpacked
 * archive), its delimiter, and the kept columns' numbers and names. A row
 * record ('R') holds the row's line and its kept values, each followed by
 * a NUL byte, so that a row's values lie one after the other in memory
 * when read back (a writer writes such a row in one piece). A row that is
 * its record's bytes as they are in that file (no value quoted, trimmed,
 * converted or left out: the usual row of a file licit wrote) is only a
 * file row ('F'): where it lies in the file, read again and split at the
 * delimiter in pass 2 (21 bytes a row); such a row of standard input is
 * a plain row ('P'): its values and their NULs, split at the NULs in
 * pass 2 (no lengths). Numbers are little-endian:
 *   'H' u32:columns u32:n u32:len source u32:len file u8:delimiter
 *       n x (u32:column u32:len name)
 *   'R' i64:line u32:n u32:bytes  n x u32:len  bytes (the values and NULs)
 *   'F' i64:line i64:offset u32:bytes
 *   'P' i64:line u32:bytes  bytes + 1 (the values and NULs)
 * The reader checks every count and length against what follows: a
 * damaged spool is an error, never a crash (tests/fuzz/fuzz_spool.c).
 *
 * Ownership: names and values handed out by licit_spool_next are
 * borrowed until the next call. */
#ifndef LICIT_SPOOL_H
#define LICIT_SPOOL_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"
#include "licit/io/reader.h"

struct licit_spool;

/* A new temporary file in $TMPDIR, else /tmp (tmpfile(3) does not look
 * at TMPDIR), already removed: gone when closed. NULL on failure. */
FILE *licit_spool_temp(void);

/* A spool in a new temporary file (licit_spool_temp); NULL with err on
 * failure. */
struct licit_spool *licit_spool_new(struct licit_error *err);
/* A spool read from f (borrowed; for tests and the fuzz target). */
struct licit_spool *licit_spool_open_stream(FILE *f, const char *name);
void licit_spool_free(struct licit_spool *s);

/* Starts an input: its source name and the columns of its header, those
 * with keep[i] set (keep NULL: all) written for each of its rows in
 * header order; file (NULL: none) is where its rows can be read again
 * (licit_row's offset and bytes), delim the reader's delimiter
 * (licit_reader_delimiter). LICIT_OK, or LICIT_ERR with err (write
 * error, memory). */
int licit_spool_header(struct licit_spool *s, const char *source, const char *const *names,
                       size_t n, const unsigned char *keep, const char *file, char delim,
                       struct licit_error *err);
/* A row of the input last started. A file row read back is checked
 * against the header (its number of values): a file changed between
 * the passes is an error. */
int licit_spool_row(struct licit_spool *s, const struct licit_row *row, struct licit_error *err);
/* Bytes written so far. */
long long licit_spool_bytes(const struct licit_spool *s);

/* Ends writing and goes back to the start for reading; room bytes are
 * kept free after each row read (licit_spool_next: item->tail). */
int licit_spool_rewind(struct licit_spool *s, size_t room, struct licit_error *err);

struct licit_spool_item {
	int header;                /* 1: an input starts (source, names, n) */
	const char *source;
	const char *const *names;  /* the kept columns of the input */
	size_t n;
	struct licit_row row;      /* header 0: a row of n values (only v, len,
	                              n, line and recno are set) */
	char *tail;                /* after the row's last NUL: room free bytes */
	long long at;              /* header 1: where its record starts */
	char delim;                /* header 1: the input's delimiter, 0 for none */
	const char *raw;           /* licit_spool_next_raw: the row's record */
	size_t raw_len;
};
/* The next record: LICIT_OK with it filled, LICIT_EOF at the end, or
 * LICIT_ERR with err (read error, a damaged spool). */
int licit_spool_next(struct licit_spool *s, struct licit_spool_item *it, struct licit_error *err);
/* The same, and a file row whose record holds no quote, CR or LF and
 * the header's number of values also comes as it is in the file: raw and
 * raw_len set (borrowed until the next call; NULL and 0 for other rows).
 * A writer that writes such bytes as they are (licit_writer_raw_ok) need
 * not put the values together again. */
int licit_spool_next_raw(struct licit_spool *s, struct licit_spool_item *it,
                         struct licit_error *err);

/* A second reader of s's file once it is rewound (for another thread):
 * it starts at the input whose header record begins at header_at (the
 * licit_spool_bytes before its licit_spool_header), which it reads into
 * *it, then reads that input's rows from at (the licit_spool_bytes before
 * one of its licit_spool_row). Free it with licit_spool_free. NULL with
 * err when the file cannot be opened again (/proc/self/fd). */
struct licit_spool *licit_spool_reader(const struct licit_spool *s, long long header_at,
                                       long long at, struct licit_spool_item *it,
                                       struct licit_error *err);

#endif
