/* Unit tests of the flags engine's -j N side (licit_flags_job_new,
 * licit_flags_merge, licit_flags_share): generated rows whose buyer-years,
 * repeated values, split windows and failed procedures straddle the
 * ranges' boundaries, read as 1 to 7 jobs over one or two inputs; every
 * row's outcomes, values and reasons and every rule's counts must be the
 * one-engine result. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/map.h"
#include "licit/flags/flags.h"
#include "licit/record/schema.h"

enum { NROWS = 4000, NV = 64 };

struct rows {
	const char *names[LICIT_NFIELDS];
	char *val[NROWS][LICIT_NFIELDS];
	size_t len[NROWS][LICIT_NFIELDS];
	const char *v[NROWS][LICIT_NFIELDS];
};

static void set(struct rows *r, size_t i, enum licit_field f, const char *fmt, long a, long b)
{
	char buf[128];
	snprintf(buf, sizeof buf, fmt, a, b);
	free(r->val[i][f]);
	r->val[i][f] = strdup(buf);
}

/* Few buyers, suppliers, titles and amounts, so that values repeat in
 * every buyer-year; dates in runs so that split windows form. */
static struct rows *make_rows(void)
{
	struct rows *r = calloc(1, sizeof *r);
	for (int f = 0; f < LICIT_NFIELDS; f++)
		r->names[f] = licit_field_name((enum licit_field)f);
	for (size_t i = 0; i < NROWS; i++) {
		uint64_t h = licit_mix64(i + 1);
		for (int f = 0; f < LICIT_NFIELDS; f++)
			r->val[i][f] = strdup("");
		long buyer = (long)(h % 6), sup = (long)(h >> 8) % 9, year = 2015 + (long)(h >> 16) % 2;
		long day = 1 + (long)((i / 7) % 28), month = 1 + (long)((h >> 20) % 12);
		set(r, i, LICIT_F_OCID, "ocds-%ld-%ld", (long)i, 0);
		set(r, i, LICIT_F_CONTRACT_ID, "c%ld", (long)i, 0);
		set(r, i, LICIT_F_BUYER_ID, "B%ld", buyer, 0);
		set(r, i, LICIT_F_BUYER_NAME, "Buyer %ld", buyer, 0);
		set(r, i, LICIT_F_SUPPLIER_ID, "S%ld", sup, 0);
		set(r, i, LICIT_F_SUPPLIER_NAME, "Supplier %ld", sup, 0);
		if (h >> 30 & 1)
			set(r, i, LICIT_F_SUPPLIER_RFC, "ABC%06ldXY1", 100000 + sup, 0);
		int direct = (h >> 24) % 4 != 0;
		set(r, i, LICIT_F_PROCEDURE_TYPE, direct ? "direct" : "open", 0, 0);
		set(r, i, LICIT_F_CONTRACT_TYPE, (h >> 28) % 3 ? "goods" : "services", 0, 0);
		if ((h >> 48) % 8 == 0) { /* many on one date */
			month = 6;
			day = 15;
		}
		char d[32];
		snprintf(d, sizeof d, "%04ld-%02ld-%02ld", year, month, day);
		free(r->val[i][LICIT_F_SIGNED_DATE]);
		r->val[i][LICIT_F_SIGNED_DATE] = strdup(d);
		set(r, i, LICIT_F_TITLE, "Servicio de limpieza lote %ld", (long)(h >> 32) % 5, 0);
		/* amounts with cents, so that sums depend on their order */
		long cents = (long)((h >> 36) % 7) * 1733 + 1;
		set(r, i, LICIT_F_AMOUNT, "%ld.%02ld", 40000 + (long)((h >> 40) % 5) * 55555 + cents / 100,
		    cents % 100);
		set(r, i, LICIT_F_CURRENCY, "MXN", 0, 0);
		free(r->val[i][LICIT_F_AMOUNT_MXN]);
		r->val[i][LICIT_F_AMOUNT_MXN] = strdup(r->val[i][LICIT_F_AMOUNT]);
		if (!direct && (h >> 44) % 5 == 0)
			set(r, i, LICIT_F_STATUS, "desierta", 0, 0);
		for (int f = 0; f < LICIT_NFIELDS; f++) {
			r->v[i][f] = r->val[i][f];
			r->len[i][f] = strlen(r->val[i][f]);
		}
	}
	return r;
}

static void free_rows(struct rows *r)
{
	for (size_t i = 0; i < NROWS; i++)
		for (int f = 0; f < LICIT_NFIELDS; f++)
			free(r->val[i][f]);
	free(r);
}

static struct licit_row row_of(const struct rows *r, size_t i)
{
	struct licit_row row = {0};
	row.n = LICIT_NFIELDS;
	row.v = r->v[i];
	row.len = r->len[i];
	row.line = (long)i + 2;
	row.recno = (long)i + 1;
	row.nfields = LICIT_NFIELDS;
	return row;
}

struct out {
	char *buf;
	size_t len;
	FILE *f;
};

/* Rows [0, NROWS) as ninputs inputs (cut at cut), each read as k jobs of
 * near-equal ranges; everything the engine says, as text. */
static char *run(const struct licit_flags_settings *s, const struct rows *r, int ninputs,
                 size_t cut, int k)
{
	struct licit_error err;
	licit_error_clear(&err);
	struct licit_flags *e[8] = {0};
	e[0] = licit_flags_new(s, NULL, NULL, &err);
	cr_assert(e[0], "%s", err.text);
	licit_flags_set_text(e[0], 1);
	licit_flags_set_threads(e[0], k > 1 ? 2 : 1); /* settle on two threads too */
	for (int w = 1; w < k; w++)
		cr_assert((e[w] = licit_flags_job_new(e[0], &err)), "%s", err.text);
	size_t lo[2] = {0, cut}, hi[2] = {ninputs == 2 ? cut : NROWS, NROWS};
	long base[2][8];
	for (int in = 0; in < ninputs; in++) {
		size_t n = hi[in] - lo[in];
		base[in][0] = licit_flags_rows(e[0]);
		for (int w = 0; w < k; w++) {
			licit_flags_bind_names(e[w], r->names, LICIT_NFIELDS, "t.csv");
			for (size_t i = lo[in] + n * (size_t)w / (size_t)k;
			     i < lo[in] + n * (size_t)(w + 1) / (size_t)k; i++) {
				struct licit_row row = row_of(r, i);
				cr_assert_eq(licit_flags_gather(e[w], &row), 0);
			}
		}
		for (int w = 1; w < k; w++) {
			base[in][w] = licit_flags_rows(e[0]);
			cr_assert_eq(licit_flags_merge(e[0], e[w], &err), LICIT_OK, "%s", err.text);
		}
	}
	cr_assert_eq(licit_flags_settle(e[0]), 0);
	for (int w = 1; w < k; w++)
		licit_flags_share(e[w], e[0]);
	struct out o = {0};
	o.f = open_memstream(&o.buf, &o.len);
	for (int in = 0; in < ninputs; in++) {
		size_t n = hi[in] - lo[in];
		for (int w = 0; w < k; w++) {
			licit_flags_bind_names(e[w], r->names, LICIT_NFIELDS, "t.csv");
			licit_flags_set_row(e[w], base[in][w]);
			for (size_t i = lo[in] + n * (size_t)w / (size_t)k;
			     i < lo[in] + n * (size_t)(w + 1) / (size_t)k; i++) {
				struct licit_row row = row_of(r, i);
				const struct licit_flag *res;
				size_t nres;
				cr_assert_eq(licit_flags_eval(e[w], &row, &res, &nres), 0);
				fprintf(o.f, "%zu", i);
				for (size_t q = 0; q < nres; q++)
					fprintf(o.f, " %s=%d[%s|%s]", res[q].code, (int)res[q].outcome,
					        res[q].value, res[q].reason);
				fputc('\n', o.f);
			}
		}
	}
	for (int w = 1; w < k; w++)
		licit_flags_add_counts(e[0], e[w]);
	for (size_t i = 0; i < licit_flags_nrules(e[0]); i++) {
		long long c[3];
		const char *code = licit_flags_rule(e[0], i, c);
		if (code)
			fprintf(o.f, "%s %lld %lld %lld\n", code, c[0], c[1], c[2]);
	}
	fclose(o.f);
	for (int w = k; w-- > 0;) /* the jobs borrow e[0]'s state */
		licit_flags_free(e[w]);
	return o.buf;
}

static void settings(struct licit_flags_settings *s, const char *ini)
{
	char path[] = "/tmp/flags_jobs_XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, ini, strlen(ini)), (ssize_t)strlen(ini));
	close(fd);
	struct licit_error err;
	licit_error_clear(&err);
	cr_assert_eq(licit_flags_settings_load(s, path, LICIT_TESTDATA "/../data", &err), 0,
	             "%s", err.text);
	unlink(path);
}

/* The settings: every cross-row rule on, with thresholds low enough that
 * the generated rows raise each of them. */
static const char ini[] = "[MX-CELP]\nenabled = true\nshare = 0.125\nmin_contracts = 3\n"
                          "[MX-SUPPLIER-SHARE]\nshare = 0.12\nmin_contracts = 3\n"
                          "[MX-DIRECT-SHARE]\nshare = 0.5\n"
                          "[MX-REPEAT-TITLE]\nshare = 0.2\n"
                          "[MX-REPEAT-AMOUNT]\nshare = 0.05\n"
                          "[MX-SAME-DAY]\nshare = 0.02\n"
                          "[MX-SPLIT]\nwindow_days = 20\n";

static int raised(const char *out, const char *code)
{
	char pat[64];
	snprintf(pat, sizeof pat, " %s=1[", code);
	return strstr(out, pat) != NULL;
}

Test(flags_jobs, any_number_of_jobs_gives_the_one_engine_result)
{
	struct licit_flags_settings s;
	settings(&s, ini);
	struct rows *r = make_rows();
	char *one = run(&s, r, 1, 0, 1);
	static const char *const cross[] = {"MX-SPLIT", "MX-SUPPLIER-SHARE", "MX-DIRECT-SHARE",
	                                    "MX-REPEAT-TITLE", "MX-REPEAT-AMOUNT", "MX-SAME-DAY",
	                                    "MX-FAILED-THEN-DIRECT", "MX-CELP"};
	for (size_t i = 0; i < sizeof cross / sizeof cross[0]; i++)
		cr_assert(raised(one, cross[i]), "%s is never raised: the test shows nothing",
		          cross[i]);
	static const int ks[] = {1, 2, 3, 7};
	for (size_t q = 0; q < sizeof ks / sizeof ks[0]; q++) {
		char *j = run(&s, r, 1, 0, ks[q]);
		cr_assert(strcmp(one, j) == 0, "-j %d differs from one engine", ks[q]);
		free(j);
		char *two = run(&s, r, 2, 1234, ks[q]);
		cr_assert(strcmp(one, two) == 0, "two inputs, -j %d differ from one engine", ks[q]);
		free(two);
	}
	free(one);
	free_rows(r);
	licit_flags_settings_fini(&s);
}
