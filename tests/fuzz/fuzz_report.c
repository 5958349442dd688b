/* libFuzzer target: the report model and page over arbitrary CSV. The
 * input is read as the records (with the Mexico rules on the second
 * pass), and as the protests, the procedures, normalise's issues and
 * dedupe's removed rows when the first byte asks; the page is written in
 * the language the first byte picks. Whatever the bytes, the run ends
 * without a crash, and no value reaches the page unescaped: it never
 * holds a <script, an element the page itself never writes. */
#include "fuzz_file.h" /* first: it asks for _GNU_SOURCE */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/flags/flags.h"
#include "licit/io/reader.h"
#include "licit/report/page.h"
#include "licit/report/report.h"

#define MAXROWS 2048

/* one pass over the file: bind, then each row */
static int pass(struct licit_report *r, const char *path, int side, int second)
{
	struct licit_reader_opts ro = {0};
	ro.format = LICIT_FMT_CSV;
	struct licit_error err;
	struct licit_reader *rd = licit_reader_open(path, &ro, &err);
	if (!rd)
		return -1;
	int rc = side >= 0 ? licit_report_side_bind(r, (enum licit_report_side)side, rd, &err)
	         : second  ? licit_report_bind2(r, rd, &err)
	                   : licit_report_bind(r, rd, &err);
	const struct licit_row *row;
	for (long n = 0; rc == LICIT_OK && n < MAXROWS &&
	                 licit_reader_next(rd, &row, &err) == LICIT_OK;
	     n++)
		rc = side >= 0 ? licit_report_side_row(r, row, &err)
		     : second  ? licit_report_flag(r, row, &err)
		               : licit_report_add(r, row, &err);
	licit_reader_close(rd);
	return rc == LICIT_OK ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	const char *path = fuzz_file(data + 1, size - 1);
	static struct licit_flags_settings s;
	static int loaded;
	struct licit_error err;
	if (!loaded) {
		if (licit_flags_settings_load(&s, NULL, NULL, &err) != LICIT_OK)
			abort();
		loaded = 1;
	}
	static const char *const by[] = {"entity_id", "year"}, *const by2[] = {"buyer_id"};
	struct licit_report_opts o = {.max_rows = 1 + (int)(mode >> 6), .threads = 1};
	if (mode & 1)
		o.flags = &s;
	if (mode & 32) {
		o.by = by2;
		o.nby = 1;
	} else {
		o.by = by;
		o.nby = 2;
	}
	struct licit_report *r = licit_report_new(&o, &err);
	if (!r)
		return 0;
	int ok = pass(r, path, -1, 0) == 0;
	if (ok && (mode & 1))
		ok = licit_report_settle(r, &err) == LICIT_OK && pass(r, path, -1, 1) == 0;
	if (ok && (mode & 2))
		ok = pass(r, path, LICIT_SIDE_PROCEDURES, 0) == 0;
	if (ok && (mode & 4))
		ok = pass(r, path, LICIT_SIDE_PROTESTS, 0) == 0;
	if (ok && (mode & 8))
		ok = pass(r, path, LICIT_SIDE_ISSUES, 0) == 0;
	if (ok && (mode & 16))
		ok = pass(r, path, LICIT_SIDE_REMOVED, 0) == 0;
	if (ok && licit_report_finish(r, &err) == LICIT_OK) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (!f)
			abort();
		const char *in[] = {"in<put>.csv"};
		const struct licit_report_cmd cmd = {LICIT_WHAT_REPORT, "licit report '<x>'"};
		struct licit_report_page p = {
			.lang = (mode & 16) ? LICIT_LANG_ES : LICIT_LANG_EN, .version = "fuzz",
			.inputs = in, .ninputs = 1, .cmds = &cmd, .ncmds = 1, .manifest = "{\"<\":1}",
		};
		if (licit_report_write_html(r, &p, f) != 0)
			abort();
		fclose(f);
		if (memmem(buf, len, "<script", 7) || memmem(buf, len, "<put>", 5) ||
		    memmem(buf, len, "'<x>'", 5))
			__builtin_trap();
		free(buf);
	}
	licit_report_free(r);
	return 0;
}
