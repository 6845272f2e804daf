/* `linuxd list`: the containers under --root, as a table or JSON. */
#include <dirent.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Who made the container: the owner of its state directory. */
static const char *owner_of(const struct ld_state *st, char buf[16])
{
	struct passwd *pw;
	struct stat sb;

	if (stat(st->dir, &sb) < 0)
		return "";
	pw = getpwuid(sb.st_uid);
	if (pw)
		return pw->pw_name;
	snprintf(buf, 16, "#%u", (unsigned int)sb.st_uid);
	return buf;
}

/* The container's root.path, from the config saved at create. */
static json_t *rootfs_of(const struct ld_state *st)
{
	char path[PATH_MAX + 16];
	json_t *config, *rootfs;
	const char *root;

	snprintf(path, sizeof(path), "%s/config.json", st->dir);
	config = json_load_file(path, 0, NULL);
	root = json_string_value(json_object_get(json_object_get(config, "root"), "path"));
	rootfs = root && root[0] == '/' ? json_string(root) :
		 root ? json_sprintf("%s/%s", st->bundle, root) : json_string("");
	json_decref(config);
	return rootfs;
}

static void print_row(const char *format, bool quiet, const struct ld_state *st,
		      json_t *all)
{
	char buf[16];

	if (quiet)
		printf("%s\n", st->id);
	else if (!strcmp(format, "json"))
		json_array_append_new(all, json_pack("{s:s, s:s, s:i, s:s, s:s, s:o, s:s, s:s}",
			"ociVersion", "1.2.0", "id", st->id, "pid", (int)st->pid,
			"status", st->status, "bundle", st->bundle,
			"rootfs", rootfs_of(st), "created", st->created,
			"owner", owner_of(st, buf)));
	else
		printf("%-20s %-8d %-10s %-40s %-30s %s\n", st->id, st->pid, st->status,
		       st->bundle, st->created, owner_of(st, buf));
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
		printf("%-20s %-8s %-10s %-40s %-30s %s\n", "ID", "PID", "STATUS",
		       "BUNDLE", "CREATED", "OWNER");
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
