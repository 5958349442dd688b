/* INI settings files as Cardinal (ocdscardinal) reads them: [section]
 * headers, `key = value` lines, `;` and `#` comments (whole lines, or
 * after white space at the end of a value: `threshold = 15 # default`). The
 * reader only parses; callers check which sections and keys they know. */
#ifndef LICIT_SETTINGS_H
#define LICIT_SETTINGS_H

#include <stddef.h>

#include "licit/core/error.h"

struct licit_ini_entry {
	const char *section; /* "" for keys before any section */
	const char *key;
	const char *value;   /* trimmed; surrounding quotes removed */
	long line;
};

struct licit_ini_section {
	const char *name;
	long line;
};

struct licit_ini {
	char *path;
	struct licit_ini_entry *e;
	size_t n, cap;
	struct licit_ini_section *s; /* every section header, in file order */
	size_t nsec, sec_cap;
};

/* The longest line accepted, in bytes with its newline. */
#define LICIT_INI_MAX_LINE 4096

/* Reads path. Returns NULL with err filled (file:line) when the file
 * cannot be read, a line is neither a header, a comment nor key = value,
 * is longer than LICIT_INI_MAX_LINE or holds a NUL byte, a section or a
 * key within a section is repeated. */
struct licit_ini *licit_ini_load(const char *path, struct licit_error *err);
void licit_ini_free(struct licit_ini *ini); /* accepts NULL */

/* The value of section.key (last one wins), or NULL. */
const char *licit_ini_get(const struct licit_ini *ini, const char *section,
                          const char *key);
/* The line of the section header, or 0 when the file has no such section. */
long licit_ini_section_line(const struct licit_ini *ini, const char *section);

#endif
