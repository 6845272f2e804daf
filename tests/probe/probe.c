/*
 * linuxd-probe: a tiny static program the tests run inside containers to
 * report what the container sees or to misbehave on purpose.
 *
 *   probe segv          die of a real SIGSEGV (a null pointer write), with
 *                       0x1122334455667788 in %r12 and "linuxd core xmm!"
 *                       in %xmm10
 *   probe tty FD...     print "FD tty" or "FD notty" for each descriptor
 *   probe rlimit NAME   print the soft and hard limit (nofile, nproc, core)
 *   probe console SOCKET CMD...
 *                       (on the host) receive a terminal master on the unix
 *                       socket SOCKET, as conmon does, from CMD (a linuxd
 *                       create or run with --console-socket SOCKET); set a
 *                       40x100 window, write stdin to it and copy what
 *                       the container writes to stdout until it closes;
 *                       once that output shows $PROBE_RESIZE_AFTER, make
 *                       the window 50x120
 *   probe udp-recv PORT print the first datagram to UDP port PORT
 *   probe alloc MB      allocate and touch MB mebibytes
 *   probe hold MB       the same, say "holding", then wake up ten times a
 *                       second until a signal ends it
 *   probe unix-listen NAME
 *                       listen on the abstract unix socket @NAME, print
 *                       "listening", then "accepted" for one connection
 *   probe unix-connect NAME
 *                       connect to @NAME: print "connected", or why not
 *   probe forkbomb      fork for ever, every process, failures included
 *   probe reap CMD...   (on the host) run CMD as a subreaper would, as the
 *                       containerd shim or conmon do, and print "PID STATUS"
 *                       for every process reaped (STATUS as a shell gives it)
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <termios.h>
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

static int receive_fd(int conn)
{
	char buf[256], control[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg;
	int fd = -1;

	if (recvmsg(conn, &msg, 0) < 0)
		return -1;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	return fd;
}

static int probe_console(const char *path, char **cmd)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	struct winsize ws = { .ws_row = 40, .ws_col = 100 };
	struct winsize ws_later = { .ws_row = 50, .ws_col = 120 };
	const char *resize_after = getenv("PROBE_RESIZE_AFTER");
	int sock = socket(AF_UNIX, SOCK_STREAM, 0), conn, master, status;
	char buf[4096];
	ssize_t n;
	pid_t pid;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	if (bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 1) < 0)
		return 1;
	pid = fork();
	if (pid == 0) {
		execvp(cmd[0], cmd);
		_exit(127);
	}
	conn = accept(sock, NULL, NULL);
	master = conn < 0 ? -1 : receive_fd(conn);
	if (master < 0 || ioctl(master, TIOCSWINSZ, &ws) < 0)
		return 1;
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(master, buf, n) != n)
			return 1;
	while ((n = read(master, buf, sizeof(buf) - 1)) > 0) {
		fwrite(buf, 1, n, stdout);
		buf[n] = '\0';
		if (resize_after && strstr(buf, resize_after)) {
			ioctl(master, TIOCSWINSZ, &ws_later);
			resize_after = NULL;
		}
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Print the first datagram that reaches UDP port `port` (IPv4 or 6). */
static int probe_udp_recv(int port)
{
	struct sockaddr_in6 addr = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	int fd = socket(AF_INET6, SOCK_DGRAM, 0), off = 0;
	char buf[2048];
	ssize_t n;

	setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return 1;
	printf("listening\n");
	fflush(stdout);
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0)
		return 1;
	printf("%.*s\n", (int)n, buf);
	return 0;
}

/* Allocate and touch MB mebibytes, then report. */
static int probe_alloc(long mb, bool hold)
{
	for (long i = 0; i < mb; i++) {
		char *p = malloc(1 << 20);

		if (!p)
			return 1;
		memset(p, 1, 1 << 20);
	}
	printf(hold ? "holding %ld MiB\n" : "allocated %ld MiB\n", mb);
	fflush(stdout);
	while (hold)
		usleep(100000);
	return 0;
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

/* A stream socket and the address of the abstract unix socket @name. */
static int abstract_socket(const char *name, struct sockaddr_un *addr,
			   socklen_t *len)
{
	*addr = (struct sockaddr_un){ .sun_family = AF_UNIX };
	snprintf(addr->sun_path + 1, sizeof(addr->sun_path) - 1, "%s", name);
	*len = offsetof(struct sockaddr_un, sun_path) + 1 + strlen(addr->sun_path + 1);
	return socket(AF_UNIX, SOCK_STREAM, 0);
}

static int probe_unix(const char *name, bool listen_on)
{
	struct sockaddr_un addr;
	socklen_t len;
	int fd = abstract_socket(name, &addr, &len);

	if (!listen_on) {
		if (connect(fd, (struct sockaddr *)&addr, len) < 0) {
			printf("not connected: %s\n", strerror(errno));
			return 1;
		}
		printf("connected\n");
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&addr, len) < 0 || listen(fd, 1) < 0) {
		perror("unix-listen");
		return 1;
	}
	printf("listening\n");
	fflush(stdout);
	if (accept(fd, NULL, NULL) < 0)
		return 1;
	printf("accepted\n");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "udp-recv"))
		return probe_udp_recv(atoi(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "alloc"))
		return probe_alloc(atol(argv[2]), false);
	if (argc >= 3 && !strcmp(argv[1], "hold"))
		return probe_alloc(atol(argv[2]), true);
	if (argc >= 2 && !strcmp(argv[1], "segv")) {
		/* with values a core dump shows in %r12 and %xmm10 */
		static const char xmm[16] = "linuxd core xmm!";

		__asm__ volatile ("movabs $0x1122334455667788, %%r12\n\t"
				  "movdqu (%0), %%xmm10\n\t"
				  "movl $1, (%1)"
				  : : "r" (xmm), "r" (0L) : "r12", "xmm10", "memory");
		return 1;
	}
	if (argc >= 2 && !strcmp(argv[1], "tty"))
		return probe_tty(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "getppid"))	/* a call nothing else makes */
		return printf("%d\n", (int)getppid()) < 0;
	if (argc == 3 && !strcmp(argv[1], "rlimit"))
		return probe_rlimit(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "console"))
		return probe_console(argv[2], argv + 3);
	if (argc == 3 && !strcmp(argv[1], "unix-listen"))
		return probe_unix(argv[2], true);
	if (argc == 3 && !strcmp(argv[1], "unix-connect"))
		return probe_unix(argv[2], false);
	if (argc >= 3 && !strcmp(argv[1], "reap"))
		return probe_reap(argv + 2);
	if (argc == 2 && !strcmp(argv[1], "forkbomb"))
		for (;;)
			fork();
	fprintf(stderr, "usage: probe segv | tty FD... | rlimit NAME | reap CMD...\n");
	return 2;
}
