/* Unit tests of the normaliser: layouts, cleaning by type, derived fields. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/normalise/normalise.h"

struct problems {
	int n;
	char last[256];
};

static void collect(void *ctx, const struct licit_diag *d)
{
	struct problems *p = ctx;
	p->n++;
	cr_assert_eq(d->severity, LICIT_WARNING);
	cr_assert_str_eq(d->source, "t.csv");
	cr_assert(d->line >= 2, "the row's line");
	snprintf(p->last, sizeof p->last, "%s|%s|%s", d->field, d->value, d->text);
}

struct run {
	FILE *f;
	struct licit_reader *r;
	struct licit_normaliser *n;
	struct licit_error err;
	struct problems probs;
	const char *const *out;
};

static void start(struct run *x, const char *csv, const struct licit_norm_opts *o)
{
	static const struct licit_norm_opts none;
	memset(x, 0, sizeof *x);
	x->n = licit_normaliser_new(o ? o : &none, &x->err);
	cr_assert_not_null(x->n, "%s", x->err.text);
	x->f = fmemopen((void *)csv, strlen(csv), "rb");
	x->r = licit_reader_open_stream(x->f, "t.csv", NULL, &x->err);
	cr_assert_not_null(x->r, "%s", x->err.text);
	cr_assert_eq(licit_normaliser_bind(x->n, x->r, collect, &x->probs, &x->err), LICIT_OK, "%s", x->err.text);
}

static void row(struct run *x)
{
	const struct licit_row *rw;
	cr_assert_eq(licit_reader_next(x->r, &rw, &x->err), LICIT_OK);
	cr_assert_eq(licit_normaliser_row(x->n, rw, "t.csv", &x->out, collect, &x->probs, &x->err),
	             LICIT_OK, "%s", x->err.text);
}

static void finish(struct run *x)
{
	licit_reader_close(x->r);
	fclose(x->f);
	licit_normaliser_free(x->n);
}

#define F(id) x.out[LICIT_F_##id]

Test(normalise, compranet_later_spanish_headers)
{
	struct run x;
	start(&x, "Siglas de la Institución,Clave de la UC,Número del procedimiento,"
	          "Código del contrato,Importe DRC,Moneda,RFC,Proveedor o contratista,"
	          "Tipo de procedimiento,Fundamento legal\n"
	          "IMSS,050GYR047,LA-1,C-9,\"$ 12,500.00\",Pesos,GFM010122DZ9,"
	          "Grúas Fletes y Maniobras SA de CV,LICITACIÓN PÚBLICA,\n", NULL);
	cr_assert_str_eq(licit_normaliser_layout(x.n), "compranet");
	row(&x);
	cr_assert_str_eq(F(ENTITY_ID), "IMSS");
	cr_assert_str_eq(F(PROCEDURE_ID), "LA-1");
	cr_assert_str_eq(F(AMOUNT), "12500");
	cr_assert_str_eq(F(CURRENCY), "MXN");
	cr_assert_str_eq(F(AMOUNT_MXN), "12500");
	cr_assert_str_eq(F(SUPPLIER_RFC), "GFM010122DZ9");
	cr_assert_str_eq(F(SUPPLIER_ID), "GFM010122DZ9"); /* a valid RFC is the id */
	cr_assert_str_eq(F(PROCEDURE_TYPE), "open");
	cr_assert_str_eq(F(OCID), "LA-1"); /* no prefix given */
	cr_assert_str_eq(F(SOURCE), "t.csv");
	cr_assert_str_eq(F(SOURCE_LINE), "1");
	cr_assert_eq(x.probs.n, 0, "%s", x.probs.last);
	finish(&x);
}

Test(normalise, invalid_rfc_falls_back_to_name_key)
{
	struct run x;
	start(&x, "NUMERO_PROCEDIMIENTO,IMPORTE_CONTRATO,MONEDA,RFC,PROVEEDOR_CONTRATISTA,CLAVEUC,CODIGO_CONTRATO\n"
	          "P,1,MXN,GFM010122DZ8,\"Comercial X, S.A. de C.V.\",U,C\n", NULL);
	row(&x);
	cr_assert_str_eq(F(SUPPLIER_RFC), "");
	cr_assert_str_eq(F(SUPPLIER_ID), "COMERCIAL X SA DE CV");
	cr_assert_eq(x.probs.n, 1);
	cr_assert(strstr(x.probs.last, "supplier_rfc|GFM010122DZ8|invalid RFC"), "%s", x.probs.last);
	finish(&x);
}

Test(normalise, test_row_marked_not_dropped)
{
	struct run x;
	start(&x, "NUMERO_PROCEDIMIENTO,IMPORTE_CONTRATO,MONEDA,PROVEEDOR_CONTRATISTA,CLAVEUC,CODIGO_CONTRATO\n"
	          "P,1,TEST,X,U,C\n", NULL);
	row(&x);
	cr_assert_str_eq(F(TEST), "1");
	cr_assert_str_eq(F(CURRENCY), "");
	cr_assert_str_eq(F(AMOUNT_MXN), "");
	cr_assert_eq(x.probs.n, 1, "%s", x.probs.last);
	finish(&x);
}

Test(normalise, canonical_input_keeps_provenance)
{
	struct run x;
	start(&x, "ocid,contract_id,amount,currency,source,source_line\n"
	          "o-1,c,10.50,MXN,first.csv,7\n", NULL);
	cr_assert_str_eq(licit_normaliser_layout(x.n), "canonical");
	row(&x);
	cr_assert_str_eq(F(AMOUNT), "10.5");
	cr_assert_str_eq(F(SOURCE), "first.csv");
	cr_assert_str_eq(F(SOURCE_LINE), "7");
	finish(&x);
}

Test(normalise, unknown_layout_is_an_error)
{
	struct licit_norm_opts o = {0};
	struct licit_error err;
	struct licit_normaliser *n = licit_normaliser_new(&o, &err);
	static const char csv[] = "a,b\n1,2\n";
	FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
	struct licit_reader *r = licit_reader_open_stream(f, "x.csv", NULL, &err);
	cr_assert_eq(licit_normaliser_bind(n, r, NULL, NULL, &err), LICIT_ERR);
	cr_assert_str_eq(err.source, "x.csv");
	cr_assert(strstr(err.text, "--mapping"));
	licit_reader_close(r);
	fclose(f);
	licit_normaliser_free(n);
}

Test(normalise, procedure_type_table)
{
	cr_assert_str_eq(licit_proctype_lookup(NULL, "Licitación Pública", strlen("Licitación Pública")), "open");
	cr_assert_str_eq(licit_proctype_lookup(NULL, "Invitación a Cuando Menos 3 Personas", 36), "limited");
	cr_assert_str_eq(licit_proctype_lookup(NULL, "ADJUDICACION DIRECTA FEDERAL", 28), "direct");
	cr_assert_str_eq(licit_proctype_lookup(NULL, "Convenio", 8), "direct");
	cr_assert_null(licit_proctype_lookup(NULL, "Otro", 4));
}

Test(normalise, rates_convert_by_latest_earlier_date)
{
	char path[] = "/tmp/licit-rates.XXXXXX";
	int fd = mkstemp(path);
	FILE *rf = fdopen(fd, "w");
	fputs("date,currency,rate\n2015-01-01,USD,14.5\n2015-07-01,usd,15.5\n2016-01-01,USD,17\n", rf);
	fclose(rf);
	struct licit_norm_opts o = {.rates_path = path};
	struct run x;
	start(&x, "NUMERO_PROCEDIMIENTO,IMPORTE_CONTRATO,MONEDA,FECHA_CELEBRACION,CLAVEUC,CODIGO_CONTRATO,PROVEEDOR_CONTRATISTA\n"
	          "P,100,USD,2015-12-31,U,C,X\n"
	          "P,100,USD,2014-12-31,U,C,X\n", &o);
	row(&x);
	cr_assert_str_eq(F(AMOUNT_MXN), "1550");
	row(&x);
	cr_assert_str_eq(F(AMOUNT_MXN), "");
	cr_assert(strstr(x.probs.last, "no USD rate on or before 2014-12-31"), "%s", x.probs.last);
	finish(&x);
	unlink(path);
}

Test(normalise, mapping_constants_and_alternatives)
{
	char path[] = "/tmp/licit-map.XXXXXX";
	int fd = mkstemp(path);
	FILE *mf = fdopen(fd, "w");
	fputs("# comment\nprocedure_id = Folio\nprocedure_id = Expediente\n"
	      "amount = Monto total\ncurrency := USD\n@ocid_prefix = ocds-x-\n", mf);
	fclose(mf);
	struct licit_norm_opts o = {.mapping_path = path};
	struct run x;
	start(&x, "EXPEDIENTE,MONTO_TOTAL\nE-1,\"1,5\"\n", &o);
	cr_assert_str_eq(licit_normaliser_layout(x.n), "mapping");
	row(&x);
	cr_assert_str_eq(F(PROCEDURE_ID), "E-1");
	cr_assert_str_eq(F(OCID), "ocds-x-E-1");
	cr_assert_str_eq(F(AMOUNT), "1.5");
	cr_assert_str_eq(F(CURRENCY), "USD");
	finish(&x);
	unlink(path);
}

Test(normalise, bad_mapping_names_its_line)
{
	char path[] = "/tmp/licit-map.XXXXXX";
	int fd = mkstemp(path);
	FILE *mf = fdopen(fd, "w");
	fputs("procedure_id = Folio\nwhatever\n", mf);
	fclose(mf);
	struct licit_norm_opts o = {.mapping_path = path};
	struct licit_error err;
	cr_assert_null(licit_normaliser_new(&o, &err));
	cr_assert_eq(err.line, 2);
	cr_assert_str_eq(err.source, path);
	unlink(path);
}
