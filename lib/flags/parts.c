/* Records kept on disk until settle (parts.h). */
#include "parts.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/flags/spool.h"

#define PARTS_BUF ((size_t)64 << 10) /* bytes buffered before a write */

static int spill(struct parts *p)
{
	if (!p->f && !(p->f = licit_spool_temp()))
		return LICIT_ERR;
	if (fwrite(p->buf, p->elem, p->nbuf, p->f) != p->nbuf)
		return LICIT_ERR;
	p->nbuf = 0;
	return LICIT_OK;
}

int parts_add(struct parts *p, const void *rec)
{
	if (!p->buf && !(p->buf = malloc(PARTS_BUF)))
		return LICIT_ERR;
	if ((p->nbuf + 1) * p->elem > PARTS_BUF && spill(p) != LICIT_OK) {
		p->error = 1;
		return LICIT_ERR;
	}
	memcpy(p->buf + p->nbuf++ * p->elem, rec, p->elem);
	p->n++;
	return LICIT_OK;
}

int parts_each(struct parts *p, uint64_t (*key)(const void *rec),
               int (*fn)(void *ctx, void *recs, size_t n), void *ctx)
{
	if (p->error)
		return LICIT_ERR;
	if (!p->f) /* all in the buffer: one partition */
		return p->nbuf ? fn(ctx, p->buf, p->nbuf) : LICIT_OK;
	if (p->nbuf && spill(p) != LICIT_OK)
		return LICIT_ERR;
	size_t k = (p->n * p->elem + PARTS_BUDGET - 1) / PARTS_BUDGET;
	/* a partition holds about n / k records: room for a quarter more */
	size_t cap = p->n / k + p->n / k / 4 + 1024, n = 0;
	char *a = malloc(cap * p->elem);
	if (!a)
		return LICIT_ERR;
	int rc = LICIT_OK;
	for (size_t part = 0; part < k && rc == LICIT_OK; part++) {
		rewind(p->f);
		n = 0;
		size_t got;
		while (rc == LICIT_OK && (got = fread(p->buf, p->elem, PARTS_BUF / p->elem, p->f)) > 0)
			for (size_t i = 0; i < got; i++) {
				const char *rec = p->buf + i * p->elem;
				if (licit_mix64(key(rec)) % k != part)
					continue;
				if (n == cap) {
					char *b = realloc(a, (cap + cap / 2) * p->elem);
					if (!b) {
						rc = LICIT_ERR;
						break;
					}
					a = b;
					cap += cap / 2;
				}
				memcpy(a + n++ * p->elem, rec, p->elem);
			}
		if (rc == LICIT_OK && ferror(p->f))
			rc = LICIT_ERR;
		if (rc == LICIT_OK && n)
			rc = fn(ctx, a, n) ? LICIT_ERR : LICIT_OK;
	}
	free(a);
	return rc;
}

int parts_scan(struct parts *p, int (*fn)(void *ctx, const void *recs, size_t n), void *ctx)
{
	if (p->error)
		return LICIT_ERR;
	if (!p->f)
		return p->nbuf && fn(ctx, p->buf, p->nbuf) ? LICIT_ERR : LICIT_OK;
	if (p->nbuf && spill(p) != LICIT_OK)
		return LICIT_ERR;
	rewind(p->f);
	size_t got;
	while ((got = fread(p->buf, p->elem, PARTS_BUF / p->elem, p->f)) > 0)
		if (fn(ctx, p->buf, got))
			return LICIT_ERR;
	return ferror(p->f) ? LICIT_ERR : LICIT_OK;
}

void parts_fini(struct parts *p)
{
	free(p->buf);
	if (p->f)
		fclose(p->f);
	p->buf = NULL;
	p->f = NULL;
	p->n = p->nbuf = 0;
	p->error = 0;
}
