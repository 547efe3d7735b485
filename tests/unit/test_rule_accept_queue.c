// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "accept-queue-overflow"

/* One listener 0.0.0.0:8080 (inode 77) in every sample with these queues
 * and skmem d values. */
static void listener3(struct fx *f, const uint32_t rq[3], uint32_t wq, const uint32_t d[3])
{
	for (unsigned i = 0; i < 3; i++) {
		struct s_listener *l = fx_listener(f, i, "0.0.0.0", 8080, rq[i], wq);

		l->inode = 77;
		l->has_drops = true;
		l->drops = d[i];
	}
}

static void somaxconn(struct fx *f, int64_t v)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_sysctl(f->s[i], SYSCTL_SOMAXCONN, 1, v);
}

static void overflows(struct fx *f, uint64_t a, uint64_t b)
{
	fx_mib(f, 0, "TcpExtListenOverflows", a);
	fx_mib(f, f->ser.n - 1, "TcpExtListenOverflows", b);
	fx_mib(f, 0, "TcpExtListenDrops", a);
	fx_mib(f, f->ser.n - 1, "TcpExtListenDrops", b);
}

/* Owner process nginx[812] with fds / soft limit, attached in every sample. */
static void owner(struct fx *f, uint32_t fds, uint64_t soft)
{
	for (unsigned i = 0; i < f->ser.n; i++) {
		struct s_proc *p = sample_proc(f->s[i], 812, "nginx");

		p->fds = fds;
		p->has_limit = true;
		p->nofile_soft = soft;
		p->nofile_hard = 4096;
		f->s[i]->listeners[0].owner = 0;
		f->s[i]->have |= HAVE_OWNERS;
	}
}

static void run(struct fx *f)
{
	rule_run(&rule_accept_queue_overflow, &f->ser, &f->opts, &f->out);
}

static bool has_text(const struct finding *x, const char *needle)
{
	if (strstr(x->explanation, needle))
		return true;
	for (unsigned i = 0; i < x->n_evidence; i++)
		if (strstr(x->evidence[i], needle))
			return true;
	return false;
}

START_TEST(aq__recvq_equal_sendq_is_not_full)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 128, 128, 128 }, d[3] = { 0, 0, 0 };

	listener3(f, rq, 128, d);
	overflows(f, 5, 5);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(aq__full_every_sample_is_app_stalled_not_somaxconn)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 4097, 4097, 4097 }, d[3] = { 10, 20, 41 };
	const struct finding *x;

	listener3(f, rq, 4096, d);
	overflows(f, 100, 131);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "listener 0.0.0.0:8080");
	ck_assert_str_eq(x->evidence[0], "ss -ltn 'sport = :8080': Recv-Q 4097 > Send-Q 4096 in 3 of 3 samples");
	ck_assert_str_eq(x->evidence[1], "ss -ltnm 'sport = :8080': skmem d10 -> d41 (+31 in 2.0 s)");
	ck_assert_str_eq(x->evidence[2], "TcpExtListenOverflows rose by 31 in 2.0 s, whole network namespace, every listener "
			 "(nstat -az TcpExtListenOverflows)");
	ck_assert(strstr(x->explanation, "only delay"));
	ck_assert_str_eq(x->verify_command, "ss -ltnm 'sport = :8080'; nstat -az TcpExtListenOverflows");
	ck_assert_str_eq(x->fixed_when, "Recv-Q stays below Send-Q and skmem d stops growing");
	fx_free(f);
}
END_TEST

START_TEST(aq__somaxconn_cap_draining_with_drops_is_kernel)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 3, 129, 0 }, d[3] = { 10, 25, 41 };
	const struct finding *x;

	somaxconn(f, 128);
	listener3(f, rq, 128, d);
	overflows(f, 100, 131);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.core.somaxconn");
	ck_assert_str_eq(x->changes[0].current, "128");
	ck_assert_str_eq(x->changes[0].proposed, "4096");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.core.somaxconn=128");
	ck_assert_str_eq(x->changes[0].effective,
			 "only at the next listen(): restart the service (or have it call listen() again); existing listeners keep Send-Q 128");
	ck_assert(strstr(x->explanation, "only delays drops if the app cannot drain it"));
	ck_assert(has_text(x, "Recv-Q 129 > Send-Q 128 in 1 of 3 samples"));
	fx_free(f);
}
END_TEST

START_TEST(aq__somaxconn_proposal_scales_and_caps)
{
	static const struct { int64_t cur; const char *prop; } cases[] = {
		{ 4096, "16384" }, { 32768, "65535" },
	};

	for (unsigned c = 0; c < 2; c++) {
		struct fx *f = fx_new(3, 1.0);
		uint32_t wq = (uint32_t)cases[c].cur;
		const uint32_t rq[3] = { 0, wq + 1, 0 }, d[3] = { 0, 5, 9 };
		const struct finding *x;

		somaxconn(f, cases[c].cur);
		listener3(f, rq, wq, d);
		overflows(f, 0, 9);
		run(f);
		x = fx_find(f, ID);
		ck_assert_ptr_nonnull(x);
		ck_assert_uint_eq(x->n_changes, 1);
		ck_assert_str_eq(x->changes[0].proposed, cases[c].prop);
		fx_free(f);
	}
}
END_TEST

START_TEST(aq__somaxconn_at_ceiling_proposes_nothing)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 65536, 0 }, d[3] = { 0, 5, 9 };
	const struct finding *x;

	somaxconn(f, 65535);
	listener3(f, rq, 65535, d);
	overflows(f, 0, 9);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(strstr(x->explanation, "not the fix"));
	fx_free(f);
}
END_TEST

START_TEST(aq__app_backlog_below_somaxconn_is_app)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 512, 3 }, d[3] = { 0, 7, 12 };
	const struct finding *x;

	listener3(f, rq, 511, d);
	overflows(f, 0, 12);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert(strstr(x->explanation, "backlog="));
	ck_assert(strstr(x->explanation, "somaxconn caps"));
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "listen() backlog (app config)");
	ck_assert_str_eq(x->changes[0].current, "511");
	ck_assert_str_eq(x->changes[0].proposed, "2048");
	ck_assert_str_eq(x->changes[0].effective,
			 "at the next listen(): restart the service; net.core.somaxconn (4096) caps it");
	fx_free(f);
}
END_TEST

/* fds 973 of 1024 is within the 5 % (51 fds) margin; 972 is not. */
START_TEST(aq__owner_near_nofile_is_emfile)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 5, 5, 5 }, d[3] = { 0, 10, 20 };
	const struct finding *x;

	listener3(f, rq, 4, d);
	overflows(f, 0, 20);
	owner(f, 973, 1024);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->subject, "listener 0.0.0.0:8080 (process nginx[812])");
	ck_assert(has_text(x, "nginx[812]: 973 open fds, RLIMIT_NOFILE 1024 soft / 4096 hard"));
	ck_assert(strstr(x->explanation, "EMFILE"));
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "RLIMIT_NOFILE of nginx[812]");
	ck_assert_str_eq(x->changes[0].current, "1024:4096");
	ck_assert_str_eq(x->changes[0].proposed, "65536:65536");
	ck_assert_str_eq(x->changes[0].backout, "prlimit --pid 812 --nofile=1024:4096");
	ck_assert(strstr(x->verify_command, "/proc/812/fd"));
	ck_assert(!strstr(x->changes[0].setting, "somaxconn"));
	fx_free(f);

	f = fx_new(3, 1.0);
	listener3(f, rq, 4, d);
	overflows(f, 0, 20);
	owner(f, 972, 1024);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert(!strstr(x->explanation, "EMFILE"));
	ck_assert(strstr(x->explanation, "full in every sample"));
	fx_free(f);
}
END_TEST

START_TEST(aq__full_once_without_drops_is_warning)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 129, 0 }, d[3] = { 0, 0, 0 };
	const struct finding *x;

	somaxconn(f, 128);
	listener3(f, rq, 128, d);
	overflows(f, 0, 0);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

/* skmem d also rises for SYNs dropped for other reasons (retransmitted
 * SYNs of pending requests: +5 with ListenDrops 0, observed). */
START_TEST(aq__d_rising_needs_listen_overflows)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 0, 0 }, d[3] = { 0, 2, 5 };
	const struct finding *x;

	somaxconn(f, 128);
	listener3(f, rq, 128, d);
	overflows(f, 40, 40);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);

	f = fx_new(3, 1.0);
	somaxconn(f, 128);
	listener3(f, rq, 128, d);
	overflows(f, 40, 45);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert(has_text(x, "not full in any of 3 samples"));
	fx_free(f);
}
END_TEST

/* Full once, d rising but ListenOverflows still: the d is not accept-queue
 * drops, so neither critical nor a somaxconn change. */
START_TEST(aq__full_once_d_rising_without_overflows_is_warning)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 0, 129, 0 }, d[3] = { 0, 3, 5 };
	const struct finding *x;

	somaxconn(f, 128);
	listener3(f, rq, 128, d);
	overflows(f, 40, 40);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(aq__one_sample_full_no_change_no_trend)
{
	struct fx *f = fx_new(1, 1.0);
	struct s_listener *l = fx_listener(f, 0, "::", 443, 129, 128);
	const struct finding *x;

	fx_sysctl(f->s[0], SYSCTL_SOMAXCONN, 1, (int64_t)128);
	l->has_drops = true;
	l->drops = 300;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_ne(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "listener [::]:443");
	ck_assert(strstr(x->explanation, "could not be confirmed"));
	ck_assert(strstr(x->explanation, "sockvet --port 443 (without --once"));
	ck_assert(strstr(x->verify_command, "; sockvet --port 443"));

	/* The other side of "full": Recv-Q == Send-Q is not full (it holds
	 * Send-Q + 1); old drops alone are a note, with the same second look. */
	l->rq = 128;
	f->out.n = 0;
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_INFO);
	ck_assert(strstr(x->explanation, "one sample cannot tell when"));
	ck_assert(strstr(x->verify_command, "; sockvet --port 443"));
	fx_free(f);
}
END_TEST

START_TEST(aq__old_drops_only_info_and_capped)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	for (unsigned i = 0; i < 3; i++)
		for (uint16_t p = 0; p < 5; p++) {
			struct s_listener *l = fx_listener(f, i, "10.0.0.1", (uint16_t)(9000 + p), 0, 128);

			l->inode = 100u + p;
			l->has_drops = true;
			l->drops = 100u * (p + 1);
		}
	overflows(f, 500, 500);
	run(f);
	ck_assert_uint_eq(f->out.n, 3);
	for (unsigned k = 0; k < f->out.n; k++) {
		x = &f->out.f[k];
		ck_assert_int_eq(x->severity, SEV_INFO);
		ck_assert_int_eq(x->side, SIDE_NONE);
		ck_assert_uint_eq(x->n_changes, 0);
		/* the three with the most drops: ports 9002..9004 */
		ck_assert(strstr(x->subject, ":9002") || strstr(x->subject, ":9003") ||
			  strstr(x->subject, ":9004"));
	}
	fx_free(f);
}
END_TEST

/* A listener replaced between samples (new inode) is a different socket:
 * the old one's full queue is not the new one's problem. */
START_TEST(aq__listener_matched_by_inode)
{
	struct fx *f = fx_new(3, 1.0);
	struct s_listener *l;

	l = fx_listener(f, 0, "0.0.0.0", 8080, 129, 128);
	l->inode = 1;
	l->has_drops = true;
	l->drops = 50;
	for (unsigned i = 1; i < 3; i++) {
		l = fx_listener(f, i, "0.0.0.0", 8080, 0, 128);
		l->inode = 2;
		l->has_drops = true;
	}
	overflows(f, 0, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, ID));
	fx_free(f);
}
END_TEST

START_TEST(aq__host_counter_without_listener_evidence)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	for (unsigned i = 0; i < 3; i++)
		fx_listener(f, i, "0.0.0.0", 8080, 0, 128)->inode = 5;
	overflows(f, 0, 10);
	run(f);
	x = fx_find(f, ID);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "host (network namespace)");
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_accept_queue");
	TCase *t = tcase_create("core");

	tcase_add_test(t, aq__recvq_equal_sendq_is_not_full);
	tcase_add_test(t, aq__full_every_sample_is_app_stalled_not_somaxconn);
	tcase_add_test(t, aq__somaxconn_cap_draining_with_drops_is_kernel);
	tcase_add_test(t, aq__somaxconn_proposal_scales_and_caps);
	tcase_add_test(t, aq__somaxconn_at_ceiling_proposes_nothing);
	tcase_add_test(t, aq__app_backlog_below_somaxconn_is_app);
	tcase_add_test(t, aq__owner_near_nofile_is_emfile);
	tcase_add_test(t, aq__full_once_without_drops_is_warning);
	tcase_add_test(t, aq__d_rising_needs_listen_overflows);
	tcase_add_test(t, aq__full_once_d_rising_without_overflows_is_warning);
	tcase_add_test(t, aq__one_sample_full_no_change_no_trend);
	tcase_add_test(t, aq__old_drops_only_info_and_capped);
	tcase_add_test(t, aq__listener_matched_by_inode);
	tcase_add_test(t, aq__host_counter_without_listener_evidence);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
