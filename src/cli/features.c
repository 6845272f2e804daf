/* `linuxd features`: what this runtime supports, as the OCI features
 * document (runtime-spec features.md). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "../../common/mountopts.h"
#include "../allowlist.h"
#include "../config.h"
#include "../seccomp.h"
#include "cli.h"

/* The names of process's allowlist, comma-separated, into buf. */
static char *syscall_list(char *buf, size_t size, unsigned int process)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ld_allowlist_len; i++)
		if (ld_allowlist[i].process & process)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? "," : "", ld_allowlist[i].name);
	return buf;
}

int cli_features(const struct ld_globals *g, int argc, char **argv)
{
	json_t *opts = json_array(), *caps = json_array(), *doc;
	char kernel[1024], files[1024];
	int rc;

	(void)g;
	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("usage: linuxd features\n\nPrint the OCI features JSON.\n");
		return 0;
	}
	for (size_t i = 0; ld_mount_flags[i].name; i++)
		json_array_append_new(opts, json_string(ld_mount_flags[i].name));
	for (size_t i = 0; ld_cap_names[i]; i++)
		json_array_append_new(caps, json_sprintf("CAP_%s", ld_cap_names[i]));
	doc = json_pack(
		"{s:s, s:s, s:[s,s,s,s,s,s], s:o, s:{s:[s,s,s,s,s,s], s:o, s:{s:b, s:b, s:b, s:b},"
		" s:o, s:{s:b}, s:{s:b}}, s:{s:s, s:s, s:s, s:s}}",
		"ociVersionMin", "1.0.0", "ociVersionMax", "1.2.0",
		"hooks", "prestart", "createRuntime", "createContainer",
		"startContainer", "poststart", "poststop", "mountOptions", opts,
		"linux", "namespaces", "pid", "mount", "ipc", "uts", "network", "user",
		"capabilities", caps,
		"cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0,
		"seccomp", ld_seccomp_features(), "apparmor", "enabled", 0,
		"selinux", "enabled", 0,
		"annotations", "org.linuxd.version", LINUXD_VERSION,
		"org.linuxd.kernel", "Linux 6.12, ARCH=um",
		/* the seccomp allowlists of the kernel process and its
		 * file server */
		"org.linuxd.kernel.hostSyscalls",
		syscall_list(kernel, sizeof(kernel),
			     LD_KERNEL | LD_PTRACE | LD_SECCOMP),
		"org.linuxd.fileServer.hostSyscalls",
		syscall_list(files, sizeof(files), LD_FILES));
	if (!doc)
		return 1;
	rc = json_dumpf(doc, stdout, JSON_INDENT(4) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
	return rc < 0;
}
