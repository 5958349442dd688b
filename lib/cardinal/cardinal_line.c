/* A JSON Lines line as Cardinal reads it (see licit/cardinal/cardinal_line.h). */
#include "licit/cardinal/cardinal_line.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/utf8.h"
#include "licit/io/ahead.h"
#include "licit/io/reader.h"

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
	licit_diag_fn skip;
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
		if (why[0])
			licit_diag(st->skip, st->ctx, LICIT_WARNING, licit_reader_source(st->r), line,
			           NULL, NULL, "%s", why);
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

/* The next line of the raw reader, converted to UTF-8 when encoding says
 * (into *conv): LICIT_OK, LICIT_EOF, or LICIT_ERR with err. */
static int next_line(struct licit_reader *r, int encoding, char **conv, size_t *convcap,
                     const char **s, size_t *n, long *line, struct licit_error *err)
{
	int rc = licit_reader_line(r, s, n, line, err);
	if (rc != LICIT_OK || (encoding != LICIT_ENC_LATIN1 && encoding != LICIT_ENC_CP1252))
		return rc;
	if (3 * *n + 1 > *convcap) {
		free(*conv);
		*convcap = 3 * *n + 1;
		if (!(*conv = malloc(*convcap))) {
			*convcap = 0;
			return licit_error_set(err, licit_reader_source(r), *line, NULL, "out of memory");
		}
	}
	*n = encoding == LICIT_ENC_LATIN1 ? licit_latin1_to_utf8(*s, *n, *conv)
	                                  : licit_cp1252_to_utf8(*s, *n, *conv);
	*s = *conv;
	return LICIT_OK;
}

/* ---- the lines after the first, parsed on a second thread ----------------
 * The second thread reads and parses chunks of up to AHEAD_LINES lines,
 * AHEAD_CHUNKS in flight, each in its own arena; the caller's thread
 * hands their values to fn in input order, so fn sees what it sees when
 * one thread does both. */

#define AHEAD_CHUNKS 3
#define AHEAD_LINES 512
#define AHEAD_BYTES (1 << 20)

struct ahead_item {
	const struct licit_json *v; /* NULL: skipped, why */
	const char *why;
	long line;
};

struct ahead_chunk {
	struct licit_ahead_chunk q; /* first: its place in the queue */
	struct licit_arena a;
	struct ahead_item *items;
	size_t n, cap;
	int rc;                  /* at the last: LICIT_EOF, or LICIT_ERR with err */
	struct licit_error err;
};

struct ahead {
	struct licit_reader *r;
	int encoding;
	char *conv;
	size_t convcap;
	pthread_t thread;
	struct licit_ahead q;
	struct ahead_chunk chunk[AHEAD_CHUNKS];
};

static const char no_memory[] = "out of memory";

/* One chunk, on the second thread: 1 after the last. */
static int ahead_fill(struct ahead *ah, struct ahead_chunk *c)
{
	licit_arena_reset(&c->a);
	c->n = 0;
	size_t bytes = 0;
	while (c->n < AHEAD_LINES && bytes < AHEAD_BYTES) {
		const char *s;
		size_t n;
		long line;
		int rc = next_line(ah->r, ah->encoding, &ah->conv, &ah->convcap, &s, &n, &line, &c->err);
		if (rc != LICIT_OK) {
			c->rc = rc;
			return 1;
		}
		char why[160];
		const struct licit_json *v = licit_cardinal_parse_line(s, n, &c->a, why, sizeof why);
		if (!v && !why[0]) /* blank */
			continue;
		if (LICIT_GROW(c->items, c->cap, c->n + 1) != LICIT_OK) {
			c->rc = licit_error_set(&c->err, licit_reader_source(ah->r), line, NULL,
			                        "out of memory");
			return 1;
		}
		struct ahead_item *it = &c->items[c->n++];
		it->v = v;
		it->line = line;
		it->why = NULL;
		if (!v && strcmp(why, "out of memory") != 0)
			it->why = licit_arena_strndup(&c->a, why, strlen(why));
		if (!v && !it->why)
			it->why = no_memory;
		bytes += n;
	}
	return 0;
}

static void *ahead_run(void *arg)
{
	struct ahead *ah = arg;
	struct ahead_chunk *c;
	for (long seq = 0; (c = (struct ahead_chunk *)licit_ahead_free(&ah->q)); seq++) {
		c->q.seq = seq;
		c->q.last = ahead_fill(ah, c);
		licit_ahead_ready(&ah->q, &c->q);
		if (c->q.last)
			break;
	}
	return NULL;
}

/* The chunk's values to fn, on the caller's thread: LICIT_OK to go on,
 * LICIT_EOF after the last, LICIT_ERR. */
static int ahead_take(struct state *st, struct ahead_chunk *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct ahead_item *it = &c->items[i];
		if (it->why == no_memory)
			return licit_error_set(st->err, licit_reader_source(st->r), it->line, NULL,
			                       "out of memory");
		if (!it->v) {
			licit_diag(st->skip, st->ctx, LICIT_WARNING, licit_reader_source(st->r), it->line,
			           NULL, NULL, "%s", it->why);
			continue;
		}
		if (st->fn(st->ctx, (struct licit_json *)it->v, it->line, &c->a, st->err) != 0)
			return LICIT_ERR;
	}
	if (!c->q.last)
		return LICIT_OK;
	if (c->rc == LICIT_ERR)
		*st->err = c->err;
	return c->rc;
}

/* The rest of the lines, parsed on a second thread; 1 when it cannot be
 * started (nothing read). */
static int ahead_lines(struct state *st, int encoding, char **conv, size_t *convcap)
{
	if (licit_reader_threads(st->r) == 1) /* --threads 1: all on this thread */
		return 1;
	struct ahead *ah = calloc(1, sizeof *ah);
	if (!ah)
		return 1;
	ah->r = st->r;
	ah->encoding = encoding;
	ah->conv = *conv; /* the thread's from now on */
	ah->convcap = *convcap;
	licit_ahead_init(&ah->q);
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_init(&ah->chunk[i].a, 1 << 20);
		licit_ahead_give(&ah->q, &ah->chunk[i].q);
	}
	int rc = 1;
	if (licit_ahead_start(&ah->thread, 1, ahead_run, ah) == 1) {
		*conv = NULL;
		*convcap = 0;
		do {
			struct ahead_chunk *c = (struct ahead_chunk *)licit_ahead_next(&ah->q);
			rc = ahead_take(st, c);
			licit_ahead_give(&ah->q, &c->q);
		} while (rc == LICIT_OK);
		licit_ahead_stop(&ah->q);
		pthread_join(ah->thread, NULL);
		free(ah->conv);
	}
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_fini(&ah->chunk[i].a);
		free(ah->chunk[i].items);
	}
	licit_ahead_fini(&ah->q);
	free(ah);
	return rc;
}

int licit_cardinal_lines(struct licit_reader *r, int encoding, licit_cardinal_line_fn fn,
                         licit_diag_fn skip, void *ctx, struct licit_error *err)
{
	struct state st = {r, fn, skip, ctx, {0}, err};
	licit_arena_init(&st.a, 1 << 20);
	char *conv = NULL;
	size_t convcap = 0;
	int rc, seen = 0;
	const char *s;
	size_t n;
	long line;
	/* up to the first value on the caller's thread: it tells whether the
	 * input is lines at all */
	while (!seen && (rc = next_line(r, encoding, &conv, &convcap, &s, &n, &line, err)) ==
	                    LICIT_OK) {
		if (!licit_cardinal_blank(s, n)) {
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
		rc = one_line(&st, s, n, line);
	}
	if (seen && rc == LICIT_OK && (rc = ahead_lines(&st, encoding, &conv, &convcap)) == 1)
		while ((rc = next_line(r, encoding, &conv, &convcap, &s, &n, &line, err)) == LICIT_OK &&
		       (rc = one_line(&st, s, n, line)) == LICIT_OK)
			;
	free(conv);
	licit_arena_fini(&st.a);
	return rc == LICIT_EOF ? LICIT_OK : LICIT_ERR;
}
