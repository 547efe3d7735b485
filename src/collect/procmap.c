// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The socket-inode -> owners map, built by one walk of PROC_ROOT.
 *
 * What ss 6.1 walks (user_ent_hash_build), and so what we walk:
 *
 *   PROC_ROOT/PID/fd/N            every numeric PID, in directory order
 *   PROC_ROOT/PID/task/TID/fd/N   with -T only, every TID != PID, after
 *                                 the PID's own fd directory
 *
 * A link reading "socket:[INODE]" is one owner (comm, pid, tid, fd).
 * Without -T the tid is 0 here (ss keeps pid there but never prints it);
 * with -T the leader's entries carry tid == pid. comm comes from the
 * stat file next to the fd directory (PID/stat, or PID/task/TID/stat,
 * so a thread shows its own name), read once per task on its first
 * socket fd, exactly as ss's fscanf("%*d (%[^)])") would read it: the
 * text between the first '(' and the first ')', at most 15 bytes, empty
 * when the file cannot be read or the pattern does not match. That cut
 * is what the text listing prints; JSON carries the true name too: the
 * text between the first '(' and the LAST ')' (the fields after comm
 * are numbers and a state letter, so the last ')' ends it), so a name
 * `a(b)c"d` is "a(b" in the table and `a(b)c"d` in users[].comm.
 *
 * ss prepends every entry to a hash chain, so it prints the owners of
 * one inode in the reverse of the scan order. We record entries in scan
 * order and lay each inode's owners out reversed, once, at the end.
 *
 * Cost: one getdents64 stream per fd directory and one readlinkat per fd
 * relative to the directory's fd (no path is built per fd, nothing is
 * stat()ed). The kernel's readlink is almost all of the time; the map
 * itself is an open-addressing table at most half full, so building and
 * looking up are O(1) per socket.
 */
#include "procmap.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>

/* A bound on what one scan may hold: 16M socket fds is 400 MiB of map. */
#define PROCMAP_MAX_ENTRIES (1u << 24)
#define PROCMAP_DENTS_BUF (64u << 10)
#define PROCMAP_STAT_BUF 512
#define PROCMAP_LIST_MAX (256u << 20)
#define COMM_LEN 16
/* A comm slot: ss's cut at [0], the true name at [COMM_LEN]. */
#define COMM_SLOT (2 * COMM_LEN)

struct pm_ent {
	uint32_t ino;
	uint32_t pid;
	uint32_t tid;
	int32_t fd;
	uint32_t comm;          /* index into scan.comms */
};

struct pm_slot {
	uint32_t ino;           /* 0: empty (no socket has inode 0) */
	uint32_t start;         /* first owner in procmap.owners */
	uint32_t count;
	uint32_t fill;          /* owners placed so far while building */
};

struct procmap {
	struct sock_owner *owners;
	struct pm_slot *slots;
	size_t mask;            /* slots has mask + 1 entries, or none */
	char (*comms)[COMM_SLOT];
	size_t unreadable;
	struct procmap_proc *procs;
	size_t n_procs;
};

struct scan {
	int rootfd;
	char *dents;            /* PROCMAP_DENTS_BUF bytes, reused */
	struct pm_ent *ents;
	size_t n_ents, alloc_ents;
	char (*comms)[COMM_SLOT];
	size_t n_comms, alloc_comms;
	size_t unreadable;
	struct procmap_proc *procs;
	size_t n_procs, alloc_procs;
	bool counts_only;
	bool fd_count_by_size;   /* proc_root is procfs (a fake tree is not) */
};

/* A directory entry name that is all decimal digits and fits in int. */
static bool parse_id(const char *s, uint32_t *out)
{
	uint32_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		if (v > (INT32_MAX - 9) / 10)
			return false;
		v = v * 10 + (uint32_t)(*s - '0');
	}
	*out = v;
	return true;
}

/*
 * ss reads the inode with sscanf("socket:[%u]"): digits after the
 * prefix, the closing bracket not checked. Anything else (pipes, files,
 * anon_inode:...) is not a socket.
 */
static bool parse_socket_link(const char *l, size_t len, uint32_t *ino)
{
	static const char pfx[] = "socket:[";
	uint64_t v = 0;
	size_t i = sizeof(pfx) - 1;

	if (len <= i || memcmp(l, pfx, i) != 0)
		return false;
	if (l[i] < '0' || l[i] > '9')
		return false;
	for (; i < len && l[i] >= '0' && l[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(l[i] - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*ino = (uint32_t)v;
	return true;
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * comm as fscanf(fp, "%*d (%[^)])", task) leaves it: optional blanks, a
 * signed integer, optional blanks, '(', then one or more bytes up to the
 * first ')' or end of input. ss's buffer is 16 bytes; the kernel never
 * writes more than 15, and we cut a longer (fake) one rather than
 * overflow. On no match the name stays empty, as in ss.
 */
static void stat_comm(const char *b, size_t len, char out[COMM_LEN])
{
	size_t i = 0, n = 0;

	out[0] = '\0';
	while (i < len && is_space(b[i]))
		i++;
	if (i < len && (b[i] == '-' || b[i] == '+'))
		i++;
	if (i >= len || b[i] < '0' || b[i] > '9')
		return;
	while (i < len && b[i] >= '0' && b[i] <= '9')
		i++;
	while (i < len && is_space(b[i]))
		i++;
	if (i >= len || b[i] != '(')
		return;
	for (i++; i < len && b[i] != ')' && n < COMM_LEN - 1; i++)
		out[n++] = b[i];
	out[n] = '\0';
}

/*
 * The true comm: after the first '(' up to the last ')', at most 15
 * bytes (the kernel's TASK_COMM_LEN less the NUL). Without both
 * parentheses it is ss's cut, whatever that is.
 */
static void stat_comm_true(const char *b, size_t len, const char *cut, char out[COMM_LEN])
{
	const char *open = memchr(b, '(', len), *close = NULL;
	size_t n;

	for (size_t i = len; open && i-- > (size_t)(open - b);)
		if (b[i] == ')') {
			close = b + i;
			break;
		}
	if (!open || !close) {
		memcpy(out, cut, COMM_LEN);
		return;
	}
	n = (size_t)(close - open - 1);
	if (n > COMM_LEN - 1)
		n = COMM_LEN - 1;
	memcpy(out, open + 1, n);
	out[n] = '\0';
}

static void read_comm(int dirfd, const char *stat_path, char out[COMM_SLOT])
{
	char buf[PROCMAP_STAT_BUF];
	ssize_t n;
	int fd;

	out[0] = out[COMM_LEN] = '\0';
	fd = openat(dirfd, stat_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0) {
		stat_comm(buf, (size_t)n, out);
		stat_comm_true(buf, (size_t)n, out, out + COMM_LEN);
	}
}

static int grow(void **p, size_t *alloc, size_t need, size_t size,
		const char *what, struct strbuf *err)
{
	size_t n;
	void *q;

	if (need <= *alloc)
		return 0;
	if (need > PROCMAP_MAX_ENTRIES)
		return error_set(err, "more than %u %s under the proc root",
				 PROCMAP_MAX_ENTRIES, what);
	n = *alloc ? *alloc * 2 : 1024;
	if (n > PROCMAP_MAX_ENTRIES)
		n = PROCMAP_MAX_ENTRIES;
	q = realloc(*p, n * size);
	if (!q)
		return error_set(err, "out of memory for %zu %s", n, what);
	*p = q;
	*alloc = n;
	return 0;
}

/* The task's comm slot, read on first need (*comm UINT32_MAX until then). */
static int task_comm(struct scan *s, int dirfd, const char *stat_path, uint32_t *comm,
		     struct strbuf *err)
{
	int ret;

	if (*comm != UINT32_MAX)
		return 0;
	ret = grow((void **)&s->comms, &s->alloc_comms, s->n_comms + 1, COMM_SLOT, "tasks", err);
	if (ret)
		return ret;
	*comm = (uint32_t)s->n_comms++;
	read_comm(dirfd, stat_path, s->comms[*comm]);
	return 0;
}

struct task_ref {
	int dirfd;
	const char *stat_path;
	uint32_t pid, tid;
	uint32_t comm;           /* UINT32_MAX until read */
	uint32_t nfds, nsocks;
};

/* One fd entry of the listing: count it, and record it when a socket. */
static int scan_fd(struct scan *s, struct task_ref *t, int fddir, const char *name,
		   struct strbuf *err)
{
	char lnk[64];
	uint32_t fd, ino;
	ssize_t ll;
	struct pm_ent *e;
	int ret;

	if (!parse_id(name, &fd))
		return 0;
	t->nfds++;
	if (s->counts_only)
		return 0;
	ll = readlinkat(fddir, name, lnk, sizeof(lnk));
	if (ll <= 0 || !parse_socket_link(lnk, (size_t)ll, &ino))
		return 0;
	/* ss's find_entry() returns nothing for inode 0. */
	if (ino == 0)
		return 0;
	if ((ret = task_comm(s, t->dirfd, t->stat_path, &t->comm, err)))
		return ret;
	ret = grow((void **)&s->ents, &s->alloc_ents, s->n_ents + 1, sizeof(*s->ents),
		   "socket fds", err);
	if (ret)
		return ret;
	e = &s->ents[s->n_ents++];
	e->ino = ino;
	e->pid = t->pid;
	e->tid = t->tid;
	e->fd = (int32_t)fd;
	e->comm = t->comm;
	t->nsocks++;
	return 0;
}

/* Threads share the leader's fd table: a process is counted once. */
static int add_proc(struct scan *s, struct task_ref *t, struct strbuf *err)
{
	struct procmap_proc *p;
	int ret;

	if (!(t->nsocks || (s->counts_only && t->nfds)) || (t->tid && t->tid != t->pid))
		return 0;
	if ((ret = task_comm(s, t->dirfd, t->stat_path, &t->comm, err)))
		return ret;
	ret = grow((void **)&s->procs, &s->alloc_procs, s->n_procs + 1,
		   sizeof(*s->procs), "processes", err);
	if (ret)
		return ret;
	p = &s->procs[s->n_procs++];
	p->pid = t->pid;
	p->fds = t->nfds;
	p->sockets = t->nsocks;
	memcpy(p->comm, s->comms[t->comm], COMM_LEN);
	return 0;
}

/*
 * Read one task's fd directory (dirfd/fd_path) and record its sockets;
 * stat_path names its stat file relative to dirfd. Returns 0, 1 when
 * the fd directory could not be opened, negative on a hard error.
 */
static int scan_task(struct scan *s, int dirfd, const char *fd_path,
		     const char *stat_path, uint32_t pid, uint32_t tid,
		     struct strbuf *err)
{
	struct task_ref t = { dirfd, stat_path, pid, tid, UINT32_MAX, 0, 0 };
	int fddir = -1, ret = 0;
	ssize_t nread;
	struct stat st;

	/*
	 * Since 6.2 procfs reports a task's open fd count as the size of
	 * its fd directory: one stat instead of a getdents stream, which is
	 * what makes triage's fd census cheap at 200k fds. 0 means an older
	 * kernel (or no fds): count by listing.
	 */
	if (s->counts_only && s->fd_count_by_size &&
	    !fstatat(dirfd, fd_path, &st, 0) && st.st_size > 0) {
		t.nfds = st.st_size > UINT32_MAX ? UINT32_MAX : (uint32_t)st.st_size;
		return add_proc(s, &t, err);
	}
	fddir = openat(dirfd, fd_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fddir < 0)
		return 1;
	/* A task that exits mid-read ends its listing early; keep what we got. */
	while (!ret && (nread = getdents64(fddir, s->dents, PROCMAP_DENTS_BUF)) > 0)
		for (ssize_t off = 0; !ret && off < nread;) {
			struct dirent64 *d = (struct dirent64 *)(void *)(s->dents + off);

			off += d->d_reclen;
			ret = scan_fd(s, &t, fddir, d->d_name, err);
		}
	if (!ret)
		ret = add_proc(s, &t, err);
	close(fddir);
	return ret;
}

/* With -T: PID/task/TID/fd for every TID but the leader, in directory order. */
static int scan_threads(struct scan *s, uint32_t pid,
			char *dents, struct strbuf *err)
{
	char path[32];
	int taskdir, ret = 0;
	ssize_t nread;

	snprintf(path, sizeof(path), "%u/task", pid);
	taskdir = openat(s->rootfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (taskdir < 0)
		return 0;
	while ((nread = getdents64(taskdir, dents, PROCMAP_DENTS_BUF)) > 0) {
		ssize_t off = 0;

		while (off < nread) {
			struct dirent64 *d = (struct dirent64 *)(void *)(dents + off);
			char fdp[32], statp[32];
			uint32_t tid;

			off += d->d_reclen;
			if (!parse_id(d->d_name, &tid) || tid == pid)
				continue;
			snprintf(fdp, sizeof(fdp), "%u/fd", tid);
			snprintf(statp, sizeof(statp), "%u/stat", tid);
			ret = scan_task(s, taskdir, fdp, statp, pid, tid, err);
			if (ret < 0)
				goto out;
			ret = 0;
		}
	}
out:
	close(taskdir);
	return ret;
}

/* Socket inodes are near-sequential; a multiplicative hash spreads them. */
static size_t slot_index(const struct pm_slot *slots, size_t mask,
			 uint32_t ino)
{
	size_t i = (size_t)(((uint64_t)ino * 0x9e3779b97f4a7c15ull) >> 32) & mask;

	while (slots[i].ino && slots[i].ino != ino)
		i = (i + 1) & mask;
	return i;
}

/* Lay the scan's entries out per inode, each inode's owners reversed. */
static int map_index(struct procmap *m, struct scan *s, struct strbuf *err)
{
	size_t cap = 16, i;
	uint32_t next = 0;

	while (cap < s->n_ents * 2)
		cap *= 2;
	m->slots = calloc(cap, sizeof(*m->slots));
	m->owners = malloc((s->n_ents ? s->n_ents : 1) * sizeof(*m->owners));
	if (!m->slots || !m->owners)
		return error_set(err, "out of memory for %zu socket owners",
				 s->n_ents);
	m->mask = cap - 1;
	for (i = 0; i < s->n_ents; i++) {
		struct pm_slot *sl = &m->slots[slot_index(m->slots, m->mask,
							  s->ents[i].ino)];

		sl->ino = s->ents[i].ino;
		sl->count++;
	}
	for (i = 0; i < cap; i++) {
		if (!m->slots[i].ino)
			continue;
		m->slots[i].start = next;
		next += m->slots[i].count;
	}
	/* Last scanned first: the order of ss's prepended hash chain. */
	for (i = s->n_ents; i-- > 0;) {
		const struct pm_ent *e = &s->ents[i];
		struct pm_slot *sl = &m->slots[slot_index(m->slots, m->mask,
							  e->ino)];
		struct sock_owner *o = &m->owners[sl->start + sl->fill++];

		o->comm = m->comms[e->comm];
		o->comm_true = m->comms[e->comm] + COMM_LEN;
		o->pid = e->pid;
		o->tid = e->tid;
		o->fd = e->fd;
	}
	return 0;
}

/* The whole listing of an open directory, bounded. */
static int list_dir(int dirfd, const char *name, char **buf, size_t *len,
		    struct strbuf *err)
{
	size_t alloc = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (alloc - *len < PROCMAP_DENTS_BUF) {
			char *q;

			if (alloc >= PROCMAP_LIST_MAX)
				return error_set(err, "'%s' lists too many entries",
						 name);
			q = realloc(*buf, alloc + 4 * PROCMAP_DENTS_BUF);
			if (!q)
				return error_set(err, "out of memory listing '%s'",
						 name);
			*buf = q;
			alloc += 4 * PROCMAP_DENTS_BUF;
		}
		n = getdents64(dirfd, *buf + *len, alloc - *len);
		if (n < 0)
			return error_set(err, "cannot list '%s': %s", name,
					 strerror(errno));
		if (n == 0)
			return 0;
		*len += (size_t)n;
	}
}

static int build(struct procmap **out, const char *proc_root, bool threads,
		 bool counts_only, struct strbuf *err)
{
	struct scan s = { .rootfd = -1, .counts_only = counts_only };
	struct procmap *m = NULL;
	char *tdents = NULL, *rbuf = NULL;
	size_t rlen = 0, off;
	int ret = -1;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	s.dents = malloc(PROCMAP_DENTS_BUF);
	if (threads)
		tdents = malloc(PROCMAP_DENTS_BUF);
	if (!m || !s.dents || (threads && !tdents)) {
		error_set(err, "out of memory for the process map");
		goto out;
	}
	s.rootfd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s.rootfd < 0) {
		error_set(err, "cannot open '%s': %s", proc_root, strerror(errno));
		goto out;
	}
	/*
	 * The root listing gets its own buffer, read whole first: the fd
	 * directories reuse s.dents while we walk it.
	 */
	{
		struct statfs sfs;

		s.fd_count_by_size = !fstatfs(s.rootfd, &sfs) && sfs.f_type == PROC_SUPER_MAGIC;
	}
	if (list_dir(s.rootfd, proc_root, &rbuf, &rlen, err))
		goto out;
	for (off = 0; off < rlen;) {
		struct dirent64 *d = (struct dirent64 *)(void *)(rbuf + off);
		char fdp[32], statp[32];
		uint32_t pid;
		int r;

		off += d->d_reclen;
		if (!parse_id(d->d_name, &pid))
			continue;
		snprintf(fdp, sizeof(fdp), "%u/fd", pid);
		snprintf(statp, sizeof(statp), "%u/stat", pid);
		r = scan_task(&s, s.rootfd, fdp, statp, pid, threads ? pid : 0,
			      err);
		if (r > 0)
			s.unreadable++;
		/* A zombie leader's threads may still hold sockets (why -T exists). */
		if (r >= 0 && threads)
			r = scan_threads(&s, pid, tdents, err);
		if (r < 0)
			goto out;
	}
	m->comms = s.comms;
	s.comms = NULL;
	m->unreadable = s.unreadable;
	m->procs = s.procs;
	m->n_procs = s.n_procs;
	s.procs = NULL;
	if (map_index(m, &s, err))
		goto out;
	*out = m;
	m = NULL;
	ret = 0;
out:
	if (s.rootfd >= 0)
		close(s.rootfd);
	free(s.dents);
	free(tdents);
	free(rbuf);
	free(s.ents);
	free(s.comms);
	free(s.procs);
	procmap_free(m);
	return ret;
}

int procmap_build(struct procmap **out, const char *proc_root, bool threads,
		  struct strbuf *err)
{
	return build(out, proc_root, threads, false, err);
}

int procmap_build_counts(struct procmap **out, const char *proc_root,
			 struct strbuf *err)
{
	return build(out, proc_root, false, true, err);
}

size_t procmap_lookup(const struct procmap *m, uint32_t inode,
		      const struct sock_owner **owners)
{
	const struct pm_slot *sl;

	*owners = NULL;
	if (!m || !inode || !m->slots)
		return 0;
	sl = &m->slots[slot_index(m->slots, m->mask, inode)];
	if (!sl->ino)
		return 0;
	*owners = &m->owners[sl->start];
	return sl->count;
}

size_t procmap_procs(const struct procmap *m, const struct procmap_proc **procs)
{
	*procs = m ? m->procs : NULL;
	return m ? m->n_procs : 0;
}

size_t procmap_unreadable(const struct procmap *m)
{
	return m ? m->unreadable : 0;
}

void procmap_free(struct procmap *m)
{
	if (!m)
		return;
	free(m->owners);
	free(m->slots);
	free(m->comms);
	free(m->procs);
	free(m);
}
