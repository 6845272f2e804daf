/* One error contract: fallible functions return 0 or a negative value and
 * fill a struct ld_error whose message names the file, field or value at
 * fault.  Only the CLI prints it. */
#ifndef LINUXD_ERROR_H
#define LINUXD_ERROR_H

struct ld_error {
	int errnum;		/* errno of the failing call, or 0 */
	char msg[1024];
};

/* Fill err with a message (strerror(errnum) appended when errnum != 0);
 * returns -1 so callers can write `return ld_error_set(...)`. */
int ld_error_set(struct ld_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A problem that does not fail the command (a poststart or poststop hook):
 * one line on stderr. */
void ld_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
