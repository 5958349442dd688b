/* String similarity for duplicate detection: character-trigram Jaccard,
 * token Jaccard, title comparison with a numbers-and-months veto, and
 * supplier name keys without their legal form. */
#ifndef LICIT_SIMILAR_H
#define LICIT_SIMILAR_H

#include <stddef.h>

/* Longest input the similarity functions read; longer strings are
 * compared on their first LICIT_SIM_MAXLEN bytes. */
#define LICIT_SIM_MAXLEN 512

/* Jaccard index |A & B| / |A | B| of the sets of character trigrams of
 * " " a " " and " " b " " (so a one-letter word still yields trigrams).
 * 1 for two equal strings (both empty included), 0 when either side is
 * empty and the other is not. Inputs should be folded (licit_text_fold). */
double licit_similar_trigram(const char *a, const char *b);

/* The token similarity (the one every tool uses): the Jaccard index of
 * the sets of distinct space-separated words of at least minlen bytes
 * of a and of b (their first LICIT_SIM_MAXLEN bytes); 0 when either has
 * no such word. Words are compared by a 32-bit hash: a clash only merges
 * two words. licit-flags(1) MX-FAILED-THEN-DIRECT reads titles with
 * minlen 3. */
double licit_similar_tokens(const char *a, const char *b, size_t minlen);

/* Word containment: the share of the content words (two letters or more,
 * not a function word such as "de", "para", "the") of the title with fewer
 * of them that are found in the other title, a word also matching a word
 * it abbreviates ("adq" finds "adquisicion"). 0 when that title has fewer
 * than two content words. */
double licit_similar_contain(const char *a, const char *b);

/* Optimal-string-alignment edit distance: insertions, deletions,
 * substitutions and swaps of two adjacent bytes each count 1. */
size_t licit_similar_edits(const char *a, const char *b);

/* Name similarity of two base keys, made to accept typing slips and
 * little else: 0 when their word counts differ or when the words, paired
 * in order, need more than 2 edits in all; else the lowest word
 * similarity 1 - edits / length of the longer word over the words that
 * differ (1 for equal keys). "OPERADORA AZTECA REAL" / "OPERADORA ATZECA
 * REAL" = 1 - 1/6 = 0.83; "... ALFA" / "... VALLE" = 0 (3 edits);
 * "... II" / "... HIJO" = 0 (3 edits). */
double licit_similar_name(const char *a, const char *b);

/* Title similarity of two folded titles: 1 when licit_similar_contain is
 * 1 (every content word of one is in the other), else
 * licit_similar_trigram; except
 * that it is 0 when both titles carry "marker" tokens (tokens with a
 * digit, and Spanish or English month names) and the two marker sets
 * differ: "pago fact 25" and "pago fact 26", or "renta enero" and
 * "renta febrero", name different documents however alike they look.
 * 0 when either title is empty. */
double licit_similar_title(const char *a, const char *b);

/* A supplier name key (licit_name_key) without its trailing legal form:
 * "TELEFONOS DE MEXICO SAB DE CV" -> "TELEFONOS DE MEXICO". A key that is
 * only a legal form is returned whole. Returns the length written. */
size_t licit_similar_name_base(const char *key, size_t n, char *out, size_t cap);

#endif
