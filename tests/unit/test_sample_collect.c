// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/sample_collect.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * A listener with backlog 1 that never accepts, and 3 clients: the
 * accept queue holds backlog+1 = 2 (kernel-facts A3.2), the third
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
	ck_assert(s->has_mib);
	ck_assert(s->sysctl.val[SYSCTL_SOMAXCONN].present);
	ck_assert(s->has_file_nr);
	for (int i = 0; i < 3; i++)
		close(c[i]);
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
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
