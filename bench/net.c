/*
 * TCP between the host side and a container, for bench/net.sh.
 *
 *   net sink PORT          accept one connection, read it to the end
 *   net echo PORT          accept one connection, send back what comes
 *   net send HOST PORT MB  send MB mebibytes to a sink; prints MB/s
 *   net rtt HOST PORT N    N one-byte round trips with an echo; prints
 *                          microseconds per round trip
 * The servers listen on IPv4; the clients take numeric addresses and
 * retry connecting for a while, as the container may not listen yet.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static int serve_one(int port)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1, conn;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 1) < 0)
		return -1;
	conn = accept(fd, NULL, NULL);
	close(fd);
	setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return conn;
}

static int connect_to(const char *host, int port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port) };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port) };
	bool v6 = strchr(host, ':');
	struct sockaddr *addr = v6 ? (struct sockaddr *)&a6 : (struct sockaddr *)&a4;
	socklen_t len = v6 ? sizeof(a6) : sizeof(a4);
	int fd, one = 1;

	if (inet_pton(v6 ? AF_INET6 : AF_INET, host, v6 ? (void *)&a6.sin6_addr
						       : (void *)&a4.sin_addr) != 1)
		return -1;
	for (int tries = 0; tries < 600; tries++) {
		fd = socket(addr->sa_family, SOCK_STREAM, 0);
		if (connect(fd, addr, len) == 0) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			return fd;
		}
		close(fd);
		usleep(100000);
	}
	return -1;
}

/* Whether a read() or write() that failed is worth trying again: a signal
 * interrupted it, or it said EAGAIN on a blocking socket (as Debian's runsc
 * with --network=host does), and fd is now ready for events. */
static bool again(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };

	if (errno == EAGAIN)
		poll(&p, 1, -1);
	return errno == EINTR || errno == EAGAIN;
}

static ssize_t read_some(int fd, void *buf, size_t len)
{
	ssize_t n;

	while ((n = read(fd, buf, len)) < 0 && again(fd, POLLIN))
		;
	return n;
}

static int run_sink(int conn)
{
	static char buf[1 << 16];

	ssize_t n;

	while ((n = read_some(conn, buf, sizeof(buf))) > 0)
		;
	if (n < 0)
		perror("net sink");
	return n < 0;
}

static int run_echo(int conn)
{
	char buf[4096];
	ssize_t n;

	while ((n = read_some(conn, buf, sizeof(buf))) > 0)
		if (write(conn, buf, n) != n)
			return 1;
	return 0;
}

static int run_send(int fd, long mb)
{
	static char buf[1 << 16];
	long left = mb << 20;
	double start = now();

	memset(buf, 'x', sizeof(buf));
	for (ssize_t n; left > 0; left -= n) {
		n = write(fd, buf, left < (long)sizeof(buf) ? left : (long)sizeof(buf));
		if (n < 0 && again(fd, POLLOUT))
			n = 0;
		else if (n <= 0)
			return perror("net send"), 1;
	}
	shutdown(fd, SHUT_WR);
	while (read_some(fd, buf, sizeof(buf)) > 0)	/* the sink has it all */
		;
	printf("%.1f\n", mb / (now() - start));
	return 0;
}

static int run_rtt(int fd, long n)
{
	double start = now();
	char c = 'x';

	for (long i = 0; i < n; i++)
		if (write(fd, &c, 1) != 1 || read_some(fd, &c, 1) != 1)
			return perror("net rtt"), 1;
	printf("%.1f\n", (now() - start) / n * 1e6);
	return 0;
}

int main(int argc, char **argv)
{
	int fd;

	if (argc == 3 && (!strcmp(argv[1], "sink") || !strcmp(argv[1], "echo"))) {
		fd = serve_one(atoi(argv[2]));
		if (fd < 0)
			return 1;
		return !strcmp(argv[1], "sink") ? run_sink(fd) : run_echo(fd);
	}
	if (argc == 5 && (!strcmp(argv[1], "send") || !strcmp(argv[1], "rtt"))) {
		fd = connect_to(argv[2], atoi(argv[3]));
		if (fd < 0)
			return 1;
		return !strcmp(argv[1], "send") ? run_send(fd, atol(argv[4]))
						: run_rtt(fd, atol(argv[4]));
	}
	fprintf(stderr, "usage: net sink|echo PORT | net send|rtt HOST PORT N\n");
	return 2;
}
