/* The report page's sections on the other engines and the run: red
 * flags, bid protests, data quality, and how to reproduce the page. */
#include <stdlib.h>
#include <string.h>

#include "page_impl.h"

#include "licit/protest/protest.h"
#include "licit/values/value.h"

static void count_cell(struct page *pg, long long n)
{
	char v[64];
	fmt_count(pg, (double)n, v, sizeof v);
	outf(pg, "<td data-value=\"%lld\">%s</td>", n, v);
}

/* ---- red flags ---- */

/* The counts of rule i per entity. */
static void rule_entities(struct page *pg, size_t i)
{
	const struct licit_report *r = pg->r;
	size_t ne = r->fl_ent ? licit_map_count(r->fl_ent) : 0;
	outf(pg, "<div class=\"tw\"><table><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">"
	         "%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     lb(pg, LB_ENTITY), lb(pg, LB_RAISED), lb(pg, LB_NOTRAISED), lb(pg, LB_NA));
	for (size_t e = 0; e < ne; e++) {
		const char *name = licit_map_key(r->fl_ent, e, NULL);
		const long long *c = r->fl_counts + (e * r->nrules + i) * 3;
		out(pg, "<tr><th scope=\"row\">");
		esc(pg, *name ? name : "–");
		out(pg, "</th>");
		for (int k = 0; k < 3; k++)
			count_cell(pg, c[k]);
		out(pg, "</tr>");
	}
	out(pg, "</tbody></table></div>");
}

void sec_flags(struct page *pg)
{
	const struct licit_report *r = pg->r;
	if (!r->fl) {
		outf(pg, "<p>%s</p>", lb(pg, LB_NOFLAGS));
		return;
	}
	struct bar *b = calloc(r->nrules + 1, sizeof *b);
	char (*tips)[96] = calloc(r->nrules + 1, sizeof *tips);
	if (b && tips) {
		for (size_t i = 0; i < r->nrules; i++) {
			const long long *c = r->rules[i].counts;
			b[i].label = r->rules[i].code;
			b[i].value = c[0] + c[1] ? (double)c[0] / (double)(c[0] + c[1]) : NAN;
			snprintf(tips[i], sizeof tips[i], "%lld / %lld", c[0], c[0] + c[1]);
			b[i].tip = tips[i];
		}
		char title[160];
		snprintf(title, sizeof title, "%s: %s / (%s + %s)", lb(pg, LB_FLAGS), lb(pg, LB_RAISED),
		         lb(pg, LB_RAISED), lb(pg, LB_NOTRAISED));
		out(pg, "<figure>");
		chart_bars(pg, title, b, r->nrules, NULL, 0);
		out(pg, "<figcaption>");
		esc(pg, title);
		out(pg, "</figcaption></figure>");
	}
	free(b);
	free(tips);
	outf(pg, "<div class=\"tw\"><table id=\"flags-table\"><thead><tr><th scope=\"col\">%s</th>"
	         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "</tr></thead><tbody>",
	     lb(pg, LB_RULE), lb(pg, LB_RAISED), lb(pg, LB_NOTRAISED), lb(pg, LB_NA));
	for (size_t i = 0; i < r->nrules; i++) {
		outf(pg, "<tr id=\"flag-%s\"><th scope=\"row\">", r->rules[i].code);
		esc(pg, r->rules[i].code);
		out(pg, "</th>");
		for (int c = 0; c < 3; c++)
			count_cell(pg, r->rules[i].counts[c]);
		out(pg, "</tr>");
	}
	out(pg, "</tbody></table></div>");
	for (size_t i = 0; i < r->nrules; i++) {
		out(pg, "<details><summary>");
		esc(pg, r->rules[i].code);
		outf(pg, ": %s</summary>", lb(pg, LB_ROWS));
		rule_entities(pg, i);
		rows_table(pg, &r->rules[i].rows, lb(pg, LB_RAISED));
		out(pg, "</details>");
	}
}

/* ---- bid protests ---- */

static const struct licit_protest_measure *measure(const struct licit_protest_measure *m,
                                                   size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	return NULL;
}

/* A measure's cell: the value as licit bidprotest-stats prints it in
 * data-value, shown as a percentage (ratios) or a count. */
static void measure_cell(struct page *pg, const struct licit_protest_measure *m,
                         const char *id)
{
	if (!m) {
		out(pg, "<td></td>");
		return;
	}
	char raw[64] = "", shown[64] = "", a[64] = "", b[64] = "";
	if (!isnan(m->value)) {
		if (m->kind == LICIT_MEASURE_COUNT)
			snprintf(raw, sizeof raw, "%.0f", m->value);
		else
			licit_amount_format(m->value, raw, sizeof raw);
	}
	if (m->kind == LICIT_MEASURE_RATIO)
		fmt_pct(pg, m->value, shown, sizeof shown);
	else
		fmt_count(pg, m->value, shown, sizeof shown);
	out(pg, "<td tabindex=\"0\"");
	if (id)
		outf(pg, " id=\"%s\"", id);
	outf(pg, " data-value=\"%s\"", raw);
	int nd = m->kind == LICIT_MEASURE_RATIO && !isnan(m->numerator) && !isnan(m->denominator);
	if (nd) {
		fmt_dec(pg, m->numerator, strcmp(m->name, "mean_entity_protest_rate") ? 0 : 6, a,
		        sizeof a);
		fmt_count(pg, m->denominator, b, sizeof b);
		outf(pg, " title=\"%s / %s\"", a, b);
	}
	out(pg, ">");
	if (*shown)
		out(pg, shown);
	else
		outf(pg, "<span class=\"na\">%s</span>", lb(pg, LB_NOPROCS));
	if (nd)
		outf(pg, "<small>%s / %s</small>", a, b);
	out(pg, "</td>");
}

static const char *const pcols[] = {"protests", "procedures", "protest_rate",
                                    "dismissed_share", "founded_share_of_examined",
                                    "award_stage_share"};

static void protest_row(struct page *pg, const char *entity,
                        const struct licit_protest_counts *c, int total)
{
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t n = licit_protest_measures(c, total ? LICIT_PM_MEAN : 0, m);
	outf(pg, "<tr%s><th scope=\"row\">", total ? " class=\"all\"" : "");
	esc(pg, total ? lb(pg, LB_ALL) : *entity ? entity : "–");
	out(pg, "</th>");
	for (size_t i = 0; i < sizeof pcols / sizeof *pcols; i++) {
		char id[160];
		snprintf(id, sizeof id, "protest-%.100s-%s", total ? "ALL" : entity, pcols[i]);
		for (char *p = id; *p; p++)
			if (*p == ' ' || *p == '"')
				*p = '_';
		measure_cell(pg, measure(m, n, pcols[i]), id);
	}
	if (total)
		measure_cell(pg, measure(m, n, "mean_entity_protest_rate"),
		             "protest-ALL-mean_entity_protest_rate");
	else
		out(pg, "<td></td>");
	out(pg, "</tr>");
}

void sec_protests(struct page *pg)
{
	const struct licit_report *r = pg->r;
	if (!r->ps || !r->have_protests) {
		outf(pg, "<p>%s</p>", lb(pg, LB_NOPROT));
		return;
	}
	size_t n = licit_protest_stats_nrows(r->ps);
	const struct licit_protest_counts *all = licit_protest_stats_total(r->ps);
	struct licit_protest_measure tm[LICIT_PM_MAX];
	size_t ntm = licit_protest_measures(all, LICIT_PM_MEAN, tm);
	const struct licit_protest_measure *pooled = measure(tm, ntm, "protest_rate"),
	                                   *mean = measure(tm, ntm, "mean_entity_protest_rate");
	struct bar *b = calloc(n + 1, sizeof *b);
	char (*tips)[96] = calloc(n + 1, sizeof *tips);
	if (b && tips) {
		for (size_t i = 0; i < n; i++) {
			const struct licit_protest_counts *c = licit_protest_stats_row(r->ps, i);
			struct licit_protest_measure m[LICIT_PM_MAX];
			size_t nm = licit_protest_measures(c, 0, m);
			const struct licit_protest_measure *rate = measure(m, nm, "protest_rate");
			b[i].label = licit_protest_stats_keys(r->ps, i)[0];
			b[i].value = rate ? rate->value : NAN;
			if (rate && !isnan(rate->value))
				snprintf(tips[i], sizeof tips[i], "%.0f / %.0f", rate->numerator,
				         rate->denominator);
			b[i].tip = tips[i];
			b[i].hot = pooled && !isnan(b[i].value) && b[i].value > pooled->value;
		}
		struct mark mk[2];
		size_t nmk = 0;
		if (pooled && !isnan(pooled->value))
			mk[nmk++] = (struct mark){pooled->value, lb(pg, LB_POOLED)};
		if (mean && !isnan(mean->value))
			mk[nmk++] = (struct mark){mean->value, lb(pg, LB_MEANR)};
		out(pg, "<figure>");
		chart_bars(pg, lb(pg, LB_PRATE), b, n, mk, nmk);
		out(pg, "<figcaption>");
		esc(pg, lb(pg, LB_PRATE));
		out(pg, "</figcaption></figure>");
	}
	free(b);
	free(tips);
	outf(pg, "<div class=\"tw\"><table id=\"protest-table\"><thead><tr><th scope=\"col\">%s"
	         "</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "<th scope=\"col\">%s</th></tr></thead><tbody>",
	     lb(pg, LB_ENTITY), lb(pg, LB_PROTESTS), lb(pg, LB_PROCEDURES), lb(pg, LB_PRATE),
	     lb(pg, LB_DISMISSED), lb(pg, LB_FOUNDED), lb(pg, LB_AWARDST), lb(pg, LB_MEANR));
	for (size_t i = 0; i < n; i++)
		protest_row(pg, licit_protest_stats_keys(r->ps, i)[0],
		            licit_protest_stats_row(r->ps, i), 0);
	protest_row(pg, "ALL", all, 1);
	out(pg, "</tbody></table></div>");
	const struct rep_tally *t = &r->protest_rows;
	size_t ne = t->names ? licit_map_count(t->names) : 0;
	for (size_t i = 0; i < ne; i++) {
		out(pg, "<details><summary>");
		esc(pg, licit_map_key(t->names, i, NULL));
		outf(pg, ": %s</summary>", lb(pg, LB_ROWS));
		rows_table(pg, &t->rows[i], lb(pg, LB_PROTESTS));
		out(pg, "</details>");
	}
}

/* ---- data quality ---- */

static void tally_table(struct page *pg, const struct rep_tally *t, enum label caption,
                        enum label col, int with_rows)
{
	size_t n = t->names ? licit_map_count(t->names) : 0;
	outf(pg, "<div class=\"tw\"><table><caption>%s</caption><thead><tr><th scope=\"col\">%s"
	         "</th><th scope=\"col\">%s</th></tr></thead><tbody>",
	     lb(pg, caption), lb(pg, col), lb(pg, LB_COUNT));
	if (!n)
		outf(pg, "<tr><td colspan=\"2\">%s</td></tr>", lb(pg, LB_NONE));
	for (size_t i = 0; i < n; i++) {
		out(pg, "<tr><th scope=\"row\">");
		esc(pg, licit_map_key(t->names, i, NULL));
		out(pg, "</th>");
		count_cell(pg, t->n[i]);
		out(pg, "</tr>");
	}
	out(pg, "</tbody></table></div>");
	for (size_t i = 0; with_rows && i < n; i++) {
		out(pg, "<details><summary>");
		esc(pg, licit_map_key(t->names, i, NULL));
		outf(pg, ": %s</summary>", lb(pg, LB_ROWS));
		rows_table(pg, &t->rows[i], licit_map_key(t->names, i, NULL));
		out(pg, "</details>");
	}
}

void sec_quality(struct page *pg)
{
	const struct licit_report *r = pg->r;
	outf(pg, "<div class=\"tw\"><table><tbody><tr><th scope=\"row\">%s</th>",
	     lb(pg, LB_ROWSREAD));
	count_cell(pg, r->rows);
	outf(pg, "</tr><tr><th scope=\"row\">%s</th>", lb(pg, LB_TESTROWS));
	count_cell(pg, r->test_rows);
	outf(pg, "</tr><tr><th scope=\"row\">%s</th>", lb(pg, LB_UNDATED));
	count_cell(pg, r->undated);
	out(pg, "</tr></tbody></table></div>");
	tally_table(pg, &r->per_source, LB_PERSOURCE, LB_SOURCE, 0);
	tally_table(pg, &r->currencies, LB_CURRENCIES, LB_CURRENCIES, 0);
	tally_table(pg, &r->kpi_problems, LB_KPIPROB, LB_FIELD, 0);
	if (r->have_issues)
		tally_table(pg, &r->issues, LB_PROBLEMS, LB_FIELD, 1);
	else
		outf(pg, "<p>%s: %s</p>", lb(pg, LB_PROBLEMS), lb(pg, LB_NOISSUES));
	if (r->have_removed)
		tally_table(pg, &r->removed, LB_REMOVED, LB_RULE, 1);
	else
		outf(pg, "<p>%s: %s</p>", lb(pg, LB_REMOVED), lb(pg, LB_NOREMOVED));
}

/* ---- how to reproduce ---- */

void sec_repro(struct page *pg)
{
	static const enum label what[] = {LB_MIX, LB_FLAGS, LB_PROT, LB_TITLE};
	const struct licit_report_page *p = pg->p;
	out(pg, "<dl>");
	for (size_t i = 0; i < p->ncmds; i++) {
		out(pg, "<dt>");
		if (p->cmds[i].what == LICIT_WHAT_KPI) /* one kpi table serves four sections */
			outf(pg, "%s, %s, %s, %s", lb(pg, LB_MIX), lb(pg, LB_DIRECT), lb(pg, LB_COMP),
			     lb(pg, LB_CONC));
		else
			out(pg, lb(pg, what[p->cmds[i].what]));
		out(pg, "</dt><dd><pre><code>");
		esc(pg, p->cmds[i].line);
		out(pg, "</code></pre></dd>");
	}
	out(pg, "</dl>");
	if (p->manifest) {
		outf(pg, "<h3>%s</h3><pre id=\"manifest\">", lb(pg, LB_MANIFEST));
		esc(pg, p->manifest);
		out(pg, "</pre>");
	} else {
		outf(pg, "<p>%s</p>", lb(pg, LB_NOMANIFEST));
	}
}
