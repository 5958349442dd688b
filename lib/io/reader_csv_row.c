/* One delimited record (CSV or TSV) made into a row of the reader's batch,
 * with the problems every back end reports the same way: blank records,
 * stray quotes, ragged rows (and through batch_value(), encodings and NUL
 * bytes). Both CSV back ends (libcsv's and
 * the in-situ one) hand their records here, so they cannot disagree on
 * what a record means. */
#include "reader_impl.h"

#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

int csv_ascii(const char *s, size_t n)
{
	size_t i = 0;
#ifdef __SSE2__
	const __m128i zero = _mm_setzero_si128();
	for (; i + 16 <= n; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(s + i));
		if (_mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero))))
			return 0;
	}
#endif
	for (uint64_t w; i + 8 <= n; i += 8) {
		memcpy(&w, s + i, 8);
		/* a byte >= 0x80 has its top bit; a zero byte borrows one */
		if (((w - 0x0101010101010101ULL) | w) & 0x8080808080808080ULL)
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)s[i] - 1u >= 0x7Fu) /* 0 or >= 0x80 */
			return 0;
	return 1;
}

/* Whether a record's values are all ASCII without NUL: then every value
 * is used as it is. */
static int plain_ascii(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->nf; i++)
		if (!csv_ascii(rec->f[i], rec->len[i]))
			return 0;
	return 1;
}

static int value(struct licit_reader *r, struct licit_row *row,
                 const struct csv_record *rec, size_t i, int plain,
                 char **v, size_t *len)
{
	const char *field = r->header[i];
	char *s = rec->f[i];
	size_t n = rec->len[i];
	if (rec->stable && (plain || batch_value_plain(r, s, n))) {
		*v = s;
		*len = n;
	} else {
		*v = batch_value(r, row, field, s, n, len);
		if (!*v)
			return -1;
	}
	return 0;
}

int csv_row_emit(struct licit_reader *r, const struct csv_record *rec)
{
	size_t nf = rec->nf, n = r->ncols;
	size_t filled = 0;
	for (size_t i = 0; i < nf && !filled; i++)
		filled += rec->len[i] > 0;
	if (!filled) {
		/* ",,,," from a spreadsheet: an empty row would count as a
		 * contract downstream, so it is reported and not delivered */
		licit_diag(r->opts.note, r->opts.note_ctx, LICIT_WARNING, r->source, rec->line, NULL,
		           NULL, "empty record (every field blank): no row");
		return 0;
	}
	struct licit_row *row = batch_push(r);
	char **v = row ? licit_arena_alloc(&r->batch.arena, n * sizeof *v + 1) : NULL;
	size_t *len = v ? licit_arena_alloc(&r->batch.arena, n * sizeof *len + 1) : NULL;
	if (!len)
		return -1;
	row->n = n;
	row->v = (const char *const *)v;
	row->len = len;
	row->line = rec->line;
	row->offset = rec->offset;
	row->bytes = rec->bytes;
	row->recno = ++r->recno;
	row->nfields = nf;
	int plain = rec->plain || plain_ascii(rec);
	size_t have = nf < n ? nf : n;
	if (rec->stable && plain) { /* every value as it lies */
		memcpy(v, rec->f, have * sizeof *v);
		memcpy(len, rec->len, have * sizeof *len);
	} else {
		for (size_t i = 0; i < have; i++)
			if (value(r, row, rec, i, plain, &v[i], &len[i]) < 0)
				return -1;
	}
	for (size_t i = have; i < n; i++) {
		v[i] = "";
		len[i] = 0;
	}
	for (size_t i = 0; rec->multiline && i < nf && i < n; i++) {
		/* a stray quote makes the parser run one field on to the next
		 * quote in the file, swallowing the records between: say so */
		const char *f = rec->f[i];
		size_t fl = rec->len[i];
		if (memchr(f, '"', fl) && memchr(f, r->csv_delim, fl) &&
		    (memchr(f, '\n', fl) || memchr(f, '\r', fl))) {
			char text[160];
			snprintf(text, sizeof text, "field spans lines %ld-%ld and holds quotes and "
			         "delimiters: a stray quote may have swallowed the records there",
			         rec->line, rec->line + rec->newlines);
			if (batch_problem(r, row, r->header[i], f, fl, text) < 0)
				return -1;
		}
	}
	if (nf != n) {
		char text[96];
		snprintf(text, sizeof text, "ragged row: %zu fields, header has %zu", nf, n);
		/* the values beyond the header are kept in the report, joined by | */
		size_t total = 0;
		for (size_t i = n; i < nf; i++)
			total += rec->len[i] + 1;
		char *extra = licit_arena_alloc(&r->batch.arena, total + 1);
		if (!extra)
			return -1;
		size_t k = 0;
		for (size_t i = n; i < nf; i++) {
			if (k)
				extra[k++] = '|';
			for (size_t j = 0; j < rec->len[i]; j++)
				extra[k++] = rec->f[i][j] ? rec->f[i][j] : '|';
		}
		extra[k] = '\0';
		if (batch_problem(r, row, "", extra, k, text) < 0)
			return -1;
	}
	return 0;
}
