/* linuxd-init: PID 1 of the guest.  It receives the container's settings
 * over the control channel, prepares the container process and relays
 * signals to it and its exit status to the host. */
#ifndef LINUXD_INIT_H
#define LINUXD_INIT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/filter.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "../common/protocol.h"

struct init_mount {
	char *destination, *type, *source, *options;
};

struct init_rlimit {
	int resource;
	struct rlimit limit;
};

struct init_settings {
	char **args, **env;		/* NULL-terminated */
	size_t n_args, n_env;
	char *cwd, *hostname, *domainname, *root;
	bool root_readonly;
	bool terminal;			/* stdio is the guest's /dev/tty1, or
					 * for exec a host terminal */
	unsigned short rows, cols;	/* exec: its window size */
	uid_t uid;
	gid_t gid;
	gid_t *groups;
	size_t n_groups;
	struct init_rlimit *rlimits;
	size_t n_rlimits;
	unsigned long long caps[LD_CAP_SETS];	/* masks, bit CAP_*; none unless given */
	bool no_new_privs, has_umask;
	mode_t umask;
	char *oom_score_adj;		/* process.oomScoreAdj, or NULL */
	char *uid_map, *gid_map;	/* linux.*Mappings as /proc/PID/uid_map
					 * takes them ("IN OUT COUNT" lines),
					 * or NULL: no user namespace */
	struct sock_filter *seccomp;	/* linux.seccomp compiled, or NULL */
	size_t n_seccomp;
	unsigned int seccomp_flags;
	struct init_mount *mounts;
	size_t n_mounts;
	char **sysctl, **masked, **readonly;	/* "KEY VALUE"; paths */
	size_t n_sysctl, n_masked, n_readonly;
	char *subcgroup;		/* exec: a cgroup under the container's */
	int *fds;			/* become the process's 3, 4, ... */
	size_t n_fds;
	char **net;			/* "net.*" records, "KEY=VALUE" */
	size_t n_net;
};

/* channel.c: records of common/protocol.h */
void settings_add(struct init_settings *s, const char *key, const char *value);
/* Keep copies of descriptors that came with a "preserve" record. */
void settings_add_fds(struct init_settings *s, const int *fds, size_t n);
/* Read the filter of a "seccomp=FLAGS" record from its descriptor. */
void settings_add_seccomp(struct init_settings *s, const char *flags, int fd);
void settings_free(struct init_settings *s);
void reply(int conn, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void init_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* mounts.c: the container's root and mounts, under `root_dir`. */
int mounts_prepare(const struct init_settings *s, const char *root_dir,
		   char *err, size_t err_size);

/* cgroup.c: the container's cgroup in the guest */
int cgroup_setup(void);
int cgroup_open(const char *sub);
int cgroup_enter(int fd);
int cgroup_freeze(bool freeze);
int cgroup_frozen(void);
void cgroup_list(char *out, size_t size);
int cgroup_set(const char *setting);
void cgroup_stats(char *out, size_t size);

/* process.c: the container process, started in its own namespaces and
 * held before exec until process_start. */
pid_t process_create(const struct init_settings *s, char *err, size_t size);
int process_start(pid_t pid, char *err, size_t size);
pid_t process_exec(const struct init_settings *s, pid_t container,
		   const int stdio[3], char *err, size_t size);

/* net.c: the guest's eth0 as the runtime took it over; 0, or -errno
 * with the reason in err. */
int net_setup(const struct init_settings *s, char *err, size_t size);

/* tty.c: an exec'd process's terminal.  tty_open gives the master of a
 * new pseudo-terminal of the container's devpts (s's window size) and
 * its slave in *slave; tty_relay_start joins it to the host terminal in
 * a process of its own, which a SIGTERM tells that the process ended. */
int tty_open(pid_t container, const struct init_settings *s, int *slave);
pid_t tty_relay_start(int master, int host);

#endif
