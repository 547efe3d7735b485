// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fin-wait-2-pile: connections this host closed (its FIN was ACKed) whose
 * peer never sent its own FIN. The other end sits in CLOSE-WAIT (its app
 * never closes) or is gone (a NAT or firewall forgot the flow, the peer
 * rebooted), so the fault is on the peer or the path, not here.
 *
 * net.ipv4.tcp_fin_timeout is easy to misread (kernel-facts.md "FIN-WAIT-2", checked
 * in a namespace): it bounds only ORPHANED FIN-WAIT-2, sockets the local
 * app already close()d, which ss shows with timer:(timewait,...). A
 * FIN-WAIT-2 still owned by a process (shutdown(SHUT_WR) without close())
 * outlived tcp_fin_timeout=2 untouched. The sample cannot tell the two
 * apart, and lowering the timeout fixes no peer, so no change is proposed.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/*
 * A FIN-WAIT-2 normally lasts one round trip plus the peer app's time to
 * close: 1,000 closes/s with 100 ms to close is ~100 at any instant, so
 * below 200 is ordinary closing traffic and not worth a line.
 */
#define FW2_REPORT_MIN 200u
/*
 * Orphans expire after tcp_fin_timeout (60 s), so 1,000 present at every
 * sample means about 17 connections per second whose peer never closes
 * (or owned sockets that never expire): a steady peer or path fault.
 * FIN-WAIT-2 costs little memory, so it never rises above a warning.
 */
#define FW2_WARNING 1000u
/* A local port is worth naming when it holds this share of the pile;
 * client connections spread one per ephemeral port and are not. */
#define FW2_PORT_SHOWN_PCT 10u
#define FW2_PORT_FILTER_PCT 50u   /* ... and worth filtering the verify on */
#define FW2_PORTS_SHOWN 3
#define FW2_SERIES_SHOWN 6

static uint64_t fin_wait2(const struct sample *s)
{
	return s->tally.by_state[TBL_TCP][SS_FIN_WAIT2];
}

/* Ports holding at least FW2_PORT_SHOWN_PCT of the pile, busiest first
 * (c * 100 >= total * pct, so at least the rounded-up share). */
static unsigned top_ports(const struct sample *s, uint64_t total, uint16_t *out, unsigned max)
{
	return diag_top_ports(s->fin_wait2_by_port, (total * FW2_PORT_SHOWN_PCT + 99) / 100,
			      out, max);
}

static uint64_t fw2_value(const struct series *ser, unsigned i, const void *ctx)
{
	(void)ctx;
	return fin_wait2(ser->s[i]);
}

/* The series and the busiest ports; filt gets the verify command's
 * filter when one port holds most of the pile. */
static void evidence(struct finding *f, const struct series *ser, uint64_t now,
		     char *filt, size_t filt_size)
{
	char sp[FINDING_SPAN_MAX];
	const struct sample *last = series_last(ser);
	uint16_t ports[FW2_PORTS_SHOWN];
	char tr[FINDING_TEXT] = "", a[32];
	int64_t fin_timeout;
	unsigned np;

	diag_series_values(tr, sizeof(tr), ser, FW2_SERIES_SHOWN, fw2_value, NULL);
	if (ser->n >= 2)
		finding_evidence(f, "ss -tan state fin-wait-2: %s in %u samples %s",
				 tr, ser->n, finding_span(sp, "over", series_span_s(ser)));
	else
		finding_evidence(f, "ss -tan state fin-wait-2: %s (one sample)", tr);
	np = top_ports(last, now, ports, FW2_PORTS_SHOWN);
	for (unsigned i = 0; i < np; i++)
		finding_evidence(f, "ss -tan state fin-wait-2 'sport = :%u': %s in the last sample (%s)",
				 ports[i], fmt_thousands(a, last->fin_wait2_by_port[ports[i]]),
				 sample_port_listening(last, ports[i]) ? "a listening port: this host closed first as the server"
							   : "no listener: client connections");
	if (np && (uint64_t)last->fin_wait2_by_port[ports[0]] * 100 >= now * FW2_PORT_FILTER_PCT)
		snprintf(filt, filt_size, " 'sport = :%u'", ports[0]);
	if (sample_sysctl(last, SYSCTL_TCP_FIN_TIMEOUT, &fin_timeout))
		finding_evidence(f, "sysctl net.ipv4.tcp_fin_timeout: %lld",
				 (long long)fin_timeout);
}

static void explain(struct finding *f, const struct series *ser, uint64_t now, bool big)
{
	const struct sample *last = series_last(ser);
	int64_t fin_timeout;
	char a[32];

	snprintf(f->explanation, sizeof(f->explanation),
		 "%s TCP connections are in FIN-WAIT-2: this host closed them and the peer "
		 "ACKed that, but the peer never sent its own FIN. ", fmt_thousands(a, now));
	if (!big) {
		diag_appendf(f->explanation, sizeof(f->explanation),
			"At this size that is ordinary closing traffic (a round trip plus the "
			"peer's time to close); nothing to do. ");
	} else {
		diag_appendf(f->explanation, sizeof(f->explanation),
			"On the other end these sit in CLOSE-WAIT (the peer app never calls "
			"close()) or the peer is gone (a NAT or firewall dropped the flow, the "
			"peer rebooted): fix the peer or the path. ");
		if (ser->n < 2)
			diag_appendf(f->explanation, sizeof(f->explanation),
				"One sample only: whether they persist was not confirmed. ");
	}
	if (sample_sysctl(last, SYSCTL_TCP_FIN_TIMEOUT, &fin_timeout))
		diag_appendf(f->explanation, sizeof(f->explanation),
			"net.ipv4.tcp_fin_timeout (%lld s here) limits only ORPHANED FIN-WAIT-2, "
			"sockets the local app already closed (ss -o shows timer:(timewait,...)). ",
			(long long)fin_timeout);
	else
		diag_appendf(f->explanation, sizeof(f->explanation),
			"net.ipv4.tcp_fin_timeout limits only ORPHANED FIN-WAIT-2, sockets the "
			"local app already closed (ss -o shows timer:(timewait,...)). ");
	diag_appendf(f->explanation, sizeof(f->explanation),
		"One still owned by a process (shutdown() without close()) ignores it and lasts "
		"until the peer closes or the process calls close(). Lowering it only shortens "
		"the orphans and fixes no peer, so no change is proposed.");
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last;
	uint64_t now, min = UINT64_MAX;
	bool big, warn;
	struct finding *f;
	char filt[32] = "";

	(void)o;
	if (!ser->n)
		return;
	last = series_last(ser);
	now = fin_wait2(last);
	if (now < FW2_REPORT_MIN)
		return;
	for (unsigned i = 0; i < ser->n; i++)
		if (fin_wait2(ser->s[i]) < min)
			min = fin_wait2(ser->s[i]);
	big = now >= FW2_WARNING;
	warn = ser->n >= 2 && min >= FW2_WARNING;
	f = rule_finding(out, self, 0, warn ? SEV_WARNING : SEV_INFO,
			 big ? SIDE_NETWORK : SIDE_NONE);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host");
	evidence(f, ser, now, filt, sizeof(filt));
	explain(f, ser, now, big);
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tano state fin-wait-2%s", filt);
	if (big)
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "fewer than %u remain, and those show timer:(timewait,...) and expire "
			 "within tcp_fin_timeout", FW2_REPORT_MIN);
	else
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "nothing to fix: the count stays below %u", FW2_WARNING);
}

const struct rule rule_fin_wait_2_pile = {
	.ids = { "fin-wait-2-pile" },
	.symptoms = 0,
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "peers not closing their side",
};
