// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ephemeral-port-exhaustion: connect() needs a local port that makes the
 * 4-tuple unique, so the budget is per (source IP, destination IP:port):
 * connections to different destinations reuse the same ports and never
 * compete (kernel-facts.md "TIME-WAIT and the ephemeral port range"; checked again in a namespace: with range
 * 40000-40009 each of two destinations got 9 connections, then
 * EADDRNOTAVAIL). Host-wide TIME-WAIT counts therefore prove nothing;
 * only s_dest, which counts every state of one tuple set, does.
 *
 * The budget is sysctl_ephemeral_ports(): the range minus reserved
 * ports. Listeners inside the range also take ports away (the namespace
 * check above had a listener on 40005: 9, not 10), which is stated as a
 * caveat rather than folded into the percentage, so this rule and
 * time-wait-pile compare against the same number.
 *
 * No kernel counter records the failure: connect() returns EADDRNOTAVAIL
 * and nstat stays still (same section), so the usage level itself is the evidence.
 * It is a gauge, so one sample is enough to report it; tuning waits for
 * a series.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/*
 * At 70% a doubling of the request rate, or a destination that slows
 * down and holds connections longer, exhausts the range: time to act
 * before it fails. time-wait-pile refers here from the same share
 * (TW_HANDOFF_PCT in rule_time_wait.c must equal this).
 */
#define EPH_WARN_PCT 70u
/* At 90% a burst fails now, and every connect() already walks the range
 * for a free port under the bind-hash locks: slow before it fails. */
#define EPH_CRIT_PCT 90u
/*
 * SYN-SENT holding 5% of the range at once (1,411 of the default 28,232)
 * means the destination is not answering; each stuck SYN keeps its port
 * for up to ~2 min (tcp_syn_retries 6), so the headroom left above 70%
 * goes in seconds: critical even below EPH_CRIT_PCT.
 */
#define EPH_SYN_SENT_PCT 5u
/* When TIME-WAIT is most of the tuples, tcp_tw_reuse=1 frees most of
 * them for outgoing connect(); below half it would not change the verdict. */
#define EPH_TW_DOMINANT_PCT 50u
/*
 * The widened range: 10240 keeps clear of the registered ports most
 * services use below 10k; 65535 is the top. Different parity of the two
 * ends, as ip-sysctl.rst advises. About 55k ports, twice the default.
 */
#define EPH_WIDE_LO 10240
#define EPH_WIDE_HI 65535
#define EPH_FINDINGS_MAX 4
#define EPH_PORTS_NAMED 3
#define EPH_SERIES_SHOWN 6

static bool at_least_pct(uint64_t part, uint64_t whole, unsigned pct)
{
	return part * 100 >= whole * pct;
}

static bool same_dest(const struct s_dest *a, const struct s_dest *b)
{
	return a->family == b->family && a->dport == b->dport &&
	       !memcmp(a->saddr, b->saddr, 16) && !memcmp(a->daddr, b->daddr, 16);
}

/* The same tuple set in another sample; 0 when it had none. */
static uint32_t total_in(const struct sample *s, const struct s_dest *d)
{
	for (uint32_t i = 0; i < s->n_dests; i++)
		if (same_dest(&s->dests[i], d))
			return s->dests[i].total;
	return 0;
}

/* Listening ports in [lo, hi]: count, and the first few named. */
static unsigned listeners_in(const struct sample *s, int64_t lo, int64_t hi,
			     char *names, size_t size)
{
	unsigned n = 0;

	names[0] = '\0';
	for (int64_t p = lo < 0 ? 0 : lo; p <= hi && p < SAMPLE_PORTS; p++) {
		if (!sample_port_listening(s, (uint16_t)p))
			continue;
		if (n < EPH_PORTS_NAMED)
			diag_appendf(names, size, "%s%lld", n ? ", " : "", (long long)p);
		n++;
	}
	if (n > EPH_PORTS_NAMED)
		diag_appendf(names, size, ", ...");
	return n;
}

/* Whether tcp_tw_reuse lets connect() take over this tuple set's TIME-WAIT:
 * 1 everywhere, 2 only with a loopback source or destination. */
static bool reuse_applies(const struct s_dest *d, bool has_reuse, int64_t reuse)
{
	if (!has_reuse)
		return false;
	if (reuse == 1)
		return true;
	return reuse == 2 && (addr_is_loopback(d->family, d->daddr) ||
			      addr_is_loopback(d->family, d->saddr));
}

struct eph_ctx {
	const struct rule *self;
	const struct series *ser;
	const struct sample *last;
	uint32_t usable;
	int64_t lo, hi;
	bool has_reuse;
	int64_t reuse;
};

static void add_range_change(struct finding *f, const struct eph_ctx *c, char *caveat,
			     size_t caveat_size)
{
	int64_t lo = c->lo < EPH_WIDE_LO ? c->lo : EPH_WIDE_LO;
	int64_t hi = c->hi > EPH_WIDE_HI ? c->hi : EPH_WIDE_HI;
	struct change *ch;
	char below[64], above[64];
	unsigned nb, na;

	if (lo == c->lo && hi == c->hi)
		return;
	ch = finding_change(f);
	if (!ch)
		return;
	snprintf(ch->setting, sizeof(ch->setting), "net.ipv4.ip_local_port_range");
	snprintf(ch->current, sizeof(ch->current), "%lld %lld", (long long)c->lo, (long long)c->hi);
	snprintf(ch->proposed, sizeof(ch->proposed), "%lld %lld", (long long)lo, (long long)hi);
	snprintf(ch->backout, sizeof(ch->backout),
		 "sysctl -w net.ipv4.ip_local_port_range='%lld %lld'", (long long)c->lo,
		 (long long)c->hi);
	snprintf(ch->effective, sizeof(ch->effective),
		 "immediately, for new connect() calls; existing connections keep their ports; "
		 "add it to /etc/sysctl.d/ to survive a reboot");
	nb = listeners_in(c->last, lo, c->lo - 1, below, sizeof(below));
	na = listeners_in(c->last, c->hi + 1, hi, above, sizeof(above));
	snprintf(caveat, caveat_size,
		 "First add ports of services that may start later to "
		 "net.ipv4.ip_local_reserved_ports, or a client may take them%s%s%s%s%s. ",
		 nb + na ? "; listeners now on " : "", below, nb && na ? ", " : "", above,
		 nb + na ? " fall inside the new range" : "");
}

static void add_reuse_change(struct finding *f, const struct eph_ctx *c)
{
	struct change *ch = finding_change_sysctl(f, "net.ipv4.tcp_tw_reuse", c->reuse, 1);

	if (!ch)
		return;
	snprintf(ch->effective, sizeof(ch->effective),
		 "immediately, for new outgoing connect() calls only (accepted connections are "
		 "unaffected); needs TCP timestamps, on by default, at both ends");
}

static uint64_t total_value(const struct series *ser, unsigned i, const void *d)
{
	return total_in(ser->s[i], d);
}

static void evidence(struct finding *f, const struct eph_ctx *c, const struct s_dest *d,
		     bool reusable, const char *filt)
{
	char sp[FINDING_SPAN_MAX];
	const struct series *ser = c->ser;
	uint32_t named = d->time_wait + d->established + d->syn_sent;
	uint32_t other = d->total > named ? d->total - named : 0;
	char tr[FINDING_TEXT] = "", names[64];
	char a[32], b[32], e[32], g[32], h[32], u[32];
	unsigned nl;

	finding_evidence(f, "ss -tan %s: %s sockets (TIME-WAIT %s, ESTAB %s, SYN-SENT %s, "
			 "other %s), %llu%% of %s usable local ports", filt, fmt_thousands(a, d->total),
			 fmt_thousands(b, d->time_wait), fmt_thousands(e, d->established), fmt_thousands(g, d->syn_sent),
			 fmt_thousands(h, other), (unsigned long long)d->total * 100 / c->usable,
			 fmt_thousands(u, c->usable));
	if (ser->n >= 2) {
		diag_series_values(tr, sizeof(tr), ser, EPH_SERIES_SHOWN, total_value, d);
		finding_evidence(f, "sockets to that destination: %s in %u samples %s",
				 tr, ser->n, finding_span(sp, "over", series_span_s(ser)));
	}
	finding_evidence(f, "sysctl net.ipv4.ip_local_port_range: %lld %lld (%s ports), %s of "
			 "them in net.ipv4.ip_local_reserved_ports", (long long)c->lo,
			 (long long)c->hi, fmt_thousands(a, (uint64_t)(c->hi - c->lo + 1)),
			 fmt_thousands(b, (uint64_t)(c->hi - c->lo + 1) - c->usable));
	if (c->has_reuse)
		finding_evidence(f, "sysctl net.ipv4.tcp_tw_reuse: %lld (%s)", (long long)c->reuse,
				 reusable ? "connect() may reuse this destination's TIME-WAIT older than 1 s"
					  : "this destination's TIME-WAIT cannot be reused");
	nl = listeners_in(c->last, c->lo, c->hi, names, sizeof(names));
	if (nl)
		finding_evidence(f, "ss -ltn: %u listening ports inside the range (%s); connect() "
				 "skips them", nl, names);
	if (c->last->dests_dropped)
		finding_evidence(f, "the sample kept %u destinations; %u more were not counted",
				 c->last->n_dests, c->last->dests_dropped);
}

/* Mostly reusable TIME-WAIT: connect() has room. */
static void explain_harmless(struct finding *f, const struct eph_ctx *c, const struct s_dest *d,
			     uint32_t holding, const char *src, const char *dst)
{
	char a[32], b[32], e[32], g[32];

	snprintf(f->explanation, sizeof(f->explanation),
		 "From %s to %s there are %s sockets, %llu%% of the %s usable local ports, "
		 "but %s are TIME-WAIT and net.ipv4.tcp_tw_reuse=%lld lets outgoing connect() "
		 "reuse those older than 1 s (with TCP timestamps, on by default). Only %s "
		 "(%llu%%) really hold a port, so connect() has room. Nothing to do now.",
		 src, dst, fmt_thousands(a, d->total), (unsigned long long)d->total * 100 / c->usable,
		 fmt_thousands(b, c->usable), fmt_thousands(e, d->time_wait), (long long)c->reuse,
		 fmt_thousands(g, holding), (unsigned long long)holding * 100 / c->usable);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "nothing to fix while fewer than %s of them are not TIME-WAIT",
		 fmt_thousands(a, (uint64_t)c->usable * EPH_WARN_PCT / 100));
}

/* The ports are running out: the app first, then the range and reuse
 * (with a trend only). */
static void explain_exhausting(struct finding *f, const struct eph_ctx *c, const struct s_dest *d,
			       uint32_t holding, bool reusable, const char *src, const char *dst)
{
	bool tw_dominant = at_least_pct(d->time_wait, d->total, EPH_TW_DOMINANT_PCT);
	char caveat[512] = "", a[32], b[32];

	snprintf(f->explanation, sizeof(f->explanation),
		 "From %s to %s there are %s sockets, %llu%% of the %s local ports connect() can "
		 "pick. Other destinations do not compete for them (the 4-tuple differs), so "
		 "this count matters, not the host-wide total. When none is left, connect() "
		 "fails with EADDRNOTAVAIL and no counter records it. ", src, dst,
		 fmt_thousands(a, d->total), (unsigned long long)holding * 100 / c->usable, fmt_thousands(b, c->usable));
	if (tw_dominant)
		diag_appendf(f->explanation, sizeof(f->explanation),
			"%llu%% are TIME-WAIT: a new connection per request, closed by this side. ",
			(unsigned long long)d->time_wait * 100 / d->total);
	if (at_least_pct(d->syn_sent, c->usable, EPH_SYN_SENT_PCT))
		diag_appendf(f->explanation, sizeof(f->explanation),
			"%s are in SYN-SENT: the destination is not answering, and each holds its "
			"port for up to ~2 min. ", fmt_thousands(a, d->syn_sent));
	diag_appendf(f->explanation, sizeof(f->explanation),
		"Fix the app first: reuse connections (a pool, keep-alive). ");
	if (c->ser->n < 2) {
		diag_appendf(f->explanation, sizeof(f->explanation),
			"One sample: the level stands (it is a gauge) but whether it still rises was "
			"not confirmed, so no kernel change is proposed.");
	} else {
		add_range_change(f, c, caveat, sizeof(caveat));
		if (f->n_changes)
			diag_appendf(f->explanation, sizeof(f->explanation), "Then widen the port range. %s",
				caveat);
		if (tw_dominant && c->has_reuse && !reusable) {
			add_reuse_change(f, c);
			diag_appendf(f->explanation, sizeof(f->explanation),
				"tcp_tw_reuse=1 lets outgoing connect() reuse TIME-WAIT older than 1 s%s.",
				c->reuse == 2 ? " (2 covers only loopback)" : "");
		}
	}
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the count stays below %s (%u%% of %s usable ports) and the app logs no "
		 "EADDRNOTAVAIL (Cannot assign requested address)",
		 fmt_thousands(a, (uint64_t)c->usable * EPH_WARN_PCT / 100), EPH_WARN_PCT, fmt_thousands(b, c->usable));
}

static void report(const struct eph_ctx *c, const struct s_dest *d, struct findings *out)
{
	bool reusable = reuse_applies(d, c->has_reuse, c->reuse);
	uint32_t holding = reusable && d->total > d->time_wait ? d->total - d->time_wait
							       : reusable ? 0 : d->total;
	bool harmless = reusable && !at_least_pct(holding, c->usable, EPH_WARN_PCT);
	bool crit = at_least_pct(holding, c->usable, EPH_CRIT_PCT) ||
		    at_least_pct(d->syn_sent, c->usable, EPH_SYN_SENT_PCT);
	struct finding *f;
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX], filt[2 * ADDR_STR_MAX + 24];

	f = rule_finding(out, c->self, 0,
			 harmless ? SEV_INFO : crit ? SEV_CRITICAL : SEV_WARNING,
			 harmless ? SIDE_NONE : SIDE_APP);
	if (!f)
		return;
	addr_endpoint(src, d->family, d->saddr, -1);
	addr_endpoint(dst, d->family, d->daddr, d->dport);
	snprintf(filt, sizeof(filt), "'src %s and dst %s'", src, dst);
	/* Two long IPv6 addresses can overflow the subject; the evidence has them whole. */
	diag_appendf(f->subject, sizeof(f->subject), "destination %s from %s", dst, src);
	evidence(f, c, d, reusable, filt);
	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tan %s | tail -n +2 | wc -l", filt);
	if (harmless)
		explain_harmless(f, c, d, holding, src, dst);
	else
		explain_exhausting(f, c, d, holding, reusable, src, dst);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sysctl_val *range;
	const struct s_dest *top[EPH_FINDINGS_MAX];
	struct eph_ctx c = { .self = self, .ser = ser };
	unsigned n = 0;

	(void)o;
	if (!ser->n)
		return;
	c.last = series_last(ser);
	range = &c.last->sysctl.val[SYSCTL_IP_LOCAL_PORT_RANGE];
	/* Without the budget there is no percentage; an all-reserved range
	 * (usable 0) is an oddity this rule cannot grade either. */
	if (!sysctl_ephemeral_ports(&c.last->sysctl, &c.usable) || !c.usable)
		return;
	c.lo = range->v[0];
	c.hi = range->v[1];
	c.has_reuse = sample_sysctl(c.last, SYSCTL_TCP_TW_REUSE, &c.reuse);

	for (uint32_t i = 0; i < c.last->n_dests; i++) {
		const struct s_dest *d = &c.last->dests[i];
		unsigned at;

		if (!at_least_pct(d->total, c.usable, EPH_WARN_PCT))
			continue;
		for (at = n; at > 0 && top[at - 1]->total < d->total; at--)
			;
		if (at >= EPH_FINDINGS_MAX)
			continue;
		if (n < EPH_FINDINGS_MAX)
			n++;
		memmove(&top[at + 1], &top[at], (n - 1 - at) * sizeof(top[0]));
		top[at] = d;
	}
	for (unsigned i = 0; i < n; i++)
		report(&c, top[i], out);
}

const struct rule rule_ephemeral_port_exhaustion = {
	.ids = { "ephemeral-port-exhaustion" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "client tuples per destination vs the usable port range",
};
