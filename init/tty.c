/* The terminal of an exec'd process: a pseudo-terminal of the container's
 * own devpts, so that the process sees /dev/pts/N as runc gives it, joined
 * by a relay process to the host terminal the runtime passed. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "init.h"

/* The container's /dev/ptmx, or init's own when it has none. */
int tty_open(pid_t container, const struct init_settings *s, int *slave)
{
	struct winsize ws = { .ws_row = s->rows, .ws_col = s->cols };
	char path[64];
	int master, unlock = 0;

	snprintf(path, sizeof(path), "/proc/%d/root/dev/ptmx", container);
	master = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		master = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0 || ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    ioctl(master, TIOCSWINSZ, &ws) < 0 ||
	    (*slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0) {
		if (master >= 0)
			close(master);
		return -1;
	}
	return master;
}

static void on_term(int sig)
{
	(void)sig;
}

/* Until either end closes.  SIGTERM says the process is gone: copy what
 * its terminal still gives, then stop once it has been quiet a moment
 * (processes it left behind may still hold the terminal). */
static void relay(int master, int host)
{
	struct pollfd p[2] = { { .fd = master, .events = POLLIN },
			       { .fd = host, .events = POLLIN } };
	struct timespec quiet = { .tv_nsec = 100 * 1000 * 1000 };
	sigset_t none;
	bool ending = false;
	int n;

	sigemptyset(&none);
	signal(SIGTERM, on_term);
	for (;;) {
		n = ppoll(p, 2, ending ? &quiet : NULL, &none);
		if (n < 0 && errno == EINTR)
			ending = true;
		if (n == 0 || (n > 0 && p[0].revents && !ld_copy_once(master, host)))
			_exit(0);
		if (n > 0 && p[1].revents && !ld_copy_once(host, master))
			_exit(0);
	}
}

pid_t tty_relay_start(int master, int host)
{
	sigset_t term, old;
	pid_t pid;

	/* blocked from the start: the process may be gone (and the SIGTERM
	 * sent) before the relay runs, and its output must still go out */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	pid = fork();
	if (pid != 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		return pid;
	}
	if (dup3(master, 3, 0) < 0 || dup3(host, 4, 0) < 0)
		_exit(1);
	close_range(5, ~0U, 0);
	relay(3, 4);
	return 0;
}
