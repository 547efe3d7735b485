// SPDX-License-Identifier: GPL-2.0-or-later
/* The sample's UDP sockets and UNIX listeners, as the builder keeps them. */
#include "tap_check.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../../src/model/sample_build.h"

static struct sock_rec udp_rec(uint16_t port, uint32_t rq, uint32_t rb, uint32_t d)
{
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.table = TBL_UDP;
	r.netid = NETID_UDP;
	r.family = AF_INET;
	r.state = SS_CLOSE;
	r.sport = port;
	r.cookie = port;
	r.rqueue = rq;
	r.has_skmem = true;
	r.skmem_n = SK_MEMINFO_VARS;
	r.skmem[SK_MEMINFO_RCVBUF] = rb;
	r.skmem[SK_MEMINFO_DROPS] = d;
	return r;
}

START_TEST(more__udp_keeps_dropping_or_queued_and_every_port)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_builder b;
	struct sample_build_opts o = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	struct sock_rec idle = udp_rec(53, 0, 212992, 0), drop = udp_rec(514, 0, 212992, 7),
			full = udp_rec(5360, 200000, 212992, 0);

	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	sample_build_udp_begin(&b);
	sample_build_udp(&b, &idle);
	sample_build_udp(&b, &drop);
	/* An old drop alone does not make the owners walk; a full socket does. */
	ck_assert(!sample_build_owners_wanted(&b));
	sample_build_udp(&b, &full);
	ck_assert(s->have & HAVE_UDP);
	ck_assert_uint_eq(s->n_udp, 2);
	ck_assert_uint_eq(s->udp[0].port, 514);
	ck_assert_uint_eq(s->udp[0].drops, 7);
	ck_assert(!sample_udp_full(&s->udp[0]));
	ck_assert(sample_udp_full(&s->udp[1]));
	ck_assert(sample_udp_bound(s, 53) && sample_udp_bound(s, 514) && !sample_udp_bound(s, 54));
	ck_assert(sample_build_owners_wanted(&b));
	sample_build_finish(&b);
	strbuf_release(&err);
	free(s);
}
END_TEST

START_TEST(more__unix_listener_abstract_name_and_queues)
{
	struct sample *s = malloc(sizeof(*s));
	struct sample_builder b;
	struct sample_build_opts o = { .want_port = -1 };
	struct strbuf err = STRBUF_INIT;
	static const char name[] = "\0fpm\0x";
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.table = TBL_UNIX;
	r.netid = NETID_U_STR;
	r.family = AF_UNIX;
	r.state = SS_LISTEN;
	r.inode = 42;
	r.u.un.path = name;
	r.u.un.path_len = sizeof(name) - 1;
	r.u.un.has_rqlen = true;
	r.u.un.rq = 9;
	r.u.un.wq = 8;
	ck_assert_int_eq(sample_build_begin(&b, s, &o, &err), 0);
	sample_build_ulisteners_begin(&b);
	sample_build_ulistener(&b, &r);
	r.u.un.has_rqlen = false;     /* without RQLEN there is no queue to judge */
	sample_build_ulistener(&b, &r);
	ck_assert(s->have & HAVE_UNIX_LISTENERS);
	ck_assert_uint_eq(s->n_ulisteners, 1);
	ck_assert_str_eq(s->ulisteners[0].path, "@fpm@x");
	ck_assert_uint_eq(s->ulisteners[0].rq, 9);
	ck_assert_uint_eq(s->ulisteners[0].wq, 8);
	ck_assert(sample_build_owners_wanted(&b));
	sample_build_finish(&b);
	strbuf_release(&err);
	free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sample_more");
	TCase *t = tcase_create("core");

	tcase_add_test(t, more__udp_keeps_dropping_or_queued_and_every_port);
	tcase_add_test(t, more__unix_listener_abstract_name_and_queues);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
