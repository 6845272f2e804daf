#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if_arp.h>
#include <sched.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/netlink.h"
#include "../common/protocol.h"
#include "network.h"
#include "util.h"

static void add_setting(struct ld_net *net, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_setting(struct ld_net *net, const char *key, const char *fmt, ...)
{
	char value[256], *rec;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	if (asprintf(&rec, "%s=%s", key, value) < 0)
		return;
	net->settings = realloc(net->settings, (net->n_settings + 1) * sizeof(char *));
	net->settings[net->n_settings++] = rec;
}

/* The namespace's first Ethernet interface. */
static struct ifaddrs *ethernet(struct ifaddrs *all)
{
	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		struct sockaddr_ll *ll = (struct sockaddr_ll *)a->ifa_addr;

		if (ll && ll->sll_family == AF_PACKET && ll->sll_hatype == ARPHRD_ETHER)
			return a;
	}
	return NULL;
}

static int prefix_len(const struct sockaddr *mask)
{
	const unsigned char *b = mask->sa_family == AF_INET
		? (const unsigned char *)&((const struct sockaddr_in *)mask)->sin_addr
		: ((const struct sockaddr_in6 *)mask)->sin6_addr.s6_addr;
	int n = 0;

	for (size_t i = 0; i < (mask->sa_family == AF_INET ? 4 : 16); i++)
		n += __builtin_popcount(b[i]);
	return n;
}

/* The interface's IPv4 and global IPv6 addresses, for the guest; the
 * IPv4 ones also into v4 (to be taken from the host's stack). */
static size_t addresses(struct ld_net *net, struct ifaddrs *all, const char *name,
			struct ld_nl_prefix *v4, size_t max)
{
	char text[INET6_ADDRSTRLEN];
	size_t n = 0;

	for (struct ifaddrs *a = all; a; a = a->ifa_next) {
		int family = a->ifa_addr ? a->ifa_addr->sa_family : 0;
		const void *addr = family == AF_INET
			? (void *)&((struct sockaddr_in *)a->ifa_addr)->sin_addr
			: (void *)&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;

		if (strcmp(a->ifa_name, name) || (family != AF_INET && family != AF_INET6) ||
		    (family == AF_INET6 && IN6_IS_ADDR_LINKLOCAL(addr)))
			continue;
		inet_ntop(family, addr, text, sizeof(text));
		add_setting(net, LD_KEY_NET_ADDR, "%s/%d", text, prefix_len(a->ifa_netmask));
		if (family != AF_INET || n == max)
			continue;
		ld_nl_prefix_parse(text, &v4[n]);
		v4[n++].len = prefix_len(a->ifa_netmask);
	}
	return n;
}

/* Routes through the interface, from /proc/net/route (addresses as the
 * kernel stores them, printed in hexadecimal). */
static void routes_v4(struct ld_net *net, const char *name)
{
	FILE *f = fopen("/proc/net/route", "re");
	char line[256], dev[IF_NAMESIZE], dst[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN];
	unsigned int d, g, flags, metric, mask;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%15s %x %x %x %*d %*d %u %x", dev, &d, &g,
			   &flags, &metric, &mask) != 6 || strcmp(dev, name))
			continue;
		inet_ntop(AF_INET, &d, dst, sizeof(dst));
		inet_ntop(AF_INET, &g, gw, sizeof(gw));
		add_setting(net, LD_KEY_NET_ROUTE, "%s/%d %s %u", dst,
			    __builtin_popcount(mask), g ? gw : "-", metric);
	}
	if (f)
		fclose(f);
}

static void hex_bytes(const char *hex, unsigned char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sscanf(hex + 2 * i, "%2hhx", &out[i]);
}

/* From /proc/net/ipv6_route, but for multicast, link-local and host
 * routes, which the guest makes itself. */
static void routes_v6(struct ld_net *net, const char *name)
{
	FILE *f = fopen("/proc/net/ipv6_route", "re");
	char line[256], d[33], g[33], dev[IF_NAMESIZE];
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	unsigned char a[16], b[16];
	unsigned int len, metric;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%32s %x %*s %*s %32s %x %*s %*s %*s %15s", d, &len,
			   g, &metric, dev) != 5 || strcmp(dev, name) || len == 128)
			continue;
		hex_bytes(d, a, 16);
		hex_bytes(g, b, 16);
		if (a[0] == 0xff || IN6_IS_ADDR_LINKLOCAL(a))
			continue;
		inet_ntop(AF_INET6, a, dst, sizeof(dst));
		inet_ntop(AF_INET6, b, gw, sizeof(gw));
		add_setting(net, LD_KEY_NET_ROUTE, "%s/%u %s %u", dst, len,
			    IN6_IS_ADDR_UNSPECIFIED(b) ? "-" : gw, metric);
	}
	if (f)
		fclose(f);
}

static int link_mtu(const char *name)
{
	struct ifreq ifr = { 0 };
	cleanup_close int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return fd >= 0 && ioctl(fd, SIOCGIFMTU, &ifr) == 0 ? ifr.ifr_mtu : 1500;
}

/* The host's stack in the namespace lets go of the interface: no IPv4
 * address, no IPv6 at all, so that it neither answers nor resets what is
 * the guest's. */
static int ipv6_disable(const char *name, bool disable)
{
	char path[128];
	int fd, ok;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	ok = fd >= 0 && write(fd, disable ? "1" : "0", 1) == 1;
	if (fd >= 0)
		close(fd);
	return ok || errno == ENOENT ? 0 : -errno;	/* ENOENT: no IPv6 */
}

static int release(const char *name, const struct ld_nl_prefix *v4, size_t n,
		   struct ld_error *err)
{
	int rc;

	for (size_t i = 0; i < n; i++) {
		rc = ld_nl_addr(false, if_nametoindex(name), &v4[i]);
		if (rc < 0)
			return ld_error_set(err, -rc, "network interface %s: address", name);
	}
	rc = ipv6_disable(name, true);
	return rc < 0 ? ld_error_set(err, -rc, "network interface %s: IPv6", name) : 0;
}

/* A packet socket on interface index, with the vnet headers the kernel's
 * vector driver expects; for receiving, every frame but our own. */
static int packet_socket(int index, bool rx, struct ld_error *err)
{
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_ifindex = index,
				 .sll_protocol = rx ? htons(ETH_P_ALL) : 0 };
	int one = 1, fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) < 0 ||
	    (rx && setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			      sizeof(one)) < 0)) {
		ld_error_set(err, errno, "packet socket on network interface %d", index);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* In the namespace: what the guest takes over, and the host lets go. */
static int take_interface(struct ld_net *net, struct ld_error *err)
{
	struct ld_nl_prefix v4[16];
	struct ifaddrs *all = NULL, *eth;
	const unsigned char *mac;
	size_t n;
	int rc, index;

	if (getifaddrs(&all) < 0)
		return ld_error_set(err, errno, "network interfaces");
	eth = ethernet(all);
	if (!eth) {
		freeifaddrs(all);
		return 0;
	}
	mac = ((struct sockaddr_ll *)eth->ifa_addr)->sll_addr;
	index = ((struct sockaddr_ll *)eth->ifa_addr)->sll_ifindex;
	net->rx_fd = packet_socket(index, true, err);
	net->tx_fd = net->rx_fd < 0 ? -1 : packet_socket(index, false, err);
	if (net->tx_fd < 0) {
		freeifaddrs(all);
		return -1;
	}
	snprintf(net->kernel_arg, sizeof(net->kernel_arg),
		 "vec0:transport=raw,ifname=%s,rxfd=%d,txfd=%d,gro=1,depth=128,"
		 "mac=%02x:%02x:%02x:%02x:%02x:%02x", eth->ifa_name,
		 LD_NET_RX_FD, LD_NET_TX_FD,
		 mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
	add_setting(net, LD_KEY_NET_LINK, "%s %d", eth->ifa_name, link_mtu(eth->ifa_name));
	n = addresses(net, all, eth->ifa_name, v4, LD_ARRAY_SIZE(v4));
	routes_v4(net, eth->ifa_name);
	routes_v6(net, eth->ifa_name);
	rc = release(eth->ifa_name, v4, n, err);
	freeifaddrs(all);
	return rc;
}

/* STATE/network: the namespace, then what its host stack gave up, for
 * ld_net_restore. */
static int save(const struct ld_config *c, const struct ld_net *net,
		const char *state_dir, struct ld_error *err)
{
	char path[PATH_MAX];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/network", state_dir);
	f = fopen(path, "we");
	if (!f)
		return ld_error_set(err, errno, "%s", path);
	fprintf(f, "%s\n", c->net_path);
	for (size_t i = 0; i < net->n_settings; i++)
		fprintf(f, "%s\n", net->settings[i]);
	rc = fclose(f);
	return rc ? ld_error_set(err, errno, "%s", path) : 0;
}

/* Give the addresses and routes back, after the guest is gone. */
static void give_back(FILE *f)
{
	char line[LD_RECORD_MAX];
	int index = 0;

	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, LD_KEY_NET_LINK "=", strlen(LD_KEY_NET_LINK) + 1)) {
			ld_nl_apply(line, index);
			continue;
		}
		line[strcspn(line, " ")] = '\0';
		index = if_nametoindex(line + strlen(LD_KEY_NET_LINK) + 1);
		ipv6_disable(line + strlen(LD_KEY_NET_LINK) + 1, false);
	}
}

void ld_net_restore(const char *state_dir)
{
	char path[PATH_MAX];
	FILE *f;
	int ns = -1, self = -1;

	snprintf(path, sizeof(path), "%s/network", state_dir);
	f = fopen(path, "re");
	if (f && fgets(path, sizeof(path), f)) {
		path[strcspn(path, "\n")] = '\0';
		ns = open(path, O_RDONLY | O_CLOEXEC);
		self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	}
	if (ns >= 0 && self >= 0 && setns(ns, CLONE_NEWNET) == 0) {
		give_back(f);
		setns(self, CLONE_NEWNET);
	}
	if (ns >= 0)
		close(ns);
	if (self >= 0)
		close(self);
	if (f)
		fclose(f);
}

int ld_net_prepare(const struct ld_config *c, const char *state_dir,
		   struct ld_net *net, struct ld_error *err)
{
	int self, rc;

	*net = (struct ld_net){ .ns_fd = -1, .rx_fd = -1, .tx_fd = -1 };
	if (c->network != LD_NET_JOIN)
		return 0;
	net->ns_fd = open(c->net_path, O_RDONLY | O_CLOEXEC);
	if (net->ns_fd < 0)
		return ld_error_set(err, errno, "%s/config.json: linux.namespaces: "
				    "network %s", c->bundle, c->net_path);
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0 || setns(net->ns_fd, CLONE_NEWNET) < 0) {
		rc = ld_error_set(err, errno, "%s/config.json: linux.namespaces: "
				  "network %s", c->bundle, c->net_path);
	} else {
		rc = take_interface(net, err);
		if (rc == 0 && net->kernel_arg[0])
			rc = save(c, net, state_dir, err);
		if (setns(self, CLONE_NEWNET) < 0)
			rc = ld_error_set(err, errno, "back to our network namespace");
	}
	if (self >= 0)
		close(self);
	return rc;
}

void ld_net_free(struct ld_net *net)
{
	if (net->ns_fd >= 0)
		close(net->ns_fd);
	if (net->rx_fd >= 0)
		close(net->rx_fd);
	if (net->tx_fd >= 0)
		close(net->tx_fd);
	for (size_t i = 0; i < net->n_settings; i++)
		free(net->settings[i]);
	free(net->settings);
	*net = (struct ld_net){ .ns_fd = -1, .rx_fd = -1, .tx_fd = -1 };
}
