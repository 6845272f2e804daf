/* Checks of how the sandbox kernel runs programs, run inside a container:
 * `syscalls CHECK` prints "CHECK ok" and exits 0, or says what went wrong
 * and exits 1.  Static, so that any root filesystem can run it. */
#include <asm/prctl.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/inotify.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

/* On the seccomp platform a call site traps until it is rewritten, the
 * fourth time it traps: from its fifth call on, it takes the stub's fast
 * path (kernel patch 0006). */
#define FAST_FROM 5

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: %s failed\n", __func__, __LINE__, #cond); \
	exit(1); } } while (0)

/* Threads contending on a mutex and a condition variable (futexes). */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static long counter;
static __thread long mine;

static void *contend(void *arg __attribute__((unused)))
{
	for (int i = 0; i < 2000; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		mine++;
		pthread_cond_broadcast(&cond);
		pthread_mutex_unlock(&lock);
		if (i % 100 == 0)
			sched_yield();
	}
	return (void *)mine;	/* thread-local: each thread counts its own */
}

static int check_threads(void)
{
	pthread_t t[8];
	void *ret;

	for (int i = 0; i < 8; i++)
		CHECK(pthread_create(&t[i], NULL, contend, NULL) == 0);
	for (int i = 0; i < 8; i++) {
		CHECK(pthread_join(t[i], &ret) == 0);
		CHECK((long)ret == 2000);
	}
	CHECK(counter == 8 * 2000);
	return 0;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

/* A child signals us during a blocking read, then writes a byte. */
static int read_while_signalled(int restart)
{
	struct sigaction sa = { .sa_handler = on_signal,
				.sa_flags = restart ? SA_RESTART : 0 };
	int p[2], n;
	pid_t child;
	char c;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(pipe(p) == 0);
	caught = 0;
	child = fork();
	if (child == 0) {
		usleep(100000);
		kill(getppid(), SIGUSR1);
		usleep(100000);
		_exit(write(p[1], "x", 1) != 1);
	}
	close(p[1]);
	n = read(p[0], &c, 1);
	if (n < 0)
		n = -errno;
	CHECK(caught == SIGUSR1);
	waitpid(child, NULL, 0);
	close(p[0]);
	return n;
}

static int check_eintr(void)
{
	CHECK(read_while_signalled(0) == -EINTR);
	CHECK(read_while_signalled(1) == 1);
	return 0;
}

static int shared;

static int check_vfork(void)
{
	int status;
	pid_t pid = vfork();

	if (pid == 0) {
		shared = 42;	/* the parent's memory, until exec */
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(shared == 42);
	return 0;
}

/*
 * Children forked one after another from a parent that changes its memory
 * between them and right after each fork, each reading it and writing some
 * before it execs: what the kernel faults in ahead for the next child, from
 * what the last one touched, shows that child what the parent wrote before
 * the fork, what the parent writes after it (its copy-on-write windows
 * taken ahead) stays the parent's, and a child's writes stay its own.
 */
static int check_fork_learn(void)
{
	const size_t len = 1 << 20;
	char *buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int status;

	CHECK(buf != MAP_FAILED);
	for (int round = 1; round <= 20; round++) {
		memset(buf, round, len);
		pid_t pid = fork();

		if (pid == 0) {
			for (size_t o = 0; o < len; o += 4096)
				if (((volatile char *)buf)[o] != round)
					_exit(2);
			for (size_t o = 0; o < len; o += 8192)
				buf[o] = -1;
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		for (size_t o = 0; o < len; o += 16384)
			buf[o] = round + 100;
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		for (size_t o = 0; o < len; o += 4096)
			CHECK(buf[o] == (o % 16384 ? round : round + 100));
	}
	return 0;
}

/*
 * A program run again and again by one parent: what the kernel faults in
 * ahead for each run, from what the last run touched and wrote, shows each
 * run its initialized data and its bss as the file and exec() give them.
 */
static int learn_data[8192] = { 1, 2, 3, [8191] = 4 };
static int learn_bss[8192];

static int check_exec_learn_child(void)
{
	CHECK(learn_data[0] == 1 && learn_data[1] == 2 && learn_data[2] == 3);
	CHECK(learn_data[8191] == 4);
	for (size_t i = 3; i < 8191; i++)
		CHECK(learn_data[i] == 0);
	for (size_t i = 0; i < 8192; i++)
		CHECK(learn_bss[i] == 0);
	memset(learn_data, 0x55, sizeof(learn_data));
	memset(learn_bss, 0x55, sizeof(learn_bss));
	return 0;
}

static int check_exec_learn(void)
{
	int status;

	for (int round = 1; round <= 20; round++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl("/proc/self/exe", "syscalls", "exec_learn_child",
			      (char *)NULL);
			_exit(127);
		}
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	return 0;
}

/*
 * Memory a process gives back is gone for it when the call returns, small
 * or large: a read of what munmap() or a trimmed heap took faults, and what
 * MADV_DONTNEED dropped reads as zeroes.
 */
static sigjmp_buf gone_jmp;

static void gone_segv(int sig)
{
	(void)sig;
	siglongjmp(gone_jmp, 1);
}

static int read_faults(volatile char *p)
{
	if (sigsetjmp(gone_jmp, 1))
		return 1;
	(void)*p;
	return 0;
}

static int check_unmap_gone(void)
{
	struct sigaction sa = { .sa_handler = gone_segv };

	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
	for (size_t len = 4096; len <= (1 << 20); len *= 2) {
		char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *heap = sbrk(0), *top;

		CHECK(p != MAP_FAILED);
		memset(p, 0x5a, len);
		CHECK(madvise(p, len, MADV_DONTNEED) == 0);
		for (size_t o = 0; o < len; o += 4096)
			CHECK(p[o] == 0);
		memset(p, 0x5a, len);
		CHECK(munmap(p, len) == 0);
		for (size_t o = 0; o < len; o += 4096)
			CHECK(read_faults(p + o));

		CHECK(sbrk(len) == heap);
		memset(heap, 0x5a, len);
		CHECK(sbrk(-(long)len) != (void *)-1);
		top = (char *)(((unsigned long)heap + 4095) & ~4095UL);
		for (; top < heap + len; top += 4096)
			CHECK(read_faults(top));
	}
	sa.sa_handler = SIG_DFL;
	CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
	return 0;
}

static int clone_child(void *arg)
{
	*(int *)arg = 7;
	return 0;
}

static int check_clone_vm(void)
{
	static char stack[64 * 1024];
	int value = 0, status;
	pid_t pid = clone(clone_child, stack + sizeof(stack),
			  CLONE_VM | SIGCHLD, &value);

	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(value == 7);
	return 0;
}

static void *spin(void *arg)
{
	for (;;)
		sched_yield();
	return arg;
}

/* execve from a process with other running threads replaces them all. */
static int check_exec_threads(void)
{
	pthread_t t;

	for (int i = 0; i < 4; i++)
		CHECK(pthread_create(&t, NULL, spin, NULL) == 0);
	usleep(10000);
	execl("/bin/echo", "echo", "exec_threads ok", (char *)NULL);
	perror("exec_threads: execl /bin/echo");
	return 1;
}

/* Vector registers hold what we put there across a system call whose
 * signal handler uses the same registers. */
static void clobber(int sig)
{
	double x = sig;

	__asm__ volatile ("pxor %%xmm8, %%xmm8; pcmpeqd %%xmm9, %%xmm9;"
			  "pxor %%xmm0, %%xmm0" ::: "xmm0", "xmm8", "xmm9");
	caught = x * 2 > 0;
}

static int check_fpu(void)
{
	unsigned char in[32], out[32];
	struct sigaction sa = { .sa_handler = clobber };
	long pid = getpid(), ret;
	volatile double x = 1.5, y = 1.5;

	for (int i = 0; i < 32; i++)
		in[i] = i * 7 + 1;
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	/* "mov $nr, %eax; syscall": trapped, then rewritten */
	for (int i = 0; i < FAST_FROM + 1; i++) {
		caught = 0;
		memset(out, 0, sizeof(out));
		__asm__ volatile ("movdqu (%[in]), %%xmm8\n\t"
				  "movdqu 16(%[in]), %%xmm9\n\t"
				  "movl %[nr], %%eax\n\t"
				  "syscall\n\t"
				  "movdqu %%xmm8, (%[out])\n\t"
				  "movdqu %%xmm9, 16(%[out])"
				  : "=a" (ret)
				  : [nr] "i" (SYS_kill), "D" (pid),
				    "S" ((long)SIGUSR2), [in] "r" (in),
				    [out] "r" (out)
				  : "rcx", "r11", "memory", "xmm8", "xmm9");
		CHECK(ret == 0);
		CHECK(caught);
		CHECK(memcmp(in, out, sizeof(in)) == 0);
	}
	/* the same sums with and without system calls in between */
	for (int i = 0; i < 1000; i++) {
		x = x * 1.0001 + 0.5;
		getppid();
		y = y * 1.0001 + 0.5;
	}
	CHECK(x == y);
	return 0;
}

static long raw_syscall2(long nr, long a, long b)
{
	long ret;

	__asm__ volatile ("syscall" : "=a" (ret) : "0" (nr), "D" (a), "S" (b)
			  : "rcx", "r11", "memory");
	return ret;
}

/* System call NR, made as glibc does ("mov $NR, %eax; syscall"), with IN
 * loaded into %xmm10 before it and %xmm10 stored to OUT after it. */
#define XMM10_SYSCALL(nr, in, out) ({					\
	long ret_;							\
	__asm__ volatile ("movdqu (%[i]), %%xmm10\n\t"			\
			  "movl %[n], %%eax\n\t"				\
			  "syscall\n\t"					\
			  "movdqu %%xmm10, (%[o])"			\
			  : "=a" (ret_)					\
			  : [n] "i" (nr), [i] "r" (in), [o] "r" (out)	\
			  : "rcx", "r11", "memory", "xmm10");		\
	ret_;								\
})

/* Threads of one process switch on sched_yield() with their own values
 * live in vector registers: each finds its own back every time. */
static void *fpu_thread(void *arg)
{
	unsigned char in[16], out[16];
	long bad = 0;

	for (int i = 0; i < 16; i++)
		in[i] = (unsigned char)((long)arg * 31 + i);
	for (int i = 0; i < 2000; i++) {
		long ret = XMM10_SYSCALL(SYS_sched_yield, in, out);

		bad += ret != 0 || memcmp(in, out, sizeof(in)) != 0;
	}
	return (void *)bad;
}

/* Processes, which have a stub each, switch on sched_yield() the same way. */
static int check_fpu_procs(void)
{
	pid_t pid[3];
	int status;

	for (long i = 0; i < 3; i++) {
		pid[i] = fork();
		CHECK(pid[i] >= 0);
		if (pid[i] == 0)
			_exit(fpu_thread((void *)(i + 1)) != NULL);
	}
	CHECK(fpu_thread(NULL) == NULL);
	for (int i = 0; i < 3; i++)
		CHECK(waitpid(pid[i], &status, 0) == pid[i] && status == 0);
	return 0;
}

/* A debugger reads, then changes, the vector registers of a process that
 * it stopped on entry to a system call. */
static int check_fpu_ptrace(void)
{
	struct user_fpregs_struct fp;
	struct user_regs_struct regs;
	unsigned char in[16], out[16], *xmm10 = (unsigned char *)&fp.xmm_space[40];
	int status;
	pid_t child;

	for (int i = 0; i < 16; i++)
		in[i] = 0xa0 + i;
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raw_syscall2(SYS_kill, getpid(), SIGSTOP);
		XMM10_SYSCALL(SYS_getppid, in, out);
		for (int i = 0; i < 16; i++)
			if (out[i] != in[i] + 1)	/* the debugger's */
				_exit(1);
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
	do {
		CHECK(ptrace(PTRACE_SYSCALL, child, NULL, NULL) == 0);
		CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
		CHECK(ptrace(PTRACE_GETREGS, child, NULL, &regs) == 0);
	} while (regs.orig_rax != SYS_getppid);
	CHECK(ptrace(PTRACE_GETFPREGS, child, NULL, &fp) == 0);
	CHECK(memcmp(xmm10, in, sizeof(in)) == 0);
	for (int i = 0; i < 16; i++)
		xmm10[i]++;
	CHECK(ptrace(PTRACE_SETFPREGS, child, NULL, &fp) == 0);
	CHECK(ptrace(PTRACE_DETACH, child, NULL, NULL) == 0);
	CHECK(waitpid(child, &status, 0) == child && status == 0);
	return 0;
}

static int check_fpu_threads(void)
{
	pthread_t t[4];
	void *bad;

	for (long i = 0; i < 4; i++)
		CHECK(pthread_create(&t[i], NULL, fpu_thread, (void *)i) == 0);
	for (int i = 0; i < 4; i++) {
		CHECK(pthread_join(t[i], &bad) == 0);
		CHECK(bad == NULL);
	}
	return 0;
}

/* FS base set with arch_prctl, read back through %fs and the kernel. */
static int check_tls(void)
{
	static unsigned long block[8] = { 0x1122334455667788UL };
	unsigned long old, now, word;

	CHECK(raw_syscall2(SYS_arch_prctl, ARCH_GET_FS, (long)&old) == 0);
	block[0] = (unsigned long)block;	/* as libc's TCB points at itself */
	CHECK(raw_syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)block) == 0);
	raw_syscall2(SYS_getppid, 0, 0);
	__asm__ volatile ("movq %%fs:0, %0" : "=r" (word));
	CHECK(raw_syscall2(SYS_arch_prctl, ARCH_GET_FS, (long)&now) == 0);
	CHECK(raw_syscall2(SYS_arch_prctl, ARCH_SET_FS, (long)old) == 0);
	CHECK(word == (unsigned long)block);
	CHECK(now == (unsigned long)block);
	return check_threads();	/* and __thread variables in many threads */
}

/*
 * System calls restarted from call sites that were used before, which the
 * seccomp platform has rewritten: after a SA_RESTART handler, and with
 * restart_syscall after the caller was stopped and continued.
 */
static int check_restart(void)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	struct timespec tick = { 0, 1000 * 1000 }, nap = { 0, 300 * 1000 * 1000 };
	pid_t child;
	int status;

	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	for (int i = 0; i < FAST_FROM + 1; i++) {
		caught = 0;
		child = fork();
		if (child == 0) {
			nanosleep(&tick, NULL);
			kill(getppid(), SIGUSR1);
			_exit(nanosleep(&tick, NULL));
		}
		CHECK(waitpid(child, &status, 0) == child);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	child = fork();
	if (child == 0) {
		for (int i = 0; i < FAST_FROM + 1; i++)
			if (nanosleep(i < FAST_FROM ? &tick : &nap, NULL))
				_exit(2);
		_exit(0);
	}
	nanosleep(&tick, NULL);
	nanosleep(&tick, NULL);
	usleep(100000);
	CHECK(kill(child, SIGSTOP) == 0);
	CHECK(waitpid(child, &status, WUNTRACED) == child && WIFSTOPPED(status));
	CHECK(kill(child, SIGCONT) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

/*
 * Whether the calls of this process were rewritten: the table is mapped, and
 * read()'s "xor %eax, %eax; syscall" became "xor %eax, %eax; jmp rel8".
 */
static int check_rewritten(void)
{
	const unsigned char *code = (const void *)read;
	char line[256], c;
	FILE *maps;
	int table = 0, jump = 0, fd = open("/dev/null", O_RDONLY);

	CHECK(fd >= 0);
	for (int i = 0; i < FAST_FROM; i++) {
		getppid();
		CHECK(read(fd, &c, 1) == 0);
	}
	close(fd);
	for (int i = 0; i < 64; i++)
		jump |= code[i] == 0x31 && code[i + 1] == 0xc0 &&
			code[i + 2] == 0xeb;
	maps = fopen("/proc/self/maps", "r");
	CHECK(maps != NULL);
	while (fgets(line, sizeof(line), maps))
		table |= strncmp(line, "00060000-00070000 r-xp", 22) == 0;
	fclose(maps);
	printf("table %s, read %s\n", table ? "yes" : "no",
	       jump ? "rewritten" : "as is");
	return 0;
}

/* The stub's fast entry, as the trap table names it */
static unsigned long stub_fast_entry(void)
{
	unsigned long entry;

	for (int i = 0; i < FAST_FROM; i++)
		getppid();	/* now rewritten: the table is there */
	memcpy(&entry, (const void *)(0x60000 + 29), sizeof(entry));
	return entry;
}

/*
 * The stub's code lies where the fast entry lies: the address of the
 * syscall instruction of its signal restorer, "mov $15, %rax; syscall",
 * which a process can jump to; NULL if not found.
 */
static const unsigned char *stub_restorer_syscall(void)
{
	static const unsigned char restorer[] = {
		0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05
	};
	const unsigned char *code;

	code = memmem((const void *)(stub_fast_entry() & ~0xfffUL), 4096,
		      restorer, sizeof(restorer));
	return code ? code + 7 : NULL;
}

/* fork(), the child an unprivileged user (1000:1000), as an attacker is. */
static pid_t fork_unprivileged(void)
{
	pid_t child = fork();

	if (child == 0 &&
	    (setresgid(1000, 1000, 1000) || setresuid(1000, 1000, 1000)))
		_exit(2);
	return child;
}

/* The sandbox still runs processes, after an attack on it. */
static int sandbox_runs(void)
{
	int status;
	pid_t child = fork();

	if (child == 0)
		_exit(getppid() > 0 ? 0 : 1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	return 0;
}

/* How many times the kernel log says that a stub died */
static int stubs_died(void)
{
	static char log[1 << 17];
	int n = klogctl(3 /* read the whole log */, log, sizeof(log) - 1), died = 0;

	log[n > 0 ? n : 0] = '\0';
	for (char *p = log; (p = strstr(p, " died")); p++)
		died++;
	return died;
}

/*
 * Jump to the stub's syscall instruction with system call nr and arguments
 * of the process's choosing, in a child of an unprivileged user; the stub's
 * filter must end the stub (the kernel logs that it died) and the child.
 */
static const char *stub_call(const unsigned char *code, long nr, long a0,
			     long a1, long a2, long a3, long a4, long a5)
{
	int died = stubs_died(), status;
	pid_t child = fork_unprivileged();

	if (child == 0) {
		register long r10 __asm__("r10") = a3;
		register long r8 __asm__("r8") = a4;
		register long r9 __asm__("r9") = a5;

		__asm__ volatile ("jmp *%0" : : "r" (code), "a" (nr), "D" (a0),
				  "S" (a1), "d" (a2), "r" (r10), "r" (r8),
				  "r" (r9));
		_exit(0);
	}
	if (waitpid(child, &status, 0) != child || !WIFSIGNALED(status))
		return "lived";
	return stubs_died() > died ? "stub ended" : "stub ran on";
}

/*
 * Writing "in the kernel" to the stub's futex word while the process goes
 * on running makes the kernel take up a made-up event; whatever it then
 * writes into the stub's pages, the process collects.  Returns the word
 * that once held the stub's mmap key.
 */
static unsigned long stub_forge(const unsigned char *code)
{
	volatile unsigned char *data = (volatile unsigned char *)
		(((unsigned long)code & ~0xfffUL) + 4096);
	volatile int *futex = (volatile int *)(data + 28);
	volatile unsigned long *word = (volatile unsigned long *)(data + 48);
	unsigned long seen = 0;

	for (int t = 0; t < 50; t++) {
		getppid();
		__atomic_store_n(futex, 1, __ATOMIC_SEQ_CST);
		for (long i = 0; i < 1000000 && !seen; i++)
			seen = *word;
	}
	return seen;
}

/*
 * A process that jumps into its stub's code can make none of the calls that
 * change its mappings or reach another process, whatever arguments it
 * chooses and whatever it read from its stub's pages by passing for its
 * stub: mmap of the sandbox kernel's memory file (descriptor 3 and up,
 * carrying what it collected as the stub's key once was), munmap, mprotect
 * and mremap of the stub's own code, sched_setaffinity of another process.
 * The stub's filter ends each, and the sandbox goes on.
 */
static int check_stub_calls(void)
{
	const unsigned char *code = stub_restorer_syscall();
	unsigned long page, key = 0;
	int status, pipefd[2];
	pid_t child;

	CHECK(code != NULL);
	page = (unsigned long)code & ~0xfffUL;
	CHECK(pipe(pipefd) == 0);
	child = fork_unprivileged();
	if (child == 0) {
		key = stub_forge(code);
		_exit(write(pipefd[1], &key, sizeof(key)) == sizeof(key) ? 0 : 1);
	}
	CHECK(read(pipefd[0], &key, sizeof(key)) == sizeof(key));
	CHECK(waitpid(child, &status, 0) == child);
	for (long fd = 3; fd < 12; fd++)
		printf("mmap of descriptor %ld: %s\n", fd,
		       stub_call(code, SYS_mmap, 0x10000000L, 4096,
				 PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_FIXED | (key >> 32 << 32),
				 fd | key << 32, 0));
	printf("munmap of the stub code: %s\n",
	       stub_call(code, SYS_munmap, page, 4096, 0, 0, 0, 0));
	printf("mprotect of the stub code: %s\n",
	       stub_call(code, SYS_mprotect, page, 4096,
			 PROT_READ | PROT_WRITE | PROT_EXEC, 0, 0, 0));
	printf("mremap of the stub code: %s\n",
	       stub_call(code, SYS_mremap, page, 4096, 4096,
			 MREMAP_MAYMOVE | MREMAP_FIXED, 0x10000000L, 0));
	/* a stub may move itself to other CPUs, and no other process */
	printf("sched_setaffinity of another process: %s\n",
	       stub_call(code, SYS_sched_setaffinity, 1, 8,
			 (long)&(unsigned long){ 1 }, 0, 0, 0));
	return sandbox_runs();
}

/*
 * A process that jumps to its stub's signal restorer with a frame of its own,
 * every signal masked, then spins, never enters the sandbox kernel again:
 * the kernel waits a bounded time, kills it and goes on.  The attacker is an
 * unprivileged user.  Without the bound, the whole sandbox would stop.
 */
static void spin_forever(void)
{
	for (;;)
		__asm__ volatile ("");
}

static int check_stub_sigmask(void)
{
	static char stack[16384] __attribute__((aligned(16)));
	static ucontext_t uc;
	const unsigned char *code = stub_restorer_syscall();
	pid_t child;
	int status;

	CHECK(code != NULL);
	child = fork_unprivileged();
	if (child == 0) {
		uc.uc_mcontext.gregs[REG_RIP] = (long)spin_forever;
		uc.uc_mcontext.gregs[REG_RSP] = (long)(stack + sizeof(stack) - 8);
		uc.uc_mcontext.gregs[REG_EFL] = 0x202;
		uc.uc_mcontext.gregs[REG_CSGSFS] = 0x33 | 0x2bL << 48;
		uc.uc_stack.ss_flags = SS_DISABLE;
		sigfillset(&uc.uc_sigmask);
		/* a fault with every signal masked would end the stub at once */
		(void)*(volatile const char *)spin_forever;
		/* rt_sigreturn takes the frame at the stack pointer */
		__asm__ volatile ("mov %0, %%rsp\n\tjmp *%1" : : "r" (&uc),
				  "r" (code), "a" (SYS_rt_sigreturn) : "memory");
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSIGNALED(status));
	printf("stuck process ended by signal %d\n", WTERMSIG(status));
	return 0;
}

/*
 * A process whose second thread scribbles over its stub's data pages and
 * the doorbell page all stubs share, while the first makes system calls,
 * harms itself only: the sandbox kernel takes nothing from those pages on
 * trust, and this process, the container and its other processes go on.
 */
static void *scribble(void *stub_code)
{
	volatile unsigned long *p = (unsigned long *)((char *)stub_code - 4096);
	unsigned long x = 0x9e3779b97f4a7c15UL;

	for (;;)
		for (int i = 0; i < 5 * 4096 / 8; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			p[i] = i & 1 ? x : x & 0xfff;
		}
	return NULL;
}

static int check_stub_scribble(void)
{
	const unsigned char *code = stub_restorer_syscall();
	pthread_t t;
	pid_t child;
	int status;

	CHECK(code != NULL);
	child = fork_unprivileged();
	if (child == 0) {
		pthread_create(&t, NULL, scribble,
			       (void *)((unsigned long)code & ~0xfffUL));
		for (;;)
			getppid();
	}
	CHECK(waitpid(child, &status, 0) == child);
	printf("scribbler: status %#x\n", status);
	CHECK(WIFSIGNALED(status));
	return sandbox_runs();
}

/*
 * A stub kept for reuse holds nothing of the process that ran in it last:
 * a root process leaves a secret in a general and a vector register at a
 * system call that traps (its signal frame has them), then exits through
 * the fast entry; an unprivileged process then forks through the fast
 * entry too, and its child, which likely got the same stub, scans its
 * stub's pages before anything of its own could write over them (no fault,
 * no trap, nothing but registers), and finds no trace of the secret.
 */
static const unsigned long secret[2] = { 0x5ec7e75ec7e70001UL,
					 0x5ec7e75ec7e70002UL };

static void leave_secret(unsigned long entry)
{
	__asm__ volatile ("movq (%0), %%r12\n\t"
			  "movdqu (%0), %%xmm0\n\t"
			  "movl %2, %%eax\n\t"
			  "syscall\n\t"
			  "xorl %%r12d, %%r12d\n\t"
			  "pxor %%xmm0, %%xmm0\n\t"
			  "movl %3, %%eax\n\t"
			  "xorl %%edi, %%edi\n\t"
			  "leaq 1f(%%rip), %%rcx\n\t"
			  "jmp *%1\n"
			  "1: ud2"
			  : : "r" (secret), "r" (entry), "i" (SYS_getppid),
			    "i" (SYS_exit_group)
			  : "rax", "rcx", "rdi", "r11", "r12", "xmm0", "memory");
}

/*
 * Fork through the fast entry; the child counts the secret's words in its
 * stub's pages.  The secret is in no register at the fork, which saves them
 * in the stub: the child makes it from a key.
 */
static long fork_and_scan(unsigned long entry, long *hits)
{
	unsigned long data = (entry & ~0xfffUL) + 4096, key = 0x1111111111111111UL;
	unsigned long s0 = secret[0] ^ key, s1 = secret[1] ^ key;
	long pid, n = 0;

	__asm__ volatile ("movl %[fork], %%eax\n\t"
			  "leaq 1f(%%rip), %%rcx\n\t"
			  "jmp *%[entry]\n"
			  "1: testq %%rax, %%rax\n\t"
			  "jnz 4f\n\t"
			  "xorq %[key], %[s0]\n\t"
			  "xorq %[key], %[s1]\n\t"
			  "xorl %%ecx, %%ecx\n"
			  "2: movq (%[data],%%rcx,8), %%rdx\n\t"
			  "cmpq %[s0], %%rdx\n\t"
			  "je 3f\n\t"
			  "cmpq %[s1], %%rdx\n\t"
			  "jne 5f\n"
			  "3: incq %[n]\n"
			  "5: incq %%rcx\n\t"
			  "cmpq $4096, %%rcx\n\t"
			  "jb 2b\n"
			  "4:"
			  : "=&a" (pid), [n] "+r" (n), [s0] "+r" (s0), [s1] "+r" (s1)
			  : [fork] "i" (SYS_fork), [entry] "r" (entry),
			    [data] "r" (data), [key] "r" (key)
			  : "rcx", "rdx", "r11", "memory");
	*hits = n;
	return pid;
}

/*
 * A child of an unprivileged user that waits until the parent says go,
 * then runs fn: with nothing in between, it takes the stub last kept.
 */
static pid_t after_go(int (*fn)(unsigned long), unsigned long arg, int *go,
		      int unprivileged)
{
	pid_t child;
	char c;

	CHECK(pipe(go) == 0);
	child = unprivileged ? fork_unprivileged() : fork();
	if (child == 0) {
		close(go[1]);
		_exit(read(go[0], &c, 1) == 1 ? fn(arg) : 3);
	}
	close(go[0]);
	return child;
}

/* In a child forked through the fast entry: 1 if it found the secret */
static int scan_for_secret(unsigned long entry)
{
	long hits;
	int status;

	if (fork_and_scan(entry, &hits) == 0)
		_exit(hits ? 1 : 0);
	wait(&status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}

static int check_stub_leftovers(void)
{
	unsigned long entry = stub_fast_entry();
	int status, found = 0, go[2];
	pid_t child, scanner;

	for (int round = 0; round < 20; round++) {
		scanner = after_go(scan_for_secret, entry, go, 1);
		child = fork();
		if (child == 0)
			leave_secret(entry);
		CHECK(waitpid(child, &status, 0) == child);
		CHECK(write(go[1], "g", 1) == 1);
		close(go[1]);
		CHECK(waitpid(scanner, &status, 0) == scanner && WIFEXITED(status));
		found += WEXITSTATUS(status) == 1;
	}
	printf("secret found in %d of 20 stubs\n", found);
	return 0;
}

/*
 * An unprivileged process that exits while its stub's thread waits for the
 * kernel on a stack of the process's choosing poisons nothing: the stub is
 * kept for the next process, maybe root's, and the waiting thread must not
 * return through that stack into registers of the attacker's choosing
 * (here, exit_group(77) through the fast entry).  The attacker calls the C
 * part of the fast path (the target of the entry's call) on a stack in its
 * stub's data, with its exit_group in the fast path's save area.
 */
static unsigned long stub_fast_c(unsigned long entry)
{
	static const unsigned char before_call[] = { 0x45, 0x31, 0xff, 0xe8 };
	const unsigned char *p = memmem((const void *)entry, 512, before_call,
					sizeof(before_call));
	int rel;

	if (!p)
		return 0;
	memcpy(&rel, p + 4, sizeof(rel));
	return (unsigned long)p + 8 + rel;
}

static void poison_stub(unsigned long entry, unsigned long fast_c,
			const unsigned char *restorer)
{
	unsigned long data = (entry & ~0xfffUL) + 4096, frame = data + 0x6000;
	unsigned long *gregs = (unsigned long *)(data + 0x1000);
	ucontext_t *uc = (ucontext_t *)(frame + 8);

	memset((void *)frame, 0, 8 + sizeof(*uc));
	*(unsigned long *)frame = (unsigned long)restorer;
	uc->uc_stack.ss_sp = (void *)(data + 0x5000);
	uc->uc_stack.ss_size = 0x3000;
	uc->uc_mcontext.gregs[REG_RIP] = entry;
	uc->uc_mcontext.gregs[REG_RAX] = SYS_exit_group;
	uc->uc_mcontext.gregs[REG_RDI] = 77;
	uc->uc_mcontext.gregs[REG_RSP] = data + 0x4000;
	uc->uc_mcontext.gregs[REG_EFL] = 0x202;
	uc->uc_mcontext.gregs[REG_CSGSFS] = 0x33 | 0x2bL << 48;
	sigfillset(&uc->uc_sigmask);
	sigdelset(&uc->uc_sigmask, SIGSYS);
	/* this process's exit, as the fast path would have saved it */
	memset(gregs, 0, 32 * sizeof(*gregs));
	gregs[REG_RAX] = SYS_exit_group;
	gregs[REG_RIP] = entry;
	gregs[REG_RSP] = data + 0x4000;
	gregs[REG_EFL] = 0x202;
	gregs[REG_CSGSFS] = 0x33 | 0x2bL << 48;
	*(volatile int *)(data + 32) = 0;	/* signal: the fast path */
	__asm__ volatile ("mov %0, %%rsp\n\tjmp *%1"
			  : : "r" (frame), "r" (fast_c) : "memory");
	_exit(1);
}

/* A child that exits at once, in the stub last kept: 1 if it did not */
static int run_victim(unsigned long unused)
{
	int status;
	pid_t child = fork();

	(void)unused;
	if (child == 0)
		_exit(0);
	return waitpid(child, &status, 0) != child || !WIFEXITED(status) ||
	       WEXITSTATUS(status);
}

static int check_stub_poison(void)
{
	const unsigned char *code = stub_restorer_syscall();
	unsigned long entry = stub_fast_entry(), fast_c = stub_fast_c(entry);
	int status, hijacked = 0, go[2];
	pid_t child, victim;

	CHECK(code != NULL && fast_c - (entry & ~0xfffUL) < 4096);
	for (int round = 0; round < 20; round++) {
		victim = after_go(run_victim, 0, go, 0);
		child = fork_unprivileged();
		if (child == 0)
			poison_stub(entry, fast_c, code - 7);
		CHECK(waitpid(child, &status, 0) == child);
		CHECK(write(go[1], "g", 1) == 1);
		close(go[1]);
		CHECK(waitpid(victim, &status, 0) == victim);
		hijacked += !WIFEXITED(status) || WEXITSTATUS(status);
	}
	printf("processes that ran the attacker's registers: %d of 20\n",
	       hijacked);
	return sandbox_runs();
}

/*
 * A debugger that attaches to a process whose calls were rewritten, and runs
 * it step by step, steps through the process's own code one instruction at
 * a time, system calls included: 3000 steps make a few hundred turns of a
 * loop of getppid(), not one each, and the process lives on, continued,
 * without a trap the steps left behind.
 */
static volatile long turns;

/*
 * A tick may stop the process in the entry of the seccomp platform's trap
 * table (at 0x60000) that makes its getppid(), on the way to its stub: put
 * it there, as the tick would, and two steps run getppid()'s own "mov
 * $110, %eax; syscall", not the entry's code and then the stub's.  A step
 * first, for a stop through a signal frame, as a tick's is.
 */
static int step_from_trap(pid_t child)
{
	struct user_regs_struct regs, at;
	unsigned long trap = 0x60000, ret;
	int status;

	for (;; trap += 64) {
		errno = 0;
		if (ptrace(PTRACE_PEEKDATA, child, trap, NULL) != (long)trap + 8 ||
		    errno)
			return 0;	/* no table, or no such entry */
		if ((ptrace(PTRACE_PEEKDATA, child, trap + 8, NULL) &
		     0xffffffffffL) == 0x6eb8)
			break;
	}
	ret = ptrace(PTRACE_PEEKDATA, child, trap + 15, NULL);
	CHECK(ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &regs) == 0);
	at = regs;
	at.rip = trap + 8;
	CHECK(ptrace(PTRACE_SETREGS, child, NULL, &at) == 0);
	for (int i = 0; i < 2; i++) {
		CHECK(ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) == 0);
		CHECK(waitpid(child, &status, 0) == child);
		CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	}
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &at) == 0);
	CHECK(at.rip == ret && at.rax == (unsigned long)getpid());
	CHECK(ptrace(PTRACE_SETREGS, child, NULL, &regs) == 0);
	printf("stepped out of the trap table\n");
	return 0;
}

/*
 * A process that stopped in a call made through the stub's fast path (here
 * syscall()'s, rewritten by then) is resumed by that path: its
 * first step runs one instruction, not on to turns++ and the next call.
 */
static int step_after_fast_stop(void)
{
	int status;
	pid_t child;
	long n;

	child = fork();
	if (child == 0) {
		for (int i = 0; i < FAST_FROM; i++)
			syscall(SYS_getppid);
		if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0)
			_exit(1);
		syscall(SYS_kill, getpid(), SIGSTOP);
		turns++;
		syscall(SYS_getppid);
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
	n = ptrace(PTRACE_PEEKDATA, child, &turns, NULL);
	CHECK(ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	CHECK(ptrace(PTRACE_PEEKDATA, child, &turns, NULL) == n);
	CHECK(kill(child, SIGKILL) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	return 0;
}

static int check_step(void)
{
	int ready[2], status;
	pid_t child;
	long n;
	char c;

	CHECK(step_after_fast_stop() == 0);
	CHECK(pipe(ready) == 0);
	child = fork();
	if (child == 0) {
		for (int i = 0; i < FAST_FROM; i++)
			getppid();	/* rewritten by then */
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		for (;;) {
			turns++;
			getppid();
		}
	}
	CHECK(read(ready[0], &c, 1) == 1);
	CHECK(ptrace(PTRACE_ATTACH, child, NULL, NULL) == 0);
	CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
	CHECK(step_from_trap(child) == 0);
	n = ptrace(PTRACE_PEEKDATA, child, &turns, NULL);
	for (int i = 0; i < 3000; i++) {
		CHECK(ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) == 0);
		CHECK(waitpid(child, &status, 0) == child);
		CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTRAP);
	}
	n = ptrace(PTRACE_PEEKDATA, child, &turns, NULL) - n;
	printf("%ld turns in 3000 steps\n", n);
	CHECK(n > 0 && n < 1000);
	/* let go, it runs on: the next stop is the signal, no stray trap */
	CHECK(ptrace(PTRACE_CONT, child, NULL, NULL) == 0);
	usleep(20000);
	CHECK(kill(child, SIGUSR1) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGUSR1);
	CHECK(ptrace(PTRACE_DETACH, child, NULL, NULL) == 0);
	CHECK(kill(child, SIGTERM) == 0);
	CHECK(waitpid(child, &status, 0) == child);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	return 0;
}

/*
 * A tracer that steps its child into the stub's code, letting it go on
 * with no signal at every stop: the child ends with the SIGSEGV that a
 * signal in the stub's code brings, and the kernel goes on.
 */
static int check_stub_trace(void)
{
	unsigned long entry = stub_fast_entry();
	struct user_regs_struct r;
	int status, steps = 0;
	pid_t child = fork();

	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		for (;;)
			getppid();
	}
	CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &r) == 0);
	r.rcx = r.rip;
	r.rip = entry;
	r.rax = SYS_getpid;
	CHECK(ptrace(PTRACE_SETREGS, child, NULL, &r) == 0);
	while (steps < 1000 && ptrace(PTRACE_SINGLESTEP, child, NULL, NULL) == 0 &&
	       waitpid(child, &status, 0) == child && WIFSTOPPED(status))
		steps++;
	if (steps == 1000) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	printf("stepped child: %d steps, then %s\n", steps,
	       WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "no signal");
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
	return sandbox_runs();
}

/*
 * A debugger's view of the debug registers, as x86 gives it: DR6 reads with
 * its fixed bits set while no debug trap was taken, DR7 as 0, and DR0 back
 * as it was written.  Then int3 in a loop: a SIGTRAP each time, to the
 * process's handler.
 */
static volatile int traps;

static void on_trap(int sig)
{
	(void)sig;
	traps++;
}

/* A child that traced itself and stopped; continued, it exits. */
static pid_t stopped_tracee(void)
{
	int status;
	pid_t child = fork();

	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
	return child;
}

/* Continue a stopped_tracee() to its exit. */
static void tracee_exits(pid_t child)
{
	int status;

	CHECK(ptrace(PTRACE_CONT, child, NULL, NULL) == 0);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
}

static long peek_debugreg(pid_t child, int n)
{
	long v;

	errno = 0;
	v = ptrace(PTRACE_PEEKUSER, child,
		   offsetof(struct user, u_debugreg[0]) + n * sizeof(long), NULL);
	return errno ? -1 : v;
}

static int check_debugregs(void)
{
	pid_t child = stopped_tracee();

	printf("dr6 %#lx dr7 %#lx\n", peek_debugreg(child, 6),
	       peek_debugreg(child, 7));
	CHECK(peek_debugreg(child, 6) == 0xffff0ff0 && peek_debugreg(child, 7) == 0);
	CHECK(ptrace(PTRACE_POKEUSER, child, offsetof(struct user, u_debugreg[0]),
		     (long)&traps) == 0);
	CHECK(peek_debugreg(child, 0) == (long)&traps);
	/* a word of the user area that is no register: refused, as x86 does */
	errno = 0;
	CHECK(ptrace(PTRACE_PEEKUSER, child, 4, NULL) == -1 && errno == EIO);
	CHECK(ptrace(PTRACE_POKEUSER, child, 4, 0) == -1 && errno == EIO);
	tracee_exits(child);
	signal(SIGTRAP, on_trap);
	for (int i = 0; i < 2000; i++)
		__asm__ volatile ("int3");
	printf("%d traps\n", traps);
	CHECK(traps == 2000);
	return 0;
}

/*
 * PTRACE_GETREGS and SETREGS with a buffer that is not mapped fail with
 * EFAULT, as on x86, and leave the tracee's registers as they were.
 */
static int check_regs_fault(void)
{
	struct user_regs_struct before, after;
	void *bad = (void *)8;
	pid_t child = stopped_tracee();

	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &before) == 0);
	errno = 0;
	printf("getregs %ld", ptrace(PTRACE_GETREGS, child, NULL, bad));
	printf(" %s\n", strerror(errno));
	errno = 0;
	printf("setregs %ld", ptrace(PTRACE_SETREGS, child, NULL, bad));
	printf(" %s\n", strerror(errno));
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &after) == 0);
	CHECK(!memcmp(&before, &after, sizeof(before)));
	printf("the registers are unchanged\n");
	tracee_exits(child);
	return 0;
}

/*
 * PTRACE_ARCH_PRCTL reads and sets the FS base of the tracee, not of the
 * tracer: the tracer's own stays as it was.
 */
static int check_arch_prctl_trace(void)
{
	struct user_regs_struct regs;
	unsigned long own, before, after, got = 0;
	pid_t child = stopped_tracee();

	CHECK(syscall(SYS_arch_prctl, ARCH_GET_FS, &own) == 0);
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &regs) == 0);
	before = regs.fs_base;
	CHECK(ptrace(PTRACE_ARCH_PRCTL, child, before + 64, ARCH_SET_FS) == 0);
	CHECK(syscall(SYS_arch_prctl, ARCH_GET_FS, &after) == 0);
	CHECK(after == own);
	CHECK(ptrace(PTRACE_ARCH_PRCTL, child, &got, ARCH_GET_FS) == 0);
	CHECK(ptrace(PTRACE_GETREGS, child, NULL, &regs) == 0);
	printf("tracee's FS base moved by %ld, read back moved by %ld, the tracer's by %ld\n",
	       (long)(regs.fs_base - before), (long)(got - before),
	       (long)(after - own));
	CHECK(ptrace(PTRACE_ARCH_PRCTL, child, before, ARCH_SET_FS) == 0);
	tracee_exits(child);
	return 0;
}

/*
 * The clocks through the vDSO, as on the host: once the kernel's clock is
 * the TSC (where the host's TSC is constant), each between the kernel's own
 * readings of it just before and after, never going back, and without a
 * system call: a filter that fails those calls changes nothing.
 */
static const clockid_t vdso_clocks[] = {
	CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME, CLOCK_TAI,
	CLOCK_REALTIME_COARSE, CLOCK_MONOTONIC_COARSE,
};

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Whether file holds text */
static int file_has(const char *file, const char *text)
{
	static char buf[1 << 16];
	int fd = open(file, O_RDONLY), n;

	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return strstr(buf, text) != NULL;
}

/* Until the kernel's clock is the TSC, where the host's is constant */
static int wait_for_tsc(void)
{
	const char *cs = "/sys/devices/system/clocksource/clocksource0/current_clocksource";

	if (!file_has("/proc/cpuinfo", " constant_tsc") ||
	    !file_has("/proc/cpuinfo", " nonstop_tsc"))
		return 0;
	for (int i = 0; i < 2000 && !file_has(cs, "tsc"); i++)
		usleep(10000);
	CHECK(file_has(cs, "tsc"));
	return 1;
}

static int fail_clock_calls(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clock_gettime, 3, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_gettimeofday, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_time, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

/* Whether addr lies in one of the process's [vvar...] mappings */
static int in_vvar(unsigned long addr)
{
	unsigned long start, end;
	char line[256];
	FILE *maps = fopen("/proc/self/maps", "re");
	int found = 0;

	while (maps && !found && fgets(line, sizeof(line), maps))
		found = strstr(line, "[vvar") &&
			sscanf(line, "%lx-%lx", &start, &end) == 2 &&
			start <= addr && addr < end;
	if (maps)
		fclose(maps);
	return found;
}

/*
 * The page the vDSO reads the clocks from is shared by every process: none
 * may write it, not by mprotect() nor through /proc/self/mem, as a
 * debugger writes, and the clocks go on as before.
 */
static int check_vvar(void)
{
	char *vvar = (char *)getauxval(AT_SYSINFO_EHDR) - 4096, c = 0;
	struct timespec before, t, after;
	int mem = open("/proc/self/mem", O_RDWR);

	CHECK(getauxval(AT_SYSINFO_EHDR) != 0 && mem >= 0);
	CHECK(in_vvar((unsigned long)vvar));
	CHECK(mprotect(vvar, 4096, PROT_READ | PROT_WRITE) < 0);
	CHECK(pwrite(mem, &c, 1, (off_t)vvar) < 0);
	close(mem);
	for (int i = 0; i < 1000; i++) {
		CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &before) == 0);
		CHECK(clock_gettime(CLOCK_MONOTONIC, &t) == 0);
		CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &after) == 0);
		CHECK(ns_of(&before) <= ns_of(&t) && ns_of(&t) <= ns_of(&after));
	}
	printf("the clock page cannot be written\n");
	return 0;
}

static int check_vdso(void)
{
	struct timespec before, t, after;
	long long last[sizeof(vdso_clocks) / sizeof(vdso_clocks[0])];
	struct timeval tv;
	int tsc;

	CHECK(getauxval(AT_SYSINFO_EHDR) != 0);
	tsc = wait_for_tsc();
	for (size_t c = 0; c < sizeof(vdso_clocks) / sizeof(vdso_clocks[0]); c++) {
		for (int i = 0; i < 20000; i++) {
			CHECK(syscall(SYS_clock_gettime, vdso_clocks[c], &before) == 0);
			CHECK(clock_gettime(vdso_clocks[c], &t) == 0);
			CHECK(syscall(SYS_clock_gettime, vdso_clocks[c], &after) == 0);
			CHECK(ns_of(&before) <= ns_of(&t) && ns_of(&t) <= ns_of(&after));
		}
		last[c] = ns_of(&after);
	}
	if (!tsc)
		return 0;
	CHECK(fail_clock_calls() == 0);
	CHECK(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t) < 0 && errno == EPERM);
	for (size_t c = 0; c < sizeof(vdso_clocks) / sizeof(vdso_clocks[0]); c++) {
		for (int i = 0; i < 100000; i++) {
			CHECK(clock_gettime(vdso_clocks[c], &t) == 0);
			CHECK(ns_of(&t) >= last[c]);
			last[c] = ns_of(&t);
		}
	}
	last[0] = time(NULL);
	CHECK(gettimeofday(&tv, NULL) == 0);
	CHECK(last[0] <= tv.tv_sec && tv.tv_sec <= time(NULL) + 1);
	printf("the clocks read without a system call\n");
	return 0;
}

/*
 * A loop that makes no system call runs in user mode: the kernel counts
 * its time as user time, as times(), getrusage() and /proc report it.
 */
static int check_cputime(void)
{
	struct rusage ru;
	volatile unsigned long x = 0;
	long user, sys;

	for (unsigned long i = 0; i < 2000000000UL; i++)
		x += i;
	CHECK(getrusage(RUSAGE_SELF, &ru) == 0);
	user = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000;
	sys = ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
	printf("user %ld ms, system %ld ms\n", user, sys);
	CHECK(user > 4 * sys);
	return 0;
}

/*
 * File watchers see a watched file and directory go: the file's watch gets
 * IN_ATTRIB, IN_DELETE_SELF and IN_IGNORED, the directory's IN_DELETE for
 * the file, then IN_DELETE_SELF and IN_IGNORED.  In $PROBE_DIR, or at the
 * root of the container.
 */
static int check_inotify(void)
{
	const char *base = getenv("PROBE_DIR") ?: "";
	char dir[4096], file[4200], buf[4096];
	int fd, wd_dir, wd_file;
	ssize_t n;

	snprintf(dir, sizeof(dir), "%s/inotify-probe", base);
	snprintf(file, sizeof(file), "%s/f", dir);
	CHECK(mkdir(dir, 0755) == 0);
	CHECK((fd = open(file, O_CREAT | O_WRONLY, 0644)) >= 0 && close(fd) == 0);
	CHECK((fd = inotify_init1(IN_NONBLOCK)) >= 0);
	CHECK((wd_dir = inotify_add_watch(fd, dir, IN_DELETE | IN_DELETE_SELF)) >= 0);
	CHECK((wd_file = inotify_add_watch(fd, file, IN_ATTRIB | IN_DELETE_SELF)) >= 0);
	CHECK(unlink(file) == 0 && rmdir(dir) == 0);
	usleep(100000);
	CHECK((n = read(fd, buf, sizeof(buf))) > 0);
	for (char *p = buf; p < buf + n;) {
		struct inotify_event *e = (struct inotify_event *)p;

		printf("%s %s%s%s%s\n", e->wd == wd_dir ? "dir" : e->wd == wd_file ? "file" : "?",
		       e->mask & IN_ATTRIB ? "IN_ATTRIB" : "",
		       e->mask & IN_DELETE ? "IN_DELETE" : "",
		       e->mask & IN_DELETE_SELF ? "IN_DELETE_SELF" : "",
		       e->mask & IN_IGNORED ? "IN_IGNORED" : "");
		p += sizeof(*e) + e->len;
	}
	close(fd);
	return 0;
}

/* A `syscall` instruction outside libc reaches the sandbox kernel. */
static int check_raw(void)
{
	static const char msg[] = "raw write\n";
	long pid = raw_syscall2(SYS_getpid, 0, 0), ret;

	CHECK(pid == getpid());
	printf("raw pid %ld\n", pid);
	fflush(stdout);
	__asm__ volatile ("syscall" : "=a" (ret)
			  : "0" ((long)SYS_write), "D" (1L), "S" (msg),
			    "d" (sizeof(msg) - 1)
			  : "rcx", "r11", "memory");
	CHECK(ret == sizeof(msg) - 1);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
} checks[] = {
	{ "threads", check_threads },
	{ "eintr", check_eintr },
	{ "vfork", check_vfork },
	{ "fork_learn", check_fork_learn },
	{ "exec_learn", check_exec_learn },
	{ "exec_learn_child", check_exec_learn_child },
	{ "unmap_gone", check_unmap_gone },
	{ "clone_vm", check_clone_vm },
	{ "exec_threads", check_exec_threads },
	{ "fpu", check_fpu },
	{ "fpu_threads", check_fpu_threads },
	{ "fpu_procs", check_fpu_procs },
	{ "fpu_ptrace", check_fpu_ptrace },
	{ "tls", check_tls },
	{ "raw", check_raw },
	{ "restart", check_restart },
	{ "rewritten", check_rewritten },
	{ "stub_calls", check_stub_calls },
	{ "stub_sigmask", check_stub_sigmask },
	{ "stub_scribble", check_stub_scribble },
	{ "stub_leftovers", check_stub_leftovers },
	{ "stub_poison", check_stub_poison },
	{ "step", check_step },
	{ "debugregs", check_debugregs },
	{ "regs_fault", check_regs_fault },
	{ "arch_prctl_trace", check_arch_prctl_trace },
	{ "stub_trace", check_stub_trace },
	{ "cputime", check_cputime },
	{ "vdso", check_vdso },
	{ "vvar", check_vvar },
	{ "inotify", check_inotify },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc == 2 && i < sizeof(checks) / sizeof(checks[0]); i++) {
		if (strcmp(argv[1], checks[i].name))
			continue;
		if (checks[i].fn())
			return 1;
		printf("%s ok\n", argv[1]);
		return 0;
	}
	fprintf(stderr, "usage: syscalls CHECK\n");
	return 2;
}
