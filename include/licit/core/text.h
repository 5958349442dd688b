/* Small text helpers shared by the parsers and the normaliser. */
#ifndef LICIT_TEXT_H
#define LICIT_TEXT_H

#include <stddef.h>

/* Trims white space (space, tab, CR, LF, NBSP) at both ends and collapses
 * inner runs to one space. Returns the length written (out: n + 1 bytes). */
size_t licit_text_squeeze(const char *s, size_t n, char *out);

/* A matching form: Latin-1 letters folded to ASCII (á -> a, ñ -> n),
 * lower case, every run of other characters turned into one space,
 * trimmed. out needs n + 1 bytes. Returns the length. */
size_t licit_text_fold(const char *s, size_t n, char *out);
/* The same fold in pieces, for a value of any length into a small buffer:
 * start with *f zeroed; each call folds more of s (n bytes) into out (cap
 * >= 2 bytes, no NUL added) and returns how many bytes it wrote; the
 * value is done when f->done == n. The pieces joined are licit_text_fold's
 * result. */
struct licit_fold {
	size_t done; /* bytes of s folded */
	int any, gap;
};
size_t licit_text_fold_piece(struct licit_fold *f, const char *s, size_t n, char *out,
                             size_t cap);

/* 1 when `needle` (already folded) occurs in `hay` (already folded) as
 * whole words. */
int licit_text_has_words(const char *hay, const char *needle);

/* A double in the shortest %g form (15 to 17 digits) that reads back as
 * the same double: 4031.232 stays 4031.232, 12345678901234.567 keeps its
 * digits. Returns the length. */
size_t licit_format_double(double v, char *out, size_t cap);
/* v in decimal, as "%lld" prints it, without printf; out holds at least
 * 21 bytes. Returns the length. */
size_t licit_format_long(long long v, char *out);

/* ASCII letters (upper case) for a code point of U+00C0..U+00FF: "A" for
 * Á, "N" for Ñ, "AE" for Æ, "SS" for ß; "" for × and ÷ and outside the
 * range. */
const char *licit_latin1_fold(unsigned cp);

/* A bounded output buffer: a piece goes in whole or not at all (so a
 * short buffer never ends in half a UTF-8 sequence), and after the first
 * piece that does not fit nothing more is written. out stays
 * NUL-terminated when cap > 0. */
struct licit_sbuf {
	char *out;
	size_t cap, len;
	int full;
};
void licit_sbuf_init(struct licit_sbuf *b, char *out, size_t cap);
void licit_sbuf_put(struct licit_sbuf *b, const void *p, size_t k);

#endif
