#ifndef LINUXD_MOUNTOPTS_H
#define LINUXD_MOUNTOPTS_H

#include <stddef.h>

struct ld_mount_flag {
	const char *name;
	unsigned long set, clear;	/* MS_* flags */
};

/* Terminated by a NULL name. */
extern const struct ld_mount_flag ld_mount_flags[];

/* Split comma-separated options into MS_* flags (returned) and the
 * file-system data (into data, size bytes). */
unsigned long ld_mount_options(const char *options, char *data, size_t size);

#endif
