/* main() of a licit-<tool> executable; LICIT_TOOL_FN names the tool. */
#include "cli.h"

int main(int argc, char **argv)
{
	cli_command(argc, argv);
	argv[0] = "licit-" LICIT_TOOL_NAME;
	return cli_finish(LICIT_TOOL_FN(argc, argv));
}
