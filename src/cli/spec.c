#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cli_spec(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *bundle = ".";
	struct ld_error err = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bundle = optarg; break;
		case 'h':
			printf("usage: linuxd spec [--bundle DIR]\n\n"
			       "Write a default config.json into DIR (default: the current\n"
			       "directory) for a rootfs at DIR/rootfs: as runc's, an\n"
			       "interactive sh on a terminal.\n");
			return 0;
		default: return cli_usage("spec", "unknown option");
		}
	}
	if (optind != argc)
		return cli_usage("spec", "takes no arguments");
	return ld_spec_write(bundle, &err) < 0 ? cli_fail(g, &err) : 0;
}
