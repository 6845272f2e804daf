/*
 * The host system calls the sandbox kernel process may make once booted,
 * and those of its file server (the process that makes hostfs's calls for
 * it): one table, compiled into two seccomp filters with libseccomp and
 * handed to the kernel, which installs the one on itself when it has
 * pivoted into its private root (kernel patch 0007, the jail) and the other on
 * the file server when it starts it (kernel patch 0010).  Anything else ends
 * the sandbox with a message naming the call in the kernel log.  `linuxd
 * features` prints the table; docs/security.md explains it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "allowlist.h"
#include "util.h"

const struct ld_allowed ld_allowlist[] = {
	/* the stubs: handing over, their memory, their start */
	{ "futex", "handing over between the kernel, the stubs and the file server; the kernel idling until a signal", 0, LD_KERNEL | LD_FILES },
	{ "mmap", "stubs: mapping guest memory from the memory file", 0, LD_KERNEL },
	{ "munmap", "stubs: unmapping guest memory", 0, LD_KERNEL },
	{ "mprotect", "stubs: guest memory protections", 0, LD_KERNEL },
	{ "arch_prctl", "stubs: the guest's FS and GS bases", 0, LD_KERNEL },
	{ "madvise", "handing free guest memory back to the host (MADV_REMOVE only)", 0, LD_KERNEL },
	{ "clone", "a stub for a new guest address space; never a new namespace",
	  CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC |
	  CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET, LD_KERNEL },
	{ "seccomp", "the seccomp platform only: a new stub's own filter", 0, LD_SECCOMP },
	{ "sigaltstack", "a new stub: its signal stack", 0, LD_KERNEL },
	{ "rt_sigaction", "a new stub: its handlers", 0, LD_KERNEL },
	{ "sched_yield", "seccomp platform: leaving the CPU to a stub's mapper while the stub waits for it", 0, LD_SECCOMP },
	{ "sched_getaffinity", "whether it may run on two CPUs or more, else it never polls for a stub or the file server (of itself only)", 0, LD_KERNEL },
	{ "sched_setaffinity", "a stub: leaving the kernel's CPU to poll on another; the file server: moving to the kernel's CPU, which wakes it faster than an idle one (of itself only)", 0, LD_SECCOMP | LD_FILES },
	{ "getpid", "a new stub: its first stop (ptrace platform) or trap into the kernel (seccomp)", 0, LD_KERNEL },
	{ "kill", "stopping and killing stubs; SIGIO to itself (some signals only)", 0, LD_KERNEL },
	{ "waitid", "reaping stubs, their stops on the ptrace platform; whether the file server lives", 0, LD_KERNEL },
	{ "ptrace", "the ptrace platform only: tracing the stubs", 0, LD_PTRACE },
	/* signals and time */
	{ "rt_sigreturn", "returning from signal handlers", 0, LD_KERNEL },
	{ "rt_sigprocmask", "masking the timer and I/O signals", 0, LD_KERNEL },
	{ "restart_syscall", "a host call interrupted by a signal", 0, LD_KERNEL },
	{ "timer_settime", "the guest's clock tick", 0, LD_KERNEL },
	{ "clock_gettime", "the host time (when the vDSO cannot)", 0, LD_KERNEL },
	{ "getrandom", "the guest kernel's random numbers, drawn from the host while it runs", 0, LD_KERNEL },
	{ "exit_group", "powering off; the file server: ending", 0, LD_KERNEL | LD_FILES },
	/* host descriptors: control channel, stdio, console, network */
	{ "read", "stdio, console, control channel", 0, LD_KERNEL },
	{ "write", "stdio, console, the kernel log; the file server: its last word in the log", 0, LD_KERNEL | LD_FILES },
	{ "close", "descriptors it is done with", 0, LD_KERNEL | LD_FILES },
	{ "fcntl", "descriptor flags, and who gets their SIGIO (some commands only)", 0, LD_KERNEL },
	{ "ioctl", "terminal modes, window size and process group (some requests only)", 0, LD_KERNEL },
	{ "epoll_ctl", "interrupts from host descriptors; what one is ready for", 0, LD_KERNEL },
	{ "epoll_wait", "interrupts from host descriptors; what one is ready for", 0, LD_KERNEL },
	{ "accept4", "control channel: new connections", 0, LD_KERNEL },
	{ "recvmmsg", "control channel: requests and descriptors; network frames in, in batches, on the runtime's packet socket", 0, LD_KERNEL },
	{ "sendmmsg", "network frames out, in batches, on the runtime's packet socket", 0, LD_KERNEL },
	/* the file server: the guest's files on the host (hostfs) */
	{ "openat", "opening files", 0, LD_FILES },
	{ "pread64", "reading", 0, LD_FILES },
	{ "pwrite64", "writing; a stub's mapper thread: saying that its batch ran (seccomp platform)", 0, LD_FILES | LD_SECCOMP },
	{ "lseek", "directory positions", 0, LD_FILES },
	{ "getdents64", "reading directories", 0, LD_FILES },
	{ "statx", "attributes", 0, LD_FILES },
	{ "statfs", "file system usage", 0, LD_FILES },
	{ "access", "permissions", 0, LD_FILES },
	{ "mkdir", "new directories", 0, LD_FILES },
	{ "mknodat", "new fifos and sockets", 0, LD_FILES },
	{ "unlinkat", "removing files and directories", 0, LD_FILES },
	{ "renameat2", "renaming", 0, LD_FILES },
	{ "link", "hard links", 0, LD_FILES },
	{ "symlink", "symbolic links", 0, LD_FILES },
	{ "readlink", "symbolic links", 0, LD_FILES },
	{ "chmod", "modes", 0, LD_FILES },
	{ "fchmod", "modes", 0, LD_FILES },
	{ "fchownat", "owners (never following a link)", 0, LD_FILES },
	{ "ftruncate", "sizes", 0, LD_FILES },
	{ "utimensat", "times", 0, LD_FILES },
	{ "fsync", "syncing", 0, LD_FILES },
	{ "fdatasync", "syncing", 0, LD_FILES },
	{ "fallocate", "allocating, punching holes, zeroing ranges", 0, LD_FILES },
	{ "dup2", "a file opened anew for reading and writing", 0, LD_FILES },
	{ "lgetxattr", "extended attributes, such as file capabilities", 0, LD_FILES },
	{ "llistxattr", "extended attributes: their names", 0, LD_FILES },
};

const size_t ld_allowlist_len = LD_ARRAY_SIZE(ld_allowlist);

/* Calls allowed with only some values of one argument. */
static const struct {
	const char *name;
	unsigned int arg;
	long values[8];		/* up to -1 */
} arg_checks[] = {
	/* SIGTERM and SIGABRT: to its process group and itself, in a panic */
	{ "kill", 1, { SIGKILL, SIGSTOP, SIGCONT, SIGALRM, SIGIO, SIGTERM,
		       SIGABRT, -1 } },
	/* F_DUPFD_CLOEXEC: the packet sockets, as the guest brings eth0 up */
	{ "fcntl", 1, { F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_SETOWN, F_SETSIG,
			F_DUPFD_CLOEXEC, -1 } },
	{ "ioctl", 1, { TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCGPGRP, -1 } },
	{ "madvise", 2, { MADV_REMOVE, -1 } },
	{ "sched_getaffinity", 0, { 0, -1 } },
	{ "sched_setaffinity", 0, { 0, -1 } },
};

/* The rules that allow a, in ctx. */
static int allow(scmp_filter_ctx ctx, const struct ld_allowed *a)
{
	int nr = seccomp_syscall_resolve_name(a->name), rc = 0;

	for (size_t i = 0; i < LD_ARRAY_SIZE(arg_checks); i++) {
		if (strcmp(arg_checks[i].name, a->name))
			continue;
		for (const long *v = arg_checks[i].values; *v >= 0 && rc == 0; v++)
			rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					      SCMP_CMP(arg_checks[i].arg, SCMP_CMP_EQ, *v));
		return rc;
	}
	if (a->clear)
		return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 1,
					SCMP_A0(SCMP_CMP_MASKED_EQ, a->clear, 0));
	return seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
}

/* Whether entry a is in the filter of process on platform. */
static bool in_filter(const struct ld_allowed *a, unsigned int process,
		      const char *platform)
{
	/* one call to leave out, only ever stricter: the tests see it end */
	const char *deny = getenv("LINUXD_ALLOWLIST_DENY") ?: "";

	if (process == LD_KERNEL)
		process |= strcmp(platform, "ptrace") ? LD_SECCOMP : LD_PTRACE;
	return (a->process & process) && strcmp(a->name, deny);
}

int ld_allowlist_fd(const char *platform, unsigned int process,
		    struct ld_error *err)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_TRAP);
	int fd = memfd_create("linuxd-allowlist", MFD_CLOEXEC), rc = 0;
	size_t i;

	if (!ctx || fd < 0) {
		rc = ld_error_set(err, errno ?: ENOMEM, "seccomp allowlist");
		goto out;
	}
	for (i = 0; i < ld_allowlist_len && rc == 0; i++)
		if (in_filter(&ld_allowlist[i], process, platform))
			rc = allow(ctx, &ld_allowlist[i]);
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
