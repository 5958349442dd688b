/* Unit tests for licit_exception_parse. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

static void exc(const char *in, const char *law, enum licit_exception_status want,
                const char *canon)
{
	char out[64];
	memset(out, 'x', sizeof out);
	enum licit_exception_status st =
	        licit_exception_parse(in, strlen(in), law, out, sizeof out);
	cr_assert_eq(st, want, "\"%s\": status %d, expected %d", in, st, want);
	cr_assert_str_eq(out, canon, "\"%s\": got \"%s\"", in, out);
}

static void ok(const char *in, const char *canon)
{
	exc(in, "LAASSP", LICIT_EXC_OK, canon);
}

/* ISSSTE review: one exception typed seven ways. */
Test(exception, issste_review)
{
	ok("41", "LAASSP-41");
	ok("Art. 41", "LAASSP-41");
	ok("ART 41", "LAASSP-41");
	ok("art.41", "LAASSP-41");
	ok("ART.41 FRACC.III", "LAASSP-41-III");
	ok("ARTICULO 41 FRACC III", "LAASSP-41-III");
	ok("41 FRACCION  III YXIV", "LAASSP-41-III+XIV");
}

Test(exception, compranet_templates)
{
	ok("07. Adjudicación Directa Nacional Art. 42 LAASSP", "LAASSP-42");
	ok("22. Adjudicación Directa Nacional Art. 43 LOPSRM", "LOPSRM-43");
	ok("Adjudicación Directa Art. 43 LOPSRM", "LOPSRM-43");
	exc("12. Adjudicación Directa Nacional Simplificada LAASSP", "LAASSP",
	    LICIT_EXC_UNRECOGNISED, "");
	exc("01. Licitación Pública Nacional LAASSP", "LAASSP",
	    LICIT_EXC_UNRECOGNISED, "");
}

Test(exception, long_law_names)
{
	ok("Artículo 41 fracción III de la Ley de Adquisiciones, "
	   "Arrendamientos y Servicios del Sector Público",
	   "LAASSP-41-III");
	ok("Art. 42 Ley de Obras Públicas y Servicios Relacionados con las "
	   "Mismas",
	   "LOPSRM-42");
	exc("ARTICULO 42 FRACC. X DE LA LEY DE OBRAS PUBLICAS", "LAASSP",
	    LICIT_EXC_OK, "LOPSRM-42-X");
	/* A named law wins over the default. */
	exc("ART 43 LOPSRM", "LAASSP", LICIT_EXC_OK, "LOPSRM-43");
	exc("ART 41", "LOPSRM", LICIT_EXC_OK, "LOPSRM-41");
}

Test(exception, fraction_spellings)
{
	ok("Art 41 fr. VII", "LAASSP-41-VII");
	ok("Art 41 fraccion VII", "LAASSP-41-VII");
	ok("Art 41 fracción VII", "LAASSP-41-VII");
	ok("Art 41 FRACCIÓN VII", "LAASSP-41-VII");
	ok("Art 41 frac VII", "LAASSP-41-VII");
	ok("Art 41 fracc VII", "LAASSP-41-VII");
	ok("Art 41 fracciones III y V", "LAASSP-41-III+V");
	ok("ART 41 III", "LAASSP-41-III");
	ok("ART 41 FRACCION 3", "LAASSP-41-III");
	ok("fracción III del artículo 41", "LAASSP-41-III");
}

Test(exception, fractions_sorted_unique)
{
	ok("ART 41 FRACC XIV, III Y III", "LAASSP-41-III+XIV");
	ok("ART 41 FRACC XX, IX, IV, I", "LAASSP-41-I+IV+IX+XX");
	ok("ART 41 FRACC xxx", "LAASSP-41-XXX");
	ok("ART 41 FRACC III E IV", "LAASSP-41-III+IV");
	/* Not canonical or out of range: not fractions. */
	ok("41 FRACC IIII", "LAASSP-41");
	ok("41 FRACC XXXI", "LAASSP-41");
	ok("41 FRACC VX", "LAASSP-41");
}

Test(exception, default_law)
{
	exc("41 FRACC III", NULL, LICIT_EXC_OK, "41-III");
	exc("41 FRACC III", "", LICIT_EXC_OK, "41-III");
	exc("41", "LOPSRM", LICIT_EXC_OK, "LOPSRM-41");
}

Test(exception, malformed)
{
	exc("", "LAASSP", LICIT_EXC_EMPTY, "");
	exc("  \t\n", "LAASSP", LICIT_EXC_EMPTY, "");
	exc("---", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("ARTICULO", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("ART. X", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("ART 0", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("ART 1234", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("\xff\xfe\xc3", "LAASSP", LICIT_EXC_UNRECOGNISED, "");
	exc("ART 41\xc3", "LAASSP", LICIT_EXC_OK, "LAASSP-41");
	exc("ART\xff" "41", "LAASSP", LICIT_EXC_OK, "LAASSP-41");
}

Test(exception, buffers)
{
	char out[16];
	static const char nul[] = "ART\0 41";
	cr_assert_eq(licit_exception_parse(nul, sizeof nul - 1, "LAASSP", out,
	                                   sizeof out),
	             LICIT_EXC_OK);
	cr_assert_str_eq(out, "LAASSP-41");
	/* n honoured */
	cr_assert_eq(licit_exception_parse("41 FRACC III", 2, "LAASSP", out,
	                                   sizeof out),
	             LICIT_EXC_OK);
	cr_assert_str_eq(out, "LAASSP-41");
	/* Short out: whole pieces only. */
	cr_assert_eq(licit_exception_parse("41 FRACC III", 12, "LAASSP", out,
	                                   9),
	             LICIT_EXC_OK);
	cr_assert_str_eq(out, "LAASSP-");
	out[0] = 'q';
	cr_assert_eq(licit_exception_parse("41", 2, "LAASSP", out, 0),
	             LICIT_EXC_OK);
	cr_assert_eq(out[0], 'q');
	cr_assert_eq(licit_exception_parse(NULL, 0, "LAASSP", out, sizeof out),
	             LICIT_EXC_EMPTY);
}

Test(exception, huge)
{
	size_t n = 1 << 20;
	char *s = malloc(n);
	char out[64];
	cr_assert_not_null(s);
	memset(s, 'A', n);
	cr_assert_eq(licit_exception_parse(s, n, "LAASSP", out, sizeof out),
	             LICIT_EXC_UNRECOGNISED);
	memcpy(s, "ART 41 FRACC ", 13);
	for (size_t i = 13; i + 2 <= n; i += 2)
		memcpy(s + i, "V ", 2);
	cr_assert_eq(licit_exception_parse(s, n, "LAASSP", out, sizeof out),
	             LICIT_EXC_OK);
	cr_assert_str_eq(out, "LAASSP-41-V");
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(i * 97 + 3);
	licit_exception_parse(s, n, "LAASSP", out, sizeof out);
	free(s);
}

Test(exception, canonical_form_reads_back)
{
	static const char *const forms[] = {"LAASSP-41-III", "LAASSP-41-III+XIV", "LOPSRM-43", "LAASSP-42"};
	char out[64];
	for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
		cr_assert_eq(licit_exception_parse(forms[i], strlen(forms[i]), "LOPSRM", out, sizeof out),
		             LICIT_EXC_OK);
		cr_assert_str_eq(out, forms[i]);
	}
}

Test(exception, another_law_is_not_the_default_one)
{
	static const char s[] = "Se procederá conforme al artículo 47 de la Ley de Compras "
	                        "Gubernamentales Enajenaciones y Contrataciones de Servicios del Estado de Jalisco";
	char out[64];
	cr_assert_eq(licit_exception_parse(s, strlen(s), "LAASSP", out, sizeof out),
	             LICIT_EXC_UNRECOGNISED);
	static const char t[] = "Artículo 41 fracción III de la Ley de Adquisiciones, Arrendamientos y Servicios del Sector Público";
	cr_assert_eq(licit_exception_parse(t, strlen(t), NULL, out, sizeof out), LICIT_EXC_OK);
	cr_assert_str_eq(out, "LAASSP-41-III");
}
