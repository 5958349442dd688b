/* The report's red flags: the Mexico rules of licit flags, run on the
 * records' second pass, with their counts per rule and entity and the
 * first rows that raise each rule, with the rule's reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#include "licit/core/array.h"
#include "licit/flags/flags.h"

int licit_report_settle(struct licit_report *r, struct licit_error *err)
{
	if (!r->fl)
		return LICIT_OK;
	size_t n = licit_flags_nrules(r->fl);
	if (licit_flags_settle(r->fl) < 0)
		return licit_flags_failed(err, NULL, 0);
	if (!(r->rules = calloc(n + 1, sizeof *r->rules)) || !(r->fl_ent = licit_map_new()))
		return licit_error_set(err, NULL, 0, NULL, "out of memory");
	/* the rules that run, in the order of licit_flags_eval's outcomes */
	r->nrules = 0;
	for (size_t i = 0; i < n; i++)
		if ((r->rules[r->nrules].code = licit_flags_rule(r->fl, i, NULL)))
			r->nrules++;
	r->fl_last = -1;
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

/* The number of the row's entity (its counts), -1 when memory runs out. */
static long entity(struct licit_report *r, const char *ent)
{
	size_t len = strlen(ent), klen;
	if (r->fl_last >= 0) {
		const char *k = licit_map_key(r->fl_ent, (size_t)r->fl_last, &klen);
		if (klen == len && memcmp(k, ent, len) == 0)
			return r->fl_last;
	}
	long e = licit_map_put(r->fl_ent, ent, len, NULL);
	if (e < 0)
		return -1;
	if ((size_t)e >= r->fl_cap) {
		size_t cap = licit_grow_cap(r->fl_cap, (size_t)e + 1, 3 * sizeof(long long) *
		                                                          (r->nrules ? r->nrules : 1));
		if (!cap || licit_resize(&r->fl_counts, r->fl_cap * r->nrules * 3,
		                         cap * r->nrules * 3, sizeof *r->fl_counts) != LICIT_OK)
			return -1;
		r->fl_cap = cap;
	}
	return r->fl_last = e;
}

int licit_report_flag(struct licit_report *r, const struct licit_row *row,
                      struct licit_error *err)
{
	const struct licit_flag *out;
	size_t n;
	/* reasons only while a rule still keeps its first rows */
	int want = 0;
	for (size_t i = 0; i < r->nrules && !want; i++)
		want = r->rules[i].rows.n < (size_t)r->o.max_rows;
	licit_flags_set_text(r->fl, want);
	if (licit_flags_eval(r->fl, row, &out, &n) < 0)
		goto oom;
	r->fl_rows++;
	const char *ent = col(row, r->fl_entity_col);
	long e = entity(r, ent);
	if (e < 0)
		goto oom;
	const char *src = r->fl_source_col >= 0 ? col(row, r->fl_source_col) : r->side_source;
	const char *line = col(row, r->fl_line_col);
	long long ln = *line ? strtoll(line, NULL, 10) : row->recno;
	long long *c = r->fl_counts + (size_t)e * r->nrules * 3;
	for (size_t i = 0; i < n && i < r->nrules; i++) {
		enum licit_outcome o = out[i].outcome;
		c[i * 3 + (o == LICIT_RAISED ? 0 : o == LICIT_NOT_RAISED ? 1 : 2)]++;
		if (o != LICIT_RAISED || r->rules[i].rows.n >= (size_t)r->o.max_rows) {
			if (o == LICIT_RAISED)
				r->rules[i].rows.total++;
			continue;
		}
		const char *s = rep_source(r, src);
		if (!s || rep_list_add(&r->rules[i].rows, r->o.max_rows, s, ln,
		                       col(row, r->fl_contract_col), out[i].reason, ent) != LICIT_OK)
			goto oom;
	}
	return LICIT_OK;
oom:
	return licit_error_set(err, NULL, 0, NULL, "out of memory");
}
