/* `linuxd list`: the containers under --root, as a table or JSON. */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void print_row(const char *format, bool quiet, const struct ld_state *st,
		      json_t *all)
{
	if (quiet)
		printf("%s\n", st->id);
	else if (!strcmp(format, "json"))
		json_array_append_new(all, json_pack("{s:s, s:s, s:i, s:s, s:s}",
			"id", st->id, "status", st->status, "pid", (int)st->pid,
			"bundle", st->bundle, "created", st->created));
	else
		printf("%-20s %-8d %-10s %-40s %s\n", st->id, st->pid, st->status,
		       st->bundle, st->created);
}

int cli_list(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *format = "table";
	json_t *all = json_array();
	struct ld_error err = { 0 };
	struct ld_state st;
	struct dirent *e;
	bool quiet = false;
	DIR *d;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': format = optarg; break;
		case 'q': quiet = true; break;
		case 'h':
			printf("usage: linuxd list [--format table|json] [-q]\n");
			return 0;
		default: return cli_usage("list", "unknown option");
		}
	}
	if (strcmp(format, "table") && strcmp(format, "json"))
		return cli_usage("list", "--format must be table or json");
	if (!quiet && !strcmp(format, "table"))
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS",
		       "BUNDLE", "CREATED");
	d = opendir(g->root);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' ||
		    ld_container_state(g, e->d_name, &st, &err) < 0)
			continue;
		print_row(format, quiet, &st, all);
	}
	if (d)
		closedir(d);
	if (!quiet && !strcmp(format, "json")) {
		json_dumpf(all, stdout, JSON_COMPACT);
		putchar('\n');
	}
	json_decref(all);
	return 0;
}
