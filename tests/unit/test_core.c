/* Unit tests for the shared infrastructure of lib/core: the diagnostic
 * callback, the hash map and keyless index, the growable array. */
#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "licit/core/array.h"
#include "licit/core/error.h"
#include "licit/core/map.h"
#include "licit/core/text.h"

struct seen {
	int n;
	struct licit_diag last;
	char text[600], field[64];
};

static void keep(void *ctx, const struct licit_diag *d)
{
	struct seen *s = ctx;
	s->n++;
	s->last = *d;
	snprintf(s->text, sizeof s->text, "%s", d->text);
	snprintf(s->field, sizeof s->field, "%s", d->field ? d->field : "(null)");
}

Test(diag, formats_and_borrows)
{
	struct seen s = {0};
	licit_diag(keep, &s, LICIT_WARNING, "a.csv", 7, "amount", "1,2,3",
	           "%d amounts in one cell", 3);
	cr_assert_eq(s.n, 1);
	cr_assert_eq(s.last.severity, LICIT_WARNING);
	cr_assert_str_eq(s.last.source, "a.csv");
	cr_assert_eq(s.last.line, 7);
	cr_assert_str_eq(s.field, "amount");
	cr_assert_str_eq(s.last.value, "1,2,3");
	cr_assert_str_eq(s.text, "3 amounts in one cell");
	licit_diag(NULL, &s, LICIT_NOTE, NULL, 0, NULL, NULL, "dropped");
	cr_assert_eq(s.n, 1, "a NULL callback drops the diagnostic");
	/* a long text is cut, never overflows */
	char big[2000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	licit_diag(keep, &s, LICIT_NOTE, NULL, 0, NULL, NULL, "%s", big);
	cr_assert_eq(strlen(s.text), 511);
}

Test(diag, from_error)
{
	struct licit_error e;
	licit_error_clear(&e);
	cr_assert_eq(licit_error_set(&e, "r.csv", 3, "rate", "bad %s", "rate"), LICIT_ERR);
	struct seen s = {0};
	licit_diag_error(keep, &s, LICIT_ERROR, &e);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.last.source, "r.csv");
	cr_assert_eq(s.last.line, 3);
	cr_assert_str_eq(s.field, "rate");
	cr_assert_null(s.last.value);
	cr_assert_str_eq(s.text, "bad rate");
	licit_error_set(&e, NULL, 0, NULL, "no place");
	licit_diag_error(keep, &s, LICIT_NOTE, &e);
	cr_assert_null(s.last.source, "an empty source is NULL");
	cr_assert_str_eq(s.field, "(null)");
	cr_assert_str_eq(licit_severity_name(LICIT_NOTE), "note");
	cr_assert_str_eq(licit_severity_name(LICIT_WARNING), "warning");
	cr_assert_str_eq(licit_severity_name(LICIT_ERROR), "error");
	cr_assert_eq(licit_error_set(NULL, "x", 1, NULL, "y"), LICIT_ERR);
}

Test(map, numbers_keys_in_insertion_order)
{
	struct licit_map *m = licit_map_new();
	cr_assert_not_null(m);
	char key[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "k%d", i), added = -1;
		cr_assert_eq(licit_map_put(m, key, (size_t)n, &added), i);
		cr_assert_eq(added, 1);
	}
	int added = -1;
	cr_assert_eq(licit_map_put(m, "k42", 3, &added), 42);
	cr_assert_eq(added, 0);
	cr_assert_eq(licit_map_get(m, "k4999", 5), 4999);
	cr_assert_eq(licit_map_get(m, "k5000", 5), -1);
	cr_assert_eq(licit_map_get(m, "k4", 1), -1, "a prefix is another key");
	cr_assert_eq(licit_map_put(m, "", 0, NULL), 5000, "the empty key is a key");
	cr_assert_eq(licit_map_get(m, "", 0), 5000);
	cr_assert_eq(licit_map_put(m, "a\0b", 3, NULL), 5001, "keys may hold NUL");
	cr_assert_eq(licit_map_get(m, "a\0c", 3), -1);
	cr_assert_eq(licit_map_count(m), 5002);
	size_t len;
	cr_assert_str_eq(licit_map_key(m, 1234, &len), "k1234");
	cr_assert_eq(len, 5);
	licit_map_free(m);
	licit_map_free(NULL);
}

Test(map, keys_of_every_length_and_byte_apart)
{
	/* the hash reads words and a tail: keys that differ in one byte, at
	 * any place, of lengths 0 to 40, are all different keys */
	struct licit_map *m = licit_map_new();
	cr_assert_not_null(m);
	char key[41];
	long want = 0;
	for (size_t len = 0; len <= 40; len++)
		for (size_t at = 0; at < (len ? len : 1); at++)
			for (int b = 0; b < (len ? 3 : 1); b++) {
				memset(key, 'x', sizeof key);
				if (len)
					key[at] = (char)('a' + b);
				int added = -1;
				cr_assert_eq(licit_map_put(m, key, len, &added), want, "len %zu at %zu", len, at);
				cr_assert_eq(added, 1);
				want++;
			}
	cr_assert_eq(licit_map_count(m), (size_t)want);
	memset(key, 'x', sizeof key);
	key[7] = 'b';
	cr_assert_geq(licit_map_get(m, key, 8), 0);
	key[8] = 'z';
	cr_assert_eq(licit_map_get(m, key, 9), -1, "a byte changed is another key");
	/* no two of these keys share a hash */
	struct licit_map *hs = licit_map_new();
	for (long i = 0; i < want; i++) {
		size_t n;
		const char *k = licit_map_key(m, (size_t)i, &n);
		unsigned long long h = licit_map_hash(k, n);
		int added;
		licit_map_put(hs, (const char *)&h, sizeof h, &added);
		cr_assert_eq(added, 1, "key %ld (%zu bytes) shares a hash", i, n);
	}
	licit_map_free(hs);
	licit_map_free(m);
}

Test(map, reserve_prefetch_guess_and_own_hashes)
{
	struct licit_map *m = licit_map_new();
	cr_assert_not_null(m);
	cr_assert_eq(licit_map_reserve(m, 100000), 0);
	char key[32];
	int first = 0;
	for (int i = 0; i < 100000; i++) {
		int n = snprintf(key, sizeof key, "p%d", i);
		unsigned long long h = licit_map_hash(key, (size_t)n);
		licit_map_prefetch(m, h);
		cr_assert_eq(licit_map_guess(m, h), -1, "a key not put is not guessed (odds 2^-32)");
		cr_assert_eq(licit_map_put(m, key, (size_t)n, NULL), i);
		long g = licit_map_guess(m, h);
		cr_assert(g == -1 || g == i, "a guess is the key of that hash, or none");
		first += g == i;
	}
	cr_assert_gt(first, 80000, "most keys sit in the slot they hash to (%d)", first);
	size_t len;
	cr_assert_str_eq(licit_map_key(m, 99999, &len), "p99999");
	licit_map_free(m);
	/* the caller's hashes: even one hash for every key keeps them apart
	 * (the keys are compared), only slower */
	m = licit_map_new();
	for (int i = 0; i < 300; i++) {
		int n = snprintf(key, sizeof key, "q%d", i), added;
		cr_assert_eq(licit_map_put_hashed(m, key, (size_t)n, 42, &added), i);
		cr_assert_eq(added, 1);
	}
	int added;
	cr_assert_eq(licit_map_put_hashed(m, "q7", 2, 42, &added), 7);
	cr_assert_eq(added, 0);
	licit_map_free(m);
}

Test(map, one_mixer)
{
	/* a bijection that spreads low bits: consecutive inputs land in
	 * different low-bit buckets */
	cr_assert_eq(licit_mix64(0), 0);
	int bucket[16] = {0};
	for (unsigned long long x = 1; x <= 1600; x++)
		bucket[licit_mix64(x << 8) & 15]++;
	for (int b = 0; b < 16; b++)
		cr_assert(bucket[b] > 60 && bucket[b] < 140, "bucket %d: %d", b, bucket[b]);
	cr_assert_eq(licit_hash("", 0), 1469598103934665603ULL);
	cr_assert_eq(licit_hash("a", 1), 0x44bd8ad473cd9906ULL);
}

Test(hidx, keyless_index)
{
	struct licit_hidx h = {0};
	cr_assert_eq(licit_hidx_get(&h, 5), -1, "an empty index finds nothing");
	for (unsigned long long k = 0; k < 100000; k++) {
		int added = 0;
		cr_assert_eq(licit_hidx_put(&h, k * 4096 + 2, &added), (long)k);
		cr_assert_eq(added, 1);
	}
	int added = 1;
	cr_assert_eq(licit_hidx_put(&h, 77 * 4096 + 2, &added), 77);
	cr_assert_eq(added, 0);
	cr_assert_eq(licit_hidx_get(&h, 99999ULL * 4096 + 2), 99999);
	cr_assert_eq(licit_hidx_get(&h, 3), -1);
	cr_assert_eq(h.n, 100000);
	cr_assert(h.n * 4 <= h.cap * 3, "at most 3/4 full");
	licit_hidx_fini(&h);
	cr_assert_eq(h.n, 0);
	cr_assert_eq(licit_hidx_get(&h, 2), -1);
	/* key 0 is stored as 1: the two are one key */
	cr_assert_eq(licit_hidx_put(&h, 0, NULL), 0);
	cr_assert_eq(licit_hidx_get(&h, 1), 0);
	licit_hidx_fini(&h);
}

Test(array, grows_and_zeroes)
{
	long *a = NULL;
	size_t n = 0, cap = 0;
	for (long i = 0; i < 1000; i++) {
		cr_assert_eq(LICIT_GROW(a, cap, n + 1), LICIT_OK);
		cr_assert(cap >= n + 1 && cap >= 16);
		cr_assert_eq(a[n], 0, "new elements are zeroed");
		a[n++] = i;
	}
	cr_assert_eq(cap, 1024);
	for (long i = 0; i < 1000; i++)
		cr_assert_eq(a[i], i);
	cr_assert_eq(LICIT_GROW(a, cap, 10), LICIT_OK, "room already: nothing moves");
	cr_assert_eq(cap, 1024);
	/* parallel arrays share a capacity through licit_resize */
	char *flag = NULL;
	cr_assert_eq(licit_resize(&flag, 0, cap, 1), LICIT_OK);
	cr_assert_eq(flag[cap - 1], 0);
	size_t c2 = licit_grow_cap(cap, cap + 1, sizeof *a);
	cr_assert_eq(c2, 2048);
	cr_assert_eq(licit_resize(&a, cap, c2, sizeof *a), LICIT_OK);
	cr_assert_eq(licit_resize(&flag, cap, c2, 1), LICIT_OK);
	cr_assert_eq(a[999], 999);
	cr_assert_eq(a[2047], 0);
	free(flag);
	/* an overflowing size fails and leaves the array as it was */
	size_t before = cap = c2;
	long *keep = a;
	cr_assert_eq(LICIT_GROW(a, cap, SIZE_MAX / 4), LICIT_ERR);
	cr_assert_eq(cap, before);
	cr_assert_eq(a, keep);
	cr_assert_eq(licit_grow_cap(0, SIZE_MAX, 8), 0);
	free(a);
}

/* licit_text_fold as it reads, a byte at a time (the reference for its
 * 16-byte steps): letters and digits lower-cased, a two-byte Latin-1
 * letter to its first ASCII letter, any other run one space between
 * words. */
static size_t fold_ref(const char *s, size_t n, char *out)
{
	static const char *const latin[64] = {
		"a", "a", "a", "a", "a", "a", "a", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "t", "s",
		"a", "a", "a", "a", "a", "a", "a", "c", "e", "e", "e", "e", "i", "i", "i", "i",
		"d", "n", "o", "o", "o", "o", "o", "", "o", "u", "u", "u", "u", "y", "t", "y"};
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	size_t o = 0;
	int any = 0, gap = 0;
	while (p < e) {
		char c = 0;
		if (*p >= 'A' && *p <= 'Z')
			c = (char)(*p + 32);
		else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			c = (char)*p;
		else if (*p == 0xC3 && p + 1 < e)
			c = latin[p[1] & 0x3F][0], p++;
		p++;
		if (!c) {
			gap = any;
			continue;
		}
		if (gap)
			out[o++] = ' ';
		gap = 0;
		any = 1;
		out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* Words of letters, digits, accents, punctuation and runs of spaces, at
 * every length and offset around the 16-byte steps: the same fold as the
 * reference, whole and in pieces of every size. */
Test(text, fold_in_blocks_as_byte_by_byte)
{
	static const char *const bits[] = {"A", "b", "Z", "z", "0", "9", " ", "  ", ",", "-",
	                                   "\xc3\xa9", "\xc3\x91", "\xc3", "\x80", "@", "[",
	                                   "`", "{", "ADQUISICION", " DE ", "medicamentos",
	                                   "2015", "\t"};
	size_t nb = sizeof bits / sizeof *bits;
	uint64_t seed = 12345;
	char s[200], want[200], got[200], piece[200];
	for (int t = 0; t < 200000; t++) {
		size_t n = 0;
		int words = (int)(t % 40);
		for (int w = 0; w < words; w++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			const char *b = bits[(seed >> 33) % nb];
			size_t k = strlen(b);
			if (n + k >= 120)
				break;
			memcpy(s + n, b, k);
			n += k;
		}
		s[n] = '\0';
		size_t wn = fold_ref(s, n, want);
		size_t gn = licit_text_fold(s, n, got);
		cr_assert_eq(gn, wn, "\"%s\": \"%s\" want \"%s\"", s, got, want);
		cr_assert_str_eq(got, want, "\"%s\"", s);
		size_t cap = 2 + (size_t)(t % 24);
		struct licit_fold f = {0};
		size_t pn = 0;
		while (f.done < n) {
			size_t k = licit_text_fold_piece(&f, s, n, piece + pn, cap);
			cr_assert_leq(k, cap);
			pn += k;
		}
		piece[pn] = '\0';
		cr_assert_str_eq(piece, want, "\"%s\" in pieces of %zu", s, cap);
	}
}
