/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_COUNTERS_H
#define SOCKVET_MODEL_COUNTERS_H

/*
 * struct sockstat_counts: the kernel's socket counters as /proc/net/
 * sockstat, sockstat6 and snmp (Tcp CurrEstab) report them, for ss -s
 * style summaries and for triage rules that must not pay for a dump.
 *
 * Every value has its own present flag: a kernel without IPv6 has no
 * sockstat6, a future kernel may drop a field, and "not reported" must
 * not read as zero. The has_* file flags say which files were read at
 * all. Mind the scope when inside a network namespace: inuse counts are
 * per namespace, but TCP alloc, orphan and mem are global.
 */

#include <stdbool.h>
#include <stdint.h>

struct counter {
	bool present;
	int64_t v;
};

struct sockstat_counts {
	bool has_sockstat;       /* PROC_ROOT/net/sockstat was read */
	bool has_sockstat6;      /* PROC_ROOT/net/sockstat6 was read */
	bool has_snmp;           /* PROC_ROOT/net/snmp was read */

	struct counter sockets_used;    /* sockets: used */
	struct counter tcp_inuse;       /* TCP: inuse orphan tw alloc mem */
	struct counter tcp_orphan;
	struct counter tcp_tw;
	struct counter tcp_alloc;
	struct counter tcp_mem;         /* pages */
	struct counter udp_inuse;       /* UDP: inuse mem */
	struct counter udp_mem;
	struct counter udplite_inuse;   /* UDPLITE: inuse */
	struct counter raw_inuse;       /* RAW: inuse */
	struct counter frag_inuse;      /* FRAG: inuse memory */
	struct counter frag_memory;     /* bytes */

	struct counter tcp6_inuse;      /* sockstat6 */
	struct counter udp6_inuse;
	struct counter udplite6_inuse;
	struct counter raw6_inuse;
	struct counter frag6_inuse;
	struct counter frag6_memory;

	struct counter tcp_curr_estab;  /* snmp Tcp: CurrEstab */
};

#endif
