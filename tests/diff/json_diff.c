/* The differential test of licit's JSON parser against jansson
 * (tests/json_vs_jansson.h) over files: each whole, and each of its
 * lines; and of its two ways of leaving values out (skimmed, token by
 * token) against each other, and of its builds with and without SSE2
 * (tests/json_scalar.h). Prints what disagrees; exit 1 then. */
#include <stdio.h>
#include <stdlib.h>

#include "../json_scalar.h"

static const char *skim_vs_tokens(const char *s, size_t n)
{
	const char *why = jvj_skim_same(s, n, jvj_ocds_skip, NULL);
	if (!why)
		why = jvj_skim_same(s, n, NULL, jvj_ocds_keep);
	return why ? why : jvj_scalar_same(s, n, jvj_ocds_skip, jvj_ocds_keep);
}

int main(int argc, char **argv)
{
	int bad = 0;
	long values = 0;
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		char *buf = NULL;
		size_t len = 0, cap = 0, got;
		do {
			if (cap - len < 65536 && !(buf = realloc(buf, cap = 2 * cap + 65536)))
				return 1;
			got = fread(buf + len, 1, cap - len, f);
			len += got;
		} while (got > 0);
		fclose(f);
		const char *why = json_vs_jansson(buf, len);
		if (!why)
			why = skim_vs_tokens(buf, len);
		values++;
		if (why) {
			printf("%s: %s\n", argv[i], why);
			bad = 1;
		}
		long line = 0;
		for (char *p = buf, *end = buf + len; p < end;) {
			char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
			line++;
			values++;
			if ((why = json_vs_jansson(p, n)) || (why = skim_vs_tokens(p, n))) {
				printf("%s:%ld: %s\n", argv[i], line, why);
				bad = 1;
			}
			p += n + 1;
		}
		free(buf);
	}
	printf("json_diff: %ld values in %d files, %s\n", values, argc - 1,
	       bad ? "DISAGREEMENTS" : "licit and jansson agree");
	return bad;
}
