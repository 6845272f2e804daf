/* process.terminal: a host pseudo-terminal whose slave the sandbox turns
 * into the container process's terminal.  Its master goes to the caller's
 * --console-socket (as runc sends it), or without one a foreground run or
 * exec proxies between the master and its own stdio. */
#ifndef LINUXD_CONSOLE_H
#define LINUXD_CONSOLE_H

#include <poll.h>
#include <stdbool.h>
#include <termios.h>

#include "error.h"

/* A new pseudo-terminal, its slave raw so that the only line discipline
 * is the guest's.  With socket_path its master goes there (and *master is
 * -1), else it stays with the caller. */
int ld_console_create(const char *socket_path, int *master, int *slave,
		      struct ld_error *err);

/* Send descriptor sent, with name as the message, to the unix socket at
 * socket_path, as runc sends what its option (named in errors) asks. */
int ld_send_fd(const char *option, const char *socket_path, int sent,
	       const char *name, struct ld_error *err);

/* Our stdio on the terminal of a foreground process. */
struct ld_console_proxy {
	int master;		/* -1: no proxy */
	bool in_open;		/* our stdin has not reached EOF */
	bool out_open;		/* nor the master */
	bool restore;		/* our stdin is a terminal, now raw */
	struct termios saved;
};

/* Take over master: our terminal, if stdin is one, becomes raw and gives
 * its window size to the master. */
void ld_console_proxy_start(struct ld_console_proxy *p, int master);
/* Our terminal's window size to the master (after SIGWINCH). */
void ld_console_proxy_resize(const struct ld_console_proxy *p);
/* Poll entries for the proxy (two), and the copying they call for. */
void ld_console_proxy_poll(const struct ld_console_proxy *p, struct pollfd *fds);
void ld_console_proxy_pump(struct ld_console_proxy *p, const struct pollfd *fds);
/* Copy what the master still holds, restore our terminal, close. */
void ld_console_proxy_end(struct ld_console_proxy *p);

#endif
