// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * orphan-sockets: TCP sockets the applications have closed but the
 * kernel still finishes (FIN-WAIT-1/2, CLOSING, LAST-ACK), against
 * net.ipv4.tcp_max_orphans.
 *
 * Both the count (sockstat "orphan") and the limit are host-wide
 * (kernel-facts.md "orphans"). The kernel's test is `orphans << shift >
 * tcp_max_orphans` (same section): shift is 0 at close(), but on a retransmit or
 * probe timeout an orphan that has been silent for long, or has no reset
 * due, counts double, and double again after an ICMP soft error. So
 * orphans start being killed at 25% of the limit, many at 50%, all at
 * 100%. A killed orphan is reset (TcpExtTCPAbortOnMemory) and "TCP: too
 * many orphaned sockets" is logged: the peer loses the tail of the data.
 *
 * The limit is a kernel setting; what fills it is shown by the closing
 * states, which the explanation asks to look at before raising it.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/kevent.h"

/* orphans << 2 > max: the x4 penalty can already kill (25%). netdata
 * warns at the same point for the same reason. */
#define ORPHAN_SHIFT_WARN 2
/* orphans << 1 > max: the common x2 penalty kills (50%); netdata's
 * critical. */
#define ORPHAN_SHIFT_CRIT 1
/* The most the kernel multiplies by; the proposal keeps orphans << 2
 * within the new limit so no penalty can trigger at today's count. */
#define ORPHAN_SHIFT_MAX 2
/* ip-sysctl.rst: each orphan can eat up to ~64 KB of unswappable memory. */
#define ORPHAN_KB 64

static void change_max_orphans(struct finding *f, int64_t max, int64_t orphans)
{
	int64_t want = max * 2;
	struct change *c;

	if (orphans >= 0 && (orphans << ORPHAN_SHIFT_MAX) > want)
		want = orphans << ORPHAN_SHIFT_MAX;
	c = finding_change_sysctl(f, "net.ipv4.tcp_max_orphans", max, want);
	if (!c)
		return;
	snprintf(c->effective, sizeof(c->effective),
		 "immediately, host-wide (on the host, not in a container); persist it in "
		 "/etc/sysctl.d/. Worst case %lld MiB pinned: check tcp_mem and RAM",
		 (long long)(want * ORPHAN_KB / 1024));
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	const uint64_t *st = last->tally.by_state[TBL_TCP];
	struct kev_scan k = series_kevents(ser, KEV_ORPHANS);
	int64_t max = 0, orphans = last->sockstat.tcp_orphan.present ? last->sockstat.tcp_orphan.v : -1;
	bool has_max = sample_sysctl(last, SYSCTL_TCP_MAX_ORPHANS, &max) && max > 0;
	bool warn = has_max && orphans >= 0 && (orphans << ORPHAN_SHIFT_WARN) > max;
	bool crit = has_max && orphans >= 0 && (orphans << ORPHAN_SHIFT_CRIT) > max;
	uint64_t d_abort = 0;
	double span = series_span_s(ser);
	enum severity sev;
	struct finding *f;

	(void)o;
	series_mib_delta(ser, "TcpExtTCPAbortOnMemory", &d_abort);
	if (crit || k.recent || (d_abort && warn))
		sev = SEV_CRITICAL;
	else if (warn || k.events)
		sev = SEV_WARNING;
	else
		return;

	f = rule_finding(out, self, 0, sev, SIDE_KERNEL);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (net.ipv4.tcp_max_orphans)");
	if (orphans >= 0 && has_max)
		finding_evidence(f, "cat /proc/net/sockstat: TCP orphan %lld of tcp_max_orphans %lld (%.0f%%; "
				 "kills start at 25%%, x2 penalty at 50%%)",
				 (long long)orphans, (long long)max, 100.0 * (double)orphans / (double)max);
	else if (orphans >= 0)
		finding_evidence(f, "cat /proc/net/sockstat: TCP orphan %lld; net.ipv4.tcp_max_orphans not "
				 "readable here (host-wide, hidden in a child netns)", (long long)orphans);
	if (last->have & HAVE_CONN_STATES)
		finding_evidence(f, "ss -tan: FIN-WAIT-1 %llu, FIN-WAIT-2 %llu, CLOSING %llu, LAST-ACK %llu "
				 "(this netns; orphans are among them)",
				 (unsigned long long)st[SS_FIN_WAIT1], (unsigned long long)st[SS_FIN_WAIT2],
				 (unsigned long long)st[SS_CLOSING], (unsigned long long)st[SS_LAST_ACK]);
	if (d_abort)
		finding_evidence_rise(f, "TcpExtTCPAbortOnMemory", d_abort, span, NULL);
	if (k.events)
		finding_evidence(f, "dmesg: \"TCP: too many orphaned sockets\" %u time%s%s",
				 k.events, k.events == 1 ? "" : "s",
				 !k.timed ? ", when is not known" :
				 k.recent ? ", during the samples" : ", before the samples");

	snprintf(f->explanation, sizeof(f->explanation),
		 "Orphans are connections the application already closed that the kernel is still "
		 "finishing. %s The kernel kills orphans once orphans x1, x2 or x4 (a penalty for "
		 "silent or ICMP-hit ones) exceed tcp_max_orphans, so kills start at 25%% of the limit: "
		 "the peer gets a reset and loses the last data. Look at what they wait for: mostly "
		 "FIN-WAIT-1 = peers not acknowledging our data/FIN (slow, gone, zero window); "
		 "FIN-WAIT-2 = peers not closing their side (tcp_fin_timeout). Each orphan can pin "
		 "~64 KB; the limit and the count are host-wide.%s",
		 crit ? "There are enough of them that the kernel is killing them now."
		 : warn ? "There are enough of them that the kernel can kill the silent ones."
		 : "The kernel logged killing them earlier.",
		 ser->n < 2 ? " With one sample the trend could not be confirmed; no change is "
			      "proposed until a second sample shows it." : "");

	if (ser->n >= 2 && has_max)
		change_max_orphans(f, max, orphans);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "grep TCP: /proc/net/sockstat; cat /proc/sys/net/ipv4/tcp_max_orphans; "
		 "nstat -az TcpExtTCPAbortOnMemory");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "orphan stays below 25%% of tcp_max_orphans and TcpExtTCPAbortOnMemory stops rising");
}

const struct rule rule_orphan_sockets = {
	.ids = { "orphan-sockets" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_RESET) | SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	/* The orphan count; the socket list is only its evidence (checked
	 * there). */
	.needs = HAVE_SOCKSTAT,
	.check = check,
	.summary = "orphans vs tcp_max_orphans (x2/x4 penalty)",
	.klog = KEV_ORPHANS,
};
