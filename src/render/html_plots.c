// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Plots from the trace. The trace already holds per-sample values (a
 * listener's queue at each instant, a counter's rate between two
 * samples): this file only picks which series to show and copies them
 * into svg_plot's arrays. Nothing here judges anything.
 */
#include "html_plots.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html_escape.h"
#include "html_svg.h"

/* One plot's arrays, sized for the trace, reused for every plot. */
struct pbuf {
	struct svg_plot p;
	unsigned cap;
	double *x;
	double *y[SVG_SERIES_MAX];
	bool *known[SVG_SERIES_MAX];
	char id[32];
	char title[256];
};

static int pbuf_init(struct pbuf *b, const struct trace *t)
{
	size_t n = t->n;

	memset(b, 0, sizeof(*b));
	b->cap = t->n;
	b->x = malloc(n * sizeof(double) * (1 + SVG_SERIES_MAX) + n * sizeof(bool) * SVG_SERIES_MAX);
	if (!b->x)
		return -1;
	for (unsigned k = 0; k < SVG_SERIES_MAX; k++) {
		b->y[k] = b->x + n * (1 + k);
		b->known[k] = (bool *)(b->x + n * (1 + SVG_SERIES_MAX)) + n * k;
	}
	for (unsigned i = 0; i < t->n; i++)
		b->x[i] = trace_at(t, i)->t_s;
	return 0;
}

/* Start a plot: id, title and y label; series are added after. */
static struct svg_plot *plot_begin(struct pbuf *b, const char *id, const char *y_label)
{
	snprintf(b->id, sizeof(b->id), "%s", id);
	memset(&b->p, 0, sizeof(b->p));
	b->p.id = b->id;
	b->p.title = b->title;
	b->p.y_label = y_label;
	b->p.x = b->x;
	b->p.n = b->cap;
	return &b->p;
}

/* The next series' slot (label set by the caller), or NULL when full. */
static struct svg_series *series_add(struct pbuf *b, const char *label)
{
	struct svg_series *s;
	unsigned k = b->p.n_series;

	if (k == SVG_SERIES_MAX)
		return NULL;
	s = &b->p.s[k];
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->y = b->y[k];
	s->known = b->known[k];
	b->p.n_series++;
	return s;
}

static void tagged_note(FILE *fp, const char *a, const char *raw, const char *b)
{
	fprintf(fp, "<p class=\"note\">%s", a);
	html_escape(fp, raw);
	fprintf(fp, "%s</p>\n", b);
}

/* <figure>: heading, the svg, the legend in text, an optional note. */
static void figure(FILE *fp, struct pbuf *b, const char *note)
{
	fprintf(fp, "<figure class=\"fig\" id=\"fig-%s\"><figcaption><h3>", b->id);
	html_escape(fp, b->title);
	fputs("</h3></figcaption>", fp);
	svg_plot_write(fp, &b->p);
	svg_legend_write(fp, &b->p);
	if (note && note[0]) {
		fputs("<p class=\"note\">", fp);
		html_escape(fp, note);
		fputs("</p>", fp);
	}
	fputs("</figure>\n", fp);
}

static bool listener_busy(const struct trace *t, unsigned k)
{
	for (unsigned i = 0; i < t->n; i++) {
		const struct trace_lpoint *lp = &trace_at(t, i)->l[k];

		if (lp->present && (lp->rq > 0 || lp->syn_recv > 0 ||
				    (lp->drops_known && lp->drops_per_s > 0)))
			return true;
	}
	return false;
}

static void lslot_name(char *out, size_t n, const struct trace_lslot *k)
{
	if (k->comm[0])
		snprintf(out, n, "%s (%s[%u])", k->endpoint, k->comm, k->pid);
	else
		snprintf(out, n, "%s", k->endpoint);
}

static void listener_plot(FILE *fp, struct pbuf *b, const struct trace *t, unsigned k)
{
	char id[32], name[96];

	snprintf(id, sizeof(id), "listener-%u", k);
	plot_begin(b, id, "connections");
	lslot_name(name, sizeof(name), &t->lslot[k]);
	snprintf(b->title, sizeof(b->title), "Listener %s: accept queue against its backlog", name);
	series_add(b, "Recv-Q: connections waiting for accept()");
	series_add(b, "Send-Q: the backlog (the queue holds Send-Q + 1)");
	for (unsigned i = 0; i < t->n; i++) {
		const struct trace_lpoint *lp = &trace_at(t, i)->l[k];

		b->known[0][i] = b->known[1][i] = lp->present;
		b->y[0][i] = lp->rq;
		b->y[1][i] = lp->wq;
	}
	figure(fp, b, "A Recv-Q above Send-Q means a full queue: the next completed handshake "
		      "is dropped (ListenOverflows).");
}

/* Drops per second, one series per listener that dropped. */
static void drops_plot(FILE *fp, struct pbuf *b, const struct trace *t, const bool *shown)
{
	char name[96];

	plot_begin(b, "listener-drops", "drops per second");
	snprintf(b->title, sizeof(b->title), "Listener drops per second (ss -tlnm skmem d)");
	for (unsigned k = 0; k < t->n_lslots; k++) {
		unsigned s = b->p.n_series;
		bool moved = false;

		if (!shown[k] || s == SVG_SERIES_MAX)
			continue;
		for (unsigned i = 0; i < t->n; i++) {
			const struct trace_lpoint *lp = &trace_at(t, i)->l[k];

			b->known[s][i] = lp->present && lp->drops_known;
			b->y[s][i] = lp->drops_per_s;
			moved |= b->known[s][i] && lp->drops_per_s > 0;
		}
		if (!moved)
			continue;
		lslot_name(name, sizeof(name), &t->lslot[k]);
		series_add(b, name);
	}
	if (b->p.n_series)
		figure(fp, b, NULL);
}

/* Busy listeners first in slot order, at most HTML_LISTENER_PLOTS; the rest in a note. */
static void listener_plots(FILE *fp, struct pbuf *b, const struct trace *t)
{
	bool shown[TRACE_LISTENERS_MAX] = { false };
	unsigned n_shown = 0, busy_cut = 0, idle = 0;

	for (unsigned k = 0; k < t->n_lslots; k++) {
		if (!listener_busy(t, k)) {
			idle++;
		} else if (n_shown == HTML_LISTENER_PLOTS) {
			busy_cut++;
		} else {
			shown[k] = true;
			n_shown++;
			listener_plot(fp, b, t, k);
		}
	}
	if (!t->n_lslots)
		fputs("<p class=\"note\">No TCP listener in the samples.</p>\n", fp);
	fputs("<p class=\"note\">", fp);
	fprintf(fp, "%u listener%s followed: %u plotted", t->n_lslots, t->n_lslots == 1 ? "" : "s",
		n_shown);
	if (busy_cut)
		fprintf(fp, "; %u more with a queue or drops not plotted (at most %u; see the "
			"listener table)", busy_cut, HTML_LISTENER_PLOTS);
	if (idle)
		fprintf(fp, "; %u stayed empty (Recv-Q 0, no SYN-RECV, no drops) in every sample "
			"and are not plotted", idle);
	if (t->listeners_untracked)
		fprintf(fp, "; %u more than the trace follows (%u) were not followed",
			t->listeners_untracked, TRACE_LISTENERS_MAX);
	fputs(".</p>\n", fp);
	drops_plot(fp, b, t, shown);
}

static void states_plot(FILE *fp, struct pbuf *b, const struct trace *t)
{
	bool any_states = false;
	unsigned cut = 0;

	plot_begin(b, "tcp-states", "sockets");
	snprintf(b->title, sizeof(b->title), "TCP sockets by state (ss -tan; LISTEN not shown)");
	for (unsigned st = 1; st < SS_STATE_MAX; st++) {
		unsigned s = b->p.n_series;
		bool seen = false;

		if (st == SS_LISTEN || st == SS_NEW_SYN_RECV)
			continue;
		for (unsigned i = 0; i < t->n; i++) {
			const struct trace_point *p = trace_at(t, i);

			any_states |= p->have_states;
			seen |= p->have_states && p->states[st] > 0;
			if (s < SVG_SERIES_MAX) {
				b->known[s][i] = p->have_states;
				b->y[s][i] = (double)p->states[st];
			}
		}
		if (seen && s == SVG_SERIES_MAX)
			cut++;
		else if (seen)
			series_add(b, sock_state_name(st));
	}
	if (!any_states) {
		fputs("<p class=\"note\">TCP states: the samples hold listeners only (no other "
		      "state was read), so there is no state plot.</p>\n", fp);
		return;
	}
	if (!b->p.n_series) {
		fputs("<p class=\"note\">TCP states: no TCP socket other than listeners in any "
		      "sample.</p>\n", fp);
		return;
	}
	figure(fp, b, cut ? "More states had sockets than one plot shows; the states table "
			    "below has every count of the last sample." : NULL);
}

/* Counters in groups of like scale: drops, segments, resets. */
static unsigned counter_group(const char *name)
{
	if (strstr(name, "Retrans") || strstr(name, "OutSegs"))
		return 1;
	if (strstr(name, "Rst") || strstr(name, "Reset") || strstr(name, "Abort") ||
	    strstr(name, "AttemptFails"))
		return 2;
	return 0;
}

static void counters_plot(FILE *fp, struct pbuf *b, const struct trace *t, unsigned g)
{
	static const char *const id[] = { "counters-drops", "counters-segments", "counters-resets" };
	static const char *const what[] = { "queue drops and overflows",
					    "segments and retransmits", "resets and aborts" };

	plot_begin(b, id[g], "per second");
	snprintf(b->title, sizeof(b->title), "Counters per second: %s (nstat names)", what[g]);
	for (unsigned c = 0; c < mib_watched_n; c++) {
		unsigned s = b->p.n_series;
		bool moved = false;

		if (counter_group(mib_watched[c]) != g || s == SVG_SERIES_MAX)
			continue;
		for (unsigned i = 0; i < t->n; i++) {
			const struct trace_point *p = trace_at(t, i);

			b->known[s][i] = p->rate_known[c];
			b->y[s][i] = p->rate[c];
			moved |= p->rate_known[c] && p->rate[c] > 0;
		}
		if (moved)
			series_add(b, mib_watched[c]);
	}
	if (b->p.n_series)
		figure(fp, b, NULL);
}

static void counter_plots(FILE *fp, struct pbuf *b, const struct trace *t)
{
	bool any = false;

	for (unsigned g = 0; g < 3; g++) {
		counters_plot(fp, b, t, g);
		any |= b->p.n_series > 0;
	}
	if (!any)
		fputs("<p class=\"note\">Counters: none of the watched drop, reset or retransmit "
		      "counters moved between samples (or none was read).</p>\n", fp);
}

enum conn_field { CF_RTT, CF_CWND, CF_RETRANS };

static void conn_plot(FILE *fp, struct pbuf *b, const struct trace *t, enum conn_field f)
{
	static const char *const id[] = { "peer-rtt", "peer-cwnd", "peer-retrans" };
	static const char *const unit[] = { "milliseconds", "segments", "segments" };
	static const char *const what[] = { "smoothed round-trip time (rtt)",
					    "congestion window (cwnd)",
					    "retransmitted segments since the connection began" };
	char label[SVG_LABEL_MAX];

	plot_begin(b, id[f], unit[f]);
	snprintf(b->title, sizeof(b->title), "--peer connections: %s", what[f]);
	for (unsigned k = 0; k < t->n_cslots; k++) {
		unsigned s = b->p.n_series;

		for (unsigned i = 0; i < t->n; i++) {
			const struct trace_cpoint *c = &trace_at(t, i)->c[k];

			b->known[s][i] = c->present && c->has_info;
			b->y[s][i] = f == CF_RTT ? c->rtt_us / 1000.0 :
				     f == CF_CWND ? (double)c->snd_cwnd : (double)c->total_retrans;
		}
		snprintf(label, sizeof(label), "%s -> %s", t->cslot[k].local, t->cslot[k].remote);
		series_add(b, label);
	}
	figure(fp, b, NULL);
}

static void peer_plots(FILE *fp, struct pbuf *b, const struct report_view *v)
{
	const struct trace *t = v->trace;

	if (!v->peer_set)
		return;
	if (!t->n_cslots) {
		tagged_note(fp, "--peer ", v->peer, ": no connection to it in any sample.");
		return;
	}
	for (int f = CF_RTT; f <= CF_RETRANS; f++)
		conn_plot(fp, b, t, (enum conn_field)f);
}

/* What was sampled, when, how long: the x axis's meaning. */
static void plots_intro(FILE *fp, const struct report_view *v)
{
	const struct trace *t = v->trace;
	char when[40] = "an unknown time";
	time_t start = (time_t)t->start_time_unix;
	struct tm tm;

	if (start > 0 && gmtime_r(&start, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	fprintf(fp, "<p class=\"caption\">%u samples over %.1f s", t->n, trace_span_s(t));
	if (v->interval_s > 0)
		fprintf(fp, ", one every %.1f s", v->interval_s);
	fprintf(fp, ", the first at %s. The x axis is the time since that first sample.", when);
	if (t->taken > t->n)
		fprintf(fp, " The oldest %llu samples were forgotten: the plots show the newest %u.",
			(unsigned long long)(t->taken - t->n), t->n);
	if (!t->time_known)
		fputs(" The samples carry no clock: the x axis counts samples, not seconds.", fp);
	fputs(" Rates are per second between two consecutive samples.</p>\n", fp);
}

int html_plots_write(FILE *fp, const struct report_view *v)
{
	const struct trace *t = v->trace;
	struct pbuf b;

	if (!t || t->n < 2) {
		fprintf(fp, "<p class=\"note noplot\">No plot: %s. %s to see the queues and "
			"counters move.</p>\n", t && t->n == 1 ? "one sample is one snapshot, not a line"
							      : "no samples in time were kept",
			v->read ? "Capture more than one sample (<code>sockvet capture --samples N</code>)"
				: "Take more samples (<code>--samples 60 --interval 1</code>)");
		return ferror(fp) ? EOF : 0;
	}
	if (pbuf_init(&b, t))
		return EOF;
	plots_intro(fp, v);
	listener_plots(fp, &b, t);
	states_plot(fp, &b, t);
	counter_plots(fp, &b, t);
	peer_plots(fp, &b, v);
	free(b.x);
	return ferror(fp) ? EOF : 0;
}
