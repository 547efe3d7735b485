// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/render/ss_summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set(struct counter *c, int64_t v)
{
	c->present = true;
	c->v = v;
}

static char *render(const struct sockstat_counts *c)
{
	struct strbuf err = STRBUF_INIT;
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(ss_summary_print(fp, c, &err), 0);
	fclose(fp);
	strbuf_release(&err);
	return out;
}

/* The netns run of ss-reference 1.4 (6.1 output, cat -A checked). */
START_TEST(ss_summary__matches_ss_6_1)
{
	struct sockstat_counts c;
	char *out;

	memset(&c, 0, sizeof(c));
	set(&c.sockets_used, 33);
	set(&c.tcp_inuse, 19);
	set(&c.tcp_orphan, 0);
	set(&c.tcp_tw, 1);
	set(&c.tcp_alloc, 29);
	set(&c.udp_inuse, 2);
	set(&c.raw_inuse, 0);
	set(&c.frag_inuse, 0);
	set(&c.tcp6_inuse, 4);
	set(&c.udp6_inuse, 0);
	set(&c.raw6_inuse, 0);
	set(&c.frag6_inuse, 0);
	set(&c.tcp_curr_estab, 13);
	out = render(&c);
	ck_assert_str_eq(out,
		"Total: 33\n"
		"TCP:   30 (estab 13, closed 7, orphaned 0, timewait 1)\n"
		"\n"
		"Transport Total     IP        IPv6\n"
		"RAW\t  0         0         0        \n"
		"UDP\t  2         2         0        \n"
		"TCP\t  23        19        4        \n"
		"INET\t  25        21        4        \n"
		"FRAG\t  0         0         0        \n"
		"\n");
	free(out);
}
END_TEST

/* ss starts from zeros: no sockstat6 and no snmp print as 0. */
START_TEST(ss_summary__absent_counters_print_zero)
{
	struct sockstat_counts c;
	char *out;

	memset(&c, 0, sizeof(c));
	set(&c.sockets_used, 5);
	set(&c.tcp_inuse, 3);
	set(&c.tcp_alloc, 314286);
	set(&c.tcp_orphan, 1);
	c.tcp6_inuse.v = 99;    /* not present: must not be used */
	out = render(&c);
	ck_assert_str_eq(out,
		"Total: 5\n"
		"TCP:   314286 (estab 0, closed 314283, orphaned 1, timewait 0)\n"
		"\n"
		"Transport Total     IP        IPv6\n"
		"RAW\t  0         0         0        \n"
		"UDP\t  0         0         0        \n"
		"TCP\t  3         3         0        \n"
		"INET\t  3         3         0        \n"
		"FRAG\t  0         0         0        \n"
		"\n");
	free(out);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ss_summary");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, ss_summary__matches_ss_6_1);
	tcase_add_test(tc, ss_summary__absent_counters_print_zero);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
