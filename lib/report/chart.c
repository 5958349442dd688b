/* The report's charts: static inline SVG, no script. Each has a <title>
 * and a <desc> (its text alternative), each bar its own <title> (the
 * tooltip: numerator / denominator) and is focusable; the palette is
 * Okabe and Ito's, safe for colour-blind readers, and the highlight is
 * also a ▲ mark, never colour alone. */
#include <string.h>

#include "page_impl.h"

#define W 720
#define LABEL 190
#define RIGHT 84
#define ROW 22
#define TOP 26

static const char *const palette[5] = {"#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#999999"};
#define BLUE "#0072B2"
#define HOT "#D55E00"

static void head(struct page *pg, const char *title, int h, const char *desc_lead)
{
	int id = ++pg->nchart;
	outf(pg, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"c%d-t "
	         "c%d-d\" xmlns=\"http://www.w3.org/2000/svg\"><title id=\"c%d-t\">",
	     W, h, id, id, id);
	esc(pg, title);
	outf(pg, "</title><desc id=\"c%d-d\">", id);
	esc(pg, desc_lead);
	out(pg, "</desc>");
}

static void label(struct page *pg, int y, const char *s)
{
	char cut[64];
	size_t n = strlen(s);
	if (n > 30) { /* whole UTF-8 characters */
		n = 28;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		snprintf(cut, sizeof cut, "%.*s…", (int)n, s);
		s = cut;
	}
	outf(pg, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL - 6, y + 15);
	esc(pg, s);
	out(pg, "</text>");
}

/* A scale that holds every value: the smallest of 5 %, 10 %, ... 100 %. */
static double scale_max(const struct bar *b, size_t n, const struct mark *m, size_t nm)
{
	double top = 0;
	for (size_t i = 0; i < n; i++)
		if (!isnan(b[i].value) && b[i].value > top)
			top = b[i].value;
	for (size_t i = 0; i < nm; i++)
		if (m[i].at > top)
			top = m[i].at;
	static const double nice[] = {0.05, 0.1, 0.2, 0.25, 0.5, 1};
	for (size_t i = 0; i < sizeof nice / sizeof *nice; i++)
		if (top <= nice[i])
			return nice[i];
	return top;
}

static void axis(struct page *pg, double max, int h)
{
	double span = W - LABEL - RIGHT;
	for (int t = 0; t <= 4; t++) {
		double x = LABEL + span * t / 4;
		char v[32];
		fmt_pct(pg, max * t / 4, v, sizeof v);
		outf(pg, "<line class=\"grid\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
		         "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
		     x, x, TOP - 4, h - 4, x, TOP - 10, v);
	}
}

void chart_bars(struct page *pg, const char *title, const struct bar *b, size_t n,
                const struct mark *m, size_t nm)
{
	int h = TOP + (int)n * ROW + 8 + (nm ? 16 * (int)nm : 0);
	double max = scale_max(b, n, m, nm), span = W - LABEL - RIGHT;
	head(pg, title, h, title);
	axis(pg, max, h - 16 * (int)nm);
	for (size_t i = 0; i < n; i++) {
		int y = TOP + (int)i * ROW;
		char v[48];
		fmt_pct(pg, b[i].value, v, sizeof v);
		out(pg, "<g tabindex=\"0\" class=\"bar\"><title>");
		esc(pg, b[i].label);
		outf(pg, ": %s", *v ? v : "–");
		if (b[i].tip && *b[i].tip) {
			out(pg, " (");
			esc(pg, b[i].tip);
			out(pg, ")");
		}
		if (b[i].hot) {
			out(pg, " ▲ ");
			out(pg, lb(pg, LB_OVER));
		}
		out(pg, "</title>");
		label(pg, y, b[i].label);
		if (!isnan(b[i].value)) {
			double w = span * (b[i].value > max ? 1 : b[i].value / max);
			outf(pg, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>"
			         "<text x=\"%.1f\" y=\"%d\">%s%s</text>",
			     LABEL, y + 3, w, ROW - 6, b[i].hot ? HOT : BLUE, LABEL + w + 4, y + 15,
			     b[i].hot ? "▲ " : "", v);
		} else {
			outf(pg, "<text x=\"%d\" y=\"%d\">–</text>", LABEL + 4, y + 15);
		}
		out(pg, "</g>");
	}
	for (size_t i = 0; i < nm; i++) {
		double x = LABEL + span * (m[i].at > max ? 1 : m[i].at / max);
		int y = TOP + (int)n * ROW + 4 + 16 * (int)i;
		char v[48];
		fmt_pct(pg, m[i].at, v, sizeof v);
		outf(pg, "<line class=\"mark m%zu\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\"/>"
		         "<text class=\"marklabel\" x=\"%.1f\" y=\"%d\">",
		     i, x, x, TOP - 4, TOP + (int)n * ROW, x + 3, y + 12);
		esc(pg, m[i].label);
		outf(pg, " %s</text>", v);
	}
	out(pg, "</svg>");
}

/* The width a legend entry takes at the tick's 11px font: its characters
 * (not bytes: "adjudicación" has 12), at most 7px each, the swatch and a
 * gap. */
static double legend_width(const char *name)
{
	size_t chars = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		chars += (*p & 0xC0) != 0x80;
	return 14 + 7.0 * (double)chars + 12;
}

void chart_stack(struct page *pg, const char *title, const struct stack *s, size_t n,
                 const char *const *names, size_t k)
{
	/* the legend, above the bars, on as many lines as it needs */
	int lines = 1;
	double lx = LABEL;
	for (size_t j = 0; j < k; j++) {
		if (lx > LABEL && lx + legend_width(names[j]) > W) {
			lines++;
			lx = LABEL;
		}
		lx += legend_width(names[j]);
	}
	int top = TOP + 16 * (lines - 1);
	int h = top + (int)n * ROW + 8;
	double span = W - LABEL - RIGHT;
	head(pg, title, h, title);
	lx = LABEL;
	int ly = 4;
	for (size_t j = 0; j < k; j++) {
		if (lx > LABEL && lx + legend_width(names[j]) > W) {
			ly += 16;
			lx = LABEL;
		}
		outf(pg, "<rect x=\"%.1f\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		         "<text class=\"tick\" x=\"%.1f\" y=\"%d\">",
		     lx, ly, palette[j], lx + 13, ly + 9);
		esc(pg, names[j]);
		out(pg, "</text>");
		lx += legend_width(names[j]);
	}
	for (size_t i = 0; i < n; i++) {
		int y = top + (int)i * ROW;
		label(pg, y, s[i].label);
		double x = LABEL;
		int drawn = 0;
		for (size_t j = 0; j < k; j++) {
			double p = s[i].part[j];
			if (isnan(p) || p <= 0)
				continue;
			char v[48];
			fmt_pct(pg, p, v, sizeof v);
			out(pg, "<g tabindex=\"0\" class=\"bar\"><title>");
			esc(pg, s[i].label);
			out(pg, " · ");
			esc(pg, names[j]);
			outf(pg, ": %s", v);
			if (s[i].tip[j] && *s[i].tip[j]) {
				out(pg, " (");
				esc(pg, s[i].tip[j]);
				out(pg, ")");
			}
			outf(pg, "</title><rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
			         "fill=\"%s\"/></g>",
			     x, y + 3, span * p, ROW - 6, palette[j]);
			x += span * p;
			drawn = 1;
		}
		if (!drawn) {
			outf(pg, "<text x=\"%d\" y=\"%d\">– (", LABEL + 4, y + 15);
			out(pg, lb(pg, LB_EMPTY));
			out(pg, ")</text>");
		}
	}
	out(pg, "</svg>");
}
