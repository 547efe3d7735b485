// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * connection-resets: connections torn down abnormally, from the rise of
 * the reset and abort counters between the first and last sample.
 *
 * The counters are since boot, so one sample says nothing about now;
 * with one sample this rule stays silent unless the user reported
 * resets, and then only says a trend is needed.
 *
 * The counters overlap (kernel-facts.md "Resets and aborts"): TcpOutRsts counts the RSTs our
 * own aborts send (AbortOnClose/Data/Linger) as well as stateless ones
 * for closed ports; TcpEstabResets counts every abnormal end of an
 * ESTABLISHED or CLOSE-WAIT connection, ours (aborts, timeouts) and the
 * peer's RSTs. Subtracting what the specific counters explain splits the
 * resets into five causes, and the biggest one decides where the fix
 * lives:
 *   our app aborted (close with unread data, zero linger, data after
 *     close, TCP_LINGER2 < 0)        -> APP
 *   retransmit/probe limit hit      -> NETWORK (path or peer)
 *   connection attempts failed      -> NETWORK (peer refused or unreachable)
 *   RSTs for closed ports           -> APP (a service not listening) or a scan
 *   resets the peers sent           -> NETWORK (the peer side)
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

/* netdata's reset alarms use 5/s as the floor below which a rate is
 * noise on any host (tcp_resets.conf: max(5, 1m avg)). */
#define RESET_RATE_WARN 5.0
/* Ten times that floor, netdata's spike factor: at that rate users see
 * failures, not the odd dropped mobile client. */
#define RESET_RATE_CRIT 50.0
/* On a busy host a rate above the floor can still be a tiny share of
 * the connections opened; below 1% of them it is background. Stateless
 * RSTs are exempt: they answer connections that never opened. */
#define RESET_SHARE_MIN 0.01

enum cause { C_APP_ABORT, C_TIMEOUT, C_CONNECT_FAIL, C_CLOSED_PORT, C_PEER_RESET, C_MAX };

static const struct {
	enum side side;
	const char *what;
	const char *why;
} causes[C_MAX] = {
	[C_APP_ABORT] = { SIDE_APP, "local applications aborting connections",
			  "TcpExtTCPAbortOnClose: the app called close() with received data still "
			  "unread, so the kernel sent a RST (an app bug, or a protocol where the client "
			  "closes early); TcpExtTCPAbortOnData: SO_LINGER with a zero timeout, or data "
			  "arriving after the app closed; TcpExtTCPAbortOnLinger: TCP_LINGER2 < 0. The fix "
			  "is in the app: read until EOF before close(), no zero linger." },
	[C_TIMEOUT] = { SIDE_NETWORK, "connections killed after their retransmission limit",
			"TcpExtTCPAbortOnTimeout: the kernel gave up after tcp_retries2 / syn_retries "
			"/ TCP_USER_TIMEOUT or the zero-window probe limit: the path loses packets or "
			"the peer went away. Check retransmits (ss -ti retrans:) per destination." },
	[C_CONNECT_FAIL] = { SIDE_NETWORK, "failed connection attempts",
			     "TcpAttemptFails: connects that ended in SYN-SENT or SYN-RECV, refused "
			     "by the peer (no listener there) or timed out, plus embryonic resets. "
			     "Find the destination: ss -tn state syn-sent, and the peer's service." },
	[C_CLOSED_PORT] = { SIDE_APP, "RSTs sent for closed ports",
			    "TcpOutRsts beyond what our aborts explain: the kernel answers a SYN or "
			    "segment for a port with no socket with a RST. A service that crashed or "
			    "listens on another port (or in another netns) does that to its clients; "
			    "a port scan looks the same (many source addresses). Check ss -ltn." },
	[C_PEER_RESET] = { SIDE_NETWORK, "resets received from peers",
			   "TcpEstabResets beyond what our own aborts and timeouts explain: the peers "
			   "(or a middlebox: load balancer idle timeout, firewall) reset established "
			   "connections. Capture one: tcpdump -ni any 'tcp[tcpflags] & tcp-rst != 0'." },
};

static uint64_t minus(uint64_t a, uint64_t b)
{
	return a > b ? a - b : 0;
}

static const char *const counters[] = {
	"TcpEstabResets", "TcpOutRsts", "TcpAttemptFails", "TcpExtTCPAbortOnClose",
	"TcpExtTCPAbortOnData", "TcpExtTCPAbortOnTimeout", "TcpExtTCPAbortOnLinger",
};

/* No rate: one sample, or captures whose times are unknown (analyze). */
static void one_sample(const struct rule *self, bool untimed, struct findings *out)
{
	struct finding *f = rule_one_sample_note(out, self, "host (TCP reset counters)",
		untimed ? "time between captures unknown: a rise, but no rate"
			: "one sample: nstat counters are totals since boot",
		untimed ? "Reset and abort counters only mean something as a rate, and the time "
			  "between these captures is not known (no capture header, no date "
			  "beside them). Capture again with `date` before each round, or with "
			  "sockvet capture --samples 3."
			: "Reset and abort counters only mean something as a rate; with one sample "
			  "the trend could not be confirmed. Run triage with at least two samples "
			  "while the resets happen.");

	if (!f)
		return;
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "nstat -n; sleep 10; nstat -z TcpEstabResets TcpOutRsts TcpAttemptFails");
	snprintf(f->fixed_when, sizeof(f->fixed_when), "a run with two or more samples");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	uint64_t est, rsts, fails, ab_close, ab_data, ab_timeout, ab_linger, opens, c[C_MAX];
	uint64_t d_active = 0, d_passive = 0;
	bool has_opens;
	double span = series_span_s(ser), rate;
	enum cause top = C_APP_ABORT;
	enum severity sev;
	struct finding *f;

	if (ser->n < 2 || span <= 0) {
		if (o->symptom == SYMPTOM_RESET)
			one_sample(self, ser->n >= 2, out);
		return;
	}
	est = diag_mib_delta(ser, "TcpEstabResets");
	rsts = diag_mib_delta(ser, "TcpOutRsts");
	fails = diag_mib_delta(ser, "TcpAttemptFails");
	ab_close = diag_mib_delta(ser, "TcpExtTCPAbortOnClose");
	ab_data = diag_mib_delta(ser, "TcpExtTCPAbortOnData");
	ab_timeout = diag_mib_delta(ser, "TcpExtTCPAbortOnTimeout");
	ab_linger = diag_mib_delta(ser, "TcpExtTCPAbortOnLinger");
	has_opens = series_mib_delta(ser, "TcpActiveOpens", &d_active) &&
		    series_mib_delta(ser, "TcpPassiveOpens", &d_passive);
	opens = d_active + d_passive;

	c[C_APP_ABORT] = ab_close + ab_data + ab_linger;
	c[C_TIMEOUT] = ab_timeout;
	c[C_CONNECT_FAIL] = fails;
	c[C_CLOSED_PORT] = minus(rsts, c[C_APP_ABORT]);
	c[C_PEER_RESET] = minus(est, c[C_APP_ABORT] + ab_timeout);
	for (int i = 1; i < C_MAX; i++)
		if (c[i] > c[top])
			top = (enum cause)i;

	rate = (double)c[top] / span;
	if (rate < RESET_RATE_WARN)
		return;
	if (top != C_CLOSED_PORT && has_opens && (double)c[top] < RESET_SHARE_MIN * (double)opens)
		return;
	sev = rate >= RESET_RATE_CRIT ? SEV_CRITICAL : SEV_WARNING;

	f = rule_finding(out, self, 0, sev, causes[top].side);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host: %s", causes[top].what);
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++) {
		uint64_t d = diag_mib_delta(ser, counters[i]);
		char per_s[32];

		if (!d)
			continue;
		snprintf(per_s, sizeof(per_s), "%.1f/s", (double)d / span);
		finding_evidence_rise(f, counters[i], d, span, per_s);
	}
	if (has_opens)
		finding_evidence(f, "TcpActiveOpens + TcpPassiveOpens rose by %llu in %.1f s, %.1f/s "
				 "(nstat -az TcpActiveOpens TcpPassiveOpens)",
				 (unsigned long long)opens, span, (double)opens / span);

	snprintf(f->explanation, sizeof(f->explanation),
		 "Connections are being reset at %.1f/s; most are %s (%llu in %.1f s). %s",
		 rate, causes[top].what, (unsigned long long)c[top], span, causes[top].why);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "nstat -n; sleep 10; nstat -z TcpEstabResets TcpOutRsts TcpAttemptFails "
		 "TcpExtTCPAbortOnClose TcpExtTCPAbortOnData TcpExtTCPAbortOnTimeout");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "each counter rises by less than %.0f in the 10 s (%.0f/s)",
		 RESET_RATE_WARN * 10, RESET_RATE_WARN);
}

const struct rule rule_connection_resets = {
	.ids = { "connection-resets" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_RESET),
	.needs = HAVE_MIB,
	.check = check,
	.summary = "resets and failed attempts rising",
};
