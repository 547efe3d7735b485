// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The HTML report: one self-contained file to attach to a ticket or a
 * postmortem. On top the verdict in its four parts, as the text report
 * orders them ((a) what the sockets show, (b) cause and side with the
 * evidence, (c) the change current -> proposed with its back-out and
 * when it takes effect, (d) how to verify); then plots over the samples
 * (html_plots.c, SVG drawn by html_svg.c); then the evidence tables,
 * the host facts and what could not be read.
 *
 * Self-contained means no fetch of any kind: styles are inline, plots
 * are inline SVG, there is no script, no font, no image file. The page's
 * Content-Security-Policy (default-src 'none') makes the browser refuse
 * any fetch, should a future change add one by mistake.
 *
 * Every string from outside (host, kernel and process names, evidence
 * and explanations that quote them, capture file names, commands) goes
 * out through html_escape(); the markup's own strings are literals.
 *
 * It renders a report view (report_view.h) and nothing else.
 */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "html_escape.h"
#include "html_plots.h"
#include "html_svg.h"
#include "../util/fmt.h"

/* Light colours, also forced for print whatever the screen's scheme. */
#define CSS_LIGHT "--bg:#fff;--fg:#1b1f24;--muted:#57606a;--rule:#d0d7de;--code:#f3f5f7;" \
	"--crit:#b3261e;--warn:#8a5300;--info:#0b5cad;--ok:#1a7f37;--s0:#0b5cad;--s1:#c2410c;" \
	"--s2:#15803d;--s3:#7e22ce;--s4:#b91c1c;--s5:#0e7490;--s6:#a16207;--s7:#475569;"
#define CSS_DARK "--bg:#11161c;--fg:#e6e8eb;--muted:#a2acb7;--rule:#33404d;--code:#1b232c;" \
	"--crit:#ff8a80;--warn:#f2c14e;--info:#8cc2ff;--ok:#6fdc8c;--s0:#8cc2ff;--s1:#ffa366;" \
	"--s2:#6fdc8c;--s3:#d5a8ff;--s4:#ff8a80;--s5:#5fd3e8;--s6:#f2c14e;--s7:#c0c8d2;"

static const char css[] =
	":root{" CSS_LIGHT "color-scheme:light dark}"
	"@media (prefers-color-scheme:dark){:root{" CSS_DARK "}}"
	"body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;background:var(--bg);"
	"color:var(--fg);margin:0 auto;max-width:1000px;padding:1rem 1.5rem 3rem}"
	"h1{font-size:1.45rem;margin:.2rem 0}h2{font-size:1.2rem;border-bottom:2px solid var(--rule);"
	"padding-bottom:.2rem;margin-top:2rem}h3{font-size:1.02rem;margin:1.1rem 0 .4rem}"
	".meta,.note,.caption{color:var(--muted)}.note{font-size:.92rem}"
	"nav{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:.4rem 0;border-bottom:1px solid var(--rule)}"
	"a{color:var(--info)}"
	".sev{font-weight:700;letter-spacing:.03em;padding:0 .35em;border:1.5px solid currentColor;"
	"border-radius:3px;white-space:nowrap}"
	".sev-critical{color:var(--crit)}.sev-warning{color:var(--warn)}.sev-info{color:var(--info)}"
	".sev-healthy{color:var(--ok)}"
	".overall{font-size:1.12rem;margin:.6rem 0;padding:.5rem .8rem;border-left:6px solid currentColor;"
	"background:var(--code)}.overall span.what{color:var(--fg)}"
	".finding{border-left:4px solid currentColor;padding:.1rem .8rem;margin:.8rem 0}"
	".finding>*{color:var(--fg)}.finding>p.head{color:inherit}"
	".side{font-weight:700}"
	"table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}"
	"th,td{border-bottom:1px solid var(--rule);padding:.25rem .5rem;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere}th{font-weight:600}td.n,th.n{text-align:right;"
	"font-variant-numeric:tabular-nums;white-space:nowrap}"
	".tw{overflow-x:auto}table.narrow{width:auto;min-width:40%}.same{color:var(--muted)}"
	"code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em;"
	"background:var(--code);border-radius:3px}code{padding:0 .2em}"
	"pre{padding:.4rem .6rem;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}"
	"figure.fig{margin:1rem 0 1.6rem}figure h3{margin:0 0 .3rem}"
	"svg.plot{display:block;width:100%;max-width:720px;height:auto}"
	".grid{stroke:var(--rule);stroke-width:1}.axis{stroke:var(--muted);stroke-width:1}"
	".tick,.axis-title{fill:var(--muted);font-size:12px;font-family:system-ui,sans-serif}"
	".series,.line{fill:none;stroke-width:2.2;stroke-linejoin:round;stroke-linecap:round}"
	".mk{stroke-width:1.3}.mk.k5,.mk.k6,.mk.k7{fill:none!important}"
	".legend{list-style:none;padding:0;margin:.3rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1.4rem;"
	"font-size:.92rem}.legend svg{vertical-align:middle}"
	"@media print{:root{" CSS_LIGHT "}body{max-width:none;padding:0;font-size:10pt}"
	"nav{display:none}.tw{overflow:visible}a{color:inherit;text-decoration:none}"
	"figure.fig,tr,.finding,.overall,pre{break-inside:avoid}h2,h3{break-after:avoid}"
	"svg.plot{width:17cm;max-width:100%}h2{break-before:auto}}";

/* Series look: colour s0..s7 (CSS variables), dash d0..d7. */
static const char *const dashes[SVG_SERIES_MAX] = {
	"none", "8 4", "2 3", "10 3 2 3", "14 5", "1 5", "6 2 2 2 2 2", "4 4",
};

static void esc(FILE *fp, const char *s)
{
	html_escape(fp, s);
}

/* open, s escaped, close. */
static void tagged(FILE *fp, const char *open, const char *s, const char *close)
{
	fputs(open, fp);
	esc(fp, s);
	fputs(close, fp);
}

static const char *when(char buf[40], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, 40, "%Y-%m-%d %H:%M:%S UTC", &tm))
		return "an unknown time";
	return buf;
}

static const char *sev_class(const struct verdict *vd)
{
	return vd->healthy ? "healthy" : verdict_severity_name(vd->severity);
}

static void write_head(FILE *fp, const struct report_view *v)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; img-src data:\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>sockvet: ", fp);
	esc(fp, v->read ? "analyze" : v->host);
	fprintf(fp, " - %s</title>\n<style>%s", verdict_severity_word(&v->verdict), css);
	for (unsigned k = 0; k < SVG_SERIES_MAX; k++)
		fprintf(fp, ".s%u{stroke:var(--s%u)}.mk.s%u{fill:var(--s%u)}.d%u{stroke-dasharray:%s}",
			k, k, k, k, k, dashes[k]);
	fputs("</style>\n</head>\n<body>\n", fp);
}

static void write_header(FILE *fp, const struct report_view *v)
{
	char tbuf[40];

	if (v->read) {
		fputs("<header><h1>sockvet analyze: captures from another host</h1>"
		      "<p class=\"meta\">One snapshot read from captures (see <a href=\"#read\">Read"
		      "</a>)", fp);
	} else {
		tagged(fp, "<header><h1>sockvet triage: ", v->host, "</h1><p class=\"meta\">");
		tagged(fp, "kernel ", v->kernel, "");
		tagged(fp, " &middot; network namespace ", v->netns_name[0] ? v->netns_name : "", "");
		tagged(fp, v->netns_name[0] ? " (" : "", v->netns[0] ? v->netns : "unknown",
		       v->netns_name[0] ? ")" : "");
		fprintf(fp, " &middot; from %s &middot; %u sample%s", when(tbuf, v->time_unix),
			v->samples, v->samples == 1 ? " (one snapshot)" : "s");
		if (v->samples > 1)
			fprintf(fp, ", %.1f s apart, over %.1f s", v->interval_s,
				v->trace ? trace_span_s(v->trace) : v->span_s);
	}
	if (v->focus[0])
		tagged(fp, " &middot; focus: <code>", v->focus, "</code>");
	fputs("</p>\n", fp);
	fprintf(fp, "<p class=\"overall sev-%s\">Verdict: <span class=\"sev\">%s</span>",
		sev_class(&v->verdict), verdict_severity_word(&v->verdict));
	if (!v->verdict.healthy)
		fprintf(fp, " <span class=\"what\">on the <span class=\"side\">%s</span> side; "
			"%u finding%s, worst first below</span>", verdict_side_label(v->verdict.side),
			v->n_findings, v->n_findings == 1 ? "" : "s");
	else if (v->read && v->n_not_run)
		fprintf(fp, " <span class=\"what\">nothing found in what was read; %u check%s had no "
			"input (see <a href=\"#unread\">not checked</a>): not a clean bill of health"
			"</span>", v->n_not_run, v->n_not_run == 1 ? "" : "s");
	else
		fputs(" <span class=\"what\">nothing here needs a change</span>", fp);
	fputs("</p></header>\n<nav><a href=\"#shows\">1. What the sockets show</a>"
	      "<a href=\"#cause\">2. Cause and side</a><a href=\"#change\">3. The change</a>"
	      "<a href=\"#verify\">4. Verify</a><a href=\"#plots\">Plots</a>"
	      "<a href=\"#evidence\">Evidence</a><a href=\"#host\">Host</a>"
	      "<a href=\"#unread\">Not read</a></nav>\n", fp);
}

/* (a): states, listeners, connections and counters in a few lines. */
static void write_shows(FILE *fp, const struct report_view *v)
{
	char n[32];

	fputs("<h3 id=\"shows\">1. What the sockets show</h3>\n<ul>", fp);
	if (!v->have_sockets)
		fputs("<li>TCP sockets: not in the input (no socket list was read)</li>", fp);
	else if (!v->have_conn_states)
		fputs("<li>TCP sockets: listeners only in the input (other states not counted)</li>", fp);
	else {
		fprintf(fp, "<li>TCP sockets: %s", fmt_thousands(n, v->tcp_total));
		for (unsigned i = 0; i < v->n_states; i++)
			fprintf(fp, ", %s %s", v->states[i].name, fmt_thousands(n, v->states[i].n));
		fputs("</li>", fp);
	}
	if (v->have_sockets)
		fprintf(fp, "<li>TCP listeners: %u, <strong>%u with a full accept queue</strong>%s</li>",
			v->n_listeners, v->n_full_listeners,
			v->listeners_cut ? " (more than could be kept)" : "");
	if (v->have_conns && v->peer_set)
		tagged(fp, "<li>Connections to --peer <code>", v->peer, "</code>: ");
	else if (v->have_conns)
		fputs("<li>Stuck connections (zero-window probing or backed-off retransmits): ", fp);
	if (v->have_conns)
		fprintf(fp, "%u (table under <a href=\"#evidence\">Evidence</a>)</li>", v->n_conns);
	if (!v->trend)
		fputs("<li>Counters: one sample, no rates</li>", fp);
	else if (!v->n_watched)
		fprintf(fp, "<li>Counters: none of the drop, reset or retransmit counters moved in "
			"%.1f s</li>", v->span_s);
	else {
		fprintf(fp, "<li>Counters that rose over %.1f s:", v->span_s);
		for (unsigned i = 0; i < v->n_watched; i++)
			fprintf(fp, "%s <code>%s</code> +%s (%.1f/s)", i ? "," : "", v->watched[i].name,
				fmt_thousands(n, v->watched[i].delta), v->watched[i].per_s);
		fputs("</li>", fp);
	}
	fputs("</ul>\n", fp);
}

static void write_finding(FILE *fp, const struct finding *f)
{
	const char *sev = verdict_severity_name(f->severity);

	fprintf(fp, "<div class=\"finding sev-%s\"><p class=\"head\"><span class=\"sev\">%s</span> "
		"<span class=\"side\">%s</span> <code>%s</code>: ", sev, sev,
		verdict_side_label(f->side), f->id);
	esc(fp, f->subject);
	fputs("</p>", fp);
	if (f->explanation[0])
		tagged(fp, "<p>", f->explanation, "</p>");
	if (f->n_evidence)
		fputs("<p class=\"note\">Evidence:</p><ul class=\"evidence\">", fp);
	for (unsigned i = 0; i < f->n_evidence; i++)
		tagged(fp, "<li>", f->evidence[i], "</li>");
	fputs(f->n_evidence ? "</ul></div>\n" : "</div>\n", fp);
}

/* (b): the findings, worst first; "healthy" said with why. */
static void write_cause(FILE *fp, const struct report_view *v)
{
	fputs("<h3 id=\"cause\">2. Cause and side, with the evidence</h3>\n", fp);
	if (v->verdict.healthy && v->read && v->n_not_run)
		fprintf(fp, "<p><span class=\"sev sev-info\">nothing found</span> in what was read. "
			"%u check%s had no input to judge (see <a href=\"#unread\">Not checked</a>): "
			"this is not a clean bill of health.</p>\n", v->n_not_run,
			v->n_not_run == 1 ? "" : "s");
	else if (v->verdict.healthy)
		fprintf(fp, "<p><span class=\"sev sev-healthy\">healthy</span>: no listener's queue "
			"overflowed, no pile of CLOSE-WAIT, FIN-WAIT-2 or TIME-WAIT, no table near its "
			"limit%s.</p>\n", v->trend ? ", and no drop, reset or retransmit counter rose "
			"past its threshold" : "; counters need a second sample to show a trend");
	for (unsigned i = 0; i < v->n_findings; i++) {
		if (v->findings[i].starts_notes)
			fputs("<p class=\"note\">Notes (normal, nothing to do):</p>\n", fp);
		write_finding(fp, v->findings[i].f);
	}
	if (v->findings_dropped)
		fprintf(fp, "<p class=\"note\">%u more findings not shown.</p>\n", v->findings_dropped);
}

/* (c): every change, current -> proposed, with its back-out. */
static void write_change(FILE *fp, const struct report_view *v)
{
	fputs("<h3 id=\"change\">3. The change (sockvet changes nothing itself)</h3>\n", fp);
	if (!v->n_changes) {
		fputs("<p>No change proposed.</p>\n", fp);
		return;
	}
	fputs("<div class=\"tw\"><table><thead><tr><th>Finding</th><th>Setting</th><th>Current"
	      "</th><th>Proposed</th><th>Takes effect</th><th>Back out</th></tr></thead><tbody>", fp);
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		for (unsigned k = 0; k < f->n_changes && k < FINDING_CHANGES_MAX; k++) {
			const struct change *c = &f->changes[k];

			fprintf(fp, "<tr><td><code>%s</code></td>", f->id);
			tagged(fp, "<td><code>", c->setting, "</code></td>");
			tagged(fp, "<td>", c->current, "</td>");
			tagged(fp, "<td><strong>", c->proposed, "</strong></td>");
			tagged(fp, "<td>", c->effective, "</td>");
			tagged(fp, "<td><code>", v->findings[i].backout[k], "</code></td></tr>");
		}
	}
	fputs("</tbody></table></div>\n", fp);
}

/* (d): the command that shows the change worked. */
static void write_verify(FILE *fp, const struct report_view *v)
{
	bool any = false;

	fputs("<h3 id=\"verify\">4. How to verify</h3>\n", fp);
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		if (!f->verify_command[0] || f->severity == SEV_INFO)
			continue;
		if (!any)
			fputs("<ul class=\"verify\">", fp);
		any = true;
		fprintf(fp, "<li><code>%s</code>:", f->id);
		tagged(fp, "<pre>", v->findings[i].verify, "</pre>");
		if (f->fixed_when[0])
			tagged(fp, "Fixed when: ", f->fixed_when, "");
		fputs("</li>", fp);
	}
	fputs(any ? "</ul>\n" : "<p>Nothing to verify.</p>\n", fp);
}

/* The last cell of a row: "comm[pid]" or unknown. */
static void write_owner(FILE *fp, const struct s_proc *owner)
{
	if (!owner) {
		fputs("<td>unknown</td></tr>", fp);
		return;
	}
	tagged(fp, "<td><code>", owner->comm, "");
	fprintf(fp, "[%u]</code></td></tr>", owner->pid);
}

static void write_listener_table(FILE *fp, const struct report_view *v)
{
	if (!v->have_sockets || !v->n_listener_rows)
		return;
	fprintf(fp, "<h3>TCP listeners (last sample; %u of %u, full ones first)</h3>\n"
		"<div class=\"tw\"><table><thead><tr><th>Listener</th><th class=\"n\">Recv-Q</th>"
		"<th class=\"n\">Send-Q</th><th>Queue</th><th class=\"n\">Drops (rise)</th>"
		"<th>Owner</th></tr></thead><tbody>",
		v->n_listener_rows, v->n_listeners);
	for (unsigned i = 0; i < v->n_listener_rows; i++) {
		const struct report_listener *l = &v->listener_rows[i];

		tagged(fp, "<tr><td><code>", l->endpoint, "</code></td>");
		fprintf(fp, "<td class=\"n\">%u</td><td class=\"n\">%u</td><td>%s</td>", l->rq, l->wq,
			l->full ? "<span class=\"sev sev-critical\">FULL</span>" : "not full");
		if (l->drops_moved)
			fprintf(fp, "<td class=\"n\">+%u</td>", l->drops);
		else
			fputs("<td class=\"n\">0</td>", fp);
		write_owner(fp, l->owner);
	}
	fputs("</tbody></table></div>\n", fp);
}

static void write_conn_table(FILE *fp, const struct report_view *v)
{
	if (!v->have_conns || !v->n_conns)
		return;
	fputs("<h3>Connections kept with tcp_info (last sample)</h3>\n<div class=\"tw\"><table>"
	      "<thead><tr><th>Local</th><th>Remote</th><th>State</th><th class=\"n\">Recv-Q</th>"
	      "<th class=\"n\">Send-Q</th><th class=\"n\">rtt ms</th><th class=\"n\">cwnd</th>"
	      "<th class=\"n\">retrans</th><th>Owner</th></tr></thead><tbody>", fp);
	for (uint32_t i = 0; i < v->n_conns; i++) {
		const struct report_conn *rc = &v->conns[i];
		const struct s_conn *c = rc->c;

		tagged(fp, "<tr><td><code>", rc->local, "</code></td>");
		tagged(fp, "<td><code>", rc->remote, "</code></td>");
		fprintf(fp, "<td>%s</td><td class=\"n\">%u</td><td class=\"n\">%u</td>", rc->state,
			c->rq, c->wq);
		if (c->has_info)
			fprintf(fp, "<td class=\"n\">%.1f</td><td class=\"n\">%u</td><td class=\"n\">%u</td>",
				c->rtt_us / 1000.0, c->snd_cwnd, c->total_retrans);
		else
			fputs("<td></td><td></td><td></td>", fp);
		write_owner(fp, rc->owner);
	}
	fputs("</tbody></table></div>\n", fp);
	if (v->conns_cut)
		fputs("<p class=\"note\">More connections than could be kept.</p>\n", fp);
}

static void write_evidence(FILE *fp, const struct report_view *v)
{
	char n[32];

	fputs("<section id=\"evidence\"><h2>Evidence</h2>\n", fp);
	write_listener_table(fp, v);
	if (v->have_conn_states && v->n_states) {
		fputs("<h3>TCP sockets by state (last sample)</h3>\n<table class=\"narrow\"><thead><tr>"
		      "<th>State</th><th class=\"n\">Sockets</th></tr></thead><tbody>", fp);
		for (unsigned i = 0; i < v->n_states; i++)
			fprintf(fp, "<tr><td>%s</td><td class=\"n\">%s</td></tr>", v->states[i].name,
				fmt_thousands(n, v->states[i].n));
		fprintf(fp, "<tr><th>total</th><td class=\"n\">%s</td></tr></tbody></table>\n",
			fmt_thousands(n, v->tcp_total));
	}
	write_conn_table(fp, v);
	if (v->n_counters) {
		fprintf(fp, "<h3>Every counter that rose over %.1f s</h3>\n<div class=\"tw\"><table class=\"narrow\">"
			"<thead><tr><th>Counter (nstat name)</th><th class=\"n\">Rise</th>"
			"<th class=\"n\">Per second</th></tr>"
			"</thead><tbody>", v->span_s);
		for (unsigned i = 0; i < v->n_counters; i++)
			fprintf(fp, "<tr><td><code>%s</code></td><td class=\"n\">+%s</td>"
				"<td class=\"n\">%.1f</td></tr>", v->counters[i].name,
				fmt_thousands(n, v->counters[i].delta), v->counters[i].per_s);
		fputs("</tbody></table></div>\n", fp);
	} else {
		fputs("<p class=\"note\">No counter rose (or one sample: no rates).</p>\n", fp);
	}
	fputs("</section>\n", fp);
}

static void host_row(FILE *fp, const char *name, const char *value)
{
	fprintf(fp, "<tr><th>%s</th>", name);
	tagged(fp, "<td>", value, "</td></tr>");
}

static void write_host(FILE *fp, const struct report_view *v)
{
	char tbuf[40], num[96];
	const struct trace_point *last = v->trace ? trace_last(v->trace) : NULL;

	fputs("<section id=\"host\"><h2>Host and sampling</h2>\n<table class=\"narrow\"><tbody>", fp);
	host_row(fp, "Host", v->read ? "(captures: see Read)" : v->host);
	host_row(fp, "Kernel", v->read ? "(captures)" : v->kernel);
	host_row(fp, "Network namespace", v->netns[0] ? v->netns : "unknown");
	host_row(fp, "Namespace name", v->netns_name[0] ? v->netns_name : "(none given)");
	host_row(fp, "First sample", when(tbuf, v->time_unix));
	if (v->samples > 1)
		snprintf(num, sizeof(num), "%u taken; the rules read %u (the first and the newest)",
			 v->samples, v->samples_judged);
	else
		snprintf(num, sizeof(num), "1 (one snapshot)");
	host_row(fp, "Samples", num);
	snprintf(num, sizeof(num), "%.1f s apart, %.1f s in all", v->interval_s,
		 v->trace ? trace_span_s(v->trace) : v->span_s);
	host_row(fp, "Interval", v->samples > 1 ? num : "one snapshot");
	if (last && last->cost_s > 0) {
		snprintf(num, sizeof(num), "%.1f ms (the last sample)", last->cost_s * 1000);
		host_row(fp, "Cost of a sample", num);
	}
	host_row(fp, "Focus", v->focus[0] ? v->focus : "(none)");
	fputs("</tbody></table></section>\n", fp);
}

static void write_read(FILE *fp, const struct capture_list *cl)
{
	static const char *const status[] = {
		[CAPTURE_USED] = "used", [CAPTURE_UNKNOWN] = "not recognised",
		[CAPTURE_REPEAT] = "not read", [CAPTURE_ERROR] = "error",
	};

	fputs("<h3 id=\"read\">Read (each section of the captures)</h3>\n<div class=\"tw\"><table>"
	      "<thead><tr><th>Where</th><th>Command</th><th>Status</th><th>Taken for</th>"
	      "<th class=\"n\">Lines used</th><th class=\"n\">Skipped</th><th>Note</th></tr></thead><tbody>", fp);
	for (uint32_t i = 0; i < cl->n; i++) {
		const struct capture_read *c = &cl->r[i];

		tagged(fp, "<tr><td><code>", c->file, "");
		fprintf(fp, ":%u</code></td>", c->line);
		tagged(fp, "<td><code>", c->cmd, "</code></td>");
		fprintf(fp, "<td>%s</td>", status[c->status]);
		tagged(fp, "<td>", c->what, "</td>");
		fprintf(fp, "<td class=\"n\">%llu</td><td class=\"n\">%llu</td>",
			(unsigned long long)c->rows, (unsigned long long)c->skipped);
		tagged(fp, "<td>", c->note, "</td></tr>");
	}
	fputs("</tbody></table></div>\n", fp);
	if (cl->dropped)
		fprintf(fp, "<p class=\"note\">%u more sections not listed.</p>\n", cl->dropped);
}

/* Rules that could not run, sources that could not be read, what was read. */
static void write_unread(FILE *fp, const struct report_view *v)
{
	fputs("<section id=\"unread\"><h2>What could not be read</h2>\n", fp);
	if (!v->n_not_run && !v->n_unavailable)
		fputs("<p>Every check had its input; every source could be read.</p>\n", fp);
	if (v->n_not_run)
		fputs("<h3>Not checked (the input is missing; give it to check)</h3>\n<div class=\"tw\">"
		      "<table><thead><tr><th>Check</th><th>Needs (and the capture that gives it)</th>"
		      "</tr></thead><tbody>", fp);
	for (unsigned i = 0; i < v->n_not_run; i++) {
		const struct report_not_run *n = &v->not_run[i];

		fprintf(fp, "<tr><td><code>%s</code></td><td>", n->rule);
		for (unsigned k = 0; k < n->n_needs; k++) {
			tagged(fp, k ? "; " : "", n->need_name[k], " (");
			tagged(fp, "<code>", n->need_source[k], "</code>)");
		}
		fputs("</td></tr>", fp);
	}
	if (v->n_not_run)
		fputs("</tbody></table></div>\n", fp);
	if (v->n_unavailable)
		fputs("<h3>Could not read (the verdict knows less)</h3>\n<div class=\"tw\"><table>"
		      "<thead><tr><th>What</th><th>Why</th></tr></thead><tbody>", fp);
	for (uint32_t i = 0; i < v->n_unavailable; i++) {
		tagged(fp, "<tr><td>", v->unavailable[i].what, "</td>");
		tagged(fp, "<td>", v->unavailable[i].why, "</td></tr>");
	}
	if (v->n_unavailable)
		fputs("</tbody></table></div>\n", fp);
	if (v->read)
		write_read(fp, v->read);
	fputs("</section>\n", fp);
}

int report_html(FILE *fp, const struct report_view *v, struct strbuf *err)
{
	write_head(fp, v);
	write_header(fp, v);
	fputs("<main>\n<section id=\"verdict\"><h2>Verdict</h2>\n", fp);
	write_shows(fp, v);
	write_cause(fp, v);
	write_change(fp, v);
	write_verify(fp, v);
	fputs("</section>\n<section id=\"plots\"><h2>Over time</h2>\n", fp);
	if (html_plots_write(fp, v) && !ferror(fp))
		return error_set(err, "out of memory for the plots");
	fputs("</section>\n", fp);
	write_evidence(fp, v);
	write_host(fp, v);
	write_unread(fp, v);
	fputs("</main>\n<footer><p class=\"note\">Written by sockvet, which reads socket state and "
	      "changes nothing. This file is self-contained: no script, no fetch.</p></footer>\n"
	      "</body></html>\n", fp);
	if (ferror(fp))
		return error_set(err, "cannot write the HTML report: %s", strerror(errno));
	return 0;
}

/* Written to PATH.tmp, then renamed over PATH: a reader never sees half a file. */
int report_html_file(const char *path, const struct report_view *v, struct strbuf *err)
{
	char tmp[4096];
	FILE *fp;
	int fd, rc;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return error_set(err, "cannot write '%s': the name is too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return error_set(err, "cannot write '%s': %s", tmp, strerror(errno));
	fp = fdopen(fd, "w");
	if (!fp) {
		close(fd);
		unlink(tmp);
		return error_set(err, "cannot write '%s': %s", tmp, strerror(errno));
	}
	rc = report_html(fp, v, err);
	if (!rc && (fflush(fp) || fsync(fileno(fp))))
		rc = error_set(err, "cannot write '%s': %s", tmp, strerror(errno));
	if (fclose(fp) && !rc)
		rc = error_set(err, "cannot write '%s': %s", tmp, strerror(errno));
	if (!rc && rename(tmp, path))
		rc = error_set(err, "cannot rename '%s' to '%s': %s", tmp, path, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

int report_html_file_series(const char *path, struct report_view *v, const struct series *ser,
			    struct strbuf *err)
{
	struct trace *t;
	int rc;

	if (v->trace || !ser)
		return report_html_file(path, v, err);
	t = malloc(sizeof(*t));
	if (!t)
		return error_set(err, "out of memory");
	trace_init(t);
	for (size_t i = 0; i < ser->n; i++)
		trace_add(t, ser->s[i], 0);
	report_view_set_trace(v, t);
	rc = report_html_file(path, v, err);
	v->trace = NULL;
	free(t);
	return rc;
}
