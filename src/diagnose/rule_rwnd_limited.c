// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * receiver-window-limited: the sending side of a connection waits for
 * the peer's receive window (kernel-facts A4). tcp_info's chronograph
 * splits the time the sender had data queued (busy, which already
 * includes both *_limited times) into plain busy, rwnd_limited and
 * sndbuf_limited; ss -ti prints them as "busy:Xms rwnd_limited:Yms(P%)".
 * We judge the delta over the sampling window, so a connection that was
 * window-limited an hour ago and is fine now stays quiet.
 *
 * Who is at fault is decided by the window itself, seen from our end:
 *  - closed (snd_wnd 0) with data waiting or zero-window probes backing
 *    off: the receiving application does not read (A4: rwnd_limited 97 %,
 *    backoff 4, big notsent when the receiver stopped reading). The app
 *    to fix runs on the peer.
 *  - open in every sample, steady, never probed: the receiver reads as
 *    fast as data comes, so its buffer ceiling caps the window: the
 *    receiver's tcp_rmem max (or its app's SO_RCVBUF, or window scaling
 *    off when the window sits at or below 64 KiB).
 *  - anything else (one sample, a swinging window, a kernel without
 *    tcpi_snd_wnd): reported without blaming a side.
 *
 * Not the lead's "window < delivery_rate * rtt" test: while the receiver
 * window limits the sender, delivery_rate is itself about snd_wnd / rtt,
 * so that product measures the window, not the path, and cannot tell a
 * small buffer from a fine one.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/*
 * Share of busy time spent waiting for the peer's window. Half: from
 * here on the window, not the path or the congestion window, is what
 * paces the connection most of the time (the receiver-not-reading case
 * measured 97 %; a healthy bulk transfer shows none, A4).
 */
#define RWND_SHARE_PCT 50

/*
 * The busy time must be this long (µs) over the window for the share to
 * mean anything: tcp_info counts in jiffies (4 ms at HZ=250), and a
 * connection that sent a few small bursts has a few ticks at most.
 * 100 ms is 25 ticks at HZ=250, 5 % of a 2 s window.
 */
#define BUSY_MIN_US 100000

/*
 * The window counts as steady (a buffer ceiling, not a slow reader)
 * when it never fell below this share of its largest value: a receiver
 * whose app keeps up advertises about its whole buffer each time, while
 * one whose app lags advertises what is left, which swings.
 */
#define WND_STEADY_PCT 50

/* A window at or below 65535 bytes may be unscaled (window scaling off
 * at either end or stripped on the path), which no buffer size fixes. */
#define UNSCALED_WND_MAX 65535

/*
 * Proposed receiver tcp_rmem max: room for twice the current window,
 * counting the buffer twice the window (the kernel keeps part of
 * rcvbuf for skb overhead: half with the old tcp_adv_win_scale=1, a
 * measured share since 6.6), rounded up to whole MiB. The path's real
 * BDP is not measurable from here (see the top comment), so this is one
 * step: re-check, and repeat while rwnd_limited keeps growing.
 */
#define WND_GROWTH 2
#define RCVBUF_PER_WND 2
#define MIB (1024ull * 1024ull)

/* Findings per cause and service are bounded (they share FINDINGS_MAX
 * with every rule); each lists its worst connections. */
#define GROUPS_MAX 4
#define CONNS_PER_FINDING 3
#define CANDIDATES_MAX 256

enum rw_cause {
	RW_CLOSED,      /* window closed / zero-window probing: peer's app */
	RW_BUFFER,      /* window open and steady: receiver's buffer ceiling */
	RW_UNSURE,      /* limited, but one look or no snd_wnd: no side */
};

struct conn_view {
	const struct s_conn *c0, *c;    /* first and last appearance */
	const struct sample *s;         /* the sample holding c */
	unsigned seen;
	bool trend;                     /* seen in two samples or more */
	double span;                    /* s between first and last appearance */
	uint64_t busy, limited;         /* µs: deltas with a trend, else cumulative */
	unsigned wnd_known, closed;     /* appearances with snd_wnd; with it closed */
	uint32_t wnd_min, wnd_max;      /* over appearances with an open window */
	bool probing;                   /* backoff > 0 in some appearance */
	enum rw_cause cause;
	unsigned pct;                   /* limited share of busy */
	bool used;
};

static bool same_conn(const struct s_conn *a, const struct s_conn *b)
{
	if (a->cookie && b->cookie)
		return a->cookie == b->cookie;
	return a->family == b->family && a->sport == b->sport && a->dport == b->dport &&
	       a->inode == b->inode && !memcmp(a->saddr, b->saddr, sizeof(a->saddr)) &&
	       !memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

static const struct s_conn *find_conn(const struct sample *s, const struct s_conn *ref)
{
	for (uint32_t j = 0; j < s->n_conns; j++)
		if (same_conn(&s->conns[j], ref))
			return &s->conns[j];
	return NULL;
}

static bool seen_before(const struct series *ser, unsigned i, const struct s_conn *c)
{
	for (unsigned k = 0; k < i; k++) {
		const struct s_conn *x = find_conn(ser->s[k], c);

		if (x && x->has_info)
			return true;
	}
	return false;
}

static double span_between(const struct series *ser, unsigned a, unsigned b)
{
	const struct sample *x = ser->s[a], *y = ser->s[b];

	if (y->meta.mono_ns > x->meta.mono_ns)
		return (double)(y->meta.mono_ns - x->meta.mono_ns) / 1e9;
	return ser->interval_s * (b - a);
}

static uint64_t grew(uint64_t a, uint64_t b)
{
	return b >= a ? b - a : 0;
}

static void view_build(const struct series *ser, unsigned i, const struct s_conn *ref,
		       struct conn_view *v)
{
	unsigned last = i;

	memset(v, 0, sizeof(*v));
	v->c0 = ref;
	for (unsigned k = i; k < ser->n; k++) {
		const struct s_conn *x = find_conn(ser->s[k], ref);

		if (!x || !x->has_info)
			continue;
		v->c = x;
		v->s = ser->s[k];
		last = k;
		v->seen++;
		if (x->backoff)
			v->probing = true;
		if (!x->has_snd_wnd)
			continue;
		v->wnd_known++;
		if (!x->snd_wnd) {
			v->closed++;
			continue;
		}
		if (!v->wnd_min || x->snd_wnd < v->wnd_min)
			v->wnd_min = x->snd_wnd;
		if (x->snd_wnd > v->wnd_max)
			v->wnd_max = x->snd_wnd;
	}
	v->trend = v->seen >= 2;
	if (v->trend) {
		v->span = span_between(ser, i, last);
		v->busy = grew(v->c0->busy_us, v->c->busy_us);
		v->limited = grew(v->c0->rwnd_limited_us, v->c->rwnd_limited_us);
	} else if (v->c) {
		v->busy = v->c->busy_us;
		v->limited = v->c->rwnd_limited_us;
	}
	v->pct = v->busy ? (unsigned)(v->limited * 100 / v->busy) : 0;
}

/* Closed now, with something to send or probes going out. */
static bool closed_now(const struct s_conn *c)
{
	return c->has_snd_wnd && !c->snd_wnd && (c->notsent_bytes || c->backoff);
}

static bool classify(struct conn_view *v)
{
	bool share = v->busy >= BUSY_MIN_US && v->pct >= RWND_SHARE_PCT;
	bool steady = v->wnd_max && (uint64_t)v->wnd_min * 100 >= (uint64_t)v->wnd_max * WND_STEADY_PCT;

	if (!v->c || (!share && !closed_now(v->c)))
		return false;
	if (v->closed && (closed_now(v->c) || v->probing || share))
		v->cause = RW_CLOSED;
	else if (v->trend && v->wnd_known == v->seen && !v->closed && !v->probing && steady)
		v->cause = RW_BUFFER;
	else
		v->cause = RW_UNSURE;
	return true;
}

/* The end that offers the service names the group: our port when it is
 * a listening port, else the peer's address and port. */
static bool same_service(const struct sample *last, const struct s_conn *a, const struct s_conn *b)
{
	bool la = last->listen_port[a->sport >> 3] & (1u << (a->sport & 7));
	bool lb = last->listen_port[b->sport >> 3] & (1u << (b->sport & 7));

	if (la != lb || a->family != b->family)
		return false;
	if (la)
		return a->sport == b->sport && !memcmp(a->saddr, b->saddr, sizeof(a->saddr));
	return a->dport == b->dport && !memcmp(a->daddr, b->daddr, sizeof(a->daddr));
}

static const struct s_proc *owner_of(const struct conn_view *v)
{
	if (v->c->owner < 0 || (uint32_t)v->c->owner >= v->s->n_procs)
		return NULL;
	return &v->s->procs[v->c->owner];
}

/* "ss -tin 'src 10.0.0.1:5000 and dst 10.0.0.2:41234'" */
static void ss_filter(char *buf, size_t size, const struct s_conn *c)
{
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX];

	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	snprintf(buf, size, "ss -tin 'src %s and dst %s'", l, r);
}

static void conn_evidence(struct finding *f, const struct conn_view *v)
{
	const struct s_conn *c = v->c;
	const struct s_proc *p = owner_of(v);
	char ss[160], who[48] = "";

	if (p)
		snprintf(who, sizeof(who), "; process %s[%u]", p->comm, p->pid);
	ss_filter(ss, sizeof(ss), c);
	if (v->trend)
		finding_evidence(f, "%s: rwnd_limited %llu ms of busy %llu ms (%u%%) in %.1f s",
				 ss, (unsigned long long)(v->limited / 1000),
				 (unsigned long long)(v->busy / 1000), v->pct, v->span);
	else
		finding_evidence(f, "%s: rwnd_limited %llu ms of busy %llu ms (%u%%) over the connection's life",
				 ss, (unsigned long long)(v->limited / 1000),
				 (unsigned long long)(v->busy / 1000), v->pct);
	if (c->has_snd_wnd)
		finding_evidence(f, "snd_wnd:%u backoff:%u notsent:%u Send-Q %u (window closed in %u of %u samples)%s",
				 c->snd_wnd, c->backoff, c->notsent_bytes, c->wq, v->closed, v->seen, who);
	else
		finding_evidence(f, "backoff:%u notsent:%u Send-Q %u (this kernel's tcp_info has no snd_wnd)%s",
				 c->backoff, c->notsent_bytes, c->wq, who);
}

static uint64_t roundup_mib(uint64_t v)
{
	return (v + MIB - 1) / MIB * MIB;
}

static void emit(const struct series *ser, struct conn_view *cand, unsigned n_cand,
		 unsigned lead, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct conn_view *v = &cand[lead];
	const struct s_conn *c = v->c;
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX], ra[ADDR_STR_MAX];
	unsigned listed = 0, more = 0;
	enum severity sev = SEV_WARNING;
	enum side side = SIDE_APP;
	struct finding *f;
	char *x;
	size_t xs;

	if (v->cause == RW_CLOSED && v->trend && v->closed == v->seen)
		sev = SEV_CRITICAL;
	if (v->cause == RW_BUFFER)
		side = SIDE_KERNEL;
	if (v->cause == RW_UNSURE) {
		sev = SEV_INFO;
		side = SIDE_NONE;
	}
	f = findings_add(out, "receiver-window-limited", sev, side);
	if (!f)
		return;
	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	addr_endpoint(ra, c->family, c->daddr, -1);
	diag_appendf(f->subject, sizeof(f->subject), "connection %s -> %s", l, r);

	for (unsigned k = lead; k < n_cand; k++) {
		struct conn_view *w = &cand[k];

		if (w->used || w->cause != v->cause || !same_service(last, w->c, c))
			continue;
		w->used = true;
		if (listed++ < CONNS_PER_FINDING)
			conn_evidence(f, w);
		else
			more++;
	}
	if (more)
		finding_evidence(f, "%u more connection%s of the same service show the same (not listed)",
				 more, more == 1 ? "" : "s");

	x = f->explanation;
	xs = sizeof(f->explanation);
	diag_appendf(x, xs, "This end has data to send, but the peer %s's advertised receive window lets through only what its receive buffer has room for, so the connection goes as fast as the receiver makes room, not as fast as the network allows. ",
		     ra);
	switch (v->cause) {
	case RW_CLOSED:
		diag_appendf(x, xs, "The window is closed (snd_wnd 0): the receiver's buffer is full and the receiving application on %s is not reading, or reads far slower than data arrives; this end only sends zero-window probes (backoff). The fix is in the application that reads this connection on %s (blocked, busy, or not polling the socket), not in this host or the network. A bigger receive buffer would only postpone the stall. ",
			     ra, ra);
		if (sev == SEV_CRITICAL)
			diag_appendf(x, xs, "It stayed closed in every sample. ");
		break;
	case RW_BUFFER:
		diag_appendf(x, xs, "The window stayed open and steady (%u to %u bytes) with no zero-window probing, so the receiver reads promptly and its buffer ceiling caps the window: the connection cannot exceed about snd_wnd / rtt = %llu bytes/s at srtt %u us. If the path is faster, the receiver needs a bigger buffer: the receiving host's net.ipv4.tcp_rmem max (we cannot read the peer's value), or its application's SO_RCVBUF if it sets one (that turns autotuning off and tcp_rmem does not apply). ",
			     v->wnd_min, v->wnd_max,
			     c->rtt_us ? (unsigned long long)v->wnd_max * 1000000ull / c->rtt_us : 0ull,
			     c->rtt_us);
		if (v->wnd_max <= UNSCALED_WND_MAX)
			diag_appendf(x, xs, "A window of at most 65535 bytes suggests window scaling is off (net.ipv4.tcp_window_scaling=0 at either end, or a middlebox stripping the option; ss -ti shows wscale:), and no buffer size fixes that, so no tcp_rmem change is proposed. ");
		break;
	case RW_UNSURE:
		if (!c->has_snd_wnd)
			diag_appendf(x, xs, "This kernel's tcp_info does not report the peer's window (snd_wnd, 5.4+), so whether the receiving app stopped reading or its buffer is too small cannot be told from here. ");
		else if (!v->trend)
			diag_appendf(x, xs, "The window is open, so either the receiver's buffer is too small for the path or its app reads slowly; one look cannot tell which. ");
		else
			diag_appendf(x, xs, "The window stayed open but swung (%u to %u bytes): the receiving app on %s probably reads slower than data arrives; a small buffer would show a steady window. ",
				     v->wnd_min, v->wnd_max, ra);
		break;
	}
	if (!v->trend)
		diag_appendf(x, xs, "Measured over the connection's life; no trend confirmed (one sample, or the connection was seen once): rerun with more samples before changing anything.");

	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tin dst %s", r);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "rwnd_limited stops growing between runs (its share of busy falls) and snd_wnd stays above 0");

	if (v->cause == RW_BUFFER && v->trend && ser->n >= 2 && v->wnd_max > UNSCALED_WND_MAX) {
		struct change *ch = &f->changes[f->n_changes++];
		uint64_t want = roundup_mib((uint64_t)v->wnd_max * WND_GROWTH * RCVBUF_PER_WND);

		diag_appendf(ch->setting, sizeof(ch->setting), "net.ipv4.tcp_rmem on %s", ra);
		snprintf(ch->current, sizeof(ch->current),
			 "unknown (read it on the receiver: sysctl net.ipv4.tcp_rmem)");
		snprintf(ch->proposed, sizeof(ch->proposed), "max >= %llu (keep min and default)",
			 (unsigned long long)want);
		snprintf(ch->backout, sizeof(ch->backout),
			 "on %s: sysctl -w net.ipv4.tcp_rmem='MIN DEFAULT MAX' with the three values read before the change",
			 ra);
		snprintf(ch->effective, sizeof(ch->effective),
			 "at once for autotuned sockets on the receiver, up to the window scale agreed at their handshake; new connections get all of it; sockets with SO_RCVBUF set are not affected");
	}
}

static void sort_worst_first(struct conn_view *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct conn_view t = v[i];
		unsigned j = i;

		while (j && (v[j - 1].pct < t.pct ||
			     (v[j - 1].pct == t.pct && v[j - 1].limited < t.limited))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

void rule_receiver_window_limited(const struct series *ser, const struct triage_opts *o,
				  struct findings *out)
{
	struct conn_view cand[CANDIDATES_MAX];
	unsigned n_cand = 0, groups = 0;

	(void)o;
	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];

		for (uint32_t j = 0; j < s->n_conns; j++) {
			const struct s_conn *c = &s->conns[j];
			struct conn_view v;

			if (!c->has_info || n_cand == CANDIDATES_MAX || seen_before(ser, i, c))
				continue;
			view_build(ser, i, c, &v);
			if (classify(&v))
				cand[n_cand++] = v;
		}
	}
	sort_worst_first(cand, n_cand);
	for (unsigned k = 0; k < n_cand && groups < GROUPS_MAX; k++) {
		if (cand[k].used)
			continue;
		emit(ser, cand, n_cand, k, out);
		groups++;
	}
}
