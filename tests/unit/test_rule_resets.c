// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

/* Counter from 1000 in the first sample to 1000 + d in the last. */
static void rise(struct fx *f, const char *name, uint64_t d)
{
	fx_mib(f, 0, name, 1000);
	fx_mib(f, f->ser.n - 1, name, 1000 + d);
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_connection_resets, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	ck_assert_uint_lt(strlen(x->verify_command), FINDING_TEXT - 1);
}

START_TEST(resets__rate_thresholds)
{
	struct fx *f = fx_new(3, 1.0);      /* span 2 s */
	const struct finding *x;

	rise(f, "TcpEstabResets", 9);       /* 4.5/s */
	run(f);
	ck_assert_ptr_null(fx_find(f, "connection-resets"));
	rise(f, "TcpEstabResets", 10);      /* 5/s */
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	rise(f, "TcpEstabResets", 99);      /* 49.5/s */
	run(f);
	ck_assert_int_eq(fx_find(f, "connection-resets")->severity, SEV_WARNING);
	rise(f, "TcpEstabResets", 100);     /* 50/s */
	run(f);
	ck_assert_int_eq(fx_find(f, "connection-resets")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(resets__tiny_share_of_busy_host_is_silent)
{
	struct fx *f = fx_new(2, 1.0);

	rise(f, "TcpEstabResets", 20);
	rise(f, "TcpActiveOpens", 1000);
	rise(f, "TcpPassiveOpens", 1001);   /* 20 < 1% of 2001 */
	run(f);
	ck_assert_ptr_null(fx_find(f, "connection-resets"));
	rise(f, "TcpPassiveOpens", 1000);   /* 20 = 1% of 2000 */
	run(f);
	ck_assert_ptr_nonnull(fx_find(f, "connection-resets"));
	/* Stateless RSTs answer connections that never opened: no share test. */
	rise(f, "TcpEstabResets", 0);
	rise(f, "TcpOutRsts", 20);
	rise(f, "TcpPassiveOpens", 100000);
	run(f);
	ck_assert_int_eq(fx_find(f, "connection-resets")->side, SIDE_APP);
	fx_free(f);
}
END_TEST

START_TEST(resets__side_follows_dominant_cause)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	/* Our app closing with unread data: RSTs sent and counted as estab resets. */
	rise(f, "TcpExtTCPAbortOnClose", 40);
	rise(f, "TcpOutRsts", 40);
	rise(f, "TcpEstabResets", 45);
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->subject, "host: local applications aborting connections");
	ck_assert_ptr_nonnull(strstr(x->explanation, "close() with received data still unread"));

	/* Timeouts dominate. */
	rise(f, "TcpExtTCPAbortOnClose", 0);
	rise(f, "TcpOutRsts", 0);
	rise(f, "TcpExtTCPAbortOnTimeout", 30);
	rise(f, "TcpEstabResets", 30);
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert_ptr_nonnull(strstr(x->subject, "retransmission limit"));

	/* Peer resets: estab resets our counters do not explain. */
	rise(f, "TcpExtTCPAbortOnTimeout", 0);
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert_str_eq(x->subject, "host: resets received from peers");

	/* Failed connects. */
	rise(f, "TcpEstabResets", 0);
	rise(f, "TcpAttemptFails", 12);
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert_str_eq(x->subject, "host: failed connection attempts");
	fx_free(f);
}
END_TEST

START_TEST(resets__exact_evidence)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	rise(f, "TcpOutRsts", 300);
	rise(f, "TcpAttemptFails", 0);
	rise(f, "TcpPassiveOpens", 10);
	rise(f, "TcpActiveOpens", 0);
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_evidence, 2);
	ck_assert_str_eq(x->evidence[0], "TcpOutRsts rose by 300 in 2.0 s, 150.0/s (nstat -az TcpOutRsts)");
	ck_assert_str_eq(x->evidence[1],
			 "TcpActiveOpens + TcpPassiveOpens rose by 10 in 2.0 s, 5.0/s "
			 "(nstat -az TcpActiveOpens TcpPassiveOpens)");
	ck_assert_uint_eq(x->n_changes, 0);
	text_fits(x);
	fx_free(f);
}
END_TEST

START_TEST(resets__one_sample)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	fx_mib(f, 0, "TcpEstabResets", 1000000);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	f->opts.symptom = SYMPTOM_RESET;
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(resets__counter_reset_is_not_a_spike)
{
	struct fx *f = fx_new(2, 1.0);

	/* A recreated netns restarts its counters: smaller is not negative. */
	fx_mib(f, 0, "TcpEstabResets", 5000);
	fx_mib(f, 1, "TcpEstabResets", 3);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

/* Imported captures without times: a rise, never a rate from a guess. */
START_TEST(resets__time_unknown)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	f->ser.time_unknown = true;          /* as import_series leaves it */
	f->s[0]->meta.mono_ns = f->s[1]->meta.mono_ns = 0;
	rise(f, "TcpEstabResets", 100000);
	run(f);
	ck_assert_ptr_null(fx_find(f, "connection-resets"));
	f->opts.symptom = SYMPTOM_RESET;
	run(f);
	x = fx_find(f, "connection-resets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_ptr_nonnull(strstr(x->evidence[0], "time between captures unknown"));
	ck_assert(series_between_s(&f->ser, 0, 1) == 0);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_resets");
	TCase *tc = tcase_create("resets");

	tcase_add_test(tc, resets__rate_thresholds);
	tcase_add_test(tc, resets__tiny_share_of_busy_host_is_silent);
	tcase_add_test(tc, resets__side_follows_dominant_cause);
	tcase_add_test(tc, resets__exact_evidence);
	tcase_add_test(tc, resets__one_sample);
	tcase_add_test(tc, resets__time_unknown);
	tcase_add_test(tc, resets__counter_reset_is_not_a_spike);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
