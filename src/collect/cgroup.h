/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_CGROUP_H
#define SOCKVET_COLLECT_CGROUP_H

/*
 * cgroup id -> path, for ss -e's "cgroup:PATH" (INET_DIAG_CGROUP_ID).
 *
 * Resolved as ss 6.1 does (lib/cg_map.c, lib/fs.c): on the first lookup
 * the first cgroup2 mount listed in PROC_ROOT/mounts is walked (not
 * crossing into other mounts) and every directory's file-handle id is
 * recorded with its path below the mount ("/" for the mount itself). An
 * id the walk did not see is tried once through open_by_handle_at() on
 * the mount (a cgroup created since; needs CAP_DAC_READ_SEARCH). What is
 * still unknown, or everything when no cgroup2 mount is visible (inside
 * `ip netns exec`, which remounts /sys), reads "unreachable:<hex id>".
 *
 * Differences from ss, by choice: no stderr noise ("Failed to find
 * cgroup2 mount"); a mount path with octal escapes in /proc/mounts
 * (a space is "\040") is unescaped, where ss walks the escaped name and
 * finds nothing; a miss is cached, where ss retries open_by_handle_at
 * for every socket.
 */

#include <stdint.h>

#include "../util/strbuf.h"

struct cgroup_map;

/* Cheap: records proc_root ("/proc" normally); nothing is read yet. */
int cgroup_map_new(struct cgroup_map **out, const char *proc_root,
		   struct strbuf *err);

/*
 * The text ss prints after "cgroup:" for `id`: "/", "/system.slice/x",
 * or "unreachable:1f". Never NULL; valid until cgroup_map_free().
 */
const char *cgroup_map_path(struct cgroup_map *m, uint64_t id);

/*
 * As after ss -N NS (iproute2's netns_switch() unshares the mount
 * namespace and mounts a fresh sysfs on /sys): a cgroup2 mount at or
 * under /sys is not seen, so on the usual layout every id reads
 * "unreachable:<hex id>", as ss prints it. Call before the first lookup.
 */
void cgroup_map_without_sys(struct cgroup_map *m);

void cgroup_map_free(struct cgroup_map *m);

#endif
