// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * syn-queue-overflow: half-open connections (SYN-RECV) filling a
 * listener's request queue, and what the kernel does about it
 * (kernel-facts.md "SYN queue and syncookies";
 * kernel-facts.md "Kernel log strings").
 *
 * Since 4.4 the request queue is bounded by the listen backlog itself
 * (sk_max_ack_backlog, ss Send-Q), and on 6.18 it holds Send-Q + 1
 * requests. Once full the kernel either answers with a SYN cookie
 * (tcp_syncookies=1: TCPReqQFullDoCookies, SyncookiesSent) or drops the
 * SYN (tcp_syncookies=0: TCPReqQFullDrop). Those counters are per network
 * namespace, so the port comes from SYN-RECV counts and from the kernel's
 * "Possible SYN flooding on port" line, which is printed only once per
 * listener lifetime (an old line proves nothing about now).
 *
 * Three different causes look alike, and the fix is on a different side
 * for each: a flood or clients that never answer the SYN-ACK (network;
 * cookies cope), a tiny listen() backlog that ordinary traffic fills
 * (app), and cookies switched off so overflow means dropped SYNs
 * (kernel). Whether cookies come back (SyncookiesRecv against
 * SyncookiesSent) separates the first two: real clients answer them.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/*
 * SYN-RECV within 10 % of the queue limit counts as "at the limit": under
 * a flood the count sits exactly at Send-Q+1, but requests time out and
 * are replaced between the dump's start and end, so it wobbles a little.
 * Small queues (limit < 10) must be hit exactly.
 */
#define SYNQ_NEAR_PCT 90

/* A listen() backlog below 128 (the historical somaxconn default) is
 * small enough that ordinary bursts of handshakes fill its SYN queue. */
#define SMALL_BACKLOG 128

/* At least half of the cookies sent came back as valid ACKs: real
 * clients. Observed on 6.18: 27 of 27 with answering clients, 0 of 105
 * when the SYN-ACKs went unanswered; the margin either side is wide. */
#define ANSWERED_PCT 50

/* Proposed backlog: four times the current one, at least 128, capped by
 * somaxconn (which would clamp it anyway). */
#define BACKLOG_FACTOR 4
#define BACKLOG_FLOOR 128

/* Old or foreign log lines: one info line for all, naming at most this
 * many endpoints, so a noisy past does not crowd the report. */
#define OLD_LOG_PORTS_SHOWN 4

/* The host-level suspects (small backlogs) named when counters rise but
 * no port shows a full SYN queue in a sample. */
#define SUSPECTS_MAX 3

/* Netns-wide facts shared by every finding of this rule. */
struct sq_host {
	bool trend;                     /* >= 2 samples */
	double span;
	bool sc_known;
	int64_t sc;                     /* tcp_syncookies */
	bool msb_known;
	int64_t msb;                    /* tcp_max_syn_backlog */
	bool somax_known;
	int64_t somaxconn;
	bool drop_known, dock_known, sent_known, recv_known, ld_known, lo_known;
	uint64_t drop, dock, sent, recv, ld, lo;
	bool drops_rising;              /* TCPReqQFullDrop */
	bool cookies_rising;            /* only where cookies mean overflow */
	bool answered, unanswered;      /* cookies came back / did not */
	int64_t kmsg_new_after;         /* log lines newer than this are new */
};

/* One listening port (every listener on it, both families: SYN-RECV
 * counts are kept per port). */
struct sq_port {
	uint16_t port;
	const struct s_listener *rep;   /* first listener on it, last sample */
	const struct s_proc *owner;
	unsigned k;                     /* listeners on the port, last sample */
	uint32_t wq_min;
	uint32_t limit;                 /* SYN-RECV it can hold, last sample */
	bool quarter;                   /* tcp_max_syn_backlog is the binding limit */
	unsigned at, looked;            /* samples at the limit; samples looked at */
	bool accept_full;               /* its accept queue was full in some sample */
	uint32_t syn_max;
	const struct kevent *kev;       /* newest SYN flood line for the port */
	bool kev_new;
};

static uint32_t quarter_cap(const struct sq_host *h)
{
	/* With cookies off, a request from an unproven peer is dropped once
	 * max_syn_backlog - qlen < max_syn_backlog/4, so the queue stops at
	 * max - max/4 + 1 (13 for 16, observed). */
	return (uint32_t)(h->msb - h->msb / 4 + 1);
}

/* SYN-RECV limit of one port in one sample; false when its accept queue is
 * full (SYN-RECV is then the accept-queue rule's business: completing
 * handshakes wait on it, kernel-facts.md "Full accept queue"). */
static bool port_limit(const struct sample *s, const struct sq_host *h, uint16_t port,
		       uint32_t *limit, bool *quarter)
{
	*limit = 0;
	*quarter = false;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];
		uint32_t lim = l->wq + 1;

		if (l->port != port)
			continue;
		if (l->rq > l->wq)
			return false;
		if (h->sc_known && h->sc == 0 && h->msb_known && h->msb > 0 &&
		    quarter_cap(h) < lim) {
			lim = quarter_cap(h);
			*quarter = true;
		}
		*limit += lim;
	}
	return *limit > 0;
}

static bool near_limit(uint32_t syn, uint32_t limit)
{
	return (uint64_t)syn * 100 >= (uint64_t)limit * SYNQ_NEAR_PCT && syn > 0;
}

/* Whether a SYN flood line is about one of the listeners on port in s:
 * same port and, when the line logs one, the same address (a line from
 * another namespace's listener on another address is not ours). */
static bool flood_is_here(const struct kevent *e, const struct sample *s, uint16_t port)
{
	if (e->kind != KEV_SYN_FLOOD || e->port != port)
		return false;
	for (uint32_t i = 0; i < s->n_listeners; i++)
		if (s->listeners[i].port == port &&
		    kevent_addr_match(e, s->listeners[i].family, s->listeners[i].addr))
			return true;
	return false;
}

static const struct kevent *newest_flood(const struct series *ser, uint16_t port)
{
	const struct sample *last = series_last(ser);
	const struct kevent *best = NULL;

	for (unsigned i = 0; i < ser->n; i++)
		for (uint32_t j = 0; j < ser->s[i]->n_kevents; j++) {
			const struct kevent *e = &ser->s[i]->kevents[j];

			if (flood_is_here(e, last, port) && (!best || e->ts_us > best->ts_us))
				best = e;
		}
	return best;
}

static void port_build(const struct series *ser, const struct sq_host *h,
		       uint32_t idx, struct sq_port *p)
{
	const struct sample *last = series_last(ser);

	memset(p, 0, sizeof(*p));
	p->rep = &last->listeners[idx];
	p->port = p->rep->port;
	p->owner = diag_owner(last, p->rep->owner);
	p->wq_min = p->rep->wq;
	for (uint32_t i = 0; i < last->n_listeners; i++)
		if (last->listeners[i].port == p->port) {
			p->k++;
			if (last->listeners[i].wq < p->wq_min)
				p->wq_min = last->listeners[i].wq;
		}
	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];
		uint32_t syn = s->syn_recv_by_port[p->port], limit;
		bool quarter;

		for (uint32_t j = 0; j < s->n_listeners; j++)
			if (s->listeners[j].port == p->port && s->listeners[j].rq > s->listeners[j].wq)
				p->accept_full = true;
		if (!syn || !port_limit(s, h, p->port, &limit, &quarter))
			continue;
		p->looked++;
		if (syn > p->syn_max)
			p->syn_max = syn;
		if (near_limit(syn, limit))
			p->at++;
	}
	if (!port_limit(last, h, p->port, &p->limit, &p->quarter))
		p->limit = p->rep->wq + 1;
	p->kev = newest_flood(ser, p->port);
	p->kev_new = p->kev && p->kev->ts_us >= 0 && h->kmsg_new_after >= 0 &&
		     p->kev->ts_us > h->kmsg_new_after;
}

static void subject_of(struct finding *f, const struct sq_port *p)
{
	char ep[ADDR_STR_MAX];

	if (p->k > 1) {
		diag_appendf(f->subject, sizeof(f->subject), "listeners on port %u (%u sockets)", p->port, p->k);
		return;
	}
	addr_endpoint(ep, p->rep->family, p->rep->addr, p->port);
	if (p->owner)
		diag_appendf(f->subject, sizeof(f->subject), "listener %s (process %s[%u])",
		    ep, p->owner->comm, p->owner->pid);
	else
		diag_appendf(f->subject, sizeof(f->subject), "listener %s", ep);
}

static const char *action_text(enum kevent_action a)
{
	return a == KEV_ACT_DROPPING ? "Dropping request" :
	       a == KEV_ACT_COOKIES ? "Sending cookies" : "action not given";
}

static void evidence_kev(struct finding *f, const struct kevent *e, bool is_new)
{
	char when[48] = "";

	if (e->ts_us >= 0)
		snprintf(when, sizeof(when), " at %.1f s after boot", (double)e->ts_us / 1e6);
	if (e->has_addr)
		finding_evidence(f, "kernel log: Possible SYN flooding on port %s%s%s:%u (%s)%s%s (dmesg | grep -i 'SYN flooding')",
				 strchr(e->addr, ':') ? "[" : "", e->addr, strchr(e->addr, ':') ? "]" : "", e->port,
				 action_text(e->action), when, is_new ? ", new while sampling" : "");
	else
		finding_evidence(f, "kernel log: Possible SYN flooding on port %u (%s)%s%s (dmesg | grep -i 'SYN flooding')",
				 e->port, action_text(e->action), when,
				 is_new ? ", new while sampling" : "");
}

static void evidence_counters(struct finding *f, const struct sq_host *h)
{
	if (h->drop_known && (h->drop || !h->sc_known || h->sc == 0))
		finding_evidence_rise(f, "TcpExtTCPReqQFullDrop", h->drop, h->span, "whole network namespace");
	if (h->dock_known && h->sc != 0)
		finding_evidence_rise(f, "TcpExtTCPReqQFullDoCookies", h->dock, h->span,
				      h->sc_known && h->sc == 2 ?
				      "whole network namespace; tcp_syncookies=2 counts every SYN" :
				      "whole network namespace");
	if (h->sent_known && h->recv_known && (h->sent || h->recv))
		finding_evidence_rise2(f, "TcpExtSyncookiesSent", h->sent, "TcpExtSyncookiesRecv", h->recv,
				       h->span, "Recv counting the cookies that came back valid");
	if (h->sc_known)
		finding_evidence(f, "sysctl net.ipv4.tcp_syncookies: %lld", (long long)h->sc);
}

static void verify_of(struct finding *f, int port)
{
	if (port >= 0)
		snprintf(f->verify_command, sizeof(f->verify_command),
			 "ss -Htn state syn-recv 'sport = :%d' | wc -l; nstat -az TcpExtTCPReqQFullDrop TcpExtTCPReqQFullDoCookies TcpExtSyncookiesSent TcpExtSyncookiesRecv",
			 port);
	else
		snprintf(f->verify_command, sizeof(f->verify_command),
			 "ss -Htn state syn-recv | wc -l; nstat -az TcpExtTCPReqQFullDrop TcpExtTCPReqQFullDoCookies TcpExtSyncookiesSent TcpExtSyncookiesRecv");
}

static void change_syncookies(struct finding *f)
{
	struct change *c = finding_change_sysctl(f, "net.ipv4.tcp_syncookies", 0, 1);

	if (!c)
		return;
	snprintf(c->effective, sizeof(c->effective),
		 "immediately, for new SYNs (this network namespace only)");
}

static void change_backlog(struct finding *f, const struct sq_host *h, const struct sq_port *p)
{
	uint64_t prop = (uint64_t)p->wq_min * BACKLOG_FACTOR;

	if (prop < BACKLOG_FLOOR)
		prop = BACKLOG_FLOOR;
	if (h->somax_known && h->somaxconn > 0 && prop > (uint64_t)h->somaxconn)
		prop = (uint64_t)h->somaxconn;
	if (prop <= p->wq_min) {
		/* Send-Q is already somaxconn: a bigger backlog needs both. */
		diag_appendf(f->explanation, sizeof(f->explanation),
		    " Send-Q %u is already net.core.somaxconn: a bigger backlog needs somaxconn raised too.",
		    p->wq_min);
		return;
	}
	finding_change_backlog(f, p->owner, p->wq_min, prop, h->somax_known ? h->somaxconn : -1);
}

enum sq_cause {
	SQ_COOKIES_OFF,  /* (c) drops because tcp_syncookies=0 */
	SQ_QUARTER,      /* (c) tcp_max_syn_backlog last-quarter drops, cookies off */
	SQ_SMALL,        /* (b) backlog filled by real traffic */
	SQ_FLOOD,        /* (a) flood / clients not answering */
};

static void explain(struct finding *f, enum sq_cause cause, const struct sq_host *h,
		    const struct sq_port *p)
{
	char *x = f->explanation;
	size_t xs = sizeof(f->explanation);
	unsigned wq = p ? p->wq_min : 0;

	if (p)
		diag_appendf(x, xs, "Half-open connections (SYN-RECV) wait in the listener's SYN queue until the client's ACK; it holds Send-Q+1 (%u here), since 4.4 bounded by the listen backlog, not tcp_max_syn_backlog. ",
		    p->limit);
	switch (cause) {
	case SQ_COOKIES_OFF:
		diag_appendf(x, xs, "tcp_syncookies is 0, so when the SYN queue is full the kernel drops new SYNs: clients retransmit and connects stall or time out. With tcp_syncookies=1 it answers overflow SYNs with a cookie instead, and real clients still get in. ");
		if (h->msb_known)
			diag_appendf(x, xs, "tcp_max_syn_backlog (%lld) only matters with cookies off; cookies are the fix. ",
			    (long long)h->msb);
		if (p && wq < SMALL_BACKLOG)
			diag_appendf(x, xs, "Send-Q %u is also a small backlog; the app should raise it. ", wq);
		break;
	case SQ_QUARTER:
		diag_appendf(x, xs, "tcp_syncookies is 0 and SYN-RECV reached tcp_max_syn_backlog (%lld) minus a quarter: with cookies off the kernel then drops SYNs from unproven peers, counted only in TcpExtListenDrops, with no log line. Turning cookies on removes this rule; raising tcp_max_syn_backlog would only move the threshold, cookies are the fix. ",
		    (long long)h->msb);
		break;
	case SQ_SMALL:
		if (!p || wq < SMALL_BACKLOG)
			diag_appendf(x, xs, "Send-Q %u is a small listen() backlog, so ordinary bursts of handshakes fill the SYN queue and the kernel falls back to SYN cookies",
			    wq);
		else
			diag_appendf(x, xs, "Send-Q %u is not enough for this rate of handshakes, so the SYN queue fills and the kernel falls back to SYN cookies",
			    wq);
		if (h->answered)
			diag_appendf(x, xs, "; the cookies come back, so this is real traffic, not a flood");
		diag_appendf(x, xs, ". Clients still connect through cookies, but the backlog is too small for the load: raise the app's listen() backlog (net.core.somaxconn caps it). ");
		break;
	case SQ_FLOOD:
		diag_appendf(x, xs, "Many half-open connections whose SYN-ACKs go unanswered: a SYN flood or clients that cannot reply (spoofed sources, a firewall or broken route eating the replies). ");
		if (h->unanswered)
			diag_appendf(x, xs, "Cookies sent far outnumber cookies returned. ");
		if (h->sc_known && h->sc == 1)
			diag_appendf(x, xs, "The kernel is coping: tcp_syncookies=1 answers with cookies, so real clients still connect. ");
		diag_appendf(x, xs, "Find the source (ss -tn state syn-recv lists the peers) and filter it at the firewall or upstream; bigger queues do not stop a flood. ");
		if (p && wq < SMALL_BACKLOG)
			diag_appendf(x, xs, "Send-Q %u is small too, which makes the queue fill sooner. ", wq);
		break;
	}
	diag_trim(x);
}

static enum sq_cause classify(const struct sq_host *h, const struct sq_port *p, bool ld_rising)
{
	if (h->drops_rising || (h->sc_known && h->sc == 0 && !(p && p->quarter && ld_rising)))
		return SQ_COOKIES_OFF;
	if (h->sc_known && h->sc == 0)
		return SQ_QUARTER;
	/* Real clients answering the cookies is not a flood, whatever the
	 * backlog; a tiny backlog with nobody answering still is. */
	if (h->answered || (p && p->wq_min < SMALL_BACKLOG && !h->unanswered))
		return SQ_SMALL;
	return SQ_FLOOD;
}

static enum side side_of(enum sq_cause c)
{
	return c == SQ_COOKIES_OFF || c == SQ_QUARTER ? SIDE_KERNEL :
	       c == SQ_SMALL ? SIDE_APP : SIDE_NETWORK;
}

static void emit_port(const struct rule *self, const struct series *ser, const struct sq_host *h,
		      const struct sq_port *p, struct findings *out)
{
	bool ld_rising = h->ld_known && h->ld > 0;
	enum sq_cause cause = classify(h, p, ld_rising);
	enum severity sev;
	struct finding *f;

	if (h->drops_rising || (cause == SQ_QUARTER && ld_rising))
		sev = SEV_CRITICAL;
	else
		sev = SEV_WARNING;
	f = rule_finding(out, self, 0, sev, side_of(cause));
	if (!f)
		return;
	subject_of(f, p);
	if (p->looked)
		finding_evidence(f, "ss -Htn state syn-recv 'sport = :%u' | wc -l: up to %u, limit %u (Send-Q %u + 1%s), at the limit in %u of %u samples",
				 p->port, p->syn_max, p->limit, p->wq_min,
				 p->quarter ? ", cut by tcp_max_syn_backlog" : "", p->at, ser->n);
	if (cause == SQ_QUARTER && h->ld_known)
		finding_evidence_rise(f, "TcpExtListenDrops", h->ld, h->span, "whole network namespace");
	if (cause == SQ_QUARTER && h->msb_known)
		finding_evidence(f, "sysctl net.ipv4.tcp_max_syn_backlog: %lld", (long long)h->msb);
	evidence_counters(f, h);
	if (p->kev)
		evidence_kev(f, p->kev, p->kev_new);
	explain(f, cause, h, p);
	verify_of(f, p->port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 cause == SQ_FLOOD ? "SYN-RECV on the port stays below Send-Q+1 and TcpExtSyncookiesSent stops growing" :
		 cause == SQ_SMALL ? "SYN-RECV stays below Send-Q+1 and TcpExtTCPReqQFullDoCookies stops growing" :
		 "TcpExtTCPReqQFullDrop and TcpExtListenDrops stop growing");
	/* One sample at the limit: a warning (never "healthy"), no change. */
	if (!h->trend) {
		finding_one_sample(f, "whether the SYN-queue counters are rising", p->port);
		return;
	}
	if ((cause == SQ_COOKIES_OFF || cause == SQ_QUARTER) && h->sc_known && h->sc == 0)
		change_syncookies(f);
	else if (cause == SQ_SMALL && p->wq_min < SMALL_BACKLOG)
		change_backlog(f, h, p);
}

/* Counters rise but no port showed a full SYN queue in a sample. */
static void emit_host(const struct rule *self, const struct series *ser, const struct sq_host *h,
		      struct findings *out)
{
	const struct sample *last = series_last(ser);
	enum sq_cause cause = classify(h, NULL, false);
	struct finding *f;
	unsigned named = 0;

	f = rule_finding(out, self, 0, h->drops_rising ? SEV_CRITICAL : SEV_WARNING,
			 side_of(cause));
	if (!f)
		return;
	snprintf(f->subject, sizeof(f->subject), "host (network namespace)");
	evidence_counters(f, h);
	for (uint32_t i = 0; i < last->n_listeners && named < SUSPECTS_MAX; i++) {
		const struct s_listener *l = &last->listeners[i];
		char ep[ADDR_STR_MAX];

		if (l->wq >= SMALL_BACKLOG)
			continue;
		addr_endpoint(ep, l->family, l->addr, l->port);
		finding_evidence(f, "ss -ltn 'sport = :%u': %s has a small backlog, Send-Q %u", l->port, ep, l->wq);
		named++;
	}
	diag_appendf(f->explanation, sizeof(f->explanation),
	    "Some listener's SYN queue overflowed between samples (the counters are per network namespace, and no sample caught SYN-RECV at a listener's limit). ");
	if (cause == SQ_SMALL) {
		diag_appendf(f->explanation, sizeof(f->explanation),
		    "The cookies come back, so this is real traffic outgrowing a small backlog%s; raise that app's listen() backlog.",
		    named ? " (candidates listed)" : "");
	} else {
		explain(f, cause, h, NULL);
	}
	verify_of(f, -1);
	snprintf(f->fixed_when, sizeof(f->fixed_when), "%s",
		 h->drops_rising ? "TcpExtTCPReqQFullDrop stops growing" :
		 "TcpExtTCPReqQFullDoCookies and TcpExtSyncookiesSent stop growing");
	if (cause == SQ_COOKIES_OFF && h->sc_known && h->sc == 0)
		change_syncookies(f);
}

/*
 * Every SYN flood line not behind a finding of this namespace, in one
 * short info line: the kernel log is shared by every network namespace
 * and the line is printed once per listener lifetime, so an old one, or
 * one about another namespace's listener, says nothing about these
 * listeners now (kernel-facts.md "Kernel log strings"). emitted[] holds
 * the n_emitted ports that got a finding.
 */
static void old_lines(const struct rule *self, const struct sample *last, const struct sq_host *h,
		      const uint16_t *emitted, unsigned n_emitted, struct findings *out)
{
	char ports[FINDING_TEXT] = "", ep[ADDR_STR_MAX + 8];
	unsigned n = 0, n_new = 0, shown = 0;
	bool more = false;
	struct finding *f;

	for (uint32_t j = 0; j < last->n_kevents; j++) {
		const struct kevent *e = &last->kevents[j];
		bool dup = false;

		if (e->kind != KEV_SYN_FLOOD)
			continue;
		for (unsigned k = 0; k < n_emitted; k++)
			dup = dup || (emitted[k] == e->port && flood_is_here(e, last, e->port));
		if (dup)
			continue;
		n++;
		n_new += e->ts_us >= 0 && h->kmsg_new_after >= 0 && e->ts_us > h->kmsg_new_after;
		snprintf(ep, sizeof(ep), "%s%s%s%s%u", strchr(e->addr, ':') ? "[" : "", e->addr,
			 strchr(e->addr, ':') ? "]" : "", e->has_addr ? ":" : "", e->port);
		if (!strstr(ports, ep) && shown < OLD_LOG_PORTS_SHOWN) {
			diag_appendf(ports, sizeof(ports), "%s%s", shown ? ", " : "", ep);
			shown++;
		} else if (!strstr(ports, ep)) {
			more = true;
		}
	}
	if (!n || !(f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE)))
		return;
	snprintf(f->subject, sizeof(f->subject), "kernel log (earlier or elsewhere)");
	finding_evidence(f, "dmesg | grep -i 'SYN flooding': %u line%s (%s%s), %u while sampling",
			 n, n == 1 ? "" : "s", ports, more ? ", ..." : "", n_new);
	snprintf(f->explanation, sizeof(f->explanation),
		 "Old SYN flood warnings, or ones for no listener here: the kernel log is shared by "
		 "every network namespace and logs once per listener, so they say nothing about "
		 "these listeners now.");
	snprintf(f->verify_command, sizeof(f->verify_command), "dmesg -T | grep -i 'SYN flooding'");
	snprintf(f->fixed_when, sizeof(f->fixed_when), "nothing to fix");
}

/*
 * Kernel-log lines stamped after this (µs since boot) were logged while
 * sockvet sampled; -1 when that cannot be told. With the log in the
 * first sample: anything newer than its newest flood line. Live triage
 * reads the log in the last sample only (the read is costly), so then:
 * anything stamped after the first sample was taken (the log's
 * timestamps and the sample clock both count from boot).
 */
static int64_t kmsg_new_after(const struct series *ser)
{
	const struct sample *first = series_first(ser), *last = series_last(ser);
	int64_t after = 0;

	if (ser->n < 2)
		return -1;
	if (!(first->have & HAVE_KLOG))
		return (last->have & HAVE_KLOG) && first->meta.mono_ns > 0 ?
		       first->meta.mono_ns / 1000 : -1;
	for (uint32_t j = 0; j < first->n_kevents; j++)
		if (first->kevents[j].kind == KEV_SYN_FLOOD && first->kevents[j].ts_us > after)
			after = first->kevents[j].ts_us;
	return after;
}

static void host_build(const struct series *ser, struct sq_host *h)
{
	const struct sample *last = series_last(ser);

	memset(h, 0, sizeof(*h));
	h->trend = ser->n >= 2;
	h->span = series_span_s(ser);
	h->sc_known = sample_sysctl(last, SYSCTL_TCP_SYNCOOKIES, &h->sc);
	h->msb_known = sample_sysctl(last, SYSCTL_TCP_MAX_SYN_BACKLOG, &h->msb);
	h->somax_known = sample_sysctl(last, SYSCTL_SOMAXCONN, &h->somaxconn);
	h->drop_known = series_mib_delta(ser, "TcpExtTCPReqQFullDrop", &h->drop);
	h->dock_known = series_mib_delta(ser, "TcpExtTCPReqQFullDoCookies", &h->dock);
	h->sent_known = series_mib_delta(ser, "TcpExtSyncookiesSent", &h->sent);
	h->recv_known = series_mib_delta(ser, "TcpExtSyncookiesRecv", &h->recv);
	h->ld_known = series_mib_delta(ser, "TcpExtListenDrops", &h->ld);
	h->lo_known = series_mib_delta(ser, "TcpExtListenOverflows", &h->lo);
	h->drops_rising = h->drop_known && h->drop > 0;
	/* With tcp_syncookies=2 every SYN gets a cookie and counts, full queue
	 * or not (kernel-facts.md "SYN queue and syncookies"); the counters then say nothing about overflow. */
	h->cookies_rising = (!h->sc_known || h->sc == 1) &&
			    ((h->dock_known && h->dock > 0) || (h->sent_known && h->sent > 0));
	if (h->sent_known && h->recv_known && h->sent > 0) {
		h->answered = h->recv * 100 >= h->sent * ANSWERED_PCT;
		h->unanswered = !h->answered;
	}
	h->kmsg_new_after = kmsg_new_after(ser);
}

static bool port_seen(const struct sample *s, uint32_t idx)
{
	for (uint32_t i = 0; i < idx; i++)
		if (s->listeners[i].port == s->listeners[idx].port)
			return true;
	return false;
}

/*
 * Whether a port's SYN queue is overflowing now (else, at most, an old
 * log line is worth a note).
 */
static bool port_current(const struct sq_host *h, const struct sq_port *p, bool moving)
{
	bool counters = h->drop_known || h->dock_known || h->sent_known;

	if (!p->at)
		return p->kev_new && moving;
	/*
	 * At the limit in a sample. With counters to read, something must
	 * have overflowed in the window (else it was a momentary full
	 * queue); without them, two samples at the limit are needed; one
	 * sample is reported as seen.
	 */
	if (!h->trend)
		return true;
	if (counters)
		return moving || p->kev_new || (p->quarter && h->ld_known && h->ld > 0);
	return p->at >= 2 || p->kev_new;
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct sq_host h;
	unsigned n_found = 0;
	bool moving;
	uint16_t emitted[FINDINGS_MAX];

	(void)o;
	host_build(ser, &h);
	moving = h.drops_rising || h.cookies_rising;
	if (h.sc_known && h.sc == 2 && !h.drops_rising)
		moving = false;

	for (uint32_t i = 0; i < last->n_listeners; i++) {
		struct sq_port p;

		if (port_seen(last, i))
			continue;
		port_build(ser, &h, i, &p);
		if (!p.at && !p.kev)
			continue;
		/*
		 * A full accept queue makes the SYN queue fill behind it
		 * (completing ACKs are ignored, the requests stay, kernel-facts.md "Full accept queue") and
		 * cookies get counted: observed as cookies sent and all
		 * answered while the accept queue overflowed. The cause is
		 * the accept queue; that rule reports it.
		 */
		if (p.accept_full)
			continue;
		if (port_current(&h, &p, moving) && n_found < FINDINGS_MAX) {
			emit_port(self, ser, &h, &p, out);
			emitted[n_found++] = p.port;
		}
	}
	/* The counters say a SYN queue overflowed, but no sample caught it.
	 * With tcp_syncookies unknown, cookies alone may be mode 2: stay quiet.
	 * Cookies that real clients answer while accept queues overflow are
	 * the accept queue's doing (see above): the accept rule has it. */
	if (!n_found && h.trend && (h.drops_rising || (h.cookies_rising && h.sc_known)) &&
	    !(h.answered && !h.drops_rising && h.lo_known && h.lo > 0))
		emit_host(self, ser, &h, out);
	old_lines(self, last, &h, emitted, n_found, out);
}

const struct rule rule_syn_queue_overflow = {
	.ids = { "syn-queue-overflow" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_REFUSED) | SYMPTOM_BIT(SYMPTOM_TIMEOUT),
	.needs = HAVE_SOCKETS,
	.check = check,
	.summary = "SYN queue at Send-Q+1: flood, small backlog, or syncookies off",
	.klog = KEV_SYN_FLOOD,
};
