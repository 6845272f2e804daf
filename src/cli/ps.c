/* `linuxd ps`: the container's processes, pids as the container sees
 * them (they live in the sandbox kernel, not on the host). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/protocol.h"
#include "cli.h"

static void print_json(char *list)
{
	json_t *pids = json_array();
	char *line, *save = NULL;

	for (line = strtok_r(list, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		json_array_append_new(pids, json_integer(atoi(line)));
	json_dumpf(pids, stdout, JSON_COMPACT);
	putchar('\n');
	json_decref(pids);
}

/* Whether pid is one of list's "PID COMMAND" lines */
static bool listed(const char *list, long pid)
{
	for (const char *l = list; *l; l++) {
		if (atol(l) == pid)
			return true;
		l = strchrnul(l, '\n');
		if (!*l)
			break;
	}
	return false;
}

/* The n-th blank-separated field of line (0 first), its length in *len;
 * NULL past the last */
static const char *field(const char *line, int n, size_t *len)
{
	line += strspn(line, " \t");
	while (n-- > 0 && *line) {
		line += strcspn(line, " \t");
		line += strspn(line, " \t");
	}
	*len = strcspn(line, " \t");
	return *len ? line : NULL;
}

/* ps's output, its header and the lines whose PID column is in list */
static int print_listed(char *out, const char *list)
{
	char *save = NULL, *line = strtok_r(out, "\n", &save);
	const char *f;
	int column = 0;
	size_t len;

	while (line && (f = field(line, column, &len)) &&
	       !(len == 3 && !strncmp(f, "PID", 3)))
		column++;
	if (!line || !f) {
		fprintf(stderr, "linuxd: ps: couldn't find PID field in ps output\n");
		return 1;
	}
	puts(line);
	while ((line = strtok_r(NULL, "\n", &save)))
		if ((f = field(line, column, &len)) && listed(list, atol(f)))
			puts(line);
	return 0;
}

/*
 * runc's `ps ID PS-OPTIONS`: runc runs the host's ps and keeps the lines
 * of the container's processes; a sandbox's are not the host's, so the
 * container's own ps runs in it, with those options, and the lines of the
 * processes listed before it started are kept (not its own).
 */
static int run_ps(const struct ld_globals *g, const char *id, char **opts,
		  int n_opts, const char *list)
{
	char **args = calloc(n_opts + 2, sizeof(*args)), *out = NULL;
	size_t size = 0;
	int fds[2], status, rc;
	pid_t child;
	FILE *f;

	if (!args || pipe(fds) < 0 || (child = fork()) < 0) {
		perror("linuxd: ps");
		return 1;
	}
	if (child == 0) {
		struct ld_error err = { 0 };

		args[0] = "ps";
		memcpy(args + 1, opts, n_opts * sizeof(*args));
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		rc = ld_container_exec(g, id, &(struct ld_exec_opts){ .args = args }, &err);
		if (rc < 0)
			fprintf(stderr, "linuxd: ps: PS-OPTIONS are for the container's "
				"own ps: %s\n", err.msg);
		_exit(rc < 0 ? 1 : rc);
	}
	close(fds[1]);
	/* all of it, up to the end: a pipe left full would hold ps up */
	f = fdopen(fds[0], "r");
	if (!f || getdelim(&out, &size, '\0', f) < 0) {
		free(out);
		out = strdup("");
	}
	if (f)
		fclose(f);
	else
		close(fds[0]);
	waitpid(child, &status, 0);
	if (out && WIFEXITED(status) && !WEXITSTATUS(status)) {
		rc = print_listed(out, list);
	} else {
		fputs(out ? out : "", stdout);
		rc = 1;
	}
	free(out);
	free(args);
	return rc;
}

int cli_ps(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static char list[LD_RECORD_MAX];
	const char *format = "table";
	struct ld_error err = { 0 };
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'h':
			printf("usage: linuxd ps [--format table|json] ID [PS-OPTION...]\n\nThe "
			       "container's processes, pids as the container sees them.\n"
			       "With PS-OPTIONS, the container's own ps with them (as runc's\n"
			       "ps runs the host's), keeping the container's processes' lines.\n");
			return 0;
		default: return cli_usage("ps", "unknown option");
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage("ps", "--format must be table or json");
	if (argc - optind < 1)
		return cli_usage("ps", "expects a container ID");
	if (ld_container_ps(g, argv[optind], list, sizeof(list), &err) < 0)
		return cli_fail(g, &err);
	if (!strcmp(format, "json"))
		print_json(list);
	else if (argc - optind > 1)
		return run_ps(g, argv[optind], argv + optind + 1, argc - optind - 1, list);
	else
		printf("PID CMD\n%s", list);
	return 0;
}
