// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet --all-netns` (triage_allns.h). Text:
 *
 *   sockvet triage --all-netns: HOST, kernel K, N network namespaces, at T
 *   (how each was sampled; which values are per namespace, which host-wide)
 *
 *   === netns INODE: LABEL ===           one section per namespace with a
 *   (that namespace's triage report)     warning or worse, in list order
 *
 *   === Host-wide (...) ===              host-wide findings, once
 *
 *   N namespaces healthy: LABEL, ...     the rest, folded into one line
 *   Not triaged: LABEL: why              skipped ones
 *
 * JSON: {"schema_version":1,"all_netns":true,"host","kernel","time_unix",
 * "samples","interval_s","scope":{"per_netns","host_wide"},
 * "namespaces":[{"netns":{"inode","name","owner","pid","comm",
 * "container","run_in"},"exit_status","report":{triage report}}],
 * "host_wide":{"verdict","findings"},"not_triaged":[{"netns","why"}],
 * "namespaces_past_limit","exit_status"}.
 */
#include "triage_allns.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "../collect/netns_list.h"
#include "../diagnose/finding_scope.h"
#include "../render/report.h"
#include "triage_run.h"

/* Healthy namespaces named on the folded line; the rest are counted. */
#define HEALTHY_NAMED 24

struct allns {
	const struct allns_opts *o;
	struct netns_list l;
	int *status;              /* per entry: its exit status, -1 not triaged */
	struct findings *hw;      /* host-wide findings, once each */
	struct report_view *view; /* one, reused */
	struct json_writer w;
	unsigned triaged;
};

static void json_netns(struct json_writer *w, const struct netns_entry *e)
{
	char buf[NETNS_LABEL_MAX];

	json_kv_obj_begin(w, "netns");
	json_kv_u64(w, "inode", e->ino);
	json_kv_cstr(w, "name", e->name);
	json_kv_cstr(w, "owner", netns_label(e, buf, sizeof(buf)));
	json_kv_u64(w, "pid", (uint64_t)e->pid);
	json_kv_cstr(w, "comm", e->comm);
	json_kv_cstr(w, "container", e->container);
	json_kv_cstr(w, "run_in", netns_run_name(e, buf, sizeof(buf)));
	json_obj_end(w);
}

/* The namespace's section: all of them in JSON, those with findings in text. */
static int render_one(struct allns *a, const struct netns_entry *e, int st, struct strbuf *err)
{
	char label[NETNS_LABEL_MAX];

	if (a->o->json) {
		json_obj_begin(&a->w);
		json_netns(&a->w, e);
		json_kv_u64(&a->w, "exit_status", (uint64_t)st);
		json_key(&a->w, "report");
		report_json_write(&a->w, a->view);
		json_obj_end(&a->w);
		return json_writer_flush(&a->w) ? error_set(err, "cannot write the report") : 0;
	}
	if (st == SV_EXIT_OK)
		return 0;
	printf("\n=== netns %llu: %s ===\n", (unsigned long long)e->ino,
	       netns_label(e, label, sizeof(label)));
	if (report_text(stdout, a->view, a->o->color, err))
		return -1;
	return fflush(stdout) ? error_set(err, "cannot write the report: %s", strerror(errno)) : 0;
}

/* netns_each's callback: one namespace's samples, findings and section. */
static int triage_one(struct netns_entry *e, void *ctx, struct strbuf *err)
{
	struct allns *a = ctx;
	const struct allns_opts *o = a->o;
	struct strbuf why = STRBUF_INIT;
	struct triage_run t;
	char run_in[NETNS_LABEL_MAX];
	int st, ret = 0;

	memset(&t, 0, sizeof(t));
	t.o = o->f->o;
	t.samples = o->samples;
	t.interval = o->interval;
	if (triage_run(&t, &why)) {
		snprintf(e->skipped, sizeof(e->skipped), "cannot triage: %s", why.buf);
		goto out;
	}
	findings_take_host_wide(t.fs, a->hw);
	st = triage_exit_status(t.fs);
	if (report_view_build(a->view, &t.ser, t.fs, &o->f->o, o->f->text, &why) ||
	    report_view_set_netns(a->view, netns_run_name(e, run_in, sizeof(run_in)), &why)) {
		snprintf(e->skipped, sizeof(e->skipped), "cannot report: %s", why.buf);
		goto out;
	}
	report_view_set_trace(a->view, t.trace);
	a->status[e - a->l.e] = st;
	a->triaged++;
	ret = render_one(a, e, st, err);
out:
	triage_run_release(&t);
	strbuf_release(&why);
	return ret;
}

static void print_header(const struct allns *a, const struct utsname *u, time_t now)
{
	const struct allns_opts *o = a->o;
	char when[32], line[1024], apart[32] = "";
	struct tm tm;

	if (!gmtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		snprintf(when, sizeof(when), "an unknown time");
	printf("sockvet triage --all-netns: %s, kernel %s, %u network namespaces, at %s\n",
	       u->nodename, u->release, a->l.n, when);
	if (o->samples > 1)
		snprintf(apart, sizeof(apart), ", %.1f s apart", o->interval);
	snprintf(line, sizeof(line), "Each namespace is triaged on its own (%u sample%s%s%s%s); "
		 "sections follow for those with a warning or worse.", o->samples,
		 o->samples == 1 ? "" : "s", apart, o->f->text[0] ? "; focus: " : "", o->f->text);
	report_text_wrap(stdout, line, 0);
	snprintf(line, sizeof(line), "Per namespace: %s.", findings_scope_per_netns);
	report_text_wrap(stdout, line, 0);
	snprintf(line, sizeof(line), "Host-wide, reported once under Host-wide: %s.",
		 findings_scope_host);
	report_text_wrap(stdout, line, 0);
}

/* The folded healthy line, the skipped ones, the ones past the bound. */
static void print_tail(const struct allns *a)
{
	char line[1024], label[NETNS_LABEL_MAX];
	unsigned healthy = 0, named = 0;
	size_t at;

	for (unsigned i = 0; i < a->l.n; i++)
		healthy += a->status[i] == SV_EXIT_OK;
	at = (size_t)snprintf(line, sizeof(line), "%u namespace%s healthy%s", healthy,
			      healthy == 1 ? "" : "s", healthy ? ":" : ".");
	for (unsigned i = 0; i < a->l.n && healthy; i++) {
		if (a->status[i] != SV_EXIT_OK || named++ >= HEALTHY_NAMED)
			continue;
		at += (size_t)snprintf(line + at, sizeof(line) - at, "%s %s",
				       named > 1 ? "," : "", netns_label(&a->l.e[i], label, sizeof(label)));
		if (at >= sizeof(line))
			break;
	}
	if (named > HEALTHY_NAMED && at < sizeof(line))
		snprintf(line + at, sizeof(line) - at, ", and %u more", named - HEALTHY_NAMED);
	putchar('\n');
	report_text_wrap(stdout, line, 0);
	for (unsigned i = 0; i < a->l.n; i++) {
		const struct netns_entry *e = &a->l.e[i];

		if (a->status[i] < 0)
			printf("Not triaged: %s: %s\n", netns_label(e, label, sizeof(label)),
			       e->skipped[0] ? e->skipped : "not reached");
	}
	if (a->l.dropped)
		printf("%u more namespaces past the limit of %u: not triaged\n", a->l.dropped,
		       NETNS_MAX);
}

static void json_begin(struct allns *a, const struct utsname *u, time_t now)
{
	json_writer_init(&a->w, stdout, a->o->pretty ? JSON_PRETTY : 0);
	json_obj_begin(&a->w);
	json_kv_u64(&a->w, "schema_version", 1);
	json_kv_bool(&a->w, "all_netns", true);
	json_kv_cstr(&a->w, "host", u->nodename);
	json_kv_cstr(&a->w, "kernel", u->release);
	json_kv_i64(&a->w, "time_unix", (int64_t)now);
	json_kv_u64(&a->w, "samples", a->o->samples);
	json_kv_double(&a->w, "interval_s", a->o->samples > 1 ? a->o->interval : 0);
	json_kv_obj_begin(&a->w, "scope");
	json_kv_cstr(&a->w, "per_netns", findings_scope_per_netns);
	json_kv_cstr(&a->w, "host_wide", findings_scope_host);
	json_obj_end(&a->w);
	json_kv_arr_begin(&a->w, "namespaces");
}

static int json_end(struct allns *a, int code, struct strbuf *err)
{
	struct json_writer *w = &a->w;

	json_arr_end(w);
	json_kv_obj_begin(w, "host_wide");
	report_json_write_findings(w, a->view);
	json_obj_end(w);
	json_kv_arr_begin(w, "not_triaged");
	for (unsigned i = 0; i < a->l.n; i++) {
		if (a->status[i] >= 0)
			continue;
		json_obj_begin(w);
		json_netns(w, &a->l.e[i]);
		json_kv_cstr(w, "why", a->l.e[i].skipped[0] ? a->l.e[i].skipped : "not reached");
		json_obj_end(w);
	}
	json_arr_end(w);
	json_kv_u64(w, "namespaces_past_limit", a->l.dropped);
	json_kv_u64(w, "exit_status", (uint64_t)code);
	json_obj_end(w);
	return json_writer_finish(w, err);
}

/* The host-wide findings' part (text), into the view; their exit status. */
static int host_wide(struct allns *a, struct strbuf *err)
{
	report_view_build_findings(a->view, a->hw);
	if (a->o->json)
		return 0;
	printf("\n=== Host-wide (the same in every namespace, reported once) ===\n");
	if (!a->hw->n) {
		printf("  nothing host-wide was found.\n");
		return 0;
	}
	return report_text_findings(stdout, a->view, a->o->color, err);
}

static int exit_code(const struct allns *a)
{
	int worst = triage_exit_status(a->hw);

	if (!a->triaged)
		return SV_EXIT_FAILED;
	for (unsigned i = 0; i < a->l.n; i++)
		if (a->status[i] > worst)
			worst = a->status[i];
	return worst;
}

static int run(struct allns *a, struct strbuf *err)
{
	struct utsname u;
	time_t now = time(NULL);
	int code;

	if (netns_list_scan(&a->l, "/proc", NETNS_RUN_DIR_DEFAULT, err))
		return -1;
	a->status = malloc((a->l.n ? a->l.n : 1) * sizeof(*a->status));
	a->hw = calloc(1, sizeof(*a->hw));
	a->view = malloc(sizeof(*a->view));
	if (!a->status || !a->hw || !a->view)
		return error_set(err, "out of memory");
	for (unsigned i = 0; i < a->l.n; i++)
		a->status[i] = -1;
	if (uname(&u))
		memset(&u, 0, sizeof(u));
	if (a->o->json)
		json_begin(a, &u, now);
	else
		print_header(a, &u, now);
	if (netns_each(&a->l, triage_one, a, err) || host_wide(a, err))
		return -1;
	code = exit_code(a);
	if (a->o->json) {
		if (json_end(a, code, err))
			return -1;
	} else {
		print_tail(a);
	}
	if (fflush(stdout))
		return error_set(err, "cannot write the report: %s", strerror(errno));
	return code;
}

int triage_all_netns(const struct allns_opts *o)
{
	struct strbuf err = STRBUF_INIT;
	struct allns a;
	int ret;

	if (geteuid() != 0)
		return cmd_fail(SV_EXIT_FAILED, "--all-netns needs root (it enters every "
				"network namespace with setns)");
	memset(&a, 0, sizeof(a));
	a.o = o;
	ret = run(&a, &err);
	if (ret < 0)
		ret = cmd_fail(SV_EXIT_FAILED, "cannot triage every namespace: %s",
			       err.len ? err.buf : "failed");
	free(a.status);
	free(a.hw);
	free(a.view);
	netns_list_free(&a.l);
	strbuf_release(&err);
	return ret;
}
