/* INI settings reader (the subset of INI that Cardinal's settings use). */
#include "licit/core/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/manifest.h"

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
	             s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

static char *dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

void licit_ini_free(struct licit_ini *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->n; i++) {
		free((char *)ini->e[i].key);
		free((char *)ini->e[i].value);
	}
	for (size_t i = 0; i < ini->nsec; i++)
		free((char *)ini->s[i].name);
	free(ini->e);
	free(ini->s);
	free(ini->path);
	free(ini);
}

long licit_ini_section_line(const struct licit_ini *ini, const char *section)
{
	for (size_t i = 0; ini && i < ini->nsec; i++)
		if (strcmp(ini->s[i].name, section) == 0)
			return ini->s[i].line;
	return 0;
}

const char *licit_ini_get(const struct licit_ini *ini, const char *section,
                          const char *key)
{
	for (size_t i = ini ? ini->n : 0; i-- > 0;)
		if (strcmp(ini->e[i].section, section) == 0 && strcmp(ini->e[i].key, key) == 0)
			return ini->e[i].value;
	return NULL;
}

static int add_section(struct licit_ini *ini, const char *name, long line)
{
	if (LICIT_GROW(ini->s, ini->sec_cap, ini->nsec + 1) != LICIT_OK)
		return -1;
	struct licit_ini_section *s = ini->s;
	s[ini->nsec].name = dup(name);
	s[ini->nsec].line = line;
	if (!s[ini->nsec].name)
		return -1;
	ini->nsec++;
	return 0;
}

struct licit_ini *licit_ini_load(const char *path, struct licit_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		licit_error_set(err, path, 0, NULL, "cannot open settings file: %s", strerror(errno));
		return NULL;
	}
	licit_manifest_loaded(path);
	struct licit_ini *ini = calloc(1, sizeof *ini);
	if (!ini || !(ini->path = dup(path)) || add_section(ini, "", 0) < 0) {
		fclose(f);
		licit_ini_free(ini);
		licit_error_set(err, path, 0, NULL, "out of memory");
		return NULL;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t got;
	long line = 0;
	const char *cur = "";
	while ((got = getline(&buf, &cap, f)) >= 0) {
		line++;
		if (got > LICIT_INI_MAX_LINE) {
			licit_error_set(err, path, line, NULL, "line longer than %d bytes",
			                LICIT_INI_MAX_LINE);
			goto fail;
		}
		if (memchr(buf, '\0', (size_t)got)) {
			/* fgets and C strings would cut the line there, silently */
			licit_error_set(err, path, line, NULL, "NUL byte in the line");
			goto fail;
		}
		char *s = trim(buf);
		if (line == 1 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
		    (unsigned char)s[2] == 0xBF)
			s = trim(s + 3);
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			char *end = strchr(s, ']');
			if (!end || *trim(end + 1)) {
				licit_error_set(err, path, line, NULL,
				                "section header without a closing ']'");
				goto fail;
			}
			*end = '\0';
			char *name = trim(s + 1);
			if (!*name) {
				licit_error_set(err, path, line, NULL, "empty section name");
				goto fail;
			}
			if (licit_ini_section_line(ini, name)) {
				licit_error_set(err, path, line, name,
				                "section repeated (first at line %ld)",
				                licit_ini_section_line(ini, name));
				goto fail;
			}
			if (add_section(ini, name, line) < 0)
				goto oom;
			cur = ini->s[ini->nsec - 1].name;
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			licit_error_set(err, path, line, NULL,
			                "expected [section], key = value or a comment");
			goto fail;
		}
		*eq = '\0';
		char *key = trim(s), *val = eq + 1;
		/* an inline comment: ; or # after white space ("15 # default") */
		for (char *c = val; *c; c++)
			if ((*c == ';' || *c == '#') && (c == val || c[-1] == ' ' || c[-1] == '\t')) {
				*c = '\0';
				break;
			}
		val = trim(val);
		if (!*key) {
			licit_error_set(err, path, line, NULL, "empty key");
			goto fail;
		}
		size_t vn = strlen(val);
		if (vn >= 2 && (val[0] == '"' || val[0] == '\'') && val[vn - 1] == val[0]) {
			val[vn - 1] = '\0';
			val++;
		}
		for (size_t i = 0; i < ini->n; i++)
			if (ini->e[i].section == cur && strcmp(ini->e[i].key, key) == 0) {
				licit_error_set(err, path, line, key,
				                "key repeated in [%s] (first at line %ld)", cur,
				                ini->e[i].line);
				goto fail;
			}
		if (LICIT_GROW(ini->e, ini->cap, ini->n + 1) != LICIT_OK)
			goto oom;
		struct licit_ini_entry *e = ini->e;
		e[ini->n].section = cur;
		e[ini->n].key = dup(key);
		e[ini->n].value = dup(val);
		e[ini->n].line = line;
		ini->n++;
		if (!e[ini->n - 1].key || !e[ini->n - 1].value)
			goto oom;
	}
	if (ferror(f)) {
		licit_error_set(err, path, line, NULL, "read error");
		goto fail;
	}
	free(buf);
	fclose(f);
	return ini;
oom:
	licit_error_set(err, path, line, NULL, "out of memory");
fail:
	free(buf);
	fclose(f);
	licit_ini_free(ini);
	return NULL;
}
