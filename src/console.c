#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "console.h"
#include "util.h"

static int console_open(int *master, int *slave, struct ld_error *err)
{
	struct termios t;
	char name[64];

	*slave = -1;
	*master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0 || grantpt(*master) < 0 || unlockpt(*master) < 0 ||
	    ptsname_r(*master, name, sizeof(name)) != 0)
		ld_error_set(err, errno, "pseudo-terminal");
	else if ((*slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		ld_error_set(err, errno, "pseudo-terminal %s", name);
	else if (tcgetattr(*slave, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(*slave, TCSANOW, &t);
		return 0;
	}
	if (*master >= 0)
		close(*master);
	if (*slave >= 0)
		close(*slave);
	return -1;
}

int ld_send_fd(const char *option, const char *socket_path, int sent,
	       const char *name, struct ld_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char control[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = (char *)name, .iov_len = strlen(name) };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = control, .msg_controllen = sizeof(control) };
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	cleanup_close int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return ld_error_set(err, ENAMETOOLONG, "%s %s", option, socket_path);
	strcpy(addr.sun_path, socket_path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return ld_error_set(err, errno, "%s %s", option, socket_path);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &sent, sizeof(int));
	if (sendmsg(fd, &msg, MSG_NOSIGNAL) < 0)
		return ld_error_set(err, errno, "%s %s", option, socket_path);
	return 0;
}

int ld_console_create(const char *socket_path, int *master, int *slave,
		      struct ld_error *err)
{
	char name[64] = "";

	if (console_open(master, slave, err) < 0)
		return -1;
	if (!socket_path)
		return 0;
	ptsname_r(*master, name, sizeof(name));
	if (ld_send_fd("--console-socket", socket_path, *master, name, err) < 0) {
		close(*slave);
		*slave = -1;
	}
	close(*master);
	*master = -1;
	return *slave < 0 ? -1 : 0;
}

void ld_console_proxy_start(struct ld_console_proxy *p, int master)
{
	struct termios raw;

	p->master = master;
	p->in_open = true;
	p->out_open = true;
	p->restore = tcgetattr(0, &p->saved) == 0;
	if (!p->restore)
		return;
	raw = p->saved;
	cfmakeraw(&raw);
	tcsetattr(0, TCSANOW, &raw);
	ld_console_proxy_resize(p);
}

void ld_console_proxy_resize(const struct ld_console_proxy *p)
{
	struct winsize ws;

	if (p->master >= 0 && ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(p->master, TIOCSWINSZ, &ws);
}

void ld_console_proxy_poll(const struct ld_console_proxy *p, struct pollfd *fds)
{
	fds[0] = (struct pollfd){ .fd = p->in_open ? 0 : -1, .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = p->out_open ? p->master : -1,
				  .events = POLLIN };
}

void ld_console_proxy_pump(struct ld_console_proxy *p, const struct pollfd *fds)
{
	if (fds[0].revents && !ld_copy_once(0, p->master))
		p->in_open = false;
	if (fds[1].revents && !ld_copy_once(p->master, 1))
		p->out_open = false;
}

void ld_console_proxy_end(struct ld_console_proxy *p)
{
	if (p->master >= 0) {
		fcntl(p->master, F_SETFL, O_NONBLOCK);
		while (ld_copy_once(p->master, 1))
			;
		close(p->master);
		p->master = -1;
	}
	if (p->restore)
		tcsetattr(0, TCSANOW, &p->saved);
}
