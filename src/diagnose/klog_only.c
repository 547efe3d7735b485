// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Findings that rest on the kernel log alone. A pasted `dmesg` often
 * comes without the socket list, the counters or the sysctls the rule
 * behind a line needs (analyze); the line still names a cause, so the
 * rule's id is given, with its side, the confidence said plainly, the
 * capture that would confirm it, and no change: a line alone cannot size
 * one, and look-alikes exist (kernel-facts.md "Kernel log strings": the
 * pre-3.2 "Out of socket memory" covered orphans and memory both).
 * A rule opts in by naming its line in `struct rule.klog`. Imported
 * captures only: live triage has the inputs, and its log is host-wide.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

struct klog_only_def {
	enum kevent_kind kind;
	enum side side;
	const char *line;        /* the kernel's words, for the evidence */
	const char *means;
	const char *confirm;     /* the captures that would confirm it */
	const char *verify;
	const char *if_confirmed;  /* the change, once the captures confirm the cause */
};

static const struct klog_only_def defs[] = {
	{ KEV_SYN_FLOOD, SIDE_NETWORK, "Possible SYN flooding on port",
	  "a listener's SYN queue filled: a flood, a backlog too small for the connection "
	  "rate, or (\"Dropping request\") tcp_syncookies off, when the kernel drops the SYNs "
	  "instead of answering with cookies",
	  "ss -tan (SYN-RECV per listener, with Send-Q), nstat -az TcpExtListenDrops "
	  "TcpExtSyncookiesSent TcpExtTCPReqQFullDrop, sysctl net.ipv4.tcp_syncookies "
	  "net.ipv4.tcp_max_syn_backlog",
	  "nstat -az TcpExtListenDrops TcpExtTCPReqQFullDrop; dmesg | grep -c 'SYN flooding'",
	  "with \"Sending cookies\" the host is coping and the cause is upstream (filter the flood at the edge); with \"Dropping request\" set net.ipv4.tcp_syncookies = 1; only when SYN-RECV sits at the listener's backlog without a flood raise the application's listen() backlog: since 4.4 the SYN queue is bounded by the backlog, and "
	  "tcp_max_syn_backlog matters only with syncookies off" },
	{ KEV_TCP_OOM, SIDE_KERNEL, "TCP: out of memory -- consider tuning tcp_mem",
	  "TCP memory of the whole host went over tcp_mem[2]: sockets that needed memory failed "
	  "and orphans were killed",
	  "cat /proc/net/sockstat (TCP mem), sysctl net.ipv4.tcp_mem, nstat -az "
	  "TcpExtTCPMemoryPressures TcpExtTCPAbortOnMemory",
	  "grep TCP: /proc/net/sockstat; cat /proc/sys/net/ipv4/tcp_mem",
	  "first find what holds the memory (ss -tm: sockets with large Recv-Q or Send-Q, an application not reading); raise net.ipv4.tcp_mem only when the host really carries that much in flight, sized from sockstat's peak, not guessed" },
	{ KEV_ORPHANS, SIDE_KERNEL, "TCP: too many orphaned sockets",
	  "orphans (closed by the application, still being finished) went past tcp_max_orphans "
	  "(x2/x4 penalty: from 25% of it) and the kernel reset some",
	  "cat /proc/net/sockstat (TCP orphan), sysctl net.ipv4.tcp_max_orphans, ss -tan "
	  "(FIN-WAIT-1, LAST-ACK, CLOSING)",
	  "grep TCP: /proc/net/sockstat; cat /proc/sys/net/ipv4/tcp_max_orphans",
	  "find the peers that do not acknowledge the closes (ss -tan state fin-wait-1 / last-ack by address); lower net.ipv4.tcp_orphan_retries to finish them sooner, and raise tcp_max_orphans only if memory allows (each orphan can hold up to 64 KiB)" },
	{ KEV_CONNTRACK_FULL, SIDE_KERNEL, "nf_conntrack: table full, dropping packet",
	  "the connection tracking table was full and new flows' packets were dropped",
	  "conntrack -C (or net.netfilter.nf_conntrack_count), sysctl "
	  "net.netfilter.nf_conntrack_max, conntrack -S",
	  "conntrack -C; sysctl net.netfilter.nf_conntrack_max; conntrack -S",
	  "raise net.netfilter.nf_conntrack_max above the peak conntrack -C (back out: set the old value), or exempt the busy flows from tracking (nft notrack)" },
	{ KEV_TW_OVERFLOW, SIDE_KERNEL, "TCP: time wait bucket table overflow",
	  "TIME-WAIT sockets reached tcp_max_tw_buckets: new ones were closed at once instead",
	  "ss -tan (TIME-WAIT by destination), sysctl net.ipv4.tcp_max_tw_buckets "
	  "net.ipv4.ip_local_port_range",
	  "ss -tan state time-wait | wc -l; sysctl net.ipv4.tcp_max_tw_buckets",
	  "usually nothing: TIME-WAIT past the bucket limit is closed early, which is harmless unless the same ports are reused at once; let the clients reuse connections instead of raising the limit" },
};

static const struct klog_only_def *def_of(enum kevent_kind kind)
{
	for (size_t i = 0; i < sizeof(defs) / sizeof(defs[0]); i++)
		if (defs[i].kind == kind)
			return &defs[i];
	return NULL;
}

/* A SYN flood line with syncookies off ("Dropping request") is the kernel's setting. */
static enum side flood_side(const struct sample *last)
{
	for (uint32_t i = 0; i < last->n_kevents; i++)
		if (last->kevents[i].kind == KEV_SYN_FLOOD &&
		    last->kevents[i].action == KEV_ACT_DROPPING)
			return SIDE_KERNEL;
	return SIDE_NETWORK;
}

void klog_only_finding(const struct rule *r, const struct series *ser, struct findings *out)
{
	const struct klog_only_def *d = def_of(r->klog);
	const struct sample *last = series_last(ser);
	struct kev_scan k = series_kevents(ser, r->klog);
	struct finding *f;

	/*
	 * Imported captures only (their time is unknown). A live triage has
	 * the rule's inputs, and its kernel log is the whole host's: a line
	 * from another namespace must not speak for this one.
	 */
	if (!d || !k.events || k.timed || !(last->have & HAVE_KLOG))
		return;
	f = rule_finding(out, r, 0, SEV_WARNING,
			 d->kind == KEV_SYN_FLOOD ? flood_side(last) : d->side);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "kernel log only");
	finding_evidence(f, "dmesg: \"%s\" %u time%s%s", d->line, k.events, k.events == 1 ? "" : "s",
			 k.timed ? (k.recent ? ", during the samples" : ", before the samples")
				 : ", when is not known");
	snprintf(f->explanation, sizeof(f->explanation),
		 "Only the kernel log shows this, so the confidence is low: the line says %s. "
		 "Nothing else read confirms it, dates it or tells which cause, so no setting is "
		 "proposed with a number. Give %s to confirm it and get the exact change. Once "
		 "confirmed: %s.", d->means, d->confirm, d->if_confirmed);
	snprintf(f->verify_command, sizeof(f->verify_command), "%s", d->verify);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the line stops appearing and the confirming captures show no overflow");
}
