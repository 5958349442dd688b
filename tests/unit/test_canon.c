/* Unit tests of the typed canonical record (licit/record/canon.h): slots,
 * states, and each fallback rule. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/stats.h"
#include "licit/io/reader.h"
#include "licit/record/canon.h"

/* A row of the canonical fields named in "name=value;name=value". */
struct fixture {
	struct licit_cols cols;
	const char *v[LICIT_NFIELDS];
	size_t len[LICIT_NFIELDS];
	char buf[1024];
	struct licit_row row;
};

static void make(struct fixture *x, const char *spec)
{
	memset(x, 0, sizeof *x);
	for (int f = 0; f < LICIT_NFIELDS; f++)
		x->cols.col[f] = -1;
	snprintf(x->buf, sizeof x->buf, "%s", spec);
	size_t n = 0;
	for (char *p = strtok(x->buf, ";"); p; p = strtok(NULL, ";")) {
		char *eq = strchr(p, '=');
		cr_assert(eq);
		*eq = '\0';
		int f = licit_field_lookup(p);
		cr_assert(f >= 0, "no field %s", p);
		x->cols.col[f] = (int)n;
		x->v[n] = eq + 1;
		x->len[n] = strlen(eq + 1);
		n++;
	}
	x->row.n = n;
	x->row.v = x->v;
	x->row.len = x->len;
}

static void load(const char *spec, uint64_t need, struct licit_canon *c)
{
	static struct fixture x;
	struct licit_canon_ctx cx;
	make(&x, spec);
	cr_assert_eq(licit_canon_init_cols(&cx, &x.cols, need), LICIT_OK);
	cr_assert_eq(licit_canon_load(&cx, &x.row, c), LICIT_OK);
	licit_canon_free(&cx);
}

Test(canon, dated_by_first_non_empty)
{
	struct licit_canon c;
	load("signed_date=;award_date=2015-03-04;start_date=2015-01-01", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.date_field, LICIT_F_AWARD_DATE);
	cr_assert_eq(c.year, 2015);
	cr_assert_eq(c.date, c.day[LICIT_F_AWARD_DATE]);
	cr_assert_eq(c.date, 16498); /* 2015-03-04 */
	/* a bad signed_date is not skipped: the row has no date */
	load("signed_date=2015-02-30;award_date=2015-03-04", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.date_field, LICIT_F_SIGNED_DATE);
	cr_assert_eq(c.date, LICIT_NO_DAY);
	cr_assert_eq(c.year, 0);
	cr_assert_str_eq(licit_canon_why(&c, LICIT_F_SIGNED_DATE), "not a YYYY-MM-DD date");
	/* only YYYY-MM-DD: a time after the date is not a canonical date */
	load("signed_date=2015-03-04T10:00", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.state[LICIT_F_SIGNED_DATE], LICIT_SLOT_BAD);
	load("title=x", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.date_field, -1);
	cr_assert_eq(c.date, LICIT_NO_DAY);
}

Test(canon, amounts_and_currency)
{
	struct licit_canon c;
	/* empty currency is MXN: the amount is in pesos */
	load("amount=100.50;currency=", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.currency, LICIT_CUR_MXN);
	cr_assert(c.has_mxn && c.has_amt);
	cr_assert_float_eq(c.mxn, 100.5, 0);
	cr_assert_eq(c.amt_cur, LICIT_CUR_MXN);
	cr_assert_eq(c.amount.units, 10050);
	cr_assert_eq(c.amount.scale, 2);
	cr_assert(c.amount.exact);
	/* another currency: an amount in it, none in pesos */
	load("amount=7;currency=USD", LICIT_NEED_ALL, &c);
	cr_assert(!c.has_mxn && c.has_amt);
	cr_assert_eq(c.amt_cur, LICIT_CUR('U', 'S', 'D'));
	cr_assert_eq(c.amt_field, LICIT_F_AMOUNT);
	/* amount_mxn first, whatever the currency */
	load("amount=7;currency=USD;amount_mxn=140", LICIT_NEED_ALL, &c);
	cr_assert(c.has_mxn && c.has_amt);
	cr_assert_float_eq(c.mxn, 140, 0);
	cr_assert_eq(c.amt_cur, LICIT_CUR_MXN);
	cr_assert_eq(c.amt_field, LICIT_F_AMOUNT_MXN);
	/* a bad amount_mxn is not replaced by amount */
	load("amount=7;currency=MXN;amount_mxn=1,000", LICIT_NEED_ALL, &c);
	cr_assert(!c.has_mxn && !c.has_amt);
	cr_assert_eq(c.amt_field, LICIT_F_AMOUNT_MXN);
	cr_assert_str_eq(licit_canon_why(&c, LICIT_F_AMOUNT_MXN), "not a plain decimal number");
	load("currency=pesos", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.state[LICIT_F_CURRENCY], LICIT_SLOT_BAD);
}

Test(canon, decimals_match_the_plain_decimal_parser)
{
	static const char *const t[] = {
		"0", "-0", "1", "12.5", "0.1", "0.000001", "123456789012345", "1234567890123456",
		"99999999999999999999", "0.3", "17.17", "1000000.01", "-42.42", "3.14159265358979",
		"123456789.123456789", "0000123.4500", "9007199254740993", "1e5", "1.", ".5",
		"--1", "1.2.3", "", "-", "1,5", " 1"};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		struct licit_canon c;
		char spec[64];
		snprintf(spec, sizeof spec, "amount=%s", t[i]);
		load(spec, LICIT_NEED_ALL, &c);
		double want;
		int rc = licit_parse_number(t[i], &want);
		if (!*t[i]) {
			cr_assert_eq(c.state[LICIT_F_AMOUNT], LICIT_SLOT_EMPTY);
			continue;
		}
		cr_assert_eq(c.state[LICIT_F_AMOUNT] == LICIT_SLOT_OK, rc == 0, "%s", t[i]);
		if (rc == 0)
			cr_assert(memcmp(&c.amount.value, &want, sizeof want) == 0, "%s: %.17g vs %.17g",
			          t[i], c.amount.value, want);
	}
	/* random decimals: the fast path against strtod */
	srand(7);
	for (int i = 0; i < 20000; i++) {
		char s[40];
		int scale = rand() % 7;
		long long u = ((long long)rand() << 20 ^ rand()) % 100000000000000LL;
		snprintf(s, sizeof s, "%lld", u);
		if (scale) {
			size_t n = strlen(s);
			while (n <= (size_t)scale) {
				memmove(s + 1, s, n + 1);
				s[0] = '0';
				n++;
			}
			memmove(s + n - scale + 1, s + n - scale, (size_t)scale + 1);
			s[n - scale] = '.';
		}
		char spec[64];
		snprintf(spec, sizeof spec, "amount=%s", s);
		struct licit_canon c;
		load(spec, LICIT_NEED_ALL, &c);
		double want;
		cr_assert_eq(licit_parse_number(s, &want), 0, "%s", s);
		cr_assert(memcmp(&c.amount.value, &want, sizeof want) == 0, "%s", s);
	}
}

Test(canon, keys_and_interning)
{
	static struct fixture x;
	struct licit_canon_ctx cx;
	struct licit_canon c;
	make(&x, "buyer_id=;buyer_name=IMSS;supplier_id=ABC010101AB1;supplier_name=ACME");
	cr_assert_eq(licit_canon_init_cols(&cx, &x.cols, LICIT_NEED_ALL | LICIT_NEED_INTERN), LICIT_OK);
	cr_assert_eq(licit_canon_load(&cx, &x.row, &c), LICIT_OK);
	cr_assert_str_eq(c.buyer, "IMSS");
	cr_assert_str_eq(c.supplier, "ABC010101AB1");
	cr_assert_eq(c.buyer_ix, 0);
	cr_assert_eq(c.supplier_ix, 0);
	size_t n;
	cr_assert_str_eq(licit_canon_supplier(&cx, 0, &n), "ABC010101AB1");
	cr_assert_eq(n, 12);
	/* the same keys again: the same numbers */
	cr_assert_eq(licit_canon_load(&cx, &x.row, &c), LICIT_OK);
	cr_assert_eq(c.buyer_ix, 0);
	licit_canon_free(&cx);
	/* without interning there are no numbers */
	load("buyer_id=X", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.buyer_ix, -1);
}

Test(canon, enums_counts_flags_and_need)
{
	struct licit_canon c;
	load("procedure_type=direct;contract_type=works;n_tenderers=3;test=1;framework=0;"
	     "source_line=17",
	     LICIT_NEED_ALL, &c);
	cr_assert_eq(c.ptype, LICIT_PT_DIRECT);
	cr_assert_str_eq(licit_ptype_name(c.ptype), "direct");
	cr_assert_eq(c.ctype, LICIT_CT_WORKS);
	cr_assert_eq(c.n_tenderers, 3);
	cr_assert_eq(c.test, 1);
	cr_assert_eq(c.framework, 0);
	cr_assert_eq(c.consolidated, -1);
	cr_assert_eq(c.source_line, 17);
	load("procedure_type=subasta;n_tenderers=100001", LICIT_NEED_ALL, &c);
	cr_assert_eq(c.ptype, LICIT_PT_OTHER);
	cr_assert_eq(c.state[LICIT_F_PROCEDURE_TYPE], LICIT_SLOT_BAD);
	cr_assert_eq(c.n_tenderers, -1);
	cr_assert_str_eq(licit_canon_why(&c, LICIT_F_N_TENDERERS), "not a whole number 0 to 100000");
	/* a field not needed keeps its text only */
	load("n_tenderers=3;title=Obra", LICIT_NEED(LICIT_F_TITLE), &c);
	cr_assert_eq(c.state[LICIT_F_N_TENDERERS], LICIT_SLOT_EMPTY);
	cr_assert_eq(c.n_tenderers, -1);
	cr_assert_str_eq(c.text[LICIT_F_N_TENDERERS], "3");
	cr_assert_str_eq(c.text[LICIT_F_TITLE], "Obra");
	cr_assert_eq(c.len[LICIT_F_TITLE], 4);
}

/* A row of every field in the canonical order takes the one-block copy;
 * the same values in another column order, or without lengths, take the
 * general path: every slot must come out the same. */
static void same_slots(const struct licit_canon *a, const struct licit_canon *b)
{
	for (int f = 0; f < LICIT_NFIELDS; f++) {
		cr_assert_eq(a->len[f], b->len[f], "field %d", f);
		cr_assert_eq(memcmp(a->text[f], b->text[f], a->len[f]), 0, "field %d", f);
		cr_assert_eq(a->state[f], b->state[f], "field %d", f);
		if (licit_field_type((enum licit_field)f) == LICIT_T_DATE)
			cr_assert_eq(a->day[f], b->day[f], "field %d", f);
	}
	cr_assert_eq(a->amount.value, b->amount.value);
	cr_assert_eq(a->amount_mxn.units, b->amount_mxn.units);
	cr_assert_eq(a->currency, b->currency);
	cr_assert_eq(a->ptype, b->ptype);
	cr_assert_eq(a->ctype, b->ctype);
	cr_assert_eq(a->n_tenderers, b->n_tenderers);
	cr_assert_eq(a->test, b->test);
	cr_assert_eq(a->source_line, b->source_line);
	cr_assert_eq(a->date, b->date);
	cr_assert_eq(a->mxn, b->mxn);
	cr_assert_eq(a->buyer_len, b->buyer_len);
	cr_assert_eq(a->supplier_ix, b->supplier_ix);
}

Test(canon, column_order_does_not_change_the_slots)
{
	static const char *by_type[] = {
		[LICIT_T_TEXT] = "texto", [LICIT_T_DATE] = "2016-02-29",
		[LICIT_T_AMOUNT] = "1234.50", [LICIT_T_CURRENCY] = "MXN",
		[LICIT_T_PROCTYPE] = "direct", [LICIT_T_CONTRACT_TYPE] = "works",
		[LICIT_T_COUNT] = "7", [LICIT_T_FLAG] = "1"};
	const char *v[LICIT_NFIELDS], *rv[LICIT_NFIELDS];
	size_t len[LICIT_NFIELDS], rlen[LICIT_NFIELDS];
	struct licit_cols ordered, reversed;
	for (int f = 0; f < LICIT_NFIELDS; f++) {
		enum licit_type t = licit_field_type((enum licit_field)f);
		v[f] = (size_t)t < sizeof by_type / sizeof *by_type && by_type[t] ? by_type[t] : "x";
		if (f == LICIT_F_TENDER_END)
			v[f] = "2016-02-30"; /* a bad one too */
		len[f] = strlen(v[f]);
		ordered.col[f] = f;
		reversed.col[f] = LICIT_NFIELDS - 1 - f;
		rv[LICIT_NFIELDS - 1 - f] = v[f];
		rlen[LICIT_NFIELDS - 1 - f] = len[f];
	}
	struct licit_row a = {.v = v, .len = len, .n = LICIT_NFIELDS};
	struct licit_row b = {.v = rv, .len = rlen, .n = LICIT_NFIELDS};
	struct licit_row c = {.v = v, .len = NULL, .n = LICIT_NFIELDS};
	struct licit_canon_ctx cxa, cxb;
	cr_assert_eq(licit_canon_init_cols(&cxa, &ordered, LICIT_NEED_ALL | LICIT_NEED_INTERN),
	             LICIT_OK);
	cr_assert_eq(licit_canon_init_cols(&cxb, &reversed, LICIT_NEED_ALL | LICIT_NEED_INTERN),
	             LICIT_OK);
	cr_assert(cxa.ordered);
	cr_assert(!cxb.ordered);
	struct licit_canon ca, cb, cc;
	cr_assert_eq(licit_canon_load(&cxa, &a, &ca), LICIT_OK);
	cr_assert_eq(licit_canon_load(&cxb, &b, &cb), LICIT_OK);
	cr_assert_eq(licit_canon_load(&cxa, &c, &cc), LICIT_OK);
	cr_assert_eq(ca.state[LICIT_F_TENDER_END], LICIT_SLOT_BAD);
	cr_assert_eq(ca.state[LICIT_F_AMOUNT], LICIT_SLOT_OK);
	same_slots(&ca, &cb);
	same_slots(&ca, &cc);
	licit_canon_free(&cxa);
	licit_canon_free(&cxb);
}
