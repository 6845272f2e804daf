/* Container state under --root: one directory per container holding
 * state.json (the OCI state plus what linuxd needs to find the sandbox
 * again), the control socket and the sandbox kernel's run files. */
#ifndef LINUXD_STATE_H
#define LINUXD_STATE_H

#include <limits.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"

struct ld_state {
	char id[1025];
	char bundle[PATH_MAX];
	char status[16];	/* as saved: creating, created or running */
	char created[40];	/* RFC 3339, UTC */
	pid_t pid;		/* the sandbox kernel process */
	unsigned long long start_time;	/* of pid, to tell reuse apart */
	char dir[PATH_MAX];	/* the state directory */
};

/* runc's rules: letters, digits, '_', '+', '-', '.'; not "." or "..". */
int ld_state_check_id(const char *id, struct ld_error *err);
/* Create ROOT/ID, failing if a container of that id exists. */
int ld_state_claim(const char *root, const char *id, char **dir,
		   struct ld_error *err);
/* How long a command waits for a sandbox kernel's answer, in seconds:
 * $LINUXD_TIMEOUT, else LD_TIMEOUT; and 3 times that at most for the
 * lock of a container, which no command holds while it waits longer. */
#define LD_TIMEOUT 30
int ld_timeout(void);
/* Lock ROOT/ID against other linuxd commands; returns the lock fd. */
int ld_state_lock(const char *dir, struct ld_error *err);
/* Write DIR/state.json atomically. */
int ld_state_save(const char *dir, const struct ld_state *st,
		  struct ld_error *err);
int ld_state_load(const char *dir, struct ld_state *st, struct ld_error *err);
/* The status now: the saved one while the sandbox lives, else "stopped". */
const char *ld_state_status(const struct ld_state *st);
/* Start time of a live, non-zombie process; 0 when there is none. */
unsigned long long ld_proc_start_time(pid_t pid);
void ld_state_remove(const char *dir);
/* Write pid to path (--pid-file) atomically; nothing when path is NULL. */
int ld_pid_file_write(const char *path, pid_t pid, struct ld_error *err);
/* The OCI state JSON, as `state` prints it. */
int ld_state_print(FILE *f, const struct ld_state *st);

#endif
