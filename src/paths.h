/* Where linuxd finds its sandbox kernel and guest init: ../lib/linuxd
 * next to its own binary, so an uninstalled build works as well as an
 * installed one. */
#ifndef LINUXD_PATHS_H
#define LINUXD_PATHS_H

const char *ld_path_kernel(void);
const char *ld_path_initrd(void);

#endif
