/*
 * linuxd-probe: a tiny static program the tests run inside containers to
 * report what the container sees or to misbehave on purpose.
 *
 *   probe segv          die of a real SIGSEGV (a null pointer write)
 *   probe tty FD...     print "FD tty" or "FD notty" for each descriptor
 *   probe rlimit NAME   print the soft and hard limit (nofile, nproc, core)
 *   probe reap CMD...   (on the host) run CMD as a subreaper would, as the
 *                       containerd shim or conmon do, and print "PID STATUS"
 *                       for every process reaped (STATUS as a shell gives it)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int probe_tty(int argc, char **argv)
{
	for (int i = 2; i < argc; i++) {
		int fd = atoi(argv[i]);

		printf("%d %s\n", fd, isatty(fd) ? "tty" : "notty");
	}
	return 0;
}

static int probe_rlimit(const char *name)
{
	static const struct {
		const char *name;
		int resource;
	} names[] = { { "nofile", RLIMIT_NOFILE }, { "nproc", RLIMIT_NPROC },
		      { "core", RLIMIT_CORE } };
	struct rlimit rl;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i].name))
			continue;
		if (getrlimit(names[i].resource, &rl) < 0)
			return 1;
		printf("%llu %llu\n", (unsigned long long)rl.rlim_cur,
		       (unsigned long long)rl.rlim_max);
		return 0;
	}
	return 2;
}

static int probe_reap(char **cmd)
{
	pid_t pid;
	int status;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid = fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	while ((pid = wait(&status)) > 0)
		printf("%d %d\n", pid, WIFSIGNALED(status) ? 128 + WTERMSIG(status)
							   : WEXITSTATUS(status));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "segv")) {
		/* cppcheck-suppress nullPointer ; the fault is the point */
		*(volatile int *)NULL = 1;
		return 1;
	}
	if (argc >= 2 && !strcmp(argv[1], "tty"))
		return probe_tty(argc, argv);
	if (argc == 3 && !strcmp(argv[1], "rlimit"))
		return probe_rlimit(argv[2]);
	if (argc >= 3 && !strcmp(argv[1], "reap"))
		return probe_reap(argv + 2);
	fprintf(stderr, "usage: probe segv | tty FD... | rlimit NAME | reap CMD...\n");
	return 2;
}
