/* Unit tests of lib/flags' records on disk (parts.h) and the tally of
 * fingerprints over them (tally.h): enough records for several
 * partitions, counts against a plain count. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../lib/flags/parts.h"
#include "../../lib/flags/tally.h"
#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/flags/flags.h"

struct rec {
	uint64_t key;
	uint32_t seq, pad;
};

static uint64_t rec_key(const void *r)
{
	return ((const struct rec *)r)->key;
}

struct seen {
	size_t parts, total, most; /* most: records in the largest partition */
	unsigned char *got; /* per seq */
	uint64_t *part_of;  /* the partition each key went to, by key */
};

static int each(void *ctx, void *recs, size_t n)
{
	struct seen *s = ctx;
	const struct rec *r = recs;
	uint32_t last = 0;
	for (size_t i = 0; i < n; i++) {
		cr_assert(!s->got[r[i].seq], "record %u twice", r[i].seq);
		s->got[r[i].seq] = 1;
		/* every record of a key in one partition */
		uint64_t *p = &s->part_of[r[i].key];
		cr_assert(*p == 0 || *p == s->parts + 1);
		*p = s->parts + 1;
		cr_assert(i == 0 || r[i].seq > last, "the order they came in");
		last = r[i].seq;
	}
	s->total += n;
	s->parts++;
	s->most = n > s->most ? n : s->most;
	return 0;
}

/* n records of keys from key_of, added to p and handed out by
 * parts_each: each once, a key's in one partition, in their order. */
static struct seen run(struct parts *p, uint32_t n, uint64_t (*key_of)(uint32_t), size_t keys)
{
	for (uint32_t i = 0; i < n; i++) {
		struct rec r = {key_of(i), i, 0};
		cr_assert_eq(parts_add(p, &r), LICIT_OK);
	}
	struct seen s = {0, 0, 0, calloc(n, 1), calloc(keys, sizeof(uint64_t))};
	cr_assert_eq(parts_each(p, rec_key, each, &s), LICIT_OK);
	cr_assert_eq(s.total, n);
	for (uint32_t i = 0; i < n; i++)
		cr_assert(s.got[i], "record %u missing", i);
	free(s.got);
	free(s.part_of);
	return s;
}

static uint64_t spread(uint32_t i)
{
	return licit_mix64(i) % 5000;
}

/* Half the records of one key, the others spread */
static uint64_t hot(uint32_t i)
{
	return i % 2 ? 7 : licit_mix64(i) % 5000;
}

Test(parts, split_again_while_over_the_budget)
{
	/* 3.2 MB of records, a 4 KiB budget: 782 partitions at least, more
	 * than one split's fan (files split, then split again) */
	struct parts p = {.elem = sizeof(struct rec), .budget = 4096};
	struct seen s = run(&p, 200000, spread, 5000);
	cr_assert_geq(s.parts, 782);
	cr_assert_leq(s.most * sizeof(struct rec), 4096 + 1024, "largest %zu", s.most);
	parts_fini(&p);
}

Test(parts, one_key_over_the_budget_is_one_partition)
{
	struct parts p = {.elem = sizeof(struct rec), .budget = 4096};
	struct seen s = run(&p, 200000, hot, 5000);
	cr_assert_geq(s.most, 100000, "key 7's records, together: %zu", s.most);
	parts_fini(&p);
}

Test(parts, every_record_once_by_partition)
{
	enum { N = 600000, KEYS = 5000 }; /* 9.6 MB of records: 3 partitions */
	struct parts p = {.elem = sizeof(struct rec)};
	for (uint32_t i = 0; i < N; i++) {
		struct rec r = {licit_mix64(i) % KEYS, i, 0};
		cr_assert_eq(parts_add(&p, &r), LICIT_OK);
	}
	struct seen s = {0, 0, 0, calloc(N, 1), calloc(KEYS, sizeof(uint64_t))};
	cr_assert_eq(parts_each(&p, rec_key, each, &s), LICIT_OK);
	cr_assert_eq(s.total, N);
	cr_assert_eq(s.parts, (N * sizeof(struct rec) + PARTS_BUDGET - 1) / PARTS_BUDGET);
	/* and again: the records stay */
	memset(s.got, 0, N);
	memset(s.part_of, 0, KEYS * sizeof(uint64_t));
	s.total = s.parts = 0;
	cr_assert_eq(parts_each(&p, rec_key, each, &s), LICIT_OK);
	cr_assert_eq(s.total, N);
	parts_fini(&p);
	free(s.got);
	free(s.part_of);
}

static int keep_odd(const void *ctx, uint64_t fp, unsigned count)
{
	(void)ctx;
	(void)count;
	return (int)(fp & 1);
}

Test(parts, tally_counts_over_partitions)
{
	enum { N = 1200000, KEYS = 400000 }; /* 9.6 MB of fingerprints */
	struct tally t = {0};
	unsigned *want = calloc(KEYS, sizeof *want);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t k = (uint32_t)(licit_mix64(i) % KEYS);
		want[k]++;
		cr_assert_eq(tally_add(&t, licit_mix64(k + 1)), LICIT_OK);
	}
	cr_assert_eq(tally_settle(&t, 2, keep_odd, NULL), LICIT_OK);
	size_t kept = 0;
	for (uint32_t k = 0; k < KEYS; k++) {
		uint64_t fp = licit_mix64(k + 1);
		unsigned w = want[k] >= 2 && (fp & 1) ? want[k] : 0;
		cr_assert_eq(tally_get(&t, fp), w, "key %u: %u, want %u", k, tally_get(&t, fp), w);
		kept += w > 0;
	}
	cr_assert_eq(t.n, kept);
	for (size_t i = 1; i < t.n; i++)
		cr_assert(t.fp[i - 1] < t.fp[i], "kept in order");
	tally_fini(&t);
	free(want);
}

/* Mostly values seen once, as titles and amounts are: the tally leaves
 * them out before it sorts (tally.c), and must keep every copy of the
 * repeated ones, in one partition and over several. */
static void singles_and_repeats(uint32_t singles)
{
	enum { REPEATED = 5000 };
	struct tally t = {0};
	size_t added = 0;
	for (uint32_t i = 0; i < singles; i++, added++) /* buyer-year in the top 24 bits */
		cr_assert_eq(tally_add(&t, (uint64_t)(i % 3000) << 40 |
		                               (licit_mix64(i) >> 24)), LICIT_OK);
	for (uint32_t k = 0; k < REPEATED; k++)
		for (uint32_t c = 0; c < 2 + k % 4; c++, added++)
			cr_assert_eq(tally_add(&t, licit_mix64(~(uint64_t)k)), LICIT_OK);
	cr_assert_eq(tally_settle(&t, 2, NULL, NULL), LICIT_OK);
	cr_assert_eq(t.n, REPEATED, "%zu kept of %zu", t.n, added);
	for (uint32_t k = 0; k < REPEATED; k++)
		cr_assert_eq(tally_get(&t, licit_mix64(~(uint64_t)k)), 2 + k % 4, "key %u", k);
	for (uint32_t i = 0; i < singles; i += 997)
		cr_assert_eq(tally_get(&t, (uint64_t)(i % 3000) << 40 | (licit_mix64(i) >> 24)), 0);
	for (size_t i = 1; i < t.n; i++)
		cr_assert(t.fp[i - 1] < t.fp[i], "kept in order");
	tally_fini(&t);
}

Test(parts, tally_leaves_out_values_seen_once)
{
	singles_and_repeats(200000);  /* 1.8 MB: one partition */
	singles_and_repeats(1500000); /* 12 MB: several */
}

/* A temporary file that cannot be made (pass 1 of a big input with
 * $TMPDIR gone) is told as such, not as running out of memory. */
Test(parts, a_temporary_file_that_fails_is_told_as_such)
{
	setenv("TMPDIR", "/nonexistent/licit-test-dir", 1);
	struct parts p = {.elem = sizeof(struct rec)};
	int rc = LICIT_OK;
	for (uint32_t i = 0; i < 100000 && rc == LICIT_OK; i++)
		rc = parts_add(&p, &(struct rec){i, i, 0});
	cr_assert_eq(rc, LICIT_ERR, "the records must spill past the buffer and fail");
	struct licit_error e;
	cr_assert_eq(licit_flags_failed(&e, "in.csv", 7), LICIT_ERR);
	cr_assert_str_eq(e.source, "in.csv");
	cr_assert_eq(e.line, 7);
	cr_assert(strstr(e.text, "temporary file") && strstr(e.text, strerror(ENOENT)), "%s", e.text);
	parts_fini(&p);
	errno = ENOMEM;
	licit_flags_failed(&e, NULL, 0);
	cr_assert_str_eq(e.text, "out of memory");
}
