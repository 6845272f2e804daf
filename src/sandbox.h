/* The sandbox: one sandbox kernel process per container and the control
 * channel to linuxd-init inside it (common/protocol.h). */
#ifndef LINUXD_SANDBOX_H
#define LINUXD_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"
#include "error.h"

/* How the message of an error on the control channel starts: the kernel
 * broke the connection or closed it before it answered. */
#define LD_CHANNEL_ERROR "sandbox control channel"

struct ld_sandbox {
	pid_t pid;		/* the kernel process, when our child */
	int conn;		/* connection to init's control socket */
};

/* Start the kernel process; the container's stdio are the caller's, or
 * the terminal `console` (a pty slave, -1 for none).  The kernel's own
 * messages go to log_fd (all of them with g->debug, else only warnings);
 * it runs processes on g->platform; state_dir holds its run files. */
struct ld_globals;
int ld_sandbox_boot(struct ld_sandbox *sb, const struct ld_config *c,
		    const char *state_dir, int log_fd,
		    const struct ld_globals *g, int console,
		    struct ld_error *err);
/* create waits this many times ld_timeout() for the kernel to boot; every
 * other request of the control channel ld_timeout(). */
#define LD_BOOT_TIMEOUTS 4
/* Connect to the sandbox of an existing container. */
int ld_sandbox_connect(struct ld_sandbox *sb, const char *state_dir,
		       struct ld_error *err);
/* Send the settings, our descriptors 3 .. 3+preserve_fds-1 for the
 * process, and "create"; wait until init has the process ready. */
int ld_sandbox_create(struct ld_sandbox *sb, const struct ld_config *c,
		      unsigned int preserve_fds, struct ld_error *err);
/* Run the process; wait until it runs. */
int ld_sandbox_start(struct ld_sandbox *sb, struct ld_error *err);
/* A request "key[=arg]" (pause, resume, ps, cgroup, stats) answered
 * "ok[=VALUE]"; VALUE goes to out when out is not NULL. */
int ld_sandbox_request(struct ld_sandbox *sb, const char *key,
		       const char *arg, char *out, size_t size,
		       struct ld_error *err);
/* Signal the container process, or with all every process in it. */
int ld_sandbox_signal(struct ld_sandbox *sb, int sig, bool all,
		      struct ld_error *err);
/* Run process (args, env, cwd, user) in the running container with our
 * stdio, or with the terminal whose slave is tty (-1 for none), and our
 * descriptors 3 .. 3+preserve_fds-1 as its 3, 4, ..., in the cgroup
 * subcgroup under the container's unless that is NULL.  Then
 * ld_sandbox_exec_wait reads the next record: the exit status, or -1 for
 * anything else; ld_sandbox_exec_signal signals the process and
 * ld_sandbox_exec_resize gives its terminal tty's window size. */
int ld_sandbox_exec(struct ld_sandbox *sb, const struct ld_config *process,
		    int tty, unsigned int preserve_fds, const char *subcgroup,
		    struct ld_error *err);
int ld_sandbox_exec_wait(struct ld_sandbox *sb);
int ld_sandbox_exec_signal(struct ld_sandbox *sb, int sig);
void ld_sandbox_exec_resize(struct ld_sandbox *sb, int tty);
void ld_sandbox_close(struct ld_sandbox *sb);

#endif
