/* Grouping releases by ocid in bounded memory: sorted runs on disk,
 * merged. */
#include "licit/ocds/ocid_sort.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/arena.h"
#include "licit/core/array.h"
#include "licit/core/error.h"

/* A release as kept: ocid bytes then text bytes follow the header. */
struct rec {
	uint32_t olen, tlen;
	long line;
	char data[];
};

/* A sorted source of records: the in-memory remainder, or a run file. */
struct source {
	FILE *f;             /* NULL: the in-memory records */
	struct rec *cur;     /* the current record, NULL when exhausted */
	struct rec *buf;     /* run files: the current record's storage */
	size_t bufcap;
};

struct licit_ocid_sort {
	size_t budget, used;
	struct licit_arena arena;
	struct rec **recs;
	size_t nrecs, cap;
	long count;
	struct source *src;
	size_t nsrc;
	size_t mem_pos; /* next in-memory record when merging */
	int merging;
	/* the group handed out */
	struct licit_ocid_member *members;
	size_t nmembers, mcap;
	char *gbuf;
	size_t gcap;
	char error[160];
};

long long licit_parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (end == s || errno || *s == '-')
		return -1;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || v > (unsigned long long)INT64_MAX >> shift)
		return -1;
	return (long long)(v << shift);
}

struct licit_ocid_sort *licit_ocid_sort_new(size_t budget)
{
	struct licit_ocid_sort *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->budget = budget ? budget : LICIT_OCID_SORT_DEFAULT_BUDGET;
	licit_arena_init(&s->arena, 1 << 20);
	return s;
}

void licit_ocid_sort_free(struct licit_ocid_sort *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nsrc; i++) {
		if (s->src[i].f)
			fclose(s->src[i].f);
		free(s->src[i].buf);
	}
	free(s->src);
	free(s->recs);
	free(s->members);
	free(s->gbuf);
	licit_arena_fini(&s->arena);
	free(s);
}

long licit_ocid_sort_count(const struct licit_ocid_sort *s) { return s->count; }

int licit_ocid_sort_runs(const struct licit_ocid_sort *s)
{
	int n = 0;
	for (size_t i = 0; i < s->nsrc; i++)
		n += s->src[i].f != NULL;
	return n;
}

const char *licit_ocid_sort_error(const struct licit_ocid_sort *s) { return s->error; }

static int rec_cmp(const struct rec *x, const struct rec *y)
{
	size_t n = x->olen < y->olen ? x->olen : y->olen;
	int c = memcmp(x->data, y->data, n);
	if (c || x->olen != y->olen)
		return c ? c : (x->olen < y->olen ? -1 : 1);
	n = x->tlen < y->tlen ? x->tlen : y->tlen;
	c = memcmp(x->data + x->olen, y->data + y->olen, n);
	if (c || x->tlen != y->tlen)
		return c ? c : (x->tlen < y->tlen ? -1 : 1);
	return (x->line > y->line) - (x->line < y->line);
}

static int by_rec(const void *a, const void *b)
{
	return rec_cmp(*(struct rec *const *)a, *(struct rec *const *)b);
}

static void sort_recs(struct licit_ocid_sort *s)
{
	size_t i = 1;
	while (i < s->nrecs && rec_cmp(s->recs[i - 1], s->recs[i]) <= 0)
		i++;
	if (i < s->nrecs) /* not already in order */
		qsort(s->recs, s->nrecs, sizeof *s->recs, by_rec);
}

static struct source *new_source(struct licit_ocid_sort *s)
{
	struct source *src = realloc(s->src, (s->nsrc + 1) * sizeof *src);
	if (!src)
		return NULL;
	s->src = src;
	memset(&src[s->nsrc], 0, sizeof *src);
	return &src[s->nsrc++];
}

static FILE *temp_file(struct licit_ocid_sort *s)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/licit-ocid-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(s->error, sizeof s->error, "cannot create a temporary file in %s: %s",
		         dir && *dir ? dir : "/tmp", strerror(errno));
		return NULL;
	}
	unlink(path); /* gone when closed, whatever happens */
	FILE *f = fdopen(fd, "w+b");
	if (!f) {
		close(fd);
		snprintf(s->error, sizeof s->error, "out of memory");
	}
	return f;
}

/* Writes the in-memory records, sorted, as a run. */
static int spill(struct licit_ocid_sort *s)
{
	sort_recs(s);
	FILE *f = temp_file(s);
	if (!f)
		return -1;
	struct source *src = new_source(s);
	if (!src) {
		fclose(f);
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	src->f = f;
	for (size_t i = 0; i < s->nrecs; i++) {
		struct rec *r = s->recs[i];
		if (fwrite(r, sizeof *r + r->olen + r->tlen, 1, f) != 1) {
			snprintf(s->error, sizeof s->error, "cannot write a temporary file: %s",
			         strerror(errno));
			return -1;
		}
	}
	if (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0) {
		snprintf(s->error, sizeof s->error, "cannot write a temporary file: %s",
		         strerror(errno));
		return -1;
	}
	s->nrecs = 0;
	s->used = 0;
	licit_arena_reset(&s->arena);
	return 0;
}

int licit_ocid_sort_add(struct licit_ocid_sort *s, const char *ocid, size_t olen,
                        const char *text, size_t len, long line)
{
	if (olen > UINT32_MAX || len > UINT32_MAX) {
		snprintf(s->error, sizeof s->error, "release too large");
		return -1;
	}
	size_t size = sizeof(struct rec) + olen + len;
	if (s->nrecs > 0 && s->used + size + sizeof(struct rec *) > s->budget && spill(s) < 0)
		return -1;
	if (s->nrecs == s->cap && LICIT_GROW(s->recs, s->cap, s->nrecs + 1) != LICIT_OK) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	struct rec *r = licit_arena_alloc(&s->arena, size);
	if (!r) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	r->olen = (uint32_t)olen;
	r->tlen = (uint32_t)len;
	r->line = line;
	memcpy(r->data, ocid, olen);
	memcpy(r->data + olen, text, len);
	s->recs[s->nrecs++] = r;
	s->used += size + sizeof(struct rec *);
	s->count++;
	return 0;
}

/* Moves a source to its next record. */
static int advance(struct licit_ocid_sort *s, struct source *src)
{
	if (!src->f) {
		src->cur = s->mem_pos < s->nrecs ? s->recs[s->mem_pos++] : NULL;
		return 0;
	}
	struct rec h;
	if (fread(&h, sizeof h, 1, src->f) != 1) {
		src->cur = NULL;
		if (ferror(src->f)) {
			snprintf(s->error, sizeof s->error, "cannot read a temporary file");
			return -1;
		}
		return 0;
	}
	size_t need = sizeof h + h.olen + h.tlen;
	if (need > src->bufcap) {
		struct rec *b = realloc(src->buf, need);
		if (!b) {
			snprintf(s->error, sizeof s->error, "out of memory");
			return -1;
		}
		src->buf = b;
		src->bufcap = need;
	}
	*src->buf = h;
	if (h.olen + h.tlen && fread(src->buf->data, h.olen + h.tlen, 1, src->f) != 1) {
		snprintf(s->error, sizeof s->error, "cannot read a temporary file");
		return -1;
	}
	src->cur = src->buf;
	return 0;
}

static int start_merge(struct licit_ocid_sort *s)
{
	s->merging = 1;
	sort_recs(s);
	struct source *mem = new_source(s);
	if (!mem) {
		snprintf(s->error, sizeof s->error, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->nsrc; i++)
		if (advance(s, &s->src[i]) < 0)
			return -1;
	return 0;
}

static struct source *min_source(struct licit_ocid_sort *s)
{
	struct source *best = NULL;
	for (size_t i = 0; i < s->nsrc; i++)
		if (s->src[i].cur && (!best || rec_cmp(s->src[i].cur, best->cur) < 0))
			best = &s->src[i];
	return best;
}

static int keep_member(struct licit_ocid_sort *s, const struct rec *r, size_t *gused)
{
	if (s->nmembers == s->mcap && LICIT_GROW(s->members, s->mcap, s->nmembers + 1) != LICIT_OK)
		return -1;
	size_t need = *gused + r->olen + r->tlen;
	if (need > s->gcap) {
		size_t cap = s->gcap ? s->gcap : 1 << 16;
		while (cap < need)
			cap *= 2;
		char *g = realloc(s->gbuf, cap);
		if (!g)
			return -1;
		s->gbuf = g;
		s->gcap = cap;
	}
	memcpy(s->gbuf + *gused, r->data, r->olen + r->tlen);
	/* offsets for now: the buffer may still move */
	s->members[s->nmembers].text = (const char *)(uintptr_t)(*gused + r->olen);
	s->members[s->nmembers].len = r->tlen;
	s->members[s->nmembers].line = r->line;
	s->nmembers++;
	*gused = need;
	return 0;
}

int licit_ocid_sort_next(struct licit_ocid_sort *s,
                         const struct licit_ocid_member **members, size_t *n)
{
	if (!s->merging && start_merge(s) < 0)
		return -1;
	struct source *src = min_source(s);
	if (!src)
		return 0;
	s->nmembers = 0;
	size_t gused = 0, olen = src->cur->olen;
	if (keep_member(s, src->cur, &gused) < 0)
		goto oom;
	/* the group's ocid is the first member's first bytes in gbuf */
	if (advance(s, src) < 0)
		return -1;
	while ((src = min_source(s)) && src->cur->olen == olen &&
	       memcmp(src->cur->data, s->gbuf, olen) == 0) {
		if (keep_member(s, src->cur, &gused) < 0)
			goto oom;
		if (advance(s, src) < 0)
			return -1;
	}
	for (size_t i = 0; i < s->nmembers; i++)
		s->members[i].text = s->gbuf + (uintptr_t)s->members[i].text;
	*members = s->members;
	*n = s->nmembers;
	return 1;
oom:
	snprintf(s->error, sizeof s->error, "out of memory");
	return -1;
}
