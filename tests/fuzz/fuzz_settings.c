/* libFuzzer target: the INI settings reader and the flags settings on top
 * of it (every numeric key, custom PCRE2 rules compiled and matched over
 * a few rows), plus a differential round trip: a file that loads, written
 * back out and loaded again, gives the same sections, keys and values. */
#include "fuzz_file.h"

#include <string.h>

#include "licit/flags/flags.h"
#include "licit/io/reader.h"
#include "licit/core/settings.h"

/* Can the value be written so that it reads back the same? Not when it
 * holds what the reader takes for an inline comment. */
static int representable(const char *v)
{
	for (const char *c = v; *c; c++)
		if ((*c == ';' || *c == '#') && c > v && (c[-1] == ' ' || c[-1] == '\t'))
			return 0;
	return 1;
}

static int needs_quotes(const char *v)
{
	size_t n = strlen(v);
	if (!n)
		return 0;
	char a = v[0], z = v[n - 1];
	return a == ';' || a == '#' || a == ' ' || a == '\t' || z == ' ' || z == '\t' ||
	       z == '\r' || (n >= 2 && (a == '"' || a == '\'') && z == a);
}

/* Writes ini as text; 0 when some value cannot be represented. */
static int serialise(const struct licit_ini *ini, char *out, size_t cap, size_t *len)
{
	size_t p = 0;
	int w = snprintf(out, cap, "; round trip\n");
	p += (size_t)w;
	for (size_t s = 0; s < ini->nsec; s++) {
		const char *name = ini->s[s].name;
		if (*name) {
			w = snprintf(out + p, cap - p, "[%s]\n", name);
			if (w < 0 || (size_t)w >= cap - p || w > LICIT_INI_MAX_LINE)
				return 0;
			p += (size_t)w;
		}
		for (size_t i = 0; i < ini->n; i++) {
			const struct licit_ini_entry *e = &ini->e[i];
			if (strcmp(e->section, name) != 0)
				continue;
			if (!representable(e->value))
				return 0;
			const char *q = needs_quotes(e->value) ? "\"" : "";
			w = snprintf(out + p, cap - p, "%s = %s%s%s\n", e->key, q, e->value, q);
			if (w < 0 || (size_t)w >= cap - p || w > LICIT_INI_MAX_LINE)
				return 0;
			p += (size_t)w;
		}
	}
	*len = p;
	return 1;
}

static void round_trip(const struct licit_ini *a)
{
	static char buf[1 << 18];
	size_t len;
	if (!serialise(a, buf, sizeof buf, &len))
		return;
	struct licit_error err;
	struct licit_ini *b = licit_ini_load(fuzz_file(buf, len), &err);
	if (!b)
		__builtin_trap(); /* what was read once must read again */
	if (a->nsec != b->nsec || a->n != b->n)
		__builtin_trap();
	for (size_t i = 0; i < a->nsec; i++)
		if (strcmp(a->s[i].name, b->s[i].name) != 0)
			__builtin_trap();
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->e[i].section, b->e[i].section) != 0 ||
		    strcmp(a->e[i].key, b->e[i].key) != 0 || strcmp(a->e[i].value, b->e[i].value) != 0)
			__builtin_trap();
	licit_ini_free(b);
}

/* Tables name files: the fuzzer could name a device that never ends. */
static int names_a_table(const struct licit_ini *ini)
{
	static const char *const keys[] = {"table", "holidays", "list", "register"};
	for (size_t i = 0; i < ini->n; i++)
		for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
			if (strcmp(ini->e[i].key, keys[k]) == 0)
				return 1;
	return 0;
}

static const char rows[] =
	"ocid,contract_id,buyer_id,procedure_type,title,amount,currency,signed_date,status\n"
	"o1,c1,B1,direct,Servicios varios,100000,MXN,2015-01-01,desierta\n"
	"o2,c2,B1,open,aaaaaaaaaaaaaaaaaaaaaaaaaaaaab,250.5,MXN,2015-03-01,Activo\n"
	"o3,c3,B2,direct,MEDICINAS Y MATERIAL,,MXN,,\n";

static void run_rules(const struct licit_flags_settings *s)
{
	struct licit_error err;
	struct licit_flags *f = licit_flags_new(s, NULL, NULL, &err);
	if (!f)
		return;
	for (int pass = 1; pass <= 2; pass++) {
		FILE *in = fmemopen((void *)rows, sizeof rows - 1, "rb");
		struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
		struct licit_reader *r = in ? licit_reader_open_stream(in, "rows", &o, &err) : NULL;
		if (r) {
			licit_flags_bind(f, r);
			const struct licit_row *row;
			while (licit_reader_next(r, &row, &err) == LICIT_OK) {
				const struct licit_flag *out;
				size_t n;
				if (pass == 1)
					licit_flags_gather(f, row);
				else
					licit_flags_eval(f, row, &out, &n);
			}
			licit_reader_close(r);
		}
		if (in)
			fclose(in);
		if (pass == 1)
			licit_flags_settle(f);
	}
	licit_flags_report(f);
	licit_flags_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct licit_error err;
	const char *path = fuzz_file(data, size);
	struct licit_ini *ini = licit_ini_load(path, &err);
	if (!ini)
		return 0;
	int tables = names_a_table(ini);
	struct licit_flags_settings s;
	if (licit_flags_settings_load(&s, path, NULL, &err) == 0 && !tables)
		run_rules(&s);
	licit_flags_settings_fini(&s);
	round_trip(ini); /* last: it rewrites the file */
	licit_ini_free(ini);
	return 0;
}
