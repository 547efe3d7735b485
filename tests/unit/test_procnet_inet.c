// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/procnet_inet.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

static int parse(const char *l, int fam, struct sock_rec *r, struct strbuf *err)
{
	return procnet_inet_parse_line(l, strlen(l), fam, r, "raw", 2, err);
}

START_TEST(line__v4_fields_in_host_word_order)
{
	struct sock_rec r;
	struct strbuf err = STRBUF_INIT;
	char a[INET_ADDRSTRLEN];

	ck_assert_int_eq(parse("  253: 0100007F:00FD 00000000:0000 07 00000010:00000020 00:00000000 00000000  1000        0 2327059 2 00000000bc0abbc1 0",
			       AF_INET, &r, &err), 0);
	inet_ntop(AF_INET, r.saddr, a, sizeof(a));
	ck_assert_str_eq(a, "127.0.0.1");
	ck_assert_uint_eq(r.sport, 253);
	ck_assert_uint_eq(r.state, SS_CLOSE);
	ck_assert_uint_eq(r.wqueue, 16);
	ck_assert_uint_eq(r.rqueue, 32);
	ck_assert_uint_eq(r.uid, 1000);
	ck_assert_uint_eq(r.inode, 2327059);
	ck_assert_uint_eq(r.cookie, 0xbc0abbc1);
	strbuf_release(&err);
}
END_TEST

START_TEST(line__v6_four_words)
{
	struct sock_rec r;
	struct strbuf err = STRBUF_INIT;
	char a[INET6_ADDRSTRLEN];

	ck_assert_int_eq(parse("   58: 00000000000000000000000001000000:003A 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 2327058 2 0000000000000000 0",
			       AF_INET6, &r, &err), 0);
	inet_ntop(AF_INET6, r.saddr, a, sizeof(a));
	ck_assert_str_eq(a, "::1");
	ck_assert_uint_eq(r.sport, 58);
	strbuf_release(&err);
}
END_TEST

START_TEST(line__malformed_names_column)
{
	struct sock_rec r;
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(parse("    1: 0100007G:00FD 00000000:0000 07 0:0 00:0 0 0 0 1 2 0 0", AF_INET, &r, &err), 0);
	ck_assert_str_eq(err.buf, "raw:2:8: not a /proc/net socket line");
	strbuf_reset(&err);
	ck_assert_int_lt(parse("    1: 0100007F:00FD", AF_INET, &r, &err), 0);
	ck_assert_str_eq(err.buf, "raw:2:21: not a /proc/net socket line");
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("procnet_inet");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, line__v4_fields_in_host_word_order);
	tcase_add_test(tc, line__v6_four_words);
	tcase_add_test(tc, line__malformed_names_column);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
