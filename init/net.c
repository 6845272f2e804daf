/* The guest's eth0: the network namespace's interface that the runtime
 * took over (src/network.c), with its name, MTU, addresses and routes. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/netlink.h"
#include "../common/protocol.h"
#include "init.h"

/* The kernel's vec0 renamed, sized and up. */
static int link_up(int fd, const char *value, int *index)
{
	struct ifreq ifr = { .ifr_name = "vec0" };
	char name[IF_NAMESIZE];
	int mtu;

	if (sscanf(value, "%15s %d", name, &mtu) != 2)
		return -EINVAL;
	snprintf(ifr.ifr_newname, sizeof(ifr.ifr_newname), "%s", name);
	if (strcmp(name, "vec0") && ioctl(fd, SIOCSIFNAME, &ifr) < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_mtu = mtu;
	if (ioctl(fd, SIOCSIFMTU, &ifr) < 0 || ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	*index = if_nametoindex(name);
	return 0;
}

int net_setup(const struct init_settings *s, char *err, size_t size)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), index = 0, rc = 0;

	for (size_t i = 0; fd >= 0 && rc == 0 && i < s->n_net; i++) {
		if (!strncmp(s->net[i], LD_KEY_NET_LINK "=", strlen(LD_KEY_NET_LINK) + 1))
			rc = link_up(fd, s->net[i] + strlen(LD_KEY_NET_LINK) + 1, &index);
		else
			rc = ld_nl_apply(s->net[i], index);
		if (rc < 0)
			snprintf(err, size, "network: %s: %s", s->net[i], strerror(-rc));
	}
	if (fd >= 0)
		close(fd);
	return rc;
}
