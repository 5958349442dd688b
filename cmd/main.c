/* The `licit` front: `licit <tool> [options] [file ...]`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *summary;
} tools[] = {
#define TOOL(name, fn, summary) {name, fn, summary},
#include "tools.def"
#undef TOOL
};

static void usage(FILE *f)
{
	fputs("usage: licit <tool> [options] [file ...]\n"
	      "       licit help <tool>\n"
	      "       licit --help | --version\n\ntools:\n", f);
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		fprintf(f, "  %-18s %s\n", tools[i].name, tools[i].summary);
	fputs("\nEach tool is also an executable licit-<tool>; see licit(1).\n", f);
}

static int find(const char *name)
{
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		if (strcmp(tools[i].name, name) == 0)
			return (int)i;
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	cli_command(argc, argv);
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("licit %s\n", LICIT_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return EXIT_OK;
		}
		int t = find(argv[2]);
		if (t < 0) {
			fprintf(stderr, "licit: no tool '%s'\n", argv[2]);
			return EXIT_USAGE;
		}
		char page[64];
		snprintf(page, sizeof page, "licit-%s", tools[t].name);
		fflush(stdout);
		if (isatty(1))
			execlp("man", "man", page, (char *)NULL);
		/* no man (or not a terminal): the tool's own --help */
		char *args[] = {page, "--help", NULL};
		return tools[t].fn(2, args);
	}
	int t = find(cmd);
	if (t < 0) {
		fprintf(stderr, "licit: no tool '%s'\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	char prog[64];
	snprintf(prog, sizeof prog, "licit-%s", tools[t].name);
	argv[1] = prog;
	return cli_finish(tools[t].fn(argc - 1, argv + 1));
}
