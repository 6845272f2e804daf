/* Container state under --root: one directory per container holding
 * state.json (the OCI state) and the sandbox kernel's run files. */
#ifndef LINUXD_STATE_H
#define LINUXD_STATE_H

#include <sys/types.h>

#include "error.h"

struct ld_state {
	const char *id;
	const char *bundle;
	const char *status;	/* creating, created, running, stopped */
	pid_t pid;
};

/* runc's rules: letters, digits, '_', '+', '-', '.'; not "." or "..". */
int ld_state_check_id(const char *id, struct ld_error *err);
/* Create ROOT/ID, failing if a container of that id exists. */
int ld_state_claim(const char *root, const char *id, char **dir,
		   struct ld_error *err);
/* Write DIR/state.json atomically. */
int ld_state_save(const char *dir, const struct ld_state *st,
		  struct ld_error *err);
void ld_state_remove(const char *dir);

#endif
