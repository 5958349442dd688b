/* The prepare sections of a Cardinal settings file (see licit/cardinal/prepare.h):
 * [defaults], [redactions], [corrections], [modifications],
 * [codelists.bid_status], [codelists.award_status], and [output] (an
 * indicators' setting, checked here with the others that are no
 * indicator's). */
#include "licit/cardinal/prepare.h"

#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "licit/core/number.h"
#include "licit/core/settings.h"

enum kind { STR, BOOL, NUMS, LIST };

static const struct key {
	const char *section, *key;
	enum kind kind;
} keys[] = {
	{"defaults", "currency", STR},
	{"defaults", "item_classification_scheme", STR},
	{"defaults", "bid_status", STR},
	{"defaults", "award_status", STR},
	{"defaults", "party_roles", BOOL},
	{"redactions", "amount", NUMS},
	{"redactions", "organization_id", LIST},
	{"corrections", "award_status_by_contract_status", BOOL},
	{"modifications", "move_auctions", BOOL},
	{"modifications", "prefix_buyer_or_procuring_entity_id", STR},
	{"modifications", "prefix_tenderer_or_supplier_id", STR},
	{"modifications", "split_procurement_method_details", STR},
	{"output", "info_currency_mismatches", BOOL},
};

int licit_prepare_section(const char *s)
{
	return strcmp(s, "defaults") == 0 || strcmp(s, "redactions") == 0 ||
	       strcmp(s, "corrections") == 0 || strcmp(s, "modifications") == 0 ||
	       strcmp(s, "output") == 0 || strncmp(s, "codelists.", 10) == 0;
}

/* config-rs's booleans: true/false, yes/no, on/off, 1/0, any case. */
static int boolean(const char *v)
{
	static const char *const t[] = {"true", "yes", "on", "1"}, *const f[] = {"false", "no", "off", "0"};
	for (int i = 0; i < 4; i++) {
		if (strcasecmp(v, t[i]) == 0)
			return 1;
		if (strcasecmp(v, f[i]) == 0)
			return 0;
	}
	return -1;
}

/* Cardinal's pipe-separated lists (Rust's split_terminator('|'): a
 * trailing '|' ends the list, an empty item between two is kept). */
static size_t split(const char *v, char **out, char *buf)
{
	size_t n = 0, len = strlen(v);
	if (len == 0)
		return 0;
	memcpy(buf, v, len + 1);
	if (buf[len - 1] == '|')
		buf[--len] = '\0';
	char *p = buf;
	for (;;) {
		if (out)
			out[n] = p;
		n++;
		char *bar = strchr(p, '|');
		if (!bar)
			break;
		*bar = '\0';
		p = bar + 1;
	}
	return n;
}

/* A finite number (licit_num_real: no nan, inf or hexadecimal, which
 * strtod takes and no amount ever equals). */
static int number(const char *s, double *x)
{
	char why[160];
	return licit_num_real(s, -DBL_MAX, DBL_MAX, x, why, sizeof why);
}

int licit_prepare_check(const struct licit_ini_entry *e, const char *path,
                        struct licit_error *err)
{
	if (strncmp(e->section, "codelists.", 10) == 0) {
		const char *c = e->section + 10;
		if (strcmp(c, "bid_status") != 0 && strcmp(c, "award_status") != 0)
			return licit_error_set(err, path, e->line, e->key,
			                       "unknown section [%s] (codelists: bid_status, "
			                       "award_status)", e->section);
		return LICIT_OK;
	}
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		if (strcmp(keys[i].section, e->section) != 0 || strcmp(keys[i].key, e->key) != 0)
			continue;
		if (keys[i].kind == BOOL && boolean(e->value) < 0)
			return licit_error_set(err, path, e->line, e->key,
			                       "[%s] '%s' is not true or false", e->section, e->value);
		if (keys[i].kind == NUMS) {
			char *buf = malloc(strlen(e->value) + 1);
			char **items = malloc((strlen(e->value) + 1) * sizeof *items);
			int rc = LICIT_OK;
			if (!buf || !items)
				rc = licit_error_set(err, path, e->line, e->key, "out of memory");
			size_t n = rc == LICIT_OK ? split(e->value, items, buf) : 0;
			for (size_t k = 0; k < n && rc == LICIT_OK; k++) {
				double x;
				if (number(items[k], &x) < 0)
					rc = licit_error_set(err, path, e->line, e->key,
					                     "[%s] '%s' is not a number", e->section,
					                     items[k]);
			}
			free(buf);
			free(items);
			return rc;
		}
		return LICIT_OK;
	}
	return licit_error_set(err, path, e->line, e->key, "unknown key in [%s]", e->section);
}

static int add_code(const struct licit_ini_entry ***v, size_t *n, const struct licit_ini_entry *e)
{
	const struct licit_ini_entry **nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return -1;
	nv[(*n)++] = e;
	*v = nv;
	return 0;
}

int licit_prepare_settings_load(struct licit_prepare_settings *s, const struct licit_ini *ini,
                                struct licit_error *err)
{
	memset(s, 0, sizeof *s);
	s->prefix_buyer = s->prefix_tenderer = "";
	for (size_t i = 0; ini && i < ini->n; i++) {
		const struct licit_ini_entry *e = &ini->e[i];
		if (!licit_prepare_section(e->section))
			continue;
		if (licit_prepare_check(e, ini->path, err) != LICIT_OK)
			return LICIT_ERR;
		const char *sec = e->section, *k = e->key, *v = e->value;
		int oom = 0;
		if (strcmp(sec, "codelists.bid_status") == 0)
			oom = add_code(&s->bid_codes, &s->nbid_codes, e);
		else if (strcmp(sec, "codelists.award_status") == 0)
			oom = add_code(&s->award_codes, &s->naward_codes, e);
		else if (strcmp(k, "currency") == 0)
			s->currency = v;
		else if (strcmp(k, "item_classification_scheme") == 0)
			s->item_classification_scheme = v;
		else if (strcmp(k, "bid_status") == 0)
			s->bid_status = v;
		else if (strcmp(k, "award_status") == 0)
			s->award_status = v;
		else if (strcmp(k, "party_roles") == 0)
			s->party_roles = boolean(v);
		else if (strcmp(k, "award_status_by_contract_status") == 0)
			s->award_status_by_contract_status = boolean(v);
		else if (strcmp(k, "move_auctions") == 0)
			s->move_auctions = boolean(v);
		else if (strcmp(k, "prefix_buyer_or_procuring_entity_id") == 0)
			s->prefix_buyer = v;
		else if (strcmp(k, "prefix_tenderer_or_supplier_id") == 0)
			s->prefix_tenderer = v;
		else if (strcmp(k, "split_procurement_method_details") == 0)
			s->split_method_details = v;
		else if (strcmp(k, "amount") == 0 || strcmp(k, "organization_id") == 0) {
			size_t len = strlen(v);
			char *buf = malloc(len + 1);
			char **items = malloc((len + 1) * sizeof *items);
			if (!buf || !items) {
				free(buf);
				free(items);
				oom = 1;
			} else if (strcmp(k, "amount") == 0) {
				size_t n = split(v, items, buf);
				free(s->redact_amount);
				s->redact_amount = malloc((n + 1) * sizeof *s->redact_amount);
				for (size_t j = 0; s->redact_amount && j < n; j++)
					number(items[j], &s->redact_amount[j]);
				s->nredact_amount = s->redact_amount ? n : 0;
				oom = !s->redact_amount;
				free(buf);
				free(items);
			} else {
				if (s->redact_org_id) {
					free(s->redact_org_id[0]);
					free(s->redact_org_id);
				}
				s->nredact_org_id = split(v, items, buf);
				s->redact_org_id = items;
				if (s->nredact_org_id == 0) {
					free(buf);
					free(items);
					s->redact_org_id = NULL;
				}
			}
		}
		/* [output] info_currency_mismatches is the indicators' */
		if (oom)
			return licit_error_set(err, ini->path, e->line, NULL, "out of memory");
	}
	return LICIT_OK;
}

void licit_prepare_settings_fini(struct licit_prepare_settings *s)
{
	free(s->redact_amount);
	if (s->redact_org_id) {
		free(s->redact_org_id[0]);
		free(s->redact_org_id);
	}
	free(s->bid_codes);
	free(s->award_codes);
	memset(s, 0, sizeof *s);
}
