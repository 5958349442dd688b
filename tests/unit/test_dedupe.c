/* Unit tests of the dedupe engine: rules, keys, keep policy, entities. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "licit/dedupe/dedupe.h"
#include "licit/io/reader.h"

#define MAXR 32

struct result {
	struct licit_dup m[MAXR];
	char of[MAXR][64], ent[MAXR][64];
	size_t n;
	struct licit_dedupe_stats st;
	struct licit_dedupe *d;
};

/* Runs the engine over one CSV text (both passes); keeps d for entity checks. */
static void run(const char *csv, struct licit_dedupe_opts *o, struct result *res)
{
	memset(res, 0, sizeof *res);
	struct licit_error err;
	licit_error_clear(&err);
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	cr_assert_not_null(f);
	struct licit_reader_opts ro = {0};
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &ro, &err);
	cr_assert_not_null(r, "%s", err.text);
	struct licit_dedupe *d = licit_dedupe_new(o, licit_reader_header(r),
	                                          licit_reader_ncols(r), &err);
	cr_assert_not_null(d, "%s", err.text);
	licit_dedupe_bind(d, r, &err);
	const struct licit_row *row;
	struct licit_dup now;
	while (licit_reader_next(r, &row, &err) == LICIT_OK) {
		cr_assert_eq(licit_dedupe_add(d, row, &now, &err), LICIT_OK, "%s", err.text);
		if (licit_dedupe_streaming(d)) {
			res->m[res->n] = now;
			snprintf(res->of[res->n], 64, "%s", now.of);
			res->n++;
		}
	}
	cr_assert_eq(licit_dedupe_finish(d, &err), LICIT_OK);
	licit_dedupe_stats(d, &res->st);
	if (!licit_dedupe_streaming(d)) {
		res->n = (size_t)res->st.rows;
		for (size_t i = 0; i < res->n; i++) {
			licit_dedupe_get(d, i, &res->m[i]);
			snprintf(res->of[i], 64, "%s", res->m[i].of);
			snprintf(res->ent[i], 64, "%s", res->m[i].entity);
		}
	}
	licit_reader_close(r);
	fclose(f);
	res->d = d;
}

static long long removed(const struct result *r)
{
	return r->st.removed[LICIT_RULE_EXACT] + r->st.removed[LICIT_RULE_KEY] +
	       r->st.removed[LICIT_RULE_FUZZY];
}

static const char contracts[] =
	"procedure_id,contract_id,title,amount,source,source_line\n"
	"P-1,C-1,uno,10,a.csv,1\n"
	"P-1,C-1,uno,10,b.csv,7\n"        /* exact: provenance ignored */
	"p 1,c-1,uno (bis),10,b.csv,8\n"  /* key: ids fold to the same key */
	"P-1,C-2,dos,20,a.csv,2\n"
	",C-2,dos,20,a.csv,3\n"           /* no procedure: not key-matched */
	",C-2,dos,20,a.csv,3\n";          /* but exact to the row above */

Test(dedupe, streaming_exact_and_key)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	struct result r;
	run(contracts, &o, &r);
	cr_assert(licit_dedupe_streaming(r.d));
	cr_assert_eq(r.n, 6);
	cr_assert(r.m[0].kept && r.m[0].cluster == 1);
	cr_assert(!r.m[1].kept && r.m[1].rule == LICIT_RULE_EXACT && r.m[1].cluster == 1);
	cr_assert_str_eq(r.of[1], "a.csv:1");
	cr_assert(!r.m[2].kept && r.m[2].rule == LICIT_RULE_KEY && r.m[2].cluster == 1);
	cr_assert(r.m[3].kept && r.m[3].cluster == 2);
	cr_assert(r.m[4].kept && r.m[4].cluster == 3);
	cr_assert(!r.m[5].kept && r.m[5].rule == LICIT_RULE_EXACT && r.m[5].cluster == 3);
	cr_assert_eq(r.st.removed[LICIT_RULE_EXACT], 2);
	cr_assert_eq(r.st.removed[LICIT_RULE_KEY], 1);
	cr_assert_eq(r.st.no_key, 2);
	licit_dedupe_free(r.d);
}

Test(dedupe, exact_level_ignores_keys)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.level = LICIT_DUP_EXACT;
	struct result r;
	run(contracts, &o, &r);
	cr_assert_eq(removed(&r), 2);
	cr_assert_eq(r.st.removed[LICIT_RULE_KEY], 0);
	cr_assert_eq(r.st.no_key, 0);
	licit_dedupe_free(r.d);
}

Test(dedupe, marked_matches_streaming)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.need_all = 1;
	struct result r;
	run(contracts, &o, &r);
	cr_assert(!licit_dedupe_streaming(r.d));
	unsigned long want[] = {1, 1, 1, 2, 3, 3};
	int kept[] = {1, 0, 0, 1, 1, 0};
	for (int i = 0; i < 6; i++) {
		cr_assert_eq(r.m[i].cluster, want[i], "row %d", i);
		cr_assert_eq(r.m[i].kept, kept[i], "row %d", i);
	}
	cr_assert_eq(r.m[2].rule, LICIT_RULE_KEY);
	cr_assert_str_eq(r.of[2], "a.csv:1");
	cr_assert_eq(r.st.clusters, 2);
	licit_dedupe_free(r.d);
}

Test(dedupe, user_key_and_missing_column)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	const char *key[] = {"amount"};
	o.key = key;
	o.nkey = 1;
	struct result r;
	run(contracts, &o, &r);
	/* amounts 10,10,10,20,20,20: two clusters */
	cr_assert_eq(removed(&r), 4);
	licit_dedupe_free(r.d);

	const char *bad[] = {"nope"};
	o.key = bad;
	struct licit_error err;
	licit_error_clear(&err);
	const char *cols[] = {"a", "b"};
	cr_assert_null(licit_dedupe_new(&o, cols, 2, &err));
	cr_assert_str_eq(err.field, "--key");
	cr_assert(strstr(err.text, "'nope'"));
}

Test(dedupe, keep_complete_relabels)
{
	static const char csv[] = "procedure_id,contract_id,title,amount\n"
	                          "P,C,,\n"
	                          "P,C,titulo,\n"
	                          "P,C,titulo,5\n";
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.keep = LICIT_KEEP_COMPLETE;
	struct result r;
	run(csv, &o, &r);
	cr_assert(!r.m[0].kept && !r.m[1].kept && r.m[2].kept);
	cr_assert_eq(r.m[0].rule, LICIT_RULE_KEY); /* the first row takes the label */
	cr_assert_eq(r.m[2].rule, LICIT_RULE_NONE);
	cr_assert_str_eq(r.of[0], "mem:3"); /* no source column: file and record */
	cr_assert_eq(r.st.removed[LICIT_RULE_KEY], 2);
	licit_dedupe_free(r.d);
}

/* An OCDS award row and its contract row: no common ids, one contract. */
static const char fuzzy_csv[] =
	"procedure_id,contract_id,buyer_id,supplier_name,supplier_rfc,title,amount,currency,"
	"award_date,signed_date,start_date\n"
	"T-1,,B1,ANYCORP SA DE CV,,Award of contract to build cycle lanes,1000000,MXN,"
	"2010-05-10,,2010-07-01\n"
	",K-1,B1,Anycorp S.A. de C.V.,,Contract to build cycle lanes,1000000,MXN,"
	"2010-05-10,2010-06-10,2010-07-01\n"
	/* 1 %% off, 31 days off in start_date: too far with --days 30 */
	",,B1,ANYCORP SA DE CV,,Contract to build cycle lanes,1010000,MXN,,,2010-08-01\n"
	/* another contract id, same everything: distinct by default */
	"T-1,K-2,B1,ANYCORP SA DE CV,,Contract to build cycle lanes,1000000,MXN,"
	"2010-05-10,2010-06-10,2010-07-01\n"
	/* another buyer */
	",K-1,B2,ANYCORP SA DE CV,,Contract to build cycle lanes,1000000,MXN,"
	"2010-05-10,2010-06-10,2010-07-01\n";

Test(dedupe, fuzzy_rules)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.level = LICIT_DUP_FUZZY;
	struct result r;
	run(fuzzy_csv, &o, &r);
	cr_assert_eq(r.m[1].cluster, r.m[0].cluster);
	cr_assert_eq(r.m[1].rule, LICIT_RULE_FUZZY);
	cr_assert_float_eq(r.m[1].score, 1.0, 1e-6); /* contained title */
	cr_assert_neq(r.m[2].cluster, r.m[0].cluster);
	cr_assert_neq(r.m[3].cluster, r.m[1].cluster, "K-2 vs K-1: the ids differ");
	cr_assert_neq(r.m[4].cluster, r.m[1].cluster, "another buyer");
	cr_assert_eq(r.st.removed[LICIT_RULE_FUZZY], 1);
	/* the same supplier entity for both spellings */
	cr_assert_str_eq(r.ent[0], r.ent[1]);
	licit_dedupe_free(r.d);

	o.days = 31;
	run(fuzzy_csv, &o, &r);
	cr_assert_eq(r.m[2].cluster, r.m[0].cluster, "31 days, 1 %% apart");
	licit_dedupe_free(r.d);

	o.amount_tol = 0.009;
	run(fuzzy_csv, &o, &r);
	cr_assert_neq(r.m[2].cluster, r.m[0].cluster, "1 %% apart, tolerance 0.9 %%");
	licit_dedupe_free(r.d);

	o.amount_tol = 0.01;
	o.days = 30;
	o.any_ids = 1;
	run(fuzzy_csv, &o, &r);
	cr_assert_eq(r.m[3].cluster, r.m[1].cluster, "--any-ids");
	licit_dedupe_free(r.d);
}

static const char suppliers_csv[] =
	"buyer_id,supplier_name,supplier_rfc\n"
	"B1,TELEFONOS DE MEXICO S.A.B. DE C.V.,TME840315KT6\n"
	"B1,TELÉFONOS DE MÉXICO S.A.B. DE C.V.,\n"      /* name -> joins the RFC */
	"B2,Telefonos de Mexico,TME840315KT6\n"          /* rfc */
	"B1,TELEFONOS DE MEXCIO SAB DE CV,\n"             /* similar, shares B1 */
	"B3,OPERADORA AZTECA REAL SA DE CV,\n"
	"B4,OPERADORA ATZECA REAL SA DE CV,\n"           /* similar but no common buyer */
	"B5,JUAN PEREZ,PEGJ800101AB1\n"
	"B5,JUAN PEREZ,\n"
	"B6,,\n";

Test(dedupe, supplier_entities)
{
	struct licit_dedupe_opts o;
	licit_dedupe_opts_default(&o);
	o.entities = 1;
	o.need_all = 1;
	struct result r;
	run(suppliers_csv, &o, &r);
	cr_assert_str_eq(r.ent[0], "TME840315KT6");
	cr_assert_str_eq(r.ent[1], "TME840315KT6");
	cr_assert_str_eq(r.ent[2], "TME840315KT6");
	cr_assert_str_eq(r.ent[3], "TME840315KT6");
	cr_assert_str_eq(r.ent[4], "OPERADORA AZTECA REAL SA DE CV");
	cr_assert_str_eq(r.ent[5], "OPERADORA ATZECA REAL SA DE CV");
	cr_assert_str_eq(r.ent[8], "");
	size_t n = licit_dedupe_nentities(r.d);
	cr_assert_eq(n, 4 + (r.ent[6][0] != r.ent[7][0]));
	struct licit_entity e;
	licit_dedupe_entity(r.d, 0, &e);
	cr_assert_str_eq(e.rfc, "TME840315KT6");
	cr_assert_eq(e.rows, 4);
	cr_assert_str_eq(e.rule, "similar");
	cr_assert_str_eq(e.name, "TELEFONOS DE MEXICO S.A.B. DE C.V."); /* first of the ties */
	cr_assert(strstr(e.variants, "TELEFONOS DE MEXCIO SAB DE CV"));
	licit_dedupe_entity(r.d, 1, &e);
	cr_assert_str_eq(e.rule, "name"); /* one spelling, no RFC */
	licit_dedupe_free(r.d);
}

Test(dedupe, ignored_columns)
{
	cr_assert(licit_dedupe_ignored_col("source"));
	cr_assert(licit_dedupe_ignored_col("dup_cluster"));
	cr_assert(!licit_dedupe_ignored_col("amount"));
	cr_assert_str_eq(licit_dup_rule_name(LICIT_RULE_FUZZY), "fuzzy");
	cr_assert_str_eq(licit_dup_rule_name(LICIT_RULE_NONE), "");
}
