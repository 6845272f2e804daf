#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/fsutil.h"
#include "state.h"
#include "util.h"

int ld_state_check_id(const char *id, struct ld_error *err)
{
	const char *p;

	if (!*id || !strcmp(id, ".") || !strcmp(id, ".."))
		return ld_error_set(err, 0, "invalid container id \"%s\"", id);
	for (p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_+-.", *p))
			return ld_error_set(err, 0, "invalid container id \"%s\": "
					    "only letters, digits, '_', '+', '-' and '.' are allowed", id);
	if (p - id > 1024)
		return ld_error_set(err, 0, "invalid container id: longer than 1024 characters");
	return 0;
}

int ld_state_claim(const char *root, const char *id, char **dir,
		   struct ld_error *err)
{
	if (mkdir_p(root, 0700) < 0)
		return ld_error_set(err, errno, "state directory %s", root);
	if (asprintf(dir, "%s/%s", root, id) < 0)
		return ld_error_set(err, ENOMEM, "state directory");
	if (mkdir(*dir, 0700) == 0)
		return 0;
	if (errno == EEXIST)
		ld_error_set(err, 0, "container with id exists: %s", id);
	else
		ld_error_set(err, errno, "state directory %s", *dir);
	free(*dir);
	*dir = NULL;
	return -1;
}

int ld_timeout(void)
{
	const char *s = getenv("LINUXD_TIMEOUT");
	int t = s ? atoi(s) : 0;

	return t > 0 ? t : LD_TIMEOUT;
}

int ld_state_lock(const char *dir, struct ld_error *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	long tries = ld_timeout() * 3 * 100L;

	if (fd < 0)
		return ld_error_set(err, errno, "state directory %s", dir);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK || --tries <= 0) {
			ld_error_set(err, errno == EWOULDBLOCK ? 0 : errno,
				     "lock %s: %s", dir, errno == EWOULDBLOCK ?
				     "another linuxd command holds it" : "cannot take it");
			close(fd);
			return -1;
		}
		usleep(10000);
	}
	return fd;
}

int ld_state_save(const char *dir, const struct ld_state *st,
		  struct ld_error *err)
{
	cleanup_free char *tmp = NULL, *path = NULL;
	json_t *j;
	int rc;

	j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:{}, s:s, s:I}",
		      "ociVersion", "1.2.0", "id", st->id, "status", st->status,
		      "pid", (int)st->pid, "bundle", st->bundle, "annotations",
		      "created", st->created, "linuxd.pidStartTime",
		      (json_int_t)st->start_time);
	if (!j || asprintf(&tmp, "%s/.state.json.tmp", dir) < 0 ||
	    asprintf(&path, "%s/state.json", dir) < 0) {
		json_decref(j);
		return ld_error_set(err, ENOMEM, "state of %s", st->id);
	}
	rc = json_dump_file(j, tmp, JSON_COMPACT);
	json_decref(j);
	if (rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return ld_error_set(err, errno ?: EIO, "%s", path);
	}
	return 0;
}

int ld_state_load(const char *dir, struct ld_state *st, struct ld_error *err)
{
	cleanup_free char *path = NULL;
	const char *id = "", *bundle = "", *status = "", *created = "";
	json_int_t pid = 0, start = 0;
	json_error_t jerr;
	json_t *j;

	if (asprintf(&path, "%s/state.json", dir) < 0)
		return ld_error_set(err, ENOMEM, "state");
	j = json_load_file(path, 0, &jerr);
	if (!j)
		return ld_error_set(err, 0, "%s: %s", path, jerr.text);
	if (json_unpack_ex(j, &jerr, 0, "{s:s, s:s, s:s, s:I, s:s, s:I}",
			   "id", &id, "bundle", &bundle, "status", &status,
			   "pid", &pid, "created", &created,
			   "linuxd.pidStartTime", &start) < 0) {
		json_decref(j);
		return ld_error_set(err, 0, "%s: %s", path, jerr.text);
	}
	snprintf(st->id, sizeof(st->id), "%s", id);
	snprintf(st->bundle, sizeof(st->bundle), "%s", bundle);
	snprintf(st->status, sizeof(st->status), "%s", status);
	snprintf(st->created, sizeof(st->created), "%s", created);
	snprintf(st->dir, sizeof(st->dir), "%s", dir);
	st->pid = pid;
	st->start_time = start;
	json_decref(j);
	return 0;
}

unsigned long long ld_proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	/* after "pid (comm)": state is field 3, starttime field 22 */
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	for (i = 3, p += 2; i < 22 && p; i++)
		p = strchr(p + 1, ' ');
	if (p)
		start = strtoull(p + 1, NULL, 10);
	return start;
}

const char *ld_state_status(const struct ld_state *st)
{
	if (st->pid <= 0 || ld_proc_start_time(st->pid) != st->start_time)
		return strcmp(st->status, "creating") ? "stopped" : "creating";
	return st->status;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void ld_state_remove(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* The annotations of the config saved at create, or none yet. */
static json_t *saved_annotations(const struct ld_state *st)
{
	char path[PATH_MAX + 16];
	json_t *config, *a;

	snprintf(path, sizeof(path), "%s/config.json", st->dir);
	config = st->dir[0] ? json_load_file(path, 0, NULL) : NULL;
	a = json_object_get(config, "annotations");
	a = json_is_object(a) ? json_incref(a) : json_object();
	json_decref(config);
	return a;
}

int ld_state_print(FILE *f, const struct ld_state *st)
{
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:o}",
			      "ociVersion", "1.2.0", "id", st->id,
			      "pid", (int)st->pid, "status", st->status,
			      "bundle", st->bundle, "created", st->created,
			      "annotations", saved_annotations(st));
	int rc;

	if (!j)
		return -1;
	rc = json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', f);
	json_decref(j);
	return rc;
}

int ld_pid_file_write(const char *path, pid_t pid, struct ld_error *err)
{
	char tmp[PATH_MAX];
	FILE *f;

	if (!path)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f || fprintf(f, "%d", pid) < 0 || fclose(f) == EOF ||
	    rename(tmp, path) < 0) {
		ld_error_set(err, errno, "--pid-file %s", path);
		unlink(tmp);
		return -1;
	}
	return 0;
}
