// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report view's gauges: the worst listener fill, the accept-queue
 * drop rate, CLOSE-WAIT, the busiest destination's share of the local
 * ports and the fullest process's share of its fd limit. Each is the
 * number the matching rule reads, through the model's function for it
 * (sample_tcp_states, series_mib_delta, sysctl_ephemeral_ports,
 * sample_proc_fd_frac), so a check line cannot disagree with the report.
 */
#include "report_view.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 4)))
static void gauge_set(struct report_gauge *g, double value, const char *fmt, ...)
{
	va_list ap;

	g->have = true;
	g->value = value;
	va_start(ap, fmt);
	vsnprintf(g->what, sizeof(g->what), fmt, ap);
	va_end(ap);
}

static void gauge_missing(struct report_gauge *g, const char *why)
{
	g->have = false;
	snprintf(g->why, sizeof(g->why), "%s", why);
}

/* Recv-Q over Send-Q in %: 100 is at the limit, above 100 full (the
 * kernel holds Send-Q + 1 before it drops). A backlog of 0 counts as 1. */
static void gauge_fill(struct report_gauge *g, const struct sample *s, int port)
{
	const struct s_listener *worst = NULL;
	double pct = 0;

	if (!(s->have & HAVE_SOCKETS)) {
		gauge_missing(g, "no TCP listener list (sock_diag)");
		return;
	}
	for (uint32_t i = 0; i < s->n_listeners; i++) {
		const struct s_listener *l = &s->listeners[i];
		double p = (double)l->rq * 100.0 / (double)(l->wq ? l->wq : 1);

		if (port >= 0 && l->port != port)
			continue;
		if (!worst || p > pct) {
			worst = l;
			pct = p;
		}
	}
	if (!worst) {
		gauge_set(g, 0, port >= 0 ? "no listener on port %d" : "no TCP listener", port);
		return;
	}
	{
		char ep[ADDR_STR_MAX];

		addr_endpoint(ep, worst->family, worst->addr, worst->port);
		gauge_set(g, pct, "%s Recv-Q %u Send-Q %u", ep, worst->rq, worst->wq);
	}
}

static void gauge_drops(struct report_gauge *g, const struct series *ser)
{
	double span = series_span_s(ser);
	uint64_t d;

	if (ser->n < 2 || span <= 0) {
		gauge_missing(g, "one sample: a rate needs two");
		return;
	}
	if (!series_mib_delta(ser, "TcpExtListenOverflows", &d)) {
		gauge_missing(g, "no TcpExtListenOverflows counter (/proc/net/netstat)");
		return;
	}
	gauge_set(g, (double)d / span, "TcpExtListenOverflows +%llu in %.1f s",
		  (unsigned long long)d, span);
}

static void gauge_close_wait(struct report_gauge *g, const struct sample *s)
{
	uint64_t by[SS_STATE_MAX];

	if (!(s->have & HAVE_CONN_STATES)) {
		gauge_missing(g, "no TCP socket list beyond listeners");
		return;
	}
	sample_tcp_states(s, by);
	gauge_set(g, (double)by[SS_CLOSE_WAIT], "%llu CLOSE-WAIT", (unsigned long long)by[SS_CLOSE_WAIT]);
}

static void gauge_ports(struct report_gauge *g, const struct sample *s)
{
	const struct s_dest *worst = NULL;
	uint32_t usable;

	if (!(s->have & HAVE_CONN_STATES)) {
		gauge_missing(g, "no TCP socket list beyond listeners");
		return;
	}
	if (!sysctl_ephemeral_ports(&s->sysctl, &usable) || !usable) {
		gauge_missing(g, "no usable net.ipv4.ip_local_port_range");
		return;
	}
	for (uint32_t i = 0; i < s->n_dests; i++)
		if (!worst || s->dests[i].total > worst->total)
			worst = &s->dests[i];
	if (!worst) {
		gauge_set(g, 0, "no outgoing connection");
		return;
	}
	{
		char src[ADDR_STR_MAX], dst[ADDR_STR_MAX];

		addr_endpoint(src, worst->family, worst->saddr, -1);
		addr_endpoint(dst, worst->family, worst->daddr, worst->dport);
		gauge_set(g, (double)worst->total * 100.0 / usable, "%s from %s %u of %u ports", dst,
			  src, worst->total, usable);
	}
}

static const struct s_unavailable *unavailable(const struct sample *s, const char *what)
{
	for (uint32_t i = 0; i < s->n_unavailable && i < SAMPLE_UNAVAIL_MAX; i++)
		if (!strcmp(s->unavailable[i].what, what))
			return &s->unavailable[i];
	return NULL;
}

/* Every socket-owning process of the namespace (the set fd-exhaustion
 * judges); unknown when some could not be read (not root). */
static void gauge_fds(struct report_gauge *g, const struct sample *s)
{
	const struct s_unavailable *u = unavailable(s, "process owners");
	const struct s_proc *worst = NULL;
	double frac = 0;

	if (u) {
		snprintf(g->why, sizeof(g->why), "process owners: %s", u->why);
		return;
	}
	if (!(s->have & HAVE_FDS)) {
		gauge_missing(g, "no fd counts per process (/proc/PID/fd)");
		return;
	}
	for (uint32_t i = 0; i < s->n_procs; i++) {
		double f = sample_proc_fd_frac(&s->procs[i]);

		if (f > 0 && (!worst || f > frac)) {
			worst = &s->procs[i];
			frac = f;
		}
	}
	if (!worst) {
		gauge_set(g, 0, "no socket-owning process with a known fd limit");
		return;
	}
	gauge_set(g, frac * 100.0, "%s[%u] %u of %llu fds", worst->comm, worst->pid, worst->fds,
		  (unsigned long long)worst->nofile_soft);
}

void report_gauges_build(struct report_gauge *gauges, const struct series *ser, int focus_port)
{
	const struct sample *last = series_last(ser);

	memset(gauges, 0, sizeof(*gauges) * GAUGE_MAX);
	gauge_fill(&gauges[GAUGE_LISTENER_FILL], last, focus_port);
	gauge_drops(&gauges[GAUGE_ACCEPT_DROPS], ser);
	gauge_close_wait(&gauges[GAUGE_CLOSE_WAIT], last);
	gauge_ports(&gauges[GAUGE_PORTS], last);
	gauge_fds(&gauges[GAUGE_FDS], last);
}
