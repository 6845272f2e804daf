/* config.json parsing with jansson: every field linuxd uses is type-checked
 * and a failure names the file and the field. */
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "hooks.h"
#include "seccomp.h"
#include "util.h"

struct parser {
	const char *file;
	const char *bundle;
	struct ld_error *err;
};

static const char *json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER: return "an integer";
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

static int wrong_type(struct parser *p, const char *field, const char *want,
		      const json_t *got)
{
	return ld_error_set(p->err, 0, "%s: %s: expected %s, got %s", p->file,
			    field, want, json_kind(got));
}

/* The member, or NULL when absent (an error when required). */
static json_t *member(struct parser *p, json_t *obj, const char *key,
		      const char *field, bool required, int *rc)
{
	json_t *v = json_object_get(obj, key);

	*rc = 0;
	if (!v && required)
		*rc = ld_error_set(p->err, 0, "%s: %s: missing", p->file, field);
	return v;
}

static int get_string(struct parser *p, json_t *obj, const char *key,
		      const char *field, bool required, char **out)
{
	int rc;
	json_t *v = member(p, obj, key, field, required, &rc);

	if (!v)
		return rc;
	if (!json_is_string(v))
		return wrong_type(p, field, "a string", v);
	*out = strdup(json_string_value(v));
	return 0;
}

static int get_bool(struct parser *p, json_t *obj, const char *key,
		    const char *field, bool *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return 0;
	if (!json_is_boolean(v))
		return wrong_type(p, field, "a boolean", v);
	*out = json_is_true(v);
	return 0;
}

static int get_uint(struct parser *p, json_t *v, const char *field,
		    unsigned long long max, unsigned long long *out)
{
	if (!json_is_integer(v))
		return wrong_type(p, field, "an integer", v);
	if (json_integer_value(v) < 0 ||
	    (unsigned long long)json_integer_value(v) > max)
		return ld_error_set(p->err, 0, "%s: %s: %lld is out of range",
				    p->file, field,
				    (long long)json_integer_value(v));
	*out = json_integer_value(v);
	return 0;
}

/* A required non-negative integer member; ids stop below (unsigned)-1. */
static int get_uint_member(struct parser *p, json_t *obj, const char *key,
			   const char *field, unsigned long long *out)
{
	int rc;
	json_t *v = member(p, obj, key, field, true, &rc);
	bool is_id = !strcmp(key, "uid") || !strcmp(key, "gid");

	if (!v)
		return rc;
	return get_uint(p, v, field, is_id ? UINT_MAX - 1 : LLONG_MAX, out);
}

static int get_object(struct parser *p, json_t *obj, const char *key,
		      const char *field, bool required, json_t **out)
{
	int rc;
	json_t *v = member(p, obj, key, field, required, &rc);

	*out = NULL;
	if (!v)
		return rc;
	if (!json_is_object(v))
		return wrong_type(p, field, "an object", v);
	*out = v;
	return 0;
}

/* A NULL-terminated copy of an array of strings. */
static void free_strings(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

static int get_strings(struct parser *p, json_t *obj, const char *key,
		       const char *field, bool required, char ***out)
{
	char name[256];
	size_t i;
	json_t *v, *s;
	int rc;

	v = member(p, obj, key, field, required, &rc);
	if (!v)
		return rc;
	if (!json_is_array(v))
		return wrong_type(p, field, "an array of strings", v);
	json_array_foreach(v, i, s) {
		snprintf(name, sizeof(name), "%s[%zu]", field, i);
		if (!json_is_string(s))
			return wrong_type(p, name, "a string", s);
	}
	*out = calloc(json_array_size(v) + 1, sizeof(char *));
	json_array_foreach(v, i, s)
		(*out)[i] = strdup(json_string_value(s));
	return 0;
}

static char *bundle_path(struct parser *p, const char *path)
{
	char *abs;

	if (path[0] == '/')
		return strdup(path);
	if (asprintf(&abs, "%s/%s", p->bundle, path) < 0)
		return NULL;
	return abs;
}

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },		{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },		{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },		{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimit(struct parser *p, json_t *v, const char *field,
			struct ld_rlimit *r)
{
	cleanup_free char *type = NULL;
	char name[256];
	size_t i;

	if (!json_is_object(v))
		return wrong_type(p, field, "an object", v);
	snprintf(name, sizeof(name), "%s.type", field);
	if (get_string(p, v, "type", name, true, &type) < 0)
		return -1;
	r->resource = -1;
	for (i = 0; i < LD_ARRAY_SIZE(rlimit_names); i++)
		if (!strcmp(type, rlimit_names[i].name))
			r->resource = rlimit_names[i].resource;
	if (r->resource < 0)
		return ld_error_set(p->err, 0, "%s: %s: unknown rlimit \"%s\"",
				    p->file, name, type);
	snprintf(name, sizeof(name), "%s.soft", field);
	if (get_uint_member(p, v, "soft", name, &r->soft) < 0)
		return -1;
	snprintf(name, sizeof(name), "%s.hard", field);
	if (get_uint_member(p, v, "hard", name, &r->hard) < 0)
		return -1;
	if (r->soft > r->hard)
		return ld_error_set(p->err, 0, "%s: %s: soft limit above hard limit",
				    p->file, field);
	return 0;
}

const char *const ld_cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
	"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
	"BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE", NULL,
};

int ld_cap_number(const char *name)
{
	for (int n = 0; ld_cap_names[n]; n++)
		if (!strncmp(name, "CAP_", 4) && !strcmp(name + 4, ld_cap_names[n]))
			return n;
	return -1;
}

/* process.capabilities: each set a list of names ("CAP_CHOWN"); a set
 * left out is empty, and so is every set when there is no
 * process.capabilities; a name the guest kernel does not know is left
 * out with a warning, as runc has them. */
static int parse_capabilities(struct parser *p, json_t *process, struct ld_config *c)
{
	static const char *const sets[LD_CAP_SETS] = {
		"bounding", "effective", "inheritable", "permitted", "ambient",
	};
	char field[96], **names;
	json_t *caps;
	int n;

	if (get_object(p, process, "capabilities", "process.capabilities", false, &caps) < 0)
		return -1;
	for (int set = 0; caps && set < LD_CAP_SETS; set++) {
		snprintf(field, sizeof(field), "process.capabilities.%s", sets[set]);
		names = NULL;
		if (get_strings(p, caps, sets[set], field, false, &names) < 0)
			return -1;
		for (size_t i = 0; names && names[i]; i++) {
			n = ld_cap_number(names[i]);
			if (n >= 0)
				c->caps[set] |= 1ULL << n;
			else
				ld_warn("%s: %s[%zu]: unknown capability \"%s\", left out",
					p->file, field, i, names[i]);
		}
		free_strings(names);
	}
	return 0;
}

/* process.user's uid or gid: 0 when missing, as runc takes it */
static int get_id(struct parser *p, json_t *user, const char *key,
		  const char *field, unsigned int *out)
{
	unsigned long long id = 0;

	if (json_object_get(user, key) && get_uint_member(p, user, key, field, &id) < 0)
		return -1;
	*out = id;
	return 0;
}

static int parse_user(struct parser *p, json_t *process, struct ld_config *c)
{
	unsigned long long id;
	char name[64];
	json_t *user, *gids, *g;
	size_t i;

	if (get_object(p, process, "user", "process.user", false, &user) < 0)
		return -1;
	if (!user)
		return 0;
	if (get_id(p, user, "uid", "process.user.uid", &c->uid) < 0 ||
	    get_id(p, user, "gid", "process.user.gid", &c->gid) < 0)
		return -1;
	if (json_object_get(user, "umask")) {
		if (get_uint(p, json_object_get(user, "umask"), "process.user.umask",
			     0777, &id) < 0)
			return -1;
		c->umask = id;
	}
	gids = json_object_get(user, "additionalGids");
	if (!gids)
		return 0;
	if (!json_is_array(gids))
		return wrong_type(p, "process.user.additionalGids",
				  "an array of integers", gids);
	c->additional_gids = calloc(json_array_size(gids) + 1, sizeof(unsigned));
	json_array_foreach(gids, i, g) {
		snprintf(name, sizeof(name), "process.user.additionalGids[%zu]", i);
		if (get_uint(p, g, name, UINT_MAX - 1, &id) < 0)
			return -1;
		c->additional_gids[c->n_additional_gids++] = id;
	}
	return 0;
}

static int parse_oom_score_adj(struct parser *p, json_t *process, struct ld_config *c)
{
	json_t *v = json_object_get(process, "oomScoreAdj");

	if (!v)
		return 0;
	if (!json_is_integer(v))
		return wrong_type(p, "process.oomScoreAdj", "an integer", v);
	if (json_integer_value(v) < -1000 || json_integer_value(v) > 1000)
		return ld_error_set(p->err, 0, "%s: process.oomScoreAdj: %lld is out of "
				    "range (-1000 to 1000)", p->file,
				    (long long)json_integer_value(v));
	c->oom_score_adj = json_integer_value(v);
	c->has_oom_score_adj = true;
	return 0;
}

static int parse_process(struct parser *p, json_t *root, struct ld_config *c)
{
	json_t *process, *rlimits, *r;
	char name[64];
	size_t i;

	c->umask = -1;
	if (get_object(p, root, "process", "process", true, &process) < 0 ||
	    get_strings(p, process, "args", "process.args", true, &c->args) < 0 ||
	    get_strings(p, process, "env", "process.env", false, &c->env) < 0 ||
	    get_string(p, process, "cwd", "process.cwd", false, &c->cwd) < 0 ||
	    get_bool(p, process, "terminal", "process.terminal", &c->terminal) < 0 ||
	    get_bool(p, process, "noNewPrivileges", "process.noNewPrivileges",
		     &c->no_new_privileges) < 0 ||
	    parse_user(p, process, c) < 0 || parse_capabilities(p, process, c) < 0)
		return -1;
	if (!c->args[0] || !c->args[0][0])
		return ld_error_set(p->err, 0, "%s: process.args: must not be empty",
				    p->file);
	if (parse_oom_score_adj(p, process, c) < 0)
		return -1;
	if (!c->env)
		c->env = calloc(1, sizeof(char *));
	if (!c->cwd)
		c->cwd = strdup("/");
	if (c->cwd[0] != '/')
		return ld_error_set(p->err, 0, "%s: process.cwd: \"%s\" is not an absolute path",
				    p->file, c->cwd);
	rlimits = json_object_get(process, "rlimits");
	if (!rlimits)
		return 0;
	if (!json_is_array(rlimits))
		return wrong_type(p, "process.rlimits", "an array", rlimits);
	c->rlimits = calloc(json_array_size(rlimits) + 1, sizeof(*c->rlimits));
	json_array_foreach(rlimits, i, r) {
		snprintf(name, sizeof(name), "process.rlimits[%zu]", i);
		if (parse_rlimit(p, r, name, &c->rlimits[c->n_rlimits++]) < 0)
			return -1;
	}
	return 0;
}

static int parse_root(struct parser *p, json_t *root, struct ld_config *c)
{
	cleanup_free char *path = NULL;
	json_t *r;

	if (get_object(p, root, "root", "root", true, &r) < 0 ||
	    get_string(p, r, "path", "root.path", true, &path) < 0 ||
	    get_bool(p, r, "readonly", "root.readonly", &c->root_readonly) < 0)
		return -1;
	c->root_path = bundle_path(p, path);
	return 0;
}

static int parse_mount(struct parser *p, json_t *v, const char *field,
		       struct ld_mount *m)
{
	char name[256], **opts = NULL;
	cleanup_free char *source = NULL;
	size_t i, len = 0;

	if (!json_is_object(v))
		return wrong_type(p, field, "an object", v);
#define SUB(key) (snprintf(name, sizeof(name), "%s.%s", field, key), name)
	if (get_string(p, v, "destination", SUB("destination"), true, &m->destination) < 0 ||
	    get_string(p, v, "type", SUB("type"), false, &m->type) < 0 ||
	    get_string(p, v, "source", SUB("source"), false, &source) < 0 ||
	    get_strings(p, v, "options", SUB("options"), false, &opts) < 0)
		return -1;
	if (m->destination[0] != '/') {
		free_strings(opts);
		return ld_error_set(p->err, 0, "%s: %s: \"%s\" is not an absolute path",
				    p->file, SUB("destination"), m->destination);
	}
#undef SUB
	for (i = 0; opts && opts[i]; i++)
		len += strlen(opts[i]) + 1;
	m->options = calloc(1, len + 1);
	for (i = 0; opts && opts[i]; i++) {
		if (!strcmp(opts[i], "bind") || !strcmp(opts[i], "rbind"))
			m->bind = true;
		if (i)
			strcat(m->options, ",");
		strcat(m->options, opts[i]);
		free(opts[i]);
	}
	free(opts);
	if (!m->type)
		m->type = strdup(m->bind ? "bind" : "none");
	if (!strcmp(m->type, "bind"))
		m->bind = true;
	if (m->bind && !source)
		return ld_error_set(p->err, 0, "%s: %s.source: missing for a bind mount",
				    p->file, field);
	m->source = m->bind ? bundle_path(p, source) : strdup(source ?: m->type);
	return 0;
}

static int parse_mounts(struct parser *p, json_t *root, struct ld_config *c)
{
	json_t *mounts = json_object_get(root, "mounts"), *m;
	char name[64];
	size_t i;

	if (!mounts)
		return 0;
	if (!json_is_array(mounts))
		return wrong_type(p, "mounts", "an array", mounts);
	c->mounts = calloc(json_array_size(mounts) + 1, sizeof(*c->mounts));
	json_array_foreach(mounts, i, m) {
		snprintf(name, sizeof(name), "mounts[%zu]", i);
		if (parse_mount(p, m, name, &c->mounts[c->n_mounts++]) < 0)
			return -1;
	}
	return 0;
}

/* linux.resources.KIND.KEY (limit, reservation): -1 when absent or
 * unlimited (-1). */
static int resource_limit(struct parser *p, json_t *resources, const char *kind,
			  const char *key, long long *out)
{
	char field[64];
	json_t *obj = NULL, *limit;
	unsigned long long v;

	*out = -1;
	snprintf(field, sizeof(field), "linux.resources.%s", kind);
	if (resources && get_object(p, resources, kind, field, false, &obj) < 0)
		return -1;
	limit = obj ? json_object_get(obj, key) : NULL;
	if (!limit || (json_is_integer(limit) && json_integer_value(limit) == -1))
		return 0;
	snprintf(field, sizeof(field), "linux.resources.%s.%s", kind, key);
	if (get_uint(p, limit, field, LLONG_MAX, &v) < 0)
		return -1;
	*out = v;
	return 0;
}

/* linux.resources.cpu.KEY: a list of CPUs or memory nodes ("0-3,5") for
 * the sandbox's cpuset; NULL when unset or empty. */
static int parse_cpuset(struct parser *p, json_t *cpu, const char *key, char **out)
{
	char field[64];

	snprintf(field, sizeof(field), "linux.resources.cpu.%s", key);
	if (get_string(p, cpu, key, field, false, out) < 0)
		return -1;
	if (*out && **out && strspn(*out, "0123456789,-") == strlen(*out) &&
	    isdigit((unsigned char)**out))
		return 0;
	if (*out && **out)
		return ld_error_set(p->err, 0, "%s: %s: \"%s\": expected a list such as 0-3,5",
				    p->file, field, *out);
	free(*out);
	*out = NULL;
	return 0;
}

/* linux.resources.cpu: quota, period and shares; 0 when unset. */
static int parse_cpu(struct parser *p, json_t *resources, struct ld_config *c)
{
	static const char *const keys[] = { "quota", "period", "shares" };
	long long *out[] = { &c->cpu_quota, &c->cpu_period, &c->cpu_shares };
	json_t *cpu = NULL, *v;
	unsigned long long n;
	char field[64];

	if (resources && get_object(p, resources, "cpu", "linux.resources.cpu",
				    false, &cpu) < 0)
		return -1;
	for (size_t i = 0; cpu && i < LD_ARRAY_SIZE(keys); i++) {
		v = json_object_get(cpu, keys[i]);
		if (!v || (json_is_integer(v) && json_integer_value(v) == -1))
			continue;
		snprintf(field, sizeof(field), "linux.resources.cpu.%s", keys[i]);
		if (get_uint(p, v, field, LLONG_MAX, &n) < 0)
			return -1;
		*out[i] = n;
	}
	if (!c->cpu_period)
		c->cpu_period = 100000;
	if (cpu && (parse_cpuset(p, cpu, "cpus", &c->cpus) < 0 ||
		    parse_cpuset(p, cpu, "mems", &c->mems) < 0))
		return -1;
	return 0;
}

/* linux.namespaces: of them only the network namespace matters to the
 * sandbox (the others are the guest's); c->network says which. */
static int parse_namespaces(struct parser *p, json_t *linux_, struct ld_config *c)
{
	static const char *const types[] = { "pid", "network", "mount", "ipc",
					     "uts", "user", "cgroup", "time" };
	json_t *list = linux_ ? json_object_get(linux_, "namespaces") : NULL, *ns;
	char field[64], *type = NULL, *path = NULL;
	unsigned int seen = 0;
	size_t i, k;

	c->network = LD_NET_NONE;
	if (list && !json_is_array(list))
		return wrong_type(p, "linux.namespaces", "an array", list);
	json_array_foreach(list, i, ns) {
		snprintf(field, sizeof(field), "linux.namespaces[%zu]", i);
		if (!json_is_object(ns))
			return wrong_type(p, field, "an object", ns);
		snprintf(field, sizeof(field), "linux.namespaces[%zu].type", i);
		if (get_string(p, ns, "type", field, true, &type) < 0)
			return -1;
		for (k = 0; k < LD_ARRAY_SIZE(types) && strcmp(type, types[k]); k++)
			;
		if (k == LD_ARRAY_SIZE(types) || (seen & 1u << k)) {
			ld_error_set(p->err, 0, "%s: %s: %s namespace type \"%s\"",
				     p->file, field, k == LD_ARRAY_SIZE(types)
				     ? "unknown" : "repeated", type);
			free(type);
			return -1;
		}
		seen |= 1u << k;
		snprintf(field, sizeof(field), "linux.namespaces[%zu].path", i);
		if (get_string(p, ns, "path", field, false, &path) < 0) {
			free(type);
			return -1;
		}
		if (!strcmp(type, "user") && path) {
			ld_error_set(p->err, 0, "%s: %s: joining a user namespace is not "
				     "supported", p->file, field);
			free(type);
			free(path);
			return -1;
		}
		c->userns |= !strcmp(type, "user");
		if (!strcmp(type, "network")) {
			c->network = path ? LD_NET_JOIN : LD_NET_NEW;
			free(c->net_path);
			c->net_path = path;
		} else {
			free(path);
		}
		free(type);
		type = path = NULL;
	}
	return 0;
}

/* A Kubernetes pod's sandbox ("pause") container, as containerd and CRI-O
 * mark it: it only holds the pod's namespaces. */
static bool pod_sandbox(json_t *root)
{
	static const char *const keys[] = { "io.kubernetes.cri.container-type",
					    "io.kubernetes.cri-o.ContainerType" };
	json_t *annotations = json_object_get(root, "annotations");

	for (size_t i = 0; i < LD_ARRAY_SIZE(keys); i++)
		if (!strcmp(json_string_value(json_object_get(annotations, keys[i])) ?: "",
			    "sandbox"))
			return true;
	return false;
}

/* linux.sysctl, as "KEY VALUE" strings; a key names a file under
 * /proc/sys, with dots or slashes between its parts. */
static int parse_sysctl(struct parser *p, json_t *linux_, struct ld_config *c)
{
	json_t *sysctl, *v;
	const char *key;
	size_t n = 0;

	if (get_object(p, linux_, "sysctl", "linux.sysctl", false, &sysctl) < 0 || !sysctl)
		return 0;
	c->sysctl = calloc(json_object_size(sysctl) + 1, sizeof(char *));
	json_object_foreach(sysctl, key, v) {
		if (!json_is_string(v))
			return ld_error_set(p->err, 0, "%s: linux.sysctl[\"%s\"]: expected "
					    "a string", p->file, key);
		if (!key[0] || strspn(key, "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./") != strlen(key) ||
		    strstr(key, "..") || key[0] == '/' || key[0] == '.')
			return ld_error_set(p->err, 0, "%s: linux.sysctl: \"%s\" is not "
					    "a sysctl name", p->file, key);
		if (asprintf(&c->sysctl[n++], "%s %s", key, json_string_value(v)) < 0)
			return ld_error_set(p->err, ENOMEM, "linux.sysctl");
	}
	return 0;
}

/* linux.uidMappings or gidMappings (key), as "CONTAINER HOST SIZE"
 * strings: there must be some with a user namespace, none without. */
static int parse_mappings(struct parser *p, json_t *linux_, const char *key,
			  struct ld_config *c, char ***out)
{
	json_t *list = json_object_get(linux_, key), *m;
	unsigned long long id[3];
	static const char *const fields[] = { "containerID", "hostID", "size" };
	char field[96];
	size_t i;

	if (!list || !c->userns) {
		if (!list && !c->userns)
			return 0;
		return ld_error_set(p->err, 0, "%s: linux.%s: %s", p->file, key, list ?
				    "given without a user namespace" :
				    "required with a user namespace");
	}
	snprintf(field, sizeof(field), "linux.%s", key);
	if (!json_is_array(list) || !json_array_size(list))
		return wrong_type(p, field, "an array of mappings", list);
	*out = calloc(json_array_size(list) + 1, sizeof(char *));
	json_array_foreach(list, i, m) {
		for (size_t f = 0; f < 3; f++) {
			snprintf(field, sizeof(field), "linux.%s[%zu].%s", key, i, fields[f]);
			if (!json_is_object(m))
				return wrong_type(p, field, "an object", m);
			if (get_uint_member(p, m, fields[f], field, &id[f]) < 0)
				return -1;
		}
		if (asprintf(&(*out)[i], "%llu %llu %llu", id[0], id[1], id[2]) < 0)
			return ld_error_set(p->err, ENOMEM, "%s", key);
	}
	return 0;
}

/* linux.maskedPaths and linux.readonlyPaths: absolute paths. */
static int parse_paths(struct parser *p, json_t *linux_, const char *key,
		       char ***out)
{
	char field[64];

	snprintf(field, sizeof(field), "linux.%s", key);
	if (get_strings(p, linux_, key, field, false, out) < 0)
		return -1;
	for (size_t i = 0; *out && (*out)[i]; i++)
		if ((*out)[i][0] != '/')
			return ld_error_set(p->err, 0, "%s: %s[%zu]: \"%s\" is not an "
					    "absolute path", p->file, field, i, (*out)[i]);
	return 0;
}

static int parse_linux(struct parser *p, json_t *root, struct ld_config *c)
{
	json_t *linux_, *resources = NULL, *seccomp = NULL;

	if (get_object(p, root, "linux", "linux", false, &linux_) < 0)
		return -1;
	if (linux_ && get_object(p, linux_, "resources", "linux.resources",
				 false, &resources) < 0)
		return -1;
	if (parse_namespaces(p, linux_, c) < 0)
		return -1;
	/* the pod's network is for its containers, each on its own kernel */
	if (c->network == LD_NET_JOIN && pod_sandbox(root))
		c->network = LD_NET_NEW;
	if (linux_ && (get_string(p, linux_, "cgroupsPath", "linux.cgroupsPath",
				  false, &c->cgroups_path) < 0 ||
		       parse_sysctl(p, linux_, c) < 0 ||
		       parse_mappings(p, linux_, "uidMappings", c, &c->uid_maps) < 0 ||
		       parse_mappings(p, linux_, "gidMappings", c, &c->gid_maps) < 0 ||
		       parse_paths(p, linux_, "maskedPaths", &c->masked_paths) < 0 ||
		       parse_paths(p, linux_, "readonlyPaths", &c->readonly_paths) < 0 ||
		       get_object(p, linux_, "seccomp", "linux.seccomp", false, &seccomp) < 0))
		return -1;
	/* compiled now, so that a bad profile fails before anything starts */
	if (seccomp) {
		c->seccomp_fd = ld_seccomp_fd(seccomp, p->file, &c->seccomp_flags, p->err);
		if (c->seccomp_fd < 0)
			return -1;
	}
	if (resource_limit(p, resources, "memory", "limit", &c->memory_limit) < 0 ||
	    resource_limit(p, resources, "memory", "reservation",
			   &c->memory_reservation) < 0 ||
	    parse_cpu(p, resources, c) < 0)
		return -1;
	return resource_limit(p, resources, "pids", "limit", &c->pids_limit);
}

int ld_config_parse(const char *text, size_t len, const char *file,
		    const char *bundle, struct ld_config **out,
		    struct ld_error *err)
{
	struct parser p = { .file = file, .bundle = bundle, .err = err };
	struct ld_config *c = calloc(1, sizeof(*c));
	json_error_t jerr;
	json_t *root = NULL;
	int rc = -1;

	c->bundle = strdup(bundle);
	c->seccomp_fd = -1;
	err->msg[0] = '\0';
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		ld_error_set(err, 0, "%s: invalid JSON at line %d column %d: %s",
			     file, jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		wrong_type(&p, "top level", "an object", root);
		goto out;
	}
	if (get_string(&p, root, "ociVersion", "ociVersion", true, &c->oci_version) < 0 ||
	    parse_process(&p, root, c) < 0 || parse_root(&p, root, c) < 0 ||
	    get_string(&p, root, "hostname", "hostname", false, &c->hostname) < 0 ||
	    get_string(&p, root, "domainname", "domainname", false, &c->domainname) < 0 ||
	    parse_mounts(&p, root, c) < 0 || parse_linux(&p, root, c) < 0 ||
	    ld_hooks_check(json_object_get(root, "hooks"), file, err) < 0)
		goto out;
	c->hooks = json_incref(json_object_get(root, "hooks"));
	rc = 0;
out:
	json_decref(root);
	if (rc < 0) {
		ld_config_free(c);
		c = NULL;
	}
	*out = c;
	return rc;
}

char *ld_config_read(const char *path, size_t *len, struct ld_error *err)
{
	FILE *f = fopen(path, "re");
	char *text = NULL;
	struct stat st;
	size_t cap = 0;

	if (!f) {
		ld_error_set(err, errno, "%s", path);
		return NULL;
	}
	if (fstat(fileno(f), &st) == 0 && st.st_size > LD_CONFIG_MAX) {
		ld_error_set(err, 0, "%s: larger than %d MiB", path, LD_CONFIG_MAX >> 20);
		fclose(f);
		return NULL;
	}
	if (getdelim(&text, &cap, '\0', f) < 0) {
		free(text);
		text = ferror(f) ? NULL : strdup("");
		if (!text)
			ld_error_set(err, errno ?: EIO, "%s", path);
	}
	*len = text ? strlen(text) : 0;
	fclose(f);
	return text;
}

/* The rootfs, which the guest will open through hostfs, resolved on the
 * host: symbolic links would otherwise be followed inside the guest.  Bind
 * sources are resolved at create (binds.c). */
static int resolve_host_paths(struct ld_config *c, const char *file,
			      struct ld_error *err)
{
	struct stat st;
	char *real;

	real = realpath(c->root_path, NULL);
	if (!real || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		ld_error_set(err, real ? ENOTDIR : errno, "%s: root.path: %s", file,
			     c->root_path);
		free(real);
		return -1;
	}
	free(c->root_path);
	c->root_path = real;
	return 0;
}

int ld_config_load(const char *bundle, struct ld_config **out,
		   struct ld_error *err)
{
	cleanup_free char *dir = realpath(bundle, NULL);
	cleanup_free char *file = NULL;

	*out = NULL;
	if (!dir)
		return ld_error_set(err, errno, "bundle %s", bundle);
	if (asprintf(&file, "%s/config.json", dir) < 0)
		return ld_error_set(err, ENOMEM, "%s", dir);
	return ld_config_load_file(file, dir, out, err);
}

int ld_config_load_file(const char *file, const char *bundle,
			struct ld_config **out, struct ld_error *err)
{
	cleanup_free char *text = NULL;
	size_t len;

	*out = NULL;
	text = ld_config_read(file, &len, err);
	if (!text)
		return -1;
	if (ld_config_parse(text, len, file, bundle, out, err) < 0)
		return -1;
	if (resolve_host_paths(*out, file, err) < 0) {
		ld_config_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}


void ld_config_free(struct ld_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].type);
		free(c->mounts[i].source);
		free(c->mounts[i].options);
	}
	free(c->mounts);
	free_strings(c->args);
	free_strings(c->env);
	json_decref(c->hooks);
	free(c->bundle);
	free(c->oci_version);
	free(c->cwd);
	free(c->additional_gids);
	free(c->rlimits);
	free(c->hostname);
	free(c->domainname);
	free(c->root_path);
	free(c->net_path);
	free(c->cgroups_path);
	free(c->cpus);
	free(c->mems);
	free_strings(c->sysctl);
	free_strings(c->uid_maps);
	free_strings(c->gid_maps);
	if (c->seccomp_fd >= 0)
		close(c->seccomp_fd);
	free_strings(c->masked_paths);
	free_strings(c->readonly_paths);
	free(c);
}

int ld_config_parse_process(const char *text, size_t len, const char *file,
			    struct ld_config *c, struct ld_error *err)
{
	struct parser p = { .file = file, .bundle = c->bundle, .err = err };
	json_t *process, *wrapper;
	json_error_t jerr;
	int rc;

	process = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!process)
		return ld_error_set(err, 0, "%s: invalid JSON at line %d column %d: %s",
				    file, jerr.line, jerr.column, jerr.text);
	wrapper = json_pack("{s:o}", "process", process);
	free_strings(c->args);
	free_strings(c->env);
	free(c->cwd);
	free(c->additional_gids);
	free(c->rlimits);
	c->args = c->env = NULL;
	c->cwd = NULL;
	c->additional_gids = NULL;
	c->rlimits = NULL;
	c->n_additional_gids = c->n_rlimits = 0;
	c->uid = c->gid = 0;
	c->terminal = false;
	c->no_new_privileges = c->has_oom_score_adj = false;
	memset(c->caps, 0, sizeof(c->caps));
	rc = parse_process(&p, wrapper, c);
	json_decref(wrapper);
	return rc;
}
