/* What the file server's host code (fs/hostfs/hostfs_user.c and
 * arch/um/os-Linux/jail.c of the patched kernel) takes from the kernel's
 * os.h, for tests/attack/fileserver.c, which plays the kernel. */
#ifndef LINUXD_ATTACK_OS_H
#define LINUXD_ATTACK_OS_H

#include <linux/capability.h>

#define UM_JAIL_CAPS (1ULL << CAP_SYS_ADMIN | 1ULL << CAP_SETPCAP | \
		      1ULL << CAP_SETUID | 1ULL << CAP_SETGID)

int os_drop_capabilities(unsigned long long mask);
int os_enter_user_namespace(int fd);
int os_jail(const char *dir);
int os_jail_user(unsigned int uid, unsigned int gid);
int os_jail_filter(int fd, const char *owner);
int os_process_alive(int pid);
int os_spin_loops(int loops);
int os_host_cpu(void);
void os_umid_dir_unreachable(void);
unsigned long long os_makedev(unsigned major, unsigned minor);
void os_warn(const char *fmt, ...);
void panic(const char *fmt, ...) __attribute__((noreturn));

#endif
