/* Capability sets as masks (bit CAP_*), shared by the runtime and
 * linuxd-init. */
#ifndef LINUXD_CAPS_H
#define LINUXD_CAPS_H

/* Drop from the bounding set every capability not in keep; 0 or -1 with
 * errno. */
int ld_caps_bound(unsigned long long keep);

/* Set the effective, inheritable and permitted sets; 0 or -1 with errno. */
int ld_caps_set(unsigned long long effective, unsigned long long inheritable,
		unsigned long long permitted);

#endif
