// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_no_listener, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	ck_assert_uint_lt(strlen(x->fixed_when), FINDING_TEXT - 1);
}

START_TEST(listener__no_port_no_finding)
{
	struct fx *f = fx_new(2, 1.0);

	f->opts.symptom = SYMPTOM_REFUSED;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	f->opts.port = 70000;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(listener__missing_port_exact_text)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	snprintf(f->s[2]->meta.netns, sizeof(f->s[2]->meta.netns), "net:[4026531840]");
	fx_listener(f, 2, "0.0.0.0", 9090, 0, 4096);   /* another port */
	f->opts.port = 8080;
	run(f);
	x = fx_find(f, "no-listener");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->subject, "port 8080");
	ck_assert_str_eq(x->evidence[0], "ss -ltn 'sport = :8080': no listener in 3 of 3 samples");
	ck_assert_str_eq(x->evidence[1], "network namespace looked at: net:[4026531840]");
	ck_assert_str_eq(x->verify_command, "ss -ltn 'sport = :8080'");
	ck_assert_ptr_nonnull(strstr(x->explanation, "a container has its own"));
	ck_assert_uint_eq(x->n_changes, 0);
	text_fits(x);
	f->opts.symptom = SYMPTOM_REFUSED;
	run(f);
	ck_assert_int_eq(fx_find(f, "no-listener")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(listener__gone_during_run_says_restarting)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	fx_listener(f, 0, "0.0.0.0", 8080, 0, 4096);
	f->opts.port = 8080;
	run(f);
	x = fx_find(f, "no-listener");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->evidence[0],
			 "ss -ltn 'sport = :8080': no listener in the last sample; listening in 1 of 3 samples");
	ck_assert_ptr_nonnull(strstr(x->explanation, "restarting"));
	/* Back in the last sample: nothing to say. */
	fx_listener(f, 2, "0.0.0.0", 8080, 0, 4096);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(listener__loopback_only)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;
	struct s_listener *l;
	struct s_proc *p;

	p = sample_proc(f->s[0], 812, "redis-server");
	l = fx_listener(f, 0, "127.0.0.1", 6379, 0, 511);
	l->owner = 0;
	fx_listener(f, 0, "::1", 6379, 0, 511);
	(void)p;
	f->opts.port = 6379;
	run(f);
	x = fx_find(f, "listener-loopback-only");
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_null(fx_find(f, "no-listener"));
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->evidence[0], "ss -ltn 'sport = :6379': only loopback: 127.0.0.1:6379, [::1]:6379");
	ck_assert_str_eq(x->evidence[1], "ss -ltnp 'sport = :6379': owned by redis-server[812]");
	text_fits(x);

	f->opts.symptom = SYMPTOM_REFUSED;
	run(f);
	x = fx_find(f, "listener-loopback-only");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "bind address of the service on port 6379");
	ck_assert_str_eq(x->changes[0].current, "127.0.0.1");
	ck_assert_str_eq(x->changes[0].backout,
			 "set the bind address back to 127.0.0.1 in the service's configuration and restart it");
	fx_free(f);
}
END_TEST

START_TEST(listener__public_or_any_is_silent)
{
	struct fx *f = fx_new(1, 1.0);

	f->opts.port = 6379;
	f->opts.symptom = SYMPTOM_REFUSED;
	fx_listener(f, 0, "127.0.0.1", 6379, 0, 511);
	fx_listener(f, 0, "10.0.0.5", 6379, 0, 511);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	f->s[0]->n_listeners = 0;
	fx_listener(f, 0, "::", 6379, 0, 511);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	f->s[0]->n_listeners = 0;
	fx_listener(f, 0, "0.0.0.0", 6379, 0, 511);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(listener__truncated_listener_list_is_not_loopback_only)
{
	struct fx *f = fx_new(1, 1.0);

	f->opts.port = 6379;
	fx_listener(f, 0, "127.0.0.1", 6379, 0, 511);
	f->s[0]->listeners_dropped = 3;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	/* Listening per the bitmap but the entry was dropped: no guess. */
	f->s[0]->n_listeners = 0;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_listener");
	TCase *tc = tcase_create("listener");

	tcase_add_test(tc, listener__no_port_no_finding);
	tcase_add_test(tc, listener__missing_port_exact_text);
	tcase_add_test(tc, listener__gone_during_run_says_restarting);
	tcase_add_test(tc, listener__loopback_only);
	tcase_add_test(tc, listener__public_or_any_is_silent);
	tcase_add_test(tc, listener__truncated_listener_list_is_not_loopback_only);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
