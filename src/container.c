/* The container lifecycle (OCI runtime spec): create, start, run, kill,
 * delete, on top of the sandbox and the state directory. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "binds.h"
#include "config.h"
#include "console.h"
#include "cgroup.h"
#include "container.h"
#include "hooks.h"
#include "jail.h"
#include "network.h"
#include "sandbox.h"
#include "state.h"
#include "util.h"

void ld_forwarded_signals(sigset_t *set)
{
	static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT,
					 SIGUSR1, SIGUSR2 };

	sigemptyset(set);
	for (size_t i = 0; i < LD_ARRAY_SIZE(forwarded); i++)
		sigaddset(set, forwarded[i]);
}

void ld_foreground_signals(sigset_t *set)
{
	ld_forwarded_signals(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGWINCH);
}

int ld_foreground_wait(pid_t pid, struct ld_console_proxy *p,
		       void (*forward)(void *arg, int sig), void *arg)
{
	struct signalfd_siginfo si;
	struct pollfd fds[3];
	sigset_t set;
	int sfd, status;

	ld_foreground_signals(&set);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	fds[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	while (waitpid(pid, &status, WNOHANG) != pid) {
		ld_console_proxy_poll(p, fds + 1);
		if (poll(fds, 3, -1) < 0)
			continue;
		ld_console_proxy_pump(p, fds + 1);
		if (!fds[0].revents || read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGWINCH)
			ld_console_proxy_resize(p);
		else if (si.ssi_signo != SIGCHLD)
			forward(arg, si.ssi_signo);
	}
	ld_console_proxy_end(p);
	close(sfd);
	return status;
}

/* The kernel's log, its path in path, which must hold PATH_MAX bytes. */
static int open_log(const struct ld_globals *g, const char *dir,
		    char *path, struct ld_error *err)
{
	int fd;

	/* JSON logs are read by the caller line by line: the kernel's own
	 * text stays in the state directory then. */
	if (g->log && strcmp(g->log_format, "json"))
		snprintf(path, PATH_MAX, "%s", g->log);
	else
		snprintf(path, PATH_MAX, "%s/kernel.log", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return ld_error_set(err, errno, "log %s", path);
	return fd;
}

/* The last word of the kernel's log past offset from: its panic if it
 * panicked, else its last line.  Whether there is one. */
static bool last_word(const char *log, off_t from, char *word, size_t size)
{
	char buf[16384], *panic, *end, *line;
	cleanup_close int fd = open(log, O_RDONLY | O_CLOEXEC);
	off_t len = fd < 0 ? -1 : lseek(fd, 0, SEEK_END);
	ssize_t n;

	if (len <= from)
		return false;
	if (len - from > (off_t)sizeof(buf) - 1)
		from = len - (sizeof(buf) - 1);
	n = pread(fd, buf, len - from, from);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	line = strrchr(buf, '\n');
	line = line ? line + 1 : buf;
	panic = strstr(buf, "Kernel panic - not syncing: ");
	if (panic) {
		line = panic;
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
	}
	n = strnlen(line, size - 1);
	memcpy(word, line, n);
	word[n] = '\0';
	return n > 0;
}

/* After a create that lost its control channel: if the kernel process
 * stopped meanwhile (it panicked or failed a check while starting), say
 * so with its last word from log, where this boot wrote from offset from
 * on.  An error that init sent stays as it is. */
static void kernel_stopped(pid_t pid, const char *log, off_t from,
			   struct ld_error *err)
{
	siginfo_t si = { 0 };
	char word[256];

	if (strncmp(err->msg, LD_CHANNEL_ERROR, strlen(LD_CHANNEL_ERROR)))
		return;
	/* the kernel's end is what broke the channel: it comes at once */
	for (int i = 0; i < 20; i++) {
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) < 0)
			return;
		if (si.si_pid)
			break;
		usleep(10000);
	}
	if (si.si_pid && last_word(log, from, word, sizeof(word)))
		ld_error_set(err, 0, "sandbox kernel stopped while starting: %s", word);
}

/* Once its sandbox is gone: what the container took back, and its state. */
static void remove_container(const char *dir)
{
	ld_net_restore(dir);
	ld_cgroup_remove(dir);
	ld_state_remove(dir);
}

static void set_status(struct ld_state *st, const char *status)
{
	snprintf(st->status, sizeof(st->status), "%s", status);
}

/* The hooks saved with the container (its config.json, kept at create). */
static json_t *saved_hooks(const char *dir)
{
	char path[PATH_MAX];
	json_t *root, *hooks;

	snprintf(path, sizeof(path), "%s/config.json", dir);
	root = json_load_file(path, 0, NULL);
	hooks = json_incref(json_object_get(root, "hooks"));
	json_decref(root);
	return hooks;
}

static int save_config(const struct ld_config *c, const char *dir,
		       struct ld_error *err)
{
	char from[PATH_MAX], to[PATH_MAX];
	json_t *root;
	int rc;

	snprintf(from, sizeof(from), "%s/config.json", c->bundle);
	snprintf(to, sizeof(to), "%s/config.json", dir);
	root = json_load_file(from, 0, NULL);
	rc = root ? json_dump_file(root, to, JSON_COMPACT) : -1;
	json_decref(root);
	return rc < 0 ? ld_error_set(err, errno ?: EIO, "%s", to) : 0;
}

/* Hooks that may fail without failing the container: a warning. */
static void run_hooks_warn(json_t *hooks, const char *kind,
			   const struct ld_state *st)
{
	struct ld_error err = { 0 };

	if (ld_hooks_run(hooks, kind, st, &err) < 0)
		ld_warn("%s", err.msg);
}

/* linux.resources for the container's cgroup in the guest (the memory
 * limit is already the size of the guest). */
static int apply_resources(struct ld_sandbox *sb, const struct ld_config *c,
			   struct ld_error *err)
{
	const struct { const char *file; long long v; } set[] = {
		{ "memory.low", c->memory_reservation }, { "pids.max", c->pids_limit },
	};
	char setting[64];

	for (size_t i = 0; i < LD_ARRAY_SIZE(set); i++) {
		if (set[i].v < 0)
			continue;
		snprintf(setting, sizeof(setting), "%s %lld", set[i].file, set[i].v);
		if (ld_sandbox_request(sb, "cgroup", setting, NULL, 0, err) < 0)
			return -1;
	}
	return 0;
}

/* --pidfd-socket: a pidfd of the container's pid, the sandbox kernel. */
static int send_pidfd(const char *socket_path, pid_t pid, struct ld_error *err)
{
	cleanup_close int fd = syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0)
		return ld_error_set(err, errno, "--pidfd-socket: pidfd of %d", pid);
	return ld_send_fd("--pidfd-socket", socket_path, fd, "pidfd", err);
}

/* Boot the sandbox and prepare the process; the state says "created". */
static int create_in(const struct ld_globals *g, const struct ld_config *c,
		     const struct ld_create_opts *o, struct ld_state *st,
		     const char *dir, struct ld_sandbox *sb, int *master,
		     struct ld_error *err)
{
	int log_fd, console = -1, rc, unused = -1;
	char log[PATH_MAX];
	struct timespec now;
	off_t from;

	log_fd = open_log(g, dir, log, err);
	if (log_fd < 0)
		return -1;
	from = lseek(log_fd, 0, SEEK_END);
	rc = ld_cgroup_prepare(c, st->id, g->systemd_cgroup, dir, err);
	if (rc == 0 && c->terminal)
		rc = ld_console_create(o->console_socket, master ? master : &unused,
				       &console, err);
	if (rc == 0)
		rc = ld_sandbox_boot(sb, c, dir, log_fd, g, console, err);
	close(log_fd);
	if (console >= 0)
		close(console);
	if (rc < 0)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	strftime(st->created, sizeof(st->created), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime(&now.tv_sec));
	st->pid = sb->pid;
	st->start_time = ld_proc_start_time(sb->pid);
	set_status(st, "creating");
	if (ld_state_save(dir, st, err) < 0)
		return -1;
	if (ld_sandbox_create(sb, c, o->preserve_fds, err) < 0) {
		kernel_stopped(sb->pid, log, from, err);
		return -1;
	}
	if (ld_jail_seal(sb->pid, c, err) < 0 || apply_resources(sb, c, err) < 0)
		return -1;
	set_status(st, "created");
	if (ld_state_save(dir, st, err) < 0 || save_config(c, dir, err) < 0 ||
	    ld_hooks_run(c->hooks, "prestart", st, err) < 0 ||
	    ld_hooks_run(c->hooks, "createRuntime", st, err) < 0 ||
	    ld_hooks_run(c->hooks, "createContainer", st, err) < 0)
		return -1;
	return o->pidfd_socket ? send_pidfd(o->pidfd_socket, sb->pid, err) : 0;
}

/* Load the config, claim the id and create; on failure nothing is left.
 * A terminal without console socket (foreground run only) leaves its
 * master in *master. */
static int create(const struct ld_globals *g, const char *id,
		  const struct ld_create_opts *o, struct ld_sandbox *sb,
		  char **dir, int *master, struct ld_error *err)
{
	struct ld_config *c = NULL;
	struct ld_state st = { 0 };
	int rc = -1;

	sb->pid = 0;
	sb->conn = -1;
	if (ld_state_check_id(id, err) < 0 ||
	    ld_config_load(o->bundle, &c, err) < 0)
		return -1;
	if (ld_binds_resolve(c, g->root, err) < 0)
		goto out;
	if (c->terminal && !o->console_socket && !master) {
		ld_error_set(err, 0, "%s/config.json: process.terminal: true needs "
			     "--console-socket", c->bundle);
		goto out;
	}
	if (ld_state_claim(g->root, id, dir, err) < 0)
		goto out;
	snprintf(st.id, sizeof(st.id), "%s", id);
	snprintf(st.bundle, sizeof(st.bundle), "%s", c->bundle);
	snprintf(st.dir, sizeof(st.dir), "%s", *dir);
	rc = create_in(g, c, o, &st, *dir, sb, master, err);
	if (rc == 0)
		rc = ld_pid_file_write(o->pid_file, sb->pid, err);
	if (rc < 0 && master && *master >= 0) {
		close(*master);
		*master = -1;
	}
	if (rc < 0) {
		ld_sandbox_close(sb);
		remove_container(*dir);
		free(*dir);
		*dir = NULL;
	}
out:
	ld_config_free(c);
	return rc;
}

int ld_container_create(const struct ld_globals *g, const char *id,
			const struct ld_create_opts *o, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_sandbox sb;

	if (create(g, id, o, &sb, &dir, NULL, err) < 0)
		return -1;
	sb.pid = 0;	/* the sandbox outlives this command */
	ld_sandbox_close(&sb);
	return 0;
}

int ld_container_lock(const struct ld_globals *g, const char *id, char **dir,
		       struct ld_state *st, struct ld_error *err)
{
	struct stat sb;
	int lock;

	if (ld_state_check_id(id, err) < 0)
		return -1;
	if (asprintf(dir, "%s/%s", g->root, id) < 0)
		return ld_error_set(err, ENOMEM, "state");
	if (stat(*dir, &sb) < 0) {
		ld_error_set(err, 0, "container \"%s\" does not exist", id);
		err->errnum = ENOENT;
		return -1;
	}
	lock = ld_state_lock(*dir, err);
	if (lock >= 0 && ld_state_load(*dir, st, err) < 0) {
		close(lock);
		return -1;
	}
	return lock;
}

static int start_locked(const char *dir, struct ld_state *st,
			struct ld_error *err)
{
	const char *status = ld_state_status(st);
	struct ld_sandbox sb;
	int rc;

	json_t *hooks;

	if (strcmp(status, "created"))
		return ld_error_set(err, 0, "cannot start container \"%s\": it is %s",
				    st->id, status);
	hooks = saved_hooks(dir);
	rc = ld_hooks_run(hooks, "startContainer", st, err);
	if (rc == 0)
		rc = ld_sandbox_connect(&sb, dir, err);
	if (rc == 0) {
		rc = ld_sandbox_start(&sb, err);
		ld_sandbox_close(&sb);
	}
	if (rc == 0) {
		set_status(st, "running");
		rc = ld_state_save(dir, st, err);
	}
	if (rc == 0)
		run_hooks_warn(hooks, "poststart", st);
	json_decref(hooks);
	return rc;
}

int ld_container_start(const struct ld_globals *g, const char *id,
		       struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_state st;
	cleanup_close int lock = ld_container_lock(g, id, &dir, &st, err);

	if (lock < 0)
		return -1;
	return start_locked(dir, &st, err);
}

static void run_forward(void *sb, int sig)
{
	struct ld_error ignored = { 0 };

	ld_sandbox_signal(sb, sig, false, &ignored);
}

/* In the foreground until the kernel process exits; its status is the
 * container's. */
static int run_wait(struct ld_sandbox *sb, int master, struct ld_error *err)
{
	struct ld_console_proxy p = { .master = -1 };
	int status;

	if (master >= 0)
		ld_console_proxy_start(&p, master);
	status = ld_foreground_wait(sb->pid, &p, run_forward, sb);
	sb->pid = 0;
	/* SIGKILL of the sandbox is that of its process: 137, as with runc */
	if (WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL)
		return ld_error_set(err, 0, "sandbox kernel killed by signal %d",
				    WTERMSIG(status));
	return WIFSIGNALED(status) ? 128 + SIGKILL : WEXITSTATUS(status);
}

int ld_container_run(const struct ld_globals *g, const char *id,
		     const struct ld_create_opts *o, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_sandbox sb;
	struct ld_state st;
	sigset_t set, old;
	int rc, master = -1;

	ld_foreground_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	rc = create(g, id, o, &sb, &dir, o->detach ? NULL : &master, err);
	if (rc == 0)
		rc = ld_state_load(dir, &st, err);
	if (rc == 0)
		rc = start_locked(dir, &st, err);
	if (rc == 0 && o->detach)
		sb.pid = 0;
	else if (rc == 0)
		rc = run_wait(&sb, master, err);
	else if (master >= 0)
		close(master);
	ld_sandbox_close(&sb);
	if (dir && (rc < 0 || (!o->detach && !o->keep)))
		remove_container(dir);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* SIGKILL the sandbox and wait until it is gone (or a zombie). */
static void kill_sandbox(const struct ld_state *st)
{
	if (ld_proc_start_time(st->pid) != st->start_time)
		return;		/* gone already; the pid may be another's */
	kill(st->pid, SIGKILL);
	while (ld_proc_start_time(st->pid) == st->start_time)
		usleep(10000);
}

int ld_container_kill(const struct ld_globals *g, const char *id, int sig,
		      bool all, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_state st;
	struct ld_sandbox sb;
	int rc;

	{	/* the lock only to read the state and connect */
		cleanup_close int lock = ld_container_lock(g, id, &dir, &st, err);

		if (lock < 0)
			return -1;
		if (!strcmp(ld_state_status(&st), "stopped") && all)
			return 0;	/* its sandbox, and every process, is gone */
		if (!strcmp(ld_state_status(&st), "stopped"))
			/* runc's words, which containerd's shim looks for */
			return ld_error_set(err, 0, "cannot signal container \"%s\": "
					    "container not running", id);
		if (sig == 0)	/* it runs: all that signal 0 asks */
			return 0;
		rc = ld_sandbox_connect(&sb, dir, err);
	}
	if (rc == 0) {
		rc = ld_sandbox_signal(&sb, sig, all, err);
		ld_sandbox_close(&sb);
	}
	if (rc < 0 && sig == SIGKILL) {
		/* what SIGKILL does needs no guest: the sandbox ends with it */
		ld_warn("kill %s: %s; killing its sandbox", id, err->msg);
		kill_sandbox(&st);
		return 0;
	}
	return rc;
}

int ld_container_delete(const struct ld_globals *g, const char *id,
			bool force, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_state st;
	cleanup_close int lock = ld_container_lock(g, id, &dir, &st, err);
	const char *status;
	json_t *hooks;

	if (lock < 0)	/* --force of a container that is gone: done, as runc */
		return force && err->errnum == ENOENT ? 0 : -1;
	status = ld_state_status(&st);
	if ((!strcmp(status, "running") || !strcmp(status, "paused")) && !force)
		return ld_error_set(err, 0, "cannot delete container \"%s\" that is "
				    "not stopped: %s (use --force)", id, status);
	if (strcmp(status, "stopped"))
		kill_sandbox(&st);
	hooks = saved_hooks(dir);
	set_status(&st, "stopped");
	run_hooks_warn(hooks, "poststop", &st);
	json_decref(hooks);
	remove_container(dir);
	return 0;
}

int ld_container_state(const struct ld_globals *g, const char *id,
		       struct ld_state *st, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	cleanup_close int lock = ld_container_lock(g, id, &dir, st, err);

	char status[sizeof(st->status)];

	if (lock < 0)
		return -1;
	snprintf(status, sizeof(status), "%s", ld_state_status(st));
	set_status(st, status);
	if (!strcmp(status, "stopped"))
		st->pid = 0;
	return 0;
}

/*
 * Connect to the sandbox of container id if it is in one of the states
 * `need` (for a request `what`).  The lock is taken only to read the state
 * and connect: nothing waits for the guest while holding it.
 */
static int connect_in_state(const struct ld_globals *g, const char *id,
			    const char *what, const char *need, struct ld_sandbox *sb,
			    struct ld_state *st, char **dir, struct ld_error *err)
{
	cleanup_close int lock = ld_container_lock(g, id, dir, st, err);
	const char *status = lock < 0 ? NULL : ld_state_status(st);

	if (!status)
		return -1;
	if (!strstr(need, status))
		return ld_error_set(err, 0, "cannot %s container \"%s\": it is %s",
				    what, id, status);
	return ld_sandbox_connect(sb, *dir, err);
}

/* Send a plain request to a container in one of the given states. */
static int request(const struct ld_globals *g, const char *id,
		   const char *key, const char *arg, const char *need,
		   char *out, size_t size, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_sandbox sb;
	struct ld_state st;
	int rc;

	if (connect_in_state(g, id, key, need, &sb, &st, &dir, err) < 0)
		return -1;
	rc = ld_sandbox_request(&sb, key, arg, out, size, err);
	ld_sandbox_close(&sb);
	return rc;
}

int ld_container_pause(const struct ld_globals *g, const char *id,
		       bool pause, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_state st;
	cleanup_close int lock = -1;

	if (request(g, id, pause ? "pause" : "resume", NULL,
		    pause ? "running" : "paused", NULL, 0, err) < 0)
		return -1;
	lock = ld_container_lock(g, id, &dir, &st, err);
	if (lock < 0)
		return -1;
	set_status(&st, pause ? "paused" : "running");
	return ld_state_save(dir, &st, err);
}

int ld_container_ps(const struct ld_globals *g, const char *id, char *out,
		    size_t size, struct ld_error *err)
{
	return request(g, id, "ps", NULL, "created running paused", out, size, err);
}

/* The guest's limits, then the sandbox's host groups'. */
int ld_container_update(const struct ld_globals *g, const char *id,
			char **settings, const struct ld_config *host,
			struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	cleanup_close int lock = -1;
	struct ld_state st;

	for (size_t i = 0; settings[i]; i++)
		if (request(g, id, "cgroup", settings[i], "created running paused",
			    NULL, 0, err) < 0)
			return -1;
	lock = ld_container_lock(g, id, &dir, &st, err);
	return lock < 0 ? -1 : ld_cgroup_update(dir, host, err);
}

int ld_container_stats(const struct ld_globals *g, const char *id, char *out,
		       size_t size, struct ld_error *err)
{
	return request(g, id, "stats", NULL, "created running paused", out, size, err);
}
