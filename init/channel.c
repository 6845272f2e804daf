#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "init.h"
#include "../common/protocol.h"

static void *grow(void *v, size_t *n, size_t size)
{
	char *p = realloc(v, (*n + 2) * size);

	if (!p)
		abort();
	memset(p + (*n + 1) * size, 0, size);
	(*n)++;
	return p;
}

static void push_string(char ***v, size_t *n, const char *s)
{
	*v = grow(*v, n, sizeof(char *));
	(*v)[*n - 1] = strdup(s);
}

static void append_line(char **text, const char *line)
{
	size_t len = *text ? strlen(*text) : 0;

	*text = realloc(*text, len + strlen(line) + 2);
	if (!*text)
		abort();
	sprintf(*text + len, "%s\n", line);
}

static void settings_mount_field(struct init_settings *s, const char *key,
				 const char *value)
{
	struct init_mount *m;

	if (!s->n_mounts)
		return;
	m = &s->mounts[s->n_mounts - 1];
	if (!strcmp(key, LD_KEY_MOUNT_TYPE))
		m->type = strdup(value);
	else if (!strcmp(key, LD_KEY_MOUNT_SOURCE))
		m->source = strdup(value);
	else if (!strcmp(key, LD_KEY_MOUNT_OPTIONS))
		m->options = strdup(value);
}

void settings_add(struct init_settings *s, const char *key, const char *value)
{
	struct init_rlimit *r;

	if (!strcmp(key, LD_KEY_ARG))
		push_string(&s->args, &s->n_args, value);
	else if (!strcmp(key, LD_KEY_ENV))
		push_string(&s->env, &s->n_env, value);
	else if (!strcmp(key, LD_KEY_SYSCTL))
		push_string(&s->sysctl, &s->n_sysctl, value);
	else if (!strcmp(key, LD_KEY_MASKED))
		push_string(&s->masked, &s->n_masked, value);
	else if (!strcmp(key, LD_KEY_READONLY))
		push_string(&s->readonly, &s->n_readonly, value);
	else if (!strcmp(key, LD_KEY_CWD))
		s->cwd = strdup(value);
	else if (!strcmp(key, LD_KEY_SUBCGROUP))
		s->subcgroup = strdup(value);
	else if (!strcmp(key, LD_KEY_UID))
		s->uid = strtoul(value, NULL, 10);
	else if (!strcmp(key, LD_KEY_GID))
		s->gid = strtoul(value, NULL, 10);
	else if (!strcmp(key, LD_KEY_GROUP)) {
		s->groups = grow(s->groups, &s->n_groups, sizeof(gid_t));
		s->groups[s->n_groups - 1] = strtoul(value, NULL, 10);
	} else if (!strcmp(key, LD_KEY_RLIMIT)) {
		s->rlimits = grow(s->rlimits, &s->n_rlimits, sizeof(*r));
		r = &s->rlimits[s->n_rlimits - 1];
		sscanf(value, "%d %lu %lu", &r->resource, &r->limit.rlim_cur,
		       &r->limit.rlim_max);
	} else if (!strcmp(key, LD_KEY_CAPS))
		sscanf(value, "%llx %llx %llx %llx %llx", &s->caps[0], &s->caps[1],
		       &s->caps[2], &s->caps[3], &s->caps[4]);
	else if (!strcmp(key, LD_KEY_UID_MAP))
		append_line(&s->uid_map, value);
	else if (!strcmp(key, LD_KEY_GID_MAP))
		append_line(&s->gid_map, value);
	else if (!strcmp(key, LD_KEY_OOM_SCORE_ADJ))
		s->oom_score_adj = strdup(value);
	else if (!strcmp(key, LD_KEY_NO_NEW_PRIVS))
		s->no_new_privs = true;
	else if (!strcmp(key, LD_KEY_UMASK)) {
		s->has_umask = true;
		s->umask = strtoul(value, NULL, 8);
	} else if (!strcmp(key, LD_KEY_HOSTNAME))
		s->hostname = strdup(value);
	else if (!strcmp(key, LD_KEY_DOMAINNAME))
		s->domainname = strdup(value);
	else if (!strcmp(key, LD_KEY_ROOT))
		s->root = strdup(value);
	else if (!strcmp(key, LD_KEY_ROOT_RO))
		s->root_readonly = true;
	else if (!strcmp(key, LD_KEY_TERMINAL))
		s->terminal = true;
	else if (!strcmp(key, LD_KEY_WINSIZE))
		sscanf(value, "%hu %hu", &s->rows, &s->cols);
	else if (!strncmp(key, "net.", 4)) {
		char rec[LD_RECORD_MAX + 1];

		snprintf(rec, sizeof(rec), "%s=%s", key, value);
		push_string(&s->net, &s->n_net, rec);
	} else if (!strcmp(key, LD_KEY_MOUNT)) {
		s->mounts = grow(s->mounts, &s->n_mounts, sizeof(*s->mounts));
		s->mounts[s->n_mounts - 1].destination = strdup(value);
	} else
		settings_mount_field(s, key, value);
}

void settings_add_fds(struct init_settings *s, const int *fds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		s->fds = grow(s->fds, &s->n_fds, sizeof(int));
		s->fds[s->n_fds - 1] = fcntl(fds[i], F_DUPFD_CLOEXEC, 3);
	}
}

void settings_add_seccomp(struct init_settings *s, const char *flags, int fd)
{
	size_t size = 0;
	ssize_t n = 1;

	free(s->seccomp);
	s->seccomp = NULL;
	while (n > 0) {
		s->seccomp = realloc(s->seccomp, size + 4096);
		if (!s->seccomp)
			abort();
		n = read(fd, (char *)s->seccomp + size, 4096);
		size += n > 0 ? n : 0;
	}
	/* a filter not read whole is none, which installing refuses */
	s->n_seccomp = n < 0 ? 0 : size / sizeof(struct sock_filter);
	s->seccomp_flags = strtoul(flags, NULL, 10);
}

void reply(int conn, const char *key, const char *fmt, ...)
{
	char rec[LD_RECORD_MAX];
	int len = snprintf(rec, sizeof(rec), "%s", key);
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		len += snprintf(rec + len, sizeof(rec) - len, "=");
		len += vsnprintf(rec + len, sizeof(rec) - len, fmt, ap);
		va_end(ap);
	}
	if (len >= (int)sizeof(rec))
		len = sizeof(rec) - 1;
	if (write(conn, rec, len) < 0)
		init_log("reply on the control channel: %s", strerror(errno));
}

/* Init's own messages go to the kernel log, never to the container's
 * stdio. */
void init_log(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int fd, len;

	len = snprintf(msg, sizeof(msg), "linuxd-init: ");
	va_start(ap, fmt);
	len += vsnprintf(msg + len, sizeof(msg) - len, fmt, ap);
	va_end(ap);
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0 && write(fd, msg, len < (int)sizeof(msg) ? len : (int)sizeof(msg) - 1) < 0)
		len = 0;
	if (fd >= 0)
		close(fd);
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void settings_free(struct init_settings *s)
{
	size_t i;

	free_strings(s->args, s->n_args);
	free_strings(s->env, s->n_env);
	free_strings(s->net, s->n_net);
	free_strings(s->sysctl, s->n_sysctl);
	free_strings(s->masked, s->n_masked);
	free_strings(s->readonly, s->n_readonly);
	for (i = 0; i < s->n_mounts; i++) {
		free(s->mounts[i].destination);
		free(s->mounts[i].type);
		free(s->mounts[i].source);
		free(s->mounts[i].options);
	}
	for (i = 0; i < s->n_fds; i++)
		close(s->fds[i]);
	free(s->fds);
	free(s->mounts);
	free(s->seccomp);
	free(s->oom_score_adj);
	free(s->subcgroup);
	free(s->uid_map);
	free(s->gid_map);
	free(s->groups);
	free(s->rlimits);
	free(s->cwd);
	free(s->hostname);
	free(s->domainname);
	free(s->root);
	*s = (struct init_settings){ 0 };
}
