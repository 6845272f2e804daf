/* The stub helper the file server uses, as tests/attack/fileserver.c
 * needs it: no host CPU known, which only makes the kernel side poll. */
#ifndef LINUXD_ATTACK_SYSDEP_STUB_H
#define LINUXD_ATTACK_SYSDEP_STUB_H

static inline int stub_host_cpu(void)
{
	return -1;
}

#endif
