/* The container's cgroup inside the guest: every process of the container
 * is in it, so that it can be frozen (pause) and listed (ps). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "init.h"

#define CGROUP "/sys/fs/cgroup/container"

int cgroup_setup(void)
{
	if (mkdir_p("/sys/fs/cgroup", 0755) < 0 ||
	    mount("cgroup2", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0 ||
	    ld_write_text("/sys/fs/cgroup/cgroup.subtree_control",
		       "+memory +pids +cpu") < 0 ||
	    mkdir(CGROUP, 0755) < 0)
		return -1;
	return 0;
}

/* The limits `update` and linux.resources may set. */
static const char *const settable[] = { "memory.max", "memory.swap.max", "memory.low",
					"pids.max", "cpu.max", "cpu.weight" };

/* "FILE VALUE": write VALUE to the container cgroup's FILE. */
int cgroup_set(const char *setting)
{
	char path[128], file[32];
	const char *value = strchr(setting, ' ');
	size_t i;

	if (!value || value - setting >= (long)sizeof(file)) {
		errno = EINVAL;
		return -1;
	}
	snprintf(file, sizeof(file), "%.*s", (int)(value - setting), setting);
	for (i = 0; i < sizeof(settable) / sizeof(settable[0]); i++)
		if (!strcmp(file, settable[i]))
			break;
	if (i == sizeof(settable) / sizeof(settable[0])) {
		errno = EPERM;
		return -1;
	}
	snprintf(path, sizeof(path), CGROUP "/%s", file);
	return ld_write_text(path, value + 1);
}

static long long read_number(const char *file, const char *key)
{
	char path[128], line[256];
	long long v = 0;
	FILE *f;

	snprintf(path, sizeof(path), CGROUP "/%s", file);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f))
		if (!key || !strncmp(line, key, strlen(key)))
			v = atoll(key ? line + strlen(key) : line);
	if (f)
		fclose(f);
	return v;
}

/* Usage of the container's cgroup as "key value" lines. */
void cgroup_stats(char *out, size_t size)
{
	snprintf(out, size,
		 "memory.current %lld\nmemory.max %lld\npids.current %lld\n"
		 "cpu.usage_usec %lld\nmemory.oom_kill %lld\n",
		 read_number("memory.current", NULL),
		 read_number("memory.max", NULL),
		 read_number("pids.current", NULL),
		 read_number("cpu.stat", "usage_usec "),
		 read_number("memory.events", "oom_kill "));
}

/* The cgroup.procs of the container's cgroup, or of the cgroup sub under
 * it unless that is NULL, open for writing; -1 if it cannot be. */
int cgroup_open(const char *sub)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/%s/cgroup.procs", CGROUP,
		     sub ? sub : "") >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(path, O_WRONLY | O_CLOEXEC);
}

/* Move the calling process into the cgroup whose cgroup.procs is fd. */
int cgroup_enter(int fd)
{
	return write(fd, "0", 1) == 1 ? 0 : -1;
}

/* Whether cgroup.events says "frozen 1": the container is paused. */
int cgroup_frozen(void)
{
	char buf[256];
	FILE *f = fopen(CGROUP "/cgroup.events", "re");
	int is = 0;

	while (f && fgets(buf, sizeof(buf), f))
		if (!strcmp(buf, "frozen 1\n"))
			is = 1;
	if (f)
		fclose(f);
	return is;
}

/* Freeze or thaw every process of the container; waits until frozen. */
int cgroup_freeze(bool freeze)
{
	struct timespec tick = { 0, 1000 * 1000 };

	if (ld_write_text(CGROUP "/cgroup.freeze", freeze ? "1" : "0") < 0)
		return -1;
	while (freeze && !cgroup_frozen())
		nanosleep(&tick, NULL);
	return 0;
}

/* The pid as the container's own pid namespace numbers it. */
static int pid_in_container(int pid)
{
	char path[64], line[256];
	FILE *f;
	int inner = pid;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		char *last = strrchr(line, '\t');

		if (!strncmp(line, "NSpid:", 6) && last)
			inner = atoi(last + 1);
	}
	if (f)
		fclose(f);
	return inner;
}

/* "PID COMMAND" lines for the container's processes, pids as the
 * container sees them. */
void cgroup_list(char *out, size_t size)
{
	char line[64], path[64], cmd[256];
	FILE *procs = fopen(CGROUP "/cgroup.procs", "re");
	size_t len = 0;
	int pid, fd;
	ssize_t n;

	out[0] = '\0';
	while (procs && fgets(line, sizeof(line), procs) && len < size) {
		pid = atoi(line);
		snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? 0 : read(fd, cmd, sizeof(cmd) - 1);
		if (fd >= 0)
			close(fd);
		for (ssize_t i = 0; i < n - 1; i++)
			if (!cmd[i])
				cmd[i] = ' ';
		cmd[n > 0 ? n : 0] = '\0';
		len += snprintf(out + len, size - len, "%d %s\n",
				pid_in_container(pid), cmd);
	}
	if (procs)
		fclose(procs);
}
