/* The report's red flags: the Mexico rules of licit flags, run on the
 * records' second pass, with their counts per rule and entity and the
 * first rows that raise each rule, with the rule's reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#include "licit/flags/flags.h"

int licit_report_settle(struct licit_report *r, struct licit_error *err)
{
	if (!r->fl)
		return LICIT_OK;
	size_t n = licit_flags_nrules(r->fl);
	if (licit_flags_settle(r->fl) < 0 || !(r->rules = calloc(n + 1, sizeof *r->rules)))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	/* the rules that run, in the order of licit_flags_eval's outcomes */
	r->nrules = 0;
	for (size_t i = 0; i < n; i++)
		if ((r->rules[r->nrules].code = licit_flags_rule(r->fl, i, NULL)))
			r->nrules++;
	return LICIT_OK;
}

int licit_report_bind2(struct licit_report *r, const struct licit_reader *rd,
                       struct licit_error *err)
{
	(void)err;
	licit_flags_bind(r->fl, rd);
	r->fl_entity_col = licit_reader_col(rd, "entity_id");
	r->fl_contract_col = licit_reader_col(rd, "contract_id");
	r->fl_source_col = licit_reader_col(rd, "source");
	r->fl_line_col = licit_reader_col(rd, "source_line");
	r->side_source = licit_reader_source(rd);
	return LICIT_OK;
}

static const char *col(const struct licit_row *row, int c)
{
	return c >= 0 && (size_t)c < row->n ? row->v[c] : "";
}

int licit_report_flag(struct licit_report *r, const struct licit_row *row,
                      struct licit_error *err)
{
	const struct licit_flag *out;
	size_t n;
	if (licit_flags_eval(r->fl, row, &out, &n) < 0)
		goto oom;
	r->fl_rows++;
	const char *ent = col(row, r->fl_entity_col);
	const char *src = r->fl_source_col >= 0 ? col(row, r->fl_source_col) : r->side_source;
	const char *line = col(row, r->fl_line_col);
	long long ln = *line ? strtoll(line, NULL, 10) : row->recno;
	for (size_t i = 0; i < n && i < r->nrules; i++) {
		char key[512];
		int k = snprintf(key, sizeof key, "%d\x1f%s\x1f%.400s", (int)out[i].outcome,
		                 out[i].code, ent);
		if (rep_tally_add(&r->rule_entity, key, (size_t)k, 1) < 0)
			goto oom;
		if (out[i].outcome != LICIT_RAISED)
			continue;
		const char *s = rep_source(r, src);
		if (!s || rep_list_add(&r->rules[i].rows, r->o.max_rows, s, ln,
		                       col(row, r->fl_contract_col), out[i].reason, ent) != LICIT_OK)
			goto oom;
	}
	return LICIT_OK;
oom:
	return licit_error_set(err, NULL, 0, NULL, "out of memory");
}
