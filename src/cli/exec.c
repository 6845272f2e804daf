#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../util.h"

static const char exec_help[] =
	"usage: linuxd exec [options] ID [COMMAND [ARG...]]\n\n"
	"Run a further process in a running container, with linuxd's stdio.\n"
	"The exit status is the process's (255 if it could not run, as runc's);\n"
	"with -d linuxd returns once it runs\n"
	"and the --pid-file pid is a host process that exits with its status.\n\n"
	"  -p, --process FILE  the process as an OCI process object (JSON)\n"
	"  -d, --detach        do not wait for the process\n"
	"      --pid-file FILE\n"
	"      --cwd DIR\n"
	"  -e, --env KEY=VALUE  (repeatable)\n"
	"  -u, --user UID[:GID]\n"
	"  -t, --tty           a terminal for the process (process.terminal)\n"
	"      --console-socket SOCKET  send the terminal's master there;\n"
	"                      without it a foreground exec is the terminal\n"
	"      --preserve-fds N  pass our descriptors 3 .. 3+N-1 on as 3, 4, ...\n"
	"  -g, --additional-gids GID  (repeatable)\n"
	"  -c, --cap CAP_...   a capability more for the process (repeatable)\n"
	"      --no-new-privs  set no_new_privs for the process\n"
	"      --ignore-paused  exec into a paused container too: the process\n"
	"                      runs once the container is resumed\n"
	"      --cgroup [CONTROLLER[,...]:]PATH  run the process in the existing\n"
	"                      cgroup PATH under the container's (one hierarchy:\n"
	"                      every controller takes the same PATH)\n";

/*
 * --cgroup [CONTROLLER[,...]:]PATH: PATH under the container's cgroup.  The
 * guest's cgroups are one hierarchy (v2), so each --cgroup names one PATH,
 * as runc takes them on cgroup v2.
 */
static int subcgroup(const char *arg, const char **path)
{
	const char *colon = strchr(arg, ':'), *p = colon ? colon + 1 : arg;
	const char *problem = NULL;

	if (colon == arg)
		problem = "an empty controller before \":\"";
	else if (!strcmp(p, "..") || !strncmp(p, "../", 3) || strstr(p, "/../") ||
		 (strlen(p) >= 3 && !strcmp(p + strlen(p) - 3, "/..")))
		problem = "not a cgroup under the container's";
	else if (*path && strcmp(*path, p))
		problem = "the guest's cgroups are one hierarchy: one path for all controllers";
	if (problem) {
		fprintf(stderr, "linuxd: --cgroup \"%s\": %s\n", arg, problem);
		return -1;
	}
	*path = p;
	return 0;
}

int cli_exec(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "process", required_argument, NULL, 'p' },
		{ "detach", no_argument, NULL, 'd' },
		{ "pid-file", required_argument, NULL, 'P' },
		{ "cwd", required_argument, NULL, 'W' },
		{ "env", required_argument, NULL, 'e' },
		{ "user", required_argument, NULL, 'u' },
		{ "tty", no_argument, NULL, 't' },
		{ "console-socket", required_argument, NULL, 's' },
		{ "preserve-fds", required_argument, NULL, 'F' },
		{ "additional-gids", required_argument, NULL, 'g' },
		{ "cap", required_argument, NULL, 'c' },
		{ "no-new-privs", no_argument, NULL, 'N' },
		{ "ignore-paused", no_argument, NULL, 'I' },
		{ "cgroup", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	cleanup_free char **env = calloc(argc, sizeof(char *));
	cleanup_free char **caps = calloc(argc, sizeof(char *));
	cleanup_free char **gids = calloc(argc, sizeof(char *));
	struct ld_exec_opts o = { .env = env, .caps = caps, .gids = gids };
	struct ld_error err = { 0 };
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:de:u:thg:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'p': o.process_file = optarg; break;
		case 'd': o.detach = true; break;
		case 'P': o.pid_file = optarg; break;
		case 'W': o.cwd = optarg; break;
		case 'e': o.env[o.n_env++] = optarg; break;
		case 'u': o.user = optarg; break;
		case 't': o.tty = true; break;
		case 's': o.console_socket = optarg; break;
		case 'F':
			if (cli_preserve_fds(optarg, &o.preserve_fds) < 0)
				return 1;
			break;
		case 'g': o.gids[o.n_gids++] = optarg; break;
		case 'c': o.caps[o.n_caps++] = optarg; break;
		case 'N': o.no_new_privs = true; break;
		case 'I': o.ignore_paused = true; break;
		case 'C':
			if (subcgroup(optarg, &o.cgroup) < 0)
				return 1;
			break;
		case 'h': fputs(exec_help, stdout); return 0;
		default: return cli_usage("exec", "unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("exec", "expects a container ID");
	if (!o.process_file && optind + 1 >= argc)
		return cli_usage("exec", "expects a command or --process");
	o.args = argv + optind + 1;
	rc = ld_container_exec(g, argv[optind], &o, &err);
	if (rc >= 0)
		return rc;
	cli_fail(g, &err);
	return 255;	/* runc's status for an exec that failed */
}
