// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * retransmits: the share of segments sent twice, delta TcpRetransSegs /
 * delta TcpOutSegs over the series (kernel-facts.md "Retransmit counters"; the ratio hotsos and the
 * kube-prometheus dashboards use).
 *
 * Three things look like loss and are not, or not the network's:
 *  - Tail loss probes (TcpExtTCPLossProbes) resend the last segment after
 *    ~2 RTT of silence; many are spurious, and when they go through the
 *    retransmit path they count in RetransSegs. They are subtracted
 *    (an upper bound: a probe that sends new data is not a retransmit).
 *  - TcpExtTCPRetransFail: the retransmit failed on this host (qdisc or
 *    device drop, ENOBUFS, no route) - the fix is local, side KERNEL.
 *  - SYN-ACK retransmits (in TcpExtTCPSynRetrans) from our own full
 *    accept queue: with tcp_abort_on_overflow=0 the final ACK is ignored
 *    and the SYN-ACK resent (kernel-facts.md "Full accept queue") - the app is not accepting.
 * What remains is loss on the path: side NETWORK.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* hotsos flags RetransSegs above 1% of OutSegs: below that, loss is
 * normal Internet background. */
#define RETRANS_WARN_RATIO 0.01
/* Above 5% TCP throughput collapses (it falls with the square root of
 * the loss rate) and RTO stalls become visible to users. */
#define RETRANS_CRIT_RATIO 0.05
/* With fewer segments a handful of retransmits on an idle host reads as
 * a big percentage: 1000 segments make 1% mean at least 10 of them. */
#define RETRANS_MIN_OUTSEGS 1000
/* When SYN retransmits are at least half, the problem is connection
 * setup, not bulk loss. */
#define RETRANS_SYN_SHARE 0.5
/* A healthy host fails no retransmits locally: any in a few seconds
 * points at the local stack. */
#define RETRANS_FAIL_MIN 1

static void verify(struct finding *f)
{
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "nstat -az TcpRetransSegs TcpOutSegs; sleep 10; nstat -az TcpRetransSegs TcpOutSegs; "
		 "ss -ti | grep -o 'retrans:[0-9/]*'");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "TcpRetransSegs rises by less than %.0f%% of TcpOutSegs over the 10 s and "
		 "ss -ti retrans: totals stop growing", RETRANS_WARN_RATIO * 100);
}

static void check_local_failures(const struct rule *self, const struct series *ser, uint64_t fail,
				 uint64_t re, struct findings *out)
{
	double span = series_span_s(ser);
	struct finding *f;

	if (fail < RETRANS_FAIL_MIN)
		return;
	f = rule_finding(out, self, 0, SEV_WARNING, SIDE_KERNEL);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host: retransmits failing locally");
	finding_evidence_rise2(f, "TcpExtTCPRetransFail", fail, "TcpRetransSegs", re, span, NULL);
	snprintf(f->explanation, sizeof(f->explanation),
		 "TcpExtTCPRetransFail counts retransmissions this host failed to send: the qdisc or "
		 "device dropped it, a buffer allocation failed (ENOBUFS) or no route was found. "
		 "That is a local problem, not loss on the network: look at tc -s qdisc (drops, "
		 "overlimits), ip -s link (TX dropped/errors) and ip route get <peer>.");
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "nstat -az TcpExtTCPRetransFail; sleep 10; nstat -az TcpExtTCPRetransFail; tc -s qdisc");
	snprintf(f->fixed_when, sizeof(f->fixed_when), "TcpExtTCPRetransFail no longer rises");
}

static void one_sample(const struct rule *self, struct findings *out)
{
	struct finding *f = rule_one_sample_note(out, self, "host (TCP retransmits)",
		"one sample: nstat TcpRetransSegs and TcpOutSegs are totals since boot",
		"The retransmit ratio needs two samples (a rate, not a total since boot); with "
		"one sample the trend could not be confirmed.");

	if (f)
		verify(f);
}

/* Tail loss probes only (probes), SYN-ACKs of a full accept queue
 * (accept_full), or loss on the path. */
static void explain(struct finding *f, bool probes, bool accept_full, bool syn_setup,
		    double loss_ratio)
{
	if (probes)
		snprintf(f->explanation, sizeof(f->explanation),
			 "Most of the retransmits are tail loss probes: TCP resends the last segment "
			 "after about two round trips without an ACK, and many probes turn out "
			 "unnecessary. Without them the ratio is %.2f%%, under the %.0f%% that points at "
			 "real loss. Normal; leave it.", loss_ratio * 100, RETRANS_WARN_RATIO * 100);
	else if (accept_full)
		snprintf(f->explanation, sizeof(f->explanation),
			 "Most retransmits are SYN/SYN-ACKs while a listener's accept queue overflows: "
			 "with tcp_abort_on_overflow=0 the kernel ignores the client's final ACK and "
			 "resends the SYN-ACK, so these are not network loss. The app is not calling "
			 "accept() fast enough: see accept-queue-overflow.");
	else
		snprintf(f->explanation, sizeof(f->explanation),
			 "%.2f%% of the segments sent (tail loss probes excluded) had to be sent again: "
			 "packets are lost on the path or at the peer. %s Find the affected peers with "
			 "ss -ti (retrans:current/total per connection) or tcpretrans, then check the "
			 "interfaces on the path (ip -s link, switch counters, MTU). Tuning TCP here "
			 "hides loss, it does not remove it.",
			 loss_ratio * 100,
			 syn_setup ? "Most are SYN or SYN-ACK retransmits: handshakes are lost (a "
				     "firewall dropping SYNs, an unreachable peer, or a peer's full "
				     "SYN/accept queue)." : "");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	uint64_t seg, re, syn, tlp, fail, lo, lossy;
	double span = series_span_s(ser), ratio, loss_ratio;
	bool syn_setup, accept_full;
	enum severity sev;
	enum side side;
	struct finding *f;
	char note[128];

	if (ser->n < 2) {
		if (o->symptom == SYMPTOM_SLOW || o->symptom == SYMPTOM_TIMEOUT)
			one_sample(self, out);
		return;
	}
	seg = diag_mib_delta(ser, "TcpOutSegs");
	re = diag_mib_delta(ser, "TcpRetransSegs");
	syn = diag_mib_delta(ser, "TcpExtTCPSynRetrans");
	tlp = diag_mib_delta(ser, "TcpExtTCPLossProbes");
	fail = diag_mib_delta(ser, "TcpExtTCPRetransFail");
	lo = diag_mib_delta(ser, "TcpExtListenOverflows");

	check_local_failures(self, ser, fail, re, out);
	if (seg < RETRANS_MIN_OUTSEGS)
		return;
	ratio = (double)re / (double)seg;
	if (ratio <= RETRANS_WARN_RATIO)
		return;
	lossy = re > tlp ? re - tlp : 0;
	loss_ratio = (double)lossy / (double)seg;
	syn_setup = syn >= RETRANS_SYN_SHARE * (double)re;
	accept_full = syn_setup && lo > 0;

	if (loss_ratio <= RETRANS_WARN_RATIO) {
		sev = SEV_INFO;
		side = SIDE_NONE;
	} else {
		sev = loss_ratio > RETRANS_CRIT_RATIO ? SEV_CRITICAL : SEV_WARNING;
		side = accept_full ? SIDE_APP : SIDE_NETWORK;
	}
	f = rule_finding(out, self, 0, sev, side);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host: %.1f%% of segments retransmitted", ratio * 100);
	snprintf(note, sizeof(note), "retransmits are %.2f%% of segments sent", ratio * 100);
	finding_evidence_rise2(f, "TcpRetransSegs", re, "TcpOutSegs", seg, span, note);
	snprintf(note, sizeof(note), "tail loss probes, at most that many of the retransmits; "
		 "%.2f%% without them", loss_ratio * 100);
	if (tlp)
		finding_evidence_rise(f, "TcpExtTCPLossProbes", tlp, span, note);
	if (syn)
		finding_evidence_rise(f, "TcpExtTCPSynRetrans", syn, span, "SYN and SYN-ACK retransmits");
	if (accept_full)
		finding_evidence_rise(f, "TcpExtListenOverflows", lo, span, NULL);

	explain(f, sev == SEV_INFO, accept_full, syn_setup, loss_ratio);
	verify(f);
}

const struct rule rule_retransmits = {
	.ids = { "retransmits" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = HAVE_MIB,
	.check = check,
	.summary = "retransmitted share of segments; local failures",
};
