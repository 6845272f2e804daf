/*
 * Random ptrace requests from an unprivileged tracer: whatever a process
 * asks of its tracee, the sandbox kernel neither panics nor hangs.
 *
 * ptrace_fuzz SEED COUNT makes COUNT requests of random kinds, addresses and
 * data (pointers into its own buffer, whose bytes it scribbles on, small
 * numbers, large and negative ones) of a child that traced itself or that it
 * seized, and starts a new child when one ends, and every 64 requests after
 * killing the last.  It prints how many requests it made and children it
 * started.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const long requests[] = {
	PTRACE_PEEKTEXT, PTRACE_PEEKDATA, PTRACE_PEEKUSER, PTRACE_POKETEXT,
	PTRACE_POKEDATA, PTRACE_POKEUSER, PTRACE_CONT, PTRACE_SINGLESTEP,
	PTRACE_GETREGS, PTRACE_SETREGS, PTRACE_GETFPREGS, PTRACE_SETFPREGS,
	PTRACE_ATTACH, PTRACE_DETACH, PTRACE_GETFPXREGS, PTRACE_SETFPXREGS,
	PTRACE_SYSCALL, PTRACE_GET_THREAD_AREA, PTRACE_SET_THREAD_AREA,
	PTRACE_ARCH_PRCTL, PTRACE_SYSEMU, PTRACE_SYSEMU_SINGLESTEP,
	PTRACE_SETOPTIONS, PTRACE_GETEVENTMSG, PTRACE_GETSIGINFO,
	PTRACE_SETSIGINFO, PTRACE_GETREGSET, PTRACE_SETREGSET, PTRACE_SEIZE,
	PTRACE_INTERRUPT, PTRACE_LISTEN, PTRACE_PEEKSIGINFO,
	PTRACE_GETSIGMASK, PTRACE_SETSIGMASK, PTRACE_GET_SYSCALL_INFO,
};
#define NREQUESTS (sizeof(requests) / sizeof(requests[0]))

static char buf[16384] __attribute__((aligned(4096)));

static long pt(long request, pid_t pid, long addr, long data)
{
	return syscall(SYS_ptrace, request, pid, addr, data);
}

/* An address or data word: a pointer into buf, small, large or negative */
static long word(void)
{
	switch (rand() % 5) {
	case 0:
		return rand();
	case 1:
		return (long)buf + rand() % (sizeof(buf) / 2);
	case 2:
		return rand() % 1024;
	case 3:
		return -(long)rand();
	default:
		return 0;
	}
}

/* A child stopped under its tracer: traced from its side, or seized */
static pid_t spawn(int seize)
{
	int status;
	pid_t child = fork();

	if (child == 0) {
		if (!seize)
			pt(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		for (;;)
			syscall(SYS_getpid);
	}
	if (seize) {
		pt(PTRACE_SEIZE, child, 0, PTRACE_O_TRACESYSGOOD);
		pt(PTRACE_INTERRUPT, child, 0, 0);
	}
	waitpid(child, &status, __WALL);
	return child;
}

/* Kill child and wait for its end, continuing it from any stop on the way
 * (a tracee killed in an exit stop waits there for its tracer). */
static void end(pid_t child)
{
	int status;

	kill(child, SIGKILL);
	pt(PTRACE_CONT, child, 0, 0);
	while (waitpid(child, &status, __WALL) == child &&
	       !WIFEXITED(status) && !WIFSIGNALED(status))
		pt(PTRACE_CONT, child, 0, 0);
}

int main(int argc, char **argv)
{
	long i, count, children = 1;
	int status;
	pid_t child;

	if (argc != 3) {
		fprintf(stderr, "usage: ptrace_fuzz SEED COUNT\n");
		return 2;
	}
	srand(atoi(argv[1]));
	count = atol(argv[2]);
	child = spawn(0);
	for (i = 1; i <= count; i++) {
		long request = requests[rand() % NREQUESTS];
		long addr = word(), data = word();

		/* a tracer that exits would take the children with it */
		if (request == PTRACE_SETOPTIONS || request == PTRACE_SEIZE)
			data &= ~PTRACE_O_EXITKILL;
		for (int k = 0; k < 64; k++)
			buf[rand() % sizeof(buf)] = rand();
		pt(request, child, addr, data);
		if (waitpid(child, &status, __WALL | WNOHANG) == child &&
		    (WIFEXITED(status) || WIFSIGNALED(status))) {
			child = spawn(rand() % 2);
			children++;
		} else if (i % 64 == 0) {
			end(child);
			child = spawn(rand() % 2);
			children++;
		}
	}
	end(child);
	printf("%ld requests, %ld children\n", count, children);
	return 0;
}
