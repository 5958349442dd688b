/* JSON written as serde_json writes it (Cardinal's prepare output):
 * compact, strings escaped as serde_json escapes them (\" \\ \b \f \n \r
 * \t, other control characters as \u00xx), everything else as it is,
 * numbers as their text (Cardinal keeps numbers' text: arbitrary
 * precision), one member per name. Written through a buffer of its own
 * (one fwrite per 16 KiB), strings scanned 16 bytes at a time (SSE2; 8
 * without it). */
#define _GNU_SOURCE /* fwrite_unlocked */
#include "licit/cardinal/prepare.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "licit/cardinal/cardinal_line.h"

struct out {
	FILE *f;
	size_t n;
	char b[16384];
};

static void flush(struct out *o)
{
	fwrite_unlocked(o->b, 1, o->n, o->f);
	o->n = 0;
}

static void put(struct out *o, const char *s, size_t n)
{
	if (o->n + n > sizeof o->b) {
		flush(o);
		if (n > sizeof o->b) {
			fwrite_unlocked(s, 1, n, o->f);
			return;
		}
	}
	memcpy(o->b + o->n, s, n);
	o->n += n;
}

static void put1(struct out *o, char c)
{
	if (o->n == sizeof o->b)
		flush(o);
	o->b[o->n++] = c;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL
/* a byte of x below 0x20, or equal to '"' or '\\' (exact: no byte is
 * missed) */
static int needs_escape8(uint64_t x)
{
	uint64_t q = x ^ (ONES * '"'), b = x ^ (ONES * '\\');
	return ((((x - ONES * 0x20) & ~x) | ((q - ONES) & ~q) | ((b - ONES) & ~b)) & HIGHS) != 0;
}

/* s[0..n) escaped, into room for 6 n bytes at d; returns the end. */
static char *escape(char *d, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0;
	while (i < n) {
#ifdef __SSE2__
		if (i + 16 <= n) { /* sixteen bytes copied, the plain ones kept */
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
			__m128i m = _mm_or_si128(
				_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
			                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
				_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)), x));
			unsigned sp = (unsigned)_mm_movemask_epi8(m);
			_mm_storeu_si128((__m128i *)(void *)d, x);
			unsigned k = sp ? (unsigned)__builtin_ctz(sp) : 16u;
			d += k;
			i += k;
			if (!sp)
				continue;
		}
#endif
		uint64_t x;
		if (i + 8 <= n) {
			memcpy(&x, s + i, 8);
			if (!needs_escape8(x)) {
				memcpy(d, &x, 8);
				d += 8;
				i += 8;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i++];
		if (c >= 0x20 && c != '"' && c != '\\') {
			*d++ = (char)c;
			continue;
		}
		*d++ = '\\';
		switch (c) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '\b': *d++ = 'b'; break;
		case '\f': *d++ = 'f'; break;
		case '\n': *d++ = 'n'; break;
		case '\r': *d++ = 'r'; break;
		case '\t': *d++ = 't'; break;
		default:
			memcpy(d, "u00", 3);
			d[3] = hex[c >> 4];
			d[4] = hex[c & 15];
			d += 5;
		}
	}
	return d;
}

#define PIECE 2048 /* 6 * PIECE + 2 fits in the buffer */

static void put_string(struct out *o, const char *s, size_t n)
{
	put1(o, '"');
	while (n) {
		size_t k = n < PIECE ? n : PIECE;
		if (o->n + 6 * k + 1 > sizeof o->b)
			flush(o);
		o->n = (size_t)(escape(o->b + o->n, s, k) - o->b);
		s += k;
		n -= k;
	}
	put1(o, '"');
}

/* A string, quoted: as it is when the parser saw nothing to escape in it */
static void put_text(struct out *o, const char *s, size_t n, uint8_t flags)
{
	if (!(flags & LICIT_JSON_PLAIN)) {
		put_string(o, s, n);
		return;
	}
	if (o->n + n + 2 > sizeof o->b) {
		put1(o, '"');
		put(o, s, n);
		put1(o, '"');
		return;
	}
	char *d = o->b + o->n;
	*d = '"';
	memcpy(d + 1, s, n);
	d[n + 1] = '"';
	o->n += n + 2;
}

/* 1 when two members of o may have one name: a 64-bit filter over the
 * names' lengths and first bytes, then the full comparison. */
static int may_repeat(const struct licit_json *o)
{
	uint64_t seen = 0;
	for (uint32_t i = 0; i < o->n; i++) {
		const struct licit_json_member *m = &o->u.members[i];
		unsigned h = (m->klen * 31u + (m->klen ? (unsigned char)m->key[0] : 0u) * 7u +
		              (m->klen > 1 ? (unsigned char)m->key[m->klen - 1] : 0u)) & 63u;
		if (seen >> h & 1)
			return 1;
		seen |= 1ULL << h;
	}
	return 0;
}

static void value(struct out *o, const struct licit_json *v)
{
	switch (v->type) {
	case LICIT_JSON_NULL: put(o, "null", 4); break;
	case LICIT_JSON_TRUE: put(o, "true", 4); break;
	case LICIT_JSON_FALSE: put(o, "false", 5); break;
	case LICIT_JSON_NUMBER: put(o, v->u.s, v->n); break;
	case LICIT_JSON_STRING: put_text(o, v->u.s, v->n, v->flags); break;
	case LICIT_JSON_ARRAY:
		put1(o, '[');
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				put1(o, ',');
			value(o, &v->u.items[i]);
		}
		put1(o, ']');
		break;
	case LICIT_JSON_OBJECT: {
		put1(o, '{');
		int first = 1, check = v->n > 1 && may_repeat(v);
		for (uint32_t i = 0; i < v->n; i++) {
			const struct licit_json *m = check ? licit_cardinal_member(v, i) : &v->u.members[i].v;
			if (!m)
				continue;
			if (!first)
				put1(o, ',');
			first = 0;
			put_text(o, v->u.members[i].key, v->u.members[i].klen, v->u.members[i].kflags);
			put1(o, ':');
			value(o, m);
		}
		put1(o, '}');
		break;
	}
	}
}

void licit_cardinal_json_write(FILE *f, const struct licit_json *v)
{
	struct out o;
	o.f = f;
	o.n = 0;
	value(&o, v);
	put1(&o, '\n');
	flush(&o);
}
