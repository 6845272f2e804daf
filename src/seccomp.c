/*
 * linux.seccomp of the spec, compiled with libseccomp into the filter
 * linuxd-init installs on the container's processes in the guest, as
 * runc installs it on the host.  The guest is an x86-64 Linux, so the
 * filter is built for the host's (the same) architecture.
 */
#include <errno.h>
#include <ctype.h>
#include <jansson.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "seccomp.h"
#include "util.h"

static const struct {
	const char *name;
	uint32_t action;	/* for ERRNO and TRACE: with errnoRet */
} actions[] = {
	{ "SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS },
	{ "SCMP_ACT_TRAP", SCMP_ACT_TRAP },
	{ "SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0) },
	{ "SCMP_ACT_TRACE", SCMP_ACT_TRACE(0) },
	{ "SCMP_ACT_ALLOW", SCMP_ACT_ALLOW },
	{ "SCMP_ACT_LOG", SCMP_ACT_LOG },
};

static const char *const ops[] = {
	[SCMP_CMP_NE] = "SCMP_CMP_NE", [SCMP_CMP_LT] = "SCMP_CMP_LT",
	[SCMP_CMP_LE] = "SCMP_CMP_LE", [SCMP_CMP_EQ] = "SCMP_CMP_EQ",
	[SCMP_CMP_GE] = "SCMP_CMP_GE", [SCMP_CMP_GT] = "SCMP_CMP_GT",
	[SCMP_CMP_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};

static const struct {
	const char *name;
	unsigned int flag;	/* seccomp(2)'s SECCOMP_FILTER_FLAG_* */
} flag_names[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", 1 },
	{ "SECCOMP_FILTER_FLAG_LOG", 2 },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", 4 },
};

struct compiler {
	const char *file;
	struct ld_error *err;
	scmp_filter_ctx ctx;
	int max_nr;		/* the highest x86-64 call the profile names */
};

static int bad(struct compiler *k, const char *field, const char *what)
{
	return ld_error_set(k->err, 0, "%s: linux.seccomp.%s: %s", k->file, field, what);
}

/* The action at obj's "action" (key), with its errnoRet; -1 if bad. */
static int action_of(struct compiler *k, json_t *obj, const char *key,
		     const char *errno_key, const char *field, uint32_t *out)
{
	const char *name = json_string_value(json_object_get(obj, key));
	json_t *ret = json_object_get(obj, errno_key);

	for (size_t i = 0; name && i < LD_ARRAY_SIZE(actions); i++) {
		if (strcmp(name, actions[i].name))
			continue;
		if (ret && (!json_is_integer(ret) || json_integer_value(ret) < 0 ||
			    json_integer_value(ret) > 4095))
			return bad(k, field, "errnoRet: expected an errno number");
		*out = actions[i].action;
		if (*out == SCMP_ACT_ERRNO(0) || *out == SCMP_ACT_TRACE(0))
			*out |= ret ? json_integer_value(ret) : EPERM;
		return 0;
	}
	return bad(k, field, name ? "unknown action" : "expected an action");
}

/* One comparison of syscalls[].args; -1 if bad. */
static int comparison(struct compiler *k, json_t *a, const char *field,
		      struct scmp_arg_cmp *c)
{
	json_t *index = json_object_get(a, "index"), *value = json_object_get(a, "value");
	json_t *two = json_object_get(a, "valueTwo");
	const char *op = json_string_value(json_object_get(a, "op"));
	size_t i;

	for (i = 0; op && i < LD_ARRAY_SIZE(ops); i++)
		if (ops[i] && !strcmp(op, ops[i]))
			break;
	if (!op || i == LD_ARRAY_SIZE(ops))
		return bad(k, field, "op: unknown comparison");
	if (!json_is_integer(index) || json_integer_value(index) < 0 ||
	    json_integer_value(index) > 5)
		return bad(k, field, "index: expected 0 to 5");
	if (!json_is_integer(value) || (two && !json_is_integer(two)))
		return bad(k, field, "value: expected an integer");
	*c = (struct scmp_arg_cmp){ .arg = json_integer_value(index), .op = i,
		.datum_a = json_integer_value(value),
		.datum_b = two ? json_integer_value(two) : 0 };
	return 0;
}

/* The rules of syscalls[n]: one with all of its comparisons, or one per
 * comparison when two compare the same argument (as runc reads them). */
static int add_rules(struct compiler *k, json_t *rule, size_t n, uint32_t fallback)
{
	json_t *names = json_object_get(rule, "names"), *args = json_object_get(rule, "args"), *v;
	struct scmp_arg_cmp cmp[6];
	size_t n_cmp = json_array_size(args), i, j;
	char field[64];
	uint32_t action;
	bool apart = false;
	int nr, rc = 0;

	snprintf(field, sizeof(field), "syscalls[%zu]", n);
	if (!json_is_array(names) || (args && !json_is_array(args)) || n_cmp > 6)
		return bad(k, field, "expected names and at most 6 args");
	if (action_of(k, rule, "action", "errnoRet", field, &action) < 0)
		return -1;
	json_array_foreach(args, i, v) {
		snprintf(field, sizeof(field), "syscalls[%zu].args[%zu]", n, i);
		if (comparison(k, v, field, &cmp[i]) < 0)
			return -1;
		for (j = 0; j < i; j++)
			apart |= cmp[j].arg == cmp[i].arg;
	}
	json_array_foreach(names, i, v) {
		nr = seccomp_syscall_resolve_name(json_string_value(v) ?: "");
		if (nr > k->max_nr)
			k->max_nr = nr;
		/* a call libseccomp does not know is left out, as runc does */
		if (nr == __NR_SCMP_ERROR || action == fallback)
			continue;
		for (j = 0; rc == 0 && apart && j < n_cmp; j++)
			rc = seccomp_rule_add_array(k->ctx, action, nr, 1, &cmp[j]);
		if (rc == 0 && !apart)
			rc = seccomp_rule_add_array(k->ctx, action, nr, n_cmp, cmp);
		if (rc < 0) {
			snprintf(field, sizeof(field), "syscalls[%zu]", n);
			return ld_error_set(k->err, -rc, "%s: linux.seccomp.%s: %s", k->file,
					    field, json_string_value(v));
		}
	}
	return 0;
}

/* architectures: "SCMP_ARCH_X86_64" and the like. */
static int add_arches(struct compiler *k, json_t *arches)
{
	char name[32], field[48];
	json_t *v;
	size_t i;

	json_array_foreach(arches, i, v) {
		const char *s = json_string_value(v) ?: "";
		uint32_t arch;

		snprintf(field, sizeof(field), "architectures[%zu]", i);
		snprintf(name, sizeof(name), "%s", strncmp(s, "SCMP_ARCH_", 10) ? "" : s + 10);
		for (char *c = name; *c; c++)
			*c = tolower((unsigned char)*c);
		arch = seccomp_arch_resolve_name(name);
		if (!arch)
			return bad(k, field, "unknown architecture");
		if (seccomp_arch_add(k->ctx, arch) < 0 && seccomp_arch_exist(k->ctx, arch) < 0)
			return bad(k, field, "architecture not supported");
	}
	return 0;
}

static int filter_flags(struct compiler *k, json_t *flags, unsigned int *out)
{
	char field[32];
	json_t *v;
	size_t i, f;

	*out = 0;
	if (flags && !json_is_array(flags))
		return bad(k, "flags", "expected an array");
	json_array_foreach(flags, i, v) {
		for (f = 0; f < LD_ARRAY_SIZE(flag_names); f++)
			if (!strcmp(json_string_value(v) ?: "", flag_names[f].name))
				break;
		snprintf(field, sizeof(field), "flags[%zu]", i);
		if (f == LD_ARRAY_SIZE(flag_names))
			return bad(k, field, "unknown flag");
		*out |= flag_names[f].flag;
	}
	return 0;
}

json_t *ld_seccomp_features(void)
{
	json_t *a = json_array(), *o = json_array(), *f = json_array();

	for (size_t i = 0; i < LD_ARRAY_SIZE(actions); i++)
		json_array_append_new(a, json_string(actions[i].name));
	for (size_t i = 0; i < LD_ARRAY_SIZE(ops); i++)
		if (ops[i])
			json_array_append_new(o, json_string(ops[i]));
	for (size_t i = 0; i < LD_ARRAY_SIZE(flag_names); i++)
		json_array_append_new(f, json_string(flag_names[i].name));
	return json_pack("{s:b, s:o, s:o, s:[s,s,s], s:O, s:o}", "enabled", 1,
			 "actions", a, "operators", o, "archs", "SCMP_ARCH_X86_64",
			 "SCMP_ARCH_X86", "SCMP_ARCH_X32", "knownFlags", f, "supportedFlags", f);
}

/*
 * As runc does: unless the profile allows what it does not name, an x86-64
 * call above the highest it names (one newer than the profile, or none at
 * all) fails with ENOSYS rather than the default action, so that programs
 * fall back as they would on an older kernel.  Written ahead of the
 * filter, to which it jumps for the rest.
 */
static int write_enosys(int fd, uint32_t fallback, int max_nr)
{
	const struct sock_filter head[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, max_nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
	};

	if (fallback == SCMP_ACT_ALLOW || fallback == SCMP_ACT_LOG || max_nr <= 0)
		return 0;
	return write(fd, head, sizeof(head)) == sizeof(head) ? 0 : -EIO;
}

int ld_seccomp_fd(json_t *spec, const char *file, unsigned int *flags,
		  struct ld_error *err)
{
	struct compiler k = { .file = file, .err = err };
	json_t *syscalls = json_object_get(spec, "syscalls"), *rule;
	uint32_t fallback;
	int fd = -1, rc;
	size_t i;

	if (json_object_get(spec, "listenerPath"))
		return bad(&k, "listenerPath", "a seccomp agent is not supported");
	if (action_of(&k, spec, "defaultAction", "defaultErrnoRet", "defaultAction",
		      &fallback) < 0)
		return -1;
	if (syscalls && !json_is_array(syscalls))
		return bad(&k, "syscalls", "expected an array");
	if (filter_flags(&k, json_object_get(spec, "flags"), flags) < 0)
		return -1;
	k.ctx = seccomp_init(fallback);
	if (!k.ctx)
		return ld_error_set(err, ENOMEM, "linux.seccomp");
	rc = add_arches(&k, json_object_get(spec, "architectures"));
	json_array_foreach(syscalls, i, rule)
		if (rc == 0)
			rc = add_rules(&k, rule, i, fallback);
	if (rc == 0) {
		fd = memfd_create("linuxd-seccomp", MFD_CLOEXEC);
		rc = fd < 0 ? -errno : write_enosys(fd, fallback, k.max_nr);
		if (rc == 0)
			rc = seccomp_export_bpf(k.ctx, fd);
		if (rc == 0 && lseek(fd, 0, SEEK_SET) < 0)
			rc = -errno;
		if (rc < 0)
			ld_error_set(err, -rc, "linux.seccomp: the filter");
	}
	seccomp_release(k.ctx);
	if (rc < 0 && fd >= 0)
		close(fd);
	return rc < 0 ? -1 : fd;
}
