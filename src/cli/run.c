#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cli_run(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *bundle = ".";
	struct ld_error err = { 0 };
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:h", opts, NULL)) != -1) {
		switch (c) {
		case 'b': bundle = optarg; break;
		case 'h':
			printf("usage: linuxd run [--bundle DIR] ID\n\n"
			       "Run the bundle's process on its own sandbox kernel in the\n"
			       "foreground and remove the container when it exits.  The exit\n"
			       "status is the process's (128+N when signal N killed it).\n");
			return 0;
		default: return cli_usage("run", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage("run", "expects exactly one container ID");
	rc = ld_container_run(g, argv[optind], bundle, &err);
	return rc < 0 ? cli_fail(g, &err) : rc;
}
