// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The text report, in the order a person on call reads it: where and
 * what was sampled; (a) what the sockets and counters show; (b) one
 * verdict line per finding, worst first, side in capitals, with its
 * evidence; (c) the changes, current -> proposed, and how to back out;
 * (d) how to verify. "Healthy" is said out loud, with why.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "../model/addr.h"

#define LISTENERS_SHOWN 10
#define WRAP 76

const char *report_side_name(enum side s)
{
	static const char *const n[] = { "none", "app", "kernel", "network" };

	return s <= SIDE_NETWORK ? n[s] : "?";
}

const char *report_severity_name(enum severity s)
{
	static const char *const n[] = { "info", "warning", "critical" };

	return s <= SEV_CRITICAL ? n[s] : "?";
}

bool report_worst(const struct findings *fs, enum severity *sev, enum side *side)
{
	bool any = false;

	*sev = SEV_INFO;
	*side = SIDE_NONE;
	for (unsigned i = 0; i < fs->n; i++) {
		if (fs->f[i].severity == SEV_INFO)
			continue;
		if (!any || fs->f[i].severity > *sev) {
			*sev = fs->f[i].severity;
			*side = fs->f[i].side;
		}
		any = true;
	}
	return any;
}

static const char *paint(const struct report *r, enum severity s)
{
	if (!r->color)
		return "";
	return s == SEV_CRITICAL ? "\033[1;31m" : s == SEV_WARNING ? "\033[1;33m" : "\033[36m";
}

static const char *unpaint(const struct report *r)
{
	return r->color ? "\033[0m" : "";
}

/* Prose at WRAP columns after `indent` spaces; words are never split. */
static void wrap(FILE *fp, const char *text, int indent)
{
	const char *p = text;
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

static void print_states(FILE *fp, const struct sample *s)
{
	uint64_t total = 0, by[SS_STATE_MAX] = { 0 };
	char n[32];

	for (int st = 0; st < SS_STATE_MAX; st++) {
		int as = st == SS_NEW_SYN_RECV ? SS_SYN_RECV : st;

		by[as] += s->tally.by_state[TBL_TCP][st];
		total += s->tally.by_state[TBL_TCP][st];
	}
	fprintf(fp, "  TCP sockets: %s", fmt_thousands(n, total));
	for (int st = 1; st < SS_STATE_MAX; st++)
		if (by[st] && st != SS_NEW_SYN_RECV)
			fprintf(fp, ", %s %s", sock_state_name((unsigned)st), fmt_thousands(n, by[st]));
	fputc('\n', fp);
}

static void print_listeners(FILE *fp, const struct report *r)
{
	const struct sample *first = r->ser->s[0], *last = r->ser->s[r->ser->n - 1];
	unsigned shown = 0, full = 0;

	for (uint32_t i = 0; i < last->n_listeners; i++)
		if (last->listeners[i].rq > last->listeners[i].wq)
			full++;
	fprintf(fp, "  TCP listeners: %u (%u with a full accept queue)%s\n", last->n_listeners, full,
		last->listeners_dropped ? " [more than could be kept]" : "");
	/* Full ones first, then the fullest, so the interesting rows show. */
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < last->n_listeners && shown < LISTENERS_SHOWN; i++) {
			const struct s_listener *l = &last->listeners[i];
			bool isfull = l->rq > l->wq;
			char ep[ADDR_STR_MAX];
			long long drops = -1;

			if ((pass == 0) != isfull)
				continue;
			for (uint32_t j = 0; j < first->n_listeners; j++) {
				const struct s_listener *o = &first->listeners[j];

				if (o->port == l->port && o->inode == l->inode && l->has_drops && o->has_drops)
					drops = (long long)l->drops - o->drops;
			}
			fprintf(fp, "    %-28s Recv-Q %u / Send-Q %u%s", addr_endpoint(ep, l->family, l->addr, l->port),
				l->rq, l->wq, isfull ? "  FULL" : "");
			if (drops > 0 && r->ser->n > 1)
				fprintf(fp, "  drops +%lld", drops);
			if (l->owner >= 0)
				fprintf(fp, "  %s[%u]", last->procs[l->owner].comm, last->procs[l->owner].pid);
			fputc('\n', fp);
			shown++;
		}
	}
}

#define CONNS_SHOWN 5

/* One kept connection the way `ss -tin` would show its limits. */
static void print_conn(FILE *fp, const struct sample *s, const struct s_conn *c)
{
	char a[ADDR_STR_MAX], b[ADDR_STR_MAX];

	fprintf(fp, "    %s -> %s %s Recv-Q %u Send-Q %u", addr_endpoint(a, c->family, c->saddr, c->sport),
		addr_endpoint(b, c->family, c->daddr, c->dport), sock_state_name(c->state), c->rq, c->wq);
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
	if (c->owner >= 0)
		fprintf(fp, "  %s[%u]", s->procs[c->owner].comm, s->procs[c->owner].pid);
	fputc('\n', fp);
}

static void print_conns(FILE *fp, const struct report *r)
{
	const struct sample *last = r->ser->s[r->ser->n - 1];
	char peer[ADDR_STR_MAX];
	bool has_peer = r->opts && r->opts->peer.set;

	if (has_peer)
		addr_endpoint(peer, r->opts->peer.family, r->opts->peer.addr, r->opts->peer.port);
	if (!(last->have & HAVE_CONNS))
		return;
	if (has_peer && !last->n_conns) {
		fprintf(fp, "  Connections to --peer %s: none in the last sample\n", peer);
		return;
	}
	if (has_peer)
		fprintf(fp, "  Connections to --peer %s (and stuck ones), with tcp_info: %u%s\n", peer,
			last->n_conns, last->conns_dropped ? " [more than could be kept]" : "");
	else
		fprintf(fp, "  Stuck connections (zero-window probing or backed-off retransmits): %u%s\n",
			last->n_conns, last->conns_dropped ? " [more than could be kept]" : "");
	for (uint32_t i = 0; i < last->n_conns && i < CONNS_SHOWN; i++)
		print_conn(fp, last, &last->conns[i]);
	if (last->n_conns > CONNS_SHOWN)
		fprintf(fp, "    (%u more: ss -tin)\n", last->n_conns - CONNS_SHOWN);
}

/* The counters an operator would look at, when they moved. */
static void print_counters(FILE *fp, const struct report *r)
{
	static const char *const names[] = {
		"TcpExtListenOverflows", "TcpExtListenDrops", "TcpExtTCPReqQFullDrop",
		"TcpExtTCPReqQFullDoCookies", "TcpExtSyncookiesSent", "TcpRetransSegs",
		"TcpOutSegs", "TcpExtTCPSynRetrans", "TcpEstabResets", "TcpOutRsts",
		"TcpAttemptFails", "TcpExtTCPAbortOnData", "TcpExtTCPAbortOnClose",
		"TcpExtTCPAbortOnTimeout", "TcpExtTCPAbortOnMemory", "TcpExtTCPTimeWaitOverflow",
		"TcpExtTCPMemoryPressures", "TcpExtTCPRetransFail", "TcpExtTCPBacklogDrop",
	};
	double span = series_span_s(r->ser);
	bool any = false;
	char n[32];

	if (r->ser->n < 2) {
		fprintf(fp, "  Counters: one sample, no rates (use more than one sample to see trends)\n");
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		uint64_t d;

		if (!series_mib_delta(r->ser, names[i], &d) || !d)
			continue;
		if (!any)
			fprintf(fp, "  Counters that moved over %.1f s (nstat -az NAME):\n", span);
		fprintf(fp, "    %-28s +%s (%.1f/s)\n", names[i], fmt_thousands(n, d), span > 0 ? (double)d / span : 0.0);
		any = true;
	}
	if (!any)
		fprintf(fp, "  Counters: none of the drop, reset or retransmit counters moved in %.1f s\n", span);
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

static void print_finding(FILE *fp, const struct report *r, const struct finding *f)
{
	char side[16];
	size_t i;

	snprintf(side, sizeof(side), "%s", report_side_name(f->side));
	for (i = 0; side[i]; i++)
		side[i] = (char)(side[i] >= 'a' && side[i] <= 'z' ? side[i] - 32 : side[i]);
	fprintf(fp, "\n  %s%-8s%s %-8s %s: %s\n", paint(r, f->severity),
		report_severity_name(f->severity), unpaint(r), side, f->id, f->subject);
	if (f->explanation[0])
		wrap(fp, f->explanation, 4);
	for (i = 0; i < f->n_evidence; i++)
		fprintf(fp, "    - %s\n", f->evidence[i]);
}

int report_text(FILE *fp, const struct report *r, struct strbuf *err)
{
	const struct sample *last = r->ser->s[r->ser->n - 1];
	const struct findings *fs = r->fs;
	enum severity worst;
	enum side wside;
	bool bad = report_worst(fs, &worst, &wside);
	unsigned i, k, nchanges = 0;

	char tbuf[32];

	fprintf(fp, "sockvet triage: %s, kernel %s, netns %s, at %s\n", last->meta.host, last->meta.kernel,
		last->meta.netns[0] ? last->meta.netns : "unknown", when(tbuf, r->ser->s[0]->meta.time_unix));
	fprintf(fp, "%u sample%s", r->ser->n, r->ser->n == 1 ? " (no trends: --once)" : "s");
	if (r->ser->n > 1)
		fprintf(fp, ", %.1f s apart", r->ser->interval_s);
	if (r->focus && r->focus[0])
		fprintf(fp, "; focus: %s", r->focus);
	fputs("\n\nWhat the sockets and counters show\n", fp);
	print_states(fp, last);
	print_listeners(fp, r);
	print_conns(fp, r);
	print_counters(fp, r);

	fputs("\nVerdict\n", fp);
	if (!bad) {
		char why[320];

		fprintf(fp, "  %shealthy%s: nothing here needs a change.\n", paint(r, SEV_INFO), unpaint(r));
		if (r->ser->n > 1)
			snprintf(why, sizeof(why), "No listener's queue overflowed, no pile of CLOSE-WAIT, "
				 "FIN-WAIT-2 or TIME-WAIT, no table near its limit, and no drop, reset or "
				 "retransmit counter rose past its threshold in %.1f s.%s",
				 series_span_s(r->ser), fs->n ? " Notes:" : "");
		else
			snprintf(why, sizeof(why), "One sample shows no full queue, no pile and no table "
				 "near its limit; counters need a second sample to show a trend.%s",
				 fs->n ? " Notes:" : "");
		wrap(fp, why, 4);
	}
	for (i = 0; i < fs->n; i++) {
		/* Findings come worst first: the first info after real ones starts the notes. */
		if (bad && fs->f[i].severity == SEV_INFO && (i == 0 || fs->f[i - 1].severity != SEV_INFO))
			fputs("\n  Notes (normal, nothing to do):\n", fp);
		print_finding(fp, r, &fs->f[i]);
	}
	if (fs->dropped)
		fprintf(fp, "\n  (%u more findings not shown)\n", fs->dropped);

	for (i = 0; i < fs->n; i++)
		nchanges += fs->f[i].n_changes;
	if (nchanges) {
		fputs("\nChanges (sockvet changes nothing itself)\n", fp);
		for (i = 0; i < fs->n; i++) {
			for (k = 0; k < fs->f[i].n_changes; k++) {
				const struct change *c = &fs->f[i].changes[k];

				fprintf(fp, "  [%s] %s: %s -> %s\n", fs->f[i].id, c->setting, c->current, c->proposed);
				if (c->effective[0])
					fprintf(fp, "      takes effect: %s\n", c->effective);
				if (c->backout[0])
					fprintf(fp, "      back out: %s\n", c->backout);
			}
		}
	}
	if (bad) {
		fputs("\nVerify\n", fp);
		for (i = 0; i < fs->n; i++) {
			if (!fs->f[i].verify_command[0] || fs->f[i].severity == SEV_INFO)
				continue;
			fprintf(fp, "  [%s] %s\n", fs->f[i].id, fs->f[i].verify_command);
			if (fs->f[i].fixed_when[0])
				fprintf(fp, "      fixed when: %s\n", fs->f[i].fixed_when);
		}
	}
	for (i = 0; i < last->n_unavailable; i++) {
		if (!i)
			fputs("\nCould not read (the verdict knows less)\n", fp);
		fprintf(fp, "  %s: %s\n", last->unavailable[i].what, last->unavailable[i].why);
	}
	if (ferror(fp))
		return error_set(err, "cannot write the report: %s", strerror(errno));
	return 0;
}
