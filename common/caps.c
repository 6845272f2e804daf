/* Capability sets as masks, see caps.h. */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include "caps.h"

int ld_caps_bound(unsigned long long keep)
{
	for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		if (!(keep >> cap & 1) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return -1;
	return 0;
}

int ld_caps_set(unsigned long long effective, unsigned long long inheritable,
		unsigned long long permitted)
{
	struct __user_cap_header_struct head = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	for (int i = 0; i < _LINUX_CAPABILITY_U32S_3; i++)
		data[i] = (struct __user_cap_data_struct){
			.effective = effective >> 32 * i,
			.inheritable = inheritable >> 32 * i,
			.permitted = permitted >> 32 * i,
		};
	return syscall(SYS_capset, &head, data) < 0 ? -1 : 0;
}
