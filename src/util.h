#ifndef LINUXD_UTIL_H
#define LINUXD_UTIL_H

#include <stdlib.h>
#include <unistd.h>

static inline void ld_freep(void *p) { free(*(void **)p); }
static inline void ld_closep(int *fd) { if (*fd >= 0) close(*fd); }

#define cleanup_free __attribute__((cleanup(ld_freep)))
#define cleanup_close __attribute__((cleanup(ld_closep)))

#define LD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
