// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host-wide findings (finding_scope.h). Seen on 6.18 from a fresh
 * namespace: tcp_mem and tcp_max_orphans are absent there, sockstat's
 * orphan/alloc/mem and fs.file-nr read the same as on the host, and
 * nf_conntrack_max is read-only. See
 * kernel-facts.md "Which sysctls are per network namespace" and
 * kernel-facts.md "MIB counters and sockstat: what is per network namespace".
 * The kernel log is one ring for the whole host:
 * kernel-facts.md "Kernel log strings".
 * conntrack-table-full stays per namespace: each namespace's count is
 * compared with the one global max (kernel-facts.md "conntrack").
 */
#include "finding_scope.h"

#include <string.h>

static const struct {
	const char *id;
	const char *subject;     /* a prefix of the subject; NULL: any */
	const char *why;
} host_wide[] = {
	{ "tcp-memory-pressure", NULL, "tcp_mem and sockstat mem are host-wide" },
	{ "orphan-sockets", NULL, "tcp_max_orphans and sockstat orphan are host-wide" },
	{ "fd-exhaustion", "host", "fs.file-nr and fs.file-max are host-wide" },
	{ "syn-queue-overflow", "kernel log", "the kernel log is host-wide" },
};

const char findings_scope_per_netns[] =
	"sockets and their queues, the MIB counters (nstat), sockstat inuse and tw, "
	"somaxconn, tcp_max_syn_backlog, tcp_syncookies, ip_local_port_range, "
	"tcp_fin_timeout, tcp_max_tw_buckets, tcp_rmem/tcp_wmem, the conntrack count, "
	"and the processes holding the namespace's sockets";
const char findings_scope_host[] =
	"fs.file-nr and fs.file-max, tcp_mem and sockstat mem, tcp_max_orphans and "
	"sockstat orphan, nf_conntrack_max, rmem_max, the kernel log";

bool finding_host_wide(const struct finding *f, const char **why)
{
	for (size_t i = 0; i < sizeof(host_wide) / sizeof(host_wide[0]); i++) {
		const char *s = host_wide[i].subject;

		if (strcmp(f->id, host_wide[i].id) || (s && strncmp(f->subject, s, strlen(s))))
			continue;
		if (why)
			*why = host_wide[i].why;
		return true;
	}
	return false;
}

static bool already(const struct findings *hw, const struct finding *f)
{
	for (unsigned i = 0; i < hw->n; i++)
		if (!strcmp(hw->f[i].id, f->id) && !strcmp(hw->f[i].subject, f->subject))
			return true;
	return false;
}

unsigned findings_take_host_wide(struct findings *fs, struct findings *hw)
{
	unsigned kept = 0, taken = 0;

	for (unsigned i = 0; i < fs->n; i++) {
		const struct finding *f = &fs->f[i];

		if (!finding_host_wide(f, NULL)) {
			if (kept != i)
				fs->f[kept] = *f;
			kept++;
			continue;
		}
		taken++;
		if (already(hw, f))
			continue;
		if (hw->n < FINDINGS_MAX)
			hw->f[hw->n++] = *f;
		else
			hw->dropped++;
	}
	fs->n = kept;
	return taken;
}
