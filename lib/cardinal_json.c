/* JSON written as serde_json writes it (Cardinal's prepare output):
 * compact, strings escaped as serde_json escapes them (\" \\ \b \f \n \r
 * \t, other control characters as \u00xx), everything else as it is,
 * numbers as their text (Cardinal keeps numbers' text: arbitrary
 * precision), one member per name. */
#define _GNU_SOURCE /* fwrite_unlocked, fputs_unlocked */
#include "licit/prepare.h"

#include <string.h>

#include "licit/cardinal_line.h"

static void put_string(FILE *f, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	putc_unlocked('"', f);
	size_t run = 0; /* bytes written as they are, pending */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(s + run, 1, i - run, f);
		run = i + 1;
		putc_unlocked('\\', f);
		switch (c) {
		case '"': putc_unlocked('"', f); break;
		case '\\': putc_unlocked('\\', f); break;
		case '\b': putc_unlocked('b', f); break;
		case '\f': putc_unlocked('f', f); break;
		case '\n': putc_unlocked('n', f); break;
		case '\r': putc_unlocked('r', f); break;
		case '\t': putc_unlocked('t', f); break;
		default:
			fputs_unlocked("u00", f);
			putc_unlocked(hex[c >> 4], f);
			putc_unlocked(hex[c & 15], f);
		}
	}
	fwrite_unlocked(s + run, 1, n - run, f);
	putc_unlocked('"', f);
}

void licit_cardinal_json_write(FILE *f, const struct licit_json *v)
{
	switch (v->type) {
	case LICIT_JSON_NULL: fputs_unlocked("null", f); break;
	case LICIT_JSON_TRUE: fputs_unlocked("true", f); break;
	case LICIT_JSON_FALSE: fputs_unlocked("false", f); break;
	case LICIT_JSON_NUMBER: fwrite_unlocked(v->u.s, 1, v->n, f); break;
	case LICIT_JSON_STRING: put_string(f, v->u.s, v->n); break;
	case LICIT_JSON_ARRAY:
		putc_unlocked('[', f);
		for (uint32_t i = 0; i < v->n; i++) {
			if (i)
				putc_unlocked(',', f);
			licit_cardinal_json_write(f, &v->u.items[i]);
		}
		putc_unlocked(']', f);
		break;
	case LICIT_JSON_OBJECT: {
		putc_unlocked('{', f);
		int first = 1;
		for (uint32_t i = 0; i < v->n; i++) {
			const struct licit_json *m = licit_cardinal_member(v, i);
			if (!m)
				continue;
			if (!first)
				putc_unlocked(',', f);
			first = 0;
			put_string(f, v->u.members[i].key, v->u.members[i].klen);
			putc_unlocked(':', f);
			licit_cardinal_json_write(f, m);
		}
		putc_unlocked('}', f);
		break;
	}
	}
}
