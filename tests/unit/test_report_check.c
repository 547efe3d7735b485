// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * `sockvet check`'s output (src/render/report_check.c): the Monitoring
 * Plugins range syntax in every form, thresholds given as NAME=RANGE
 * lists, the state a view earns (thresholds, findings, unknown gauges)
 * and the status line with perfdata, word for word.
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/render/report_check.h"

static struct check_range range_of(const char *s)
{
	struct check_range r;
	struct strbuf err = STRBUF_INIT;

	ck_assert_msg(check_range_parse(&r, s, &err) == 0, "%s: %s", s, err.buf);
	strbuf_release(&err);
	return r;
}

static bool range_bad(const char *s)
{
	struct check_range r;
	struct strbuf err = STRBUF_INIT;
	bool bad = check_range_parse(&r, s, &err) < 0 && strstr(err.buf, "bad range");

	strbuf_release(&err);
	return bad;
}

/* "10": alert outside 0..10. */
START_TEST(range__plain_is_zero_to_n)
{
	struct check_range r = range_of("10");

	ck_assert(check_range_alert(&r, 10.5));
	ck_assert(check_range_alert(&r, -0.1));
	ck_assert(!check_range_alert(&r, 10));
	ck_assert(!check_range_alert(&r, 0));
	ck_assert(!check_range_alert(&r, 5));
	ck_assert_str_eq(r.text, "10");
}
END_TEST

/* "10:": alert below 10; "~:10": alert above 10, never below. */
START_TEST(range__open_ends)
{
	struct check_range lo = range_of("10:"), hi = range_of("~:10");

	ck_assert(check_range_alert(&lo, 9.99));
	ck_assert(!check_range_alert(&lo, 10));
	ck_assert(!check_range_alert(&lo, 1e9));
	ck_assert(check_range_alert(&hi, 10.01));
	ck_assert(!check_range_alert(&hi, 10));
	ck_assert(!check_range_alert(&hi, -1e9));
}
END_TEST

/* "10:20" alerts outside, "@10:20" inside, both ends included. */
START_TEST(range__between_and_inside)
{
	struct check_range out = range_of("10:20"), in = range_of("@10:20");

	ck_assert(check_range_alert(&out, 9));
	ck_assert(check_range_alert(&out, 21));
	ck_assert(!check_range_alert(&out, 10));
	ck_assert(!check_range_alert(&out, 20));
	ck_assert(check_range_alert(&in, 10));
	ck_assert(check_range_alert(&in, 20));
	ck_assert(check_range_alert(&in, 15));
	ck_assert(!check_range_alert(&in, 9.9));
	ck_assert(!check_range_alert(&in, 20.1));
	/* Fractions and negative ends. */
	ck_assert(check_range_alert(&(struct check_range){ 0 }, 1) == false);
	ck_assert(!check_range_alert(&(struct check_range){ .set = false }, 1e9));
	{
		struct check_range neg = range_of("-5:0.5");

		ck_assert(!check_range_alert(&neg, -5));
		ck_assert(check_range_alert(&neg, 0.6));
	}
}
END_TEST

START_TEST(range__bad_forms_rejected)
{
	ck_assert(range_bad(""));
	ck_assert(range_bad("abc"));
	ck_assert(range_bad("20:10"));    /* start above end */
	ck_assert(range_bad("@"));
	ck_assert(range_bad("10:x"));
	ck_assert(range_bad("~"));
	ck_assert(range_bad("1:2:3"));
	ck_assert(range_bad("0x10"));
	ck_assert(range_bad("inf"));
	ck_assert(range_bad("nan:"));
	ck_assert(range_bad("10%"));
	ck_assert(range_bad("0123456789012345678901234567890123456789012345678901"));
}
END_TEST

START_TEST(spec__lists_set_each_metric)
{
	struct check_spec c;
	struct strbuf err = STRBUF_INIT;

	check_spec_init(&c);
	ck_assert_str_eq(c.warn[GAUGE_LISTENER_FILL].text, "80");
	ck_assert_str_eq(c.crit[GAUGE_FDS].text, "95");
	ck_assert_int_eq(check_spec_thresholds(&c, false, "fill=50,ports=@10:20", &err), 0);
	ck_assert_int_eq(check_spec_thresholds(&c, true, "close_wait=5:", &err), 0);
	ck_assert_str_eq(c.warn[GAUGE_LISTENER_FILL].text, "50");
	ck_assert(c.warn[GAUGE_PORTS].inside);
	ck_assert_str_eq(c.crit[GAUGE_CLOSE_WAIT].text, "5:");
	ck_assert_str_eq(c.crit[GAUGE_LISTENER_FILL].text, "100");   /* untouched */
	ck_assert_int_eq(check_spec_skip(&c, "fds,drops", &err), 0);
	ck_assert(c.skip[GAUGE_FDS] && c.skip[GAUGE_ACCEPT_DROPS] && !c.skip[GAUGE_PORTS]);
	ck_assert_int_lt(check_spec_thresholds(&c, false, "fil=80", &err), 0);
	ck_assert_ptr_nonnull(strstr(err.buf, "unknown metric 'fil'"));
	strbuf_reset(&err);
	ck_assert_int_lt(check_spec_thresholds(&c, false, "fill", &err), 0);
	ck_assert_int_lt(check_spec_thresholds(&c, false, "fill=80,", &err), 0);
	ck_assert_int_lt(check_spec_thresholds(&c, true, "fill=90:80", &err), 0);
	ck_assert_int_lt(check_spec_skip(&c, "fds,", &err), 0);
	strbuf_release(&err);
}
END_TEST

/* Two samples 2 s apart: a full listener, 20 overflows, some CLOSE-WAIT,
 * one busy destination, one process near its fd limit. */
static struct fx *busy_host(void)
{
	struct fx *f = fx_new(2, 2.0);

	for (unsigned i = 0; i < 2; i++) {
		struct sample *s = f->s[i];
		struct s_dest *d = &s->dests[s->n_dests++];
		struct s_proc *p = sample_proc(s, 812, "nginx");

		fx_listener(f, i, "0.0.0.0", 8080, i ? 129 : 40, 128);
		fx_listener(f, i, "127.0.0.1", 9000, 1, 4);
		fx_mib(f, i, "TcpExtListenOverflows", i ? 120 : 100);
		s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] = 150;
		memset(d, 0, sizeof(*d));
		d->family = AF_INET;
		inet_pton(AF_INET, "10.0.0.1", d->saddr);
		inet_pton(AF_INET, "10.0.0.5", d->daddr);
		d->dport = 5432;
		d->total = 14116;   /* half of 32768..60999 */
		p->fds = 900;
		p->has_limit = true;
		p->nofile_soft = 1024;
		p->nofile_hard = 4096;
	}
	return f;
}

static struct report_view *view_of(struct fx *f)
{
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(v);
	ck_assert_msg(report_view_build(v, &f->ser, &f->out, &f->opts, NULL, &err) == 0, "%s", err.buf);
	strbuf_release(&err);
	return v;
}

static char *check_text(const struct report_view *v, const struct check_spec *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	struct strbuf err = STRBUF_INIT;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(report_check(fp, v, c, &err), 0);
	fclose(fp);
	strbuf_release(&err);
	return buf;
}

START_TEST(gauges__the_worst_of_each)
{
	struct fx *f = busy_host();
	struct report_view *v = view_of(f);
	const struct report_gauge *g = v->gauges;

	ck_assert(g[GAUGE_LISTENER_FILL].have);
	ck_assert_double_eq_tol(g[GAUGE_LISTENER_FILL].value, 129 * 100.0 / 128, 1e-9);
	ck_assert_str_eq(g[GAUGE_LISTENER_FILL].what, "0.0.0.0:8080 Recv-Q 129 Send-Q 128");
	ck_assert_double_eq_tol(g[GAUGE_ACCEPT_DROPS].value, 10.0, 1e-9);
	ck_assert_double_eq(g[GAUGE_CLOSE_WAIT].value, 150);
	ck_assert_double_eq_tol(g[GAUGE_PORTS].value, 50.0, 1e-9);
	ck_assert_double_eq_tol(g[GAUGE_FDS].value, 900 * 100.0 / 1024, 1e-9);
	ck_assert_str_eq(g[GAUGE_FDS].what, "nginx[812] 900 of 1024 fds");
	free(v);
	fx_free(f);
}
END_TEST

START_TEST(golden__critical_line_with_perfdata)
{
	struct fx *f = busy_host();
	struct report_view *v;
	struct check_spec c;
	char *out;

	f->out.f[0].id = "accept-queue-overflow";
	f->out.f[0].severity = SEV_CRITICAL;
	f->out.f[0].side = SIDE_APP;
	snprintf(f->out.f[0].subject, sizeof(f->out.f[0].subject), "listener 0.0.0.0:8080");
	f->out.n = 1;
	v = view_of(f);
	check_spec_init(&c);
	ck_assert_int_eq(report_check_state(v, &c), CHECK_CRITICAL);
	out = check_text(v, &c);
	ck_assert_str_eq(out,
		"SOCKVET CRITICAL - fill 100.78% CRITICAL (0.0.0.0:8080 Recv-Q 129 Send-Q 128), "
		"drops 10/s CRITICAL (TcpExtListenOverflows +20 in 2.0 s), "
		"close_wait 150 WARNING (150 CLOSE-WAIT), "
		"fds 87.89% WARNING (nginx[812] 900 of 1024 fds); "
		"1 critical finding: accept-queue-overflow (app)"
		" | fill=100.78%;80;100;0 drops=10;0;1;0 close_wait=150;100;1000;0 ports=50%;70;90;0"
		" fds=87.89%;80;95;0\n"
		"fill: 100.78%, 0.0.0.0:8080 Recv-Q 129 Send-Q 128\n"
		"drops: 10/s, TcpExtListenOverflows +20 in 2.0 s\n"
		"close_wait: 150, 150 CLOSE-WAIT\n"
		"ports: 50%, 10.0.0.5:5432 from 10.0.0.1 14116 of 28232 ports\n"
		"fds: 87.89%, nginx[812] 900 of 1024 fds\n"
		"critical accept-queue-overflow (app): listener 0.0.0.0:8080\n");
	free(out);
	free(v);
	fx_free(f);
}
END_TEST

/* Within every threshold and no finding: OK, with every value. */
START_TEST(golden__ok_line)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	struct check_spec c;
	char *out;

	for (unsigned i = 0; i < 2; i++) {
		fx_listener(f, i, "::", 443, 2, 511);
		fx_mib(f, i, "TcpExtListenOverflows", 7);
		sample_proc(f->s[i], 1, "init");
	}
	v = view_of(f);
	check_spec_init(&c);
	out = check_text(v, &c);
	ck_assert_str_eq(out,
		"SOCKVET OK - fill 0.39%, drops 0/s, close_wait 0, ports 0%, fds 0%; healthy"
		" | fill=0.39%;80;100;0 drops=0;0;1;0 close_wait=0;100;1000;0 ports=0%;70;90;0"
		" fds=0%;80;95;0\n"
		"fill: 0.39%, [::]:443 Recv-Q 2 Send-Q 511\n"
		"drops: 0/s, TcpExtListenOverflows +0 in 1.0 s\n"
		"close_wait: 0, 0 CLOSE-WAIT\n"
		"ports: 0%, no outgoing connection\n"
		"fds: 0%, no socket-owning process with a known fd limit\n");
	ck_assert_int_eq(report_check_state(v, &c), CHECK_OK);
	free(out);
	free(v);
	fx_free(f);
}
END_TEST

/*
 * A gauge that could not be read is UNKNOWN with its reason and U in
 * the perfdata; a measured CRITICAL still outranks it; --skip drops it.
 */
START_TEST(state__unknown_gauge_and_its_rank)
{
	struct fx *f = fx_new(1, 1.0);
	struct report_view *v;
	struct check_spec c;
	char *out;

	fx_listener(f, 0, "0.0.0.0", 80, 0, 128);
	sample_unavailable(f->s[0], "process owners", "not root: only your own processes");
	v = view_of(f);
	check_spec_init(&c);
	ck_assert_int_eq(report_check_state(v, &c), CHECK_UNKNOWN);
	out = check_text(v, &c);
	ck_assert_msg(!strncmp(out, "SOCKVET UNKNOWN - drops unknown (one sample: a rate needs two), "
			       "fds unknown (process owners: not root: only your own processes); healthy | ",
			       strlen("SOCKVET UNKNOWN - drops unknown (one sample: a rate needs two), "
				      "fds unknown (process owners: not root: only your own processes); healthy | ")),
		      "%s", out);
	ck_assert_ptr_nonnull(strstr(out, " drops=U;0;1;0 "));
	ck_assert_ptr_nonnull(strstr(out, " fds=U;80;95;0\n"));
	free(out);
	/* Skipped: judged no more, and its thresholds leave the perfdata. */
	ck_assert_int_eq(check_spec_skip(&c, "drops,fds", &(struct strbuf)STRBUF_INIT), 0);
	ck_assert_int_eq(report_check_state(v, &c), CHECK_OK);
	out = check_text(v, &c);
	ck_assert_ptr_nonnull(strstr(out, " fds=U;;;0\n"));
	free(out);
	/* A measured problem outranks the unknown. */
	check_spec_init(&c);
	ck_assert_int_eq(check_spec_thresholds(&c, true, "fill=@0:0", &(struct strbuf)STRBUF_INIT), 0);
	ck_assert_int_eq(report_check_state(v, &c), CHECK_CRITICAL);
	free(v);
	fx_free(f);
}
END_TEST

/* Findings count unless --no-findings; info findings never do. */
START_TEST(state__findings_and_no_findings)
{
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v;
	struct check_spec c;

	f->out.f[0].id = "tcp-memory-pressure";
	f->out.f[0].severity = SEV_WARNING;
	f->out.f[0].side = SIDE_KERNEL;
	f->out.f[1].id = "time-wait-pile";
	f->out.f[1].severity = SEV_INFO;
	f->out.n = 2;
	v = view_of(f);
	check_spec_init(&c);
	c.skip[GAUGE_ACCEPT_DROPS] = true;   /* the fixture has no counters */
	ck_assert_int_eq(report_check_state(v, &c), CHECK_WARNING);
	c.thresholds_only = true;
	ck_assert_int_eq(report_check_state(v, &c), CHECK_OK);
	free(v);
	f->out.f[0].severity = SEV_INFO;
	c.thresholds_only = false;
	v = view_of(f);
	ck_assert_int_eq(report_check_state(v, &c), CHECK_OK);
	free(v);
	fx_free(f);
}
END_TEST

/* '|' would start the perfdata early: never in the text. */
START_TEST(golden__no_pipe_before_perfdata)
{
	struct fx *f = fx_new(1, 1.0);
	struct report_view *v;
	struct check_spec c;
	char *out, *bar;

	sample_unavailable(f->s[0], "process owners", "a|b");
	v = view_of(f);
	check_spec_init(&c);
	out = check_text(v, &c);
	bar = strchr(out, '|');
	ck_assert_ptr_nonnull(bar);
	ck_assert_ptr_nonnull(strstr(out, "a/b"));
	ck_assert_ptr_eq(strchr(bar + 1, '|'), NULL);
	free(out);
	free(v);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report_check");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, range__plain_is_zero_to_n);
	tcase_add_test(tc, range__open_ends);
	tcase_add_test(tc, range__between_and_inside);
	tcase_add_test(tc, range__bad_forms_rejected);
	tcase_add_test(tc, spec__lists_set_each_metric);
	tcase_add_test(tc, gauges__the_worst_of_each);
	tcase_add_test(tc, golden__critical_line_with_perfdata);
	tcase_add_test(tc, golden__ok_line);
	tcase_add_test(tc, state__unknown_gauge_and_its_rank);
	tcase_add_test(tc, state__findings_and_no_findings);
	tcase_add_test(tc, golden__no_pipe_before_perfdata);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
