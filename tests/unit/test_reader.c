/* Unit tests of the record reader: CSV traps, TSV, JSON Lines, OCDS. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "licit/io/reader.h"
#include "licit/record/schema.h"

struct fixture {
	FILE *f;
	struct licit_reader *r;
	struct licit_error err;
};

static struct licit_reader *open_mem(struct fixture *fx, const char *data,
                                     size_t n, enum licit_format fmt,
                                     enum licit_encoding enc)
{
	fx->f = fmemopen((void *)data, n, "rb");
	cr_assert_not_null(fx->f);
	struct licit_reader_opts o = {.format = fmt, .encoding = enc};
	fx->r = licit_reader_open_stream(fx->f, "mem", &o, &fx->err);
	return fx->r;
}

static void close_mem(struct fixture *fx)
{
	licit_reader_close(fx->r);
	fclose(fx->f);
}

static const struct licit_row *next_ok(struct fixture *fx)
{
	const struct licit_row *row = NULL;
	int rc = licit_reader_next(fx->r, &row, &fx->err);
	cr_assert_eq(rc, LICIT_OK, "next: %d (%s)", rc, fx->err.text);
	return row;
}

static void expect_eof(struct fixture *fx)
{
	const struct licit_row *row;
	cr_assert_eq(licit_reader_next(fx->r, &row, &fx->err), LICIT_EOF);
}

#define S(lit) lit, sizeof(lit) - 1

Test(reader, csv_quotes_crlf_bom_embedded_newlines)
{
	struct fixture fx;
	static const char in[] = "\xEF\xBB\xBF" "a,b,c\r\n"
	                         "1,\"x, \"\"y\"\"\",3\r\n"
	                         "2,\"two\nlines\",4\r\n"
	                         "5,6,7\r\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_eq(licit_reader_format(fx.r), LICIT_FMT_CSV);
	cr_assert_eq(licit_reader_ncols(fx.r), 3);
	cr_assert_str_eq(licit_reader_header(fx.r)[0], "a"); /* BOM gone */
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[1], "x, \"y\"");
	cr_assert_eq(row->line, 2);
	row = next_ok(&fx);
	cr_assert_str_eq(row->v[1], "two\nlines");
	cr_assert_eq(row->line, 3);
	row = next_ok(&fx);
	cr_assert_eq(row->line, 5, "line after an embedded newline: %ld", row->line);
	cr_assert_eq(row->recno, 3);
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, blank_lines_keep_line_numbers_exact)
{
	struct fixture fx;
	static const char in[] = "a,b\n\n1,2\n\n\n3,4";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	cr_assert_eq(next_ok(&fx)->line, 3);
	const struct licit_row *row = next_ok(&fx);
	cr_assert_eq(row->line, 6);
	cr_assert_str_eq(row->v[1], "4"); /* last line without newline */
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, ragged_rows_are_padded_and_reported)
{
	struct fixture fx;
	static const char in[] = "a,b,c\n1,2\n1,2,3,4,5\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_eq(row->n, 3);
	cr_assert_eq(row->nfields, 2);
	cr_assert_str_eq(row->v[2], "");
	cr_assert_eq(row->nproblems, 1);
	cr_assert(strstr(row->problems[0].text, "ragged"));
	row = next_ok(&fx);
	cr_assert_eq(row->nfields, 5);
	cr_assert_str_eq(row->problems[0].value, "4|5"); /* extra values kept */
	close_mem(&fx);
}

Test(reader, delimiter_detected_and_empty_header_cell_named)
{
	struct fixture fx;
	static const char in[] = ";GOBIERNO;SIGLAS\n1;APF;IMSS\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_eq(licit_reader_ncols(fx.r), 3);
	cr_assert_str_eq(licit_reader_header(fx.r)[0], "column_1");
	cr_assert_eq(licit_reader_col(fx.r, "SIGLAS"), 2);
	cr_assert_str_eq(next_ok(&fx)->v[2], "IMSS");
	close_mem(&fx);
}

Test(reader, tsv_has_no_quoting)
{
	struct fixture fx;
	static const char in[] = "a\tb\n\"q\tx\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_TSV, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[0], "\"q");
	cr_assert_str_eq(row->v[1], "x");
	close_mem(&fx);
}

Test(reader, latin1_detected_per_field)
{
	struct fixture fx;
	static const char in[] = "nombre\nAdministraci\xf3n\nM\xc3\xa9xico\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[0], "Administraci\xc3\xb3n");
	cr_assert_str_eq(next_ok(&fx)->v[0], "M\xc3\xa9xico"); /* valid UTF-8 kept */
	cr_assert_eq(licit_reader_recoded(fx.r), 1);
	close_mem(&fx);
}

Test(reader, forced_cp1252)
{
	struct fixture fx;
	static const char in[] = "x\n\x80 5\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_CP1252));
	cr_assert_str_eq(next_ok(&fx)->v[0], "\xe2\x82\xac 5"); /* euro sign */
	close_mem(&fx);
}

Test(reader, unterminated_quote_is_an_error_with_line)
{
	struct fixture fx;
	static const char in[] = "a,b\n1,2\n3,\"never closed\n4,5\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	const struct licit_row *row;
	int rc;
	while ((rc = licit_reader_next(fx.r, &row, &fx.err)) == LICIT_OK)
		;
	cr_assert_eq(rc, LICIT_ERR);
	cr_assert_eq(fx.err.line, 3);
	cr_assert(strstr(fx.err.text, "unterminated"));
	close_mem(&fx);
}

Test(reader, empty_input_has_no_header)
{
	struct fixture fx;
	cr_assert_null(open_mem(&fx, "", 0, LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert(strstr(fx.err.text, "no header"));
	fclose(fx.f);
}

Test(reader, jsonl_flat_rows_and_bad_line_recovery)
{
	struct fixture fx;
	static const char in[] = "{\"a\":\"x\",\"n\":1.5,\"z\":null}\n"
	                         "\n"
	                         "{\"a\":\"y\",\"n\":2,\"extra\":true}\n"
	                         "{broken\n"
	                         "{\"a\":\"w\"}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_eq(licit_reader_format(fx.r), LICIT_FMT_JSONL);
	cr_assert_eq(licit_reader_ncols(fx.r), 3);
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[1], "1.5");
	cr_assert_str_eq(row->v[2], "");
	row = next_ok(&fx);
	cr_assert_eq(row->line, 3);
	cr_assert_eq(row->nproblems, 1); /* "extra" is not in the header */
	cr_assert_eq(licit_reader_next(fx.r, &row, &fx.err), LICIT_ERR);
	cr_assert_eq(fx.err.line, 4);
	row = next_ok(&fx);
	cr_assert_str_eq(row->v[0], "w");
	expect_eof(&fx);
	close_mem(&fx);
}

static int col(struct fixture *fx, enum licit_field f)
{
	return licit_reader_col(fx->r, licit_field_name(f));
}

Test(reader, ocds_release_package_compiles_same_ocid)
{
	struct fixture fx;
	static const char in[] =
		"{\"releases\": [\n"
		" {\"ocid\":\"o-1\",\"id\":\"1\",\"date\":\"2020-01-01\",\"tag\":[\"tender\"],"
		"  \"tender\":{\"id\":\"T1\",\"procurementMethod\":\"open\",\"numberOfTenderers\":3}},\n"
		" {\"ocid\":\"o-2\",\"id\":\"9\",\"date\":\"2020-01-05\",\"tag\":[\"award\"],"
		"  \"awards\":[{\"id\":\"A\",\"value\":{\"amount\":5,\"currency\":\"MXN\"}}]},\n"
		" {\"ocid\":\"o-1\",\"id\":\"2\",\"date\":\"2020-02-01\",\"tag\":[\"award\",\"contract\"],"
		"  \"awards\":[{\"id\":\"A1\",\"suppliers\":[{\"id\":\"S1\",\"name\":\"ACME SA\"}]}],"
		"  \"contracts\":[{\"id\":\"C1\",\"awardID\":\"A1\",\"value\":{\"amount\":1234.5,\"currency\":\"MXN\"}},"
		"                 {\"id\":\"C2\",\"awardID\":\"A1\",\"value\":{\"amount\":10,\"currency\":\"MXN\"}}]}\n"
		"]}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_eq(licit_reader_format(fx.r), LICIT_FMT_OCDS);
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_OCID)], "o-1");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "C1");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_PROCEDURE_TYPE)], "open");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_N_TENDERERS)], "3");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_AMOUNT)], "1234.5");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_SUPPLIER_NAME)], "ACME SA");
	row = next_ok(&fx);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "C2");
	row = next_ok(&fx); /* an award without a contract is a row */
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_OCID)], "o-2");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_AMOUNT)], "5");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, ocds_record_package_prefers_compiled_release)
{
	struct fixture fx;
	static const char in[] =
		"{\"records\":[{\"ocid\":\"r-1\",\"releases\":[{\"url\":\"x\",\"date\":\"d\",\"tag\":[\"tender\"]}],"
		"\"compiledRelease\":{\"ocid\":\"r-1\",\"tender\":{\"id\":\"T\",\"tenderers\":[{\"id\":\"a\"},{\"id\":\"b\"}]},"
		"\"contracts\":[{\"id\":\"K\",\"value\":{\"amount\":7,\"currency\":\"USD\"}}]}}]}";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "K");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CURRENCY)], "USD");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_N_TENDERERS)], "2");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, jsonl_releases_of_one_ocid_are_compiled)
{
	struct fixture fx;
	static const char in[] =
		"{\"ocid\":\"m\",\"id\":\"1\",\"date\":\"2020\",\"tender\":{\"id\":\"T\",\"title\":\"old\"},"
		"\"awards\":[{\"id\":\"A\",\"value\":{\"amount\":1,\"currency\":\"MXN\"}}]}\n"
		"{\"ocid\":\"m\",\"id\":\"2\",\"date\":\"2021\",\"tender\":{\"title\":null},"
		"\"awards\":[{\"id\":\"A\",\"value\":{\"amount\":2}}]}\n"
		"{\"ocid\":\"n\",\"id\":\"3\",\"date\":\"2021\",\"tag\":[\"compiled\"],"
		"\"awards\":[{\"id\":\"B\",\"value\":{\"amount\":{\"x\":null}}}],"
		"\"contracts\":[{\"id\":\"K\",\"awardID\":\"B\",\"value\":{\"amount\":null}}]}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	/* one process, compiled: the later null removed the title, the award
	 * merged by id kept its currency and took the later amount */
	cr_assert_eq(row->line, 1);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_OCID)], "m");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_TITLE)], "");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_AMOUNT)], "2");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CURRENCY)], "MXN");
	row = next_ok(&fx);
	cr_assert_eq(row->line, 3);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "K");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, ocds_null_amount_falls_back_to_the_award)
{
	struct fixture fx;
	static const char in[] =
		"{\"releases\":[{\"ocid\":\"z\",\"tag\":[\"contract\"],"
		"\"awards\":[{\"id\":\"A\",\"value\":{\"amount\":500,\"currency\":\"MXN\"}}],"
		"\"contracts\":[{\"id\":\"K\",\"awardID\":\"A\",\"value\":{\"amount\":null,\"currency\":\"MXN\"}}]}]}";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_AMOUNT)], "500");
	int said = 0; /* the fallback is reported */
	for (size_t i = 0; i < row->nproblems; i++)
		said |= strstr(row->problems[i].text, "award's value") != NULL;
	cr_assert(said);
	close_mem(&fx);
}

Test(reader, jsonl_first_line_longer_than_a_read)
{
	static char in[300000];
	size_t n = 0;
	n += (size_t)snprintf(in + n, sizeof in - n, "{\"ocid\":\"big\",\"tender\":{\"title\":\"");
	while (n < 200000)
		in[n++] = 'x';
	n += (size_t)snprintf(in + n, sizeof in - n, "\"},\"contracts\":[{\"id\":\"C\"}]}\n\n\n"
	                      "{\"ocid\":\"small\",\"contracts\":[{\"id\":\"D\"}]}\n");
	struct fixture fx;
	cr_assert_not_null(open_mem(&fx, in, n, LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_eq(row->line, 1);
	row = next_ok(&fx);
	cr_assert_eq(row->line, 4, "still JSON Lines: line %ld", row->line);
	close_mem(&fx);
}

Test(reader, non_utf8_json_is_converted)
{
	struct fixture fx;
	static const char in[] = "{\"name\":\"Adquisici\xf3n\"}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[0], "Adquisici\xc3\xb3n");
	close_mem(&fx);
	static const char ok[] = "{\"name\":\"Adquisici\xc3\xb3n\"}\n";
	cr_assert_not_null(open_mem(&fx, S(ok), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[0], "Adquisici\xc3\xb3n"); /* not recoded twice */
	close_mem(&fx);
}

Test(reader, json_numbers_keep_their_digits)
{
	struct fixture fx;
	static const char in[] = "{\"a\":12345678901234.567,\"b\":4031.232,\"c\":0.1}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[0], "12345678901234.567"); /* the digits of the text */
	cr_assert_str_eq(row->v[1], "4031.232");
	cr_assert_str_eq(row->v[2], "0.1");
	close_mem(&fx);
}

Test(reader, json_array_of_flat_objects)
{
	struct fixture fx;
	static const char in[] = "[{\"a\":1,\"b\":\"x\"},{\"a\":2,\"b\":\"y\"}]";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[1], "x");
	cr_assert_str_eq(next_ok(&fx)->v[1], "y");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, csv_stray_quote_is_reported)
{
	struct fixture fx;
	static const char in[] = "a,b,c\nP1,\"ACME\" ,t\nP2,\"ACME SA,t\nP3,\"BETA\",t\nP4,x,y\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[1], "ACME"); /* a space after the closing quote is fine */
	cr_assert_eq(row->nproblems, 0);
	row = next_ok(&fx); /* P2 swallowed P3's start: said, not silent */
	cr_assert_eq(row->line, 3);
	cr_assert_geq(row->nproblems, 1);
	cr_assert(strstr(row->problems[0].text, "stray quote"), "%s", row->problems[0].text);
	close_mem(&fx);
}

Test(reader, cr_only_line_numbers)
{
	struct fixture fx;
	static const char in[] = "a,b\r1,\"two\rlines\"\r3,4\r";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_CSV, LICIT_ENC_AUTO));
	cr_assert_eq(next_ok(&fx)->line, 2);
	cr_assert_eq(next_ok(&fx)->line, 4);
	close_mem(&fx);
}

Test(reader, tsv_escapes_round_trip)
{
	struct fixture fx;
	static const char in[] = "a\tb\n\"q\"\\tx\ty\\\\z\n\n\\n\t\x00w\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_TSV, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[0], "\"q\"\tx");
	cr_assert_str_eq(row->v[1], "y\\z");
	row = next_ok(&fx);
	cr_assert_eq(row->line, 4);
	cr_assert_str_eq(row->v[0], "\n");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, concatenated_json_documents)
{
	struct fixture fx;
	static const char in[] =
		"{\n \"ocid\":\"c1\", \"tender\":{\"id\":\"1\"},\n"
		" \"contracts\":[{\"id\":\"x\"}]}\n"
		"{\n \"ocid\":\"c2\", \"tender\":{\"id\":\"2\"},\n"
		" \"contracts\":[{\"id\":\"y\"}]}\n";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[col(&fx, LICIT_F_OCID)], "c1");
	cr_assert_str_eq(next_ok(&fx)->v[col(&fx, LICIT_F_OCID)], "c2");
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, invalid_json_document_names_line)
{
	struct fixture fx;
	static const char in[] = "{\n \"releases\": [\n  {\"ocid\": }\n ]\n}\n";
	cr_assert_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_eq(fx.err.line, 3, "line %ld", fx.err.line);
	cr_assert(strstr(fx.err.text, "invalid JSON"));
	fclose(fx.f);
}

Test(reader, missing_file_is_an_error)
{
	struct licit_error err;
	cr_assert_null(licit_reader_open("/nonexistent/x.csv", NULL, &err));
	cr_assert_str_eq(err.source, "/nonexistent/x.csv");
	cr_assert(strstr(err.text, "No such file"));
}

Test(reader, ocds_record_without_compiled_release_is_compiled)
{
	struct fixture fx;
	static const char in[] =
		"{\"records\":[{\"ocid\":\"r-2\",\"releases\":["
		"{\"ocid\":\"r-2\",\"id\":\"b\",\"date\":\"2021-02-01\",\"tag\":[\"contract\"],"
		" \"contracts\":[{\"id\":\"K\",\"awardID\":\"A\",\"value\":{\"amount\":9,\"currency\":\"MXN\"}}]},"
		"{\"ocid\":\"r-2\",\"id\":\"a\",\"date\":\"2021-01-01\",\"tag\":[\"tender\",\"award\"],"
		" \"tender\":{\"id\":\"T2\",\"procurementMethod\":\"direct\"},"
		" \"awards\":[{\"id\":\"A\",\"date\":\"2021-01-15\",\"suppliers\":[{\"id\":\"S\",\"name\":\"Z\"}]}]}"
		"]}]}";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_PROCEDURE_ID)], "T2");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_CONTRACT_ID)], "K");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_AWARD_DATE)], "2021-01-15");
	cr_assert_str_eq(row->v[col(&fx, LICIT_F_SUPPLIER_NAME)], "Z");
	cr_assert_eq(row->nproblems, 0);
	expect_eof(&fx);
	close_mem(&fx);
}

Test(reader, ocds_linked_releases_only_are_reported)
{
	struct fixture fx;
	static const char in[] =
		"{\"records\":[{\"ocid\":\"r-3\",\"releases\":[{\"url\":\"u\",\"date\":\"d\",\"tag\":[\"award\"]}]}]}";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	const struct licit_row *row;
	/* nothing to flatten: no row, and no crash */
	cr_assert_eq(licit_reader_next(fx.r, &row, &fx.err), LICIT_EOF);
	close_mem(&fx);
}

Test(reader, releases_compile_in_instant_order_across_offsets)
{
	/* 10:00-06:00 is 16:00Z: after the 15:00Z release, though its text
	 * sorts first */
	struct fixture fx;
	static const char in[] =
		"{\"releases\":["
		"{\"ocid\":\"t\",\"id\":\"b\",\"date\":\"2015-02-10T10:00:00-06:00\","
		" \"awards\":[{\"id\":\"A\",\"value\":{\"amount\":2,\"currency\":\"MXN\"}}]},"
		"{\"ocid\":\"t\",\"id\":\"a\",\"date\":\"2015-02-10T15:00:00Z\","
		" \"awards\":[{\"id\":\"A\",\"value\":{\"amount\":1,\"currency\":\"MXN\"}}]}"
		"]}";
	cr_assert_not_null(open_mem(&fx, S(in), LICIT_FMT_AUTO, LICIT_ENC_AUTO));
	cr_assert_str_eq(next_ok(&fx)->v[col(&fx, LICIT_F_AMOUNT)], "2");
	close_mem(&fx);
}

Test(reader, nul_byte_replaced_and_reported)
{
	struct fixture fx;
	static const char data[] = "id,t\nC1\0a,x\n";
	cr_assert_not_null(open_mem(&fx, data, sizeof data - 1, LICIT_FMT_CSV, LICIT_ENC_AUTO));
	const struct licit_row *row = next_ok(&fx);
	cr_assert_eq(row->len[0], 6);
	cr_assert_str_eq(row->v[0], "C1\xEF\xBF\xBD" "a");
	cr_assert_eq(row->nproblems, 1);
	cr_assert_str_eq(row->problems[0].text, "NUL byte replaced by U+FFFD");
	cr_assert_str_eq(row->problems[0].field, "id");
	close_mem(&fx);
}

static char noted[256];
static void note(void *ctx, const struct licit_diag *d)
{
	(void)ctx;
	snprintf(noted, sizeof noted, "%s:%ld: %s", d->source, d->line, d->text);
}

Test(reader, duplicate_column_first_wins)
{
	static const char data[] = "a,b,a,c\n1,2,3,4\n";
	FILE *f = fmemopen((void *)data, sizeof data - 1, "rb");
	struct licit_reader_opts o = {.note = note};
	struct licit_error err;
	struct licit_reader *r = licit_reader_open_stream(f, "mem", &o, &err);
	cr_assert_not_null(r);
	cr_assert_str_eq(noted, "mem:1: duplicate column name \"a\" (column 3): column 1 is used");
	cr_assert_eq(licit_reader_ncols(r), 3);
	cr_assert_eq(licit_reader_col(r, "a"), 0);
	cr_assert_eq(licit_reader_col(r, "c"), 2);
	cr_assert_eq(licit_reader_col(r, "z"), -1);
	const struct licit_row *row;
	cr_assert_eq(licit_reader_next(r, &row, &err), LICIT_OK);
	cr_assert_eq(row->n, 3);
	cr_assert_str_eq(row->v[0], "1");
	cr_assert_str_eq(row->v[1], "2");
	cr_assert_str_eq(row->v[2], "4");
	licit_reader_close(r);
	fclose(f);
}

Test(reader, abort_mark_fails_the_reader)
{
	struct fixture fx;
	static const char data[] = "a,b\n1,2\n#licit-abort: licit-normalise: x.csv:3: broken\n";
	cr_assert_not_null(open_mem(&fx, data, sizeof data - 1, LICIT_FMT_CSV, LICIT_ENC_AUTO));
	next_ok(&fx);
	const struct licit_row *row;
	cr_assert_eq(licit_reader_next(fx.r, &row, &fx.err), LICIT_ERR);
	cr_assert_str_eq(fx.err.text, "upstream licit tool failed: licit-normalise: x.csv:3: broken");
	cr_assert_eq(fx.err.line, 3);
	close_mem(&fx);
}
