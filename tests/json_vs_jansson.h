/* The differential check between licit's JSON parser and jansson, shared
 * by the fuzz target and the test over the fixtures and real files:
 * where jansson reads a text, licit reads the same values; where only
 * licit does, the text is one of the things licit accepts on purpose
 * (numbers beyond a double or 64 bits, \u0000 in strings and keys, deep
 * nesting refused, a raw NUL byte refused where jansson takes it for the
 * end). */
#ifndef LICIT_JSON_VS_JANSSON_H
#define LICIT_JSON_VS_JANSSON_H

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/json.h"

/* jansson's string with NUL bytes as U+FFFD, as licit writes them */
static inline int jvj_same_string(const char *mine, size_t mn, const char *js, size_t jn)
{
	size_t i = 0, j = 0;
	while (i < mn && j < jn) {
		if (js[j] == '\0') {
			if (mn - i < 3 || memcmp(mine + i, "\xEF\xBF\xBD", 3) != 0)
				return 0;
			i += 3;
			j++;
		} else if (mine[i++] != js[j++]) {
			return 0;
		}
	}
	return i == mn && j == jn;
}

static inline int jvj_same(const struct licit_json *m, json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_NULL: return m->type == LICIT_JSON_NULL;
	case JSON_TRUE: return m->type == LICIT_JSON_TRUE;
	case JSON_FALSE: return m->type == LICIT_JSON_FALSE;
	case JSON_STRING:
		return m->type == LICIT_JSON_STRING &&
		       jvj_same_string(m->u.s, m->n, json_string_value(j), json_string_length(j));
	case JSON_INTEGER: {
		int ok;
		return m->type == LICIT_JSON_NUMBER &&
		       licit_json_integer(m, &ok) == json_integer_value(j) && ok;
	}
	case JSON_REAL:
		return m->type == LICIT_JSON_NUMBER && licit_json_double(m) == json_real_value(j);
	case JSON_ARRAY:
		if (m->type != LICIT_JSON_ARRAY || m->n != json_array_size(j))
			return 0;
		for (size_t i = 0; i < m->n; i++)
			if (!jvj_same(&m->u.items[i], json_array_get(j, i)))
				return 0;
		return 1;
	case JSON_OBJECT: {
		if (m->type != LICIT_JSON_OBJECT)
			return 0;
		/* jansson keeps the last of repeated keys, licit all of them
		 * (licit_json_get finds the first): compare key by key */
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			const struct licit_json *last = NULL;
			for (uint32_t i = 0; i < m->n; i++)
				if (strcmp(m->u.members[i].key, k) == 0)
					last = &m->u.members[i].v;
			if (!last || !jvj_same(last, v))
				return 0;
		}
		return 1;
	}
	}
	return 0;
}

/* 0 when the two parsers agree on s[0..n), else a reason. */
static inline const char *json_vs_jansson(const char *s, size_t n)
{
	struct licit_arena a;
	licit_arena_init(&a, 1 << 16);
	struct licit_json_error e;
	const struct licit_json *m = licit_json_parse(s, n, &a, NULL, &e);
	json_error_t je;
	json_t *j = json_loadb(s, n, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	const char *why = NULL;
	if (j && !m) {
		/* jansson stops at a NUL byte as at the end of the text */
		if (!strstr(e.text, "nested deeper") && !memchr(s, '\0', n))
			why = "jansson reads it, licit does not";
	} else if (j && !jvj_same(m, j)) {
		why = "the values differ";
	} else if (!j && m) {
		/* licit's extensions: numbers of any size, \u0000 in a key */
		if (!strstr(je.text, "overflow") && !strstr(je.text, "too big") &&
		    !strstr(je.text, "NUL byte in object key"))
			why = "licit reads it, jansson does not";
	}
	json_decref(j);
	licit_arena_fini(&a);
	return why;
}

/* 1 when two trees are the same down to each value's flags and each
 * key's */
static inline int jvj_same_tree(const struct licit_json *a, const struct licit_json *b)
{
	if (a->type != b->type || a->flags != b->flags || a->n != b->n)
		return 0;
	switch (a->type) {
	case LICIT_JSON_STRING:
	case LICIT_JSON_NUMBER:
		return memcmp(a->u.s, b->u.s, a->n) == 0 && a->u.s[a->n] == '\0' &&
		       b->u.s[b->n] == '\0';
	case LICIT_JSON_ARRAY:
		for (uint32_t i = 0; i < a->n; i++)
			if (!jvj_same_tree(&a->u.items[i], &b->u.items[i]))
				return 0;
		return 1;
	case LICIT_JSON_OBJECT:
		for (uint32_t i = 0; i < a->n; i++) {
			const struct licit_json_member *m = &a->u.members[i], *o = &b->u.members[i];
			if (m->klen != o->klen || m->kflags != o->kflags ||
			    memcmp(m->key, o->key, m->klen) != 0 || !jvj_same_tree(&m->v, &o->v))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* 0 when the parses that leave values out give the same tree, the same
 * end and the same error whether those values are skimmed
 * (lib/io/json_skim.c) or read token by token (LICIT_JSON_TOKENS), with
 * the given skip list or keep tree; else a reason. */
static inline const char *jvj_skim_same(const char *s, size_t n, const char *const *skip,
                                 const struct licit_json_keep *keep)
{
	const char *why = NULL;
	struct licit_arena a;
	licit_arena_init(&a, 1 << 16);
	for (int with_rest = 0; with_rest < 2 && !why; with_rest++) {
		struct licit_json_error e1, e2;
		size_t r1 = 0, r2 = 0;
		const struct licit_json *x =
			licit_json_parse_how(s, n, &a, with_rest ? &r1 : NULL, skip, keep, 0, &e1);
		const struct licit_json *y = licit_json_parse_how(
			s, n, &a, with_rest ? &r2 : NULL, skip, keep, LICIT_JSON_TOKENS, &e2);
		if (!x != !y)
			why = "skimmed and token by token: one reads it, the other does not";
		else if (x && (r1 != r2 || !jvj_same_tree(x, y)))
			why = "skimmed and token by token: the trees differ";
		else if (!x && (e1.pos != e2.pos || e1.line != e2.line || e1.column != e2.column ||
		                e1.utf8 != e2.utf8 || strcmp(e1.text, e2.text) != 0))
			why = "skimmed and token by token: the errors differ";
	}
	licit_arena_fini(&a);
	return why;
}

/* What OCDS readers leave out (as Cardinal mode and normalise do), for
 * jvj_skim_same over the fixtures and real files; the fuzz target uses
 * short names of its own. */
static const char *const jvj_ocds_skip[] = {"parties", "contracts", "planning", "documents",
                                            "description", "items", "", NULL};
static const struct licit_json_keep jvj_id_kept[] = {{"id", NULL}, {NULL, NULL}};
static const struct licit_json_keep jvj_tender_kept[] = {
	{"id", NULL}, {"procurementMethod", NULL}, {"tenderers", jvj_id_kept}, {NULL, NULL}};
static const struct licit_json_keep jvj_release_kept[] = {
	{"ocid", NULL}, {"date", NULL}, {"tag", NULL}, {"tender", jvj_tender_kept},
	{"awards", jvj_id_kept}, {"buyer", jvj_id_kept}, {NULL, NULL}};
static const struct licit_json_keep jvj_ocds_keep[] = {
	{"ocid", NULL}, {"date", NULL}, {"tag", NULL}, {"tender", jvj_tender_kept},
	{"awards", jvj_id_kept}, {"buyer", jvj_id_kept}, {"releases", jvj_release_kept},
	{"records", jvj_release_kept}, {NULL, NULL}};

#endif
