/* The sandbox's host cgroup: linux.resources for the whole sandbox. */
#ifndef LINUXD_CGROUP_H
#define LINUXD_CGROUP_H

#include "config.h"
#include "error.h"

/* Make the sandbox's cgroups (linux.cgroupsPath as runc takes it, with
 * systemd for --systemd-cgroup; or linuxd/ID) with c's limits, noted in
 * state_dir. */
int ld_cgroup_prepare(const struct ld_config *c, const char *id, bool systemd,
		      const char *state_dir, struct ld_error *err);
/* In the kernel process before exec: move into the noted cgroups. */
int ld_cgroup_join(const char *state_dir);
/* update: c's limits (LD_NO_LIMIT: lifted) on the noted groups, with the
 * sandbox's own needs added as at create. */
int ld_cgroup_update(const char *state_dir, const struct ld_config *c,
		     struct ld_error *err);
/* Once the sandbox is gone: remove the noted cgroups. */
void ld_cgroup_remove(const char *state_dir);

#endif
