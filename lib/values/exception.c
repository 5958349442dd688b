/* Legal exceptions to public tendering: free text to LAW-ARTICLE[-FRACTIONS]. */
#include "licit/values/value.h"

#include <stdint.h>
#include <string.h>

#include "licit/core/text.h"

/* Words longer than this are kept only as "some long word". */
#define WORD_MAX 32
/* Fractions of the articles that matter (LAASSP 41, LOPSRM 42) stop well
 * before XXX; the limit keeps the set in a bit mask. */
#define FRACTION_MAX 30

enum ekind { E_END, E_WORD, E_NUM };

struct etok {
	enum ekind kind;
	size_t len;            /* may exceed WORD_MAX: then text is cut */
	char text[WORD_MAX + 1];
};

struct etz {
	const unsigned char *s;
	size_t n, pos;
};

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* Folded letters of the character at pos ("" when it is no letter) and
 * the bytes it takes. Accents go ("Artículo" is "ARTICULO"). */
static const char *letters_at(const struct etz *z, size_t pos, size_t *used)
{
	static const char *const upper[26] = {
		"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M",
		"N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
	};
	unsigned c = z->s[pos];
	*used = 1;
	if (c >= 'A' && c <= 'Z')
		return upper[c - 'A'];
	if (c >= 'a' && c <= 'z')
		return upper[c - 'a'];
	if (c == 0xC3 && pos + 1 < z->n && (z->s[pos + 1] & 0xC0) == 0x80) {
		*used = 2;
		return licit_latin1_fold(0xC0u + z->s[pos + 1] - 0x80);
	}
	return "";
}

/* Next word (letters) or number (digits); everything else separates. */
static void next_tok(struct etz *z, struct etok *t)
{
	size_t used;
	t->len = 0;
	t->text[0] = '\0';
	while (z->pos < z->n) {
		unsigned c = z->s[z->pos];
		if (is_digit(c) || *letters_at(z, z->pos, &used))
			break;
		z->pos += used;
	}
	if (z->pos >= z->n) {
		t->kind = E_END;
		return;
	}
	if (is_digit(z->s[z->pos])) {
		t->kind = E_NUM;
		while (z->pos < z->n && is_digit(z->s[z->pos])) {
			if (t->len < WORD_MAX)
				t->text[t->len] = (char)z->s[z->pos];
			t->len++;
			z->pos++;
		}
	} else {
		const char *f;
		t->kind = E_WORD;
		while (z->pos < z->n && *(f = letters_at(z, z->pos, &used))) {
			for (; *f; f++) {
				if (t->len < WORD_MAX)
					t->text[t->len] = *f;
				t->len++;
			}
			z->pos += used;
		}
	}
	t->text[t->len < WORD_MAX ? t->len : WORD_MAX] = '\0';
}

static void peek_tok(const struct etz *z, struct etok *t)
{
	struct etz c = *z;
	next_tok(&c, t);
}

static int word_in(const struct etok *t, const char *const *list)
{
	if (t->kind != E_WORD || t->len > WORD_MAX)
		return 0;
	for (; *list; list++)
		if (strcmp(t->text, *list) == 0)
			return 1;
	return 0;
}

static const char *const article_words[] = {
	"ART", "ARTS", "ARTICULO", "ARTICULOS", NULL,
};
static const char *const fraction_words[] = {
	"FR", "FRS", "FRAC", "FRACC", "FRACS", "FRACCS", "FRACCION",
	"FRACCIONES", NULL,
};

/* Value of a canonical roman numeral I..XXX, 0 for anything else
 * ("IIII", "VX" and "XXXI" are not fractions). */
static int roman_value(const char *s, size_t len)
{
	static const char *const ones[10] = {
		"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
	};
	static const char *const tens[4] = { "", "X", "XX", "XXX" };
	if (len == 0 || len > 8)
		return 0;
	for (int v = 1; v <= FRACTION_MAX; v++) {
		const char *t = tens[v / 10], *o = ones[v % 10];
		size_t tl = strlen(t), ol = strlen(o);
		if (tl + ol == len && memcmp(s, t, tl) == 0 &&
		    memcmp(s + tl, o, ol) == 0)
			return v;
	}
	return 0;
}

static int tok_roman(const struct etok *t)
{
	if (t->kind != E_WORD || t->len > WORD_MAX)
		return 0;
	return roman_value(t->text, t->len);
}

/* Value of a number token, or -1 beyond max or with too many digits. */
static long tok_number(const struct etok *t, long max)
{
	long v = 0;
	if (t->kind != E_NUM || t->len > 6)
		return -1;
	for (size_t i = 0; i < t->len; i++)
		v = v * 10 + (t->text[i] - '0');
	return v <= max ? v : -1;
}

/* The law a word names, or NULL. */
static const char *law_of(const struct etok *t, const struct etok *next)
{
	static const char *const laassp[] = { "LAASSP", "LAASP", NULL };
	static const char *const lopsrm[] = {
		"LOPSRM", "LOPYSRM", "LOPSR", NULL,
	};
	if (word_in(t, laassp))
		return "LAASSP";
	if (word_in(t, lopsrm))
		return "LOPSRM";
	/* "Ley de Adquisiciones, Arrendamientos y Servicios del Sector
	 * Público"; "Ley de Obras Públicas y Servicios Relacionados con
	 * las Mismas". */
	if (t->kind == E_WORD && strcmp(t->text, "ADQUISICIONES") == 0)
		return "LAASSP";
	if (t->kind == E_WORD && strcmp(t->text, "OBRAS") == 0 &&
	    next->kind == E_WORD && strcmp(next->text, "PUBLICAS") == 0)
		return "LOPSRM";
	return NULL;
}

/* Collects fractions from z: roman numerals joined by "Y", "E", commas
 * or repeated keywords; "YXIV" (a missing blank) counts as "Y XIV"; a
 * number right after a keyword ("fracción 3") is taken as well. */
static uint32_t fractions(struct etz *z, int after_keyword)
{
	uint32_t set = 0;
	struct etok t;
	long v;

	for (;;) {
		peek_tok(z, &t);
		int r = tok_roman(&t);
		if (r) {
			set |= UINT32_C(1) << r;
			after_keyword = 0;
		} else if (after_keyword && (v = tok_number(&t, FRACTION_MAX)) > 0) {
			set |= UINT32_C(1) << v;
			after_keyword = 0;
		} else if (t.kind == E_WORD && t.len >= 2 && t.len <= WORD_MAX &&
		           t.text[0] == 'Y' &&
		           (r = roman_value(t.text + 1, t.len - 1)) != 0) {
			set |= UINT32_C(1) << r;
			after_keyword = 0;
		} else if (t.kind == E_WORD && t.len == 1 &&
		           (t.text[0] == 'Y' || t.text[0] == 'E')) {
			/* conjunction: keep going */
		} else if (word_in(&t, fraction_words)) {
			after_keyword = 1;
		} else {
			return set;
		}
		next_tok(z, &t);
	}
}

static void put_num(struct licit_sbuf *w, long v)
{
	char b[24];
	size_t k = sizeof b;
	do {
		b[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	licit_sbuf_put(w, b + k, sizeof b - k);
}

static void put_roman(struct licit_sbuf *w, int v)
{
	static const char *const ones[10] = {
		"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX",
	};
	static const char *const tens[4] = { "", "X", "XX", "XXX" };
	char b[12];
	size_t tl = strlen(tens[v / 10]), ol = strlen(ones[v % 10]);
	memcpy(b, tens[v / 10], tl);
	memcpy(b + tl, ones[v % 10], ol);
	licit_sbuf_put(w, b, tl + ol);
}

static int is_blank(unsigned c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

enum licit_exception_status licit_exception_parse(const char *s, size_t n,
                                                  const char *default_law,
                                                  char *out, size_t cap)
{
	struct licit_sbuf w;
	struct etz z = { (const unsigned char *)s, s ? n : 0, 0 };
	struct etok t, u;
	const char *law = NULL;
	long article = -1;
	uint32_t set = 0;

	licit_sbuf_init(&w, out, cap);
	size_t i = 0;
	while (i < z.n && is_blank(z.s[i]))
		i++;
	if (i == z.n)
		return LICIT_EXC_EMPTY;

	/* The law may be named anywhere, before or after the article. */
	next_tok(&z, &t);
	while (t.kind != E_END && !law) {
		peek_tok(&z, &u);
		law = law_of(&t, &u);
		next_tok(&z, &t);
	}

	/* The article follows "Art."/"Artículo"; fractions follow their
	 * keyword wherever it is ("fracción III del artículo 41"). */
	z.pos = 0;
	for (;;) {
		next_tok(&z, &t);
		if (t.kind == E_END)
			break;
		if (word_in(&t, article_words)) {
			peek_tok(&z, &u);
			long v = tok_number(&u, 999);
			if (v > 0 && article < 0) {
				next_tok(&z, &u);
				article = v;
				/* "ART 41 III", without a keyword. */
				set |= fractions(&z, 0);
			}
		} else if (word_in(&t, fraction_words)) {
			set |= fractions(&z, 1);
		}
	}

	/* Without "Art.", a number at the very start is the article only
	 * when what follows belongs to an exception ("41", "41 FRACC III",
	 * "41 LAASSP"); "12. Adjudicación Directa..." is a template number. */
	if (article < 0) {
		z.pos = 0;
		next_tok(&z, &t);
		long v = tok_number(&t, 999);
		peek_tok(&z, &u);
		struct etok u2;
		struct etz z2 = z;
		next_tok(&z2, &u2);
		peek_tok(&z2, &u2);
		if (v > 0 &&
		    (u.kind == E_END || word_in(&u, fraction_words) ||
		     tok_roman(&u) || law_of(&u, &u2))) {
			article = v;
			set |= fractions(&z, 0);
		}
	}
	/* The canonical form itself: "LAASSP-41-III+XIV". */
	if (article < 0) {
		z.pos = 0;
		next_tok(&z, &t);
		peek_tok(&z, &u);
		long v = tok_number(&u, 999);
		if (law_of(&t, &u) && v > 0) {
			next_tok(&z, &u);
			article = v;
			set |= fractions(&z, 0);
		}
	}
	if (article < 0)
		return LICIT_EXC_UNRECOGNISED;

	/* A law named but not one of ours (a state's "Ley de Compras
	 * Gubernamentales") must not be taken for the default one. */
	if (!law) {
		static const char *const ley[] = { "LEY", "LEYES", NULL };
		z.pos = 0;
		for (next_tok(&z, &t); t.kind != E_END; next_tok(&z, &t))
			if (word_in(&t, ley))
				return LICIT_EXC_UNRECOGNISED;
	}
	if (!law && default_law && *default_law)
		law = default_law;
	if (law) {
		licit_sbuf_put(&w, law, strlen(law));
		licit_sbuf_put(&w, "-", 1);
	}
	put_num(&w, article);
	/* The mask keeps the fractions sorted and unique. */
	int first = 1;
	for (int r = 1; r <= FRACTION_MAX; r++) {
		if (!(set & (UINT32_C(1) << r)))
			continue;
		licit_sbuf_put(&w, first ? "-" : "+", 1);
		put_roman(&w, r);
		first = 0;
	}
	return LICIT_EXC_OK;
}
