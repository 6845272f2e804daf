#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

int ld_error_set(struct ld_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->errnum = errnum;
	len = strlen(err->msg);
	if (errnum)
		snprintf(err->msg + len, sizeof(err->msg) - len, ": %s",
			 strerror(errnum));
	return -1;
}

void ld_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("linuxd: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
