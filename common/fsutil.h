/* Small file and file-system helpers shared by the runtime and linuxd-init. */
#ifndef LINUXD_FSUTIL_H
#define LINUXD_FSUTIL_H

#include <stdbool.h>
#include <sys/types.h>

/* mkdir -p: create path and its missing parents; 0 or -1 with errno. */
int mkdir_p(const char *path, mode_t mode);

/* A mount point at path: a directory, or an empty file (and its missing
 * parents); one that exists already will do.  0 or -1 with errno. */
int ld_mount_point(const char *path, bool dir);

/* Write text to the existing file at path (a cgroup file, say); 0 or -1
 * with errno. */
int ld_write_text(const char *path, const char *text);

/* Copy what one read of `from` gives to `to`; false at end of file or
 * on an error. */
bool ld_copy_once(int from, int to);

#endif
