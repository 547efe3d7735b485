// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "rec_fixture.h"
#include "../../src/model/sample.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

START_TEST(sample__listener_queue_drops_and_syn_recv)
{
	struct sample *s = malloc(sizeof(*s));
	struct sock_rec l = tcp4(SS_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0);
	struct sock_rec q = tcp4(SS_NEW_SYN_RECV, "10.0.0.1", 8080, "10.0.0.9", 40000);

	sample_init(s);
	l.rqueue = 9;
	l.wqueue = 8;
	l.has_skmem = true;
	l.skmem_n = SK_MEMINFO_VARS;
	l.skmem[SK_MEMINFO_DROPS] = 31;
	sample_add_sock(s, &l);
	sample_add_sock(s, &q);
	sample_add_sock(s, &q);
	sample_finish_socks(s);
	ck_assert_uint_eq(s->n_listeners, 1);
	ck_assert_uint_eq(s->listeners[0].rq, 9);
	ck_assert_uint_eq(s->listeners[0].wq, 8);
	ck_assert(s->listeners[0].has_drops);
	ck_assert_uint_eq(s->listeners[0].drops, 31);
	ck_assert_uint_eq(s->listeners[0].syn_recv, 2);
	ck_assert_uint_eq(s->tally.by_state[TBL_TCP][SS_LISTEN], 1);
	/* Old kernels send 7 skmem fields: no drop count, not "0 drops". */
	l.skmem_n = 7;
	sample_add_sock(s, &l);
	ck_assert(!s->listeners[1].has_drops);
	free(s);
}
END_TEST

START_TEST(sample__client_tuples_grouped_server_side_excluded)
{
	struct sample *s = malloc(sizeof(*s));
	struct sock_rec r;

	sample_init(s);
	r = tcp4(SS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	sample_add_sock(s, &r);
	for (uint16_t p = 40000; p < 40010; p++) {
		r = tcp4(p < 40004 ? SS_TIME_WAIT : SS_ESTABLISHED, "10.0.0.1", p, "10.0.0.2", 5432);
		sample_add_sock(s, &r);
	}
	r = tcp4(SS_ESTABLISHED, "10.0.0.1", 40000, "10.0.0.3", 5432);
	sample_add_sock(s, &r);
	/* Server side of a connection to our listener: not an ephemeral port. */
	r = tcp4(SS_TIME_WAIT, "10.0.0.1", 80, "10.0.0.7", 51000);
	sample_add_sock(s, &r);
	r = tcp4(SS_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.7", 51001);
	r.inode = 4242;         /* accepted: counted per port */
	sample_add_sock(s, &r);
	r = tcp4(SS_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.7", 51002);
	sample_add_sock(s, &r); /* inode 0: still in the accept queue */
	ck_assert_uint_eq(s->close_wait_unaccepted, 1);
	ck_assert_uint_eq(s->close_wait_unaccepted_by_port[80], 1);
	ck_assert_uint_eq(s->n_cw, 1);
	ck_assert_uint_eq(s->n_dests, 2);
	ck_assert_uint_eq(s->dests[0].total, 10);
	ck_assert_uint_eq(s->dests[0].time_wait, 4);
	ck_assert_uint_eq(s->dests[0].established, 6);
	ck_assert_uint_eq(s->dests[1].total, 1);
	ck_assert_uint_eq(s->close_wait_by_port[80], 1);
	free(s);
}
END_TEST

START_TEST(sample__bounds_are_counted_not_silent)
{
	struct sample *s = malloc(sizeof(*s));
	struct sock_rec r;

	sample_init(s);
	for (uint32_t i = 0; i < SAMPLE_DESTS_MAX + 5; i++) {
		r = tcp4(SS_ESTABLISHED, "10.0.0.1", 40000, "10.0.0.2", (uint16_t)(i % 60000));
		r.daddr[3] = (uint8_t)(i / 60000 + 2);
		r.daddr[2] = (uint8_t)(i >> 8);
		sample_add_sock(s, &r);
	}
	ck_assert_uint_eq(s->n_dests, SAMPLE_DESTS_MAX);
	ck_assert_uint_eq(s->dests_dropped, 5);
	for (int i = 0; i < SAMPLE_UNAVAIL_MAX + 3; i++)
		sample_unavailable(s, i % 2 ? "kernel log" : "process owners", "not root");
	ck_assert_uint_eq(s->n_unavailable, 2);
	free(s);
}
END_TEST

START_TEST(state_names__are_ss_words)
{
	ck_assert_str_eq(sock_state_name(SS_ESTABLISHED), "ESTAB");
	ck_assert_str_eq(sock_state_name(SS_CLOSE), "UNCONN");
	ck_assert_str_eq(sock_state_name(SS_NEW_SYN_RECV), "SYN-RECV");
	ck_assert_str_eq(sock_state_name(SS_CLOSE_WAIT), "CLOSE-WAIT");
	ck_assert_str_eq(sock_state_name(200), "UNKNOWN");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sample");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sample__listener_queue_drops_and_syn_recv);
	tcase_add_test(tc, sample__client_tuples_grouped_server_side_excluded);
	tcase_add_test(tc, sample__bounds_are_counted_not_silent);
	tcase_add_test(tc, state_names__are_ss_words);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
