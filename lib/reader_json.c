/* JSON back end of the reader: JSON Lines (streamed, one value per line)
 * or whole documents (packages, concatenated JSON), each value either a
 * flat object (one row) or OCDS (flattened into canonical rows). */
#include "reader_impl.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "licit/ocds.h"

struct json_state {
	int lines;       /* JSON Lines: one value per line, streamed */
	int ocds;        /* values are OCDS, not flat rows */
	long line;       /* lines consumed so far */
	long item;       /* releases/records seen in document mode */
	long cur_line;   /* line of the value being turned into rows */
};

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* Next line (without its newline) from the input; 1 at EOF, -1 on error. */
static int next_line(struct input *in, const char **s, size_t *n)
{
	for (;;) {
		char *nl = memchr(in->buf + in->pos, '\n', in->len - in->pos);
		if (nl || (in->eof && in->pos < in->len)) {
			size_t end = nl ? (size_t)(nl - in->buf) : in->len;
			*s = in->buf + in->pos;
			*n = end - in->pos;
			size_t step = end - in->pos + (nl ? 1 : 0);
			in->pos += step;
			in->consumed += (long long)step;
			return 0;
		}
		if (in->eof)
			return 1;
		if (input_fill(in) < 0)
			return -1;
	}
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
	int n = licit_ocds_flatten(rel, &r->batch.arena, push_canonical, e);
	if (n < 0)
		return -1;
	if (n == 0 && r->opts.note) {
		/* an empty row would count as a contract: the report goes to
		 * the caller's note hook instead */
		const char *ocid = json_string_value(json_object_get(rel, "ocid"));
		struct licit_problem p = {"ocid", ocid ? ocid : "",
		                          "release has neither awards nor contracts: no row"};
		r->opts.note(r->opts.note_ctx, r->source,
		             r->json->lines ? r->json->cur_line : e->index, &p);
	}
	return 0;
}

static char *scalar_text(struct licit_arena *a, json_t *v)
{
	char buf[64];
	if (!v) /* a key absent from this object */
		return licit_arena_strndup(a, "", 0);
	if (json_is_string(v))
		return licit_arena_strndup(a, json_string_value(v), json_string_length(v));
	if (json_is_integer(v))
		snprintf(buf, sizeof buf, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, sizeof buf, "%.15g", json_real_value(v));
	else if (json_is_true(v))
		strcpy(buf, "true");
	else if (json_is_false(v))
		strcpy(buf, "false");
	else if (json_is_null(v))
		buf[0] = '\0';
	else {
		char *dump = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		char *s = dump ? licit_arena_strndup(a, dump, strlen(dump)) : NULL;
		free(dump);
		return s;
	}
	return licit_arena_strndup(a, buf, strlen(buf));
}

static int push_flat(struct licit_reader *r, json_t *obj, long line,
                     struct licit_error *err)
{
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
		char *s = scalar_text(&r->batch.arena, val);
		v[i] = s ? batch_value(r, row, r->header[i], s, strlen(s), &len[i]) : NULL;
		if (!v[i])
			return licit_error_set(err, r->source, line, NULL, "out of memory");
	}
	const char *k;
	json_t *val;
	json_object_foreach(obj, k, val)
		if (licit_reader_col(r, k) < 0) {
			char *s = scalar_text(&r->batch.arena, val);
			if (batch_problem(r, row, k, s ? s : "", s ? strlen(s) : 0,
			                  "field not in the first line's set: dropped") < 0)
				return licit_error_set(err, r->source, line, NULL, "out of memory");
		}
	return LICIT_OK;
}

static int take_value(struct licit_reader *r, json_t *v, long line,
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

int json_open(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = calloc(1, sizeof *s);
	if (!s)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	r->json = s;
	struct input *in = &r->in;
	/* the first non-blank line decides: a whole JSON value on it means
	 * JSON Lines; otherwise the input is read as one or more documents */
	size_t p = in->pos;
	long skipped = 0;
	for (;;) {
		while (p < in->len && in->buf[p] != '\n' && is_blank(in->buf + p, 1))
			p++;
		if (p < in->len && in->buf[p] == '\n') {
			p++, skipped++;
			continue;
		}
		break;
	}
	const char *nl = memchr(in->buf + p, '\n', in->len - p);
	size_t n = nl ? (size_t)(nl - (in->buf + p)) : in->len - p;
	json_error_t je;
	json_t *first = json_loadb(in->buf + p, n, 0, &je);
	s->lines = first != NULL;
	if (!s->lines) {
		while (!in->eof)
			if (input_fill(in) < 0)
				return licit_error_set(err, r->source, 0, NULL, "read error");
		p = in->pos;
		first = json_loadb(in->buf + p, in->len - p, JSON_DISABLE_EOF_CHECK, &je);
		if (!first) {
			r->failed = 1;
			return licit_error_set(err, r->source, je.line > 0 ? je.line : 1,
			                       NULL, "invalid JSON: %s", je.text);
		}
	}
	(void)skipped;
	if (r->format == LICIT_FMT_JSONL)
		s->ocds = 0;
	else if (r->opts.format == LICIT_FMT_OCDS)
		s->ocds = 1;
	else
		s->ocds = licit_ocds_detect(first);
	int rc;
	if (s->ocds) {
		r->format = LICIT_FMT_OCDS;
		rc = reader_set_header(r, licit_field_names(), NULL, LICIT_NFIELDS);
	} else {
		r->format = LICIT_FMT_JSONL;
		if (!json_is_object(first)) {
			json_decref(first);
			r->failed = 1;
			return licit_error_set(err, r->source, 1, NULL,
			                       "JSON input is neither OCDS nor flat "
			                       "objects (one per line)");
		}
		rc = set_flat_header(r, first);
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
		int rc = next_line(&r->in, &line, &n);
		if (rc < 0) {
			r->failed = 1;
			return licit_error_set(err, r->source, s->line + 1, NULL, "read error");
		}
		if (rc == 1)
			return LICIT_EOF;
		s->line++;
		if (is_blank(line, n))
			continue;
		json_error_t je;
		json_t *v = json_loadb(line, n, 0, &je);
		if (!v) /* recoverable: the next call reads the next line */
			return licit_error_set(err, r->source, s->line, NULL,
			                       "invalid JSON: %s (column %d)", je.text,
			                       je.column);
		rc = take_value(r, v, s->line, err);
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
	free(r->json);
	r->json = NULL;
}
