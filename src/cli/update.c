/* `linuxd update` and `linuxd events`: the container's cgroup in the
 * guest, its limits and its usage. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/protocol.h"
#include "../config.h"
#include "cli.h"

static const char update_help[] =
	"usage: linuxd update [options] ID\n\n"
	"Change the limits of a container, inside its kernel and in its host cgroup.\n\n"
	"  -r, --resources FILE   linux.resources JSON (memory, pids, cpu); - reads stdin;\n"
	"                         the other options are then left out, as runc's are\n"
	"      --memory BYTES     --memory-swap BYTES   --memory-reservation BYTES\n"
	"      --pids-limit N     (sizes may end in k, m, g, t; -1: no limit)\n"
	"      --cpu-quota US     --cpu-period US       --cpu-share N\n"
	"      --cpuset-cpus LIST --cpuset-mems LIST    (host CPUs and memory nodes)\n";

struct limits {
	/* 0: unset, -1: no limit */
	long long memory, swap, reservation, pids, quota, period, shares;
	const char *cpus, *mems;	/* NULL: unset */
};

/* A cpuset list, "0-3,5", given as what (an option, a field) */
static int cpuset_value(const char *what, const char *arg)
{
	if (*arg && isdigit((unsigned char)*arg) &&
	    strspn(arg, "0123456789,-") == strlen(arg))
		return 0;
	fprintf(stderr, "linuxd: update: %s \"%s\": expected a list such as 0-3,5\n",
		what, arg);
	return -1;
}

/* One option's value: a positive whole number; for a limit (kind 'l' or
 * 's') also "-1", no limit; for a size ('s') with a unit of 1024s as runc
 * takes them (k, m, g, t, p; "b" or "ib" after it allowed, any case:
 * 200M, 1gib). */
static int option_value(const char *opt, const char *arg, char kind, long long *v)
{
	static const char units[] = "kmgtp";
	const char *u;
	char *end;

	errno = 0;
	*v = strtoll(arg, &end, 10);
	if (kind == 's' && *end && (u = strchr(units, tolower((unsigned char)*end)))) {
		for (long i = 0; i <= u - units; i++)
			*v = *v > LLONG_MAX / 1024 ? LLONG_MAX : *v * 1024;
		end++;
		if (tolower((unsigned char)*end) == 'i' && tolower((unsigned char)end[1]) == 'b')
			end += 2;
		else if (tolower((unsigned char)*end) == 'b')
			end++;
	}
	if (end == arg || *end || errno || *v == 0 || *v == LLONG_MAX ||
	    *v < (kind == 'p' ? 1 : -1)) {
		fprintf(stderr, "linuxd: update: --%s \"%s\": expected %s\n", opt, arg,
			kind == 's' ? "a size in bytes (or with k, m, g, t), or -1" :
			kind == 'l' ? "a positive number, or -1" : "a positive number");
		return -1;
	}
	return 0;
}

/* cpu.KEY of resources r, read from path, into *out (a copy) */
static int cpuset_field(const char *path, json_t *r, const char *key, const char **out)
{
	json_t *v = json_object_get(json_object_get(r, "cpu"), key);
	char what[PATH_MAX + 32];

	if (!v || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	snprintf(what, sizeof(what), "%s: cpu.%s", path, key);
	if (!json_is_string(v)) {
		fprintf(stderr, "linuxd: update: %s: expected a string\n", what);
		return -1;
	}
	*out = strdup(json_string_value(v));
	return cpuset_value(what, *out);
}

/* runc's options for what a sandbox has no use for: named, nothing changed */
static int unsupported(const char *opt)
{
	fprintf(stderr, "linuxd: update: --%s: %s\n", opt,
		!strncmp(opt, "blkio", 5) ?
		"block I/O weights are not supported: the container's files are "
		"reached through its file server" :
		!strncmp(opt, "cpu-rt", 6) ?
		"realtime CPU time is not supported: the container's processes are "
		"scheduled by its own kernel" :
		"Intel RDT is not supported");
	return 1;
}

/* Whether r sets obj.key, to other than 0 (runc's unchanged) */
static bool unsupported_field(json_t *r, const char *obj, const char *key)
{
	json_t *v = json_object_get(json_object_get(r, obj), key);

	return v && !(json_is_integer(v) && json_integer_value(v) == 0);
}

/* linux.resources as JSON, from PATH or "-" (stdin): the integers this
 * command applies, each positive, or -1 (no limit) where the option takes
 * it (kind 'l'). */
static int resources_file(const char *path, struct limits *l)
{
	static const char *const fields[][3] = {
		{ "memory", "limit", "l" }, { "memory", "swap", "l" },
		{ "memory", "reservation", "l" }, { "pids", "limit", "l" },
		{ "cpu", "quota", "l" }, { "cpu", "period", "p" },
		{ "cpu", "shares", "p" },
	};
	long long *to[] = { &l->memory, &l->swap, &l->reservation, &l->pids,
			    &l->quota, &l->period, &l->shares };
	json_error_t e;
	json_t *v, *r = strcmp(path, "-") ? json_load_file(path, 0, &e) :
					       json_loadf(stdin, 0, &e);
	size_t i;

	if (!r) {
		fprintf(stderr, "linuxd: update: %s: %s\n", path, e.text);
		return -1;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		v = json_object_get(json_object_get(r, fields[i][0]), fields[i][1]);
		if (v && !json_is_integer(v))
			break;
		*to[i] = v ? json_integer_value(v) : 0;
		if (*to[i] < (fields[i][2][0] == 'l' ? -1 : 0))
			break;
	}
	if (i < sizeof(fields) / sizeof(fields[0])) {
		fprintf(stderr, "linuxd: update: %s: %s.%s: expected %s\n",
			path, fields[i][0], fields[i][1],
			!json_is_integer(v) ? "an integer" :
			fields[i][2][0] == 'l' ? "a positive integer, or -1" :
			"a positive integer");
		json_decref(r);
		return -1;
	}
	i = cpuset_field(path, r, "cpus", &l->cpus) < 0 ||
	    cpuset_field(path, r, "mems", &l->mems) < 0 ||
	    (unsupported_field(r, "blockIO", "weight") &&
	     unsupported("blkio-weight")) ||
	    (unsupported_field(r, "cpu", "realtimeRuntime") &&
	     unsupported("cpu-rt-runtime")) ||
	    (unsupported_field(r, "cpu", "realtimePeriod") &&
	     unsupported("cpu-rt-period"));
	json_decref(r);
	return i ? -1 : 0;
}

/* A limit as a cgroup file takes it. */
static const char *limit_text(long long v, char buf[24])
{
	if (v < 0)
		return "max";
	snprintf(buf, 24, "%lld", v);
	return buf;
}

/* "FILE VALUE" settings for the guest cgroup, NULL-terminated. */
static void to_settings(const struct limits *l, char **out)
{
	char buf[24];
	int n = 0;

	if (l->memory)
		asprintf(&out[n++], "memory.max %s", limit_text(l->memory, buf));
	if (l->swap)
		asprintf(&out[n++], "memory.swap.max %s", limit_text(l->swap, buf));
	if (l->reservation)
		asprintf(&out[n++], "memory.low %s", limit_text(l->reservation, buf));
	if (l->pids)
		asprintf(&out[n++], "pids.max %s", limit_text(l->pids, buf));
	if (l->quota)
		asprintf(&out[n++], "cpu.max %s %lld", limit_text(l->quota, buf), l->period > 0 ? l->period : 100000);
	if (l->shares)	/* cgroup v1 shares (2..262144) to v2 weight (1..10000) */
		asprintf(&out[n++], "cpu.weight %lld", 1 + (l->shares - 2) * 9999 / 262142);
	out[n] = NULL;
}

/* The same limits for the sandbox's host cgroup: unset -1 (0 for the cpu
 * quota), lifted LD_NO_LIMIT. */
static void to_host(const struct limits *l, struct ld_config *c)
{
	c->memory_limit = !l->memory ? -1 : l->memory < 0 ? LD_NO_LIMIT : l->memory;
	c->memory_reservation = !l->reservation ? -1 :
				l->reservation < 0 ? LD_NO_LIMIT : l->reservation;
	c->pids_limit = !l->pids ? -1 : l->pids < 0 ? LD_NO_LIMIT : l->pids;
	c->cpu_quota = l->quota < 0 ? LD_NO_LIMIT : l->quota;
	c->cpu_period = l->period > 0 ? l->period : 100000;
	c->cpu_shares = l->shares;
	c->cpus = (char *)l->cpus;
	c->mems = (char *)l->mems;
}

int cli_update(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "resources", required_argument, NULL, 'r' },
		{ "memory", required_argument, NULL, 'm' },
		{ "memory-swap", required_argument, NULL, 's' },
		{ "memory-reservation", required_argument, NULL, 'R' },
		{ "cpuset-cpus", required_argument, NULL, 'C' },
		{ "cpuset-mems", required_argument, NULL, 'M' },
		{ "blkio-weight", required_argument, NULL, 'U' },
		{ "cpu-rt-period", required_argument, NULL, 'U' },
		{ "cpu-rt-runtime", required_argument, NULL, 'U' },
		{ "l3-cache-schema", required_argument, NULL, 'U' },
		{ "mem-bw-schema", required_argument, NULL, 'U' },
		{ "pids-limit", required_argument, NULL, 'p' },
		{ "cpu-quota", required_argument, NULL, 'q' },
		{ "cpu-period", required_argument, NULL, 'P' },
		{ "cpu-share", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct limits l = { 0 };
	struct ld_config host = { 0 };
	struct ld_error err = { 0 };
	char *settings[10];
	const char *file = NULL, *unsup = NULL;
	int c, rc, bad = 0, index;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+r:h", opts, &index)) != -1) {
		switch (c) {
		case 'r': file = optarg; break;
		case 'm': bad |= option_value("memory", optarg, 's', &l.memory); break;
		case 's': bad |= option_value("memory-swap", optarg, 's', &l.swap); break;
		case 'R': bad |= option_value("memory-reservation", optarg, 's', &l.reservation); break;
		case 'C': bad |= cpuset_value("--cpuset-cpus", l.cpus = optarg); break;
		case 'M': bad |= cpuset_value("--cpuset-mems", l.mems = optarg); break;
		case 'p': bad |= option_value("pids-limit", optarg, 'l', &l.pids); break;
		case 'q': bad |= option_value("cpu-quota", optarg, 'l', &l.quota); break;
		case 'P': bad |= option_value("cpu-period", optarg, 'p', &l.period); break;
		case 'S': bad |= option_value("cpu-share", optarg, 'p', &l.shares); break;
		case 'U': unsup = opts[index].name; break;
		case 'h': fputs(update_help, stdout); return 0;
		default: return cli_usage("update", "unknown option");
		}
	}
	/* as runc's: with -r, the other options are left out */
	if (file) {
		memset(&l, 0, sizeof(l));
		if (resources_file(file, &l) < 0)
			return 1;
	} else if (unsup) {
		return unsupported(unsup);
	} else if (bad) {
		return 1;
	}
	if (argc - optind != 1)
		return cli_usage("update", "expects exactly one container ID");
	to_settings(&l, settings);
	to_host(&l, &host);
	rc = ld_container_update(g, argv[optind], settings, &host, &err);
	for (int i = 0; settings[i]; i++)
		free(settings[i]);
	return rc < 0 ? cli_fail(g, &err) : 0;
}

static long long stat_of(const char *stats, const char *key)
{
	const char *p = strstr(stats, key);

	return p ? atoll(p + strlen(key)) : 0;
}

/* One stats event, shaped like runc's. */
static void print_stats(const char *id, const char *stats)
{
	json_t *e = json_pack("{s:s, s:s, s:{s:{s:{s:I}}, s:{s:{s:I, s:I}}, s:{s:I}}}",
		"type", "stats", "id", id, "data",
		"cpu", "usage", "total", (json_int_t)stat_of(stats, "cpu.usage_usec ") * 1000,
		"memory", "usage", "usage", (json_int_t)stat_of(stats, "memory.current "),
		"limit", (json_int_t)stat_of(stats, "memory.max "),
		"pids", "current", (json_int_t)stat_of(stats, "pids.current "));

	json_dumpf(e, stdout, JSON_COMPACT);
	putchar('\n');
	fflush(stdout);
	json_decref(e);
}

/* A process of the container was killed for want of memory. */
static void print_oom(const char *id)
{
	json_t *e = json_pack("{s:s, s:s}", "type", "oom", "id", id);

	json_dumpf(e, stdout, JSON_COMPACT);
	putchar('\n');
	fflush(stdout);
	json_decref(e);
}

/* --interval as runc takes it, "5s", "1m30s", "500ms": whole seconds, 1
 * at least, as usage is looked at every second. */
static int interval_seconds(const char *arg)
{
	static const struct { const char *unit; double seconds; } units[] = {
		{ "ms", 0.001 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
	};
	const char *p = arg;
	double total = 0;
	char *end;

	do {
		double v = strtod(p, &end);
		size_t i;

		for (i = 0; end != p && i < sizeof(units) / sizeof(units[0]); i++)
			if (!strncmp(end, units[i].unit, strlen(units[i].unit)))
				break;
		if (end == p || i == sizeof(units) / sizeof(units[0]) || !(v >= 0)) {
			fprintf(stderr, "linuxd: events: --interval \"%s\": expected a "
				"duration such as 5s or 1m\n", arg);
			return -1;
		}
		total += v * units[i].seconds;
		p = end + strlen(units[i].unit);
	} while (*p);
	return total < 1 ? 1 : total > 86400 ? 86400 : (int)total;
}

int cli_events(const struct ld_globals *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "stats", no_argument, NULL, 's' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char stats[LD_RECORD_MAX];
	struct ld_error err = { 0 };
	bool once = false;
	int c, interval = 5;
	long long oom_kills = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 's': once = true; break;
		case 'i':
			if ((interval = interval_seconds(optarg)) < 0)
				return 1;
			break;
		case 'h':
			printf("usage: linuxd events [--stats] [--interval DURATION] ID\n\n"
			       "Usage statistics of the container as JSON: once with\n"
			       "--stats, else every interval until it stops, and an\n"
			       "\"oom\" event when a process of it is killed for want\n"
			       "of memory.\n");
			return 0;
		default: return cli_usage("events", "unknown option");
		}
	}
	if (argc - optind != 1)
		return cli_usage("events", "expects exactly one container ID");
	/* a look every second, for OOM kills; stats every interval, until
	 * the container is gone */
	for (int tick = 0;; tick++) {
		if (ld_container_stats(g, argv[optind], stats, sizeof(stats), &err) < 0)
			return once || tick == 0 ? cli_fail(g, &err) : 0;
		if (tick > 0 && stat_of(stats, "memory.oom_kill ") > oom_kills)
			print_oom(argv[optind]);
		oom_kills = stat_of(stats, "memory.oom_kill ");
		if (tick % interval == 0)
			print_stats(argv[optind], stats);
		if (once)
			return 0;
		sleep(1);
	}
}
