// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * receiver-window-limited: the sending side of a connection waits for
 * the peer's receive window (kernel-facts.md "tcp_info fields"). tcp_info's chronograph
 * splits the time the sender had data queued (busy, which already
 * includes both *_limited times) into plain busy, rwnd_limited and
 * sndbuf_limited; ss -ti prints them as "busy:Xms rwnd_limited:Yms(P%)".
 * We judge the delta over the sampling window, so a connection that was
 * window-limited an hour ago and is fine now stays quiet.
 *
 * Who is at fault is decided by the window itself, seen from our end:
 *  - closed (snd_wnd 0) with data waiting or zero-window probes backing
 *    off: the receiving application does not read (kernel-facts.md "tcp_info fields": rwnd_limited 97 %,
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
#include "conn_track.h"

/*
 * Share of busy time spent waiting for the peer's window. Half: from
 * here on the window, not the path or the congestion window, is what
 * paces the connection most of the time (the receiver-not-reading case
 * measured 97 %; a healthy bulk transfer shows none, same section).
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

/* The peer's window over a tracked connection's appearances. */
struct wnd_view {
	unsigned known, closed;         /* appearances with snd_wnd; with it closed */
	uint32_t min, max;              /* over appearances with an open window */
	bool probing;                   /* backoff > 0 in some appearance */
};

static void wnd_scan(const struct series *ser, const struct conn_track *t, struct wnd_view *w)
{
	memset(w, 0, sizeof(*w));
	for (unsigned k = t->first; k <= t->last; k++) {
		const struct s_conn *x = conn_track_in(ser, t, k);

		if (!x)
			continue;
		if (x->backoff)
			w->probing = true;
		if (!x->has_snd_wnd)
			continue;
		w->known++;
		if (!x->snd_wnd) {
			w->closed++;
			continue;
		}
		if (!w->min || x->snd_wnd < w->min)
			w->min = x->snd_wnd;
		if (x->snd_wnd > w->max)
			w->max = x->snd_wnd;
	}
}

/* Closed now, with something to send or probes going out. */
static bool closed_now(const struct s_conn *c)
{
	return c->has_snd_wnd && !c->snd_wnd && (c->notsent_bytes || c->backoff);
}

static bool classify(struct conn_track *t, const void *ctx)
{
	struct wnd_view w;
	unsigned pct = conn_track_pct(t->rwnd_limited_us, t->busy_us);
	bool share = t->busy_us >= BUSY_MIN_US && pct >= RWND_SHARE_PCT;
	bool steady;

	if (!share && !closed_now(t->c))
		return false;
	wnd_scan(ctx, t, &w);
	steady = w.max && (uint64_t)w.min * 100 >= (uint64_t)w.max * WND_STEADY_PCT;
	if (w.closed && (closed_now(t->c) || w.probing || share))
		t->kind = RW_CLOSED;
	else if (t->trend && w.known == t->seen && !w.closed && !w.probing && steady)
		t->kind = RW_BUFFER;
	else
		t->kind = RW_UNSURE;
	t->rank[0] = pct;
	t->rank[1] = t->rwnd_limited_us;
	return true;
}

static void conn_evidence(struct finding *f, const struct conn_track *t, const void *ctx)
{
	const struct s_conn *c = t->c;
	char who[48];
	struct wnd_view w;

	wnd_scan(ctx, t, &w);
	conn_track_who(who, sizeof(who), t);
	conn_track_share_evidence(f, t, "rwnd_limited", t->rwnd_limited_us);
	if (c->has_snd_wnd)
		finding_evidence(f, "snd_wnd:%u backoff:%u notsent:%u Send-Q %u (window closed in %u of %u samples)%s",
				 c->snd_wnd, c->backoff, c->notsent_bytes, c->wq, w.closed, t->seen, who);
	else
		finding_evidence(f, "backoff:%u notsent:%u Send-Q %u (this kernel's tcp_info has no snd_wnd)%s",
				 c->backoff, c->notsent_bytes, c->wq, who);
}

static void change_rmem(struct finding *f, const struct wnd_view *w, const char *ra)
{
	struct change *ch = finding_change(f);
	uint64_t want = diag_roundup((uint64_t)w->max * WND_GROWTH * RCVBUF_PER_WND, MIB);

	if (!ch)
		return;
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

static void emit(const struct rule *self, const struct series *ser, struct conn_track *cand,
		 unsigned n_cand, unsigned lead, struct findings *out)
{
	struct conn_track *v = &cand[lead];
	const struct s_conn *c = v->c;
	char r[ADDR_STR_MAX], ra[ADDR_STR_MAX];
	enum severity sev = SEV_WARNING;
	enum side side = SIDE_APP;
	struct wnd_view w;
	struct finding *f;
	char *x;
	size_t xs;

	wnd_scan(ser, v, &w);
	if (v->kind == RW_CLOSED && v->trend && w.closed == v->seen)
		sev = SEV_CRITICAL;
	if (v->kind == RW_BUFFER)
		side = SIDE_KERNEL;
	if (v->kind == RW_UNSURE) {
		sev = SEV_INFO;
		side = SIDE_NONE;
	}
	f = rule_finding(out, self, 0, sev, side);
	if (!f)
		return;
	addr_endpoint(r, c->family, c->daddr, c->dport);
	addr_endpoint(ra, c->family, c->daddr, -1);
	conn_track_subject(f, v);
	conn_track_list(ser, cand, n_cand, lead, CONNS_PER_FINDING, f, conn_evidence, ser);

	x = f->explanation;
	xs = sizeof(f->explanation);
	diag_appendf(x, xs, "This end has data to send, but the peer %s's advertised receive window lets through only what its receive buffer has room for, so the connection goes as fast as the receiver makes room, not as fast as the network allows. ",
		     ra);
	switch (v->kind) {
	case RW_CLOSED:
		diag_appendf(x, xs, "The window is closed (snd_wnd 0): the receiver's buffer is full and the receiving application on %s is not reading, or reads far slower than data arrives; this end only sends zero-window probes (backoff). The fix is in the application that reads this connection on %s (blocked, busy, or not polling the socket), not in this host or the network. A bigger receive buffer would only postpone the stall. ",
			     ra, ra);
		if (sev == SEV_CRITICAL)
			diag_appendf(x, xs, "It stayed closed in every sample. ");
		break;
	case RW_BUFFER:
		diag_appendf(x, xs, "The window stayed open and steady (%u to %u bytes) with no zero-window probing, so the receiver reads promptly and its buffer ceiling caps the window: the connection cannot exceed about snd_wnd / rtt = %llu bytes/s at srtt %u us. If the path is faster, the receiver needs a bigger buffer: the receiving host's net.ipv4.tcp_rmem max (we cannot read the peer's value), or its application's SO_RCVBUF if it sets one (that turns autotuning off and tcp_rmem does not apply). ",
			     w.min, w.max,
			     c->rtt_us ? (unsigned long long)w.max * 1000000ull / c->rtt_us : 0ull,
			     c->rtt_us);
		if (w.max <= UNSCALED_WND_MAX)
			diag_appendf(x, xs, "A window of at most 65535 bytes suggests window scaling is off (net.ipv4.tcp_window_scaling=0 at either end, or a middlebox stripping the option; ss -ti shows wscale:), and no buffer size fixes that, so no tcp_rmem change is proposed. ");
		break;
	case RW_UNSURE:
		if (!c->has_snd_wnd)
			diag_appendf(x, xs, "This kernel's tcp_info does not report the peer's window (snd_wnd, 5.4+), so whether the receiving app stopped reading or its buffer is too small cannot be told from here. ");
		else if (!v->trend)
			diag_appendf(x, xs, "The window is open, so either the receiver's buffer is too small for the path or its app reads slowly; one look cannot tell which. ");
		else
			diag_appendf(x, xs, "The window stayed open but swung (%u to %u bytes): the receiving app on %s probably reads slower than data arrives; a small buffer would show a steady window. ",
				     w.min, w.max, ra);
		break;
	}
	if (!v->trend)
		diag_appendf(x, xs, "Measured over the connection's life; no trend confirmed (one sample, or the connection was seen once): rerun with more samples before changing anything.");

	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tin dst %s", r);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "rwnd_limited stops growing between runs (its share of busy falls) and snd_wnd stays above 0");

	if (v->kind == RW_BUFFER && v->trend && ser->n >= 2 && w.max > UNSCALED_WND_MAX)
		change_rmem(f, &w, ra);
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	struct conn_track cand[CANDIDATES_MAX];
	unsigned n_cand = conn_track_collect(ser, cand, CANDIDATES_MAX, classify, ser);

	(void)o;
	for (unsigned k = 0, groups = 0; groups < GROUPS_MAX &&
	     (k = conn_track_next_lead(cand, n_cand, k)) < n_cand; groups++)
		emit(self, ser, cand, n_cand, k, out);
}

const struct rule rule_receiver_window_limited = {
	.ids = { "receiver-window-limited" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = 0,              /* not HAVE_CONNS: see conn_track.h */
	.check = check,
	.summary = "a connection held back by the peer's receive window (closed: the reader; small: its buffer)",
};
