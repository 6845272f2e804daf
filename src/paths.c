#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "paths.h"

static const char *lib_file(char *buf, size_t size, const char *name)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		n = 0;
	exe[n] = '\0';
	snprintf(buf, size, "%s/../lib/linuxd/%s", dirname(exe), name);
	return buf;
}

const char *ld_path_kernel(void)
{
	static char path[PATH_MAX + 32];

	return path[0] ? path : lib_file(path, sizeof(path), "linux");
}

const char *ld_path_initrd(void)
{
	static char path[PATH_MAX + 32];

	return path[0] ? path : lib_file(path, sizeof(path), "init.cpio");
}
