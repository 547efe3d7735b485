// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static void orphans(struct fx *f, unsigned i, int64_t n, int64_t max)
{
	f->s[i]->sockstat.tcp_orphan.present = true;
	f->s[i]->sockstat.tcp_orphan.v = n;
	fx_sysctl(f->s[i], SYSCTL_TCP_MAX_ORPHANS, 1, max);
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_orphan_sockets, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	for (unsigned i = 0; i < x->n_changes; i++)
		ck_assert_uint_lt(strlen(x->changes[i].effective), FINDING_TEXT - 1);
}

START_TEST(orphans__penalty_thresholds)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	orphans(f, 1, 250, 1000);           /* x4 = 1000: not above */
	run(f);
	ck_assert_ptr_null(fx_find(f, "orphan-sockets"));
	orphans(f, 1, 251, 1000);           /* x4 = 1004 > 1000 */
	run(f);
	x = fx_find(f, "orphan-sockets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	text_fits(x);
	orphans(f, 1, 500, 1000);           /* x2 = 1000: not above */
	run(f);
	ck_assert_int_eq(fx_find(f, "orphan-sockets")->severity, SEV_WARNING);
	orphans(f, 1, 501, 1000);
	run(f);
	ck_assert_int_eq(fx_find(f, "orphan-sockets")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(orphans__aborts_make_warning_critical_but_not_alone)
{
	struct fx *f = fx_new(2, 1.0);

	orphans(f, 1, 10, 1000);
	fx_mib(f, 0, "TcpExtTCPAbortOnMemory", 0);
	fx_mib(f, 1, "TcpExtTCPAbortOnMemory", 4);
	run(f);
	/* Few orphans: the aborts are tcp_mem's (tcp-memory-pressure). */
	ck_assert_ptr_null(fx_find(f, "orphan-sockets"));
	orphans(f, 1, 300, 1000);
	run(f);
	ck_assert_int_eq(fx_find(f, "orphan-sockets")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(orphans__exact_evidence_and_change)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	orphans(f, 1, 40000, 131072);
	f->s[1]->tally.by_state[TBL_TCP][SS_FIN_WAIT1] = 30000;
	f->s[1]->tally.by_state[TBL_TCP][SS_FIN_WAIT2] = 9000;
	fx_mib(f, 0, "TcpExtTCPAbortOnMemory", 100);
	fx_mib(f, 1, "TcpExtTCPAbortOnMemory", 130);
	run(f);
	x = fx_find(f, "orphan-sockets");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_str_eq(x->evidence[0],
			 "cat /proc/net/sockstat: TCP orphan 40000 of tcp_max_orphans 131072 (31%; "
			 "kills start at 25%, x2 penalty at 50%)");
	ck_assert_str_eq(x->evidence[1],
			 "ss -tan: FIN-WAIT-1 30000, FIN-WAIT-2 9000, CLOSING 0, LAST-ACK 0 "
			 "(this netns; orphans are among them)");
	ck_assert_str_eq(x->evidence[2], "TcpExtTCPAbortOnMemory rose by 30 in 1.0 s (nstat -az TcpExtTCPAbortOnMemory)");
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_max_orphans");
	ck_assert_str_eq(x->changes[0].current, "131072");
	/* Double the limit (262144) already exceeds 4 x 40000. */
	ck_assert_str_eq(x->changes[0].proposed, "262144");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.ipv4.tcp_max_orphans=131072");
	text_fits(x);
	/* When 4x today's count exceeds double the limit, the proposal covers it. */
	orphans(f, 1, 900, 1000);
	run(f);
	ck_assert_str_eq(fx_find(f, "orphan-sockets")->changes[0].proposed, "3600");
	fx_free(f);
}
END_TEST

START_TEST(orphans__kernel_line_and_hidden_limit)
{
	struct fx *f = fx_new(2, 1.0);
	struct kevent *e;

	f->s[0]->meta.mono_ns = 10 * 1000000000LL;
	f->s[1]->meta.mono_ns = 11 * 1000000000LL;
	f->s[1]->sockstat.tcp_orphan.present = true;
	f->s[1]->sockstat.tcp_orphan.v = 5;
	f->s[1]->sysctl.val[SYSCTL_TCP_MAX_ORPHANS].present = false;
	run(f);
	ck_assert_ptr_null(fx_find(f, "orphan-sockets"));
	e = &f->s[1]->kevents[f->s[1]->n_kevents++];
	e->kind = KEV_ORPHANS;
	e->ts_us = 1000000;
	run(f);
	ck_assert_int_eq(fx_find(f, "orphan-sockets")->severity, SEV_WARNING);
	ck_assert_uint_eq(fx_find(f, "orphan-sockets")->n_changes, 0);
	e->ts_us = 10500000;
	run(f);
	ck_assert_int_eq(fx_find(f, "orphan-sockets")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(orphans__one_sample_no_change)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	orphans(f, 0, 600, 1000);
	run(f);
	x = fx_find(f, "orphan-sockets");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

/* The socket list missing: the orphan count still judges, and the
 * closing-state line (which would read all zeros) is left out. */
START_TEST(orphans__no_socket_list_no_state_line)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	orphans(f, 1, 600, 1000);
	run(f);
	x = fx_find(f, "orphan-sockets");
	ck_assert(fx_has_text(x, "ss -tan: FIN-WAIT-1"));
	for (unsigned i = 0; i < 2; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_CONN_STATES;
	run(f);
	x = fx_find(f, "orphan-sockets");
	ck_assert_ptr_nonnull(x);
	ck_assert(!fx_has_text(x, "ss -tan: FIN-WAIT-1"));
	/* Without the orphan count it does not run at all. */
	for (unsigned i = 0; i < 2; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_SOCKSTAT;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	ck_assert_uint_eq(f->out.not_run[0].missing, HAVE_SOCKSTAT);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_orphans");
	TCase *tc = tcase_create("orphans");

	tcase_add_test(tc, orphans__penalty_thresholds);
	tcase_add_test(tc, orphans__aborts_make_warning_critical_but_not_alone);
	tcase_add_test(tc, orphans__exact_evidence_and_change);
	tcase_add_test(tc, orphans__kernel_line_and_hidden_limit);
	tcase_add_test(tc, orphans__one_sample_no_change);
	tcase_add_test(tc, orphans__no_socket_list_no_state_line);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
