// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static void fw2(struct fx *f, unsigned i, uint16_t port, uint32_t n)
{
	f->s[i]->tally.by_state[TBL_TCP][SS_FIN_WAIT2] += n;
	f->s[i]->fin_wait2_by_port[port] += n;
}

static struct fx *run(unsigned n, const uint32_t *v)
{
	struct fx *f = fx_new(n, 1.0);

	for (unsigned i = 0; i < n; i++)
		fw2(f, i, 443, v[i]);
	rule_run(&rule_fin_wait_2_pile, &f->ser, &f->opts, &f->out);
	return f;
}

START_TEST(fw2__report_minimum_both_sides)
{
	const uint32_t small[3] = { 199, 199, 199 }, at[3] = { 200, 200, 200 };
	struct fx *f = run(3, small);

	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
	f = run(3, at);
	ck_assert_uint_eq(f->out.n, 1);
	/* Small: ordinary closing traffic, leave it. */
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NONE);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "nothing to do"));
	fx_free(f);
}
END_TEST

START_TEST(fw2__warning_needs_every_sample)
{
	const uint32_t steady[3] = { 1000, 1000, 1000 }, dip[3] = { 1500, 999, 1500 };
	struct fx *f = run(3, steady);

	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NETWORK);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "fix the peer or the path"));
	fx_free(f);
	/* Big now but not in every sample: the peer side is named, not warned. */
	f = run(3, dip);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NETWORK);
	fx_free(f);
}
END_TEST

START_TEST(fw2__one_sample)
{
	const uint32_t big[1] = { 5000 };
	struct fx *f = run(1, big);

	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NETWORK);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "One sample only"));
	ck_assert_str_eq(f->out.f[0].evidence[0], "ss -tan state fin-wait-2: 5,000 (one sample)");
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(fw2__fin_timeout_is_explained_not_proposed)
{
	const uint32_t v[3] = { 2000, 2100, 2200 };
	struct fx *f = run(3, v);
	const struct finding *x = &f->out.f[0];

	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->explanation,
				     "net.ipv4.tcp_fin_timeout (60 s here) limits only ORPHANED FIN-WAIT-2"));
	ck_assert_ptr_nonnull(strstr(x->explanation, "(shutdown() without close()) ignores it"));
	ck_assert_str_eq(x->evidence[2], "sysctl net.ipv4.tcp_fin_timeout: 60");
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	fx_free(f);
}
END_TEST

START_TEST(fw2__ports_named_exactly)
{
	struct fx *f = fx_new(2, 1.0);

	for (unsigned i = 0; i < 2; i++) {
		fw2(f, i, 443, 1400);
		fw2(f, i, 8443, 150);            /* 8%: not worth a line */
		for (uint16_t p = 0; p < 100; p++)  /* client side, one per port */
			fw2(f, i, (uint16_t)(50000 + p), 1);
	}
	fx_listener(f, 1, "0.0.0.0", 443, 0, 4096);
	rule_run(&rule_fin_wait_2_pile, &f->ser, &f->opts, &f->out);
	ck_assert_str_eq(f->out.f[0].evidence[0],
			 "ss -tan state fin-wait-2: 1,650 -> 1,650 in 2 samples over 1.0 s");
	ck_assert_str_eq(f->out.f[0].evidence[1],
			 "ss -tan state fin-wait-2 'sport = :443': 1,400 in the last sample "
			 "(a listening port: this host closed first as the server)");
	ck_assert_str_eq(f->out.f[0].evidence[2], "sysctl net.ipv4.tcp_fin_timeout: 60");
	ck_assert_uint_eq(f->out.f[0].n_evidence, 3);
	ck_assert_str_eq(f->out.f[0].verify_command, "ss -tano state fin-wait-2 'sport = :443'");
	fx_free(f);

	/* Spread over client ports: nothing to filter on. */
	f = fx_new(2, 1.0);
	for (unsigned i = 0; i < 2; i++)
		for (uint16_t p = 0; p < 1200; p++)
			fw2(f, i, (uint16_t)(40000 + p), 1);
	rule_run(&rule_fin_wait_2_pile, &f->ser, &f->opts, &f->out);
	ck_assert_str_eq(f->out.f[0].verify_command, "ss -tano state fin-wait-2");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_fin_wait_2");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fw2__report_minimum_both_sides);
	tcase_add_test(tc, fw2__warning_needs_every_sample);
	tcase_add_test(tc, fw2__one_sample);
	tcase_add_test(tc, fw2__fin_timeout_is_explained_not_proposed);
	tcase_add_test(tc, fw2__ports_named_exactly);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
