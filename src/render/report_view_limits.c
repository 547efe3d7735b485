// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report view's limits and usage (somaxconn, ports, files,
 * conntrack, TCP memory, orphans, fds per listener owner), the watched
 * counters' values now, and every listener fullest first: the numbers
 * a format that exports gauges and counters (Prometheus) shows, taken
 * from the last sample once so every format shows the same. Nothing
 * here judges: the rules do (src/diagnose/rule_*.c).
 */
#include "report_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void gauge_set(struct report_value *g, bool present, uint64_t v)
{
	g->present = present;
	g->v = present ? v : 0;
}

static void gauge_sysctl(struct report_value *g, const struct sample *s, enum sysctl_id id,
			 unsigned k)
{
	const struct sysctl_val *x = &s->sysctl.val[id];

	gauge_set(g, (s->have & HAVE_SYSCTL) && x->present && x->n > k && x->v[k] >= 0,
		  x->n > k && x->v[k] >= 0 ? (uint64_t)x->v[k] : 0);
}

/* The busiest client tuples, by local ports held (every state). */
static void limits_dests(struct report_limits *lim, const struct sample *s)
{
	const struct s_dest *top[REPORT_DESTS_MAX];
	unsigned n = 0;

	if (!(s->have & HAVE_CONN_STATES))
		return;
	for (uint32_t i = 0; i < s->n_dests; i++) {
		const struct s_dest *d = &s->dests[i];
		unsigned at = n;

		if (n == REPORT_DESTS_MAX && d->total <= top[n - 1]->total)
			continue;
		if (n < REPORT_DESTS_MAX)
			n++;
		for (at = n - 1; at > 0 && top[at - 1]->total < d->total; at--)
			top[at] = top[at - 1];
		top[at] = d;
	}
	for (unsigned i = 0; i < n; i++) {
		struct report_dest *rd = &lim->dests[i];

		addr_endpoint(rd->src, top[i]->family, top[i]->saddr, -1);
		addr_endpoint(rd->dst, top[i]->family, top[i]->daddr, top[i]->dport);
		rd->total = top[i]->total;
	}
	lim->n_dests = n;
}

/* Processes that own a listener, with their fds and RLIMIT_NOFILE. */
static void limits_fds(struct report_limits *lim, const struct sample *s)
{
	if (!(s->have & HAVE_FDS))
		return;
	for (uint32_t i = 0; i < s->n_procs && lim->n_fd_procs < REPORT_FD_PROCS_MAX; i++)
		if (s->procs[i].listeners && s->procs[i].has_limit)
			lim->fd_procs[lim->n_fd_procs++] = &s->procs[i];
}

static void limits_memory(struct report_limits *lim, const struct sample *s)
{
	const struct sockstat_counts *ss = &s->sockstat;
	/* This host's page size: right live; a capture from a host with
	 * other pages (analyze) would need its own. */
	long page = sysconf(_SC_PAGESIZE);
	uint64_t pg = page > 0 ? (uint64_t)page : 4096;

	if (s->have & HAVE_SOCKSTAT) {
		gauge_set(&lim->tcp_mem_bytes, ss->tcp_mem.present && ss->tcp_mem.v >= 0,
			  (uint64_t)ss->tcp_mem.v * pg);
		gauge_set(&lim->orphans, ss->tcp_orphan.present && ss->tcp_orphan.v >= 0,
			  (uint64_t)ss->tcp_orphan.v);
	}
	for (unsigned k = 0; k < 3; k++) {
		gauge_sysctl(&lim->tcp_mem_limit_bytes[k], s, SYSCTL_TCP_MEM, k);
		lim->tcp_mem_limit_bytes[k].v *= pg;
	}
	gauge_sysctl(&lim->orphans_max, s, SYSCTL_TCP_MAX_ORPHANS, 0);
}

void report_view_limits(struct report_view *v, const struct series *ser)
{
	const struct sample *s = series_last(ser);
	struct report_limits *lim = &v->limits;
	uint32_t usable;
	uint64_t val;

	for (unsigned i = 0; i < mib_watched_n; i++)
		if ((s->have & HAVE_MIB) && mib_get(&s->mib, mib_watched[i], &val)) {
			v->watched_now[v->n_watched_now].name = mib_watched[i];
			v->watched_now[v->n_watched_now++].value = val;
		}
	gauge_sysctl(&lim->somaxconn, s, SYSCTL_SOMAXCONN, 0);
	gauge_sysctl(&lim->syn_backlog, s, SYSCTL_TCP_MAX_SYN_BACKLOG, 0);
	gauge_set(&lim->ports_usable, (s->have & HAVE_SYSCTL) &&
		  sysctl_ephemeral_ports(&s->sysctl, &usable), usable);
	limits_dests(lim, s);
	if (s->have & HAVE_FILE_NR) {
		gauge_set(&lim->files_open, true, s->file_nr_alloc);
		gauge_set(&lim->files_max, s->file_nr_max > 0, s->file_nr_max);
	}
	if ((s->have & HAVE_CONNTRACK) && s->conntrack_max) {
		gauge_set(&lim->conntrack, true, s->conntrack_count);
		gauge_set(&lim->conntrack_max, true, s->conntrack_max);
	}
	limits_memory(lim, s);
	limits_fds(lim, s);
	v->have_limits = (s->have & (HAVE_SYSCTL | HAVE_FILE_NR | HAVE_CONNTRACK |
				     HAVE_SOCKSTAT | HAVE_FDS)) != 0;
}

/* Fuller first: Recv-Q over Send-Q (cross-multiplied), then Recv-Q. */
struct lkey {
	uint32_t idx, rq, wq;
};

static int lkey_cmp(const void *pa, const void *pb)
{
	const struct lkey *a = pa, *b = pb;
	uint64_t fa = (uint64_t)a->rq * (b->wq ? b->wq : 1);
	uint64_t fb = (uint64_t)b->rq * (a->wq ? a->wq : 1);

	if (fa != fb)
		return fa > fb ? -1 : 1;
	if (a->rq != b->rq)
		return a->rq > b->rq ? -1 : 1;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

static void other_add(struct report_listener *o, const struct report_listener *r)
{
	o->rq += r->rq;
	o->wq += r->wq;
	o->syn_recv += r->syn_recv;
	if (r->has_drops) {
		o->has_drops = true;
		o->drops_total += r->drops_total;
	}
}

void report_view_set_all_listeners(struct report_view *v, const struct series *ser,
				   struct report_listener *rows, unsigned max)
{
	/* 48 KiB: static rather than on a thread's stack; one caller at a time. */
	static struct lkey keys[SAMPLE_LISTENERS_MAX];
	const struct sample *s = series_last(ser);
	uint32_t n = s->n_listeners < SAMPLE_LISTENERS_MAX ? s->n_listeners : SAMPLE_LISTENERS_MAX;
	struct report_listener *o = &v->other_listeners;

	memset(o, 0, sizeof(*o));
	snprintf(o->addr, sizeof(o->addr), "other");
	snprintf(o->endpoint, sizeof(o->endpoint), "other");
	v->all_listeners = rows;
	v->n_all_listeners = 0;
	v->n_other_listeners = 0;
	if (!v->have_sockets)
		return;
	for (uint32_t i = 0; i < n; i++)
		keys[i] = (struct lkey){ i, s->listeners[i].rq, s->listeners[i].wq };
	qsort(keys, n, sizeof(keys[0]), lkey_cmp);
	for (uint32_t i = 0; i < n; i++) {
		struct report_listener r;

		if (v->n_all_listeners < max) {
			report_view_listener_row(&rows[v->n_all_listeners++], ser, keys[i].idx);
			continue;
		}
		report_view_listener_row(&r, ser, keys[i].idx);
		other_add(o, &r);
		v->n_other_listeners++;
	}
}
