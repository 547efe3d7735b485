// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netstat -s sentences. net-tools prints the counters of /proc/net/snmp
 * and /proc/net/netstat it knows as English sentences with the number
 * first (or, for a few, in the middle), and the rest as "Name: value".
 * The table maps each sentence to the nstat name, with '#' where the
 * number stands. Wordings: net-tools 2.10 (Debian 12, Ubuntu 22.04+), and
 * 1.60's older spellings (RHEL/CentOS 5-7, Ubuntu <= 16.04) where they
 * differ. Only the first sentences of a group are in both "Tcp:" and
 * "UdpLite:" shapes; UdpLite repeats Udp's and takes its prefix.
 */
#include "counters_netstat.h"

#include <stdio.h>
#include <string.h>

struct sentence {
	const char *group;
	const char *name;        /* without the group */
	const char *pat;
};

static const struct sentence table[] = {
	{ "Ip", "InReceives", "# total packets received" },
	{ "Ip", "InHdrErrors", "# with invalid headers" },
	{ "Ip", "InAddrErrors", "# with invalid addresses" },
	{ "Ip", "ForwDatagrams", "# forwarded" },
	{ "Ip", "InUnknownProtos", "# with unknown protocol" },
	{ "Ip", "InDiscards", "# incoming packets discarded" },
	{ "Ip", "InDelivers", "# incoming packets delivered" },
	{ "Ip", "OutRequests", "# requests sent out" },
	{ "Ip", "OutDiscards", "# outgoing packets dropped" },
	{ "Ip", "OutNoRoutes", "# dropped because of missing route" },
	{ "Ip", "ReasmTimeout", "# fragments dropped after timeout" },
	{ "Ip", "ReasmReqds", "# reassemblies required" },
	{ "Ip", "ReasmOKs", "# packets reassembled ok" },
	{ "Ip", "ReasmFails", "# packet reassembles failed" },
	{ "Ip", "FragOKs", "# fragments received ok" },
	{ "Ip", "FragFails", "# fragments failed" },
	{ "Ip", "FragCreates", "# fragments created" },
	{ "Icmp", "InMsgs", "# ICMP messages received" },
	{ "Icmp", "InErrors", "# input ICMP message failed" },
	{ "Icmp", "OutMsgs", "# ICMP messages sent" },
	{ "Icmp", "OutErrors", "# ICMP messages failed" },
	{ "Tcp", "ActiveOpens", "# active connection openings" },
	{ "Tcp", "ActiveOpens", "# active connections openings" },     /* 1.60 */
	{ "Tcp", "PassiveOpens", "# passive connection openings" },
	{ "Tcp", "AttemptFails", "# failed connection attempts" },
	{ "Tcp", "EstabResets", "# connection resets received" },
	{ "Tcp", "CurrEstab", "# connections established" },
	{ "Tcp", "InSegs", "# segments received" },
	{ "Tcp", "OutSegs", "# segments sent out" },
	{ "Tcp", "OutSegs", "# segments send out" },                    /* 1.60 */
	{ "Tcp", "RetransSegs", "# segments retransmitted" },
	{ "Tcp", "RetransSegs", "# segments retransmited" },            /* 1.60 */
	{ "Tcp", "InErrs", "# bad segments received" },
	{ "Tcp", "OutRsts", "# resets sent" },
	{ "Udp", "InDatagrams", "# packets received" },
	{ "Udp", "NoPorts", "# packets to unknown port received" },
	{ "Udp", "InErrors", "# packet receive errors" },
	{ "Udp", "OutDatagrams", "# packets sent" },
	{ "Udp", "RcvbufErrors", "# receive buffer errors" },
	{ "Udp", "SndbufErrors", "# send buffer errors" },
	{ "TcpExt", "SyncookiesSent", "# SYN cookies sent" },
	{ "TcpExt", "SyncookiesRecv", "# SYN cookies received" },
	{ "TcpExt", "SyncookiesFailed", "# invalid SYN cookies received" },
	{ "TcpExt", "EmbryonicRsts", "# resets received for embryonic SYN_RECV sockets" },
	{ "TcpExt", "PruneCalled", "# packets pruned from receive queue because of socket buffer overrun" },
	{ "TcpExt", "RcvPruned", "# packets pruned from receive queue" },
	{ "TcpExt", "OfoPruned", "# packets dropped from out-of-order queue because of socket buffer overrun" },
	{ "TcpExt", "TW", "# TCP sockets finished time wait in fast timer" },
	{ "TcpExt", "TWKilled", "# TCP sockets finished time wait in slow timer" },
	{ "TcpExt", "DelayedACKs", "# delayed acks sent" },
	{ "TcpExt", "DelayedACKLocked", "# delayed acks further delayed because of locked socket" },
	{ "TcpExt", "DelayedACKLost", "Quick ack mode was activated # times" },
	{ "TcpExt", "ListenOverflows", "# times the listen queue of a socket overflowed" },
	{ "TcpExt", "ListenDrops", "# SYNs to LISTEN sockets dropped" },
	{ "TcpExt", "ListenDrops", "# SYNs to LISTEN sockets ignored" },       /* 1.60 */
	{ "TcpExt", "TCPHPHits", "# packet headers predicted" },
	{ "TcpExt", "TCPPureAcks", "# acknowledgments not containing data payload received" },
	{ "TcpExt", "TCPHPAcks", "# predicted acknowledgments" },
	{ "TcpExt", "TCPTimeouts", "# other TCP timeouts" },
	{ "TcpExt", "TCPAbortOnData", "# connections reset due to unexpected data" },
	{ "TcpExt", "TCPAbortOnClose", "# connections reset due to early user close" },
	{ "TcpExt", "TCPAbortOnMemory", "# connections aborted due to memory pressure" },
	{ "TcpExt", "TCPAbortOnTimeout", "# connections aborted due to timeout" },
	{ "TcpExt", "TCPAbortOnLinger", "# connections aborted after user close in linger timeout" },
	{ "TcpExt", "TCPAbortFailed", "# times unable to send RST due to no memory" },
	{ "TcpExt", "TCPMemoryPressures", "TCP ran low on memory # times" },
	{ "TcpExt", "TCPBacklogDrop", "# packets dropped because of socket backlog" },
	{ "TcpExt", "TCPRetransFail", "# retransmits failed" },
	{ "TcpExt", "TCPSynRetrans", "# SYN retransmits" },
	{ "TcpExt", "TCPLossProbes", "# TLP probes" },
};

const char *const netstat_ext_zero[] = {
	"TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtPruneCalled", "TcpExtRcvPruned",
	"TcpExtSyncookiesSent", "TcpExtSyncookiesRecv", "TcpExtSyncookiesFailed",
	"TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose", "TcpExtTCPAbortOnMemory",
	"TcpExtTCPAbortOnTimeout", "TcpExtTCPAbortOnLinger", "TcpExtTCPMemoryPressures",
	"TcpExtTCPBacklogDrop", NULL,
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

/* s matches pat, runs of blanks in s as one space; '#' a number. */
static enum netstat_res match(const char *pat, const char *s, size_t len, size_t base,
			      uint64_t *v, size_t *col)
{
	size_t i = 0;

	for (; *pat; pat++) {
		if (*pat == '#') {
			size_t st = i;
			uint64_t x = 0;

			if (i >= len || !digit(s[i]))
				return NETSTAT_NONE;
			for (; i < len && digit(s[i]); i++) {
				uint64_t d = (uint64_t)(s[i] - '0');

				if (x > (UINT64_MAX - d) / 10) {
					*col = base + st + 1;
					/* only an overflow if the rest matches too */
					while (i < len && digit(s[i]))
						i++;
					return match(pat + 1, s + i, len - i, 0, &x, col) == NETSTAT_SET
						       ? NETSTAT_OVERFLOW : NETSTAT_NONE;
				}
				x = x * 10 + d;
			}
			*v = x;
			continue;
		}
		if (*pat == ' ') {
			if (i >= len || !blank(s[i]))
				return NETSTAT_NONE;
			while (i < len && blank(s[i]))
				i++;
			continue;
		}
		if (i >= len || s[i] != *pat)
			return NETSTAT_NONE;
		i++;
	}
	return i == len ? NETSTAT_SET : NETSTAT_NONE;
}

bool netstat_s_heading(const char *s, size_t len, char *out)
{
	if (len < 2 || len >= NETSTAT_GROUP_MAX || s[len - 1] != ':')
		return false;
	for (size_t i = 0; i + 1 < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || digit(s[i])))
			return false;
	if (s[0] < 'A' || s[0] > 'Z')
		return false;
	memcpy(out, s, len - 1);
	out[len - 1] = '\0';
	return true;
}

/* "Name: value" under a heading. */
static enum netstat_res name_value(const char *group, const char *s, size_t len, size_t base,
				   char *name, uint64_t *value, size_t *col)
{
	const char *c = memchr(s, ':', len);
	size_t n = c ? (size_t)(c - s) : 0, i, gl = strlen(group);
	uint64_t x = 0;

	if (!n || !group[0] || gl + n >= MIB_NAME_MAX || n + 2 > len || !blank(c[1]))
		return NETSTAT_NONE;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      digit(s[i]) || s[i] == '_'))
			return NETSTAT_NONE;
	for (i = n + 1; i < len && blank(s[i]); i++)
		;
	if (i == len)
		return NETSTAT_NONE;
	*col = base + i + 1;
	for (; i < len; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (!digit(s[i]))
			return NETSTAT_NONE;
		if (x > (UINT64_MAX - d) / 10)
			return NETSTAT_OVERFLOW;
		x = x * 10 + d;
	}
	snprintf(name, MIB_NAME_MAX, "%s%.*s", group, (int)n, s);
	*value = x;
	return NETSTAT_SET;
}

enum netstat_res netstat_s_line(const char *group, const char *s, size_t len,
				char *name, uint64_t *value, size_t *col)
{
	size_t base = 0;
	bool lite = !strcmp(group, "UdpLite");

	while (base < len && blank(s[base]))
		base++;
	s += base;
	len -= base;
	while (len && (blank(s[len - 1]) || s[len - 1] == '.'))
		len--;
	if (!len)
		return NETSTAT_NONE;
	for (size_t k = 0; k < sizeof(table) / sizeof(table[0]); k++) {
		const struct sentence *t = &table[k];
		enum netstat_res r;

		if (group[0] && strcmp(t->group, lite ? "Udp" : group))
			continue;
		r = match(t->pat, s, len, base, value, col);
		if (r == NETSTAT_NONE)
			continue;
		snprintf(name, MIB_NAME_MAX, "%s%s", group[0] ? group : t->group, t->name);
		return r;
	}
	return name_value(group, s, len, base, name, value, col);
}
