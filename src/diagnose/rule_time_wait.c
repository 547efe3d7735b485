// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * time-wait-pile: TIME-WAIT is what the side that closes first keeps for
 * a fixed 60 s (TCP_TIMEWAIT_LEN, not tunable; tcp_fin_timeout does not
 * change it). A busy client or server doing active closes always has
 * thousands, and that is normal: the rule says so with numbers, because
 * "we have 20k TIME-WAIT" is the most common false alarm.
 *
 * It becomes a problem in two ways only:
 *  - one destination's tuples near the usable port range: that is
 *    ephemeral-port-exhaustion's finding (rule_ports.c); here it is
 *    described and referred to, never reported twice;
 *  - the table limit net.ipv4.tcp_max_tw_buckets is hit:
 *    TcpExtTCPTimeWaitOverflow rises and connections close without a
 *    TIME-WAIT, silently on modern kernels (kernel-facts.md "TIME-WAIT overflow").
 * The removed tcp_tw_recycle (gone since 4.12) is never mentioned as a
 * fix; tcp_tw_reuse helps only outgoing connect() (and with 2 only
 * loopback), so it is described, and proposed only by rule_ports.c.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/* Below this the pile is ~16 closes/s: unremarkable on any host, and a
 * line saying so would only be noise. */
#define TW_REPORT_MIN 1000u
/* Must equal EPH_WARN_PCT in rule_ports.c: at this share of the usable
 * ports to one destination that rule reports and this one refers to it. */
#define TW_HANDOFF_PCT 70u
/* TCP_TIMEWAIT_LEN: how long each entry lives, so count / 60 = closes/s. */
#define TW_LEN_S 60u
/* Size the table for the observed demand plus a quarter, so a burst a
 * little above today's does not overflow again. */
#define TW_BUCKETS_MARGIN_PCT 125u
#define TW_SERIES_SHOWN 6

static uint64_t time_wait(const struct sample *s)
{
	return s->tally.by_state[TBL_TCP][SS_TIME_WAIT];
}

/* The client tuple set with the most sockets: the one nearest exhaustion. */
static const struct s_dest *busiest(const struct sample *s)
{
	const struct s_dest *b = NULL;

	for (uint32_t i = 0; i < s->n_dests; i++)
		if (!b || s->dests[i].total > b->total)
			b = &s->dests[i];
	return b;
}

/* "from 10.0.0.1 to 10.0.0.2:5432" and the matching ss filter. */
static void dest_names(const struct s_dest *d, char *to, size_t to_size,
		       char *filter, size_t filter_size)
{
	char src[ADDR_STR_MAX], dst[ADDR_STR_MAX];

	addr_endpoint(src, d->family, d->saddr, -1);
	addr_endpoint(dst, d->family, d->daddr, d->dport);
	snprintf(to, to_size, "%s (from %s)", dst, src);
	snprintf(filter, filter_size, "'src %s and dst %s'", src, dst);
}

static uint64_t tw_value(const struct series *ser, unsigned i, const void *ctx)
{
	(void)ctx;
	return time_wait(ser->s[i]);
}

static void series_text(char *buf, size_t size, const struct series *ser)
{
	char sp[FINDING_SPAN_MAX];
	buf[0] = '\0';
	diag_series_values(buf, size, ser, TW_SERIES_SHOWN, tw_value, NULL);
	if (ser->n >= 2)
		diag_appendf(buf, size, " in %u samples %s", ser->n,
			     finding_span(sp, "over", series_span_s(ser)));
	else
		diag_appendf(buf, size, " (one sample)");
}

static uint64_t pow2_at_least(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p < (UINT64_C(1) << 40))
		p <<= 1;
	return p;
}

/* Evidence for the busiest destination; returns its percent of usable ports. */
static bool dest_evidence(struct finding *f, const struct sample *s, const struct s_dest *d,
			  uint64_t *pct, uint32_t *usable)
{
	char to[2 * ADDR_STR_MAX + 16], filt[2 * ADDR_STR_MAX + 24], a[32], b[32], c[32];

	if (!d || !sysctl_ephemeral_ports(&s->sysctl, usable) || !*usable)
		return false;
	*pct = (uint64_t)d->total * 100 / *usable;
	dest_names(d, to, sizeof(to), filt, sizeof(filt));
	finding_evidence(f, "ss -tan %s: %s sockets (%s TIME-WAIT), %llu%% of %s usable local ports",
			 filt, fmt_thousands(a, d->total), fmt_thousands(b, d->time_wait), (unsigned long long)*pct,
			 fmt_thousands(c, *usable));
	return true;
}

static void overflow_finding(const struct rule *self, const struct series *ser, uint64_t delta,
			     struct findings *out)
{
	const struct sample *last = series_last(ser);
	const struct s_dest *d = busiest(last);
	double span = series_span_s(ser);
	uint64_t peak = 0, demand, rate, pct;
	uint32_t usable;
	int64_t max_tw;
	bool has_max = sample_sysctl(last, SYSCTL_TCP_MAX_TW_BUCKETS, &max_tw) && max_tw > 0;
	struct finding *f = rule_finding(out, self, 0, SEV_WARNING, SIDE_KERNEL);
	struct change *ch;
	char tr[FINDING_TEXT], a[32], b[32], c[32], e[32], sp[FINDING_SPAN_MAX];

	if (!f)
		return;
	for (unsigned i = 0; i < ser->n; i++)
		if (time_wait(ser->s[i]) > peak)
			peak = time_wait(ser->s[i]);
	/* Every dropped entry would have lived 60 s: add them to what is held.
	 * Without the time between samples (imported captures) only the
	 * entries seen dropped are added: a floor, never a guessed rate. */
	demand = peak + (span > 0 ? (uint64_t)((double)delta / span * TW_LEN_S) : delta);
	rate = demand / TW_LEN_S;
	snprintf(f->subject, sizeof(f->subject), "host");
	finding_evidence_rise(f, "TcpExtTCPTimeWaitOverflow", delta, span, NULL);
	series_text(tr, sizeof(tr), ser);
	finding_evidence(f, "ss -tan state time-wait: %s", tr);
	if (has_max)
		finding_evidence(f, "sysctl net.ipv4.tcp_max_tw_buckets: %lld", (long long)max_tw);
	dest_evidence(f, last, d, &pct, &usable);

	snprintf(f->explanation, sizeof(f->explanation),
		 "The TIME-WAIT table overflowed: %s connections closed without a TIME-WAIT %s "
		 "because net.ipv4.tcp_max_tw_buckets%s%s%s was reached (counted in "
		 "TcpExtTCPTimeWaitOverflow; modern kernels log nothing). Their 4-tuples can be "
		 "reused at once, so a delayed segment of an old connection can land in a new "
		 "one. ", fmt_thousands(a, delta), finding_span(sp, "in", span), has_max ? " (" : "",
		 has_max ? fmt_thousands(b, (uint64_t)max_tw) : "", has_max ? ")" : "");
	if (has_max && peak * 10 < (uint64_t)max_tw * 9)
		diag_appendf(f->explanation, sizeof(f->explanation),
			"The samples saw at most %s TIME-WAIT, well below the limit: the overflow "
			"came in bursts between samples. ", fmt_thousands(a, peak));
	else if (span <= 0)
		diag_appendf(f->explanation, sizeof(f->explanation),
			"At least %s entries were needed (the time between the samples is unknown, "
			"so the close rate is too). ", fmt_thousands(e, demand));
	else
		diag_appendf(f->explanation, sizeof(f->explanation),
			"The host closes about %s connections/s and each TIME-WAIT lives a fixed "
			"%u s: about %s entries are needed. ", fmt_thousands(c, rate), TW_LEN_S, fmt_thousands(e, demand));
	diag_appendf(f->explanation, sizeof(f->explanation),
		"Raise the limit (each entry costs a few hundred bytes of kernel memory); fewer "
		"short connections (keep-alive, pooling) shrink the need itself.");
	if (has_max) {
		uint64_t want = pow2_at_least(demand * TW_BUCKETS_MARGIN_PCT / 100);

		if (want < (uint64_t)max_tw * 2)
			want = (uint64_t)max_tw * 2;
		ch = finding_change_sysctl(f, "net.ipv4.tcp_max_tw_buckets", max_tw, (int64_t)want);
		if (ch)
			snprintf(ch->effective, sizeof(ch->effective),
				 "immediately, for connections that close from now on; add it to "
				 "/etc/sysctl.d/ to survive a reboot");
	}
	snprintf(f->verify_command, sizeof(f->verify_command), "nstat -az TcpExtTCPTimeWaitOverflow");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "the value stops rising: the same in two runs a minute apart");
}

static void pile_finding(const struct rule *self, const struct series *ser, struct findings *out)
{
	const struct sample *last = series_last(ser);
	const struct s_dest *d = busiest(last);
	uint64_t tw = time_wait(last), client = 0, pct = 0, boot;
	uint32_t usable = 0;
	int64_t reuse;
	bool known, handoff, has_reuse, reusable = false;
	struct finding *f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE);
	char tr[FINDING_TEXT], to[2 * ADDR_STR_MAX + 16], filt[2 * ADDR_STR_MAX + 24];
	char a[32], b[32];

	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host");
	for (uint32_t i = 0; i < last->n_dests; i++)
		client += last->dests[i].time_wait;
	series_text(tr, sizeof(tr), ser);
	finding_evidence(f, "ss -tan state time-wait: %s", tr);
	known = dest_evidence(f, last, d, &pct, &usable);
	handoff = known && pct >= TW_HANDOFF_PCT;
	has_reuse = sample_sysctl(last, SYSCTL_TCP_TW_REUSE, &reuse);
	/* rule_ports.c's test, so both rules tell the same story: reusable
	 * TIME-WAIT does not hold a port; the rest must stay under the share. */
	if (handoff && has_reuse && (reuse == 1 || (reuse == 2 &&
	    (addr_is_loopback(d->family, d->daddr) || addr_is_loopback(d->family, d->saddr)))))
		reusable = (uint64_t)(d->total - d->time_wait) * 100 < (uint64_t)usable * TW_HANDOFF_PCT;
	if (tw > client)
		finding_evidence(f, "server side (local port has a listener): %s TIME-WAIT, "
				 "holding no ephemeral port", fmt_thousands(a, tw - client));
	if (has_reuse)
		finding_evidence(f, "sysctl net.ipv4.tcp_tw_reuse: %lld", (long long)reuse);
	if (ser->n < 2 && mib_get(&last->mib, "TcpExtTCPTimeWaitOverflow", &boot) && boot)
		finding_evidence(f, "nstat -az TcpExtTCPTimeWaitOverflow: %s since boot (one "
				 "sample: whether it still rises is unknown)", fmt_thousands(a, boot));
	if (last->dests_dropped)
		finding_evidence(f, "the sample kept %u destinations; %u more were not counted",
				 last->n_dests, last->dests_dropped);

	snprintf(f->explanation, sizeof(f->explanation),
		 "%s TIME-WAIT is normal for this host's rate: each lasts a fixed %u s, so that "
		 "is about %s active closes per second. A TIME-WAIT blocks only its own 4-tuple. ",
		 fmt_thousands(a, tw), TW_LEN_S, fmt_thousands(b, tw / TW_LEN_S));
	if (known) {
		dest_names(d, to, sizeof(to), filt, sizeof(filt));
		diag_appendf(f->explanation, sizeof(f->explanation),
			"The busiest destination, %s, uses %llu%% of the %s usable local ports%s ",
			to, (unsigned long long)pct, fmt_thousands(a, usable),
			!handoff ? ", so connect() has room." :
			reusable ? ", but tcp_tw_reuse lets connect() reuse its TIME-WAIT, so there "
				   "is room (see ephemeral-port-exhaustion)." :
				   ": that, not TIME-WAIT, is the problem, reported as "
				   "ephemeral-port-exhaustion for that destination.");
	} else if (!last->n_dests) {
		diag_appendf(f->explanation, sizeof(f->explanation),
			"All of them are on this host's listening ports (server side) and use no "
			"ephemeral port. ");
	}
	diag_appendf(f->explanation, sizeof(f->explanation),
		"The %u s is not tunable (tcp_fin_timeout does not change it). "
		"net.ipv4.tcp_tw_reuse lets only outgoing connect() reuse them (value 2: only "
		"over loopback); it does nothing for connections this host accepts.%s",
		TW_LEN_S, handoff && !reusable ? "" : " Nothing to do.");

	if (handoff && !reusable) {
		snprintf(f->verify_command, sizeof(f->verify_command), "ss -tan %s | tail -n +2 | wc -l", filt);
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "see the ephemeral-port-exhaustion finding for %s", to);
	} else {
		snprintf(f->verify_command, sizeof(f->verify_command),
			 "ss -tan state time-wait | tail -n +2 | wc -l");
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "nothing to fix: the count follows the close rate (closes/s x %u s)", TW_LEN_S);
	}
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	uint64_t delta;

	(void)o;
	if (!ser->n)
		return;
	if (series_mib_delta(ser, "TcpExtTCPTimeWaitOverflow", &delta) && delta) {
		overflow_finding(self, ser, delta, out);
		return;
	}
	if (time_wait(series_last(ser)) >= TW_REPORT_MIN)
		pile_finding(self, ser, out);
}

/*
 * The most pasted question: `netstat -an | grep TIME_WAIT | wc -l` says
 * 28,000, is that why connections fail? A total alone says the close
 * rate and nothing about a destination, so the answer is "normal for
 * that rate" with what would show the two real problems.
 */
static void counted_finding(const struct rule *self, const struct series *ser,
			    struct findings *out)
{
	const struct sample *last = series_last(ser);
	uint64_t tw = last->counted[SS_TIME_WAIT];
	int64_t max;
	struct finding *f;
	char a[32], b[32];

	if (!(last->counted_states & (1u << SS_TIME_WAIT)) || tw < TW_REPORT_MIN)
		return;
	f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE);
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (a pasted count)");
	finding_evidence(f, "a pasted count of TIME-WAIT sockets: %s (no socket list: no "
			 "destination or port detail)", fmt_thousands(a, tw));
	if (sample_sysctl(last, SYSCTL_TCP_MAX_TW_BUCKETS, &max) && max > 0)
		finding_evidence(f, "sysctl net.ipv4.tcp_max_tw_buckets: %lld", (long long)max);
	snprintf(f->explanation, sizeof(f->explanation),
		 "%s TIME-WAIT is what about %s active closes per second leave behind (each lasts a "
		 "fixed %u s), normal for a busy host and not a cause by itself: a TIME-WAIT blocks "
		 "only its own 4-tuple. It becomes one when a single destination's sockets near the "
		 "usable local port range (give ss -tan to see them per destination), or when the "
		 "table reaches tcp_max_tw_buckets (TcpExtTCPTimeWaitOverflow rises). No change "
		 "from a count (and tcp_tw_recycle, often advised, was removed in Linux 4.12: "
		 "it broke clients behind NAT).", fmt_thousands(a, tw), fmt_thousands(b, tw / TW_LEN_S), TW_LEN_S);
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -tan state time-wait | tail -n +2 | awk '{print $4}' | sort | uniq -c | sort -rn | "
		 "head; nstat -az TcpExtTCPTimeWaitOverflow");
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "nothing to fix unless one destination nears the port range or the overflow counter "
		 "rises");
}

const struct rule rule_time_wait_pile = {
	.ids = { "time-wait-pile" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_EXHAUSTION),
	.needs = HAVE_SOCKETS | HAVE_CONN_STATES,
	.check = check,
	.summary = "TIME-WAIT: normal unless a destination nears the port range",
	.klog = KEV_TW_OVERFLOW,
	.counted = counted_finding,
};
