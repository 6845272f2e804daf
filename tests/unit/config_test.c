/* Unit tests of the config.json parser: good input parses into the right
 * values, bad input fails naming the file and field.  TAP output. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "../../src/binds.h"
#include "../../src/config.h"

static int n_test, n_failed;

static void check(int ok, const char *name)
{
	printf("%sok %d - config: %s\n", ok ? "" : "not ", ++n_test, name);
	n_failed += !ok;
}

static struct ld_config *parse(const char *json, struct ld_error *err)
{
	struct ld_config *c = NULL;

	ld_config_parse(json, strlen(json), "b/config.json", "/bundle", &c, err);
	return c;
}

/* json fails with a message containing want. */
static void check_error(const char *json, const char *want)
{
	struct ld_error err = { 0 };
	struct ld_config *c = parse(json, &err);
	char name[512];

	snprintf(name, sizeof(name), "rejects with \"%s\"", want);
	check(!c && strstr(err.msg, want) && !strchr(err.msg, '\n'), name);
	if (c || !strstr(err.msg, want))
		printf("# got: %s\n", c ? "(parsed)" : err.msg);
	ld_config_free(c);
}

#define BASE "\"ociVersion\": \"1.2.0\", \"root\": {\"path\": \"rootfs\"}"
#define PROC "\"process\": {\"args\": [\"sh\"]}"

static void test_full_config(void)
{
	struct ld_error err = { 0 };
	struct ld_config *c = parse("{" BASE ", \"hostname\": \"h\","
		"\"process\": {\"args\": [\"a\", \"b\"], \"env\": [\"X=1\"], \"cwd\": \"/w\","
		" \"user\": {\"uid\": 7, \"gid\": 8, \"additionalGids\": [9, 10]},"
		" \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 5, \"hard\": 6}]},"
		"\"mounts\": [{\"destination\": \"/d\", \"type\": \"bind\", \"source\": \"src\","
		" \"options\": [\"rbind\", \"ro\"]}, {\"destination\": \"/proc\", \"type\": \"proc\"}],"
		"\"linux\": {\"resources\": {\"memory\": {\"limit\": 1048576}}}}", &err);

	check(c != NULL, "parses a full config");
	if (!c) {
		printf("# got: %s\n", err.msg);
		return;
	}
	check(!strcmp(c->args[0], "a") && !strcmp(c->args[1], "b") && !c->args[2],
	      "process.args");
	check(!strcmp(c->env[0], "X=1") && !c->env[1], "process.env");
	check(!strcmp(c->cwd, "/w"), "process.cwd");
	check(c->uid == 7 && c->gid == 8 && c->n_additional_gids == 2 &&
	      c->additional_gids[1] == 10, "process.user");
	check(c->n_rlimits == 1 && c->rlimits[0].resource == RLIMIT_NOFILE &&
	      c->rlimits[0].soft == 5 && c->rlimits[0].hard == 6, "process.rlimits");
	check(!strcmp(c->root_path, "/bundle/rootfs") && !c->root_readonly,
	      "root.path is made absolute against the bundle");
	check(c->n_mounts == 2 && c->mounts[0].bind &&
	      !strcmp(c->mounts[0].source, "/bundle/src") &&
	      !strcmp(c->mounts[0].options, "rbind,ro") && !c->mounts[1].bind,
	      "mounts, bind sources made absolute");
	check(c->memory_limit == 1048576, "linux.resources.memory.limit");
	check(!strcmp(c->hostname, "h"), "hostname");
	ld_config_free(c);
}

static void test_defaults(void)
{
	struct ld_error err = { 0 };
	struct ld_config *c = parse("{" BASE ", " PROC "}", &err);

	check(c && !strcmp(c->cwd, "/") && c->env && !c->env[0] && c->uid == 0 &&
	      c->memory_limit == -1 && !c->terminal, "defaults for optional fields");
	ld_config_free(c);
	/* runc takes a missing uid or gid for 0 */
	c = parse("{" BASE ", \"process\": {\"args\": [\"a\"], \"user\": {\"uid\": 5}}}", &err);
	check(c && c->uid == 5 && c->gid == 0, "a missing process.user.gid is 0");
	ld_config_free(c);
	c = parse("{" BASE ", \"process\": {\"args\": [\"a\"], \"user\": {\"gid\": 5}}}", &err);
	check(c && c->uid == 0 && c->gid == 5, "a missing process.user.uid is 0");
	ld_config_free(c);
}

/* exec --process over a config: the process is replaced, not appended to */
static void test_process_replaced(void)
{
	struct ld_error err = { 0 };
	struct ld_config *c = parse("{" BASE ", \"process\": {\"args\": [\"a\"],"
		" \"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1, \"hard\": 1},"
		" {\"type\": \"RLIMIT_NPROC\", \"soft\": 1, \"hard\": 1}]}}", &err);
	const char *process = "{\"args\": [\"b\", \"c\"], \"rlimits\": ["
		"{\"type\": \"RLIMIT_CORE\", \"soft\": 2, \"hard\": 2},"
		"{\"type\": \"RLIMIT_NOFILE\", \"soft\": 3, \"hard\": 3}]}";
	int rc = c ? ld_config_parse_process(process, strlen(process), "p.json", c, &err) : -1;

	check(rc == 0 && !strcmp(c->args[0], "b") && !c->args[2] &&
	      c->n_rlimits == 2 && c->rlimits[1].soft == 3 && !strcmp(c->cwd, "/"),
	      "exec --process replaces the process");
	ld_config_free(c);
}

/*
 * Bind sources resolve as realpath(3) does, relative links and ".."
 * included, except through a link inside a directory a container can
 * write: here the bundle's rootfs and the bind source "shared".
 */
static void test_binds(void)
{
	static const char *const sources[] = {
		"host/link/file", "host/../host/rel/../link/file", "shared",
		"shared/link/file", "host/loop", "host/none",
	};
	static const char *const want[] = {
		"real/file", "real/file", "shared", NULL, NULL, NULL,
	};
	char dir[] = "/tmp/binds-test-XXXXXX", cmd[512], json[2048];
	struct ld_error err = { 0 };
	struct ld_config *c;
	size_t n = 0;

	if (!mkdtemp(dir))
		return check(0, "binds: temporary directory");
	snprintf(cmd, sizeof(cmd), "cd %s && mkdir -p rootfs real host/rel shared && "
		 "touch real/file && ln -s ../real host/link && "
		 "ln -s ../real shared/link && ln -s loop host/loop", dir);
	check(system(cmd) == 0, "binds: tree made");
	for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++) {
		char real[1024];
		bool ok;

		snprintf(json, sizeof(json), "{" BASE ", " PROC ", \"mounts\": ["
			 "{\"destination\": \"/s\", \"type\": \"bind\", \"source\": \"%s/shared\"},"
			 "{\"destination\": \"/x\", \"type\": \"bind\", \"source\": \"%s/%s\"}]}",
			 dir, dir, sources[i]);
		c = NULL;
		ld_config_parse(json, strlen(json), "b/config.json", dir, &c, &err);
		err.msg[0] = '\0';
		ok = c && (ld_binds_resolve(c, "/nonexistent", &err) == 0) == !!want[i];
		if (ok && want[i]) {
			snprintf(real, sizeof(real), "%s/%s", dir, want[i]);
			ok = !strcmp(c->mounts[c->n_mounts - 1].source, real);
		}
		if (ok && !want[i])
			ok = strstr(err.msg, sources[i]) && !strchr(err.msg, '\n');
		snprintf(cmd, sizeof(cmd), "binds: %s %s", sources[i],
			 want[i] ? "resolves" : "is refused");
		check(ok, cmd);
		if (!ok)
			printf("# got: %s\n", c && want[i] ? c->mounts[c->n_mounts - 1].source : err.msg);
		ld_config_free(c);
		n++;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	check(system(cmd) == 0 && n == 6, "binds: cleaned up");
}

int main(void)
{
	test_binds();
	test_process_replaced();
	test_full_config();
	test_defaults();
	check_error("{" BASE ", " PROC, "b/config.json: invalid JSON at line 1");
	check_error("[]", "b/config.json: top level: expected an object, got an array");
	check_error("{\"root\": {\"path\": \"r\"}, " PROC "}", "b/config.json: ociVersion: missing");
	check_error("{\"ociVersion\": \"1\", " PROC "}", "root: missing");
	check_error("{" BASE "}", "process: missing");
	check_error("{" BASE ", \"process\": {}}", "process.args: missing");
	check_error("{" BASE ", \"process\": {\"args\": []}}", "process.args: must not be empty");
	check_error("{" BASE ", \"process\": {\"args\": [1]}}",
		    "process.args[0]: expected a string, got an integer");
	check_error("{" BASE ", \"process\": {\"args\": [\"a\"], \"cwd\": \"rel\"}}",
		    "process.cwd: \"rel\" is not an absolute path");
	check_error("{" BASE ", \"process\": {\"args\": [\"a\"], \"user\": {\"uid\": -1, \"gid\": 0}}}",
		    "process.user.uid: -1 is out of range");
	check_error("{" BASE ", \"process\": {\"args\": [\"a\"], \"terminal\": \"no\"}}",
		    "process.terminal: expected a boolean, got a string");
	check_error("{" BASE ", \"process\": {\"args\": [\"a\"], \"rlimits\": "
		    "[{\"type\": \"RLIMIT_NOFILE\", \"soft\": 9, \"hard\": 1}]}}",
		    "process.rlimits[0]: soft limit above hard limit");
	check_error("{\"ociVersion\": \"1\", \"root\": {\"path\": 5}, " PROC "}",
		    "root.path: expected a string, got an integer");
	check_error("{" BASE ", " PROC ", \"mounts\": {}}", "mounts: expected an array, got an object");
	check_error("{" BASE ", " PROC ", \"mounts\": [{\"destination\": \"rel\"}]}",
		    "mounts[0].destination: \"rel\" is not an absolute path");
	check_error("{" BASE ", " PROC ", \"mounts\": [{\"destination\": \"/x\", \"type\": \"bind\"}]}",
		    "mounts[0].source: missing for a bind mount");
	check_error("{" BASE ", " PROC ", \"linux\": {\"resources\": {\"memory\": {\"limit\": \"1G\"}}}}",
		    "linux.resources.memory.limit: expected an integer, got a string");
	check_error("{" BASE ", " PROC ", \"hostname\": \"a\", \"hostname\": \"b\"}",
		    "duplicate object key");
	printf("1..%d\n", n_test);
	return n_failed != 0;
}
