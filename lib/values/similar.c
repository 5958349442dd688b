/* String similarity measures used by dedupe (trigram and token Jaccard). */
#include "licit/values/similar.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/map.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* Sorts t[0..m) and drops repeats; returns how many remain. */
static size_t sort_unique(uint32_t *t, size_t m)
{
	qsort(t, m, sizeof *t, cmp_u32);
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (k == 0 || t[k - 1] != t[i])
			t[k++] = t[i];
	return k;
}

/* Sorted distinct trigram codes of " s " into t; returns how many. */
static size_t trigrams(const char *s, uint32_t *t)
{
	size_t n = strlen(s);
	if (n > LICIT_SIM_MAXLEN)
		n = LICIT_SIM_MAXLEN;
	unsigned char buf[LICIT_SIM_MAXLEN + 2];
	buf[0] = ' ';
	memcpy(buf + 1, s, n);
	buf[n + 1] = ' ';
	size_t m = 0;
	for (size_t i = 0; i + 2 < n + 2; i++)
		t[m++] = (uint32_t)buf[i] << 16 | (uint32_t)buf[i + 1] << 8 | buf[i + 2];
	return sort_unique(t, m);
}

static double jaccard_sorted(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	if (na == 0 && nb == 0)
		return 1.0;
	size_t i = 0, j = 0, both = 0;
	while (i < na && j < nb) {
		if (a[i] == b[j]) {
			both++;
			i++;
			j++;
		} else if (a[i] < b[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)both / (double)(na + nb - both);
}

double licit_similar_trigram(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1.0;
	if (!*a || !*b)
		return 0.0;
	uint32_t ta[LICIT_SIM_MAXLEN + 1], tb[LICIT_SIM_MAXLEN + 1];
	size_t na = trigrams(a, ta), nb = trigrams(b, tb);
	return jaccard_sorted(ta, na, tb, nb);
}

/* Splits the first LICIT_SIM_MAXLEN bytes of s at spaces into at most
 * max tokens (start, length); returns the count. The one tokenizer of
 * the measures below. */
static size_t split(const char *s, const char **tok, size_t *len, size_t max)
{
	size_t n = 0, i = 0, end = strnlen(s, LICIT_SIM_MAXLEN);
	while (i < end && n < max) {
		while (i < end && s[i] == ' ')
			i++;
		size_t j = i;
		while (j < end && s[j] != ' ')
			j++;
		if (j > i) {
			tok[n] = s + i;
			len[n++] = j - i;
		}
		i = j;
	}
	return n;
}

enum { MAXTOK = LICIT_SIM_MAXLEN / 2 + 1 };

/* Sorted distinct 32-bit hashes of the tokens of s that keep returns 1
 * for; returns how many. A clash only merges two tokens. */
static size_t token_set(const char *s, uint32_t *t, int (*keep)(const char *, size_t, size_t),
                        size_t arg)
{
	const char *tok[MAXTOK];
	size_t len[MAXTOK], m = 0, n = split(s, tok, len, MAXTOK);
	for (size_t i = 0; i < n; i++)
		if (keep(tok[i], len[i], arg))
			t[m++] = (uint32_t)licit_hash(tok[i], len[i]);
	return sort_unique(t, m);
}

static int long_enough(const char *s, size_t n, size_t min)
{
	(void)s;
	return n >= min;
}

double licit_similar_tokens(const char *a, const char *b, size_t minlen)
{
	uint32_t ta[MAXTOK], tb[MAXTOK];
	size_t na = token_set(a, ta, long_enough, minlen);
	size_t nb = token_set(b, tb, long_enough, minlen);
	if (!na || !nb)
		return 0.0;
	return jaccard_sorted(ta, na, tb, nb);
}

static const char *const months[] = {
	"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "setiembre", "octubre", "noviembre", "diciembre",
	"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "sept",
	"oct", "nov", "dic",
	"january", "february", "march", "april", "june", "july", "august",
	"september", "october", "november", "december", "jan", "aug", "dec",
};

/* A token that names one particular document: a number or a month. */
static int is_marker(const char *s, size_t n, size_t unused)
{
	(void)unused;
	for (size_t i = 0; i < n; i++)
		if (s[i] >= '0' && s[i] <= '9')
			return 1;
	for (size_t i = 0; i < sizeof months / sizeof *months; i++)
		if (strlen(months[i]) == n && memcmp(months[i], s, n) == 0)
			return 1;
	return 0;
}

/* Function words: they say nothing about what was bought. */
static const char *const stopwords[] = {
	"de", "del", "la", "las", "el", "los", "en", "para", "por", "con", "al", "un",
	"una", "y", "o", "e", "a", "su", "sus", "se", "que", "of", "the", "to", "in",
	"and", "for", "on", "at", "by", "an",
};

/* A word that counts as evidence: two letters or more, not a function word. */
static int content_word(const char *s, size_t n)
{
	if (n < 2)
		return 0;
	for (size_t i = 0; i < sizeof stopwords / sizeof *stopwords; i++)
		if (strlen(stopwords[i]) == n && memcmp(stopwords[i], s, n) == 0)
			return 0;
	return 1;
}

double licit_similar_contain(const char *a, const char *b)
{
	const char *ta[MAXTOK], *tb[MAXTOK];
	size_t la[MAXTOK], lb[MAXTOK];
	size_t na = split(a, ta, la, MAXTOK), nb = split(b, tb, lb, MAXTOK);
	/* a: the title with fewer content words */
	size_t wa = 0, wb = 0;
	for (size_t i = 0; i < na; i++)
		wa += content_word(ta[i], la[i]);
	for (size_t i = 0; i < nb; i++)
		wb += content_word(tb[i], lb[i]);
	if (wb < wa) {
		return licit_similar_contain(b, a);
	}
	if (wa < 2)
		return 0.0;
	size_t hit = 0;
	for (size_t i = 0; i < na; i++) {
		if (!content_word(ta[i], la[i]))
			continue;
		for (size_t j = 0; j < nb; j++) {
			size_t m = la[i] < lb[j] ? la[i] : lb[j];
			if (content_word(tb[j], lb[j]) && memcmp(ta[i], tb[j], m) == 0) {
				hit++;
				break;
			}
		}
	}
	return (double)hit / (double)wa;
}

/* Optimal-string-alignment distance of a[0..n) and b[0..m) (at most
 * LICIT_SIM_MAXLEN bytes each) when it is at most k, else k + 1: only
 * the cells within k of the diagonal are computed (a cheaper path never
 * leaves that band), each capped at k + 1. */
static size_t osa(const char *a, size_t n, const char *b, size_t m, size_t k)
{
	if ((n > m ? n - m : m - n) > k)
		return k + 1;
	size_t inf = k + 1;
	size_t rows[3][LICIT_SIM_MAXLEN + 2];
	size_t *pp = rows[0], *p = rows[1], *c = rows[2];
	for (size_t j = 0; j <= m; j++)
		p[j] = j > k ? inf : j;
	for (size_t i = 1; i <= n; i++) {
		size_t lo = i > k ? i - k : 1, hi = i + k < m ? i + k : m;
		c[lo - 1] = lo == 1 && i < inf ? i : inf;
		for (size_t j = lo; j <= hi; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = p[j - 1] + cost;
			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v < inf ? v : inf;
		}
		if (hi < m)
			c[hi + 1] = inf;
		size_t *t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m];
}

size_t licit_similar_edits(const char *a, const char *b)
{
	size_t n = strnlen(a, LICIT_SIM_MAXLEN), m = strnlen(b, LICIT_SIM_MAXLEN);
	return osa(a, n, b, m, n > m ? n : m);
}

double licit_similar_name(const char *a, const char *b)
{
	const char *ta[MAXTOK], *tb[MAXTOK];
	size_t la[MAXTOK], lb[MAXTOK];
	size_t na = split(a, ta, la, MAXTOK), nb = split(b, tb, lb, MAXTOK);
	if (na != nb)
		return 0.0;
	double worst = 1.0;
	size_t total = 0;
	for (size_t i = 0; i < na; i++) {
		if (la[i] == lb[i] && memcmp(ta[i], tb[i], la[i]) == 0)
			continue;
		/* words compared on their first 64 bytes; more than 2 edits in
		 * all is 0, so no word needs counting beyond what is left */
		size_t e = osa(ta[i], la[i] > 64 ? 64 : la[i], tb[i], lb[i] > 64 ? 64 : lb[i],
		               2 - total);
		if (total + e > 2)
			return 0.0;
		size_t big = la[i] > lb[i] ? la[i] : lb[i];
		double s = 1.0 - (double)e / (double)big;
		total += e;
		if (s < worst)
			worst = s;
	}
	return worst;
}

double licit_similar_title(const char *a, const char *b)
{
	if (!*a || !*b)
		return 0.0;
	uint32_t ma[MAXTOK], mb[MAXTOK];
	size_t na = token_set(a, ma, is_marker, 0), nb = token_set(b, mb, is_marker, 0);
	if (na && nb && (na != nb || memcmp(ma, mb, na * sizeof *ma) != 0))
		return 0.0;
	/* one title wholly inside the other (abbreviated, truncated, words
	 * added) is the same title; a partial overlap is not evidence, since
	 * "servicio de vigilancia del almacen" and "servicio de fotocopiado
	 * del almacen" share three words of four */
	if (licit_similar_contain(a, b) == 1.0)
		return 1.0;
	return licit_similar_trigram(a, b);
}

/* Compact legal forms as licit_name_key writes them, longest first so
 * that "SA DE CV" is not read as "SA" plus noise. */
static const char *const legal_forms[] = {
	"SC DE RL DE CV", "SPR DE RL DE CV", "S DE RL DE CV", "SAPIB DE CV",
	"SAPI DE CV", "SAB DE CV", "SAS DE CV", "SRL DE CV", "SA DE CV",
	"S DE RL MI", "SC DE RL", "SC DE RS", "SPR DE RL", "SPR DE RI",
	"S DE RL", "S EN C", "SAPI", "SAB", "SAS", "SRL", "SCL", "SNC", "SSS",
	"IAP", "IBP", "ABP", "SA", "SC", "AC",
};

size_t licit_similar_name_base(const char *key, size_t n, char *out, size_t cap)
{
	size_t keep = n;
	for (size_t i = 0; i < sizeof legal_forms / sizeof *legal_forms; i++) {
		size_t m = strlen(legal_forms[i]);
		if (n > m + 1 && key[n - m - 1] == ' ' &&
		    memcmp(key + n - m, legal_forms[i], m) == 0) {
			keep = n - m - 1;
			break;
		}
	}
	while (keep > 0 && key[keep - 1] == ' ')
		keep--;
	if (cap == 0)
		return 0;
	if (keep >= cap)
		keep = cap - 1;
	memcpy(out, key, keep);
	out[keep] = '\0';
	return keep;
}
