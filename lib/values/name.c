/* Supplier and buyer names: display form with one spelling of the legal form, and a matching key. */
#include "licit/values/value.h"

#include <string.h>

#include "licit/core/text.h"
#include "licit/core/utf8.h"

/* ---- legal forms ----------------------------------------------------- */

/* A legal form is recognised by its letters alone: the trailing tokens of
 * a name (split at blanks, '.' and ',') are folded to upper-case ASCII
 * and must spell `letters` exactly, token by token. That single rule
 * accepts "S.A. DE C.V.", "SA DE CV", "S. A. DE C. V.", "SA. DE CV." and
 * "SADECV", while a token that only ends in the letters ("MESA") never
 * matches. */
struct legal_form {
	const char *letters;
	const char *display;
	const char *compact;
};

static const struct legal_form forms[] = {
	{ "SAPIBDECV", "S.A.P.I.B. DE C.V.", "SAPIB DE CV" },
	{ "SAPIDECV", "S.A.P.I. DE C.V.", "SAPI DE CV" },
	{ "SAPI", "S.A.P.I.", "SAPI" },
	{ "SABDECV", "S.A.B. DE C.V.", "SAB DE CV" },
	{ "SAB", "S.A.B.", "SAB" },
	{ "SASDECV", "S.A.S. DE C.V.", "SAS DE CV" },
	{ "SAS", "S.A.S.", "SAS" },
	{ "SADECV", "S.A. DE C.V.", "SA DE CV" },
	{ "SA", "S.A.", "SA" },
	{ "SDERLDECV", "S. DE R.L. DE C.V.", "S DE RL DE CV" },
	{ "SDERLMI", "S. DE R.L. M.I.", "S DE RL MI" },
	{ "SDERL", "S. DE R.L.", "S DE RL" },
	{ "SRLDECV", "S.R.L. DE C.V.", "SRL DE CV" },
	{ "SRL", "S.R.L.", "SRL" },
	{ "SCDERLDECV", "S.C. DE R.L. DE C.V.", "SC DE RL DE CV" },
	{ "SCDERL", "S.C. DE R.L.", "SC DE RL" },
	{ "SCDERS", "S.C. DE R.S.", "SC DE RS" },
	{ "SCL", "S.C.L.", "SCL" },
	{ "SC", "S.C.", "SC" },
	{ "SPRDERLDECV", "S.P.R. DE R.L. DE C.V.", "SPR DE RL DE CV" },
	{ "SPRDERL", "S.P.R. DE R.L.", "SPR DE RL" },
	{ "SPRDERI", "S.P.R. DE R.I.", "SPR DE RI" },
	{ "SSS", "S.S.S.", "SSS" },
	{ "SNC", "S.N.C.", "SNC" },
	{ "SENC", "S. EN C.", "S EN C" },
	{ "AC", "A.C.", "AC" },
	{ "IAP", "I.A.P.", "IAP" },
	{ "IBP", "I.B.P.", "IBP" },
	{ "ABP", "A.B.P.", "ABP" },
	/* Spelled out, or half spelled out. */
	{ "SOCIEDADANONIMAPROMOTORADEINVERSIONDECAPITALVARIABLE",
	  "S.A.P.I. DE C.V.", "SAPI DE CV" },
	{ "SOCIEDADANONIMABURSATILDECAPITALVARIABLE", "S.A.B. DE C.V.",
	  "SAB DE CV" },
	{ "SOCIEDADANONIMADECAPITALVARIABLE", "S.A. DE C.V.", "SA DE CV" },
	{ "SOCIEDADANONIMADECV", "S.A. DE C.V.", "SA DE CV" },
	{ "SADECAPITALVARIABLE", "S.A. DE C.V.", "SA DE CV" },
	{ "SOCIEDADANONIMA", "S.A.", "SA" },
	{ "SOCIEDADDERESPONSABILIDADLIMITADADECAPITALVARIABLE",
	  "S. DE R.L. DE C.V.", "S DE RL DE CV" },
	{ "SOCIEDADDERESPONSABILIDADLIMITADA", "S. DE R.L.", "S DE RL" },
	{ "SOCIEDADCIVIL", "S.C.", "SC" },
	{ "ASOCIACIONCIVIL", "A.C.", "AC" },
	{ "INSTITUCIONDEASISTENCIAPRIVADA", "I.A.P.", "IAP" },
};

/* Longest letters above, plus room to notice a longer token. */
#define TOKEN_FOLD_MAX 64
/* Tokens remembered from the end of the name; the longest spelled-out
 * form has 8 words and "S. DE R.L. DE C.V." 7 tokens. */
#define TAIL_TOKENS 24

/* ---- characters ------------------------------------------------------ */

static unsigned up(unsigned c)
{
	return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

static int is_alnum(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9');
}

/* Length of a white-space character at p (ASCII blanks and controls,
 * NO-BREAK SPACE, the U+2000..U+200A spaces, NARROW NO-BREAK SPACE), or
 * 0. Control bytes count as blanks so that a NUL never reaches output. */
static size_t space_len(const unsigned char *p, size_t left)
{
	if (p[0] < 0x20 || p[0] == ' ' || p[0] == 0x7F)
		return 1;
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] <= 0x8A || p[2] == 0xAF))
		return 3;
	return 0;
}

/* How a character takes part in a key. */
enum fclass {
	F_SEP,   /* splits words: blanks, punctuation, symbols */
	F_JOIN,  /* vanishes without splitting: '.' and apostrophes */
	F_CHAR   /* part of a word */
};

struct fch {
	size_t used;  /* source bytes consumed */
	enum fclass cls;
	size_t fl;    /* bytes in f */
	char f[4];
};

/* Folds the character at s[i] for keys: ASCII letters upper-cased,
 * Latin-1 letters reduced to ASCII, other characters kept as they are
 * (bytes of invalid UTF-8 one by one). */
static void fold_char(const unsigned char *s, size_t n, size_t i,
                      struct fch *c)
{
	const unsigned char *p = s + i;
	size_t left = n - i, len = licit_utf8_seq_len(p, left);

	c->fl = 0;
	if (len == 0) {
		c->used = 1;
		c->cls = F_CHAR;
		c->f[c->fl++] = (char)p[0];
		return;
	}
	c->used = len;
	if (len == 1) {
		if (is_alnum(p[0])) {
			c->cls = F_CHAR;
			c->f[c->fl++] = (char)up(p[0]);
		} else if (p[0] == '.' || p[0] == '\'' || p[0] == '`') {
			c->cls = F_JOIN;
		} else {
			c->cls = F_SEP;
		}
		return;
	}
	if (p[0] == 0xC3) {
		const char *f = licit_latin1_fold(0xC0u + p[1] - 0x80);
		size_t k = strlen(f);
		/* Folds are at most two letters ("AE", "SS"); the bound
		 * also lets the compiler see that f[] is large enough. */
		if (k > 2)
			k = 2;
		c->cls = k ? F_CHAR : F_SEP;
		memcpy(c->f, f, k);
		c->fl = k;
		return;
	}
	if ((p[0] == 0xC2 && p[1] == 0xB4) ||
	    (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99))) {
		c->cls = F_JOIN; /* ´ ‘ ’ typed for an apostrophe */
		return;
	}
	if (p[0] == 0xC2 || (p[0] == 0xE2 && p[1] == 0x80)) {
		c->cls = F_SEP; /* Latin-1 symbols, dashes, quotes, spaces */
		return;
	}
	c->cls = F_CHAR;
	memcpy(c->f, p, len);
	c->fl = len;
}

/* ---- output ---------------------------------------------------------- */

static size_t finish(struct licit_sbuf *w)
{
	if (w->cap)
		w->out[w->len] = '\0';
	return w->len;
}

/* ---- analysis -------------------------------------------------------- */

struct span {
	size_t start, end;
};

static int legal_sep(const unsigned char *s, size_t n, size_t i,
                     size_t *len)
{
	if (s[i] == '.' || s[i] == ',') {
		*len = 1;
		return 1;
	}
	*len = space_len(s + i, n - i);
	return *len != 0;
}

/* Folds one token for legal-form matching; returns its length, or
 * TOKEN_FOLD_MAX + 1 when it is too long to be part of any form. */
static size_t fold_token(const unsigned char *s, struct span t, char *f)
{
	size_t k = 0;
	for (size_t i = t.start; i < t.end;) {
		struct fch c;
		fold_char(s, t.end, i, &c);
		i += c.used;
		if (c.cls != F_CHAR) {
			c.f[0] = '#'; /* never matches a letter */
			c.fl = 1;
		}
		if (k + c.fl > TOKEN_FOLD_MAX)
			return TOKEN_FOLD_MAX + 1;
		memcpy(f + k, c.f, c.fl);
		k += c.fl;
	}
	return k;
}

/* Finds the legal form at the end of s[0..n). Returns its index in
 * forms[] (or -1) and sets *cut to where its first token starts. */
static int find_form(const unsigned char *s, size_t n, size_t *cut)
{
	struct span ring[TAIL_TOKENS];
	size_t count = 0; /* tokens seen; the last TAIL_TOKENS are kept */
	size_t i = 0, sl;

	while (i < n) {
		if (legal_sep(s, n, i, &sl)) {
			i += sl;
			continue;
		}
		struct span t = { i, i };
		while (i < n && !legal_sep(s, n, i, &sl)) {
			size_t len = licit_utf8_seq_len(s + i, n - i);
			i += len ? len : 1;
		}
		t.end = i;
		ring[count % TAIL_TOKENS] = t;
		count++;
	}

	size_t have = count < TAIL_TOKENS ? count : TAIL_TOKENS;
	char folded[TAIL_TOKENS][TOKEN_FOLD_MAX];
	size_t flen[TAIL_TOKENS];
	for (size_t j = 0; j < have; j++) {
		/* j counts back from the last token. */
		struct span t = ring[(count - 1 - j) % TAIL_TOKENS];
		flen[j] = fold_token(s, t, folded[j]);
	}

	int best = -1;
	size_t best_len = 0, best_tokens = 0;
	for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		const char *L = forms[f].letters;
		size_t plen = strlen(L), acc = 0, j;
		for (j = 0; j < have && acc < plen; j++) {
			if (flen[j] > plen - acc ||
			    memcmp(L + plen - acc - flen[j], folded[j], flen[j]))
				break;
			acc += flen[j];
		}
		if (acc == plen && plen > best_len) {
			best = (int)f;
			best_len = plen;
			best_tokens = j;
		}
	}
	if (best >= 0)
		*cut = ring[(count - best_tokens) % TAIL_TOKENS].start;
	return best;
}

/* Writes s[0..n) trimmed, blanks collapsed, upper-cased (ASCII and the
 * Latin-1 letters of UTF-8; other bytes pass through untouched), then
 * drops trailing blanks and commas. */
static void put_display(struct licit_sbuf *w, const unsigned char *s, size_t n)
{
	int pending = 0;
	size_t i = 0;

	while (i < n) {
		size_t sp = space_len(s + i, n - i);
		if (sp) {
			pending = w->len > 0;
			i += sp;
			continue;
		}
		if (pending)
			licit_sbuf_put(w, " ", 1);
		pending = 0;
		size_t len = licit_utf8_seq_len(s + i, n - i);
		unsigned char b[4];
		if (len == 0) {
			len = 1; /* invalid byte: passed through */
			b[0] = s[i];
		} else {
			memcpy(b, s + i, len);
			if (len == 1)
				b[0] = (unsigned char)up(b[0]);
			else if (len == 2 && b[0] == 0xC3 && b[1] >= 0xA0 &&
			         b[1] <= 0xBE && b[1] != 0xB7)
				b[1] -= 0x20; /* á -> Á, ñ -> Ñ, ü -> Ü */
		}
		licit_sbuf_put(w, b, len);
		i += len;
	}
	while (!w->full && w->len > 0 &&
	       (w->out[w->len - 1] == ',' || w->out[w->len - 1] == ' '))
		w->len--;
}

/* Writes the key words of s[0..n): folded words separated by one blank,
 * runs of one-letter words glued ("J. P. MORGAN" -> "JP MORGAN"). */
static void put_key(struct licit_sbuf *w, const unsigned char *s, size_t n)
{
	size_t i = 0;
	int prev_single = 0, any = 0;

	while (i < n) {
		struct fch c;
		fold_char(s, n, i, &c);
		if (c.cls != F_CHAR) {
			i += c.used;
			continue;
		}
		/* Measure the word first: its length decides the glue. */
		size_t j = i, chars = 0;
		while (j < n) {
			fold_char(s, n, j, &c);
			if (c.cls == F_SEP)
				break;
			chars += c.fl;
			j += c.used;
		}
		int single = chars == 1;
		if (any && !(single && prev_single))
			licit_sbuf_put(w, " ", 1);
		while (i < j) {
			fold_char(s, n, i, &c);
			licit_sbuf_put(w, c.f, c.fl);
			i += c.used;
		}
		any = 1;
		prev_single = single;
	}
}

size_t licit_name_clean(const char *s, size_t n, char *out, size_t cap)
{
	struct licit_sbuf w;
	licit_sbuf_init(&w, out, cap);
	const unsigned char *p = (const unsigned char *)s;
	size_t cut = 0;

	if (!s)
		n = 0;
	int f = find_form(p, n, &cut);
	if (f < 0) {
		put_display(&w, p, n);
		return finish(&w);
	}
	put_display(&w, p, cut);
	if (w.len > 0)
		licit_sbuf_put(&w, " ", 1);
	licit_sbuf_put(&w, forms[f].display, strlen(forms[f].display));
	return finish(&w);
}

size_t licit_name_key(const char *s, size_t n, char *out, size_t cap)
{
	struct licit_sbuf w;
	licit_sbuf_init(&w, out, cap);
	const unsigned char *p = (const unsigned char *)s;
	size_t cut = 0;

	if (!s)
		n = 0;
	int f = find_form(p, n, &cut);
	if (f < 0) {
		put_key(&w, p, n);
		return finish(&w);
	}
	put_key(&w, p, cut);
	if (w.len > 0)
		licit_sbuf_put(&w, " ", 1);
	licit_sbuf_put(&w, forms[f].compact, strlen(forms[f].compact));
	return finish(&w);
}
