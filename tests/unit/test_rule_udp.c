// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "udp-receive-buffer"

/* The UDP socket 0.0.0.0:514 (cookie 9) in every sample with these
 * Recv-Q and skmem d values and buffer rb. */
static void udp3(struct fx *f, const uint32_t rq[], const uint32_t d[], uint32_t rb)
{
	for (unsigned i = 0; i < f->ser.n; i++) {
		struct sample *s = f->s[i];
		struct s_udp *u = &s->udp[s->n_udp++];

		memset(u, 0, sizeof(*u));
		u->family = AF_INET;
		u->port = 514;
		u->cookie = 9;
		u->rq = rq[i];
		u->rb = rb;
		u->drops = d[i];
		u->owner = -1;
		s->udp_port[514 >> 3] |= 1u << (514 & 7);
		fx_sysctl(s, SYSCTL_RMEM_MAX, 1, (int64_t)4194304);
		fx_sysctl(s, SYSCTL_RMEM_DEFAULT, 1, (int64_t)212992);
	}
}

static const struct finding *run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_udp_receive_buffer, &f->ser, &f->opts, &f->out);
	return fx_find(f, ID);
}

START_TEST(udp__full_but_no_drop_rise_is_silent)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 212000, 212000, 212000 }, d[3] = { 50, 50, 50 };

	udp3(f, rq, d, 212992);
	ck_assert_ptr_null(run(f));
	fx_free(f);
}
END_TEST

START_TEST(udp__full_every_sample_is_slow_reader_app)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 212000, 209920, 212480 }, d[3] = { 10, 20000, 40000 };
	const struct finding *x;

	udp3(f, rq, d, 212992);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "UDP socket 0.0.0.0:514");
	ck_assert_str_eq(x->evidence[1], "ss -uanm 'sport = :514': skmem d10 -> d40000 (+39990 in 2.0 s)");
	ck_assert(strstr(x->explanation, "cannot keep up"));
	fx_free(f);
}
END_TEST

/* 75 % of rb is full, just below is not: the queue drained, so the buffer is the lever. */
START_TEST(udp__full_threshold_both_sides)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 159744, 159743, 159744 }, d[3] = { 0, 10, 20 };
	const struct finding *x;

	udp3(f, rq, d, 212992);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert(!strstr(x->explanation, "cannot keep up"));
	ck_assert(strstr(x->evidence[0], "full (>= 75 %) in 2 of 3 samples"));
	fx_free(f);
}
END_TEST

START_TEST(udp__default_buffer_draining_proposes_app_so_rcvbuf)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 212000, 1000 }, d[3] = { 0, 300, 300 };
	const struct finding *x;

	udp3(f, rq, d, 212992);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert(strstr(x->changes[0].setting, "SO_RCVBUF"));
	ck_assert_str_eq(x->changes[0].current, "106496");
	ck_assert_str_eq(x->changes[0].proposed, "8388608");
	ck_assert(strstr(x->explanation, "never set SO_RCVBUF"));
	fx_free(f);
}
END_TEST

START_TEST(udp__capped_by_rmem_max_is_kernel)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 8000000, 100, 8300000 }, d[3] = { 0, 500, 900 };
	const struct finding *x;

	udp3(f, rq, d, 8388608);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.core.rmem_max");
	ck_assert_str_eq(x->changes[0].current, "4194304");
	ck_assert_str_eq(x->changes[0].proposed, "16777216");
	fx_free(f);
}
END_TEST

START_TEST(udp__one_sample_full_warns_without_change)
{
	struct fx *f = fx_new(1, 1.0);
	const uint32_t rq[1] = { 212000 }, d[1] = { 7 };
	const struct finding *x;

	udp3(f, rq, d, 212992);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(udp__host_counter_without_socket_warns)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	ck_assert_ptr_null(run(f));
	fx_mib(f, 0, "UdpRcvbufErrors", 100);
	fx_mib(f, 2, "UdpRcvbufErrors", 100);
	ck_assert_ptr_null(run(f));
	fx_mib(f, 2, "UdpRcvbufErrors", 160);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->subject, "host (network namespace)");
	ck_assert_str_eq(x->evidence[0], "nstat -az UdpRcvbufErrors Udp6RcvbufErrors: rose by 60 in 2.0 s (whole network namespace)");
	fx_free(f);
}
END_TEST

START_TEST(udp__sndbuf_errors_need_a_rise)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	fx_mib(f, 0, "UdpSndbufErrors", 5);
	fx_mib(f, 2, "UdpSndbufErrors", 5);
	run(f);
	ck_assert_ptr_null(fx_find(f, "udp-send-buffer-errors"));
	fx_mib(f, 2, "UdpSndbufErrors", 2000);
	run(f);
	x = fx_find(f, "udp-send-buffer-errors");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert(strstr(x->evidence[0], "rose by 1995 in 2.0 s"));
	fx_free(f);
}
END_TEST

static const struct finding *run_listener(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_no_listener, &f->ser, &f->opts, &f->out);
	return fx_find(f, "no-listener");
}

START_TEST(udp__port_with_udp_socket_is_no_refusal)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 0, 0 }, d[3] = { 0, 0, 0 };
	const struct finding *x;

	udp3(f, rq, d, 212992);
	f->opts.port = 514;
	f->opts.symptom = SYMPTOM_REFUSED;
	x = run_listener(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert_int_eq(x->side, SIDE_NONE);
	ck_assert(strstr(x->explanation, "no RST"));
	fx_free(f);
}
END_TEST

START_TEST(udp__nothing_bound_says_icmp)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	f->opts.port = 514;
	x = run_listener(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert(strstr(x->explanation, "ICMP port unreachable"));
	/* Without the UDP input, nothing is said about UDP. */
	for (unsigned i = 0; i < 3; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_UDP;
	x = run_listener(f);
	ck_assert(!strstr(x->explanation, "ICMP"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_udp");
	TCase *t = tcase_create("core");

	tcase_add_test(t, udp__full_but_no_drop_rise_is_silent);
	tcase_add_test(t, udp__full_every_sample_is_slow_reader_app);
	tcase_add_test(t, udp__full_threshold_both_sides);
	tcase_add_test(t, udp__default_buffer_draining_proposes_app_so_rcvbuf);
	tcase_add_test(t, udp__capped_by_rmem_max_is_kernel);
	tcase_add_test(t, udp__one_sample_full_warns_without_change);
	tcase_add_test(t, udp__host_counter_without_socket_warns);
	tcase_add_test(t, udp__sndbuf_errors_need_a_rise);
	tcase_add_test(t, udp__port_with_udp_socket_is_no_refusal);
	tcase_add_test(t, udp__nothing_bound_says_icmp);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
