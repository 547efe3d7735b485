/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_OWNER_CACHE_H
#define SOCKVET_CMD_OWNER_CACHE_H

/*
 * Listener owners kept between samples (the exporter, watch).
 *
 * Naming every socket's process is the /proc/PID/fd walk: one readlink
 * per fd, 200k of them at 100k connection pairs, three quarters of a
 * sample's cost (bench/RESULTS.md "Issue 13"). A listener's owner does
 * not change while the listener (its inode) lives, and its `process`
 * label must not change either (a new label set is a new series). So
 * the exporter walks fully (SAMPLE_OWNERS_ALWAYS) only when a listener
 * appears that it has not named yet, and every OWNERS_REFRESH samples
 * (a pid reused, a listener passed to a child); otherwise it samples as
 * triage does (SAMPLE_OWNERS_AUTO: fd counts and limits of every
 * process, names only when something needs them) and fills in the
 * listeners' owners it already knows.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../model/sample.h"

#define OWNERS_REFRESH 60

struct owner_entry {
	uint32_t inode;
	uint32_t pid;            /* 0: a full walk found no owner */
	char comm[16];
};

struct owner_cache {
	unsigned n;              /* entries, sorted by inode */
	unsigned since_full;     /* samples since the last full walk */
	bool primed;             /* a full walk has been made */
	struct owner_entry e[SAMPLE_LISTENERS_MAX];
	struct owner_entry next[SAMPLE_LISTENERS_MAX];
};

/* The owners mode the next sample should take. */
int owner_cache_mode(const struct owner_cache *c);

/*
 * After a sample taken with mode `full` (SAMPLE_OWNERS_ALWAYS or not):
 * learn its listeners' owners, and give its unnamed listeners the owners
 * learnt before (the process entry by pid, its fd count and limit as
 * this sample read them). Returns false when a listener is neither named
 * nor known: the sample should be taken again with a full walk.
 */
bool owner_cache_apply(struct owner_cache *c, struct sample *s, bool full);

/* A known owner (pid, comm; pid 0: none) onto listener l of s: the
 * sample's process entry for that pid, made if missing. */
void owner_give(struct sample *s, struct s_listener *l, uint32_t pid, const char *comm);

#endif
