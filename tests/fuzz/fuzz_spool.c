/* libFuzzer target: the row spool of licit flags (licit/flags/spool.h).
 * First byte even: the rest is read as a spool, which must end in rows,
 * EOF or an error, never a crash. Odd: the rest is read as CSV, every
 * row (a column in three dropped when the first byte says so) written to
 * a spool and read back, which must give the same values in the same
 * order; read back with licit_spool_next_raw (first byte & 8), a row
 * given as its record's bytes too must be its values joined by the
 * delimiter. */
#include "fuzz_file.h"

#include <string.h>

#include "licit/flags/spool.h"

static void read_all(struct licit_spool *s)
{
	struct licit_spool_item it;
	struct licit_error err;
	while (licit_spool_next(s, &it, &err) == LICIT_OK)
		if (!it.header) /* the room after the row is writable */
			memset(it.tail, 'x', 8);
}

/* A raw record is the row's values joined by the delimiter. */
static void check_raw(const struct licit_spool_item *it, char delim)
{
	size_t at = 0;
	for (size_t k = 0; k < it->row.n; k++) {
		size_t len = it->row.len[k];
		if ((k && (at >= it->raw_len || it->raw[at++] != delim)) || at + len > it->raw_len ||
		    memcmp(it->raw + at, it->row.v[k], len) != 0)
			abort();
		at += len;
	}
	if (at != it->raw_len)
		abort();
}

static void round_trip(const char *path, int drop, int refs, int raw)
{
	struct licit_reader_opts o = {.format = LICIT_FMT_CSV, .threads = 1};
	struct licit_error err;
	struct licit_reader *r = licit_reader_open(path, &o, &err);
	struct licit_reader *again = licit_reader_open(path, &o, &err);
	struct licit_spool *s = licit_spool_new(&err);
	if (!r || !again || !s)
		goto done;
	size_t n = licit_reader_ncols(r);
	unsigned char *keep = malloc(n + 1);
	if (!keep)
		abort();
	for (size_t i = 0; i < n; i++)
		keep[i] = !drop || i % 3 != 1;
	if (licit_spool_header(s, licit_reader_source(r), licit_reader_header(r), n, keep,
	                       refs ? path : NULL,
	                       licit_reader_delimiter(r), &err))
		abort();
	const struct licit_row *row;
	while (licit_reader_next(r, &row, &err) == LICIT_OK)
		if (licit_spool_row(s, row, &err))
			abort();
	if (licit_spool_rewind(s, 8, &err))
		abort();
	struct licit_spool_item it;
	if (licit_spool_next(s, &it, &err) != LICIT_OK || !it.header)
		abort();
	while ((raw ? licit_spool_next_raw : licit_spool_next)(s, &it, &err) == LICIT_OK) {
		if (it.header || licit_reader_next(again, &row, &err) != LICIT_OK)
			abort();
		if (it.raw && ((drop && n > 1) || !refs))
			abort(); /* only a file row of every column has its record */
		if (it.raw)
			check_raw(&it, licit_reader_delimiter(r));
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			if (!keep[i])
				continue;
			size_t len = i < row->n ? row->len[i] : 0;
			if (k >= it.row.n || it.row.len[k] != len ||
			    memcmp(it.row.v[k], i < row->n ? row->v[i] : "", len) != 0 || it.row.v[k][len])
				abort();
			k++;
		}
		if (k != it.row.n || it.row.line != row->line)
			abort();
		memset(it.tail, 'x', 8);
	}
	if (licit_reader_next(again, &row, &err) == LICIT_OK) /* a row lost */
		abort();
	free(keep);
done:
	licit_spool_free(s);
	licit_reader_close(r);
	licit_reader_close(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		round_trip(fuzz_file(data + 1, size - 1), data[0] & 2, data[0] & 4, data[0] & 8);
		return 0;
	}
	FILE *f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r");
	if (!f)
		abort();
	if (size == 1)
		fseek(f, 0, SEEK_END); /* empty */
	struct licit_spool *s = licit_spool_open_stream(f, "fuzz");
	if (!s)
		abort();
	read_all(s);
	licit_spool_free(s);
	fclose(f);
	return 0;
}
