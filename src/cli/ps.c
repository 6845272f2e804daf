/* `linuxd ps`: the container's processes, pids as the container sees
 * them (they live in the sandbox kernel, not on the host). */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
			printf("usage: linuxd ps [--format table|json] ID\n\nThe "
			       "container's processes, pids as the container sees them.\n");
			return 0;
		default: return cli_usage("ps", "unknown option");
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage("ps", "--format must be table or json");
	if (argc - optind != 1)
		return cli_usage("ps", "expects exactly one container ID");
	if (ld_container_ps(g, argv[optind], list, sizeof(list), &err) < 0)
		return cli_fail(g, &err);
	if (!strcmp(format, "json"))
		print_json(list);
	else
		printf("PID CMD\n%s", list);
	return 0;
}
