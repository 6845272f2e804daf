/* Container lifecycle on top of the sandbox (OCI runtime spec). */
#ifndef LINUXD_CONTAINER_H
#define LINUXD_CONTAINER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "state.h"

struct ld_globals {
	const char *root;	/* state directory, --root */
	const char *log;	/* --log, or NULL */
	const char *log_format;	/* text or json */
	const char *platform;	/* --platform: seccomp or ptrace */
	bool debug;
	bool systemd_cgroup;	/* --systemd-cgroup */
};

/* The signals a foreground run or exec passes on to its process, as runc
 * does: SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2. */
void ld_forwarded_signals(sigset_t *set);
/* Those, SIGCHLD and SIGWINCH: what a foreground command blocks before it
 * starts anything, then waits for with ld_foreground_wait. */
void ld_foreground_signals(sigset_t *set);
/* Wait for our child pid: forwarded signals go to forward(arg, sig),
 * SIGWINCH resizes the proxy's terminal, the proxy copies (p->master -1
 * for none).  Returns the child's wait status. */
struct ld_console_proxy;
int ld_foreground_wait(pid_t pid, struct ld_console_proxy *p,
		       void (*forward)(void *arg, int sig), void *arg);

struct ld_create_opts {
	const char *bundle;
	const char *pid_file;	/* --pid-file: the sandbox kernel's pid */
	const char *console_socket;	/* gets the terminal's master */
	const char *pidfd_socket;	/* gets a pidfd of the sandbox kernel */
	unsigned int preserve_fds;	/* our fds 3.. passed on (checked open) */
	bool detach;		/* run -d */
	bool keep;		/* run --keep: stopped, not removed, after */
};

/* Boot the sandbox and prepare the process, which waits for start. */
int ld_container_create(const struct ld_globals *g, const char *id,
			const struct ld_create_opts *o, struct ld_error *err);
int ld_container_start(const struct ld_globals *g, const char *id,
		       struct ld_error *err);
/* create and start; in the foreground (forwarding signals, removing the
 * container after unless o->keep, and returning its exit status) unless
 * o->detach. */
int ld_container_run(const struct ld_globals *g, const char *id,
		     const struct ld_create_opts *o, struct ld_error *err);
/* Signal the container process; with all, every process in it. */
int ld_container_kill(const struct ld_globals *g, const char *id, int sig,
		      bool all, struct ld_error *err);
/* Remove a stopped (or, with force, any) container and its sandbox. */
int ld_container_delete(const struct ld_globals *g, const char *id,
			bool force, struct ld_error *err);
struct ld_exec_opts {
	const char *process_file;	/* --process: an OCI process object */
	char **args;			/* else these, NULL-terminated */
	const char *cwd;
	char **env;			/* KEY=VALUE, added or replaced */
	size_t n_env;
	const char *user;		/* UID[:GID] */
	const char *pid_file;
	const char *console_socket;	/* gets the terminal's master */
	bool tty;			/* --tty: process.terminal */
	bool detach;
	unsigned int preserve_fds;	/* our fds 3.. passed on (checked open) */
	char **caps;			/* --cap: added, as "CAP_..." */
	size_t n_caps;
	char **gids;			/* --additional-gids */
	size_t n_gids;
	bool no_new_privs;		/* --no-new-privs */
	bool ignore_paused;		/* --ignore-paused */
	const char *cgroup;		/* --cgroup: a path under the container's */
};

/* Run a process in a running container with our stdio; returns its exit
 * status, or with detach 0 once it runs, leaving a host process (the
 * --pid-file pid) that exits with that status. */
int ld_container_exec(const struct ld_globals *g, const char *id,
		      const struct ld_exec_opts *o, struct ld_error *err);
/* Open ROOT/ID locked and read its state; returns the lock fd, or -1 with
 * err->errnum ENOENT when there is no such container. */
int ld_container_lock(const struct ld_globals *g, const char *id, char **dir,
		      struct ld_state *st, struct ld_error *err);
/* Freeze (pause) or thaw (resume) every process of the container. */
int ld_container_pause(const struct ld_globals *g, const char *id,
		       bool pause, struct ld_error *err);
/* "PID COMMAND" lines for the container's processes, pids as the
 * container numbers them. */
int ld_container_ps(const struct ld_globals *g, const char *id, char *out,
		    size_t size, struct ld_error *err);
/* Set limits of the container's cgroup in the guest: "FILE VALUE" each
 * (memory.max, memory.swap.max, pids.max, cpu.max, cpu.weight); and of the
 * sandbox's host cgroup, host's limits (LD_NO_LIMIT: lifted). */
struct ld_config;
int ld_container_update(const struct ld_globals *g, const char *id,
			char **settings, const struct ld_config *host,
			struct ld_error *err);
/* "KEY VALUE" lines of the container's usage (memory, pids, cpu). */
int ld_container_stats(const struct ld_globals *g, const char *id, char *out,
		       size_t size, struct ld_error *err);
/* The state with its current status (pid 0 once stopped). */
int ld_container_state(const struct ld_globals *g, const char *id,
		       struct ld_state *st, struct ld_error *err);

/* Write a default config.json into dir (fails if one exists). */
int ld_spec_write(const char *dir, struct ld_error *err);

#endif
