/*
 * Kernel features that programs probe for: one line each, "NAME ok" or
 * "NAME ERRNO-NAME", so that a test compares what a container gets under
 * linuxd with what it gets under runc.  With an argument PATH, the file
 * operations run on PATH (a file in the rootfs, say).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>
#include <linux/genetlink.h>
#include <linux/keyctl.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <linux/userfaultfd.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <unistd.h>

static void report(const char *name, long ret)
{
	if (ret < 0)
		printf("%s %s\n", name, strerrorname_np(errno));
	else
		printf("%s ok\n", name);
}

/* Close fd if it is one; ret as it was. */
static long done(long ret)
{
	if (ret >= 0)
		close(ret);
	return ret;
}

/* Resolve a generic netlink family by name: its id, or -1 (errno set). */
static long genl_family(const char *name)
{
	struct {
		struct nlmsghdr n;
		struct genlmsghdr g;
		char attrs[64];
	} req = { 0 }, ans;
	struct nlattr *a = (struct nlattr *)req.attrs;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	long n;

	if (fd < 0)
		return -1;
	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + strlen(name) + 1;
	strcpy((char *)a + NLA_HDRLEN, name);
	req.n.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN + NLA_ALIGN(a->nla_len));
	req.n.nlmsg_type = GENL_ID_CTRL;
	req.n.nlmsg_flags = NLM_F_REQUEST;
	req.g.cmd = CTRL_CMD_GETFAMILY;
	req.g.version = 1;
	n = send(fd, &req, req.n.nlmsg_len, 0);
	if (n >= 0)
		n = recv(fd, &ans, sizeof(ans), 0);
	close(fd);
	if (n < 0)
		return -1;
	if (ans.n.nlmsg_type == NLMSG_ERROR) {
		errno = -((struct nlmsgerr *)NLMSG_DATA(&ans.n))->error;
		return -1;
	}
	return 0;
}

/* Listen to the proc connector's process events. */
static long proc_connector(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);
	long ret;

	if (fd < 0)
		return -1;
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : NULL;
	static char data[128 << 10];
	int fd;

	report("fanotify", done(fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC, O_RDONLY)));
	report("userfaultfd", done(syscall(SYS_userfaultfd, O_CLOEXEC)));
	report("userfaultfd-user-mode",
	       done(syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY)));
	report("add_key", syscall(SYS_add_key, "user", "linuxd-probe", "x", 1,
				  KEY_SPEC_PROCESS_KEYRING));
	report("taskstats", genl_family(TASKSTATS_GENL_NAME));
	report("proc-connector", proc_connector());
	report("swapon", swapon("/linuxd-no-such-file", 0));
	report("syscall-1000", syscall(1000));
	if (!path)
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	memset(data, 'x', sizeof(data));
	if (fd < 0 || write(fd, data, sizeof(data)) != sizeof(data)) {
		perror(path);
		return 1;
	}
	report("fallocate", fallocate(fd, 0, 0, 1 << 20));
	report("fallocate-keep-size", fallocate(fd, FALLOC_FL_KEEP_SIZE, 1 << 20, 1 << 16));
	printf("size %ld\n", (long)lseek(fd, 0, SEEK_END));
	report("fallocate-punch-hole",
	       fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 4096, 1 << 16));
	/* the hole reads as zeroes, what is around it as before */
	if (pread(fd, data, sizeof(data), 0) == sizeof(data))
		printf("data %c %d %d %c\n", data[4095], data[4096],
		       data[4096 + (1 << 16) - 1], data[4096 + (1 << 16)]);
	close(fd);
	unlink(path);
	return 0;
}
