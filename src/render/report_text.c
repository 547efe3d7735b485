// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text report, in the order a person on call reads it: where and
 * what was sampled; (a) what the sockets and counters show; (b) one
 * verdict line per finding, worst first, side in capitals, with its
 * evidence; (c) the changes, current -> proposed, and how to back out;
 * (d) how to verify. "Healthy" is said out loud, with why.
 *
 * It prints a report view (report_view.h) and nothing else; the kept
 * connections' tcp_info fields are in print_conn alone.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "../util/fmt.h"
#include "../util/textesc.h"

#define WRAP 76
#define CONNS_SHOWN 5
/* Escaping writes at most 4 bytes per byte (\xNN); the longest text is an explanation. */
#define ESC_MAX (4 * sizeof(((struct finding *)0)->explanation) + 1)

/*
 * Every string from outside (names, paths, the host's own names, and
 * the finding texts that quote them) goes out through text_fputs or
 * esc(): a control byte in a process name must not reach the terminal.
 */
static void put(FILE *fp, const char *s)
{
	text_fputs(s, fp);
}

static const char *paint(bool color, enum severity s)
{
	if (!color)
		return "";
	return s == SEV_CRITICAL ? "\033[1;31m" : s == SEV_WARNING ? "\033[1;33m" : "\033[36m";
}

static const char *unpaint(bool color)
{
	return color ? "\033[0m" : "";
}

/* Prose at WRAP columns after `indent` spaces; words are never split. */
void report_text_wrap(FILE *fp, const char *raw, int indent)
{
	char text[ESC_MAX];
	const char *p = text_escape(text, sizeof(text), raw);
	int col = indent;

	fprintf(fp, "%*s", indent, "");
	while (*p) {
		const char *w = p;
		int len;

		while (*p && *p != ' ' && *p != '\n')
			p++;
		len = (int)(p - w);
		if (col > indent && col + 1 + len > WRAP) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', fp);
			col++;
		}
		fwrite(w, 1, (size_t)len, fp);
		col += len;
		if (*p == '\n') {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
		}
		while (*p == ' ' || *p == '\n')
			p++;
	}
	fputc('\n', fp);
}

static void print_owner(FILE *fp, const struct s_proc *owner)
{
	if (owner)
{
		fputs("  ", fp);
		put(fp, owner->comm);
		fprintf(fp, "[%u]", owner->pid);
	}
}

/* Totals a pasted `| wc -l` / `grep -c` gave, one state each. */
static void print_counted(FILE *fp, const struct report_view *v)
{
	char n[32];

	if (!v->n_counted)
		return;
	fputs("  Counted by a pasted command (one state each, not a socket list):", fp);
	for (unsigned i = 0; i < v->n_counted; i++)
		fprintf(fp, "%s %s %s", i ? "," : "", v->counted[i].name,
			fmt_thousands(n, v->counted[i].n));
	fputc('\n', fp);
}

static void print_states(FILE *fp, const struct report_view *v)
{
	char n[32];

	if (!v->have_sockets && !v->have_conn_states)
		fputs("  TCP sockets: not in the input (no socket list was read)\n", fp);
	else if (!v->have_conn_states)
		fputs("  TCP sockets: listeners only in the input (other states not counted)\n", fp);
	if (!v->have_conn_states) {
		print_counted(fp, v);
		return;
	}
	fprintf(fp, "  TCP sockets: %s", fmt_thousands(n, v->tcp_total));
	for (unsigned i = 0; i < v->n_states; i++)
		fprintf(fp, ", %s %s", v->states[i].name, fmt_thousands(n, v->states[i].n));
	fputc('\n', fp);
	if (!v->have_sockets)
		fputs("  TCP listeners: their backlog is not in the input (give ss -tln)\n", fp);
	print_counted(fp, v);
}

static void print_listeners(FILE *fp, const struct report_view *v)
{
	if (!v->have_sockets)
		return;
	fprintf(fp, "  TCP listeners: %u (%u with a full accept queue)%s\n", v->n_listeners,
		v->n_full_listeners, v->listeners_cut ? " [more than could be kept]" : "");
	for (unsigned i = 0; i < v->n_listener_rows; i++) {
		const struct report_listener *l = &v->listener_rows[i];

		fprintf(fp, "    %-28s Recv-Q %u / Send-Q %u%s", l->endpoint, l->rq, l->wq,
			l->full ? "  FULL" : "");
		if (l->drops_moved)
			fprintf(fp, "  drops +%u", l->drops);
		print_owner(fp, l->owner);
		fputc('\n', fp);
	}
}

/* One kept connection the way `ss -tin` would show its limits. */
static void print_conn(FILE *fp, const struct report_conn *rc)
{
	const struct s_conn *c = rc->c;

	fprintf(fp, "    %s -> %s %s Recv-Q %u Send-Q %u", rc->local, rc->remote, rc->state, c->rq, c->wq);
	if (c->has_info) {
		fprintf(fp, " rtt %.1f ms cwnd %u", c->rtt_us / 1000.0, c->snd_cwnd);
		if (c->busy_us) {
			fprintf(fp, " busy %" PRIu64 " ms", c->busy_us / 1000);
			if (c->rwnd_limited_us)
				fprintf(fp, " rwnd_limited %.0f%%", 100.0 * c->rwnd_limited_us / c->busy_us);
			if (c->sndbuf_limited_us)
				fprintf(fp, " sndbuf_limited %.0f%%", 100.0 * c->sndbuf_limited_us / c->busy_us);
		}
		if (c->app_limited)
			fputs(" app_limited", fp);
		if (c->notsent_bytes)
			fprintf(fp, " notsent %u", c->notsent_bytes);
		if (c->has_snd_wnd)
			fprintf(fp, " snd_wnd %u", c->snd_wnd);
	}
	print_owner(fp, rc->owner);
	fputc('\n', fp);
}

static void print_conns(FILE *fp, const struct report_view *v)
{
	const char *cut = v->conns_cut ? " [more than could be kept]" : "";

	if (!v->have_conns)
		return;
	if (v->peer_set && !v->n_conns) {
		fprintf(fp, "  Connections to --peer %s: none in the last sample\n", v->peer);
		return;
	}
	if (v->peer_set)
		fprintf(fp, "  Connections to --peer %s (and stuck ones), with tcp_info: %u%s\n", v->peer,
			v->n_conns, cut);
	else
		fprintf(fp, "  Stuck connections (zero-window probing or backed-off retransmits): %u%s\n",
			v->n_conns, cut);
	for (uint32_t i = 0; i < v->n_conns && i < CONNS_SHOWN; i++)
		print_conn(fp, &v->conns[i]);
	if (v->n_conns > CONNS_SHOWN)
		fprintf(fp, "    (%u more: ss -tin)\n", v->n_conns - CONNS_SHOWN);
}

/* The counters an operator would look at, when they moved. */
static void print_counters(FILE *fp, const struct report_view *v)
{
	char n[32];

	if (!v->trend) {
		fprintf(fp, "  Counters: one sample, no rates (use more than one sample to see trends)\n");
		return;
	}
	if (v->time_unknown) {
		fprintf(fp, "  Counters that rose between the samples (time between them unknown: "
			"no rates)%s\n", v->n_watched ? ":" : ": none of the drop, reset or retransmit "
			"counters");
		for (unsigned i = 0; i < v->n_watched; i++)
			fprintf(fp, "    %-28s +%s\n", v->watched[i].name,
				fmt_thousands(n, v->watched[i].delta));
		return;
	}
	if (!v->n_watched) {
		fprintf(fp, "  Counters: none of the drop, reset or retransmit counters moved in %.1f s\n",
			v->span_s);
		return;
	}
	fprintf(fp, "  Counters that rose over %.1f s (the rise; nstat -az NAME prints totals):\n",
		v->span_s);
	for (unsigned i = 0; i < v->n_watched; i++)
		fprintf(fp, "    %-28s +%s (%.1f/s)\n", v->watched[i].name,
			fmt_thousands(n, v->watched[i].delta), v->watched[i].per_s);
}

/* "2026-11-21 03:12:09 UTC": a report pasted into a ticket must be datable. */
static const char *when(char buf[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm) || !strftime(buf, 32, "%Y-%m-%d %H:%M:%S UTC", &tm))
		return "an unknown time";
	return buf;
}

static const char *const read_status[] = {
	[CAPTURE_USED] = "", [CAPTURE_UNKNOWN] = "not recognised",
	[CAPTURE_REPEAT] = "not read", [CAPTURE_ERROR] = "error",
};

/* "07:44:07.250 UTC" (the day too when it is not the first sample's). */
static void sample_time(char *buf, size_t size, int64_t ns, int64_t first_ns)
{
	time_t t = (time_t)(ns / 1000000000LL);
	struct tm tm;
	char day[16] = "";

	buf[0] = '\0';
	if (ns <= 0 || !gmtime_r(&t, &tm))
		return;
	if (first_ns <= 0 || ns / 86400000000000LL != first_ns / 86400000000000LL || ns == first_ns)
		strftime(day, sizeof(day), "%Y-%m-%d ", &tm);
	snprintf(buf, size, "%s%02d:%02d:%02d.%03d UTC", day, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(ns % 1000000000LL / 1000000));
}

/* How many samples, in what order, over how long: said before the list. */
static void print_read_title(FILE *fp, const struct report_view *v)
{
	const struct capture_list *cl = v->read;

	fputs("sockvet analyze: captures, not this host ", fp);
	if (cl->samples <= 1)
		fputs("(one snapshot: no trend)\n", fp);
	else if (cl->by_time)
		fprintf(fp, "(%u samples in time over %.1f s, ordered by their timestamps)\n",
			cl->samples, v->span_s);
	else
		fprintf(fp, "(%u samples in the order given: they carry no timestamps, so counts "
			"are compared but no rate is computed)\n", cl->samples);
}

/*
 * A section of a later sample that repeats one of the first sample's
 * (the same file and command, used, with the same caveat): a `sockvet
 * capture --samples N` holds a dozen per sample, and listing each again
 * would bury the rest. It is summed up in one line per sample instead.
 */
static bool read_repeats(const struct capture_list *cl, const struct capture_read *c)
{
	if (c->status != CAPTURE_USED || c->sample <= 0 || !c->cmd[0])
		return false;
	for (uint32_t i = 0; i < cl->n; i++) {
		const struct capture_read *f = &cl->r[i];

		if (f->sample == 0 && f->status == CAPTURE_USED && !strcmp(f->cmd, c->cmd) &&
		    !strcmp(f->file, c->file) && !strcmp(f->note, c->note))
			return true;
	}
	return false;
}

static void read_line(FILE *fp, const struct capture_list *cl, const struct capture_read *c,
		      int64_t first_ns)
{
	char line[640], when_s[48];
	size_t n;

	snprintf(line, sizeof(line), "%s:%u%s%s: ", c->file, c->line, c->cmd[0] ? " $ " : "", c->cmd);
	n = strlen(line);
	if (c->status == CAPTURE_USED)
		snprintf(line + n, sizeof(line) - n, "%s (%llu lines used, %llu skipped)", c->what,
			 (unsigned long long)c->rows, (unsigned long long)c->skipped);
	n = strlen(line);
	sample_time(when_s, sizeof(when_s), c->time_ns, first_ns);
	if (c->status == CAPTURE_USED && c->sample >= 0 && (cl->samples > 1 || when_s[0]))
		snprintf(line + n, sizeof(line) - n, "; sample %d%s%s", c->sample + 1,
			 when_s[0] ? " at " : "", when_s);
	else if (c->status != CAPTURE_USED)
		snprintf(line + n, sizeof(line) - n, "%s%s%s", read_status[c->status],
			 c->what[0] ? ": " : "", c->what);
	fputs("  ", fp);
	put(fp, line);
	fputc('\n', fp);
	if (c->note[0]) {
		fputs("    ", fp);
		put(fp, c->note);
		fputc('\n', fp);
	}
}

/* One line for each later sample's repeats of the first sample's sections. */
static void read_repeat_lines(FILE *fp, const struct capture_list *cl, int64_t first_ns)
{
	for (unsigned k = 1; k < cl->samples; k++) {
		unsigned same = 0;
		const struct capture_read *one = NULL;
		char when_s[48];

		for (uint32_t i = 0; i < cl->n; i++)
			if (cl->r[i].sample == (int)k && read_repeats(cl, &cl->r[i])) {
				same++;
				one = one ? one : &cl->r[i];
			}
		if (!same)
			continue;
		sample_time(when_s, sizeof(when_s), one->time_ns, first_ns);
		fprintf(fp, "  sample %u%s%s: the same %u section%s as sample 1, from line %u of ", k + 1,
			when_s[0] ? " at " : "", when_s, same, same == 1 ? "" : "s", one->line);
		put(fp, one->file);
		fputc('\n', fp);
	}
}

/* analyze: each section read, what it was taken for, what was left out. */
static void print_read(FILE *fp, const struct report_view *v)
{
	const struct capture_list *cl = v->read;
	int64_t first_ns = 0;

	for (uint32_t i = 0; i < cl->n; i++)
		if (cl->r[i].sample == 0 && cl->r[i].time_ns)
			first_ns = cl->r[i].time_ns;
	print_read_title(fp, v);
	fputs("\nRead\n", fp);
	for (uint32_t i = 0; i < cl->n; i++)
		if (!read_repeats(cl, &cl->r[i]))
			read_line(fp, cl, &cl->r[i], first_ns);
	read_repeat_lines(fp, cl, first_ns);
	if (cl->dropped)
		fprintf(fp, "  (%u more sections not listed)\n", cl->dropped);
}

static void print_header(FILE *fp, const struct report_view *v)
{
	char tbuf[32];

	if (v->read) {
		print_read(fp, v);
		if (v->focus[0]) {
			fputs("Focus: ", fp);
			put(fp, v->focus);
			fputc('\n', fp);
		}
		fputs("\nWhat the sockets and counters show\n", fp);
		print_states(fp, v);
		print_listeners(fp, v);
		print_conns(fp, v);
		print_counters(fp, v);
		return;
	}
	fputs("sockvet triage: ", fp);
	put(fp, v->host);
	fputs(", kernel ", fp);
	put(fp, v->kernel);
	fputs(", netns ", fp);
	if (v->netns_name[0]) {
		put(fp, v->netns_name);
		fputs(" (", fp);
	}
	put(fp, v->netns[0] ? v->netns : "unknown");
	fprintf(fp, "%s, at %s\n", v->netns_name[0] ? ")" : "", when(tbuf, v->time_unix));
	if (v->netns_name[0]) {
		char how[320];

		snprintf(how, sizeof(how), "Sampled inside network namespace %s: run the commands "
			 "quoted below there (%s%s CMD); Changes and Verify show them so.",
			 v->netns_name, strchr(v->netns_name, '/') ? "nsenter --net=" : "ip netns exec ",
			 v->netns_name);
		report_text_wrap(fp, how, 0);
	}
	fprintf(fp, "%u sample%s", v->samples,
		v->samples == 1 ? " (one snapshot: no trend; --once)" : "s");
	if (v->samples > 1)
		fprintf(fp, ", %.1f s apart", v->interval_s);
	if (v->samples_judged < v->samples)
		fprintf(fp, " over %.1f s (the rules read the first and the newest %u)", v->span_s,
			v->samples_judged - 1);
	if (v->focus[0]) {
		fputs("; focus: ", fp);
		put(fp, v->focus);
	}
	fputs("\n\nWhat the sockets and counters show\n", fp);
	print_states(fp, v);
	print_listeners(fp, v);
	print_conns(fp, v);
	print_counters(fp, v);
}

static void print_finding(FILE *fp, bool color, const struct finding *f)
{
	char subject[4 * sizeof(f->subject) + 1];

	fprintf(fp, "\n  %s%-8s%s %-8s %s: %s\n", paint(color, f->severity),
		verdict_severity_name(f->severity), unpaint(color), verdict_side_label(f->side),
		f->id, text_escape(subject, sizeof(subject), f->subject));
	if (f->explanation[0])
		report_text_wrap(fp, f->explanation, 4);
	for (unsigned i = 0; i < f->n_evidence; i++) {
		fputs("    - ", fp);
		put(fp, f->evidence[i]);
		fputc('\n', fp);
	}
}

/* Every finding, worst first, the notes last. */
static void print_findings(FILE *fp, const struct report_view *v, bool color)
{
	for (unsigned i = 0; i < v->n_findings; i++) {
		if (v->findings[i].starts_notes)
			fputs("\n  Notes (normal, nothing to do):\n", fp);
		print_finding(fp, color, v->findings[i].f);
	}
	if (v->findings_dropped)
		fprintf(fp, "\n  (%u more findings not shown)\n", v->findings_dropped);
}

/* "healthy", said out loud with why, then every finding (notes included). */
static void print_verdict(FILE *fp, const struct report_view *v, bool color)
{
	fputs("\nVerdict\n", fp);
	if (v->verdict.healthy && v->read && v->n_not_run) {
		char why[320];

		fprintf(fp, "  %snothing found%s in what was read.\n", paint(color, SEV_INFO),
			unpaint(color));
		snprintf(why, sizeof(why), "%u check%s had no input to judge (see Not checked): "
			 "this is not a clean bill of health.%s", v->n_not_run,
			 v->n_not_run == 1 ? "" : "s", v->n_findings ? " Notes:" : "");
		report_text_wrap(fp, why, 4);
	} else if (v->verdict.healthy) {
		char why[320];
		const char *notes = v->n_findings ? " Notes:" : "";

		fprintf(fp, "  %shealthy%s: nothing here needs a change.\n", paint(color, SEV_INFO),
			unpaint(color));
		if (v->trend && v->time_unknown)
			snprintf(why, sizeof(why), "No listener's queue overflowed, no pile of CLOSE-WAIT, "
				 "FIN-WAIT-2 or TIME-WAIT and no table near its limit in %u samples; the "
				 "time between them is unknown, so no counter's rate was judged.%s",
				 v->samples, notes);
		else if (v->trend)
			snprintf(why, sizeof(why), "No listener's queue overflowed, no pile of CLOSE-WAIT, "
				 "FIN-WAIT-2 or TIME-WAIT, no table near its limit, and no drop, reset or "
				 "retransmit counter rose past its threshold in %.1f s.%s",
				 v->span_s, notes);
		else
			snprintf(why, sizeof(why), "One sample shows no full queue, no pile and no table "
				 "near its limit; counters need a second sample to show a trend.%s", notes);
		report_text_wrap(fp, why, 4);
	}
	print_findings(fp, v, color);
}

static void put_line(FILE *fp, const char *label, const char *s)
{
	fputs(label, fp);
	put(fp, s);
	fputc('\n', fp);
}

static void print_changes(FILE *fp, const struct report_view *v)
{
	if (!v->n_changes)
		return;
	fputs("\nChanges (sockvet changes nothing itself)\n", fp);
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		for (unsigned k = 0; k < f->n_changes && k < FINDING_CHANGES_MAX; k++) {
			const struct change *c = &f->changes[k];

			fprintf(fp, "  [%s] ", f->id);
			put(fp, c->setting);
			fputs(": ", fp);
			put(fp, c->current);
			fputs(" -> ", fp);
			put(fp, c->proposed);
			fputc('\n', fp);
			if (c->effective[0])
				put_line(fp, "      takes effect: ", c->effective);
			if (c->backout[0])
				put_line(fp, "      back out: ", v->findings[i].backout[k]);
		}
	}
}

static void print_verify(FILE *fp, const struct report_view *v)
{
	if (v->verdict.healthy)
		return;
	fputs("\nVerify\n", fp);
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;

		if (!f->verify_command[0] || f->severity == SEV_INFO)
			continue;
		fprintf(fp, "  [%s] ", f->id);
		put_line(fp, "", v->findings[i].verify);
		if (f->fixed_when[0])
			put_line(fp, "      fixed when: ", f->fixed_when);
	}
}

int report_text_findings(FILE *fp, const struct report_view *v, bool color, struct strbuf *err)
{
	print_findings(fp, v, color);
	print_changes(fp, v);
	print_verify(fp, v);
	if (ferror(fp))
		return error_set(err, "cannot write the report: %s", strerror(errno));
	return 0;
}

int report_text(FILE *fp, const struct report_view *v, bool color, struct strbuf *err)
{
	print_header(fp, v);
	print_verdict(fp, v, color);
	print_changes(fp, v);
	print_verify(fp, v);
	for (unsigned i = 0; i < v->n_not_run; i++) {
		const struct report_not_run *n = &v->not_run[i];

		if (!i)
			fputs("\nNot checked (the input is missing; give it to check)\n", fp);
		fprintf(fp, "  %s: needs", n->rule);
		for (unsigned k = 0; k < n->n_needs; k++)
			fprintf(fp, "%s %s (%s)", k ? "," : "", n->need_name[k], n->need_source[k]);
		fputc('\n', fp);
	}
	for (uint32_t i = 0; i < v->n_unavailable; i++) {
		if (!i)
			fputs("\nCould not read (the verdict knows less)\n", fp);
		fprintf(fp, "  %s: ", v->unavailable[i].what);
		put_line(fp, "", v->unavailable[i].why);
	}
	if (ferror(fp))
		return error_set(err, "cannot write the report: %s", strerror(errno));
	return 0;
}
