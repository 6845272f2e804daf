/* OCI hooks (config.json "hooks"), run on the host by the runtime. */
#ifndef LINUXD_HOOKS_H
#define LINUXD_HOOKS_H

#include <jansson.h>

#include "error.h"
#include "state.h"

/* Check the "hooks" object of a config; file names it in errors. */
int ld_hooks_check(json_t *hooks, const char *file, struct ld_error *err);
/* Run the hooks of one kind (e.g. "createRuntime") in order, each with
 * the state JSON on stdin; the first that fails or times out is the
 * error. */
int ld_hooks_run(json_t *hooks, const char *kind, const struct ld_state *st,
		 struct ld_error *err);

#endif
