/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_NETNS_LIST_H
#define SOCKVET_COLLECT_NETNS_LIST_H

/*
 * Every network namespace on the host (--all-netns), and a way to visit
 * each one.
 *
 * Found in two places: the bind mounts under /run/netns (`ip netns add`,
 * named) and /proc/PID/ns/net of every process ("net:[INODE]"). A
 * namespace is one (nsfs device, inode) pair, however many mounts and
 * processes hold it. Each is labelled by what owns it, in this order:
 *
 *   "host"                            the initial namespace (/proc/1/ns/net,
 *                                     or kthreadd's, /proc/2/ns/net)
 *   "named NAME"                      a /run/netns/NAME bind mount
 *   "pid PID COMM (CONTAINER)"        the lowest pid holding it, its comm,
 *                                     and its cgroup's container or unit:
 *                                     "docker 0123456789ab", "nginx.service"
 *
 * The list is bounded (NETNS_MAX): namespaces past it are counted in
 * `dropped`, never listed. Listing and entering are separate steps, so
 * a process can exit in between: netns_each() then skips its namespace
 * and says why in the entry (`skipped`), after checking that what it
 * opened is still the same namespace (a recycled pid is not).
 *
 * The decoders (netns_decode_*) and netns_list_note() touch no system
 * state and are unit-tested; netns_list_scan() and netns_each() do the
 * reading and the setns(). Needs root (CAP_SYS_ADMIN for setns, and
 * ptrace access to read other users' /proc/PID/ns/net).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"

#define NETNS_MAX 4096
#define NETNS_NAME_MAX 64        /* a longer /run/netns name is not listed */
#define NETNS_COMM_MAX 17
#define NETNS_CONTAINER_MAX 80
#define NETNS_WHY_MAX 128
#define NETNS_LABEL_MAX (NETNS_NAME_MAX + NETNS_COMM_MAX + NETNS_CONTAINER_MAX + 32)
#define NETNS_RUN_DIR_DEFAULT "/run/netns"

struct netns_entry {
	uint64_t dev, ino;               /* the namespace: nsfs device and inode */
	bool host;                       /* the initial namespace */
	char name[NETNS_NAME_MAX];       /* its /run/netns name (the first, sorted); "" none */
	int pid;                         /* the lowest pid holding it; 0 none */
	char comm[NETNS_COMM_MAX];       /* that pid's comm, "" unknown */
	char container[NETNS_CONTAINER_MAX]; /* that pid's container or unit, "" none */
	char skipped[NETNS_WHY_MAX];     /* netns_each(): why it could not be entered */
};

struct netns_list {
	struct netns_entry *e;
	unsigned n, cap;
	unsigned dropped;                /* namespaces past NETNS_MAX */
	unsigned *slot;                  /* hash of (dev, ino) -> index + 1; 0 empty */
	unsigned nslots;
	const char *run_dir;             /* netns_list_scan()'s, for netns_each() */
};

/* "net:[4026531840]" (what readlink /proc/PID/ns/net gives) -> inode; 0 or -1. */
int netns_decode_link(const char *buf, size_t len, uint64_t *ino);

/*
 * /proc/PID/cgroup's text -> the container or systemd unit holding the
 * process, into out (size n, "" when none): "docker 0123456789ab"
 * (docker-ID.scope or /docker/ID), "containerd ID12", "cri-o ID12",
 * "libpod ID12", prefixed "kubepods " under a kubepods slice, else the
 * innermost "*.service" (or "*.scope") unit. The cgroup v2 line ("0::")
 * is read; on a v1-only host, the name=systemd line.
 */
void netns_decode_container(const char *text, char *out, size_t n);

/*
 * Record that (dev, ino) is held by pid (0: none) or named name (NULL:
 * none); host marks the initial namespace. Merges with an entry already
 * there (the lowest pid wins; the name sorting first wins). Past
 * NETNS_MAX a new namespace is counted in dropped. 0, or -1 with err
 * (out of memory).
 */
int netns_list_note(struct netns_list *l, uint64_t dev, uint64_t ino, const char *name,
		    int pid, bool host, struct strbuf *err);

/* Order: host, then named ones by name, then the rest by pid. */
void netns_list_sort(struct netns_list *l);

/*
 * Fill l (zeroed by the caller) from proc_root ("/proc") and run_dir
 * (NETNS_RUN_DIR_DEFAULT), sorted, each holder's comm and container read.
 * 0, or -1 with err (proc_root unreadable, out of memory).
 */
int netns_list_scan(struct netns_list *l, const char *proc_root, const char *run_dir,
		    struct strbuf *err);
void netns_list_free(struct netns_list *l);

/* The owner label (see above) into out (size n); returns out. */
const char *netns_label(const struct netns_entry *e, char *out, size_t n);

/*
 * The name commands are told to run in (-N, ip netns exec / nsenter):
 * "" for the host, NAME for a named one, else "/proc/PID/ns/net".
 */
const char *netns_run_name(const struct netns_entry *e, char *out, size_t n);

/*
 * For each listed namespace, in order: enter it (setns on an fd of its
 * bind mount or /proc/PID/ns/net, checked to be the listed namespace),
 * call cb, and return to the namespace this thread started in. An entry
 * that cannot be entered gets its `skipped` reason and no call. cb
 * returns 0 to go on or negative (with err) to stop. 0, or negative: cb
 * stopped, or this thread could not get back to its own namespace (err
 * says which; after the latter the caller must not go on).
 */
typedef int (*netns_each_fn)(struct netns_entry *e, void *ctx, struct strbuf *err);
int netns_each(struct netns_list *l, netns_each_fn cb, void *ctx, struct strbuf *err);

#endif
