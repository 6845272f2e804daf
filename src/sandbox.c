#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/protocol.h"
#include "allowlist.h"
#include "cgroup.h"
#include "container.h"
#include "jail.h"
#include "network.h"
#include "paths.h"
#include "sandbox.h"
#include "util.h"

/* Without a memory limit, the guest's memory set up at boot (the kernel
 * adds the rest of the host's when it runs out: kernel patch 0026); and
 * the least a guest has */
#define LD_MEMORY_BOOT "256M"
#define LD_MEMORY_MIN (64LL << 20)

static int send_record(struct ld_sandbox *sb, struct ld_error *err,
		       const char *key, const char *fmt, ...);

/* Host descriptor numbers the kernel process gets for hostfd=, then the
 * terminal's slave when there is one. */
#define LD_FIRST_HOSTFD 3
#define LD_CONSOLE_FD 7
#define LD_CONSOLE_FD_STR "7"
/* The seccomp filters it installs on itself once booted and on its file
 * server. */
#define LD_FILTER_FD 8
#define LD_FILTER_FD_STR "8"
#define LD_FILES_FILTER_FD 9
#define LD_FILES_FILTER_FD_STR "9"
#define LD_FILES_USERNS_FD 10
#define LD_FILES_USERNS_FD_STR "10"

/*
 * A fresh open file description for a pipe or terminal, so the kernel's
 * non-blocking and async flags never reach the caller's shell; others
 * (files, sockets) are shared as they are: the kernel leaves a socket's
 * O_NONBLOCK as it found it (kernel patch 0001).
 */
static int stdio_for_kernel(int fd, int flags)
{
	char path[64];
	struct stat st;
	int new_fd;

	if (fstat(fd, &st) < 0)
		return open("/dev/null", flags | O_CLOEXEC);
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		new_fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		if (new_fd >= 0)
			return new_fd;
	}
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

static void build_argv(char **argv, const struct ld_config *c,
		       const char *state_dir, const struct ld_globals *g,
		       bool console, char *eth0)
{
	static char mem[32], initrd[PATH_MAX + 8], umldir[PATH_MAX + 16];
	static char jail[PATH_MAX + 16];
	static char platform[32];
	long long bytes = c->memory_limit;
	struct sysinfo si;
	size_t i = 0;

	/* the host's memory without a limit, as under runc, and with a
	 * limit above it, which bounds nothing */
	if (sysinfo(&si) == 0 &&
	    (bytes < 0 || bytes > (long long)si.totalram * si.mem_unit))
		bytes = (long long)si.totalram * si.mem_unit;
	if (bytes < LD_MEMORY_MIN)
		bytes = LD_MEMORY_MIN;
	snprintf(mem, sizeof(mem), "mem=%lldM", (bytes + (1 << 20) - 1) >> 20);
	snprintf(initrd, sizeof(initrd), "initrd=%s", ld_path_initrd());
	snprintf(umldir, sizeof(umldir), "uml_dir=%s", state_dir);
	argv[i++] = (char *)ld_path_kernel();
	argv[i++] = mem;
	/* a limit is memory the container is meant to use, page cache
	 * included, set up at boot (reclaim does not grow the memory) */
	if (c->memory_limit < 0)
		argv[i++] = "mem_boot=" LD_MEMORY_BOOT;
	argv[i++] = initrd;
	argv[i++] = umldir;
	argv[i++] = "umid=kernel";
	snprintf(jail, sizeof(jail), "jail=%s/" LD_JAIL_DIR, state_dir);
	argv[i++] = jail;
	argv[i++] = "jail_user=" LD_JAIL_USER;
	argv[i++] = "hostfd=3,4,5,6";
	argv[i++] = "jail_filter=" LD_FILTER_FD_STR;
	argv[i++] = "hostfs_server=" LD_FILES_FILTER_FD_STR "," LD_FILES_USERNS_FD_STR;
	snprintf(platform, sizeof(platform), "platform=%s", g->platform);
	argv[i++] = platform;
	/* kernel messages: console 0 writes to the log (fd 2), 1 KiB a
	 * second on average at most, the rest is null */
	argv[i++] = "con=null";
	argv[i++] = "con0=null,fd:2";
	argv[i++] = "console=tty0";
	argv[i++] = "log_rate=1024";
	if (console)	/* the container's terminal: guest /dev/tty1 */
		argv[i++] = "con1=fd:" LD_CONSOLE_FD_STR;
	if (eth0[0])
		argv[i++] = eth0;
	if (!g->debug)
		argv[i++] = "quiet";
	argv[i] = NULL;
}

/* In the child, before its descriptors are placed: what failed, on its
 * stderr, which is the pipe that child_error() reads. */
static _Noreturn void child_fail(const char *what)
{
	dprintf(2, "linuxd: %s: %s\n", what, strerror(errno));
	_exit(127);
}

/* In the parent: the child's message if it failed before exec (the pipe
 * ends with no word at exec), as the error. */
static int child_error(int pipe_fd, struct ld_error *err)
{
	char msg[512];
	ssize_t n, len = 0;

	while ((n = read(pipe_fd, msg + len, sizeof(msg) - 1 - len)) > 0 ||
	       (n < 0 && errno == EINTR))
		len += n > 0 ? n : 0;
	close(pipe_fd);
	if (len <= 0)
		return 0;
	msg[len] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	return ld_error_set(err, 0, "%s", strncmp(msg, "linuxd: ", 8) ? msg : msg + 8);
}

/* In the child: each place[i][0] as descriptor place[i][1], or that one
 * closed if place[i][0] is -1 and place[i][2] says it may be; or exit. */
static void place_fds(int place[][3], size_t n)
{
	size_t i;

	/* out of the way first, so that no source is overwritten */
	for (i = 0; i < n; i++) {
		if (place[i][0] < 0 && !place[i][2])
			_exit(127);
		if (place[i][0] >= 0 &&
		    (place[i][0] = fcntl(place[i][0], F_DUPFD_CLOEXEC, 16)) < 0)
			_exit(127);
	}
	for (i = 0; i < n; i++) {
		if (place[i][0] < 0)
			close(place[i][1]);
		else if (dup2(place[i][0], place[i][1]) < 0)
			_exit(127);
	}
}

/* In the child: arrange descriptors 0..12 as the kernel expects, then exec. */
static void exec_kernel(const struct ld_config *c, const char *state_dir,
			int log_fd, const int fds[LD_HOSTFD_COUNT], int console,
			const int filters[2], const struct ld_net *net, char **argv)
{
	int userns = -1;
	sigset_t none;

	setsid();
	if (net->ns_fd >= 0 && setns(net->ns_fd, CLONE_NEWNET) < 0)
		child_fail("network namespace");
	/* its own /proc, for its own pid namespace */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		child_fail("the sandbox's /proc");
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	/* its stubs count against the processes of LD_JAIL_USER, which every
	 * sandbox shares: the host cgroup's pids limit bounds them instead */
	setrlimit(RLIMIT_NPROC, &(struct rlimit){ RLIM_INFINITY, RLIM_INFINITY });
	/* its cgroup, seen as the root of its own cgroup namespace */
	if (ld_cgroup_join(state_dir) < 0 || unshare(CLONE_NEWCGROUP) < 0)
		child_fail("the sandbox's cgroup");
	if (ld_jail_prepare(c, state_dir) < 0 || (userns = ld_jail_userns()) < 0 ||
	    ld_jail_capabilities() < 0)
		_exit(127);
	{
		/* each descriptor, where the kernel expects it, and whether
		 * it may be missing (its place then closed) */
		int place[][3] = {
			{ open("/dev/null", O_RDONLY | O_CLOEXEC), 0, 0 },
			{ log_fd, 1, 0 }, { log_fd, 2, 0 },
			{ fds[0], LD_FIRST_HOSTFD, 0 }, { fds[1], LD_FIRST_HOSTFD + 1, 0 },
			{ fds[2], LD_FIRST_HOSTFD + 2, 0 }, { fds[3], LD_FIRST_HOSTFD + 3, 0 },
			{ console, LD_CONSOLE_FD, 1 }, { filters[0], LD_FILTER_FD, 0 },
			{ filters[1], LD_FILES_FILTER_FD, 0 }, { userns, LD_FILES_USERNS_FD, 0 },
			{ net->rx_fd, LD_NET_RX_FD, 1 }, { net->tx_fd, LD_NET_TX_FD, 1 },
		};

		place_fds(place, sizeof(place) / sizeof(place[0]));
	}
	/* The console is its controlling terminal: a window-size change
	 * signals the kernel itself, with no helper process of its own to
	 * catch it; a hang-up of the terminal is the guest's business. */
	if (console >= 0 && (signal(SIGHUP, SIG_IGN) == SIG_ERR ||
			     ioctl(LD_CONSOLE_FD, TIOCSCTTY, 0) < 0))
		_exit(127);
	close_range(LD_NET_TX_FD + 1, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(argv[0], argv);
	dprintf(2, "linuxd: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Bound every later send and receive on conn (connect() included) to
 * seconds; 0: no bound. */
static void set_deadline(int conn, int seconds)
{
	struct timeval tv = { .tv_sec = seconds };

	setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(conn, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

/* Whether the call that failed ran out of its deadline. */
static bool timed_out(void)
{
	return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINPROGRESS;
}

/* The error of a failed call on the control channel. */
static int channel_error(struct ld_error *err)
{
	if (timed_out())
		return ld_error_set(err, 0, "sandbox kernel did not answer within %d s",
				    ld_timeout());
	return ld_error_set(err, errno, LD_CHANNEL_ERROR);
}

/* A SOCK_SEQPACKET socket at dir/ctl.sock, reached through a directory
 * descriptor so that long state paths fit in sun_path; a connection
 * has the deadline of ld_timeout().  Connecting never waits for the
 * kernel, which may not accept (stopped, or taken): the connection is
 * queued at once, the backlog being as long as the host allows, so that
 * the state lock held meanwhile is let go at once too; a full queue is
 * an error. */
static int control_socket(const char *dir, bool listen_on, struct ld_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	cleanup_close int dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd, rc;

	if (dfd < 0)
		return ld_error_set(err, errno, "state directory %s", dir);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "/proc/self/fd/%d/ctl.sock", dfd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return ld_error_set(err, errno, "control socket");
	if (listen_on)
		rc = bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
		     listen(fd, SOMAXCONN) < 0;
	else
		rc = connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0;
	if (rc) {
		if (!listen_on && errno == EAGAIN)
			ld_error_set(err, 0, "sandbox kernel takes no more connections: "
				     "%d wait for it", SOMAXCONN);
		else
			ld_error_set(err, errno, "control socket %s/ctl.sock", dir);
		close(fd);
		return -1;
	}
	/* the kernel accepts without waiting; a client waits, with a deadline */
	if (listen_on)
		return fd;
	if (fcntl(fd, F_SETFL, 0) < 0) {
		close(fd);
		return ld_error_set(err, errno, "control socket");
	}
	set_deadline(fd, ld_timeout());
	return fd;
}

int ld_sandbox_boot(struct ld_sandbox *sb, const struct ld_config *c,
		    const char *state_dir, int log_fd,
		    const struct ld_globals *g, int console,
		    struct ld_error *err)
{
	int fds[LD_HOSTFD_COUNT], i, rc, filters[2], errpipe[2];
	char *argv[24];
	struct ld_net net;

	memset(sb, 0, sizeof(*sb));
	sb->conn = -1;
	if (access(ld_path_kernel(), X_OK) < 0)
		return ld_error_set(err, errno, "sandbox kernel %s", ld_path_kernel());
	if (access(ld_path_initrd(), R_OK) < 0)
		return ld_error_set(err, errno, "guest init %s", ld_path_initrd());
	if (ld_net_prepare(c, state_dir, &net, err) < 0) {
		ld_net_free(&net);
		return -1;
	}
	filters[0] = ld_allowlist_fd(g->platform, LD_KERNEL, err);
	filters[1] = filters[0] < 0 ? -1 : ld_allowlist_fd(g->platform, LD_FILES, err);
	fds[LD_HOSTFD_CONTROL] = filters[1] < 0 ? -1 : control_socket(state_dir, true, err);
	if (fds[LD_HOSTFD_CONTROL] < 0) {
		for (i = 0; i < 2; i++)
			if (filters[i] >= 0)
				close(filters[i]);
		ld_net_free(&net);
		return -1;
	}
	/* with a terminal the process's stdio is the console: the sandbox
	 * keeps nothing of the caller's, which may be waiting for EOF */
	for (i = LD_HOSTFD_STDIN; i <= LD_HOSTFD_STDERR; i++)
		fds[i] = console >= 0 ? open("/dev/null", O_RDWR | O_CLOEXEC) :
			 stdio_for_kernel(i, i ? O_WRONLY : O_RDONLY);
	build_argv(argv, c, state_dir, g, console >= 0, net.kernel_arg);
	if (pipe2(errpipe, O_CLOEXEC) < 0)
		errpipe[0] = errpipe[1] = -1;
	/* The kernel process is PID 1 of new pid, mount, ipc, uts and network
	 * namespaces (or joins the spec's network namespace), and of a cgroup
	 * namespace once in its cgroup: it sees no host process, IPC object,
	 * network or cgroup, and everything it started dies with it. */
	sb->pid = syscall(SYS_clone, SIGCHLD | CLONE_NEWPID | CLONE_NEWNS |
			  CLONE_NEWIPC | CLONE_NEWUTS |
			  (net.ns_fd < 0 ? CLONE_NEWNET : 0), NULL);
	if (sb->pid == 0) {
		if (errpipe[1] >= 0)
			dup2(errpipe[1], 2);
		exec_kernel(c, state_dir, log_fd, fds, console, filters, &net, argv);
	}
	for (i = 0; i < LD_HOSTFD_COUNT; i++)
		close(fds[i]);
	close(filters[0]);
	close(filters[1]);
	close(errpipe[1]);
	if (sb->pid < 0) {
		close(errpipe[0]);
		ld_net_free(&net);
		return ld_error_set(err, errno, "fork");
	}
	if (errpipe[0] >= 0 && child_error(errpipe[0], err) < 0) {
		ld_net_free(&net);
		return -1;
	}
	sb->conn = control_socket(state_dir, false, err);
	rc = sb->conn < 0 ? -1 : 0;
	if (rc == 0)	/* booting is the kernel's slowest answer */
		set_deadline(sb->conn, ld_timeout() * LD_BOOT_TIMEOUTS);
	for (size_t k = 0; rc == 0 && k < net.n_settings; k++)
		rc = send_record(sb, err, net.settings[k], NULL);
	ld_net_free(&net);
	return rc;
}

int ld_sandbox_connect(struct ld_sandbox *sb, const char *state_dir,
		       struct ld_error *err)
{
	memset(sb, 0, sizeof(*sb));
	sb->conn = control_socket(state_dir, false, err);
	return sb->conn < 0 ? -1 : 0;
}

/* One record, one message. */
static int send_record(struct ld_sandbox *sb, struct ld_error *err,
		       const char *key, const char *fmt, ...)
{
	char rec[LD_RECORD_MAX + 1];
	int len = snprintf(rec, sizeof(rec), "%s", key);
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		len += snprintf(rec + len, sizeof(rec) - len, "=");
		len += vsnprintf(rec + len, sizeof(rec) - len, fmt, ap);
		va_end(ap);
	}
	if (len > LD_RECORD_MAX)
		return ld_error_set(err, 0, "%s: longer than %d bytes", key, LD_RECORD_MAX);
	if (send(sb->conn, rec, len, MSG_NOSIGNAL) < 0)
		return channel_error(err);
	return 0;
}

static int send_strings(struct ld_sandbox *sb, struct ld_error *err,
			const char *key, char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		if (send_record(sb, err, key, "%s", v[i]) < 0)
			return -1;
	return 0;
}

/* A record carrying n host descriptors (SCM_RIGHTS). */
static int send_with_fds(struct ld_sandbox *sb, const char *key, const int *fds,
			 size_t n, struct ld_error *err)
{
	char control[CMSG_SPACE(sizeof(int) * LD_FDS_MAX)] = { 0 };
	struct iovec iov = { .iov_base = (char *)key, .iov_len = strlen(key) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control,
			      .msg_controllen = CMSG_SPACE(sizeof(int) * n) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);

	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int) * n);
	memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * n);
	if (sendmsg(sb->conn, &msg, MSG_NOSIGNAL) < 0)
		return channel_error(err);
	return 0;
}

/* The caller's descriptors 3 and on, for the process, in key records. */
static int send_preserved(struct ld_sandbox *sb, const char *key, unsigned int n,
			  struct ld_error *err)
{
	int fds[LD_FDS_MAX];
	unsigned int first, k;

	for (first = 0; first < n; first += k) {
		for (k = 0; k < LD_FDS_MAX && first + k < n; k++)
			fds[k] = LD_FIRST_PRESERVED_FD + first + k;
		if (send_with_fds(sb, key, fds, k, err) < 0)
			return -1;
	}
	return 0;
}

/* key after prefix, in buf. */
static const char *prefixed(char buf[32], const char *prefix, const char *key)
{
	snprintf(buf, 32, "%s%s", prefix, key);
	return buf;
}

/* The settings of c's process, their keys after prefix: "" for the
 * container process, "exec." for an exec'd one. */
static int send_process(struct ld_sandbox *sb, const char *prefix,
			const struct ld_config *c, struct ld_error *err)
{
	const unsigned long long *caps = c->caps;
	char k[32];
	int rc = send_strings(sb, err, prefixed(k, prefix, LD_KEY_ARG), c->args) ||
		 send_strings(sb, err, prefixed(k, prefix, LD_KEY_ENV), c->env) ||
		 send_record(sb, err, prefixed(k, prefix, LD_KEY_CWD), "%s", c->cwd) ||
		 send_record(sb, err, prefixed(k, prefix, LD_KEY_UID), "%u", c->uid) ||
		 send_record(sb, err, prefixed(k, prefix, LD_KEY_GID), "%u", c->gid) ||
		 send_record(sb, err, prefixed(k, prefix, LD_KEY_CAPS),
			"%llx %llx %llx %llx %llx", caps[0], caps[1], caps[2], caps[3], caps[4]) ||
		 (c->no_new_privileges &&
		  send_record(sb, err, prefixed(k, prefix, LD_KEY_NO_NEW_PRIVS), NULL)) ||
		 (c->umask >= 0 && send_record(sb, err, prefixed(k, prefix, LD_KEY_UMASK),
					       "%o", c->umask)) ||
		 (c->has_oom_score_adj &&
		  send_record(sb, err, prefixed(k, prefix, LD_KEY_OOM_SCORE_ADJ), "%d",
			      c->oom_score_adj));
	size_t i;

	for (i = 0; !rc && i < c->n_additional_gids; i++)
		rc = send_record(sb, err, prefixed(k, prefix, LD_KEY_GROUP), "%u",
				 c->additional_gids[i]);
	for (i = 0; !rc && i < c->n_rlimits; i++)
		rc = send_record(sb, err, prefixed(k, prefix, LD_KEY_RLIMIT), "%d %llu %llu",
				 c->rlimits[i].resource, c->rlimits[i].soft,
				 c->rlimits[i].hard);
	return rc ? -1 : 0;
}

/* A bind mount keeps the flags of its source's mount on the host, as on
 * the host a bind mount does: the options that say so, each followed by
 * a comma, for the spec's own options to come after (and override). */
static const char *inherited_flags(const char *source)
{
	static const struct { unsigned long flag; const char *option; } kept[] = {
		{ ST_RDONLY, "ro," }, { ST_NOSUID, "nosuid," }, { ST_NODEV, "nodev," },
		{ ST_NOEXEC, "noexec," }, { ST_NOATIME, "noatime," },
		{ ST_NODIRATIME, "nodiratime," },
	};
	static char text[64];
	struct statvfs sv;

	text[0] = '\0';
	if (statvfs(source, &sv) < 0)
		return text;
	for (size_t i = 0; i < LD_ARRAY_SIZE(kept); i++)
		if (sv.f_flag & kept[i].flag)
			strcat(text, kept[i].option);
	return text;
}

/* linux.seccomp compiled, as "KEY=FLAGS" carrying the filter's descriptor. */
static int send_seccomp(struct ld_sandbox *sb, const char *key,
			const struct ld_config *c, struct ld_error *err)
{
	char rec[64];
	int fd = c->seccomp_fd;

	if (fd < 0)
		return 0;
	snprintf(rec, sizeof(rec), "%s=%u", key, c->seccomp_flags);
	return send_with_fds(sb, rec, &fd, 1, err);
}

static int send_settings(struct ld_sandbox *sb, const struct ld_config *c,
			 struct ld_error *err)
{
	int rc = send_process(sb, "", c, err) ||
		 send_record(sb, err, LD_KEY_ROOT, "%s", c->root_path) ||
		 (c->hostname && send_record(sb, err, LD_KEY_HOSTNAME, "%s", c->hostname)) ||
		 (c->domainname && send_record(sb, err, LD_KEY_DOMAINNAME, "%s", c->domainname)) ||
		 (c->root_readonly && send_record(sb, err, LD_KEY_ROOT_RO, NULL)) ||
		 (c->terminal && send_record(sb, err, LD_KEY_TERMINAL, NULL)) ||
		 send_strings(sb, err, LD_KEY_SYSCTL, c->sysctl) ||
		 send_strings(sb, err, LD_KEY_UID_MAP, c->uid_maps) ||
		 send_strings(sb, err, LD_KEY_GID_MAP, c->gid_maps) ||
		 send_strings(sb, err, LD_KEY_MASKED, c->masked_paths) ||
		 send_strings(sb, err, LD_KEY_READONLY, c->readonly_paths) ||
		 send_seccomp(sb, LD_KEY_SECCOMP, c, err);

	for (size_t i = 0; !rc && i < c->n_mounts; i++) {
		const struct ld_mount *m = &c->mounts[i];

		rc = send_record(sb, err, LD_KEY_MOUNT, "%s", m->destination) ||
		     send_record(sb, err, LD_KEY_MOUNT_TYPE, "%s", m->type) ||
		     send_record(sb, err, LD_KEY_MOUNT_SOURCE, "%s", m->source) ||
		     send_record(sb, err, LD_KEY_MOUNT_OPTIONS, "%s%s",
				 m->bind ? inherited_flags(m->source) : "", m->options);
	}
	return rc ? -1 : 0;
}

/* The reply to a request: 0 when its key is `want` (its value, maybe
 * empty, into out when out is not NULL), else the error it carries. */
static int expect(struct ld_sandbox *sb, const char *want, char *out,
		  size_t size, struct ld_error *err)
{
	char rec[LD_RECORD_MAX + 1], *value;
	ssize_t n;

	do
		n = recv(sb->conn, rec, LD_RECORD_MAX, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return channel_error(err);
	if (n == 0)
		return ld_error_set(err, 0, LD_CHANNEL_ERROR ": the sandbox kernel "
				    "stopped before it answered (see the kernel log)");
	rec[n] = '\0';
	value = strchr(rec, '=');
	if (value)
		*value++ = '\0';
	if (!strcmp(rec, LD_KEY_ERROR))
		return ld_error_set(err, 0, "%s", value ? value : "unknown error");
	if (strcmp(rec, want))
		return ld_error_set(err, 0, "sandbox control channel: unexpected \"%s\"", rec);
	if (out)
		snprintf(out, size, "%s", value ? value : "");
	return 0;
}

int ld_sandbox_request(struct ld_sandbox *sb, const char *key,
		       const char *arg, char *out, size_t size,
		       struct ld_error *err)
{
	if (send_record(sb, err, key, arg ? "%s" : NULL, arg) < 0)
		return -1;
	return expect(sb, LD_KEY_OK, out, size, err);
}

int ld_sandbox_create(struct ld_sandbox *sb, const struct ld_config *c,
		      unsigned int preserve_fds, struct ld_error *err)
{
	if (send_settings(sb, c, err) < 0 ||
	    send_preserved(sb, LD_KEY_PRESERVE, preserve_fds, err) < 0 ||
	    send_record(sb, err, LD_KEY_CREATE, NULL) < 0)
		return -1;
	return expect(sb, LD_KEY_CREATED, NULL, 0, err);
}

int ld_sandbox_start(struct ld_sandbox *sb, struct ld_error *err)
{
	if (send_record(sb, err, LD_KEY_START, NULL) < 0)
		return -1;
	return expect(sb, LD_KEY_STARTED, NULL, 0, err);
}

int ld_sandbox_signal(struct ld_sandbox *sb, int sig, bool all,
		      struct ld_error *err)
{
	char arg[16];

	snprintf(arg, sizeof(arg), "%d", sig);
	return ld_sandbox_request(sb, all ? LD_KEY_SIGNAL_ALL : LD_KEY_SIGNAL,
				  arg, NULL, 0, err);
}

static int send_winsize(struct ld_sandbox *sb, const char *key, int tty,
			struct ld_error *err)
{
	struct winsize ws;

	if (ioctl(tty, TIOCGWINSZ, &ws) < 0)
		return 0;
	return send_record(sb, err, key, "%u %u", ws.ws_row, ws.ws_col);
}

/* The "exec" request, carrying the process's stdio: ours, or three times
 * the terminal's slave. */
static int send_exec(struct ld_sandbox *sb, int tty, struct ld_error *err)
{
	int fds[3] = { tty >= 0 ? dup(tty) : stdio_for_kernel(0, O_RDONLY),
		       tty >= 0 ? dup(tty) : stdio_for_kernel(1, O_WRONLY),
		       tty >= 0 ? dup(tty) : stdio_for_kernel(2, O_WRONLY) };
	int rc;

	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0)
		rc = ld_error_set(err, errno, "exec stdio");
	else
		rc = send_with_fds(sb, LD_KEY_EXEC, fds, 3, err);
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

int ld_sandbox_exec(struct ld_sandbox *sb, const struct ld_config *process,
		    int tty, unsigned int preserve_fds, const char *subcgroup,
		    struct ld_error *err)
{
	/* A guest that does not answer would keep the descriptors sent to
	 * it queued, and the caller waiting for their other ends to close. */
	if (ld_sandbox_request(sb, LD_KEY_HELLO, NULL, NULL, 0, err) < 0 ||
	    send_process(sb, LD_KEY_EXEC ".", process, err) < 0 ||
	    send_seccomp(sb, LD_KEY_EXEC "." LD_KEY_SECCOMP, process, err) < 0 ||
	    send_preserved(sb, LD_KEY_EXEC "." LD_KEY_PRESERVE, preserve_fds, err) < 0 ||
	    (subcgroup && send_record(sb, err, LD_KEY_EXEC "." LD_KEY_SUBCGROUP, "%s",
				      subcgroup) < 0) ||
	    (tty >= 0 && (send_record(sb, err, LD_KEY_EXEC "." LD_KEY_TERMINAL, NULL) < 0 ||
			  send_winsize(sb, LD_KEY_EXEC "." LD_KEY_WINSIZE, tty, err) < 0)) ||
	    send_exec(sb, tty, err) < 0 ||
	    expect(sb, LD_KEY_STARTED, NULL, 0, err) < 0)
		return -1;
	set_deadline(sb->conn, 0);	/* the process may run for as long as it likes */
	return 0;
}

void ld_sandbox_exec_resize(struct ld_sandbox *sb, int tty)
{
	struct ld_error ignored = { 0 };

	send_winsize(sb, LD_KEY_WINSIZE, tty, &ignored);
}

int ld_sandbox_exec_wait(struct ld_sandbox *sb)
{
	char rec[64];
	ssize_t n;

	do
		n = recv(sb->conn, rec, sizeof(rec) - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return 128 + SIGKILL;	/* the sandbox went away, and the process */
	rec[n] = '\0';
	if (strncmp(rec, LD_KEY_EXIT "=", strlen(LD_KEY_EXIT) + 1))
		return -1;
	return atoi(rec + strlen(LD_KEY_EXIT) + 1);
}

int ld_sandbox_exec_signal(struct ld_sandbox *sb, int sig)
{
	struct ld_error ignored = { 0 };

	return send_record(sb, &ignored, LD_KEY_SIGNAL, "%d", sig);
}

void ld_sandbox_close(struct ld_sandbox *sb)
{
	if (sb->pid > 0) {
		kill(sb->pid, SIGKILL);
		waitpid(sb->pid, NULL, 0);
		sb->pid = 0;
	}
	if (sb->conn >= 0)
		close(sb->conn);
	sb->conn = -1;
}
