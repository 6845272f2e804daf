/*
 * A compromised sandbox kernel against its file server.
 *
 * This program plays the kernel process once an attacker owns it: it
 * starts the file server exactly as the kernel does (the server's code is
 * the patched kernel's fs/hostfs/hostfs_user.c, its jail and filter code
 * arch/um/os-Linux/jail.c, its allowlist and private root the runtime's),
 * pivots into the private root as the kernel does, then writes hostile
 * requests straight into the memory the two share: relative paths, "..",
 * symlinks out of the rootfs, magic links, buffers past the shared
 * memory, lengths that wrap, descriptors the server never opened, flags
 * hostfs never uses, requests that change while the server reads them,
 * device nodes, a bind source's submount and a read-only bind source,
 * and FUZZ_RUNS random ones.  A parent process outside checks afterwards
 * that nothing outside the container's rootfs was touched, and no answer
 * ever carried a byte of the canary file next to the rootfs.
 *
 * Prints TAP; run as root.  FILESERVER_SEED repeats a random run.
 */
#include "hostfs_user.c"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/sysmacros.h>

#include "../../src/allowlist.h"
#include "../../src/jail.h"

#define MEM_SIZE (256 * 1024)
#define SLOT 8192		/* bytes per path or buffer slot */
/* The host file next to the rootfs, and its neighbour, whose name no
 * request ever gives: neither its content nor that name may come back. */
#define CANARY "secret"
#define SECRET "SECRET-c0ffee"
#define UNNAMED "unnamed-8e1d"

static char *mem;		/* what the kernel and the server share */
static size_t mem_used;
static char work[64];		/* the host directory of this run */
static int failures;

void *uml_kmalloc(int size, int flags)
{
	void *p = mem + mem_used;

	(void)flags;
	mem_used += (size + 63) & ~63;
	return mem_used <= MEM_SIZE ? p : NULL;
}

void kfree(const void *ptr)
{
	(void)ptr;
}

void os_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	abort();
}

int os_process_alive(int pid)
{
	siginfo_t info = { 0 };

	if (waitid(P_PID, pid, &info, WEXITED | WNOHANG | WNOWAIT))
		return 0;
	return info.si_pid != pid;
}

int os_spin_loops(int loops)
{
	return loops;
}

/* the CPU the caller runs on, so that the server moves to the kernel's */
int os_host_cpu(void)
{
	return sched_getcpu();
}

void os_umid_dir_unreachable(void)
{
}

unsigned long long os_makedev(unsigned int major, unsigned int minor)
{
	return makedev(major, minor);
}

static void ok(int pass, const char *fmt, ...)
{
	va_list ap;

	printf("%sok - file server: ", pass ? "" : "not ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
	failures += !pass;
}

/* Slot n of the shared memory, after the channel. */
static char *slot(int n)
{
	return mem + 4096 + n * SLOT;
}

static char *str(int n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(slot(n), SLOT, fmt, ap);
	va_end(ap);
	return slot(n);
}

static int canary_seen(void)
{
	return memmem(mem, MEM_SIZE, SECRET, strlen(SECRET)) ||
	       memmem(mem, MEM_SIZE, UNNAMED, strlen(UNNAMED));
}

/* The request last asked, for stuck(). */
static struct hostfs_req asked;

/* A request that did not come back: say which, and end. */
static void stuck(int sig)
{
	printf("not ok - file server: request (op %d, fd %d, flags %#x) did not come back\n",
	       asked.op, asked.fd, asked.flags);
	fflush(stdout);
	_exit(1);
}

/* Post request r (copied into shared memory) and wait for its answer. */
static long ask(struct hostfs_req r)
{
	struct hostfs_req *q = (struct hostfs_req *)slot(0);
	long ret;

	asked = r;
	*q = r;
	q->ret = 1;	/* what a request the server ignores answers */
	alarm(60);	/* a request takes microseconds */
	ret = call(q);
	alarm(0);
	return ret;
}


static int put_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Directory work/name, holding directory dir, file "name" with text and
 * a node of /dev/zero, "zero"; the caller is left in it. */
static int make_tree(const char *name, const char *dir, const char *file,
		     const char *text)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", work, name);
	return mkdir(p, 0755) < 0 || chdir(p) < 0 || mkdir(dir, 0755) < 0 ||
	       put_file(file, text) < 0 ||
	       mknod("zero", S_IFCHR | 0666, makedev(1, 5)) < 0 ? -1 : 0;
}

/* Two bind sources next to the rootfs: "shared" (read-write, bound
 * without its submounts) holding a device node and a mount point, and
 * "ro" (read-only). */
static int make_bind_sources(void)
{
	char p[128];

	if (make_tree("shared", "sub", "data", "shared\n") < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/ro", work);
	return mkdir(p, 0755) | chdir(p) | put_file("data", "ro\n");
}

/* In the kernel's mount namespace only: a tmpfs on shared/sub holding
 * the secret, which a bind (not rbind) of shared does not carry. */
static int mount_submount(void)
{
	char p[128];

	snprintf(p, sizeof(p), "%s/shared/sub", work);
	if (mount("tmpfs", p, "tmpfs", 0, NULL) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/shared/sub/" CANARY, work);
	return put_file(p, SECRET "\n");
}

/* The host's side, made before the kernel starts: the container's rootfs
 * with links that point out of it, and the canary next to it. */
static int make_host_files(void)
{
	char p[128];

	strcpy(work, "/tmp/ld-fileserver-XXXXXX");
	if (!mkdtemp(work))
		return -1;
	snprintf(p, sizeof(p), "%s/outside", work);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/outside/" CANARY, work);
	if (put_file(p, SECRET "\n") < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/outside/" UNNAMED, work);
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/outside/cwd", work);
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/state", work);
	mkdir(p, 0700);
	if (make_bind_sources() < 0)
		return -1;
	if (make_tree("rootfs", "dir", "file", "inside\n") < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/outside", work);
	return symlink(p, "abs") | symlink("../outside", "rel") |
	       symlink("../..", "up") | symlink("/proc/self/root", "self") |
	       chdir("/");
}

/* The kernel's start: the runtime's private root, user namespace and
 * allowlist, the file server started, then the jail (pivot_root). */
static int start_kernel(void)
{
	char rootfs[128], state[128], jail[160], shared[128], ro[128];
	struct ld_mount binds[] = {
		{ .source = shared, .options = "bind", .bind = true },
		{ .source = ro, .options = "bind,ro", .bind = true },
	};
	struct ld_config c = { .root_path = rootfs, .mounts = binds, .n_mounts = 2 };
	struct ld_error err;
	int filter, userns;

	snprintf(rootfs, sizeof(rootfs), "%s/rootfs", work);
	snprintf(state, sizeof(state), "%s/state", work);
	snprintf(shared, sizeof(shared), "%s/shared", work);
	snprintf(ro, sizeof(ro), "%s/ro", work);
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED || unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || mount_submount() < 0 ||
	    ld_jail_prepare(&c, state) < 0 || (userns = ld_jail_userns()) < 0)
		return -1;
	filter = ld_allowlist_fd("seccomp", LD_FILES, &err);
	/* where a server that kept its cwd would act: next to the canary,
	 * so that the checks from outside see it, not the host's files */
	snprintf(jail, sizeof(jail), "%s/outside/cwd", work);
	if (filter < 0 || chdir(jail) < 0 ||
	    hostfs_start_server(filter, userns, (unsigned long)mem,
				(unsigned long)mem + MEM_SIZE) < 0)
		return -1;
	snprintf(jail, sizeof(jail), "%s/" LD_JAIL_DIR, state);
	return os_jail(jail);
}

static void expect(const char *what, long got, long want)
{
	ok(got == want && !canary_seen(), "%s: %ld (%ld expected)", what, got, want);
}

#define REQ(...) ((struct hostfs_req){ .fd = -1, __VA_ARGS__ })

/* Paths that lead, or would on the host, out of the rootfs. */
static void attack_paths(void)
{
	const char *out[] = { "%s/rootfs/abs/" CANARY, "%s/rootfs/rel/" CANARY,
			      "%s/outside/" CANARY, "%s/rootfs/up/etc/passwd",
			      "%s/rootfs/self/etc/passwd", "/proc/self/cwd/etc/passwd",
			      "%s/rootfs/../outside/" CANARY, "/etc/passwd" };
	size_t i;

	str(1, "../../../../../../..%s/outside/" CANARY, work);
	expect(slot(1), ask(REQ(.op = OP_OPEN, .path = slot(1))), -EINVAL);
	str(1, "%s/outside/" CANARY, work);
	expect(slot(1) + 1, ask(REQ(.op = OP_OPEN, .path = slot(1) + 1)), -EINVAL);
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		str(1, out[i], work);
		expect(slot(1), ask(REQ(.op = OP_OPEN, .path = slot(1))), -ENOENT);
		expect(slot(1), ask(REQ(.op = OP_STAT, .path = slot(1),
					 .buf = slot(2), .len = SLOT)), -ENOENT);
	}
	str(1, "%s/rootfs/new", work);
	str(2, "%s/outside/" CANARY, work);
	ask(REQ(.op = OP_SYMLINK, .path = slot(1), .path2 = slot(2)));
	expect("open of a new link to the canary",
	       ask(REQ(.op = OP_OPEN, .path = slot(1))), -ENOENT);
	expect("hard link of the canary", ask(REQ(.op = OP_LINK, .path = slot(2),
						  .path2 = slot(1))), -ENOENT);
	str(2, "../outside/x");
	expect("rename to a relative path", ask(REQ(.op = OP_RENAME,
		.path = slot(1), .path2 = slot(2))), -EINVAL);
	str(1, "%s/rootfs/dev", work);
	expect("mknod of a device", ask(REQ(.op = OP_MKNOD, .path = slot(1),
		.mode = S_IFCHR | 0666, .off = makedev(1, 3))), -EPERM);
	str(1, "%s/rootfs/fifo", work);
	ask(REQ(.op = OP_MKNOD, .path = slot(1), .mode = S_IFIFO | 0600));
	expect("open of a fifo no one reads", ask(REQ(.op = OP_OPEN,
		.path = slot(1), .flags = O_WRONLY)), -ENXIO);
	str(1, "%s/rootfs/file", work);
	expect("open with O_PATH", ask(REQ(.op = OP_OPEN, .path = slot(1),
		.flags = O_PATH)), -EINVAL);
	expect("unlink with a flag hostfs never uses", ask(REQ(.op = OP_UNLINK,
		.path = slot(1), .flags = 0x8000)), -EINVAL);
}

/* Device nodes, a submount the bind leaves out, a read-only source,
 * and moves between the roots: the private root's mounts decide. */
static void attack_mounts(void)
{
	long fd;

	str(1, "%s/shared/data", work);
	fd = ask(REQ(.op = OP_OPEN, .path = slot(1), .flags = O_RDWR));
	ok(fd >= 3, "a file of the read-write bind source opens for writing: %ld", fd);
	ask(REQ(.op = OP_CLOSE, .fd = fd));
	str(1, "%s/rootfs/zero", work);
	expect("open of a device node of the rootfs",
	       ask(REQ(.op = OP_OPEN, .path = slot(1))), -EACCES);
	str(1, "%s/shared/zero", work);
	expect("open of a device node of a bind source",
	       ask(REQ(.op = OP_OPEN, .path = slot(1))), -EACCES);
	str(1, "%s/shared/sub/" CANARY, work);
	expect("open in a submount that the bind leaves out",
	       ask(REQ(.op = OP_OPEN, .path = slot(1))), -ENOENT);
	str(1, "%s/ro/data", work);
	expect("open for writing in the read-only source",
	       ask(REQ(.op = OP_OPEN, .path = slot(1), .flags = O_RDWR)), -EROFS);
	expect("unlink in the read-only source",
	       ask(REQ(.op = OP_UNLINK, .path = slot(1))), -EROFS);
	str(2, "%s/ro/moved", work);
	expect("rename in the read-only source",
	       ask(REQ(.op = OP_RENAME, .path = slot(1), .path2 = slot(2))), -EROFS);
	str(1, "%s/shared/data", work);
	str(2, "%s/rootfs/moved", work);
	expect("rename from a bind source into the rootfs",
	       ask(REQ(.op = OP_RENAME, .path = slot(1), .path2 = slot(2))), -EXDEV);
	expect("hard link from a bind source into the rootfs",
	       ask(REQ(.op = OP_LINK, .path = slot(1), .path2 = slot(2))), -EXDEV);
	str(1, "%s/new", work);
	expect("mkdir in the private root itself",
	       ask(REQ(.op = OP_MKDIR, .path = slot(1), .mode = 0755)), -EROFS);
}

/* A request posted as from host CPU cpu, which the server may not move to. */
static void kernel_cpu_attack(int fd, int cpu)
{
	struct hostfs_req *q = (struct hostfs_req *)slot(0);

	*q = REQ(.op = OP_READ, .fd = fd, .buf = slot(2), .len = 7);
	chan->req = q;
	chan->kernel_cpu = cpu;
	chan_hand(CHAN_SERVER);
	chan_wait(CHAN_KERNEL, KERNEL_SPIN_LOOPS);
	ok(q->ret == 7 && os_process_alive(server_pid),
	   "a request posted from host CPU %d is answered: %ld", cpu, q->ret);
}

/* Descriptors and buffers that are not the server's to use. */
static void attack_fields(void)
{
	int fds[] = { 0, 1, 2, 3, 1000 };
	long fd;
	char local[64];
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		expect("read of a descriptor not opened for hostfs",
		       ask(REQ(.op = OP_READ, .fd = fds[i], .buf = slot(2),
			       .len = 16)), -EBADF);
	str(1, "%s/rootfs/file", work);
	fd = ask(REQ(.op = OP_OPEN, .path = slot(1)));
	ok(fd >= 3, "a rootfs file opens: %ld", fd);
	expect("a negative descriptor and no path", ask(REQ(.op = OP_READ,
		.fd = -2, .buf = slot(2), .len = 16)), -EINVAL);
	expect("dup2 onto the log", ask(REQ(.op = OP_DUP2, .fd = fd, .fd2 = 2)), -EBADF);
	expect("read past the shared memory", ask(REQ(.op = OP_READ, .fd = fd,
		.buf = mem + MEM_SIZE - 2, .len = 16)), -EFAULT);
	expect("read of a wrapping length", ask(REQ(.op = OP_READ, .fd = fd,
		.buf = slot(2), .len = ~0ULL)), -EFAULT);
	expect("read into the caller's own memory", ask(REQ(.op = OP_READ,
		.fd = fd, .buf = local, .len = 16)), -EFAULT);
	expect("stat into the last bytes", ask(REQ(.op = OP_STAT, .path = slot(1),
		.buf = mem + MEM_SIZE - 8, .len = 8)), -EFAULT);
	expect("statfs into the last bytes", ask(REQ(.op = OP_STATFS, .path = slot(1),
		.buf = mem + MEM_SIZE - 8, .len = 8)), -EFAULT);
	expect("utimes from the last bytes", ask(REQ(.op = OP_UTIMES, .fd = fd,
		.buf = mem + MEM_SIZE - 8, .len = 8)), -EFAULT);
	expect("open with its attributes into the last bytes", ask(REQ(.op = OP_OPEN,
		.path = slot(1), .buf = mem + MEM_SIZE - 8, .len = 8)), -EFAULT);
	expect("close with its attributes into the last bytes", ask(REQ(.op = OP_CLOSE,
		.fd = fd, .buf = mem + MEM_SIZE - 8, .len = 8)), -EFAULT);
	kernel_cpu_attack(fd, 1 << 20);
	kernel_cpu_attack(fd, -5);
	expect("a path outside the shared memory", ask(REQ(.op = OP_OPEN,
		.path = local)), -EFAULT);
	memset(mem + MEM_SIZE - 16, 'a', 16);
	expect("a path that runs off the end", ask(REQ(.op = OP_OPEN,
		.path = mem + MEM_SIZE - 16)), -EFAULT);
	memset(slot(3), 'a', SLOT);
	expect("a path longer than PATH_MAX", ask(REQ(.op = OP_OPEN,
		.path = slot(3))), -ENAMETOOLONG);
	expect("fallocate with a mode hostfs never uses", ask(REQ(.op = OP_FALLOCATE,
		.fd = fd, .flags = FALLOC_FL_COLLAPSE_RANGE, .len = 4096)), -EINVAL);
	expect("fallocate of the log", ask(REQ(.op = OP_FALLOCATE, .fd = 2,
		.len = 4096)), -EBADF);
	expect("an operation out of range", ask(REQ(.op = OP_FALLOCATE + 1)), -EINVAL);
	expect("a negative operation", ask(REQ(.op = -1)), -EINVAL);
	chan->req = (struct hostfs_req *)local;
	chan_hand(CHAN_SERVER);
	chan_wait(CHAN_KERNEL, KERNEL_SPIN_LOOPS);
	ok(os_process_alive(server_pid), "a request outside the shared memory is ignored");
	expect("the rootfs file reads", ask(REQ(.op = OP_READ, .fd = fd,
		.buf = slot(2), .len = 7)), 7);
	ok(!memcmp(slot(2), "inside\n", 7), "and holds what the host wrote");
	ask(REQ(.op = OP_CLOSE, .fd = fd));
}

/* Two threads: one flips the path and the request under the server's
 * feet, between the rootfs file and ways out, while the other reads. */
static volatile int flipping = 1;

static void *flip(void *unused)
{
	struct hostfs_req *q = (struct hostfs_req *)slot(0);
	char a[SLOT], b[SLOT];
	unsigned int i;

	(void)unused;
	snprintf(a, sizeof(a), "%s/rootfs/file", work);
	snprintf(b, sizeof(b), "%s/rootfs/rel/" CANARY, work);
	for (i = 0; flipping; i++) {
		strcpy(slot(1), i & 1 ? a : b);
		if (!(i & 7))
			slot(1)[0] = '.';
		q->path = i & 2 ? slot(1) : (char *)&i;
		q->len = i & 4 ? 16 : ~0ULL;
	}
	return NULL;
}

static void attack_races(void)
{
	pthread_t t;
	long fd, n, bad = 0;
	int i;

	pthread_create(&t, NULL, flip, NULL);
	for (i = 0; i < 2000; i++) {
		fd = ask(REQ(.op = OP_OPEN, .path = slot(1)));
		if (fd < 0)
			continue;
		n = ask(REQ(.op = OP_READ, .fd = fd, .buf = slot(2), .len = 16));
		bad += n > 16 || canary_seen();
		ask(REQ(.op = OP_CLOSE, .fd = fd));
	}
	flipping = 0;
	pthread_join(t, NULL);
	ok(!bad && os_process_alive(server_pid),
	   "requests changed while read: 2000 tries, %ld went wrong", bad);
}

/* One of the values given, at random. */
#define PICK(type, ...) ({ type _v[] = { __VA_ARGS__ }; \
			   _v[rand() % (sizeof(_v) / sizeof(_v[0]))]; })

static char *random_path(int n)
{
	static const char *const shapes[] = {
		"%s/rootfs", "%s/rootfs/file", "%s/rootfs/dir", "%s/rootfs/new",
		"%s/rootfs/abs/" CANARY, "%s/rootfs/rel/" CANARY, "%s/rootfs/up",
		"%s/rootfs/self/etc/passwd", "%s/outside/" CANARY, "%s/outside",
		"%s/rootfs/dir/../../outside/" CANARY, "%s/state",
		"../outside/" CANARY, "", "/", ".", "..", "/proc/self/cwd",
		"/etc/passwd", "%s/rootfs/dir/x", "%s/rootfs/abs",
	};

	switch (rand() % 8) {
	case 0:
		return NULL;
	case 1:
		return PICK(char *, (char *)1, mem + MEM_SIZE - 4, (char *)&n);
	default:
		return str(n, shapes[rand() % (sizeof(shapes) / sizeof(shapes[0]))],
			   work);
	}
}

static struct hostfs_req random_request(void)
{
	unsigned long long big = (unsigned long long)rand() << 33 ^ rand();

	return (struct hostfs_req){
		.op = rand() % (OP_LISTXATTR + 3) - 1,
		.fd = PICK(int, -1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 64, 1 << 30),
		.fd2 = PICK(int, -1, 0, 2, 3, 5, 9, 1000),
		.path = random_path(1), .path2 = random_path(3),
		.buf = PICK(char *, NULL, slot(5), mem + MEM_SIZE - 100,
			    (char *)0x1000, mem),
		.len = PICK(unsigned long long, 0ULL, 1ULL, 16ULL, 4096ULL, big, ~0ULL),
		.off = PICK(unsigned long long, 0ULL, 4096ULL, big),
		.mode = PICK(unsigned int, 0644u, 0755u | S_IFDIR, S_IFCHR | 0666u, S_IFIFO | 0600u,
			     (unsigned int)rand()),
		.flags = PICK(unsigned int, 0u, (unsigned int)O_RDONLY, O_RDWR | O_CREAT,
			      O_DIRECTORY, AT_REMOVEDIR, RENAME_EXCHANGE,
			      (unsigned int)rand()),
		.uid = PICK(unsigned int, 0u, 1000u, ~0u),
		.gid = PICK(unsigned int, 0u, 1000u, ~0u),
	};
}

static void fuzz(unsigned int seed, long runs)
{
	long i, leaks = 0;

	srand(seed);
	printf("# random requests: FILESERVER_SEED=%u\n", seed);
	for (i = 0; i < runs && os_process_alive(server_pid); i++) {
		ask(random_request());
		leaks += canary_seen();
		memset(slot(5), 0, SLOT);
		memset(mem + MEM_SIZE - 128, 0, 128);
	}
	ok(i == runs && !leaks, "%ld random requests (FILESERVER_SEED=%u): "
	   "the server lives, %ld answers carried the canary", i, seed, leaks);
}

static int play_kernel(unsigned int seed)
{
	const char *runs = getenv("FUZZ_RUNS");

	signal(SIGALRM, stuck);
	if (start_kernel() < 0) {
		ok(0, "starting as the kernel does: %s", strerror(errno));
		return 1;
	}
	attack_paths();
	attack_mounts();
	attack_fields();
	attack_races();
	fuzz(seed, runs ? atol(runs) : 20000);
	kill(server_pid, SIGKILL);
	waitpid(server_pid, NULL, 0);
	return failures != 0;
}

/* Everything next to the rootfs, from outside: names, modes, owners,
 * sizes and times, and the canary's content. */
static void snapshot(char *out, size_t size)
{
	char cmd[256];
	FILE *f;
	size_t n = 0;

	snprintf(cmd, sizeof(cmd), "cd %s && find . \\( -path ./rootfs -o -path ./state -o -path ./shared \\) -prune -o "
		 "-printf '%%p %%m %%U:%%G %%s %%T@\\n' | sort && cat outside/"
		 CANARY, work);
	f = popen(cmd, "r");
	if (f) {
		n = fread(out, 1, size - 1, f);
		pclose(f);
	}
	out[n] = 0;
}

static void check_host_files(int status, const char *before)
{
	char after[4096], cmd[128];

	ok(WIFEXITED(status) && !WEXITSTATUS(status), "the kernel's side ran to the end");
	snapshot(after, sizeof(after));
	ok(strstr(after, SECRET) && !strcmp(before, after),
	   "nothing outside the rootfs changed");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", work);
	if (system(cmd))
		ok(0, "removing %s", work);
}

int main(int argc, char **argv)
{
	static char before[4096];
	unsigned int seed;
	int status;
	pid_t kernel;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		puts("ok - file server: # SKIP needs root");
		return 0;
	}
	if (getenv("FILESERVER_SEED"))
		seed = strtoul(getenv("FILESERVER_SEED"), NULL, 0);
	else if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		return 1;
	if (make_host_files() < 0)
		return 1;
	snapshot(before, sizeof(before));
	kernel = fork();
	if (kernel == 0)
		_exit(play_kernel(seed));
	status = 1;
	waitpid(kernel, &status, 0);
	check_host_files(status, before);
	return 0;
}
