/* `exec`: a further process in a running container, its stdio ours. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
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

/* The process to run: the bundle's, changed as the options say. */
static int exec_process(const struct ld_exec_opts *o, struct ld_config *c,
			struct ld_error *err)
{
	unsigned int uid, gid;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (o->process_file) {
		f = fopen(o->process_file, "re");
		if (!f)
			return ld_error_set(err, errno, "--process %s", o->process_file);
		rc = getdelim(&text, &len, '\0', f) < 0 && ferror(f);
		fclose(f);
		rc = rc ? ld_error_set(err, EIO, "--process %s", o->process_file)
			: ld_config_parse_process(text ?: "", text ? strlen(text) : 0,
						  o->process_file, c, err);
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
	if (c->terminal)
		return ld_error_set(err, 0, "exec: a terminal is not supported yet");
	return 0;
}

/* Hand the process's exit status to a host process of its own. */
static int exec_detach(struct ld_sandbox *sb, const char *pid_file,
		       struct ld_error *err)
{
	pid_t pid = fork();

	if (pid < 0)
		return ld_error_set(err, errno, "fork");
	if (pid == 0) {
		sigset_t none;
		int code;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setsid();
		while ((code = ld_sandbox_exec_wait(sb)) < 0)
			;
		_exit(code);
	}
	return ld_pid_file_write(pid_file, pid, err);
}

/* Wait for the process, passing on signals (blocked since before the
 * process started, so none is lost). */
static int exec_wait_forwarding(struct ld_sandbox *sb, const sigset_t *set)
{
	struct signalfd_siginfo si;
	struct pollfd p[2];
	int sfd, code = -1;

	sfd = signalfd(-1, set, SFD_CLOEXEC);
	p[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	p[1] = (struct pollfd){ .fd = sb->conn, .events = POLLIN };
	while (code < 0) {
		if (poll(p, 2, -1) < 0)
			continue;
		if (p[0].revents && read(sfd, &si, sizeof(si)) == sizeof(si))
			ld_sandbox_exec_signal(sb, si.ssi_signo);
		if (p[1].revents)
			code = ld_sandbox_exec_wait(sb);
	}
	if (sfd >= 0)
		close(sfd);
	return code;
}

int ld_container_exec(const struct ld_globals *g, const char *id,
		      const struct ld_exec_opts *o, struct ld_error *err)
{
	cleanup_free char *dir = NULL;
	struct ld_config *c = NULL;
	struct ld_sandbox sb = { .conn = -1 };
	struct ld_state st;
	sigset_t set, old;
	int lock, rc = -1;

	ld_forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	lock = ld_container_lock(g, id, &dir, &st, err);
	if (lock < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	if (strcmp(ld_state_status(&st), "running"))
		ld_error_set(err, 0, "cannot exec in container \"%s\": it is %s", id,
			     ld_state_status(&st));
	else if (ld_config_load(st.bundle, &c, err) == 0 &&
		 exec_process(o, c, err) == 0 &&
		 ld_sandbox_connect(&sb, dir, err) == 0)
		rc = ld_sandbox_exec(&sb, c, err);
	close(lock);
	ld_config_free(c);
	if (rc == 0)
		rc = o->detach ? exec_detach(&sb, o->pid_file, err)
			       : exec_wait_forwarding(&sb, &set);
	ld_sandbox_close(&sb);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
