/* Protest registers (inconformidades) to canonical protest records:
 * Spanish headers and values mapped through documented tables. */
#include "licit/protest/protest.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"
#include "licit/core/text.h"
#include "licit/io/table.h"
#include "licit/values/value.h"

static const char *const field_names[LICIT_P_NFIELDS] = {
	"protest_id", "procedure_id", "entity_id", "buyer_id", "filed_date",
	"resolved_date", "stage", "outcome", "source", "source_line"};

const char *const *licit_protest_field_names(size_t *n)
{
	if (n)
		*n = LICIT_P_NFIELDS;
	return field_names;
}

int licit_protest_field_lookup(const char *name)
{
	for (int i = 0; i < LICIT_P_NFIELDS; i++)
		if (strcmp(name, field_names[i]) == 0)
			return i;
	return -1;
}

static const char *const stage_names[] = {"", "call", "clarification", "opening",
                                          "award", "contract", "other"};
static const char *const outcome_names[] = {"", "dismissed", "unfounded", "founded",
                                            "withdrawn", "pending"};

enum licit_protest_stage licit_protest_stage_parse(const char *s)
{
	for (int i = 1; i < (int)(sizeof stage_names / sizeof *stage_names); i++)
		if (strcmp(s, stage_names[i]) == 0)
			return (enum licit_protest_stage)i;
	return LICIT_STAGE_UNKNOWN;
}

enum licit_protest_outcome licit_protest_outcome_parse(const char *s)
{
	for (int i = 1; i < (int)(sizeof outcome_names / sizeof *outcome_names); i++)
		if (strcmp(s, outcome_names[i]) == 0)
			return (enum licit_protest_outcome)i;
	return LICIT_OUTCOME_UNKNOWN;
}

const char *licit_protest_stage_name(enum licit_protest_stage s)
{
	return (unsigned)s < sizeof stage_names / sizeof *stage_names ? stage_names[s] : "";
}

const char *licit_protest_outcome_name(enum licit_protest_outcome o)
{
	return (unsigned)o < sizeof outcome_names / sizeof *outcome_names ? outcome_names[o] : "";
}

/* Header aliases, already folded (licit_text_fold): the canonical name
 * first, then the Spanish spellings seen in SFP / CompraNet registers. */
static const char *const aliases[LICIT_P_SOURCE][8] = {
	[LICIT_P_PROTEST_ID] = {"protest id", "expediente", "numero expediente",
	                        "no expediente", "num expediente", "expediente inconformidad",
	                        "folio", NULL},
	[LICIT_P_PROCEDURE_ID] = {"procedure id", "numero procedimiento", "no procedimiento",
	                          "num procedimiento", "procedimiento",
	                          "codigo procedimiento", "numero de procedimiento", NULL},
	[LICIT_P_ENTITY_ID] = {"entity id", "siglas", "siglas dependencia",
	                       "clave dependencia", "clave institucion", NULL},
	[LICIT_P_BUYER_ID] = {"buyer id", "claveuc", "clave uc", "clave unidad compradora",
	                      "clave de la uc", NULL},
	[LICIT_P_FILED_DATE] = {"filed date", "fecha presentacion", "fecha de presentacion",
	                        "fecha inconformidad", "fecha recepcion",
	                        "fecha de recepcion", "fecha interposicion", NULL},
	[LICIT_P_RESOLVED_DATE] = {"resolved date", "fecha resolucion",
	                           "fecha de resolucion", "fecha de la resolucion", NULL},
	[LICIT_P_STAGE] = {"stage", "acto impugnado", "acto recurrido", "etapa",
	                   "etapa del procedimiento", "acto", NULL},
	[LICIT_P_OUTCOME] = {"outcome", "sentido resolucion", "sentido de la resolucion",
	                     "sentido", "resolucion", "resultado", NULL},
};

/* The built-in value table (folded value -> canonical). The canonical
 * values map to themselves. A value absent from it is reported, never
 * guessed: "parcialmente fundada" is not here on purpose. */
struct value_rule {
	enum licit_protest_field field;
	const char *folded, *canonical;
};
static const struct value_rule builtin_values[] = {
	{LICIT_P_STAGE, "convocatoria", "call"},
	{LICIT_P_STAGE, "bases", "call"},
	{LICIT_P_STAGE, "junta de aclaraciones", "clarification"},
	{LICIT_P_STAGE, "junta de aclaracion", "clarification"},
	{LICIT_P_STAGE, "aclaraciones", "clarification"},
	{LICIT_P_STAGE, "presentacion y apertura", "opening"},
	{LICIT_P_STAGE, "presentacion y apertura de proposiciones", "opening"},
	{LICIT_P_STAGE, "acto de presentacion y apertura de proposiciones", "opening"},
	{LICIT_P_STAGE, "apertura", "opening"},
	{LICIT_P_STAGE, "apertura de proposiciones", "opening"},
	{LICIT_P_STAGE, "fallo", "award"},
	{LICIT_P_STAGE, "acto de fallo", "award"},
	{LICIT_P_STAGE, "evaluacion", "award"},
	{LICIT_P_STAGE, "formalizacion", "contract"},
	{LICIT_P_STAGE, "formalizacion del contrato", "contract"},
	{LICIT_P_STAGE, "firma del contrato", "contract"},
	{LICIT_P_STAGE, "contrato", "contract"},
	{LICIT_P_STAGE, "otro", "other"},
	{LICIT_P_STAGE, "otros", "other"},
	{LICIT_P_OUTCOME, "desechada", "dismissed"},
	{LICIT_P_OUTCOME, "desechamiento", "dismissed"},
	{LICIT_P_OUTCOME, "improcedente", "dismissed"},
	{LICIT_P_OUTCOME, "improcedencia", "dismissed"},
	{LICIT_P_OUTCOME, "sobreseida", "dismissed"},
	{LICIT_P_OUTCOME, "sobreseimiento", "dismissed"},
	{LICIT_P_OUTCOME, "infundada", "unfounded"},
	{LICIT_P_OUTCOME, "fundada", "founded"},
	{LICIT_P_OUTCOME, "desistimiento", "withdrawn"},
	{LICIT_P_OUTCOME, "desistida", "withdrawn"},
	{LICIT_P_OUTCOME, "en tramite", "pending"},
	{LICIT_P_OUTCOME, "pendiente", "pending"},
	{LICIT_P_OUTCOME, "en proceso", "pending"},
};

struct licit_protest_normaliser {
	struct value_rule *rules; /* the user's table, consulted first */
	size_t nrules, rules_cap;
	struct licit_arena tables;
	struct licit_arena row;   /* this row's output values */
	int col[LICIT_P_NFIELDS];
	const char *out[LICIT_P_NFIELDS];
	char *fold;
	size_t fold_cap;
};

static const char *fold(struct licit_protest_normaliser *n, const char *s, size_t len)
{
	if (n->fold_cap < len + 1) {
		size_t cap = len + 1 < 256 ? 256 : len + 1;
		char *b = realloc(n->fold, cap);
		if (!b)
			return NULL;
		n->fold = b;
		n->fold_cap = cap;
	}
	licit_text_fold(s, len, n->fold);
	return n->fold;
}

static int value_row(void *ctx, const struct licit_table_row *t, struct licit_error *err)
{
	struct licit_protest_normaliser *n = ctx;
	const char *field = t->v[0], *canon = t->v[2];
	enum licit_protest_field f;
	if (strcmp(field, "stage") == 0) {
		f = LICIT_P_STAGE;
		if (canon[0] && licit_protest_stage_parse(canon) == LICIT_STAGE_UNKNOWN)
			return licit_error_set(err, t->source, t->line, "canonical",
			                       "'%s' is not call, clarification, opening, "
			                       "award, contract or other", canon);
	} else if (strcmp(field, "outcome") == 0) {
		f = LICIT_P_OUTCOME;
		if (canon[0] && licit_protest_outcome_parse(canon) == LICIT_OUTCOME_UNKNOWN)
			return licit_error_set(err, t->source, t->line, "canonical",
			                       "'%s' is not dismissed, unfounded, founded, "
			                       "withdrawn or pending", canon);
	} else {
		return licit_error_set(err, t->source, t->line, "field",
		                       "'%s' is not stage or outcome", field);
	}
	char *folded = licit_arena_alloc(&n->tables, t->len[1] + 1);
	char *c = licit_arena_strndup(&n->tables, canon, t->len[2]);
	if (!folded || !c || LICIT_GROW(n->rules, n->rules_cap, n->nrules + 1) != LICIT_OK)
		return licit_error_set(err, t->source, t->line, NULL, "out of memory");
	licit_text_fold(t->v[1], t->len[1], folded);
	n->rules[n->nrules++] = (struct value_rule){f, folded, c};
	return LICIT_OK;
}

static int load_values(struct licit_protest_normaliser *n, const char *path,
                       struct licit_error *err)
{
	static const struct licit_table_col cols[] = {{"field", LICIT_COL_REQUIRED},
	                                              {"value", LICIT_COL_REQUIRED},
	                                              {"canonical", LICIT_COL_REQUIRED}};
	if (licit_table_load(path, cols, 3, value_row, n, NULL, err) != LICIT_OK)
		return LICIT_ERR;
	if (n->nrules == 0)
		return licit_error_set(err, path, 0, NULL, "the value table is empty");
	return LICIT_OK;
}

struct licit_protest_normaliser *
licit_protest_normaliser_new(const char *values_path, struct licit_error *err)
{
	struct licit_protest_normaliser *n = calloc(1, sizeof *n);
	if (!n) {
		licit_error_set(err, "", 0, NULL, "out of memory");
		return NULL;
	}
	licit_arena_init(&n->tables, 1 << 12);
	licit_arena_init(&n->row, 1 << 12);
	for (int i = 0; i < LICIT_P_NFIELDS; i++)
		n->col[i] = -1;
	if (values_path && load_values(n, values_path, err) != LICIT_OK) {
		licit_protest_normaliser_free(n);
		return NULL;
	}
	return n;
}

void licit_protest_normaliser_free(struct licit_protest_normaliser *n)
{
	if (!n)
		return;
	free(n->rules);
	free(n->fold);
	licit_arena_fini(&n->tables);
	licit_arena_fini(&n->row);
	free(n);
}

int licit_protest_normaliser_bind(struct licit_protest_normaliser *n,
                                  const struct licit_reader *r,
                                  licit_diag_fn fn, void *ctx, struct licit_error *err)
{
	const char *const *h = licit_reader_header(r);
	size_t nc = licit_reader_ncols(r);
	for (int f = 0; f < LICIT_P_NFIELDS; f++)
		n->col[f] = -1;
	/* an alias earlier in the list wins over a later one */
	for (int f = 0; f < LICIT_P_SOURCE; f++)
		for (int a = 0; aliases[f][a] && n->col[f] < 0; a++)
			for (size_t i = 0; i < nc && n->col[f] < 0; i++) {
				const char *fh = fold(n, h[i], strlen(h[i]));
				if (!fh)
					return licit_error_set(err, licit_reader_source(r), 0, NULL,
					                       "out of memory");
				if (strcmp(fh, aliases[f][a]) == 0)
					n->col[f] = (int)i;
			}
	const char *src = licit_reader_source(r);
	if (n->col[LICIT_P_PROCEDURE_ID] < 0)
		return licit_error_set(err, src, 1, NULL,
		                       "no procedure column (procedure_id, "
		                       "NUMERO_PROCEDIMIENTO, ...) in the header: not a "
		                       "protest register");
	char missing[200] = "";
	for (int f = 0; f < LICIT_P_SOURCE; f++)
		if (n->col[f] < 0)
			snprintf(missing + strlen(missing), sizeof missing - strlen(missing),
			         "%s%s", missing[0] ? ", " : "", field_names[f]);
	if (missing[0])
		licit_diag(fn, ctx, LICIT_WARNING, src, 1, NULL, NULL, "no column for %s: left empty",
		           missing);
	return LICIT_OK;
}

/* The user's table first (an empty canonical value there unmaps a value
 * of the built-in table), then the built-in one; NULL when unknown. */
static const char *lookup(const struct licit_protest_normaliser *n,
                          enum licit_protest_field f, const char *folded)
{
	for (size_t i = 0; i < n->nrules; i++)
		if (n->rules[i].field == f && strcmp(n->rules[i].folded, folded) == 0)
			return n->rules[i].canonical[0] ? n->rules[i].canonical : NULL;
	for (size_t i = 0; i < sizeof builtin_values / sizeof *builtin_values; i++)
		if (builtin_values[i].field == f && strcmp(builtin_values[i].folded, folded) == 0)
			return builtin_values[i].canonical;
	return NULL;
}

int licit_protest_normaliser_row(struct licit_protest_normaliser *n,
                                 const struct licit_row *row, const char *source,
                                 const char *const **out, licit_diag_fn fn, void *ctx,
                                 struct licit_error *err)
{
	licit_arena_reset(&n->row);
	for (int f = 0; f < LICIT_P_SOURCE; f++) {
		int c = n->col[f];
		n->out[f] = "";
		if (c < 0 || (size_t)c >= row->n)
			continue;
		const char *raw = row->v[c];
		size_t len = row->len[c];
		char *v = licit_arena_alloc(&n->row, len + 16);
		if (!v)
			return licit_error_set(err, source, row->line, NULL, "out of memory");
		switch (f) {
		case LICIT_P_FILED_DATE:
		case LICIT_P_RESOLVED_DATE: {
			enum licit_date_status st = licit_date_parse(raw, len, v, len + 16);
			if (st == LICIT_DATE_INVALID) {
				licit_diag(fn, ctx, LICIT_WARNING, source, row->line, field_names[f],
				           raw, "not a date");
				v[0] = '\0';
			} else if (st == LICIT_DATE_EMPTY) {
				v[0] = '\0';
			}
			break;
		}
		case LICIT_P_STAGE:
		case LICIT_P_OUTCOME: {
			const char *fv = fold(n, raw, len);
			if (!fv)
				return licit_error_set(err, source, row->line, NULL, "out of memory");
			const char *canon = NULL;
			if (!fv[0])
				canon = "";
			else if ((f == LICIT_P_STAGE && licit_protest_stage_parse(fv)) ||
			         (f == LICIT_P_OUTCOME && licit_protest_outcome_parse(fv)))
				canon = f == LICIT_P_STAGE
				        ? licit_protest_stage_name(licit_protest_stage_parse(fv))
				        : licit_protest_outcome_name(licit_protest_outcome_parse(fv));
			else
				canon = lookup(n, (enum licit_protest_field)f, fv);
			if (!canon) {
				licit_diag(fn, ctx, LICIT_WARNING, source, row->line, field_names[f],
				           raw, "%s not in the value table: left empty",
				           f == LICIT_P_STAGE ? "stage" : "outcome");
				canon = "";
			}
			strcpy(v, canon);
			break;
		}
		default:
			licit_text_squeeze(raw, len, v);
			break;
		}
		n->out[f] = v;
	}
	char *line = licit_arena_alloc(&n->row, 24);
	if (!line)
		return licit_error_set(err, source, row->line, NULL, "out of memory");
	snprintf(line, 24, "%ld", row->recno);
	n->out[LICIT_P_SOURCE] = source ? source : "";
	n->out[LICIT_P_SOURCE_LINE] = line;
	*out = n->out;
	return LICIT_OK;
}
