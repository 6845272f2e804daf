#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/seccomp.h>

#include "../common/caps.h"
#include "../common/fsutil.h"
#include "init.h"

#define ROOT_DIR "/newroot"
#define DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* Child -> init: "R" when ready to exec, "E<text>" on failure; the
 * descriptor closes on a successful exec.  Init -> child: one byte, go. */
static int report_fd = -1, go_fd = -1;

/* Report why the process cannot run and exit with code (126 when it
 * cannot be executed, 127 when it is not there, as shells do). */
static void fail(int code, const char *fmt, const char *arg, int errnum)
{
	char msg[4096];
	int len;

	msg[0] = 'E';
	len = 1 + snprintf(msg + 1, sizeof(msg) - 1, fmt, arg);
	if (errnum && len < (int)sizeof(msg))
		len += snprintf(msg + len, sizeof(msg) - len, ": %s",
				strerror(errnum));
	if (len > (int)sizeof(msg))
		len = sizeof(msg);
	if (write(report_fd, msg, len) < 0)
		_exit(125);
	_exit(code);
}

static const char *env_path(const struct init_settings *s)
{
	for (size_t i = 0; i < s->n_env; i++)
		if (!strncmp(s->env[i], "PATH=", 5))
			return s->env[i] + 5;
	return DEFAULT_PATH;
}

/* args[0] as execve takes it, looked up in the process's own PATH. */
static const char *find_program(const struct init_settings *s, char *buf,
				size_t size)
{
	const char *name = s->args[0], *p = env_path(s), *end;
	struct stat st;
	int denied = 0;

	if (strchr(name, '/'))
		return name;
	for (; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		snprintf(buf, size, "%.*s/%s", (int)(end - p), p, name);
		if (stat(buf, &st) < 0 || S_ISDIR(st.st_mode))
			continue;
		if (access(buf, X_OK) == 0)
			return buf;
		denied = 1;
	}
	if (denied)
		fail(126, "process.args[0]: exec: \"%s\": permission denied", name, 0);
	fail(127, "process.args[0]: exec: \"%s\": executable file not found in $PATH", name, 0);
	return NULL;
}

static void enter_root(const struct init_settings *s)
{
	char err[4096];

	if (unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC) < 0)
		fail(1, "namespaces%s", "", errno);
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		fail(1, "mount propagation%s", "", errno);
	if (mounts_prepare(s, ROOT_DIR, err, sizeof(err)) < 0)
		fail(1, "%s", err, 0);
	if (chdir(ROOT_DIR) < 0 || mount(".", "/", NULL, MS_MOVE, NULL) < 0 ||
	    chroot(".") < 0 || chdir("/") < 0)
		fail(1, "root.path %s", s->root, errno);
	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		fail(1, "hostname \"%s\"", s->hostname, errno);
	if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		fail(1, "domainname \"%s\"", s->domainname, errno);
}

/* process.capabilities before the change of user: the bounding set, and
 * the permitted set kept across it. */
static void caps_before_user(const struct init_settings *s)
{
	if (ld_caps_bound(s->caps[LD_CAP_BOUNDING]) < 0)
		fail(1, "process.capabilities.bounding%s", "", errno);
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		fail(1, "process.capabilities%s", "", errno);
}

/* And after it: the effective, inheritable, permitted and ambient sets. */
static void caps_after_user(const struct init_settings *s)
{
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 ||
	    ld_caps_set(s->caps[LD_CAP_EFFECTIVE], s->caps[LD_CAP_INHERITABLE],
			s->caps[LD_CAP_PERMITTED]) < 0)
		fail(1, "process.capabilities%s", "", errno);
	/* one that is not both permitted and inheritable stays out of the
	 * ambient set (EPERM), as runc leaves it: runc spec writes such */
	for (int cap = 0; cap < 64; cap++)
		if (s->caps[LD_CAP_AMBIENT] >> cap & 1 &&
		    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 &&
		    errno != EPERM)
			fail(1, "process.capabilities.ambient%s", "", errno);
}

/* linux.seccomp, as runc installs it: as late as it can be, that is
 * after the change of user with no_new_privs, and before it (while root
 * may) without. */
static void install_seccomp(const struct init_settings *s, bool as_user)
{
	struct sock_fprog prog = { .len = s->n_seccomp, .filter = s->seccomp };

	if (s->seccomp && as_user == s->no_new_privs &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, s->seccomp_flags, &prog) < 0)
		fail(1, "linux.seccomp%s", "", errno);
}

/* With linux.uidMappings, a user namespace of the container's own, made
 * once its mounts are: init writes its maps, and the process becomes its
 * root. */
static void enter_userns(const struct init_settings *s)
{
	char maps;

	if (!s->uid_map)
		return;
	if (unshare(CLONE_NEWUSER) < 0)
		fail(1, "user namespace%s", "", errno);
	if (write(report_fd, "U", 1) != 1 || read(go_fd, &maps, 1) != 1)
		_exit(125);
	if (maps != 'M')
		fail(1, "linux.uidMappings or gidMappings: refused by the kernel%s", "", 0);
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		fail(1, "user namespace%s", "", errno);
}

/* Init's side of enter_userns: the maps of the process pid. */
static bool write_maps(const struct init_settings *s, pid_t pid)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
	if (ld_write_text(path, s->uid_map) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
	return ld_write_text(path, s->gid_map ? s->gid_map : "") == 0;
}

/* process.rlimits and oomScoreAdj: first, while the process is still
 * init's root, as raising either takes a capability of init's. */
static void apply_limits(const struct init_settings *s)
{
	for (size_t i = 0; i < s->n_rlimits; i++)
		if (setrlimit(s->rlimits[i].resource, &s->rlimits[i].limit) < 0)
			fail(1, "process.rlimits[%s]", "", errno);
	if (s->oom_score_adj && ld_write_text("/proc/self/oom_score_adj", s->oom_score_adj) < 0)
		fail(1, "process.oomScoreAdj%s", "", errno);
}

/*
 * The environment with HOME, when the process has none or an empty one,
 * taken from the container's /etc/passwd entry for its uid, else "/", as
 * runc fills it in.
 */
static char **env_with_home(const struct init_settings *s)
{
	static char home[PATH_MAX + 8];
	struct passwd *pw = NULL;
	size_t i, n = 0;
	char **env;
	FILE *f;

	for (i = 0; i < s->n_env; i++)
		if (!strncmp(s->env[i], "HOME=", 5) && s->env[i][5])
			return s->env;
	f = fopen("/etc/passwd", "re");
	while (f && (pw = fgetpwent(f)) && pw->pw_uid != s->uid)
		;
	snprintf(home, sizeof(home), "HOME=%s", pw && *pw->pw_dir ? pw->pw_dir : "/");
	if (f)
		fclose(f);
	env = calloc(s->n_env + 2, sizeof(char *));
	if (!env)
		return s->env;
	for (i = 0; i < s->n_env; i++)
		if (strcmp(s->env[i], "HOME="))
			env[n++] = s->env[i];
	env[n] = home;
	return env;
}

static void become_user(const struct init_settings *s)
{
	/* as root first, as runc enters it: a cwd the user may not enter
	 * is entered all the same */
	bool in_cwd = chdir(s->cwd) == 0;

	install_seccomp(s, false);
	caps_before_user(s);
	if (setgroups(s->n_groups, s->groups) < 0)
		fail(1, "process.user.additionalGids%s", "", errno);
	if (setgid(s->gid) < 0)
		fail(1, "process.user.gid%s", "", errno);
	if (setuid(s->uid) < 0)
		fail(1, "process.user.uid%s", "", errno);
	if (!in_cwd && chdir(s->cwd) < 0)
		fail(1, "process.cwd \"%s\"", s->cwd, errno);
	caps_after_user(s);
	if (s->has_umask)
		umask(s->umask);
	if (s->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		fail(1, "process.noNewPrivileges%s", "", errno);
	install_seccomp(s, true);
}

/* Into the namespaces and root of the container process `pid`, with the
 * given stdio, for a process run by exec. */
static void join_container(pid_t pid, const int stdio[3])
{
	static const char *const ns[] = { "ipc", "uts", "mnt" };
	char path[64];
	int fd, root, user;

	snprintf(path, sizeof(path), "/proc/%d/root", pid);
	root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/ns/user", pid);
	user = open(path, O_RDONLY | O_CLOEXEC);
	for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", pid, ns[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, 0) < 0)
			fail(1, "join the container's %s namespace", ns[i], errno);
		close(fd);
	}
	if (root < 0 || fchdir(root) < 0 || chroot(".") < 0)
		fail(1, "container root%s", "", errno);
	/* its user namespace, if it has one of its own (else EINVAL): last,
	 * as the others belong to init's */
	if (user < 0 || (setns(user, CLONE_NEWUSER) < 0 && errno != EINVAL))
		fail(1, "join the container's %s namespace", "user", errno);
	close(user);
	for (int i = 0; i < 3; i++)
		if (dup2(stdio[i], i) < 0)
			fail(1, "stdio%s", "", errno);
}

/* The terminal (the container's tty1, or an exec'd process's stdin) as
 * stdio and controlling terminal of a new session, as a shell with job
 * control needs. */
static void attach_terminal(const char *tty)
{
	int fd = 0;

	if (setsid() < 0)
		fail(1, "process.terminal: setsid%s", "", errno);
	if (tty)
		fd = open(tty, O_RDWR);
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0)
		fail(1, "process.terminal: %s", tty ? tty : "exec", errno);
	for (int i = 0; i < 3; i++)
		if (dup2(fd, i) < 0)
			fail(1, "process.terminal%s", "", errno);
	if (fd > 2)
		close(fd);
}

/* The preserved descriptors as 3, 4, ...; the pipes to init move above
 * them. */
static void place_preserved(const struct init_settings *s)
{
	int floor = 3 + s->n_fds, *copy;
	size_t i;

	if (!s->n_fds)
		return;
	copy = calloc(s->n_fds, sizeof(int));
	report_fd = fcntl(report_fd, F_DUPFD_CLOEXEC, floor);
	go_fd = fcntl(go_fd, F_DUPFD_CLOEXEC, floor);
	for (i = 0; i < s->n_fds; i++)
		copy[i] = fcntl(s->fds[i], F_DUPFD_CLOEXEC, floor);
	for (i = 0; i < s->n_fds; i++)
		if (copy[i] < 0 || dup2(copy[i], 3 + i) < 0)
			fail(1, "--preserve-fds%s", "", errno);
	free(copy);
}

/* Set up the process and exec it; create (container == 0) waits for go. */
static void child_main(const struct init_settings *s, pid_t container,
		       const int stdio[3])
{
	char path[PATH_MAX], go;
	const char *prog;
	sigset_t none;
	/* into a paused container last: frozen there, it could not report */
	bool paused = container && cgroup_frozen();
	int procs = cgroup_open(s->subcgroup);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	if (procs < 0 || (!paused && cgroup_enter(procs) < 0))
		fail(1, "container cgroup%s", s->subcgroup ? " (--cgroup)" : "", errno);
	apply_limits(s);
	if (container)
		join_container(container, stdio);
	if (s->terminal)
		attach_terminal(container ? NULL : "/dev/tty1");
	if (!container) {
		enter_root(s);
		enter_userns(s);
	}
	become_user(s);
	prog = find_program(s, path, sizeof(path));
	place_preserved(s);
	if (!container &&
	    (write(report_fd, "R", 1) != 1 || read(go_fd, &go, 1) != 1))
		_exit(125);
	/* init takes a NUL for started; the process goes on once resumed */
	if (paused && (write(report_fd, "", 1) != 1 || cgroup_enter(procs) < 0))
		_exit(125);
	execve(prog, s->args, env_with_home(s));
	/* runc's words, which tools look for */
	if (errno == ENOENT)
		fail(127, "process.args[0]: exec: \"%1$s\": stat %1$s: no such file or directory",
		     prog, 0);
	if (errno == EACCES)
		fail(126, "process.args[0]: exec: \"%s\": permission denied", prog, 0);
	fail(126, "process.args[0]: exec: \"%s\"", prog, errno);
}

static int child_error(pid_t pid, const char *buf, ssize_t n, char *err,
		       size_t size)
{
	int status = 0;

	snprintf(err, size, "%.*s", n > 1 ? (int)n - 1 : 0, buf + 1);
	if (n <= 1)
		snprintf(err, size, "container process exited before it ran");
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) ? -WEXITSTATUS(status) : -1;
}

/* Returns the pid, or minus the exit code the container should report. */
pid_t process_create(const struct init_settings *s, char *err, size_t size)
{
	int report[2], go[2];
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (pipe2(report, O_CLOEXEC) < 0 || pipe2(go, O_CLOEXEC) < 0 ||
	    unshare(CLONE_NEWPID) < 0 || (pid = fork()) < 0) {
		snprintf(err, size, "container process: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(report[0]);
		close(go[1]);
		report_fd = report[1];
		go_fd = go[0];
		child_main(s, 0, NULL);
	}
	close(report[1]);
	close(go[0]);
	report_fd = report[0];
	go_fd = go[1];
	n = read(report_fd, buf, sizeof(buf));
	if (n == 1 && buf[0] == 'U') {
		buf[0] = write_maps(s, pid) ? 'M' : 'X';
		if (write(go_fd, buf, 1) == 1)
			n = read(report_fd, buf, sizeof(buf));
	}
	if (n == 1 && buf[0] == 'R')
		return pid;
	return child_error(pid, buf, n, err, size);
}

/* Let the process exec; returns 0 once it did, else minus an exit code. */
int process_start(pid_t pid, char *err, size_t size)
{
	char buf[4096];
	ssize_t n;

	if (write(go_fd, "G", 1) != 1) {
		snprintf(err, size, "container process: %s", strerror(errno));
		return -1;
	}
	close(go_fd);
	go_fd = -1;
	n = read(report_fd, buf, sizeof(buf));
	close(report_fd);
	if (n == 0)
		return 0;
	return child_error(pid, buf, n, err, size);
}

/* Run a further process in the container; returns its pid, or minus the
 * exit code to report when it could not be run. */
pid_t process_exec(const struct init_settings *s, pid_t container,
		   const int stdio[3], char *err, size_t size)
{
	int report[2];
	char buf[4096];
	ssize_t n;
	pid_t pid;

	if (pipe2(report, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		snprintf(err, size, "exec: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(report[0]);
		report_fd = report[1];
		child_main(s, container, stdio);
	}
	close(report[1]);
	n = read(report[0], buf, sizeof(buf));
	close(report[0]);
	if (n == 0 || (n == 1 && !buf[0]))
		return pid;
	return child_error(pid, buf, n, err, size);
}
