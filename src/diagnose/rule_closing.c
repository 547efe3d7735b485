// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * closing-pile: many TCP sockets to one remote address stuck in
 * FIN-WAIT-1, CLOSING or LAST-ACK. In all three this host has sent its
 * FIN (after data that may still be queued) and waits for the peer to
 * acknowledge it, so the fault is on the peer or the path
 * (kernel-facts.md "Closing states and their timers"):
 *
 *   timer persist  the peer advertises a zero window: its application
 *                  stopped reading, our data and FIN cannot leave;
 *   timer on       we retransmit and nothing comes back: the peer is
 *                  gone or a firewall drops its packets.
 *
 * Orphans (the application already closed them, no inode) are bounded by
 * net.ipv4.tcp_orphan_retries (per namespace; 0 means 8 tries), both for
 * retransmits and zero-window probes, and counted against the host-wide
 * net.ipv4.tcp_max_orphans, which a child namespace cannot read.
 * tcp_fin_timeout does not apply to any of these states. Lowering
 * tcp_orphan_retries only kills them sooner (the peer loses the tail of
 * the data) and fixes no peer, so no change is proposed.
 */
#include "rules.h"

#include "../model/addr.h"

#include <stdio.h>
#include <string.h>

/*
 * A closing socket normally lives one round trip. 100 to a single
 * address at one instant is 1,000 closes/s to it with a 100 ms RTT, or,
 * far more often, a peer that stopped acknowledging; below that it is
 * closing traffic.
 */
#define CLOSING_PEER_MIN 100u
/* Peers named in one report; the rest are summed. */
#define CLOSING_PEERS_SHOWN 3

static const char *const cl_names[CL_STATES] = { "FIN-WAIT-1", "CLOSING", "LAST-ACK" };

static uint32_t cl_total(const struct s_closing *c)
{
	return c->n[CL_FIN_WAIT1] + c->n[CL_CLOSING] + c->n[CL_LAST_ACK];
}

static const struct s_closing *cl_find(const struct sample *s, const struct s_closing *ref)
{
	for (uint32_t i = 0; i < s->n_closing; i++)
		if (s->closing[i].family == ref->family &&
		    !memcmp(s->closing[i].daddr, ref->daddr, 16))
			return &s->closing[i];
	return NULL;
}

/* The state holding most of the peer's sockets. */
static int cl_main_state(const struct s_closing *c)
{
	int k = CL_FIN_WAIT1;

	for (int i = 1; i < CL_STATES; i++)
		if (c->n[i] > c->n[k])
			k = i;
	return k;
}

/* How many samples hold at least CLOSING_PEER_MIN to this peer, and the counts. */
static unsigned cl_persist(const struct series *ser, const struct s_closing *c,
			   char *tr, size_t size)
{
	unsigned at = 0;

	for (unsigned i = 0; i < ser->n; i++) {
		const struct s_closing *x = cl_find(ser->s[i], c);
		uint32_t n = x ? cl_total(x) : 0;

		diag_appendf(tr, size, "%s%u", i ? " -> " : "", n);
		if (n >= CLOSING_PEER_MIN)
			at++;
	}
	return at;
}

static void cl_evidence(struct finding *f, const struct series *ser, const struct s_closing *c,
			const char *tr)
{
	const struct sample *last = series_last(ser);
	char a[ADDR_STR_MAX];
	int64_t v;

	addr_endpoint(a, c->family, c->daddr, -1);
	finding_evidence(f, "ss -Htan state fin-wait-1 state closing state last-ack dst %s | wc -l: "
			 "%s in %u sample%s%s", a, tr,
			 ser->n, ser->n == 1 ? "" : "s",
			 ser->n >= 2 ? "" : " (one sample)");
	finding_evidence(f, "ss -tano dst %s: FIN-WAIT-1 %u, CLOSING %u, LAST-ACK %u; %u orphaned "
			 "(no owner); timers: %u persist (zero window), %u on (retransmitting), "
			 "backoff up to %u; Send-Q %llu bytes queued (a FIN counts 1)",
			 a, c->n[CL_FIN_WAIT1], c->n[CL_CLOSING], c->n[CL_LAST_ACK], c->orphans,
			 c->persist, c->retrans, c->max_backoff, (unsigned long long)c->send_q);
	if (sample_sysctl(last, SYSCTL_TCP_ORPHAN_RETRIES, &v))
		finding_evidence(f, "sysctl net.ipv4.tcp_orphan_retries: %lld%s", (long long)v,
				 v == 0 ? " (0 means 8 tries)" : "");
	if (sample_sysctl(last, SYSCTL_TCP_MAX_ORPHANS, &v) && last->sockstat.tcp_orphan.present)
		finding_evidence(f, "cat /proc/net/sockstat: TCP orphan %lld; sysctl "
				 "net.ipv4.tcp_max_orphans: %lld (host-wide)",
				 (long long)last->sockstat.tcp_orphan.v, (long long)v);
}

static void cl_explain(struct finding *f, const struct series *ser, const struct s_closing *c,
		       bool orphan_max_known)
{
	char a[ADDR_STR_MAX], *x = f->explanation;
	size_t xs = sizeof(f->explanation);

	addr_endpoint(a, c->family, c->daddr, -1);
	diag_appendf(x, xs, "%u connections to %s are closing (mostly %s): this host sent its FIN "
		     "and waits for %s to acknowledge it. ", cl_total(c), a,
		     cl_names[cl_main_state(c)], a);
	if (c->persist * 2 >= c->persist + c->retrans && c->persist)
		diag_appendf(x, xs, "Most are probing a zero window (timer persist): the peer's "
			     "application stopped reading, so the queued data and the FIN cannot "
			     "leave. Fix the reader on %s. ", a);
	else
		diag_appendf(x, xs, "Most are retransmitting with no answer (timer on): the peer is "
			     "gone or a firewall/path drops its packets. Check that %s is up and "
			     "reachable. ", a);
	diag_appendf(x, xs, "Orphans (closed by the app, %u here) are bounded by "
		     "net.ipv4.tcp_orphan_retries (0 = 8 tries, retransmits and probes alike) and count "
		     "against the host-wide net.ipv4.tcp_max_orphans%s; owned ones last until the app "
		     "closes them or tcp_retries2 gives up. tcp_fin_timeout does not apply to these "
		     "states. Lowering the retries only kills them sooner (the peer loses the tail of "
		     "the data), so no change is proposed.", c->orphans,
		     orphan_max_known ? "" : " (not readable in this network namespace: judged from "
		     "the socket list alone)");
	if (ser->n < 2)
		diag_appendf(x, xs, " One sample only: whether they persist could not be confirmed.");
}

static void cl_emit(const struct rule *self, const struct series *ser, const struct s_closing *c,
		    unsigned at, const char *tr, struct findings *out)
{
	const struct sample *last = series_last(ser);
	bool warn = ser->n >= 2 && at == ser->n;
	int64_t v;
	struct finding *f = rule_finding(out, self, 0, warn ? SEV_WARNING : SEV_INFO, SIDE_NETWORK);
	char a[ADDR_STR_MAX];

	if (!f)
		return;
	addr_endpoint(a, c->family, c->daddr, -1);
	snprintf(f->subject, sizeof(f->subject), "peer %s", a);
	cl_evidence(f, ser, c, tr);
	cl_explain(f, ser, c, sample_sysctl(last, SYSCTL_TCP_MAX_ORPHANS, &v));
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -tano state fin-wait-1 state closing state last-ack dst %s", a);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "fewer than %u closing sockets to %s remain", CLOSING_PEER_MIN, a);
}

/* The biggest pile in s not yet in done[] (n_done of them), or NULL below the minimum. */
static const struct s_closing *cl_next(const struct sample *s, const struct s_closing **done,
				       unsigned n_done)
{
	const struct s_closing *best = NULL;

	for (uint32_t i = 0; i < s->n_closing; i++) {
		const struct s_closing *c = &s->closing[i];
		bool seen = false;

		for (unsigned k = 0; k < n_done; k++)
			seen = seen || done[k] == c;
		if (!seen && cl_total(c) >= CLOSING_PEER_MIN && (!best || cl_total(c) > cl_total(best)))
			best = c;
	}
	return best;
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct s_closing *done[CLOSING_PEERS_SHOWN], *c;
	unsigned shown = 0;

	(void)o;
	if (!ser->n)
		return;
	while (shown < CLOSING_PEERS_SHOWN && (c = cl_next(series_last(ser), done, shown))) {
		char tr[FINDING_TEXT] = "";
		unsigned at = cl_persist(ser, c, tr, sizeof(tr));

		cl_emit(self, ser, c, at, tr, out);
		done[shown++] = c;
	}
}

const struct rule rule_closing_pile = {
	.ids = { "closing-pile" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_EXHAUSTION) | SYMPTOM_BIT(SYMPTOM_RESET),
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "FIN-WAIT-1/CLOSING/LAST-ACK piles to one peer",
};
