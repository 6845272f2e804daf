/* process.terminal: a host pseudo-terminal whose master goes to the
 * caller's --console-socket (as runc sends it) and whose slave the sandbox
 * kernel turns into the guest terminal of the container process. */
#ifndef LINUXD_CONSOLE_H
#define LINUXD_CONSOLE_H

#include "error.h"

/* Returns the slave descriptor after sending the master away. */
int ld_console_create(const char *socket_path, struct ld_error *err);

#endif
