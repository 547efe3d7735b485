// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "receiver-window-limited"
#define MS 1000ull

/* Connection 10.0.0.1:5000 -> 10.0.0.2:41234 in sample i with these
 * cumulative busy / rwnd_limited times (µs) and peer window. */
static struct s_conn *conn_at(struct fx *f, unsigned i, uint64_t cookie, uint64_t busy,
			      uint64_t rwnd, uint32_t wnd)
{
	struct s_conn *c = fx_conn(f, i, cookie, "10.0.0.1", 5000, "10.0.0.2", 41234, true);

	c->busy_us = busy;
	c->rwnd_limited_us = rwnd;
	c->has_snd_wnd = true;
	c->snd_wnd = wnd;
	c->rtt_us = 20000;
	c->snd_mss = 1448;
	c->wq = 2621440;
	return c;
}

/* The same connection in every sample: busy and rwnd grow linearly from
 * 10 s / 5 s of history by the per-sample steps given. */
static void conn3(struct fx *f, uint64_t busy_step, uint64_t rwnd_step, const uint32_t wnd[3])
{
	for (unsigned i = 0; i < 3; i++)
		conn_at(f, i, 42, 10000 * MS + i * busy_step, 5000 * MS + i * rwnd_step, wnd[i]);
}

static void run(struct fx *f)
{
	rule_run(&rule_receiver_window_limited, &f->ser, &f->opts, &f->out);
}

/* Whether conn3 with these steps gives a finding. */
static bool fires3(uint64_t busy_step, uint64_t rwnd_step, const uint32_t wnd[3])
{
	struct fx *f = fx_new(3, 1.0);

	conn3(f, busy_step, rwnd_step, wnd);
	return fx_fires(f, &rule_receiver_window_limited, ID);
}

static const uint32_t open_wnd[3] = { 1048576, 1048576, 1000000 };

START_TEST(rw__share_at_threshold_fires_below_does_not)
{
	/* 500 of 1000 ms per step: 50 %. */
	ck_assert(fires3(1000 * MS, 500 * MS, open_wnd));
	ck_assert(!fires3(1000 * MS, 490 * MS, open_wnd));
}
END_TEST

START_TEST(rw__busy_below_minimum_is_quiet)
{
	/* 99 % limited but only 96 ms busy over the window (48 ms a step). */
	ck_assert(!fires3(48 * MS, 47 * MS, open_wnd));
	ck_assert(fires3(50 * MS, 49 * MS, open_wnd));
}
END_TEST

START_TEST(rw__judged_on_delta_not_history)
{
	/* 90 % rwnd-limited in its past, not at all now. */
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++)
		conn_at(f, i, 42, 10000 * MS + i * 1000 * MS, 9000 * MS, 1048576);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(rw__closed_every_sample_is_peer_app_critical)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t closed[3] = { 0, 0, 0 };
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, closed);
	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->conns[0].backoff = 4;
		f->s[i]->conns[0].notsent_bytes = 2621440;
	}
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "application on 10.0.0.2"));
	fx_free(f);
}
END_TEST

START_TEST(rw__closed_once_is_warning_and_fires_without_share)
{
	/* Not limited over the window (30 %), but closed with data waiting now:
	 * zero-window probing just started. */
	struct fx *f = fx_new(3, 1.0);
	const uint32_t wnd[3] = { 1048576, 1048576, 0 };
	const struct finding *x;

	conn3(f, 1000 * MS, 300 * MS, wnd);
	f->s[2]->conns[0].notsent_bytes = 65536;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	fx_free(f);

	/* Closed but nothing to send and no probes: not limiting anything. */
	f = fx_new(3, 1.0);
	conn3(f, 1000 * MS, 300 * MS, wnd);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(rw__steady_open_window_is_receiver_buffer_kernel)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, open_wnd);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 1);
	/* 2 x 2 x 1048576 = 4 MiB exactly. */
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_rmem on 10.0.0.2");
	ck_assert_str_eq(x->changes[0].current,
			 "unknown (read it on the receiver: sysctl net.ipv4.tcp_rmem)");
	ck_assert_str_eq(x->changes[0].proposed, "max >= 4194304 (keep min and default)");
	ck_assert_str_eq(x->changes[0].backout,
			 "on 10.0.0.2: sysctl -w net.ipv4.tcp_rmem='MIN DEFAULT MAX' with the three values read before the change");
	ck_assert_str_eq(x->verify_command, "ss -tin dst 10.0.0.2:41234");
	fx_free(f);
}
END_TEST

START_TEST(rw__proposal_rounds_up_to_mib)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t wnd[3] = { 1048577, 1048577, 1048577 };
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, wnd);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->changes[0].proposed, "max >= 5242880 (keep min and default)");
	fx_free(f);
}
END_TEST

START_TEST(rw__unscaled_window_no_rmem_change)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t wnd[3] = { 65535, 65535, 65535 };
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, wnd);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "window scaling"));
	fx_free(f);
}
END_TEST

START_TEST(rw__swinging_window_blames_no_side)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t wnd[3] = { 1048576, 200000, 900000 };
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, wnd);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(rw__probing_with_open_window_is_not_buffer)
{
	/* backoff on an open window is RTO backoff, not a small buffer. */
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	conn3(f, 1000 * MS, 990 * MS, open_wnd);
	f->s[1]->conns[0].backoff = 2;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_ne(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(rw__one_sample_uses_life_and_proposes_nothing)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	conn_at(f, 0, 42, 2000 * MS, 1980 * MS, 1048576);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_int_ne(x->side, SIDE_KERNEL);
	ck_assert_str_eq(x->evidence[0],
			 "ss -tin 'src 10.0.0.1:5000 and dst 10.0.0.2:41234': rwnd_limited 1980 ms of busy 2000 ms (99%) over the connection's life");
	ck_assert(fx_has_text(x, "no trend confirmed"));
	fx_free(f);

	/* Closed window in one sample: app side, but not critical. */
	f = fx_new(1, 1.0);
	conn_at(f, 0, 42, 2000 * MS, 1980 * MS, 0)->backoff = 3;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(rw__connection_seen_once_in_series_no_trend)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	/* Another connection in the first samples, ours only in the last. */
	conn_at(f, 0, 7, 0, 0, 1048576);
	conn_at(f, 1, 7, 0, 0, 1048576);
	conn_at(f, 2, 42, 2000 * MS, 1980 * MS, 1048576);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_int_ne(x->side, SIDE_KERNEL);
	ck_assert(fx_has_text(x, "over the connection's life"));
	fx_free(f);
}
END_TEST

START_TEST(rw__evidence_text_exact)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t closed[3] = { 0, 0, 0 };
	const struct finding *x;
	struct s_proc *p;

	conn3(f, 1000 * MS, 990 * MS, closed);
	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->conns[0].backoff = 4;
		f->s[i]->conns[0].notsent_bytes = 2621440;
	}
	p = sample_proc(f->s[2], 812, "iperf3");
	ck_assert_ptr_nonnull(p);
	f->s[2]->conns[0].owner = 0;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "connection 10.0.0.1:5000 -> 10.0.0.2:41234");
	ck_assert_uint_eq(x->n_evidence, 2);
	ck_assert_str_eq(x->evidence[0],
			 "ss -tin 'src 10.0.0.1:5000 and dst 10.0.0.2:41234': rwnd_limited 1980 ms of busy 2000 ms (99%) in 2.0 s");
	ck_assert_str_eq(x->evidence[1],
			 "snd_wnd:0 backoff:4 notsent:2621440 Send-Q 2621440 (window closed in 3 of 3 samples); process iperf3[812]");
	fx_free(f);
}
END_TEST

START_TEST(rw__no_info_ignored)
{
	struct fx *f = fx_new(3, 1.0);

	conn3(f, 1000 * MS, 990 * MS, open_wnd);
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->conns[0].has_info = false;
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(rw__many_connections_one_finding_top_three)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	/* Five clients of our port 5000 (a listening port): one service. */
	for (unsigned i = 0; i < 3; i++) {
		fx_listener(f, i, "0.0.0.0", 5000, 0, 4096);
		for (unsigned k = 0; k < 5; k++) {
			struct s_conn *c = conn_at(f, i, 100 + k, 10000 * MS + i * 1000 * MS,
						   i * (900 + 10 * k) * MS, 1048576);

			c->dport = (uint16_t)(41000 + k);
		}
	}
	run(f);
	ck_assert_uint_eq(f->out.n, 1);
	x = fx_find(f, ID);
	/* The worst (k = 4, 94 %) leads. */
	ck_assert_str_eq(x->subject, "connection 10.0.0.1:5000 -> 10.0.0.2:41004");
	ck_assert_uint_eq(x->n_evidence, 7);
	ck_assert_str_eq(x->evidence[6], "2 more connections of the same service show the same (not listed)");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_rwnd_limited");
	TCase *t = tcase_create("core");

	tcase_add_test(t, rw__share_at_threshold_fires_below_does_not);
	tcase_add_test(t, rw__busy_below_minimum_is_quiet);
	tcase_add_test(t, rw__judged_on_delta_not_history);
	tcase_add_test(t, rw__closed_every_sample_is_peer_app_critical);
	tcase_add_test(t, rw__closed_once_is_warning_and_fires_without_share);
	tcase_add_test(t, rw__steady_open_window_is_receiver_buffer_kernel);
	tcase_add_test(t, rw__proposal_rounds_up_to_mib);
	tcase_add_test(t, rw__unscaled_window_no_rmem_change);
	tcase_add_test(t, rw__swinging_window_blames_no_side);
	tcase_add_test(t, rw__probing_with_open_window_is_not_buffer);
	tcase_add_test(t, rw__one_sample_uses_life_and_proposes_nothing);
	tcase_add_test(t, rw__connection_seen_once_in_series_no_trend);
	tcase_add_test(t, rw__evidence_text_exact);
	tcase_add_test(t, rw__no_info_ignored);
	tcase_add_test(t, rw__many_connections_one_finding_top_three);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
