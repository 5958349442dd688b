/* Cardinal's fence indicators over shards: the partial and fences files
 * (see licit/cardinal/fences.h; each indicator's records are its own
 * save and take, in its file). */
#include "licit/cardinal/fences.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "indicators.h"

#define PARTIAL_MAGIC "licit-cardinal-partial"
#define FENCES_MAGIC "licit-cardinal-fences"
#define VERSION "1"

static const enum licit_cardinal_ind fence_inds[] = {LICIT_R024, LICIT_R025, LICIT_R038,
                                                     LICIT_R048, LICIT_R058};
#define NFENCE (sizeof fence_inds / sizeof *fence_inds)

/* ---- the options text ----------------------------------------------------- */

struct text {
	char *s;
	size_t n, cap;
	int oom;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	for (;;) {
		va_list ap;
		va_start(ap, fmt);
		int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0, fmt, ap);
		va_end(ap);
		if (k < 0) {
			t->oom = 1;
			return;
		}
		if (t->s && t->n + (size_t)k < t->cap) {
			t->n += (size_t)k;
			return;
		}
		size_t cap = (t->cap + (size_t)k + 1) * 2;
		char *s = realloc(t->s, cap);
		if (!s) {
			t->oom = 1;
			return;
		}
		t->s = s;
		t->cap = cap;
	}
}

static void add_set(struct text *t, const char *name, const struct licit_strset *s)
{
	add(t, ";%s=", name);
	for (size_t i = 0; i < s->n; i++)
		add(t, "%s%s", i ? "|" : "", s->v[i]);
}

/* the enabled fence indicators and every setting they read */
static char *options(const struct licit_cardinal *c)
{
	const struct licit_cardinal_settings *s = c->s;
	struct text t = {0};
	add(&t, "fences=");
	for (size_t k = 0, first = 1; k < NFENCE; k++)
		if (s->enabled[fence_inds[k]]) {
			add(&t, "%s%s", first ? "" : "|", card_table[fence_inds[k]]->code);
			first = 0;
		}
	add(&t, ";currency=%s", s->currency ? s->currency : "-");
	add_set(&t, "price_methods", &s->price_methods);
	add_set(&t, "no_price_methods", &s->no_price_methods);
	add_set(&t, "exclude_method_details", &s->exclude_method_details);
	for (size_t k = 0; k < NFENCE; k++) {
		const struct card_ind *ind = card_table[fence_inds[k]];
		if (!s->enabled[fence_inds[k]])
			continue;
		for (const struct licit_cardinal_param *p = ind->params; p->key; p++) {
			const char *at = (const char *)s + p->off;
			add(&t, ";%s.%s=", ind->code, p->key);
			if (p->has >= 0 && !*(const int *)((const char *)s + p->has))
				add(&t, "-");
			else if (p->type == LICIT_CP_INT)
				add(&t, "%ld", *(const long *)at);
			else if (p->type == LICIT_CP_REAL)
				add(&t, "%.17g", *(const double *)at);
			else
				add_set(&t, "methods", (const struct licit_strset *)at);
		}
	}
	if (t.oom) {
		free(t.s);
		return NULL;
	}
	return t.s;
}

/* ---- writing -------------------------------------------------------------- */

static int write_file(struct licit_cardinal *c, FILE *f, const char *magic, int fences,
                      struct licit_error *err)
{
	char *opt = options(c);
	if (!opt)
		return licit_error_set(err, "", 0, NULL, "out of memory");
	struct licit_partial_out o;
	licit_partial_begin(&o, f, magic, VERSION, opt);
	free(opt);
	if (c->currency) {
		fputs("currency", f);
		licit_partial_str(f, c->currency, strlen(c->currency), 0);
		licit_partial_eol(&o);
	}
	for (size_t k = 0; k < NFENCE; k++) {
		enum licit_cardinal_ind i = fence_inds[k];
		if (card_table[i]->save && c->gathered[i])
			card_table[i]->save(c, c->state[i], &o, fences);
	}
	licit_partial_end(&o);
	return c->oom ? licit_error_set(err, "", 0, NULL, "out of memory") : LICIT_OK;
}

int licit_cardinal_partial_write(struct licit_cardinal *c, FILE *f, struct licit_error *err)
{
	return write_file(c, f, PARTIAL_MAGIC, 0, err);
}

int licit_cardinal_fences_write(struct licit_cardinal *c, FILE *f, struct licit_error *err)
{
	return write_file(c, f, FENCES_MAGIC, 1, err);
}

/* ---- reading -------------------------------------------------------------- */

static int currency(struct licit_cardinal *c, struct licit_partial_in *r,
                    struct licit_error *err)
{
	if (r->nf != 2 || !r->fld[1][0])
		return licit_partial_fail(r, err, "a malformed currency line");
	if (!c->currency)
		return (c->currency = strdup(r->fld[1])) ? LICIT_OK
		                                         : licit_partial_fail(r, err, "out of memory");
	if (strcmp(c->currency, r->fld[1]) == 0)
		return LICIT_OK;
	char why[160];
	snprintf(why, sizeof why, "its currency is %.20s, another file's %.20s: set the "
	         "currency in the settings ([currency]) for runs cut into shards", r->fld[1],
	         c->currency);
	return licit_partial_fail(r, err, why);
}

static int read_file(struct licit_cardinal *c, FILE *f, const char *name, const char *magic,
                     int fences, struct licit_error *err)
{
	char *opt = options(c);
	if (!opt)
		return licit_error_set(err, name, 0, NULL, "out of memory");
	struct licit_partial_in r;
	int rc = licit_partial_open(&r, f, name, magic, VERSION, opt,
	                            fences ? "licit flags --format cardinal fences"
	                                   : "licit flags --format cardinal partial",
	                            "the settings (the fence indicators enabled, their "
	                            "parameters, currency and method lists) must be those of "
	                            "the partial runs", err);
	free(opt);
	while (rc == LICIT_OK && (rc = licit_partial_next(&r, 1, err)) == 1) {
		const char *tag = r.fld[0];
		if (strcmp(tag, "currency") == 0) {
			rc = currency(c, &r, err);
			continue;
		}
		int i = licit_cardinal_lookup(tag);
		const struct card_ind *ind = i >= 0 ? card_table[i] : NULL;
		if (!ind || !ind->take || !c->gathered[i]) {
			rc = licit_error_set(err, name, r.rec_line, NULL, "unknown line '%.40s'", tag);
			break;
		}
		rc = LICIT_OK;
		if (ind->take(c, c->state[i], &r, fences) < 0) {
			char why[64];
			snprintf(why, sizeof why, c->oom ? "out of memory" : "a malformed %s line", tag);
			rc = licit_partial_fail(&r, err, why);
		}
	}
	licit_partial_close(&r);
	return rc == 0 ? LICIT_OK : LICIT_ERR;
}

int licit_cardinal_partial_merge(struct licit_cardinal *c, FILE *f, const char *name,
                                 struct licit_error *err)
{
	return read_file(c, f, name, PARTIAL_MAGIC, 0, err);
}

int licit_cardinal_fences_load(struct licit_cardinal *c, FILE *f, const char *name,
                               struct licit_error *err)
{
	if (read_file(c, f, name, FENCES_MAGIC, 1, err) != LICIT_OK)
		return LICIT_ERR;
	/* the parties' counts are the file's (every shard's): not gathered again */
	for (size_t k = 0; k < NFENCE; k++) {
		enum licit_cardinal_ind i = fence_inds[k];
		if (card_table[i]->save && card_table[i]->per_party)
			c->gathered[i] = 0;
	}
	return LICIT_OK;
}

/* ---- counts per id, shared by R025, R038 and R048 ------------------------------ */

void card_frac_save(const struct card_frac *f, struct licit_partial_out *o, const char *tag,
                    int g)
{
	size_t n = f->ids ? licit_map_count(f->ids) : 0;
	for (size_t i = 0; i < n; i++) {
		size_t len;
		const char *id = licit_map_key(f->ids, i, &len);
		fputs(tag, o->f);
		if (g >= 0)
			fprintf(o->f, ",%d", g);
		licit_partial_str(o->f, id, len, 0);
		fprintf(o->f, ",%ld,%ld", f->num[i], f->den[i]);
		licit_partial_eol(o);
	}
}

int card_frac_take(struct licit_cardinal *c, struct card_frac *f, const struct licit_partial_in *r,
                   size_t i)
{
	if (r->nf != i + 3)
		return -1;
	const char *id = r->fld[i++];
	int bad = 0;
	long long num = licit_partial_int(r, &i, &bad), den = licit_partial_int(r, &i, &bad);
	if (bad || num < 0 || den < 0 || num > den || den > 1000000000000LL)
		return -1;
	return card_frac_add(c, f, id, (long)num, (long)den) < 0 ? -1 : 0;
}
