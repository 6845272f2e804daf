/*
 * The sandbox kernel's allowlist as the host kernel applies it: a child
 * installs the filter the runtime builds, makes one call, and dies of
 * SIGSYS when the call is not allowed.  TAP output.
 */
#include <sched.h>
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

/* How a child that installed the filter and made the call ended. */
static int call_under_filter(int fd, long nr, long arg0)
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
		syscall(nr, arg0, 0, 0, 0, 0);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void expect(int fd, const char *what, long nr, long arg0, bool allowed)
{
	int status = call_under_filter(fd, nr, arg0);
	bool ok = allowed ? WIFEXITED(status) && WEXITSTATUS(status) == 0
			  : WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS;

	failed += !ok;
	printf("%s - allowlist: %s %s\n", ok ? "ok" : "not ok", what,
	       allowed ? "is allowed" : "is refused with SIGSYS");
}

/* The filter for platform: what it lets through, what it refuses. */
static void check(const char *platform)
{
	struct ld_error err = { 0 };
	int fd = ld_allowlist_fd(platform, &err);

	if (fd < 0) {
		printf("not ok - allowlist: %s\n", err.msg);
		failed++;
		return;
	}
	printf("# the %s platform's filter\n", platform);
	expect(fd, "getpid", SYS_getpid, 0, true);
	expect(fd, "ptrace", SYS_ptrace, PTRACE_PEEKUSER, !strcmp(platform, "ptrace"));
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
	close(fd);
}

int main(void)
{
	check("seccomp");
	check("ptrace");
	return failed != 0;
}
