/*
 * The host system calls the sandbox kernel process may make once booted:
 * one table, compiled into a seccomp filter with libseccomp and handed to
 * the kernel, which installs it on itself when it has pivoted into its
 * private root (kernel patch 0010).  Anything else ends the sandbox with a
 * message naming the call in the kernel log.  `linuxd features` prints the
 * table; docs/security.md explains it.
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "allowlist.h"
#include "util.h"

const struct ld_allowed ld_allowlist[] = {
	/* the stubs: handing over, their memory, their start */
	{ "futex", "handing over between the kernel and the stubs" },
	{ "mmap", "stubs: mapping guest memory from the memory file" },
	{ "munmap", "stubs: unmapping guest memory" },
	{ "mprotect", "stubs: guest memory protections" },
	{ "arch_prctl", "stubs: the guest's FS and GS bases" },
	{ "clone", "a stub for a new guest address space" },
	{ "prctl", "a new stub: dying with the kernel" },
	{ "seccomp", "a new stub: its own filter" },
	{ "sigaltstack", "a new stub: its signal stack" },
	{ "rt_sigaction", "a new stub: its handlers" },
	{ "kill", "stopping and killing stubs" },
	{ "waitid", "reaping stubs" },
	{ "wait4", "reaping stubs" },
	{ "ptrace", "the ptrace platform; killing a stub" },
	/* signals, time, idling */
	{ "rt_sigreturn", "returning from signal handlers" },
	{ "rt_sigprocmask", "masking the timer and I/O signals" },
	{ "rt_sigsuspend", "idling until the next timer or I/O signal" },
	{ "restart_syscall", "a host call interrupted by a signal" },
	{ "timer_settime", "the guest's clock tick" },
	{ "timer_gettime", "the guest's clock tick" },
	{ "clock_gettime", "the host time (when the vDSO cannot)" },
	{ "nanosleep", "short waits" },
	{ "getpid", "signals to itself" },
	{ "getrandom", "seeding the guest's random numbers" },
	{ "brk", "host memory for its C library (directory streams)" },
	{ "exit", "helper threads ending" },
	{ "exit_group", "powering off" },
	/* host descriptors: control channel, stdio, console, network */
	{ "read", "stdio, console, control channel" },
	{ "write", "stdio, console, the kernel log" },
	{ "close", "descriptors it is done with" },
	{ "fcntl", "descriptor flags" },
	{ "ioctl", "terminal window size and modes" },
	{ "poll", "waiting on a host descriptor" },
	{ "epoll_ctl", "interrupts from host descriptors" },
	{ "epoll_wait", "interrupts from host descriptors" },
	{ "accept4", "control channel: new connections" },
	{ "recvmsg", "control channel: requests and descriptors" },
	{ "sendmsg", "control channel: replies" },
	{ "socketpair", "the console's window-size helper" },
	{ "setsid", "the console's window-size helper" },
	{ "getpgrp", "the console's window-size helper" },
	{ "socket", "the raw socket on a joined namespace's interface" },
	{ "bind", "the raw socket on a joined namespace's interface" },
	{ "setsockopt", "the raw socket on a joined namespace's interface" },
	{ "recvmmsg", "network frames in, in batches" },
	{ "sendmmsg", "network frames out, in batches" },
	/* hostfs: the guest's files on the host */
	{ "openat", "hostfs: opening files" },
	{ "pread64", "hostfs: reading" },
	{ "pwrite64", "hostfs: writing" },
	{ "lseek", "hostfs: directory positions" },
	{ "getdents64", "hostfs: reading directories" },
	{ "statx", "hostfs: attributes" },
	{ "newfstatat", "hostfs: attributes" },
	{ "statfs", "hostfs: file system usage" },
	{ "access", "hostfs: permissions" },
	{ "mkdir", "hostfs: new directories" },
	{ "mknodat", "hostfs: new fifos and sockets" },
	{ "rmdir", "hostfs: removing directories" },
	{ "unlink", "hostfs: removing files" },
	{ "rename", "hostfs: renaming" },
	{ "renameat2", "hostfs: renaming with flags" },
	{ "link", "hostfs: hard links" },
	{ "symlink", "hostfs: symbolic links" },
	{ "readlink", "hostfs: symbolic links" },
	{ "chmod", "hostfs: modes" },
	{ "fchmod", "hostfs: modes" },
	{ "chown", "hostfs: owners" },
	{ "fchown", "hostfs: owners" },
	{ "lchown", "hostfs: owners of links" },
	{ "truncate", "hostfs: sizes" },
	{ "ftruncate", "hostfs: sizes" },
	{ "utimensat", "hostfs: times" },
	{ "fsync", "hostfs: syncing" },
	{ "fdatasync", "hostfs: syncing" },
};

const size_t ld_allowlist_len = LD_ARRAY_SIZE(ld_allowlist);

int ld_allowlist_fd(struct ld_error *err)
{
	/* one call to leave out, only ever stricter: the tests see it end */
	const char *deny = getenv("LINUXD_ALLOWLIST_DENY") ?: "";
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	int fd = memfd_create("linuxd-allowlist", MFD_CLOEXEC), rc = 0;
	size_t i;

	if (!ctx || fd < 0) {
		rc = ld_error_set(err, errno ?: ENOMEM, "seccomp allowlist");
		goto out;
	}
	for (i = 0; i < ld_allowlist_len && rc == 0; i++)
		if (strcmp(deny, ld_allowlist[i].name))
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
					      seccomp_syscall_resolve_name(ld_allowlist[i].name), 0);
	if (rc == 0)
		rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0)
		rc = ld_error_set(err, -rc, "seccomp allowlist: %s",
				  i ? ld_allowlist[i - 1].name : "export");
out:
	if (ctx)
		seccomp_release(ctx);
	if (rc < 0 && fd >= 0)
		close(fd);
	return rc < 0 ? -1 : fd;
}
