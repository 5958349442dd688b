/* One line of a JSON Lines file read the way Cardinal (ocdscardinal
 * 0.0.8) reads it for coverage and prepare: the line's bytes are UTF-8
 * JSON text of any type, nested at most LICIT_CARDINAL_MAX_DEPTH deep
 * (serde_json's limit); a blank line is skipped silently, any other line
 * that is not such text is skipped with a warning. */
#ifndef LICIT_CARDINAL_LINE_H
#define LICIT_CARDINAL_LINE_H

#include <stddef.h>

#include "licit/core/arena.h"
#include "licit/core/error.h"
#include "licit/io/json.h"

#define LICIT_CARDINAL_MAX_DEPTH 127

/* The value that counts for member i of object o, as serde_json keeps
 * it: of members with one name, the last value, at the place of the
 * first; NULL when an earlier member has member i's name. */
const struct licit_json *licit_cardinal_member(const struct licit_json *o, uint32_t i);

/* Bytes of Rust's white space (char::is_whitespace) at the start and at
 * the end of the UTF-8 text s[0..n), as trim_start and trim_end cut. */
size_t licit_rust_space_start(const char *s, size_t n);
size_t licit_rust_space_end(const char *s, size_t n);

/* 1 when s[0..n) is only ASCII white space (space, tab, CR, LF, FF). */
int licit_cardinal_blank(const char *s, size_t n);

/* The line's value in `a`, or NULL with why[] filled ("invalid JSON:
 * ...", "nested too deeply"); why[0] stays 0 for a blank line. */
const struct licit_json *licit_cardinal_parse_line(const char *s, size_t n,
                                                   struct licit_arena *a,
                                                   char *why, size_t cap);

/* Reads every line of a raw JSON reader (licit_reader_line): fn gets
 * each value with its line number, writable, in arena a (valid until fn
 * returns; fn may add values to a),
 * warn each line skipped and why. encoding: LICIT_ENC_LATIN1 or
 * LICIT_ENC_CP1252 convert each line to UTF-8 first; otherwise a line
 * that is not UTF-8 is skipped, as Cardinal does. A non-zero fn return
 * stops the read with LICIT_ERR (fn fills err). LICIT_OK at the end. */
struct licit_reader;
struct licit_error;
typedef int (*licit_cardinal_line_fn)(void *ctx, struct licit_json *v, long line,
                                      struct licit_arena *a, struct licit_error *err);
/* skip: each line skipped, a LICIT_WARNING (source, line, why); may be
 * NULL. */
int licit_cardinal_lines(struct licit_reader *r, int encoding, licit_cardinal_line_fn fn,
                         licit_diag_fn skip, void *ctx, struct licit_error *err);

#endif
