/* licit's JSON parser for data: one pass over the text into a read-only
 * tree that lives in an arena (no allocation per value, no hash tables),
 * numbers kept as the digits of the text, strings decoded to UTF-8.
 *
 * It accepts what RFC 8259 accepts, with no limit on numbers (1e400 and
 * integers beyond 64 bits are kept as text: the reader of a value decides
 * whether it can use it) and with \u0000 in strings replaced by U+FFFD
 * (the string is marked LICIT_JSON_HAD_NUL). Nesting deeper than
 * LICIT_JSON_MAX_DEPTH is refused. */
#ifndef LICIT_JSON_H
#define LICIT_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "licit/core/arena.h"

#define LICIT_JSON_MAX_DEPTH 512

enum licit_json_type {
	LICIT_JSON_NULL, LICIT_JSON_FALSE, LICIT_JSON_TRUE, LICIT_JSON_NUMBER,
	LICIT_JSON_STRING, LICIT_JSON_ARRAY, LICIT_JSON_OBJECT
};

/* flags */
#define LICIT_JSON_HAD_NUL 1 /* a string with \u0000 replaced by U+FFFD; on
                              * the root: some string in the tree */
#define LICIT_JSON_NOT_INT 2 /* a number with a fraction or an exponent */
#define LICIT_JSON_PLAIN 4   /* a string whose bytes JSON never escapes (no '"',
                              * '\\' or control character): read from text
                              * without escapes; whoever changes the text of a
                              * string that has it clears it */

struct licit_json_member;

struct licit_json {
	uint8_t type, flags;
	uint32_t n; /* string or number: bytes; array: items; object: members */
	union {
		const char *s; /* string or number text, NUL-terminated */
		struct licit_json *items;
		struct licit_json_member *members;
	} u;
};

struct licit_json_member {
	const char *key; /* NUL-terminated */
	uint32_t klen;
	uint8_t kflags;  /* the key's LICIT_JSON_PLAIN (0: not known) */
	struct licit_json v;
};

/* Where parsing stopped and why. */
struct licit_json_error {
	size_t pos;  /* byte offset of the error */
	long line;   /* 1-based */
	long column; /* 1-based, in bytes */
	char text[96];
	int utf8;    /* the error is bytes that are not UTF-8 in a string */
};

/* Parses one value from s[0..n), with only white space after it unless
 * rest is not NULL (then *rest gets the offset just after the value: for
 * concatenated documents). The tree lives in `a`. NULL on a syntax error
 * (err filled) or when memory runs out (err->text says so). */
struct licit_json *licit_json_parse(const char *s, size_t n, struct licit_arena *a,
                                    size_t *rest, struct licit_json_error *err);

/* The same, leaving out of the tree the members named in skip (a NULL-
 * terminated list), at any depth: their values are checked as JSON
 * (but their strings not as UTF-8) and nothing is built for them. For readers that know what they never
 * look at (OCDS planning, documents, ...). */
struct licit_json *licit_json_parse_skipping(const char *s, size_t n, struct licit_arena *a,
                                             size_t *rest, const char *const *skip,
                                             struct licit_json_error *err);

/* What a reader keeps of a document: the members of an object by name,
 * each with what is kept of its value (keep NULL: all of it); the items
 * of an array are kept as the array is. A list ends with {NULL, NULL}. */
struct licit_json_keep {
	const char *name;
	const struct licit_json_keep *keep;
};

/* The same, leaving out of the tree every member that keep (the root
 * value's list) does not name: checked as JSON (but their strings not as
 * UTF-8), nothing built. For readers that know all they look at. */
struct licit_json *licit_json_parse_keeping(const char *s, size_t n, struct licit_arena *a,
                                            size_t *rest, const struct licit_json_keep *keep,
                                            struct licit_json_error *err);

/* licit_json_parse_skipping (keep NULL) or _keeping (skip NULL), how
 * LICIT_JSON_TOKENS: the values left out are checked token by token like
 * the kept ones rather than skimmed in one loop (lib/io/json_skim.c).
 * Same result, slower: for the tests that compare the two ways. */
#define LICIT_JSON_TOKENS 1u
struct licit_json *licit_json_parse_how(const char *s, size_t n, struct licit_arena *a,
                                        size_t *rest, const char *const *skip,
                                        const struct licit_json_keep *keep, unsigned how,
                                        struct licit_json_error *err);

/* ---- reading a tree: each accepts NULL and answers NULL/0 ------------- */

/* The member of an object; NULL when v is not an object, the key is
 * absent, or its value is null (null means absent in OCDS). */
const struct licit_json *licit_json_get(const struct licit_json *v, const char *key);
/* Same, the member's value even when it is null. */
const struct licit_json *licit_json_get_raw(const struct licit_json *v, const char *key);
/* licit_json_get_raw with the key's length given; inline, so that with a
 * literal key (strlen folded) the comparison is inlined too. */
static inline const struct licit_json *licit_json_get_rawn(const struct licit_json *v,
                                                           const char *key, size_t n)
{
	if (!v || v->type != LICIT_JSON_OBJECT)
		return NULL;
	for (uint32_t i = 0; i < v->n; i++)
		if (v->u.members[i].klen == n && memcmp(v->u.members[i].key, key, n) == 0)
			return &v->u.members[i].v;
	return NULL;
}

static inline int licit_json_is(const struct licit_json *v, enum licit_json_type t)
{
	return v && v->type == t;
}
#define licit_json_is_object(v) licit_json_is((v), LICIT_JSON_OBJECT)
#define licit_json_is_array(v) licit_json_is((v), LICIT_JSON_ARRAY)
#define licit_json_is_string(v) licit_json_is((v), LICIT_JSON_STRING)
#define licit_json_is_number(v) licit_json_is((v), LICIT_JSON_NUMBER)
#define licit_json_is_null(v) licit_json_is((v), LICIT_JSON_NULL)

/* A string's text; NULL when v is not a string. */
static inline const char *licit_json_str(const struct licit_json *v)
{
	return v && v->type == LICIT_JSON_STRING ? v->u.s : NULL;
}
/* Items of an array (0 when v is not one). */
static inline size_t licit_json_size(const struct licit_json *v)
{
	return v && v->type == LICIT_JSON_ARRAY ? v->n : 0;
}
static inline const struct licit_json *licit_json_at(const struct licit_json *v, size_t i)
{
	return i < licit_json_size(v) ? &v->u.items[i] : NULL;
}
#define licit_json_foreach(arr, i, e)                                              \
	for ((i) = 0; (i) < licit_json_size(arr) && ((e) = &(arr)->u.items[(i)], 1); (i)++)

/* A number as a double (NAN when it is beyond a double's range), or an
 * integer (0 with *ok = 0 when it is not one or does not fit). */
double licit_json_double(const struct licit_json *v);
long long licit_json_integer(const struct licit_json *v, int *ok);

/* A number written without an exponent, from the digits of its text
 * ("1.5e3" -> "1500", "1E-6" -> "0.000001"; without an exponent, the text
 * as it is). -1 when that takes more than LICIT_JSON_PLAIN_MAX bytes
 * (1e400) or out is too small. */
#define LICIT_JSON_PLAIN_MAX 48
int licit_json_plain_number(const struct licit_json *v, char *out, size_t cap);

/* 1 when two values are the same (numbers by their text, objects member
 * by member in order). */
int licit_json_equal(const struct licit_json *a, const struct licit_json *b);

/* The value written as compact JSON, NUL-terminated, in `a`. */
char *licit_json_dump(const struct licit_json *v, struct licit_arena *a);

#endif
