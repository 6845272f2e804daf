/*
 * The sandbox kernel process's private root: in the kernel's own mount
 * namespace, a read-only tmpfs that holds, at their host paths, only the
 * container's rootfs and the sources of its bind mounts (read-only as the
 * spec says; a read-only rootfs once the guest has made its mount points).  The kernel makes
 * it its root once booted (its jail= option), so guest root mounting
 * hostfs with any other host path finds nothing there.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/caps.h"
#include "../common/fsutil.h"
#include "../common/mountopts.h"
#include "jail.h"
#include "util.h"

/* Make the mount at path (from dirfd, as mount_setattr(2) takes them) and
 * every mount below it nosuid and nodev, and read-only if ro: the file
 * server, root in its own user namespace, must neither reach a device
 * through a node nor write under a read-only source, submounts included. */
static int restrict_tree(int dirfd, const char *path, unsigned int flags,
			 bool ro)
{
	struct mount_attr attr = {
		.attr_set = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			    (ro ? MOUNT_ATTR_RDONLY : 0),
	};

	return syscall(SYS_mount_setattr, dirfd, path, flags | AT_RECURSIVE,
		       &attr, sizeof(attr));
}

/* Open path below the private root rootfd (O_PATH), following no symbolic
 * link and never leaving it. */
static int open_beneath(int rootfd, const char *path)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH };

	return syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* The mount point for the absolute host path under the private root
 * rootfd, a directory or (!dir) a file, made as need be one component at
 * a time, following no symbolic link: an earlier bind source, which a
 * container or the host may write, may lie on the way.  An O_PATH
 * descriptor of it, or -1. */
static int mount_point(int rootfd, const char *path, bool dir)
{
	char buf[PATH_MAX], *name, *next;
	int fd = fcntl(rootfd, F_DUPFD_CLOEXEC, 0), sub, made;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (name = buf; fd >= 0 && *name; name = next) {
		next = strchrnul(name, '/');
		if (*next)
			*next++ = '\0';
		if (!*name)
			continue;
		if (dir || *next)
			made = mkdirat(fd, name, 0755) < 0 && errno != EEXIST ? -1 : 0;
		else
			made = openat(fd, name, O_CREAT | O_RDONLY | O_NOFOLLOW |
				      O_CLOEXEC, 0644);
		if (made > 0)
			close(made);
		sub = made < 0 && errno != EISDIR ? -1 : open_beneath(fd, name);
		close(fd);
		fd = sub;
	}
	return fd;
}

/* Bind host path at the same path under the private root rootfd (with the
 * mounts below it if flags has MS_REC), read-only if flags has MS_RDONLY.
 * The path was resolved at create: a symbolic link put in its way since
 * is not followed. */
static int bind_same(int rootfd, const char *path, unsigned long flags,
		     const char *what)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };
	char target[32], fd_path[32];
	cleanup_close int fd = -1, tfd = -1, mfd = -1;
	struct stat st;

	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd < 0 && errno == ENOENT && strcmp(what, "root.path"))
			return 0;	/* the guest names the mount that cannot be made */
		goto fail;
	}
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	tfd = mount_point(rootfd, path, S_ISDIR(st.st_mode));
	if (tfd < 0)
		goto fail;
	snprintf(target, sizeof(target), "/proc/self/fd/%d", tfd);
	if (mount(fd_path, target, NULL, MS_BIND | (flags & MS_REC), NULL) < 0 ||
	    (mfd = open_beneath(rootfd, path + 1)) < 0 ||
	    restrict_tree(mfd, "", AT_EMPTY_PATH, flags & MS_RDONLY) < 0)
		goto fail;
	return 0;
fail:
	dprintf(2, "linuxd: private root: %s %s: %s\n", what, path, strerror(errno));
	return -1;
}

static int by_length(const void *a, const void *b)
{
	const struct ld_mount *ma = *(const struct ld_mount *const *)a;
	const struct ld_mount *mb = *(const struct ld_mount *const *)b;
	size_t la = strlen(ma->source), lb = strlen(mb->source);

	return la < lb ? -1 : la > lb;
}

/* The bind sources, shortest path first, so that a source inside another
 * one's lands on top of it. */
static int bind_sources(int rootfd, const struct ld_config *c)
{
	const struct ld_mount *binds[c->n_mounts + 1];
	char data[1024];
	size_t n = 0, i;

	for (i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].bind)
			binds[n++] = &c->mounts[i];
	qsort(binds, n, sizeof(binds[0]), by_length);
	for (i = 0; i < n; i++)
		if (bind_same(rootfd, binds[i]->source, ld_mount_options(binds[i]->options,
			      data, sizeof(data)), "bind mount source") < 0)
			return -1;
	return 0;
}

int ld_jail_prepare(const struct ld_config *c, const char *state_dir)
{
	cleanup_close int rootfd = -1;
	char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/" LD_JAIL_DIR, state_dir);
	if ((mkdir(root, 0700) < 0 && errno != EEXIST) ||
	    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		dprintf(2, "linuxd: private root %s: %s\n", root, strerror(errno));
		return -1;
	}
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* read-write until the guest has made its mount points (ld_jail_seal) */
	if (rootfd < 0 || bind_same(rootfd, c->root_path, MS_REC, "root.path") < 0 ||
	    bind_sources(rootfd, c) < 0)
		return -1;
	/* nothing more can be put there, by the kernel or its guests */
	if (mount(NULL, root, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV,
		  "mode=0755") < 0) {
		dprintf(2, "linuxd: private root %s: %s\n", root, strerror(errno));
		return -1;
	}
	return 0;
}

int ld_jail_userns(void)
{
	static const char *const maps[] = { "uid_map", "gid_map" };
	char path[64], made = 0;
	int ready[2], fd = -1;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC) < 0)
		goto fail;
	pid = fork();
	if (pid == 0) {	/* holds the namespace until it is open */
		made = unshare(CLONE_NEWUSER) == 0;
		_exit(write(ready[1], &made, 1) == 1 ? pause() : 1);
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &made, 1) == 1 && made) {
		for (size_t i = 0; i < 2 && made; i++) {
			snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, maps[i]);
			made = ld_write_text(path, "0 0 4294967295\n") == 0;
		}
		snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
		fd = made ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	}
	close(ready[0]);
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (fd >= 0)
		return fd;
fail:
	dprintf(2, "linuxd: user namespace of the file server: %s\n", strerror(errno));
	return -1;
}

/* What the kernel process starts with: what hostfs needs to act as the
 * guest's root on its files, which its file server keeps, and until it has
 * pivoted into its private root and become LD_JAIL_USER, CAP_SYS_ADMIN,
 * CAP_SETPCAP, CAP_SETUID and CAP_SETGID.  The kernel process ends with
 * none.  The packet sockets of a joined network namespace come open from
 * the runtime. */
static const int kept_capabilities[] = {
	CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER,
	CAP_FSETID, CAP_SYS_ADMIN, CAP_SETPCAP, CAP_SETUID, CAP_SETGID,
};

int ld_jail_capabilities(void)
{
	unsigned long long keep = 0;

	for (size_t i = 0; i < sizeof(kept_capabilities) / sizeof(int); i++)
		keep |= 1ULL << kept_capabilities[i];
	/* root's capabilities after exec are the bounding set's */
	if (ld_caps_bound(keep) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    ld_caps_set(keep, 0, keep) < 0) {
		dprintf(2, "linuxd: capabilities of the sandbox kernel: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

int ld_jail_seal(pid_t pid, const struct ld_config *c, struct ld_error *err)
{
	char ns[64];
	int fd, status;
	pid_t child;

	if (!c->root_readonly)
		return 0;
	snprintf(ns, sizeof(ns), "/proc/%d/ns/mnt", (int)pid);
	fd = open(ns, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ld_error_set(err, errno, "sandbox mount namespace %s", ns);
	child = fork();
	if (child == 0)
		_exit(setns(fd, CLONE_NEWNS) < 0 ||
		      restrict_tree(AT_FDCWD, c->root_path, 0, true) < 0 ? errno : 0);
	close(fd);
	if (child < 0)
		return ld_error_set(err, errno, "fork");
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return ld_error_set(err, WIFEXITED(status) ? WEXITSTATUS(status) : 0,
				    "root.readonly: %s", c->root_path);
	return 0;
}
