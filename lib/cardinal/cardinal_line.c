/* A JSON Lines line as Cardinal reads it (see licit/cardinal/cardinal_line.h). */
#include "licit/cardinal/cardinal_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/reader.h"
#include "licit/core/utf8.h"

int licit_cardinal_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n' && s[i] != '\f')
			return 0;
	return 1;
}

const struct licit_json *licit_cardinal_member(const struct licit_json *o, uint32_t i)
{
	const struct licit_json_member *m = o->u.members;
	for (uint32_t j = 0; j < i; j++)
		if (m[j].klen == m[i].klen && memcmp(m[j].key, m[i].key, m[i].klen) == 0)
			return NULL;
	const struct licit_json *v = &m[i].v;
	for (uint32_t j = i + 1; j < o->n; j++)
		if (m[j].klen == m[i].klen && memcmp(m[j].key, m[i].key, m[i].klen) == 0)
			v = &m[j].v;
	return v;
}

/* v: an array or object at depth (0: the line's value) */
static const char *const wide_space[] = {
	"\xc2\x85", "\xc2\xa0", "\xe1\x9a\x80", "\xe2\x80\x80", "\xe2\x80\x81",
	"\xe2\x80\x82", "\xe2\x80\x83", "\xe2\x80\x84", "\xe2\x80\x85", "\xe2\x80\x86",
	"\xe2\x80\x87", "\xe2\x80\x88", "\xe2\x80\x89", "\xe2\x80\x8a", "\xe2\x80\xa8",
	"\xe2\x80\xa9", "\xe2\x80\xaf", "\xe2\x81\x9f", "\xe3\x80\x80", NULL};

/* The length of the white space at s[0..n) (at its end when end), or 0. */
static size_t one_space(const char *s, size_t n, int end)
{
	if (n && s[end ? n - 1 : 0] && strchr(" \t\n\v\f\r", s[end ? n - 1 : 0]))
		return 1;
	for (int k = 0; wide_space[k]; k++) {
		size_t wl = strlen(wide_space[k]);
		if (n >= wl && memcmp(end ? s + n - wl : s, wide_space[k], wl) == 0)
			return wl;
	}
	return 0;
}

size_t licit_rust_space_start(const char *s, size_t n)
{
	size_t at = 0, k;
	while ((k = one_space(s + at, n - at, 0)))
		at += k;
	return at;
}

size_t licit_rust_space_end(const char *s, size_t n)
{
	size_t end = n, k;
	while ((k = one_space(s, end, 1)))
		end -= k;
	return n - end;
}

static int too_deep(const struct licit_json *v, int depth)
{
	if (depth >= LICIT_CARDINAL_MAX_DEPTH)
		return 1;
	for (uint32_t i = 0; i < v->n; i++) {
		const struct licit_json *c = v->type == LICIT_JSON_ARRAY ? &v->u.items[i]
		                                                          : &v->u.members[i].v;
		if ((c->type == LICIT_JSON_ARRAY || c->type == LICIT_JSON_OBJECT) &&
		    too_deep(c, depth + 1))
			return 1;
	}
	return 0;
}

const struct licit_json *licit_cardinal_parse_line(const char *s, size_t n,
                                                   struct licit_arena *a,
                                                   char *why, size_t cap)
{
	why[0] = '\0';
	if (licit_cardinal_blank(s, n))
		return NULL;
	struct licit_json_error je;
	const struct licit_json *v = licit_json_parse(s, n, a, NULL, &je);
	if (!v) {
		if (strcmp(je.text, "out of memory") == 0)
			snprintf(why, cap, "out of memory");
		else if (je.utf8)
			snprintf(why, cap, "not UTF-8 (column %ld)", je.column);
		else
			snprintf(why, cap, "invalid JSON: %s (column %ld)", je.text, je.column);
		return NULL;
	}
	if ((v->type == LICIT_JSON_ARRAY || v->type == LICIT_JSON_OBJECT) && too_deep(v, 0)) {
		snprintf(why, cap, "invalid JSON: nested deeper than %d arrays and objects",
		         LICIT_CARDINAL_MAX_DEPTH);
		return NULL;
	}
	return v;
}

struct state {
	struct licit_reader *r;
	licit_cardinal_line_fn fn;
	licit_cardinal_skip_fn skip;
	void *ctx;
	struct licit_arena a;
	struct licit_error *err;
};

/* One line: LICIT_OK (taken or skipped), LICIT_ERR. */
static int one_line(struct state *st, const char *s, size_t n, long line)
{
	licit_arena_reset(&st->a);
	char why[160];
	const struct licit_json *v = licit_cardinal_parse_line(s, n, &st->a, why, sizeof why);
	if (!v) {
		if (strcmp(why, "out of memory") == 0)
			return licit_error_set(st->err, licit_reader_source(st->r), line, NULL,
			                       "out of memory");
		if (why[0] && st->skip)
			st->skip(st->ctx, line, why);
		return LICIT_OK;
	}
	return st->fn(st->ctx, (struct licit_json *)v, line, &st->a, st->err) != 0 ? LICIT_ERR : LICIT_OK;
}

static long newlines(const char *s, size_t n)
{
	long k = 0;
	for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))); p++)
		k++;
	return k;
}

/* A pretty-printed document (or several, one after the other): each is
 * one value. 1 when the text is not such documents (it is then read as
 * lines). */
static int documents(struct state *st, const char *s, size_t n, long line)
{
	size_t pos = 0;
	int first = 1;
	while (pos < n) {
		size_t start = pos;
		while (pos < n && licit_cardinal_blank(s + pos, 1))
			pos++;
		line += newlines(s + start, pos - start);
		if (pos == n)
			break;
		licit_arena_reset(&st->a);
		struct licit_json_error je;
		size_t used;
		const struct licit_json *v = licit_json_parse(s + pos, n - pos, &st->a, &used, &je);
		if (!v && first)
			return 1;
		if (!v)
			return licit_error_set(st->err, licit_reader_source(st->r), line + je.line - 1,
			                       NULL, "invalid JSON: %s (column %ld)", je.text,
			                       je.column);
		first = 0;
		if (st->fn(st->ctx, (struct licit_json *)v, line, &st->a, st->err) != 0)
			return LICIT_ERR;
		line += newlines(s + pos, used);
		pos += used;
	}
	return LICIT_OK;
}

/* The rest of the input after a first line that is not a whole value:
 * documents, or else lines (the first one broken). */
static int rest_of_input(struct state *st, const char *s, size_t n, long line)
{
	char *buf = malloc(n + 1);
	size_t len = n, cap = n + 1;
	int rc;
	if (!buf)
		return licit_error_set(st->err, licit_reader_source(st->r), line, NULL, "out of memory");
	memcpy(buf, s, n);
	const char *t;
	size_t k;
	long l;
	while ((rc = licit_reader_line(st->r, &t, &k, &l, st->err)) == LICIT_OK) {
		if (len + k + 2 > cap) {
			cap = 2 * cap + k + 2;
			char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return licit_error_set(st->err, licit_reader_source(st->r), l, NULL,
				                       "out of memory");
			}
			buf = nb;
		}
		buf[len++] = '\n';
		memcpy(buf + len, t, k);
		len += k;
	}
	if (rc == LICIT_EOF)
		rc = documents(st, buf, len, line);
	if (rc == 1) { /* lines after all */
		rc = LICIT_OK;
		for (size_t pos = 0; pos <= len && rc == LICIT_OK; line++) {
			const char *nl = memchr(buf + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - buf) : len;
			rc = one_line(st, buf + pos, end - pos, line);
			pos = end + 1;
		}
	}
	free(buf);
	return rc;
}

int licit_cardinal_lines(struct licit_reader *r, int encoding, licit_cardinal_line_fn fn,
                         licit_cardinal_skip_fn skip, void *ctx, struct licit_error *err)
{
	struct state st = {r, fn, skip, ctx, {0}, err};
	licit_arena_init(&st.a, 1 << 20);
	char *conv = NULL;
	size_t convcap = 0;
	int rc, seen = 0;
	const char *s;
	size_t n;
	long line;
	while ((rc = licit_reader_line(r, &s, &n, &line, err)) == LICIT_OK) {
		if (encoding == LICIT_ENC_LATIN1 || encoding == LICIT_ENC_CP1252) {
			if (3 * n + 1 > convcap) {
				free(conv);
				convcap = 3 * n + 1;
				if (!(conv = malloc(convcap))) {
					rc = licit_error_set(err, licit_reader_source(r), line, NULL,
					                     "out of memory");
					break;
				}
			}
			n = encoding == LICIT_ENC_LATIN1 ? licit_latin1_to_utf8(s, n, conv)
			                                  : licit_cp1252_to_utf8(s, n, conv);
			s = conv;
		}
		if (!seen && !licit_cardinal_blank(s, n)) {
			seen = 1;
			struct licit_json_error je;
			licit_arena_reset(&st.a);
			if (!licit_json_parse(s, n, &st.a, NULL, &je) && !je.utf8 &&
			    strcmp(je.text, "out of memory") != 0) {
				rc = rest_of_input(&st, s, n, line);
				if (rc == LICIT_OK)
					rc = LICIT_EOF;
				break;
			}
		}
		if ((rc = one_line(&st, s, n, line)) != LICIT_OK)
			break;
	}
	free(conv);
	licit_arena_fini(&st.a);
	return rc == LICIT_EOF ? LICIT_OK : LICIT_ERR;
}
