/* Host-side containment of the sandbox kernel process. */
#ifndef LINUXD_JAIL_H
#define LINUXD_JAIL_H

#include <sys/types.h>

#include "config.h"
#include "error.h"

/* The private root's directory in the state directory. */
#define LD_JAIL_DIR "root"

/* The user and group the kernel process becomes once it has pivoted into
 * the private root (nobody:nogroup); its file server stays root. */
#define LD_JAIL_USER "65534:65534"

/*
 * In the kernel process's mount namespace, before exec: the private root,
 * state_dir/LD_JAIL_DIR, holding only the container's rootfs and its
 * bind-mount sources; the kernel makes it its root once booted (jail=).
 * 0, or -1 after saying why on stderr.
 */
int ld_jail_prepare(const struct ld_config *c, const char *state_dir);

/* Before exec: a user namespace for the kernel's file server, in which
 * every host uid and gid stands for itself, so that the capabilities it
 * acts on the guest's files with are held there and none on the host
 * (kernel patch 0010, the file server).  An fd, or -1 after saying why
 * on stderr. */
int ld_jail_userns(void);

/* Before exec: the kernel process keeps only the capabilities it needs
 * (docs/security.md).  0, or -1 after saying why on stderr. */
int ld_jail_capabilities(void);

/* Once the guest has made its mount points: root.readonly in the
 * private root too, so that no hostfs mount of the guest can write there. */
int ld_jail_seal(pid_t pid, const struct ld_config *c, struct ld_error *err);

#endif
