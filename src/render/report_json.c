// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The triage report as one JSON document (keys documented in the man
 * page, TRIAGE JSON; stable within schema_version):
 *
 *   {"schema_version":2,"host":..,"kernel":..,"netns":..,"netns_name":..,"time_unix":..,
 *    "samples":N,"samples_judged":N,"interval_s":S,
 *    analyze only: "time_known":B,"inputs":[{"file","line","command","status","what",
 *                 "lines_used","lines_skipped","note","sample","time_unix"}],
 *    "verdict":{"side":"app","severity":"critical"},
 *    "findings":[{"id","severity","side","subject","evidence":[..],
 *                 "explanation","changes":[{"setting","current","proposed",
 *                 "backout","effective"}],"verify":{"command","fixed_when"}}],
 *    "summary":{"tcp":{"ESTAB":n,...},"listeners":n,"full_listeners":n,
 *               "counters":{"TcpExtListenOverflows":delta,...},
 *               "connections":[{"local","remote","state","peer","recv_q",
 *                 "send_q","tcp_info":{..},"pid","comm"}]},
 *    "not_checked":[{"rule","needs":[{"what","capture"}]}],
 *    "unavailable":[{"what","why"}]}
 *
 * With no finding above info the verdict is {"side":"none","severity":"healthy"}.
 * netns_name is the -N name ("" without -N); verify commands and
 * back-outs are then written to run inside it (ip netns exec NAME ...).
 *
 * It writes a report view (report_view.h) and nothing else. Units follow
 * docs/json-keys.md: a kept connection's "tcp_info" has ss --json's keys
 * and units (schema 2; schema 1 had rtt_ms, busy_ms and
 * delivery_rate_bps), written by tcpinfo_json_write alone.
 */
#include "report.h"

#include "tcpinfo_json.h"

#define REPORT_JSON_SCHEMA 2

/* Kept connections (--peer, stuck), as the last sample saw them. */
static void write_conn(struct json_writer *w, const struct report_conn *rc)
{
	const struct s_conn *c = rc->c;

	json_obj_begin(w);
	json_kv_cstr(w, "local", rc->local);
	json_kv_cstr(w, "remote", rc->remote);
	json_kv_cstr(w, "state", rc->state);
	json_kv_bool(w, "peer", c->peer);
	json_kv_u64(w, "recv_q", c->rq);
	json_kv_u64(w, "send_q", c->wq);
	if (c->has_info) {
		struct tcpinfo_vals tv;

		tcpinfo_conn_load(&tv, c);
		tcpinfo_json_write(w, &tv);
	}
	if (rc->owner) {
		json_kv_u64(w, "pid", rc->owner->pid);
		json_kv_cstr(w, "comm", rc->owner->comm);
	}
	json_obj_end(w);
}

static void write_finding(struct json_writer *w, const struct report_finding *rf)
{
	const struct finding *f = rf->f;

	json_obj_begin(w);
	json_kv_cstr(w, "id", f->id);
	json_kv_cstr(w, "severity", verdict_severity_name(f->severity));
	json_kv_cstr(w, "side", verdict_side_name(f->side));
	json_kv_cstr(w, "subject", f->subject);
	json_kv_arr_begin(w, "evidence");
	for (unsigned i = 0; i < f->n_evidence; i++)
		json_cstr(w, f->evidence[i]);
	json_arr_end(w);
	json_kv_cstr(w, "explanation", f->explanation);
	json_kv_arr_begin(w, "changes");
	for (unsigned i = 0; i < f->n_changes && i < FINDING_CHANGES_MAX; i++) {
		const struct change *c = &f->changes[i];

		json_obj_begin(w);
		json_kv_cstr(w, "setting", c->setting);
		json_kv_cstr(w, "current", c->current);
		json_kv_cstr(w, "proposed", c->proposed);
		json_kv_cstr(w, "backout", rf->backout[i]);
		json_kv_cstr(w, "effective", c->effective);
		json_obj_end(w);
	}
	json_arr_end(w);
	json_kv_obj_begin(w, "verify");
	json_kv_cstr(w, "command", rf->verify);
	json_kv_cstr(w, "fixed_when", f->fixed_when);
	json_obj_end(w);
	json_obj_end(w);
}

static void write_summary(struct json_writer *w, const struct report_view *v)
{
	json_kv_obj_begin(w, "summary");
	json_kv_obj_begin(w, "tcp");
	for (unsigned i = 0; i < v->n_states; i++)
		json_kv_u64(w, v->states[i].name, v->states[i].n);
	json_obj_end(w);
	json_kv_u64(w, "listeners", v->n_listeners);
	json_kv_u64(w, "full_listeners", v->n_full_listeners);
	/* Deltas over the series, every counter that moved. */
	json_kv_obj_begin(w, "counters");
	for (unsigned i = 0; i < v->n_counters; i++)
		json_kv_u64(w, v->counters[i].name, v->counters[i].delta);
	json_obj_end(w);
	if (v->have_conns) {
		json_kv_arr_begin(w, "connections");
		for (uint32_t i = 0; i < v->n_conns; i++)
			write_conn(w, &v->conns[i]);
		json_arr_end(w);
	}
	json_obj_end(w);
}

static void write_read(struct json_writer *w, const struct capture_list *cl)
{
	static const char *const status[] = {
		[CAPTURE_USED] = "used", [CAPTURE_UNKNOWN] = "not_recognised",
		[CAPTURE_REPEAT] = "not_read", [CAPTURE_ERROR] = "error",
	};

	json_kv_arr_begin(w, "inputs");
	for (uint32_t i = 0; i < cl->n; i++) {
		const struct capture_read *c = &cl->r[i];

		json_obj_begin(w);
		json_kv_cstr(w, "file", c->file);
		json_kv_u64(w, "line", c->line);
		json_kv_cstr(w, "command", c->cmd);
		json_kv_cstr(w, "status", status[c->status]);
		json_kv_cstr(w, "what", c->what);
		json_kv_u64(w, "lines_used", c->rows);
		json_kv_u64(w, "lines_skipped", c->skipped);
		json_kv_cstr(w, "note", c->note);
		json_kv_i64(w, "sample", c->sample);
		json_kv_double(w, "time_unix", c->time_ns > 0 ? (double)c->time_ns / 1e9 : 0);
		json_obj_end(w);
	}
	json_arr_end(w);
}

void report_json_write_findings(struct json_writer *w, const struct report_view *v)
{
	json_kv_obj_begin(w, "verdict");
	json_kv_cstr(w, "side", verdict_side_word(&v->verdict));
	json_kv_cstr(w, "severity", verdict_severity_word(&v->verdict));
	json_obj_end(w);

	json_kv_arr_begin(w, "findings");
	for (unsigned i = 0; i < v->n_findings; i++)
		write_finding(w, &v->findings[i]);
	json_arr_end(w);
}

int report_json_write(struct json_writer *w, const struct report_view *v)
{
	json_obj_begin(w);
	json_kv_u64(w, "schema_version", REPORT_JSON_SCHEMA);
	json_kv_cstr(w, "host", v->host);
	json_kv_cstr(w, "kernel", v->kernel);
	json_kv_cstr(w, "netns", v->netns);
	json_kv_cstr(w, "netns_name", v->netns_name);
	json_kv_i64(w, "time_unix", v->time_unix);
	json_kv_u64(w, "samples", v->samples);
	json_kv_u64(w, "samples_judged", v->samples_judged);
	json_kv_double(w, "interval_s", v->interval_s);
	if (v->read) {
		json_kv_bool(w, "time_known", !v->time_unknown);
		write_read(w, v->read);
	}
	report_json_write_findings(w, v);
	write_summary(w, v);

	json_kv_arr_begin(w, "not_checked");
	for (unsigned i = 0; i < v->n_not_run; i++) {
		const struct report_not_run *n = &v->not_run[i];

		json_obj_begin(w);
		json_kv_cstr(w, "rule", n->rule);
		json_kv_arr_begin(w, "needs");
		for (unsigned k = 0; k < n->n_needs; k++) {
			json_obj_begin(w);
			json_kv_cstr(w, "what", n->need_name[k]);
			json_kv_cstr(w, "capture", n->need_source[k]);
			json_obj_end(w);
		}
		json_arr_end(w);
		json_obj_end(w);
	}
	json_arr_end(w);
	json_kv_arr_begin(w, "unavailable");
	for (uint32_t i = 0; i < v->n_unavailable; i++) {
		json_obj_begin(w);
		json_kv_cstr(w, "what", v->unavailable[i].what);
		json_kv_cstr(w, "why", v->unavailable[i].why);
		json_obj_end(w);
	}
	json_arr_end(w);
	return json_obj_end(w);
}

int report_json(FILE *fp, const struct report_view *v, bool pretty, struct strbuf *err)
{
	struct json_writer w;

	json_writer_init(&w, fp, pretty ? JSON_PRETTY : 0);
	report_json_write(&w, v);
	return json_writer_finish(&w, err);
}
