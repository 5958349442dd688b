/* libFuzzer target: the normaliser's mapping-file reader (field = column,
 * field := constant, @directives), then the mapping applied to a few
 * rows of a fixed input. */
#include "fuzz_file.h"

#include "licit/normalise/normalise.h"
#include "licit/io/reader.h"

static const char rows[] =
	"ID,CID,AMT,MONEDA,FECHA,TITULO,PROVEEDOR,RFC,TIPO\n"
	"A-1,c1,\"1,234.50\",MXN,2015-03-01,Papeleria,PAPELES SA DE CV,PAP010101AB1,Adjudicacion Directa\n"
	"A-2,c2,-5,USD,01/02/2016,,Juan Perez,,Licitacion Publica\n"
	"A-3,,ABIERTO,,31/02/2016,Obra,,XXX,\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct licit_error err;
	struct licit_norm_opts no = {.mapping_path = fuzz_file(data, size)};
	struct licit_normaliser *n = licit_normaliser_new(&no, &err);
	if (!n)
		return 0;
	FILE *in = fmemopen((void *)rows, sizeof rows - 1, "rb");
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV};
	struct licit_reader *r = in ? licit_reader_open_stream(in, "rows", &o, &err) : NULL;
	if (r && licit_normaliser_bind(n, r, NULL, NULL, &err) == LICIT_OK) {
		const struct licit_row *row;
		const char *const *out;
		while (licit_reader_next(r, &row, &err) == LICIT_OK)
			licit_normaliser_row(n, row, "rows", &out, NULL, NULL, &err);
	}
	licit_reader_close(r);
	if (in)
		fclose(in);
	licit_normaliser_free(n);
	return 0;
}
