// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "app-limited"
#define MS 1000ull

/* The A4 signature: 1 KB every 50 ms, so ~20 KB/s acked, busy a few ms. */
static struct s_conn *conn_at(struct fx *f, unsigned i, uint64_t busy, uint64_t acked, bool peer)
{
	struct s_conn *c = fx_conn(f, i, 77, "10.0.0.1", 40000, "10.0.0.2", 8080, peer);

	c->busy_us = busy;
	c->bytes_acked = acked;
	c->bytes_received = 100;
	c->app_limited = true;
	c->delivery_rate = 20480;
	c->has_snd_wnd = true;
	c->snd_wnd = 65536;
	return c;
}

/* 3 samples 1 s apart; busy grows by busy_step µs per second. */
static void conn3(struct fx *f, uint64_t busy_step, bool peer)
{
	for (unsigned i = 0; i < 3; i++)
		conn_at(f, i, 500 * MS + i * busy_step, 100000 + i * 20480, peer);
}

static void run(struct fx *f)
{
	rule_run(&rule_app_limited, &f->ser, &f->opts, &f->out);
}

/* The idle --peer connection (conn3 at busy_step per second), for the
 * case to change one thing in the last sample before fires(). */
static struct fx *idle3(uint64_t busy_step)
{
	struct fx *f = fx_new(3, 1.0);

	conn3(f, busy_step, true);
	return f;
}

static struct s_conn *last_conn(struct fx *f)
{
	return &f->s[2]->conns[0];
}

static bool fires(struct fx *f)
{
	return fx_fires(f, &rule_app_limited, ID);
}

START_TEST(al__idle_peer_connection_is_info_app)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	conn3(f, 6 * MS, true);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(al__symptom_slow_makes_it_warning)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	f->opts.symptom = SYMPTOM_SLOW;
	conn3(f, 6 * MS, true);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	fx_free(f);
}
END_TEST

START_TEST(al__requires_peer)
{
	struct fx *f = fx_new(3, 1.0);

	f->opts.symptom = SYMPTOM_SLOW;
	conn3(f, 6 * MS, false);
	ck_assert(!fires(f));
}
END_TEST

START_TEST(al__busy_share_threshold_both_sides)
{
	/* 199 ms a second: 19.9 % busy, fires; 200 ms: 20 %, does not. */
	ck_assert(fires(idle3(199 * MS)));
	ck_assert(!fires(idle3(200 * MS)));
}
END_TEST

START_TEST(al__needs_app_limited_flag_and_nothing_queued)
{
	struct fx *f = idle3(6 * MS);

	last_conn(f)->app_limited = false;
	ck_assert(!fires(f));

	f = idle3(6 * MS);
	last_conn(f)->notsent_bytes = 1;
	ck_assert(!fires(f));

	/* Send-Q at the threshold passes, one byte more does not. */
	f = idle3(6 * MS);
	last_conn(f)->wq = 65536;
	ck_assert(fires(f));

	f = idle3(6 * MS);
	last_conn(f)->wq = 65537;
	ck_assert(!fires(f));
}
END_TEST

START_TEST(al__window_or_buffer_limited_is_not_app_limited)
{
	/* 100 ms busy a second, 10 % of it rwnd-limited: not ours. */
	struct fx *f = idle3(100 * MS);

	last_conn(f)->rwnd_limited_us = 20 * MS;
	ck_assert(!fires(f));

	f = idle3(100 * MS);
	last_conn(f)->sndbuf_limited_us = 19 * MS;  /* 9.5 % */
	ck_assert(fires(f));

	/* A closed peer window is the other rule's case. */
	f = idle3(6 * MS);
	last_conn(f)->snd_wnd = 0;
	ck_assert(!fires(f));
}
END_TEST

START_TEST(al__receiving_end_is_not_judged)
{
	/* We mostly receive (a download, or a client waiting on its answer):
	 * our app_limited flag says nothing about who is slow. */
	struct fx *f = fx_new(3, 1.0);

	conn3(f, 6 * MS, true);
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->conns[0].bytes_received = 1000000 + i * 5000000;
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(al__one_sample_stays_info_even_when_slow)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	f->opts.symptom = SYMPTOM_SLOW;
	conn_at(f, 0, 12 * MS, 100000, true);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "over the connection's life"));
	ck_assert(fx_has_text(x, "no trend was confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(al__seen_once_in_series_stays_info)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	f->opts.symptom = SYMPTOM_SLOW;
	conn_at(f, 2, 12 * MS, 100000, true);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert(fx_has_text(x, "no trend was confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(al__evidence_text_exact)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	conn3(f, 6 * MS, true);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "connection 10.0.0.1:40000 -> 10.0.0.2:8080");
	ck_assert_uint_eq(x->n_evidence, 1);
	ck_assert_str_eq(x->evidence[0],
			 "ss -tin 'src 10.0.0.1:40000 and dst 10.0.0.2:8080': busy 12 ms of 2000 ms (0.6%), app_limited, delivery_rate 163840bps, notsent 0, Send-Q 0");
	ck_assert_str_eq(x->verify_command, "ss -tin dst 10.0.0.2:8080");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_app_limited");
	TCase *t = tcase_create("core");

	tcase_add_test(t, al__idle_peer_connection_is_info_app);
	tcase_add_test(t, al__symptom_slow_makes_it_warning);
	tcase_add_test(t, al__requires_peer);
	tcase_add_test(t, al__busy_share_threshold_both_sides);
	tcase_add_test(t, al__needs_app_limited_flag_and_nothing_queued);
	tcase_add_test(t, al__window_or_buffer_limited_is_not_app_limited);
	tcase_add_test(t, al__receiving_end_is_not_judged);
	tcase_add_test(t, al__one_sample_stays_info_even_when_slow);
	tcase_add_test(t, al__seen_once_in_series_stays_info);
	tcase_add_test(t, al__evidence_text_exact);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
