/*
 * The control channel between the runtime on the host and linuxd-init in
 * the guest.  The runtime connects to the unix socket STATE/ID/ctl.sock
 * (SOCK_SEQPACKET), which the sandbox kernel listens on for the guest:
 * init accepts connections through /dev/hostfd3.  Every message is one
 * record "key=value" (a record without '=' has an empty value), at most
 * LD_RECORD_MAX bytes; every request gets one reply.
 *
 * requests:
 *   the container's settings (no reply), "preserve" records carrying
 *   the descriptors 3, 4, ... of the container process (runc's
 *   --preserve-fds; at most LD_FDS_MAX a record), then "create" -> "created"
 *   "start"                                               -> "started"
 *   "signal=N"                                            -> "ok"
 *   "signal-all=N": to every process of the container     -> "ok"
 *   "pause", "resume": freeze or thaw the container       -> "ok"
 *   "ps"                            -> "ok=PID COMMAND\n..." (container pids)
 *   "cgroup=FILE VALUE": a limit of the container's cgroup -> "ok"
 *   "stats"                         -> "ok=KEY VALUE\n..." (cgroup usage)
 *   "exec." + a setting of the process (arg ... umask, as for the
 *   container's), or terminal, winsize, preserve with descriptors (no
 *   reply), then
 *   "exec" carrying the process's stdin, stdout and stderr -> "started",
 *                                    later "exit=N" when the process ends;
 *   with exec.terminal the three are one host terminal, which init joins
 *   to a guest pseudo-terminal of the container's own devpts;
 *   on that connection "signal=N" (no reply) goes to the exec'd process,
 *   "winsize=ROWS COLS" (no reply) resizes its terminal, and closing the
 *   connection kills it
 * a reply may instead be "error=TEXT".
 * When the container process exits the kernel process exits with its
 * status (N, or 128+signal).
 */
#ifndef LINUXD_PROTOCOL_H
#define LINUXD_PROTOCOL_H

/* The capability sets of process.capabilities, in the order of "caps". */
enum { LD_CAP_BOUNDING, LD_CAP_EFFECTIVE, LD_CAP_INHERITABLE,
       LD_CAP_PERMITTED, LD_CAP_AMBIENT, LD_CAP_SETS };

/* Guest device numbers of the host descriptors (the order of hostfd=). */
enum {
	LD_HOSTFD_STDIN,
	LD_HOSTFD_STDOUT,
	LD_HOSTFD_STDERR,
	LD_HOSTFD_CONTROL,	/* the listening control socket */
	LD_HOSTFD_COUNT
};

/* Descriptors a record may carry (hostfd's HOSTFD_RECV_FDS). */
#define LD_FDS_MAX 8
/* The first descriptor --preserve-fds passes on, in the caller and in
 * the container process. */
#define LD_FIRST_PRESERVED_FD 3

/* The kernel moves at most this much per host call (hostfd's chunk). */
#define LD_RECORD_MAX 16384

/* Settings, in this order where it matters. */
#define LD_KEY_ARG		"arg"		/* one per process.args entry */
#define LD_KEY_ENV		"env"
#define LD_KEY_CWD		"cwd"
#define LD_KEY_UID		"uid"
#define LD_KEY_GID		"gid"
#define LD_KEY_GROUP		"group"		/* one per additional gid */
#define LD_KEY_RLIMIT		"rlimit"	/* "RESOURCE SOFT HARD" */
#define LD_KEY_CAPS		"caps"		/* the masks of the sets, in
						 * the order below, in hex;
						 * none: root's stay */
#define LD_KEY_NO_NEW_PRIVS	"no_new_privs"
#define LD_KEY_UMASK		"umask"		/* octal */
#define LD_KEY_OOM_SCORE_ADJ	"oom_score_adj"
#define LD_KEY_UID_MAP		"uid_map"	/* "CONTAINER HOST SIZE": one of
						 * linux.uidMappings */
#define LD_KEY_GID_MAP		"gid_map"
#define LD_KEY_HOSTNAME		"hostname"
#define LD_KEY_DOMAINNAME	"domainname"
#define LD_KEY_ROOT		"root"		/* host path of the rootfs */
#define LD_KEY_ROOT_RO		"root_ro"
#define LD_KEY_TERMINAL		"terminal"	/* stdio: the guest's /dev/tty1 */
#define LD_KEY_WINSIZE		"winsize"	/* "ROWS COLS" */
#define LD_KEY_SUBCGROUP	"subcgroup"	/* exec: a cgroup under the container's */
#define LD_KEY_SYSCTL		"sysctl"	/* "KEY VALUE" */
#define LD_KEY_MASKED		"masked"	/* a path of linux.maskedPaths */
#define LD_KEY_READONLY		"readonly"	/* of linux.readonlyPaths */
#define LD_KEY_SECCOMP		"seccomp"	/* SECCOMP_FILTER_FLAG_*s, with
						 * the filter's descriptor */
#define LD_KEY_MOUNT		"mount"		/* destination; starts a mount */
#define LD_KEY_MOUNT_TYPE	"mount.type"
#define LD_KEY_MOUNT_SOURCE	"mount.source"
#define LD_KEY_MOUNT_OPTIONS	"mount.options"
/* the guest's eth0, taken over from the network namespace's interface */
#define LD_KEY_NET_LINK		"net.link"	/* "NAME MTU" */
#define LD_KEY_NET_ADDR		"net.addr"	/* "ADDR/LEN" */
#define LD_KEY_NET_ROUTE	"net.route"	/* "DEST/LEN GATEWAY METRIC",
						 * GATEWAY "-" for none */
#define LD_KEY_CREATE		"create"
#define LD_KEY_START		"start"
#define LD_KEY_SIGNAL		"signal"
#define LD_KEY_SIGNAL_ALL	"signal-all"
#define LD_KEY_PAUSE		"pause"
#define LD_KEY_RESUME		"resume"
#define LD_KEY_PS		"ps"
#define LD_KEY_CGROUP		"cgroup"
#define LD_KEY_STATS		"stats"
#define LD_KEY_HELLO		"hello"		/* answered "ok": the guest takes
					   requests (before descriptors go) */
#define LD_KEY_EXEC		"exec"		/* also the prefix of its settings */
#define LD_KEY_PRESERVE		"preserve"

#define LD_KEY_CREATED		"created"
#define LD_KEY_STARTED		"started"
#define LD_KEY_OK		"ok"
#define LD_KEY_EXIT		"exit"
#define LD_KEY_ERROR		"error"

#endif
