/* HTML output for the report page: labels in the page's language,
 * escaping, numbers in the language's convention, figure cells and the
 * tables of rows behind a figure. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "page_impl.h"

static const char *const labels[LB_N][2] = {
#define X(id, en, es) {en, es},
	LICIT_LABELS(X)
#undef X
};

const char *lb(const struct page *pg, enum label l)
{
	return labels[l][pg->lang == LICIT_LANG_ES];
}

enum licit_report_lang licit_report_lang_default(const char *lc_all, const char *lc_messages,
                                                 const char *lang)
{
	const char *v[] = {lc_all, lc_messages, lang};
	for (int i = 0; i < 3; i++)
		if (v[i] && *v[i])
			return strncmp(v[i], "es", 2) == 0 ? LICIT_LANG_ES : LICIT_LANG_EN;
	return LICIT_LANG_EN;
}

int licit_report_lang_parse(const char *s)
{
	if (strcmp(s, "en") == 0)
		return LICIT_LANG_EN;
	if (strcmp(s, "es") == 0)
		return LICIT_LANG_ES;
	return -1;
}

size_t licit_report_number(enum licit_report_lang lang, double v, int decimals, char *out,
                           size_t cap)
{
	if (!cap)
		return 0;
	if (isnan(v)) {
		out[0] = '\0';
		return 0;
	}
	char *dest = out;
	size_t dcap = cap;
	char buf[128]; /* room for any number: 1e18 has 19 digits, 6 separators */
	out = buf;
	cap = sizeof buf;
	char raw[400];
	if (fabs(v) >= 1e18)
		v = v < 0 ? -1e18 : 1e18;
	snprintf(raw, sizeof raw, "%.*f", decimals, v);
	if (strcmp(raw, "-0") == 0 || (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1)))
		memmove(raw, raw + 1, strlen(raw));
	const char *p = raw, *dot = strchr(raw, '.');
	size_t n = 0, intlen = dot ? (size_t)(dot - raw) : strlen(raw);
	if (*p == '-') {
		out[n++] = '-';
		p++;
		intlen--;
	}
	int es = lang == LICIT_LANG_ES;
	int group = es ? intlen >= 5 : intlen >= 4;
	for (size_t i = 0; i < intlen; i++) {
		if (group && i && (intlen - i) % 3 == 0) {
			if (es) { /* U+00A0 no-break space */
				out[n++] = (char)0xC2;
				out[n++] = (char)0xA0;
			} else {
				out[n++] = ',';
			}
		}
		out[n++] = p[i];
	}
	if (dot) {
		out[n++] = es ? ',' : '.';
		for (const char *d = dot + 1; *d && n + 1 < cap; d++)
			out[n++] = *d;
	}
	out[n] = '\0';
	if (n >= dcap) /* cut, but never inside a character */
		for (n = dcap - 1; n && ((unsigned char)buf[n] & 0xC0) == 0x80; n--)
			;
	memcpy(dest, buf, n);
	dest[n] = '\0';
	return n;
}

void out(struct page *pg, const char *s)
{
	fputs(s, pg->f);
}

void esc(struct page *pg, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", pg->f); break;
		case '>': fputs("&gt;", pg->f); break;
		case '&': fputs("&amp;", pg->f); break;
		case '"': fputs("&quot;", pg->f); break;
		case '\'': fputs("&#39;", pg->f); break;
		default: putc(*s, pg->f);
		}
	}
}

void outf(struct page *pg, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(pg->f, fmt, ap);
	va_end(ap);
}

double fig_num(const char *s)
{
	if (!s || !*s)
		return NAN;
	char *e;
	double v = strtod(s, &e);
	return *e ? NAN : v;
}

void fmt_pct(const struct page *pg, double share, char *buf, size_t cap)
{
	size_t n = licit_report_number(pg->lang, share * 100, 1, buf, cap);
	if (n)
		snprintf(buf + n, cap - n, "%s", pg->lang == LICIT_LANG_ES ? "\xC2\xA0%" : "%");
}

void fmt_count(const struct page *pg, double v, char *buf, size_t cap)
{
	licit_report_number(pg->lang, v, 0, buf, cap);
}

void fmt_dec(const struct page *pg, double v, int dec, char *buf, size_t cap)
{
	licit_report_number(pg->lang, v, dec, buf, cap);
}

static void fmt_kind(const struct page *pg, const char *s, enum fig_kind k, char *buf,
                     size_t cap)
{
	double v = fig_num(s);
	switch (k) {
	case FK_SHARE: fmt_pct(pg, v, buf, cap); break;
	case FK_COUNT:
	case FK_AMOUNT: fmt_count(pg, v, buf, cap); break;
	case FK_DEC2: fmt_dec(pg, v, 2, buf, cap); break;
	case FK_DEC3: fmt_dec(pg, v, 3, buf, cap); break;
	case FK_TEXT: snprintf(buf, cap, "%s", s ? s : ""); break;
	}
}

void fig_cell(struct page *pg, const struct rep_fig *f, enum fig_kind k, const char *id)
{
	const char *v = f->v[0] ? f->v[0] : "", *nu = f->v[1] ? f->v[1] : "",
	           *de = f->v[2] ? f->v[2] : "";
	char val[256], a[64], b[64];
	fmt_kind(pg, v, k, val, sizeof val);
	enum fig_kind part = k == FK_SHARE || k == FK_DEC2 || k == FK_DEC3 ? FK_AMOUNT : k;
	fmt_kind(pg, nu, part == FK_TEXT ? FK_AMOUNT : part, a, sizeof a);
	fmt_kind(pg, de, part == FK_TEXT ? FK_AMOUNT : part, b, sizeof b);
	out(pg, "<td tabindex=\"0\"");
	if (id)
		outf(pg, " id=\"%s\"", id);
	out(pg, " data-value=\"");
	esc(pg, v);
	outf(pg, "\" data-num=\"%s\" data-den=\"%s\"", nu, de);
	if (*nu || *de)
		outf(pg, " title=\"%s / %s\"", a, b);
	out(pg, ">");
	if (*v)
		esc(pg, val);
	else
		outf(pg, "<span class=\"na\" title=\"%s\">–</span>", lb(pg, LB_EMPTY));
	if (k != FK_TEXT && (*nu || *de))
		outf(pg, "<small>%s / %s</small>", a, b);
	out(pg, "</td>");
}

void group_label(const struct licit_report *r, const struct rep_group *g, char *buf,
                 size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->o.nby && n + 1 < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "",
		                      g->keys[i][0] ? g->keys[i] : "–");
}

static const char *by_label(const struct page *pg, const char *name)
{
	if (strcmp(name, "entity_id") == 0)
		return lb(pg, LB_ENTITY);
	if (strcmp(name, "year") == 0)
		return lb(pg, LB_YEAR);
	return name;
}

void group_head(struct page *pg)
{
	for (size_t i = 0; i < pg->r->o.nby; i++) {
		out(pg, "<th scope=\"col\">");
		esc(pg, by_label(pg, pg->r->o.by[i]));
		out(pg, "</th>");
	}
}

void group_cells(struct page *pg, const struct rep_group *g)
{
	/* the first key links to the group's rows behind (in the mix section) */
	size_t gi = g == &pg->r->all ? pg->r->ng : (size_t)(g - pg->r->g);
	for (size_t i = 0; i < pg->r->o.nby; i++) {
		out(pg, i ? "<td>" : "<th scope=\"row\">");
		if (!i)
			outf(pg, "<a href=\"#rows-%zu\">", gi);
		esc(pg, g == &pg->r->all ? lb(pg, LB_ALL) : g->keys[i]);
		out(pg, i ? "</td>" : "</a></th>");
	}
}

void rows_table(struct page *pg, const struct rep_list *l, const char *caption)
{
	if (!l->total)
		return;
	out(pg, "<div class=\"tw\"><table class=\"rows\"><caption>");
	esc(pg, caption);
	out(pg, " (");
	outf(pg, lb(pg, LB_SHOWN), l->n, l->total);
	outf(pg, ")</caption><thead><tr><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "<th scope=\"col\">%s</th><th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	         "</tr></thead><tbody>",
	     lb(pg, LB_SOURCE), lb(pg, LB_LINE), lb(pg, LB_ID), lb(pg, LB_WHAT), lb(pg, LB_WHO));
	for (size_t i = 0; i < l->n; i++) {
		const struct rep_sample *s = &l->s[i];
		out(pg, "<tr><td>");
		esc(pg, s->source ? s->source : "");
		outf(pg, "</td><td>%lld</td><td>", s->line);
		esc(pg, s->id ? s->id : "");
		out(pg, "</td><td>");
		esc(pg, s->what ? s->what : "");
		out(pg, "</td><td>");
		esc(pg, s->who ? s->who : "");
		out(pg, "</td></tr>");
	}
	out(pg, "</tbody></table></div>");
}

static const struct licit_report *cmp_r;

static int by_size(const void *a, const void *b)
{
	const struct rep_group *g = cmp_r->g;
	double x = fig_num(g[*(const size_t *)a].fig[K_CONTRACTS].v[0]);
	double y = fig_num(g[*(const size_t *)b].fig[K_CONTRACTS].v[0]);
	if (x != y)
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int by_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

size_t chart_groups(const struct licit_report *r, size_t *idx)
{
	size_t *all = malloc((r->ng ? r->ng : 1) * sizeof *all);
	if (!all)
		return 0;
	for (size_t i = 0; i < r->ng; i++)
		all[i] = i;
	cmp_r = r;
	qsort(all, r->ng, sizeof *all, by_size);
	size_t n = r->ng < CHART_MAX ? r->ng : CHART_MAX;
	memcpy(idx, all, n * sizeof *idx);
	free(all);
	qsort(idx, n, sizeof *idx, by_index);
	return n;
}
