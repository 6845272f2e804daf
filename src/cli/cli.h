/* The linuxd command line: one file per command, each parsing its own
 * arguments and calling the library.  Exit codes: the container's status
 * for run; 0 on success and 1 on error for the others. */
#ifndef LINUXD_CLI_H
#define LINUXD_CLI_H

#ifndef LINUXD_VERSION
#define LINUXD_VERSION "0.1.0"
#endif

#include "../container.h"
#include "../error.h"

int cli_run(const struct ld_globals *g, int argc, char **argv);
int cli_create(const struct ld_globals *g, int argc, char **argv);
int cli_start(const struct ld_globals *g, int argc, char **argv);
int cli_kill(const struct ld_globals *g, int argc, char **argv);
int cli_delete(const struct ld_globals *g, int argc, char **argv);
int cli_state(const struct ld_globals *g, int argc, char **argv);
int cli_list(const struct ld_globals *g, int argc, char **argv);
int cli_exec(const struct ld_globals *g, int argc, char **argv);
int cli_features(const struct ld_globals *g, int argc, char **argv);
int cli_pause(const struct ld_globals *g, int argc, char **argv);
int cli_resume(const struct ld_globals *g, int argc, char **argv);
int cli_ps(const struct ld_globals *g, int argc, char **argv);
int cli_update(const struct ld_globals *g, int argc, char **argv);
int cli_events(const struct ld_globals *g, int argc, char **argv);
int cli_spec(const struct ld_globals *g, int argc, char **argv);

/* --preserve-fds N: 0 if our descriptors 3 .. 3+N-1 are open, else -1
 * after saying which is not. */
int cli_preserve_fds(const char *arg, unsigned int *n);

/* Print err as one line (and to the --log file); returns 1. */
int cli_fail(const struct ld_globals *g, const struct ld_error *err);
/* Usage errors: one line naming the problem; returns 1. */
int cli_usage(const char *cmd, const char *problem);

#endif
