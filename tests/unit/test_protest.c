/* Unit tests of bid-protest statistics: each measure, empty and missing
 * denominators, grouping, and the protest normaliser's tables. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/protest/protest.h"

/* ---- measures from counts ------------------------------------------------ */

static const struct licit_protest_measure *find(const struct licit_protest_measure *m,
                                                size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(m[i].name, name) == 0)
			return &m[i];
	cr_assert_fail("no measure %s", name);
	return NULL;
}

static struct licit_protest_counts imss(void)
{
	struct licit_protest_counts c = {0};
	c.protests = 1732;
	c.protested = 1565;
	c.procedures = 12112;
	c.competitive = 7263;
	c.have_procedures = 1;
	c.have_types = 1;
	c.comp_protests = 1732;
	c.rated_protests = 1732;
	c.rated_protested = 1565;
	c.rated_comp_protests = 1732;
	c.stage_known = 1732;
	c.award = 1250;
	c.outcome_known = 1732;
	c.dismissed = 606;
	c.founded = 563;
	c.unfounded = 563;
	c.founded_stage_known = 563;
	c.founded_award = 470;
	c.median_days = 45;
	c.n_days = 1732;
	c.first_year_protests = -1;
	c.n_entities = -1;
	return c;
}

Test(protest_measures, every_ratio_is_numerator_over_denominator)
{
	struct licit_protest_counts c = imss();
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t n = licit_protest_measures(&c, 0, m);
	cr_assert_eq(n, 15);
	const struct licit_protest_measure *r = find(m, n, "protest_rate");
	cr_assert_float_eq(r->value, 1732.0 / 12112, 1e-12);
	cr_assert_eq(r->numerator, 1732);
	cr_assert_eq(r->denominator, 12112);
	cr_assert_float_eq(find(m, n, "protested_share")->value, 1565.0 / 12112, 1e-12);
	cr_assert_float_eq(find(m, n, "protest_rate_competitive")->value, 1732.0 / 7263, 1e-12);
	cr_assert_float_eq(find(m, n, "dismissed_share")->value, 606.0 / 1732, 1e-12);
	cr_assert_float_eq(find(m, n, "founded_share_of_examined")->value, 0.5, 1e-12);
	cr_assert_eq(find(m, n, "founded_share_of_examined")->denominator, 1126);
	cr_assert_float_eq(find(m, n, "award_stage_share")->value, 1250.0 / 1732, 1e-12);
	cr_assert_float_eq(find(m, n, "founded_award_stage_share")->value, 470.0 / 563, 1e-12);
	cr_assert_eq(find(m, n, "withdrawn_share")->value, 0);
	cr_assert_eq(find(m, n, "pending_share")->value, 0);
	cr_assert_eq(find(m, n, "median_days_to_resolve")->value, 45);
	cr_assert_eq(find(m, n, "protests")->value, 1732);
	cr_assert(isnan(find(m, n, "protests")->numerator));
}

Test(protest_measures, missing_procedures_give_empty_rates_never_zero)
{
	struct licit_protest_counts c = imss();
	c.procedures = c.competitive = 0; /* SFP: protests, no procedure count */
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t n = licit_protest_measures(&c, 0, m);
	cr_assert(isnan(find(m, n, "protest_rate")->value));
	cr_assert(isnan(find(m, n, "protested_share")->value));
	cr_assert(isnan(find(m, n, "protest_rate_competitive")->value));
	cr_assert_eq(find(m, n, "protest_rate")->denominator, 0);
	cr_assert_eq(find(m, n, "procedures")->value, 0);
	/* shares among protests do not need procedures */
	cr_assert_float_eq(find(m, n, "dismissed_share")->value, 606.0 / 1732, 1e-12);

	c.have_procedures = 0; /* no procedures file at all */
	n = licit_protest_measures(&c, 0, m);
	cr_assert(isnan(find(m, n, "procedures")->value));
	cr_assert(isnan(find(m, n, "protest_rate")->value));
	cr_assert(isnan(find(m, n, "protest_rate")->denominator));
	cr_assert(isnan(find(m, n, "unmatched_protests")->value));
}

Test(protest_measures, empty_shares_when_nothing_is_known)
{
	struct licit_protest_counts c = {0};
	c.have_procedures = 1;
	c.procedures = 10;
	c.protests = c.rated_protests = 3; /* no stage, no outcome, no dates */
	c.median_days = NAN;
	c.first_year_protests = -1;
	c.n_entities = -1;
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t n = licit_protest_measures(&c, LICIT_PM_CHANGE | LICIT_PM_MEAN, m);
	cr_assert_eq(n, 17);
	cr_assert_float_eq(find(m, n, "protest_rate")->value, 0.3, 1e-12);
	cr_assert(isnan(find(m, n, "dismissed_share")->value));
	cr_assert(isnan(find(m, n, "founded_share_of_examined")->value));
	cr_assert(isnan(find(m, n, "award_stage_share")->value));
	cr_assert(isnan(find(m, n, "founded_award_stage_share")->value));
	cr_assert(isnan(find(m, n, "median_days_to_resolve")->value));
	cr_assert(isnan(find(m, n, "change_from_first")->value));
	cr_assert(isnan(find(m, n, "mean_entity_protest_rate")->value));
}

Test(protest_measures, change_from_first_and_entity_mean)
{
	struct licit_protest_counts c = {0};
	c.protests = 120;
	c.first_year_protests = 360;
	c.sum_entity_rates = 0.3;
	c.n_entities = 4;
	struct licit_protest_measure m[LICIT_PM_MAX];
	size_t n = licit_protest_measures(&c, LICIT_PM_CHANGE | LICIT_PM_MEAN, m);
	const struct licit_protest_measure *ch = find(m, n, "change_from_first");
	cr_assert_float_eq(ch->value, -2.0 / 3, 1e-12);
	cr_assert_eq(ch->numerator, -240);
	cr_assert_eq(ch->denominator, 360);
	cr_assert_float_eq(find(m, n, "mean_entity_protest_rate")->value, 0.075, 1e-12);
	c.first_year_protests = 0; /* first year without protests: no base */
	n = licit_protest_measures(&c, LICIT_PM_CHANGE, m);
	cr_assert(isnan(find(m, n, "change_from_first")->value));
}

/* ---- the accumulator over in-memory CSV -------------------------------- */

static void feed(struct licit_protest_stats *s, const char *csv, int procedures)
{
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	cr_assert_not_null(f);
	struct licit_error err;
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &o, &err);
	cr_assert_not_null(r, "%s", err.text);
	int rc = procedures ? licit_protest_stats_bind_procedures(s, r, NULL, NULL, &err)
	                    : licit_protest_stats_bind_protests(s, r, &err);
	cr_assert_eq(rc, LICIT_OK, "%s", err.text);
	const struct licit_row *row;
	while ((rc = licit_reader_next(r, &row, &err)) == LICIT_OK) {
		rc = procedures ? licit_protest_stats_procedure(s, row, NULL, NULL, &err)
		                : licit_protest_stats_protest(s, row, NULL, NULL, &err);
		cr_assert_eq(rc, LICIT_OK, "%s", err.text);
	}
	cr_assert_eq(rc, LICIT_EOF);
	licit_reader_close(r);
	fclose(f);
}

static const char procs[] =
	"procedure_id,entity_id,buyer_id,procedure_type,tender_start\n"
	"P1,IMSS,B1,open,2008-01-10\n"
	"P1,IMSS,B1,open,2008-01-10\n" /* a second contract of P1 */
	"P2,IMSS,B1,direct,2008-02-01\n"
	"P3,IMSS,B2,limited,2009-03-01\n"
	"P4,ISSSTE,B9,open,2009-05-05\n"
	"P5,ISSSTE,B9,direct,\n"
	",ISSSTE,B9,open,2009-01-01\n"; /* no id: not a procedure */

static const char protests[] =
	"protest_id,procedure_id,entity_id,buyer_id,filed_date,resolved_date,stage,outcome\n"
	"X1,P1,IMSS,B1,2008-02-01,2008-03-02,award,founded\n"
	"X2,P1,IMSS,B1,2008-02-03,2008-02-13,call,dismissed\n"
	"X3,P3,IMSS,B2,2009-04-01,,award,pending\n"
	"X4,P9,SFP,S1,2009-06-01,2009-06-11,opening,unfounded\n"
	"X5,P4,ISSSTE,B9,2009-06-01,2009-05-01,bogus,founded\n";

Test(protest_stats, denominators_are_distinct_procedures_by_entity)
{
	enum licit_protest_key k[] = {LICIT_PKEY_ENTITY};
	struct licit_error err;
	struct licit_protest_stats *s = licit_protest_stats_new(k, 1, &err);
	cr_assert_not_null(s);
	feed(s, procs, 1);
	feed(s, protests, 0);
	cr_assert_eq(licit_protest_stats_finish(s, 1, &err), LICIT_OK);
	cr_assert_eq(licit_protest_stats_nrows(s), 3);
	/* sorted: IMSS, ISSSTE, SFP */
	cr_assert_str_eq(licit_protest_stats_keys(s, 0)[0], "IMSS");
	const struct licit_protest_counts *c = licit_protest_stats_row(s, 0);
	cr_assert_eq(c->protests, 3);
	cr_assert_eq(c->protested, 2);
	cr_assert_eq(c->procedures, 3);
	cr_assert_eq(c->competitive, 2);
	cr_assert_eq(c->comp_protests, 3);
	cr_assert_eq(c->n_days, 2);
	cr_assert_eq(c->median_days, 20); /* 29 and 10 days */
	cr_assert_eq(c->pending, 1);
	c = licit_protest_stats_row(s, 1);
	cr_assert_str_eq(licit_protest_stats_keys(s, 1)[0], "ISSSTE");
	cr_assert_eq(c->procedures, 2);
	cr_assert_eq(c->stage_known, 0); /* "bogus" is not a stage */
	cr_assert_eq(c->n_days, 0);      /* resolved before filed */
	c = licit_protest_stats_row(s, 2);
	cr_assert_str_eq(licit_protest_stats_keys(s, 2)[0], "SFP");
	cr_assert_eq(c->procedures, 0);
	cr_assert_eq(c->unmatched, 1);

	const struct licit_protest_counts *t = licit_protest_stats_total(s);
	cr_assert_eq(t->protests, 5);
	cr_assert_eq(t->procedures, 5);
	cr_assert_eq(t->protested, 4);
	/* the pooled rates leave out SFP, which has no procedure count */
	cr_assert_eq(t->rated_protests, 4);
	cr_assert_eq(t->rated_protested, 3);
	cr_assert_eq(t->rated_comp_protests, 4);
	/* mean of IMSS 3/3 and ISSSTE 1/2; SFP has no rate */
	cr_assert_eq(t->n_entities, 2);
	cr_assert_float_eq(t->sum_entity_rates, 1.5, 1e-12);
	struct licit_protest_summary m;
	licit_protest_stats_summary(s, &m);
	cr_assert_eq(m.procedures, 5);
	cr_assert_eq(m.no_procedure_id, 1);
	cr_assert_eq(m.unmatched, 1);
	cr_assert_eq(m.bad_values, 2);
	cr_assert(licit_protest_stats_known_procedure(s, "P2", 2));
	cr_assert(!licit_protest_stats_known_procedure(s, "P9", 2));
	licit_protest_stats_free(s);
}

Test(protest_stats, zero_protest_groups_are_listed_and_years_split)
{
	enum licit_protest_key k[] = {LICIT_PKEY_ENTITY, LICIT_PKEY_YEAR};
	struct licit_error err;
	struct licit_protest_stats *s = licit_protest_stats_new(k, 2, &err);
	cr_assert_not_null(s);
	feed(s, procs, 1);
	feed(s, protests, 0);
	cr_assert_eq(licit_protest_stats_finish(s, 1, &err), LICIT_OK);
	/* IMSS 2008, IMSS 2009, ISSSTE "" (P5 has no date), ISSSTE 2009, SFP 2009 */
	cr_assert_eq(licit_protest_stats_nrows(s), 5);
	cr_assert_str_eq(licit_protest_stats_keys(s, 2)[1], "");
	cr_assert_eq(licit_protest_stats_row(s, 2)->protests, 0);
	cr_assert_eq(licit_protest_stats_row(s, 2)->procedures, 1);
	const struct licit_protest_counts *c = licit_protest_stats_row(s, 1);
	cr_assert_str_eq(licit_protest_stats_keys(s, 1)[1], "2009");
	cr_assert_eq(c->procedures, 1);
	cr_assert_eq(c->first_year_protests, 2); /* IMSS 2008 */
	licit_protest_stats_free(s);
}

Test(protest_stats, stage_groups_share_the_procedure_denominator)
{
	enum licit_protest_key k[] = {LICIT_PKEY_STAGE};
	struct licit_error err;
	struct licit_protest_stats *s = licit_protest_stats_new(k, 1, &err);
	feed(s, procs, 1);
	feed(s, protests, 0);
	cr_assert_eq(licit_protest_stats_finish(s, 1, &err), LICIT_OK);
	/* "", award, call, opening: no procedure-only rows */
	cr_assert_eq(licit_protest_stats_nrows(s), 4);
	cr_assert_str_eq(licit_protest_stats_keys(s, 1)[0], "award");
	cr_assert_eq(licit_protest_stats_row(s, 1)->protests, 2);
	cr_assert_eq(licit_protest_stats_row(s, 1)->procedures, 5);
	/* entity mean over IMSS (2 award protests / 3 procedures) and
	 * ISSSTE (0 / 2) */
	cr_assert_eq(licit_protest_stats_row(s, 1)->n_entities, 2);
	cr_assert_float_eq(licit_protest_stats_row(s, 1)->sum_entity_rates, 2.0 / 3, 1e-12);
	licit_protest_stats_free(s);
}

Test(protest_stats, bad_keys_are_refused)
{
	struct licit_error err;
	enum licit_protest_key k[] = {LICIT_PKEY_YEAR, LICIT_PKEY_YEAR};
	cr_assert_null(licit_protest_stats_new(k, 2, &err));
	cr_assert(strstr(err.text, "twice"));
	cr_assert_null(licit_protest_stats_new(k, 0, &err));
	cr_assert_eq(licit_protest_key_parse("buyer_id"), LICIT_PKEY_BUYER);
	cr_assert_eq(licit_protest_key_parse("supplier_id"), -1);
}

/* ---- the protest normaliser ---------------------------------------------- */

struct problems {
	int n;
	char last[128];
};

static void on_problem(void *ctx, const struct licit_diag *d)
{
	struct problems *p = ctx;
	p->n++;
	cr_assert_eq(d->severity, LICIT_WARNING);
	cr_assert_str_eq(d->source, "mem");
	snprintf(p->last, sizeof p->last, "%s=%s: %s", d->field, d->value, d->text);
}

Test(protest_normaliser, spanish_headers_and_values)
{
	static const char csv[] =
		"Expediente,Número de procedimiento,Siglas,ClaveUC,Fecha de presentación,"
		"Fecha de resolución,Acto impugnado,Sentido de la resolución\n"
		"INC-1/2008,LA-1,IMSS,050GYR001,03/02/2008,2008-03-01,FALLO,Sobreseída\n"
		"INC-2/2008,LA-2,IMSS,050GYR001,31/02/2008,,Junta de Aclaraciones,Parcialmente fundada\n";
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	struct licit_error err;
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &o, &err);
	cr_assert_not_null(r);
	struct licit_protest_normaliser *n = licit_protest_normaliser_new(NULL, &err);
	cr_assert_not_null(n);
	licit_error_clear(&err);
	cr_assert_eq(licit_protest_normaliser_bind(n, r, NULL, NULL, &err), LICIT_OK);
	cr_assert_str_eq(err.text, "");
	const struct licit_row *row;
	const char *const *out;
	struct problems p = {0};
	cr_assert_eq(licit_reader_next(r, &row, &err), LICIT_OK);
	cr_assert_eq(licit_protest_normaliser_row(n, row, "mem", &out, on_problem, &p, &err), LICIT_OK);
	cr_assert_str_eq(out[LICIT_P_PROTEST_ID], "INC-1/2008");
	cr_assert_str_eq(out[LICIT_P_FILED_DATE], "2008-02-03");
	cr_assert_str_eq(out[LICIT_P_STAGE], "award");
	cr_assert_str_eq(out[LICIT_P_OUTCOME], "dismissed");
	cr_assert_str_eq(out[LICIT_P_SOURCE_LINE], "1");
	cr_assert_eq(p.n, 0);
	cr_assert_eq(licit_reader_next(r, &row, &err), LICIT_OK);
	licit_protest_normaliser_row(n, row, "mem", &out, on_problem, &p, &err);
	cr_assert_str_eq(out[LICIT_P_STAGE], "clarification");
	cr_assert_str_eq(out[LICIT_P_FILED_DATE], "");
	cr_assert_str_eq(out[LICIT_P_OUTCOME], ""); /* reported, not guessed */
	cr_assert_eq(p.n, 2);
	cr_assert(strstr(p.last, "Parcialmente fundada"));
	licit_protest_normaliser_free(n);
	licit_reader_close(r);
	fclose(f);
}

Test(protest_normaliser, no_procedure_column_is_an_error)
{
	static const char csv[] = "a,b\n1,2\n";
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	struct licit_error err;
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &o, &err);
	struct licit_protest_normaliser *n = licit_protest_normaliser_new(NULL, &err);
	cr_assert_eq(licit_protest_normaliser_bind(n, r, NULL, NULL, &err), LICIT_ERR);
	cr_assert(strstr(err.text, "not a protest register"));
	licit_protest_normaliser_free(n);
	licit_reader_close(r);
	fclose(f);
}

Test(protest_normaliser, missing_table_file)
{
	struct licit_error err;
	cr_assert_null(licit_protest_normaliser_new("/nonexistent/values.csv", &err));
	cr_assert_neq(err.text[0], '\0');
}

Test(protest_values, canonical_names_round_trip)
{
	cr_assert_eq(licit_protest_stage_parse("award"), LICIT_STAGE_AWARD);
	cr_assert_eq(licit_protest_stage_parse("fallo"), LICIT_STAGE_UNKNOWN);
	cr_assert_str_eq(licit_protest_outcome_name(LICIT_OUTCOME_WITHDRAWN), "withdrawn");
	cr_assert_eq(licit_protest_outcome_parse(""), LICIT_OUTCOME_UNKNOWN);
	size_t n;
	const char *const *names = licit_protest_field_names(&n);
	cr_assert_eq(n, 10);
	cr_assert_str_eq(names[7], "outcome");
	cr_assert_eq(licit_protest_field_lookup("stage"), LICIT_P_STAGE);
	cr_assert_eq(licit_protest_field_lookup("amount"), -1);
}

Test(protest_normaliser, user_table_adds_and_overrides)
{
	char path[] = "/tmp/licit-protest-values.XXXXXX";
	int fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	FILE *t = fdopen(fd, "w");
	fputs("field,value,canonical\noutcome,Parcialmente fundada,founded\n"
	      "outcome,Sobreseída,\n", t);
	fclose(t);
	struct licit_error err;
	struct licit_protest_normaliser *n = licit_protest_normaliser_new(path, &err);
	unlink(path);
	cr_assert_not_null(n, "%s", err.text);
	static const char csv[] = "procedure_id,outcome\nP1,PARCIALMENTE FUNDADA\n"
	                          "P2,sobreseida\nP3,Infundada\n";
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &o, &err);
	struct problems p = {0};
	cr_assert_eq(licit_protest_normaliser_bind(n, r, on_problem, &p, &err), LICIT_OK);
	/* a warning: columns left empty */
	cr_assert_eq(p.n, 1);
	cr_assert(strstr(p.last, "protest_id"), "%s", p.last);
	p.n = 0;
	static const char *const want[] = {"founded", "", "unfounded"};
	for (int i = 0; i < 3; i++) {
		const struct licit_row *row;
		const char *const *out;
		cr_assert_eq(licit_reader_next(r, &row, &err), LICIT_OK);
		licit_protest_normaliser_row(n, row, "mem", &out, on_problem, &p, &err);
		cr_assert_str_eq(out[LICIT_P_OUTCOME], want[i]);
	}
	cr_assert_eq(p.n, 1); /* the unmapped sobreseída */
	licit_protest_normaliser_free(n);
	licit_reader_close(r);
	fclose(f);
}

Test(protest_normaliser, bad_table_rows)
{
	char path[] = "/tmp/licit-protest-values.XXXXXX";
	int fd = mkstemp(path);
	FILE *t = fdopen(fd, "w");
	fputs("field,value,canonical\nresult,Fundada,founded\n", t);
	fclose(t);
	struct licit_error err;
	cr_assert_null(licit_protest_normaliser_new(path, &err));
	cr_assert_eq(err.line, 2);
	cr_assert(strstr(err.text, "not stage or outcome"));
	unlink(path);
}
