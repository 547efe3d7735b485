// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "sender-buffer-limited"
#define MS 1000ull
#define WMEM_MAX 4194304

/* tcp_wmem 4096 16384 4194304 and tcp_mem min 287901 (fixture) in every sample. */
static void wmem(struct fx *f)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_sysctl(f->s[i], SYSCTL_TCP_WMEM, 3, (int64_t)4096, (int64_t)16384,
			  (int64_t)WMEM_MAX);
}

static struct s_conn *conn_at(struct fx *f, unsigned i, uint64_t cookie, uint64_t busy,
			      uint64_t sndbuf, uint32_t tb)
{
	struct s_conn *c = fx_conn(f, i, cookie, "10.0.0.1", 40000, "10.0.0.2", 5001, true);

	c->busy_us = busy;
	c->sndbuf_limited_us = sndbuf;
	c->has_skmem = true;
	c->sk_sndbuf = tb;
	c->sk_wmem_queued = tb;
	c->wq = 3000000;
	c->rtt_us = 40000;
	return c;
}

/* Same connection in 3 samples, busy / sndbuf_limited growing per step. */
static void conn3(struct fx *f, uint64_t busy_step, uint64_t sndbuf_step, uint32_t tb)
{
	for (unsigned i = 0; i < 3; i++)
		conn_at(f, i, 9, 5000 * MS + i * busy_step, 1000 * MS + i * sndbuf_step, tb);
}

static void run(struct fx *f)
{
	rule_run(&rule_sender_buffer_limited, &f->ser, &f->opts, &f->out);
}

/* Whether conn3 at the tcp_wmem ceiling, with these steps, gives a finding. */
static bool fires3(uint64_t busy_step, uint64_t sndbuf_step)
{
	struct fx *f = fx_new(3, 1.0);

	wmem(f);
	conn3(f, busy_step, sndbuf_step, WMEM_MAX);
	return fx_fires(f, &rule_sender_buffer_limited, ID);
}

START_TEST(sb__share_threshold_both_sides)
{
	ck_assert(fires3(1000 * MS, 250 * MS));
	ck_assert(!fires3(1000 * MS, 240 * MS));
}
END_TEST

START_TEST(sb__busy_minimum_both_sides)
{
	ck_assert(!fires3(48 * MS, 48 * MS));     /* 96 ms busy, all limited */
	ck_assert(fires3(50 * MS, 50 * MS));
}
END_TEST

START_TEST(sb__history_alone_is_quiet)
{
	ck_assert(!fires3(1000 * MS, 0));   /* 1 s of 5 s limited before, none now */
}
END_TEST

START_TEST(sb__at_ceiling_is_kernel_with_exact_change)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, WMEM_MAX);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.ipv4.tcp_wmem");
	ck_assert_str_eq(x->changes[0].current, "4096 16384 4194304");
	ck_assert_str_eq(x->changes[0].proposed, "4096 16384 8388608");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.ipv4.tcp_wmem='4096 16384 4194304'");
	ck_assert_str_eq(x->verify_command, "ss -tim dst 10.0.0.2:5001");
	fx_free(f);
}
END_TEST

START_TEST(sb__below_ceiling_is_app_no_sysctl)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, 87040);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "SO_SNDBUF (application config)");
	ck_assert_str_eq(x->changes[0].proposed, "unset (autotuning up to 4194304)");
	ck_assert(!strstr(x->changes[0].setting, "sysctl"));
	ck_assert(fx_has_text(x, "SO_SNDBUF"));
	fx_free(f);
}
END_TEST

START_TEST(sb__above_ceiling_is_app)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, WMEM_MAX + 1);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->changes[0].proposed, "at least 4194305 (net.core.wmem_max caps it)");
	fx_free(f);
}
END_TEST

START_TEST(sb__below_ceiling_under_tcp_mem_pressure_is_kernel_no_wmem)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, 87040);
	f->s[1]->sockstat.tcp_mem.present = true;
	f->s[1]->sockstat.tcp_mem.v = 287901;   /* == tcp_mem min */
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "TCP mem 287901 pages >= tcp_mem min 287901"));
	fx_free(f);

	/* One page below tcp_mem min: autotuning was free to grow it. */
	f = fx_new(3, 1.0);
	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, 87040);
	f->s[1]->sockstat.tcp_mem.present = true;
	f->s[1]->sockstat.tcp_mem.v = 287900;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	fx_free(f);
}
END_TEST

START_TEST(sb__without_skmem_cannot_tell_info)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, WMEM_MAX);
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->conns[0].has_skmem = false;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "cannot be told"));
	fx_free(f);

	/* Without tcp_wmem either. */
	f = fx_new(3, 1.0);
	conn3(f, 1000 * MS, 600 * MS, WMEM_MAX);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(sb__one_sample_no_change)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	wmem(f);
	conn_at(f, 0, 9, 2000 * MS, 1000 * MS, WMEM_MAX);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "over the connection's life"));
	ck_assert(fx_has_text(x, "no trend confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(sb__seen_once_in_series_no_change)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn_at(f, 0, 9, 2000 * MS, 1000 * MS, 87040);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(fx_has_text(x, "no trend confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(sb__evidence_text_exact)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	wmem(f);
	conn3(f, 1000 * MS, 600 * MS, 87040);
	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->conns[0].sk_wmem_queued = 90112;
		f->s[i]->conns[0].wq = 65160;
	}
	sample_proc(f->s[2], 812, "backup");
	f->s[2]->conns[0].owner = 0;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "connection 10.0.0.1:40000 -> 10.0.0.2:5001");
	ck_assert_str_eq(x->evidence[0],
			 "ss -tin 'src 10.0.0.1:40000 and dst 10.0.0.2:5001': sndbuf_limited 1200 ms of busy 2000 ms (60%) in 2.0 s");
	ck_assert_str_eq(x->evidence[1],
			 "skmem tb 87040 w 90112 (tcp_wmem max 4194304), notsent 0, Send-Q 65160; process backup[812]");
	ck_assert_str_eq(x->changes[0].setting, "SO_SNDBUF of backup[812]");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_sndbuf_limited");
	TCase *t = tcase_create("core");

	tcase_add_test(t, sb__share_threshold_both_sides);
	tcase_add_test(t, sb__busy_minimum_both_sides);
	tcase_add_test(t, sb__history_alone_is_quiet);
	tcase_add_test(t, sb__at_ceiling_is_kernel_with_exact_change);
	tcase_add_test(t, sb__below_ceiling_is_app_no_sysctl);
	tcase_add_test(t, sb__above_ceiling_is_app);
	tcase_add_test(t, sb__below_ceiling_under_tcp_mem_pressure_is_kernel_no_wmem);
	tcase_add_test(t, sb__without_skmem_cannot_tell_info);
	tcase_add_test(t, sb__one_sample_no_change);
	tcase_add_test(t, sb__seen_once_in_series_no_change);
	tcase_add_test(t, sb__evidence_text_exact);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
