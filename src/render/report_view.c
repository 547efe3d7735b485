// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Building the report view: one pass over the series and the findings
 * that decides what a report shows, so that every format shows the
 * same thing. Judgements stay with the rules; this only selects, counts
 * and names.
 */
#include "report_view.h"
#include "../diagnose/rules.h"

#include <stdio.h>
#include <string.h>


static const struct s_proc *owner_in(const struct sample *s, int32_t owner)
{
	return owner >= 0 && (uint32_t)owner < s->n_procs ? &s->procs[owner] : NULL;
}

static void view_states(struct report_view *v, const struct sample *s)
{
	uint64_t by[SS_STATE_MAX];

	sample_tcp_states(s, by);
	for (int st = 0; st < SS_STATE_MAX; st++)
		v->tcp_total += by[st];
	for (int st = 1; st < SS_STATE_MAX; st++) {
		if (!by[st] || st == SS_NEW_SYN_RECV)
			continue;
		v->states[v->n_states].name = sock_state_name((unsigned)st);
		v->states[v->n_states].n = by[st];
		v->n_states++;
	}
	for (int st = 1; st < SS_STATE_MAX; st++) {
		if (!(s->counted_states & (1u << st)))
			continue;
		v->counted[v->n_counted].name = sock_state_name((unsigned)st);
		v->counted[v->n_counted].n = s->counted[st];
		v->n_counted++;
	}
}

void report_view_listener_row(struct report_listener *row, const struct series *ser, uint32_t i)
{
	const struct sample *last = series_last(ser);
	const struct s_listener *l = &last->listeners[i];
	struct listener_drops d;

	memset(row, 0, sizeof(*row));
	addr_endpoint(row->endpoint, l->family, l->addr, l->port);
	addr_endpoint(row->addr, l->family, l->addr, -1);
	row->port = l->port;
	row->syn_recv = l->syn_recv;
	row->has_drops = l->has_drops;
	row->drops_total = l->has_drops ? l->drops : 0;
	row->rq = l->rq;
	row->wq = l->wq;
	row->full = l->rq > l->wq;
	row->drops_moved = series_listener_drops(ser, i, &d) && d.delta > 0;
	row->drops = row->drops_moved ? d.delta : 0;
	row->owner = owner_in(last, l->owner);
}

/* Full ones first, then the rest in dump order, so the interesting rows show. */
static void view_listeners(struct report_view *v, const struct series *ser)
{
	const struct sample *last = series_last(ser);

	v->n_listeners = last->n_listeners;
	v->listeners_cut = last->listeners_dropped > 0;
	for (uint32_t i = 0; i < last->n_listeners; i++)
		v->n_full_listeners += last->listeners[i].rq > last->listeners[i].wq;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t i = 0; i < last->n_listeners && v->n_listener_rows < REPORT_LISTENER_ROWS; i++) {
			bool full = last->listeners[i].rq > last->listeners[i].wq;

			if ((pass == 0) == full)
				report_view_listener_row(&v->listener_rows[v->n_listener_rows++], ser, i);
		}
	}
}

static void view_conns(struct report_view *v, const struct sample *s, const struct focus *focus)
{
	v->have_conns = (s->have & HAVE_CONNS) != 0;
	v->peer_set = focus && focus->peer.set;
	if (v->peer_set)
		addr_endpoint(v->peer, focus->peer.family, focus->peer.addr, focus->peer.port);
	v->conns_cut = s->conns_dropped > 0;
	for (uint32_t i = 0; i < s->n_conns && i < SAMPLE_CONNS_MAX; i++) {
		const struct s_conn *c = &s->conns[i];
		struct report_conn *rc = &v->conns[v->n_conns++];

		rc->c = c;
		addr_endpoint(rc->local, c->family, c->saddr, c->sport);
		addr_endpoint(rc->remote, c->family, c->daddr, c->dport);
		rc->state = sock_state_name(c->state);
		rc->owner = owner_in(s, c->owner);
	}
}

static void counter_set(struct report_counter *c, const char *name, uint64_t delta, double span)
{
	c->name = name;
	c->delta = delta;
	c->per_s = span > 0 ? (double)delta / span : 0.0;
}

static void view_counters(struct report_view *v, const struct series *ser)
{
	const struct sample *last = series_last(ser);
	uint64_t d;

	v->trend = ser->n > 1;
	if (!v->trend)
		return;
	for (size_t i = 0; i < last->mib.n && v->n_counters < MIB_MAX; i++) {
		const char *name = last->mib.ent[i].name;

		if (series_mib_delta(ser, name, &d) && d)
			counter_set(&v->counters[v->n_counters++], name, d, v->span_s);
	}
	for (unsigned i = 0; i < mib_watched_n; i++)
		if (series_mib_delta(ser, mib_watched[i], &d) && d)
			counter_set(&v->watched[v->n_watched++], mib_watched[i], d, v->span_s);
}

/*
 * Findings by severity, worst first, in diagnose's order within one
 * severity (where --symptom ranks them): whatever order they came in, a
 * warning is never shown under the notes nor an info above a warning.
 */
static void view_findings(struct report_view *v, const struct findings *fs)
{
	unsigned n = fs->n < FINDINGS_MAX ? fs->n : FINDINGS_MAX;

	verdict_of(fs, &v->verdict);
	v->findings_dropped = fs->dropped;
	for (int sev = SEV_CRITICAL; sev >= SEV_INFO; sev--) {
		for (unsigned i = 0; i < n; i++) {
			const struct finding *f = &fs->f[i];
			struct report_finding *rf;

			if ((int)f->severity != sev)
				continue;
			rf = &v->findings[v->n_findings++];
			rf->f = f;
			/* The first info after a real finding starts the notes. */
			rf->starts_notes = !v->verdict.healthy && sev == SEV_INFO &&
					   v->n_findings > 1 &&
					   v->findings[v->n_findings - 2].f->severity != SEV_INFO;
			v->n_changes += f->n_changes;
		}
	}
}

static void view_not_run(struct report_view *v, const struct findings *fs)
{
	for (unsigned i = 0; i < fs->n_not_run && i < FINDINGS_NOT_RUN_MAX; i++) {
		struct report_not_run *n = &v->not_run[v->n_not_run++];

		n->rule = fs->not_run[i].rule->ids[0];
		for (unsigned b = 0; b < HAVE_BITS; b++) {
			enum sample_have bit = (enum sample_have)(1u << b);

			if (!(fs->not_run[i].missing & bit) || n->n_needs == REPORT_NEEDS_MAX)
				continue;
			n->need_name[n->n_needs] = sample_have_name(bit);
			n->need_source[n->n_needs++] = sample_have_source(bit);
		}
	}
}

/*
 * The commands that read the state of the namespace they run in: run on
 * the host, they would check the host instead of the triaged namespace.
 */
static const char *const netns_words[] = {
	"ss", "nstat", "sysctl", "ip", "tc", "conntrack", "netstat",
};

static const char *const netns_prefixes[] = {
	"cat /proc/net/", "cat /proc/sys/net/",
};

static bool reads_netns(const char *c, size_t len)
{
	for (size_t i = 0; i < sizeof(netns_words) / sizeof(netns_words[0]); i++) {
		size_t w = strlen(netns_words[i]);

		if (len > w && !strncmp(c, netns_words[i], w) && c[w] == ' ')
			return true;
	}
	for (size_t i = 0; i < sizeof(netns_prefixes) / sizeof(netns_prefixes[0]); i++) {
		size_t w = strlen(netns_prefixes[i]);

		if (len >= w && !strncmp(c, netns_prefixes[i], w))
			return true;
	}
	return false;
}

/* Append to out (size n), cutting rather than overflowing. */
static void cmd_add(char *out, size_t n, const char *s, size_t len)
{
	size_t at = strnlen(out, n);

	if (at + 1 >= n)
		return;
	if (len > n - at - 1)
		len = n - at - 1;
	memcpy(out + at, s, len);
	out[at + len] = '\0';
}

/* One command of a ';' list (its leading blanks already copied), as run in ns. */
static void command_one(char *out, size_t n, const char *c, size_t len, const char *ns)
{
	if (len >= 7 && !strncmp(c, "sockvet", 7) && (len == 7 || c[7] == ' ')) {
		cmd_add(out, n, "sockvet -N ", 11);
		cmd_add(out, n, ns, strlen(ns));
		cmd_add(out, n, c + 7, len - 7);
		return;
	}
	if (reads_netns(c, len)) {
		/* -N takes a name (/var/run/netns/NAME) or a path; ip netns takes names only. */
		if (strchr(ns, '/'))
			cmd_add(out, n, "nsenter --net=", 14);
		else
			cmd_add(out, n, "ip netns exec ", 14);
		cmd_add(out, n, ns, strlen(ns));
		cmd_add(out, n, " ", 1);
	}
	cmd_add(out, n, c, len);
}

void report_command_in_netns(char *out, size_t n, const char *cmd, const char *ns)
{
	const char *p = cmd;

	if (!n)
		return;
	out[0] = '\0';
	if (!ns || !ns[0]) {
		cmd_add(out, n, cmd, strlen(cmd));
		return;
	}
	while (*p) {
		const char *start = p, *end;
		char quote = 0;

		while (*p == ' ')
			p++;
		cmd_add(out, n, start, (size_t)(p - start));
		start = p;
		for (; *p && (quote || *p != ';'); p++)
			if (*p == '\'' || *p == '"')
				quote = quote == *p ? 0 : quote ? quote : *p;
		end = p;
		while (end > start && end[-1] == ' ')
			end--;
		command_one(out, n, start, (size_t)(end - start), ns);
		cmd_add(out, n, end, (size_t)(p - end));
		if (*p == ';')
			cmd_add(out, n, p++, 1);
	}
}

static void view_commands(struct report_view *v)
{
	for (unsigned i = 0; i < v->n_findings; i++) {
		struct report_finding *rf = &v->findings[i];

		report_command_in_netns(rf->verify, sizeof(rf->verify), rf->f->verify_command,
					v->netns_name);
		for (unsigned k = 0; k < rf->f->n_changes && k < FINDING_CHANGES_MAX; k++)
			report_command_in_netns(rf->backout[k], sizeof(rf->backout[k]),
						rf->f->changes[k].backout, v->netns_name);
	}
}

int report_view_set_netns(struct report_view *v, const char *name, struct strbuf *err)
{
	if (!name)
		name = "";
	if (strlen(name) >= sizeof(v->netns_name))
		return error_set(err, "network namespace name too long to report: %s", name);
	snprintf(v->netns_name, sizeof(v->netns_name), "%s", name);
	view_commands(v);
	return 0;
}

int report_view_build(struct report_view *v, const struct series *ser,
		      const struct findings *fs, const struct focus *focus,
		      const char *focus_text, struct strbuf *err)
{
	const struct sample *last;

	if (!ser || !ser->n || !fs)
		return error_set(err, "no samples to report on");
	last = series_last(ser);
	memset(v, 0, sizeof(*v));
	v->host = last->meta.host;
	v->kernel = last->meta.kernel;
	v->netns = last->meta.netns;
	v->time_unix = series_first(ser)->meta.time_unix;
	v->samples = ser->n;
	v->samples_judged = ser->n;
	v->interval_s = ser->n > 1 ? ser->interval_s : 0;
	v->span_s = series_span_s(ser);
	v->time_unknown = ser->time_unknown;
	v->focus = focus_text ? focus_text : "";
	v->have_sockets = (last->have & HAVE_SOCKETS) != 0;
	v->have_conn_states = (last->have & HAVE_CONN_STATES) != 0;
	view_states(v, last);
	view_listeners(v, ser);
	view_conns(v, last, focus);
	view_counters(v, ser);
	report_view_limits(v, ser);
	view_findings(v, fs);
	view_commands(v);
	view_not_run(v, fs);
	v->n_unavailable = last->n_unavailable < SAMPLE_UNAVAIL_MAX ? last->n_unavailable : SAMPLE_UNAVAIL_MAX;
	v->unavailable = last->unavailable;
	report_gauges_build(v->gauges, ser, focus ? focus->port : -1);
	return 0;
}

void report_view_build_findings(struct report_view *v, const struct findings *fs)
{
	memset(v, 0, sizeof(*v));
	v->host = v->kernel = v->netns = v->focus = "";
	view_findings(v, fs);
	view_commands(v);
}

void report_view_set_read(struct report_view *v, const struct capture_list *read)
{
	v->read = read;
}

void report_view_set_trace(struct report_view *v, const struct trace *trace)
{
	v->trace = trace;
	if (trace && trace->taken > v->samples)
		v->samples = (unsigned)trace->taken;
}
