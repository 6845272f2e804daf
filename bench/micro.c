/* System-call and address-space microbenchmark, run inside a container.
 * Prints one line per operation: NAME NANOSECONDS-PER-OPERATION, the median
 * of five timed batches.
 * `micro child` is what the fork+exec case executes. */
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *self;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void op_getpid(void)
{
	syscall(SYS_getpid);
}

static void op_open_close(void)
{
	close(open("/dev/null", O_RDONLY));
}

static void op_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
}

/* A file of the rootfs: on linuxd, one that hostfs reaches on the host. */
static void op_open_close_rootfs(void)
{
	close(open("/etc/passwd", O_RDONLY));
}

static void op_mmap_touch(void)
{
	size_t len = 1 << 20;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
	munmap(p, len);
}

static void op_fork_wait(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
}

static void op_fork_exec_wait(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		execl(self, self, "child", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, NULL, 0);
}

static void *thread_main(void *arg)
{
	return arg;
}

static void op_thread(void)
{
	pthread_t t;

	pthread_create(&t, NULL, thread_main, NULL);
	pthread_join(t, NULL);
}

/* Pipe ping-pong: one byte to a child and back per operation. */
static int ping[2], pong[2];

static void op_pipe(void)
{
	char c = 0;

	if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
		exit(1);
}

static pid_t pipe_start(void)
{
	pid_t pid;
	char c;

	if (pipe(ping) || pipe(pong))
		exit(1);
	pid = fork();
	if (pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (read(ping[0], &c, 1) == 1)
			if (write(pong[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	return pid;
}

/* Futex ping-pong: two threads take turns through one futex word. */
static int turn;

static void futex_pass(int mine, int theirs)
{
	while (__atomic_load_n(&turn, __ATOMIC_ACQUIRE) != mine)
		syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, theirs, NULL, NULL, 0);
	__atomic_store_n(&turn, theirs, __ATOMIC_RELEASE);
	syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *futex_partner(void *arg)
{
	long n = (long)arg;

	for (long i = 0; i < n; i++)
		futex_pass(1, 0);
	return NULL;
}

static void op_futex(void)
{
	futex_pass(0, 1);
}

struct bench {
	const char *name;
	void (*op)(void);
	long iterations;
};

static const struct bench benches[] = {
	{ "getpid", op_getpid, 20000 },
	{ "open+close", op_open_close, 5000 },
	{ "open+close of a rootfs file", op_open_close_rootfs, 2000 },
	{ "pipe ping-pong", op_pipe, 2000 },
	{ "mmap+touch+munmap", op_mmap_touch, 100 },
	{ "fork+wait", op_fork_wait, 200 },
	{ "fork+exec+wait", op_fork_exec_wait, 100 },
	{ "thread create+join", op_thread, 500 },
	{ "futex ping-pong", op_futex, 2000 },
	/* last: linuxd's kernel takes the TSC for its clock, which the vDSO
	 * reads, a quarter of a second after boot */
	{ "clock_gettime", op_clock, 200000 },
};

static double run(const struct bench *b, long n)
{
	double start = now_ns();

	for (long i = 0; i < n; i++)
		b->op();
	return (now_ns() - start) / n;
}

static int compare_doubles(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of BATCHES runs of n / BATCHES operations: a burst of the
 * shared host's other work during one batch does not make the figure. */
#define BATCHES 5
static double median_run(const struct bench *b, long n)
{
	double t[BATCHES];

	for (int i = 0; i < BATCHES; i++)
		t[i] = run(b, n / BATCHES);
	qsort(t, BATCHES, sizeof(t[0]), compare_doubles);
	return t[BATCHES / 2];
}

int main(int argc, char **argv)
{
	long scale = argc > 1 ? atol(argv[1]) : 1;
	pthread_t partner;
	pid_t child;

	if (argc > 1 && !strcmp(argv[1], "child"))
		return 0;
	self = realpath("/proc/self/exe", NULL);
	if (scale < 1)
		scale = 1;
	for (size_t i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
		const struct bench *b = &benches[i];
		long n = b->iterations * scale;

		if (b->op == op_pipe)
			child = pipe_start();
		if (b->op == op_futex)
			pthread_create(&partner, NULL, futex_partner,
				       (void *)(n / 10 + n / BATCHES * BATCHES));
		run(b, n / 10);	/* warm up */
		printf("%s %.0f\n", b->name, median_run(b, n));
		fflush(stdout);
		if (b->op == op_pipe) {
			close(ping[1]);
			close(pong[0]);
			waitpid(child, NULL, 0);
			close(ping[0]);
			close(pong[1]);
		}
		if (b->op == op_futex)
			pthread_join(partner, NULL);
	}
	return 0;
}
