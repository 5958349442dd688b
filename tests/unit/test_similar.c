/* Unit tests of the similarity measures dedupe matches with. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "licit/values/similar.h"
#include "licit/values/value.h"

Test(similar, trigram_bounds_and_hand_values)
{
	cr_assert_float_eq(licit_similar_trigram("", ""), 1.0, 1e-12);
	cr_assert_float_eq(licit_similar_trigram("abc", ""), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_trigram("abc", "abc"), 1.0, 1e-12);
	/* " ab " -> { ab, ab } = {" ab", "ab "}; " ac " -> {" ac", "ac "}: nothing shared */
	cr_assert_float_eq(licit_similar_trigram("ab", "ac"), 0.0, 1e-12);
	/* " abc " = {" ab","abc","bc "}; " abd " = {" ab","abd","bd "}: 1 of 5 */
	cr_assert_float_eq(licit_similar_trigram("abc", "abd"), 0.2, 1e-12);
	/* symmetric */
	cr_assert_float_eq(licit_similar_trigram("servicio de limpieza", "servicio limpieza"),
	                   licit_similar_trigram("servicio limpieza", "servicio de limpieza"), 1e-12);
}

Test(similar, tokens)
{
	cr_assert_float_eq(licit_similar_tokens("a b c", "c b a", 1), 1.0, 1e-12);
	cr_assert_float_eq(licit_similar_tokens("a b c", "a b d", 1), 0.5, 1e-12); /* 2 of 4 */
	cr_assert_float_eq(licit_similar_tokens("a  a b", "a b", 1), 1.0, 1e-12);  /* sets */
	/* words shorter than minlen do not count; no word left on a side: 0 */
	cr_assert_float_eq(licit_similar_tokens("renta de la bodega", "renta bodega norte", 3),
	                   2.0 / 3.0, 1e-12);
	cr_assert_float_eq(licit_similar_tokens("de la", "de la", 3), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_tokens("", "", 1), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_tokens("renta", "", 1), 0.0, 1e-12);
}

Test(similar, contain_and_abbreviations)
{
	/* adq -> adquisicion, medicamentos -> medicamentos: 2 of 2 words */
	cr_assert_float_eq(licit_similar_contain("adq medicamentos", "adquisicion de medicamentos"),
	                   1.0, 1e-12);
	/* the shorter side decides; one-letter words ("p") do not count */
	cr_assert_float_eq(licit_similar_contain("servicio de fumigacion en oficinas",
	                                         "servicio de fumigacion"), 1.0, 1e-12);
	/* "de" is a function word: audio, spots -> 1 of 2 */
	cr_assert_float_eq(licit_similar_contain("audio de spots", "video de spots"), 0.5, 1e-12);
	/* fewer than two words: no evidence */
	cr_assert_float_eq(licit_similar_contain("medicamentos", "medicamentos oncologicos"), 0.0, 1e-12);
}

Test(similar, title_markers_veto)
{
	cr_assert_float_eq(licit_similar_title("pago fact 25", "pago fact 26"), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_title("renta mes de enero", "renta mes de febrero"), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_title("", "x"), 0.0, 1e-12);
	/* same markers: the plain similarity */
	cr_assert_float_eq(licit_similar_title("renta enero 2015", "renta de enero 2015"), 1.0, 1e-12);
	/* one side without markers (truncated): no veto */
	cr_assert_gt(licit_similar_title("material de curacion lote 2", "material de curacion"), 0.9);
	/* a partial overlap falls back to trigrams, below the 0.7 default */
	cr_assert_lt(licit_similar_title("servicio de vigilancia del almacen central",
	                                 "servicio de fotocopiado del almacen central"), 0.7);
	cr_assert_float_eq(licit_similar_title("adq medicamentos", "adquisicion de medicamentos"),
	                   1.0, 1e-12);
	double t = licit_similar_title("award of contract to build new cycle lanes in the centre of town",
	                               "contract to build new cycle lanes in the centre of town");
	cr_assert_float_eq(t, 1.0, 1e-12); /* every word of the shorter is in the longer */
}

Test(similar, edits)
{
	cr_assert_eq(licit_similar_edits("", ""), 0);
	cr_assert_eq(licit_similar_edits("abc", ""), 3);
	cr_assert_eq(licit_similar_edits("kitten", "sitting"), 3);
	cr_assert_eq(licit_similar_edits("azteca", "atzeca"), 1); /* one swap */
	cr_assert_eq(licit_similar_edits("ca", "abc"), 3);        /* OSA, not full Damerau */
	cr_assert_eq(licit_similar_edits("papelera", "ppaelera"), 1);
}

Test(similar, name_accepts_typos_only)
{
	cr_assert_float_eq(licit_similar_name("OPERADORA AZTECA REAL", "OPERADORA ATZECA REAL"),
	                   1.0 - 1.0 / 6, 1e-12);
	cr_assert_float_eq(licit_similar_name("A B", "A B"), 1.0, 1e-12);
	/* ALFA -> VALLE is 3 edits */
	cr_assert_float_eq(licit_similar_name("CONSTRUCTORA CONTINENTAL ALFA",
	                                      "CONSTRUCTORA CONTINENTAL VALLE"), 0.0, 1e-12);
	/* another word count: another person */
	cr_assert_float_eq(licit_similar_name("GARCIA LOPEZ JUAN", "GARCIA LOPEZ JUAN II"), 0.0, 1e-12);
	cr_assert_float_eq(licit_similar_name("PEREZ MARIA II", "PEREZ MARIA HIJO"), 0.0, 1e-12);
	/* two slips in two words: the worse word counts */
	cr_assert_float_eq(licit_similar_name("GRUPO PAPELERA DEL NORTE", "GRUPO PPAELERA EDL NORTE"),
	                   1.0 - 1.0 / 3, 1e-12);
}

static void base(const char *name, const char *want)
{
	char key[256], out[256];
	size_t k = licit_name_key(name, strlen(name), key, sizeof key);
	size_t n = licit_similar_name_base(key, k, out, sizeof out);
	cr_assert_str_eq(out, want, "base(\"%s\") = \"%s\"", name, out);
	cr_assert_eq(n, strlen(want));
}

Test(similar, name_base_drops_legal_form)
{
	base("Teléfonos de México S.A.B de C.V.", "TELEFONOS DE MEXICO");
	base("TELEFONOS DE MEXICO, SAB DE CV", "TELEFONOS DE MEXICO");
	base("Comercial Papelera Tenayuca, S. de R.L. de C.V.", "COMERCIAL PAPELERA TENAYUCA");
	base("Servicios Integrales S.C.", "SERVICIOS INTEGRALES");
	base("GARCIA LOPEZ JUAN", "GARCIA LOPEZ JUAN");
	/* a key that is only a legal form stays whole */
	base("S.A. de C.V.", "SA DE CV");
	char out[4];
	cr_assert_eq(licit_similar_name_base("ABCDEF", 6, out, sizeof out), 3); /* truncated */
	cr_assert_str_eq(out, "ABC");
}

/* The textbook OSA table, whole: the reference for the banded one. */
static size_t naive_osa(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), d[16][16];
	for (size_t i = 0; i <= n; i++)
		for (size_t j = 0; j <= m; j++) {
			if (!i || !j) {
				d[i][j] = i + j;
				continue;
			}
			size_t v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[n][m];
}

/* Random words over a small alphabet (so that near misses are common):
 * the edit distance is the textbook one, and the name similarity, which
 * stops counting past 2 edits, is what its definition says. */
Test(similar, banded_edits_match_the_whole_table)
{
	unsigned long long x = 88172645463325252ULL;
	for (int t = 0; t < 20000; t++) {
		char a[16], b[16];
		for (int w = 0; w < 2; w++) {
			char *s = w ? b : a;
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			size_t n = 1 + x % 8;
			for (size_t i = 0; i < n; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				s[i] = "ABCD"[x % 4];
			}
			s[n] = '\0';
		}
		size_t e = naive_osa(a, b);
		cr_assert_eq(licit_similar_edits(a, b), e, "%s %s", a, b);
		size_t big = strlen(a) > strlen(b) ? strlen(a) : strlen(b);
		double want = e > 2 ? 0.0 : 1.0 - (double)e / (double)big;
		char na[40], nb[40];
		snprintf(na, sizeof na, "GRUPO %s NORTE", a);
		snprintf(nb, sizeof nb, "GRUPO %s NORTE", b);
		cr_assert_float_eq(licit_similar_name(na, nb), want, 1e-12, "%s %s", a, b);
	}
}
