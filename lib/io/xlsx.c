/* xlsx input: one sheet of a spreadsheet read as CSV text. libarchive
 * opens the zip container, expat parses the XML: the workbook (sheet
 * names, the 1904 date system), its relationships (where each sheet is),
 * the styles (which number formats are dates) and the shared strings are
 * read first; the sheet itself is then parsed as it is read, and a stdio
 * stream (fopencookie) hands its rows to the CSV back end as CSV text.
 * Cells: shared strings, inline strings, formula strings, numbers (as
 * stored; exponents written out), booleans, errors, and numbers in a date
 * format as ISO dates; a missing cell is an empty field, a missing row an
 * empty line, and each row is padded to the header's width. */
#define _GNU_SOURCE /* fopencookie */
#include "reader_impl.h"

#include "archive_lib.h"

#include <errno.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>

#include "licit/values/value.h"

#define MAXSHEETS 256

struct buf {
	char *s;
	size_t len, cap;
};

static int buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (b->len + n + 1 > cap)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

static const char *attr(const XML_Char **a, const char *name)
{
	for (; a && a[0]; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return NULL;
}

/* The element name without its namespace prefix ("x:c" is "c"). */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

/* ---- what is read before the sheet ------------------------------------------ */

struct book {
	/* workbook.xml */
	char *sheet_name[MAXSHEETS], *sheet_rid[MAXSHEETS];
	int nsheets;
	int date1904;
	/* workbook.xml.rels: id -> target */
	char **rel_id, **rel_target;
	int nrels;
	/* styles.xml: per cell format (s="i"), whether it shows a date */
	unsigned char *xf_date;
	int nxf;
	int *fmt_id;  /* custom number formats */
	unsigned char *fmt_date;
	int nfmt;
	int in_xfs;
	/* sharedStrings.xml */
	char **sst;
	size_t nsst, capsst;
	struct buf text;
	int in_si, in_t, in_rph;
	int oom;
};

static char *xstrdup(struct book *b, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		b->oom = 1;
	return d;
}

static void *grow(struct book *b, void *p, size_t n, size_t size)
{
	void *q = realloc(p, n * size);
	if (!q)
		b->oom = 1;
	return q ? q : p;
}

/* A number format code shows a date or time when it has d, m, y, h or s
 * outside quoted text, [colour] and \-escaped characters. */
static int code_is_date(const char *c)
{
	int q = 0, br = 0;
	for (; *c; c++) {
		if (*c == '\\' && c[1]) {
			c++;
			continue;
		}
		if (*c == '"')
			q = !q;
		else if (!q && *c == '[')
			br = 1;
		else if (!q && *c == ']')
			br = 0;
		else if (!q && !br && strchr("dmyhsDMYHS", *c))
			return 1;
	}
	return 0;
}

static int builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) ||
	       (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void book_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
	struct book *b = ctx;
	const char *n = local(name);
	if (strcmp(n, "sheet") == 0 && b->nsheets < MAXSHEETS) {
		const char *rid = attr(a, "r:id");
		for (const XML_Char **p = a; !rid && p && p[0]; p += 2)
			if (strcmp(local(p[0]), "id") == 0 && strchr(p[0], ':'))
				rid = p[1];
		b->sheet_name[b->nsheets] = xstrdup(b, attr(a, "name"));
		b->sheet_rid[b->nsheets] = xstrdup(b, rid);
		b->nsheets++;
	} else if (strcmp(n, "workbookPr") == 0) {
		const char *d = attr(a, "date1904");
		b->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
	} else if (strcmp(n, "Relationship") == 0) {
		b->rel_id = grow(b, b->rel_id, (size_t)b->nrels + 1, sizeof *b->rel_id);
		b->rel_target = grow(b, b->rel_target, (size_t)b->nrels + 1, sizeof *b->rel_target);
		if (b->oom)
			return;
		b->rel_id[b->nrels] = xstrdup(b, attr(a, "Id"));
		b->rel_target[b->nrels] = xstrdup(b, attr(a, "Target"));
		b->nrels++;
	} else if (strcmp(n, "numFmt") == 0) {
		const char *id = attr(a, "numFmtId"), *code = attr(a, "formatCode");
		b->fmt_id = grow(b, b->fmt_id, (size_t)b->nfmt + 1, sizeof *b->fmt_id);
		b->fmt_date = grow(b, b->fmt_date, (size_t)b->nfmt + 1, 1);
		if (b->oom)
			return;
		b->fmt_id[b->nfmt] = id ? atoi(id) : -1;
		b->fmt_date[b->nfmt] = code && code_is_date(code);
		b->nfmt++;
	} else if (strcmp(n, "cellXfs") == 0) {
		b->in_xfs = 1;
	} else if (strcmp(n, "xf") == 0 && b->in_xfs) {
		const char *id = attr(a, "numFmtId");
		int f = id ? atoi(id) : 0, date = builtin_date(f);
		for (int i = 0; i < b->nfmt; i++)
			if (b->fmt_id[i] == f)
				date = b->fmt_date[i];
		b->xf_date = grow(b, b->xf_date, (size_t)b->nxf + 1, 1);
		if (!b->oom)
			b->xf_date[b->nxf++] = (unsigned char)date;
	} else if (strcmp(n, "si") == 0) {
		b->in_si = 1;
		b->text.len = 0;
	} else if (strcmp(n, "rPh") == 0) {
		b->in_rph = 1; /* phonetic reading: not the text */
	} else if (strcmp(n, "t") == 0 && b->in_si) {
		b->in_t = 1;
	}
}

static void book_end(void *ctx, const XML_Char *name)
{
	struct book *b = ctx;
	const char *n = local(name);
	if (strcmp(n, "cellXfs") == 0) {
		b->in_xfs = 0;
	} else if (strcmp(n, "t") == 0) {
		b->in_t = 0;
	} else if (strcmp(n, "rPh") == 0) {
		b->in_rph = 0;
	} else if (strcmp(n, "si") == 0 && b->in_si) {
		b->in_si = 0;
		if (b->nsst == b->capsst) {
			b->capsst = b->capsst ? b->capsst * 2 : 256;
			b->sst = grow(b, b->sst, b->capsst, sizeof *b->sst);
			if (b->oom)
				return;
		}
		b->sst[b->nsst++] = xstrdup(b, b->text.s ? b->text.s : "");
	}
}

static void book_text(void *ctx, const XML_Char *s, int len)
{
	struct book *b = ctx;
	if (b->in_si && b->in_t && !b->in_rph && buf_add(&b->text, s, (size_t)len) < 0)
		b->oom = 1;
}

static void book_free(struct book *b)
{
	for (int i = 0; i < b->nsheets; i++) {
		free(b->sheet_name[i]);
		free(b->sheet_rid[i]);
	}
	for (int i = 0; i < b->nrels; i++) {
		free(b->rel_id[i]);
		free(b->rel_target[i]);
	}
	free(b->rel_id);
	free(b->rel_target);
	free(b->xf_date);
	free(b->fmt_id);
	free(b->fmt_date);
	for (size_t i = 0; i < b->nsst; i++)
		free(b->sst[i]);
	free(b->sst);
	free(b->text.s);
}

/* ---- reading members ----------------------------------------------------------- */

static struct archive *zip_at_start(const struct licit_la *la, FILE *src)
{
	rewind(src);
	struct archive *a = la->read_new();
	if (!a)
		return NULL;
	la->read_support_format_zip(a);
	if (la->read_open_FILE(a, src) != ARCHIVE_OK) {
		la->read_free(a);
		return NULL;
	}
	return a;
}

/* Parses the current member of a with a fresh parser using the book
 * handlers; 0, or -1 with err filled. */
static int parse_member(const struct licit_la *la, struct archive *a, struct book *b,
                        const char *name, const char *member, struct licit_error *err)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		return licit_error_set(err, name, 0, NULL, "out of memory");
	XML_SetUserData(p, b);
	XML_SetElementHandler(p, book_start, book_end);
	XML_SetCharacterDataHandler(p, book_text);
	char chunk[1 << 15];
	la_ssize_t n;
	int rc = 0;
	do {
		n = la->read_data(a, chunk, sizeof chunk);
		if (n < 0) {
			rc = licit_error_set(err, name, 0, NULL, "unreadable spreadsheet (%s): %s",
			                     member, la->error_string(a));
			break;
		}
		if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
			rc = licit_error_set(err, name, 0, NULL, "spreadsheet %s, line %lu: %s",
			                     member, (unsigned long)XML_GetCurrentLineNumber(p),
			                     XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (b->oom) {
			rc = licit_error_set(err, name, 0, NULL, "out of memory");
			break;
		}
	} while (n > 0);
	XML_ParserFree(p);
	return rc;
}

/* Reads workbook, relationships, styles and shared strings, in whatever
 * order the archive holds them. */
static int read_book(const struct licit_la *la, FILE *src, struct book *b, const char *name,
                     struct licit_error *err)
{
	static const char *const parts[] = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels",
	                                    "xl/styles.xml", "xl/sharedStrings.xml"};
	struct archive *a = zip_at_start(la, src);
	if (!a)
		return licit_error_set(err, name, 0, NULL, "unreadable spreadsheet");
	struct archive_entry *e;
	int st, rc = 0;
	while (rc == 0 && (st = la->read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *p = la->entry_pathname(e);
		for (size_t i = 0; p && i < sizeof parts / sizeof *parts; i++)
			if (strcmp(p, parts[i]) == 0)
				rc = parse_member(la, a, b, name, p, err);
	}
	if (rc == 0 && st != ARCHIVE_EOF)
		rc = licit_error_set(err, name, 0, NULL, "unreadable spreadsheet: %s",
		                     la->error_string(a));
	la->read_free(a);
	return rc;
}

/* The member path of the sheet to read, or NULL with err filled. */
static char *sheet_path(const struct book *b, const char *name, const char *want,
                        struct licit_error *err)
{
	int k = -1;
	for (int i = 0; i < b->nsheets && k < 0; i++)
		if (!want || strcmp(b->sheet_name[i], want) == 0)
			k = i;
	if (k < 0) {
		char list[200] = "";
		for (int i = 0; i < b->nsheets && strlen(list) + strlen(b->sheet_name[i]) + 8 < sizeof list; i++)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s\"%s\"",
			         i ? ", " : "", b->sheet_name[i]);
		if (want)
			licit_error_set(err, name, 0, NULL, "no sheet named \"%s\" (sheets: %s)",
			                want, list[0] ? list : "none");
		else
			licit_error_set(err, name, 0, NULL, "spreadsheet without sheets");
		return NULL;
	}
	const char *target = NULL;
	for (int i = 0; i < b->nrels && !target; i++)
		if (strcmp(b->rel_id[i], b->sheet_rid[k]) == 0)
			target = b->rel_target[i];
	if (!target) {
		licit_error_set(err, name, 0, NULL, "sheet \"%s\" has no part in the spreadsheet",
		                b->sheet_name[k]);
		return NULL;
	}
	size_t len = strlen(target) + 4;
	char *path = malloc(len);
	if (!path) {
		licit_error_set(err, name, 0, NULL, "out of memory");
		return NULL;
	}
	if (target[0] == '/')
		snprintf(path, len, "%s", target + 1);
	else
		snprintf(path, len, "xl/%s", target);
	return path;
}

/* ---- the sheet as CSV text ---------------------------------------------------- */

enum cell_kind { CELL_NUMBER, CELL_SHARED, CELL_INLINE, CELL_STRING, CELL_BOOL, CELL_OTHER };

struct sheet {
	struct book book;
	const struct licit_la *la;
	struct archive *a;
	FILE *src;
	int owned;
	XML_Parser p;
	int done, failed;
	struct buf out;   /* CSV text not yet handed out */
	size_t out_pos;
	long row;         /* last row written (1-based) */
	long col;         /* next column in the current row (0-based) */
	long width;       /* the first row's width */
	long cells;       /* fields written in the current row */
	int in_row, in_cell, in_v, in_is, in_t, in_rph;
	enum cell_kind kind;
	int date;         /* the cell's style shows a date */
	struct buf value;
};

static void emit(struct sheet *s, const char *t, size_t n)
{
	if (buf_add(&s->out, t, n) < 0)
		s->failed = 1;
}

static void emit_field(struct sheet *s, const char *v, size_t n)
{
	if (s->cells)
		emit(s, ",", 1);
	s->cells++;
	if (n == 0)
		return;
	if (strpbrk(v, ",\"\r\n") == NULL) {
		emit(s, v, n);
		return;
	}
	emit(s, "\"", 1);
	for (const char *q; (q = memchr(v, '"', n)) != NULL; n -= (size_t)(q + 1 - v), v = q + 1) {
		emit(s, v, (size_t)(q - v) + 1);
		emit(s, "\"", 1);
	}
	emit(s, v, n);
	emit(s, "\"", 1);
}

/* "B12" -> 1; -1 when there is no reference. */
static long ref_col(const char *r)
{
	long c = 0;
	int any = 0;
	for (; r && *r >= 'A' && *r <= 'Z' && c < 1L << 20; r++, any = 1)
		c = c * 26 + (*r - 'A' + 1);
	return any ? c - 1 : -1;
}

static long ref_row(const char *r)
{
	while (r && *r >= 'A' && *r <= 'Z')
		r++;
	return r && *r ? strtol(r, NULL, 10) : -1;
}

/* A number as stored, with an exponent written out: "1.5E6" -> "1500000". */
static size_t plain_number(const char *v, char *out, size_t cap)
{
	const char *e = strpbrk(v, "eE");
	size_t n = strlen(v);
	if (!e || n + 2 > cap / 2)
		return (size_t)snprintf(out, cap, "%s", v);
	long x = strtol(e + 1, NULL, 10);
	if (x > 40 || x < -40)
		return (size_t)snprintf(out, cap, "%s", v);
	char dig[64];
	size_t nd = 0, o = 0;
	long point = -1;
	const char *p = v;
	if (*p == '-' || *p == '+')
		if (*p++ == '-')
			out[o++] = '-';
	for (; p < e && nd < sizeof dig; p++) {
		if (*p == '.')
			point = (long)nd;
		else if (*p >= '0' && *p <= '9')
			dig[nd++] = *p;
	}
	if (point < 0)
		point = (long)nd;
	point += x; /* digits before the decimal point */
	if (point <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (long i = point; i < 0; i++)
			out[o++] = '0';
		memcpy(out + o, dig, nd);
		o += nd;
	} else {
		for (long i = 0; i < point; i++)
			out[o++] = (size_t)i < nd ? dig[i] : '0';
		if ((size_t)point < nd) {
			out[o++] = '.';
			memcpy(out + o, dig + point, nd - (size_t)point);
			o += nd - (size_t)point;
		}
	}
	out[o] = '\0';
	return o;
}

/* A serial date (days since 1899-12-30, or 1904-01-01) as ISO text. */
static size_t serial_date(const char *v, int date1904, char *out, size_t cap)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || d < 0 || d > 2958465.0) /* past 9999-12-31 */
		return (size_t)snprintf(out, cap, "%s", v);
	long days = (long)d;
	long secs = (long)((d - (double)days) * 86400.0 + 0.5);
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	/* days from 1970-01-01: 1904 system, serial 0 is 1904-01-01; 1900
	 * system, serial 1 is 1900-01-01 and serial 60 the 29 February 1900
	 * that never was, so from 61 on the origin is 1899-12-30 */
	long z = date1904 ? days - 24107 : days < 61 ? days - 25568 : days - 25569;
	long y, mm, dd;
	licit_civil_from_days(z, &y, &mm, &dd);
	if (secs)
		return (size_t)snprintf(out, cap, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld", y, mm, dd,
		                        secs / 3600, secs / 60 % 60, secs % 60);
	return (size_t)snprintf(out, cap, "%04ld-%02ld-%02ld", y, mm, dd);
}

static void end_row(struct sheet *s)
{
	if (s->row == 1 || s->width == 0)
		s->width = s->cells;
	while (s->cells < s->width)
		emit_field(s, "", 0);
	emit(s, "\n", 1);
}

static void start_row(struct sheet *s, long r)
{
	if (r <= s->row)
		r = s->row + 1;
	/* rows with no cell at all are empty lines, so that lines keep the
	 * sheet's row numbers */
	for (; s->row + 1 < r && s->row < r; s->row++)
		emit(s, "\n", 1);
	s->row = r;
	s->col = 0;
	s->cells = 0;
}

static void end_cell(struct sheet *s)
{
	const char *v = s->value.s ? s->value.s : "";
	size_t n = s->value.len;
	char tmp[128];
	switch (s->kind) {
	case CELL_SHARED: {
		char *end;
		unsigned long k = strtoul(v, &end, 10);
		if (end != v && k < s->book.nsst) {
			v = s->book.sst[k];
			n = strlen(v);
		} else {
			v = "";
			n = 0;
		}
		break;
	}
	case CELL_BOOL:
		v = strcmp(v, "1") == 0 ? "TRUE" : strcmp(v, "0") == 0 ? "FALSE" : v;
		n = strlen(v);
		break;
	case CELL_NUMBER:
		if (n && n < 64) {
			n = s->date ? serial_date(v, s->book.date1904, tmp, sizeof tmp)
			            : plain_number(v, tmp, sizeof tmp);
			v = tmp;
		}
		break;
	default:
		break;
	}
	emit_field(s, v, n);
	s->col++;
}

static void sheet_start(void *ctx, const XML_Char *name, const XML_Char **a)
{
	struct sheet *s = ctx;
	const char *n = local(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(a, "r");
		start_row(s, r ? strtol(r, NULL, 10) : s->row + 1);
		s->in_row = 1;
	} else if (strcmp(n, "c") == 0 && s->in_row) {
		const char *r = attr(a, "r"), *t = attr(a, "t"), *st = attr(a, "s");
		long c = ref_col(r);
		if (c >= 0 && ref_row(r) == s->row)
			for (; s->col < c && s->col < (1L << 14); s->col++)
				emit_field(s, "", 0);
		s->kind = !t || strcmp(t, "n") == 0 ? CELL_NUMBER
		        : strcmp(t, "s") == 0       ? CELL_SHARED
		        : strcmp(t, "inlineStr") == 0 ? CELL_INLINE
		        : strcmp(t, "str") == 0     ? CELL_STRING
		        : strcmp(t, "b") == 0       ? CELL_BOOL
		                                    : CELL_OTHER;
		long k = st ? strtol(st, NULL, 10) : 0;
		s->date = k >= 0 && k < s->book.nxf && s->book.xf_date[k];
		s->value.len = 0;
		if (s->value.s)
			s->value.s[0] = '\0';
		s->in_cell = 1;
	} else if (s->in_cell && strcmp(n, "v") == 0) {
		s->in_v = 1;
	} else if (s->in_cell && strcmp(n, "is") == 0) {
		s->in_is = 1;
	} else if (s->in_is && strcmp(n, "rPh") == 0) {
		s->in_rph = 1;
	} else if (s->in_is && strcmp(n, "t") == 0) {
		s->in_t = 1;
	}
}

static void sheet_end(void *ctx, const XML_Char *name)
{
	struct sheet *s = ctx;
	const char *n = local(name);
	if (strcmp(n, "row") == 0 && s->in_row) {
		end_row(s);
		s->in_row = 0;
	} else if (strcmp(n, "c") == 0 && s->in_cell) {
		end_cell(s);
		s->in_cell = 0;
	} else if (strcmp(n, "v") == 0) {
		s->in_v = 0;
	} else if (strcmp(n, "is") == 0) {
		s->in_is = 0;
	} else if (strcmp(n, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(n, "t") == 0) {
		s->in_t = 0;
	}
}

static void sheet_text(void *ctx, const XML_Char *t, int len)
{
	struct sheet *s = ctx;
	if ((s->in_v && s->kind != CELL_INLINE) || (s->in_t && !s->in_rph))
		if (buf_add(&s->value, t, (size_t)len) < 0)
			s->failed = 1;
}

static void sheet_free(struct sheet *s)
{
	if (s->p)
		XML_ParserFree(s->p);
	if (s->a)
		s->la->read_free(s->a);
	if (s->owned && s->src)
		fclose(s->src);
	book_free(&s->book);
	free(s->out.s);
	free(s->value.s);
	free(s);
}

static ssize_t sheet_read(void *c, char *buf, size_t size)
{
	struct sheet *s = c;
	while (s->out_pos == s->out.len && !s->done) {
		if (s->failed) {
			errno = EBADMSG;
			return -1;
		}
		s->out.len = s->out_pos = 0;
		char chunk[1 << 15];
		la_ssize_t n = s->la->read_data(s->a, chunk, sizeof chunk);
		if (n < 0 || XML_Parse(s->p, chunk, (int)(n < 0 ? 0 : n), n == 0) == XML_STATUS_ERROR) {
			errno = EBADMSG; /* corrupt archive or sheet XML */
			return -1;
		}
		if (n == 0)
			s->done = 1;
	}
	size_t k = s->out.len - s->out_pos;
	if (k > size)
		k = size;
	memcpy(buf, s->out.s + s->out_pos, k);
	s->out_pos += k;
	return (ssize_t)k;
}

static int sheet_close(void *c)
{
	sheet_free(c);
	return 0;
}

FILE *xlsx_open(FILE *src, int owned, const char *name, const char *want,
                struct licit_error *err)
{
	struct licit_error why;
	const struct licit_la *la = licit_la_load("xlsx input", &why);
	struct sheet *s = la ? calloc(1, sizeof *s) : NULL;
	if (!s) {
		if (owned)
			fclose(src);
		licit_error_set(err, name, 0, NULL, "%s", la ? "out of memory" : why.text);
		return NULL;
	}
	s->la = la;
	s->src = src;
	s->owned = owned;
	char *path = NULL;
	if (read_book(la, src, &s->book, name, err) != 0 ||
	    !(path = sheet_path(&s->book, name, want, err)))
		goto fail;
	s->a = zip_at_start(la, src);
	struct archive_entry *e;
	int found = 0;
	while (s->a && !found && la->read_next_header(s->a, &e) == ARCHIVE_OK)
		found = la->entry_pathname(e) && strcmp(la->entry_pathname(e), path) == 0;
	if (!found) {
		licit_error_set(err, name, 0, NULL, "spreadsheet part %s is missing", path);
		goto fail;
	}
	free(path);
	path = NULL;
	if (!(s->p = XML_ParserCreate("UTF-8"))) {
		licit_error_set(err, name, 0, NULL, "out of memory");
		goto fail;
	}
	XML_SetUserData(s->p, s);
	XML_SetElementHandler(s->p, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(s->p, sheet_text);
	FILE *f = fopencookie(s, "r", (cookie_io_functions_t){
		.read = sheet_read, .close = sheet_close});
	if (f) {
		setvbuf(f, NULL, _IOFBF, 1 << 16);
		return f;
	}
	licit_error_set(err, name, 0, NULL, "out of memory");
fail:
	free(path);
	sheet_free(s);
	return NULL;
}
