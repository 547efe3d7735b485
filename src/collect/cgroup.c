// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cgroup id -> path map; see cgroup.h for the behaviour copied from ss.
 *
 * A cgroup2 id is the 64-bit kernfs node id, which is also what
 * name_to_handle_at() returns as the 8-byte handle of a cgroup
 * directory (handle type FILEID_INO32_GEN), so walking the tree and
 * asking each directory for its handle gives the whole map. Hosts have
 * hundreds of cgroups, not millions: the walk is bounded, the table is a
 * small open-addressing hash, and each path is its own allocation so the
 * returned pointers stay valid while the table grows.
 */
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CG_MAX_ENTRIES (1u << 20)
#define CG_MAX_DEPTH 64           /* deeper than cgroup.max.depth allows */
#define CG_MOUNTS_MAX (16u << 20) /* a mounts file larger than this is absurd */
#define CG_FILEID_INO32_GEN 1

struct cg_ent {
	uint64_t id;
	char *path;             /* NULL: empty slot */
};

struct cgroup_map {
	char *proc_root;
	bool loaded;
	bool no_sys;            /* cgroup_map_without_sys() */
	char *mnt;              /* the cgroup2 mount point, NULL if none */
	int mnt_fd;
	int mnt_id;
	struct cg_ent *tab;
	size_t cap, n;          /* cap is a power of two */
	char fallback[40];      /* when even an allocation failed */
};

int cgroup_map_new(struct cgroup_map **out, const char *proc_root,
		   struct strbuf *err)
{
	struct cgroup_map *m;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->proc_root = strdup(proc_root))) {
		free(m);
		return error_set(err, "out of memory for the cgroup map");
	}
	m->mnt_fd = -1;
	*out = m;
	return 0;
}

static size_t cg_slot(const struct cgroup_map *m, uint64_t id)
{
	size_t i = (size_t)((id * 0x9e3779b97f4a7c15ull) >> 32) & (m->cap - 1);

	while (m->tab[i].path && m->tab[i].id != id)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Takes ownership of path. Returns the stored string, NULL on failure. */
static const char *cg_put(struct cgroup_map *m, uint64_t id, char *path)
{
	size_t i;

	if (!path)
		return NULL;
	if ((m->n + 1) * 2 > m->cap) {
		struct cg_ent *old = m->tab;
		size_t oldcap = m->cap, j;

		if (m->n >= CG_MAX_ENTRIES)
			goto fail;
		m->cap = oldcap ? oldcap * 2 : 256;
		m->tab = calloc(m->cap, sizeof(*m->tab));
		if (!m->tab) {
			m->tab = old;
			m->cap = oldcap;
			goto fail;
		}
		for (j = 0; j < oldcap; j++)
			if (old[j].path)
				m->tab[cg_slot(m, old[j].id)] = old[j];
		free(old);
	}
	i = cg_slot(m, id);
	if (m->tab[i].path) {
		/* ss's chain keeps the last one added; so do we. */
		free(m->tab[i].path);
	} else {
		m->n++;
	}
	m->tab[i].id = id;
	m->tab[i].path = path;
	return path;
fail:
	free(path);
	return NULL;
}

/* The kernel writes space, tab, newline and backslash as \ooo. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) |
				      (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* Whether dir is /sys or below it. */
static bool under_sys(const char *dir)
{
	return !strncmp(dir, "/sys", 4) && (dir[4] == '\0' || dir[4] == '/');
}

/*
 * The mount point of the first cgroup2 line of PROC_ROOT/mounts, or NULL;
 * with no_sys, lines at or under /sys do not count.
 */
static char *find_cgroup2(const char *proc_root, bool no_sys)
{
	char path[PATH_MAX], *line = NULL, *mnt = NULL;
	size_t cap = 0, total = 0;
	ssize_t len;
	FILE *fp;

	if ((size_t)snprintf(path, sizeof(path), "%s/mounts", proc_root) >=
	    sizeof(path))
		return NULL;
	fp = fopen(path, "re");
	if (!fp)
		return NULL;
	while ((len = getline(&line, &cap, fp)) > 0) {
		char *save = NULL, *dir, *type;

		total += (size_t)len;
		if (total > CG_MOUNTS_MAX)
			break;
		if (!strtok_r(line, " \n", &save))
			continue;
		dir = strtok_r(NULL, " \n", &save);
		type = strtok_r(NULL, " \n", &save);
		if (!dir || !type || strcmp(type, "cgroup2") != 0)
			continue;
		unescape_octal(dir);
		if (no_sys && under_sys(dir))
			continue;
		mnt = strdup(dir);
		break;
	}
	free(line);
	fclose(fp);
	return mnt;
}

/* The cgroup id of dirfd/name ("" with AT_EMPTY_PATH: dirfd itself). */
static bool handle_id(int dirfd, const char *name, uint64_t *id, int *mnt_id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	int flags = *name ? 0 : AT_EMPTY_PATH;

	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(uint64_t);
	if (name_to_handle_at(dirfd, name, &h.fh, mnt_id, flags) < 0)
		return false;
	if (h.fh.handle_bytes != sizeof(uint64_t))
		return false;
	memcpy(id, h.fh.f_handle, sizeof(*id));
	return true;
}

/*
 * Record every directory below dirfd whose path (relative to the mount)
 * is rel. Like nftw(FTW_MOUNT): other mounts are not entered. Errors in
 * a subtree only lose that subtree.
 */
static void cg_walk(struct cgroup_map *m, int dirfd, char *rel, size_t rlen,
		    int depth)
{
	struct dirent *d;
	DIR *dir;

	if (depth > CG_MAX_DEPTH)
		return;
	dir = fdopendir(dirfd);
	if (!dir) {
		close(dirfd);
		return;
	}
	while ((d = readdir(dir)) != NULL) {
		size_t nlen = strlen(d->d_name);
		uint64_t id;
		int sub, mid;

		if (d->d_type != DT_DIR || !strcmp(d->d_name, ".") ||
		    !strcmp(d->d_name, ".."))
			continue;
		if (rlen + 1 + nlen + 1 > PATH_MAX)
			continue;
		if (!handle_id(dirfd, d->d_name, &id, &mid) || mid != m->mnt_id)
			continue;
		rel[rlen] = '/';
		memcpy(rel + rlen + 1, d->d_name, nlen + 1);
		if (!cg_put(m, id, strdup(rel)))
			break;
		sub = openat(dirfd, d->d_name,
			     O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
		if (sub >= 0)
			cg_walk(m, sub, rel, rlen + 1 + nlen, depth + 1);
		rel[rlen] = '\0';
	}
	closedir(dir);
}

static void cg_load(struct cgroup_map *m)
{
	char rel[PATH_MAX];
	uint64_t id;
	int fd;

	m->loaded = true;
	m->mnt = find_cgroup2(m->proc_root, m->no_sys);
	if (!m->mnt)
		return;
	m->mnt_fd = open(m->mnt, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (m->mnt_fd < 0)
		return;
	if (!handle_id(m->mnt_fd, "", &id, &m->mnt_id))
		return;
	cg_put(m, id, strdup("/"));
	fd = dup(m->mnt_fd);
	if (fd < 0)
		return;
	rel[0] = '\0';
	cg_walk(m, fd, rel, 0, 0);
}

/*
 * A cgroup the walk missed: open it by handle and read its path back
 * through PROC_ROOT/self/fd, as ss's get_cgroup2_path() does.
 */
static char *cg_by_handle(struct cgroup_map *m, uint64_t id)
{
	union {
		struct file_handle fh;
		char buf[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h;
	char link[PATH_MAX + 1], fdpath[PATH_MAX];
	size_t mlen;
	ssize_t n;
	int fd;

	if (m->mnt_fd < 0 || !id)
		return NULL;
	memset(&h, 0, sizeof(h));
	h.fh.handle_bytes = sizeof(uint64_t);
	h.fh.handle_type = CG_FILEID_INO32_GEN;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(m->mnt_fd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	n = -1;
	if ((size_t)snprintf(fdpath, sizeof(fdpath), "%s/self/fd/%d",
			     m->proc_root, fd) < sizeof(fdpath))
		n = readlink(fdpath, link, sizeof(link) - 1);
	close(fd);
	if (n < 0)
		return NULL;
	link[n] = '\0';
	mlen = strlen(m->mnt);
	if (strncmp(link, m->mnt, mlen) != 0)
		return strdup(link);
	return strdup(link[mlen] ? link + mlen : "/");
}

const char *cgroup_map_path(struct cgroup_map *m, uint64_t id)
{
	const char *p;
	char buf[40];
	size_t i;

	if (!m->loaded)
		cg_load(m);
	if (m->cap) {
		i = cg_slot(m, id);
		if (m->tab[i].path)
			return m->tab[i].path;
	}
	p = cg_put(m, id, cg_by_handle(m, id));
	if (p)
		return p;
	snprintf(buf, sizeof(buf), "unreachable:%llx", (unsigned long long)id);
	p = cg_put(m, id, strdup(buf));
	if (p)
		return p;
	memcpy(m->fallback, buf, sizeof(buf));
	return m->fallback;
}

void cgroup_map_without_sys(struct cgroup_map *m)
{
	m->no_sys = true;
}

void cgroup_map_free(struct cgroup_map *m)
{
	size_t i;

	if (!m)
		return;
	for (i = 0; i < m->cap; i++)
		free(m->tab[i].path);
	free(m->tab);
	if (m->mnt_fd >= 0)
		close(m->mnt_fd);
	free(m->mnt);
	free(m->proc_root);
	free(m);
}
