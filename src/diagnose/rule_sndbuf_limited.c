// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sender-buffer-limited: the application wants to write, the send buffer
 * is full of data still in flight, and the congestion window has room:
 * tcp_info's sndbuf_limited chronograph (kernel-facts A4). It only runs
 * when the sender is not cwnd-limited, has no unsent data and the app
 * hit SOCK_NOSPACE, so a share of it means the buffer size itself, not
 * the path, caps the rate (a cwnd-limited sender with a small SO_SNDBUF
 * shows none, A4). Judged on the delta over the sampling window.
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

struct conn_view {
	const struct s_conn *c0, *c;    /* first and last appearance */
	const struct sample *s;         /* the sample holding c */
	unsigned seen;
	bool trend;                     /* seen in two samples or more */
	double span;                    /* s between first and last appearance */
	uint64_t busy, limited;         /* µs: deltas with a trend, else cumulative */
	enum sb_cause cause;
	unsigned pct;                   /* limited share of busy */
	bool used;
};

struct sb_host {
	bool wmem_known;
	int64_t wmem[3];
	bool pressure;                  /* TCP memory >= tcp_mem[0] in some sample */
	int64_t mem_pages, mem_min;
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
	}
	v->trend = v->seen >= 2;
	if (v->trend) {
		v->span = span_between(ser, i, last);
		v->busy = grew(v->c0->busy_us, v->c->busy_us);
		v->limited = grew(v->c0->sndbuf_limited_us, v->c->sndbuf_limited_us);
	} else if (v->c) {
		v->busy = v->c->busy_us;
		v->limited = v->c->sndbuf_limited_us;
	}
	v->pct = v->busy ? (unsigned)(v->limited * 100 / v->busy) : 0;
}

static bool classify(struct conn_view *v, const struct sb_host *h)
{
	const struct s_conn *c = v->c;

	if (!c || v->busy < BUSY_MIN_US || v->pct < SNDBUF_SHARE_PCT)
		return false;
	if (!c->has_skmem || !h->wmem_known)
		v->cause = SB_UNKNOWN;
	else if ((int64_t)c->sk_sndbuf == h->wmem[2])
		v->cause = SB_CEILING;
	else if ((int64_t)c->sk_sndbuf > h->wmem[2])
		v->cause = SB_APP_ABOVE;
	else if (h->pressure)
		v->cause = SB_MEMORY;
	else
		v->cause = SB_APP_SMALL;
	return true;
}

static void conn_evidence(struct finding *f, const struct conn_view *v, const struct sb_host *h)
{
	const struct s_conn *c = v->c;
	const struct s_proc *p = owner_of(v);
	char ss[160], who[48] = "";

	if (p)
		snprintf(who, sizeof(who), "; process %s[%u]", p->comm, p->pid);
	ss_filter(ss, sizeof(ss), c);
	if (v->trend)
		finding_evidence(f, "%s: sndbuf_limited %llu ms of busy %llu ms (%u%%) in %.1f s",
				 ss, (unsigned long long)(v->limited / 1000),
				 (unsigned long long)(v->busy / 1000), v->pct, v->span);
	else
		finding_evidence(f, "%s: sndbuf_limited %llu ms of busy %llu ms (%u%%) over the connection's life",
				 ss, (unsigned long long)(v->limited / 1000),
				 (unsigned long long)(v->busy / 1000), v->pct);
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

static uint64_t roundup_mib(uint64_t v)
{
	return (v + MIB - 1) / MIB * MIB;
}

static void add_changes(struct finding *f, const struct conn_view *v, const struct sb_host *h)
{
	const struct s_proc *p = owner_of(v);
	struct change *ch;

	if (v->cause == SB_CEILING) {
		uint64_t want = roundup_mib((uint64_t)h->wmem[2] * WMEM_GROWTH);

		ch = &f->changes[f->n_changes++];
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
	if (v->cause != SB_APP_SMALL && v->cause != SB_APP_ABOVE)
		return;
	ch = &f->changes[f->n_changes++];
	if (p)
		diag_appendf(ch->setting, sizeof(ch->setting), "SO_SNDBUF of %s[%u]", p->comm, p->pid);
	else
		snprintf(ch->setting, sizeof(ch->setting), "SO_SNDBUF (application config)");
	snprintf(ch->current, sizeof(ch->current), "skmem tb %u (twice what it asked for)",
		 v->c->sk_sndbuf);
	if (v->cause == SB_APP_SMALL)
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

static void emit(const struct series *ser, struct conn_view *cand, unsigned n_cand,
		 unsigned lead, const struct sb_host *h, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct conn_view *v = &cand[lead];
	const struct s_conn *c = v->c;
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX];
	unsigned listed = 0, more = 0;
	enum severity sev = SEV_WARNING;
	enum side side;
	struct finding *f;
	char *x;
	size_t xs;

	switch (v->cause) {
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
	f = findings_add(out, "sender-buffer-limited", sev, side);
	if (!f)
		return;
	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	diag_appendf(f->subject, sizeof(f->subject), "connection %s -> %s", l, r);

	for (unsigned k = lead; k < n_cand; k++) {
		struct conn_view *w = &cand[k];

		if (w->used || w->cause != v->cause || !same_service(last, w->c, c))
			continue;
		w->used = true;
		if (listed++ < CONNS_PER_FINDING)
			conn_evidence(f, w, h);
		else
			more++;
	}
	if (more)
		finding_evidence(f, "%u more connection%s of the same service show the same (not listed)",
				 more, more == 1 ? "" : "s");
	if (v->cause == SB_MEMORY)
		finding_evidence(f, "cat /proc/net/sockstat: TCP mem %lld pages >= tcp_mem min %lld (host-wide)",
				 (long long)h->mem_pages, (long long)h->mem_min);

	x = f->explanation;
	xs = sizeof(f->explanation);
	diag_appendf(x, xs, "The application has more to write, the network and the peer would take it, but the socket's send buffer is full of data still waiting for acknowledgement, so writes block and the connection sends at most one buffer per round trip. ");
	switch (v->cause) {
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

void rule_sender_buffer_limited(const struct series *ser, const struct triage_opts *o,
				struct findings *out)
{
	struct conn_view cand[CANDIDATES_MAX];
	unsigned n_cand = 0, groups = 0;
	struct sb_host h;

	(void)o;
	host_build(ser, &h);
	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];

		for (uint32_t j = 0; j < s->n_conns; j++) {
			const struct s_conn *c = &s->conns[j];
			struct conn_view v;

			if (!c->has_info || n_cand == CANDIDATES_MAX || seen_before(ser, i, c))
				continue;
			view_build(ser, i, c, &v);
			if (classify(&v, &h))
				cand[n_cand++] = v;
		}
	}
	sort_worst_first(cand, n_cand);
	for (unsigned k = 0; k < n_cand && groups < GROUPS_MAX; k++) {
		if (cand[k].used)
			continue;
		emit(ser, cand, n_cand, k, &h, out);
		groups++;
	}
}
