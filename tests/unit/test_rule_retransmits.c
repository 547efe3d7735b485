// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static void rise(struct fx *f, const char *name, uint64_t d)
{
	fx_mib(f, 0, name, 5000);
	fx_mib(f, f->ser.n - 1, name, 5000 + d);
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_retransmits, &f->ser, &f->opts, &f->out);
}

/* The finding with this side, or NULL. */
static const struct finding *by_side(const struct fx *f, enum side side)
{
	for (unsigned i = 0; i < f->out.n; i++)
		if (f->out.f[i].side == side)
			return &f->out.f[i];
	return NULL;
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	ck_assert_uint_lt(strlen(x->verify_command), FINDING_TEXT - 1);
}

START_TEST(retrans__ratio_thresholds)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	rise(f, "TcpOutSegs", 10000);
	rise(f, "TcpRetransSegs", 100);     /* exactly 1%: not above */
	run(f);
	ck_assert_ptr_null(fx_find(f, "retransmits"));
	rise(f, "TcpRetransSegs", 101);
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	rise(f, "TcpRetransSegs", 500);     /* 5%: not above */
	run(f);
	ck_assert_int_eq(fx_find(f, "retransmits")->severity, SEV_WARNING);
	rise(f, "TcpRetransSegs", 501);
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	text_fits(x);
	fx_free(f);
}
END_TEST

START_TEST(retrans__minimum_traffic)
{
	struct fx *f = fx_new(2, 1.0);

	rise(f, "TcpOutSegs", 999);
	rise(f, "TcpRetransSegs", 300);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	rise(f, "TcpOutSegs", 1000);
	run(f);
	ck_assert_ptr_nonnull(fx_find(f, "retransmits"));
	fx_free(f);
}
END_TEST

START_TEST(retrans__tail_loss_probes_are_not_loss)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	rise(f, "TcpOutSegs", 10000);
	rise(f, "TcpRetransSegs", 300);
	rise(f, "TcpExtTCPLossProbes", 250); /* 0.5% left */
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_ptr_nonnull(strstr(x->explanation, "tail loss probes"));
	ck_assert_str_eq(x->evidence[1],
			 "TcpExtTCPLossProbes rose by 250 in 1.0 s, tail loss probes, at most that many "
			 "of the retransmits; 0.50% without them (nstat -az TcpExtTCPLossProbes)");
	rise(f, "TcpExtTCPLossProbes", 150); /* 1.5% left: real loss */
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	fx_free(f);
}
END_TEST

START_TEST(retrans__exact_evidence)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	rise(f, "TcpOutSegs", 5000);
	rise(f, "TcpRetransSegs", 150);
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "host: 3.0% of segments retransmitted");
	ck_assert_str_eq(x->evidence[0],
			 "TcpRetransSegs rose by 150 and TcpOutSegs by 5,000 in 2.0 s, retransmits are "
			 "3.00% of segments sent (nstat -az TcpRetransSegs TcpOutSegs)");
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->verify_command, "nstat -az TcpRetransSegs TcpOutSegs"));
	fx_free(f);
}
END_TEST

START_TEST(retrans__syn_retrans_with_accept_overflow_is_app)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	rise(f, "TcpOutSegs", 2000);
	rise(f, "TcpRetransSegs", 100);
	rise(f, "TcpExtTCPSynRetrans", 80);
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_int_eq(x->side, SIDE_NETWORK);
	ck_assert_ptr_nonnull(strstr(x->explanation, "handshakes are lost"));
	rise(f, "TcpExtListenOverflows", 40);
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_ptr_nonnull(strstr(x->explanation, "accept-queue-overflow"));
	/* Overflows but SYNs a minority: bulk loss stays the network's. */
	rise(f, "TcpExtTCPSynRetrans", 49);
	run(f);
	ck_assert_int_eq(fx_find(f, "retransmits")->side, SIDE_NETWORK);
	fx_free(f);
}
END_TEST

START_TEST(retrans__local_failure_is_kernel_side)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	rise(f, "TcpOutSegs", 100);         /* too little traffic for the ratio */
	rise(f, "TcpRetransSegs", 20);
	rise(f, "TcpExtTCPRetransFail", 0);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	rise(f, "TcpExtTCPRetransFail", 7);
	run(f);
	ck_assert_uint_eq(f->out.n, 1);
	x = by_side(f, SIDE_KERNEL);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->evidence[0],
			 "TcpExtTCPRetransFail rose by 7 and TcpRetransSegs by 20 in 1.0 s "
			 "(nstat -az TcpExtTCPRetransFail TcpRetransSegs)");
	/* With real loss too, both findings. */
	rise(f, "TcpOutSegs", 1000);
	run(f);
	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_ptr_nonnull(by_side(f, SIDE_NETWORK));
	fx_free(f);
}
END_TEST

START_TEST(retrans__one_sample)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	fx_mib(f, 0, "TcpOutSegs", 1000000);
	fx_mib(f, 0, "TcpRetransSegs", 900000);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	f->opts.symptom = SYMPTOM_SLOW;
	run(f);
	x = fx_find(f, "retransmits");
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_retransmits");
	TCase *tc = tcase_create("retransmits");

	tcase_add_test(tc, retrans__ratio_thresholds);
	tcase_add_test(tc, retrans__minimum_traffic);
	tcase_add_test(tc, retrans__tail_loss_probes_are_not_loss);
	tcase_add_test(tc, retrans__exact_evidence);
	tcase_add_test(tc, retrans__syn_retrans_with_accept_overflow_is_app);
	tcase_add_test(tc, retrans__local_failure_is_kernel_side);
	tcase_add_test(tc, retrans__one_sample);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
