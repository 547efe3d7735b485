// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/sockstat.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static const char sockstat[] =
	"sockets: used 33\n"
	"TCP: inuse 19 orphan 0 tw 1 alloc 29 mem 1468\n"
	"UDP: inuse 2 mem 4\n"
	"UDPLITE: inuse 0\n"
	"RAW: inuse 0\n"
	"FRAG: inuse 0 memory 0\n";
static const char sockstat6[] =
	"TCP6: inuse 4\n"
	"UDP6: inuse 0\n"
	"UDPLITE6: inuse 0\n"
	"RAW6: inuse 0\n"
	"FRAG6: inuse 0 memory 0\n";
static const char snmp[] =
	"Ip: Forwarding DefaultTTL\n"
	"Ip: 1 64\n"
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens CurrEstab InSegs\n"
	"Tcp: 1 200 120000 -1 15 13 681\n"
	"Udp: InDatagrams NoPorts\n"
	"Udp: 5 0\n";

static void put(const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/net/%s", root, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static void mkroot(void)
{
	char p[256];

	strcpy(root, "/tmp/sockvet-sockstat-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/net", root);
	ck_assert_int_eq(mkdir(p, 0755), 0);
}

static void rmroot(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(sockstat__parses_all_three_files)
{
	struct strbuf err = STRBUF_INIT;
	struct sockstat_counts c;

	mkroot();
	put("sockstat", sockstat);
	put("sockstat6", sockstat6);
	put("snmp", snmp);
	ck_assert_int_eq(sockstat_read(&c, root, &err), 0);
	ck_assert(c.has_sockstat && c.has_sockstat6 && c.has_snmp);
	ck_assert(c.sockets_used.present);
	ck_assert_int_eq(c.sockets_used.v, 33);
	ck_assert_int_eq(c.tcp_inuse.v, 19);
	ck_assert_int_eq(c.tcp_tw.v, 1);
	ck_assert_int_eq(c.tcp_alloc.v, 29);
	ck_assert_int_eq(c.tcp_mem.v, 1468);
	ck_assert_int_eq(c.udp_inuse.v, 2);
	ck_assert_int_eq(c.udp_mem.v, 4);
	ck_assert(c.frag_memory.present);
	ck_assert(c.tcp6_inuse.present);
	ck_assert_int_eq(c.tcp6_inuse.v, 4);
	ck_assert(c.tcp_curr_estab.present);
	ck_assert_int_eq(c.tcp_curr_estab.v, 13);
	ck_assert_str_eq(err.buf, "");
	rmroot();
	strbuf_release(&err);
}
END_TEST

START_TEST(sockstat__missing_sockstat6_is_absent_not_zero)
{
	struct strbuf err = STRBUF_INIT;
	struct sockstat_counts c;

	mkroot();
	put("sockstat", sockstat);
	put("snmp", snmp);
	ck_assert_int_eq(sockstat_read(&c, root, &err), 0);
	ck_assert(c.has_sockstat);
	ck_assert(!c.has_sockstat6);
	ck_assert(!c.tcp6_inuse.present);
	ck_assert(!c.frag6_memory.present);
	ck_assert(c.tcp_inuse.present);
	rmroot();
	strbuf_release(&err);
}
END_TEST

START_TEST(sockstat__malformed_line_names_file_line_column)
{
	struct strbuf err = STRBUF_INIT;
	struct sockstat_counts c;
	char want[256];

	mkroot();
	put("sockstat", "sockets: used 3\nTCP: inuse 1 orphan x tw 0\n");
	ck_assert_int_lt(sockstat_read(&c, root, &err), 0);
	snprintf(want, sizeof(want),
		 "'%s/net/sockstat': line 2, column 21: expected a number", root);
	ck_assert_str_eq(err.buf, want);

	strbuf_reset(&err);
	put("sockstat", "sockets used 3\n");
	ck_assert_int_lt(sockstat_read(&c, root, &err), 0);
	snprintf(want, sizeof(want),
		 "'%s/net/sockstat': line 1, column 8: expected 'LABEL:'", root);
	ck_assert_str_eq(err.buf, want);

	strbuf_reset(&err);
	put("sockstat", sockstat);
	put("snmp", "Tcp: RtoAlgorithm CurrEstab\nTcp: 1\n");
	ck_assert_int_lt(sockstat_read(&c, root, &err), 0);
	snprintf(want, sizeof(want),
		 "'%s/net/snmp': line 2, column 7: fewer values than names", root);
	ck_assert_str_eq(err.buf, want);
	rmroot();
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sockstat");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, sockstat__parses_all_three_files);
	tcase_add_test(tc, sockstat__missing_sockstat6_is_absent_not_zero);
	tcase_add_test(tc, sockstat__malformed_line_names_file_line_column);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
