/* Container lifecycle on top of the sandbox (OCI runtime spec). */
#ifndef LINUXD_CONTAINER_H
#define LINUXD_CONTAINER_H

#include <stdbool.h>

#include "error.h"

struct ld_globals {
	const char *root;	/* state directory, --root */
	const char *log;	/* --log, or NULL */
	const char *log_format;	/* text or json */
	bool debug;
};

/* Run the bundle's process in the foreground, forwarding signals, and
 * remove the container after; returns its exit status or -1. */
int ld_container_run(const struct ld_globals *g, const char *id,
		     const char *bundle, struct ld_error *err);

/* Write a default config.json into dir (fails if one exists). */
int ld_spec_write(const char *dir, struct ld_error *err);

#endif
