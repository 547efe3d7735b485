// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * app-limited: a --peer connection that is slow because the sending
 * application gives it little to send. tcp_info's busy time only runs
 * while data is queued or in flight (kernel-facts A4: the sender writing
 * 1 KB every 50 ms showed app_limited and busy:12ms), so busy time far
 * below the wall clock, with the delivery-rate samples marked
 * app-limited, nothing unsent and no window or buffer limit, means the
 * network and the kernel are waiting on the application.
 *
 * Only for --peer connections: most connections are idle most of the
 * time, and that is normal. Only when this end is the sender (it got
 * more bytes acknowledged than it received): app_limited describes our
 * sending, so on the receiving end of a download it says nothing, and a
 * request/response client waiting for its answer would otherwise be
 * blamed for the server's slowness.
 */
#include "rules.h"

#include <stdio.h>
#include <string.h>

#include "../model/addr.h"

/*
 * Busy time below this share of the elapsed window: the connection had
 * nothing to send at least four fifths of the time. A bulk sender limited
 * by anything else (path, window, buffer) is busy close to 100 %.
 */
#define APP_BUSY_MAX_PCT 20

/*
 * Send-Q at most this many bytes: a few small writes in flight. A sender
 * with a backlog keeps its buffer full (hundreds of KiB to MiB on any
 * autotuned socket); 64 KiB is below the smallest autotuned buffer of a
 * connection that ever ran at speed.
 */
#define APP_SENDQ_SMALL 65536

/*
 * rwnd_limited + sndbuf_limited below this share of the busy time: the
 * peer's window and our buffer were not in the way either (their own
 * rules start at 50 % and 25 %; a tenth leaves room for brief stalls).
 */
#define OTHER_LIMIT_MAX_PCT 10

/* Findings are bounded (shared FINDINGS_MAX); each lists its worst few. */
#define GROUPS_MAX 4
#define CONNS_PER_FINDING 3
#define CANDIDATES_MAX 256

struct conn_view {
	const struct s_conn *c0, *c;    /* first and last appearance */
	const struct sample *s;         /* the sample holding c */
	unsigned seen;
	bool trend;                     /* seen in two samples or more */
	double span;                    /* s between first and last appearance */
	uint64_t busy, limited;         /* µs: deltas with a trend, else cumulative */
	uint64_t sent, received;        /* bytes acked / received, same basis */
	unsigned permille;              /* busy share of the span, 0.1 % */
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
		const struct s_conn *a = v->c0, *b = v->c;

		v->span = span_between(ser, i, last);
		v->busy = grew(a->busy_us, b->busy_us);
		v->limited = grew(a->rwnd_limited_us, b->rwnd_limited_us) +
			     grew(a->sndbuf_limited_us, b->sndbuf_limited_us);
		v->sent = grew(a->bytes_acked, b->bytes_acked);
		v->received = grew(a->bytes_received, b->bytes_received);
		if (v->span > 0)
			v->permille = (unsigned)((double)v->busy / (v->span * 1e6) * 1000.0 + 0.5);
	} else if (v->c) {
		v->busy = v->c->busy_us;
		v->limited = v->c->rwnd_limited_us + v->c->sndbuf_limited_us;
		v->sent = v->c->bytes_acked;
		v->received = v->c->bytes_received;
	}
}

static bool qualifies(const struct conn_view *v)
{
	const struct s_conn *c = v->c;

	if (!c || !c->peer || !c->app_limited || c->notsent_bytes || c->wq > APP_SENDQ_SMALL)
		return false;
	if (c->has_snd_wnd && !c->snd_wnd)
		return false;
	/* This end must be the sender, and have sent something. */
	if (!v->sent || v->sent <= v->received)
		return false;
	if (v->limited * 100 >= v->busy * OTHER_LIMIT_MAX_PCT && v->limited)
		return false;
	if (!v->trend)
		return true;
	return v->span > 0 && v->permille < APP_BUSY_MAX_PCT * 10;
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
		finding_evidence(f, "%s: busy %llu ms of %.0f ms (%u.%u%%), app_limited, delivery_rate %llubps, notsent %u, Send-Q %u%s",
				 ss, (unsigned long long)(v->busy / 1000), v->span * 1000.0,
				 v->permille / 10, v->permille % 10,
				 (unsigned long long)c->delivery_rate * 8, c->notsent_bytes, c->wq, who);
	else
		finding_evidence(f, "%s: busy %llu ms over the connection's life, app_limited, delivery_rate %llubps, notsent %u, Send-Q %u%s",
				 ss, (unsigned long long)(v->busy / 1000),
				 (unsigned long long)c->delivery_rate * 8, c->notsent_bytes, c->wq, who);
}

static void emit(const struct series *ser, const struct triage_opts *o, struct conn_view *cand,
		 unsigned n_cand, unsigned lead, struct findings *out)
{
	const struct sample *last = series_last(ser);
	struct conn_view *v = &cand[lead];
	const struct s_conn *c = v->c;
	char l[ADDR_STR_MAX], r[ADDR_STR_MAX];
	unsigned listed = 0, more = 0;
	bool slow = o && o->symptom == SYMPTOM_SLOW;
	struct finding *f;
	char *x;
	size_t xs;

	f = findings_add(out, "app-limited", slow && v->trend ? SEV_WARNING : SEV_INFO, SIDE_APP);
	if (!f)
		return;
	addr_endpoint(l, c->family, c->saddr, c->sport);
	addr_endpoint(r, c->family, c->daddr, c->dport);
	diag_appendf(f->subject, sizeof(f->subject), "connection %s -> %s", l, r);

	for (unsigned k = lead; k < n_cand; k++) {
		struct conn_view *w = &cand[k];

		if (w->used || w->trend != v->trend || !same_service(last, w->c, c))
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
	if (v->trend)
		diag_appendf(x, xs, "This end had data queued only %u.%u%% of the time: the rest of the time the connection sat idle because the application had given it nothing to send. ",
			     v->permille / 10, v->permille % 10);
	else
		diag_appendf(x, xs, "At the moment sampled this end had nothing queued and its recent rate samples were marked app-limited: the connection was waiting for the application to give it data. ");
	diag_appendf(x, xs, "The network and the kernel are not the bottleneck here: the peer's window and the send buffer were not in the way and nothing waited unsent. The sender writes too little or too rarely (small writes with pauses, or it waits on something upstream such as a database, a disk or another service before writing). Look at what the sending application does between writes. Nagle or TCP_CORK are not the fix unless the complaint is per-message latency of many tiny writes; no sysctl changes this. ");
	if (!v->trend)
		diag_appendf(x, xs, "Only one look at this connection: how much of the time it sits idle could not be measured, so no trend was confirmed.");
	else if (slow)
		diag_appendf(x, xs, "This is the likely answer to \"why is it slow\" for this connection.");

	snprintf(f->verify_command, sizeof(f->verify_command), "ss -tin dst %s", r);
	snprintf(f->fixed_when, sizeof(f->fixed_when),
		 "busy time grows about as fast as the wall clock between runs (the sender always has data queued) and app_limited is gone");
}

static void sort_idlest_first(struct conn_view *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct conn_view t = v[i];
		unsigned j = i;

		/* With a trend before without, then the idlest. */
		while (j && ((!v[j - 1].trend && t.trend) ||
			     (v[j - 1].trend == t.trend && v[j - 1].permille > t.permille))) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

void rule_app_limited(const struct series *ser, const struct triage_opts *o,
		      struct findings *out)
{
	struct conn_view cand[CANDIDATES_MAX];
	unsigned n_cand = 0, groups = 0;

	for (unsigned i = 0; i < ser->n; i++) {
		const struct sample *s = ser->s[i];

		for (uint32_t j = 0; j < s->n_conns; j++) {
			const struct s_conn *c = &s->conns[j];
			struct conn_view v;

			if (!c->has_info || !c->peer || n_cand == CANDIDATES_MAX ||
			    seen_before(ser, i, c))
				continue;
			view_build(ser, i, c, &v);
			if (qualifies(&v))
				cand[n_cand++] = v;
		}
	}
	sort_idlest_first(cand, n_cand);
	for (unsigned k = 0; k < n_cand && groups < GROUPS_MAX; k++) {
		if (cand[k].used)
			continue;
		emit(ser, o, cand, n_cand, k, out);
		groups++;
	}
}
