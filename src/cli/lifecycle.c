/* Commands that act on one existing container: start, kill, delete. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Parse [FLAG] ID, FLAG being 'f' (--force) or 'a' (--all) when flag is
 * given; returns the index of ID or -1 after printing. */
static int parse_id(const char *cmd, const char *help, int argc, char **argv,
		    int max_extra, char flag_name, bool *flag)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+fah", opts, NULL)) != -1) {
		if (c == 'h') {
			fputs(help, stdout);
			exit(0);
		}
		if (flag && c == flag_name) {
			*flag = true;
			continue;
		}
		cli_usage(cmd, "unknown option");
		return -1;
	}
	if (argc - optind < 1 || argc - optind > 1 + max_extra) {
		cli_usage(cmd, max_extra ? "expects a container ID and a signal"
					 : "expects exactly one container ID");
		return -1;
	}
	return optind;
}

int cli_start(const struct ld_globals *g, int argc, char **argv)
{
	struct ld_error err = { 0 };
	int i = parse_id("start", "usage: linuxd start ID\n\nRun the process "
			 "of a created container.\n", argc, argv, 0, 0, NULL);

	if (i < 0)
		return 1;
	return ld_container_start(g, argv[i], &err) < 0 ? cli_fail(g, &err) : 0;
}

/* A signal by number (0, as runc, only asks whether the container
 * runs) or name, with or without "SIG"; -1 when unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	int sig;

	if (*s && !*end)
		return n >= 0 && n < NSIG ? n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (sig = 1; sig < NSIG; sig++)
		if (sigabbrev_np(sig) && !strcasecmp(s, sigabbrev_np(sig)))
			return sig;
	return -1;
}

int cli_kill(const struct ld_globals *g, int argc, char **argv)
{
	struct ld_error err = { 0 };
	bool all = false;
	int sig = SIGTERM, i;

	i = parse_id("kill", "usage: linuxd kill [--all] ID [SIGNAL]\n\nSend "
		     "SIGNAL (a name or number, default SIGTERM) to the container "
		     "process;\nwith --all to every process in the container.\n",
		     argc, argv, 1, 'a', &all);
	if (i < 0)
		return 1;
	if (i + 1 < argc && (sig = parse_signal(argv[i + 1])) < 0) {
		fprintf(stderr, "linuxd: kill: unknown signal \"%s\"\n", argv[i + 1]);
		return 1;
	}
	return ld_container_kill(g, argv[i], sig, all, &err) < 0 ? cli_fail(g, &err) : 0;
}

int cli_delete(const struct ld_globals *g, int argc, char **argv)
{
	struct ld_error err = { 0 };
	bool force = false;
	int i = parse_id("delete", "usage: linuxd delete [--force] ID\n\nRemove "
			 "a stopped container; --force kills a running one first.\n",
			 argc, argv, 0, 'f', &force);

	if (i < 0)
		return 1;
	return ld_container_delete(g, argv[i], force, &err) < 0 ? cli_fail(g, &err) : 0;
}

int cli_state(const struct ld_globals *g, int argc, char **argv)
{
	struct ld_error err = { 0 };
	struct ld_state st;
	int i = parse_id("state", "usage: linuxd state ID\n\nPrint the OCI state "
			 "of a container as JSON.\n", argc, argv, 0, 0, NULL);

	if (i < 0)
		return 1;
	if (ld_container_state(g, argv[i], &st, &err) < 0)
		return cli_fail(g, &err);
	return ld_state_print(stdout, &st) < 0 ? 1 : 0;
}

static int pause_or_resume(const struct ld_globals *g, int argc, char **argv,
			   bool pause)
{
	struct ld_error err = { 0 };
	const char *cmd = pause ? "pause" : "resume";
	int i = parse_id(cmd, pause ? "usage: linuxd pause ID\n\nFreeze every "
			 "process of the container.\n" : "usage: linuxd resume ID\n\n"
			 "Thaw a paused container.\n", argc, argv, 0, 0, NULL);

	if (i < 0)
		return 1;
	return ld_container_pause(g, argv[i], pause, &err) < 0 ? cli_fail(g, &err) : 0;
}

int cli_pause(const struct ld_globals *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, true);
}

int cli_resume(const struct ld_globals *g, int argc, char **argv)
{
	return pause_or_resume(g, argc, argv, false);
}
