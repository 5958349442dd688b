/* xlsx output through libxlsxwriter (include/licit/io/xlsx_write.h).
 * libxlsxwriter writes a workbook to a file it opens by name: that file
 * is an anonymous temporary (tmpfile(3)) named through /proc/self/fd, so
 * no named file is left behind whatever ends the run, and the workbook is
 * copied from it into the output stream, like any other writer's bytes.
 * Rows go to the sheet as they come (constant-memory mode: memory does not
 * grow with the rows). The same rows make the same bytes. */
#include "licit/io/xlsx_write.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifdef LICIT_HAVE_XLSXWRITER
#include <xlsxwriter.h>

#include "lazy_lib.h"

#ifndef LICIT_XLSXWRITER_SONAME /* (CMakeLists.txt passes the one built against) */
#define LICIT_XLSXWRITER_SONAME "libxlsxwriter.so.4"
#endif

/* libxlsxwriter, loaded by the first xlsx writer (lazy_lib.h) */
static struct {
	__typeof__(workbook_new_opt) *workbook_new_opt;
	__typeof__(workbook_add_worksheet) *workbook_add_worksheet;
	__typeof__(workbook_add_format) *workbook_add_format;
	__typeof__(workbook_set_properties) *workbook_set_properties;
	__typeof__(workbook_close) *workbook_close;
	__typeof__(lxw_workbook_free) *lxw_workbook_free;
	__typeof__(format_set_bold) *format_set_bold;
	__typeof__(worksheet_write_string) *worksheet_write_string;
	__typeof__(worksheet_write_number) *worksheet_write_number;
	__typeof__(worksheet_freeze_panes) *worksheet_freeze_panes;
	__typeof__(worksheet_autofilter) *worksheet_autofilter;
	__typeof__(lxw_strerror) *lxw_strerror;
} lxw;
#define S(f) {#f, offsetof(__typeof__(lxw), f)}
static const struct lazy_sym lxw_syms[] = {
	S(workbook_new_opt), S(workbook_add_worksheet), S(workbook_add_format),
	S(workbook_set_properties), S(workbook_close), S(lxw_workbook_free), S(format_set_bold),
	S(worksheet_write_string), S(worksheet_write_number), S(worksheet_freeze_panes),
	S(worksheet_autofilter), S(lxw_strerror),
};
#undef S
static struct lazy_lib lxw_lib = LAZY_LIB(LICIT_XLSXWRITER_SONAME, lxw_syms, &lxw);

struct licit_xlsx_writer {
	FILE *out;
	FILE *tmp; /* the workbook's file */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	size_t n;
	unsigned long row; /* the next row of the sheet */
	char *cell;        /* one value with its NUL */
	size_t cap;
	struct licit_error err;
};

int licit_xlsx_available(void)
{
	return 1;
}

static int failed(struct licit_xlsx_writer *x, const char *fmt, const char *what)
{
	return licit_error_set(&x->err, NULL, 0, NULL, fmt, what);
}

/* v[0..n) as a C string in x->cell; NULL when memory runs out */
static const char *cstr(struct licit_xlsx_writer *x, const char *v, size_t n)
{
	if (n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 256;
		while (cap < n + 1)
			cap *= 2;
		char *p = realloc(x->cell, cap);
		if (!p)
			return NULL;
		x->cell = p;
		x->cap = cap;
	}
	memcpy(x->cell, v, n);
	x->cell[n] = '\0';
	return x->cell;
}

struct licit_xlsx_writer *licit_xlsx_writer_new(FILE *f, const char *const *names, size_t n,
                                                struct licit_error *err)
{
	if (lazy_lib_load(&lxw_lib, "xlsx output", err) != LICIT_OK)
		return NULL;
	struct licit_xlsx_writer *x = calloc(1, sizeof *x);
	if (!x) {
		licit_error_set(err, NULL, 0, NULL, "out of memory");
		return NULL;
	}
	x->out = f;
	x->n = n;
	char name[64];
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = getenv("TMPDIR")};
	if (!(x->tmp = tmpfile())) {
		licit_error_set(err, NULL, 0, NULL, "xlsx: cannot create a temporary file: %s",
		                strerror(errno));
		free(x);
		return NULL;
	}
	snprintf(name, sizeof name, "/proc/self/fd/%d", fileno(x->tmp));
	lxw_format *bold = NULL;
	if (!(x->wb = lxw.workbook_new_opt(name, &opt)) ||
	    !(x->ws = lxw.workbook_add_worksheet(x->wb, NULL)) ||
	    !(bold = lxw.workbook_add_format(x->wb))) {
		licit_error_set(err, NULL, 0, NULL, "xlsx: cannot start a workbook (out of memory?)");
		licit_xlsx_writer_discard(x);
		return NULL;
	}
	lxw.format_set_bold(bold);
	/* the same rows make the same file: a fixed creation time (the zip
	 * members' own date, 1980-01-01), not the clock */
	lxw_doc_properties props = {.created = 315532800};
	lxw.workbook_set_properties(x->wb, &props);
	for (size_t i = 0; i < n; i++)
		if (lxw.worksheet_write_string(x->ws, 0, (lxw_col_t)i, names[i], bold) != LXW_NO_ERROR) {
			licit_error_set(err, NULL, 0, NULL, "xlsx: column name '%s' not written",
			                names[i]);
			licit_xlsx_writer_discard(x);
			return NULL;
		}
	lxw.worksheet_freeze_panes(x->ws, 1, 0);
	x->row = 1;
	return x;
}

int licit_xlsx_writer_row(struct licit_xlsx_writer *x, const char *const *v, const size_t *len,
                          const unsigned char *number)
{
	if (x->row >= LICIT_XLSX_ROWS)
		return failed(x, "xlsx: a sheet holds %s rows under its header: this output has "
		              "more (write it as --format csv)", "1048575");
	for (size_t i = 0; i < x->n; i++) {
		size_t n = len ? len[i] : strlen(v[i]);
		if (!n)
			continue;
		const char *s = cstr(x, v[i], n);
		if (!s)
			return failed(x, "%s", "out of memory");
		lxw_error e = number && number[i]
		                      ? lxw.worksheet_write_number(x->ws, x->row, (lxw_col_t)i,
		                                               strtod(s, NULL), NULL)
		                      : lxw.worksheet_write_string(x->ws, x->row, (lxw_col_t)i, s, NULL);
		if (e != LXW_NO_ERROR) /* a value longer than a cell holds, mostly */
			return licit_error_set(&x->err, NULL, 0, NULL, "xlsx: row %lu, column %zu: %s",
			                       x->row + 1, i + 1, lxw.lxw_strerror(e));
	}
	x->row++;
	return LICIT_OK;
}

int licit_xlsx_writer_error(const struct licit_xlsx_writer *x, struct licit_error *err)
{
	if (err)
		*err = x->err;
	return LICIT_ERR;
}

int licit_xlsx_writer_close(struct licit_xlsx_writer *x, struct licit_error *err)
{
	if (x->n)
		lxw.worksheet_autofilter(x->ws, 0, 0, (lxw_row_t)(x->row - 1), (lxw_col_t)(x->n - 1));
	lxw_error e = lxw.workbook_close(x->wb);
	x->wb = NULL;
	int rc = LICIT_OK;
	if (e != LXW_NO_ERROR) {
		rc = licit_error_set(err, NULL, 0, NULL, "xlsx: %s", lxw.lxw_strerror(e));
	} else {
		/* the workbook, written through another descriptor of x->tmp */
		char buf[1 << 16];
		size_t got;
		rewind(x->tmp);
		while ((got = fread(buf, 1, sizeof buf, x->tmp)) > 0)
			if (fwrite(buf, 1, got, x->out) != got)
				break;
		if (ferror(x->tmp))
			rc = licit_error_set(err, NULL, 0, NULL, "xlsx: reading the workbook back: %s",
			                     strerror(errno));
		else if (ferror(x->out))
			rc = licit_error_set(err, NULL, 0, NULL, "write error: %s",
			                     strerror(errno ? errno : EIO));
	}
	licit_xlsx_writer_discard(x);
	return rc;
}

void licit_xlsx_writer_discard(struct licit_xlsx_writer *x)
{
	if (!x)
		return;
	if (x->wb)
		lxw.lxw_workbook_free(x->wb); /* nothing reaches the output */
	if (x->tmp)
		fclose(x->tmp);
	free(x->cell);
	free(x);
}

#else /* built without libxlsxwriter */

int licit_xlsx_available(void)
{
	return 0;
}

struct licit_xlsx_writer *licit_xlsx_writer_new(FILE *f, const char *const *names, size_t n,
                                                struct licit_error *err)
{
	(void)f;
	(void)names;
	(void)n;
	licit_error_set(err, NULL, 0, NULL, "xlsx output is not built in (no libxlsxwriter)");
	return NULL;
}

int licit_xlsx_writer_row(struct licit_xlsx_writer *x, const char *const *v, const size_t *len,
                          const unsigned char *number)
{
	(void)x;
	(void)v;
	(void)len;
	(void)number;
	return LICIT_ERR;
}

int licit_xlsx_writer_error(const struct licit_xlsx_writer *x, struct licit_error *err)
{
	(void)x;
	return licit_error_set(err, NULL, 0, NULL, "xlsx output is not built in");
}

int licit_xlsx_writer_close(struct licit_xlsx_writer *x, struct licit_error *err)
{
	(void)x;
	return licit_error_set(err, NULL, 0, NULL, "xlsx output is not built in");
}

void licit_xlsx_writer_discard(struct licit_xlsx_writer *x)
{
	(void)x;
}

#endif
