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

/* Bind host path at the same path under root, read-only if ro.  The path
 * was resolved at create: a symbolic link put in its way since is not
 * followed. */
static int bind_same(const char *root, const char *path, bool ro,
		     const char *what)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS };
	char target[PATH_MAX], fd_path[32];
	cleanup_close int fd = -1;
	struct stat st;

	if (snprintf(target, sizeof(target), "%s%s", root, path) >= (int)sizeof(target)) {
		errno = ENAMETOOLONG;
		goto fail;
	}
	fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd < 0 && errno == ENOENT && strcmp(what, "root.path"))
			return 0;	/* the guest names the mount that cannot be made */
		goto fail;
	}
	snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", fd);
	if (ld_mount_point(target, S_ISDIR(st.st_mode)) < 0 ||
	    mount(fd_path, target, NULL, MS_BIND | MS_REC, NULL) < 0)
		goto fail;
	if (ro && mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY |
			MS_NOSUID | MS_NODEV, NULL) < 0)
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
static int bind_sources(const char *root, const struct ld_config *c)
{
	const struct ld_mount *binds[c->n_mounts + 1];
	char data[1024];
	size_t n = 0, i;

	for (i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].bind)
			binds[n++] = &c->mounts[i];
	qsort(binds, n, sizeof(binds[0]), by_length);
	for (i = 0; i < n; i++)
		if (bind_same(root, binds[i]->source, ld_mount_options(binds[i]->options,
			      data, sizeof(data)) & MS_RDONLY, "bind mount source") < 0)
			return -1;
	return 0;
}

int ld_jail_prepare(const struct ld_config *c, const char *state_dir)
{
	char root[PATH_MAX];

	snprintf(root, sizeof(root), "%s/" LD_JAIL_DIR, state_dir);
	if ((mkdir(root, 0700) < 0 && errno != EEXIST) ||
	    mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755") < 0) {
		dprintf(2, "linuxd: private root %s: %s\n", root, strerror(errno));
		return -1;
	}
	/* read-write until the guest has made its mount points (ld_jail_seal) */
	if (bind_same(root, c->root_path, false, "root.path") < 0 ||
	    bind_sources(root, c) < 0)
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
		      mount(NULL, c->root_path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY,
			    NULL) < 0 ? errno : 0);
	close(fd);
	if (child < 0)
		return ld_error_set(err, errno, "fork");
	if (waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
		return ld_error_set(err, WIFEXITED(status) ? WEXITSTATUS(status) : 0,
				    "root.readonly: %s", c->root_path);
	return 0;
}
