/* Small file-system helpers shared by the runtime and linuxd-init. */
#ifndef LINUXD_FSUTIL_H
#define LINUXD_FSUTIL_H

#include <sys/types.h>

/* mkdir -p: create path and its missing parents; 0 or -1 with errno. */
int mkdir_p(const char *path, mode_t mode);

#endif
