// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * accept-queue-overflow: a TCP listener whose accept queue is full, or
 * whose own drop counter (ss -ltnm skmem d) climbs while the host's
 * TcpExtListenOverflows climbs too
 * (kernel-facts.md "ListenOverflows vs ListenDrops";
 * kernel-facts.md "skmem d").
 *
 * The accept queue holds Send-Q + 1 connections (kernel-facts.md "Accept queue"), so "full" is
 * Recv-Q > Send-Q, never Recv-Q == Send-Q. Send-Q is min(backlog,
 * somaxconn) fixed at listen() time (same section), which is what decides whose
 * limit it is. The verdict is deliberately biased away from "raise
 * somaxconn": that is only right when the cap is somaxconn AND the app
 * drains the queue between bursts AND drops are rising. A queue that
 * stays full, an owner out of file descriptors (EMFILE, kernel-facts.md "RLIMIT_NOFILE") or a small
 * app backlog all point at the application, where a bigger kernel queue
 * would only postpone the same drops.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/*
 * An owner within this many fds of RLIMIT_NOFILE counts as "at the limit":
 * the fd count is a snapshot, and a server that hits EMFILE closes and
 * reopens fds constantly, so exact equality would miss most real cases.
 * 5 % of the limit, but at least 16 fds for small limits like 1024.
 */
#define NOFILE_NEAR_PCT 5
#define NOFILE_NEAR_MIN 16

/*
 * Proposed somaxconn: four times the current value (enough for a burst to
 * fit without hiding a slow app), at least the modern default 4096 (hosts
 * still on the pre-5.4 default of 128), and at most 65535 (the u16 limit
 * older kernels stored the backlog in; queues beyond that only hide an
 * app that cannot keep up).
 */
#define SOMAXCONN_FACTOR 4
#define SOMAXCONN_FLOOR 4096
#define SOMAXCONN_CEIL 65535

/* Proposed app backlog: the same factor, at least 128 (the historical
 * default somaxconn, tiny by today's standards), never above somaxconn. */
#define BACKLOG_FACTOR 4
#define BACKLOG_FLOOR 128

/* Proposed RLIMIT_NOFILE: four times the current soft limit, at least
 * 65536 (what most distributions give services now). */
#define NOFILE_FACTOR 4
#define NOFILE_FLOOR 65536

/*
 * Listeners with only old drops (skmem d constant, queue never full) are
 * reported as info, but only the worst few: findings are a shared, bounded
 * list and a host with hundreds of listeners must not crowd out real
 * problems found by other rules.
 */
#define PAST_DROPS_REPORT_MAX 3

struct aq_view {
	const struct s_listener *l;     /* in the last sample */
	struct listener_drops dr;       /* samples holding it (first, seen), skmem d from -> to */
	unsigned full;                  /* samples in which it was full */
	bool full_last;
	uint32_t rq_max;
	/* Owner at its worst (closest to RLIMIT_NOFILE). */
	const struct s_proc *owner;
	uint32_t owner_fds_first;
	bool emfile;
};

static bool near_nofile(const struct s_proc *p)
{
	uint64_t slack;

	if (!p || !p->has_limit || !p->nofile_soft)
		return false;
	slack = p->nofile_soft * NOFILE_NEAR_PCT / 100;
	if (slack < NOFILE_NEAR_MIN)
		slack = NOFILE_NEAR_MIN;
	return (uint64_t)p->fds + slack >= p->nofile_soft;
}

/* Per mille of RLIMIT_NOFILE in use; 0 when the limit is unknown. */
static uint64_t fd_use(const struct s_proc *p)
{
	if (!p->has_limit || !p->nofile_soft)
		return 0;
	return (uint64_t)p->fds * 1000 / p->nofile_soft;
}

static void view_build(const struct series *ser, uint32_t idx, struct aq_view *v)
{
	const struct sample *last = series_last(ser);
	const struct s_listener *ref = &last->listeners[idx];

	memset(v, 0, sizeof(*v));
	v->l = ref;
	/* The drop delta is the model's, so the report quotes the same one. */
	series_listener_drops(ser, idx, &v->dr);
	for (unsigned i = 0; i < ser->n; i++) {
		const struct s_listener *x = series_listener_in(ser, i, ref, idx);
		const struct s_proc *p;

		if (!x)
			continue;
		if (x->rq > x->wq) {
			v->full++;
			if (i == ser->n - 1)
				v->full_last = true;
		}
		if (x->rq > v->rq_max)
			v->rq_max = x->rq;
		p = diag_owner(ser->s[i], x->owner);
		if (p && !v->owner)
			v->owner_fds_first = p->fds;
		if (p && (!v->owner || fd_use(p) > fd_use(v->owner)))
			v->owner = p;
		if (near_nofile(p))
			v->emfile = true;
	}
}

static uint64_t grow(uint64_t cur, uint64_t factor, uint64_t floor, uint64_t ceil)
{
	uint64_t v = cur * factor, p2 = 1;

	if (v < floor)
		v = floor;
	/* A round number reads as chosen, not as arithmetic (511 -> 2048). */
	while (p2 < v)
		p2 <<= 1;
	v = p2;
	if (ceil && v > ceil)
		v = ceil;
	return v;
}

static void subject_of(struct finding *f, const struct s_listener *l, const struct s_proc *p)
{
	char ep[ADDR_STR_MAX];

	addr_endpoint(ep, l->family, l->addr, l->port);
	if (p)
		diag_appendf(f->subject, sizeof(f->subject), "listener %s (process %s[%u])",
		    ep, p->comm, p->pid);
	else
		snprintf(f->subject, sizeof(f->subject), "listener %s", ep);
}

static void verify_of(struct finding *f, const struct s_listener *l, const struct s_proc *emfile_owner)
{
	if (emfile_owner) {
		snprintf(f->verify_command, sizeof(f->verify_command),
			 "ss -ltnm 'sport = :%u'; nstat -az TcpExtListenOverflows; "
			 "ls /proc/%u/fd | wc -l; grep 'open files' /proc/%u/limits",
			 l->port, emfile_owner->pid, emfile_owner->pid);
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "Recv-Q stays below Send-Q and skmem d stops growing; the fd count stays well below the limit");
		return;
	}
	snprintf(f->verify_command, sizeof(f->verify_command),
		 "ss -ltnm 'sport = :%u'; nstat -az TcpExtListenOverflows", l->port);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "Recv-Q stays below Send-Q and skmem d stops growing");
}

enum aq_cause {
	AQ_EMFILE,      /* owner out of fds: accept() fails */
	AQ_STALLED,     /* full in every sample: accept() not draining */
	AQ_APP_BACKLOG, /* Send-Q < somaxconn: the app's listen() backlog is the cap */
	AQ_SOMAXCONN,   /* Send-Q == somaxconn, drains, drops rising */
	AQ_BURST,       /* reached the limit briefly; no drops or no way to tell */
};

struct aq_host {
	bool lo_known, ld_known, abort_known, somax_known, nr_open_known;
	uint64_t lo, ld;                /* ListenOverflows / ListenDrops deltas */
	int64_t abort_on_overflow, somaxconn, nr_open;
	double span;
};

/* What the series says about one listener, decided once for the
 * finding's severity, evidence, explanation and changes. */
struct aq_verdict {
	bool trend;                     /* seen in two samples or more */
	bool rising;                    /* drops rose while sampling */
	bool full_all;                  /* full in every sample */
	uint32_t dd;                    /* skmem d rise */
	double dspan;                   /* over this many seconds */
	enum aq_cause cause;
	enum severity sev;
};

static void judge(const struct series *ser, const struct aq_view *v, const struct aq_host *h,
		  struct aq_verdict *j)
{
	const struct s_listener *l = v->l;
	bool d_rising, host_rising;

	j->trend = v->dr.seen >= 2;
	j->dspan = series_between_s(ser, v->dr.first, ser->n - 1);
	j->dd = v->dr.to >= v->dr.from ? v->dr.to - v->dr.from : 0;
	/* skmem d also counts SYNs dropped for other reasons (a retransmitted
	 * SYN of a pending request, say); only with ListenOverflows moving
	 * too is a rising d an accept-queue overflow. */
	d_rising = j->trend && v->dr.known && j->dd > 0 && (!h->lo_known || h->lo > 0);
	host_rising = j->trend && !v->dr.known && v->full && h->lo_known && h->lo > 0;
	j->rising = d_rising || host_rising;
	j->full_all = j->trend && v->full == v->dr.seen;

	if (v->emfile && (v->full || j->rising))
		j->cause = AQ_EMFILE;
	else if (j->full_all)
		j->cause = AQ_STALLED;
	else if (h->somax_known && l->wq < h->somaxconn)
		j->cause = AQ_APP_BACKLOG;
	else if (h->somax_known && l->wq == h->somaxconn && j->rising)
		j->cause = AQ_SOMAXCONN;
	else
		j->cause = AQ_BURST;
	/* With one sample there is no "every sample" to speak of. */
	if (!j->trend && j->cause == AQ_STALLED)
		j->cause = AQ_BURST;

	if (!j->trend)
		j->sev = SEV_WARNING;
	else
		j->sev = j->rising || v->full_last ? SEV_CRITICAL : SEV_WARNING;
}

static void evidence(struct finding *f, const struct aq_view *v, const struct aq_host *h,
		     const struct aq_verdict *j)
{
	char sp[FINDING_SPAN_MAX];
	const struct s_listener *l = v->l;
	const struct s_proc *p = v->owner;

	if (v->full)
		finding_evidence(f, "ss -ltn 'sport = :%u': Recv-Q %u > Send-Q %u in %u of %u samples",
				 l->port, v->rq_max, l->wq, v->full, v->dr.seen);
	else
		finding_evidence(f, "ss -ltn 'sport = :%u': Recv-Q at most %u, Send-Q %u: not full in any of %u samples",
				 l->port, v->rq_max, l->wq, v->dr.seen);
	if (j->trend && v->dr.known)
		finding_evidence(f, "ss -ltnm 'sport = :%u': skmem d%u -> d%u (+%u %s)",
				 l->port, v->dr.from, v->dr.to, j->dd, finding_span(sp, "in", j->dspan));
	else if (v->dr.known)
		finding_evidence(f, "ss -ltnm 'sport = :%u': skmem d%u (drops since the listener was created)",
				 l->port, v->dr.to);
	if (h->lo_known)
		finding_evidence_rise(f, "TcpExtListenOverflows", h->lo, h->span,
				      "whole network namespace, every listener");
	if (h->ld_known)
		finding_evidence_rise(f, "TcpExtListenDrops", h->ld, h->span, "whole network namespace");
	if (h->somax_known)
		finding_evidence(f, "sysctl net.core.somaxconn: %lld (Send-Q %u %s it)",
				 (long long)h->somaxconn, l->wq,
				 (int64_t)l->wq == h->somaxconn ? "equals" :
				 (int64_t)l->wq < h->somaxconn ? "is below" : "is above");
	if (j->cause == AQ_EMFILE && p)
		finding_evidence(f, "%s[%u]: %u open fds, RLIMIT_NOFILE %llu soft / %llu hard (ls /proc/%u/fd | wc -l)",
				 p->comm, p->pid, p->fds, (unsigned long long)p->nofile_soft,
				 (unsigned long long)p->nofile_hard, p->pid);
}

/* The cause, in the explanation (after the sentence on what the queue is). */
static void explain_cause(char *x, size_t xs, const struct aq_view *v, const struct aq_host *h,
			  const struct aq_verdict *j)
{
	const struct s_listener *l = v->l;
	const struct s_proc *p = v->owner;

	switch (j->cause) {
	case AQ_EMFILE:
		diag_appendf(x, xs, "%s[%u] is at its open-file limit (%u fds of %llu): accept() fails with EMFILE, so connections pile up in the queue and the rest are dropped; the kernel logs nothing for this. The fix is the fd limit or an fd leak, not the queue. ",
		    p->comm, p->pid, p->fds, (unsigned long long)p->nofile_soft);
		if (j->trend && p->fds > v->owner_fds_first)
			diag_appendf(x, xs, "Its fd count grew from %u during sampling: look for a leak before raising the limit. ",
			    v->owner_fds_first);
		break;
	case AQ_STALLED:
		diag_appendf(x, xs, "It was full in every sample: the app is not draining it (accept loop stalled or blocked, or too few workers). Find what the accepting threads wait on. A bigger backlog or somaxconn would only delay the drops. ");
		break;
	case AQ_APP_BACKLOG:
		diag_appendf(x, xs, "Send-Q %u is below net.core.somaxconn %lld, so the cap is the backlog the app passed to listen() (e.g. nginx `listen ... backlog=`), or somaxconn was %u when it started. Raise the app's backlog; somaxconn caps whatever it asks for. A bigger queue only delays drops if the app cannot drain it. ",
		    l->wq, (long long)h->somaxconn, l->wq);
		break;
	case AQ_SOMAXCONN:
		diag_appendf(x, xs, "Send-Q %u equals net.core.somaxconn and the queue drains between bursts while drops rise: bursts outgrow the kernel's cap. A new somaxconn applies only at the next listen(), and the app's own backlog must be at least as large. A bigger queue only delays drops if the app cannot drain it. ",
		    l->wq);
		break;
	case AQ_BURST:
		if (!j->trend)
			diag_appendf(x, xs, "The app may be stalled or the limit too small for a burst; one look cannot tell which. ");
		else if (!j->rising)
			diag_appendf(x, xs, "It reached its limit in %u of %u samples with no drop counted: accept() falls behind during bursts. ",
			    v->full, v->dr.seen);
		else
			diag_appendf(x, xs, "Drops rise while the queue drains between samples: accept() falls behind during bursts. ");
		if (!h->somax_known)
			diag_appendf(x, xs, "net.core.somaxconn could not be read, so whose cap Send-Q is stays open. ");
		else if ((int64_t)l->wq > h->somaxconn)
			diag_appendf(x, xs, "Send-Q %u is above somaxconn %lld: the listener predates a lower somaxconn, and a restart would shrink it. ",
			    l->wq, (long long)h->somaxconn);
		diag_appendf(x, xs, "A bigger queue only delays drops if the app cannot drain it. ");
		break;
	}
}

static void explain(struct finding *f, const struct aq_view *v, const struct aq_host *h,
		    const struct aq_verdict *j)
{
	char *x = f->explanation;
	size_t xs = sizeof(f->explanation);

	diag_appendf(x, xs, "The accept queue holds connections that finished the handshake until the app calls accept(); it holds Send-Q+1 = %u. When full, the kernel drops new SYNs and ignores completing ACKs, so clients retry and see slow or timed-out connects. ",
	    v->l->wq + 1);
	explain_cause(x, xs, v, h, j);
	if (h->abort_known && h->abort_on_overflow)
		diag_appendf(x, xs, "tcp_abort_on_overflow is 1, so clients get a RST instead of retrying; that changes the symptom, not the cause. ");
	else if (h->abort_known)
		diag_appendf(x, xs, "(tcp_abort_on_overflow=1 would only make clients get a RST instead of retrying: it changes the symptom, not the cause.) ");
}

static void change_nofile(struct finding *f, const struct s_proc *p, const struct aq_host *h)
{
	struct change *c = finding_change(f);
	uint64_t ceil = h->nr_open_known && h->nr_open > 0 ? (uint64_t)h->nr_open : 0;
	uint64_t prop = grow(p->nofile_soft, NOFILE_FACTOR, NOFILE_FLOOR, ceil);
	unsigned long long hard = prop > p->nofile_hard ? prop : p->nofile_hard;

	if (!c)
		return;
	snprintf(c->setting, sizeof(c->setting), "RLIMIT_NOFILE of %s[%u]", p->comm, p->pid);
	snprintf(c->knob, sizeof(c->knob), "RLIMIT_NOFILE pid %u", p->pid);
	snprintf(c->current, sizeof(c->current), "%llu:%llu", (unsigned long long)p->nofile_soft,
		 (unsigned long long)p->nofile_hard);
	snprintf(c->proposed, sizeof(c->proposed), "%llu:%llu", (unsigned long long)prop, hard);
	snprintf(c->backout, sizeof(c->backout), "prlimit --pid %u --nofile=%llu:%llu",
		 p->pid, (unsigned long long)p->nofile_soft, (unsigned long long)p->nofile_hard);
	snprintf(c->effective, sizeof(c->effective),
		 "at once with prlimit --pid %u --nofile=%llu:%llu; set LimitNOFILE= (or ulimit -n) too, or a restart loses it",
		 p->pid, (unsigned long long)prop, hard);
}

static void change_somaxconn(struct finding *f, const struct s_listener *l, const struct aq_host *h)
{
	uint64_t prop = grow((uint64_t)h->somaxconn, SOMAXCONN_FACTOR, SOMAXCONN_FLOOR, SOMAXCONN_CEIL);
	struct change *c;

	if (prop <= (uint64_t)h->somaxconn) {
		diag_appendf(f->explanation, sizeof(f->explanation),
			     "somaxconn is already %lld: the queue size is not the fix, the app's accept rate is.",
			     (long long)h->somaxconn);
		return;
	}
	c = finding_change_sysctl(f, "net.core.somaxconn", h->somaxconn, (int64_t)prop);
	if (!c)
		return;
	snprintf(c->effective, sizeof(c->effective),
		 "only at the next listen(): restart the service (or have it call listen() again); existing listeners keep Send-Q %u",
		 l->wq);
}

static void emit(const struct rule *self, const struct series *ser, const struct aq_view *v,
		 const struct aq_host *h, struct findings *out)
{
	const struct s_proc *p = v->owner;
	struct aq_verdict j;
	struct finding *f;

	judge(ser, v, h, &j);
	f = rule_finding(out, self, 0, j.sev, j.cause == AQ_SOMAXCONN ? SIDE_KERNEL : SIDE_APP);
	if (!f)
		return;
	subject_of(f, v->l, p);
	evidence(f, v, h, &j);
	explain(f, v, h, &j);
	verify_of(f, v->l, j.cause == AQ_EMFILE ? p : NULL);
	/* One sample: a full queue now is a warning, never "healthy"; the
	 * trend is for a second look to confirm. */
	if (!j.trend)
		finding_one_sample(f, "the trend (rising drops, whether the queue drains)", v->l->port);
	/* One sample proposes no change (rules.h). */
	if (j.trend && j.cause == AQ_EMFILE && p && p->has_limit)
		change_nofile(f, p, h);
	else if (j.trend && j.cause == AQ_SOMAXCONN)
		change_somaxconn(f, v->l, h);
	else if (j.trend && j.cause == AQ_APP_BACKLOG && j.rising && !j.full_all)
		finding_change_backlog(f, p, v->l->wq,
				       grow(v->l->wq, BACKLOG_FACTOR, BACKLOG_FLOOR, (uint64_t)h->somaxconn),
				       h->somaxconn);
	diag_trim(f->explanation);
}

/* Drops counted before sampling, none now: worth knowing, nothing to do. */
static void emit_past(const struct rule *self, const struct aq_view *v, struct findings *out)
{
	struct finding *f = rule_finding(out, self, 0, SEV_INFO, SIDE_NONE);

	if (!f)
		return;
	subject_of(f, v->l, v->owner);
	finding_evidence(f, "ss -ltnm 'sport = :%u': skmem d%u, unchanged over %u samples; Recv-Q at most %u, Send-Q %u",
			 v->l->port, v->dr.to, v->dr.seen, v->rq_max, v->l->wq);
	snprintf(f->explanation, sizeof(f->explanation),
		 "This listener dropped %u connections at some point since it was created, %s. Nothing to do now; if clients report intermittent timeouts, rerun during a burst.",
		 v->dr.to, v->dr.seen < 2 ? "one sample cannot tell when, and its queue was not full" :
		 "but none while sockvet watched and its queue was never full");
	verify_of(f, v->l, NULL);
	if (v->dr.seen < 2)
		finding_one_sample(f, "whether drops are still happening", v->l->port);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct aq_host h;
	struct aq_view past[PAST_DROPS_REPORT_MAX];
	unsigned n_past = 0, n_found = 0;

	(void)o;
	memset(&h, 0, sizeof(h));
	h.lo_known = series_mib_delta(ser, "TcpExtListenOverflows", &h.lo);
	h.ld_known = series_mib_delta(ser, "TcpExtListenDrops", &h.ld);
	h.somax_known = sample_sysctl(last, SYSCTL_SOMAXCONN, &h.somaxconn);
	h.abort_known = sample_sysctl(last, SYSCTL_TCP_ABORT_ON_OVERFLOW, &h.abort_on_overflow);
	h.nr_open_known = sample_sysctl(last, SYSCTL_NR_OPEN, &h.nr_open);
	h.span = series_span_s(ser);

	for (uint32_t i = 0; i < last->n_listeners; i++) {
		struct aq_view v;
		bool trend, d_moved;

		view_build(ser, i, &v);
		trend = v.dr.seen >= 2;
		d_moved = trend && v.dr.known && v.dr.to > v.dr.from &&
			  (!h.lo_known || h.lo > 0);
		if (v.full || d_moved) {
			emit(self, ser, &v, &h, out);
			n_found++;
			continue;
		}
		if (!v.dr.known || !v.dr.to || (trend && v.dr.to != v.dr.from))
			continue;
		/* Keep the listeners with the most old drops. */
		if (n_past < PAST_DROPS_REPORT_MAX) {
			past[n_past++] = v;
		} else {
			unsigned min = 0;

			for (unsigned k = 1; k < n_past; k++)
				if (past[k].dr.to < past[min].dr.to)
					min = k;
			if (v.dr.to > past[min].dr.to)
				past[min] = v;
		}
	}
	for (unsigned k = 0; k < n_past; k++)
		emit_past(self, &past[k], out);

	/* The host counter says a queue overflowed, but no listener shows it
	 * (a burst between samples on a kernel without skmem d). */
	if (!n_found && h.lo_known && h.lo > 0) {
		struct finding *f = rule_finding(out, self, 0, SEV_WARNING, SIDE_APP);

		if (!f)
			return;
		snprintf(f->subject, sizeof(f->subject), "host (network namespace)");
		finding_evidence_rise(f, "TcpExtListenOverflows", h.lo, h.span,
				      "whole network namespace, every listener");
		finding_evidence(f, "ss -ltn: no listener had Recv-Q > Send-Q in any of %u samples, and none showed rising skmem d",
				 ser->n);
		snprintf(f->explanation, sizeof(f->explanation),
			 "Some listener's accept queue overflowed between samples, so connections were dropped, but the samples did not catch which one. The usual cause is an app that does not call accept() fast enough during bursts. Watch the listeners and look for Recv-Q reaching Send-Q+1.");
		snprintf(f->verify_command, sizeof(f->verify_command),
			 "ss -ltnm; nstat -az TcpExtListenOverflows");
		snprintf(f->fixed_when, sizeof(f->fixed_when),
			 "TcpExtListenOverflows stops growing");
	}
}

const struct rule rule_accept_queue_overflow = {
	.ids = { "accept-queue-overflow" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_REFUSED) | SYMPTOM_BIT(SYMPTOM_TIMEOUT) | SYMPTOM_BIT(SYMPTOM_RESET) | SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = HAVE_SOCKETS,
	.check = check,
	.summary = "a listener's accept queue is full or dropping (Recv-Q > Send-Q, skmem d)",
};
