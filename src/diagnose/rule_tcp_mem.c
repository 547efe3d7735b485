// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tcp-memory-pressure: the memory all TCP sockets of the host hold
 * (sockstat "TCP ... mem", in pages) against net.ipv4.tcp_mem.
 *
 * tcp_mem is min/pressure/max in pages and host-wide (kernel-facts.md "tcp_mem pressure";
 * not even visible in a child netns). Above [1] the kernel enters memory
 * pressure (TcpExtTCPMemoryPressures counts the entries) and shrinks
 * socket buffers: throughput drops everywhere. Above [2] a socket with
 * queued data that wants more memory makes tcp_check_oom() true: orphans
 * are killed (TcpExtTCPAbortOnMemory) and "TCP: out of memory --
 * consider tuning tcp_mem" is logged (kernel-facts.md "Kernel log strings"). TcpExtTCPAbortOnMemory also
 * counts kills for too many orphans, so it is only credited here when
 * the memory condition is plausible.
 *
 * The limit is the kernel's, but raising it only helps when the memory
 * is real traffic; sockets whose app does not read (big Recv-Q) or whose
 * peer does not read (big Send-Q), and orphans, hold memory too. The
 * explanation says how to find those first.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/kevent.h"

/* The kernel's own thresholds are the meaningful ones: pressure at
 * tcp_mem[1], failure above tcp_mem[2]; no extra margin is invented. */
#define TCPMEM_PRESSURE 1
#define TCPMEM_MAX 2
/* Doubling all three keeps their ratios (the kernel sets [0] = 3/4 [1]
 * and [2] = 2 [0] at boot) and moves the hard limit from about 9% to
 * about 19% of RAM on a default host. */
#define TCPMEM_SCALE 2
/* For "how big is that": pages are 4 KiB on x86-64; the text says so. */
#define PAGE_KIB 4

static bool get_tcp_mem(const struct sample *s, int64_t v[3])
{
	const struct sysctl_val *x = &s->sysctl.val[SYSCTL_TCP_MEM];

	if (!x->present || x->n < 3)
		return false;
	for (int i = 0; i < 3; i++)
		v[i] = x->v[i];
	return true;
}

static double mib_page(int64_t pages)
{
	return (double)pages * PAGE_KIB / 1024.0;
}

static void change_tcp_mem(struct finding *f, const int64_t lim[3])
{
	struct change *c = finding_change(f);

	if (!c)
		return;
	snprintf(c->setting, sizeof(c->setting), "net.ipv4.tcp_mem");
	snprintf(c->current, sizeof(c->current), "%lld %lld %lld",
		 (long long)lim[0], (long long)lim[1], (long long)lim[2]);
	snprintf(c->proposed, sizeof(c->proposed), "%lld %lld %lld",
		 (long long)lim[0] * TCPMEM_SCALE, (long long)lim[1] * TCPMEM_SCALE,
		 (long long)lim[2] * TCPMEM_SCALE);
	snprintf(c->backout, sizeof(c->backout), "sysctl -w net.ipv4.tcp_mem=\"%lld %lld %lld\"",
		 (long long)lim[0], (long long)lim[1], (long long)lim[2]);
	snprintf(c->effective, sizeof(c->effective),
		 "immediately, host-wide (on the host, not in a container); persist it in "
		 "/etc/sysctl.d/. Max %.0f MiB at 4 KiB pages: check the RAM can spare it",
		 mib_page(lim[2] * TCPMEM_SCALE));
}

/* TCP memory against tcp_mem (lim NULL when unreadable) and the socket counts. */
static void sockstat_evidence(struct finding *f, const struct sockstat_counts *ss, int64_t mem,
			      const int64_t *lim, bool over_max, bool in_pressure)
{
	if (mem >= 0 && lim)
		finding_evidence(f, "cat /proc/net/sockstat: TCP mem %lld pages (%.0f MiB at 4 KiB), "
				 "tcp_mem %lld %lld %lld: %s",
				 (long long)mem, mib_page(mem), (long long)lim[0], (long long)lim[1],
				 (long long)lim[2],
				 over_max ? "above the hard limit [2]"
				 : in_pressure ? "above the pressure threshold [1]"
				 : "below the pressure threshold [1] now");
	else if (mem >= 0)
		finding_evidence(f, "cat /proc/net/sockstat: TCP mem %lld pages; net.ipv4.tcp_mem not readable "
				 "here (host-wide, hidden in a child netns)", (long long)mem);
	if (ss->tcp_alloc.present)
		finding_evidence(f, "cat /proc/net/sockstat: TCP inuse %lld orphan %lld tw %lld alloc %lld",
				 (long long)(ss->tcp_inuse.present ? ss->tcp_inuse.v : 0),
				 (long long)(ss->tcp_orphan.present ? ss->tcp_orphan.v : 0),
				 (long long)(ss->tcp_tw.present ? ss->tcp_tw.v : 0),
				 (long long)ss->tcp_alloc.v);
}

/* ran_out: the kernel logged running out, or aborted for memory. */
static void explain(struct finding *f, unsigned n_samples, bool over_max, bool in_pressure,
		    bool ran_out)
{
	snprintf(f->explanation, sizeof(f->explanation),
		 "All TCP sockets of the host share one memory budget, net.ipv4.tcp_mem (pages: "
		 "min, pressure, max). %s First find what holds the memory: ss -tnH | sort -k2,2nr "
		 "| head lists the biggest Recv-Q (an app not reading: fix the app), sort -k3,3nr the "
		 "biggest Send-Q (slow or stalled peers), and orphans (closed sockets still sending) "
		 "count too. Raise tcp_mem only when the memory is real traffic. tcp_mem is host-wide: "
		 "it cannot be set inside a container's netns.%s",
		 over_max ? "Usage is above max: sockets that need memory fail, orphans are killed "
			    "(TcpExtTCPAbortOnMemory) and the kernel logs \"out of memory -- consider "
			    "tuning tcp_mem\"; peers see resets."
		 : in_pressure ? "Usage is above the pressure threshold: the kernel shrinks socket "
				 "buffers, so every connection gets slower."
		 : ran_out ? "The kernel ran out of TCP memory (log line / aborts): "
					    "orphans were killed and peers saw resets."
		 : "The host entered memory pressure during the samples: socket buffers were "
		   "shrunk and connections slowed.",
		 n_samples < 2 ? " With one sample the trend could not be confirmed; no change is "
			      "proposed until a second sample shows it." : "");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	const struct sockstat_counts *ss = &last->sockstat;
	struct kev_scan k = series_kevents(ser, KEV_TCP_OOM);
	int64_t lim[3] = { 0, 0, 0 }, mem = ss->tcp_mem.present ? ss->tcp_mem.v : -1;
	bool has_lim = get_tcp_mem(last, lim);
	bool in_pressure = has_lim && mem >= 0 && mem > lim[TCPMEM_PRESSURE];
	bool over_max = has_lim && mem >= 0 && mem > lim[TCPMEM_MAX];
	uint64_t d_press = 0, d_abort = 0, d_prune = 0, d_rcvpruned = 0;
	double span = series_span_s(ser);
	bool abort_ours;
	uint64_t unread = 0;
	enum severity sev;
	struct finding *f;

	(void)o;
	series_mib_delta(ser, "TcpExtTCPMemoryPressures", &d_press);
	series_mib_delta(ser, "TcpExtTCPAbortOnMemory", &d_abort);
	series_mib_delta(ser, "TcpExtPruneCalled", &d_prune);
	series_mib_delta(ser, "TcpExtRcvPruned", &d_rcvpruned);
	abort_ours = d_abort && (in_pressure || k.events);

	if (over_max || k.recent || abort_ours)
		sev = SEV_CRITICAL;
	else if (in_pressure || d_press || k.events)
		sev = SEV_WARNING;
	else
		return;

	f = rule_finding(out, self, 0, sev, SIDE_KERNEL);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (net.ipv4.tcp_mem)");
	sockstat_evidence(f, ss, mem, has_lim ? lim : NULL, over_max, in_pressure);
	if (d_press)
		finding_evidence_rise(f, "TcpExtTCPMemoryPressures", d_press, span, NULL);
	if (d_abort)
		finding_evidence_rise(f, "TcpExtTCPAbortOnMemory", d_abort, span,
				      abort_ours ? NULL : "memory is below the limits: see orphan-sockets");
	if (d_prune || d_rcvpruned)
		finding_evidence_rise2(f, "TcpExtPruneCalled", d_prune, "TcpExtRcvPruned", d_rcvpruned,
				       span, NULL);
	if (k.events)
		finding_evidence(f, "dmesg: \"TCP: out of memory -- consider tuning tcp_mem\" %u time%s%s",
				 k.events, k.events == 1 ? "" : "s",
				 !k.timed ? ", when is not known" :
				 k.recent ? ", during the samples" : ", before the samples");
	for (uint32_t i = 0; i < last->n_procs; i++)
		unread += last->procs[i].close_wait_unread;
	if (unread)
		finding_evidence(f, "ss -tn state close-wait: %llu sockets whose app never read the peer's "
				 "data or EOF (Recv-Q >= 1)", (unsigned long long)unread);

	explain(f, ser->n, over_max, in_pressure, abort_ours || k.events);

	if (ser->n >= 2 && has_lim)
		change_tcp_mem(f, lim);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "grep TCP: /proc/net/sockstat; cat /proc/sys/net/ipv4/tcp_mem; "
		 "nstat -az TcpExtTCPMemoryPressures TcpExtTCPAbortOnMemory");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "TCP mem stays below tcp_mem[1] and neither counter rises between two runs");
}

const struct rule rule_tcp_memory_pressure = {
	.ids = { "tcp-memory-pressure" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_RESET) | SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	.needs = HAVE_SOCKSTAT,
	.check = check,
	.summary = "TCP memory vs tcp_mem",
	.klog = KEV_TCP_OOM,
};
