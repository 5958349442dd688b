/* JSON back end of the reader: JSON Lines (streamed, one value per line)
 * or whole documents (packages, concatenated JSON), each value either a
 * flat object (one row) or OCDS (flattened into canonical rows, or handed
 * to the caller's release hook). Parsed by licit's own parser (json.c);
 * jansson only words the message for text that is not JSON, so that it
 * stays what it was. */
#include "reader_impl.h"

#include <jansson.h>
#include <pthread.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "licit/io/ahead.h"
#include "licit/io/json.h"
#include "licit/ocds/ocds.h"
#include "licit/ocds/ocid_sort.h"
#include "licit/core/text.h"
#include "licit/core/utf8.h"
#include "licit/io/writer.h"
#include "licit/core/array.h"

typedef struct licit_json J;

/* What parsing a line needs, so that it can be done on another thread
 * (reader_json_ahead.c) as well as in the reader's own. */
struct lineparse {
	struct licit_arena *a; /* the trees */
	char **buf;            /* a line converted to UTF-8 */
	long long *recoded;    /* lines converted so far */
	int had_nul, bad_utf8; /* of the last parse */
};

struct json_ahead;
static void ahead_start(struct licit_reader *r);

struct json_state {
	int lines;       /* JSON Lines: one value per line, streamed */
	int ocds;        /* values are OCDS, not flat rows */
	long line;       /* lines consumed so far */
	long item;       /* releases/records seen in document mode */
	long cur_line;   /* line of the value being turned into rows */
	int had_nul;     /* the value had \u0000 replaced */
	int bad_utf8;    /* the last parse failed on bytes that are not UTF-8 */
	struct licit_ocid_sort *sort; /* JSON Lines: releases grouped by ocid */
	char *recoded;   /* a line or document converted to UTF-8 */
	struct licit_arena tree; /* the value being turned into rows */
	struct licit_error pending; /* JSON Lines whose first line is broken */
	int has_pending;
	struct lineparse main;   /* parsing on the reader's thread */
	struct json_ahead *ahead; /* JSON Lines parsed on a second thread */
};

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
			return 0;
	return 1;
}

/* ---- parsing --------------------------------------------------------------- */

/* One JSON object or array from s[0..n) (with rest: the first of several
 * documents), in the state's tree arena. NULL with err filled: line is
 * the line s starts on, jsonl adds the column as JSON Lines messages do. */
static const J *parse_lp(struct licit_reader *r, struct lineparse *lp, const char *s,
                         size_t n, size_t *rest, long line, int jsonl,
                         struct licit_error *err)
{
	struct licit_json_error je;
	const char *const *skip = !r->json->ocds ? NULL
	                          : r->opts.release ? r->opts.release_skip
	                                            : licit_ocds_flatten_unread;
	const struct licit_json_keep *keep =
		r->json->ocds && r->opts.release && !r->opts.root_path ? r->opts.release_keep : NULL;
	const J *v = keep ? licit_json_parse_keeping(s, n, lp->a, rest, keep, &je)
	                  : licit_json_parse_skipping(s, n, lp->a, rest, skip, &je);
	lp->bad_utf8 = !v && je.utf8;
	if (v && (v->type == LICIT_JSON_OBJECT || v->type == LICIT_JSON_ARRAY)) {
		lp->had_nul = (v->flags & LICIT_JSON_HAD_NUL) != 0;
		return v;
	}
	if (!v && strcmp(je.text, "out of memory") == 0)
		return licit_error_set(err, r->source, line, NULL, "out of memory"), NULL;
	/* the words jansson has always used, where it agrees the text is
	 * not JSON */
	json_error_t jj;
	json_t *jv = json_loadb(s, n, rest ? JSON_DISABLE_EOF_CHECK : 0, &jj);
	if (!jv) {
		if (jsonl)
			licit_error_set(err, r->source, line, NULL, "invalid JSON: %s (column %d)",
			                jj.text, jj.column);
		else
			licit_error_set(err, r->source, line - 1 + (jj.line > 0 ? jj.line : 1), NULL,
			                "invalid JSON: %s", jj.text);
	} else if (jsonl) {
		licit_error_set(err, r->source, line, NULL, "invalid JSON: %s (column %ld)",
		                je.text, je.column);
	} else {
		licit_error_set(err, r->source, line - 1 + je.line, NULL, "invalid JSON: %s", je.text);
	}
	json_decref(jv);
	return NULL;
}

static const J *parse(struct licit_reader *r, const char *s, size_t n, size_t *rest,
                      long line, int jsonl, struct licit_error *err)
{
	struct json_state *st = r->json;
	const J *v = parse_lp(r, &st->main, s, n, rest, line, jsonl, err);
	st->had_nul = st->main.had_nul;
	st->bad_utf8 = st->main.bad_utf8;
	return v;
}

/* ---- turning values into rows ------------------------------------------ */

struct emit_ctx {
	struct licit_reader *r;
	long index;
	const char *note;
	int oom;
};

static const char nul_text[] = "NUL byte replaced by U+FFFD";

static int push_canonical(void *vctx, const char *const *vals,
                          const struct licit_problem *probs, size_t nprobs)
{
	struct emit_ctx *e = vctx;
	struct licit_reader *r = e->r;
	if (!vals) { /* problems of a release that gives no row */
		for (size_t i = 0; i < nprobs && r->opts.note; i++) {
			struct licit_diag d = {LICIT_WARNING, r->source,
			                       r->json->lines ? r->json->cur_line : e->index,
			                       probs[i].field, probs[i].value, probs[i].text};
			r->opts.note(r->opts.note_ctx, &d);
		}
		return 0;
	}
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
		if (r->json->had_nul && strstr(s, "\xEF\xBF\xBD") &&
		    batch_problem(r, row, r->header[i], s, strlen(s), nul_text) < 0)
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

static int on_release(void *vctx, const J *rel, long index, const char *note)
{
	struct emit_ctx *e = vctx;
	struct licit_reader *r = e->r;
	if (r->opts.release)
		return r->opts.release(r->opts.release_ctx, rel);
	e->index = r->json->lines ? index : ++r->json->item;
	e->note = note;
	long inactive = 0;
	int n = licit_ocds_flatten(rel, &r->json->tree, push_canonical, e, &inactive);
	if (n < 0)
		return -1;
	if ((n == 0 || inactive) && r->opts.note) {
		/* an empty row would count as a contract: the report goes to
		 * the caller's note hook instead */
		const char *ocid = licit_json_str(licit_json_get(rel, "ocid"));
		char text[128];
		if (inactive)
			snprintf(text, sizeof text, "%ld award%s pending, cancelled or "
			         "unsuccessful, without a contract: no row", inactive,
			         inactive == 1 ? "" : "s");
		else
			snprintf(text, sizeof text, "release has neither awards nor "
			         "contracts: no row");
		struct licit_diag d = {LICIT_WARNING, r->source,
		                       r->json->lines ? r->json->cur_line : e->index, "ocid",
		                       ocid ? ocid : "", text};
		r->opts.note(r->opts.note_ctx, &d);
	}
	return 0;
}

/* A flat value as text: strings as they are, numbers as their digits,
 * true/false, null empty, arrays and objects as compact JSON. */
static const char *scalar_text(struct licit_arena *a, const J *v)
{
	if (!v)
		return "";
	switch (v->type) {
	case LICIT_JSON_STRING: return v->u.s;
	case LICIT_JSON_NUMBER: {
		char buf[LICIT_JSON_PLAIN_MAX + 1];
		if (licit_json_plain_number(v, buf, sizeof buf) < 0)
			return v->u.s;
		return licit_arena_strndup(a, buf, strlen(buf));
	}
	case LICIT_JSON_TRUE: return "true";
	case LICIT_JSON_FALSE: return "false";
	case LICIT_JSON_NULL: return "";
	default: return licit_json_dump(v, a);
	}
}

static int push_flat(struct licit_reader *r, const J *obj, long line,
                     struct licit_error *err)
{
	if (licit_json_is_array(obj)) { /* an array of flat objects */
		size_t i;
		const J *e;
		licit_json_foreach(obj, i, e)
			if (push_flat(r, e, line, err) != LICIT_OK)
				return LICIT_ERR;
		return LICIT_OK;
	}
	if (!licit_json_is_object(obj))
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
	row->nfields = obj->n;
	struct licit_arena *a = &r->json->tree;
	for (size_t i = 0; i < n; i++) {
		const char *s = scalar_text(a, licit_json_get_raw(obj, r->header[i]));
		v[i] = s ? batch_value(r, row, r->header[i], s, strlen(s), &len[i]) : NULL;
		if (!v[i])
			return licit_error_set(err, r->source, line, NULL, "out of memory");
		if (r->json->had_nul && strstr(s, "\xEF\xBF\xBD") &&
		    batch_problem(r, row, r->header[i], s, strlen(s), nul_text) < 0)
			return licit_error_set(err, r->source, line, NULL, "out of memory");
	}
	for (uint32_t i = 0; i < obj->n; i++) {
		const struct licit_json_member *m = &obj->u.members[i];
		if (licit_reader_col(r, m->key) >= 0)
			continue;
		const char *s = scalar_text(a, &m->v);
		if (batch_problem(r, row, m->key, s ? s : "", s ? strlen(s) : 0,
		                  "field not in the first line's set: dropped") < 0)
			return licit_error_set(err, r->source, line, NULL, "out of memory");
	}
	return LICIT_OK;
}

/* Cardinal reads an object that is no package or record as a compiled
 * release, whatever is in it. */
static int as_compiled(const J *v)
{
	return licit_json_is_object(v) && !licit_json_get(v, "releases") &&
	       !licit_json_get(v, "records") && !licit_json_get(v, "compiledRelease");
}

static int walk_ocds(struct licit_reader *r, const J *v, long line, struct licit_error *err)
{
	struct emit_ctx e = {.r = r};
	r->json->cur_line = line;
	if (r->opts.release && as_compiled(v)) {
		if (r->opts.release(r->opts.release_ctx, v))
			return licit_error_set(err, r->source, line, NULL, "release not taken");
		return LICIT_OK;
	}
	struct licit_error werr;
	licit_error_clear(&werr);
	int rc = licit_ocds_walk(v, &r->json->tree, on_release, &e, &werr);
	if (e.oom)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	if (rc)
		return licit_error_set(err, r->source, line, werr.field, "%s",
		                       werr.text[0] ? werr.text : "OCDS walk failed");
	return LICIT_OK;
}

/* --root-path: the values at PATH inside v, each walked. */
static int walk_root(struct licit_reader *r, const J *v, const char *path, long line,
                     struct licit_error *err)
{
	while (*path == '.' || *path == '/')
		path++;
	if (!*path)
		return r->json->ocds ? walk_ocds(r, v, line, err) : push_flat(r, v, line, err);
	size_t k = strcspn(path, "./");
	int item = k == 4 && memcmp(path, "item", 4) == 0; /* ocdskit's word */
	if (licit_json_is_array(v)) {
		size_t i;
		const J *e;
		licit_json_foreach(v, i, e)
			if (walk_root(r, e, item ? path + k : path, line, err) != LICIT_OK)
				return LICIT_ERR;
		return LICIT_OK;
	}
	char key[256];
	if (k >= sizeof key)
		return licit_error_set(err, r->source, line, NULL, "--root-path: name too long");
	memcpy(key, path, k);
	key[k] = '\0';
	const J *inner = licit_json_get(v, key);
	if (!inner)
		return licit_error_set(err, r->source, line, NULL,
		                       "--root-path %s: no member \"%s\" here",
		                       r->opts.root_path, key);
	return walk_root(r, inner, path + k, line, err);
}

static int walk_value(struct licit_reader *r, const J *v, long line,
                      struct licit_error *err)
{
	return walk_root(r, v, r->opts.root_path ? r->opts.root_path : "", line, err);
}

/* Rows for one value, or none at all: rows made before an error inside
 * the value are taken back. */
static int take_value(struct licit_reader *r, const J *v, long line,
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
	struct json_state *s = r->json;
	long line = m[0].line;
	const J **plain = malloc(n * sizeof *plain);
	if (!plain)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	licit_arena_reset(&s->tree);
	int rc = LICIT_OK, nul = 0;
	size_t np = 0;
	for (size_t i = 0; i < n && rc == LICIT_OK; i++) {
		const J *v = parse(r, m[i].text, m[i].len, NULL, m[i].line, 1, err);
		if (m[i].line < line)
			line = m[i].line;
		if (!v)
			rc = LICIT_ERR;
		else if (!licit_ocds_is_plain_release(v)) /* compiled already */
			rc = take_value(r, v, m[i].line, err);
		else
			plain[np++] = v;
		nul |= s->had_nul;
	}
	const J *v = rc != LICIT_OK || np == 0 ? NULL
	             : np == 1 ? plain[0]
	                       : licit_ocds_compile(plain, np, &s->tree);
	free(plain);
	if (rc != LICIT_OK || np == 0)
		return rc;
	if (!v)
		return licit_error_set(err, r->source, line, NULL, "out of memory");
	s->had_nul = nul;
	return take_value(r, v, line, err);
}

static int take_line_value(struct licit_reader *r, const J *v, const char *text,
                           size_t n, long line, struct licit_error *err)
{
	struct json_state *s = r->json;
	if (s->ocds && !r->opts.release && !r->opts.root_path && licit_ocds_is_release(v)) {
		const J *ocid = licit_json_get(v, "ocid");
		if (!s->sort && !(s->sort = licit_ocid_sort_new(r->opts.memory)))
			return licit_error_set(err, r->source, line, NULL, "out of memory");
		if (licit_ocid_sort_add(s->sort, ocid->u.s, ocid->n, text, n, line) < 0) {
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

/* The text the parser reads: as it is when it is UTF-8, else converted
 * as --encoding says (auto: Windows-1252). JSON strings are then UTF-8,
 * and batch_value leaves them alone. */
static int utf8_text_lp(struct licit_reader *r, struct lineparse *lp, const char **s,
                        size_t *n)
{
	enum licit_encoding enc = r->opts.encoding;
	if (enc == LICIT_ENC_UTF8 || (enc == LICIT_ENC_AUTO && licit_utf8_valid(*s, *n)))
		return 0;
	free(*lp->buf);
	*lp->buf = malloc(3 * *n + 1);
	if (!*lp->buf)
		return -1;
	*n = enc == LICIT_ENC_LATIN1 ? licit_latin1_to_utf8(*s, *n, *lp->buf)
	                             : licit_cp1252_to_utf8(*s, *n, *lp->buf);
	*s = *lp->buf;
	++*lp->recoded;
	return 0;
}

static int utf8_text(struct licit_reader *r, const char **s, size_t *n)
{
	return utf8_text_lp(r, &r->json->main, s, n);
}

static int set_flat_header(struct licit_reader *r, const J *first)
{
	size_t n = first->n;
	const char **names = malloc((n ? n : 1) * sizeof *names);
	if (!names)
		return -1;
	for (size_t i = 0; i < n; i++)
		names[i] = first->u.members[i].key;
	int rc = reader_set_header(r, names, NULL, n);
	free(names);
	return rc;
}

static long count_newlines(const char *s, size_t n)
{
	long c = 0;
	for (const char *p = s, *end = s + n; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		c++;
	return c;
}

/* The first non-blank line from in->pos + *off, whole (however long):
 * *off moves to its start, *n gets its length; 1 when there is none. */
static int next_nonblank_line(struct input *in, size_t *off, size_t *n)
{
	size_t p = *off;
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

/* The first line was not a JSON value and the whole input is no JSON
 * document: JSON Lines whose first line is broken, when the next
 * non-blank line is a value on its own. The first line's error is
 * handed out by the first fill. */
static const J *broken_first_line(struct licit_reader *r, size_t first_off, size_t first_n,
                                  const struct licit_error *doc_err)
{
	struct json_state *s = r->json;
	struct input *in = &r->in;
	size_t off = first_off + first_n, n;
	if (next_nonblank_line(in, &off, &n) != 0)
		return NULL;
	const char *text = in->buf + in->pos + off;
	struct licit_error e2;
	const J *second = utf8_text(r, &text, &n) == 0
	                          ? parse(r, text, n, NULL, 0, 1, &e2) : NULL;
	if (!second)
		return NULL;
	(void)doc_err;
	const char *line1 = in->buf + in->pos + first_off;
	long lines_before = count_newlines(in->buf + in->pos, first_off);
	parse(r, line1, first_n, NULL, lines_before + 1, 1, &s->pending);
	s->has_pending = 1;
	size_t after = first_off + first_n;
	if (in->pos + after < in->len)
		after++; /* the newline */
	s->line = lines_before + 1;
	in->pos += after;
	in->consumed += (long long)after;
	return second;
}

/* The first value at --root-path in v (the first item of each array on
 * the way), or v itself without one: what format detection looks at. */
static const J *first_at_root(const J *v, const char *path)
{
	while (path && *path) {
		while (*path == '.' || *path == '/')
			path++;
		size_t k = strcspn(path, "./");
		if (k == 0)
			break;
		while (licit_json_is_array(v))
			v = licit_json_at(v, 0);
		char key[256];
		if (k < sizeof key && !(k == 4 && memcmp(path, "item", 4) == 0)) {
			memcpy(key, path, k);
			key[k] = '\0';
			v = licit_json_get(v, key);
		}
		path += k;
	}
	return v;
}

int json_open(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = calloc(1, sizeof *s);
	if (!s)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	r->json = s;
	licit_arena_init(&s->tree, 1 << 20);
	s->main.a = &s->tree;
	s->main.buf = &s->recoded;
	s->main.recoded = &r->recoded;
	struct input *in = &r->in;
	/* the first non-blank line decides: a whole JSON value on it means
	 * JSON Lines, streamed; otherwise the input is read as one or more
	 * documents */
	size_t off = 0, n;
	int got = next_nonblank_line(in, &off, &n);
	if (got < 0)
		return licit_error_set(err, r->source, 0, NULL, "read error: %s",
		                       input_error(errno));
	if (got == 1)
		return licit_error_set(err, r->source, 1, NULL, "empty input");
	const char *text = in->buf + in->pos + off;
	size_t first_n = n;
	struct licit_error line_err;
	const J *first = utf8_text(r, &text, &n) == 0
	                         ? parse(r, text, n, NULL, 1, 1, &line_err) : NULL;
	s->lines = first != NULL;
	if (!s->lines) {
		while (!in->eof)
			if (input_fill(in) < 0)
				return licit_error_set(err, r->source, 0, NULL, "read error: %s",
		                       input_error(errno));
		const char *doc = in->buf + in->pos;
		size_t len = in->len - in->pos;
		if (utf8_text(r, &doc, &len) < 0)
			return licit_error_set(err, r->source, 0, NULL, "out of memory");
		int recoded = doc != in->buf + in->pos;
		if (recoded) {
			/* the converted document replaces the bytes read */
			free(in->buf);
			in->buf = s->recoded;
			s->recoded = NULL;
			in->pos = 0;
			in->len = in->cap = len;
		}
		size_t rest;
		first = parse(r, in->buf + in->pos, in->len - in->pos, &rest, 1, 0, err);
		if (!first && !recoded && (first = broken_first_line(r, off, first_n, err))) {
			s->lines = 1;
			licit_error_clear(err);
		}
		if (!first) {
			r->failed = 1;
			return LICIT_ERR;
		}
	}
	if (r->opts.release || r->opts.format == LICIT_FMT_OCDS)
		s->ocds = 1;
	else if (r->format == LICIT_FMT_JSONL)
		s->ocds = 0;
	else
		s->ocds = licit_ocds_detect(first_at_root(first, r->opts.root_path));
	int rc;
	const J *proto = licit_json_is_array(first) ? licit_json_at(first, 0) : first;
	if (s->ocds) {
		r->format = LICIT_FMT_OCDS;
		rc = reader_set_header(r, licit_field_names(), NULL, LICIT_NFIELDS);
	} else if (licit_json_is_object(proto)) {
		r->format = LICIT_FMT_JSONL;
		rc = set_flat_header(r, proto);
	} else {
		r->failed = 1;
		return licit_error_set(err, r->source, 1, NULL,
		                       "JSON input is neither OCDS nor flat objects");
	}
	licit_arena_reset(&s->tree);
	if (rc < 0)
		return licit_error_set(err, r->source, 0, NULL, "out of memory");
	if (s->lines && r->opts.release && r->opts.threads != 1)
		ahead_start(r);
	return LICIT_OK;
}

/* The next non-blank JSON Lines line: 0 with its text (valid until the
 * next read) and number, 1 at the end, 2 for a line with the abort mark,
 * or LICIT_ERR with err when reading fails (reading cannot go on).
 * s->line counts the lines read. */
static int next_line(struct licit_reader *r, const char **text, size_t *len, long *lineno,
                     struct licit_error *err)
{
	struct json_state *s = r->json;
	for (;;) {
		const char *line;
		size_t n;
		int rc = input_line(&r->in, &line, &n);
		if (rc < 0)
			return licit_error_set(err, r->source, s->line + 1, NULL,
			                       "read error: %s", input_error(errno));
		if (rc == 1)
			return 1;
		s->line++;
		if (is_blank(line, n))
			continue;
		*lineno = s->line;
		*text = line;
		*len = n;
		size_t m = sizeof LICIT_ABORT_MARK - 1;
		/* reader_abort_mark, on the reader's thread, words it */
		return n >= m && memcmp(line, LICIT_ABORT_MARK, m) == 0 ? 2 : 0;
	}
}

/* One line's value, parsed with lp: *v (*text and *len: the text parsed,
 * converted to UTF-8 when it was not), or LICIT_ERR with err (the next
 * line can still be read). */
static int parse_line(struct licit_reader *r, struct lineparse *lp, const char **text,
                      size_t *len, long lineno, const J **v, struct licit_error *err)
{
	const char *line = *text;
	size_t n = *len;
	/* UTF-8 is checked by the parser, in strings: a line that is not
	 * is converted (auto: as Windows-1252) and parsed again */
	if (r->opts.encoding != LICIT_ENC_AUTO && utf8_text_lp(r, lp, &line, &n) < 0)
		return licit_error_set(err, r->source, lineno, NULL, "out of memory");
	*v = parse_lp(r, lp, line, n, NULL, lineno, 1, err);
	if (!*v && lp->bad_utf8 && r->opts.encoding == LICIT_ENC_AUTO) {
		if (utf8_text_lp(r, lp, &line, &n) < 0)
			return licit_error_set(err, r->source, lineno, NULL, "out of memory");
		*v = parse_lp(r, lp, line, n, NULL, lineno, 1, err);
	}
	*text = line;
	*len = n;
	return *v ? 0 : LICIT_ERR;
}

/* ---- JSON Lines parsed on other threads -----------------------------------
 * With the release hook (Cardinal mode), the reader's thread only hands
 * trees to the hook while AHEAD_THREADS threads parse the next lines, in
 * chunks of up to AHEAD_LINES lines, AHEAD_CHUNKS of them in flight, each
 * with its own arena. A parsing thread takes the input lock to copy the
 * next chunk's lines (numbered in input order), then parses them on its
 * own; the reader's thread takes the chunks in that order, so values come
 * out in input order, errors with them, as the one-thread path gives
 * them, whatever the number of threads. */

#ifndef AHEAD_THREADS
#define AHEAD_THREADS 2
#endif
#define AHEAD_CHUNKS (3 * AHEAD_THREADS)
/* small chunks: a chunk's text and tree stay in the cache between the
 * thread that parses them and the one that reads the tree (512 lines of
 * 1 MiB took a fifth more CPU time in Cardinal mode, more under load) */
#define AHEAD_LINES 32
#define AHEAD_BYTES (1 << 16)

struct ahead_item {
	const J *v;         /* NULL: err, or the abort mark's text */
	long line;
	int had_nul, fatal, abort_mark;
	const char *text;   /* the abort mark's line */
	size_t off, len;    /* the line's bytes in the chunk's text */
	struct licit_error err;
};

struct ahead_chunk {
	struct licit_ahead_chunk q; /* first: its place in the queue */
	struct licit_arena arena;
	char *buf;          /* a line converted to UTF-8 */
	long long recoded;
	char *text;         /* the chunk's lines, copied from the input */
	size_t text_len, text_cap;
	struct ahead_item *items;
	size_t n, cap;
};

struct json_ahead {
	pthread_t thread[AHEAD_THREADS];
	int nthreads;
	struct licit_ahead q;
	pthread_mutex_t in_mu; /* the input, s->line, seq and in_done */
	struct ahead_chunk chunk[AHEAD_CHUNKS];
	long seq;              /* under in_mu: the next chunk's */
	int in_done;           /* under in_mu: the input is all read */
	struct ahead_chunk *cur; /* the reader's thread's */
	size_t pos;
	int done;
};

/* A new item of c, zeroed; NULL when memory runs out. */
static struct ahead_item *chunk_item(struct ahead_chunk *c)
{
	if (c->n == c->cap && LICIT_GROW(c->items, c->cap, c->n + 1) != LICIT_OK)
		return NULL;
	struct ahead_item *it = &c->items[c->n++];
	memset(it, 0, sizeof *it);
	return it;
}

/* The next chunk's lines copied into c, under the input lock. Returns 1
 * when the input ends with it (its end, a read error, the abort mark, or
 * no memory to go on with). */
static int ahead_chunk_read(struct licit_reader *r, struct ahead_chunk *c)
{
	c->n = 0;
	c->text_len = 0;
	while (c->n < AHEAD_LINES && c->text_len < AHEAD_BYTES) {
		const char *text = NULL;
		size_t len = 0;
		long lineno = 0;
		struct licit_error err;
		int rc = next_line(r, &text, &len, &lineno, &err);
		if (rc == 1)
			return 1;
		struct ahead_item *it = chunk_item(c);
		if (!it) {
			if (c->n == 0)
				return 1; /* nothing to say it with: the end */
			it = &c->items[c->n - 1];
			memset(it, 0, sizeof *it);
			it->fatal = 1;
			licit_error_set(&it->err, r->source, 0, NULL, "out of memory");
			return 1;
		}
		it->line = lineno;
		if (rc == LICIT_ERR) {
			it->fatal = 1;
			it->err = err;
			return 1;
		}
		if (c->text_len + len + 1 > c->text_cap) {
			size_t cap = c->text_cap ? 2 * c->text_cap : 2 * AHEAD_BYTES;
			while (cap < c->text_len + len + 1)
				cap *= 2;
			char *t = realloc(c->text, cap);
			if (!t) {
				it->fatal = 1;
				licit_error_set(&it->err, r->source, lineno, NULL, "out of memory");
				return 1;
			}
			c->text = t;
			c->text_cap = cap;
		}
		memcpy(c->text + c->text_len, text, len);
		it->off = c->text_len;
		it->len = len;
		c->text_len += len + 1;
		if (rc == 2) {
			it->abort_mark = 1;
			return 1;
		}
	}
	return 0;
}

/* The lines of c parsed, on a parsing thread. */
static void ahead_chunk_parse(struct licit_reader *r, struct ahead_chunk *c)
{
	licit_arena_reset(&c->arena);
	c->recoded = 0;
	struct lineparse lp = {&c->arena, &c->buf, &c->recoded, 0, 0};
	for (size_t i = 0; i < c->n; i++) {
		struct ahead_item *it = &c->items[i];
		if (it->fatal)
			continue;
		if (it->abort_mark) {
			it->text = c->text + it->off;
			continue;
		}
		const char *text = c->text + it->off;
		size_t len = it->len;
		if (parse_line(r, &lp, &text, &len, it->line, &it->v, &it->err) < 0)
			it->v = NULL;
		it->had_nul = lp.had_nul;
	}
}

static void *ahead_run(void *arg)
{
	struct licit_reader *r = arg;
	struct json_ahead *ah = r->json->ahead;
	struct ahead_chunk *c;
	while ((c = (struct ahead_chunk *)licit_ahead_free(&ah->q))) {
		pthread_mutex_lock(&ah->in_mu);
		int over = ah->in_done;
		if (!over) {
			c->q.seq = ah->seq++;
			c->q.last = ah->in_done = ahead_chunk_read(r, c);
		}
		pthread_mutex_unlock(&ah->in_mu);
		if (over) { /* another thread read the last chunk */
			licit_ahead_give(&ah->q, &c->q);
			break;
		}
		ahead_chunk_parse(r, c);
		licit_ahead_ready(&ah->q, &c->q);
	}
	return NULL;
}

static void ahead_free(struct json_ahead *ah)
{
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_fini(&ah->chunk[i].arena);
		free(ah->chunk[i].buf);
		free(ah->chunk[i].text);
		free(ah->chunk[i].items);
	}
	licit_ahead_fini(&ah->q);
	pthread_mutex_destroy(&ah->in_mu);
	free(ah);
}

/* Starts the parsing threads; without one, the reader parses on its own. */
static void ahead_start(struct licit_reader *r)
{
	struct json_ahead *ah = calloc(1, sizeof *ah);
	if (!ah)
		return;
	licit_ahead_init(&ah->q);
	pthread_mutex_init(&ah->in_mu, NULL);
	for (int i = 0; i < AHEAD_CHUNKS; i++) {
		licit_arena_init(&ah->chunk[i].arena, 1 << 18);
		licit_ahead_give(&ah->q, &ah->chunk[i].q);
	}
	r->json->ahead = ah;
	int want = r->opts.threads > 1 && r->opts.threads < AHEAD_THREADS ? r->opts.threads
	                                                                  : AHEAD_THREADS;
	ah->nthreads = licit_ahead_start(ah->thread, want, ahead_run, r);
	if (!ah->nthreads) {
		r->json->ahead = NULL;
		ahead_free(ah);
	}
}

static void ahead_stop(struct json_ahead *ah)
{
	licit_ahead_stop(&ah->q);
	for (int i = 0; i < ah->nthreads; i++)
		pthread_join(ah->thread[i], NULL);
	ahead_free(ah);
}

/* fill_lines with the parsing threads: the next values, in order. */
static int ahead_fill(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = r->json;
	struct json_ahead *ah = s->ahead;
	while (r->batch.count == 0) {
		if (ah->done)
			return LICIT_EOF;
		if (!ah->cur) {
			ah->cur = (struct ahead_chunk *)licit_ahead_next(&ah->q);
			ah->pos = 0;
		}
		struct ahead_chunk *c = ah->cur;
		if (ah->pos == c->n) {
			r->recoded += c->recoded;
			ah->done = c->q.last;
			licit_ahead_give(&ah->q, &c->q);
			ah->cur = NULL;
			continue;
		}
		struct ahead_item *it = &c->items[ah->pos++];
		if (it->abort_mark)
			return reader_abort_mark(r, it->text, it->len, it->line, err);
		if (!it->v) {
			*err = it->err;
			r->failed |= it->fatal;
			return LICIT_ERR;
		}
		s->had_nul = it->had_nul;
		s->cur_line = it->line;
		int rc = take_line_value(r, it->v, NULL, 0, it->line, err);
		if (rc != LICIT_OK)
			return rc;
	}
	return LICIT_OK;
}

static int fill_lines(struct licit_reader *r, struct licit_error *err)
{
	struct json_state *s = r->json;
	if (s->has_pending) {
		s->has_pending = 0;
		*err = s->pending;
		return LICIT_ERR;
	}
	if (s->ahead)
		return ahead_fill(r, err);
	while (r->batch.count == 0) {
		const J *v;
		const char *text;
		size_t n;
		long line;
		licit_arena_reset(&s->tree);
		int rc = next_line(r, &text, &n, &line, err);
		if (rc == 2)
			return reader_abort_mark(r, text, n, line, err);
		if (rc == LICIT_ERR) {
			r->failed = 1;
			return LICIT_ERR;
		}
		if (rc == 0) {
			rc = parse_line(r, &s->main, &text, &n, line, &v, err);
			s->had_nul = s->main.had_nul;
			if (rc == LICIT_ERR)
				return LICIT_ERR;
		}
		if (rc == 1) {
			rc = take_next_group(r, err);
			if (rc != LICIT_OK)
				return rc;
			continue;
		}
		rc = take_line_value(r, v, text, n, line, err);
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
		licit_arena_reset(&s->tree);
		size_t used;
		const J *v = parse(r, in->buf + in->pos, in->len - in->pos, &used, s->line + 1, 0, err);
		if (!v) {
			r->failed = 1;
			return LICIT_ERR;
		}
		long at = s->line + 1;
		s->line += count_newlines(in->buf + in->pos, used);
		in->pos += used;
		in->consumed = (long long)in->pos;
		int rc = take_value(r, v, at, err);
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
	if (r->json->ahead)
		ahead_stop(r->json->ahead);
	licit_ocid_sort_free(r->json->sort);
	licit_arena_fini(&r->json->tree);
	free(r->json->recoded);
	free(r->json);
	r->json = NULL;
}
