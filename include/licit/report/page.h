/* The report page: one self-contained HTML file (no network, no script)
 * with inline CSS (screen, phone and print) and inline SVG charts, each
 * with its data table and a text alternative, in English or Spanish. */
#ifndef LICIT_REPORT_PAGE_H
#define LICIT_REPORT_PAGE_H

#include <stddef.h>
#include <stdio.h>

#include "licit/report/report.h"

enum licit_report_lang { LICIT_LANG_EN, LICIT_LANG_ES };

/* --lang's default from the locale variables (LC_ALL, else LC_MESSAGES,
 * else LANG; NULL or empty ones skipped): Spanish when the first set one
 * starts with "es", else English. */
enum licit_report_lang licit_report_lang_default(const char *lc_all, const char *lc_messages,
                                                 const char *lang);
/* "en" or "es" -> lang; -1 for anything else. */
int licit_report_lang_parse(const char *s);

/* v with `decimals` decimals in the language's convention: English
 * 1,234.5; Spanish 1 234,5 (a no-break space between groups of three
 * digits when the integer part has five digits or more, as the RAE and
 * SI write numbers; a decimal comma). "" for NAN. Returns the length. */
size_t licit_report_number(enum licit_report_lang lang, double v, int decimals, char *out,
                           size_t cap);

/* Which table a reproducing command line gives. */
enum licit_report_what { LICIT_WHAT_KPI, LICIT_WHAT_FLAGS, LICIT_WHAT_PROTESTS,
                         LICIT_WHAT_REPORT };
struct licit_report_cmd {
	enum licit_report_what what;
	const char *line; /* the shell command line */
};

struct licit_report_page {
	enum licit_report_lang lang;
	const char *version;         /* licit's */
	const char *const *inputs;   /* the record files, as given */
	size_t ninputs;
	const struct licit_report_cmd *cmds; /* "how to reproduce" */
	size_t ncmds;
	const char *manifest;        /* the run's manifest (JSON), or NULL */
	size_t manifest_len;
};

/* Writes the page. 0, or -1 when a write fails (ferror(f) then). */
int licit_report_write_html(const struct licit_report *r, const struct licit_report_page *p,
                            FILE *f);

#endif
