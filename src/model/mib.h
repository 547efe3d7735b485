/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_MIB_H
#define SOCKVET_MODEL_MIB_H

/*
 * struct mib: the kernel's SNMP/MIB counters of one sample, named as
 * nstat names them (TcpExtListenOverflows, TcpRetransSegs,
 * Ip6InReceives), so evidence quotes names a user can re-run with
 * `nstat -az NAME`. Every counter the files have is kept; a rule asks
 * for one by name and learns whether it was there at all ("missing" is
 * not "zero": an old kernel lacks TCPReqQFullDrop).
 *
 * Counters are per network namespace (kernel-facts.md "MIB counters").
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIB_NAME_MAX 48
#define MIB_MAX 1024   /* 6.18 has about 400; room for growth, bounded */

struct mib_ent {
	char name[MIB_NAME_MAX];
	uint64_t value;    /* Tcp MaxConn's -1 is kept as its two's complement */
};

struct mib {
	size_t n;
	bool sorted;
	struct mib_ent ent[MIB_MAX];
};

void mib_init(struct mib *m);
/* Adds or replaces; -1 when full or the name is too long. */
int mib_set(struct mib *m, const char *name, size_t name_len, uint64_t value);
/* Sorts by name so lookups are a binary search; call after loading. */
void mib_sort(struct mib *m);
/* true and *value when the counter exists. */
bool mib_get(const struct mib *m, const char *name, uint64_t *value);

/*
 * The counters an operator looks at when they move (drops, resets,
 * retransmits, memory), in the order a person reads them: the report's
 * "counters" list, watch's rates and the plots all use this one list.
 */
#define MIB_WATCHED_MAX 24
extern const char *const mib_watched[];
extern const unsigned mib_watched_n;

#endif
