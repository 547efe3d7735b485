// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/procnet_mib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct mib m;

static int parse_pairs(const char *text, struct strbuf *err)
{
	mib_init(&m);
	return mib_parse_pairs(&m, text, strlen(text), "netstat", err);
}

START_TEST(pairs__names_follow_nstat)
{
	struct strbuf err = STRBUF_INIT;
	uint64_t v;

	ck_assert_int_eq(parse_pairs("TcpExt: ListenOverflows ListenDrops \n"
				     "TcpExt: 12 13 \n"
				     "Tcp: RtoMin MaxConn\nTcp: 200 -1\n", &err), 0);
	mib_sort(&m);
	ck_assert(mib_get(&m, "TcpExtListenOverflows", &v));
	ck_assert_uint_eq(v, 12);
	ck_assert(mib_get(&m, "TcpExtListenDrops", &v));
	ck_assert_uint_eq(v, 13);
	ck_assert(mib_get(&m, "TcpMaxConn", &v));
	ck_assert_int_eq((int64_t)v, -1);
	ck_assert(!mib_get(&m, "TcpExtTCPReqQFullDrop", &v));
	strbuf_release(&err);
}
END_TEST

START_TEST(pairs__count_mismatch_names_line_and_column)
{
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(parse_pairs("TcpExt: A B C\nTcpExt: 1 2\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:2:12: fewer values than names in 'TcpExt'");
	strbuf_reset(&err);
	ck_assert_int_lt(parse_pairs("TcpExt: A\nTcpExt: 1 2\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:2:11: more values than names in 'TcpExt'");
	strbuf_release(&err);
}
END_TEST

START_TEST(pairs__rejects_garbage)
{
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_lt(parse_pairs("TcpExt: A B\nTcpExt: 1 x2\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:2:11: 'x2' is not a number");
	strbuf_reset(&err);
	ck_assert_int_lt(parse_pairs("TcpExt: A\nIpExt: 1\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:2:1: value line does not start with 'TcpExt:'");
	strbuf_reset(&err);
	ck_assert_int_lt(parse_pairs("TcpExt: A\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:1:1: header line without its value line");
	strbuf_reset(&err);
	ck_assert_int_lt(parse_pairs("hello world\nhello 1\n", &err), 0);
	ck_assert_str_eq(err.buf, "netstat:1:1: expected 'Group: Name Name ...'");
	strbuf_reset(&err);
	ck_assert_int_lt(parse_pairs("TcpExt: A\nTcpExt: 99999999999999999999999\n", &err), 0);
	strbuf_release(&err);
}
END_TEST

START_TEST(kv__snmp6_layout)
{
	struct strbuf err = STRBUF_INIT;
	const char *t = "Ip6InReceives                   \t4\nIp6OutRequests\t\t77\n";
	uint64_t v;

	mib_init(&m);
	ck_assert_int_eq(mib_parse_kv(&m, t, strlen(t), "snmp6", &err), 0);
	ck_assert(mib_get(&m, "Ip6OutRequests", &v));
	ck_assert_uint_eq(v, 77);
	ck_assert_int_lt(mib_parse_kv(&m, "Ip6X\n", 5, "snmp6", &err), 0);
	ck_assert_str_eq(err.buf, "snmp6:1:1: expected 'Name value'");
	strbuf_release(&err);
}
END_TEST

static void write_file(const char *dir, const char *name, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(read__snmp6_optional_netstat_required)
{
	char root[] = "/tmp/sv-mibXXXXXX";
	char net[600];
	struct strbuf err = STRBUF_INIT;
	uint64_t v;

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(net, sizeof(net), "%s/net", root);
	ck_assert_int_eq(mkdir(net, 0700), 0);
	write_file(net, "snmp", "Tcp: RetransSegs\nTcp: 5\n");
	ck_assert_int_lt(procnet_mib_read(&m, root, &err), 0);
	ck_assert(strstr(err.buf, "net/netstat") != NULL);
	strbuf_reset(&err);
	write_file(net, "netstat", "TcpExt: TW\nTcpExt: 3\n");
	ck_assert_int_eq(procnet_mib_read(&m, root, &err), 0);
	ck_assert(mib_get(&m, "TcpRetransSegs", &v) && v == 5);
	ck_assert(mib_get(&m, "TcpExtTW", &v) && v == 3);
	strbuf_release(&err);
}
END_TEST

START_TEST(read__live_proc_has_listen_counters)
{
	struct strbuf err = STRBUF_INIT;
	uint64_t v;

	ck_assert_msg(procnet_mib_read(&m, "/proc", &err) == 0, "%s", err.buf);
	ck_assert(mib_get(&m, "TcpExtListenOverflows", &v));
	ck_assert(mib_get(&m, "TcpRetransSegs", &v));
	ck_assert(mib_get(&m, "TcpCurrEstab", &v));
	ck_assert_uint_gt(m.n, 100);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("procnet_mib");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, pairs__names_follow_nstat);
	tcase_add_test(tc, pairs__count_mismatch_names_line_and_column);
	tcase_add_test(tc, pairs__rejects_garbage);
	tcase_add_test(tc, kv__snmp6_layout);
	tcase_add_test(tc, read__snmp6_optional_netstat_required);
	tcase_add_test(tc, read__live_proc_has_listen_counters);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
