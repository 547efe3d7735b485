// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/collect/sysctl_read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

START_TEST(parse__vectors_and_errors)
{
	struct sysctl_val v;
	struct strbuf err = STRBUF_INIT;

	memset(&v, 0, sizeof(v));
	ck_assert_int_eq(sysctl_parse(&v, "32768\t60999\n", "r", true, &err), 0);
	ck_assert_uint_eq(v.n, 2);
	ck_assert_int_eq(v.v[0], 32768);
	ck_assert_int_eq(v.v[1], 60999);
	ck_assert_str_eq(v.text, "32768\t60999");
	ck_assert_int_lt(sysctl_parse(&v, "12x\n", "f", true, &err), 0);
	ck_assert_str_eq(err.buf, "f:1:1: expected an integer");
	strbuf_reset(&err);
	ck_assert_int_lt(sysctl_parse(&v, "1 2 3 4\n", "f", true, &err), 0);
	ck_assert_str_eq(err.buf, "f:1:7: more than 3 values");
	strbuf_reset(&err);
	ck_assert_int_lt(sysctl_parse(&v, "\n", "f", true, &err), 0);
	strbuf_release(&err);
}
END_TEST

START_TEST(ephemeral__range_minus_reserved_inside_it)
{
	struct sysctl_set s;
	struct strbuf err = STRBUF_INIT;
	uint32_t n;

	memset(&s, 0, sizeof(s));
	ck_assert(!sysctl_ephemeral_ports(&s, &n));
	sysctl_parse(&s.val[SYSCTL_IP_LOCAL_PORT_RANGE], "40000 40009\n", "r", true, &err);
	ck_assert(sysctl_ephemeral_ports(&s, &n));
	ck_assert_uint_eq(n, 10);
	/* 39999 and 50000 are outside the range; 40001-40003 and 40008 inside. */
	sysctl_parse(&s.val[SYSCTL_IP_LOCAL_RESERVED_PORTS], "39999,40001-40003,40008,50000\n",
		     "p", false, &err);
	ck_assert(sysctl_ephemeral_ports(&s, &n));
	ck_assert_uint_eq(n, 6);
	strbuf_release(&err);
}
END_TEST

START_TEST(read__missing_is_recorded_not_zero)
{
	char root[] = "/tmp/sv-sysXXXXXX", d[600], f[700];
	struct sysctl_set s;
	struct strbuf err = STRBUF_INIT;
	FILE *fp;

	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(d, sizeof(d), "%s/sys", root);
	mkdir(d, 0700);
	snprintf(d, sizeof(d), "%s/sys/net", root);
	mkdir(d, 0700);
	snprintf(d, sizeof(d), "%s/sys/net/core", root);
	mkdir(d, 0700);
	snprintf(f, sizeof(f), "%s/somaxconn", d);
	fp = fopen(f, "w");
	fputs("16\n", fp);
	fclose(fp);
	ck_assert_int_eq(sysctl_read_all(&s, root, &err), 0);
	ck_assert(s.val[SYSCTL_SOMAXCONN].present);
	ck_assert_int_eq(s.val[SYSCTL_SOMAXCONN].v[0], 16);
	ck_assert(!s.val[SYSCTL_TCP_SYNCOOKIES].present);
	ck_assert_int_eq(s.val[SYSCTL_TCP_SYNCOOKIES].err, ENOENT);
	strbuf_release(&err);
}
END_TEST

START_TEST(read__live_host)
{
	struct sysctl_set s;
	struct strbuf err = STRBUF_INIT;

	ck_assert_msg(sysctl_read_all(&s, "/proc", &err) == 0, "%s", err.buf);
	ck_assert(s.val[SYSCTL_SOMAXCONN].present);
	ck_assert_uint_eq(s.val[SYSCTL_IP_LOCAL_PORT_RANGE].n, 2);
	ck_assert_uint_eq(s.val[SYSCTL_TCP_MEM].n, 3);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("sysctl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, parse__vectors_and_errors);
	tcase_add_test(tc, ephemeral__range_minus_reserved_inside_it);
	tcase_add_test(tc, read__missing_is_recorded_not_zero);
	tcase_add_test(tc, read__live_host);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
