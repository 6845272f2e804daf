/*
 * The allowlists of the sandbox kernel and of its file server as the host
 * kernel applies them: a child installs the filter the runtime builds,
 * makes one call, and dies of SIGSYS when the call is not allowed.  TAP
 * output.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "../../src/allowlist.h"

static int failed;

#define NO_PID 0x7ffffff0L

/* How a child that installed the filter and made the call ended. */
static int call_under_filter(int fd, long nr, long arg0, long arg1, long arg2)
{
	static struct sock_filter filter[BPF_MAXINSNS];
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		ssize_t n = pread(fd, filter, sizeof(filter), 0);
		struct sock_fprog prog = { .len = n / sizeof(filter[0]), .filter = filter };

		if (n <= 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
			_exit(100);
		syscall(nr, arg0, arg1, arg2, 0, 0);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void expect3(int fd, const char *what, long nr, long arg0, long arg1,
		    long arg2, bool allowed)
{
	int status = call_under_filter(fd, nr, arg0, arg1, arg2);
	bool ok = allowed ? WIFEXITED(status) && WEXITSTATUS(status) == 0
			  : WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;

	failed += !ok;
	printf("%s - allowlist: %s %s\n", ok ? "ok" : "not ok", what,
	       allowed ? "is allowed" : "is refused with SIGSYS");
}

static void expect2(int fd, const char *what, long nr, long arg0, long arg1,
		    bool allowed)
{
	expect3(fd, what, nr, arg0, arg1, 0, allowed);
}

static void expect(int fd, const char *what, long nr, long arg0, bool allowed)
{
	expect2(fd, what, nr, arg0, 0, allowed);
}

/* The kernel's filter for platform: what it lets through, what it refuses. */
static void check(const char *platform)
{
	struct ld_error err = { 0 };
	int fd = ld_allowlist_fd(platform, LD_KERNEL, &err);

	if (fd < 0) {
		printf("not ok - allowlist: %s\n", err.msg);
		failed++;
		return;
	}
	printf("# the %s platform's filter\n", platform);
	expect(fd, "close", SYS_close, -1, true);
	expect(fd, "ptrace", SYS_ptrace, PTRACE_PEEKUSER, !strcmp(platform, "ptrace"));
	expect(fd, "wait4", SYS_wait4, -1, false);
	expect(fd, "seccomp", SYS_seccomp, -1, strcmp(platform, "ptrace"));
	expect(fd, "clone of a process", SYS_clone, SIGCHLD, true);
	expect(fd, "clone into a new user namespace", SYS_clone,
	       CLONE_NEWUSER | SIGCHLD, false);
	expect(fd, "clone into a new mount namespace", SYS_clone,
	       CLONE_NEWNS | SIGCHLD, false);
	expect(fd, "unshare", SYS_unshare, CLONE_NEWUSER, false);
	expect(fd, "execve", SYS_execve, 0, false);
	expect(fd, "mount", SYS_mount, 0, false);
	expect(fd, "bpf", SYS_bpf, 0, false);
	expect(fd, "socket", SYS_socket, AF_PACKET, false);
	expect(fd, "setsid", SYS_setsid, 0, false);
	/* what it learnt at boot, or does with calls it makes anyway */
	expect(fd, "prctl", SYS_prctl, PR_SET_PDEATHSIG, false);
	expect(fd, "poll", SYS_poll, 0, false);
	expect(fd, "recvmsg", SYS_recvmsg, -1, false);
	/* only the signals, descriptor commands and terminal requests it uses */
	/* (to a pid above any pid_max: nobody gets the signal) */
	expect2(fd, "kill with SIGKILL", SYS_kill, NO_PID, SIGKILL, true);
	expect2(fd, "kill with SIGUSR1", SYS_kill, NO_PID, SIGUSR1, false);
	expect2(fd, "fcntl F_SETFL", SYS_fcntl, -1, F_SETFL, true);
	expect2(fd, "fcntl F_SETLK", SYS_fcntl, -1, F_SETLK, false);
	expect2(fd, "ioctl TIOCGWINSZ", SYS_ioctl, -1, TIOCGWINSZ, true);
	expect2(fd, "ioctl TIOCSTI", SYS_ioctl, -1, TIOCSTI, false);
	/* memory: dropping pages of its own memory file only */
	expect3(fd, "madvise MADV_REMOVE", SYS_madvise, 0, 0, MADV_REMOVE, true);
	expect3(fd, "madvise MADV_DONTNEED", SYS_madvise, 0, 0, MADV_DONTNEED, false);
	/* whether polling pays: of itself only */
	expect(fd, "sched_getaffinity of itself", SYS_sched_getaffinity, 0, true);
	expect(fd, "sched_getaffinity of another", SYS_sched_getaffinity, 1, false);
	/* files are the file server's business */
	expect(fd, "openat", SYS_openat, AT_FDCWD, false);
	expect(fd, "symlink", SYS_symlink, 0, false);
	close(fd);
}

/* The file server's filter: hostfs's calls, nothing to start or trace. */
static void check_files(void)
{
	struct ld_error err = { 0 };
	int fd = ld_allowlist_fd("ptrace", LD_FILES, &err);

	if (fd < 0) {
		printf("not ok - allowlist: %s\n", err.msg);
		failed++;
		return;
	}
	printf("# the file server's filter\n");
	expect(fd, "openat", SYS_openat, AT_FDCWD, true);
	expect(fd, "fchownat", SYS_fchownat, AT_FDCWD, true);
	expect(fd, "lgetxattr", SYS_lgetxattr, 0, true);
	expect(fd, "fallocate", SYS_fallocate, -1, true);
	expect(fd, "lsetxattr", SYS_lsetxattr, 0, false);
	expect(fd, "ptrace", SYS_ptrace, PTRACE_PEEKUSER, false);
	expect(fd, "clone", SYS_clone, SIGCHLD, false);
	expect(fd, "execve", SYS_execve, 0, false);
	expect(fd, "mmap", SYS_mmap, 0, false);
	expect(fd, "socket", SYS_socket, AF_UNIX, false);
	expect(fd, "read", SYS_read, 0, false);
	close(fd);
}

/* The design's bound: at most 30 kinds of host system call for the kernel
 * process on both platforms (one of them to learn whether polling for the
 * other side pays, one to give free memory back), and 4 more of a platform's own (the seccomp platform's:
 * a new stub's filter, its mapper's report, the yield between a stub and
 * its mapper, a stub's move off the kernel's CPU). */
static void check_size(unsigned int platform, const char *name)
{
	size_t common = 0, own = 0;

	for (size_t i = 0; i < ld_allowlist_len; i++) {
		common += !!(ld_allowlist[i].process & LD_KERNEL);
		own += !(ld_allowlist[i].process & LD_KERNEL) &&
		       (ld_allowlist[i].process & platform);
	}
	failed += common > 30 || own > 4;
	printf("%s - allowlist: %zu calls for the kernel process on the %s platform, "
	       "%zu of them its own; at most 30 + 4\n",
	       common > 30 || own > 4 ? "not ok" : "ok", common + own, name, own);
}

int main(void)
{
	check_size(LD_SECCOMP, "seccomp");
	check_size(LD_PTRACE, "ptrace");
	check("seccomp");
	check("ptrace");
	check_files();
	return failed != 0;
}
