#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "container.h"
#include "sandbox.h"
#include "state.h"
#include "util.h"

/* Signals `linuxd run` passes on to the container process, as runc does. */
static const int forwarded[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1,
				 SIGUSR2 };

static int open_log(const struct ld_globals *g, const char *dir,
		    struct ld_error *err)
{
	char path[PATH_MAX];
	int fd;

	if (g->log)
		snprintf(path, sizeof(path), "%s", g->log);
	else
		snprintf(path, sizeof(path), "%s/kernel.log", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return ld_error_set(err, errno, "log %s", path);
	return fd;
}

/* Forward signals until the kernel process exits; its status is the
 * container's. */
static int relay(struct ld_sandbox *sb, const sigset_t *set,
		 struct ld_error *err)
{
	siginfo_t si;
	int status;

	for (;;) {
		if (sigwaitinfo(set, &si) < 0)
			continue;
		if (si.si_signo != SIGCHLD) {
			ld_sandbox_signal(sb, si.si_signo, err);
			continue;
		}
		if (waitpid(sb->pid, &status, WNOHANG) == sb->pid)
			break;
	}
	sb->pid = 0;
	if (WIFSIGNALED(status))
		return ld_error_set(err, 0, "sandbox kernel killed by signal %d",
				    WTERMSIG(status));
	return WEXITSTATUS(status);
}

static int run_in(const struct ld_globals *g, const struct ld_config *c,
		  struct ld_state *st, const char *dir, const sigset_t *set,
		  struct ld_error *err)
{
	struct ld_sandbox sb;
	int log_fd, rc = -1;

	log_fd = open_log(g, dir, err);
	if (log_fd < 0)
		return -1;
	if (ld_sandbox_boot(&sb, c, dir, log_fd, g->debug, err) < 0)
		goto out;
	st->pid = sb.pid;
	st->status = "created";
	if (ld_state_save(dir, st, err) < 0 || ld_sandbox_create(&sb, c, err) < 0)
		goto out;
	if (ld_sandbox_start(&sb, err) < 0)
		goto out;
	st->status = "running";
	if (ld_state_save(dir, st, err) < 0)
		goto out;
	rc = 0;
out:
	close(log_fd);
	if (rc == 0)
		rc = relay(&sb, set, err);
	ld_sandbox_close(&sb);
	return rc;
}

int ld_container_run(const struct ld_globals *g, const char *id,
		     const char *bundle, struct ld_error *err)
{
	struct ld_config *c = NULL;
	cleanup_free char *dir = NULL;
	struct ld_state st = { .id = id, .status = "creating" };
	sigset_t set, old;
	size_t i;
	int rc;

	if (ld_state_check_id(id, err) < 0 || ld_config_load(bundle, &c, err) < 0)
		return -1;
	if (c->terminal) {
		ld_config_free(c);
		return ld_error_set(err, 0, "%s/config.json: process.terminal: "
				    "true is not supported by run yet", bundle);
	}
	if (ld_state_claim(g->root, id, &dir, err) < 0) {
		ld_config_free(c);
		return -1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (i = 0; i < LD_ARRAY_SIZE(forwarded); i++)
		sigaddset(&set, forwarded[i]);
	sigprocmask(SIG_BLOCK, &set, &old);
	st.bundle = c->bundle;
	rc = run_in(g, c, &st, dir, &set, err);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ld_state_remove(dir);
	ld_config_free(c);
	return rc;
}
