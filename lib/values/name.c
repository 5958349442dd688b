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
	size_t nletters; /* strlen(letters) */
};
#define FORM(letters, display, compact) { letters, display, compact, sizeof letters - 1 }

static const struct legal_form forms[] = {
	FORM("SAPIBDECV", "S.A.P.I.B. DE C.V.", "SAPIB DE CV"),
	FORM("SAPIDECV", "S.A.P.I. DE C.V.", "SAPI DE CV"),
	FORM("SAPI", "S.A.P.I.", "SAPI"),
	FORM("SABDECV", "S.A.B. DE C.V.", "SAB DE CV"),
	FORM("SAB", "S.A.B.", "SAB"),
	FORM("SASDECV", "S.A.S. DE C.V.", "SAS DE CV"),
	FORM("SAS", "S.A.S.", "SAS"),
	FORM("SADECV", "S.A. DE C.V.", "SA DE CV"),
	FORM("SA", "S.A.", "SA"),
	FORM("SDERLDECV", "S. DE R.L. DE C.V.", "S DE RL DE CV"),
	FORM("SDERLMI", "S. DE R.L. M.I.", "S DE RL MI"),
	FORM("SDERL", "S. DE R.L.", "S DE RL"),
	FORM("SRLDECV", "S.R.L. DE C.V.", "SRL DE CV"),
	FORM("SRL", "S.R.L.", "SRL"),
	FORM("SCDERLDECV", "S.C. DE R.L. DE C.V.", "SC DE RL DE CV"),
	FORM("SCDERL", "S.C. DE R.L.", "SC DE RL"),
	FORM("SCDERS", "S.C. DE R.S.", "SC DE RS"),
	FORM("SCL", "S.C.L.", "SCL"),
	FORM("SC", "S.C.", "SC"),
	FORM("SPRDERLDECV", "S.P.R. DE R.L. DE C.V.", "SPR DE RL DE CV"),
	FORM("SPRDERL", "S.P.R. DE R.L.", "SPR DE RL"),
	FORM("SPRDERI", "S.P.R. DE R.I.", "SPR DE RI"),
	FORM("SSS", "S.S.S.", "SSS"),
	FORM("SNC", "S.N.C.", "SNC"),
	FORM("SENC", "S. EN C.", "S EN C"),
	FORM("AC", "A.C.", "AC"),
	FORM("IAP", "I.A.P.", "IAP"),
	FORM("IBP", "I.B.P.", "IBP"),
	FORM("ABP", "A.B.P.", "ABP"),
	/* Spelled out, or half spelled out. */
	FORM("SOCIEDADANONIMAPROMOTORADEINVERSIONDECAPITALVARIABLE",
	  "S.A.P.I. DE C.V.", "SAPI DE CV"),
	FORM("SOCIEDADANONIMABURSATILDECAPITALVARIABLE", "S.A.B. DE C.V.",
	  "SAB DE CV"),
	FORM("SOCIEDADANONIMADECAPITALVARIABLE", "S.A. DE C.V.", "SA DE CV"),
	FORM("SOCIEDADANONIMADECV", "S.A. DE C.V.", "SA DE CV"),
	FORM("SADECAPITALVARIABLE", "S.A. DE C.V.", "SA DE CV"),
	FORM("SOCIEDADANONIMA", "S.A.", "SA"),
	FORM("SOCIEDADDERESPONSABILIDADLIMITADADECAPITALVARIABLE",
	  "S. DE R.L. DE C.V.", "S DE RL DE CV"),
	FORM("SOCIEDADDERESPONSABILIDADLIMITADA", "S. DE R.L.", "S DE RL"),
	FORM("SOCIEDADCIVIL", "S.C.", "SC"),
	FORM("ASOCIACIONCIVIL", "A.C.", "AC"),
	FORM("INSTITUCIONDEASISTENCIAPRIVADA", "I.A.P.", "IAP"),
};

/* Longest letters above, plus room to notice a longer token. */
#define TOKEN_FOLD_MAX 64
/* Tokens remembered from the end of the name; the longest spelled-out
 * form has 8 words and "S. DE R.L. DE C.V." 7 tokens. */
#define TAIL_TOKENS 32 /* a power of two: the ring's index is a mask */

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

/* memcmp(a, b, n) == 0 for the few bytes of a token, without the call */
static int same(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
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
		while (i < n) {
			unsigned char c = s[i];
			if (c < 0x80) { /* ASCII: what legal_sep() would say, without the call */
				if (c <= 0x20 || c == 0x7F || c == '.' || c == ',')
					break;
				i++;
				continue;
			}
			if (legal_sep(s, n, i, &sl))
				break;
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
	size_t nfolded = 0; /* tokens folded so far, from the last one back:
	                       a form reads only its own few */

	int best = -1;
	size_t best_len = 0, best_tokens = 0;
	for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
		const char *L = forms[f].letters;
		size_t plen = forms[f].nletters, acc = 0, j;
		for (j = 0; j < have && acc < plen; j++) {
			for (; nfolded <= j; nfolded++) /* j counts back from the last token */
				flen[nfolded] = fold_token(s, ring[(count - 1 - nfolded) % TAIL_TOKENS],
				                           folded[nfolded]);
			if (flen[j] > plen - acc || !same(L + plen - acc - flen[j], folded[j], flen[j]))
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

/* The name up to its legal form, through put, then the form's spelling
 * (display or compact), or the whole name through put when it has none. */
static size_t with_form(const char *s, size_t n, char *out, size_t cap,
                        void (*put)(struct licit_sbuf *, const unsigned char *, size_t),
                        int compact)
{
	struct licit_sbuf w;
	licit_sbuf_init(&w, out, cap);
	const unsigned char *p = (const unsigned char *)s;
	size_t cut = 0;

	if (!s)
		n = 0;
	int f = find_form(p, n, &cut);
	if (f < 0) {
		put(&w, p, n);
		return finish(&w);
	}
	put(&w, p, cut);
	if (w.len > 0)
		licit_sbuf_put(&w, " ", 1);
	const char *form = compact ? forms[f].compact : forms[f].display;
	licit_sbuf_put(&w, form, strlen(form));
	return finish(&w);
}

size_t licit_name_clean(const char *s, size_t n, char *out, size_t cap)
{
	return with_form(s, n, out, cap, put_display, 0);
}

size_t licit_name_key(const char *s, size_t n, char *out, size_t cap)
{
	return with_form(s, n, out, cap, put_key, 1);
}
