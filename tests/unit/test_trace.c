// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The trace: per-interval values for pictures. These would catch rates
 * taken over the wrong time, a listener's line that changes meaning
 * when another listener appears, a counter reset read as a huge rate,
 * and a ring that forgets the newest point instead of the oldest.
 */
#include "tap_check.h"
#include "series_fixture.h"
#include "keep_fixture.h"
#include "trace_fixture.h"
#include "../../src/model/trace.h"

static unsigned watched_index(const char *name)
{
	for (unsigned i = 0; i < mib_watched_n; i++)
		if (!strcmp(mib_watched[i], name))
			return i;
	ck_abort_msg("%s is not watched", name);
	return 0;
}

START_TEST(rates_use_the_clock_between_samples)
{
	struct fx *f = keep_fx(fx_new(3, 2.0));
	struct trace *t = trace_new();
	unsigned k = watched_index("TcpExtListenOverflows");

	mib_set(&f->s[0]->mib, "TcpExtListenOverflows", 21, 100);
	mib_set(&f->s[1]->mib, "TcpExtListenOverflows", 21, 140);
	mib_set(&f->s[2]->mib, "TcpExtListenOverflows", 21, 10); /* reset */
	for (int i = 0; i < 3; i++) {
		mib_sort(&f->s[i]->mib);
		trace_add(t, f->s[i], 0);
	}
	ck_assert_uint_eq(t->n, 3);
	ck_assert(t->time_known);
	ck_assert(!trace_at(t, 0)->rate_known[k]);     /* nothing before the first */
	ck_assert(trace_at(t, 1)->rate_known[k]);
	ck_assert_double_eq_tol(trace_at(t, 1)->rate[k], 20.0, 1e-9);  /* 40 over 2 s */
	ck_assert(!trace_at(t, 2)->rate_known[k]);     /* went back: not a rate */
	ck_assert_double_eq_tol(trace_at(t, 2)->t_s, 4.0, 1e-9);
	ck_assert_double_eq_tol(trace_span_s(t), 4.0, 1e-9);
}
END_TEST

START_TEST(no_clock_means_no_rates)
{
	struct fx *f = keep_fx(fx_new(2, 0));
	struct trace *t = trace_new();
	unsigned k = watched_index("TcpRetransSegs");

	for (int i = 0; i < 2; i++) {
		f->s[i]->meta.mono_ns = 0;
		f->s[i]->meta.time_unix = 0;
		mib_set(&f->s[i]->mib, "TcpRetransSegs", 14, (uint64_t)(i * 50));
		mib_sort(&f->s[i]->mib);
		trace_add(t, f->s[i], 0);
	}
	ck_assert(!t->time_known);
	ck_assert(!trace_at(t, 1)->rate_known[k]);
}
END_TEST

START_TEST(listener_slots_keep_their_meaning)
{
	struct fx *f = keep_fx(fx_new(3, 1.0));
	struct trace *t = trace_new();

	listener(f->s[0], "0.0.0.0", 80, 11, 0, 128, 5);
	/* a second, busy listener appears before the first in dump order */
	listener(f->s[1], "0.0.0.0", 8080, 12, 129, 128, 0);
	listener(f->s[1], "0.0.0.0", 80, 11, 0, 128, 9);
	listener(f->s[2], "0.0.0.0", 8080, 12, 129, 128, 30);
	for (int i = 0; i < 3; i++)
		trace_add(t, f->s[i], 0.01);
	ck_assert_uint_eq(t->n_lslots, 2);
	ck_assert_str_eq(t->lslot[0].endpoint, "0.0.0.0:80");
	ck_assert_str_eq(t->lslot[1].endpoint, "0.0.0.0:8080");
	ck_assert(trace_at(t, 1)->l[0].drops_known);
	ck_assert_double_eq_tol(trace_at(t, 1)->l[0].drops_per_s, 4.0, 1e-9);
	ck_assert(!trace_at(t, 1)->l[1].drops_known);    /* first sight: no rate */
	ck_assert_uint_eq(trace_at(t, 1)->l[1].rq, 129);
	ck_assert(!trace_at(t, 2)->l[0].present);        /* port 80 gone */
	ck_assert_double_eq_tol(trace_at(t, 2)->l[1].drops_per_s, 30.0, 1e-9);
	ck_assert_double_eq_tol(trace_at(t, 2)->cost_s, 0.01, 1e-12);
	/* the socket's own total, beside the rate (watch shows both) */
	ck_assert(trace_at(t, 1)->l[1].has_drops);
	ck_assert_uint_eq(trace_at(t, 0)->l[0].drops, 5);
	ck_assert_uint_eq(trace_at(t, 2)->l[1].drops, 30);
	f->s[2]->listeners[0].has_drops = false;
	trace_add(t, f->s[2], 0.01);
	ck_assert(!trace_last(t)->l[1].has_drops);
	ck_assert_uint_eq(trace_last(t)->l[1].drops, 0);
}
END_TEST

START_TEST(busy_listeners_get_slots_first)
{
	struct fx *f = keep_fx(fx_new(1, 1.0));
	struct trace *t = trace_new();

	for (uint16_t p = 0; p < TRACE_LISTENERS_MAX + 5; p++)
		listener(f->s[0], "10.0.0.1", (uint16_t)(1000 + p), p, 0, 128, 0);
	f->s[0]->listeners[TRACE_LISTENERS_MAX + 3].rq = 7;  /* the last-but-one is busy */
	trace_add(t, f->s[0], 0);
	ck_assert_uint_eq(t->n_lslots, TRACE_LISTENERS_MAX);
	ck_assert_uint_eq(t->listeners_untracked, 5);
	trace_add(t, f->s[0], 0);
	ck_assert_uint_eq(t->listeners_untracked, 5);   /* the same five, not ten */
	ck_assert_uint_eq(t->lslot[0].port, 1000 + TRACE_LISTENERS_MAX + 3);
}
END_TEST

START_TEST(ring_forgets_the_oldest)
{
	struct fx *f = keep_fx(fx_new(1, 1.0));
	struct trace *t = trace_new();

	for (unsigned i = 0; i < TRACE_POINTS_MAX + 10; i++) {
		f->s[0]->meta.mono_ns = (int64_t)(i + 1) * 1000000000LL;
		trace_add(t, f->s[0], 0);
	}
	ck_assert_uint_eq(t->n, TRACE_POINTS_MAX);
	ck_assert_uint_eq(t->taken, TRACE_POINTS_MAX + 10);
	ck_assert_double_eq_tol(trace_at(t, 0)->t_s, 10.0, 1e-9);
	ck_assert_double_eq_tol(trace_last(t)->t_s, TRACE_POINTS_MAX + 9.0, 1e-9);
	ck_assert_ptr_null(trace_at(t, TRACE_POINTS_MAX));
}
END_TEST

START_TEST(states_fold_new_syn_recv)
{
	struct fx *f = keep_fx(fx_new(1, 1.0));
	struct trace *t = trace_new();

	f->s[0]->tally.by_state[TBL_TCP][SS_SYN_RECV] = 2;
	f->s[0]->tally.by_state[TBL_TCP][SS_NEW_SYN_RECV] = 5;
	f->s[0]->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] = 9;
	trace_add(t, f->s[0], 0);
	ck_assert(trace_last(t)->have_states);
	ck_assert_uint_eq(trace_last(t)->states[SS_SYN_RECV], 7);
	ck_assert_uint_eq(trace_last(t)->states[SS_NEW_SYN_RECV], 0);
	ck_assert_uint_eq(trace_last(t)->states[SS_CLOSE_WAIT], 9);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_add_checked_fixture(tc, NULL, keep_teardown);

	tcase_add_test(tc, rates_use_the_clock_between_samples);
	tcase_add_test(tc, no_clock_means_no_rates);
	tcase_add_test(tc, listener_slots_keep_their_meaning);
	tcase_add_test(tc, busy_listeners_get_slots_first);
	tcase_add_test(tc, ring_forgets_the_oldest);
	tcase_add_test(tc, states_fold_new_syn_recv);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
