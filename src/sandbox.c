#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/protocol.h"
#include "paths.h"
#include "sandbox.h"
#include "util.h"

#define LD_MEMORY_DEFAULT (256LL << 20)
#define LD_MEMORY_MIN (64LL << 20)

/* Host descriptor numbers the kernel process gets for hostfd=. */
#define LD_FIRST_HOSTFD 3

/*
 * A fresh open file description for a pipe or terminal, so the kernel's
 * non-blocking and async flags never reach the caller's shell; others
 * (files, sockets) are shared as they are.
 */
static int stdio_for_kernel(int fd, int flags)
{
	char path[64];
	struct stat st;
	int new_fd;

	if (fstat(fd, &st) < 0)
		return open("/dev/null", flags | O_CLOEXEC);
	if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		new_fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
		if (new_fd >= 0)
			return new_fd;
	}
	return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

static void build_argv(char **argv, const struct ld_config *c,
		       const char *state_dir, bool debug)
{
	static char mem[32], initrd[PATH_MAX + 8], umldir[PATH_MAX + 16];
	long long bytes = c->memory_limit < 0 ? LD_MEMORY_DEFAULT : c->memory_limit;
	size_t i = 0;

	if (bytes < LD_MEMORY_MIN)
		bytes = LD_MEMORY_MIN;
	snprintf(mem, sizeof(mem), "mem=%lldM", (bytes + (1 << 20) - 1) >> 20);
	snprintf(initrd, sizeof(initrd), "initrd=%s", ld_path_initrd());
	snprintf(umldir, sizeof(umldir), "uml_dir=%s", state_dir);
	argv[i++] = (char *)ld_path_kernel();
	argv[i++] = mem;
	argv[i++] = initrd;
	argv[i++] = umldir;
	argv[i++] = "umid=kernel";
	argv[i++] = "hostfd=3,4,5,6,7";
	argv[i++] = "con=null";
	argv[i++] = "stderr=1";
	argv[i++] = "console=stderr";
	if (!debug)
		argv[i++] = "quiet";
	argv[i] = NULL;
}

/* In the child: arrange descriptors 0..7 as the kernel expects, then exec. */
static void exec_kernel(int log_fd, const int fds[LD_HOSTFD_COUNT],
			char **argv)
{
	int high[LD_HOSTFD_COUNT], i;
	sigset_t none;

	setsid();
	for (i = 0; i < LD_HOSTFD_COUNT; i++)
		high[i] = fcntl(fds[i], F_DUPFD_CLOEXEC, 16);
	log_fd = fcntl(log_fd, F_DUPFD_CLOEXEC, 16);
	if (dup2(open("/dev/null", O_RDONLY), 0) < 0 || dup2(log_fd, 1) < 0 ||
	    dup2(log_fd, 2) < 0)
		_exit(127);
	for (i = 0; i < LD_HOSTFD_COUNT; i++)
		if (high[i] < 0 || dup2(high[i], LD_FIRST_HOSTFD + i) < 0)
			_exit(127);
	close_range(LD_FIRST_HOSTFD + LD_HOSTFD_COUNT, ~0U, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(argv[0], argv);
	dprintf(2, "linuxd: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int ld_sandbox_boot(struct ld_sandbox *sb, const struct ld_config *c,
		    const char *state_dir, int log_fd, bool debug,
		    struct ld_error *err)
{
	int control[2], status[2], fds[LD_HOSTFD_COUNT], i;
	char *argv[16];

	memset(sb, 0, sizeof(*sb));
	sb->control = sb->status = -1;
	if (access(ld_path_kernel(), X_OK) < 0)
		return ld_error_set(err, errno, "sandbox kernel %s", ld_path_kernel());
	if (access(ld_path_initrd(), R_OK) < 0)
		return ld_error_set(err, errno, "guest init %s", ld_path_initrd());
	if (pipe2(control, O_CLOEXEC) < 0)
		return ld_error_set(err, errno, "control pipe");
	if (pipe2(status, O_CLOEXEC) < 0) {
		close(control[0]);
		close(control[1]);
		return ld_error_set(err, errno, "status pipe");
	}
	fds[LD_HOSTFD_STDIN] = stdio_for_kernel(0, O_RDONLY);
	fds[LD_HOSTFD_STDOUT] = stdio_for_kernel(1, O_WRONLY);
	fds[LD_HOSTFD_STDERR] = stdio_for_kernel(2, O_WRONLY);
	fds[LD_HOSTFD_CONTROL] = control[0];
	fds[LD_HOSTFD_STATUS] = status[1];
	build_argv(argv, c, state_dir, debug);
	sb->pid = fork();
	if (sb->pid == 0)
		exec_kernel(log_fd, fds, argv);
	for (i = 0; i < LD_HOSTFD_COUNT; i++)
		close(fds[i]);
	sb->control = control[1];
	sb->status = status[0];
	if (sb->pid < 0)
		return ld_error_set(err, errno, "fork");
	return 0;
}

static void record(FILE *f, const char *key, const char *fmt, ...)
{
	va_list ap;

	fputs(key, f);
	if (fmt) {
		fputc('=', f);
		va_start(ap, fmt);
		vfprintf(f, fmt, ap);
		va_end(ap);
	}
	fputc('\0', f);
}

static void record_strings(FILE *f, const char *key, char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		record(f, key, "%s", v[i]);
}

static void record_settings(FILE *f, const struct ld_config *c)
{
	size_t i;

	record_strings(f, LD_KEY_ARG, c->args);
	record_strings(f, LD_KEY_ENV, c->env);
	record(f, LD_KEY_CWD, "%s", c->cwd);
	record(f, LD_KEY_UID, "%u", c->uid);
	record(f, LD_KEY_GID, "%u", c->gid);
	for (i = 0; i < c->n_additional_gids; i++)
		record(f, LD_KEY_GROUP, "%u", c->additional_gids[i]);
	for (i = 0; i < c->n_rlimits; i++)
		record(f, LD_KEY_RLIMIT, "%d %llu %llu", c->rlimits[i].resource,
		       c->rlimits[i].soft, c->rlimits[i].hard);
	if (c->hostname)
		record(f, LD_KEY_HOSTNAME, "%s", c->hostname);
	record(f, LD_KEY_ROOT, "%s", c->root_path);
	if (c->root_readonly)
		record(f, LD_KEY_ROOT_RO, NULL);
	for (i = 0; i < c->n_mounts; i++) {
		record(f, LD_KEY_MOUNT, "%s", c->mounts[i].destination);
		record(f, LD_KEY_MOUNT_TYPE, "%s", c->mounts[i].type);
		record(f, LD_KEY_MOUNT_SOURCE, "%s", c->mounts[i].source);
		record(f, LD_KEY_MOUNT_OPTIONS, "%s", c->mounts[i].options);
	}
	record(f, LD_KEY_CREATE, NULL);
}

static int send_all(struct ld_sandbox *sb, const char *buf, size_t len,
		    struct ld_error *err)
{
	ssize_t n;

	while (len) {
		n = write(sb->control, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ld_error_set(err, errno, "sandbox control channel");
		buf += n;
		len -= n;
	}
	return 0;
}

/* The next record from init into rec; 0 at end of stream. */
static int next_record(struct ld_sandbox *sb, char *rec, size_t size,
		       struct ld_error *err)
{
	char *end;
	ssize_t n;
	size_t len;

	while (!(end = memchr(sb->buf, '\0', sb->buf_len))) {
		if (sb->buf_len == sizeof(sb->buf))
			return ld_error_set(err, 0, "sandbox status: record too long");
		n = read(sb->status, sb->buf + sb->buf_len,
			 sizeof(sb->buf) - sb->buf_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ld_error_set(err, errno, "sandbox status channel");
		if (n == 0)
			return 0;
		sb->buf_len += n;
	}
	len = end - sb->buf + 1;
	snprintf(rec, size, "%s", sb->buf);
	memmove(sb->buf, sb->buf + len, sb->buf_len - len);
	sb->buf_len -= len;
	return 1;
}

/* Wait for record `want` from init; an "error" record is the error. */
static int expect(struct ld_sandbox *sb, const char *want, struct ld_error *err)
{
	char rec[sizeof(sb->buf)];
	int rc;

	while ((rc = next_record(sb, rec, sizeof(rec), err)) > 0) {
		if (!strcmp(rec, want))
			return 0;
		if (!strncmp(rec, LD_KEY_ERROR "=", strlen(LD_KEY_ERROR) + 1))
			return ld_error_set(err, 0, "%s", rec + strlen(LD_KEY_ERROR) + 1);
	}
	if (rc == 0)
		return ld_error_set(err, 0, "sandbox kernel stopped before the container was %s (see the kernel log)",
				    want);
	return rc;
}

int ld_sandbox_create(struct ld_sandbox *sb, const struct ld_config *c,
		      struct ld_error *err)
{
	cleanup_free char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return ld_error_set(err, errno, "sandbox settings");
	record_settings(f, c);
	fclose(f);
	if (send_all(sb, buf, len, err) < 0)
		return -1;
	return expect(sb, LD_KEY_CREATED, err);
}

int ld_sandbox_start(struct ld_sandbox *sb, struct ld_error *err)
{
	static const char start[] = LD_KEY_START;

	if (send_all(sb, start, sizeof(start), err) < 0)
		return -1;
	return expect(sb, LD_KEY_STARTED, err);
}

int ld_sandbox_signal(struct ld_sandbox *sb, int sig, struct ld_error *err)
{
	char rec[32];
	int len = snprintf(rec, sizeof(rec), LD_KEY_SIGNAL "=%d", sig);

	return send_all(sb, rec, len + 1, err);
}

int ld_sandbox_wait(struct ld_sandbox *sb, struct ld_error *err)
{
	int status;

	while (waitpid(sb->pid, &status, 0) < 0)
		if (errno != EINTR)
			return ld_error_set(err, errno, "wait for sandbox %d", sb->pid);
	sb->pid = 0;
	if (WIFSIGNALED(status))
		return ld_error_set(err, 0, "sandbox kernel killed by signal %d",
				    WTERMSIG(status));
	return WEXITSTATUS(status);
}

void ld_sandbox_close(struct ld_sandbox *sb)
{
	if (sb->pid > 0) {
		kill(sb->pid, SIGKILL);
		waitpid(sb->pid, NULL, 0);
		sb->pid = 0;
	}
	if (sb->control >= 0)
		close(sb->control);
	if (sb->status >= 0)
		close(sb->status);
	sb->control = sb->status = -1;
}
