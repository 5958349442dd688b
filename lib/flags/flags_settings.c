/* The flags settings file: Cardinal's INI sections plus the Mexico rules. */
#include "licit/flags/flags.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/number.h"
#include "licit/cardinal/prepare.h"
#include "licit/values/value.h"
#include "rules.h"

static size_t nrules(void)
{
	size_t n = 0;
	while (licit_mx_rules[n])
		n++;
	return n;
}

/* The parameters in table order: for each rule its "enabled" key, then
 * its own keys (lib/flags/rules.h, the rules' entries). */
static size_t nparams(void)
{
	size_t n = 0;
	for (size_t r = 0; licit_mx_rules[r]; r++)
		for (const struct flags_param *p = licit_mx_rules[r]->params; p->key; p++)
			n++;
	return n + nrules();
}

/* Parameter i of the flat list: its rule (index in *ri) and definition;
 * "enabled" is given as a definition in *tmp. NULL past the last one. */
static const struct flags_param *param_at(size_t i, size_t *ri, struct flags_param *tmp)
{
	for (size_t r = 0; licit_mx_rules[r]; r++) {
		const struct flags_rule *rule = licit_mx_rules[r];
		*ri = r;
		if (i-- == 0) {
			*tmp = (struct flags_param){"enabled", rule->enabled, rule->help, P_BOOL, 0, 0, 0};
			return tmp;
		}
		for (const struct flags_param *p = rule->params; p->key; p++)
			if (i-- == 0)
				return p;
	}
	return NULL;
}

const char *licit_flags_param(size_t i, const char **key, const char **def,
                              const char **help)
{
	size_t r;
	struct flags_param tmp;
	const struct flags_param *p = param_at(i, &r, &tmp);
	if (!p)
		return NULL;
	if (key)
		*key = p->key;
	if (def)
		*def = p->def;
	if (help)
		*help = p->help;
	return licit_mx_rules[r]->code;
}

static int bad(struct licit_error *err, const struct licit_flags_settings *s, long line,
               const char *key, const char *what)
{
	return licit_error_set(err, s->path, line, key, "%s", what);
}

/* The one reading of a numeric setting: an integer (kind 'i') or a
 * number in [lo, hi]; an error names the file, line, key and section. */
static int number(const struct licit_flags_settings *s, const char *sec, const char *key,
                  const char *v, long line, char kind, double lo, double hi, double *out,
                  struct licit_error *err)
{
	char why[160];
	int rc;
	if (kind == 'i') {
		long long x;
		rc = licit_num_int(v, (long long)lo, (long long)hi, &x, why, sizeof why);
		if (!rc)
			*out = (double)x;
	} else {
		rc = licit_num_real(v, lo, hi, out, why, sizeof why);
	}
	if (rc)
		return licit_error_set(err, s->path ? s->path : "", line, key, "[%s] %s", sec, why);
	return 0;
}

/* A pipe-separated list of procedure types (procedure_type, or OCDS
 * procurementMethod): a typo would make a rule silently cover nothing. */
static int types(const struct licit_flags_settings *s, const char *sec, const char *key,
                 const char *v, long line, struct licit_error *err)
{
	static const char *const known[] = {"open", "selective", "limited", "direct"};
	struct licit_strset t = {0};
	if (licit_strset_parse(&t, v) < 0)
		return licit_error_set(err, s->path ? s->path : "", line, key, "out of memory");
	int rc = 0;
	if (!t.n)
		rc = licit_error_set(err, s->path ? s->path : "", line, key,
		                     "[%s] an empty list (enabled = false turns the rule off)", sec);
	for (size_t i = 0; !rc && i < t.n; i++) {
		size_t k = 0;
		while (k < 4 && strcmp(t.v[i], known[k]) != 0)
			k++;
		if (k == 4)
			rc = licit_error_set(err, s->path ? s->path : "", line, key,
			                     "[%s] '%.40s' is not open, selective, limited or direct",
			                     sec, t.v[i]);
	}
	licit_strset_fini(&t);
	return rc;
}

static int entry_long(const struct licit_flags_settings *s, const struct licit_ini_entry *e,
                      double lo, double hi, long *out, struct licit_error *err)
{
	double d = 0;
	if (number(s, e->section, e->key, e->value, e->line, 'i', lo, hi, &d, err))
		return LICIT_ERR;
	*out = (long)d;
	return 0;
}

/* One entry of a Cardinal section. */
static int card_entry(struct licit_flags_settings *s, const struct licit_ini_entry *e,
                      struct licit_error *err)
{
	struct licit_cardinal_settings *c = &s->card;
	const char *sec = e->section, *k = e->key, *v = e->value;
	long l;
	double d = 0;
	if (strcmp(sec, "R003.procurement_method_details") == 0) {
		if (entry_long(s, e, 0, 36600, &l, err))
			return LICIT_ERR;
		char **nd = realloc(c->r003_details, (c->r003_ndetails + 1) * sizeof *nd);
		long *nl = nd ? realloc(c->r003_details_days, (c->r003_ndetails + 1) * sizeof *nl) : NULL;
		if (nd)
			c->r003_details = nd;
		if (!nd || !nl)
			return bad(err, s, e->line, k, "out of memory");
		c->r003_details_days = nl;
		c->r003_details[c->r003_ndetails] = strdup(k);
		c->r003_details_days[c->r003_ndetails++] = l;
		return 0;
	}
	if (strcmp(sec, "exclusions") == 0) {
		if (strcmp(k, "procurement_method_details") != 0)
			return bad(err, s, e->line, k, "unknown key in [exclusions]");
		return licit_strset_parse(&c->exclude_method_details, v);
	}
	if (!*sec) {
		if (strcmp(k, "currency") == 0)
			c->currency = v;
		else if (strcmp(k, "price_comparison_procurement_methods") == 0)
			return licit_strset_parse(&c->price_methods, v);
		else if (strcmp(k, "no_price_comparison_procurement_methods") == 0)
			return licit_strset_parse(&c->no_price_methods, v);
		else
			return bad(err, s, e->line, k, "unknown key (before any section)");
		return 0;
	}
	/* the indicator's keys, typed and ranged, from its table entry */
	int ind = licit_cardinal_lookup(sec);
	const struct licit_cardinal_param *p = ind >= 0 ? licit_cardinal_param(ind, k) : NULL;
	if (!p) {
		char msg[96];
		snprintf(msg, sizeof msg, "unknown key in [%s]", sec);
		return bad(err, s, e->line, k, msg);
	}
	if (p->type == LICIT_CP_METHODS) {
		if (types(s, sec, k, v, e->line, err))
			return LICIT_ERR;
	} else if (number(s, sec, k, v, e->line, p->type == LICIT_CP_INT ? 'i' : 'r', p->lo, p->hi,
	                  &d, err)) {
		return LICIT_ERR;
	}
	if (licit_cardinal_param_set(c, p, d, v) < 0)
		return bad(err, s, e->line, k, "out of memory");
	return 0;
}

static int is_card_section(const char *sec)
{
	if (!*sec || strcmp(sec, "exclusions") == 0 ||
	    strcmp(sec, "R003.procurement_method_details") == 0)
		return 1;
	return licit_cardinal_lookup(sec) >= 0;
}

static int is_rule(const char *sec)
{
	for (size_t r = 0; licit_mx_rules[r]; r++)
		if (strcmp(licit_mx_rules[r]->code, sec) == 0)
			return 1;
	return 0;
}

/* One parameter, default or set, read into its typed field. */
static int typed(struct licit_flags_settings *s, size_t r, const struct flags_param *p,
                 const char *v, long line, struct licit_error *err)
{
	const char *rule = licit_mx_rules[r]->code, *path = s->path ? s->path : "";
	void *at = (char *)s->mx + p->off;
	double d = 0;
	switch (p->kind) {
	case P_BOOL: {
		int *b = strcmp(p->key, "enabled") == 0 ? &s->on[r] : at;
		if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0 || strcmp(v, "yes") == 0)
			*b = 1;
		else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0 || strcmp(v, "no") == 0)
			*b = 0;
		else
			return licit_error_set(err, path, line, p->key, "[%s] '%s' is not true or false",
			                       rule, v);
		return 0;
	}
	case P_INT:
		if (number(s, rule, p->key, v, line, 'i', p->lo, p->hi, &d, err))
			return LICIT_ERR;
		*(long *)at = (long)d;
		return 0;
	case P_REAL:
		return number(s, rule, p->key, v, line, 'r', p->lo, p->hi, at, err);
	case P_TYPES:
		if (types(s, rule, p->key, v, line, err))
			return LICIT_ERR;
		/* fall through */
	case P_LIST:
		if (licit_strset_parse(at, v) < 0)
			return licit_error_set(err, path, line, p->key, "out of memory");
		return 0;
	case P_TEXT:
		((struct mx_text *)at)->v = v;
		((struct mx_text *)at)->line = line;
		return 0;
	case P_DATE: {
		long day;
		if (strlen(v) != 10 || licit_date_days(v, &day))
			return licit_error_set(err, path, line, p->key, "'%s' is not a date", v);
		*(long *)at = day;
		return 0;
	}
	}
	return 0;
}

/* Every parameter, default or set, read once into its typed field. */
static int numbers(struct licit_flags_settings *s, struct licit_error *err)
{
	size_t r;
	struct flags_param tmp;
	const struct flags_param *p;
	for (size_t i = 0; (p = param_at(i, &r, &tmp)); i++)
		if (typed(s, r, p, s->val[i], s->line[i], err))
			return LICIT_ERR;
	return 0;
}

int licit_flags_settings_load(struct licit_flags_settings *s, const char *path,
                              const char *data_dir, struct licit_error *err)
{
	memset(s, 0, sizeof *s);
	licit_cardinal_settings_init(&s->card);
	s->path = path;
	s->data_dir = data_dir;
	size_t np = nparams();
	s->val = calloc(np, sizeof *s->val);
	s->line = calloc(np, sizeof *s->line);
	s->mx = calloc(1, sizeof *s->mx);
	s->on = calloc(nrules(), sizeof *s->on);
	if (!s->val || !s->line || !s->mx || !s->on)
		return licit_error_set(err, path ? path : "", 0, NULL, "out of memory");
	size_t r;
	struct flags_param tmp;
	const struct flags_param *p;
	for (size_t i = 0; (p = param_at(i, &r, &tmp)); i++)
		s->val[i] = p->def;
	if (!path) {
		/* no file: every indicator licit computes, with its defaults */
		for (int i = 0; i < LICIT_NIND; i++)
			s->card.enabled[i] = licit_cardinal_implemented(i);
		return numbers(s, err);
	}
	if (!(s->ini = licit_ini_load(path, err)))
		return LICIT_ERR;
	const struct licit_ini *ini = s->ini;
	for (size_t i = 0; i < ini->nsec; i++) {
		const char *sec = ini->s[i].name;
		int ind = licit_cardinal_lookup(sec);
		if (ind >= 0) {
			s->card.enabled[ind] = 1;
			s->card_sections = 1;
		} else if (strncmp(sec, "custom.", 7) == 0 && sec[7]) {
			struct licit_flags_custom *c =
				realloc(s->custom, (s->ncustom + 1) * sizeof *c);
			if (!c)
				return licit_error_set(err, path, 0, NULL, "out of memory");
			s->custom = c;
			c += s->ncustom++;
			memset(c, 0, sizeof *c);
			c->match_limit = LICIT_MATCH_LIMIT;
			c->depth_limit = LICIT_DEPTH_LIMIT;
			size_t n = strlen(sec + 7);
			c->code = malloc(n + 8);
			if (!c->code)
				return licit_error_set(err, path, 0, NULL, "out of memory");
			memcpy(c->code, "CUSTOM-", 7);
			for (size_t j = 0; j <= n; j++)
				c->code[7 + j] = (char)((sec[7 + j] >= 'a' && sec[7 + j] <= 'z')
				                        ? sec[7 + j] - 32 : sec[7 + j]);
			c->line = ini->s[i].line;
		} else if (strcmp(sec, "R044") != 0 && !is_card_section(sec) && !is_rule(sec) &&
		           !licit_prepare_section(sec)) {
			return licit_error_set(err, path, ini->s[i].line, sec, "unknown section [%s]",
			                       sec);
		}
	}
	for (size_t i = 0; i < ini->n; i++) {
		const struct licit_ini_entry *e = &ini->e[i];
		/* Cardinal's prepare sections (and [output]): checked key by key */
		if (licit_prepare_section(e->section)) {
			if (licit_prepare_check(e, path, err) != LICIT_OK)
				return LICIT_ERR;
			continue;
		}
		if (is_card_section(e->section) || strcmp(e->section, "R044") == 0) {
			if (card_entry(s, e, err))
				return LICIT_ERR;
			continue;
		}
		if (strncmp(e->section, "custom.", 7) == 0) {
			struct licit_flags_custom *c = NULL;
			for (size_t j = 0; j < s->ncustom; j++)
				if (s->custom[j].line == licit_ini_section_line(ini, e->section))
					c = &s->custom[j];
			if (strcmp(e->key, "field") == 0)
				c->field = (char *)e->value;
			else if (strcmp(e->key, "pattern") == 0)
				c->pattern = (char *)e->value;
			else if (strcmp(e->key, "code") == 0) {
				free(c->code);
				c->code = strdup(e->value);
			} else if (strcmp(e->key, "match_limit") == 0) {
				if (entry_long(s, e, 1, 1e9, &c->match_limit, err))
					return LICIT_ERR;
			} else if (strcmp(e->key, "depth_limit") == 0) {
				if (entry_long(s, e, 1, 1e9, &c->depth_limit, err))
					return LICIT_ERR;
			} else {
				char msg[128];
				snprintf(msg, sizeof msg, "unknown key in [%s] (field, pattern, code, "
				         "match_limit, depth_limit)", e->section);
				return bad(err, s, e->line, e->key, msg);
			}
			continue;
		}
		size_t j;
		for (j = 0; (p = param_at(j, &r, &tmp)); j++)
			if (strcmp(licit_mx_rules[r]->code, e->section) == 0 && strcmp(p->key, e->key) == 0)
				break;
		if (!p) {
			char msg[96];
			snprintf(msg, sizeof msg, "unknown key in [%s]", e->section);
			return bad(err, s, e->line, e->key, msg);
		}
		s->val[j] = e->value;
		s->line[j] = e->line;
	}
	for (size_t j = 0; j < s->ncustom; j++)
		if (!s->custom[j].field || !s->custom[j].pattern)
			return licit_error_set(err, path, s->custom[j].line, s->custom[j].code,
			                       "a custom rule needs field and pattern");
	if (licit_prepare_settings_load(&s->prep, ini, err) != LICIT_OK)
		return LICIT_ERR;
	for (size_t i = 0; i < ini->nsec; i++)
		if (licit_prepare_section(ini->s[i].name) && strcmp(ini->s[i].name, "output") != 0)
			s->card.prepare = &s->prep;
	return numbers(s, err);
}

void licit_flags_settings_fini(struct licit_flags_settings *s)
{
	licit_cardinal_settings_fini(&s->card);
	for (size_t i = 0; i < s->ncustom; i++)
		free(s->custom[i].code);
	free(s->custom);
	size_t r;
	struct flags_param tmp;
	const struct flags_param *p;
	for (size_t i = 0; s->mx && (p = param_at(i, &r, &tmp)); i++)
		if (p->kind == P_TYPES || p->kind == P_LIST)
			licit_strset_fini((struct licit_strset *)((char *)s->mx + p->off));
	free(s->mx);
	free(s->on);
	free(s->val);
	free(s->line);
	licit_prepare_settings_fini(&s->prep);
	licit_ini_free(s->ini);
	memset(s, 0, sizeof *s);
}

static const char init_text[] =
	"; licit flags settings (INI). Generated by `licit flags --init`.\n"
	"; Comments start with ; or #. Lists are pipe-separated (open|selective).\n"
	"; An unknown section or key is an error. See licit-flags(1).\n"
	";\n"
	"; ---- OCDS indicators (--format cardinal), as in Cardinal's settings ----\n"
	"; A [Rxxx] section enables that indicator; its keys are optional.\n"
	"; Without a settings file every indicator licit computes runs.\n"
	"\n"
	"; currency = USD\n"
	"; no_price_comparison_procurement_methods = Random Selection\n"
	"; price_comparison_procurement_methods = Reverse Auction\n"
	"\n"
	"[output]\n"
	"; info_currency_mismatches = true\n"
	"\n"
	"; Cardinal's prepare (licit prepare; with --format cardinal, a file with\n"
	"; these sections has each release corrected first). See licit-prepare(1).\n"
	"\n"
	"[defaults]\n"
	"; currency = USD\n"
	"; item_classification_scheme = UNSPSC\n"
	"; bid_status = valid\n"
	"; award_status = active\n"
	"; party_roles = true\n"
	"\n"
	"[redactions]\n"
	"; amount = 0\n"
	"; organization_id = placeholder\n"
	"\n"
	"[corrections]\n"
	"; award_status_by_contract_status = true\n"
	"\n"
	"[modifications]\n"
	"; move_auctions = true\n"
	"; prefix_buyer_or_procuring_entity_id = DO-UC-\n"
	"; prefix_tenderer_or_supplier_id = DO-RPE-\n"
	"; split_procurement_method_details = -\n"
	"\n"
	"[codelists.bid_status]\n"
	"; qualified = valid\n"
	"\n"
	"[codelists.award_status]\n"
	"; Active = active\n"
	"\n"
	"; Cardinal's indicators (--format cardinal)\n"
	"\n"
	"[exclusions]\n"
	"; procurement_method_details = Random Selection\n"
	"\n"
	"[R003]\n"
	"; threshold = 15\n"
	"; procurement_methods = open|selective|limited\n"
	"\n"
	"[R003.procurement_method_details]\n"
	"; Licitación Pública Nacional = 15\n"
	"; Licitación Pública Internacional = 20\n"
	"\n"
	"[R018]\n"
	"; procurement_methods = open|selective\n"
	"\n"
	"[R024]\n"
	"; threshold = 0.05\n"
	"\n"
	"[R025]\n"
	"; percentile = 75\n"
	"; threshold = 0.05\n"
	"\n"
	"[R028]\n"
	"\n"
	"[R030]\n"
	"\n"
	"[R035]\n"
	"; threshold = 1\n"
	"\n"
	"[R036]\n"
	"\n"
	"[R038]\n"
	"; threshold = 0.5\n"
	"; minimum_submitted_bids = 2\n"
	"; minimum_contracting_processes = 2\n"
	"\n"
	"[R048]\n"
	"; digits = 2\n"
	"; threshold = 10\n"
	"; minimum_contracting_processes = 20\n"
	"\n"
	"[R058]\n"
	"; threshold = 0.5\n"
	"\n"
	"; [R044] (business similarities between tenderers: Cardinal's r044 branch;\n"
	"; Cardinal 0.0.8 refuses the section, so it is left commented here)\n";

void licit_flags_init_write(FILE *f)
{
	fputs(init_text, f);
	fputs("\n; ---- Mexico rules (default output, --long, --summary) ----\n"
	      "; Every rule runs unless `enabled = false`; one whose default below is\n"
	      "; false runs only with `enabled = true`. Amounts are MXN (amount_mxn,\n"
	      "; else amount when the currency is MXN or empty).\n", f);
	size_t r;
	struct flags_param tmp;
	const struct flags_param *p;
	for (size_t i = 0; (p = param_at(i, &r, &tmp)); i++) {
		if (p == &tmp)
			fprintf(f, "\n[%s]\n", licit_mx_rules[r]->code);
		fprintf(f, "; %s = %s\n;   %s", p->key, p->def, p->help);
		if (p->kind == P_INT || p->kind == P_REAL)
			fprintf(f, " (%s %.15g to %.15g)", p->kind == P_INT ? "integer" : "number",
			        p->lo, p->hi);
		fputc('\n', f);
	}
	fputs("\n; Custom rules: a PCRE2 pattern (UTF-8) on any input column; raised when\n"
	      "; it matches, not computable when the value is empty.\n"
	      "; [custom.vague-title]\n"
	      "; field = title\n"
	      "; pattern = (?i)^\\s*(servicios?|adquisici[oó]n|compra|varios)\\s*$\n"
	      "; code = CUSTOM-VAGUE-TITLE\n"
	      "; match_limit = 100000\n"
	      ";   PCRE2 match limit per value (integer 1 to 1000000000): a value that\n"
	      ";   needs more is not computable for the rule (warned with the count)\n"
	      "; depth_limit = 10000\n"
	      ";   PCRE2 backtracking depth limit per value (integer 1 to 1000000000)\n", f);
}
