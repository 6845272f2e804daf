/* The sandbox kernel process's host system calls (docs/security.md). */
#ifndef LINUXD_ALLOWLIST_H
#define LINUXD_ALLOWLIST_H

#include <stddef.h>

#include "error.h"

struct ld_allowed {
	const char *name;	/* the system call */
	const char *why;	/* what the kernel process needs it for */
	unsigned long long clear;	/* bits its first argument may not have */
};

extern const struct ld_allowed ld_allowlist[];
extern const size_t ld_allowlist_len;

/* A descriptor holding the seccomp filter of the table for platform
 * (struct sock_filter array), for the kernel's jail_filter=; -1 on
 * failure. */
int ld_allowlist_fd(const char *platform, struct ld_error *err);

#endif
