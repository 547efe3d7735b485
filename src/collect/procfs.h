/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_PROCFS_H
#define SOCKVET_COLLECT_PROCFS_H

/*
 * Small /proc readers the sample needs beside the socket dump. Each
 * parser works on text already read (procfs_parse_*), so an importer
 * given the same text pasted from another host decodes it with the same
 * code; the readers only open the file.
 */

#include <stdbool.h>
#include <stdint.h>

/* Up to `want` whitespace-separated decimal numbers ("44728\t0\t2465610"
 * for file-nr). 0, or -1 when fewer parse. */
int procfs_parse_u64s(const char *text, uint64_t *v, unsigned want);
int procfs_read_u64s(const char *path, uint64_t *v, unsigned want);

/* The "Max open files" row of /proc/PID/limits; false when absent.
 * "unlimited" reads UINT64_MAX. */
bool procfs_parse_nofile_line(const char *line, uint64_t *soft, uint64_t *hard);
bool procfs_read_nofile(const char *proc_root, uint32_t pid, uint64_t *soft, uint64_t *hard);

/* /proc/net/stat/nf_conntrack: the drop counters summed over CPUs. */
struct conntrack_stat {
	uint64_t drop, early_drop, insert_failed;
};
bool procfs_read_conntrack_stat(const char *proc_root, struct conntrack_stat *st);

/* Is pid in the network namespace `ours` ("net:[4026531840]")? True when
 * it cannot tell (not root), so a process is never hidden by a failed read. */
bool procfs_same_netns(const char *proc_root, uint32_t pid, const char *ours);

#endif
