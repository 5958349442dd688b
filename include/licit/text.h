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

/* 1 when `needle` (already folded) occurs in `hay` (already folded) as
 * whole words. */
int licit_text_has_words(const char *hay, const char *needle);

#endif
