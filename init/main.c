/*
 * linuxd-init: PID 1 of the sandbox kernel.
 *
 * Exit codes are the container process's (N, or 128+signal), written to
 * /proc/exitcode before power-off so that the kernel process exits with
 * them; 126/127 when the process cannot be executed or found, 1 for other
 * set-up failures.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "init.h"
#include "../common/protocol.h"

#define CONTROL_FD 3
#define STATUS_FD 4

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
	open_at("/dev/hostfd3", O_RDONLY | O_CLOEXEC, CONTROL_FD);
	open_at("/dev/hostfd4", O_WRONLY | O_CLOEXEC, STATUS_FD);
}

static int exit_code(int status)
{
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

/* A control record after creation; returns 1 on "start". */
static int control_record(struct init_channel *ch, pid_t pid)
{
	char *key, *value;
	int rc = channel_next(ch, &key, &value), start = 0;

	if (rc <= 0) {
		ch->fd = -1;	/* the runtime went away; the container stays */
		return 0;
	}
	if (!strcmp(key, LD_KEY_SIGNAL))
		kill(pid, atoi(value));
	start = !strcmp(key, LD_KEY_START);
	free(key);
	return start;
}

/* Relay signals until the container process exits; returns its status. */
static int relay(struct init_channel *ch, pid_t pid, int sfd)
{
	struct signalfd_siginfo si;
	struct pollfd p[2] = { { .fd = sfd, .events = POLLIN },
			       { .fd = ch->fd, .events = POLLIN } };
	int status;
	pid_t got;

	for (;;) {
		while ((got = waitpid(-1, &status, WNOHANG)) > 0)
			if (got == pid)
				return exit_code(status);
		p[1].fd = ch->fd;
		if (poll(p, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (p[0].revents && read(sfd, &si, sizeof(si)) < 0)
			continue;
		if (p[1].revents)
			control_record(ch, pid);
	}
}

int main(void)
{
	static struct init_channel ch = { .fd = CONTROL_FD };
	struct init_settings s = { 0 };
	char err[4096];
	sigset_t chld;
	pid_t pid;
	int sfd, rc;

	setup_guest();
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	sfd = signalfd(-1, &chld, SFD_CLOEXEC);
	if (settings_read(&ch, &s) < 0)
		power_off(1);
	pid = process_create(&s, err, sizeof(err));
	if (pid < 0) {
		status_send(LD_KEY_ERROR, "%s", err);
		power_off(-pid);
	}
	status_send(LD_KEY_CREATED, NULL);
	while (ch.fd >= 0 && !control_record(&ch, pid))
		;
	rc = process_start(pid, err, sizeof(err));
	if (rc < 0) {
		status_send(LD_KEY_ERROR, "%s", err);
		power_off(-rc);
	}
	status_send(LD_KEY_STARTED, NULL);
	power_off(relay(&ch, pid, sfd));
}
