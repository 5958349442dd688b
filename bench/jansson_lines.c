/* The peer of `licit coverage` and `licit prepare` in bench/run.sh: jansson
 * parsing each line of a JSON Lines file (and freeing it), nothing more.
 * usage: jansson_lines FILE */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	FILE *f = argc > 1 ? fopen(argv[1], "rb") : stdin;
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	long values = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_error_t e;
		json_t *v = json_loadb(line, (size_t)n, JSON_DECODE_ANY, &e);
		if (v)
			values++;
		json_decref(v);
	}
	free(line);
	printf("%ld values\n", values);
	return 0;
}
