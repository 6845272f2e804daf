/* linux.seccomp: the filter for the container's processes in the guest. */
#ifndef LINUXD_SECCOMP_H
#define LINUXD_SECCOMP_H

#include <jansson.h>

#include "error.h"

/* Compile spec (linux.seccomp of file) into a seccomp filter, an array of
 * struct sock_filter in a descriptor read from its start; *flags gets the
 * SECCOMP_FILTER_FLAG_* to install it with.  -1 naming what is wrong. */
int ld_seccomp_fd(json_t *spec, const char *file, unsigned int *flags,
		  struct ld_error *err);
/* linux.seccomp of the OCI features document: what profiles may use. */
json_t *ld_seccomp_features(void);

#endif
