// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The triage report as one JSON document (keys documented in the man
 * page, TRIAGE JSON; stable within schema_version):
 *
 *   {"schema_version":2,"host":..,"kernel":..,"netns":..,"time_unix":..,
 *    "samples":N,"interval_s":S,
 *    "verdict":{"side":"app","severity":"critical"},
 *    "findings":[{"id","severity","side","subject","evidence":[..],
 *                 "explanation","changes":[{"setting","current","proposed",
 *                 "backout","effective"}],"verify":{"command","fixed_when"}}],
 *    "summary":{"tcp":{"ESTAB":n,...},"listeners":n,"full_listeners":n,
 *               "counters":{"TcpExtListenOverflows":delta,...},
 *               "connections":[{"local","remote","state","peer","recv_q",
 *                 "send_q","tcp_info":{..},"pid","comm"}]},
 *    "unavailable":[{"what","why"}]}
 *
 * With no finding above info the verdict is {"side":"none","severity":"healthy"}.
 * Units follow docs/json-keys.md: a connection's "tcp_info" has ss
 * --json's keys and units (schema 2; schema 1 had rtt_ms, busy_ms and
 * delivery_rate_bps, scaled here and nowhere else).
 */
#include "report.h"

#include <string.h>

#include "json_writer.h"
#include "tcpinfo_json.h"
#include "../model/addr.h"

#define REPORT_JSON_SCHEMA 2

/* Kept connections (--peer, stuck), as the last sample saw them. */
static void write_conns(struct json_writer *w, const struct sample *s)
{
	char a[ADDR_STR_MAX];

	if (!s->conns_looked)
		return;
	json_kv_arr_begin(w, "connections");
	for (uint32_t i = 0; i < s->n_conns; i++) {
		const struct s_conn *c = &s->conns[i];

		json_obj_begin(w);
		json_kv_cstr(w, "local", addr_endpoint(a, c->family, c->saddr, c->sport));
		json_kv_cstr(w, "remote", addr_endpoint(a, c->family, c->daddr, c->dport));
		json_kv_cstr(w, "state", sock_state_name(c->state));
		json_kv_bool(w, "peer", c->peer);
		json_kv_u64(w, "recv_q", c->rq);
		json_kv_u64(w, "send_q", c->wq);
		if (c->has_info) {
			struct tcpinfo_vals v;

			tcpinfo_conn_load(&v, c);
			tcpinfo_json_write(w, &v);
		}
		if (c->owner >= 0) {
			json_kv_u64(w, "pid", s->procs[c->owner].pid);
			json_kv_cstr(w, "comm", s->procs[c->owner].comm);
		}
		json_obj_end(w);
	}
	json_arr_end(w);
}

/* Counters reported as deltas over the series (all that moved). */
static void write_counters(struct json_writer *w, const struct series *ser)
{
	const struct sample *b = ser->s[ser->n - 1];

	json_kv_obj_begin(w, "counters");
	if (ser->n > 1) {
		for (size_t i = 0; i < b->mib.n; i++) {
			uint64_t d;

			if (series_mib_delta(ser, b->mib.ent[i].name, &d) && d)
				json_kv_u64(w, b->mib.ent[i].name, d);
		}
	}
	json_obj_end(w);
}

static void write_finding(struct json_writer *w, const struct finding *f)
{
	json_obj_begin(w);
	json_kv_cstr(w, "id", f->id);
	json_kv_cstr(w, "severity", report_severity_name(f->severity));
	json_kv_cstr(w, "side", report_side_name(f->side));
	json_kv_cstr(w, "subject", f->subject);
	json_kv_arr_begin(w, "evidence");
	for (unsigned i = 0; i < f->n_evidence; i++)
		json_cstr(w, f->evidence[i]);
	json_arr_end(w);
	json_kv_cstr(w, "explanation", f->explanation);
	json_kv_arr_begin(w, "changes");
	for (unsigned i = 0; i < f->n_changes; i++) {
		const struct change *c = &f->changes[i];

		json_obj_begin(w);
		json_kv_cstr(w, "setting", c->setting);
		json_kv_cstr(w, "current", c->current);
		json_kv_cstr(w, "proposed", c->proposed);
		json_kv_cstr(w, "backout", c->backout);
		json_kv_cstr(w, "effective", c->effective);
		json_obj_end(w);
	}
	json_arr_end(w);
	json_kv_obj_begin(w, "verify");
	json_kv_cstr(w, "command", f->verify_command);
	json_kv_cstr(w, "fixed_when", f->fixed_when);
	json_obj_end(w);
	json_obj_end(w);
}

int report_json(FILE *fp, const struct report *r, bool pretty, struct strbuf *err)
{
	const struct sample *last = r->ser->s[r->ser->n - 1];
	struct json_writer w;
	enum severity sev;
	enum side side;
	bool bad = report_worst(r->fs, &sev, &side);
	uint64_t full = 0, by[SS_STATE_MAX] = { 0 };

	json_writer_init(&w, fp, pretty ? JSON_PRETTY : 0);
	json_obj_begin(&w);
	json_kv_u64(&w, "schema_version", REPORT_JSON_SCHEMA);
	json_kv_cstr(&w, "host", last->meta.host);
	json_kv_cstr(&w, "kernel", last->meta.kernel);
	json_kv_cstr(&w, "netns", last->meta.netns);
	json_kv_i64(&w, "time_unix", r->ser->s[0]->meta.time_unix);
	json_kv_u64(&w, "samples", r->ser->n);
	json_kv_double(&w, "interval_s", r->ser->n > 1 ? r->ser->interval_s : 0);
	json_kv_obj_begin(&w, "verdict");
	json_kv_cstr(&w, "side", bad ? report_side_name(side) : "none");
	json_kv_cstr(&w, "severity", bad ? report_severity_name(sev) : "healthy");
	json_obj_end(&w);

	json_kv_arr_begin(&w, "findings");
	for (unsigned i = 0; i < r->fs->n; i++)
		write_finding(&w, &r->fs->f[i]);
	json_arr_end(&w);

	json_kv_obj_begin(&w, "summary");
	json_kv_obj_begin(&w, "tcp");
	for (int st = 0; st < SS_STATE_MAX; st++) {
		int as = st == SS_NEW_SYN_RECV ? SS_SYN_RECV : st;

		by[as] += last->tally.by_state[TBL_TCP][st];
	}
	for (int st = 1; st < SS_STATE_MAX; st++)
		if (by[st] && st != SS_NEW_SYN_RECV)
			json_kv_u64(&w, sock_state_name((unsigned)st), by[st]);
	json_obj_end(&w);
	for (uint32_t i = 0; i < last->n_listeners; i++)
		full += last->listeners[i].rq > last->listeners[i].wq;
	json_kv_u64(&w, "listeners", last->n_listeners);
	json_kv_u64(&w, "full_listeners", full);
	write_counters(&w, r->ser);
	write_conns(&w, last);
	json_obj_end(&w);

	json_kv_arr_begin(&w, "unavailable");
	for (uint32_t i = 0; i < last->n_unavailable; i++) {
		json_obj_begin(&w);
		json_kv_cstr(&w, "what", last->unavailable[i].what);
		json_kv_cstr(&w, "why", last->unavailable[i].why);
		json_obj_end(&w);
	}
	json_arr_end(&w);
	json_obj_end(&w);
	return json_writer_finish(&w, err);
}
