/* SHA-256 against the FIPS 180-4 examples (NIST's "SHA256.pdf" and the
 * long message of FIPS 180-2 appendix B), fed whole and in pieces; the
 * manifest's JSON. */
#include <criterion/criterion.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "licit/core/manifest.h"
#include "licit/core/sha256.h"

static void digest_hex(const void *p, size_t n, size_t piece, char hex[LICIT_SHA256_HEX])
{
	struct licit_sha256 s;
	unsigned char d[LICIT_SHA256_LEN];
	licit_sha256_init(&s);
	const unsigned char *b = p;
	for (size_t off = 0; off < n; off += piece)
		licit_sha256_update(&s, b + off, n - off < piece ? n - off : piece);
	licit_sha256_final(&s, d);
	licit_sha256_hex(d, hex);
}

static const struct {
	const char *msg, *want;
} vectors[] = {
	{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
	{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
	{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
	 "klmnopqrlmnopqrsmnopqrstnopqrstu",
	 "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
};

Test(sha256, fips_examples_whole_and_in_pieces)
{
	static const size_t pieces[] = {1, 3, 55, 56, 63, 64, 65, 1000};
	for (size_t v = 0; v < sizeof vectors / sizeof *vectors; v++) {
		size_t n = strlen(vectors[v].msg);
		for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
			char hex[LICIT_SHA256_HEX];
			digest_hex(vectors[v].msg, n, pieces[p], hex);
			cr_expect_str_eq(hex, vectors[v].want, "message %zu in pieces of %zu", v,
			                 pieces[p]);
		}
	}
}

Test(sha256, one_million_a)
{
	size_t n = 1000000;
	char *a = malloc(n);
	cr_assert_not_null(a);
	memset(a, 'a', n);
	char hex[LICIT_SHA256_HEX];
	digest_hex(a, n, 4096 + 7, hex);
	cr_expect_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* the padding's edge: 55 bytes fit one block, 56 need two */
Test(sha256, padding_edges)
{
	char m[64];
	memset(m, 'a', sizeof m);
	char hex[LICIT_SHA256_HEX];
	digest_hex(m, 55, 55, hex);
	cr_expect_str_eq(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	digest_hex(m, 56, 56, hex);
	cr_expect_str_eq(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	digest_hex(m, 64, 64, hex);
	cr_expect_str_eq(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

Test(sha256, file_and_missing_file)
{
	char path[] = "/tmp/licit-sha-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs("abc", f);
	fclose(f);
	unsigned char d[LICIT_SHA256_LEN];
	long long size = -1;
	struct licit_error err;
	licit_error_clear(&err);
	cr_assert_eq(licit_sha256_file(path, d, &size, &err), LICIT_OK);
	char hex[LICIT_SHA256_HEX];
	licit_sha256_hex(d, hex);
	cr_expect_eq(size, 3);
	cr_expect_str_eq(hex, vectors[0].want);
	unlink(path);
	cr_expect_eq(licit_sha256_file(path, d, &size, &err), LICIT_ERR);
	cr_expect_str_eq(err.source, path);
}

Test(manifest, json_keys_in_order_and_null_counts)
{
	struct licit_manifest *m = licit_manifest_new("kpi", "9.9");
	cr_assert_not_null(m);
	const char *argv[] = {"licit", "kpi", "-o", "out.csv", "in.csv"};
	cr_assert_eq(licit_manifest_command(m, 5, argv, "/data"), LICIT_OK);
	cr_assert_eq(licit_manifest_env(m, "LICIT_SAFE_CSV", "1"), LICIT_OK);
	unsigned char d[LICIT_SHA256_LEN] = {0};
	struct licit_error err;
	licit_error_clear(&err);
	cr_assert_eq(licit_manifest_digest(m, LICIT_MANIFEST_INPUT, NULL, "-", 3, d, &err),
	             LICIT_OK);
	/* the same path again is not listed twice */
	cr_assert_eq(licit_manifest_digest(m, LICIT_MANIFEST_INPUT, NULL, "-", 3, d, &err),
	             LICIT_OK);
	cr_assert_eq(licit_manifest_digest(m, LICIT_MANIFEST_OUTPUT, "-o", "out.csv", 0, d, &err),
	             LICIT_OK);
	licit_manifest_count(m, LICIT_ROWS_READ, 2);
	licit_manifest_count(m, LICIT_ROWS_READ, 3);
	licit_manifest_count(m, LICIT_ROWS_SKIPPED, 0);
	cr_expect(licit_manifest_has(m, "out.csv"));
	cr_expect(!licit_manifest_has(m, "in.csv"));
	char *text = licit_manifest_json(m, &err);
	cr_assert_not_null(text);
	cr_expect_eq(text[strlen(text) - 1], '\n');
	json_error_t je;
	json_t *o = json_loads(text, 0, &je);
	cr_assert_not_null(o, "%s", je.text);
	static const char *const keys[] = {"manifest", "licit_version", "tool", "argv", "cwd",
	                                   "env", "inputs", "tables", "outputs", "rows"};
	size_t k = 0;
	const char *key;
	json_t *v;
	json_object_foreach(o, key, v) {
		cr_assert_lt(k, sizeof keys / sizeof *keys);
		cr_expect_str_eq(key, keys[k++]);
	}
	cr_expect_eq(k, sizeof keys / sizeof *keys);
	cr_expect_str_eq(json_string_value(json_array_get(json_object_get(o, "argv"), 3)),
	                 "out.csv");
	cr_expect_eq(json_array_size(json_object_get(o, "inputs")), 1);
	json_t *out = json_array_get(json_object_get(o, "outputs"), 0);
	cr_expect_str_eq(json_string_value(json_object_get(out, "option")), "-o");
	cr_expect_str_eq(json_string_value(json_object_get(out, "sha256")),
	                 "0000000000000000000000000000000000000000000000000000000000000000");
	json_t *rows = json_object_get(o, "rows");
	cr_expect_eq(json_integer_value(json_object_get(rows, "read")), 5);
	cr_expect(json_is_null(json_object_get(rows, "written")));
	cr_expect_eq(json_integer_value(json_object_get(rows, "skipped")), 0);
	cr_expect_str_eq(json_string_value(json_object_get(json_object_get(o, "env"),
	                                                   "LICIT_SAFE_CSV")), "1");
	json_decref(o);
	free(text);
	licit_manifest_free(m);
}

Test(manifest, observer_notes_loaded_tables_once)
{
	char path[] = "/tmp/licit-mf-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, "abc", 3), 3);
	close(fd);
	struct licit_manifest *m = licit_manifest_new("flags", "9.9");
	licit_manifest_loaded(path); /* nobody observes: nothing */
	licit_manifest_observe(m);
	licit_manifest_loaded(path);
	licit_manifest_loaded(path);
	licit_manifest_observe(NULL);
	struct licit_error err;
	char *text = licit_manifest_json(m, &err);
	cr_assert_not_null(text);
	json_t *o = json_loads(text, 0, NULL);
	json_t *t = json_object_get(o, "tables");
	cr_assert_eq(json_array_size(t), 1);
	cr_expect_str_eq(json_string_value(json_object_get(json_array_get(t, 0), "sha256")),
	                 vectors[0].want);
	cr_expect(json_is_null(json_object_get(json_array_get(t, 0), "option")));
	json_decref(o);
	free(text);
	licit_manifest_free(m);
	unlink(path);
}

Test(manifest, a_name_not_utf8_is_refused_not_mangled)
{
	struct licit_manifest *m = licit_manifest_new("kpi", "9.9");
	const char *argv[] = {"licit", "kpi", "contrataci\xf3n.csv"}; /* Latin-1 */
	cr_assert_eq(licit_manifest_command(m, 3, argv, "/data"), LICIT_OK);
	struct licit_error err;
	licit_error_clear(&err);
	cr_expect_null(licit_manifest_json(m, &err));
	cr_expect(strstr(err.text, "is not UTF-8") != NULL, "%s", err.text);
	licit_manifest_free(m);
}
