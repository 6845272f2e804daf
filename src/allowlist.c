/*
 * The host system calls the sandbox kernel process may make once booted:
 * one table, compiled into a seccomp filter with libseccomp and handed to
 * the kernel, which installs it on itself when it has pivoted into its
 * private root (kernel patch 0010).  Anything else ends the sandbox with a
 * message naming the call in the kernel log.  `linuxd features` prints the
 * table; docs/security.md explains it.
 */
#include <errno.h>
#include <sched.h>
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
	{ "futex", "handing over between the kernel and the stubs", 0 },
	{ "mmap", "stubs: mapping guest memory from the memory file", 0 },
	{ "munmap", "stubs: unmapping guest memory", 0 },
	{ "mprotect", "stubs: guest memory protections", 0 },
	{ "arch_prctl", "stubs: the guest's FS and GS bases", 0 },
	{ "clone", "a stub for a new guest address space; never a new namespace",
	  CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
	  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET },
	{ "prctl", "a new stub: dying with the kernel", 0 },
	{ "seccomp", "a new stub: its own filter", 0 },
	{ "sigaltstack", "a new stub: its signal stack", 0 },
	{ "rt_sigaction", "a new stub: its handlers", 0 },
	{ "kill", "stopping and killing stubs", 0 },
	{ "waitid", "reaping stubs", 0 },
	{ "wait4", "reaping stubs", 0 },
	{ "ptrace", "the ptrace platform only: tracing the stubs", 0 },
	/* signals, time, idling */
	{ "rt_sigreturn", "returning from signal handlers", 0 },
	{ "rt_sigprocmask", "masking the timer and I/O signals", 0 },
	{ "rt_sigsuspend", "idling until the next timer or I/O signal", 0 },
	{ "restart_syscall", "a host call interrupted by a signal", 0 },
	{ "timer_settime", "the guest's clock tick", 0 },
	{ "timer_gettime", "the guest's clock tick", 0 },
	{ "clock_gettime", "the host time (when the vDSO cannot)", 0 },
	{ "nanosleep", "short waits", 0 },
	{ "getpid", "signals to itself", 0 },
	{ "getrandom", "the guest kernel's random numbers, drawn from the host while it runs", 0 },
	{ "exit_group", "powering off", 0 },
	/* host descriptors: control channel, stdio, console, network */
	{ "read", "stdio, console, control channel", 0 },
	{ "write", "stdio, console, the kernel log", 0 },
	{ "close", "descriptors it is done with", 0 },
	{ "fcntl", "descriptor flags", 0 },
	{ "ioctl", "terminal window size and modes", 0 },
	{ "poll", "waiting on a host descriptor", 0 },
	{ "epoll_ctl", "interrupts from host descriptors", 0 },
	{ "epoll_wait", "interrupts from host descriptors", 0 },
	{ "accept4", "control channel: new connections", 0 },
	{ "recvmsg", "control channel: requests and descriptors", 0 },
	{ "sendmsg", "control channel: replies", 0 },
	{ "getpgrp", "the console: window-size changes signal the kernel itself", 0 },
	{ "recvmmsg", "network frames in, in batches, on the runtime's packet socket", 0 },
	{ "sendmmsg", "network frames out, in batches, on the runtime's packet socket", 0 },
	/* hostfs: the guest's files on the host */
	{ "openat", "hostfs: opening files", 0 },
	{ "pread64", "hostfs: reading", 0 },
	{ "pwrite64", "hostfs: writing", 0 },
	{ "lseek", "hostfs: directory positions", 0 },
	{ "getdents64", "hostfs: reading directories, into the kernel's own buffer", 0 },
	{ "statx", "hostfs: attributes", 0 },
	{ "statfs", "hostfs: file system usage", 0 },
	{ "access", "hostfs: permissions", 0 },
	{ "mkdir", "hostfs: new directories", 0 },
	{ "mknodat", "hostfs: new fifos and sockets", 0 },
	{ "unlinkat", "hostfs: removing files and directories", 0 },
	{ "renameat2", "hostfs: renaming", 0 },
	{ "link", "hostfs: hard links", 0 },
	{ "symlink", "hostfs: symbolic links", 0 },
	{ "readlink", "hostfs: symbolic links", 0 },
	{ "chmod", "hostfs: modes", 0 },
	{ "fchmod", "hostfs: modes", 0 },
	{ "fchownat", "hostfs: owners (never following a link)", 0 },
	{ "ftruncate", "hostfs: sizes", 0 },
	{ "utimensat", "hostfs: times", 0 },
	{ "fsync", "hostfs: syncing", 0 },
	{ "fdatasync", "hostfs: syncing", 0 },
};

const size_t ld_allowlist_len = LD_ARRAY_SIZE(ld_allowlist);

int ld_allowlist_fd(const char *platform, struct ld_error *err)
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
	for (i = 0; i < ld_allowlist_len && rc == 0; i++) {
		const struct ld_allowed *a = &ld_allowlist[i];
		int nr = seccomp_syscall_resolve_name(a->name);

		if (!strcmp(deny, a->name) ||
		    (!strcmp(a->name, "ptrace") && strcmp(platform, "ptrace")))
			continue;
		rc = a->clear ? seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
						 SCMP_A0(SCMP_CMP_MASKED_EQ, a->clear, 0))
			      : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
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
