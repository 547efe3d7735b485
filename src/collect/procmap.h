/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_PROCMAP_H
#define SOCKVET_COLLECT_PROCMAP_H

/*
 * The socket-inode -> owning processes map, built from PROC_ROOT/PID/fd
 * (and PROC_ROOT/PID/task/TID/fd with threads). Each fd directory is
 * read once; the map is a real open-addressing hash sized to the number
 * of socket fds, so a lookup is O(1) whatever the host's size (ss 6.1
 * uses 256 fixed buckets and scans whole chains: 24 s at 200k sockets).
 *
 * Processes whose fd directory cannot be read (not root, a process that
 * exited) are skipped and counted in procmap_unreadable(), so a caller
 * can say "owners of N processes could not be read".
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/owner.h"
#include "../util/strbuf.h"

struct procmap;

/* proc_root is normally "/proc". threads: walk task/TID/fd (ss -T). */
int procmap_build(struct procmap **out, const char *proc_root, bool threads,
		  struct strbuf *err);

/*
 * Owners of `inode`, in the order ss 6.1 prints them (the reverse of the
 * scan order: higher PIDs, and later fds, first). Returns the count and
 * points *owners at an array valid until procmap_free(). 0 when none.
 */
size_t procmap_lookup(const struct procmap *m, uint32_t inode,
		      const struct sock_owner **owners);

size_t procmap_unreadable(const struct procmap *m);

/*
 * Every process that holds at least one socket, in scan order: its open
 * fd count (all fds, not only sockets: what RLIMIT_NOFILE limits) and
 * socket count. The walk reads each fd directory anyway, so this is free.
 */
struct procmap_proc {
	uint32_t pid;
	uint32_t fds;
	uint32_t sockets;
	char comm[16];
};

size_t procmap_procs(const struct procmap *m, const struct procmap_proc **procs);

/*
 * Only count each process's fds (no readlink, no socket map): every
 * process with at least one fd is listed by procmap_procs(), sockets 0.
 * A fraction of the full walk's cost, for fd-limit checks.
 */
int procmap_build_counts(struct procmap **out, const char *proc_root,
			 struct strbuf *err);
void procmap_free(struct procmap *m);

#endif
