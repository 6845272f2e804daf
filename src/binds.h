/* Bind mount sources, resolved on the host at create. */
#ifndef LINUXD_BINDS_H
#define LINUXD_BINDS_H

#include "config.h"
#include "error.h"

/* Resolve c's bind sources in place; a symbolic link inside a directory
 * that a container of root (c included) can write fails the create. */
int ld_binds_resolve(struct ld_config *c, const char *root,
		     struct ld_error *err);

#endif
