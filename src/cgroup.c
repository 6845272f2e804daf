/*
 * The sandbox's host cgroup: the kernel process and every stub it starts
 * live in linux.cgroupsPath (or linuxd/ID), under cgroup v2 or under each
 * v1 hierarchy that has the controller, with linux.resources applied to the
 * whole sandbox.  The guest applies the same limits again inside, to the
 * container's processes.  The directories made are noted in the state
 * directory, for their removal.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>

#include "../common/fsutil.h"
#include "cgroup.h"
#include "util.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define NOTE "cgroups"

/* What the sandbox needs beyond the guest's own limits: the kernel's own
 * memory outside the guest's; host tasks: two threads in the stub of each
 * guest process (seccomp platform), the stubs kept for reuse, the kernel
 * and its file server. */
#define HOST_MEMORY_EXTRA (64LL << 20)
#define HOST_PIDS_PER_PROCESS 2
#define HOST_PIDS_EXTRA 24

/* The v1 hierarchies the sandbox joins, when the host has them. */
static const char *const v1_hierarchies[] = { "memory", "pids", "cpu", "cpuacct" };

struct setting {
	const char *controller, *file;
	char value[64];
};

static int write_file(const char *dir, const char *file, const char *text)
{
	char path[PATH_MAX * 2 + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	return ld_write_text(path, text);
}

/* p without empty, "." and ".." components, as if from the root (a ".."
 * cannot climb above it): "../a//b/." is "a/b".  Returns out. */
static char *clean_path(const char *p, char *out, size_t size)
{
	size_t len = 0, n;

	*out = '\0';
	for (const char *c = p; *c; c += n) {
		c += strspn(c, "/");
		n = strcspn(c, "/");
		if (n == 0 || (n == 1 && c[0] == '.'))
			continue;
		if (n == 2 && c[0] == '.' && c[1] == '.') {
			char *slash = strrchr(out, '/');

			len = slash ? (size_t)(slash - out) : 0;
			out[len] = '\0';
			continue;
		}
		if (len + n + 2 > size)
			break;
		len += snprintf(out + len, size - len, "%s%.*s", len ? "/" : "",
				(int)n, c);
	}
	return out;
}

static bool is_slice(const char *name)
{
	size_t len = strlen(name);

	return len > 6 && !strcmp(name + len - 6, ".slice");
}

/* systemd's slice name as its path: "a-b.slice" is "a.slice/a-b.slice",
 * "-.slice" the root ("").  Returns -1 if slice is no slice name. */
static int expand_slice(const char *slice, char *out, size_t size)
{
	int base = (int)strlen(slice) - 6;
	size_t len = 0;

	*out = '\0';
	if (!is_slice(slice) || strchr(slice, '/'))
		return -1;
	if (!strcmp(slice, "-.slice"))
		return 0;
	for (int i = 0; i <= base; i++) {
		if (i < base && slice[i] != '-')
			continue;
		if (i == 0 || slice[i - 1] == '-' || len + i + 8 > size)
			return -1;	/* "-a.slice", "a--b.slice", "a-.slice" */
		len += snprintf(out + len, size - len, "%s%.*s.slice",
				len ? "/" : "", i, slice);
	}
	return 0;
}

/* --systemd-cgroup's "slice:prefix:name" (p; NULL for ":linuxd:ID") as a
 * path below the hierarchies' root, into rel. */
static int systemd_path(const char *p, const char *id, char *rel, size_t size,
			struct ld_error *err)
{
	char buf[PATH_MAX], slice[PATH_MAX], path[PATH_MAX * 3];
	const char *prefix = "linuxd", *name = id;
	char *c1, *c2;

	snprintf(buf, sizeof(buf), "%s", p ? p : "");
	if (p) {
		c1 = strchr(buf, ':');
		c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || strchr(c2 + 1, ':') || strchr(c1, '/'))
			return ld_error_set(err, EINVAL, "linux.cgroupsPath: \"%s\" is not "
					    "\"slice:prefix:name\" for --systemd-cgroup", p);
		*c1 = *c2 = '\0';
		prefix = c1 + 1;
		name = c2 + 1;
	}
	if (!*buf)
		snprintf(slice, sizeof(slice), "system.slice");
	else if (expand_slice(buf, slice, sizeof(slice)) < 0)
		return ld_error_set(err, EINVAL, "linux.cgroupsPath: \"%s\": "
				    "invalid slice name \"%s\"", p, buf);
	if (is_slice(name))
		snprintf(path, sizeof(path), "%s/%s", slice, name);
	else
		snprintf(path, sizeof(path), "%s/%s-%s.scope", slice, prefix, name);
	clean_path(path, rel, size);
	return 0;
}

/*
 * linux.cgroupsPath as runc takes it, into rel: without --systemd-cgroup a
 * path below each hierarchy's root if absolute, else below the group of
 * linuxd itself (v1) or that group's parent (v2), *below_own then set;
 * with it, "slice:prefix:name" for the group prefix-name.scope in that
 * slice (system.slice if none), or name if name is a slice.  No path:
 * linuxd/ID.
 */
static int cgroup_path(const struct ld_config *c, const char *id,
		       bool systemd, char *rel, size_t size, bool *below_own,
		       struct ld_error *err)
{
	const char *p = c->cgroups_path ? c->cgroups_path : "";

	*below_own = false;
	if (!*p && !systemd) {
		snprintf(rel, size, "linuxd/%s", id);
		return 0;
	}
	if (!systemd) {
		*below_own = *p != '/';
		clean_path(p, rel, size);
		return 0;
	}
	return systemd_path(*p ? p : NULL, id, rel, size, err);
}

/* Whether the comma-separated list holds name */
static bool listed(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
	return false;
}

/* rel in hierarchy h (v1; NULL: v2) into out: below linuxd's own group
 * there (v2: its parent, which has no processes of its own) if below_own. */
static void hierarchy_path(const char *rel, bool below_own, const char *h,
			   char *out, size_t size)
{
	char line[PATH_MAX + 64], own[PATH_MAX * 2 + 2] = "", *list, *path;
	FILE *f = below_own ? fopen("/proc/self/cgroup", "re") : NULL;

	while (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		list = strchr(line, ':');
		path = list ? strchr(list + 1, ':') : NULL;
		if (!path)
			continue;
		*list++ = '\0';
		*path++ = '\0';
		if (h ? listed(list, h) : !strcmp(line, "0") && !*list) {
			snprintf(own, sizeof(own), "%s", path);
			if (!h && strrchr(own, '/'))
				*strrchr(own, '/') = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	snprintf(line, sizeof(line), "%s/%s", own, rel);
	clean_path(line, out, size);
}

static bool unified(void)
{
	struct statfs fs;

	return statfs(CGROUP_ROOT, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* v2: enable the controllers from the root down to rel's parent; the
 * cpuset controller, which not every host delegates, only if asked for. */
static void enable_controllers(const char *rel, bool cpuset)
{
	char dir[PATH_MAX + 32], *slash;

	snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", rel);
	for (slash = dir + strlen(CGROUP_ROOT); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		write_file(dir, "cgroup.subtree_control", "+memory +pids +cpu");
		if (cpuset)
			write_file(dir, "cgroup.subtree_control", "+cpuset");
		*slash = '/';
	}
}

#define SET(s, ctl, name, ...) do { \
	(s)->controller = (ctl); (s)->file = (name); \
	snprintf((s)->value, sizeof((s)->value), __VA_ARGS__); (s)++; } while (0)

/* Limit v as the host's file takes it: v * per + extra, or lifted. */
static const char *host_limit(long long v, long long per, long long extra,
			      const char *lifted, char buf[24])
{
	if (v == LD_NO_LIMIT)
		return lifted;
	snprintf(buf, 24, "%lld", v * per + extra);
	return buf;
}

/* The files to write for linux.resources; returns how many. */
static size_t settings(const struct ld_config *c, bool v2, struct setting *s)
{
	struct setting *start = s;
	char b[24];

	if (c->memory_limit >= 0)
		SET(s, "memory", v2 ? "memory.max" : "memory.limit_in_bytes", "%s",
		    host_limit(c->memory_limit, 1, HOST_MEMORY_EXTRA, v2 ? "max" : "-1", b));
	if (c->memory_reservation >= 0)
		SET(s, "memory", v2 ? "memory.low" : "memory.soft_limit_in_bytes", "%s",
		    host_limit(c->memory_reservation, 1, HOST_MEMORY_EXTRA,
			       v2 ? "max" : "-1", b));
	if (c->pids_limit >= 0)
		SET(s, "pids", "pids.max", "%s", host_limit(c->pids_limit,
		    HOST_PIDS_PER_PROCESS, HOST_PIDS_EXTRA, "max", b));
	if (c->cpu_quota > 0 && v2)
		SET(s, "cpu", "cpu.max", "%s %lld", host_limit(c->cpu_quota, 1, 0, "max", b),
		    c->cpu_period);
	if (c->cpu_quota > 0 && !v2) {
		SET(s, "cpu", "cpu.cfs_period_us", "%lld", c->cpu_period);
		SET(s, "cpu", "cpu.cfs_quota_us", "%s", host_limit(c->cpu_quota, 1, 0, "-1", b));
	}
	if (c->cpu_shares > 0 && v2)	/* v1 shares (2..262144) to a weight */
		SET(s, "cpu", "cpu.weight", "%lld", 1 + (c->cpu_shares - 2) * 9999 / 262142);
	if (c->cpu_shares > 0 && !v2)
		SET(s, "cpu", "cpu.shares", "%lld", c->cpu_shares);
	if (c->cpus)
		SET(s, "cpuset", "cpuset.cpus", "%s", c->cpus);
	if (c->mems)
		SET(s, "cpuset", "cpuset.mems", "%s", c->mems);
	return s - start;
}

/* Make dir (noted for removal) and write the settings that belong there. */
static int make_one(FILE *note, const char *dir, const char *controller,
		    const struct setting *s, size_t n, struct ld_error *err)
{
	if (mkdir_p(dir, 0755) < 0)
		return ld_error_set(err, errno, "cgroup %s", dir);
	fprintf(note, "%s\n", dir);
	fflush(note);
	for (size_t i = 0; i < n; i++)
		if ((!controller || !strcmp(controller, s[i].controller)) &&
		    write_file(dir, s[i].file, s[i].value) < 0)
			return ld_error_set(err, errno, "linux.resources: cgroup %s/%s: %s",
					    dir, s[i].file, s[i].value);
	return 0;
}

/* dir/file's first line, "" if it cannot be read */
static void read_line(const char *dir, const char *file, char *out, int size)
{
	char path[PATH_MAX * 2 + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "re");
	if (!f || !fgets(out, size, f))
		*out = '\0';
	out[strcspn(out, "\n")] = '\0';
	if (f)
		fclose(f);
}

/* v1: a new cpuset has no CPUs and no memory nodes; each level below the
 * hierarchy's root takes its parent's where it has none, then the
 * sandbox's group gets its own. */
static int make_cpuset_v1(FILE *note, const char *rel, const struct setting *s,
			  size_t n, struct ld_error *err)
{
	static const char *const files[] = { "cpuset.cpus", "cpuset.mems" };
	char dir[PATH_MAX * 2], parent[PATH_MAX * 2], value[4096], *slash;
	size_t root = strlen(CGROUP_ROOT "/cpuset");

	snprintf(dir, sizeof(dir), CGROUP_ROOT "/cpuset/%s", rel);
	for (slash = strchr(dir + root + 1, '/'); ; slash = strchr(slash + 1, '/')) {
		if (slash)
			*slash = '\0';
		snprintf(parent, sizeof(parent), "%.*s", (int)(strrchr(dir, '/') - dir), dir);
		if (mkdir(dir, 0755) < 0 && errno != EEXIST)
			return ld_error_set(err, errno, "cgroup %s", dir);
		for (size_t i = 0; i < LD_ARRAY_SIZE(files); i++) {
			read_line(dir, files[i], value, sizeof(value));
			if (!*value)
				read_line(parent, files[i], value, sizeof(value));
			write_file(dir, files[i], value);
		}
		if (!slash)
			break;
		*slash = '/';
	}
	return make_one(note, dir, "cpuset", s, n, err);
}

int ld_cgroup_prepare(const struct ld_config *c, const char *id, bool systemd,
		      const char *state_dir, struct ld_error *err)
{
	char rel[PATH_MAX], hrel[PATH_MAX], dir[PATH_MAX * 2], path[PATH_MAX];
	struct setting s[10];
	bool v2 = unified(), below_own;
	size_t n = settings(c, v2, s), i;
	FILE *note;
	int rc = 0;

	if (cgroup_path(c, id, systemd, rel, sizeof(rel), &below_own, err) < 0)
		return -1;
	if (!*rel)
		return ld_error_set(err, EINVAL, "linux.cgroupsPath: \"%s\" names "
				    "no group below the root", c->cgroups_path);
	snprintf(path, sizeof(path), "%s/" NOTE, state_dir);
	note = fopen(path, "we");
	if (!note)
		return ld_error_set(err, errno, "%s", path);
	if (v2) {
		hierarchy_path(rel, below_own, NULL, hrel, sizeof(hrel));
		enable_controllers(hrel, c->cpus || c->mems);
		snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", hrel);
		rc = make_one(note, dir, NULL, s, n, err);
	}
	for (i = 0; !v2 && rc == 0 && i < LD_ARRAY_SIZE(v1_hierarchies); i++) {
		snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s", v1_hierarchies[i]);
		if (access(dir, F_OK) < 0)
			continue;
		hierarchy_path(rel, below_own, v1_hierarchies[i], hrel, sizeof(hrel));
		snprintf(dir, sizeof(dir), CGROUP_ROOT "/%s/%s", v1_hierarchies[i], hrel);
		rc = make_one(note, dir, v1_hierarchies[i], s, n, err);
	}
	/* always, so that update can set its CPUs and nodes later */
	if (!v2 && rc == 0 && access(CGROUP_ROOT "/cpuset", F_OK) == 0) {
		hierarchy_path(rel, below_own, "cpuset", hrel, sizeof(hrel));
		rc = make_cpuset_v1(note, hrel, s, n, err);
	}
	fclose(note);
	if (rc < 0)
		ld_cgroup_remove(state_dir);
	return rc;
}

/* Each noted cgroup, one line at a time, to fn with arg. */
static int each_cgroup(const char *state_dir,
		       int (*fn)(const char *dir, const void *arg), const void *arg)
{
	char path[PATH_MAX], line[PATH_MAX * 2];
	FILE *note;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/" NOTE, state_dir);
	note = fopen(path, "re");
	if (!note)
		return 0;
	while (fgets(line, sizeof(line), note)) {
		line[strcspn(line, "\n")] = '\0';
		if (fn(line, arg) < 0)
			rc = -1;
	}
	fclose(note);
	return rc;
}

static int join_one(const char *dir, const void *unused)
{
	(void)unused;
	return write_file(dir, "cgroup.procs", "0");
}

int ld_cgroup_join(const char *state_dir)
{
	return each_cgroup(state_dir, join_one, NULL);
}

/* A cgroup whose last process has just died may still be busy a moment. */
static int remove_one(const char *dir, const void *unused)
{
	struct timespec pause = { .tv_nsec = 10 * 1000 * 1000 };

	(void)unused;
	for (int i = 0; i < 300 && rmdir(dir) < 0 && errno == EBUSY; i++)
		nanosleep(&pause, NULL);
	return 0;
}

void ld_cgroup_remove(const char *state_dir)
{
	each_cgroup(state_dir, remove_one, NULL);
}

/* The settings of an update in one noted group: those of its hierarchy
 * (v1) whose file it has. */
struct update {
	const struct setting *s;
	size_t n;
	struct ld_error *err;
};

static int update_one(const char *dir, const void *arg)
{
	const struct update *u = arg;
	char path[PATH_MAX * 2 + 64], hierarchy[64];

	for (size_t i = 0; i < u->n; i++) {
		bool cpuset = !strcmp(u->s[i].controller, "cpuset");

		snprintf(hierarchy, sizeof(hierarchy), CGROUP_ROOT "/%s/", u->s[i].controller);
		snprintf(path, sizeof(path), "%s/%s", dir, u->s[i].file);
		if (!unified() && strncmp(dir, hierarchy, strlen(hierarchy)))
			continue;
		/* v2: a cpuset not asked for at create is enabled now */
		if (cpuset && unified() && access(path, F_OK) < 0)
			enable_controllers(dir + strlen(CGROUP_ROOT "/"), true);
		if (access(path, F_OK) < 0 && cpuset)
			return ld_error_set(u->err, 0, "update: cgroup %s: no cpuset "
					    "controller there", dir);
		if (access(path, F_OK) < 0)
			continue;
		if (ld_write_text(path, u->s[i].value) < 0)
			return ld_error_set(u->err, errno, "update: cgroup %s: %s", path,
					    u->s[i].value);
	}
	return 0;
}

int ld_cgroup_update(const char *state_dir, const struct ld_config *c,
		     struct ld_error *err)
{
	struct setting s[10];
	size_t n = settings(c, unified(), s);

	return each_cgroup(state_dir, update_one,
			   &(struct update){ .s = s, .n = n, .err = err });
}
