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

/* A runtime command's connection, and the process it runs with exec:
 * with a terminal, its master and relay; the exit is reported once both
 * the process and the relay are gone. */
struct conn {
	struct init_settings exec;
	pid_t exec_pid, relay_pid;
	int tty_master;
	int exit_code;			/* -1 until the process ended */
};

struct init {
	struct init_settings settings;
	pid_t pid;			/* the container process, once created */
	bool started;
	int sfd;			/* SIGCHLD */
	struct pollfd fds[2 + MAX_CONNS]; /* signalfd, listener, connections */
	struct conn conns[2 + MAX_CONNS]; /* by the index in fds */
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
	/* terminals of exec'd processes in containers without a devpts */
	mkdir("/dev/pts", 0755);
	mount("devpts", "/dev/pts", "devpts", 0, "ptmxmode=0666");
	open_at("/dev/hostfd0", O_RDONLY, 0);
	open_at("/dev/hostfd1", O_WRONLY, 1);
	open_at("/dev/hostfd2", O_WRONLY, 2);
	/* non-blocking: a spurious wake-up must never stall init */
	open_at("/dev/hostfd3", O_RDWR | O_CLOEXEC | O_NONBLOCK, LISTENER_FD);
	signal(SIGPIPE, SIG_IGN);
	loopback_up();
	if (cgroup_setup() < 0)
		init_log("container cgroup: %s", strerror(errno));
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
	if (net_setup(&in->settings, err, sizeof(err)) < 0) {
		reply(conn, LD_KEY_ERROR, "%s", err);
		power_off(1);
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

/* Every process of the container but its PID 1: kill(-1) from a helper
 * in the container's pid namespace (where init's children start). */
static void signal_others(int sig)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(kill(-1, sig) < 0 && errno != ESRCH);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

static void do_signal(struct init *in, int conn, const char *value, bool all)
{
	if (all && in->pid)
		signal_others(atoi(value));
	if (!in->pid)
		reply(conn, LD_KEY_ERROR, "container not created");
	else if (kill(in->pid, atoi(value)) < 0)
		reply(conn, LD_KEY_ERROR, "signal %s: %s", value, strerror(errno));
	else
		reply(conn, LD_KEY_OK, NULL);
}

static void do_freeze(struct init *in, int conn, bool freeze)
{
	if (!in->started)
		reply(conn, LD_KEY_ERROR, "container not started");
	else if (cgroup_freeze(freeze) < 0)
		reply(conn, LD_KEY_ERROR, "%s: %s", freeze ? "pause" : "resume",
		      strerror(errno));
	else
		reply(conn, LD_KEY_OK, NULL);
}

static void do_cgroup_set(int conn, const char *setting)
{
	if (cgroup_set(setting) < 0)
		reply(conn, LD_KEY_ERROR, "%s: %s", setting, strerror(errno));
	else
		reply(conn, LD_KEY_OK, NULL);
}

static void do_stats(int conn)
{
	char stats[1024];

	cgroup_stats(stats, sizeof(stats));
	reply(conn, LD_KEY_OK, "%s", stats);
}

static void do_ps(int conn)
{
	char list[LD_RECORD_MAX - 16];

	cgroup_list(list, sizeof(list));
	reply(conn, LD_KEY_OK, "%s", list);
}

/* exec with a terminal: the process's stdio is a new pseudo-terminal,
 * relayed to the host terminal that came as its stdio. */
static pid_t exec_on_terminal(struct init *in, struct conn *c,
			      const int host[3], char *err, size_t size)
{
	int slave, tty[3];
	pid_t pid;

	c->tty_master = tty_open(in->pid, &c->exec, &slave);
	if (c->tty_master < 0) {
		snprintf(err, size, "exec terminal: %s", strerror(errno));
		return -1;
	}
	tty[0] = tty[1] = tty[2] = slave;
	pid = process_exec(&c->exec, in->pid, tty, err, size);
	close(slave);
	if (pid > 0)
		c->relay_pid = tty_relay_start(c->tty_master, host[0]);
	return pid;
}

static void do_exec(struct init *in, size_t i, const struct hostfd_recv *r)
{
	struct conn *c = &in->conns[i];
	int conn = in->fds[i].fd;
	char err[4096];
	pid_t pid;

	/* a created container's process waits in its namespaces: as runc */
	if (!in->pid || r->nfds != 3 || c->exec_pid) {
		reply(conn, LD_KEY_ERROR, "exec needs a created or running container and three stdio descriptors");
		return;
	}
	if (c->exec.terminal)
		pid = exec_on_terminal(in, c, r->fds, err, sizeof(err));
	else
		pid = process_exec(&c->exec, in->pid, r->fds, err, sizeof(err));
	if (pid < 0) {
		reply(conn, LD_KEY_ERROR, "%s", err);
		return;
	}
	c->exec_pid = pid;
	reply(conn, LD_KEY_STARTED, "%d", pid);
}

static void do_winsize(struct conn *c, const char *value)
{
	struct winsize ws = { 0 };

	if (c->tty_master >= 0 &&
	    sscanf(value, "%hu %hu", &ws.ws_row, &ws.ws_col) == 2)
		ioctl(c->tty_master, TIOCSWINSZ, &ws);
}

/* A setting of the container's process, or of an exec'd one, with the
 * descriptors some of them carry. */
static void add_setting(struct init_settings *s, const char *key,
			const char *value, const struct hostfd_recv *r)
{
	if (!strcmp(key, LD_KEY_PRESERVE))
		settings_add_fds(s, r->fds, r->nfds);
	else if (!strcmp(key, LD_KEY_SECCOMP) && r->nfds == 1)
		settings_add_seccomp(s, value, r->fds[0]);
	else
		settings_add(s, key, value);
}

static void dispatch(struct init *in, size_t i, char *rec,
		     const struct hostfd_recv *r)
{
	int conn = in->fds[i].fd;
	char *value = strchr(rec, '=');

	if (value)
		*value++ = '\0';
	if (!strcmp(rec, LD_KEY_CREATE))
		do_create(in, conn);
	else if (!strcmp(rec, LD_KEY_START))
		do_start(in, conn);
	else if (!strcmp(rec, LD_KEY_SIGNAL) && in->conns[i].exec_pid)
		kill(in->conns[i].exec_pid, atoi(value ? value : ""));
	else if (!strcmp(rec, LD_KEY_WINSIZE))
		do_winsize(&in->conns[i], value ? value : "");
	else if (!strcmp(rec, LD_KEY_SIGNAL))
		do_signal(in, conn, value ? value : "", false);
	else if (!strcmp(rec, LD_KEY_SIGNAL_ALL))
		do_signal(in, conn, value ? value : "", true);
	else if (!strcmp(rec, LD_KEY_EXEC))
		do_exec(in, i, r);
	else if (!strcmp(rec, LD_KEY_PAUSE) || !strcmp(rec, LD_KEY_RESUME))
		do_freeze(in, conn, !strcmp(rec, LD_KEY_PAUSE));
	else if (!strcmp(rec, LD_KEY_HELLO))
		reply(conn, LD_KEY_OK, NULL);
	else if (!strcmp(rec, LD_KEY_PS))
		do_ps(conn);
	else if (!strcmp(rec, LD_KEY_CGROUP))
		do_cgroup_set(conn, value ? value : "");
	else if (!strcmp(rec, LD_KEY_STATS))
		do_stats(conn);
	else if (!strncmp(rec, LD_KEY_EXEC ".", strlen(LD_KEY_EXEC) + 1))
		add_setting(&in->conns[i].exec, rec + strlen(LD_KEY_EXEC) + 1,
			    value ? value : "", r);
	else if (!in->pid)
		add_setting(&in->settings, rec, value ? value : "", r);
	else
		reply(conn, LD_KEY_ERROR, "unknown request \"%s\"", rec);
}

/* One request on connection i; returns -1 when the connection is done. */
static int serve(struct init *in, size_t i)
{
	char rec[LD_RECORD_MAX + 1];
	struct hostfd_recv r = { .buf = (unsigned long)rec, .len = LD_RECORD_MAX };
	unsigned int k;

	if (ioctl(in->fds[i].fd, HOSTFD_IOC_RECV, &r) < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (r.len == 0)
		return -1;
	rec[r.len] = '\0';
	dispatch(in, i, rec, &r);
	for (k = 0; k < r.nfds; k++)
		close(r.fds[k]);
	return 0;
}

/* An exec'd process or its terminal's relay ended. */
static void exec_reaped(struct conn *c, int conn, pid_t got, int status)
{
	if (got == c->exec_pid) {
		c->exit_code = exit_code(status);
		c->exec_pid = -1;
		if (c->relay_pid > 0)
			kill(c->relay_pid, SIGTERM);
	}
	if (got == c->relay_pid) {
		c->relay_pid = 0;
		close(c->tty_master);	/* a hangup for what is left on it */
		c->tty_master = -1;
	}
	if (c->exit_code >= 0 && !c->relay_pid) {
		reply(conn, LD_KEY_EXIT, "%d", c->exit_code);
		c->exit_code = -1;
	}
}

static void reap(struct init *in)
{
	struct signalfd_siginfo si;
	int status;
	pid_t got;

	while (read(in->sfd, &si, sizeof(si)) > 0)
		;
	while ((got = waitpid(-1, &status, WNOHANG)) > 0) {
		if (got == in->pid)
			power_off(exit_code(status));
		for (size_t i = 2; i < in->n_fds; i++)
			exec_reaped(&in->conns[i], in->fds[i].fd, got, status);
	}
}

/* The runtime's end of connection i closed: an exec'd process still
 * running goes with it, as runc's does with its waiter. */
static void conn_close(struct init *in, size_t i)
{
	struct conn *c = &in->conns[i];

	if (c->exec_pid > 0)
		kill(c->exec_pid, SIGKILL);
	if (c->relay_pid > 0)
		kill(c->relay_pid, SIGKILL);
	if (c->tty_master >= 0)
		close(c->tty_master);
	close(in->fds[i].fd);
	settings_free(&c->exec);
	in->conns[i] = in->conns[--in->n_fds];
	in->fds[i] = in->fds[in->n_fds];
}

static void accept_conn(struct init *in)
{
	int conn = ioctl(LISTENER_FD, HOSTFD_IOC_ACCEPT);

	if (conn < 0 || fcntl(conn, F_SETFL, O_NONBLOCK) < 0) {
		if (conn >= 0)
			close(conn);
		return;
	}
	if (in->n_fds == sizeof(in->fds) / sizeof(in->fds[0])) {
		reply(conn, LD_KEY_ERROR, "too many connections");
		close(conn);
		return;
	}
	in->conns[in->n_fds] = (struct conn){ .tty_master = -1, .exit_code = -1 };
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
		for (i = 2; i < in.n_fds; i++)
			if (in.fds[i].revents && serve(&in, i) < 0)
				conn_close(&in, i--);
	}
}
