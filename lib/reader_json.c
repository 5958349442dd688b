/* JSON back end of the reader: JSON Lines (streamed, one value per line)
 * or whole documents (packages, concatenated JSON), each value either a
 * flat object (one row) or OCDS (flattened into canonical rows). */
#include "reader_impl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "licit/ocds.h"
#include "licit/ocid_sort.h"
#include "licit/text.h"
#include "licit/utf8.h"

struct json_state {
	int lines;       /* JSON Lines: one value per line, streamed */
	int ocds;        /* values are OCDS, not flat rows */
	long line;       /* lines consumed so far */
	long item;       /* releases/records seen in document mode */
	long cur_line;   /* line of the value being turned into rows */
	struct licit_ocid_sort *sort; /* JSON Lines: releases grouped by ocid */
	char *recoded;   /* a line or document converted to UTF-8 */
};

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* ---- turning values into rows ------------------------------------------ */

struct emit_ctx {
	struct licit_reader *r;
	long index;
	const char *note;
	int oom;
};

static int push_canonical(void *vctx, const char *const *vals,
                          const struct licit_problem *probs, size_t nprobs)
{
	struct emit_ctx *e = vctx;
	struct licit_reader *r = e->r;
	struct licit_row *row = batch_push(r);
	size_t n = r->ncols;
	char **v = row ? licit_arena_alloc(&r->batch.arena, n * sizeof *v) : NULL;
	size_t *len = v ? licit_arena_alloc(&r->batch.arena, n * sizeof *len) : NULL;
	if (!len)
		return e->oom = 1;
	row->n = n;
	row->v = (const char *const *)v;
	row->len = len;
	row->line = r->json->lines ? r->json->cur_line : e->index;
	row->recno = ++r->recno;
	row->nfields = n;
	for (size_t i = 0; i < n; i++) {
		const char *s = vals[i] ? vals[i] : "";
		v[i] = batch_value(r, row, r->header[i], s, strlen(s), &len[i]);
		if (!v[i])
			return e->oom = 1;
	}
	for (size_t i = 0; i < nprobs; i++)
		if (batch_problem(r, row, probs[i].field, probs[i].value,
		                  strlen(probs[i].value), probs[i].text) < 0)
			return e->oom = 1;
	if (e->note && batch_problem(r, row, "", "", 0, e->note) < 0)
		return e->oom = 1;
	return 0;
}

static int on_release(void *vctx, json_t *rel, long index, const char *note)
{
	struct emit_ctx *e = vctx;
	struct licit_reader *r = e->r;
	e->index = r->json->lines ? index : ++r->json->item;
	e->note = note;
	long inactive = 0;
	int n = licit_ocds_flatten(rel, &r->batch.arena, push_canonical, e, &inactive);
	if (n < 0)
		return -1;
	if ((n == 0 || inactive) && r->opts.note) {
		/* an empty row would count as a contract: the report goes to
		 * the caller's note hook instead */
		const char *ocid = json_string_value(json_object_get(rel, "ocid"));
		char text[128];
		if (inactive)
			snprintf(text, sizeof text, "%ld award%s pending, cancelled or "
			         "unsuccessful, without a contract: no row", inactive,
			         inactive == 1 ? "" : "s");
		else
			snprintf(text, sizeof text, "release has neither awards nor "
			         "contracts: no row");
		struct licit_problem p = {"ocid", ocid ? ocid : "", text};
		r->opts.note(r->opts.note_ctx, r->source,
		             r->json->lines ? r->json->cur_line : e->index, &p);
	}
	return 0;
}

/* A value as text; *n its length (a string may hold NUL bytes). */
static char *scalar_text(struct licit_arena *a, json_t *v, size_t *n)
{
	char buf[64];
	*n = 0;
	if (!v) /* a key absent from this object */
		return licit_arena_strndup(a, "", 0);
	if (json_is_string(v)) {
		*n = json_string_length(v);
		return licit_arena_strndup(a, json_string_value(v), *n);
	}
	if (json_is_integer(v))
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		licit_format_double(json_real_value(v), buf, sizeof buf);
	else if (json_is_true(v))
		strcpy(buf, "true");
	else if (json_is_false(v))
		strcpy(buf, "false");
	else if (json_is_null(v))
		buf[0] = '\0';
	else {
		char *dump = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		*n = dump ? strlen(dump) : 0;
		char *s = dump ? licit_arena_strndup(a, dump, *n) : NULL;
		free(dump);
		return s;
	}
	*n = strlen(buf);
	return licit_arena_strndup(a, buf, *n);
}

static int push_flat(struct licit_reader *r, json_t *obj, long line,
                     struct licit_error *err)
{
	if (json_is_array(obj)) { /* an array of flat objects */
		size_t i;
		json_t *e;
		json_array_foreach(obj, i, e)
			if (push_flat(r, e, line, err) != LICIT_OK)
				return LICIT_ERR;
		return LICIT_OK;
	}
	if (!json_is_object(obj))
		return licit_error_set(err, r->source, line, NULL,
		                       "expected a JSON object per line");
	struct licit_row *row = batch_push(r);
	size_t n = r->ncols;
	char **v = row ? licit_arena_alloc(&r->batch.arena, n * sizeof *v + 1) : NULL;
	size_t *len = v ? licit_arena_alloc(&r->batch.arena, n * sizeof *len + 1) : NULL;
	if (!len)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	row->n = n;
	row->v = (const char *const *)v;
	row->len = len;
	row->line = line;
	row->recno = ++r->recno;
	row->nfields = json_object_size(obj);
	for (size_t i = 0; i < n; i++) {
		json_t *val = json_object_get(obj, r->header[i]);
		size_t sn;
		char *s = scalar_text(&r->batch.arena, val, &sn);
		v[i] = s ? batch_value(r, row, r->header[i], s, sn, &len[i]) : NULL;
		if (!v[i])
			return licit_error_set(err, r->source, line, NULL, "out of memory");
	}
	const char *k;
	json_t *val;
	json_object_foreach(obj, k, val)
		if (licit_reader_col(r, k) < 0) {
			size_t sn;
			char *s = scalar_text(&r->batch.arena, val, &sn);
			if (batch_problem(r, row, k, s ? s : "", s ? sn : 0,
			                  "field not in the first line's set: dropped") < 0)
				return licit_error_set(err, r->source, line, NULL, "out of memory");
		}
	return LICIT_OK;
}

static int walk_value(struct licit_reader *r, json_t *v, long line,
                      struct licit_error *err)
{
	if (!r->json->ocds)
		return push_flat(r, v, line, err);
	struct emit_ctx e = {.r = r};
	r->json->cur_line = line;
	struct licit_error werr;
	licit_error_clear(&werr);
	int rc = licit_ocds_walk(v, on_release, &e, &werr);
	if (e.oom)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	if (rc)
		return licit_error_set(err, r->source, line, werr.field, "%s",
		                       werr.text[0] ? werr.text : "OCDS walk failed");
	return LICIT_OK;
}

/* Rows for one value, or none at all: rows made before an error inside
 * the value are taken back. */
static int take_value(struct licit_reader *r, json_t *v, long line,
                      struct licit_error *err)
{
	size_t before = r->batch.count;
	long recno = r->recno;
	int rc = walk_value(r, v, line, err);
	if (rc != LICIT_OK) {
		r->batch.count = before;
		r->recno = recno;
	}
	return rc;
}

/* JSON Lines of releases: the releases of one ocid are one process,
 * wherever they are in the input; they are grouped (in memory up to the
 * budget, then in sorted runs on disk) and compiled at the end, as a
 * package's would be. */
static int take_group(struct licit_reader *r, const struct licit_ocid_member *m,
                      size_t n, struct licit_error *err)
{
	long line = m[0].line;
	json_t *plain = json_array();
	if (!plain)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	int rc = LICIT_OK;
	for (size_t i = 0; i < n && rc == LICIT_OK; i++) {
		json_error_t je;
		json_t *v = json_loadb(m[i].text, m[i].len, 0, &je);
		if (m[i].line < line)
			line = m[i].line;
		if (!v)
			rc = licit_error_set(err, r->source, m[i].line, NULL, "out of memory");
		else if (!licit_ocds_is_plain_release(v)) /* compiled already */
			rc = take_value(r, v, m[i].line, err);
		else if (json_array_append(plain, v) != 0)
			rc = licit_error_set(err, r->source, m[i].line, NULL, "out of memory");
		json_decref(v);
	}
	size_t np = json_array_size(plain);
	json_t *v = rc != LICIT_OK || np == 0 ? NULL
	            : np == 1 ? json_incref(json_array_get(plain, 0))
	                      : licit_ocds_compile(plain);
	json_decref(plain);
	if (rc != LICIT_OK || np == 0)
		return rc;
	if (!v)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	rc = take_value(r, v, line, err);
	json_decref(v);
	return rc;
}

/* A release on its own (compiled or not), not a package or record. */
static int is_single_release(json_t *v)
{
	return json_is_object(v) && json_is_string(json_object_get(v, "ocid")) &&
	       !json_object_get(v, "releases") && !json_object_get(v, "records") &&
	       !json_object_get(v, "compiledRelease") && licit_ocds_detect(v);
}

static int take_line_value(struct licit_reader *r, json_t *v, const char *text,
                           size_t n, long line, struct licit_error *err)
{
	struct json_state *s = r->json;
	if (s->ocds && is_single_release(v)) {
		json_t *ocid = json_object_get(v, "ocid");
		if (!s->sort && !(s->sort = licit_ocid_sort_new(r->opts.memory)))
			return licit_error_set(err, r->source, line, NULL, "out of memory");
		if (licit_ocid_sort_add(s->sort, json_string_value(ocid), json_string_length(ocid),
		                        text, n, line) < 0) {
			r->failed = 1;
			return licit_error_set(err, r->source, line, NULL, "%s",
			                       licit_ocid_sort_error(s->sort));
		}
		return LICIT_OK;
	}
	return take_value(r, v, line, err);
}

/* After the last line: the grouped releases, one ocid at a time. */
static int take_next_group(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = r->json;
	const struct licit_ocid_member *m;
	size_t n;
	int got = s->sort ? licit_ocid_sort_next(s->sort, &m, &n) : 0;
	if (got < 0) {
		r->failed = 1;
		return licit_error_set(err, r->source, s->line, NULL, "%s",
		                       licit_ocid_sort_error(s->sort));
	}
	if (got == 0)
		return LICIT_EOF;
	return take_group(r, m, n, err);
}

/* The text jansson will parse: as it is when it is UTF-8, else converted
 * as --encoding says (auto: Windows-1252). JSON strings are then UTF-8,
 * and batch_value leaves them alone. */
static int utf8_text(struct licit_reader *r, const char **s, size_t *n)
{
	enum licit_encoding enc = r->opts.encoding;
	if (enc == LICIT_ENC_UTF8 || (enc == LICIT_ENC_AUTO && licit_utf8_valid(*s, *n)))
		return 0;
	free(r->json->recoded);
	r->json->recoded = malloc(3 * *n + 1);
	if (!r->json->recoded)
		return -1;
	*n = enc == LICIT_ENC_LATIN1 ? licit_latin1_to_utf8(*s, *n, r->json->recoded)
	                             : licit_cp1252_to_utf8(*s, *n, r->json->recoded);
	*s = r->json->recoded;
	r->recoded++;
	return 0;
}

static int set_flat_header(struct licit_reader *r, json_t *first)
{
	size_t n = json_object_size(first), i = 0;
	const char **names = malloc((n ? n : 1) * sizeof *names);
	if (!names)
		return -1;
	const char *k;
	json_t *v;
	json_object_foreach(first, k, v)
		names[i++] = k;
	int rc = reader_set_header(r, names, NULL, n);
	free(names);
	return rc;
}

static long count_newlines(const char *s, size_t n)
{
	long c = 0;
	for (size_t i = 0; i < n; i++)
		c += s[i] == '\n';
	return c;
}

/* The first non-blank line, whole (however long), starting at *off from
 * in->pos; 1 when the input is only blank. */
static int first_line(struct input *in, size_t *off, size_t *n)
{
	size_t p = 0;
	for (;;) {
		while (in->pos + p < in->len && is_blank(in->buf + in->pos + p, 1))
			p++;
		if (in->pos + p < in->len)
			break;
		if (in->eof)
			return 1;
		if (input_fill(in) < 0)
			return -1;
	}
	for (;;) {
		const char *start = in->buf + in->pos + p;
		const char *nl = memchr(start, '\n', in->len - in->pos - p);
		if (nl || in->eof) {
			*off = p;
			*n = nl ? (size_t)(nl - start) : in->len - in->pos - p;
			return 0;
		}
		if (input_fill(in) < 0)
			return -1;
	}
}

int json_open(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = calloc(1, sizeof *s);
	if (!s)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	r->json = s;
	struct input *in = &r->in;
	/* the first non-blank line decides: a whole JSON value on it means
	 * JSON Lines, streamed; otherwise the input is read as one or more
	 * documents */
	size_t off, n;
	int got = first_line(in, &off, &n);
	if (got < 0)
		return licit_error_set(err, r->source, 0, NULL, "read error");
	if (got == 1)
		return licit_error_set(err, r->source, 1, NULL, "empty input");
	const char *text = in->buf + in->pos + off;
	json_error_t je;
	json_t *first = utf8_text(r, &text, &n) == 0 ? json_loadb(text, n, JSON_ALLOW_NUL, &je) : NULL;
	s->lines = first != NULL;
	if (!s->lines) {
		while (!in->eof)
			if (input_fill(in) < 0)
				return licit_error_set(err, r->source, 0, NULL, "read error");
		const char *doc = in->buf + in->pos;
		size_t len = in->len - in->pos;
		if (utf8_text(r, &doc, &len) < 0)
			return licit_error_set(err, r->source, 0, NULL, "out of memory");
		if (doc != in->buf + in->pos) {
			/* the converted document replaces the bytes read */
			free(in->buf);
			in->buf = s->recoded;
			s->recoded = NULL;
			in->pos = 0;
			in->len = in->cap = len;
		}
		first = json_loadb(in->buf + in->pos, in->len - in->pos,
		                   JSON_DISABLE_EOF_CHECK, &je);
		if (!first) {
			r->failed = 1;
			return licit_error_set(err, r->source, je.line > 0 ? je.line : 1,
			                       NULL, "invalid JSON: %s", je.text);
		}
	}
	if (r->format == LICIT_FMT_JSONL)
		s->ocds = 0;
	else if (r->opts.format == LICIT_FMT_OCDS)
		s->ocds = 1;
	else
		s->ocds = licit_ocds_detect(first);
	int rc;
	json_t *proto = json_is_array(first) ? json_array_get(first, 0) : first;
	if (s->ocds) {
		r->format = LICIT_FMT_OCDS;
		rc = reader_set_header(r, licit_field_names(), NULL, LICIT_NFIELDS);
	} else if (json_is_object(proto)) {
		r->format = LICIT_FMT_JSONL;
		rc = set_flat_header(r, proto);
	} else {
		json_decref(first);
		r->failed = 1;
		return licit_error_set(err, r->source, 1, NULL,
		                       "JSON input is neither OCDS nor flat objects");
	}
	json_decref(first);
	if (rc < 0)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	return LICIT_OK;
}

static int fill_lines(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = r->json;
	while (r->batch.count == 0) {
		const char *line;
		size_t n;
		int rc = input_line(&r->in, &line, &n);
		if (rc < 0) {
			r->failed = 1;
			return licit_error_set(err, r->source, s->line + 1, NULL, "read error");
		}
		if (rc == 1) {
			rc = take_next_group(r, err);
			if (rc != LICIT_OK)
				return rc;
			continue;
		}
		s->line++;
		if (is_blank(line, n))
			continue;
		if (utf8_text(r, &line, &n) < 0)
			return licit_error_set(err, r->source, s->line, NULL, "out of memory");
		if (reader_abort_mark(r, line, n, s->line, err) != LICIT_OK)
			return LICIT_ERR;
		json_error_t je;
		json_t *v = json_loadb(line, n, JSON_ALLOW_NUL, &je);
		if (!v) /* recoverable: the next call reads the next line */
			return licit_error_set(err, r->source, s->line, NULL,
			                       "invalid JSON: %s (column %d)", je.text,
			                       je.column);
		rc = take_line_value(r, v, line, n, s->line, err);
		json_decref(v);
		if (rc != LICIT_OK)
			return rc;
	}
	return LICIT_OK;
}

static int fill_documents(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = r->json;
	struct input *in = &r->in;
	while (r->batch.count == 0) {
		size_t start = in->pos;
		while (in->pos < in->len && is_blank(in->buf + in->pos, 1))
			in->pos++;
		s->line += count_newlines(in->buf + start, in->pos - start);
		if (in->pos == in->len)
			return LICIT_EOF;
		json_error_t je;
		json_t *v = json_loadb(in->buf + in->pos, in->len - in->pos,
		                       JSON_DISABLE_EOF_CHECK, &je);
		if (!v) {
			r->failed = 1;
			return licit_error_set(err, r->source, s->line + je.line, NULL,
			                       "invalid JSON: %s", je.text);
		}
		size_t used = (size_t)je.position;
		long at = s->line + 1;
		s->line += count_newlines(in->buf + in->pos, used);
		in->pos += used;
		in->consumed = (long long)in->pos;
		int rc = take_value(r, v, at, err);
		json_decref(v);
		if (rc != LICIT_OK) {
			r->failed = 1;
			return rc;
		}
	}
	return LICIT_OK;
}

int json_fill(struct licit_reader *r, struct licit_error *err)
{
	return r->json->lines ? fill_lines(r, err) : fill_documents(r, err);
}

void json_close(struct licit_reader *r)
{
	if (!r->json)
		return;
	licit_ocid_sort_free(r->json->sort);
	free(r->json->recoded);
	free(r->json);
	r->json = NULL;
}
