#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/protocol.h"
#include "cli.h"

static const char run_help[] =
	"usage: linuxd run [--bundle DIR] [-d] [--keep] [--pid-file FILE]\n"
	"                  [--console-socket S] [--pidfd-socket S] [--preserve-fds N] ID\n\n"
	"Create and start a container.  In the foreground, signals are passed on\n"
	"to the process, the container is removed when it exits (--keep: left\n"
	"stopped, for `linuxd delete`) and the exit status is the process's\n"
	"(128+N when signal N killed it).  With -d the container keeps running;\n"
	"its pid is the sandbox kernel process.\n"
	"--preserve-fds N passes our descriptors 3 .. 3+N-1 on to the process\n"
	"(pipes and files: the sandbox kernel copies their data).\n";

static const char create_help[] =
	"usage: linuxd create [--bundle DIR] [--pid-file FILE] [--console-socket S]\n"
	"                     [--pidfd-socket S] [--preserve-fds N] ID\n\n"
	"Boot the container's sandbox kernel and prepare its process, which\n"
	"waits for `linuxd start`.  The pid written to --pid-file and shown by\n"
	"`linuxd state` is the sandbox kernel process; it exits with the\n"
	"container process's status.  --pidfd-socket S gets a pidfd of that\n"
	"pid, as runc sends one.\n";

/* --preserve-fds N (create, run, exec): our descriptors 3 .. 3+N-1, each
 * of them open. */
int cli_preserve_fds(const char *arg, unsigned int *n)
{
	char *end;
	unsigned long v = strtoul(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || v > 1000) {
		fprintf(stderr, "linuxd: --preserve-fds \"%s\": expected a number "
			"of descriptors\n", arg);
		return -1;
	}
	for (unsigned long fd = LD_FIRST_PRESERVED_FD; fd < LD_FIRST_PRESERVED_FD + v; fd++) {
		if (fcntl(fd, F_GETFD) < 0) {
			fprintf(stderr, "linuxd: --preserve-fds %lu: descriptor %lu "
				"is not open\n", v, fd);
			return -1;
		}
	}
	*n = v;
	return 0;
}

/* create and run share their options; run adds -d and --keep. */
static int create_or_run(const struct ld_globals *g, int argc, char **argv,
			 bool is_run)
{
	static const struct option opts[] = {
		{ "bundle", required_argument, NULL, 'b' },
		{ "pid-file", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "keep", no_argument, NULL, 'k' },
		{ "console-socket", required_argument, NULL, 'c' },
		{ "pidfd-socket", required_argument, NULL, 'P' },
		/* runc's; without meaning for a container on its own kernel */
		{ "no-pivot", no_argument, NULL, 'N' },
		{ "no-new-keyring", no_argument, NULL, 'N' },
		{ "preserve-fds", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *cmd = is_run ? "run" : "create";
	struct ld_create_opts o = { .bundle = "." };
	struct ld_error err = { 0 };
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+b:dh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o.bundle = optarg; break;
		case 'p': o.pid_file = optarg; break;
		case 'c': o.console_socket = optarg; break;
		case 'P': o.pidfd_socket = optarg; break;
		case 'd': o.detach = true; break;
		case 'k': o.keep = true; break;
		case 'N': break;
		case 'F':
			if (cli_preserve_fds(optarg, &o.preserve_fds) < 0)
				return 1;
			break;
		case 'h': fputs(is_run ? run_help : create_help, stdout); return 0;
		default: return cli_usage(cmd, "unknown option");
		}
	}
	if (!is_run && (o.detach || o.keep))
		return cli_usage(cmd, o.detach ? "unknown option -d" : "unknown option --keep");
	if (argc - optind != 1)
		return cli_usage(cmd, "expects exactly one container ID");
	if (is_run)
		rc = ld_container_run(g, argv[optind], &o, &err);
	else
		rc = ld_container_create(g, argv[optind], &o, &err);
	return rc < 0 ? cli_fail(g, &err) : rc;
}

int cli_run(const struct ld_globals *g, int argc, char **argv)
{
	return create_or_run(g, argc, argv, true);
}

int cli_create(const struct ld_globals *g, int argc, char **argv)
{
	return create_or_run(g, argc, argv, false);
}
