/* Partial results of bid-protest statistics (licit bidprotest-stats
 * --partial / --merge): a run's state written as a CSV file, and any
 * number of such files merged into the state of one run over all their
 * rows. The format is in licit-bidprotest-stats(1), PARTIAL RESULTS:
 *
 *   licit-bidprotest-partial,1,FINGERPRINT,by=KEY|...   the version line
 *   have,PROCEDURES,NO_TYPES       --procedures read; one had no procedure_type
 *   sum,PROCEDURE_ROWS,NO_ID,BAD   rows read, rows without procedure_id,
 *                                  unusable values (repeated ids left out)
 *   ent,ENTITY_ID                  the entities, numbered from 0
 *   den,KEY                        the denominators (US-joined), from 0
 *   group,VALUE...                 the groups, from 0
 *   proc,HASH,DEN,ENT,COMP,ROWS,COMP_ROWS   one per distinct procedure
 *   protest,GROUP,ENT,PROC,PID,DAYS,STAGE,OUTCOME   one per protest
 *   end,RECORDS
 *
 * Everything a protest needs from the procedures (matched, competitive,
 * rated) and the distinct counts are made at the merge, so the files may
 * cut procedures and protests anywhere. */
#include "protest_impl.h"

#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/io/partial.h"

#define MAGIC "licit-bidprotest-partial"
#define VERSION "1"

/* by=entity_id|year */
static void options(const struct licit_protest_stats *s, char *buf, size_t cap)
{
	size_t n = (size_t)snprintf(buf, cap, "by=");
	for (size_t i = 0; i < s->nkeys && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "|" : "",
		                      licit_protest_key_name(s->keys[i]));
}

static void w_map(struct licit_partial_out *o, const char *tag, const struct licit_map *m)
{
	for (size_t i = 0; i < licit_map_count(m); i++) {
		size_t len;
		const char *k = licit_map_key(m, i, &len);
		fputs(tag, o->f);
		licit_partial_str(o->f, k, len, 0);
		licit_partial_eol(o);
	}
}

static void w_hash(FILE *f, int present, unsigned long long h)
{
	if (present)
		fprintf(f, ",%016llx", h);
	else
		fputc(',', f);
}

int licit_protest_stats_partial_write(const struct licit_protest_stats *s, FILE *f,
                                      int with_procedures, struct licit_error *err)
{
	(void)err;
	char opt[128];
	options(s, opt, sizeof opt);
	struct licit_partial_out o;
	licit_partial_begin(&o, f, MAGIC, VERSION, opt);
	fprintf(f, "have,%d,%d", with_procedures ? 1 : 0, s->no_types);
	licit_partial_eol(&o);
	fprintf(f, "sum,%lld,%lld,%lld", s->sum.procedure_rows, s->sum.no_procedure_id,
	        s->sum.bad_values - s->sum.duplicate_ids);
	licit_partial_eol(&o);
	w_map(&o, "ent", s->ent);
	w_map(&o, "den", s->den);
	for (size_t g = 0; g < licit_map_count(s->groups); g++) {
		fputs("group", f);
		for (size_t k = 0; k < s->nkeys; k++)
			licit_partial_str(f, s->g[g].vals[k], strlen(s->g[g].vals[k]), 0);
		licit_partial_eol(&o);
	}
	/* the procedures in slot order: the index keeps their hashes */
	for (size_t slot = 0; slot < s->procs.cap; slot++) {
		if (!s->procs.key[slot])
			continue;
		unsigned p = s->procs.idx[slot];
		fprintf(f, "proc,%016llx,%u,%u,%d,%u,%u", s->procs.key[slot], s->pden[p], s->pent[p],
		        s->comp[p], s->prows[p], s->pcomp[p]);
		licit_partial_eol(&o);
	}
	for (size_t i = 0; i < s->nkept; i++) {
		const struct prec *q = &s->kept[i];
		fprintf(f, "protest,%u,%u", q->g, q->ent);
		w_hash(f, q->has_proc, q->proc);
		w_hash(f, q->has_pid, q->pid);
		if (q->days >= 0)
			fprintf(f, ",%lld", q->days);
		else
			fputc(',', f);
		fprintf(f, ",%u,%u", q->st, q->oc);
		licit_partial_eol(&o);
	}
	licit_partial_end(&o);
	return LICIT_OK;
}

/* ---- merging ----------------------------------------------------------- */

struct merge {
	struct licit_protest_stats *s;
	struct licit_partial_in r;
	long *ent, *den, *grp; /* the file's numbers -> this run's */
	size_t nent, nden, ngrp, cent, cden, cgrp;
	int have, sum;         /* have and sum lines read */
	size_t nden_keys;      /* the values of a denominator key (at least 1) */
};

static int bad_line(struct merge *m, struct licit_error *err)
{
	char why[96];
	snprintf(why, sizeof why, "a malformed %.20s line", m->r.fld[0]);
	return licit_partial_fail(&m->r, err, why);
}

static int oom(struct merge *m, struct licit_error *err)
{
	return licit_partial_fail(&m->r, err, "out of memory");
}

/* a number the file gave to one of its n ents, dens or groups */
static long ref(struct merge *m, size_t *i, const long *map, size_t n, int *bad)
{
	long long v = licit_partial_int(&m->r, i, bad);
	if (v < 0 || (unsigned long long)v >= n) {
		*bad = 1;
		return 0;
	}
	return map[v];
}

static int push(long **map, size_t *n, size_t *cap, long v)
{
	if (v < 0 || LICIT_GROW(*map, *cap, *n + 1) != LICIT_OK)
		return LICIT_ERR;
	(*map)[(*n)++] = v;
	return LICIT_OK;
}

/* the number of US-joined values in v */
static size_t values(const char *v)
{
	size_t n = 1;
	for (; *v; v++)
		n += *v == '\x1f';
	return n;
}

static int merge_line(struct merge *m, struct licit_error *err)
{
	struct licit_protest_stats *s = m->s;
	struct licit_partial_in *r = &m->r;
	const char *tag = r->fld[0];
	size_t i = 1;
	int bad = 0;
	if (strcmp(tag, "have") == 0) {
		long long p = licit_partial_int(r, &i, &bad), t = licit_partial_int(r, &i, &bad);
		if (bad || i != r->nf || m->have || (p != 0 && p != 1) || (t != 0 && t != 1))
			return bad_line(m, err);
		if (s->merged_procs >= 0 && s->merged_procs != (int)p)
			return licit_partial_fail(r, err, p ? "read with --procedures, and another "
			                                      "partial file without"
			                                    : "read without --procedures, and another "
			                                      "partial file with");
		s->merged_procs = (int)p;
		s->no_types |= (int)t;
		m->have = 1;
		return LICIT_OK;
	}
	if (!m->have)
		return licit_partial_fail(r, err, "no have line after the version line");
	if (strcmp(tag, "sum") == 0) {
		long long a = licit_partial_int(r, &i, &bad), b = licit_partial_int(r, &i, &bad),
		          c = licit_partial_int(r, &i, &bad);
		if (bad || i != r->nf || m->sum || a < 0 || b < 0 || c < 0)
			return bad_line(m, err);
		s->sum.procedure_rows += a;
		s->sum.no_procedure_id += b;
		s->sum.bad_values += c;
		m->sum = 1;
		return LICIT_OK;
	}
	if (strcmp(tag, "ent") == 0 || strcmp(tag, "den") == 0) {
		int e = tag[0] == 'e';
		if (r->nf != 2 || (!e && values(r->fld[1]) != m->nden_keys))
			return bad_line(m, err);
		long v = e ? protest_ent_put(s, r->fld[1])
		           : protest_den_put(s, r->fld[1], strlen(r->fld[1]));
		if (e ? push(&m->ent, &m->nent, &m->cent, v) : push(&m->den, &m->nden, &m->cden, v))
			return oom(m, err);
		return LICIT_OK;
	}
	if (strcmp(tag, "group") == 0) {
		if (r->nf != 1 + s->nkeys)
			return bad_line(m, err);
		if (push(&m->grp, &m->ngrp, &m->cgrp,
		         protest_group_put(s, (const char *const *)r->fld + 1)) != LICIT_OK)
			return oom(m, err);
		return LICIT_OK;
	}
	if (strcmp(tag, "proc") == 0) {
		int present;
		unsigned long long h = licit_partial_hex(r, &i, &present, &bad);
		long d = ref(m, &i, m->den, m->nden, &bad), e = ref(m, &i, m->ent, m->nent, &bad);
		long long c = licit_partial_int(r, &i, &bad), rows = licit_partial_int(r, &i, &bad),
		          comp = licit_partial_int(r, &i, &bad);
		if (bad || !present || i != r->nf || (c != 0 && c != 1) || rows < 1 ||
		    rows > UINT32_MAX || comp < 0 || comp > rows)
			return bad_line(m, err);
		int added;
		long p = licit_hidx_put(&s->procs, h, &added);
		if (p < 0 || protest_proc_grow(s, p) != LICIT_OK)
			return oom(m, err);
		protest_proc_take(s, p, added, d, e, (int)c, (uint32_t)rows, (uint32_t)comp);
		return LICIT_OK;
	}
	if (strcmp(tag, "protest") == 0) {
		struct prec q = {0};
		int hp, hi;
		q.g = (uint32_t)ref(m, &i, m->grp, m->ngrp, &bad);
		q.ent = (uint32_t)ref(m, &i, m->ent, m->nent, &bad);
		q.proc = licit_partial_hex(r, &i, &hp, &bad);
		q.pid = licit_partial_hex(r, &i, &hi, &bad);
		q.days = -1;
		if (i < r->nf && !r->fld[i][0])
			i++;
		else if ((q.days = licit_partial_int(r, &i, &bad)) < 0)
			bad = 1;
		long long st = licit_partial_int(r, &i, &bad), oc = licit_partial_int(r, &i, &bad);
		if (bad || i != r->nf || st < 0 || st > LICIT_STAGE_OTHER || oc < 0 ||
		    oc > LICIT_OUTCOME_PENDING)
			return bad_line(m, err);
		q.has_proc = (unsigned char)hp;
		q.has_pid = (unsigned char)hi;
		q.st = (unsigned char)st;
		q.oc = (unsigned char)oc;
		if ((hi && protest_check_id(s, q.pid, NULL, NULL, 0, NULL) != LICIT_OK) ||
		    protest_keep(s, &q) != LICIT_OK)
			return oom(m, err);
		return LICIT_OK;
	}
	return licit_error_set(err, r->name, r->rec_line, NULL, "unknown line '%.40s'", tag);
}

int licit_protest_stats_merge(struct licit_protest_stats *s, FILE *f, const char *name,
                              struct licit_error *err)
{
	char opt[128];
	options(s, opt, sizeof opt);
	struct merge m = {.s = s, .nden_keys = 0};
	for (size_t i = 0; i < s->nkeys; i++)
		m.nden_keys += s->keys[i] == LICIT_PKEY_ENTITY || s->keys[i] == LICIT_PKEY_BUYER ||
		               s->keys[i] == LICIT_PKEY_YEAR;
	if (!m.nden_keys)
		m.nden_keys = 1; /* the empty key */
	int rc = licit_partial_open(&m.r, f, name, MAGIC, VERSION, opt, "licit bidprotest-stats partial",
	                            "--merge takes the --by of the partial runs", err);
	while (rc == LICIT_OK && (rc = licit_partial_next(&m.r, 1, err)) == 1)
		rc = merge_line(&m, err);
	if (rc == 0 && !m.sum)
		rc = licit_error_set(err, name, m.r.rec_line, NULL,
		                     "no sum line: not a whole partial file");
	licit_partial_close(&m.r);
	free(m.ent);
	free(m.den);
	free(m.grp);
	return rc == 0 ? LICIT_OK : LICIT_ERR;
}

int licit_protest_stats_merged_procedures(const struct licit_protest_stats *s)
{
	return s->merged_procs > 0;
}
