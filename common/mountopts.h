#ifndef LINUXD_MOUNTOPTS_H
#define LINUXD_MOUNTOPTS_H

struct ld_mount_flag {
	const char *name;
	unsigned long set, clear;	/* MS_* flags */
};

/* Terminated by a NULL name. */
extern const struct ld_mount_flag ld_mount_flags[];

#endif
