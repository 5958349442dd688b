/* Unit tests for the INI settings reader. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/settings.h"

static char path[64];

static void write_file(const char *text)
{
	strcpy(path, "/tmp/licit-ini-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

Test(settings, sections_keys_comments)
{
	write_file("; a comment\n# another\ncurrency = MXN\n\n[R003]\nthreshold = 15 # default\n"
	           "[R003.procurement_method_details]\nLicitación Pública = 20\n"
	           "[R024]\n[custom.x]\npattern = (?i)a;b\nq = \"quoted value\"\n");
	struct licit_error err;
	struct licit_ini *ini = licit_ini_load(path, &err);
	cr_assert_not_null(ini, "%s", err.text);
	cr_assert_str_eq(licit_ini_get(ini, "", "currency"), "MXN");
	cr_assert_str_eq(licit_ini_get(ini, "R003", "threshold"), "15");
	cr_assert_str_eq(licit_ini_get(ini, "R003.procurement_method_details", "Licitación Pública"), "20");
	cr_assert_str_eq(licit_ini_get(ini, "custom.x", "pattern"), "(?i)a;b");
	cr_assert_str_eq(licit_ini_get(ini, "custom.x", "q"), "quoted value");
	cr_assert_null(licit_ini_get(ini, "R024", "threshold"));
	cr_assert_eq(licit_ini_section_line(ini, "R024"), 9);
	cr_assert_eq(licit_ini_section_line(ini, "R025"), 0);
	licit_ini_free(ini);
	unlink(path);
}

static void bad(const char *text, long line, const char *what)
{
	write_file(text);
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_ini *ini = licit_ini_load(path, &err);
	cr_assert_null(ini, "%s", text);
	cr_assert_eq(err.line, line, "%s: line %ld", text, err.line);
	cr_assert(strstr(err.text, what), "%s: %s", text, err.text);
	unlink(path);
}

Test(settings, errors)
{
	bad("[R003\n", 1, "closing");
	bad("[R003]\njust words\n", 2, "expected");
	bad("[R003]\n[R003]\n", 2, "repeated");
	bad("[R003]\nthreshold = 1\nthreshold = 2\n", 3, "repeated");
	bad("[]\n", 1, "empty section");
	bad("[R003]\n = 3\n", 2, "empty key");
	struct licit_error err;
	cr_assert_null(licit_ini_load("/nonexistent/x.ini", &err));
}
