/* The list rules: the supplier looked up in a reference table (sanctioned
 * suppliers; incorporation dates). */
#include "rules.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/values/value.h"

struct lists {
	struct licit_map *sanc_rfc, *sanc_name, *newco;
	long *newco_day;
	size_t cap;
};

static int sanc_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct lists *l = ctx;
	const char *const *v = r->v;
	char key[512];
	if (*v[0]) {
		enum licit_rfc_status rs = licit_rfc_check(v[0], strlen(v[0]), key, sizeof key);
		if (rs != LICIT_RFC_EMPTY && licit_map_put(l->sanc_rfc, key, strlen(key), NULL) < 0)
			return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	}
	if (*v[1]) {
		size_t n = licit_name_key(v[1], strlen(v[1]), key, sizeof key);
		if (n && licit_map_put(l->sanc_name, key, n, NULL) < 0)
			return licit_error_set(err, r->source, r->line, NULL, "out of memory");
	}
	return 0;
}

static int newco_row(void *ctx, const struct licit_table_row *r, struct licit_error *err)
{
	struct lists *l = ctx;
	const char *const *v = r->v;
	const char *path = r->source;
	long line = r->line;
	char key[32];
	long d;
	licit_rfc_check(v[0], strlen(v[0]), key, sizeof key);
	if (strlen(v[1]) != 10 || licit_date_days(v[1], &d))
		return licit_error_set(err, path, line, "incorporated", "'%s' is not a YYYY-MM-DD date",
		                       v[1]);
	long k = licit_map_put(l->newco, key, strlen(key), NULL);
	if (k < 0 || LICIT_GROW(l->newco_day, l->cap, (size_t)k + 1) != LICIT_OK)
		return licit_error_set(err, path, line, NULL, "out of memory");
	l->newco_day[k] = d;
	return 0;
}

static int lists_init(struct licit_flags *f, void *st, struct licit_error *err)
{
	struct lists *l = st;
	const struct licit_mx_params *p = f->p;
	if (!*p->sanc_list.v)
		flags_off(f, &mx_sanctioned);
	if (flags_on(f, &mx_sanctioned)) {
		static const struct licit_table_col c[] = {{"rfc", LICIT_COL_ONE_OF},
		                                           {"name", LICIT_COL_ONE_OF}};
		l->sanc_rfc = licit_map_new();
		l->sanc_name = licit_map_new();
		if (!l->sanc_rfc || !l->sanc_name)
			return licit_error_set(err, "", 0, NULL, "out of memory");
		if (flags_table(f, p->sanc_list.v, c, 2, sanc_row, l, err))
			return LICIT_ERR;
	}
	if (flags_on(f, &mx_new_company) && *p->newco_table.v) {
		static const struct licit_table_col c[] = {{"rfc", LICIT_COL_REQUIRED},
		                                           {"incorporated", LICIT_COL_REQUIRED}};
		if (!(l->newco = licit_map_new()))
			return licit_error_set(err, "", 0, NULL, "out of memory");
		if (flags_table(f, p->newco_table.v, c, 2, newco_row, l, err))
			return LICIT_ERR;
	}
	return 0;
}

static void lists_fini(void *st)
{
	struct lists *l = st;
	licit_map_free(l->sanc_rfc);
	licit_map_free(l->sanc_name);
	licit_map_free(l->newco);
	free(l->newco_day);
}

const struct flags_family fam_list = {sizeof(struct lists), lists_init, lists_fini, NULL, NULL,
                                      NULL, NULL, NULL, NULL, NULL};

/* ---- MX-SANCTIONED ---------------------------------------------------------------- */

static enum licit_outcome sanctioned_eval(struct licit_flags *f, void *st, struct frow *x,
                                          struct why *w)
{
	(void)f;
	const struct lists *l = st;
	const char *rfc = fx_text(x, LICIT_F_SUPPLIER_RFC);
	size_t rn = x->c.len[LICIT_F_SUPPLIER_RFC];
	char nk[512];
	size_t nn = licit_name_key(fx_text(x, LICIT_F_SUPPLIER_NAME), x->c.len[LICIT_F_SUPPLIER_NAME],
	                           nk, sizeof nk);
	if (!rn && !nn)
		return LICIT_NA;
	if (rn && licit_map_get(l->sanc_rfc, rfc, rn) >= 0) {
		w->n = 0;
		return LICIT_RAISED;
	}
	if (nn && licit_map_get(l->sanc_name, nk, nn) >= 0) {
		w->n = 1;
		return LICIT_RAISED;
	}
	return LICIT_NOT_RAISED;
}

static void sanctioned_explain(const struct licit_flags *f, const void *st, const struct frow *x,
                               const struct why *w, struct licit_flag *o)
{
	(void)f;
	(void)st;
	const char *rfc = fx_text(x, LICIT_F_SUPPLIER_RFC);
	if (w->n == 0) {
		snprintf(o->value, sizeof o->value, "%s", rfc);
		snprintf(o->reason, sizeof o->reason, "supplier RFC %s is on the list", rfc);
	} else {
		snprintf(o->reason, sizeof o->reason, "supplier name %.180s is on the list",
		         fx_text(x, LICIT_F_SUPPLIER_NAME));
	}
}

static const struct flags_param sanctioned_params[] = {
	PARAM("list", "", "CSV with an rfc and/or a name column (e.g. SAT 69-B EFOS, SFP sanctioned suppliers)", P_TEXT, NORANGE, sanc_list),
	P_END};

const struct flags_rule mx_sanctioned = {
	"MX-SANCTIONED", "supplier RFC or name on a list (runs only when list is set)", "true",
	sanctioned_params, &fam_list, sanctioned_eval, sanctioned_explain};

/* ---- MX-NEW-COMPANY --------------------------------------------------------------- */

static enum licit_outcome new_company_eval(struct licit_flags *f, void *st, struct frow *x,
                                           struct why *w)
{
	const struct lists *l = st;
	const char *rfc = fx_text(x, LICIT_F_SUPPLIER_RFC);
	size_t rn = x->c.len[LICIT_F_SUPPLIER_RFC];
	enum licit_field af = x->c.len[LICIT_F_AWARD_DATE] ? LICIT_F_AWARD_DATE : LICIT_F_SIGNED_DATE;
	const char *ad = fx_text(x, af);
	long award = fx_day(x, af), inc = -1;
	long ki = l->newco && rn ? licit_map_get(l->newco, rfc, rn) : -1;
	if (ki >= 0)
		inc = l->newco_day[ki];
	else if (f->p->use_rfc && rn == 12 && award >= 0) {
		/* a company RFC: 3 letters then YYMMDD of incorporation */
		int yy = (rfc[3] - '0') * 10 + (rfc[4] - '0');
		int ay = atoi(ad) % 100, cent = atoi(ad) / 100;
		int mo = (rfc[5] - '0') * 10 + (rfc[6] - '0');
		int dd = (rfc[7] - '0') * 10 + (rfc[8] - '0');
		if (mo >= 1 && mo <= 12 && dd >= 1 && dd <= 31)
			inc = flags_days_of((yy > ay ? cent - 1 : cent) * 100 + yy, mo, dd);
	}
	if (award < 0 || inc < 0)
		return LICIT_NA;
	w->n = award - inc;
	w->m = ki >= 0;
	return w->n >= 0 && w->n < f->p->new_days ? LICIT_RAISED : LICIT_NOT_RAISED;
}

static void new_company_explain(const struct licit_flags *f, const void *st,
                                const struct frow *x, const struct why *w, struct licit_flag *o)
{
	(void)st;
	(void)x;
	snprintf(o->value, sizeof o->value, "%ld", w->n);
	snprintf(o->reason, sizeof o->reason,
	         "supplier incorporated %ld days before the award (< %ld)%s", w->n, f->p->new_days,
	         w->m ? "" : ", date read from its RFC");
}

static const struct flags_param new_company_params[] = {
	PARAM("table", "", "CSV rfc,incorporated (YYYY-MM-DD); else the date inside a company RFC", P_TEXT, NORANGE, newco_table),
	PARAM("days", "365", "raised below this many days from incorporation to award", P_INT, DAYS, new_days),
	PARAM("use_rfc", "true", "read the incorporation date from a 12-character (company) RFC", P_BOOL, NORANGE, use_rfc),
	P_END};

const struct flags_rule mx_new_company = {
	"MX-NEW-COMPANY", "supplier incorporated shortly before the award", "true",
	new_company_params, &fam_list, new_company_eval, new_company_explain};
