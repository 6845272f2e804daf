/*
 * linuxd-init: PID 1 of the sandbox kernel.
 *
 * It serves the runtime's requests (common/protocol.h) on connections it
 * accepts from the control socket, runs the container process, and when
 * that exits writes its status to /proc/exitcode and powers off, so that
 * the kernel process exits with it: N, or 128+signal; 126/127 when the
 * process cannot be executed or found, 1 for other set-up failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/hostfd.h"
#include "../common/protocol.h"
#include "init.h"

#define LISTENER_FD 3
#define MAX_CONNS 16

struct init {
	struct init_settings settings;
	pid_t pid;			/* the container process, once created */
	bool started;
	int sfd;			/* SIGCHLD */
	struct pollfd fds[2 + MAX_CONNS]; /* signalfd, listener, connections */
	size_t n_fds;
};

static void power_off(int code)
{
	FILE *f = fopen("/proc/exitcode", "we");

	if (f) {
		fprintf(f, "%d\n", code);
		fclose(f);
	}
	sync();
	reboot(RB_POWER_OFF);
	for (;;)
		pause();
}

static void open_at(const char *dev, int flags, int fd)
{
	int got = open(dev, flags);

	if (got < 0 || (got != fd && dup3(got, fd, flags & O_CLOEXEC) < 0)) {
		init_log("%s: %s", dev, strerror(errno));
		power_off(1);
	}
	if (got != fd)
		close(got);
}

/* The guest's own loopback, which every container has. */
static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		init_log("loopback: %s", strerror(errno));
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			init_log("loopback up: %s", strerror(errno));
	}
	if (fd >= 0)
		close(fd);
}

static void setup_guest(void)
{
	mkdir("/dev", 0755);
	mkdir("/proc", 0555);
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) < 0 ||
	    mount("proc", "/proc", "proc", 0, NULL) < 0)
		power_off(1);
	open_at("/dev/hostfd0", O_RDONLY, 0);
	open_at("/dev/hostfd1", O_WRONLY, 1);
	open_at("/dev/hostfd2", O_WRONLY, 2);
	open_at("/dev/hostfd3", O_RDWR | O_CLOEXEC, LISTENER_FD);
	signal(SIGPIPE, SIG_IGN);
	loopback_up();
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void do_create(struct init *in, int conn)
{
	char err[4096];

	if (in->pid) {
		reply(conn, LD_KEY_ERROR, "container already created");
		return;
	}
	in->pid = process_create(&in->settings, err, sizeof(err));
	if (in->pid > 0) {
		reply(conn, LD_KEY_CREATED, NULL);
		return;
	}
	reply(conn, LD_KEY_ERROR, "%s", err);
	power_off(-in->pid);
}

static void do_start(struct init *in, int conn)
{
	char err[4096];
	int rc;

	if (!in->pid || in->started) {
		reply(conn, LD_KEY_ERROR, "container is %s", in->pid ? "already started" : "not created");
		return;
	}
	rc = process_start(in->pid, err, sizeof(err));
	if (rc < 0) {
		reply(conn, LD_KEY_ERROR, "%s", err);
		power_off(-rc);
	}
	in->started = true;
	reply(conn, LD_KEY_STARTED, NULL);
}

static void do_signal(struct init *in, int conn, const char *value)
{
	if (!in->pid)
		reply(conn, LD_KEY_ERROR, "container not created");
	else if (kill(in->pid, atoi(value)) < 0)
		reply(conn, LD_KEY_ERROR, "signal %s: %s", value, strerror(errno));
	else
		reply(conn, LD_KEY_OK, NULL);
}

/* One request; returns -1 when the connection is done. */
static int serve(struct init *in, int conn)
{
	char rec[LD_RECORD_MAX + 1], *value;
	ssize_t n = read(conn, rec, LD_RECORD_MAX);

	if (n <= 0)
		return n < 0 && errno == EINTR ? 0 : -1;
	rec[n] = '\0';
	value = strchr(rec, '=');
	if (value)
		*value++ = '\0';
	if (!strcmp(rec, LD_KEY_CREATE))
		do_create(in, conn);
	else if (!strcmp(rec, LD_KEY_START))
		do_start(in, conn);
	else if (!strcmp(rec, LD_KEY_SIGNAL))
		do_signal(in, conn, value ? value : "");
	else if (!in->pid)
		settings_add(&in->settings, rec, value ? value : "");
	else
		reply(conn, LD_KEY_ERROR, "unknown request \"%s\"", rec);
	return 0;
}

static void reap(struct init *in)
{
	struct signalfd_siginfo si;
	int status;
	pid_t got;

	while (read(in->sfd, &si, sizeof(si)) > 0)
		;
	while ((got = waitpid(-1, &status, WNOHANG)) > 0)
		if (got == in->pid)
			power_off(exit_code(status));
}

static void accept_conn(struct init *in)
{
	int conn = ioctl(LISTENER_FD, HOSTFD_IOC_ACCEPT);

	if (conn < 0)
		return;
	if (in->n_fds == sizeof(in->fds) / sizeof(in->fds[0])) {
		reply(conn, LD_KEY_ERROR, "too many connections");
		close(conn);
		return;
	}
	in->fds[in->n_fds++] = (struct pollfd){ .fd = conn, .events = POLLIN };
}

int main(void)
{
	static struct init in;
	sigset_t chld;
	size_t i;

	setup_guest();
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	in.sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	in.fds[0] = (struct pollfd){ .fd = in.sfd, .events = POLLIN };
	in.fds[1] = (struct pollfd){ .fd = LISTENER_FD, .events = POLLIN };
	in.n_fds = 2;
	for (;;) {
		if (poll(in.fds, in.n_fds, -1) < 0)
			continue;
		if (in.fds[0].revents)
			reap(&in);
		if (in.fds[1].revents)
			accept_conn(&in);
		for (i = 2; i < in.n_fds; i++) {
			if (!in.fds[i].revents || serve(&in, in.fds[i].fd) == 0)
				continue;
			close(in.fds[i].fd);
			in.fds[i--] = in.fds[--in.n_fds];
		}
	}
}
