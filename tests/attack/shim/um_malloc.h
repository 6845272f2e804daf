/* The kernel allocator, as tests/attack/fileserver.c provides it: memory
 * the file server shares with the kernel. */
#ifndef LINUXD_ATTACK_UM_MALLOC_H
#define LINUXD_ATTACK_UM_MALLOC_H

#define UM_GFP_KERNEL 0

void *uml_kmalloc(int size, int flags);
void kfree(const void *ptr);

#endif
