/* `exec`: a further process in a running container, its stdio ours. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "console.h"
#include "container.h"
#include "sandbox.h"
#include "state.h"
#include "util.h"

static char **strings_copy(char **v)
{
	size_t n = 0;
	char **copy;

	while (v && v[n])
		n++;
	copy = calloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++)
		copy[i] = strdup(v[i]);
	return copy;
}

/* KEY=VALUE replaces KEY's entry in env or is appended. */
static void env_set(struct ld_config *c, const char *kv)
{
	size_t key = strcspn(kv, "="), n;

	for (n = 0; c->env[n]; n++) {
		if (!strncmp(c->env[n], kv, key) && c->env[n][key] == '=') {
			free(c->env[n]);
			c->env[n] = strdup(kv);
			return;
		}
	}
	c->env = realloc(c->env, (n + 2) * sizeof(char *));
	c->env[n] = strdup(kv);
	c->env[n + 1] = NULL;
}

/* --additional-gids, --cap and --no-new-privs on top of c's process:
 * a capability goes into its bounding, effective and permitted sets, and
 * into the ambient one when it has inheritable ones, as runc does. */
static int exec_identity(const struct ld_exec_opts *o, struct ld_config *c,
			 struct ld_error *err)
{
	unsigned long gid;
	char *end;
	size_t i;
	int n;

	c->no_new_privileges |= o->no_new_privs;
	for (i = 0; i < o->n_gids; i++) {
		gid = strtoul(o->gids[i], &end, 10);
		if (!*o->gids[i] || *end || gid >= UINT_MAX)
			return ld_error_set(err, 0, "--additional-gids \"%s\": expected a gid",
					    o->gids[i]);
		c->additional_gids = realloc(c->additional_gids,
					     (c->n_additional_gids + 1) * sizeof(unsigned int));
		c->additional_gids[c->n_additional_gids++] = gid;
	}
	for (i = 0; i < o->n_caps; i++) {
		n = ld_cap_number(o->caps[i]);
		if (n < 0)
			return ld_error_set(err, 0, "--cap \"%s\": unknown capability", o->caps[i]);
		c->caps[LD_CAP_BOUNDING] |= 1ULL << n;
		c->caps[LD_CAP_EFFECTIVE] |= 1ULL << n;
		c->caps[LD_CAP_PERMITTED] |= 1ULL << n;
		if (c->caps[LD_CAP_INHERITABLE])
			c->caps[LD_CAP_AMBIENT] |= 1ULL << n;
	}
	return 0;
}

/* The process to run: the bundle's, changed as the options say. */
static int exec_process(const struct ld_exec_opts *o, struct ld_config *c,
			struct ld_error *err)
{
	unsigned int uid, gid;
	char *text;
	size_t len;
	int rc;

	if (o->process_file) {
		text = ld_config_read(o->process_file, &len, err);
		if (!text)
			return -1;
		rc = ld_config_parse_process(text, len, o->process_file, c, err);
		free(text);
		if (rc < 0)
			return -1;
	} else {
		for (size_t i = 0; c->args[i]; i++)
			free(c->args[i]);
		free(c->args);
		c->args = strings_copy(o->args);
	}
	if (o->cwd) {
		free(c->cwd);
		c->cwd = strdup(o->cwd);
	}
	for (size_t i = 0; i < o->n_env; i++)
		env_set(c, o->env[i]);
	if (o->user && sscanf(o->user, "%u:%u", &uid, &gid) < 1)
		return ld_error_set(err, 0, "--user \"%s\": expected UID[:GID]", o->user);
	if (o->user) {
		c->uid = uid;
		c->gid = strchr(o->user, ':') ? gid : c->gid;
	}
	if (exec_identity(o, c, err) < 0)
		return -1;
	c->terminal = c->terminal || o->tty;
	if (c->terminal && o->detach && !o->console_socket)
		return ld_error_set(err, 0, "exec: a terminal with --detach needs "
				    "--console-socket");
	return 0;
}

/* Only the connection and the terminal stay open in the waiter, as 3 and
 * 4: its caller (a shim, conmon) waits for the end of the output it gave
 * us. */
static void waiter_fds(int *conn, int *tty)
{
	int null = open("/dev/null", O_RDWR);
	int c = fcntl(*conn, F_DUPFD_CLOEXEC, 10);
	int t = *tty >= 0 ? fcntl(*tty, F_DUPFD_CLOEXEC, 10) : -1;

	for (int fd = 0; fd < 3; fd++)
		dup2(null, fd);
	*conn = dup3(c, 3, O_CLOEXEC);
	*tty = t >= 0 ? dup3(t, 4, O_CLOEXEC) : -1;
	close_range(t >= 0 ? 5 : 4, ~0U, 0);
}

/* The waiter: a host process of its own (the --pid-file pid) that passes
 * on the signals it gets and exits with the process's status.  With a
 * terminal it holds the slave as its controlling terminal, so that it
 * learns of window-size changes (SIGWINCH) and passes them on. */
static void exec_waiter(struct ld_sandbox *sb, int tty)
{
	struct signalfd_siginfo si;
	struct pollfd p[2];
	sigset_t set;
	int code = -1;

	waiter_fds(&sb->conn, &tty);
	setsid();
	signal(SIGHUP, SIG_IGN);	/* the terminal's caller may go away */
	ld_forwarded_signals(&set);
	sigdelset(&set, SIGHUP);
	sigaddset(&set, SIGWINCH);
	sigprocmask(SIG_SETMASK, &set, NULL);
	if (tty >= 0 && ioctl(tty, TIOCSCTTY, 0) == 0)
		ld_sandbox_exec_resize(sb, tty);
	p[0] = (struct pollfd){ .fd = signalfd(-1, &set, SFD_CLOEXEC), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = sb->conn, .events = POLLIN };
	while (code < 0) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents && read(p[0].fd, &si, sizeof(si)) == sizeof(si) &&
		    si.ssi_signo == SIGWINCH)
			ld_sandbox_exec_resize(sb, tty);
		else if (p[0].revents)
			ld_sandbox_exec_signal(sb, si.ssi_signo);
		if (p[1].revents)
			code = ld_sandbox_exec_wait(sb);
	}
	_exit(code);
}

static void exec_forward(void *sb, int sig)
{
	ld_sandbox_exec_signal(sb, sig);
}

/* Leave the waiter; in the foreground wait for it, passing on signals
 * and, without console socket, proxying the terminal. */
static int exec_wait(struct ld_sandbox *sb, const struct ld_exec_opts *o,
		     int master, int tty, struct ld_error *err)
{
	struct ld_console_proxy p = { .master = -1 };
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return ld_error_set(err, errno, "fork");
	if (pid == 0)
		exec_waiter(sb, tty);
	if (o->detach)
		return ld_pid_file_write(o->pid_file, pid, err);
	if (master >= 0)
		ld_console_proxy_start(&p, master);
	status = ld_foreground_wait(pid, &p, exec_forward, sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int ld_container_exec(const struct ld_globals *g, const char *id,
		      const struct ld_exec_opts *o, struct ld_error *err)
{
	cleanup_free char *dir = NULL, *saved = NULL;
	struct ld_config *c = NULL;
	struct ld_sandbox sb = { .conn = -1 };
	struct ld_state st;
	sigset_t set, old;
	int lock, rc = -1, master = -1, tty = -1;

	ld_foreground_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	lock = ld_container_lock(g, id, &dir, &st, err);
	if (lock < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	if (!strcmp(ld_state_status(&st), "paused") && !o->ignore_paused)
		ld_error_set(err, 0, "cannot exec in a paused container (use --ignore-paused to override)");
	else if (strcmp(ld_state_status(&st), "running") &&
		 strcmp(ld_state_status(&st), "created") &&
		 strcmp(ld_state_status(&st), "paused"))
		ld_error_set(err, 0, "cannot exec in container \"%s\": it is %s", id,
			     ld_state_status(&st));
	else if (asprintf(&saved, "%s/config.json", dir) > 0 &&
		 ld_config_load_file(saved, st.bundle, &c, err) == 0 &&
		 exec_process(o, c, err) == 0 &&
		 (!c->terminal ||
		  ld_console_create(o->console_socket, &master, &tty, err) == 0) &&
		 ld_sandbox_connect(&sb, dir, err) == 0) {
		close(lock);	/* nothing waits for the guest under the lock */
		lock = -1;
		rc = ld_sandbox_exec(&sb, c, tty, o->preserve_fds, o->cgroup, err);
	}
	if (lock >= 0)
		close(lock);
	ld_config_free(c);
	if (rc == 0)
		rc = exec_wait(&sb, o, master, tty, err);
	else if (master >= 0)
		close(master);
	if (tty >= 0)
		close(tty);
	ld_sandbox_close(&sb);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
