/*
 * The guest ABI of the sandbox kernel's hostfd driver
 * (kernel/patches/0001-*): ioctls on /dev/hostfdN and the files it makes.
 * Must match arch/um/drivers/hostfd.h in the patch series.
 */
#ifndef LINUXD_HOSTFD_H
#define LINUXD_HOSTFD_H

#include <sys/ioctl.h>

#define HOSTFD_RECV_FDS 8

struct hostfd_recv {
	unsigned long long buf;	/* message buffer */
	unsigned int len;	/* in: its size; out: message length */
	unsigned int nfds;	/* out: descriptors received */
	int fds[HOSTFD_RECV_FDS];
};

/* A new connection on a listening socket, as a guest file descriptor. */
#define HOSTFD_IOC_ACCEPT _IO('h', 1)
/* One message with the descriptors sent along, installed as guest files. */
#define HOSTFD_IOC_RECV _IOWR('h', 2, struct hostfd_recv)

#endif
