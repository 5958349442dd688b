/* Unit tests for licit_name_clean and licit_name_key. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

static void clean(const char *in, const char *want)
{
	char out[256];
	memset(out, 'x', sizeof out);
	size_t k = licit_name_clean(in, strlen(in), out, sizeof out);
	cr_assert_str_eq(out, want, "clean(\"%s\") = \"%s\"", in, out);
	cr_assert_eq(k, strlen(want), "clean(\"%s\"): length %zu", in, k);
}

static void key(const char *in, const char *want)
{
	char out[256];
	memset(out, 'x', sizeof out);
	size_t k = licit_name_key(in, strlen(in), out, sizeof out);
	cr_assert_str_eq(out, want, "key(\"%s\") = \"%s\"", in, out);
	cr_assert_eq(k, strlen(want), "key(\"%s\"): length %zu", in, k);
}

Test(name, real_data_display)
{
	clean("Teléfonos de México S.A.B de C.V.",
	      "TELÉFONOS DE MÉXICO S.A.B. DE C.V.");
	clean("COMGERAFE, S.A. DE C.V.", "COMGERAFE S.A. DE C.V.");
	clean("CASA CONSTRUCTORA LOMA DE CANTERA S. DE R.L.",
	      "CASA CONSTRUCTORA LOMA DE CANTERA S. DE R.L.");
	clean("REDES DE TUTORIA, S.C", "REDES DE TUTORIA S.C.");
	clean("INGTEC CONSTRUCCIONES SA. DE CV.",
	      "INGTEC CONSTRUCCIONES S.A. DE C.V.");
	clean("COMERCIALIZADORA COMPUTEL DEL SURESTE  S.A. DE C.V.",
	      "COMERCIALIZADORA COMPUTEL DEL SURESTE S.A. DE C.V.");
	clean("SOCIEDAD  PANAMERICANA DE ESTUDIOS EMPRESARIALES AC",
	      "SOCIEDAD PANAMERICANA DE ESTUDIOS EMPRESARIALES A.C.");
	clean("Viajes Premier, S.A.", "VIAJES PREMIER S.A.");
	clean("FUNDACION PARA LA CULTURA SC", "FUNDACION PARA LA CULTURA S.C.");
	clean("MEXICO S. A. DE C. V.", "MEXICO S.A. DE C.V.");
	clean("ADLIB, SOLUCIONES EDUCATIVAS, S.C.",
	      "ADLIB, SOLUCIONES EDUCATIVAS S.C.");
	clean("SERCA SERVICIOS Y CAPACITACIÓN A SU ALCANCE, S.C.",
	      "SERCA SERVICIOS Y CAPACITACIÓN A SU ALCANCE S.C.");
	clean("HUGO HERNÁNDEZ MONTES", "HUGO HERNÁNDEZ MONTES");
}

Test(name, legal_forms)
{
	clean("X S DE RL DE CV", "X S. DE R.L. DE C.V.");
	clean("X S. de R.L. de C.V.", "X S. DE R.L. DE C.V.");
	clean("X SAPI DE CV", "X S.A.P.I. DE C.V.");
	clean("Grupo X S.A.P.I. de C.V.", "GRUPO X S.A.P.I. DE C.V.");
	clean("X SAB DE CV", "X S.A.B. DE C.V.");
	clean("X S.C. DE R.L. DE C.V.", "X S.C. DE R.L. DE C.V.");
	clean("X SPR DE RL", "X S.P.R. DE R.L.");
	clean("X I.A.P.", "X I.A.P.");
	clean("X SADECV", "X S.A. DE C.V.");
	clean("X SA", "X S.A.");
	clean("X S.C.L.", "X S.C.L.");
	clean("X SRL DE CV", "X S.R.L. DE C.V.");
	clean("CONSTRUCTORA ÑANDÚ, SOCIEDAD ANÓNIMA DE CAPITAL VARIABLE",
	      "CONSTRUCTORA ÑANDÚ S.A. DE C.V.");
	clean("AMIGOS ASOCIACION CIVIL", "AMIGOS A.C.");
	clean("S.A. de C.V.", "S.A. DE C.V.");
}

Test(name, not_legal_forms)
{
	/* A word that merely ends in the letters is not a legal form. */
	clean("LA MESA", "LA MESA");
	clean("CASA DE CV", "CASA DE CV");
	clean("GRUPO ISAAC", "GRUPO ISAAC");
	clean("X S.A. DE C.V., SOFOM", "X S.A. DE C.V., SOFOM");
	/* Single letters inside the name stay as written. */
	clean("J. P. MORGAN S.A.", "J. P. MORGAN S.A.");
	clean("A.B.C. CONSTRUCCIONES SA DE CV", "A.B.C. CONSTRUCCIONES S.A. DE C.V.");
}

Test(name, case_space_accents)
{
	clean("  juan  pérez\t\tlópez  ", "JUAN PÉREZ LÓPEZ");
	clean("año ümlaut çé", "AÑO ÜMLAUT ÇÉ");
	clean("àèìòù ñ ý", "ÀÈÌÒÙ Ñ Ý");
	clean("a\xC2\xA0" "b", "A B"); /* NO-BREAK SPACE */
	clean("EMPRESA,", "EMPRESA");
	clean("", "");
	clean("   ", "");
	clean(" , ", "");
}

Test(name, keys_match_spellings)
{
	key("COMERCIAL X, S.A. de C.V.", "COMERCIAL X SA DE CV");
	key("Comercial X SA DE CV", "COMERCIAL X SA DE CV");
	key("COMERCIAL X S.A. DE C.V", "COMERCIAL X SA DE CV");
	key("comercial  x  s. a. de c. v.", "COMERCIAL X SA DE CV");
	key("Teléfonos de México S.A.B de C.V.", "TELEFONOS DE MEXICO SAB DE CV");
	key("TELEFONOS DE MEXICO, S.A.B. DE C.V.",
	    "TELEFONOS DE MEXICO SAB DE CV");
	key("CONSTRUCTORA ÑANDÚ, SOCIEDAD ANÓNIMA DE CAPITAL VARIABLE",
	    "CONSTRUCTORA NANDU SA DE CV");
	key("X S. DE R.L. DE C.V.", "X S DE RL DE CV");
	key("Viajes Premier, S.A.", "VIAJES PREMIER SA");
}

Test(name, key_punctuation)
{
	key("J. P. MORGAN", "JP MORGAN");
	key("J.P. MORGAN", "JP MORGAN");
	key("A.B.C. CONSTRUCCIONES", "ABC CONSTRUCCIONES");
	key("GRUPO-EXITO / \"NORTE\" (2)", "GRUPO EXITO NORTE 2");
	key("O'HIGGINS", "OHIGGINS");
	key("O\xE2\x80\x99HIGGINS", "OHIGGINS");
	key("HERRERA Y ASOCIADOS", "HERRERA Y ASOCIADOS");
	key("Æ ß", "AE SS");
	key("", "");
	key(" ,.; ", "");
}

Test(name, invalid_utf8)
{
	/* Invalid bytes pass through untouched; nothing crashes. */
	clean("bad \xff\xc3 bytes \xc3\xa1", "BAD \xff\xc3 BYTES \xc3\x81");
	key("bad \xff bytes \xc3\xa1", "BAD \xff BYTES A");
	clean("truncated \xc3", "TRUNCATED \xc3");
	clean("cut \xE2\x80", "CUT \xE2\x80");
	/* Control bytes (NUL included) count as blanks. */
	static const char nul[] = { 'a', '\0', 'b' };
	char out[16];
	cr_assert_eq(licit_name_clean(nul, 3, out, sizeof out), 3);
	cr_assert_str_eq(out, "A B");
}

Test(name, buffers)
{
	char out[16];
	static const char *in = "Teléfonos de México S.A.B de C.V.";
	size_t k = licit_name_clean(in, strlen(in), out, sizeof out);
	cr_assert_eq(k, strlen(out));
	cr_assert(k < sizeof out);
	cr_assert_eq(strncmp(out, "TELÉFONOS", strlen("TELÉFONOS")), 0);
	/* Never half a UTF-8 sequence. */
	k = licit_name_clean("aé", 3, out, 3);
	cr_assert_str_eq(out, "A");
	cr_assert_eq(k, 1);
	out[0] = 'q';
	cr_assert_eq(licit_name_clean("abc", 3, out, 0), 0);
	cr_assert_eq(out[0], 'q');
	cr_assert_eq(licit_name_key("abc", 3, out, 1), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(licit_name_clean(NULL, 0, out, sizeof out), 0);
	/* n honoured */
	cr_assert_eq(licit_name_clean("abcdef", 3, out, sizeof out), 3);
	cr_assert_str_eq(out, "ABC");
}

Test(name, huge)
{
	size_t n = 1 << 20;
	char *s = malloc(n), *out = malloc(n * 2 + 64);
	cr_assert_not_null(s);
	cr_assert_not_null(out);
	for (size_t i = 0; i + 2 <= n; i += 2)
		memcpy(s + i, "A ", 2);
	size_t k = licit_name_clean(s, n, out, n * 2 + 64);
	cr_assert_eq(k, n - 1);
	k = licit_name_key(s, n, out, n * 2 + 64);
	cr_assert_eq(k, n / 2); /* all single letters glued */
	for (size_t i = 0; i < n; i++)
		s[i] = (char)(i * 131 + 7);
	licit_name_clean(s, n, out, n * 2 + 64);
	licit_name_key(s, n, out, 100);
	free(s);
	free(out);
}
