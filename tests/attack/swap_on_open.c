/*
 * The link swapped in at the worst moment: a bind source checked at
 * create, then replaced by a symbolic link before the private root is
 * built from it.
 *
 * swap_on_open DIR SOURCE TARGET watches the mount of DIR (the runtime's
 * state root, which the runtime first writes once the bind sources are
 * resolved) and holds the first open of a file there until it has moved
 * SOURCE to SOURCE.orig and put a link to TARGET in its place.  Prints
 * "ready" once watching; exits after the swap, or after 60 s.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/fanotify.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct fanotify_event_metadata ev;
	struct fanotify_response answer;
	struct pollfd p;
	char orig[4096];
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: swap_on_open DIR SOURCE TARGET\n");
		return 2;
	}
	fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
	if (fd < 0 || fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT,
				    FAN_OPEN_PERM, AT_FDCWD, argv[1]) < 0) {
		perror("swap_on_open: fanotify");
		return 1;
	}
	puts("ready");
	fflush(stdout);
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 60000) != 1 || read(fd, &ev, sizeof(ev)) < (ssize_t)sizeof(ev)) {
		fprintf(stderr, "swap_on_open: no open in %s\n", argv[1]);
		return 1;
	}
	snprintf(orig, sizeof(orig), "%s.orig", argv[2]);
	if (rename(argv[2], orig) < 0 || symlink(argv[3], argv[2]) < 0)
		perror("swap_on_open: swap");
	answer = (struct fanotify_response){ .fd = ev.fd, .response = FAN_ALLOW };
	if (write(fd, &answer, sizeof(answer)) != sizeof(answer))
		perror("swap_on_open: answer");
	close(ev.fd);
	return 0;
}
