#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"


static const struct {
	const char *name;
	int (*fn)(const struct ld_globals *, int, char **);
	const char *help;
} commands[] = {
	{ "create", cli_create, "create [--bundle DIR] [--pid-file F] ID: prepare a container" },
	{ "start", cli_start, "start ID: run the process of a created container" },
	{ "run", cli_run, "run [--bundle DIR] [-d] [--pid-file F] ID: create and start" },
	{ "exec", cli_exec, "exec [options] ID [COMMAND...]: run a process in a container" },
	{ "state", cli_state, "state ID: print the OCI state of a container" },
	{ "kill", cli_kill, "kill ID [SIGNAL]: signal the container process" },
	{ "delete", cli_delete, "delete [--force] ID: remove a container" },
	{ "pause", cli_pause, "pause ID: freeze every process of the container" },
	{ "resume", cli_resume, "resume ID: thaw a paused container" },
	{ "ps", cli_ps, "ps [--format table|json] ID: the container's processes" },
	{ "update", cli_update, "update [limits] ID: change the container's limits" },
	{ "events", cli_events, "events [--stats] ID: usage statistics" },
	{ "list", cli_list, "list [--format table|json] [-q]: list containers" },
	{ "features", cli_features, "features: the OCI features JSON" },
	{ "spec", cli_spec, "spec [--bundle DIR]: write a default config.json" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: linuxd [--root DIR] [--log FILE] [--log-format text|json] "
		   "[--debug] [--platform seccomp|ptrace] COMMAND [ARGS]\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %s\n", commands[i].help);
}

int cli_usage(const char *cmd, const char *problem)
{
	fprintf(stderr, "linuxd %s: %s (see linuxd %s --help)\n", cmd, problem, cmd);
	return 1;
}

/* As runc's log lines, JSON or logfmt text: the time in RFC 3339, which
 * containerd parses. */
static void log_line(FILE *f, bool json, const char *msg)
{
	time_t now = time(NULL);
	char stamp[32];
	json_t *j;

	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	if (!json) {
		fprintf(f, "time=\"%s\" level=error msg=\"", stamp);
		for (; *msg; msg++)
			fprintf(f, strchr("\"\\", *msg) ? "\\%c" : "%c", *msg);
		fputs("\"\n", f);
		return;
	}
	j = json_pack("{s:s, s:s, s:s}", "level", "error", "msg", msg, "time", stamp);
	if (j) {
		json_dumpf(j, f, JSON_COMPACT);
		fputc('\n', f);
		json_decref(j);
	}
}

int cli_fail(const struct ld_globals *g, const struct ld_error *err)
{
	FILE *log;

	fprintf(stderr, "linuxd: %s\n", err->msg);
	if (!g->log || !(log = fopen(g->log, "ae")))
		return 1;
	log_line(log, !strcmp(g->log_format, "json"), err->msg);
	fclose(log);
	return 1;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "root", required_argument, NULL, 'r' },
		{ "log", required_argument, NULL, 'l' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "debug", no_argument, NULL, 'd' },
		{ "platform", required_argument, NULL, 'p' },
		{ "systemd-cgroup", no_argument, NULL, 'S' },
		/* accepted for runc compatibility; it changes nothing here */
		{ "rootless", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 }
	};
	struct ld_globals g = { .root = "/run/linuxd", .log_format = "text",
				.platform = "seccomp" };
	int c;

	while ((c = getopt_long(argc, argv, "+hv", opts, NULL)) != -1) {
		switch (c) {
		case 'r': g.root = optarg; break;
		case 'l': g.log = optarg; break;
		case 'f': g.log_format = optarg; break;
		case 'd': g.debug = true; break;
		case 'p': g.platform = optarg; break;
		case 'S': g.systemd_cgroup = true; break;
		case 'R': break;
		case 'h': usage(stdout); return 0;
		case 'v': printf("linuxd version %s\n", LINUXD_VERSION); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (strcmp(g.log_format, "text") && strcmp(g.log_format, "json")) {
		fprintf(stderr, "linuxd: --log-format: \"%s\" is not text or json\n",
			g.log_format);
		return 1;
	}
	if (strcmp(g.platform, "seccomp") && strcmp(g.platform, "ptrace")) {
		fprintf(stderr, "linuxd: --platform: \"%s\" is not seccomp or ptrace\n",
			g.platform);
		return 1;
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[optind], commands[i].name))
			return commands[i].fn(&g, argc - optind, argv + optind);
	fprintf(stderr, "linuxd: unknown command \"%s\" (see linuxd --help)\n",
		argv[optind]);
	return 1;
}
