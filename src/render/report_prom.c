// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report view in the Prometheus text exposition format (version
 * 0.0.4): what `sockvet exporter` serves on /metrics and writes for
 * node_exporter's textfile collector. Metric names and labels are listed
 * in docs/exporter.md; this file renders the view and nothing else.
 *
 * Conventions: every name starts with sockvet_, values are in base
 * units (bytes, seconds), counters end in _total, each family has one
 * HELP and one TYPE line before its samples. An input the sample lacks
 * is left out, never written as 0, so an alert on it does not fire on
 * "unknown".
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

struct prom {
	FILE *fp;
	const char *netns;       /* the netns label of per-listener series; NULL: none */
	const char *const *extra; /* label pairs put first on every series; NULL none */
};

static void family(struct prom *p, const char *name, const char *type, const char *help)
{
	fprintf(p->fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A label value: backslash, double quote and newline escaped (0.0.4). */
static void label_value(FILE *fp, const char *s)
{
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			fputc('\\', fp);
		if (*s == '\n') {
			fputs("\\n", fp);
			continue;
		}
		fputc(*s, fp);
	}
	fputc('"', fp);
}

/* name{k1="v1",...} value: labels as NULL-terminated key, value pairs. */
static void sample_u64(struct prom *p, const char *name, const char *const *labels, uint64_t v)
{
	const char *const *set[2] = { p->extra, labels };
	bool any = false;

	fputs(name, p->fp);
	for (unsigned k = 0; k < 2; k++)
		for (unsigned i = 0; set[k] && set[k][i]; i += 2) {
			fprintf(p->fp, "%s%s=", any ? "," : "{", set[k][i]);
			label_value(p->fp, set[k][i + 1]);
			any = true;
		}
	if (any)
		fputc('}', p->fp);
	fprintf(p->fp, " %" PRIu64 "\n", v);
}

static void gauge1(struct prom *p, const char *name, const char *help, const struct report_value *g)
{
	if (!g->present)
		return;
	family(p, name, "gauge", help);
	sample_u64(p, name, NULL, g->v);
}

static void listener_series(struct prom *p, const char *name, const struct report_listener *r,
			    uint64_t v)
{
	char port[8], proc[40];
	const char *labels[] = { "address", r->addr, "port", port, "process", proc,
				 p->netns ? "netns" : NULL, p->netns, NULL };

	snprintf(port, sizeof(port), "%u", r->port);
	if (r->owner)
		snprintf(proc, sizeof(proc), "%s", r->owner->comm);
	else
		proc[0] = '\0';
	if (!strcmp(r->addr, "other"))
		port[0] = '\0';
	sample_u64(p, name, labels, v);
}

enum lfield { LF_RQ, LF_WQ, LF_DROPS, LF_SYN_RECV };

static void listener_family(struct prom *p, const struct report_view *v, enum lfield f,
			    const char *name, const char *type, const char *help)
{
	unsigned n = v->n_all_listeners + (v->n_other_listeners > 0);

	family(p, name, type, help);
	for (unsigned i = 0; i < n; i++) {
		const struct report_listener *r = i < v->n_all_listeners ? &v->all_listeners[i]
									 : &v->other_listeners;

		if (f == LF_DROPS && !r->has_drops)
			continue;
		listener_series(p, name, r, f == LF_RQ ? r->rq : f == LF_WQ ? r->wq :
				f == LF_DROPS ? r->drops_total : r->syn_recv);
	}
}

static void prom_listeners(struct prom *p, const struct report_view *v)
{
	if (!v->have_sockets || !v->all_listeners)
		return;
	family(p, "sockvet_listeners", "gauge", "TCP listeners in the sample");
	sample_u64(p, "sockvet_listeners", NULL, v->n_listeners);
	family(p, "sockvet_listeners_full", "gauge",
	       "TCP listeners whose accept queue is full (Recv-Q > Send-Q)");
	sample_u64(p, "sockvet_listeners_full", NULL, v->n_full_listeners);
	listener_family(p, v, LF_RQ, "sockvet_listener_accept_queue", "gauge",
			"Connections waiting in the listener's accept queue (ss Recv-Q)");
	listener_family(p, v, LF_WQ, "sockvet_listener_backlog", "gauge",
			"The accept queue's limit, min(listen backlog, somaxconn) (ss Send-Q)");
	listener_family(p, v, LF_SYN_RECV, "sockvet_listener_syn_recv", "gauge",
			"SYN-RECV request sockets on the listener's port");
	listener_family(p, v, LF_DROPS, "sockvet_listener_drops_total", "counter",
			"Connections the listener dropped (ss -m skmem d, its ListenDrops)");
}

static void prom_states(struct prom *p, const struct report_view *v)
{
	if (!v->have_sockets)
		return;
	family(p, "sockvet_tcp_sockets", "gauge", "TCP sockets by state (NEW_SYN_RECV as SYN-RECV)");
	for (unsigned st = SS_ESTABLISHED; st <= SS_CLOSING; st++) {
		const char *name = sock_state_name(st);
		const char *labels[] = { "state", name, NULL };
		uint64_t n = 0;

		if (st == SS_CLOSE || (!v->have_conn_states && st != SS_LISTEN))
			continue;
		for (unsigned i = 0; i < v->n_states; i++)
			if (!strcmp(v->states[i].name, name))
				n = v->states[i].n;
		sample_u64(p, "sockvet_tcp_sockets", labels, n);
	}
}

static void prom_counters(struct prom *p, const struct report_view *v)
{
	if (!v->n_watched_now)
		return;
	family(p, "sockvet_mib_total", "counter",
	       "Kernel SNMP/netstat counters an operator watches, by nstat name");
	for (unsigned i = 0; i < v->n_watched_now; i++) {
		const char *labels[] = { "name", v->watched_now[i].name, NULL };

		sample_u64(p, "sockvet_mib_total", labels, v->watched_now[i].value);
	}
}

static void prom_dests(struct prom *p, const struct report_limits *lim)
{
	if (!lim->n_dests)
		return;
	family(p, "sockvet_destination_ports_in_use", "gauge",
	       "Local ports held to one destination from one source address (busiest, bounded)");
	for (unsigned i = 0; i < lim->n_dests; i++) {
		const char *labels[] = { "source", lim->dests[i].src,
					 "destination", lim->dests[i].dst, NULL };

		sample_u64(p, "sockvet_destination_ports_in_use", labels, lim->dests[i].total);
	}
}

static void prom_fds(struct prom *p, const struct report_limits *lim)
{
	static const char *const fam[2][2] = {
		{ "sockvet_process_open_fds", "Open fds of a process that owns a listener" },
		{ "sockvet_process_max_fds", "RLIMIT_NOFILE (soft) of a process that owns a listener" },
	};

	if (!lim->n_fd_procs)
		return;
	for (unsigned k = 0; k < 2; k++) {
		family(p, fam[k][0], "gauge", fam[k][1]);
		for (unsigned i = 0; i < lim->n_fd_procs; i++) {
			const struct s_proc *pr = lim->fd_procs[i];
			char pid[16];
			const char *labels[] = { "pid", pid, "process", pr->comm, NULL };

			snprintf(pid, sizeof(pid), "%u", pr->pid);
			sample_u64(p, fam[k][0], labels, k ? pr->nofile_soft : pr->fds);
		}
	}
}

/* The limits each network namespace has its own of. */
static void prom_limits_netns(struct prom *p, const struct report_limits *lim)
{
	gauge1(p, "sockvet_somaxconn", "net.core.somaxconn", &lim->somaxconn);
	gauge1(p, "sockvet_tcp_max_syn_backlog", "net.ipv4.tcp_max_syn_backlog", &lim->syn_backlog);
	gauge1(p, "sockvet_local_ports", "Ephemeral ports usable (ip_local_port_range minus reserved)",
	       &lim->ports_usable);
	prom_dests(p, lim);
	gauge1(p, "sockvet_conntrack_entries", "nf_conntrack_count", &lim->conntrack);
	gauge1(p, "sockvet_conntrack_entries_max", "nf_conntrack_max", &lim->conntrack_max);
	prom_fds(p, lim);
}

/* The host-wide ones (finding_scope.h): the same in every namespace. */
static void prom_limits_host(struct prom *p, const struct report_limits *lim)
{
	static const char *const level[3] = { "min", "pressure", "max" };
	bool any = false;

	gauge1(p, "sockvet_files_open", "File handles allocated host-wide (fs.file-nr)", &lim->files_open);
	gauge1(p, "sockvet_files_max", "fs.file-max", &lim->files_max);
	gauge1(p, "sockvet_tcp_memory_bytes", "TCP socket memory host-wide (sockstat TCP mem)",
	       &lim->tcp_mem_bytes);
	for (unsigned k = 0; k < 3; k++)
		any |= lim->tcp_mem_limit_bytes[k].present;
	if (any) {
		family(p, "sockvet_tcp_memory_limit_bytes", "gauge", "net.ipv4.tcp_mem thresholds");
		for (unsigned k = 0; k < 3; k++) {
			const char *labels[] = { "level", level[k], NULL };

			if (lim->tcp_mem_limit_bytes[k].present)
				sample_u64(p, "sockvet_tcp_memory_limit_bytes", labels,
					   lim->tcp_mem_limit_bytes[k].v);
		}
	}
	gauge1(p, "sockvet_tcp_orphans", "Orphaned TCP sockets host-wide (sockstat orphan)", &lim->orphans);
	gauge1(p, "sockvet_tcp_orphans_max", "net.ipv4.tcp_max_orphans", &lim->orphans_max);
}

static void prom_findings(struct prom *p, const struct report_view *v)
{
	family(p, "sockvet_finding", "gauge",
	       "1 per current finding of the triage rules over the sliding window");
	for (unsigned i = 0; i < v->n_findings; i++) {
		const struct finding *f = v->findings[i].f;
		const char *labels[] = { "id", f->id, "side", verdict_side_name(f->side),
					 "severity", verdict_severity_name(f->severity),
					 "subject", f->subject, NULL };
		bool dup = false;

		/* One series per label set: a repeat would be rejected whole. */
		for (unsigned k = 0; k < i && !dup; k++)
			dup = !strcmp(v->findings[k].f->id, f->id) &&
			      !strcmp(v->findings[k].f->subject, f->subject) &&
			      v->findings[k].f->side == f->side &&
			      v->findings[k].f->severity == f->severity;
		if (!dup)
			sample_u64(p, "sockvet_finding", labels, 1);
	}
}

static void prom_verdict(struct prom *p, const struct report_view *v)
{
	family(p, "sockvet_healthy", "gauge", "1 when no finding above info, else 0");
	sample_u64(p, "sockvet_healthy", NULL, v->verdict.healthy);
	prom_findings(p, v);
	if (!v->n_not_run)
		return;
	family(p, "sockvet_rule_not_run", "gauge", "1 per rule whose inputs the samples lack");
	for (unsigned i = 0; i < v->n_not_run; i++) {
		const char *labels[] = { "rule", v->not_run[i].rule, NULL };

		sample_u64(p, "sockvet_rule_not_run", labels, 1);
	}
}

static void prom_self(struct prom *p, const struct prom_self *s)
{
	family(p, "sockvet_samples_total", "counter", "Samples taken since the exporter started");
	sample_u64(p, "sockvet_samples_total", NULL, s->samples);
	family(p, "sockvet_sample_errors_total", "counter", "Samples that failed since start");
	sample_u64(p, "sockvet_sample_errors_total", NULL, s->errors);
	if (s->all_netns) {
		family(p, "sockvet_netns", "gauge", "Network namespaces sampled in the last round");
		sample_u64(p, "sockvet_netns", NULL, s->netns_sampled);
		family(p, "sockvet_netns_skipped", "gauge",
		       "Network namespaces the last round could not enter or sample");
		sample_u64(p, "sockvet_netns_skipped", NULL, s->netns_skipped);
		family(p, "sockvet_netns_past_limit", "gauge",
		       "Network namespaces past --max-netns, not sampled in the last round");
		sample_u64(p, "sockvet_netns_past_limit", NULL, s->netns_past_limit);
	}
	family(p, "sockvet_window_samples", "gauge", "Samples the rules judged (the sliding window)");
	sample_u64(p, "sockvet_window_samples", NULL, s->window);
	if (s->sample_s >= 0) {
		family(p, "sockvet_sample_duration_seconds", "gauge", "What taking the last sample cost");
		fprintf(p->fp, "sockvet_sample_duration_seconds %.6f\n", s->sample_s);
	}
	if (s->render_s >= 0) {
		family(p, "sockvet_render_duration_seconds", "gauge",
		       "What diagnosing and rendering the previous exposition cost");
		fprintf(p->fp, "sockvet_render_duration_seconds %.6f\n", s->render_s);
	}
	if (s->last_unix > 0) {
		family(p, "sockvet_last_sample_timestamp_seconds", "gauge",
		       "Unix time of the newest sample");
		fprintf(p->fp, "sockvet_last_sample_timestamp_seconds %" PRId64 "\n", s->last_unix);
	}
}

static int prom_done(FILE *fp, struct strbuf *err)
{
	if (fflush(fp) || ferror(fp))
		return error_set(err, "cannot write the exposition: %s", strerror(errno ? errno : EIO));
	return 0;
}

int report_prom(FILE *fp, const struct report_view *v, const struct prom_self *self,
		struct strbuf *err)
{
	struct prom p = { fp, "", NULL };

	if (v) {
		p.netns = v->netns_name[0] ? v->netns_name : v->netns ? v->netns : "";
		prom_listeners(&p, v);
		prom_states(&p, v);
		prom_counters(&p, v);
		prom_limits_netns(&p, &v->limits);
		prom_limits_host(&p, &v->limits);
		prom_verdict(&p, v);
	}
	if (self)
		prom_self(&p, self);
	return prom_done(fp, err);
}

int report_prom_part(FILE *fp, const struct report_view *v, enum prom_part part,
		     const char *const *labels, struct strbuf *err)
{
	struct prom p = { fp, NULL, labels };

	switch (part) {
	case PROM_PART_NETNS:
		prom_listeners(&p, v);
		prom_states(&p, v);
		prom_counters(&p, v);
		prom_limits_netns(&p, &v->limits);
		prom_verdict(&p, v);
		break;
	case PROM_PART_HOST:
		prom_limits_host(&p, &v->limits);
		break;
	case PROM_PART_FINDINGS:
		prom_findings(&p, v);
		break;
	}
	return prom_done(fp, err);
}
