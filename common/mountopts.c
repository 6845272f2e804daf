/* The mount options linuxd understands as flags; all others go to the
 * file system as data. */
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "mountopts.h"

const struct ld_mount_flag ld_mount_flags[] = {
	{ "ro", MS_RDONLY, 0 },		{ "rw", 0, MS_RDONLY },
	{ "nosuid", MS_NOSUID, 0 },	{ "suid", 0, MS_NOSUID },
	{ "nodev", MS_NODEV, 0 },	{ "dev", 0, MS_NODEV },
	{ "noexec", MS_NOEXEC, 0 },	{ "exec", 0, MS_NOEXEC },
	{ "sync", MS_SYNCHRONOUS, 0 },	{ "async", 0, MS_SYNCHRONOUS },
	{ "dirsync", MS_DIRSYNC, 0 },	{ "noatime", MS_NOATIME, 0 },
	{ "atime", 0, MS_NOATIME },	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME }, { "relatime", MS_RELATIME, 0 },
	{ "norelatime", 0, MS_RELATIME }, { "strictatime", MS_STRICTATIME, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME },
	{ "nosymfollow", MS_NOSYMFOLLOW, 0 },
	{ "bind", MS_BIND, 0 },		{ "rbind", MS_BIND | MS_REC, 0 },
	/* propagation stays private inside the container's namespace */
	{ "private", 0, 0 },		{ "rprivate", 0, 0 },
	{ "shared", 0, 0 },		{ "rshared", 0, 0 },
	{ "slave", 0, 0 },		{ "rslave", 0, 0 },
	{ "unbindable", 0, 0 },		{ "runbindable", 0, 0 },
	{ "tmpcopyup", 0, 0 },
	{ NULL, 0, 0 },
};

unsigned long ld_mount_options(const char *options, char *data, size_t size)
{
	char *copy = strdup(options ? options : ""), *opt, *save = NULL;
	unsigned long flags = 0;
	size_t i;

	data[0] = '\0';
	for (opt = strtok_r(copy, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		for (i = 0; ld_mount_flags[i].name; i++)
			if (!strcmp(opt, ld_mount_flags[i].name))
				break;
		if (ld_mount_flags[i].name) {
			flags = (flags | ld_mount_flags[i].set) & ~ld_mount_flags[i].clear;
			continue;
		}
		if (data[0])
			strncat(data, ",", size - strlen(data) - 1);
		strncat(data, opt, size - strlen(data) - 1);
	}
	free(copy);
	return flags;
}
