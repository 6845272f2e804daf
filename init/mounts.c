#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "../common/mountopts.h"
#include "init.h"

/* Where a bind mount's host directory is attached on its way in. */
#define STAGING "/staging"

/* The mount point for a mount of something like `like` (file or dir). */
static int make_target(const char *target, const char *like)
{
	struct stat st;

	return ld_mount_point(target, !like || stat(like, &st) < 0 ||
				      S_ISDIR(st.st_mode));
}

/* A host path, through hostfs: its directory at STAGING, then bound. */
static int mount_bind(const struct init_mount *m, const char *target,
		      unsigned long flags)
{
	char dir[PATH_MAX], base[PATH_MAX], staged[PATH_MAX + 16];
	int rc;

	snprintf(dir, sizeof(dir), "%s", m->source);
	snprintf(base, sizeof(base), "%s", m->source);
	if (mkdir_p(STAGING, 0700) < 0 ||
	    mount("hostfs", STAGING, "hostfs", 0, dirname(dir)) < 0)
		return -1;
	snprintf(staged, sizeof(staged), STAGING "/%s", basename(base));
	if (!strcmp(m->source, "/"))
		snprintf(staged, sizeof(staged), STAGING);
	rc = make_target(target, staged);
	if (rc == 0)
		rc = mount(staged, target, NULL, MS_BIND | MS_REC, NULL);
	if (rc == 0 && (flags & ~(MS_BIND | MS_REC)))
		rc = mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | flags, NULL);
	umount2(STAGING, MNT_DETACH);
	return rc;
}

static int mount_one(const struct init_mount *m, const char *root_dir)
{
	char target[PATH_MAX], data[4096];
	unsigned long flags = ld_mount_options(m->options, data, sizeof(data));
	const char *type = m->type;
	bool existed;
	struct stat st;

	if (snprintf(target, sizeof(target), "%s%s", root_dir, m->destination) >=
	    (int)sizeof(target)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (!strcmp(type, "bind") || (flags & MS_BIND))
		return mount_bind(m, target, flags);
	if (!strcmp(type, "cgroup"))
		type = "cgroup2";
	/* a tmpfs on a directory there already takes its mode, as runc
	 * mounts it (a new one keeps its own, mode= or 1777) */
	existed = !strcmp(type, "tmpfs") && stat(target, &st) == 0;
	if (mkdir_p(target, 0755) < 0 ||
	    mount(m->source, target, type, flags, data[0] ? data : NULL) < 0)
		return -1;
	return existed ? chmod(target, st.st_mode & 07777) : 0;
}

/* With process.terminal the process's terminal is the guest's tty1; bound
 * into the container as itself and as /dev/console, so that it is the
 * same file there (ttyname() compares inodes). */
static void terminal_devices(const char *root_dir)
{
	static const char *const names[] = { "tty1", "console" };
	char path[PATH_MAX];
	int fd;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/dev/%s", root_dir, names[i]);
		unlink(path);
		fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0)
			close(fd);
		mount("/dev/tty1", path, NULL, MS_BIND, NULL);
	}
}

/* Device nodes every container expects when its /dev is a fresh tmpfs. */
static void default_devices(const char *root_dir)
{
	static const struct {
		const char *name;
		unsigned int major, minor;
	} nodes[] = {
		{ "null", 1, 3 }, { "zero", 1, 5 }, { "full", 1, 7 },
		{ "random", 1, 8 }, { "urandom", 1, 9 }, { "tty", 5, 0 },
	};
	static const char *links[][2] = {
		{ "pts/ptmx", "ptmx" }, { "/proc/self/fd", "fd" },
		{ "/proc/self/fd/0", "stdin" }, { "/proc/self/fd/1", "stdout" },
		{ "/proc/self/fd/2", "stderr" },
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		snprintf(path, sizeof(path), "%s/dev/%s", root_dir, nodes[i].name);
		mknod(path, S_IFCHR | 0666, makedev(nodes[i].major, nodes[i].minor));
		chmod(path, 0666);
	}
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(path, sizeof(path), "%s/dev/%s", root_dir, links[i][1]);
		symlink(links[i][0], path);
	}
}

/* linux.sysctl, "KEY VALUE": the file of KEY under /proc/sys, written
 * in the container's own ipc namespace.  Dots separate its parts unless
 * slashes do. */
static int set_sysctls(const struct init_settings *s, char *err, size_t size)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < s->n_sysctl; i++) {
		const char *kv = s->sysctl[i], *value = strchr(kv, ' ');
		int len = value ? value - kv : (int)strlen(kv);
		bool slashes = memchr(kv, '/', len);

		snprintf(path, sizeof(path), "/proc/sys/%.*s", len, kv);
		for (char *p = path + strlen("/proc/sys/"); !slashes && *p; p++)
			if (*p == '.')
				*p = '/';
		if (!value || ld_write_text(path, value + 1) < 0) {
			snprintf(err, size, "linux.sysctl \"%.*s\": %s", len, kv,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* linux.maskedPaths: an empty read-only directory, or /dev/null, over
 * each one there is. */
static int mask_path(const char *target)
{
	struct stat st;

	if (stat(target, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return mount("tmpfs", target, "tmpfs", MS_RDONLY, "size=0");
	return mount("/dev/null", target, NULL, MS_BIND, NULL);
}

/* linux.readonlyPaths: each one there is, bound on itself read-only,
 * keeping its other flags. */
static int readonly_path(const char *target)
{
	static const struct { unsigned long st, ms; } kept[] = {
		{ ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
	};
	unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY;
	struct statvfs sv;

	if (mount(target, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : -1;
	if (statvfs(target, &sv) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (sv.f_flag & kept[i].st)
			flags |= kept[i].ms;
	return mount(NULL, target, NULL, flags, NULL);
}

/* Each of paths under root_dir through fn; the one that fails named. */
static int for_paths(char **paths, size_t n, int (*fn)(const char *),
		     const char *field, const char *root_dir, char *err, size_t size)
{
	char target[PATH_MAX];

	for (size_t i = 0; i < n; i++) {
		snprintf(target, sizeof(target), "%s%s", root_dir, paths[i]);
		if (fn(target) < 0) {
			snprintf(err, size, "%s \"%s\": %s", field, paths[i], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * The rootfs, through hostfs with the "cache" option: no one but the
 * container writes it, so the guest keeps its entries, attributes and
 * pages as a disk's (bind mounts, maybe shared, ask the host each time).
 */
static int mount_rootfs(const char *path, const char *target)
{
	int fs = fsopen("hostfs", FSOPEN_CLOEXEC), mnt = -1, rc = -1, err;

	if (fs < 0)
		return -1;
	if (fsconfig(fs, FSCONFIG_SET_STRING, "hostfs", path, 0) == 0 &&
	    fsconfig(fs, FSCONFIG_SET_FLAG, "cache", NULL, 0) == 0 &&
	    fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0 &&
	    (mnt = fsmount(fs, FSMOUNT_CLOEXEC, 0)) >= 0)
		rc = move_mount(mnt, "", AT_FDCWD, target, MOVE_MOUNT_F_EMPTY_PATH);
	err = errno;
	close(fs);
	if (mnt >= 0)
		close(mnt);
	errno = err;
	return rc;
}

int mounts_prepare(const struct init_settings *s, const char *root_dir,
		   char *err, size_t size)
{
	bool dev_tmpfs = false;
	char path[PATH_MAX];
	size_t i;

	if (mount_rootfs(s->root, root_dir) < 0) {
		snprintf(err, size, "root.path %s: mount: %s", s->root, strerror(errno));
		return -1;
	}
	for (i = 0; i < s->n_mounts; i++) {
		const struct init_mount *m = &s->mounts[i];

		if (mount_one(m, root_dir) < 0) {
			snprintf(err, size, "mounts[%zu] (%s on %s): %s", i, m->type,
				 m->destination, strerror(errno));
			return -1;
		}
		if (!strcmp(m->destination, "/dev") && !strcmp(m->type, "tmpfs"))
			dev_tmpfs = true;
	}
	if (dev_tmpfs)
		default_devices(root_dir);
	if (dev_tmpfs && s->terminal)
		terminal_devices(root_dir);
	if (set_sysctls(s, err, size) < 0 ||
	    for_paths(s->masked, s->n_masked, mask_path, "linux.maskedPaths",
		      root_dir, err, size) < 0 ||
	    for_paths(s->readonly, s->n_readonly, readonly_path, "linux.readonlyPaths",
		      root_dir, err, size) < 0)
		return -1;
	/* process.cwd, made if missing, as runc makes it (where it cannot be,
	 * entering it names it) */
	if (s->cwd && snprintf(path, sizeof(path), "%s%s", root_dir, s->cwd) <
	    (int)sizeof(path))
		mkdir_p(path, 0755);
	if (s->root_readonly &&
	    mount(NULL, root_dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) < 0) {
		snprintf(err, size, "root.readonly: %s", strerror(errno));
		return -1;
	}
	return 0;
}
