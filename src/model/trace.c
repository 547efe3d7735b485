// SPDX-License-Identifier: GPL-2.0-or-later
#include "trace.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static unsigned cap_clamp(unsigned cap)
{
	return cap < 1 ? 1 : cap > TRACE_POINTS_MAX ? TRACE_POINTS_MAX : cap;
}

void trace_init_cap(struct trace *t, unsigned cap)
{
	/* The ring is most of the size; clearing it would touch every page. */
	memset(t, 0, offsetof(struct trace, ring));
	t->time_known = true;
	t->cap = cap_clamp(cap);
}

void trace_init(struct trace *t)
{
	trace_init_cap(t, TRACE_POINTS_MAX);
}

size_t trace_size(unsigned cap)
{
	return offsetof(struct trace, ring) + cap_clamp(cap) * sizeof(struct trace_point);
}

const struct trace_point *trace_at(const struct trace *t, unsigned i)
{
	if (i >= t->n)
		return NULL;
	return &t->ring[(t->head + i) % t->cap];
}

const struct trace_point *trace_last(const struct trace *t)
{
	return t->n ? trace_at(t, t->n - 1) : NULL;
}

double trace_span_s(const struct trace *t)
{
	return t->n < 2 ? 0 : trace_at(t, t->n - 1)->t_s - trace_at(t, 0)->t_s;
}

static struct trace_point *point_new(struct trace *t)
{
	struct trace_point *p;

	if (t->n == t->cap) {
		t->head = (t->head + 1) % t->cap;
		t->n--;
	}
	p = &t->ring[(t->head + t->n) % t->cap];
	t->n++;
	t->taken++;
	memset(p, 0, sizeof(*p));
	return p;
}

/*
 * Seconds since the first point: by the monotonic clock a live sample
 * carries, else by wall-clock seconds (an imported capture), else one a
 * point (said by time_known, so nobody reads a rate off it).
 */
static double point_time(struct trace *t, const struct sample *s)
{
	if (!t->taken) {
		t->start_mono_ns = s->meta.mono_ns;
		t->start_time_unix = s->meta.time_unix;
		return 0;
	}
	/* as series_between_s: a clock that moved forward */
	if (s->meta.mono_ns > t->start_mono_ns)
		return (double)(s->meta.mono_ns - t->start_mono_ns) / 1e9;
	if (s->meta.time_unix > t->start_time_unix && t->start_time_unix > 0)
		return (double)(s->meta.time_unix - t->start_time_unix);
	t->time_known = false;
	return (double)t->taken;
}

static bool lslot_is(const struct trace_lslot *k, const struct s_listener *l)
{
	return k->family == l->family && k->port == l->port && k->inode == l->inode &&
	       !memcmp(k->addr, l->addr, sizeof(k->addr));
}

static int lslot_find(const struct trace *t, const struct s_listener *l)
{
	for (unsigned i = 0; i < t->n_lslots; i++)
		if (lslot_is(&t->lslot[i], l))
			return (int)i;
	return -1;
}

static bool listener_busy(const struct s_listener *l)
{
	return l->rq > 0 || l->syn_recv > 0 || (l->has_drops && l->drops > 0);
}

/* Slots for listeners not seen before: busy ones in a first pass. */
static void lslots_assign(struct trace *t, const struct sample *s)
{
	t->listeners_untracked = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < s->n_listeners; i++) {
			const struct s_listener *l = &s->listeners[i];
			struct trace_lslot *k;

			if ((pass == 0) != listener_busy(l) || lslot_find(t, l) >= 0)
				continue;
			if (t->n_lslots == TRACE_LISTENERS_MAX) {
				t->listeners_untracked++;
				continue;
			}
			k = &t->lslot[t->n_lslots++];
			memset(k, 0, sizeof(*k));
			k->family = l->family;
			memcpy(k->addr, l->addr, sizeof(k->addr));
			k->port = l->port;
			k->inode = l->inode;
			addr_endpoint(k->endpoint, l->family, l->addr, l->port);
		}
	}
}

static void listeners_record(struct trace *t, struct trace_point *p, const struct sample *s,
			     double dt)
{
	lslots_assign(t, s);
	for (unsigned k = 0; k < t->n_lslots; k++)
		p->l[k].present = false;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];
		int k = lslot_find(t, l);
		struct trace_lpoint *lp;

		if (k < 0)
			continue;
		lp = &p->l[k];
		lp->present = true;
		lp->rq = l->rq;
		lp->wq = l->wq;
		lp->syn_recv = l->syn_recv;
		lp->has_drops = l->has_drops;
		lp->drops = l->has_drops ? l->drops : 0;
		if (l->has_drops && t->prev_drops_known[k] && dt > 0 && l->drops >= t->prev_drops[k]) {
			lp->drops_known = true;
			lp->drops_per_s = (l->drops - t->prev_drops[k]) / dt;
		}
		if (l->owner >= 0 && (uint32_t)l->owner < s->n_procs) {
			snprintf(t->lslot[k].comm, sizeof(t->lslot[k].comm), "%s",
				 s->procs[l->owner].comm);
			t->lslot[k].pid = s->procs[l->owner].pid;
		}
	}
	/* Only a listener seen in this point carries its count to the next. */
	for (unsigned k = 0; k < t->n_lslots; k++)
		t->prev_drops_known[k] = false;
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		int k = lslot_find(t, &s->listeners[i]);

		if (k >= 0 && s->listeners[i].has_drops) {
			t->prev_drops_known[k] = true;
			t->prev_drops[k] = s->listeners[i].drops;
		}
	}
}

static void counters_record(struct trace *t, struct trace_point *p, const struct sample *s,
			    double dt)
{
	bool have = s->have & HAVE_MIB;

	for (unsigned i = 0; i < mib_watched_n; i++) {
		uint64_t v;
		bool known = have && mib_get(&s->mib, mib_watched[i], &v);

		/* A counter that went back was reset (the netns was recreated). */
		if (known && t->prev_mib_known[i] && dt > 0 && v >= t->prev_mib[i]) {
			p->rate_known[i] = true;
			p->rate[i] = (double)(v - t->prev_mib[i]) / dt;
		}
		t->prev_mib_known[i] = known;
		t->prev_mib[i] = known ? v : 0;
	}
}

static int cslot_find(struct trace *t, const struct s_conn *c)
{
	for (unsigned i = 0; i < t->n_cslots; i++)
		if (t->cslot[i].cookie == c->cookie)
			return (int)i;
	if (t->n_cslots == TRACE_CONNS_MAX)
		return -1;
	t->cslot[t->n_cslots].cookie = c->cookie;
	addr_endpoint(t->cslot[t->n_cslots].local, c->family, c->saddr, c->sport);
	addr_endpoint(t->cslot[t->n_cslots].remote, c->family, c->daddr, c->dport);
	return (int)t->n_cslots++;
}

/* Only --peer connections: the stuck ones kept without it come and go. */
static void conns_record(struct trace *t, struct trace_point *p, const struct sample *s)
{
	for (uint32_t i = 0; i < s->n_conns; i++) {
		const struct s_conn *c = &s->conns[i];
		int k;

		if (!c->peer || (k = cslot_find(t, c)) < 0)
			continue;
		p->c[k].present = true;
		p->c[k].has_info = c->has_info;
		p->c[k].rtt_us = c->rtt_us;
		p->c[k].snd_cwnd = c->snd_cwnd;
		p->c[k].total_retrans = c->total_retrans;
	}
}

void trace_add(struct trace *t, const struct sample *s, double cost_s)
{
	double now = point_time(t, s);
	double dt = t->prev_set && t->time_known ? now - t->prev_t_s : 0;
	struct trace_point *p = point_new(t);

	p->t_s = now;
	p->time_unix = s->meta.time_unix;
	p->cost_s = cost_s;
	if (s->have & (HAVE_CONN_STATES | HAVE_SOCKETS)) {
		p->have_states = (s->have & HAVE_CONN_STATES) != 0;
		sample_tcp_states(s, p->states);
	}
	listeners_record(t, p, s, dt);
	counters_record(t, p, s, dt);
	conns_record(t, p, s);
	t->prev_set = true;
	t->prev_t_s = now;
}
