/* The report's side inputs: procedures and protests (the protest
 * statistics of licit bidprotest-stats, by entity), normalise's issues
 * file (problems by field) and dedupe's removed rows (by rule). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#include "licit/protest/protest.h"

enum { C_ENTITY, C_ID, C_PROC, C_STAGE, C_OUTCOME, C_SOURCE, C_LINE, C_EXTRA };

static const char *col(const struct licit_row *row, int c)
{
	return c >= 0 && (size_t)c < row->n ? row->v[c] : "";
}

static int need(const struct licit_reader *rd, const char *name, int *out,
                struct licit_error *err)
{
	*out = licit_reader_col(rd, name);
	if (*out < 0)
		return licit_error_set(err, licit_reader_source(rd), 0, name,
		                       "no column %s (is this the right file?)", name);
	return LICIT_OK;
}

int licit_report_side_bind(struct licit_report *r, enum licit_report_side side,
                           const struct licit_reader *rd, struct licit_error *err)
{
	r->side = side;
	r->bound = rd;
	r->side_source = licit_reader_source(rd);
	for (int i = 0; i < 8; i++)
		r->sc[i] = -1;
	static const char *const names[] = {"entity_id", "protest_id", "procedure_id", "stage",
	                                    "outcome", "source", "source_line"};
	for (int i = 0; i < 7; i++)
		r->sc[i] = licit_reader_col(rd, names[i]);
	if (side == LICIT_SIDE_PROCEDURES || side == LICIT_SIDE_PROTESTS) {
		if (!r->ps) {
			const enum licit_protest_key key = LICIT_PKEY_ENTITY;
			if (!(r->ps = licit_protest_stats_new(&key, 1, err)))
				return LICIT_ERR;
		}
		if (side == LICIT_SIDE_PROCEDURES) {
			r->have_procedures = 1;
			return licit_protest_stats_bind_procedures(r->ps, rd, r->o.diag, r->o.diag_ctx,
			                                           err);
		}
		r->have_protests = 1;
		return licit_protest_stats_bind_protests(r->ps, rd, err);
	}
	if (side == LICIT_SIDE_ISSUES) {
		r->have_issues = 1;
		r->sc[C_LINE] = licit_reader_col(rd, "line");
		return need(rd, "field", &r->sc[C_EXTRA], err) == LICIT_OK &&
		               need(rd, "problem", &r->sc[C_OUTCOME], err) == LICIT_OK &&
		               need(rd, "value", &r->sc[C_ID], err) == LICIT_OK
		           ? LICIT_OK
		           : LICIT_ERR;
	}
	r->have_removed = 1;
	r->sc[C_ID] = licit_reader_col(rd, "contract_id");
	r->sc[C_PROC] = licit_reader_col(rd, "dup_of");
	return need(rd, "dup_rule", &r->sc[C_EXTRA], err);
}

/* Counts the row under name in t and keeps it in that name's list. */
static int tally_row(struct licit_report *r, struct rep_tally *t, const char *name,
                     const struct licit_row *row, const char *id, const char *what,
                     const char *who)
{
	long i = rep_tally_add(t, name, strlen(name), 1);
	if (i < 0)
		return LICIT_ERR;
	const char *src = r->sc[C_SOURCE] >= 0 ? col(row, r->sc[C_SOURCE]) : r->side_source;
	const char *line = col(row, r->sc[C_LINE]);
	long long ln = *line ? strtoll(line, NULL, 10) : row->recno;
	const char *s = rep_source(r, src);
	if (!s)
		return LICIT_ERR;
	return rep_list_add(&t->rows[i], r->o.max_rows, s, ln, id, what, who);
}

int licit_report_side_row(struct licit_report *r, const struct licit_row *row,
                          struct licit_error *err)
{
	int rc = LICIT_OK;
	switch (r->side) {
	case LICIT_SIDE_PROCEDURES:
		r->npe++;
		return licit_protest_stats_procedure(r->ps, row, r->o.diag, r->o.diag_ctx, err);
	case LICIT_SIDE_PROTESTS: {
		if (licit_protest_stats_protest(r->ps, row, r->o.diag, r->o.diag_ctx, err) != LICIT_OK)
			return LICIT_ERR;
		char what[80];
		snprintf(what, sizeof what, "%.30s %.30s", col(row, r->sc[C_STAGE]),
		         col(row, r->sc[C_OUTCOME]));
		rc = tally_row(r, &r->protest_rows, col(row, r->sc[C_ENTITY]), row,
		               col(row, r->sc[C_ID]), what, col(row, r->sc[C_PROC]));
		break;
	}
	case LICIT_SIDE_ISSUES:
		rc = tally_row(r, &r->issues, col(row, r->sc[C_EXTRA]), row, col(row, r->sc[C_ID]),
		               col(row, r->sc[C_OUTCOME]), NULL);
		break;
	case LICIT_SIDE_REMOVED:
		rc = tally_row(r, &r->removed, col(row, r->sc[C_EXTRA]), row,
		               col(row, r->sc[C_ID]), col(row, r->sc[C_PROC]), NULL);
		break;
	}
	if (rc != LICIT_OK)
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	return LICIT_OK;
}
