/* The normaliser: column mapping (built-in CompraNet, canonical, or a
 * user file), value cleaning by field type, derived fields (ocid,
 * supplier_id, amount_mxn, test), and problem reports. */
#include "licit/normalise/normalise.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"
#include "licit/core/map.h"
#include "licit/core/number.h"
#include "licit/core/text.h"
#include "licit/io/table.h"
#include "licit/record/canon.h"
#include "licit/values/value.h"
#include "memo.h"

#define MAXALT 8 /* alternatives per field in a mapping */

struct binding {
	const char *alt[MAXALT]; /* folded header names, in order of preference */
	int nalt;
	const char *constant;    /* a fixed value instead of a column */
};

/* Folded words and what a value holding them means; the first entry
 * whose words occur wins. */
struct word_map {
	const char *words, *value;
};

static const char *first_words(const char *folded, const struct word_map *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (licit_text_has_words(folded, t[i].words))
			return t[i].value;
	return NULL;
}

struct rate {
	char currency[8];
	long day;
	double rate;
	long line;
};

struct licit_normaliser {
	struct licit_norm_opts o;
	struct licit_arena tables; /* mapping, procedure types, rates */
	struct binding user[LICIT_NFIELDS];
	int have_user;
	struct word_map *pt; /* --proc-types, or NULL for builtin_pt */
	size_t npt, pt_cap;
	struct rate *rates;
	size_t nrates, rates_cap;
	int col[LICIT_NFIELDS]; /* bound source column per field, or -1 */
	const char *layout;
	int implied_mxn; /* CompraNet 3.0: amounts in pesos, no currency column */
	int implied_key; /* CompraNet 2018-: buyer key in the name, no CLAVEUC */
	struct licit_arena row;  /* one row's values */
	const char *out[LICIT_NFIELDS];
	char *fold_buf;
	size_t fold_cap;
	struct norm_memo *memo; /* a table per field whose values repeat, and one of
	                           supplier keys (MEMO_KEYS) */
	int oom;           /* memory ran out in this row: the row fails */
};

/* The memo's table of supplier keys, after one per field. */
#define MEMO_KEYS LICIT_NFIELDS

static int memoised(enum licit_type t)
{
	return t == LICIT_T_NAME || t == LICIT_T_PROCTYPE || t == LICIT_T_CHARACTER ||
	       t == LICIT_T_CONTRACT_TYPE || t == LICIT_T_EXCEPTION ||
	       t == LICIT_T_CURRENCY || t == LICIT_T_FLAG;
}

/* ---- the built-in CompraNet layout ------------------------------------- */

/* Folded header aliases, '|'-separated, of every era (licit-normalise(1)
 * lists them): CompraNet 3.0 (2002-2011: DEPENDENCIA_ENTIDAD, NOMBRE_UC,
 * NUMERO_DE_PROCEDIMIENTO, ..., IMPORTE_MN_SIN_IVA, RAZON_SOCIAL),
 * CompraNet 5.0 / CompraNetPlus (2010-2017: GOBIERNO, SIGLAS, ...,
 * ANUNCIO), the 2018 and later exports (the same plus FUNDAMENTO_LEGAL,
 * RFC, DESCRIPCION_CONTRATO) and the Spanish headings of the open-data
 * portal ("Número del procedimiento", ...). */
#define IMPORTE_MN "importe mn sin iva" /* 3.0: pesos (moneda nacional), no MONEDA column */
static const struct {
	enum licit_field f;
	const char *aliases;
} compranet[] = {
	{LICIT_F_PROCEDURE_ID, "numero procedimiento|numero del procedimiento|numero de procedimiento"},
	{LICIT_F_BUYER_ID, "claveuc|clave de la uc|clave uc"},
	{LICIT_F_BUYER_NAME, "nombre de la uc|nombre uc"},
	{LICIT_F_ENTITY_ID, "siglas|siglas de la institucion"},
	{LICIT_F_ENTITY_NAME, "dependencia|institucion|dependencia entidad"},
	{LICIT_F_PROCEDURE_TYPE, "tipo procedimiento|tipo de procedimiento"},
	{LICIT_F_METHOD_DETAILS, "tipo procedimiento|tipo de procedimiento"},
	{LICIT_F_CHARACTER, "caracter|caracter del procedimiento"},
	{LICIT_F_CONTRACT_TYPE, "tipo contratacion|tipo de contratacion"},
	{LICIT_F_EXCEPTION, "fundamento legal|plantilla expediente|plantilla del expediente"},
	{LICIT_F_TENDER_START, "proc f publicacion|fecha de publicacion"},
	{LICIT_F_TENDER_END, "fecha apertura proposiciones|fecha de apertura"},
	{LICIT_F_AWARD_DATE, "exp f fallo|fecha de fallo"},
	{LICIT_F_SIGNED_DATE, "fecha celebracion|fecha de firma del contrato|fecha de suscripcion de contrato"},
	{LICIT_F_START_DATE, "fecha inicio|fecha de inicio del contrato"},
	{LICIT_F_END_DATE, "fecha fin|fecha de fin del contrato"},
	{LICIT_F_CONTRACT_ID, "codigo contrato|codigo del contrato|numero de contrato"},
	{LICIT_F_TITLE, "titulo contrato|titulo del contrato|referencia de la contratacion|descripcion contrato"},
	{LICIT_F_AMOUNT, "importe contrato|importe drc|importe del contrato|" IMPORTE_MN},
	{LICIT_F_CURRENCY, "moneda|moneda del contrato"},
	{LICIT_F_SUPPLIER_NAME, "proveedor contratista|proveedor o contratista|razon social"},
	{LICIT_F_SUPPLIER_RFC, "rfc|rfc proveedor"},
	{LICIT_F_SUPPLIER_SIZE, "estratificacion mpc|estratificacion de la empresa"},
	{LICIT_F_SUPPLIER_SIZE_BUYER, "estratificacion muc"},
	{LICIT_F_STATUS, "estatus contrato|estatus drc|estatus del contrato"},
	{LICIT_F_FRAMEWORK, "contrato marco"},
	{LICIT_F_CONSOLIDATED, "compra consolidada"},
	{LICIT_F_MULTIYEAR, "plurianual|contrato plurianual"},
	{LICIT_F_URL, "anuncio|direccion del anuncio|url del contrato"},
};

/* Procedure types (DOMAIN section 3): folded words -> OCDS method. The
 * first entry whose words occur in the value wins. */
static const struct word_map builtin_pt[] = {
	{"open", "open"},
	{"selective", "selective"},
	{"limited", "limited"},
	{"direct", "direct"},
	{"licitacion publica", "open"},
	{"licitacion", "open"},
	{"invitacion a cuando menos", "limited"},
	{"invitacion", "limited"},
	{"adjudicacion directa", "direct"},
	{"convenio", "direct"},
};

/* ---- helpers -------------------------------------------------------------- */

static const char *fold(struct licit_normaliser *n, const char *s, size_t len)
{
	if (n->fold_cap < len + 1) {
		size_t cap = len + 1 < 256 ? 256 : len + 1;
		char *b = realloc(n->fold_buf, cap);
		if (!b) {
			n->oom = 1;
			return "";
		}
		n->fold_buf = b;
		n->fold_cap = cap;
	}
	licit_text_fold(s, len, n->fold_buf);
	return n->fold_buf;
}

static char *tstrdup(struct licit_arena *a, const char *s)
{
	return licit_arena_strndup(a, s, strlen(s));
}

static char *folddup(struct licit_arena *a, const char *s, size_t len)
{
	char *out = licit_arena_alloc(a, len + 1);
	if (out)
		licit_text_fold(s, len, out);
	return out;
}

/* ---- loading tables --------------------------------------------------------- */

static int load_mapping(struct licit_normaliser *n, const char *path,
                        struct licit_error *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return licit_error_set(err, path, 0, NULL, "cannot open mapping: %s",
		                       strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	long ln = 0;
	int rc = LICIT_OK;
	while ((got = getline(&line, &cap, f)) >= 0) {
		ln++;
		char *s = line;
		if (got >= 1024) {
			rc = licit_error_set(err, path, ln, NULL, "line too long");
			break;
		}
		if (memchr(line, '\0', (size_t)got)) { /* C strings would cut it there */
			rc = licit_error_set(err, path, ln, NULL, "NUL byte in the line");
			break;
		}
		if (ln == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
			s += 3; /* a byte order mark, as Windows editors write it */
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '#' || *s == ';' || *s == '\n' || *s == '\r' || *s == '\0')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = licit_error_set(err, path, ln, NULL,
			                     "expected 'field = column' or 'field := value'");
			break;
		}
		int constant = eq > s && eq[-1] == ':';
		char *kend = constant ? eq - 1 : eq;
		while (kend > s && (kend[-1] == ' ' || kend[-1] == '\t'))
			kend--;
		*kend = '\0';
		char *v = eq + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		size_t vl = strlen(v);
		while (vl && (v[vl - 1] == '\n' || v[vl - 1] == '\r' ||
		              v[vl - 1] == ' ' || v[vl - 1] == '\t'))
			v[--vl] = '\0';
		if (s[0] == '@') {
			char *val = tstrdup(&n->tables, v);
			if (!val) {
				rc = licit_error_set(err, path, ln, NULL, "out of memory");
				break;
			}
			if (strcmp(s, "@ocid_prefix") == 0)
				n->o.ocid_prefix = val;
			else if (strcmp(s, "@default_law") == 0)
				n->o.default_law = val;
			else {
				rc = licit_error_set(err, path, ln, s, "unknown directive '%s' "
				                     "(known: @ocid_prefix, @default_law)", s);
				break;
			}
			continue;
		}
		int fld = licit_field_lookup(s);
		if (fld < 0) {
			rc = licit_error_set(err, path, ln, s, "'%s' is not a canonical "
			                     "field (see licit-schema(5))", s);
			break;
		}
		struct binding *b = &n->user[fld];
		if (constant) {
			if (!(b->constant = tstrdup(&n->tables, v))) {
				rc = licit_error_set(err, path, ln, NULL, "out of memory");
				break;
			}
		} else if (b->nalt == MAXALT) {
			rc = licit_error_set(err, path, ln, s, "more than %d columns for "
			                     "one field", MAXALT);
			break;
		} else if (vl == 0) {
			rc = licit_error_set(err, path, ln, s, "no column name");
			break;
		} else if (!(b->alt[b->nalt++] = folddup(&n->tables, v, vl))) {
			rc = licit_error_set(err, path, ln, NULL, "out of memory");
			break;
		}
		n->have_user = 1;
	}
	if (rc == LICIT_OK && ferror(f)) /* getline's -1 is an end or a failure */
		rc = licit_error_set(err, path, ln + 1, NULL, "cannot read mapping: %s",
		                     strerror(errno ? errno : EIO));
	free(line);
	fclose(f);
	if (rc == LICIT_OK && !n->have_user)
		rc = licit_error_set(err, path, 0, NULL, "mapping maps no field");
	return rc;
}

static int proctype_row(void *ctx, const struct licit_table_row *t, struct licit_error *err)
{
	struct licit_normaliser *n = ctx;
	const char *type = t->v[1];
	if (strcmp(type, "open") && strcmp(type, "selective") && strcmp(type, "limited") &&
	    strcmp(type, "direct") && type[0])
		return licit_error_set(err, t->source, t->line, "type", "'%s' is not open, "
		                       "selective, limited, direct or empty", type);
	if (LICIT_GROW(n->pt, n->pt_cap, n->npt + 1) != LICIT_OK)
		return licit_error_set(err, t->source, t->line, NULL, "out of memory");
	struct word_map *m = &n->pt[n->npt];
	m->words = folddup(&n->tables, t->v[0], t->len[0]);
	m->value = tstrdup(&n->tables, type);
	if (!m->words || !m->value)
		return licit_error_set(err, t->source, t->line, NULL, "out of memory");
	n->npt++;
	return LICIT_OK;
}

static int load_proctypes(struct licit_normaliser *n, const char *path,
                          struct licit_error *err)
{
	static const struct licit_table_col cols[] = {{"pattern", LICIT_COL_REQUIRED},
	                                              {"type", LICIT_COL_REQUIRED}};
	return licit_table_load(path, cols, 2, proctype_row, n, NULL, err);
}

static int cmp_rate(const void *a, const void *b)
{
	const struct rate *x = a, *y = b;
	int c = strcmp(x->currency, y->currency);
	if (c)
		return c;
	return (x->day > y->day) - (x->day < y->day);
}

static int rate_row(void *ctx, const struct licit_table_row *t, struct licit_error *err)
{
	struct licit_normaliser *n = ctx;
	char iso[16], cur[8];
	long day;
	if (licit_date_parse(t->v[0], t->len[0], iso, sizeof iso) != LICIT_DATE_OK ||
	    licit_date_days(iso, &day) != 0)
		return licit_error_set(err, t->source, t->line, "date", "bad date '%s'", t->v[0]);
	double rate;
	char why[160];
	if (licit_num_real(t->v[2], LICIT_RATE_MIN, LICIT_RATE_MAX, &rate, why, sizeof why))
		return licit_error_set(err, t->source, t->line, "rate", "%s", why);
	size_t cl = licit_text_squeeze(t->v[1], t->len[1] < 7 ? t->len[1] : 7, cur);
	if (cl == 0)
		return licit_error_set(err, t->source, t->line, "currency", "empty currency");
	for (size_t i = 0; i < cl; i++)
		if (cur[i] >= 'a' && cur[i] <= 'z')
			cur[i] = (char)(cur[i] - 32);
	if (LICIT_GROW(n->rates, n->rates_cap, n->nrates + 1) != LICIT_OK)
		return licit_error_set(err, t->source, t->line, NULL, "out of memory");
	struct rate *rt = &n->rates[n->nrates++];
	memcpy(rt->currency, cur, cl + 1);
	rt->day = day;
	rt->rate = rate;
	rt->line = t->line;
	return LICIT_OK;
}

static int load_rates(struct licit_normaliser *n, const char *path,
                      struct licit_error *err)
{
	static const struct licit_table_col cols[] = {{"date", LICIT_COL_REQUIRED},
	                                              {"currency", LICIT_COL_REQUIRED},
	                                              {"rate", LICIT_COL_REQUIRED}};
	if (licit_table_load(path, cols, 3, rate_row, n, NULL, err) != LICIT_OK)
		return LICIT_ERR;
	if (n->nrates) /* a table of no rows: no qsort of NULL (UB, found by fuzz_tables) */
		qsort(n->rates, n->nrates, sizeof *n->rates, cmp_rate);
	for (size_t i = 1; i < n->nrates; i++) {
		const struct rate *x = &n->rates[i - 1], *y = &n->rates[i];
		if (x->day == y->day && strcmp(x->currency, y->currency) == 0 && x->rate != y->rate)
			return licit_error_set(err, path, x->line > y->line ? x->line : y->line, "rate",
			                       "a second, different %s rate for the same date "
			                       "(lines %ld and %ld)", x->currency,
			                       x->line < y->line ? x->line : y->line,
			                       x->line > y->line ? x->line : y->line);
	}
	return LICIT_OK;
}

/* The latest rate on or before the day; 0 when there is none. */
static double find_rate(const struct licit_normaliser *n, const char *cur, long day)
{
	double best = 0;
	for (size_t lo = 0, hi = n->nrates; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		const struct rate *r = &n->rates[mid];
		int c = strcmp(r->currency, cur);
		if (c < 0 || (c == 0 && r->day <= day)) {
			if (c == 0)
				best = r->rate;
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return best;
}

struct licit_normaliser *licit_normaliser_new(const struct licit_norm_opts *o,
                                              struct licit_error *err)
{
	struct licit_normaliser *n = calloc(1, sizeof *n);
	if (!n) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	n->o = *o;
	if (!n->o.ocid_prefix)
		n->o.ocid_prefix = "";
	if (!n->o.default_law)
		n->o.default_law = "LAASSP";
	licit_arena_init(&n->tables, 8192);
	licit_arena_init(&n->row, 8192);
	n->memo = norm_memo_new(MEMO_KEYS + 1);
	if ((o->mapping_path && load_mapping(n, o->mapping_path, err) != LICIT_OK) ||
	    (o->proctypes_path && load_proctypes(n, o->proctypes_path, err) != LICIT_OK) ||
	    (o->rates_path && load_rates(n, o->rates_path, err) != LICIT_OK)) {
		licit_normaliser_free(n);
		return NULL;
	}
	return n;
}

void licit_normaliser_free(struct licit_normaliser *n)
{
	if (!n)
		return;
	licit_arena_fini(&n->tables);
	licit_arena_fini(&n->row);
	free(n->pt);
	free(n->rates);
	free(n->fold_buf);
	norm_memo_free(n->memo);
	free(n);
}

/* ---- binding a header ------------------------------------------------------ */

static int find_col(struct licit_normaliser *n, const struct licit_reader *r,
                    const char *folded_alias)
{
	const char *const *h = licit_reader_header(r);
	for (size_t i = 0; i < licit_reader_ncols(r); i++)
		if (strcmp(fold(n, h[i], strlen(h[i])), folded_alias) == 0)
			return (int)i;
	return -1;
}

static int bind_aliases(struct licit_normaliser *n, const struct licit_reader *r,
                        enum licit_field f, const char *aliases)
{
	char one[128];
	const char *p = aliases;
	while (*p) {
		size_t len = strcspn(p, "|");
		snprintf(one, sizeof one, "%.*s", (int)len, p);
		int c = find_col(n, r, one);
		if (c >= 0)
			return n->col[f] = c;
		p += len + (p[len] == '|');
	}
	return -1;
}

/* Appends a header name to a list for a message, while it fits. */
static void list_add(char *list, size_t cap, const char *name)
{
	size_t l = strlen(list);
	if (l + strlen(name) + 8 < cap)
		snprintf(list + l, cap - l, "%s%s", l ? ", " : "", name);
	else if (l + 5 < cap && !strstr(list, "..."))
		snprintf(list + l, cap - l, ", ...");
}

/* Binds the CompraNet aliases; returns the number of distinct columns
 * recognised (one column may feed two fields) and lists them. */
static int bind_compranet(struct licit_normaliser *n, const struct licit_reader *r,
                          char *seen, size_t cap)
{
	int hits = 0;
	for (size_t i = 0; i < sizeof compranet / sizeof *compranet; i++) {
		int c = bind_aliases(n, r, compranet[i].f, compranet[i].aliases);
		int dup_col = 0;
		for (size_t j = 0; c >= 0 && j < i; j++)
			dup_col |= n->col[compranet[j].f] == c;
		if (c >= 0 && !dup_col) {
			hits++;
			list_add(seen, cap, licit_reader_header(r)[c]);
		}
	}
	int a = n->col[LICIT_F_AMOUNT];
	const char *h = a >= 0 ? licit_reader_header(r)[a] : "";
	n->implied_mxn = n->col[LICIT_F_CURRENCY] < 0 && a >= 0 &&
	                 strcmp(fold(n, h, strlen(h)), IMPORTE_MN) == 0;
	n->implied_key = n->col[LICIT_F_BUYER_ID] < 0 && n->col[LICIT_F_BUYER_NAME] >= 0;
	return hits;
}

static int bind_canonical(struct licit_normaliser *n, const struct licit_reader *r,
                          char *seen, size_t cap)
{
	int hits = 0;
	for (int f = 0; f < LICIT_NFIELDS; f++)
		if ((n->col[f] = licit_reader_col(r, licit_field_name(f))) >= 0) {
			hits++;
			list_add(seen, cap, licit_field_name(f));
		}
	return hits;
}

static void unbind(struct licit_normaliser *n)
{
	for (int i = 0; i < LICIT_NFIELDS; i++)
		n->col[i] = -1;
	n->implied_mxn = n->implied_key = 0;
}

int licit_normaliser_bind(struct licit_normaliser *n, const struct licit_reader *r,
                          licit_diag_fn fn, void *ctx, struct licit_error *err)
{
	unbind(n);
	if (n->have_user) {
		n->layout = "mapping";
		int bound = 0;
		char missing[200] = "";
		for (int f = 0; f < LICIT_NFIELDS; f++) {
			struct binding *b = &n->user[f];
			for (int k = 0; k < b->nalt && n->col[f] < 0; k++)
				n->col[f] = find_col(n, r, b->alt[k]);
			if (n->col[f] >= 0 || b->constant)
				bound++;
			else if (b->nalt)
				list_add(missing, sizeof missing, licit_field_name(f));
		}
		if (!bound)
			return licit_error_set(err, licit_reader_source(r), 1, NULL,
			                       "none of the mapping's columns is in the header");
		if (missing[0])
			licit_diag(fn, ctx, LICIT_WARNING, licit_reader_source(r), 1, NULL, NULL,
			           "mapped columns not in the header, left empty: %s", missing);
		return LICIT_OK;
	}
	const char *want = n->o.layout;
	const char *src = licit_reader_source(r);
	char cn[160] = "", cc[160] = "";
	int ocds = licit_reader_format(r) == LICIT_FMT_OCDS;
	if (!want || strcmp(want, "compranet") == 0) {
		int hits = bind_compranet(n, r, cn, sizeof cn);
		if (want || (n->col[LICIT_F_PROCEDURE_ID] >= 0 &&
		             n->col[LICIT_F_AMOUNT] >= 0 && hits >= 5)) {
			n->layout = "compranet";
			if (hits)
				return LICIT_OK;
			return licit_error_set(err, src, 1, NULL, "--layout compranet: no "
			                       "CompraNet column name in the header "
			                       "(licit-normalise(1) lists them)");
		}
		unbind(n);
	}
	int hits = bind_canonical(n, r, cc, sizeof cc);
	if (want) {
		n->layout = want;
		if (hits)
			return LICIT_OK;
		return licit_error_set(err, src, 1, NULL, "--layout %s: no canonical "
		                       "field name in the header (licit-schema(5))", want);
	}
	if (hits >= 3) {
		n->layout = ocds ? "ocds" : "canonical";
		return LICIT_OK;
	}
	if (!cn[0] && !cc[0])
		return licit_error_set(err, src, 1, NULL,
		                       "unknown layout: neither CompraNet nor canonical "
		                       "column names in the header; give a --mapping file");
	return licit_error_set(err, src, 1, NULL,
	                       "unknown layout: recognised %s%s%s%s%s%s; give --layout "
	                       "compranet|canonical or a --mapping file",
	                       cn[0] ? "CompraNet columns " : "", cn,
	                       cn[0] ? " (CompraNet needs the procedure number, the "
	                               "amount and 5 columns)" : "",
	                       cn[0] && cc[0] ? " and " : "",
	                       cc[0] ? "canonical columns " : "", cc[0] ? cc : "");
}

const char *licit_normaliser_layout(const struct licit_normaliser *n)
{
	return n->layout ? n->layout : "";
}

/* ---- cleaning values -------------------------------------------------------- */

/* The type, or NULL (*oom set when memory ran out). */
static const char *proctype_of(const struct licit_normaliser *n, const char *raw, size_t len,
                               int *oom)
{
	char stack[256];
	char *f = len < sizeof stack ? stack : malloc(len + 1);
	if (!f) {
		*oom = 1;
		return NULL;
	}
	licit_text_fold(raw, len, f);
	const char *hit = n && n->npt ? first_words(f, n->pt, n->npt)
	                              : first_words(f, builtin_pt, sizeof builtin_pt / sizeof *builtin_pt);
	if (f != stack)
		free(f);
	return hit;
}

const char *licit_proctype_lookup(const struct licit_normaliser *n,
                                  const char *raw, size_t len)
{
	int oom = 0;
	return proctype_of(n, raw, len, &oom);
}

static const char *proctype(struct licit_normaliser *n, const char *raw, size_t len)
{
	return proctype_of(n, raw, len, &n->oom);
}

static const char *character_of(const char *folded)
{
	if (!*folded)
		return "";
	if (licit_text_has_words(folded, "tlc") || strstr(folded, "tratado"))
		return "Internacional bajo TLC";
	if (strstr(folded, "internacional"))
		return "Internacional";
	if (strstr(folded, "nacional"))
		return "Nacional";
	return NULL;
}

static const char *contract_type_of(const char *folded)
{
	static const struct word_map t[] = {
		{"servicios relacionados", "works"}, /* with public works (LOPSRM) */
		{"obra", "works"},     {"obras", "works"},       {"works", "works"},
		{"adquisiciones", "goods"}, {"adquisicion", "goods"},
		{"arrendamientos", "goods"}, {"arrendamiento", "goods"},
		{"bienes", "goods"},   {"goods", "goods"},
		{"servicios", "services"}, {"servicio", "services"},
		{"services", "services"},
	};
	return *folded ? first_words(folded, t, sizeof t / sizeof *t) : "";
}

static const char *flag_of(const char *folded)
{
	static const char *const yes[] = {"1", "si", "s", "yes", "y", "true", "verdadero"};
	static const char *const no[] = {"0", "no", "n", "false", "falso"};
	if (!*folded)
		return "";
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (strcmp(folded, yes[i]) == 0)
			return "1";
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (strcmp(folded, no[i]) == 0)
			return "0";
	return NULL;
}

static const char *currency_of(const char *folded)
{
	static const struct word_map t[] = {
		{"mxn", "MXN"}, {"mxp", "MXN"}, {"pesos", "MXN"}, {"peso", "MXN"},
		{"m n", "MXN"}, {"mn", "MXN"}, {"usd", "USD"}, {"us", "USD"},
		{"dolares", "USD"}, {"dolar", "USD"}, {"dlls", "USD"}, {"dls", "USD"},
		{"eur", "EUR"}, {"euros", "EUR"}, {"euro", "EUR"},
	};
	return first_words(folded, t, sizeof t / sizeof *t);
}

struct rowctx {
	struct licit_normaliser *n;
	const struct licit_row *row;
	const char *source;
	licit_diag_fn fn;
	void *ctx;
	char *capture; /* when set, the problem text is kept here too */
};

static void report(struct rowctx *rc, enum licit_field f, const char *raw,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void report(struct rowctx *rc, enum licit_field f, const char *raw,
                   const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	if (rc->capture)
		memcpy(rc->capture, text, sizeof text);
	if (rc->fn) {
		struct licit_diag d = {LICIT_WARNING, rc->source, rc->row->line,
		                       licit_field_name(f), raw, text};
		rc->fn(rc->ctx, &d);
	}
}

static char *dup(struct licit_normaliser *n, const char *s, size_t len)
{
	char *p = licit_arena_strndup(&n->row, s, len);
	if (!p)
		n->oom = 1;
	return p ? p : "";
}

/* An exception template like "12. Adjudicación Directa ... LAASSP" names no
 * article: that is an absent exception, not a failed parse. */
static int mentions_article(const char *folded)
{
	const char *p = folded;
	while (*p >= '0' && *p <= '9')
		p++;
	for (; *p; p++)
		if (*p >= '0' && *p <= '9')
			return 1;
	return strstr(folded, "art") != NULL;
}


/* "nan", "inf", "-Infinity": what a program writes for a number it could
 * not compute, not a word of the source */
static int is_non_finite(const char *s)
{
	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-')
		s++;
	static const char *const words[] = {"nan", "inf", "infinity"};
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if (strncasecmp(s, words[i], n) == 0 && s[n + strspn(s + n, " ")] == '\0')
			return 1;
	}
	return 0;
}
static const char *clean_value(struct rowctx *rc, enum licit_field f, const char *raw,
                               size_t len)
{
	struct licit_normaliser *n = rc->n;
	char *sq = licit_arena_alloc(&n->row, len + 1);
	if (!sq)
		return n->oom = 1, "";
	size_t sl = licit_text_squeeze(raw, len, sq);
	if (sl == 0)
		return "";
	size_t cap = 3 * sl + 64;
	char *out = licit_arena_alloc(&n->row, cap);
	if (!out)
		return n->oom = 1, "";
	const char *folded, *v;
	switch (licit_field_type(f)) {
	case LICIT_T_TEXT:
		return sq;
	case LICIT_T_NAME:
		licit_name_clean(sq, sl, out, cap);
		return out;
	case LICIT_T_PROCTYPE:
		v = proctype(n, sq, sl);
		if (!v && !n->oom)
			report(rc, f, raw, "unknown procedure type (see --proc-types)");
		return v ? v : "";
	case LICIT_T_CHARACTER:
		v = character_of(fold(n, sq, sl));
		if (!v)
			report(rc, f, raw, "unknown character: kept as written");
		return v ? v : sq;
	case LICIT_T_CONTRACT_TYPE:
		v = contract_type_of(fold(n, sq, sl));
		if (!v)
			report(rc, f, raw, "unknown contract type");
		return v ? v : "";
	case LICIT_T_EXCEPTION:
		switch (licit_exception_parse(sq, sl, n->o.default_law, out, cap)) {
		case LICIT_EXC_OK:
			return out;
		case LICIT_EXC_UNRECOGNISED:
			if (mentions_article(fold(n, sq, sl)))
				report(rc, f, raw, "legal exception not recognised");
			return "";
		default:
			return "";
		}
	case LICIT_T_DATE:
		if (licit_date_parse(sq, sl, out, cap) == LICIT_DATE_OK)
			return out;
		report(rc, f, raw, "not a date");
		return "";
	case LICIT_T_AMOUNT: {
		struct licit_amount a;
		enum licit_amount_status st = licit_amount_parse(sq, sl, &a, out, cap);
		if (st == LICIT_AMOUNT_OK) {
			if (a.value == 0)
				report(rc, f, raw, "amount is zero");
			else if (a.value < 0) /* kept: licit-kpi(1) says how it is counted */
				report(rc, f, raw, "negative amount");
			return out;
		}
		if (st == LICIT_AMOUNT_MULTIPLE) {
			const char *what[] = {"left empty", "first kept", "sum kept"};
			report(rc, f, raw, "%d amounts in one cell: %s (--multi-amount)",
			       a.nparts, what[n->o.multi_amount]);
			if (n->o.multi_amount == LICIT_MULTI_EMPTY)
				return "";
			licit_amount_format(n->o.multi_amount == LICIT_MULTI_FIRST ? a.first : a.value,
			                    out, cap);
			return out;
		}
		if (st == LICIT_AMOUNT_WORD && is_non_finite(raw))
			report(rc, f, raw, "not a finite number (NaN or infinity): left empty");
		else if (st == LICIT_AMOUNT_WORD)
			report(rc, f, raw, "a word, not an amount (ABIERTO: an open "
			       "contract): left empty");
		else if (st == LICIT_AMOUNT_INVALID)
			report(rc, f, raw, "not a readable amount: left empty");
		return "";
	}
	case LICIT_T_CURRENCY:
		folded = fold(n, sq, sl);
		if (strcmp(folded, "test") == 0)
			return "TEST";
		v = currency_of(folded);
		if (v)
			return v;
		if (sl == 3) {
			for (size_t i = 0; i < 3; i++)
				out[i] = (char)(sq[i] >= 'a' && sq[i] <= 'z' ? sq[i] - 32 : sq[i]);
			out[3] = '\0';
			return out;
		}
		report(rc, f, raw, "unknown currency");
		return "";
	case LICIT_T_RFC:
		switch (licit_rfc_check(sq, sl, out, cap)) {
		case LICIT_RFC_OK:
			return out;
		case LICIT_RFC_GENERIC:
			report(rc, f, raw, "generic RFC (public or foreign): names nobody");
			return out;
		case LICIT_RFC_EMPTY:
			return "";
		default:
			report(rc, f, raw, "invalid RFC: %s",
			       licit_rfc_status_text(licit_rfc_check(sq, sl, out, cap)));
			return "";
		}
	case LICIT_T_COUNT: {
		unsigned long long v = 0;
		for (size_t i = 0; i < sl; i++) {
			if (sq[i] < '0' || sq[i] > '9') {
				report(rc, f, raw, "not a whole number");
				return "";
			}
			/* bounded, so that no reader clamps it (strtoll) or rounds it */
			if ((v = v * 10 + (unsigned)(sq[i] - '0')) > LICIT_COUNT_MAX) {
				report(rc, f, raw, "a whole number above 10^15: left empty");
				return "";
			}
		}
		return sq;
	}
	case LICIT_T_FLAG:
		v = flag_of(fold(n, sq, sl));
		if (!v)
			report(rc, f, raw, "not a yes/no value");
		return v ? v : "";
	}
	return sq;
}

static const char *clean(struct rowctx *rc, enum licit_field f, const char *raw,
                         size_t len)
{
	struct licit_normaliser *n = rc->n;
	if (!n->memo || !memoised(licit_field_type(f)))
		return clean_value(rc, f, raw, len);
	unsigned long long h = norm_memo_hash(raw, len);
	const char *kept, *why;
	if ((kept = norm_memo_get(n->memo, (size_t)f, h, raw, len, &why))) {
		if (why)
			report(rc, f, raw, "%s", why);
		return kept;
	}
	char problem[256] = "";
	rc->capture = problem;
	const char *out = clean_value(rc, f, raw, len);
	rc->capture = NULL;
	if (n->oom) /* a blank for want of memory is no answer to keep */
		return out;
	return norm_memo_put(n->memo, (size_t)f, h, raw, len, out, problem[0] ? problem : NULL);
}

/* The supplier key of a cleaned name (licit_name_key), kept in the memo. */
static const char *name_key(struct licit_normaliser *n, const char *nm)
{
	size_t len = strlen(nm);
	unsigned long long h = norm_memo_hash(nm, len);
	const char *kept, *why;
	if ((kept = norm_memo_get(n->memo, MEMO_KEYS, h, nm, len, &why)))
		return kept;
	size_t cap = 3 * len + 64;
	char *key = licit_arena_alloc(&n->row, cap);
	if (!key) {
		n->oom = 1;
		return "";
	}
	licit_name_key(nm, len, key, cap);
	return norm_memo_put(n->memo, MEMO_KEYS, h, nm, len, key, NULL);
}

/* Contract date used to choose an exchange rate: the date the row is
 * dated by (licit/record/canon.h). */
static const char *rate_date(const char *const *out)
{
	const enum licit_field *order = licit_canon_dated_by();
	for (size_t i = 0; i < LICIT_DATED_BY; i++)
		if (out[order[i]][0])
			return out[order[i]];
	return NULL;
}

static void derive(struct rowctx *rc, const struct licit_row *row,
                   const char *source)
{
	struct licit_normaliser *n = rc->n;
	const char **out = n->out;
	char buf[512];

	if (!out[LICIT_F_OCID][0] && out[LICIT_F_PROCEDURE_ID][0]) {
		/* prefix and number, cut at sizeof buf - 1 bytes as snprintf would */
		size_t pl = strlen(n->o.ocid_prefix), il = strlen(out[LICIT_F_PROCEDURE_ID]);
		if (pl > sizeof buf - 1)
			pl = sizeof buf - 1;
		if (il > sizeof buf - 1 - pl)
			il = sizeof buf - 1 - pl;
		memcpy(buf, n->o.ocid_prefix, pl);
		memcpy(buf + pl, out[LICIT_F_PROCEDURE_ID], il);
		out[LICIT_F_OCID] = dup(n, buf, pl + il);
	}
	/* supplier_id: the RFC when valid (not generic), else the name key */
	const char *rfc = out[LICIT_F_SUPPLIER_RFC];
	int generic = strncmp(rfc, "XAXX", 4) == 0 || strncmp(rfc, "XEXX", 4) == 0;
	if (rfc[0] && !generic) {
		out[LICIT_F_SUPPLIER_ID] = rfc;
	} else if (out[LICIT_F_SUPPLIER_NAME][0]) {
		out[LICIT_F_SUPPLIER_ID] = name_key(n, out[LICIT_F_SUPPLIER_NAME]);
	} else {
		out[LICIT_F_SUPPLIER_ID] = "";
	}
	/* 2018 and later exports have no CLAVEUC column: the buyer's key
	 * ends NOMBRE_DE_LA_UC after a '#' */
	const char *hash = n->implied_key ? strrchr(out[LICIT_F_BUYER_NAME], '#') : NULL;
	if (hash && !out[LICIT_F_BUYER_ID][0] && hash[1] && !strchr(hash, ' ')) {
		const char *nm = out[LICIT_F_BUYER_NAME];
		size_t l = (size_t)(hash - nm);
		while (l && nm[l - 1] == ' ')
			l--;
		out[LICIT_F_BUYER_ID] = hash + 1;
		out[LICIT_F_BUYER_NAME] = dup(n, nm, l);
	}
	/* test rows are marked, never dropped */
	if (strcmp(out[LICIT_F_CURRENCY], "TEST") == 0) {
		out[LICIT_F_TEST] = "1";
		out[LICIT_F_CURRENCY] = "";
		report(rc, LICIT_F_CURRENCY, "TEST", "test row: marked test=1");
	}
	/* amount_mxn */
	if (!out[LICIT_F_AMOUNT_MXN][0] && out[LICIT_F_AMOUNT][0]) {
		const char *cur = out[LICIT_F_CURRENCY];
		if (strcmp(cur, "MXN") == 0) {
			out[LICIT_F_AMOUNT_MXN] = out[LICIT_F_AMOUNT];
		} else if (!cur[0]) {
			if (!out[LICIT_F_TEST][0] || strcmp(out[LICIT_F_TEST], "1"))
				report(rc, LICIT_F_CURRENCY, "", "no currency: amount_mxn left empty");
		} else if (!n->nrates) {
			report(rc, LICIT_F_AMOUNT_MXN, out[LICIT_F_AMOUNT],
			       "amount in %s and no --rates table: amount_mxn left empty", cur);
		} else {
			const char *d = rate_date(out);
			long day;
			double rate = 0;
			if (d && licit_date_days(d, &day) == 0)
				rate = find_rate(n, cur, day);
			if (rate > 0) {
				struct licit_amount a;
				char tmp[64];
				licit_amount_parse(out[LICIT_F_AMOUNT], strlen(out[LICIT_F_AMOUNT]),
				                   &a, tmp, sizeof tmp);
				licit_amount_format(a.value * rate, buf, sizeof buf);
				out[LICIT_F_AMOUNT_MXN] = dup(n, buf, strlen(buf));
			} else {
				report(rc, LICIT_F_AMOUNT_MXN, out[LICIT_F_AMOUNT],
				       d ? "no %s rate on or before %s: amount_mxn left empty"
				         : "no date to choose a %s rate%s: amount_mxn left empty",
				       cur, d ? d : "");
			}
		}
	}
	/* provenance survives a second pass through normalise */
	if (!out[LICIT_F_SOURCE][0]) {
		out[LICIT_F_SOURCE] = source;
		out[LICIT_F_SOURCE_LINE] = dup(n, buf, licit_format_long(row->recno, buf));
	}
}

int licit_normaliser_row(struct licit_normaliser *n, const struct licit_row *row,
                         const char *source, const char *const **out,
                         licit_diag_fn fn, void *ctx, struct licit_error *err)
{
	struct rowctx rc = {n, row, source, fn, ctx, NULL};
	licit_arena_reset(&n->row);
	n->oom = 0;
	for (int f = 0; f < LICIT_NFIELDS; f++) {
		int c = n->col[f];
		const char *raw = NULL;
		size_t len = 0;
		if (c >= 0 && (size_t)c < row->n) {
			raw = row->v[c];
			len = row->len[c];
		} else if (n->have_user && n->user[f].constant) {
			raw = n->user[f].constant;
			len = strlen(raw);
		} else if (f == LICIT_F_CURRENCY && n->implied_mxn) {
			raw = "MXN";
			len = 3;
		}
		/* method_details is kept verbatim (only squeezed) */
		if (f == LICIT_F_METHOD_DETAILS && raw) {
			char *sq = licit_arena_alloc(&n->row, len + 1);
			n->out[f] = sq ? (licit_text_squeeze(raw, len, sq), sq) : "";
			n->oom |= !sq;
			continue;
		}
		n->out[f] = raw ? clean(&rc, (enum licit_field)f, raw, len) : "";
	}
	derive(&rc, row, source);
	*out = n->out;
	/* a value left blank for want of memory is a failure, not a value */
	if (n->oom)
		return licit_error_set(err, source, row->line, NULL, "out of memory");
	return LICIT_OK;
}
