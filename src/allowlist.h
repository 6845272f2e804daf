/* The host system calls of the sandbox kernel process and of its file
 * server (docs/security.md). */
#ifndef LINUXD_ALLOWLIST_H
#define LINUXD_ALLOWLIST_H

#include <stddef.h>

#include "error.h"

struct ld_allowed {
	const char *name;	/* the system call */
	const char *why;	/* what the kernel process needs it for */
	unsigned long long clear;	/* bits its first argument may not have */
	unsigned int process;	/* LD_KERNEL, LD_FILES, LD_PTRACE...: whose */
};

#define LD_KERNEL 1	/* the kernel process (and its stubs) */
#define LD_FILES 2	/* its file server */
#define LD_PTRACE 4	/* the kernel process on the ptrace platform only */
#define LD_SECCOMP 8	/* the kernel process on the seccomp platform only */

extern const struct ld_allowed ld_allowlist[];
extern const size_t ld_allowlist_len;

/* A descriptor holding the seccomp filter of the table for process
 * (LD_KERNEL or LD_FILES) on platform (struct sock_filter array), for the
 * kernel's jail_filter= or hostfs_server=; -1 on failure. */
int ld_allowlist_fd(const char *platform, unsigned int process,
		    struct ld_error *err);

#endif
