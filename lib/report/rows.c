/* The rows behind the report's figures: capped lists of (source,
 * source_line, id, what, who), counters by name, interned sources. */
#include <stdlib.h>
#include <string.h>

#include "report_impl.h"

#include "licit/core/array.h"

const char *rep_source(struct licit_report *r, const char *name)
{
	size_t len = strlen(name);
	if (r->last_source && r->last_source_len == len && memcmp(r->last_source, name, len) == 0)
		return r->last_source;
	long i = licit_map_put(r->sources, name, len, NULL);
	if (i < 0)
		return NULL;
	r->last_source_len = len;
	return r->last_source = licit_map_key(r->sources, (size_t)i, NULL);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int rep_list_add(struct rep_list *l, int max, const char *source, long long line,
                 const char *id, const char *what, const char *who)
{
	l->total++;
	if (l->n >= (size_t)max)
		return LICIT_OK;
	if (LICIT_GROW(l->s, l->cap, l->n + 1) != LICIT_OK)
		return LICIT_ERR;
	struct rep_sample *s = &l->s[l->n];
	s->source = source;
	s->line = line;
	s->id = dup_or_null(id);
	s->what = dup_or_null(what);
	s->who = dup_or_null(who);
	if ((id && !s->id) || (what && !s->what) || (who && !s->who)) {
		free(s->id);
		free(s->what);
		free(s->who);
		return LICIT_ERR;
	}
	l->n++;
	return LICIT_OK;
}

void rep_list_fini(struct rep_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->s[i].id);
		free(l->s[i].what);
		free(l->s[i].who);
	}
	free(l->s);
	memset(l, 0, sizeof *l);
}

long rep_tally_add(struct rep_tally *t, const char *name, size_t len, long long n)
{
	if (t->last) {
		size_t klen;
		const char *k = licit_map_key(t->names, t->last - 1, &klen);
		if (klen == len && memcmp(k, name, len) == 0) {
			t->n[t->last - 1] += n;
			return (long)t->last - 1;
		}
	}
	if (!t->names && !(t->names = licit_map_new()))
		return -1;
	int added = 0;
	long i = licit_map_put(t->names, name, len, &added);
	if (i < 0)
		return -1;
	if (added) {
		size_t old = t->cap;
		if ((size_t)i >= t->cap) {
			size_t cap = licit_grow_cap(t->cap, (size_t)i + 1, sizeof *t->rows);
			if (!cap || licit_resize(&t->n, old, cap, sizeof *t->n) != LICIT_OK ||
			    licit_resize(&t->rows, old, cap, sizeof *t->rows) != LICIT_OK)
				return -1;
			t->cap = cap;
		}
	}
	t->n[i] += n;
	t->last = (size_t)i + 1;
	return i;
}

void rep_tally_fini(struct rep_tally *t)
{
	size_t n = t->names ? licit_map_count(t->names) : 0;
	for (size_t i = 0; i < n && t->rows; i++)
		rep_list_fini(&t->rows[i]);
	licit_map_free(t->names);
	free(t->n);
	free(t->rows);
	memset(t, 0, sizeof *t);
}

long long rep_row_line(const struct licit_canon *c, const struct licit_row *row)
{
	return c->source_line >= 0 ? c->source_line : row->recno;
}
