/* xlsx output (--format xlsx of kpi and flags), through libxlsxwriter:
 * one sheet, a header row in bold that stays in view (frozen) with an
 * autofilter, numbers as number cells and everything else as text. The
 * row writer (licit/io/writer.h, LICIT_FMT_XLSX) drives it; the reader of
 * xlsx input is lib/io/xlsx.c. */
#ifndef LICIT_XLSX_WRITE_H
#define LICIT_XLSX_WRITE_H

#include <stddef.h>
#include <stdio.h>

#include "licit/core/error.h"

#define LICIT_XLSX_ROWS 1048576 /* a sheet's rows, the header's included */

struct licit_xlsx_writer;

/* 1 when this licit was built with libxlsxwriter. */
int licit_xlsx_available(void);

/* A workbook of one sheet with these column names, written to f (borrowed)
 * by licit_xlsx_writer_close; NULL with err (memory, a temporary file,
 * or no libxlsxwriter). */
struct licit_xlsx_writer *licit_xlsx_writer_new(FILE *f, const char *const *names, size_t n,
                                                struct licit_error *err);
/* One row of n values (len may be NULL); number[i] set: v[i] is a plain
 * decimal written as a number cell. An empty value is a blank cell.
 * LICIT_OK, or LICIT_ERR (a sheet's last row passed, a cell longer than
 * a spreadsheet holds, memory): then licit_xlsx_writer_error says why. */
int licit_xlsx_writer_row(struct licit_xlsx_writer *x, const char *const *v, const size_t *len,
                          const unsigned char *number);
/* The failure of the last call, in err (err->source left to the caller). */
int licit_xlsx_writer_error(const struct licit_xlsx_writer *x, struct licit_error *err);
/* Assembles the workbook and copies it to f (the stream is not flushed);
 * frees x. LICIT_OK or LICIT_ERR with err. */
int licit_xlsx_writer_close(struct licit_xlsx_writer *x, struct licit_error *err);
/* Frees x without writing anything to f. */
void licit_xlsx_writer_discard(struct licit_xlsx_writer *x);

#endif
