/* Partial result files (licit kpi --partial, licit bidprotest-stats
 * --partial): CSV, one record per line, framed by a version line and an
 * end line that counts the records before it:
 *
 *   MAGIC,VERSION,FINGERPRINT,OPTIONS   FINGERPRINT: 64-bit hex of OPTIONS
 *   ...                                 the tool's records
 *   end,RECORDS
 *
 * so that a file of another tool or version, from other options, cut
 * short or damaged is refused, naming its file and line. */
#ifndef LICIT_PARTIAL_H
#define LICIT_PARTIAL_H

#include <stdio.h>

#include "licit/core/error.h"

/* ---- writing ----------------------------------------------------------- */

struct licit_partial_out {
	FILE *f;
	long long records; /* written so far */
};

/* The version line; options is the text of the options that shape the
 * state (compared field by field, ';'-separated, at the merge). */
void licit_partial_begin(struct licit_partial_out *o, FILE *f, const char *magic,
                         const char *version, const char *options);
/* A CSV field (quoted when it holds a comma, a quote or a line end),
 * after a comma unless first. */
void licit_partial_str(FILE *f, const char *s, size_t n, int first);
/* Ends a record the caller wrote (its line end), counting it. */
void licit_partial_eol(struct licit_partial_out *o);
/* The end line. */
void licit_partial_end(struct licit_partial_out *o);

/* ---- reading ----------------------------------------------------------- */

struct licit_partial_in {
	FILE *f;
	const char *name;   /* for messages */
	char **fld;         /* the record's fields, NUL-terminated */
	size_t nf;
	long rec_line;      /* the line the record starts on */
	long long records;  /* records read, the version line included */
	/* private */
	char *lbuf, *buf;
	size_t lcap, cap, len, fcap;
	size_t *off;
	long line;
};

/* Reads and checks the version line. what names the format in messages
 * ("licit kpi partial"), hint ends the message on other options. LICIT_OK, or
 * LICIT_ERR with err naming name and the line. */
int licit_partial_open(struct licit_partial_in *r, FILE *f, const char *name,
                       const char *magic, const char *version, const char *options,
                       const char *what, const char *hint, struct licit_error *err);
/* The next record into r->fld: 1; 0 when the end line was read, checked,
 * and nothing follows it; LICIT_ERR (with err) otherwise, truncation
 * included. may_end: 0 where a record whose first field is "end" is data
 * (a key), not the end line. */
int licit_partial_next(struct licit_partial_in *r, int may_end, struct licit_error *err);
/* err names r's file and the record's line. Returns LICIT_ERR. */
int licit_partial_fail(struct licit_partial_in *r, struct licit_error *err, const char *why);
void licit_partial_close(struct licit_partial_in *r);

/* Field helpers: the field at *i (advanced), flagging *bad when it is
 * missing or not what is asked. */
long long licit_partial_int(const struct licit_partial_in *r, size_t *i, int *bad);
/* A 16-digit hex field; "" gives 0 with *present = 0. */
unsigned long long licit_partial_hex(const struct licit_partial_in *r, size_t *i,
                                     int *present, int *bad);

#endif
