// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/sample_collect.h"
#include "../../src/collect/sockdiag.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A listener with backlog 1 that never accepts, and 3 clients: the
 * accept queue holds backlog+1 = 2 (kernel-facts.md "Accept queue"), the third
 * client's SYN is dropped and counted on the listener (skmem d).
 */
START_TEST(live__full_listener_is_seen_with_its_owner)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct sample *s = malloc(sizeof(*s));
	struct sample_opts o = { .owners = SAMPLE_OWNERS_AUTO, .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	int l = socket(AF_INET, SOCK_STREAM, 0), c[3];
	const struct s_listener *found = NULL;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	for (int i = 0; i < 3; i++) {
		c[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		connect(c[i], (struct sockaddr *)&a, sizeof(a));
	}
	usleep(200 * 1000);
	ck_assert_msg(sample_collect(s, &o, &err) == 0, "%s", err.buf);
	for (uint32_t i = 0; i < s->n_listeners; i++)
		if (s->listeners[i].port == ntohs(a.sin_port))
			found = &s->listeners[i];
	ck_assert_ptr_nonnull(found);
	ck_assert_uint_eq(found->wq, 1);
	ck_assert_uint_eq(found->rq, 2);
	ck_assert(found->has_drops);
	ck_assert_uint_ge(found->drops, 1);
	ck_assert_int_ge(found->owner, 0);
	ck_assert_uint_eq(s->procs[found->owner].pid, (uint32_t)getpid());
	ck_assert_uint_ge(s->procs[found->owner].fds, 4);
	ck_assert(s->procs[found->owner].has_limit);
	ck_assert((s->have & HAVE_MIB));
	ck_assert(s->sysctl.val[SYSCTL_SOMAXCONN].present);
	ck_assert((s->have & HAVE_FILE_NR));
	for (int i = 0; i < 3; i++)
		close(c[i]);
	close(l);
	free(s);
	strbuf_release(&err);
}
END_TEST

/* Counts only: fd counts and limits, never attribution, even with a full
 * listener to attribute (a triage's earlier samples). */
START_TEST(live__counts_mode_has_fds_not_owners)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_opts o = { .owners = SAMPLE_OWNERS_COUNTS, .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	const struct s_proc *me = NULL;

	ck_assert_msg(sample_collect(s, &o, &err) == 0, "%s", err.buf);
	ck_assert((s->have & HAVE_FDS));
	ck_assert(!(s->have & HAVE_OWNERS));
	for (uint32_t i = 0; i < s->n_procs; i++)
		if (s->procs[i].pid == (uint32_t)getpid())
			me = &s->procs[i];
	ck_assert_ptr_nonnull(me);
	ck_assert_uint_ge(me->fds, 3);
	ck_assert(me->has_limit);
	free(s);
	strbuf_release(&err);
}
END_TEST

/* Conns to --peer in the last collect, counted by family. */
static void peer_conns(int family, const char *addr, int port, unsigned *v4, unsigned *v6,
		       bool *looked)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_opts o = { .owners = SAMPLE_OWNERS_NONE, .want_port = -1,
				 .peer.set = true, .peer.family = (uint8_t)family, .peer.port = port };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(inet_pton(family, addr, o.peer.addr), 1);
	ck_assert_msg(sample_collect(s, &o, &err) == 0, "%s", err.buf);
	*v4 = *v6 = 0;
	for (uint32_t i = 0; i < s->n_conns; i++) {
		ck_assert(s->conns[i].peer);
		ck_assert(s->conns[i].has_info);
		ck_assert(s->conns[i].has_skmem);
		if (s->conns[i].family == AF_INET)
			(*v4)++;
		else
			(*v6)++;
	}
	*looked = (s->have & HAVE_CONNS);
	free(s);
	strbuf_release(&err);
}

/*
 * --peer is handed to the kernel as a filter on the remote end: an IPv4
 * peer matches IPv4 sockets and v4-mapped IPv6 ones, a port narrows it,
 * another address or port matches nothing.
 */
START_TEST(live__peer_filter_matches_remote_end_and_v4_mapped)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	socklen_t alen = sizeof(a);
	int l = socket(AF_INET6, SOCK_STREAM, 0), c4, c6, zero = 0;
	unsigned v4, v6;
	bool looked;
	int port;

	/* A dual-stack listener, so the v4 client's server side is v4-mapped too. */
	ck_assert_int_eq(setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)), 0);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a6, sizeof(a6)), 0);
	ck_assert_int_eq(listen(l, 8), 0);
	alen = sizeof(a6);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a6, &alen), 0);
	port = ntohs(a6.sin6_port);
	a.sin_port = a6.sin6_port;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	c4 = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c4, (struct sockaddr *)&a, sizeof(a)), 0);
	c6 = socket(AF_INET6, SOCK_STREAM, 0);
	ck_assert_int_eq(inet_pton(AF_INET6, "::ffff:127.0.0.1", &a6.sin6_addr), 1);
	ck_assert_int_eq(connect(c6, (struct sockaddr *)&a6, sizeof(a6)), 0);

	/* Clients: remote 127.0.0.1:port, one v4 and one mapped v6 socket.
	 * Server ends: remote 127.0.0.1 (mapped) at ephemeral ports. */
	peer_conns(AF_INET, "127.0.0.1", port, &v4, &v6, &looked);
	ck_assert(looked);
	ck_assert_uint_eq(v4, 1);
	ck_assert_uint_eq(v6, 1);
	peer_conns(AF_INET, "127.0.0.2", port, &v4, &v6, &looked);
	ck_assert(looked);
	ck_assert_uint_eq(v4 + v6, 0);
	peer_conns(AF_INET, "127.0.0.1", port == 65535 ? 1 : port + 1, &v4, &v6, &looked);
	ck_assert_uint_eq(v4 + v6, 0);
	/* A v6 peer address matches only IPv6 sockets with exactly that address. */
	peer_conns(AF_INET6, "::ffff:127.0.0.1", port, &v4, &v6, &looked);
	ck_assert_uint_eq(v4, 0);
	ck_assert_uint_eq(v6, 1);
	close(c4);
	close(c6);
	close(l);
}
END_TEST

/*
 * A receiver that never reads: the sender's window closes and its persist
 * timer runs, which the bare dump shows (stuck). The sample keeps that
 * connection whole, tcp_info included, fetched by an exact lookup; two
 * samples share one session, as a triage run's do.
 */
START_TEST(live__stuck_connection_is_kept_with_tcp_info)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct sample *s = malloc(sizeof(*s));
	struct sample_opts o = { .owners = SAMPLE_OWNERS_NONE, .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	int l = socket(AF_INET, SOCK_STREAM, 0), c, srv, small = 4096;
	static char junk[65536];
	const struct s_conn *kept = NULL;
	uint16_t cport;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(setsockopt(l, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small)), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&a, &alen), 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 || errno == EINPROGRESS, 1);
	srv = accept(l, NULL, NULL);
	ck_assert_int_ge(srv, 0);
	alen = sizeof(a);
	ck_assert_int_eq(getsockname(c, (struct sockaddr *)&a, &alen), 0);
	cport = ntohs(a.sin_port);
	for (int i = 0; i < 1000 && send(c, junk, sizeof(junk), 0) > 0; i++)
		;
	usleep(300 * 1000);
	ck_assert_int_eq(sockdiag_session_open(&o.session, &err), 0);
	for (int round = 0; round < 2; round++) {
		kept = NULL;
		ck_assert_msg(sample_collect(s, &o, &err) == 0, "%s", err.buf);
		ck_assert(s->have & HAVE_CONNS);
		for (uint32_t i = 0; i < s->n_conns; i++)
			if (s->conns[i].sport == cport)
				kept = &s->conns[i];
		ck_assert_msg(kept != NULL, "stuck sender :%u not among %u kept", cport, s->n_conns);
		ck_assert(!kept->peer);
		ck_assert(kept->has_info);
		ck_assert(kept->has_skmem);
		ck_assert_uint_gt(kept->wq, 0);
	}
	sockdiag_session_close(o.session);
	close(c);
	close(srv);
	close(l);
	free(s);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sample_collect");
	TCase *tc = tcase_create("live");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, live__full_listener_is_seen_with_its_owner);
	tcase_add_test(tc, live__peer_filter_matches_remote_end_and_v4_mapped);
	tcase_add_test(tc, live__stuck_connection_is_kept_with_tcp_info);
	tcase_add_test(tc, live__counts_mode_has_fds_not_owners);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
