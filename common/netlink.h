/* Interface addresses and routes over rtnetlink, shared by the runtime
 * (which takes a network namespace's addresses away from the host's
 * stack there) and linuxd-init (which gives them to the guest's). */
#ifndef LINUXD_NETLINK_H
#define LINUXD_NETLINK_H

#include <stdbool.h>

/* An address or route destination: family AF_INET or AF_INET6. */
struct ld_nl_prefix {
	int family;
	unsigned char addr[16];
	int len;			/* prefix length */
};

/* Parse "ADDR/LEN" (or "ADDR", a host prefix); 0 or -1. */
int ld_nl_prefix_parse(const char *text, struct ld_nl_prefix *p);
/* Add (or delete) an address of interface ifindex; 0 or -errno. */
int ld_nl_addr(bool add, int ifindex, const struct ld_nl_prefix *p);
/* Add a route to dst through interface ifindex, via gateway gw (NULL
 * for a directly reachable destination), with metric; 0 or -errno. */
int ld_nl_route_add(int ifindex, const struct ld_nl_prefix *dst,
		    const unsigned char *gw, unsigned int metric);
/* Apply a "net.addr" or "net.route" record (common/protocol.h) to
 * interface ifindex; one that exists already counts as done. */
int ld_nl_apply(const char *rec, int ifindex);

#endif
