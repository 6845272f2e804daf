/*
 * The control channel between the runtime on the host and linuxd-init in
 * the guest.  Both directions carry records "key=value\0" (a record without
 * '=' has an empty value) over host pipes that the sandbox kernel exposes
 * to the guest as /dev/hostfdN.
 *
 * runtime -> init: the container's settings, then "create" once they are
 *   complete, "start" to run the process, "signal=N" at any time after.
 * init -> runtime: "created" when the process is ready to start,
 *   "started" once it runs, "error=TEXT" when it cannot.
 * The kernel process then exits with the process's exit status (N, or
 * 128+signal).
 */
#ifndef LINUXD_PROTOCOL_H
#define LINUXD_PROTOCOL_H

/* Guest device numbers of the host descriptors (the order of hostfd=). */
enum {
	LD_HOSTFD_STDIN,
	LD_HOSTFD_STDOUT,
	LD_HOSTFD_STDERR,
	LD_HOSTFD_CONTROL,	/* runtime -> init */
	LD_HOSTFD_STATUS,	/* init -> runtime */
	LD_HOSTFD_COUNT
};

#define LD_RECORD_MAX 65536

/* Settings, in this order where it matters. */
#define LD_KEY_ARG		"arg"		/* one per process.args entry */
#define LD_KEY_ENV		"env"
#define LD_KEY_CWD		"cwd"
#define LD_KEY_UID		"uid"
#define LD_KEY_GID		"gid"
#define LD_KEY_GROUP		"group"		/* one per additional gid */
#define LD_KEY_RLIMIT		"rlimit"	/* "RESOURCE SOFT HARD" */
#define LD_KEY_HOSTNAME		"hostname"
#define LD_KEY_ROOT		"root"		/* host path of the rootfs */
#define LD_KEY_ROOT_RO		"root_ro"
#define LD_KEY_MOUNT		"mount"		/* destination; starts a mount */
#define LD_KEY_MOUNT_TYPE	"mount.type"
#define LD_KEY_MOUNT_SOURCE	"mount.source"
#define LD_KEY_MOUNT_OPTIONS	"mount.options"
#define LD_KEY_CREATE		"create"
#define LD_KEY_START		"start"
#define LD_KEY_SIGNAL		"signal"

#define LD_KEY_CREATED		"created"
#define LD_KEY_STARTED		"started"
#define LD_KEY_ERROR		"error"

#endif
