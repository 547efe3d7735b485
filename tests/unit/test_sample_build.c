// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The sample builder: any source, any order. These would catch a
 * builder that needs listeners first, reads an absent input as zero,
 * keeps connections it should not, or attributes to the wrong process.
 */
#include "tap_check.h"
#include "rec_fixture.h"
#include "../../src/model/sample_build.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* A small population: a listener on 80, its server-side connections,
 * client connections from ephemeral ports to two destinations. */
static unsigned population(struct sock_rec *out)
{
	unsigned n = 0;

	out[n++] = tcp4(SS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	for (uint16_t p = 0; p < 6; p++)
		out[n++] = tcp4(SS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", (uint16_t)(51000 + p));
	out[n++] = tcp4(SS_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.8", 51000);
	out[n - 1].inode = 4243;
	for (uint16_t p = 0; p < 5; p++)
		out[n++] = tcp4(p < 2 ? SS_TIME_WAIT : SS_ESTABLISHED, "10.0.0.1",
				(uint16_t)(40000 + p), "10.0.0.2", 5432);
	out[n++] = tcp4(SS_SYN_SENT, "10.0.0.1", 40100, "10.0.0.3", 443);
	out[n++] = tcp4(SS_NEW_SYN_RECV, "10.0.0.1", 80, "10.0.0.9", 50000);
	return n;
}

static struct sample *build(const struct sock_rec *r, unsigned n, bool reverse)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	sample_build_socks_begin(&b, HAVE_SOCKETS);
	for (unsigned i = 0; i < n; i++)
		sample_build_sock(&b, &r[reverse ? n - 1 - i : i]);
	sample_build_finish(&b);
	strbuf_release(&err);
	return s;
}

START_TEST(build__order_does_not_matter)
{
	struct sock_rec r[32];
	unsigned n = population(r);
	struct sample *fwd = build(r, n, false), *rev = build(r, n, true);

	/* Listener last: its server-side connections must not be client tuples. */
	ck_assert_uint_eq(fwd->n_dests, 2);
	ck_assert_uint_eq(rev->n_dests, 2);
	for (uint32_t i = 0; i < 2; i++) {
		const struct s_dest *a = &fwd->dests[i], *b = NULL;

		for (uint32_t j = 0; j < rev->n_dests; j++)
			if (!memcmp(rev->dests[j].daddr, a->daddr, 16))
				b = &rev->dests[j];
		ck_assert_ptr_nonnull(b);
		ck_assert_uint_eq(a->total, b->total);
		ck_assert_uint_eq(a->time_wait, b->time_wait);
		ck_assert_uint_eq(a->syn_sent, b->syn_sent);
	}
	ck_assert_uint_eq(rev->listeners[0].syn_recv, 1);
	ck_assert_uint_eq(fwd->listeners[0].syn_recv, 1);
	ck_assert_uint_eq(rev->close_wait_by_port[80], 1);
	free(fwd);
	free(rev);
}
END_TEST

START_TEST(build__have_only_what_was_given)
{
	struct sock_rec r[32];
	unsigned n = population(r);
	struct sample *s = build(r, n, false);

	ck_assert_uint_eq(s->have, HAVE_SOCKETS);
	ck_assert(!(s->have & HAVE_MIB));
	ck_assert(!(s->have & HAVE_OWNERS));
	ck_assert_str_eq(sample_have_source(HAVE_OWNERS), "ss -tlnp");
	ck_assert_str_eq(sample_have_name(HAVE_KLOG), "kernel log");
	free(s);
}
END_TEST

static bool lookup(uint32_t inode, uint32_t *pid, const char **comm, void *ctx)
{
	(void)ctx;
	if (inode < 100)
		return false;
	*pid = inode / 100;
	*comm = inode / 100 == 7 ? "nginx" : "worker";
	return true;
}

START_TEST(build__keeps_peer_and_stuck_and_attributes)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_build_opts o = { .want_port = -1 };
	struct sample_builder b;
	struct strbuf err = STRBUF_INIT;
	struct sock_rec l = tcp4(SS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	struct sock_rec stuck = tcp4(SS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 51000);
	struct sock_rec fine = tcp4(SS_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 51001);
	struct sock_rec peer = tcp4(SS_ESTABLISHED, "10.0.0.1", 41000, "192.0.2.5", 443);
	struct sock_rec cw = tcp4(SS_CLOSE_WAIT, "10.0.0.1", 80, "10.0.0.8", 51000);

	o.owners = true;
	o.peer.set = true;
	o.peer.family = AF_INET;
	o.peer.port = -1;
	inet_pton(AF_INET, "192.0.2.5", o.peer.addr);
	l.inode = 700;
	stuck.cookie = 11;
	stuck.timer = 4;     /* persist: the peer's window is closed */
	stuck.inode = 701;
	fine.cookie = 12;
	fine.timer = 1;      /* retransmitting, but not backed off */
	fine.retrans = 1;
	peer.cookie = 13;
	peer.inode = 900;
	cw.inode = 702;
	cw.rqueue = 1;
	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	sample_build_socks_begin(&b, HAVE_SOCKETS);
	sample_build_sock(&b, &stuck);
	sample_build_sock(&b, &fine);
	sample_build_sock(&b, &peer);
	sample_build_sock(&b, &cw);
	sample_build_sock(&b, &l);
	ck_assert(sample_build_wants_conns(&b));
	sample_build_conns_begin(&b);
	ck_assert(sample_build_conn(&b, &stuck));
	ck_assert(!sample_build_conn(&b, &fine));
	ck_assert(sample_build_conn(&b, &peer));
	ck_assert(sample_build_conn(&b, &peer));   /* seen twice, kept once */
	sample_build_conns_end(&b);
	ck_assert_uint_eq(s->n_conns, 2);
	ck_assert(sample_build_owners_wanted(&b));
	sample_build_attribute(&b, lookup, NULL);
	sample_build_finish(&b);
	ck_assert(s->have & HAVE_CONNS);
	ck_assert(s->have & HAVE_OWNERS);
	ck_assert_int_ge(s->listeners[0].owner, 0);
	ck_assert_str_eq(s->procs[s->listeners[0].owner].comm, "nginx");
	ck_assert_uint_eq(s->procs[s->listeners[0].owner].close_wait, 1);
	ck_assert_uint_eq(s->procs[s->listeners[0].owner].close_wait_unread, 1);
	ck_assert_uint_eq(s->procs[s->listeners[0].owner].listeners, 1);
	ck_assert(s->conns[1].peer);
	ck_assert_str_eq(s->procs[s->conns[1].owner].comm, "worker");
	strbuf_release(&err);
	free(s);
}
END_TEST

START_TEST(tally__copies_hold_no_borrowed_pointers)
{
	struct sock_tally t;
	struct sock_rec r = tcp4(SS_LISTEN, "0.0.0.0", 80, "0.0.0.0", 0);
	static const uint8_t bytes[64];

	r.rqueue = 9;
	r.wqueue = 8;
	r.tcpi = bytes;
	r.tcpi_len = sizeof(bytes);
	r.table = TBL_MPTCP;
	r.mptcpi = bytes;
	r.mptcpi_len = sizeof(bytes);
	tally_init(&t);
	tally_add(&t, &r);
	ck_assert_uint_eq(t.n_full, 1);
	ck_assert_ptr_null(t.full[0].sock.tcpi);
	ck_assert_ptr_null(t.full[0].sock.mptcpi);
	ck_assert_uint_eq(t.full[0].sock.mptcpi_len, 0);
	ck_assert_uint_eq(t.full[0].sock.rqueue, 9);
}
END_TEST

START_TEST(focus__peer_matches_v4_mapped_and_port)
{
	struct peer p = { .set = true, .family = AF_INET, .port = 443 };
	uint8_t v4[16] = { 0 }, mapped[16] = { 0 };

	inet_pton(AF_INET, "192.0.2.5", p.addr);
	inet_pton(AF_INET, "192.0.2.5", v4);
	inet_pton(AF_INET6, "::ffff:192.0.2.5", mapped);
	ck_assert(peer_match(&p, AF_INET, v4, 443));
	ck_assert(!peer_match(&p, AF_INET, v4, 444));
	ck_assert(peer_match(&p, AF_INET6, mapped, 443));
	p.set = false;
	ck_assert(!peer_match(&p, AF_INET, v4, 443));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sample_build");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, build__order_does_not_matter);
	tcase_add_test(tc, build__have_only_what_was_given);
	tcase_add_test(tc, build__keeps_peer_and_stuck_and_attributes);
	tcase_add_test(tc, tally__copies_hold_no_borrowed_pointers);
	tcase_add_test(tc, focus__peer_matches_v4_mapped_and_port);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
