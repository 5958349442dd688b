/* Amount parser: reads the many ways people type a peso amount into one canonical decimal. */
#include "licit/values/value.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

/* Longest amount we accept, in significant digits. Real contract values
 * stay below 10^13; anything longer is a typing accident, and the bound
 * keeps every canonical form inside a small fixed buffer. */
#define MAX_INT_DIGITS 24
#define MAX_DEC_DIGITS 15
/* An amount with more groups than this cannot pass the digit limits. */
#define MAX_GROUPS 16
/* '-', 24 digits, '.', 15 decimals, NUL. */
#define CANON_CAP 48

enum tok {
	T_END,
	T_DIG,   /* run of ASCII digits */
	T_MARK,  /* ',' '.' or an apostrophe-like mark (stored as '\'') */
	T_SP,    /* run of blanks (not newlines) */
	T_SEP,   /* something that separates amounts: / ; + | newline, "Y" */
	T_MINUS,
	T_LPAR,
	T_RPAR,
	T_CUR,   /* currency sign or code; behaves like a blank */
	T_WORD   /* any other letter, byte or symbol */
};

struct token {
	enum tok type;
	size_t start, len;
	char mark;
};

struct lexer {
	const unsigned char *s;
	size_t n, pos;
	enum tok prev;  /* last token handed out by cooked_next */
	int comma_sep;  /* treat ", " as a list separator (second pass) */
};

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

static int is_alpha(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static unsigned up(unsigned c)
{
	return (c >= 'a' && c <= 'z') ? c - 32 : c;
}

/* Length of a blank at p (ASCII blank, NO-BREAK SPACE, thin and narrow
 * no-break spaces), 0 if none. Newlines are not blanks here: a newline
 * inside a cell separates amounts. */
static size_t blank_len(const unsigned char *p, size_t left)
{
	if (*p == ' ' || *p == '\t' || *p == '\v' || *p == '\f')
		return 1;
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
		return 2;
	if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 &&
	    (p[2] == 0xAF || p[2] == 0x89))
		return 3;
	return 0;
}

/* Case-insensitive comparison of a word with an upper-case literal. */
static int word_is(const unsigned char *w, size_t len, const char *lit)
{
	size_t i;
	for (i = 0; i < len; i++)
		if (lit[i] == '\0' || up(w[i]) != (unsigned char)lit[i])
			return 0;
	return lit[i] == '\0';
}

static int currency_word(const unsigned char *w, size_t len)
{
	static const char *const words[] = {
		"MXN", "MXP", "MN", "MX", "PESOS", "PESO", "USD", "US", "DLS",
		"DLLS", "EUR",
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
		if (word_is(w, len, words[i]))
			return 1;
	return 0;
}

/* Reads the raw token at lx->pos and advances past it. */
static void raw_next(struct lexer *lx, struct token *t)
{
	const unsigned char *s = lx->s;
	size_t n = lx->n, p = lx->pos;

	t->start = p;
	t->mark = 0;
	if (p >= n) {
		t->type = T_END;
		t->len = 0;
		return;
	}
	unsigned c = s[p];
	size_t b;
	if (is_digit(c)) {
		while (p < n && is_digit(s[p]))
			p++;
		t->type = T_DIG;
	} else if ((b = blank_len(s + p, n - p)) != 0) {
		while (p < n && (b = blank_len(s + p, n - p)) != 0)
			p += b;
		t->type = T_SP;
	} else if (c == '\n' || c == '\r' || c == '/' || c == ';' ||
	           c == '+' || c == '|') {
		p++;
		t->type = T_SEP;
	} else if (c == ',' || c == '.') {
		p++;
		t->type = T_MARK;
		t->mark = (char)c;
	} else if (c == '\'' || c == '`') {
		p++;
		t->type = T_MARK;
		t->mark = '\'';
	} else if (n - p >= 2 && c == 0xC2 && s[p + 1] == 0xB4) {
		/* U+00B4 ACUTE ACCENT: "1´000,000.00" marks the millions. */
		p += 2;
		t->type = T_MARK;
		t->mark = '\'';
	} else if (n - p >= 3 && c == 0xE2 && s[p + 1] == 0x80 &&
	           (s[p + 2] == 0x98 || s[p + 2] == 0x99)) {
		/* U+2018 / U+2019, what word processors make of an apostrophe. */
		p += 3;
		t->type = T_MARK;
		t->mark = '\'';
	} else if (c == '-') {
		p++;
		t->type = T_MINUS;
	} else if (n - p >= 3 && c == 0xE2 && s[p + 1] == 0x88 &&
	           s[p + 2] == 0x92) {
		p += 3; /* U+2212 MINUS SIGN */
		t->type = T_MINUS;
	} else if (c == '(') {
		p++;
		t->type = T_LPAR;
	} else if (c == ')') {
		p++;
		t->type = T_RPAR;
	} else if (c == '$') {
		p++;
		t->type = T_CUR;
	} else if (is_alpha(c)) {
		/* "M.N." (moneda nacional) is written with dots that must not
		 * be read as decimal marks. */
		if (up(c) == 'M' && n - p >= 3 && s[p + 1] == '.' &&
		    up(s[p + 2]) == 'N' && (n - p == 3 || !is_alpha(s[p + 3]))) {
			p += 3;
			if (p < n && s[p] == '.')
				p++;
			t->type = T_CUR;
		} else {
			while (p < n && is_alpha(s[p]))
				p++;
			if (currency_word(s + t->start, p - t->start))
				t->type = T_CUR;
			else if (p - t->start == 1 && up(c) == 'Y')
				t->type = T_SEP; /* "1,000 Y 2,000" */
			else
				t->type = T_WORD;
		}
	} else {
		p++;
		t->type = T_WORD;
	}
	t->len = p - t->start;
	lx->pos = p;
}

/* The token stream the grammar sees: currency folded into blanks, blank
 * runs merged, and stray blanks dropped. A blank next to a mark, after a
 * sign or parenthesis, or at either end of an amount list is a typing
 * slip ("1,000, 000.00", "$ 1,000,000. 00"), never a separator. */
static void cooked_next(struct lexer *lx, struct token *t)
{
	for (;;) {
		raw_next(lx, t);
		if (t->type == T_CUR)
			t->type = T_SP;
		if (t->type == T_LPAR) {
			/* "(M.N.)" once its currency is gone: nothing inside,
			 * so it is a blank rather than a negative. */
			struct lexer c = *lx;
			struct token u;
			do
				raw_next(&c, &u);
			while (u.type == T_SP || u.type == T_CUR);
			if (u.type == T_RPAR) {
				*lx = c;
				t->type = T_SP;
			}
		}
		if (t->type == T_SP) {
			struct lexer c = *lx;
			struct token u;
			for (;;) {
				raw_next(&c, &u);
				if (u.type != T_SP && u.type != T_CUR)
					break;
				*lx = c;
			}
			t->len = lx->pos - t->start;
			enum tok nx = u.type;
			if (lx->prev == T_MARK || lx->prev == T_MINUS ||
			    lx->prev == T_LPAR || lx->prev == T_SEP ||
			    nx == T_MARK || nx == T_RPAR || nx == T_SEP ||
			    nx == T_END)
				continue;
		} else if (t->type == T_MARK && t->mark == ',' &&
		           lx->comma_sep) {
			enum tok nx;
			struct lexer c = *lx;
			struct token u;
			raw_next(&c, &u);
			nx = u.type;
			if (nx == T_SP || nx == T_CUR)
				t->type = T_SEP;
		}
		lx->prev = t->type;
		return;
	}
}

static void cooked_peek(const struct lexer *lx, struct token *t)
{
	struct lexer c = *lx;
	cooked_next(&c, t);
}

/* One amount as written: digit groups and the marks between them
 * (mk[i] sits before group i). Group 0 may be empty (".50"). */
struct num {
	size_t gs[MAX_GROUPS], gl[MAX_GROUPS];
	char mk[MAX_GROUPS];
	int ng;
	int neg;
};

static int push_group(struct num *u, const struct token *t, char mark)
{
	if (u->ng >= MAX_GROUPS)
		return -1;
	u->gs[u->ng] = t ? t->start : 0;
	u->gl[u->ng] = t ? t->len : 0;
	u->mk[u->ng] = mark;
	u->ng++;
	return 0;
}

/* Groups 0..j with marks 1..j read as thousands separators: a lead of
 * one to three digits, then groups of exactly three, and one kind of
 * separator (',' '.' or blank) besides apostrophes, which Mexican hand
 * writing uses for the millions ("1´000,000"). */
static int thousands_ok(const struct num *u, int j)
{
	char kind = 0;
	if (u->gl[0] < 1 || u->gl[0] > 3)
		return 0;
	for (int i = 1; i <= j; i++) {
		if (u->gl[i] != 3)
			return 0;
		if (u->mk[i] == '\'')
			continue;
		if (kind && kind != u->mk[i])
			return 0;
		kind = u->mk[i];
	}
	return 1;
}

/* Like thousands_ok(), but the separators may be any mix of ',' '.'
 * and apostrophes. */
static int mixed_thousands_ok(const struct num *u, int j)
{
	if (j < 1 || u->gl[0] < 1 || u->gl[0] > 3)
		return 0;
	for (int i = 1; i <= j; i++)
		if (u->gl[i] != 3 || u->mk[i] == ' ')
			return 0;
	return 1;
}

static int mark_before(const struct num *u, int j, char m)
{
	for (int i = 1; i < j; i++)
		if (u->mk[i] == m)
			return 1;
	return 0;
}

/* Decides which group (if any) holds the decimals: returns its index,
 * 0 when the amount is an integer, -1 when no reading is consistent. */
static int decimal_group(const struct num *u)
{
	int k = u->ng - 1;
	if (u->gl[0] == 0)
		return (k == 1 && (u->mk[1] == '.' || u->mk[1] == ',')) ? 1 : -1;
	if (k == 0)
		return 0;
	if (k == 1) {
		switch (u->mk[1]) {
		case '.':
			/* A lone dot is a decimal point, whatever follows:
			 * "1.500" is one and a half. */
			return 1;
		case ',':
			/* A lone comma is the Mexican thousands mark when
			 * exactly three digits follow, else a decimal comma. */
			if (thousands_ok(u, 1))
				return 0;
			return u->gl[1] <= 2 ? 1 : -1;
		default:
			return thousands_ok(u, 1) ? 0 : -1;
		}
	}
	if (thousands_ok(u, k))
		return 0;
	char m = u->mk[k];
	if ((m == '.' || m == ',') && thousands_ok(u, k - 1)) {
		/* "1,000,000,00": the last mark repeats the thousands mark,
		 * so it can only be a decimal one if the group is short. */
		if (!mark_before(u, k, m) || u->gl[k] <= 2)
			return k;
	}
	/* ISSSTE review, Table 5: "$ 1,000.000.00". Thousands groups joined
	 * by a mix of ',' and '.', then a last '.' or ',' with exactly two
	 * digits after it: those two are the centavos. A mixed amount whose
	 * last group is not two digits ("1,000.000.0", "1,000.000.000")
	 * has no single reading and stays unread. */
	if ((m == '.' || m == ',') && u->gl[k] == 2 && mixed_thousands_ok(u, k - 1))
		return k;
	return -1;
}

static const double pow10_tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
	1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
};

/* Builds the canonical text from the digits themselves (never through a
 * double, which would lose digits) and computes the value separately. */
static int canonical(const unsigned char *s, const struct num *u,
                     char *buf, double *val)
{
	int dg = decimal_group(u);
	if (dg < 0)
		return -1;
	int nint = dg ? dg : u->ng;
	char idig[MAX_INT_DIGITS], ddig[MAX_DEC_DIGITS];
	size_t ni = 0, nd = 0;

	for (int g = 0; g < nint; g++) {
		for (size_t i = 0; i < u->gl[g]; i++) {
			char c = (char)s[u->gs[g] + i];
			if (ni == 0 && c == '0')
				continue;
			if (ni == MAX_INT_DIGITS)
				return -1;
			idig[ni++] = c;
		}
	}
	if (dg) {
		size_t len = u->gl[dg];
		while (len > 0 && s[u->gs[dg] + len - 1] == '0')
			len--;
		if (len > MAX_DEC_DIGITS)
			return -1;
		memcpy(ddig, s + u->gs[dg], len);
		nd = len;
	}

	size_t p = 0;
	if (u->neg && (ni || nd))
		buf[p++] = '-';
	if (ni) {
		memcpy(buf + p, idig, ni);
		p += ni;
	} else {
		buf[p++] = '0';
	}
	if (nd) {
		buf[p++] = '.';
		memcpy(buf + p, ddig, nd);
		p += nd;
	}
	buf[p] = '\0';

	/* With at most 15 significant digits the whole number is exact as
	 * a double and one division gives the correctly rounded value. */
	double v;
	if (ni + nd <= 15) {
		double m = 0;
		for (size_t i = 0; i < ni; i++)
			m = m * 10 + (idig[i] - '0');
		for (size_t i = 0; i < nd; i++)
			m = m * 10 + (ddig[i] - '0');
		v = m / pow10_tab[nd];
	} else {
		double ip = 0, fp = 0;
		for (size_t i = 0; i < ni; i++)
			ip = ip * 10 + (idig[i] - '0');
		for (size_t i = 0; i < nd; i++)
			fp = fp * 10 + (ddig[i] - '0');
		v = ip + fp / pow10_tab[nd];
	}
	*val = (u->neg && (ni || nd)) ? -v : v;
	return 0;
}

/* Parses one amount starting at token t. Returns 0 and fills buf/val,
 * or -1 when the text cannot be read as one amount. */
static int parse_one(struct lexer *lx, struct token t, char *buf,
                     double *val)
{
	struct num u;
	struct token a, b;
	int paren = 0;

	u.ng = 0;
	u.neg = 0;
	if (t.type == T_MINUS) {
		u.neg = 1;
		cooked_next(lx, &t);
	}
	if (t.type == T_LPAR) {
		if (u.neg)
			return -1;
		/* Accountants' negative: "(500)". */
		paren = 1;
		u.neg = 1;
		cooked_next(lx, &t);
		if (t.type == T_MINUS)
			cooked_next(lx, &t);
	}
	if (t.type == T_MARK) {
		/* ".50" */
		if (t.mark != '.' && t.mark != ',')
			return -1;
		push_group(&u, NULL, 0);
		char m = t.mark;
		cooked_next(lx, &t);
		if (t.type != T_DIG)
			return -1;
		if (push_group(&u, &t, m))
			return -1;
	} else if (t.type == T_DIG) {
		push_group(&u, &t, 0);
	} else {
		return -1;
	}

	for (;;) {
		cooked_peek(lx, &a);
		if (a.type == T_MARK) {
			cooked_next(lx, &a);
			cooked_peek(lx, &b);
			if (b.type == T_DIG) {
				cooked_next(lx, &b);
				if (push_group(&u, &b, a.mark))
					return -1;
				continue;
			}
			/* A trailing '.' or ',' ("1,000.") adds nothing. */
			if (a.mark == '\'')
				return -1;
			break;
		}
		if (a.type == T_SP && u.gl[0] >= 1 && u.gl[0] <= 3) {
			/* A blank continues the amount only as a thousands
			 * separator ("12 500 000"): before any other mark,
			 * and followed by exactly three digits. Otherwise it
			 * starts the next amount. */
			int only_blanks = 1;
			for (int i = 1; i < u.ng; i++)
				if (u.mk[i] != ' ')
					only_blanks = 0;
			struct lexer c = *lx;
			cooked_next(&c, &a);
			cooked_next(&c, &b);
			if (only_blanks && b.type == T_DIG && b.len == 3) {
				*lx = c;
				if (push_group(&u, &b, ' '))
					return -1;
				continue;
			}
		}
		break;
	}
	if (paren) {
		cooked_next(lx, &t);
		if (t.type != T_RPAR)
			return -1;
	}
	cooked_peek(lx, &a);
	if (a.type != T_END && a.type != T_SEP && a.type != T_SP)
		return -1;
	return canonical(lx->s, &u, buf, val);
}

/* Appends one part to out, whole or not at all, '+' between parts. */
static void append_part(char *out, size_t cap, size_t *len, int *full,
                        const char *part)
{
	size_t pl = strlen(part), need = pl + (*len ? 1 : 0);
	if (*full || cap == 0 || *len + need >= cap) {
		*full = 1;
		return;
	}
	if (*len)
		out[(*len)++] = '+';
	memcpy(out + *len, part, pl);
	*len += pl;
	out[*len] = '\0';
}

static enum licit_amount_status parse_list(const char *s, size_t n,
                                           int comma_sep,
                                           struct licit_amount *a,
                                           char *out, size_t cap)
{
	struct lexer lx = { (const unsigned char *)s, n, 0, T_SEP, comma_sep };
	struct token t;
	size_t olen = 0;
	int full = 0;

	if (cap)
		out[0] = '\0';
	for (;;) {
		cooked_next(&lx, &t);
		if (t.type == T_END)
			break;
		if (t.type == T_SEP || t.type == T_SP)
			continue;
		char buf[CANON_CAP];
		double v;
		if (parse_one(&lx, t, buf, &v))
			return LICIT_AMOUNT_INVALID;
		if (a->nparts == 0)
			a->first = v;
		a->value += v;
		if (a->nparts < INT_MAX)
			a->nparts++;
		append_part(out, cap, &olen, &full, buf);
	}
	return a->nparts > 1 ? LICIT_AMOUNT_MULTIPLE : LICIT_AMOUNT_OK;
}

enum licit_amount_status licit_amount_parse(const char *s, size_t n,
                                            struct licit_amount *a,
                                            char *out, size_t cap)
{
	struct licit_amount dummy;
	enum licit_amount_status st;

	if (!a)
		a = &dummy;
	memset(a, 0, sizeof *a);
	if (cap)
		out[0] = '\0';
	if (!s)
		n = 0;

	/* First the cheap classification: no digits means blank or word;
	 * digits next to any word other than a currency cannot be trusted. */
	struct lexer lx = { (const unsigned char *)s, n, 0, T_SEP, 0 };
	struct token t;
	int digits = 0, words = 0;
	do {
		raw_next(&lx, &t);
		if (t.type == T_DIG)
			digits = 1;
		else if (t.type == T_WORD)
			words = 1;
	} while (t.type != T_END);

	if (words)
		st = digits ? LICIT_AMOUNT_INVALID : LICIT_AMOUNT_WORD;
	else if (!digits)
		st = LICIT_AMOUNT_EMPTY;
	else {
		st = parse_list(s, n, 0, a, out, cap);
		if (st == LICIT_AMOUNT_INVALID) {
			/* "1,000.00, 2,500.00": a comma followed by a blank
			 * may be a list comma, but only if the plain reading
			 * failed ("1,000, 000.00" is one amount). */
			memset(a, 0, sizeof *a);
			st = parse_list(s, n, 1, a, out, cap);
		}
	}
	if (st != LICIT_AMOUNT_OK && st != LICIT_AMOUNT_MULTIPLE) {
		memset(a, 0, sizeof *a);
		if (cap)
			out[0] = '\0';
	}
	a->status = st;
	return st;
}

const char *licit_amount_status_text(enum licit_amount_status st)
{
	switch (st) {
	case LICIT_AMOUNT_OK:
		return "ok";
	case LICIT_AMOUNT_EMPTY:
		return "empty";
	case LICIT_AMOUNT_MULTIPLE:
		return "multiple";
	case LICIT_AMOUNT_WORD:
		return "word";
	case LICIT_AMOUNT_INVALID:
		return "invalid";
	}
	return "unknown";
}

/* ---- formatting ------------------------------------------------------ */

/* Decimal digits of an unsigned integer, most significant first. */
static size_t u64_digits(uint64_t x, char *d)
{
	char tmp[20];
	size_t k = 0, i;
	do {
		tmp[k++] = (char)('0' + x % 10);
		x /= 10;
	} while (x);
	for (i = 0; i < k; i++)
		d[i] = tmp[k - 1 - i];
	return k;
}

/* Exact decimal digits of an integral double >= 2^64: mantissa times a
 * power of two, multiplied out in base 10^9 limbs. Enough for 1.8e308. */
static size_t big_digits(uint64_t mant, int exp2, char *d)
{
	uint32_t limb[40]; /* little-endian base 1e9 */
	size_t nl = 0, k = 0;

	while (mant) {
		limb[nl++] = (uint32_t)(mant % 1000000000u);
		mant /= 1000000000u;
	}
	for (int e = 0; e < exp2; e++) {
		uint32_t carry = 0;
		for (size_t i = 0; i < nl; i++) {
			uint64_t x = (uint64_t)limb[i] * 2 + carry;
			limb[i] = (uint32_t)(x % 1000000000u);
			carry = (uint32_t)(x / 1000000000u);
		}
		if (carry)
			limb[nl++] = carry;
	}
	/* Most significant limb without padding, the rest as 9 digits. */
	k = u64_digits(limb[nl - 1], d);
	for (size_t i = nl - 1; i-- > 0;) {
		uint32_t x = limb[i];
		for (int j = 8; j >= 0; j--) {
			d[k + (size_t)j] = (char)('0' + x % 10);
			x /= 10;
		}
		k += 9;
	}
	return k;
}

size_t licit_amount_format(double v, char *out, size_t cap)
{
	char buf[400];
	size_t p = 0;

	if (v != v) {
		memcpy(buf, "nan", 4);
		p = 3;
	} else if (v - v != 0) {
		/* Infinity: the only value with no decimal form. */
		p = v < 0 ? 4 : 3;
		memcpy(buf, v < 0 ? "-inf" : "inf", p + 1);
	} else {
		int neg = v < 0;
		double a = neg ? -v : v;
		char digits[360];
		size_t nd;
		uint64_t frac = 0;

		if (a < 18446744073709551616.0) {
			uint64_t ip = (uint64_t)a;
			int done = 0;
			/* Shortest first: the fewest decimals whose value reads
			 * back as exactly this double, so 99999999999.99 is not
			 * printed as the ...990005 it is stored as. N and 10^d
			 * are exact, so N / 10^d is the correctly rounded
			 * reading of the decimal text. */
			for (int d = 0; d <= 6; d++) {
				double sc = a * pow10_tab[d] + 0.5;
				if (sc >= 9007199254740992.0)
					break;
				uint64_t N = (uint64_t)sc;
				uint64_t p10 = (uint64_t)pow10_tab[d];
				if ((double)N / pow10_tab[d] == a) {
					ip = N / p10;
					frac = N % p10 *
					       (uint64_t)pow10_tab[6 - d];
					done = 1;
					break;
				}
			}
			if (!done) {
				/* a - ip is exact; scaling it rounds once. */
				double f = (a - (double)ip) * 1e6 + 0.5;
				frac = (uint64_t)f;
				if (frac >= 1000000) {
					frac -= 1000000;
					ip++;
				}
			}
			nd = u64_digits(ip, digits);
		} else {
			uint64_t bits;
			memcpy(&bits, &a, sizeof bits);
			int e = (int)((bits >> 52) & 0x7FF);
			uint64_t mant = (bits & ((UINT64_C(1) << 52) - 1)) |
			                (UINT64_C(1) << 52);
			nd = big_digits(mant, e - 1075, digits);
		}
		if (neg && (nd > 1 || digits[0] != '0' || frac))
			buf[p++] = '-';
		memcpy(buf + p, digits, nd);
		p += nd;
		if (frac) {
			char fd[6];
			int nf = 6;
			for (int i = 5; i >= 0; i--) {
				fd[i] = (char)('0' + frac % 10);
				frac /= 10;
			}
			while (nf > 0 && fd[nf - 1] == '0')
				nf--;
			buf[p++] = '.';
			memcpy(buf + p, fd, (size_t)nf);
			p += (size_t)nf;
		}
		buf[p] = '\0';
	}
	if (cap == 0)
		return 0;
	if (p >= cap)
		p = cap - 1;
	memcpy(out, buf, p);
	out[p] = '\0';
	return p;
}
