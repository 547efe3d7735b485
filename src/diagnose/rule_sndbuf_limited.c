// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sender-buffer-limited: the application wants to write, the send buffer
 * is full of data still in flight, and the congestion window has room:
 * tcp_info's sndbuf_limited chronograph (kernel-facts.md "Send buffer autotuning"). It only runs
 * when the sender is not cwnd-limited, has no unsent data and the app
 * hit SOCK_NOSPACE, so a share of it means the buffer size itself, not
 * the path, caps the rate (a cwnd-limited sender with a small SO_SNDBUF
 * shows none, same section). Judged on the delta over the sampling window.
 *
 * Whose buffer size it is follows from how the kernel grows it: autotuning
 * (tcp_sndbuf_expand) raises sk_sndbuf (ss skmem tb) towards about twice
 * the congestion window, capped at exactly tcp_wmem[2], and never for a
 * socket whose app set SO_SNDBUF, nor while TCP memory is at or above
 * tcp_mem[0] (tcp_should_expand_sndbuf) [S]. So:
 *  - tb == tcp_wmem max: autotuning hit the ceiling: kernel setting.
 *  - tb below it while TCP memory is below tcp_mem[0]: autotuning keeps
 *    about twice the congestion window, so a sender that is not
 *    cwnd-limited seldom runs out below the ceiling: most likely the app
 *    fixed the size with SO_SNDBUF (locked): the app's setting. Above it: the app
 *    set SO_SNDBUF past tcp_wmem (net.core.wmem_max allows that) and it
 *    is still too small: the app's setting too.
 *  - tb below it with TCP memory at or above tcp_mem[0]: autotuning is
 *    held back by host memory: kernel, but tcp_wmem is not the fix (the
 *    tcp-memory-pressure rule speaks to tcp_mem).
 *  - no skmem or no tcp_wmem: cannot tell; info.
 *
 * The proposed ceiling is not delivery_rate * rtt (the lead's BDP): while
 * the buffer limits the sender, delivery_rate is about the buffer's payload
 * per RTT, so that product only measures the current buffer.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"
#include "conn_track.h"

/*
 * Share of busy time spent blocked on a full send buffer. A quarter, lower
 * than the receive-window rule's half: this chronograph only runs when
 * neither the network nor the peer is in the way, so every such
 * millisecond is throughput this host gave away by its own buffer size.
 */
#define SNDBUF_SHARE_PCT 25

/*
 * The busy time must be this long (µs) over the window for the share to
 * mean anything: tcp_info counts in jiffies (4 ms at HZ=250); 100 ms is
 * 25 ticks, 5 % of a 2 s window.
 */
#define BUSY_MIN_US 100000

/*
 * Proposed tcp_wmem max: twice the current one, rounded up to whole MiB.
 * The path's BDP cannot be measured while the buffer caps the sender (see
 * the top comment); doubling lets in-flight data double, and the verify
 * step says whether another step is needed. Each autotuned socket may then
 * hold up to that much, all of it within tcp_mem.
 */
#define WMEM_GROWTH 2
#define MIB (1024ull * 1024ull)

/* Findings per cause and service are bounded (they share FINDINGS_MAX
 * with every rule); each lists its worst connections. */
#define GROUPS_MAX 4
#define CONNS_PER_FINDING 3
#define CANDIDATES_MAX 256

enum sb_cause {
	SB_CEILING,     /* tb == tcp_wmem max: autotuning at the ceiling */
	SB_MEMORY,      /* below the ceiling, TCP memory >= tcp_mem[0] */
	SB_APP_SMALL,   /* below the ceiling: SO_SNDBUF fixed by the app */
	SB_APP_ABOVE,   /* above the ceiling: SO_SNDBUF set past tcp_wmem */
	SB_UNKNOWN,     /* no skmem or no tcp_wmem */
};

struct sb_host {
	bool wmem_known;
	int64_t wmem[3];
	bool pressure;                  /* TCP memory >= tcp_mem[0] in some sample */
	int64_t mem_pages, mem_min;
};

static bool classify(struct conn_track *t, const void *ctx)
{
	const struct sb_host *h = ctx;
	const struct s_conn *c = t->c;
	unsigned pct = conn_track_pct(t->sndbuf_limited_us, t->busy_us);

	if (t->busy_us < BUSY_MIN_US || pct < SNDBUF_SHARE_PCT)
		return false;
	if (!c->has_skmem || !h->wmem_known)
		t->kind = SB_UNKNOWN;
	else if ((int64_t)c->sk_sndbuf == h->wmem[2])
		t->kind = SB_CEILING;
	else if ((int64_t)c->sk_sndbuf > h->wmem[2])
		t->kind = SB_APP_ABOVE;
	else if (h->pressure)
		t->kind = SB_MEMORY;
	else
		t->kind = SB_APP_SMALL;
	t->rank[0] = pct;
	t->rank[1] = t->sndbuf_limited_us;
	return true;
}

static void conn_evidence(struct finding *f, const struct conn_track *t, const void *ctx)
{
	const struct sb_host *h = ctx;
	const struct s_conn *c = t->c;
	char who[48];

	conn_track_who(who, sizeof(who), t);
	conn_track_share_evidence(f, t, "sndbuf_limited", t->sndbuf_limited_us);
	if (c->has_skmem && h->wmem_known)
		finding_evidence(f, "skmem tb %u w %u (tcp_wmem max %lld), notsent %u, Send-Q %u%s",
				 c->sk_sndbuf, c->sk_wmem_queued, (long long)h->wmem[2],
				 c->notsent_bytes, c->wq, who);
	else if (c->has_skmem)
		finding_evidence(f, "skmem tb %u w %u (tcp_wmem could not be read), notsent %u, Send-Q %u%s",
				 c->sk_sndbuf, c->sk_wmem_queued, c->notsent_bytes, c->wq, who);
	else
		finding_evidence(f, "no skmem for this socket (ss -tim shows tb), notsent %u, Send-Q %u%s",
				 c->notsent_bytes, c->wq, who);
}

static void add_changes(struct finding *f, const struct conn_track *v, const struct sb_host *h)
{
	const struct s_proc *p = conn_track_owner(v);
	struct change *ch;

	if (v->kind == SB_CEILING) {
		uint64_t want = diag_roundup((uint64_t)h->wmem[2] * WMEM_GROWTH, MIB);

		ch = finding_change(f);
		if (!ch)
			return;
		snprintf(ch->setting, sizeof(ch->setting), "net.ipv4.tcp_wmem");
		snprintf(ch->current, sizeof(ch->current), "%lld %lld %lld",
			 (long long)h->wmem[0], (long long)h->wmem[1], (long long)h->wmem[2]);
		snprintf(ch->proposed, sizeof(ch->proposed), "%lld %lld %llu",
			 (long long)h->wmem[0], (long long)h->wmem[1], (unsigned long long)want);
		snprintf(ch->backout, sizeof(ch->backout), "sysctl -w net.ipv4.tcp_wmem='%lld %lld %lld'",
			 (long long)h->wmem[0], (long long)h->wmem[1], (long long)h->wmem[2]);
		snprintf(ch->effective, sizeof(ch->effective),
			 "at once for autotuned sockets in this network namespace, as their congestion window grows; sockets with SO_SNDBUF set are not affected; add it to /etc/sysctl.d to survive a reboot");
		return;
	}
	if (v->kind != SB_APP_SMALL && v->kind != SB_APP_ABOVE)
		return;
	ch = finding_change(f);
	if (!ch)
		return;
	if (p)
		diag_appendf(ch->setting, sizeof(ch->setting), "SO_SNDBUF of %s[%u]", p->comm, p->pid);
	else
		snprintf(ch->setting, sizeof(ch->setting), "SO_SNDBUF (application config)");
	snprintf(ch->current, sizeof(ch->current), "skmem tb %u (twice what it asked for)",
		 v->c->sk_sndbuf);
	if (v->kind == SB_APP_SMALL)
		snprintf(ch->proposed, sizeof(ch->proposed), "unset (autotuning up to %lld)",
			 (long long)h->wmem[2]);
	else
		snprintf(ch->proposed, sizeof(ch->proposed), "at least %u (net.core.wmem_max caps it)",
			 v->c->sk_sndbuf);
	snprintf(ch->backout, sizeof(ch->backout),
		 "restore the application's previous SO_SNDBUF setting and restart it");
	snprintf(ch->effective, sizeof(ch->effective),
		 "for sockets the application creates after the change: restart it (or reconnect)");
}

static void emit(const struct rule *self, const struct series *ser, struct conn_track *cand,
		 unsigned n_cand, unsigned lead, const struct sb_host *h, struct findings *out)
{
	struct conn_track *v = &cand[lead];
	const struct s_conn *c = v->c;
	char r[ADDR_STR_MAX];
	enum severity sev = SEV_WARNING;
	enum side side;
	struct finding *f;
	char *x;
	size_t xs;

	switch (v->kind) {
	case SB_CEILING:
	case SB_MEMORY:
		side = SIDE_KERNEL;
		break;
	case SB_APP_SMALL:
	case SB_APP_ABOVE:
		side = SIDE_APP;
		break;
	default:
		side = SIDE_NONE;
		sev = SEV_INFO;
		break;
	}
	f = rule_finding(out, self, 0, sev, side);
	if (!f)
		return;
	addr_endpoint(r, c->family, c->daddr, c->dport);
	conn_track_subject(f, v);
	conn_track_list(ser, cand, n_cand, lead, CONNS_PER_FINDING, f, conn_evidence, h);
	if (v->kind == SB_MEMORY)
		finding_evidence(f, "cat /proc/net/sockstat: TCP mem %lld pages >= tcp_mem min %lld (host-wide)",
				 (long long)h->mem_pages, (long long)h->mem_min);

	x = f->explanation;
	xs = sizeof(f->explanation);
	diag_appendf(x, xs, "The application has more to write, the network and the peer would take it, but the socket's send buffer is full of data still waiting for acknowledgement, so writes block and the connection sends at most one buffer per round trip. ");
	switch (v->kind) {
	case SB_CEILING:
		diag_appendf(x, xs, "The buffer (skmem tb %u) has grown to the kernel's ceiling net.ipv4.tcp_wmem max (%lld): autotuning would give it more if allowed. Raising the max lets every autotuned socket hold more unacknowledged data, which costs memory per socket (bounded by tcp_mem). ",
			     c->sk_sndbuf, (long long)h->wmem[2]);
		break;
	case SB_MEMORY:
		diag_appendf(x, xs, "The buffer (skmem tb %u) is below the tcp_wmem max (%lld) because the kernel does not grow send buffers while TCP memory is at or above tcp_mem min: host-wide TCP memory is the limit, not tcp_wmem (see tcp-memory-pressure). ",
			     c->sk_sndbuf, (long long)h->wmem[2]);
		break;
	case SB_APP_SMALL:
		diag_appendf(x, xs, "The buffer (skmem tb %u) stayed below the tcp_wmem max (%lld) with TCP memory not under pressure. Autotuning sizes the buffer at about twice the congestion window, so it seldom runs out below the ceiling; the usual reason is that the application fixed the size with SO_SNDBUF, which turns autotuning off (strace -e setsockopt shows it). Raise or drop the application's SO_SNDBUF; no sysctl change helps (tcp_wmem does not apply to such a socket). ",
			     c->sk_sndbuf, (long long)h->wmem[2]);
		break;
	case SB_APP_ABOVE:
		diag_appendf(x, xs, "The buffer (skmem tb %u) is above the tcp_wmem max (%lld), which autotuning never does: the application set SO_SNDBUF (net.core.wmem_max allows it), and even that is too small for this path, or tcp_wmem was lowered after the socket grew. Raise the application's SO_SNDBUF (and net.core.wmem_max if it caps it). ",
			     c->sk_sndbuf, (long long)h->wmem[2]);
		break;
	case SB_UNKNOWN:
		diag_appendf(x, xs, "Whether the kernel ceiling (tcp_wmem) or the application's SO_SNDBUF sets the buffer size cannot be told: %s. ",
			     !c->has_skmem ? "the socket's memory counters (skmem) were not reported" :
			     "net.ipv4.tcp_wmem could not be read");
		break;
	}
	if (!v->trend)
		diag_appendf(x, xs, "Measured over the connection's life; no trend confirmed (one sample, or the connection was seen once): rerun with more samples before changing anything.");

	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tim dst %s", r);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "sndbuf_limited stops growing between runs (its share of busy falls) and skmem tb is larger than before");
	if (v->trend && ser->n >= 2)
		add_changes(f, v, h);
}

static void host_build(const struct series *ser, struct sb_host *h)
{
	const struct sysctl_val *w = &series_last(ser)->sysctl.val[SYSCTL_TCP_WMEM];

	memset(h, 0, sizeof(*h));
	if (w->present && w->n >= 3 && w->v[2] > 0) {
		h->wmem_known = true;
		memcpy(h->wmem, w->v, sizeof(h->wmem));
	}
	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];
		const struct sysctl_val *m = &s->sysctl.val[SYSCTL_TCP_MEM];

		if (!s->sockstat.tcp_mem.present || !m->present || !m->n)
			continue;
		if (s->sockstat.tcp_mem.v >= m->v[0] && s->sockstat.tcp_mem.v > h->mem_pages) {
			h->pressure = true;
			h->mem_pages = s->sockstat.tcp_mem.v;
			h->mem_min = m->v[0];
		}
	}
}

static void check(const struct rule *self, const struct series *ser,
		  const struct focus *o, struct findings *out)
{
	struct conn_track cand[CANDIDATES_MAX];
	unsigned n_cand;
	struct sb_host h;

	(void)o;
	host_build(ser, &h);
	n_cand = conn_track_collect(ser, cand, CANDIDATES_MAX, classify, &h);
	for (unsigned k = 0, groups = 0; groups < GROUPS_MAX &&
	     (k = conn_track_next_lead(cand, n_cand, k)) < n_cand; groups++)
		emit(self, ser, cand, n_cand, k, &h, out);
}

const struct rule rule_sender_buffer_limited = {
	.ids = { "sender-buffer-limited" },
	.symptoms = SYMPTOM_BIT(SYMPTOM_SLOW),
	.needs = 0,              /* not HAVE_CONNS: see conn_track.h */
	.check = check,
	.summary = "a connection held back by its own send buffer (tcp_wmem max, or SO_SNDBUF)",
};
