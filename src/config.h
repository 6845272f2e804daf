/* The parts of an OCI runtime config.json that linuxd acts on. */
#ifndef LINUXD_CONFIG_H
#define LINUXD_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "../common/protocol.h"
#include "error.h"

struct ld_mount {
	char *destination;
	char *type;
	char *source;		/* absolute for bind mounts */
	char *options;		/* comma-separated, as mount(8) takes them */
	bool bind;
};

struct ld_rlimit {
	int resource;
	unsigned long long soft, hard;
};

/* The capabilities of Linux 6.12 without "CAP_", numbered as CAP_*;
 * NULL-terminated. */
extern const char *const ld_cap_names[];
/* The number of capability name ("CAP_CHOWN"), or -1. */
int ld_cap_number(const char *name);

struct ld_config {
	char *bundle;		/* absolute */
	char *oci_version;
	char **args;		/* NULL-terminated */
	char **env;		/* NULL-terminated */
	char *cwd;
	bool terminal;
	unsigned int uid, gid;
	unsigned int *additional_gids;
	size_t n_additional_gids;
	struct ld_rlimit *rlimits;
	size_t n_rlimits;
	unsigned long long caps[LD_CAP_SETS];	/* masks, bit CAP_* */
	bool no_new_privileges;
	int umask;		/* process.user.umask, or -1 */
	bool has_oom_score_adj;
	int oom_score_adj;
	char *hostname, *domainname;
	char *root_path;	/* absolute, resolved */
	bool root_readonly;
	struct ld_mount *mounts;
	size_t n_mounts;
	enum ld_network {
		LD_NET_NONE,	/* no network namespace in the spec */
		LD_NET_NEW,	/* a new, empty one */
		LD_NET_JOIN,	/* net_path's, with its interfaces */
	} network;		/* a pod's sandbox container: NEW */
	char *net_path;
	bool userns;		/* a user namespace of the container's own */
	char **uid_maps, **gid_maps;	/* its mappings, "CONTAINER HOST SIZE" */
	long long memory_limit;	/* bytes, -1 when unset */
	long long memory_reservation;	/* bytes, -1 when unset */
	long long pids_limit;	/* -1 when unset */
	long long cpu_quota, cpu_period, cpu_shares;	/* 0 when unset */
	/* memory_limit, memory_reservation, pids_limit and cpu_quota as
	 * update lifts them */
#define LD_NO_LIMIT LLONG_MAX
	char *cpus, *mems;	/* linux.resources.cpu cpuset lists, or NULL */
	char *cgroups_path;	/* linux.cgroupsPath, or NULL */
	char **sysctl;		/* linux.sysctl as "KEY VALUE", or NULL */
	char **masked_paths, **readonly_paths;	/* linux.*Paths, or NULL */
	int seccomp_fd;		/* linux.seccomp compiled (seccomp.h), or -1 */
	unsigned int seccomp_flags;	/* and the flags to install it with */
	struct json_t *hooks;	/* config.json "hooks", checked; or NULL */
};

/* Larger JSON files (config.json, process.json) are refused. */
#define LD_CONFIG_MAX (16 << 20)

/* Read a JSON file (at most LD_CONFIG_MAX bytes) whole; *len its length. */
char *ld_config_read(const char *path, size_t *len, struct ld_error *err);
/* Read and check BUNDLE/config.json; paths come back absolute. */
int ld_config_load(const char *bundle, struct ld_config **out,
		   struct ld_error *err);
/* Read and check file, a config.json of bundle (absolute): the one kept
 * in the state directory at create, say. */
int ld_config_load_file(const char *file, const char *bundle,
			struct ld_config **out, struct ld_error *err);
/* Parse config text; file names the source in error messages. */
int ld_config_parse(const char *text, size_t len, const char *file,
		    const char *bundle, struct ld_config **out,
		    struct ld_error *err);
/* Replace c's process with the OCI process object in text (exec --process). */
int ld_config_parse_process(const char *text, size_t len, const char *file,
			    struct ld_config *c, struct ld_error *err);
void ld_config_free(struct ld_config *c);

#endif
