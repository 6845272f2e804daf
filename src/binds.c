/* Bind sources resolved on the host without following a symbolic link that
 * a container could have planted: one inside a directory some container
 * can write, its rootfs or a bind source, its own or those of the other
 * containers of the same state root.  Symbolic links elsewhere (the host's
 * own, /var/run say) are followed as runc follows them. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binds.h"
#include "util.h"

/* Directories containers can write, by device and inode. */
struct trees {
	struct stat *v;
	size_t n;
};

static void trees_add(struct trees *t, const char *path)
{
	struct stat st, *v;

	if (stat(path, &st) < 0)
		return;
	v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return;
	t->v = v;
	t->v[t->n++] = st;
}

static void trees_add_config(struct trees *t, const struct ld_config *c)
{
	trees_add(t, c->root_path);
	for (size_t i = 0; i < c->n_mounts; i++)
		if (c->mounts[i].bind)
			trees_add(t, c->mounts[i].source);
}

/* Those of the containers in root, from the configs kept at create. */
static void trees_add_root(struct trees *t, const char *root)
{
	DIR *d = opendir(root);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		cleanup_free char *file = NULL, *text = NULL;
		struct ld_config *c = NULL;
		struct ld_error ignored = { 0 };
		size_t len;

		if (e->d_name[0] == '.' ||
		    asprintf(&file, "%s/%s/config.json", root, e->d_name) < 0)
			continue;
		text = ld_config_read(file, &len, &ignored);
		if (text && ld_config_parse(text, len, file, "/", &c, &ignored) == 0)
			trees_add_config(t, c);
		ld_config_free(c);
	}
	if (d)
		closedir(d);
}

/* Whether the resolved directory dir lies in one of the trees: it or a
 * directory above it is one, by device and inode, so that another path to
 * a tree (a bind mount of it) leads into it as well. */
static bool in_trees(const struct trees *t, const char *dir)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s", dir);
	for (;;) {
		if (stat(path, &st) == 0)
			for (size_t i = 0; i < t->n; i++)
				if (t->v[i].st_dev == st.st_dev &&
				    t->v[i].st_ino == st.st_ino)
					return true;
		if (!strcmp(path, "/"))
			return false;
		*(strrchr(path, '/') == path ? path + 1 : strrchr(path, '/')) = '\0';
	}
}

/* Resolve path as realpath(3) does, into out, but fail with EPERM on a
 * symbolic link inside the trees, naming it in link. */
static int resolve(const char *path, const struct trees *t, char *out,
		   char *link)
{
	char todo[PATH_MAX], target[PATH_MAX], rest[PATH_MAX];
	int links = 0;

	strcpy(out, "/");
	if (snprintf(todo, sizeof(todo), "%s", path) >= (int)sizeof(todo))
		return -ENAMETOOLONG;
	for (char *p = todo; *p;) {
		char *name = p, *end = strchrnul(p, '/');
		size_t len = strlen(out);
		struct stat st;
		ssize_t n;

		p = *end ? end + 1 : end;
		*end = '\0';
		if (!*name || !strcmp(name, "."))
			continue;
		if (!strcmp(name, "..")) {
			*(strrchr(out, '/') + (len > 1 ? 0 : 1)) = '\0';
			if (!*out)
				strcpy(out, "/");
			continue;
		}
		if (snprintf(out + len, PATH_MAX - len, "%s%s",
			     len > 1 ? "/" : "", name) >= (int)(PATH_MAX - len))
			return -ENAMETOOLONG;
		if (lstat(out, &st) < 0)
			return -errno;
		if (!S_ISLNK(st.st_mode))
			continue;
		strcpy(link, out);
		out[len > 1 ? len : 1] = '\0';
		if (in_trees(t, out))
			return -EPERM;
		n = readlink(link, target, sizeof(target) - 1);
		if (n < 0 || ++links > 40)
			return n < 0 ? -errno : -ELOOP;
		target[n] = '\0';
		if (target[0] == '/')
			strcpy(out, "/");
		snprintf(rest, sizeof(rest), "%s", p);
		if (snprintf(todo, sizeof(todo), "%s/%s", target, rest) >=
		    (int)sizeof(todo))
			return -ENAMETOOLONG;
		p = todo;
	}
	return 0;
}

int ld_binds_resolve(struct ld_config *c, const char *root,
		     struct ld_error *err)
{
	struct trees t = { 0 };
	char out[PATH_MAX], link[PATH_MAX];
	int rc = 0;

	trees_add_config(&t, c);
	trees_add_root(&t, root);
	for (size_t i = 0; i < c->n_mounts && rc == 0; i++) {
		struct ld_mount *m = &c->mounts[i];
		char *real;
		int e;

		if (!m->bind)
			continue;
		e = resolve(m->source, &t, out, link);
		if (e == -EPERM)
			rc = ld_error_set(err, 0, "%s/config.json: mounts[%zu].source: "
					  "%s: the symbolic link %s lies in a directory "
					  "a container can write, and is not followed",
					  c->bundle, i, m->source, link);
		else if (e < 0 || !(real = strdup(out)))
			rc = ld_error_set(err, e < 0 ? -e : ENOMEM,
					  "%s/config.json: mounts[%zu].source: %s",
					  c->bundle, i, m->source);
		else {
			free(m->source);
			m->source = real;
		}
	}
	free(t.v);
	return rc;
}
