/* JSON text to an arena tree in one pass; reading and writing it. */
#include "licit/io/json.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/utf8.h"
#include "licit/core/array.h"
#include "licit/core/error.h"
#include "json_skim.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct parser {
	const unsigned char *s, *p, *end;
	struct licit_arena *a;
	struct licit_json_error *err;
	/* scratch: members of the arrays and objects being read, innermost
	 * last; a finished container copies its own into the arena */
	struct licit_json_member *stack;
	size_t top, cap;
	int oom;
	int nul; /* a \u0000 was replaced */
	char *chars, *chars_end; /* string bytes, unaligned, from the arena */
	const char *const *skip; /* member names whose values are not kept */
	uint64_t skip_filter;    /* bit skip_hash() of each of them */
	const struct licit_json_keep *keep; /* what is kept here; NULL: all */
	int skipping;            /* inside one: checked, nothing built */
	char *scratch;           /* skipped strings with escapes are decoded here */
	size_t scratch_cap;
	unsigned how;            /* LICIT_JSON_TOKENS */
	int stack_on_heap;       /* stack is no longer parse_top's array */
};

/* a name's bit in skip_filter: from its first byte and its length */
static inline unsigned skip_hash(const char *key, size_t n)
{
	return ((unsigned char)key[0] + 7u * (unsigned)n) & 63u;
}

static int skipped_key(const struct parser *ps, const char *key, size_t n)
{
	if (!(ps->skip_filter >> skip_hash(key, n) & 1)) /* no name can match */
		return 0;
	for (const char *const *k = ps->skip; *k; k++)
		if ((*k)[0] == key[0] && strlen(*k) == n && memcmp(*k, key, n) == 0)
			return 1;
	return 0;
}

/* What keep keeps of the member named key[0..n), or `none` when it is
 * left out. */
static const struct licit_json_keep none_kept;
static const struct licit_json_keep *kept(const struct licit_json_keep *keep, const char *key,
                                          size_t n)
{
	/* a key has no NUL byte (\u0000 is U+FFFD): a name's NUL stops the
	 * loop at its end */
	for (const struct licit_json_keep *k = keep; k->name; k++) {
		const char *name = k->name;
		if (name[0] != key[0]) /* key[0] is its NUL when n is 0 */
			continue;
		if (n == 0)
			return k->keep;
		if (name[1] != key[1]) /* key[1]: a byte or its NUL */
			continue;
		size_t i = 2;
		while (i < n && name[i] == key[i])
			i++;
		if (i >= n && name[n] == '\0')
			return k->keep;
	}
	return &none_kept;
}

/* text_alloc when the current chunk is too small: what is left of the
 * text bounds what its strings and numbers take (each is shorter than
 * its text, with one byte more for its NUL), so one line of JSON Lines
 * takes one small piece */
static __attribute__((noinline)) char *text_refill(struct parser *ps, size_t n)
{
	size_t left = (size_t)(ps->end - ps->p) + 16;
	size_t chunk = n > 16384 ? n : left < 65536 ? (left > n ? left : n) : 65536;
	char *c = licit_arena_alloc(ps->a, chunk);
	if (!c)
		return NULL;
	if (n > 16384) /* a large one: its own block */
		return c;
	ps->chars = c + n;
	ps->chars_end = c + chunk;
	return c;
}

/* n bytes for string or number text: carved from arena chunks without
 * the arena's alignment. */
static inline char *text_alloc(struct parser *ps, size_t n)
{
	if ((size_t)(ps->chars_end - ps->chars) < n)
		return text_refill(ps, n);
	char *p = ps->chars;
	ps->chars += n;
	return p;
}

#ifndef __SSE2__
/* 1 when a byte of w is '"', '\\', below 0x20 or above 0x7F. */
static inline int special8(uint64_t w)
{
	return licit_json_special8(w) || (w & 0x8080808080808080ULL) != 0;
}
#endif

static void fail(struct parser *ps, const unsigned char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct parser *ps, const unsigned char *at, const char *fmt, ...)
{
	struct licit_json_error *e = ps->err;
	if (e->text[0])
		return; /* the first error counts */
	if (at > ps->end)
		at = ps->end;
	e->pos = (size_t)(at - ps->s);
	e->line = 1;
	const unsigned char *bol = ps->s;
	for (const unsigned char *q = ps->s; q < at; q++)
		if (*q == '\n') {
			e->line++;
			bol = q + 1;
		}
	e->column = (long)(at - bol) + 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
}

static void nomem(struct parser *ps)
{
	ps->oom = 1;
	fail(ps, ps->p, "out of memory");
}

static inline void skip_ws(struct parser *ps)
{
	const unsigned char *p = ps->p;
	if (p < ps->end && *p > ' ') /* the common case: no white space */
		return;
	while (p < ps->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	ps->p = p;
}

/* push when the stack is full: from parse_top's array on the C stack to
 * the heap, then grown there */
static __attribute__((noinline)) int grow_stack(struct parser *ps)
{
	if (ps->stack_on_heap)
		return LICIT_GROW(ps->stack, ps->cap, ps->top + 1) == LICIT_OK ? 0 : -1;
	size_t cap = 4 * ps->cap;
	struct licit_json_member *m = malloc(cap * sizeof *m);
	if (!m)
		return -1;
	memcpy(m, ps->stack, ps->top * sizeof *m);
	ps->stack = m;
	ps->cap = cap;
	ps->stack_on_heap = 1;
	return 0;
}

static inline __attribute__((always_inline)) int push(struct parser *ps,
                                                      struct licit_json_member **m)
{
	if (ps->top == ps->cap && grow_stack(ps) < 0) {
		nomem(ps);
		return -1;
	}
	*m = &ps->stack[ps->top++];
	return 0;
}

static char *put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	return o;
}

/* A string at ps->p (just after the opening quote): decoded into the
 * arena, NUL-terminated. */
static int parse_string_any(struct parser *ps, const char **out, uint32_t *len,
                            uint8_t *flags)
{
	const unsigned char *start = ps->p, *p = start, *end = ps->end;
	int esc = 0, high = 0;
	/* find the closing quote */
	for (;;) {
#ifdef __SSE2__
		/* sixteen bytes at a time; a byte above 0x7F before the first
		 * special one marks the string for UTF-8 validation, except in
		 * a skipped value (bytes never read are not checked) */
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
		              ctl = _mm_set1_epi8(0x1F);
		while (end - p >= 16) {
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote),
			                                      _mm_cmpeq_epi8(x, bslash)),
			                         _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x));
			unsigned sp = (unsigned)_mm_movemask_epi8(m);
			unsigned hi = (unsigned)_mm_movemask_epi8(x);
			if (sp) {
				if (hi & ((sp & -sp) - 1))
					high = 1;
				p += __builtin_ctz(sp);
				break;
			}
			high |= hi != 0;
			p += 16;
		}
		high &= !ps->skipping;
#else
		uint64_t w;
		if (ps->skipping) /* bytes never read are not checked as UTF-8 */
			while (end - p >= 8 && (memcpy(&w, p, 8), !licit_json_special8(w)))
				p += 8;
		while (end - p >= 8 && (memcpy(&w, p, 8), !special8(w)))
			p += 8;
#endif
		while (p < end && *p != '"' && *p != '\\' && *p >= 0x20 && *p < 0x80)
			p++;
		if (p >= end) {
			fail(ps, p, "premature end of input in a string");
			return -1;
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			esc = 1;
			p += 2;
		} else if (*p < 0x20) {
			fail(ps, p, "control character 0x%x in a string", *p);
			return -1;
		} else {
			high = !ps->skipping;
			p++;
		}
	}
	size_t raw = (size_t)(p - start);
	if (raw > UINT32_MAX) {
		fail(ps, start, "string too long");
		return -1;
	}
	if (high && !licit_utf8_valid((const char *)start, raw)) {
		fail(ps, start, "invalid UTF-8 in a string");
		ps->err->utf8 = 1;
		return -1;
	}
	if (ps->skipping && !esc) {
		*out = "";
		*len = 0;
		ps->p = p + 1;
		return 0;
	}
	char *o;
	if (ps->skipping) { /* decoded only to check the escapes */
		if (raw + 1 > ps->scratch_cap) {
			char *t = realloc(ps->scratch, raw + 1);
			if (!t) {
				nomem(ps);
				return -1;
			}
			ps->scratch = t;
			ps->scratch_cap = raw + 1;
		}
		o = ps->scratch;
	} else if (!(o = text_alloc(ps, raw + 1))) {
		nomem(ps);
		return -1;
	}
	*out = o;
	if (!esc) {
		*flags |= LICIT_JSON_PLAIN;
		memcpy(o, start, raw);
		o[raw] = '\0';
		*len = (uint32_t)raw;
		ps->p = p + 1;
		return 0;
	}
	char *w = o;
	for (const unsigned char *q = start; q < p;) {
		if (*q != '\\') {
			*w++ = (char)*q++;
			continue;
		}
		unsigned c = q[1];
		q += 2;
		switch (c) {
		case '"': *w++ = '"'; break;
		case '\\': *w++ = '\\'; break;
		case '/': *w++ = '/'; break;
		case 'b': *w++ = '\b'; break;
		case 'f': *w++ = '\f'; break;
		case 'n': *w++ = '\n'; break;
		case 'r': *w++ = '\r'; break;
		case 't': *w++ = '\t'; break;
		case 'u': {
			unsigned cp, lo;
			if (q + 4 > p || licit_json_hex4(q, &cp) < 0) {
				fail(ps, q - 2, "invalid \\u escape");
				return -1;
			}
			q += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (q + 6 > p || q[0] != '\\' || q[1] != 'u' ||
				    licit_json_hex4(q + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF) {
					fail(ps, q - 6, "invalid \\u escape: a lone surrogate");
					return -1;
				}
				q += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				fail(ps, q - 6, "invalid \\u escape: a lone surrogate");
				return -1;
			} else if (cp == 0) {
				cp = 0xFFFD;
				*flags |= LICIT_JSON_HAD_NUL;
				ps->nul = 1;
			}
			w = put_utf8(w, cp);
			break;
		}
		default:
			fail(ps, q - 2, "invalid escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
			return -1;
		}
	}
	*w = '\0';
	*len = (uint32_t)(w - o);
	ps->p = p + 1;
	return 0;
}

/* parse_string, with the common case inline: a string without escapes
 * or control characters, scanned sixteen bytes at a time, copied to the
 * arena (checked as UTF-8 when it has bytes above 0x7F). Anything else,
 * and any error, is for parse_string_any. */
#ifdef __SSE2__
/* n bytes from p to o, with loads and stores that stay inside both */
static inline void copy_bytes(char *o, const unsigned char *p, size_t n)
{
	if (n >= 16) {
		for (size_t i = 0; i + 16 <= n; i += 16)
			_mm_storeu_si128((__m128i *)(void *)(o + i),
			                 _mm_loadu_si128((const __m128i *)(const void *)(p + i)));
		_mm_storeu_si128((__m128i *)(void *)(o + n - 16),
		                 _mm_loadu_si128((const __m128i *)(const void *)(p + n - 16)));
	} else if (n >= 8) {
		memcpy(o, p, 8);
		memcpy(o + n - 8, p + n - 8, 8);
	} else if (n >= 4) {
		memcpy(o, p, 4);
		memcpy(o + n - 4, p + n - 4, 4);
	} else if (n) {
		o[0] = (char)p[0];
		o[n / 2] = (char)p[n / 2];
		o[n - 1] = (char)p[n - 1];
	}
}
#endif

static inline __attribute__((always_inline)) int parse_string(struct parser *ps,
                                                              const char **out,
                                                              uint32_t *len, uint8_t *flags)
{
#ifdef __SSE2__
	const unsigned char *start = ps->p, *p = start, *end = ps->end;
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'),
	              ctl = _mm_set1_epi8(0x1F);
	unsigned hi = 0;
	while (end - p >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned q = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, quote));
		unsigned sp = q | (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_cmpeq_epi8(x, bslash),
			             _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)));
		unsigned h = (unsigned)_mm_movemask_epi8(x);
		if (!sp) {
			hi |= h;
			p += 16;
			continue;
		}
		unsigned first = sp & -sp;
		if (!(first & q)) /* an escape or a control character */
			break;
		hi |= h & (first - 1);
		size_t raw = (size_t)(p - start) + (size_t)__builtin_ctz(first);
		if (raw > UINT32_MAX)
			break;
		if (ps->skipping) {
			*out = "";
			*len = 0;
			ps->p = start + raw + 1;
			return 0;
		}
		if (hi && !licit_utf8_valid((const char *)start, raw))
			break;
		char *o = text_alloc(ps, raw + 1);
		if (!o) {
			nomem(ps);
			return -1;
		}
		copy_bytes(o, start, raw);
		o[raw] = '\0';
		*out = o;
		*len = (uint32_t)raw;
		*flags |= LICIT_JSON_PLAIN;
		ps->p = start + raw + 1;
		return 0;
	}
#endif
	return parse_string_any(ps, out, len, flags);
}

static int parse_number(struct parser *ps, struct licit_json *v)
{
	const unsigned char *start = ps->p, *p = start, *end = ps->end;
	uint8_t flags = 0;
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0') {
		p++;
	} else if (p < end && *p >= '1' && *p <= '9') {
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	} else {
		fail(ps, start, "invalid number");
		return -1;
	}
	if (p < end && *p == '.') {
		p++;
		flags |= LICIT_JSON_NOT_INT;
		if (p >= end || *p < '0' || *p > '9') {
			fail(ps, start, "invalid number");
			return -1;
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		flags |= LICIT_JSON_NOT_INT;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || *p < '0' || *p > '9') {
			fail(ps, start, "invalid number");
			return -1;
		}
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	size_t n = (size_t)(p - start);
	if (n > UINT32_MAX) {
		fail(ps, start, "number too long");
		return -1;
	}
	if (ps->skipping) {
		v->type = LICIT_JSON_NUMBER;
		v->flags = flags;
		v->n = 0;
		v->u.s = "";
		ps->p = p;
		return 0;
	}
	char *t = text_alloc(ps, n + 1);
	if (t) {
		memcpy(t, start, n);
		t[n] = '\0';
	}
	if (!t) {
		nomem(ps);
		return -1;
	}
	v->type = LICIT_JSON_NUMBER;
	v->flags = flags;
	v->n = (uint32_t)n;
	v->u.s = t;
	ps->p = p;
	return 0;
}

static int parse_value(struct parser *ps, struct licit_json *v, int depth);

/* The members (or items) pushed since `base`, moved into the arena. */
static int pop_into(struct parser *ps, size_t base, struct licit_json *v)
{
	size_t n = ps->top - base;
	if (n > UINT32_MAX) {
		fail(ps, ps->p, "too many members");
		return -1;
	}
	v->n = (uint32_t)n;
	if (v->type == LICIT_JSON_OBJECT) {
		struct licit_json_member *m = n ? licit_arena_alloc(ps->a, n * sizeof *m) : NULL;
		if (n && !m) {
			nomem(ps);
			return -1;
		}
		if (n)
			memcpy(m, ps->stack + base, n * sizeof *m);
		v->u.members = m;
	} else {
		struct licit_json *it = n ? licit_arena_alloc(ps->a, n * sizeof *it) : NULL;
		if (n && !it) {
			nomem(ps);
			return -1;
		}
		for (size_t i = 0; i < n; i++)
			it[i] = ps->stack[base + i].v;
		v->u.items = it;
	}
	ps->top = base;
	return 0;
}

/* A value after white space, with the most common one, a string, read
 * here (parse_value's case) rather than through parse_value. */
static inline __attribute__((always_inline)) int parse_item(struct parser *ps,
                                                            struct licit_json *val, int depth)
{
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == '"') {
		ps->p++;
		val->type = LICIT_JSON_STRING;
		val->flags = 0;
		const char *str = NULL;
		int rc = parse_string(ps, &str, &val->n, &val->flags);
		val->u.s = str;
		return rc;
	}
	return parse_value(ps, val, depth);
}

/* The items of an array after its '[' and a first non-blank byte that is
 * not ']'. */
static int parse_items(struct parser *ps, struct licit_json *v, int depth, size_t base)
{
	for (;;) {
		struct licit_json val;
		if (parse_item(ps, &val, depth + 1) < 0)
			return -1;
		if (!ps->skipping) {
			struct licit_json_member *m;
			if (push(ps, &m) < 0)
				return -1;
			m->v = val;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == ']') {
			ps->p++;
			return ps->skipping ? 0 : pop_into(ps, base, v);
		}
		fail(ps, ps->p, "',' or ']' expected");
		return -1;
	}
}

/* The members of an object after its '{' and a first non-blank byte
 * that is not '}'. */
static int parse_members(struct parser *ps, struct licit_json *v, int depth, size_t base)
{
	for (;;) {
		const char *key = NULL;
		uint32_t klen = 0;
		uint8_t kflags = 0;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != '"') {
			fail(ps, ps->p, "string or '}' expected");
			return -1;
		}
		ps->p++;
		if (parse_string(ps, &key, &klen, &kflags) < 0)
			return -1;
		skip_ws(ps);
		if (ps->p >= ps->end || *ps->p != ':') {
			fail(ps, ps->p, "':' expected");
			return -1;
		}
		ps->p++;
		struct licit_json val;
		const struct licit_json_keep *outer = ps->keep;
		int skip = 0;
		if (!ps->skipping && outer) {
			ps->keep = kept(outer, key, klen);
			skip = ps->keep == &none_kept;
		} else if (!ps->skipping && ps->skip) {
			skip = skipped_key(ps, key, klen);
		}
		ps->skipping += skip;
		int rc;
		const unsigned char *after;
		if (skip && ps->skipping == 1 && !(ps->how & LICIT_JSON_TOKENS) &&
		    (after = licit_json_skim(ps->p, ps->end, depth + 1, &ps->nul)))
			ps->p = after, rc = 0;
		else /* one token at a time (and its error, if any) */
			rc = parse_item(ps, &val, depth + 1);
		ps->skipping -= skip;
		ps->keep = outer;
		if (rc < 0)
			return -1;
		if (!ps->skipping && !skip) {
			struct licit_json_member *m;
			if (push(ps, &m) < 0)
				return -1;
			m->key = key;
			m->klen = klen;
			m->kflags = kflags;
			m->v = val;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == '}') {
			ps->p++;
			return ps->skipping ? 0 : pop_into(ps, base, v);
		}
		fail(ps, ps->p, "',' or '}' expected");
		return -1;
	}
}

static int parse_container(struct parser *ps, struct licit_json *v, int depth)
{
	int obj = *ps->p == '{';
	if (depth >= LICIT_JSON_MAX_DEPTH) {
		fail(ps, ps->p, "nested deeper than %d levels", LICIT_JSON_MAX_DEPTH);
		return -1;
	}
	ps->p++;
	v->type = obj ? LICIT_JSON_OBJECT : LICIT_JSON_ARRAY;
	v->flags = 0;
	size_t base = ps->top;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == (obj ? '}' : ']')) {
		ps->p++;
		return ps->skipping ? 0 : pop_into(ps, base, v);
	}
	return obj ? parse_members(ps, v, depth, base) : parse_items(ps, v, depth, base);
}

static int literal(struct parser *ps, const char *word, size_t n, struct licit_json *v,
                   enum licit_json_type t)
{
	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0) {
		fail(ps, ps->p, "invalid token");
		return -1;
	}
	ps->p += n;
	v->type = (uint8_t)t;
	v->flags = 0;
	v->n = 0;
	v->u.s = NULL;
	return 0;
}

static int parse_value(struct parser *ps, struct licit_json *v, int depth)
{
	skip_ws(ps);
	if (ps->p >= ps->end) {
		fail(ps, ps->p, "premature end of input");
		return -1;
	}
	switch (*ps->p) {
	case '{':
	case '[':
		return parse_container(ps, v, depth);
	case '"': {
		ps->p++;
		v->type = LICIT_JSON_STRING;
		v->flags = 0;
		const char *s;
		if (parse_string(ps, &s, &v->n, &v->flags) < 0)
			return -1;
		v->u.s = s;
		return 0;
	}
	case 't':
		return literal(ps, "true", 4, v, LICIT_JSON_TRUE);
	case 'f':
		return literal(ps, "false", 5, v, LICIT_JSON_FALSE);
	case 'n':
		return literal(ps, "null", 4, v, LICIT_JSON_NULL);
	default:
		if (*ps->p == '-' || (*ps->p >= '0' && *ps->p <= '9'))
			return parse_number(ps, v);
		fail(ps, ps->p, "invalid token");
		return -1;
	}
}

struct licit_json *licit_json_parse(const char *s, size_t n, struct licit_arena *a,
                                    size_t *rest, struct licit_json_error *err)
{
	return licit_json_parse_skipping(s, n, a, rest, NULL, err);
}

static struct licit_json *parse_top(const char *s, size_t n, struct licit_arena *a,
                                    size_t *rest, const char *const *skip,
                                    const struct licit_json_keep *keep, unsigned how,
                                    struct licit_json_error *err);

struct licit_json *licit_json_parse_skipping(const char *s, size_t n, struct licit_arena *a,
                                             size_t *rest, const char *const *skip,
                                             struct licit_json_error *err)
{
	return parse_top(s, n, a, rest, skip, NULL, 0, err);
}

struct licit_json *licit_json_parse_keeping(const char *s, size_t n, struct licit_arena *a,
                                            size_t *rest, const struct licit_json_keep *keep,
                                            struct licit_json_error *err)
{
	return parse_top(s, n, a, rest, NULL, keep, 0, err);
}

struct licit_json *licit_json_parse_how(const char *s, size_t n, struct licit_arena *a,
                                        size_t *rest, const char *const *skip,
                                        const struct licit_json_keep *keep, unsigned how,
                                        struct licit_json_error *err)
{
	return parse_top(s, n, a, rest, skip, keep, how, err);
}

static struct licit_json *parse_top(const char *s, size_t n, struct licit_arena *a,
                                    size_t *rest, const char *const *skip,
                                    const struct licit_json_keep *keep, unsigned how,
                                    struct licit_json_error *err)
{
	struct licit_json_member first[64]; /* the stack, until it outgrows it */
	struct parser ps = {(const unsigned char *)s, (const unsigned char *)s,
	                    (const unsigned char *)s + n, a, err, first, 0, 64, 0, 0, NULL, NULL,
	                    skip, 0, keep, 0, NULL, 0, how, 0};
	if (skip)
		for (const char *const *k = skip; *k; k++)
			ps.skip_filter |= 1ULL << skip_hash(*k, strlen(*k));
	memset(err, 0, sizeof *err);
	struct licit_json *v = licit_arena_alloc(a, sizeof *v);
	if (!v) {
		nomem(&ps);
		return NULL;
	}
	int rc = parse_value(&ps, v, 0);
	if (ps.stack_on_heap)
		free(ps.stack);
	free(ps.scratch);
	if (rc < 0)
		return NULL;
	if (ps.nul) /* the root says whether any string had one */
		v->flags |= LICIT_JSON_HAD_NUL;
	if (rest) {
		*rest = (size_t)(ps.p - ps.s);
		return v;
	}
	skip_ws(&ps);
	if (ps.p < ps.end) {
		fail(&ps, ps.p, "end of input expected");
		return NULL;
	}
	return v;
}

/* ---- reading ------------------------------------------------------------- */

const struct licit_json *licit_json_get_raw(const struct licit_json *v, const char *key)
{
	if (!v || v->type != LICIT_JSON_OBJECT)
		return NULL;
	for (uint32_t i = 0; i < v->n; i++) {
		const struct licit_json_member *m = &v->u.members[i];
		if (m->key[0] == key[0] && strcmp(m->key, key) == 0)
			return &m->v;
	}
	return NULL;
}

const struct licit_json *licit_json_get(const struct licit_json *v, const char *key)
{
	const struct licit_json *x = licit_json_get_raw(v, key);
	return x && x->type != LICIT_JSON_NULL ? x : NULL;
}

/* A number of at most 15 digits without an exponent, in *out: its digits
 * as an integer (below 2^53, so exact) divided by a power of ten (exact
 * too), which rounds once, as strtod does (Clinger's fast path); 0 for
 * the others. */
static int short_double(const char *s, size_t n, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s, *end = s + n;
	int neg = p < end && *p == '-';
	p += neg;
	uint64_t m = 0;
	int digits = 0, frac = -1;
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			digits++;
			frac += frac >= 0;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			return 0; /* an exponent */
		}
	}
	if (digits == 0 || digits > 15)
		return 0;
	double d = (double)m;
	if (frac > 0)
		d /= pow10[frac];
	*out = neg ? -d : d;
	return 1;
}

double licit_json_double(const struct licit_json *v)
{
	if (!licit_json_is_number(v))
		return NAN;
	double d;
	if (short_double(v->u.s, v->n, &d))
		return d;
	errno = 0;
	d = strtod(v->u.s, NULL);
	if (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL))
		return NAN;
	return d;
}

long long licit_json_integer(const struct licit_json *v, int *ok)
{
	*ok = 0;
	if (!licit_json_is_number(v) || (v->flags & LICIT_JSON_NOT_INT))
		return 0;
	errno = 0;
	long long x = strtoll(v->u.s, NULL, 10);
	if (errno == ERANGE)
		return 0;
	*ok = 1;
	return x;
}

int licit_json_plain_number(const struct licit_json *v, char *out, size_t cap)
{
	if (!licit_json_is_number(v))
		return -1;
	const char *s = v->u.s, *e = strpbrk(s, "eE");
	if (!e) {
		if (v->n >= cap || v->n > LICIT_JSON_PLAIN_MAX)
			return -1;
		memcpy(out, s, v->n + 1);
		return 0;
	}
	/* the significant digits, and where the point goes among them */
	char digits[LICIT_JSON_PLAIN_MAX + 1];
	size_t nd = 0;
	long point = 0;
	int neg = *s == '-', seen_point = 0;
	for (const char *p = s + neg; p < e; p++) {
		if (*p == '.') {
			seen_point = 1;
			continue;
		}
		if (nd == 0 && *p == '0') { /* leading zeros */
			if (seen_point)
				point--;
			continue;
		}
		if (nd == LICIT_JSON_PLAIN_MAX)
			return -1;
		digits[nd++] = *p;
		if (!seen_point)
			point++;
	}
	while (nd > 0 && digits[nd - 1] == '0') /* trailing zeros: in the point */
		nd--;
	const char *x = e + 1;
	int eneg = *x == '-';
	if (*x == '+' || *x == '-')
		x++;
	long exp = 0;
	for (; *x; x++) {
		if (exp > 100000)
			return -1;
		exp = exp * 10 + (*x - '0');
	}
	if (nd == 0) { /* zero, whatever the exponent */
		if (cap < 2)
			return -1;
		strcpy(out, "0");
		return 0;
	}
	point += eneg ? -exp : exp;
	/* the length written: sign, integer part, point, fraction */
	long ilen = point > 0 ? point : 1;
	long flen = (long)nd > point ? (long)nd - (point > 0 ? point : 0) + (point < 0 ? -point : 0) : 0;
	long total = neg + ilen + (flen ? 1 + flen : 0);
	if (total > LICIT_JSON_PLAIN_MAX || (size_t)total >= cap)
		return -1;
	char *o = out;
	if (neg)
		*o++ = '-';
	if (point <= 0) {
		*o++ = '0';
		*o++ = '.';
		for (long i = 0; i < -point; i++)
			*o++ = '0';
		memcpy(o, digits, nd);
		o += nd;
	} else if ((size_t)point >= nd) {
		memcpy(o, digits, nd);
		o += nd;
		for (long i = (long)nd; i < point; i++)
			*o++ = '0';
	} else {
		memcpy(o, digits, (size_t)point);
		o += point;
		*o++ = '.';
		memcpy(o, digits + point, nd - (size_t)point);
		o += nd - (size_t)point;
	}
	*o = '\0';
	return 0;
}

int licit_json_equal(const struct licit_json *a, const struct licit_json *b)
{
	if (!a || !b || a->type != b->type)
		return 0;
	switch (a->type) {
	case LICIT_JSON_STRING:
	case LICIT_JSON_NUMBER:
		return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
	case LICIT_JSON_ARRAY:
		if (a->n != b->n)
			return 0;
		for (uint32_t i = 0; i < a->n; i++)
			if (!licit_json_equal(&a->u.items[i], &b->u.items[i]))
				return 0;
		return 1;
	case LICIT_JSON_OBJECT:
		if (a->n != b->n)
			return 0;
		for (uint32_t i = 0; i < a->n; i++) {
			const struct licit_json_member *m = &a->u.members[i], *o = &b->u.members[i];
			if (m->klen != o->klen || memcmp(m->key, o->key, m->klen) != 0 ||
			    !licit_json_equal(&m->v, &o->v))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

/* ---- writing ------------------------------------------------------------- */

struct buf {
	char *s;
	size_t n, cap;
	int oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *t = realloc(b->s, cap);
		if (!t) {
			b->oom = 1;
			return;
		}
		b->s = t;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
}

static void put_string(struct buf *b, const char *s, size_t n)
{
	put(b, "\"", 1);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(b, s + run, i - run);
		char e[8];
		switch (c) {
		case '"': put(b, "\\\"", 2); break;
		case '\\': put(b, "\\\\", 2); break;
		case '\n': put(b, "\\n", 2); break;
		case '\r': put(b, "\\r", 2); break;
		case '\t': put(b, "\\t", 2); break;
		case '\b': put(b, "\\b", 2); break;
		case '\f': put(b, "\\f", 2); break;
		default:
			snprintf(e, sizeof e, "\\u%04x", c);
			put(b, e, 6);
		}
		run = i + 1;
	}
	put(b, s + run, n - run);
	put(b, "\"", 1);
}

static void dump(struct buf *b, const struct licit_json *v)
{
	switch (v->type) {
	case LICIT_JSON_NULL: put(b, "null", 4); break;
	case LICIT_JSON_TRUE: put(b, "true", 4); break;
	case LICIT_JSON_FALSE: put(b, "false", 5); break;
	case LICIT_JSON_NUMBER: put(b, v->u.s, v->n); break;
	case LICIT_JSON_STRING: put_string(b, v->u.s, v->n); break;
	case LICIT_JSON_ARRAY:
		put(b, "[", 1);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				put(b, ",", 1);
			dump(b, &v->u.items[i]);
		}
		put(b, "]", 1);
		break;
	case LICIT_JSON_OBJECT:
		put(b, "{", 1);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				put(b, ",", 1);
			put_string(b, v->u.members[i].key, v->u.members[i].klen);
			put(b, ":", 1);
			dump(b, &v->u.members[i].v);
		}
		put(b, "}", 1);
		break;
	}
}

char *licit_json_dump(const struct licit_json *v, struct licit_arena *a)
{
	struct buf b = {0};
	dump(&b, v);
	char *s = b.oom ? NULL : licit_arena_strndup(a, b.s ? b.s : "", b.n);
	free(b.s);
	return s;
}
