#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <stdio.h>
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

int ld_state_save(const char *dir, const struct ld_state *st,
		  struct ld_error *err)
{
	cleanup_free char *tmp = NULL, *path = NULL;
	json_t *j;
	int rc;

	j = json_pack("{s:s, s:s, s:s, s:i, s:s, s:{}}", "ociVersion", "1.2.0",
		      "id", st->id, "status", st->status, "pid", (int)st->pid,
		      "bundle", st->bundle, "annotations");
	if (!j || asprintf(&tmp, "%s/.state.json.tmp", dir) < 0 ||
	    asprintf(&path, "%s/state.json", dir) < 0) {
		json_decref(j);
		return ld_error_set(err, ENOMEM, "state of %s", st->id);
	}
	rc = json_dump_file(j, tmp, JSON_COMPACT);
	json_decref(j);
	if (rc < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return ld_error_set(err, errno, "%s", path);
	}
	return 0;
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
