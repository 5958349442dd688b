/* Records kept on disk until settle (parts.h). */
#include "parts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/flags/spool.h"

#define PARTS_BUF ((size_t)64 << 10) /* bytes buffered before a write */

/* The bytes of p's buffer. */
static size_t buf_bytes(const struct parts *p)
{
	return p->bufsz ? p->bufsz : PARTS_BUF;
}

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
	if (!p->buf && !(p->buf = malloc(buf_bytes(p))))
		return LICIT_ERR;
	if ((p->nbuf + 1) * p->elem > buf_bytes(p) && spill(p) != LICIT_OK) {
		p->error = 1;
		return LICIT_ERR;
	}
	memcpy(p->buf + p->nbuf++ * p->elem, rec, p->elem);
	p->n++;
	return LICIT_OK;
}

/* Every record of p in one block, handed to fn. */
static int whole(struct parts *p, int (*fn)(void *ctx, void *recs, size_t n), void *ctx)
{
	if (!p->f) /* all in the buffer */
		return p->nbuf && fn(ctx, p->buf, p->nbuf) ? LICIT_ERR : LICIT_OK;
	if (p->nbuf && spill(p) != LICIT_OK)
		return LICIT_ERR;
	if (!p->n)
		return LICIT_OK;
	char *a = malloc(p->n * p->elem);
	if (!a)
		return LICIT_ERR;
	rewind(p->f);
	int rc = fread(a, p->elem, p->n, p->f) == p->n ? LICIT_OK : LICIT_ERR;
	if (rc != LICIT_OK && !ferror(p->f))
		errno = EIO; /* the file is shorter than what was written to it */
	if (rc == LICIT_OK && fn(ctx, a, p->n))
		rc = LICIT_ERR;
	free(a);
	return rc;
}

/* The partitions of p's records (those whose hashes / div were alike
 * modulo every earlier split's fan): handed out whole when they fit in
 * the budget (or are all of one key, or the hash has no digits left),
 * else split into fan files by (hash / div) % fan, each of which is
 * then handled the same way with div * fan. */
static int each(struct parts *p, uint64_t (*key)(const void *rec),
                int (*fn)(void *ctx, void *recs, size_t n), void *ctx, uint64_t div)
{
	if (p->error)
		return LICIT_ERR;
	size_t budget = p->budget ? p->budget : PARTS_BUDGET;
	size_t k = (p->n * p->elem + budget - 1) / budget;
	if (p->n * p->elem <= budget + budget / 4 || div > UINT64_MAX / PARTS_FAN)
		return whole(p, fn, ctx);
	if (p->nbuf && spill(p) != LICIT_OK)
		return LICIT_ERR;
	size_t fan = k < PARTS_FAN ? k : PARTS_FAN;
	struct parts *sub = calloc(fan, sizeof *sub);
	if (!sub)
		return LICIT_ERR;
	for (size_t b = 0; b < fan; b++) /* fan buffers of 16 KiB: at most 1 MiB */
		sub[b] = (struct parts){.elem = p->elem, .budget = budget, .bufsz = (size_t)16 << 10};
	int rc = LICIT_OK, one = 1; /* one: every record of one key (no split can part them) */
	uint64_t first = 0;
	size_t got, seen = 0;
	rewind(p->f);
	while (rc == LICIT_OK && (got = fread(p->buf, p->elem, buf_bytes(p) / p->elem, p->f)) > 0)
		for (size_t i = 0; i < got && rc == LICIT_OK; i++, seen++) {
			const char *rec = p->buf + i * p->elem;
			uint64_t kv = key(rec);
			first = seen ? first : kv;
			one &= kv == first;
			rc = parts_add(&sub[licit_mix64(kv) / div % fan], rec);
		}
	if (rc == LICIT_OK && ferror(p->f))
		rc = LICIT_ERR;
	for (size_t b = 0; b < fan; b++) {
		if (rc == LICIT_OK)
			rc = one ? whole(&sub[b], fn, ctx) : each(&sub[b], key, fn, ctx, div * fan);
		parts_fini(&sub[b]);
	}
	free(sub);
	return rc;
}

int parts_each(struct parts *p, uint64_t (*key)(const void *rec),
               int (*fn)(void *ctx, void *recs, size_t n), void *ctx)
{
	return each(p, key, fn, ctx, 1);
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
	while ((got = fread(p->buf, p->elem, buf_bytes(p) / p->elem, p->f)) > 0)
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
