// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connect-timeouts: outbound connects that hang. A SYN-SENT socket waits
 * for the SYN-ACK; a healthy one lives a round trip. Many to one
 * destination, in every sample, mean its SYNs get no answer at all: the
 * remote host is down, or a firewall on the path (or on the remote)
 * drops them silently. A refusing remote answers with a RST at once and
 * leaves no SYN-SENT. The kernel retransmits the SYN
 * net.ipv4.tcp_syn_retries times (6: about 127 s) before connect() fails
 * with ETIMEDOUT
 * (kernel-facts.md "SYN-SENT: connects that get no answer"); the application's own timeout usually fires first. Nothing
 * on this host is at fault, so no change is proposed: fix the remote or
 * the path, or lower the app's connect timeout so it fails fast.
 */
#include "rules.h"

#include "../model/addr.h"

#include <stdio.h>
#include <string.h>

/*
 * 50 unanswered handshakes to one destination at one instant is 500
 * connects/s at a 100 ms round trip: far beyond a client's ordinary
 * connect rate to one service, while a dead remote collects every
 * attempt for two minutes.
 */
#define SYN_SENT_MIN 50u
#define SYN_SENT_SHOWN 3

static const struct s_dest *dest_find(const struct sample *s, const struct s_dest *ref)
{
	for (uint32_t i = 0; i < s->n_dests; i++) {
		const struct s_dest *d = &s->dests[i];

		if (d->family == ref->family && d->dport == ref->dport &&
		    !memcmp(d->daddr, ref->daddr, 16) && !memcmp(d->saddr, ref->saddr, 16))
			return d;
	}
	return NULL;
}

/*
 * Connects to a listener of this namespace from its own address (loopback
 * or not): their SYNs are dropped by a full accept or SYN queue here,
 * which the queue rules report with the cause; not a remote fault.
 */
static bool local_listener(const struct sample *s, const struct s_dest *d)
{
	return sample_port_listening(s, d->dport) && !memcmp(d->saddr, d->daddr, 16);
}

static void emit(const struct rule *self, const struct series *ser, const struct focus *o,
		 const struct s_dest *d, struct findings *out)
{
	char tr[FINDING_TEXT] = "", ep[ADDR_STR_MAX];
	unsigned at = 0;
	bool warn, timeout = o && o->symptom == SYMPTOM_TIMEOUT;
	struct finding *f;
	int64_t est = 0;

	for (unsigned i = 0; i < ser->n; i++) {
		const struct s_dest *x = dest_find(ser->s[i], d);
		uint32_t n = x ? x->syn_sent : 0;

		diag_appendf(tr, sizeof(tr), "%s%u", i ? " -> " : "", n);
		at += n >= SYN_SENT_MIN;
		if (x && i == ser->n - 1)
			est = x->established;
	}
	warn = ser->n >= 2 && at == ser->n;
	f = rule_finding(out, self, 0, warn ? (timeout ? SEV_CRITICAL : SEV_WARNING) : SEV_INFO,
			 SIDE_NETWORK);
	if (!f)
		return;
	addr_endpoint(ep, d->family, d->daddr, d->dport);
	snprintf(f->subject, sizeof(f->subject), "destination %s", ep);
	finding_evidence(f, "ss -Htan state syn-sent dst %s | wc -l: %s in %u sample%s%s", ep, tr,
			 ser->n, ser->n == 1 ? "" : "s", ser->n == 1 ? " (one sample)" : "");
	finding_evidence(f, "ss -Htan state established dst %s | wc -l: %lld in the last sample", ep,
			 (long long)est);
	diag_appendf(f->explanation, sizeof(f->explanation),
		     "%u connects from this host to %s are waiting for a SYN-ACK that does not come. "
		     "A healthy handshake lasts one round trip and a refusing host answers with a "
		     "reset at once, so the SYNs are being dropped: %s is down, or a firewall on the "
		     "path or on it drops them. The kernel retries the SYN tcp_syn_retries times "
		     "(6: about 127 s) before connect() fails with ETIMEDOUT; the client sees "
		     "timeouts. Nothing on this host is the cause, so no change is proposed: check "
		     "the remote and the firewalls between (a SYN capture on both ends shows where "
		     "they stop), and give the client a short connect timeout so it fails fast.",
		     d->syn_sent, ep, ep);
	if (ser->n < 2)
		diag_appendf(f->explanation, sizeof(f->explanation),
			     " One sample only: whether they persist could not be confirmed.");
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -tano state syn-sent dst %s", ep);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "fewer than %u connects to %s wait in SYN-SENT and established ones appear",
		 SYN_SENT_MIN, ep);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last;
	unsigned shown = 0;

	if (!ser->n)
		return;
	last = series_last(ser);
	for (uint32_t i = 0; i < last->n_dests && shown < SYN_SENT_SHOWN; i++) {
		const struct s_dest *d = &last->dests[i];

		if (d->syn_sent < SYN_SENT_MIN || local_listener(last, d))
			continue;
		emit(self, ser, o, d, out);
		shown++;
	}
}

const struct rule rule_connect_timeouts = {
	.ids = { "connect-timeouts" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_TIMEOUT),
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "SYN-SENT piling up to one destination",
};
