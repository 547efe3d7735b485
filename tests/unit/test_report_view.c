// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report view (src/render/report_view.c) and the verdict
 * (src/diagnose/verdict.c): what every report format is given. A view
 * that picked the wrong listener rows, miscounted a state, showed a
 * drop delta the rule did not see, or a verdict that ranked findings
 * wrongly would show up here before any golden text.
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/diagnose/verdict.h"
#include "../../src/render/report.h"

static struct report_view *view_of(const struct fx *f, const char *focus_text)
{
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(v);
	ck_assert_msg(report_view_build(v, &f->ser, &f->out, &f->opts, focus_text, &err) == 0,
		      "report_view_build: %s", err.buf);
	strbuf_release(&err);
	return v;
}

static struct s_listener *listener_at(struct fx *f, unsigned i, const char *addr, uint16_t port,
				      uint32_t rq, uint32_t wq, uint32_t inode, uint32_t drops)
{
	struct s_listener *l = fx_listener(f, i, addr, port, rq, wq);

	l->inode = inode;
	l->has_drops = true;
	l->drops = drops;
	return l;
}

static const struct report_listener *row_for(const struct report_view *v, const char *endpoint)
{
	for (unsigned i = 0; i < v->n_listener_rows; i++)
		if (!strcmp(v->listener_rows[i].endpoint, endpoint))
			return &v->listener_rows[i];
	return NULL;
}

START_TEST(view__states_fold_new_syn_recv_and_skip_empty)
{
	struct fx *f = fx_new(1, 1.0);
	struct report_view *v;

	f->s[0]->tally.by_state[TBL_TCP][SS_ESTABLISHED] = 1200;
	f->s[0]->tally.by_state[TBL_TCP][SS_SYN_RECV] = 3;
	f->s[0]->tally.by_state[TBL_TCP][SS_NEW_SYN_RECV] = 4;
	f->s[0]->tally.by_state[TBL_TCP][SS_TIME_WAIT] = 50;
	f->s[0]->tally.by_state[TBL_UDP][SS_ESTABLISHED] = 999;  /* not TCP */
	v = view_of(f, NULL);

	ck_assert_uint_eq(v->tcp_total, 1257);
	ck_assert_uint_eq(v->n_states, 3);
	/* In SS_* order, as ss lists them; request sockets shown as SYN-RECV. */
	ck_assert_str_eq(v->states[0].name, sock_state_name(SS_ESTABLISHED));
	ck_assert_uint_eq(v->states[0].n, 1200);
	ck_assert_str_eq(v->states[1].name, sock_state_name(SS_SYN_RECV));
	ck_assert_uint_eq(v->states[1].n, 7);
	ck_assert_str_eq(v->states[2].name, sock_state_name(SS_TIME_WAIT));
	ck_assert_uint_eq(v->states[2].n, 50);
	ck_assert_str_eq(v->focus, "");
	ck_assert(!v->trend);
	ck_assert_uint_eq(v->n_counters, 0);
	free(v);
	fx_free(f);
}
END_TEST

/* Twelve listeners, two of them full: rows are capped, full ones first. */
START_TEST(view__listener_rows_full_first_and_capped)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	char addr[32];

	for (unsigned i = 0; i < 2; i++) {
		for (unsigned k = 0; k < 12; k++) {
			snprintf(addr, sizeof(addr), "10.0.0.%u", k + 1);
			listener_at(f, i, addr, 80, k == 7 || k == 11 ? 129 : 0, 128, 100 + k, 0);
		}
	}
	sample_proc(f->s[1], 812, "nginx");
	f->s[1]->listeners[11].owner = 0;
	f->s[1]->listeners_dropped = 5;
	v = view_of(f, "--port 80");

	ck_assert_uint_eq(v->n_listeners, 12);
	ck_assert_uint_eq(v->n_full_listeners, 2);
	ck_assert(v->listeners_cut);
	ck_assert_uint_eq(v->n_listener_rows, REPORT_LISTENER_ROWS);
	ck_assert_str_eq(v->listener_rows[0].endpoint, "10.0.0.8:80");
	ck_assert(v->listener_rows[0].full);
	ck_assert_ptr_null(v->listener_rows[0].owner);
	ck_assert_str_eq(v->listener_rows[1].endpoint, "10.0.0.12:80");
	ck_assert(v->listener_rows[1].full);
	ck_assert_ptr_nonnull(v->listener_rows[1].owner);
	ck_assert_str_eq(v->listener_rows[1].owner->comm, "nginx");
	ck_assert_str_eq(v->listener_rows[2].endpoint, "10.0.0.1:80");
	ck_assert(!v->listener_rows[2].full);
	/* The last not-full rows that did not fit are left out. */
	ck_assert_ptr_null(row_for(v, "10.0.0.10:80"));
	ck_assert_str_eq(v->focus, "--port 80");
	free(v);
	fx_free(f);
}
END_TEST

/*
 * The drop delta the report shows is the one the accept-queue rule
 * quotes, traced by identity: a listener that appeared mid-series counts
 * from its first sample, one whose counter went missing shows none, and
 * a new socket on the same port (another inode) is not the old one.
 */
START_TEST(view__listener_drops_are_the_rules)
{
	static const uint32_t d[3] = { 1000, 1210, 1450 };
	struct fx *f = fx_new(3, 1.0);
	const struct report_listener *r;
	const struct finding *aq;
	struct report_view *v;

	for (unsigned i = 0; i < 3; i++) {
		fx_mib(f, i, "TcpExtListenOverflows", d[i]);
		listener_at(f, i, "0.0.0.0", 8080, i ? 512 : 37, 511, 2001, d[i]);
		listener_at(f, i, "0.0.0.0", 9090, 0, 128, 3000 + (i == 2), 40 + i);
		listener_at(f, i, "0.0.0.0", 7070, 0, 128, 4001, 5 + 10 * i)->has_drops = i != 1;
		if (i)
			listener_at(f, i, "::", 6060, 0, 128, 5001, 10 * i);
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	v = view_of(f, NULL);

	ck_assert_ptr_nonnull(r = row_for(v, "0.0.0.0:8080"));
	ck_assert(r->full && r->drops_moved);
	ck_assert_uint_eq(r->drops, 450);
	ck_assert_ptr_nonnull(aq = fx_find(f, "accept-queue-overflow"));
	ck_assert_msg(fx_has_text(aq, "d1000 -> d1450 (+450 in"), "rule's evidence: %s", aq->evidence[1]);

	ck_assert_ptr_nonnull(r = row_for(v, "0.0.0.0:9090"));
	ck_assert(!r->drops_moved);
	ck_assert_ptr_nonnull(r = row_for(v, "0.0.0.0:7070"));
	ck_assert(!r->drops_moved);
	ck_assert_ptr_nonnull(r = row_for(v, "[::]:6060"));
	ck_assert(r->drops_moved);
	ck_assert_uint_eq(r->drops, 10);
	free(v);
	fx_free(f);
}
END_TEST

/* JSON gets every counter that moved in the sample's order; text the
 * watched ones in their own order, with rates over the real span. */
START_TEST(view__counters_moved_and_watched)
{
	struct fx *f = fx_new(3, 2.0);
	struct report_view *v;

	fx_mib(f, 0, "TcpRetransSegs", 100);
	fx_mib(f, 2, "TcpRetransSegs", 140);
	fx_mib(f, 0, "TcpExtListenOverflows", 7);
	fx_mib(f, 2, "TcpExtListenOverflows", 15);
	fx_mib(f, 0, "TcpActiveOpens", 1);
	fx_mib(f, 2, "TcpActiveOpens", 2);
	fx_mib(f, 0, "TcpOutRsts", 9);
	fx_mib(f, 2, "TcpOutRsts", 9);
	fx_mib(f, 2, "TcpEstabResets", 3);   /* not in the first sample: no delta */
	v = view_of(f, NULL);

	ck_assert(v->trend);
	ck_assert_double_eq_tol(v->span_s, 4.0, 1e-9);
	ck_assert_double_eq_tol(v->interval_s, 2.0, 1e-9);
	ck_assert_uint_eq(v->n_counters, 3);
	/* The sample keeps its counters sorted by name. */
	ck_assert_str_eq(v->counters[0].name, "TcpActiveOpens");
	ck_assert_str_eq(v->counters[1].name, "TcpExtListenOverflows");
	ck_assert_str_eq(v->counters[2].name, "TcpRetransSegs");
	ck_assert_uint_eq(v->n_watched, 2);
	ck_assert_str_eq(v->watched[0].name, "TcpExtListenOverflows");
	ck_assert_uint_eq(v->watched[0].delta, 8);
	ck_assert_double_eq_tol(v->watched[0].per_s, 2.0, 1e-9);
	ck_assert_str_eq(v->watched[1].name, "TcpRetransSegs");
	ck_assert_uint_eq(v->watched[1].delta, 40);
	free(v);
	fx_free(f);
}
END_TEST

START_TEST(view__conns_with_peer_and_owner)
{
	struct fx *f = fx_new(1, 1.0);
	struct report_view *v;
	struct s_conn *c;

	sample_proc(f->s[0], 4242, "curl");
	c = fx_conn(f, 0, 1, "10.0.0.1", 40000, "192.0.2.7", 443, true);
	c->owner = 0;
	c = fx_conn(f, 0, 2, "10.0.0.1", 40001, "192.0.2.7", 443, true);
	c->owner = 9;   /* out of range: unknown, never read */
	f->s[0]->conns_dropped = 1;
	f->opts.peer.set = true;
	f->opts.peer.family = AF_INET;
	inet_pton(AF_INET, "192.0.2.7", f->opts.peer.addr);
	f->opts.peer.port = 443;
	v = view_of(f, "--peer 192.0.2.7:443");

	ck_assert(v->have_conns && v->peer_set && v->conns_cut);
	ck_assert_str_eq(v->peer, "192.0.2.7:443");
	ck_assert_uint_eq(v->n_conns, 2);
	ck_assert_str_eq(v->conns[0].local, "10.0.0.1:40000");
	ck_assert_str_eq(v->conns[0].remote, "192.0.2.7:443");
	ck_assert_str_eq(v->conns[0].state, sock_state_name(SS_ESTABLISHED));
	ck_assert_ptr_eq(v->conns[0].c, &f->s[0]->conns[0]);
	ck_assert_str_eq(v->conns[0].owner->comm, "curl");
	ck_assert_ptr_null(v->conns[1].owner);
	free(v);
	fx_free(f);
}
END_TEST

/* A finding as a rule would leave it (rules make them through
 * rule_finding; the view only reads them). */
static struct finding *mk(struct findings *fs, const char *id, enum severity sev, enum side side)
{
	struct finding *x;

	ck_assert_uint_lt(fs->n, FINDINGS_MAX);
	x = &fs->f[fs->n++];
	memset(x, 0, sizeof(*x));
	x->id = id;
	x->severity = sev;
	x->side = side;
	return x;
}

static void add(struct findings *fs, const char *id, enum severity sev, enum side side)
{
	mk(fs, id, sev, side);
}

START_TEST(verdict__worst_and_names)
{
	struct findings *fs = calloc(1, sizeof(*fs));
	struct verdict v;

	verdict_of(fs, &v);
	ck_assert(v.healthy);
	ck_assert_str_eq(verdict_severity_word(&v), "healthy");
	ck_assert_str_eq(verdict_side_word(&v), "none");

	/* Info findings are notes, never a verdict. */
	add(fs, "a", SEV_INFO, SIDE_KERNEL);
	verdict_of(fs, &v);
	ck_assert(v.healthy);

	add(fs, "b", SEV_WARNING, SIDE_NETWORK);
	add(fs, "c", SEV_CRITICAL, SIDE_APP);
	add(fs, "d", SEV_CRITICAL, SIDE_KERNEL);  /* as bad, later: not the side */
	add(fs, "e", SEV_WARNING, SIDE_KERNEL);
	verdict_of(fs, &v);
	ck_assert(!v.healthy);
	ck_assert_int_eq(v.severity, SEV_CRITICAL);
	ck_assert_int_eq(v.side, SIDE_APP);
	ck_assert_str_eq(verdict_severity_word(&v), "critical");
	ck_assert_str_eq(verdict_side_word(&v), "app");

	ck_assert_str_eq(verdict_severity_name(SEV_INFO), "info");
	ck_assert_str_eq(verdict_severity_name(SEV_WARNING), "warning");
	ck_assert_str_eq(verdict_severity_name((enum severity)7), "?");
	ck_assert_str_eq(verdict_side_name(SIDE_NONE), "none");
	ck_assert_str_eq(verdict_side_name(SIDE_KERNEL), "kernel");
	ck_assert_str_eq(verdict_side_name(SIDE_NETWORK), "network");
	ck_assert_str_eq(verdict_side_name((enum side)9), "?");
	ck_assert_str_eq(verdict_side_label(SIDE_APP), "APP");
	ck_assert_str_eq(verdict_side_label(SIDE_NETWORK), "NETWORK");
	free(fs);
}
END_TEST

/* The view carries the verdict, and where the notes start. */
START_TEST(view__findings_verdict_and_notes)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	struct finding *x;

	add(&f->out, "w", SEV_WARNING, SIDE_APP);
	x = mk(&f->out, "w2", SEV_WARNING, SIDE_KERNEL);
	x->n_changes = 2;
	add(&f->out, "i1", SEV_INFO, SIDE_NONE);
	add(&f->out, "i2", SEV_INFO, SIDE_NONE);
	f->out.dropped = 3;
	v = view_of(f, NULL);

	ck_assert(!v->verdict.healthy);
	ck_assert_int_eq(v->verdict.severity, SEV_WARNING);
	ck_assert_int_eq(v->verdict.side, SIDE_APP);
	ck_assert_uint_eq(v->n_findings, 4);
	ck_assert_uint_eq(v->findings_dropped, 3);
	ck_assert_uint_eq(v->n_changes, 2);
	ck_assert(!v->findings[0].starts_notes && !v->findings[1].starts_notes);
	ck_assert(v->findings[2].starts_notes);
	ck_assert(!v->findings[3].starts_notes);
	ck_assert_str_eq(v->findings[2].f->id, "i1");
	free(v);

	/* Healthy: the info findings are the notes of "healthy", no header. */
	f->out.n = 0;
	add(&f->out, "i1", SEV_INFO, SIDE_NONE);
	v = view_of(f, NULL);
	ck_assert(v->verdict.healthy);
	ck_assert(!v->findings[0].starts_notes);
	free(v);
	fx_free(f);
}
END_TEST

/* Findings handed over out of severity order (an info the symptom put
 * first): the view shows the warning first and the info under the notes. */
START_TEST(view__notes_follow_severity_whatever_the_order)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;

	add(&f->out, "i1", SEV_INFO, SIDE_NONE);
	add(&f->out, "w", SEV_WARNING, SIDE_APP);
	add(&f->out, "i2", SEV_INFO, SIDE_NONE);
	add(&f->out, "c", SEV_CRITICAL, SIDE_KERNEL);
	v = view_of(f, NULL);
	ck_assert_uint_eq(v->n_findings, 4);
	ck_assert_str_eq(v->findings[0].f->id, "c");
	ck_assert_str_eq(v->findings[1].f->id, "w");
	ck_assert_str_eq(v->findings[2].f->id, "i1");
	ck_assert_str_eq(v->findings[3].f->id, "i2");
	ck_assert(!v->findings[0].starts_notes && !v->findings[1].starts_notes);
	ck_assert(v->findings[2].starts_notes && !v->findings[3].starts_notes);
	free(v);
	fx_free(f);
}
END_TEST

/* -N NAME: the commands a report tells the user to run, as run there. */
START_TEST(view__commands_run_in_the_named_netns)
{
	static const struct { const char *cmd, *ns, *want; } t[] = {
		{ "ss -ltnm 'sport = :8080'; nstat -az TcpExtListenOverflows", "lab",
		  "ip netns exec lab ss -ltnm 'sport = :8080'; ip netns exec lab nstat -az TcpExtListenOverflows" },
		{ "ss -Htn state syn-recv | wc -l", "lab", "ip netns exec lab ss -Htn state syn-recv | wc -l" },
		{ "ls /proc/812/fd | wc -l; grep 'open files' /proc/812/limits", "lab",
		  "ls /proc/812/fd | wc -l; grep 'open files' /proc/812/limits" },
		{ "sysctl -w net.core.somaxconn=4096", "lab",
		  "ip netns exec lab sysctl -w net.core.somaxconn=4096" },
		{ "nstat -az X; sleep 10; nstat -az X", "lab",
		  "ip netns exec lab nstat -az X; sleep 10; ip netns exec lab nstat -az X" },
		{ "sockvet --port 8080", "lab", "sockvet -N lab --port 8080" },
		{ "ss -tn 'dst = 10.0.0.1; x'", "lab", "ip netns exec lab ss -tn 'dst = 10.0.0.1; x'" },
		{ "ss -ltn", "/proc/42/ns/net", "nsenter --net=/proc/42/ns/net ss -ltn" },
		{ "ss -ltn; nstat -az", "", "ss -ltn; nstat -az" },
		{ "restart the app", "lab", "restart the app" },
	};
	char out[REPORT_CMD_MAX], tiny[8];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		report_command_in_netns(out, sizeof(out), t[i].cmd, t[i].ns);
		ck_assert_str_eq(out, t[i].want);
	}
	report_command_in_netns(tiny, sizeof(tiny), "ss -ltnm; nstat -az", "lab");
	ck_assert_str_eq(tiny, "ip netn");
}
END_TEST

/* The view rewrites every finding's verify command and back-outs. */
START_TEST(view__set_netns_rewrites_verify_and_backout)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	struct finding *x;
	struct strbuf err = STRBUF_INIT;
	char longname[REPORT_NETNS_NAME_MAX + 1];

	x = mk(&f->out, "w", SEV_WARNING, SIDE_KERNEL);
	snprintf(x->verify_command, sizeof(x->verify_command), "nstat -az TcpExtListenOverflows");
	x->n_changes = 1;
	snprintf(x->changes[0].backout, sizeof(x->changes[0].backout), "sysctl -w net.core.somaxconn=128");
	v = view_of(f, NULL);
	ck_assert_str_eq(v->netns_name, "");
	ck_assert_str_eq(v->findings[0].verify, "nstat -az TcpExtListenOverflows");
	ck_assert_int_eq(report_view_set_netns(v, "web", &err), 0);
	ck_assert_str_eq(v->netns_name, "web");
	ck_assert_str_eq(v->findings[0].verify, "ip netns exec web nstat -az TcpExtListenOverflows");
	ck_assert_str_eq(v->findings[0].backout[0], "ip netns exec web sysctl -w net.core.somaxconn=128");
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ck_assert_int_lt(report_view_set_netns(v, longname, &err), 0);
	strbuf_release(&err);
	free(v);
	fx_free(f);
}
END_TEST

/* The lab nests the report as a value in its own document: it must be a
 * proper member, not bytes spliced around the writer. */
START_TEST(view__json_nests_in_a_writer)
{
	struct fx *f = fx_new(1, 1.0);
	struct strbuf err = STRBUF_INIT;
	struct report_view *v;
	struct json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	snprintf(f->s[0]->meta.host, sizeof(f->s[0]->meta.host), "h");
	add(&f->out, "c", SEV_CRITICAL, SIDE_NETWORK);
	v = view_of(f, NULL);
	ck_assert_ptr_nonnull(fp);
	json_writer_init(&w, fp, 0);
	json_obj_begin(&w);
	json_kv_cstr(&w, "scenario", "x");
	json_key(&w, "report");
	report_json_write(&w, v);
	json_kv_bool(&w, "after", true);
	json_obj_end(&w);
	ck_assert_msg(json_writer_finish(&w, &err) == 0, "%s", err.buf);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_msg(!strncmp(buf, "{\"scenario\":\"x\",\"report\":{\"schema_version\":2,\"host\":\"h\",", 56),
		      "got: %s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\"verdict\":{\"side\":\"network\",\"severity\":\"critical\"}"));
	ck_assert_ptr_nonnull(strstr(buf, "\"unavailable\":[]},\"after\":true}\n"));
	free(buf);
	free(v);
	strbuf_release(&err);
	fx_free(f);
}
END_TEST

START_TEST(view__no_samples_is_an_error)
{
	struct report_view *v = malloc(sizeof(*v));
	struct findings fs = { 0 };
	struct series ser = { 0 };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(report_view_build(v, &ser, &fs, NULL, NULL, &err), 0);
	ck_assert(err.len > 0);
	strbuf_release(&err);
	free(v);
}
END_TEST

/* A capture with sockets only: the counter rules do not run, and the
 * report names the capture that would let them (never "0 retransmits"). */
START_TEST(view__rules_without_input_are_named_with_their_capture)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;
	bool found = false;

	for (unsigned i = 0; i < 2; i++)
		f->s[i]->have = HAVE_SOCKETS | HAVE_CONN_STATES;
	diagnose_run(&f->ser, &f->opts, &f->out);
	v = view_of(f, NULL);
	for (unsigned i = 0; i < v->n_not_run; i++)
		if (!strcmp(v->not_run[i].rule, "retransmits")) {
			found = true;
			ck_assert_uint_eq(v->not_run[i].n_needs, 1);
			ck_assert_str_eq(v->not_run[i].need_source[0], "nstat -az");
		}
	ck_assert(found);
	fp = open_memstream(&buf, &len);
	ck_assert_int_eq(report_text(fp, v, false, &err), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "Not checked (the input is missing; give it to check)"));
	ck_assert_ptr_nonnull(strstr(buf, "  retransmits: needs counters (nstat -az)"));
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	ck_assert_int_eq(report_json(fp, v, false, &err), 0);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(buf, "{\"rule\":\"retransmits\",\"needs\":[{\"what\":\"counters\",\"capture\":\"nstat -az\"}]}"));
	free(buf);
	free(v);
	strbuf_release(&err);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_view");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, view__states_fold_new_syn_recv_and_skip_empty);
	tcase_add_test(tc, view__listener_rows_full_first_and_capped);
	tcase_add_test(tc, view__listener_drops_are_the_rules);
	tcase_add_test(tc, view__counters_moved_and_watched);
	tcase_add_test(tc, view__conns_with_peer_and_owner);
	tcase_add_test(tc, verdict__worst_and_names);
	tcase_add_test(tc, view__findings_verdict_and_notes);
	tcase_add_test(tc, view__notes_follow_severity_whatever_the_order);
	tcase_add_test(tc, view__commands_run_in_the_named_netns);
	tcase_add_test(tc, view__set_netns_rewrites_verify_and_backout);
	tcase_add_test(tc, view__json_nests_in_a_writer);
	tcase_add_test(tc, view__no_samples_is_an_error);
	tcase_add_test(tc, view__rules_without_input_are_named_with_their_capture);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
