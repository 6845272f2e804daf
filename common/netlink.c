#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netlink.h"
#include "protocol.h"

struct request {
	struct nlmsghdr h;
	union {
		struct ifaddrmsg ifa;
		struct rtmsg rt;
	};
	char attrs[128];
};

int ld_nl_prefix_parse(const char *text, struct ld_nl_prefix *p)
{
	char addr[64], *slash;

	snprintf(addr, sizeof(addr), "%s", text);
	slash = strchr(addr, '/');
	if (slash)
		*slash++ = '\0';
	p->family = strchr(addr, ':') ? AF_INET6 : AF_INET;
	p->len = slash ? atoi(slash) : (p->family == AF_INET ? 32 : 128);
	return inet_pton(p->family, addr, p->addr) == 1 ? 0 : -1;
}

static size_t addr_size(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void put_attr(struct request *r, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

/* Send one request; the kernel's acknowledgement is its result. */
static int transact(struct request *r)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} ack;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), rc;

	if (fd < 0)
		return -errno;
	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	rc = send(fd, r, r->h.nlmsg_len, 0) < 0 ||
	     recv(fd, &ack, sizeof(ack), 0) < (ssize_t)sizeof(ack) ? -errno
		: ack.e.error;
	close(fd);
	return rc;
}

int ld_nl_addr(bool add, int ifindex, const struct ld_nl_prefix *p)
{
	struct request r = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
				    .nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR,
				    .nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0 },
			     .ifa = { .ifa_family = p->family, .ifa_prefixlen = p->len,
				      .ifa_flags = IFA_F_NODAD, .ifa_index = ifindex } };

	put_attr(&r, IFA_LOCAL, p->addr, addr_size(p->family));
	put_attr(&r, IFA_ADDRESS, p->addr, addr_size(p->family));
	return transact(&r);
}

int ld_nl_route_add(int ifindex, const struct ld_nl_prefix *dst,
		    const unsigned char *gw, unsigned int metric)
{
	struct request r = { .h = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg)),
				    .nlmsg_type = RTM_NEWROUTE,
				    .nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL },
			     .rt = { .rtm_family = dst->family, .rtm_dst_len = dst->len,
				     .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
				     .rtm_scope = gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK,
				     .rtm_type = RTN_UNICAST } };

	if (dst->len)
		put_attr(&r, RTA_DST, dst->addr, addr_size(dst->family));
	if (gw)
		put_attr(&r, RTA_GATEWAY, gw, addr_size(dst->family));
	put_attr(&r, RTA_OIF, &ifindex, sizeof(ifindex));
	put_attr(&r, RTA_PRIORITY, &metric, sizeof(metric));
	return transact(&r);
}

static int route_record(const char *value, int ifindex)
{
	char dst[64], gw[64];
	struct ld_nl_prefix d, g;
	unsigned int metric;

	if (sscanf(value, "%63s %63s %u", dst, gw, &metric) != 3 ||
	    ld_nl_prefix_parse(dst, &d) < 0 ||
	    (strcmp(gw, "-") && ld_nl_prefix_parse(gw, &g) < 0))
		return -EINVAL;
	return ld_nl_route_add(ifindex, &d, strcmp(gw, "-") ? g.addr : NULL, metric);
}

int ld_nl_apply(const char *rec, int ifindex)
{
	const char *value = strchr(rec, '=');
	struct ld_nl_prefix p;
	int rc = -EINVAL;

	if (!value)
		return rc;
	value++;
	if (!strncmp(rec, LD_KEY_NET_ADDR "=", strlen(LD_KEY_NET_ADDR) + 1))
		rc = ld_nl_prefix_parse(value, &p) < 0 ? -EINVAL
			: ld_nl_addr(true, ifindex, &p);
	else if (!strncmp(rec, LD_KEY_NET_ROUTE "=", strlen(LD_KEY_NET_ROUTE) + 1))
		rc = route_record(value, ifindex);
	return rc == -EEXIST ? 0 : rc;
}
