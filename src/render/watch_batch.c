// SPDX-License-Identifier: GPL-2.0-or-later
#include "watch_batch.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "../diagnose/finding.h"
#include "../diagnose/verdict.h"
#include "../util/textesc.h"
#include "json_writer.h"

static const char *finding0_id(const struct report_view *rv)
{
	return rv && rv->n_findings ? rv->findings[0].f->id : "";
}

static void text_header(FILE *fp, const struct watch_view *v)
{
	const struct report_view *rv = v->rv;
	char when[32] = "-";
	time_t t = (time_t)v->time_unix;
	struct tm tm;

	if (v->time_unix && localtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(fp, "-- %s  #%llu  %s%s%s  refresh %.1f ms  ", when, (unsigned long long)v->refreshes,
		v->host, v->netns[0] ? "  netns " : "", v->netns, v->cost_s * 1e3);
	if (!rv || rv->verdict.healthy)
		fputs("verdict: healthy\n", fp);
	else
		fprintf(fp, "verdict: %s (%s) %s\n", verdict_severity_name(rv->verdict.severity),
			verdict_side_name(rv->verdict.side), finding0_id(rv));
}

static void text_listener(FILE *fp, const struct watch_listener *r, bool netns)
{
	char proc[40] = "?", drops[16] = "-", total[16] = "-";

	if (r->comm[0]) {
		char esc[sizeof(r->comm) * 4 + 1];

		snprintf(proc, sizeof(proc), "%s[%u]", text_escape(esc, sizeof(esc), r->comm), r->pid);
	}
	if (r->drops_known)
		snprintf(drops, sizeof(drops), "%.1f", r->drops_per_s);
	if (r->has_drops)
		snprintf(total, sizeof(total), "%u", r->drops);
	if (netns)
		fprintf(fp, "  %-16.16s", r->netns);
	if (!r->present) {
		fprintf(fp, "  %-28s %-20s gone\n", r->endpoint, proc);
		return;
	}
	fprintf(fp, "  %-28s %-20s %6u %6u %5.0f%% %5.0f%% %8s %8s %8u\n", r->endpoint, proc, r->rq,
		r->wq, r->fill_pct, r->peak_fill_pct, total, drops, r->syn_recv);
}

int watch_batch_text(FILE *fp, const struct watch_view *v, struct strbuf *err)
{
	text_header(fp, v);
	if (v->all_netns)
		fprintf(fp, "  %-16s", "NETNS");
	fprintf(fp, "  %-28s %-20s %6s %6s %6s %6s %8s %8s %8s\n", "LISTENER", "PROCESS", "RECV-Q",
		"SEND-Q", "FILL", "PEAK", "DROPS", "DROPS/S", "SYN-RECV");
	for (unsigned i = 0; i < v->n_rows; i++)
		text_listener(fp, &v->rows[i], v->all_netns);
	if (!v->n_rows)
		fputs(v->filtered ? "  (no listener matches)\n" : "  (no listener)\n", fp);
	if (v->all_netns)
		fprintf(fp, "  (%u namespaces, %u not sampled; states and rates: %s)\n", v->n_netns,
			v->netns_past, v->pane_netns);
	fputs("  states", fp);
	for (unsigned i = 0; i < v->n_states; i++) {
		const struct watch_state *s = &v->states[i];

		if (s->n || (s->delta_known && s->delta))
			fprintf(fp, "  %s %llu (%+lld)", s->name, (unsigned long long)s->n,
				(long long)(s->delta_known ? s->delta : 0));
	}
	fputs(v->have_states ? "\n  rates/s" : " (no socket list)\n  rates/s", fp);
	for (unsigned i = 0; i < v->n_counters; i++) {
		const struct watch_counter *c = &v->counters[i];

		if (c->known)
			fprintf(fp, "  %s %.1f", c->label, c->per_s);
		else
			fprintf(fp, "  %s -", c->label);
	}
	fputc('\n', fp);
	for (unsigned i = 0; v->all_netns && v->rv && i < v->rv->n_findings; i++) {
		const struct finding *f = v->rv->findings[i].f;
		char esc[sizeof(f->subject) * 4 + 1];

		fprintf(fp, "  %s %s %s\n", verdict_severity_name(f->severity), f->id,
			text_escape(esc, sizeof(esc), f->subject));
	}
	if (fflush(fp) || ferror(fp))
		return error_set(err, "cannot write: %s", strerror(errno));
	return 0;
}

static void json_listener(struct json_writer *w, const struct watch_listener *r)
{
	json_obj_begin(w);
	json_kv_cstr(w, "endpoint", r->endpoint);
	json_kv_u64(w, "port", r->port);
	json_key(w, "process");
	r->comm[0] ? json_cstr(w, r->comm) : json_null(w);
	json_key(w, "pid");
	r->pid ? json_u64(w, r->pid) : json_null(w);
	json_kv_bool(w, "present", r->present);
	json_kv_u64(w, "recv_q", r->rq);
	json_kv_u64(w, "send_q", r->wq);
	json_kv_double(w, "fill_pct", r->fill_pct);
	json_kv_double(w, "peak_fill_pct", r->peak_fill_pct);
	json_key(w, "drops");
	r->has_drops ? json_u64(w, r->drops) : json_null(w);
	json_key(w, "drops_per_s");
	r->drops_known ? json_double(w, r->drops_per_s) : json_null(w);
	json_kv_u64(w, "syn_recv", r->syn_recv);
	json_obj_end(w);
}

/* What every NDJSON object opens with, one namespace or all. */
static void json_head(struct json_writer *w, const struct watch_view *v)
{
	json_obj_begin(w);
	json_kv_u64(w, "schema_version", 1);
	json_kv_i64(w, "time_unix", v->time_unix);
	json_kv_u64(w, "refresh", v->refreshes);
	json_kv_double(w, "interval_s", v->interval_s);
	json_kv_double(w, "cost_s", v->cost_s);
	json_kv_cstr(w, "host", v->host);
	json_kv_cstr(w, "kernel", v->kernel);
}

static void json_verdict(struct json_writer *w, const struct watch_view *v)
{
	const struct report_view *rv = v->rv;

	json_kv_obj_begin(w, "verdict");
	json_kv_bool(w, "healthy", !rv || rv->verdict.healthy);
	json_kv_cstr(w, "severity", verdict_severity_name(rv ? rv->verdict.severity : SEV_INFO));
	json_kv_cstr(w, "side", verdict_side_name(rv ? rv->verdict.side : SIDE_NONE));
	json_obj_end(w);
	json_kv_u64(w, "samples_judged", v->judged);
	json_kv_arr_begin(w, "findings");
	for (unsigned i = 0; rv && i < rv->n_findings; i++) {
		const struct finding *f = rv->findings[i].f;

		json_obj_begin(w);
		json_kv_cstr(w, "id", f->id);
		json_kv_cstr(w, "severity", verdict_severity_name(f->severity));
		json_kv_cstr(w, "side", verdict_side_name(f->side));
		json_kv_cstr(w, "subject", f->subject);
		json_obj_end(w);
	}
	json_arr_end(w);
}

static void json_states_counters(struct json_writer *w, const struct watch_view *v)
{
	json_key(w, "states");
	if (!v->have_states) {
		json_null(w);
	} else {
		json_obj_begin(w);
		for (unsigned i = 0; i < v->n_states; i++) {
			json_kv_obj_begin(w, v->states[i].name);
			json_kv_u64(w, "count", v->states[i].n);
			json_key(w, "change");
			v->states[i].delta_known ? json_i64(w, v->states[i].delta) : json_null(w);
			json_obj_end(w);
		}
		json_obj_end(w);
	}
	json_kv_obj_begin(w, "counter_rates");
	for (unsigned i = 0; i < v->n_counters; i++) {
		json_key(w, v->counters[i].name);
		v->counters[i].known ? json_double(w, v->counters[i].per_s) : json_null(w);
	}
	json_obj_end(w);
}

int watch_batch_json(FILE *fp, const struct watch_view *v, struct strbuf *err)
{
	struct json_writer w;

	json_writer_init(&w, fp, 0);
	json_head(&w, v);
	json_kv_cstr(&w, "netns", v->netns);
	json_verdict(&w, v);
	json_kv_bool(&w, "filtered", v->filtered);
	json_kv_u64(&w, "listeners_tracked", v->n_tracked);
	json_kv_u64(&w, "listeners_untracked", v->untracked);
	json_kv_arr_begin(&w, "listeners");
	for (unsigned i = 0; i < v->n_rows; i++)
		json_listener(&w, &v->rows[i]);
	json_arr_end(&w);
	json_states_counters(&w, v);
	json_obj_end(&w);
	if (json_writer_finish(&w, err))   /* ends the line */
		return -1;
	if (fflush(fp) || ferror(fp))
		return error_set(err, "cannot write: %s", strerror(errno));
	return 0;
}

/* The subject without the "[LABEL] " the merged set gave it. */
static const char *subject_own(const char *s)
{
	const char *p = s[0] == '[' ? strstr(s, "] ") : NULL;

	return p ? p + 2 : s;
}

static void json_ns_findings(struct json_writer *w, uint64_t ino, const struct findings *all,
			     const uint64_t *finding_ino)
{
	enum severity worst = SEV_INFO;
	enum side side = SIDE_NONE;
	unsigned n = 0;

	json_kv_arr_begin(w, "findings");
	for (unsigned i = 0; i < all->n; i++) {
		const struct finding *f = &all->f[i];

		if (finding_ino[i] != ino)
			continue;
		json_obj_begin(w);
		json_kv_cstr(w, "id", f->id);
		json_kv_cstr(w, "severity", verdict_severity_name(f->severity));
		json_kv_cstr(w, "side", verdict_side_name(f->side));
		json_kv_cstr(w, "subject", subject_own(f->subject));
		json_obj_end(w);
		if (!n++ || f->severity > worst) {
			worst = f->severity;
			side = f->side;
		}
	}
	json_arr_end(w);
	json_kv_obj_begin(w, "verdict");
	json_kv_bool(w, "healthy", !n);
	json_kv_cstr(w, "severity", verdict_severity_name(worst));
	json_kv_cstr(w, "side", verdict_side_name(side));
	json_obj_end(w);
}

static void json_namespace(struct json_writer *w, const struct watch_ns_src *ns,
			   const struct watch_view *nv, const struct findings *all,
			   const uint64_t *finding_ino)
{
	json_obj_begin(w);
	json_kv_u64(w, "inode", ns->inode);
	json_kv_cstr(w, "owner", ns->label);
	json_kv_cstr(w, "run_in", ns->run_in ? ns->run_in : "");
	json_ns_findings(w, ns->inode, all, finding_ino);
	json_kv_u64(w, "listeners_tracked", nv->n_tracked);
	json_kv_u64(w, "listeners_untracked", nv->untracked);
	json_kv_arr_begin(w, "listeners");
	for (unsigned k = 0; k < nv->n_rows; k++)
		json_listener(w, &nv->rows[k]);
	json_arr_end(w);
	json_states_counters(w, nv);
	json_obj_end(w);
}

int watch_batch_json_allns(FILE *fp, const struct watch_view *v, const struct watch_ns_src *ns,
			   unsigned n, struct watch_view *scratch, const struct watch_view_opts *o,
			   const struct findings *all, const uint64_t *finding_ino,
			   struct strbuf *err)
{
	struct json_writer w;

	json_writer_init(&w, fp, 0);
	json_head(&w, v);
	json_kv_bool(&w, "all_netns", true);
	json_verdict(&w, v);
	json_kv_bool(&w, "filtered", v->filtered);
	json_kv_u64(&w, "namespaces_past_limit", v->netns_past);
	json_kv_arr_begin(&w, "namespaces");
	for (unsigned i = 0; i < n; i++) {
		if (!ns[i].t || !trace_last(ns[i].t))
			continue;
		watch_view_build(scratch, ns[i].t, NULL, o);
		json_namespace(&w, &ns[i], scratch, all, finding_ino);
	}
	json_arr_end(&w);
	json_obj_end(&w);
	if (json_writer_finish(&w, err))
		return -1;
	if (fflush(fp) || ferror(fp))
		return error_set(err, "cannot write: %s", strerror(errno));
	return 0;
}
