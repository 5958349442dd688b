/* UTF-8 checks and conversions from the single-byte encodings that
 * Mexican exports use (Latin-1, Windows-1252). */
#ifndef LICIT_UTF8_H
#define LICIT_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at p (left bytes available),
 * 0 when p[0] starts none (a stray byte, an overlong form, a surrogate). */
size_t licit_utf8_seq_len(const unsigned char *p, size_t left);

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int licit_utf8_valid(const char *s, size_t n);

/* 1 when s[0..n) is well-formed UTF-8 without NUL bytes: text every
 * consumer of C strings takes as it is (one pass, SSE2 over ASCII). */
int licit_utf8_text(const char *s, size_t n);

/* Converts Windows-1252 (a superset of Latin-1's printable range) to
 * UTF-8. out must hold 3*n + 1 bytes. Returns the length written. */
size_t licit_cp1252_to_utf8(const char *s, size_t n, char *out);

/* Converts ISO-8859-1 to UTF-8. out must hold 2*n + 1 bytes. */
size_t licit_latin1_to_utf8(const char *s, size_t n, char *out);

#endif
