// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Listing every network namespace and visiting each one (netns_list.h).
 *
 * A process's /proc/PID/ns/net reads back as "net:[INODE]"; every
 * network namespace lives on the one nsfs superblock, whose device is
 * that of /proc/self/ns/net, so the pair identifies a namespace without
 * a stat per process. A /run/netns/NAME bind mount is stat()ed: the
 * mount shows the nsfs inode (an unmounted placeholder file shows its
 * tmpfs device and is not a namespace).
 */
#include "netns_list.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define NETNS_SLOTS (2u * NETNS_MAX)    /* a power of two, at most half full */
#define CGROUP_TEXT_MAX 8192

int netns_decode_link(const char *buf, size_t len, uint64_t *ino)
{
	uint64_t v = 0;
	size_t i = 5;

	if (len < 7 || memcmp(buf, "net:[", 5) || buf[len - 1] != ']')
		return -1;
	for (; i < len - 1; i++) {
		if (!isdigit((unsigned char)buf[i]) || v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	if (i == 5 || !v)
		return -1;
	*ino = v;
	return 0;
}

/* The cgroup path of the v2 line ("0::/x"), else of name=systemd, into p. */
static bool cgroup_path(const char *text, char *p, size_t n)
{
	const char *line = text, *best = NULL;

	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *c = strchr(line, ':');

		if (!c)
			continue;
		if (!strncmp(line, "0::", 3)) {
			best = line + 3;
			break;
		}
		if (!best && !strncmp(c + 1, "name=systemd:", 13))
			best = c + 14;
	}
	if (!best)
		return false;
	snprintf(p, n, "%.*s", (int)strcspn(best, "\n"), best);
	return true;
}

/* s starts with at least 12 hex digits. */
static bool hex12(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static const struct {
	const char *prefix;      /* a component "PREFIX<hex id>[.scope]" */
	const char *runtime;
} runtimes[] = {
	{ "docker-", "docker" },
	{ "cri-containerd-", "containerd" },
	{ "crio-", "cri-o" },
	{ "libpod-", "libpod" },
};

/* A container id in one path component (parent: the one before it). */
static bool component_container(const char *comp, const char *parent, char *out, size_t n,
				const char *kube)
{
	for (size_t i = 0; i < sizeof(runtimes) / sizeof(runtimes[0]); i++) {
		size_t pl = strlen(runtimes[i].prefix);

		if (!strncmp(comp, runtimes[i].prefix, pl) && hex12(comp + pl)) {
			snprintf(out, n, "%s%s %.12s", kube, runtimes[i].runtime, comp + pl);
			return true;
		}
	}
	/* cgroupfs drivers: /docker/ID, /kubepods/.../ID */
	if (strlen(comp) >= 32 && hex12(comp) && (!strcmp(parent, "docker") || kube[0])) {
		snprintf(out, n, "%s%s %.12s", kube, kube[0] ? "container" : "docker", comp);
		return true;
	}
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a > b && !strcmp(s + a - b, suffix);
}

void netns_decode_container(const char *text, char *out, size_t n)
{
	char path[1024], *comp[64], *save = NULL, *tok;
	const char *kube;
	unsigned nc = 0;

	if (!n)
		return;
	out[0] = '\0';
	if (!cgroup_path(text, path, sizeof(path)))
		return;
	kube = strstr(path, "kubepods") ? "kubepods " : "";
	for (tok = strtok_r(path, "/", &save); tok && nc < 64; tok = strtok_r(NULL, "/", &save))
		comp[nc++] = tok;
	for (unsigned i = nc; i-- > 0;)
		if (component_container(comp[i], i ? comp[i - 1] : "", out, n, kube))
			return;
	for (unsigned i = nc; i-- > 0;)
		if (ends_with(comp[i], ".service")) {
			snprintf(out, n, "%s", comp[i]);
			return;
		}
	if (nc && ends_with(comp[nc - 1], ".scope"))
		snprintf(out, n, "%s", comp[nc - 1]);
}

static unsigned slot_of(const struct netns_list *l, uint64_t dev, uint64_t ino)
{
	uint64_t h = (ino ^ (dev << 32)) * 0x9e3779b97f4a7c15ull;
	unsigned i = (unsigned)(h >> 40) & (l->nslots - 1);

	while (l->slot[i]) {
		const struct netns_entry *e = &l->e[l->slot[i] - 1];

		if (e->dev == dev && e->ino == ino)
			break;
		i = (i + 1) & (l->nslots - 1);
	}
	return i;
}

static int list_grow(struct netns_list *l, struct strbuf *err)
{
	unsigned cap = l->cap ? l->cap * 2 : 64;
	struct netns_entry *e;

	if (cap > NETNS_MAX)
		cap = NETNS_MAX;
	e = realloc(l->e, cap * sizeof(*e));
	if (!e)
		return error_set(err, "out of memory for the namespace list");
	l->e = e;
	l->cap = cap;
	return 0;
}

int netns_list_note(struct netns_list *l, uint64_t dev, uint64_t ino, const char *name,
		    int pid, bool host, struct strbuf *err)
{
	struct netns_entry *e;
	unsigned i;

	if (!l->slot) {
		l->slot = calloc(NETNS_SLOTS, sizeof(*l->slot));
		if (!l->slot)
			return error_set(err, "out of memory for the namespace list");
		l->nslots = NETNS_SLOTS;
	}
	i = slot_of(l, dev, ino);
	if (!l->slot[i]) {
		if (l->n >= NETNS_MAX) {
			l->dropped++;
			return 0;
		}
		if (l->n == l->cap && list_grow(l, err))
			return -1;
		e = &l->e[l->n++];
		memset(e, 0, sizeof(*e));
		e->dev = dev;
		e->ino = ino;
		l->slot[i] = l->n;
	}
	e = &l->e[l->slot[i] - 1];
	e->host |= host;
	if (pid > 0 && (!e->pid || pid < e->pid))
		e->pid = pid;
	if (name && strlen(name) < sizeof(e->name) && (!e->name[0] || strcmp(name, e->name) < 0))
		snprintf(e->name, sizeof(e->name), "%s", name);
	return 0;
}

static int rank(const struct netns_entry *e)
{
	return e->host ? 0 : e->name[0] ? 1 : 2;
}

static int cmp_entry(const void *pa, const void *pb)
{
	const struct netns_entry *a = pa, *b = pb;

	if (rank(a) != rank(b))
		return rank(a) - rank(b);
	if (rank(a) == 1)
		return strcmp(a->name, b->name);
	return (a->pid > b->pid) - (a->pid < b->pid);
}

void netns_list_sort(struct netns_list *l)
{
	if (l->n > 1)
		qsort(l->e, l->n, sizeof(*l->e), cmp_entry);
	/* The hash points at the old order: rebuild it. */
	if (l->slot) {
		memset(l->slot, 0, l->nslots * sizeof(*l->slot));
		for (unsigned k = 0; k < l->n; k++)
			l->slot[slot_of(l, l->e[k].dev, l->e[k].ino)] = k + 1;
	}
}

/* A small file's text, NUL-terminated; its length, or -1. */
static ssize_t read_small(const char *path, char *buf, size_t n)
{
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	got = read(fd, buf, n - 1);
	close(fd);
	if (got < 0)
		return -1;
	buf[got] = '\0';
	return got;
}

static int pid_netns(const char *proc_root, int pid, uint64_t *ino)
{
	char path[PATH_MAX], link[64];
	ssize_t len;

	snprintf(path, sizeof(path), "%s/%d/ns/net", proc_root, pid);
	len = readlink(path, link, sizeof(link));
	if (len <= 0 || (size_t)len >= sizeof(link))
		return -1;
	return netns_decode_link(link, (size_t)len, ino);
}

static int scan_run_dir(struct netns_list *l, uint64_t dev, const char *run_dir,
			struct strbuf *err)
{
	DIR *d = opendir(run_dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return 0;            /* no named namespaces */
	while (!ret && (de = readdir(d)) != NULL) {
		char path[PATH_MAX];
		struct stat st;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= NETNS_NAME_MAX)
			continue;
		snprintf(path, sizeof(path), "%s/%s", run_dir, de->d_name);
		if (stat(path, &st) || (uint64_t)st.st_dev != dev)
			continue;    /* gone, or a placeholder with nothing mounted */
		ret = netns_list_note(l, dev, (uint64_t)st.st_ino, de->d_name, 0, false, err);
	}
	closedir(d);
	return ret;
}

static int scan_pids(struct netns_list *l, uint64_t dev, const char *proc_root,
		     struct strbuf *err)
{
	DIR *d = opendir(proc_root);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error_set(err, "cannot list '%s': %s", proc_root, strerror(errno));
	while (!ret && (de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		uint64_t ino;

		if (*end || pid <= 0 || pid > INT_MAX || pid_netns(proc_root, (int)pid, &ino))
			continue;    /* not a pid, exited, or not ours to read */
		/* init, or kthreadd when init is not ours to read: kernel
		 * threads always run in the initial namespace. */
		ret = netns_list_note(l, dev, ino, NULL, (int)pid, pid == 1 || pid == 2, err);
	}
	closedir(d);
	return ret;
}

static void read_owner(struct netns_entry *e, const char *proc_root)
{
	char path[PATH_MAX], *text;

	snprintf(path, sizeof(path), "%s/%d/comm", proc_root, e->pid);
	if (read_small(path, e->comm, sizeof(e->comm)) > 0)
		e->comm[strcspn(e->comm, "\n")] = '\0';
	text = malloc(CGROUP_TEXT_MAX);
	snprintf(path, sizeof(path), "%s/%d/cgroup", proc_root, e->pid);
	if (text && read_small(path, text, CGROUP_TEXT_MAX) > 0)
		netns_decode_container(text, e->container, sizeof(e->container));
	free(text);
}

int netns_list_scan(struct netns_list *l, const char *proc_root, const char *run_dir,
		    struct strbuf *err)
{
	char path[PATH_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "%s/self/ns/net", proc_root);
	if (stat(path, &st))
		return error_set(err, "cannot stat '%s': %s", path, strerror(errno));
	if (scan_pids(l, (uint64_t)st.st_dev, proc_root, err) ||
	    scan_run_dir(l, (uint64_t)st.st_dev, run_dir, err))
		return -1;
	l->run_dir = run_dir;
	netns_list_sort(l);
	for (unsigned i = 0; i < l->n; i++)
		if (l->e[i].pid)
			read_owner(&l->e[i], proc_root);
	return 0;
}

void netns_list_free(struct netns_list *l)
{
	free(l->e);
	free(l->slot);
	memset(l, 0, sizeof(*l));
}

const char *netns_label(const struct netns_entry *e, char *out, size_t n)
{
	if (e->host)
		snprintf(out, n, "host");
	else if (e->name[0])
		snprintf(out, n, "named %s", e->name);
	else
		snprintf(out, n, "pid %d %s%s%s%s", e->pid, e->comm[0] ? e->comm : "?",
			 e->container[0] ? " (" : "", e->container, e->container[0] ? ")" : "");
	return out;
}

const char *netns_run_name(const struct netns_entry *e, char *out, size_t n)
{
	if (e->host)
		snprintf(out, n, "%s", "");
	else if (e->name[0])
		snprintf(out, n, "%s", e->name);
	else
		snprintf(out, n, "/proc/%d/ns/net", e->pid);
	return out;
}

/* An fd of e's namespace, checked to be e; -1 with e->skipped set. */
static int open_entry(const struct netns_list *l, struct netns_entry *e)
{
	char paths[2][PATH_MAX];
	unsigned np = 0;
	int err = ENOENT;

	if (e->name[0])
		snprintf(paths[np++], PATH_MAX, "%s/%s", l->run_dir, e->name);
	if (e->pid)
		snprintf(paths[np++], PATH_MAX, "/proc/%d/ns/net", e->pid);
	for (unsigned i = 0; i < np; i++) {
		struct stat st;
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);

		if (fd < 0) {
			err = errno;
			continue;
		}
		if (!fstat(fd, &st) && (uint64_t)st.st_dev == e->dev && (uint64_t)st.st_ino == e->ino)
			return fd;
		close(fd);
		err = ESRCH;         /* the pid was reused, or the mount replaced */
	}
	snprintf(e->skipped, sizeof(e->skipped), "%s",
		 err == ENOENT || err == ESRCH ? "its holder exited before it could be entered"
					       : strerror(err));
	return -1;
}

int netns_each(struct netns_list *l, netns_each_fn cb, void *ctx, struct strbuf *err)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int ret = 0;

	if (home < 0)
		return error_set(err, "cannot open /proc/thread-self/ns/net: %s", strerror(errno));
	for (unsigned i = 0; i < l->n && !ret; i++) {
		struct netns_entry *e = &l->e[i];
		int fd = open_entry(l, e);

		if (fd < 0)
			continue;
		if (setns(fd, CLONE_NEWNET)) {
			snprintf(e->skipped, sizeof(e->skipped), "cannot enter: %s", strerror(errno));
			close(fd);
			continue;
		}
		close(fd);
		ret = cb(e, ctx, err);
		if (setns(home, CLONE_NEWNET)) {
			ret = error_set(err, "cannot return to the original network namespace: %s",
					strerror(errno));
			break;
		}
	}
	close(home);
	return ret;
}
