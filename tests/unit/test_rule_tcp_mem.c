// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

/* The fixture's tcp_mem is 287901 383868 575802. */

static void mem(struct fx *f, unsigned i, int64_t pages)
{
	f->s[i]->sockstat.tcp_mem.present = true;
	f->s[i]->sockstat.tcp_mem.v = pages;
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_tcp_memory_pressure, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	for (unsigned i = 0; i < x->n_changes; i++)
		ck_assert_uint_lt(strlen(x->changes[i].effective), FINDING_TEXT - 1);
}

START_TEST(mem__thresholds_at_kernel_limits)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	mem(f, 1, 383868);                  /* at [1]: not above */
	run(f);
	ck_assert_ptr_null(fx_find(f, "tcp-memory-pressure"));
	mem(f, 1, 383869);
	run(f);
	x = fx_find(f, "tcp-memory-pressure");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	text_fits(x);
	mem(f, 1, 575802);                  /* at [2]: not above */
	run(f);
	ck_assert_int_eq(fx_find(f, "tcp-memory-pressure")->severity, SEV_WARNING);
	mem(f, 1, 575803);
	run(f);
	x = fx_find(f, "tcp-memory-pressure");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(x->explanation, "above max"));
	fx_free(f);
}
END_TEST

START_TEST(mem__exact_evidence_and_change)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	mem(f, 2, 400000);
	fx_mib(f, 0, "TcpExtTCPMemoryPressures", 10);
	fx_mib(f, 2, "TcpExtTCPMemoryPressures", 13);
	run(f);
	x = fx_find(f, "tcp-memory-pressure");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->evidence[0],
			 "cat /proc/net/sockstat: TCP mem 400000 pages (1562 MiB at 4 KiB), "
			 "tcp_mem 287901 383868 575802: above the pressure threshold [1]");
	ck_assert_str_eq(x->evidence[1], "TcpExtTCPMemoryPressures rose by 3 in 2.0 s (nstat -az TcpExtTCPMemoryPressures)");
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_mem");
	ck_assert_str_eq(x->changes[0].current, "287901 383868 575802");
	ck_assert_str_eq(x->changes[0].proposed, "575802 767736 1151604");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.ipv4.tcp_mem=\"287901 383868 575802\"");
	/* It must say what holds the memory before the tuning. */
	ck_assert_ptr_nonnull(strstr(x->explanation, "First find what holds the memory"));
	text_fits(x);
	fx_free(f);
}
END_TEST

START_TEST(mem__pressure_entries_alone_warn)
{
	struct fx *f = fx_new(2, 1.0);

	mem(f, 1, 1000);
	fx_mib(f, 0, "TcpExtTCPMemoryPressures", 5);
	fx_mib(f, 1, "TcpExtTCPMemoryPressures", 5);
	run(f);
	ck_assert_ptr_null(fx_find(f, "tcp-memory-pressure"));
	fx_mib(f, 1, "TcpExtTCPMemoryPressures", 6);
	run(f);
	ck_assert_int_eq(fx_find(f, "tcp-memory-pressure")->severity, SEV_WARNING);
	fx_free(f);
}
END_TEST

START_TEST(mem__abort_on_memory_credited_only_with_memory_condition)
{
	struct fx *f = fx_new(2, 1.0);

	/* Low memory: the aborts are the orphan limit's, not ours. */
	mem(f, 1, 1000);
	fx_mib(f, 0, "TcpExtTCPAbortOnMemory", 0);
	fx_mib(f, 1, "TcpExtTCPAbortOnMemory", 9);
	run(f);
	ck_assert_ptr_null(fx_find(f, "tcp-memory-pressure"));
	/* In pressure plus aborts: failing now. */
	mem(f, 1, 400000);
	run(f);
	ck_assert_int_eq(fx_find(f, "tcp-memory-pressure")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(mem__kernel_line)
{
	struct fx *f = fx_new(2, 1.0);
	struct kevent *e;

	f->s[0]->meta.mono_ns = 10 * 1000000000LL;
	f->s[1]->meta.mono_ns = 11 * 1000000000LL;
	mem(f, 1, 1000);
	e = &f->s[1]->kevents[f->s[1]->n_kevents++];
	e->kind = KEV_TCP_OOM;
	e->ts_us = 2000000;                 /* before the samples */
	run(f);
	ck_assert_int_eq(fx_find(f, "tcp-memory-pressure")->severity, SEV_WARNING);
	e->ts_us = 10200000;
	run(f);
	ck_assert_int_eq(fx_find(f, "tcp-memory-pressure")->severity, SEV_CRITICAL);
	e->kind = KEV_ORPHANS;
	run(f);
	ck_assert_ptr_null(fx_find(f, "tcp-memory-pressure"));
	fx_free(f);
}
END_TEST

START_TEST(mem__one_sample_and_hidden_sysctl)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	mem(f, 0, 600000);
	run(f);
	x = fx_find(f, "tcp-memory-pressure");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	/* In a child netns tcp_mem is hidden: no comparison, no finding from mem alone. */
	f->s[0]->sysctl.val[SYSCTL_TCP_MEM].present = false;
	run(f);
	ck_assert_ptr_null(fx_find(f, "tcp-memory-pressure"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_tcp_mem");
	TCase *tc = tcase_create("tcp_mem");

	tcase_add_test(tc, mem__thresholds_at_kernel_limits);
	tcase_add_test(tc, mem__exact_evidence_and_change);
	tcase_add_test(tc, mem__pressure_entries_alone_warn);
	tcase_add_test(tc, mem__abort_on_memory_credited_only_with_memory_condition);
	tcase_add_test(tc, mem__kernel_line);
	tcase_add_test(tc, mem__one_sample_and_hidden_sysctl);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
