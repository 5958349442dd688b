/* What the files writing the report page share: the page being written,
 * its labels in two languages, HTML output helpers and the SVG charts. */
#ifndef LICIT_PAGE_IMPL_H
#define LICIT_PAGE_IMPL_H

#include <math.h>
#include <stdio.h>

#include "report_impl.h"
#include "licit/report/page.h"

/* The labels: X(id, English, Spanish) */
#define LICIT_LABELS(X)                                                                     \
	X(TITLE, "Procurement report", "Informe de contrataciones")                                \
	X(SKIP, "Skip to the content", "Ir al contenido")                                          \
	X(CONTENTS, "Contents", "Contenido")                                                       \
	X(MADE, "Made by licit %s from %s", "Hecho con licit %s a partir de %s")                   \
	X(CAPNOTE, "Rows behind each figure: the first %d (licit report --rows N changes it).",     \
	  "Filas detrás de cada cifra: las primeras %d (licit report --rows N lo cambia).")          \
	X(TRACE, "Every figure shows its numerator and denominator; hover over a bar or a cell, or open \"Rows behind\", for the rows (source file and line).", \
	  "Cada cifra muestra su numerador y su denominador; al pasar sobre una barra o celda, o al abrir \"Filas detrás\", se ven las filas (archivo y línea de origen).") \
	X(SUMMARY, "Summary", "Resumen")                                                           \
	X(MIX, "Procedure mix", "Tipos de procedimiento")                                          \
	X(MIX_INTRO, "Share of open, selective, limited and direct procedures by number of contracts and by amount, per group (licit-kpi(1): share_*_count, share_*_amount).", \
	  "Proporción de licitaciones públicas, selectivas, invitaciones y adjudicaciones directas por número de contratos y por importe, por grupo (licit-kpi(1): share_*_count, share_*_amount).") \
	X(DIRECT, "Direct awards against the 30% reference", "Adjudicaciones directas frente a la referencia del 30 %") \
	X(DIRECT_INTRO, "Amount of direct awards / amount of typed contracts (share_direct_amount), against the 30% of LAASSP art. 42; groups above it are marked ▲ and drawn in vermilion.", \
	  "Importe adjudicado directamente / importe de los contratos con tipo (share_direct_amount), frente al 30 % del art. 42 de la LAASSP; los grupos por encima llevan ▲ y se dibujan en bermellón.") \
	X(COMP, "Competition", "Competencia")                                                      \
	X(COMP_INTRO, "Single-bid rate: competitive procedures with one tenderer / competitive procedures with a known number of tenderers; mean tenderers over the same procedures.", \
	  "Tasa de oferta única: procedimientos competitivos con un participante / procedimientos competitivos con número de participantes conocido; media de participantes sobre los mismos.") \
	X(CONC, "Concentration", "Concentración")                                                  \
	X(CONC_INTRO, "Top supplier's amount / amount of the contracts naming a supplier, and the Herfindahl-Hirschman index (sum of squared supplier shares, 0 to 1).", \
	  "Importe del principal proveedor / importe de los contratos con proveedor, e índice de Herfindahl-Hirschman (suma de los cuadrados de las participaciones, de 0 a 1).") \
	X(TOPSUP, "Top suppliers (all groups)", "Principales proveedores (todos los grupos)")       \
	X(FLAGS, "Red flags", "Banderas rojas")                                                    \
	X(FLAGS_INTRO, "The Mexico rules of licit flags (licit-flags(1)): rows where each rule was raised, not raised, or could not be computed.", \
	  "Las reglas para México de licit flags (licit-flags(1)): filas donde cada regla se activó, no se activó o no pudo calcularse.") \
	X(NOFLAGS, "Not computed: run licit report with --flags.", "No calculadas: ejecute licit report con --flags.") \
	X(PROT, "Bid protests", "Inconformidades")                                                 \
	X(PROT_INTRO, "Protests / procedures per entity (licit-bidprotest-stats(1)), against the federal figure pooled (all protests / all procedures) and as the mean of the entities' rates.", \
	  "Inconformidades / procedimientos por institución (licit-bidprotest-stats(1)), frente a la cifra federal agregada (todas las inconformidades / todos los procedimientos) y a la media de las tasas de las instituciones.") \
	X(NOPROT, "Not computed: give --protests FILE and --procedures FILE.", "No calculadas: indique --protests ARCHIVO y --procedures ARCHIVO.") \
	X(QUAL, "Data quality", "Calidad de los datos")                                            \
	X(REPRO, "How to reproduce", "Cómo reproducirlo")                                          \
	X(REPRO_INTRO, "These licit command lines print the tables of this page. The manifest below (licit-manifest(5)) lists the command line, every input and table with its size and SHA-256, and the row counts; the page itself, with its SHA-256, is in the manifest that --manifest FILE writes.", \
	  "Estas órdenes de licit imprimen las tablas de esta página. El manifiesto de abajo (licit-manifest(5)) lista la orden, cada entrada y tabla con su tamaño y su SHA-256, y los conteos de filas; la página misma, con su SHA-256, está en el manifiesto que escribe --manifest ARCHIVO.") \
	X(MANIFEST, "Manifest", "Manifiesto")                                                      \
	X(NOMANIFEST, "No manifest: licit report --manifest FILE adds it here (and writes it to FILE).", \
	  "Sin manifiesto: licit report --manifest ARCHIVO lo añade aquí (y lo escribe en ARCHIVO).")                                                      \
	X(CONTRACTS, "contracts", "contratos")                                                     \
	X(PROCEDURES, "procedures", "procedimientos")                                              \
	X(AMOUNT, "amount", "importe")                                                             \
	X(OPEN, "open", "licitación pública")                                                      \
	X(SELECTIVE, "selective", "selectiva")                                                     \
	X(LIMITED, "limited", "invitación a tres")                                                 \
	X(DIRECTT, "direct", "adjudicación directa")                                               \
	X(OTHER, "other or none", "otro o sin tipo")                                               \
	X(SINGLE, "single-bid rate", "tasa de oferta única")                                       \
	X(SINGLEROWS, "single bid", "oferta única")                                                \
	X(MEANT, "mean tenderers", "media de participantes")                                       \
	X(TOP, "top supplier", "principal proveedor")                                              \
	X(TOPSHARE, "top supplier share", "participación del principal")                           \
	X(HHI, "HHI", "IHH")                                                                       \
	X(SUPPLIERS, "suppliers", "proveedores")                                                   \
	X(SUPPLIER, "supplier", "proveedor")                                                       \
	X(BYCOUNT, "by number of contracts", "por número de contratos")                            \
	X(BYAMOUNT, "by amount", "por importe")                                                    \
	X(DSHARE, "direct share by amount", "proporción directa por importe")                      \
	X(OVER, "above 30%", "por encima del 30 %")                                                \
	X(ROWS, "Rows behind", "Filas detrás")                                                     \
	X(SOURCE, "source", "fuente")                                                              \
	X(LINE, "line", "línea")                                                                   \
	X(ID, "id", "id")                                                                          \
	X(WHAT, "detail", "detalle")                                                               \
	X(WHO, "who", "quién")                                                                     \
	X(OF, "of", "de")                                                                          \
	X(SHOWN, "first %zu of %lld", "primeras %zu de %lld")                                      \
	X(RULE, "rule", "regla")                                                                   \
	X(RAISED, "raised", "activada")                                                            \
	X(NOTRAISED, "not raised", "no activada")                                                  \
	X(NA, "not computable", "no calculable")                                                   \
	X(ENTITY, "entity", "institución")                                                         \
	X(YEAR, "year", "año")                                                                     \
	X(PROTESTS, "protests", "inconformidades")                                                 \
	X(PRATE, "protest rate", "tasa de inconformidad")                                          \
	X(DISMISSED, "dismissed", "desechadas")                                                    \
	X(FOUNDED, "founded (of examined)", "fundadas (de las examinadas)")                        \
	X(AWARDST, "at the award stage", "en la etapa de fallo")                                   \
	X(POOLED, "pooled federal figure", "cifra federal agregada")                               \
	X(MEANR, "mean of entity rates", "media de las tasas")                                     \
	X(NOPROCS, "no procedures: n/a", "sin procedimientos: n/d")                                \
	X(ROWSREAD, "rows read", "filas leídas")                                                   \
	X(TESTROWS, "test rows left out (test=1)", "filas de prueba excluidas (test=1)")           \
	X(UNDATED, "rows without a date (no year)", "filas sin fecha (sin año)")                   \
	X(CURRENCIES, "currencies", "monedas")                                                     \
	X(PERSOURCE, "rows per source", "filas por fuente")                                        \
	X(PROBLEMS, "problems by field (normalise --issues)", "problemas por campo (normalise --issues)") \
	X(NOISSUES, "not given (--issues FILE: the file of licit normalise --issues)", "no indicado (--issues ARCHIVO: el de licit normalise --issues)") \
	X(KPIPROB, "values licit kpi could not use, by field", "valores que licit kpi no pudo usar, por campo") \
	X(REMOVED, "duplicates removed (dedupe --removed), by rule", "duplicados eliminados (dedupe --removed), por regla") \
	X(NOREMOVED, "not given (--removed FILE: the file of licit dedupe --removed)", "no indicado (--removed ARCHIVO: el de licit dedupe --removed)") \
	X(NONE, "none", "ninguno")                                                                 \
	X(FIELD, "field", "campo")                                                                 \
	X(COUNT, "count", "número")                                                                \
	X(CHARTCAP, "The chart shows the %zu largest of %zu groups; the table has them all.",       \
	  "El gráfico muestra los %zu mayores de %zu grupos; la tabla los tiene todos.")            \
	X(ALL, "all", "todos")                                                                     \
	X(EMPTY, "empty: no denominator", "vacío: sin denominador")                                \
	X(MXN, "MXN", "MXN")

enum label {
#define X(id, en, es) LB_##id,
	LICIT_LABELS(X)
#undef X
	LB_N
};

struct page {
	FILE *f;
	const struct licit_report *r;
	const struct licit_report_page *p;
	enum licit_report_lang lang;
	int nchart; /* charts written so far (their ids) */
	const char *idp; /* the section's prefix of cell ids ("mix") */
};

const char *lb(const struct page *pg, enum label l);

/* Raw text (already HTML), escaped text, printf of raw HTML. */
void out(struct page *pg, const char *s);
void esc(struct page *pg, const char *s);
void outf(struct page *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A kpi figure's text as a number (NAN for ""). */
double fig_num(const char *s);
/* Formats: a share as a percentage (1 decimal), a count, a number. */
void fmt_pct(const struct page *pg, double share, char *buf, size_t cap);
void fmt_count(const struct page *pg, double v, char *buf, size_t cap);
void fmt_dec(const struct page *pg, double v, int dec, char *buf, size_t cap);

/* A table cell for a figure: value (as shares, counts or decimals),
 * numerator / denominator under it, the exact values in data-*. */
enum fig_kind { FK_SHARE, FK_COUNT, FK_AMOUNT, FK_DEC2, FK_DEC3, FK_TEXT };
void fig_cell(struct page *pg, const struct rep_fig *f, enum fig_kind k, const char *id);
/* A group's label ("IMSS 2013"). */
void group_label(const struct licit_report *r, const struct rep_group *g, char *buf,
                 size_t cap);
/* The group's key cells (<th scope=row>...). */
void group_cells(struct page *pg, const struct rep_group *g);
void group_head(struct page *pg);
/* A capped list of rows: a <table> of source, line, id, what, who. */
void rows_table(struct page *pg, const struct rep_list *l, const char *caption);

/* ---- SVG charts (lib/report/chart.c) ---- */

/* A horizontal bar per item, shares in [0, 1]; marks: reference lines. */
struct bar {
	const char *label;
	double value;      /* NAN: no bar ("empty") */
	const char *tip;   /* the tooltip: numerator / denominator */
	int hot;           /* drawn in the highlight colour, with ▲ */
};
struct mark {
	double at;
	const char *label;
};
void chart_bars(struct page *pg, const char *title, const struct bar *b, size_t n,
                const struct mark *m, size_t nm);
/* A 100% stacked bar per item: n items of k segments. */
struct stack {
	const char *label;
	double part[5];
	const char *tip[5];
};
void chart_stack(struct page *pg, const char *title, const struct stack *s, size_t n,
                 const char *const *names, size_t k);

/* ---- sections (lib/report/page_*.c) ---- */
void sec_summary(struct page *pg);
void sec_mix(struct page *pg);
void sec_direct(struct page *pg);
void sec_comp(struct page *pg);
void sec_conc(struct page *pg);
void sec_flags(struct page *pg);
void sec_protests(struct page *pg);
void sec_quality(struct page *pg);
void sec_repro(struct page *pg);

/* The groups a chart shows: at most CHART_MAX, the largest by contracts,
 * in the table's order. Fills idx, returns their number. */
#define CHART_MAX 30
size_t chart_groups(const struct licit_report *r, size_t *idx);

#endif
