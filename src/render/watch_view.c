// SPDX-License-Identifier: GPL-2.0-or-later
#include "watch_view.h"

#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The counters watch shows, of mib_watched, with their short labels:
 * the ones the issue names (listen overflows and drops, SYN cookies and
 * SYN-queue drops, retransmits, resets sent and on established
 * connections, aborts on memory and timeout). */
static const struct {
	const char *name, *label;
} shown_counters[] = {
	{ "TcpExtListenOverflows", "ListenOverflows" },
	{ "TcpExtListenDrops", "ListenDrops" },
	{ "TcpExtSyncookiesSent", "SyncookiesSent" },
	{ "TcpExtTCPReqQFullDrop", "ReqQFullDrop" },
	{ "TcpRetransSegs", "RetransSegs" },
	{ "TcpOutRsts", "OutRsts" },
	{ "TcpEstabResets", "EstabResets" },
	{ "TcpExtTCPAbortOnMemory", "AbortOnMemory" },
	{ "TcpExtTCPAbortOnTimeout", "AbortOnTimeout" },
};

/* TCP states in the order ss -s and a person read them. */
static const unsigned shown_states[] = {
	SS_ESTABLISHED, SS_SYN_SENT, SS_SYN_RECV, SS_FIN_WAIT1, SS_FIN_WAIT2,
	SS_TIME_WAIT, SS_CLOSE_WAIT, SS_LAST_ACK, SS_CLOSING, SS_LISTEN,
};

const char *watch_sort_name(enum watch_sort s)
{
	static const char *const names[WATCH_SORT_MAX] = { "fill", "drops", "port", "process" };

	return (unsigned)s < WATCH_SORT_MAX ? names[s] : "?";
}

/* The newest points a sparkline covers: index of its first in the trace. */
static unsigned spark_first(const struct trace *t)
{
	return t->n > WATCH_SPARK_MAX ? t->n - WATCH_SPARK_MAX : 0;
}

static double fill_of(uint32_t rq, uint32_t wq)
{
	return wq ? (double)rq * 100.0 / wq : (rq ? 100.0 : 0.0);
}

struct slot_owner {
	const struct trace_lslot *k;
};

static unsigned slot_owners(void *ctx, const struct sock_rec *s, struct filter_owner *out,
			    unsigned max)
{
	const struct slot_owner *o = ctx;

	(void)s;
	if (!max || !o->k->comm[0])
		return 0;
	out[0].pid = o->k->pid;
	snprintf(out[0].comm, sizeof(out[0].comm), "%s", o->k->comm);
	return 1;
}

bool watch_view_listener_match(const struct trace *t, unsigned slot, const struct trace_point *p,
			       const struct watch_view_opts *o)
{
	const struct trace_lslot *k = &t->lslot[slot];
	const struct trace_lpoint *lp = &p->l[slot];
	struct slot_owner so = { k };
	struct sock_rec r;

	if (o->port >= 0 && k->port != o->port)
		return false;
	if (!o->filter || o->filter->root < 0)
		return true;
	memset(&r, 0, sizeof(r));
	r.table = TBL_TCP;
	r.netid = NETID_TCP;
	r.family = k->family;
	r.protocol = IPPROTO_TCP;
	r.state = SS_LISTEN;
	memcpy(r.saddr, k->addr, sizeof(r.saddr));
	r.sport = k->port;
	r.inode = k->inode;
	r.rqueue = lp->rq;
	r.wqueue = lp->wq;
	return filter_match(o->filter, &r, slot_owners, &so);
}

static void listener_fill(struct watch_listener *row, const struct trace *t, unsigned slot)
{
	const struct trace_lslot *k = &t->lslot[slot];
	const struct trace_point *last = trace_last(t);
	const struct trace_lpoint *lp = &last->l[slot];

	memset(row, 0, sizeof(*row));
	row->slot = slot;
	memcpy(row->endpoint, k->endpoint, sizeof(row->endpoint));
	row->port = k->port;
	memcpy(row->comm, k->comm, sizeof(row->comm));
	row->pid = k->pid;
	row->present = lp->present;
	row->rq = lp->rq;
	row->wq = lp->wq;
	row->syn_recv = lp->syn_recv;
	row->fill_pct = lp->present ? fill_of(lp->rq, lp->wq) : 0;
	row->has_drops = lp->present && lp->has_drops;
	row->drops = row->has_drops ? lp->drops : 0;
	row->drops_known = lp->present && lp->drops_known;
	row->drops_per_s = row->drops_known ? lp->drops_per_s : 0;
	for (unsigned i = spark_first(t); i < t->n; i++) {
		const struct trace_lpoint *q = &trace_at(t, i)->l[slot];
		struct watch_spark *sp = &row->fill;

		sp->known[sp->n] = q->present;
		sp->v[sp->n] = q->present ? fill_of(q->rq, q->wq) : 0;
		if (q->present && sp->v[sp->n] > row->peak_fill_pct)
			row->peak_fill_pct = sp->v[sp->n];
		sp->n++;
	}
}

static int cmp_double_desc(double a, double b)
{
	return a > b ? -1 : a < b;
}

static int cmp_port(const struct watch_listener *a, const struct watch_listener *b)
{
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return strcmp(a->endpoint, b->endpoint);
}

int watch_view_row_cmp(const void *pa, const void *pb, void *ctx)
{
	const struct watch_listener *a = pa, *b = pb;
	const enum watch_sort *by = ctx;
	int c = 0;

	switch (*by) {
	case WATCH_SORT_FILL:
		c = cmp_double_desc(a->fill_pct, b->fill_pct);
		break;
	case WATCH_SORT_DROPS:
		c = cmp_double_desc(a->drops_per_s, b->drops_per_s);
		break;
	case WATCH_SORT_PROC:
		c = strcmp(a->comm[0] ? a->comm : "\x7f", b->comm[0] ? b->comm : "\x7f");
		break;
	default:
		break;
	}
	/* gone listeners last, then by port: a stable order between ties */
	if (!c && a->present != b->present)
		c = a->present ? -1 : 1;
	return c ? c : cmp_port(a, b);
}

static void listeners_build(struct watch_view *w, const struct trace *t,
			    const struct watch_view_opts *o)
{
	const struct trace_point *last = trace_last(t);

	w->n_tracked = t->n_lslots;
	w->untracked = t->listeners_untracked;
	for (unsigned k = 0; k < t->n_lslots && w->n_rows < TRACE_LISTENERS_MAX; k++)
		if (watch_view_listener_match(t, k, last, o))
			listener_fill(&w->rows[w->n_rows++], t, k);
	qsort_r(w->rows, w->n_rows, sizeof(w->rows[0]), watch_view_row_cmp, (void *)&o->sort);
}

static void states_build(struct watch_view *w, const struct trace *t)
{
	const struct trace_point *last = trace_last(t);
	const struct trace_point *prev = t->n >= 2 ? trace_at(t, t->n - 2) : NULL;

	w->have_states = last->have_states;
	if (!w->have_states)
		return;
	for (unsigned j = 0; j < sizeof(shown_states) / sizeof(shown_states[0]); j++) {
		struct watch_state *st = &w->states[w->n_states++];
		unsigned s = shown_states[j];

		memset(st, 0, sizeof(*st));
		st->state = s;
		st->name = sock_state_name(s);
		st->n = last->states[s];
		if (prev && prev->have_states) {
			st->delta_known = true;
			st->delta = (int64_t)last->states[s] - (int64_t)prev->states[s];
		}
		for (unsigned i = spark_first(t); i < t->n; i++) {
			const struct trace_point *p = trace_at(t, i);

			st->spark.known[st->spark.n] = p->have_states;
			st->spark.v[st->spark.n++] = (double)p->states[s];
		}
	}
}

static int watched_index(const char *name)
{
	for (unsigned i = 0; i < mib_watched_n; i++)
		if (!strcmp(mib_watched[i], name))
			return (int)i;
	return -1;
}

static void counters_build(struct watch_view *w, const struct trace *t)
{
	const struct trace_point *last = trace_last(t);

	for (unsigned j = 0; j < sizeof(shown_counters) / sizeof(shown_counters[0]); j++) {
		int m = watched_index(shown_counters[j].name);
		struct watch_counter *c;

		if (m < 0 || w->n_counters == WATCH_COUNTERS_MAX)
			continue;
		c = &w->counters[w->n_counters++];
		memset(c, 0, sizeof(*c));
		c->name = shown_counters[j].name;
		c->label = shown_counters[j].label;
		c->known = last->rate_known[m];
		c->per_s = c->known ? last->rate[m] : 0;
		for (unsigned i = spark_first(t); i < t->n; i++) {
			const struct trace_point *p = trace_at(t, i);

			c->spark.known[c->spark.n] = p->rate_known[m];
			c->spark.v[c->spark.n++] = p->rate[m];
		}
	}
}

void watch_view_build(struct watch_view *w, const struct trace *t, const struct report_view *rv,
		      const struct watch_view_opts *o)
{
	const struct trace_point *last = t ? trace_last(t) : NULL;

	memset(w, 0, offsetof(struct watch_view, rows));
	w->n_states = 0;
	w->n_counters = 0;
	w->have_states = false;
	w->all_netns = false;
	w->n_netns = w->netns_past = w->rows_folded = 0;
	w->pane_netns[0] = 0;
	w->rv = rv;
	w->host = rv && rv->host ? rv->host : "";
	w->kernel = rv && rv->kernel ? rv->kernel : "";
	w->netns = rv ? rv->netns_name : "";
	w->judged = rv ? rv->samples_judged : 0;
	w->interval_s = o->interval_s;
	w->sort = o->sort;
	w->paused = o->paused;
	w->filtered = (o->filter && o->filter->root >= 0) || o->port >= 0;
	w->refreshes = t ? t->taken : 0;
	if (!last)
		return;
	w->time_unix = last->time_unix;
	w->cost_s = last->cost_s;
	listeners_build(w, t, o);
	states_build(w, t);
	counters_build(w, t);
}
