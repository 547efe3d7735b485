// SPDX-License-Identifier: GPL-2.0-or-later
#include "sysctl.h"

#include <stdlib.h>

const struct sysctl_def sysctl_defs[SYSCTL_MAX] = {
	[SYSCTL_SOMAXCONN] = { "net.core.somaxconn", SYSCTL_NETNS },
	[SYSCTL_TCP_MAX_SYN_BACKLOG] = { "net.ipv4.tcp_max_syn_backlog", SYSCTL_NETNS },
	[SYSCTL_TCP_SYNCOOKIES] = { "net.ipv4.tcp_syncookies", SYSCTL_NETNS },
	[SYSCTL_TCP_ABORT_ON_OVERFLOW] = { "net.ipv4.tcp_abort_on_overflow", SYSCTL_NETNS },
	[SYSCTL_IP_LOCAL_PORT_RANGE] = { "net.ipv4.ip_local_port_range", SYSCTL_NETNS },
	[SYSCTL_IP_LOCAL_RESERVED_PORTS] = { "net.ipv4.ip_local_reserved_ports", SYSCTL_NETNS },
	[SYSCTL_TCP_TW_REUSE] = { "net.ipv4.tcp_tw_reuse", SYSCTL_NETNS },
	[SYSCTL_TCP_FIN_TIMEOUT] = { "net.ipv4.tcp_fin_timeout", SYSCTL_NETNS },
	[SYSCTL_TCP_MAX_TW_BUCKETS] = { "net.ipv4.tcp_max_tw_buckets", SYSCTL_NETNS },
	[SYSCTL_TCP_MAX_ORPHANS] = { "net.ipv4.tcp_max_orphans", SYSCTL_HOST },
	[SYSCTL_TCP_MEM] = { "net.ipv4.tcp_mem", SYSCTL_HOST },
	[SYSCTL_TCP_RMEM] = { "net.ipv4.tcp_rmem", SYSCTL_NETNS },
	[SYSCTL_TCP_WMEM] = { "net.ipv4.tcp_wmem", SYSCTL_NETNS },
	[SYSCTL_NF_CONNTRACK_MAX] = { "net.netfilter.nf_conntrack_max", SYSCTL_HOST },
	[SYSCTL_FILE_MAX] = { "fs.file-max", SYSCTL_HOST },
	[SYSCTL_NR_OPEN] = { "fs.nr_open", SYSCTL_HOST },
	[SYSCTL_TCP_ORPHAN_RETRIES] = { "net.ipv4.tcp_orphan_retries", SYSCTL_NETNS },
	/* Read-only in a child namespace on 6.18 (kernel-facts.md "Which sysctls"). */
	[SYSCTL_RMEM_MAX] = { "net.core.rmem_max", SYSCTL_HOST },
	[SYSCTL_RMEM_DEFAULT] = { "net.core.rmem_default", SYSCTL_HOST },
};

/*
 * ip_local_reserved_ports is a comma list of ports and ranges
 * ("8080,9000-9010"); count those inside [lo, hi]. Malformed text counts
 * nothing rather than guessing.
 */
static uint32_t reserved_in(const char *t, int64_t lo, int64_t hi)
{
	uint32_t n = 0;
	char *end;

	while (*t && *t != '\n') {
		long a = strtol(t, &end, 10), b;

		if (end == t)
			return 0;
		b = a;
		t = end;
		if (*t == '-') {
			b = strtol(t + 1, &end, 10);
			if (end == t + 1)
				return 0;
			t = end;
		}
		for (long p = a < lo ? lo : a; p <= b && p <= hi; p++)
			n++;
		if (*t == ',')
			t++;
	}
	return n;
}

bool sysctl_ephemeral_ports(const struct sysctl_set *s, uint32_t *count)
{
	const struct sysctl_val *r = &s->val[SYSCTL_IP_LOCAL_PORT_RANGE];
	const struct sysctl_val *res = &s->val[SYSCTL_IP_LOCAL_RESERVED_PORTS];
	uint32_t total, reserved = 0;

	if (!r->present || r->n != 2 || r->v[1] < r->v[0])
		return false;
	total = (uint32_t)(r->v[1] - r->v[0] + 1);
	if (res->present)
		reserved = reserved_in(res->text, r->v[0], r->v[1]);
	*count = reserved < total ? total - reserved : 0;
	return true;
}
