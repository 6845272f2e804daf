/* `linuxd spec`: the default config.json, close to `runc spec`'s. */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <unistd.h>

#include "container.h"
#include "util.h"

static json_t *default_mounts(void)
{
	return json_pack(
		"[{s:s,s:s,s:s}, {s:s,s:s,s:s,s:[s,s,s,s]},"
		" {s:s,s:s,s:s,s:[s,s,s,s,s,s]}, {s:s,s:s,s:s,s:[s,s,s,s,s]},"
		" {s:s,s:s,s:s,s:[s,s,s]}, {s:s,s:s,s:s,s:[s,s,s,s]},"
		" {s:s,s:s,s:s,s:[s,s,s,s,s]}]",
		"destination", "/proc", "type", "proc", "source", "proc",
		"destination", "/dev", "type", "tmpfs", "source", "tmpfs",
		"options", "nosuid", "strictatime", "mode=755", "size=65536k",
		"destination", "/dev/pts", "type", "devpts", "source", "devpts",
		"options", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
		"mode=0620", "gid=5",
		"destination", "/dev/shm", "type", "tmpfs", "source", "shm",
		"options", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k",
		"destination", "/dev/mqueue", "type", "mqueue", "source", "mqueue",
		"options", "nosuid", "noexec", "nodev",
		"destination", "/sys", "type", "sysfs", "source", "sysfs",
		"options", "nosuid", "noexec", "nodev", "ro",
		"destination", "/sys/fs/cgroup", "type", "cgroup", "source", "cgroup",
		"options", "nosuid", "noexec", "nodev", "relatime", "ro");
}

/* runc's: what root in the container may do, and what of /proc and /sys
 * it may not see or change. */
static json_t *default_capabilities(void)
{
	json_t *names = json_pack("[s,s,s]", "CAP_AUDIT_WRITE", "CAP_KILL",
				  "CAP_NET_BIND_SERVICE");

	return json_pack("{s:O, s:O, s:o}", "bounding", names, "effective", names,
			 "permitted", names);
}

static json_t *default_spec(void)
{
	return json_pack(
		"{s:s, s:{s:b, s:{s:i, s:i}, s:[s], s:[s,s], s:s, s:o,"
		" s:[{s:s, s:i, s:i}], s:b},"
		" s:{s:s, s:b}, s:s, s:o,"
		" s:{s:[{s:s},{s:s},{s:s},{s:s},{s:s}], s:[s,s,s,s,s,s,s,s,s,s],"
		" s:[s,s,s,s,s]}}",
		"ociVersion", "1.2.0",
		"process", "terminal", 1, "user", "uid", 0, "gid", 0,
		"args", "sh",
		"env", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"TERM=xterm", "cwd", "/", "capabilities", default_capabilities(),
		"rlimits", "type", "RLIMIT_NOFILE", "hard", 1024, "soft", 1024,
		"noNewPrivileges", 1,
		"root", "path", "rootfs", "readonly", 1,
		"hostname", "linuxd",
		"mounts", default_mounts(),
		"linux", "namespaces", "type", "pid", "type", "network",
		"type", "ipc", "type", "uts", "type", "mount",
		"maskedPaths", "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
		"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
		"/proc/sched_debug", "/sys/firmware", "/proc/scsi",
		"readonlyPaths", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
		"/proc/sysrq-trigger");
}

int ld_spec_write(const char *dir, struct ld_error *err)
{
	cleanup_free char *path = NULL;
	json_t *spec = default_spec();
	FILE *f;
	int fd, rc;

	if (!spec || asprintf(&path, "%s/config.json", dir) < 0)
		return ld_error_set(err, ENOMEM, "default spec");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		json_decref(spec);
		if (errno == EEXIST)
			return ld_error_set(err, 0, "%s exists; remove it first", path);
		return ld_error_set(err, errno, "%s", path);
	}
	f = fdopen(fd, "w");
	rc = json_dumpf(spec, f, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	json_decref(spec);
	if (rc < 0 || fputc('\n', f) == EOF || fclose(f) == EOF) {
		unlink(path);
		return ld_error_set(err, errno ?: EIO, "%s", path);
	}
	return 0;
}
