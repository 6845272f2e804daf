/* The container's network (docs/networking.md).  With a network namespace
 * to join, as CNI and podman prepare one, the sandbox kernel's eth0 takes
 * over that namespace's Ethernet interface: the kernel process joins the
 * namespace and moves frames through packet sockets on the interface that
 * the runtime opens for it, and the interface's addresses, routes and MTU
 * move from the host's stack there to the guest's.  Otherwise the guest
 * has loopback only. */
#ifndef LINUXD_NETWORK_H
#define LINUXD_NETWORK_H

#include <net/if.h>
#include <stddef.h>

#include "config.h"
#include "error.h"

/* Where the kernel process finds the interface's packet sockets. */
#define LD_NET_RX_FD 11
#define LD_NET_TX_FD 12

struct ld_net {
	int ns_fd;			/* the namespace to join, or -1 */
	int rx_fd, tx_fd;		/* packet sockets on its interface, or -1 */
	char kernel_arg[128];		/* the guest's eth0, or "" */
	char **settings;		/* init's "net.*" records, "KEY=VALUE" */
	size_t n_settings;
};

/* Take over the interface of c's network namespace, if it names one;
 * what the host's stack there gives up is noted in state_dir. */
int ld_net_prepare(const struct ld_config *c, const char *state_dir,
		   struct ld_net *net, struct ld_error *err);
/* Once the sandbox is gone: give back what it took (if anything). */
void ld_net_restore(const char *state_dir);
void ld_net_free(struct ld_net *net);

#endif
