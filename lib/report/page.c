/* The report page: the document, its style sheet (screen, phone,
 * print), the summary and the sections on the kpi engine's figures
 * (procedure mix, direct awards, competition, concentration). */
#include <stdlib.h>
#include <string.h>

#include "page_impl.h"

static const char css[] =
	":root{color-scheme:light}"
	"body{font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;"
	"max-width:75rem;padding:0 1rem 3rem;color:#111;background:#fff}"
	"a{color:#0b5394}"
	".skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;"
	"padding:.5rem;outline:3px solid #0072B2}"
	"h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.5rem;border-bottom:2px solid #0072B2}"
	"nav ol{columns:2 14rem;padding-left:1.2rem}"
	".tw{overflow-x:auto;max-width:100%}"
	"table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}"
	"caption{text-align:left;font-weight:600;padding:.3rem 0}"
	"th,td{border-bottom:1px solid #ccc;padding:.25rem .5rem;text-align:right;vertical-align:top}"
	"th[scope=row],thead th:first-child,td.l,th.l{text-align:left}"
	"thead th{background:#f2f2f2}"
	"td small{display:block;color:#555;font-size:.75rem;white-space:nowrap}"
	"td:focus,g.bar:focus,a:focus{outline:3px solid #000;outline-offset:1px}"
	"tr.over>*{background:#fbe3d6}tr.all>*{font-weight:600;border-top:2px solid #111}"
	".na{color:#777}"
	"figure{margin:1rem 0}figcaption{font-size:.9rem;color:#333;max-width:50rem}"
	".chart{width:100%;max-width:720px;height:auto;font-size:12px;display:block}"
	".chart text{fill:#111}.chart .tick{fill:#444;font-size:11px}.grid{stroke:#ddd}"
	".mark{stroke:#000;stroke-dasharray:5 3;stroke-width:1.5}.m1{stroke-dasharray:1.5 2.5}"
	".rows caption{text-align:left;font-weight:600;padding:.3rem 0}"
	"details{margin:.3rem 0}summary{cursor:pointer}"
	".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(13rem,1fr));gap:.75rem}"
	".kpis div{border:1px solid #ccc;padding:.6rem}.kpis b{display:block;font-size:1.4rem}"
	"pre{white-space:pre-wrap;word-break:break-all;background:#f4f4f4;padding:.5rem;"
	"font-size:.8rem}code{font-size:.85rem}"
	"@media (max-width:40rem){body{font-size:15px;padding:0 .5rem}th,td{padding:.2rem .3rem}"
	"nav ol{columns:1}}"
	"@media print{.skip,nav{display:none}body{max-width:none;font-size:9.5pt;padding:0}"
	"h2{break-after:avoid}table,figure,.kpis div{break-inside:avoid}a{color:#000;"
	"text-decoration:none}.tw{overflow:visible}td:focus{outline:none}}";

static void section(struct page *pg, const char *id, enum label title, enum label intro)
{
	outf(pg, "<section id=\"%s\" aria-labelledby=\"%s-h\"><h2 id=\"%s-h\">%s</h2>", id, id, id,
	     lb(pg, title));
	if (intro != LB_N)
		outf(pg, "<p>%s</p>", lb(pg, intro));
}

int licit_report_write_html(const struct licit_report *r, const struct licit_report_page *p,
                            FILE *f)
{
	struct page pg = {.f = f, .r = r, .p = p, .lang = p->lang};
	int es = p->lang == LICIT_LANG_ES;
	outf(&pg, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	          "style-src 'unsafe-inline'; img-src data:\">"
	          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	          "<meta name=\"generator\" content=\"licit %s\"><title>%s</title><style>%s</style>"
	          "</head><body>\n",
	     es ? "es" : "en", p->version, lb(&pg, LB_TITLE), css);
	outf(&pg, "<a class=\"skip\" href=\"#main\">%s</a><header><h1>%s</h1><p>", lb(&pg, LB_SKIP),
	     lb(&pg, LB_TITLE));
	char files[1024] = "";
	size_t n = 0;
	for (size_t i = 0; i < p->ninputs && n + 1 < sizeof files; i++)
		n += (size_t)snprintf(files + n, sizeof files - n, "%s%s", i ? ", " : "",
		                      p->inputs[i]);
	char made[1400];
	snprintf(made, sizeof made, lb(&pg, LB_MADE), p->version, files);
	esc(&pg, made);
	out(&pg, ". ");
	outf(&pg, lb(&pg, LB_CAPNOTE), r->o.max_rows);
	outf(&pg, " %s</p>", lb(&pg, LB_TRACE));
	/* the sections, in the page's order: the table of contents and the
	 * page itself are both made from this one list */
	static const struct {
		const char *id;
		enum label title, intro;
		void (*write)(struct page *);
	} secs[] = {
		{"summary", LB_SUMMARY, LB_N, sec_summary},
		{"mix", LB_MIX, LB_MIX_INTRO, sec_mix},
		{"direct", LB_DIRECT, LB_DIRECT_INTRO, sec_direct},
		{"competition", LB_COMP, LB_COMP_INTRO, sec_comp},
		{"concentration", LB_CONC, LB_CONC_INTRO, sec_conc},
		{"flags", LB_FLAGS, LB_FLAGS_INTRO, sec_flags},
		{"protests", LB_PROT, LB_PROT_INTRO, sec_protests},
		{"quality", LB_QUAL, LB_N, sec_quality},
		{"reproduce", LB_REPRO, LB_REPRO_INTRO, sec_repro},
	};
	size_t nsecs = sizeof secs / sizeof *secs;
	outf(&pg, "<nav aria-label=\"%s\"><ol>", lb(&pg, LB_CONTENTS));
	for (size_t i = 0; i < nsecs; i++)
		outf(&pg, "<li><a href=\"#%s\">%s</a></li>", secs[i].id, lb(&pg, secs[i].title));
	out(&pg, "</ol></nav></header>\n<main id=\"main\" tabindex=\"-1\">\n");
	for (size_t i = 0; i < nsecs; i++) {
		section(&pg, secs[i].id, secs[i].title, secs[i].intro);
		secs[i].write(&pg);
		out(&pg, i + 1 < nsecs ? "</section>\n" : "</section>\n</main></body></html>\n");
	}
	return ferror(f) ? -1 : 0;
}

/* A chart's caption: its title, and how many of the groups it shows
 * when it shows fewer than all. Closes the <figure>. */
static void caption(struct page *pg, const char *title, size_t n)
{
	const struct licit_report *r = pg->r;
	out(pg, "<figcaption>");
	esc(pg, title);
	out(pg, ". ");
	if (n < r->ng)
		outf(pg, lb(pg, LB_CHARTCAP), n, r->ng);
	out(pg, "</figcaption></figure>");
}

/* ---- summary ---- */

static void tile(struct page *pg, const char *name, const char *value, const char *id,
                 const char *note)
{
	outf(pg, "<div><b id=\"%s\">", id);
	esc(pg, value);
	out(pg, "</b>");
	esc(pg, name);
	if (note && *note) {
		out(pg, "<br><small>");
		esc(pg, note);
		out(pg, "</small>");
	}
	out(pg, "</div>");
}

static void num_den(const struct page *pg, const struct rep_fig *f, char *buf, size_t cap)
{
	char a[64], b[64];
	fmt_count(pg, fig_num(f->v[1]), a, sizeof a);
	fmt_count(pg, fig_num(f->v[2]), b, sizeof b);
	if (*a || *b)
		snprintf(buf, cap, "%s / %s", *a ? a : "–", *b ? b : "–");
	else
		buf[0] = '\0';
}

void sec_summary(struct page *pg)
{
	const struct licit_report *r = pg->r;
	const struct rep_fig *a = r->all.fig;
	char v[96], note[160];
	out(pg, "<div class=\"kpis\">");
	fmt_count(pg, fig_num(a[K_CONTRACTS].v[0]), v, sizeof v);
	tile(pg, lb(pg, LB_CONTRACTS), v, "sum-contracts", NULL);
	fmt_count(pg, fig_num(a[K_AMOUNT].v[0]), v, sizeof v);
	snprintf(note, sizeof note, "%s", a[K_CURRENCY].v[0] ? a[K_CURRENCY].v[0] : "");
	tile(pg, lb(pg, LB_AMOUNT), *v ? v : "–", "sum-amount", note);
	fmt_pct(pg, fig_num(a[K_DIR_A].v[0]), v, sizeof v);
	num_den(pg, &a[K_DIR_A], note, sizeof note);
	tile(pg, lb(pg, LB_DSHARE), *v ? v : "–", "sum-direct", note);
	long long over = 0, rated = 0;
	for (size_t i = 0; i < r->ng; i++) {
		const char *o = r->g[i].fig[K_OVER_CAP].v[0];
		rated += o && *o;
		over += o && strcmp(o, "1") == 0;
	}
	snprintf(v, sizeof v, "%lld / %lld", over, rated);
	tile(pg, lb(pg, LB_OVER), v, "sum-over", NULL);
	fmt_pct(pg, fig_num(a[K_SINGLE].v[0]), v, sizeof v);
	num_den(pg, &a[K_SINGLE], note, sizeof note);
	tile(pg, lb(pg, LB_SINGLE), *v ? v : "–", "sum-single", note);
	fmt_pct(pg, fig_num(a[K_TOP_SHARE].v[0]), v, sizeof v);
	tile(pg, lb(pg, LB_TOPSHARE), *v ? v : "–", "sum-top", a[K_TOP].v[0]);
	out(pg, "</div>");
}

/* ---- procedure mix ---- */

static const int mix_c[4] = {K_OPEN_C, K_SEL_C, K_LIM_C, K_DIR_C};
static const int mix_a[4] = {K_OPEN_A, K_SEL_A, K_LIM_A, K_DIR_A};
static const char *const mix_id[4] = {"open", "selective", "limited", "direct"};

static void tip(const struct page *pg, const struct rep_fig *f, char *buf, size_t cap)
{
	num_den(pg, f, buf, cap);
}

static void mix_chart(struct page *pg, const int *k, enum label how)
{
	const struct licit_report *r = pg->r;
	size_t idx[CHART_MAX], n = chart_groups(r, idx);
	struct stack *s = calloc(n + 1, sizeof *s);
	char (*labels)[128] = calloc(n + 1, sizeof *labels);
	char (*tips)[4][96] = calloc(n + 1, sizeof *tips);
	if (!s || !labels || !tips)
		goto done;
	for (size_t i = 0; i <= n; i++) {
		const struct rep_group *g = i < n ? &r->g[idx[i]] : &r->all;
		if (i < n)
			group_label(r, g, labels[i], sizeof labels[i]);
		else
			snprintf(labels[i], sizeof labels[i], "%s", lb(pg, LB_ALL));
		s[i].label = labels[i];
		for (int j = 0; j < 4; j++) {
			s[i].part[j] = fig_num(g->fig[k[j]].v[0]);
			tip(pg, &g->fig[k[j]], tips[i][j], sizeof tips[i][j]);
			s[i].tip[j] = tips[i][j];
		}
	}
	const char *names[4] = {lb(pg, LB_OPEN), lb(pg, LB_SELECTIVE), lb(pg, LB_LIMITED),
	                        lb(pg, LB_DIRECTT)};
	char title[200];
	snprintf(title, sizeof title, "%s, %s", lb(pg, LB_MIX), lb(pg, how));
	out(pg, "<figure>");
	chart_stack(pg, title, s, n + 1, names, 4);
	caption(pg, title, n);
done:
	free(s);
	free(labels);
	free(tips);
}

/* The id of an ALL-row cell: "mix-all-share_direct_count". */
static void all_id(char *buf, size_t cap, const struct page *pg, const struct rep_group *g,
                   int k)
{
	if (g == &pg->r->all)
		snprintf(buf, cap, "%s-all-%s", pg->idp, rep_kpi_names[k]);
	else
		buf[0] = '\0';
}

/* The rows of one table: every group, then the ALL row. cells() writes
 * a row's figures. */
static void table(struct page *pg, const char *caption, const enum label *cols, size_t ncols,
                  void (*cells)(struct page *, const struct rep_group *), int mark_over)
{
	const struct licit_report *r = pg->r;
	out(pg, "<div class=\"tw\"><table><caption>");
	esc(pg, caption);
	out(pg, "</caption><thead><tr>");
	group_head(pg);
	for (size_t i = 0; i < ncols; i++)
		outf(pg, "<th scope=\"col\">%s</th>", lb(pg, cols[i]));
	out(pg, "</tr></thead><tbody>");
	for (size_t i = 0; i <= r->ng; i++) {
		const struct rep_group *g = i < r->ng ? &r->g[i] : &r->all;
		const char *o = g->fig[K_OVER_CAP].v[0];
		int over = mark_over && o && strcmp(o, "1") == 0;
		outf(pg, "<tr%s>", g == &r->all ? " class=\"all\"" : over ? " class=\"over\"" : "");
		group_cells(pg, g);
		cells(pg, g);
		out(pg, "</tr>");
	}
	out(pg, "</tbody></table></div>");
}

static void cell(struct page *pg, const struct rep_group *g, int k, enum fig_kind kind)
{
	char id[64];
	all_id(id, sizeof id, pg, g, k);
	fig_cell(pg, &g->fig[k], kind, *id ? id : NULL);
}

static void mix_cells(struct page *pg, const struct rep_group *g)
{
	cell(pg, g, K_CONTRACTS, FK_COUNT);
	for (int j = 0; j < 4; j++)
		cell(pg, g, mix_c[j], FK_SHARE);
	cell(pg, g, K_AMOUNT, FK_AMOUNT);
	for (int j = 0; j < 4; j++)
		cell(pg, g, mix_a[j], FK_SHARE);
	size_t gi = g == &pg->r->all ? pg->r->ng : (size_t)(g - pg->r->g);
	outf(pg, "<td><a href=\"#rows-%zu\">%s</a></td>", gi, lb(pg, LB_ROWS));
}

static void rows_behind(struct page *pg)
{
	const struct licit_report *r = pg->r;
	const enum label names[L_N] = {LB_OPEN, LB_SELECTIVE, LB_LIMITED, LB_DIRECTT, LB_OTHER,
	                               LB_SINGLEROWS};
	outf(pg, "<h3>%s</h3>", lb(pg, LB_ROWS));
	for (size_t i = 0; i <= r->ng; i++) {
		const struct rep_group *g = i < r->ng ? &r->g[i] : &r->all;
		char label[160];
		if (g == &r->all)
			snprintf(label, sizeof label, "%s", lb(pg, LB_ALL));
		else
			group_label(r, g, label, sizeof label);
		/* the id inside: following a link to it opens the <details> */
		out(pg, "<details><summary>");
		esc(pg, label);
		outf(pg, "</summary><div id=\"rows-%zu\">", i);
		for (int l = 0; l < L_N; l++)
			rows_table(pg, &g->list[l], lb(pg, names[l]));
		out(pg, "</div></details>");
	}
	(void)mix_id;
}

void sec_mix(struct page *pg)
{
	pg->idp = "mix";
	mix_chart(pg, mix_c, LB_BYCOUNT);
	mix_chart(pg, mix_a, LB_BYAMOUNT);
	static const enum label cols[] = {LB_CONTRACTS, LB_OPEN, LB_SELECTIVE, LB_LIMITED,
	                                  LB_DIRECTT, LB_AMOUNT, LB_OPEN, LB_SELECTIVE,
	                                  LB_LIMITED, LB_DIRECTT, LB_ROWS};
	char cap[256];
	snprintf(cap, sizeof cap, "%s: %s (4), %s (4)", lb(pg, LB_MIX), lb(pg, LB_BYCOUNT),
	         lb(pg, LB_BYAMOUNT));
	table(pg, cap, cols, sizeof cols / sizeof *cols, mix_cells, 0);
	rows_behind(pg);
}

/* ---- bars of one share per group ---- */

static void share_chart(struct page *pg, int k, const char *title, const struct mark *m,
                        size_t nm, int hot_over)
{
	const struct licit_report *r = pg->r;
	size_t idx[CHART_MAX], n = chart_groups(r, idx);
	struct bar *b = calloc(n + 1, sizeof *b);
	char (*labels)[128] = calloc(n + 1, sizeof *labels);
	char (*tips)[96] = calloc(n + 1, sizeof *tips);
	if (!b || !labels || !tips)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const struct rep_group *g = &r->g[idx[i]];
		group_label(r, g, labels[i], sizeof labels[i]);
		b[i].label = labels[i];
		b[i].value = fig_num(g->fig[k].v[0]);
		tip(pg, &g->fig[k], tips[i], sizeof tips[i]);
		b[i].tip = tips[i];
		const char *o = g->fig[K_OVER_CAP].v[0];
		b[i].hot = hot_over && o && strcmp(o, "1") == 0;
	}
	out(pg, "<figure>");
	chart_bars(pg, title, b, n, m, nm);
	caption(pg, title, n);
done:
	free(b);
	free(labels);
	free(tips);
}

static void direct_cells(struct page *pg, const struct rep_group *g)
{
	cell(pg, g, K_AMOUNT, FK_AMOUNT);
	cell(pg, g, K_DIR_A, FK_SHARE);
	const char *o = g->fig[K_OVER_CAP].v[0];
	outf(pg, "<td data-value=\"%s\">%s</td>", o ? o : "",
	     o && strcmp(o, "1") == 0 ? "▲" : "");
}

void sec_direct(struct page *pg)
{
	const struct mark m = {0.30, "LAASSP art. 42"};
	pg->idp = "direct";
	share_chart(pg, K_DIR_A, lb(pg, LB_DSHARE), &m, 1, 1);
	static const enum label cols[] = {LB_AMOUNT, LB_DSHARE, LB_OVER};
	table(pg, lb(pg, LB_DIRECT), cols, 3, direct_cells, 1);
}

static void comp_cells(struct page *pg, const struct rep_group *g)
{
	cell(pg, g, K_PROCEDURES, FK_COUNT);
	cell(pg, g, K_SINGLE, FK_SHARE);
	cell(pg, g, K_MEAN_TEND, FK_DEC2);
}

void sec_comp(struct page *pg)
{
	pg->idp = "competition";
	share_chart(pg, K_SINGLE, lb(pg, LB_SINGLE), NULL, 0, 0);
	static const enum label cols[] = {LB_PROCEDURES, LB_SINGLE, LB_MEANT};
	table(pg, lb(pg, LB_COMP), cols, 3, comp_cells, 0);
}

static void conc_cells(struct page *pg, const struct rep_group *g)
{
	cell(pg, g, K_SUPPLIERS, FK_COUNT);
	out(pg, "<td class=\"l\">");
	esc(pg, g->fig[K_TOP].v[0] ? g->fig[K_TOP].v[0] : "");
	out(pg, "</td>");
	cell(pg, g, K_TOP_SHARE, FK_SHARE);
	cell(pg, g, K_HHI, FK_DEC3);
}

static const struct licit_report *sup_r;

static int by_amount(const void *a, const void *b)
{
	const struct rep_supplier *x = &sup_r->sup[*(const size_t *)a],
	                          *y = &sup_r->sup[*(const size_t *)b];
	if (x->amount != y->amount)
		return x->amount > y->amount ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void sec_conc(struct page *pg)
{
	pg->idp = "concentration";
	share_chart(pg, K_TOP_SHARE, lb(pg, LB_TOPSHARE), NULL, 0, 0);
	static const enum label cols[] = {LB_SUPPLIERS, LB_TOP, LB_TOPSHARE, LB_HHI};
	table(pg, lb(pg, LB_CONC), cols, 4, conc_cells, 0);
	const struct licit_report *r = pg->r;
	size_t n = licit_map_count(r->smap);
	size_t *idx = malloc((n ? n : 1) * sizeof *idx);
	if (!idx)
		return;
	double total = 0;
	for (size_t i = 0; i < n; i++) {
		idx[i] = i;
		total += r->sup[i].amount;
	}
	sup_r = r;
	qsort(idx, n, sizeof *idx, by_amount);
	outf(pg, "<div class=\"tw\"><table><caption>%s</caption><thead><tr><th scope=\"col\">%s"
	         "</th><th scope=\"col\">%s</th><th scope=\"col\">%s (MXN)</th><th scope=\"col\">"
	         "%%</th></tr></thead><tbody>",
	     lb(pg, LB_TOPSUP), lb(pg, LB_SUPPLIER), lb(pg, LB_CONTRACTS), lb(pg, LB_AMOUNT));
	for (size_t i = 0; i < n && i < 10; i++) {
		const struct rep_supplier *s = &r->sup[idx[i]];
		char a[64], c[64], p[64];
		fmt_count(pg, (double)s->contracts, c, sizeof c);
		fmt_count(pg, s->amount, a, sizeof a);
		fmt_pct(pg, total > 0 ? s->amount / total : NAN, p, sizeof p);
		out(pg, "<tr><th scope=\"row\">");
		esc(pg, s->name);
		outf(pg, "</th><td>%s</td><td>%s</td><td>%s</td></tr>", c, a, p);
	}
	out(pg, "</tbody></table></div>");
	free(idx);
}
