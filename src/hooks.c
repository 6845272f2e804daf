#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "util.h"

static const char *const kinds[] = { "prestart", "createRuntime",
				     "createContainer", "startContainer",
				     "poststart", "poststop" };

static int check_strings(json_t *v, const char *file, const char *field,
			 struct ld_error *err)
{
	size_t i;
	json_t *s;

	if (!v)
		return 0;
	if (!json_is_array(v))
		return ld_error_set(err, 0, "%s: %s: expected an array of strings", file, field);
	json_array_foreach(v, i, s)
		if (!json_is_string(s))
			return ld_error_set(err, 0, "%s: %s[%zu]: expected a string", file, field, i);
	return 0;
}

static int check_hook(json_t *h, const char *file, const char *field,
		      struct ld_error *err)
{
	json_t *path = json_object_get(h, "path"), *timeout;
	char sub[128];

	if (!json_is_object(h))
		return ld_error_set(err, 0, "%s: %s: expected an object", file, field);
	if (!json_is_string(path) || json_string_value(path)[0] != '/')
		return ld_error_set(err, 0, "%s: %s.path: expected an absolute path", file, field);
	snprintf(sub, sizeof(sub), "%s.args", field);
	if (check_strings(json_object_get(h, "args"), file, sub, err) < 0)
		return -1;
	snprintf(sub, sizeof(sub), "%s.env", field);
	if (check_strings(json_object_get(h, "env"), file, sub, err) < 0)
		return -1;
	timeout = json_object_get(h, "timeout");
	if (timeout && (!json_is_integer(timeout) || json_integer_value(timeout) <= 0))
		return ld_error_set(err, 0, "%s: %s.timeout: expected a positive integer", file, field);
	return 0;
}

int ld_hooks_check(json_t *hooks, const char *file, struct ld_error *err)
{
	char field[64];
	json_t *list, *h;
	size_t i, k;

	if (!hooks)
		return 0;
	if (!json_is_object(hooks))
		return ld_error_set(err, 0, "%s: hooks: expected an object", file);
	for (k = 0; k < LD_ARRAY_SIZE(kinds); k++) {
		list = json_object_get(hooks, kinds[k]);
		if (!list)
			continue;
		if (!json_is_array(list))
			return ld_error_set(err, 0, "%s: hooks.%s: expected an array", file, kinds[k]);
		json_array_foreach(list, i, h) {
			snprintf(field, sizeof(field), "hooks.%s[%zu]", kinds[k], i);
			if (check_hook(h, file, field, err) < 0)
				return -1;
		}
	}
	return 0;
}

/* A NULL-terminated copy of an array of strings (empty when absent). */
static char **strings_of(json_t *v)
{
	char **out = calloc(json_array_size(v) + 1, sizeof(char *));
	size_t i;
	json_t *s;

	json_array_foreach(v, i, s)
		out[i] = (char *)json_string_value(s);
	return out;
}

/* Wait for pid, at most timeout seconds when timeout > 0. */
static int wait_hook(pid_t pid, json_int_t timeout, int *status)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	json_int_t ticks = timeout * 100;
	pid_t got;

	while ((got = waitpid(pid, status, timeout > 0 ? WNOHANG : 0)) == 0 ||
	       (got < 0 && errno == EINTR)) {
		if (got == 0 && ticks-- <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -1;
		}
		if (got == 0)
			nanosleep(&tick, NULL);
	}
	return 0;
}

/* Hook i of kind; a failure said as runc says it ("error running prestart
 * hook #0"), with the field and the program. */
static int run_hook(json_t *h, const char *kind, size_t i, const char *state,
		    struct ld_error *err)
{
	const char *path = json_string_value(json_object_get(h, "path"));
	char what[PATH_MAX + 128];
	char **args = strings_of(json_object_get(h, "args"));
	char **env = strings_of(json_object_get(h, "env"));
	char *default_args[] = { (char *)path, NULL };
	int in[2], status = 0, timed_out;
	pid_t pid;

	snprintf(what, sizeof(what), "error running %s hook #%zu (hooks.%s[%zu], %s)",
		 kind, i, kind, i, path);
	if (pipe2(in, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		free(args);
		free(env);
		return ld_error_set(err, errno, "%s", what);
	}
	if (pid == 0) {
		dup2(in[0], 0);
		execve(path, args[0] ? args : default_args, env);
		_exit(127);
	}
	close(in[0]);
	/* the hook may not read its stdin; that is no failure */
	signal(SIGPIPE, SIG_IGN);
	if (write(in[1], state, strlen(state)) < 0 && errno != EPIPE)
		status = -1;
	close(in[1]);
	timed_out = wait_hook(pid, json_integer_value(json_object_get(h, "timeout")),
			      &status) < 0;
	free(args);
	free(env);
	if (timed_out)
		return ld_error_set(err, 0, "%s: timed out after %lld s", what,
				    (long long)json_integer_value(json_object_get(h, "timeout")));
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return ld_error_set(err, 0, "%s: exit status %d", what,
				    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

int ld_hooks_run(json_t *hooks, const char *kind, const struct ld_state *st,
		 struct ld_error *err)
{
	json_t *list = json_object_get(hooks, kind), *h;
	cleanup_free char *state = NULL;
	size_t i, len;
	FILE *f;

	if (!json_array_size(list))
		return 0;
	f = open_memstream(&state, &len);
	if (!f || ld_state_print(f, st) < 0 || fclose(f) == EOF)
		return ld_error_set(err, ENOMEM, "hooks.%s: state", kind);
	json_array_foreach(list, i, h)
		if (run_hook(h, kind, i, state, err) < 0)
			return -1;
	return 0;
}
