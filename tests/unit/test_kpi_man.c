/* The KPI lists that people read against the KPI table: licit-kpi(1)'s
 * KPIS section (each name, its % mark and its formula text, in table
 * order) and the list in `licit kpi --help`. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/kpi/kpi.h"

static char *slurp(const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/../%s", LICIT_TESTDATA, rel);
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = getc(f)) != EOF)
		putc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* The man page's entry for KPI i, as the table gives it. */
static char *entry_of(int i)
{
	char *s = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&s, &n);
	if (licit_kpi_flags(i) & LICIT_KPI_SHARE)
		fprintf(m, ".TP\n.BR %s \" (%%)\"\n%s\n", licit_kpi_name(i), licit_kpi_formula(i));
	else
		fprintf(m, ".TP\n.B %s\n%s\n", licit_kpi_name(i), licit_kpi_formula(i));
	fclose(m);
	return s;
}

Test(kpi_man, kpis_section_is_the_table)
{
	char *man = slurp("man/licit-kpi.1");
	char *sec = strstr(man, "\n.SH KPIS\n");
	cr_assert_not_null(sec, "licit-kpi.1 has no KPIS section");
	char *end = strstr(sec + 1, "\n.SH ");
	cr_assert_not_null(end);
	end[1] = '\0';
	/* the entries, one after another, from the first .TP */
	char *p = strstr(sec, "\n.TP\n");
	cr_assert_not_null(p);
	p++;
	for (int i = 0; i < (int)licit_kpi_count(); i++) {
		char *want = entry_of(i);
		size_t n = strlen(want);
		cr_expect(strncmp(p, want, n) == 0,
		          "licit-kpi.1 KPIS: entry %d should be\n%s\nbut the page has\n%.*s", i, want,
		          (int)n, p);
		free(want);
		if (strncmp(p, ".TP\n", 4) != 0)
			break;
		char *next = strstr(p + 4, "\n.TP\n");
		p = next ? next + 1 : p + strlen(p);
	}
	/* after the last entry: prose paragraphs only, no other KPI */
	cr_expect_null(strstr(p, "\n.TP\n"), "licit-kpi.1 KPIS: an entry not in the table:\n%s",
	               p);
	free(man);
}

Test(kpi_man, help_lists_the_table)
{
	char *src = slurp("cmd/kpi.c");
	char *p = strstr(src, "\"KPIs: ");
	cr_assert_not_null(p, "cmd/kpi.c's usage has no KPIs: list");
	p += 7;
	/* the words of the string literals up to the empty line ("\n") */
	char words[4096] = "";
	size_t w = 0;
	while (*p) {
		if (*p == '"') { /* the end of a literal: on to the next one */
			p = strchr(p + 1, '"');
			if (!p || strncmp(p, "\"\\n\"", 4) == 0)
				break;
			p++;
			continue;
		}
		if (strncmp(p, "\\n", 2) == 0) {
			words[w++] = ' ';
			p += 2;
			continue;
		}
		if (w + 1 < sizeof words)
			words[w++] = *p;
		p++;
	}
	words[w] = '\0';
	char want[4096] = "";
	for (size_t i = 0; i < licit_kpi_count(); i++) {
		strcat(want, licit_kpi_name((int)i));
		strcat(want, " ");
	}
	/* compare word by word */
	char *sa, *sb;
	char *a = strtok_r(words, " \t", &sa), *b = strtok_r(want, " ", &sb);
	for (; a && b; a = strtok_r(NULL, " \t", &sa), b = strtok_r(NULL, " ", &sb))
		cr_expect_str_eq(a, b, "licit kpi --help lists %s where the table has %s", a, b);
	cr_expect(!a && !b, "licit kpi --help and the table differ in length");
	free(src);
}
