// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include <string.h>

#define ID "unix-accept-queue-overflow"

/* The UNIX listener /run/php-fpm.sock (inode 55) in the first n samples
 * with these Recv-Q values and Send-Q wq. */
static void ulistener(struct fx *f, unsigned n, const uint32_t *rq, uint32_t wq)
{
	for (unsigned i = 0; i < n; i++) {
		struct sample *s = f->s[i];
		struct s_ulistener *u = &s->ulisteners[s->n_ulisteners++];

		memset(u, 0, sizeof(*u));
		snprintf(u->path, sizeof(u->path), "/run/php-fpm.sock");
		u->netid = NETID_U_STR;
		u->inode = 55;
		u->rq = rq[i];
		u->wq = wq;
		u->owner = -1;
		s->have |= HAVE_UNIX_LISTENERS;
	}
}

static void somaxconn(struct fx *f, int64_t v)
{
	for (unsigned i = 0; i < f->ser.n; i++)
		fx_sysctl(f->s[i], SYSCTL_SOMAXCONN, 1, v);
}

static const struct finding *run(struct fx *f)
{
	rule_run(&rule_unix_accept_queue_overflow, &f->ser, &f->opts, &f->out);
	return fx_find(f, ID);
}

START_TEST(ux__recvq_equal_sendq_is_not_full)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 128, 128, 128 };

	ulistener(f, 3, rq, 128);
	ck_assert_ptr_null(run(f));
	fx_free(f);
}
END_TEST

START_TEST(ux__full_every_sample_is_app_critical_no_change)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 129, 129, 129 };
	const struct finding *x;

	ulistener(f, 3, rq, 128);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_str_eq(x->subject, "UNIX listener /run/php-fpm.sock");
	ck_assert_str_eq(x->evidence[0], "ss -xl 'src /run/php-fpm.sock': Recv-Q 129 > Send-Q 128 (full) in 3 of 3 samples");
	ck_assert(strstr(x->explanation, "EAGAIN"));
	ck_assert(strstr(x->explanation, "full in every sample"));
	ck_assert_str_eq(x->verify_command, "ss -xl 'src /run/php-fpm.sock'");
	fx_free(f);
}
END_TEST

START_TEST(ux__app_backlog_below_somaxconn_proposes_backlog)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 10, 129, 3 };
	const struct finding *x;

	ulistener(f, 3, rq, 128);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].current, "128");
	ck_assert_str_eq(x->changes[0].proposed, "4096");
	ck_assert(strstr(x->explanation, "listen.backlog"));
	fx_free(f);
}
END_TEST

START_TEST(ux__somaxconn_cap_draining_is_kernel)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 17, 2, 17 };
	const struct finding *x;

	somaxconn(f, 16);
	ulistener(f, 3, rq, 16);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.core.somaxconn");
	ck_assert_str_eq(x->changes[0].current, "16");
	ck_assert_str_eq(x->changes[0].proposed, "4096");
	fx_free(f);
}
END_TEST

START_TEST(ux__somaxconn_at_ceiling_proposes_nothing)
{
	struct fx *f = fx_new(3, 1.0);
	const uint32_t rq[3] = { 65536, 2, 65536 };
	const struct finding *x;

	somaxconn(f, 65535);
	ulistener(f, 3, rq, 65535);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_uint_eq(x->n_changes, 0);
	fx_free(f);
}
END_TEST

START_TEST(ux__one_sample_is_warning_without_change)
{
	struct fx *f = fx_new(1, 1.0);
	const uint32_t rq[1] = { 9 };
	const struct finding *x;

	somaxconn(f, 8);
	ulistener(f, 1, rq, 8);
	x = run(f);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

START_TEST(ux__not_run_without_unix_listeners)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_UNIX_LISTENERS;
	ck_assert(!rule_run(&rule_unix_accept_queue_overflow, &f->ser, &f->opts, &f->out));
	ck_assert_uint_eq(f->out.n_not_run, 1);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_unix_listener");
	TCase *t = tcase_create("core");

	tcase_add_test(t, ux__recvq_equal_sendq_is_not_full);
	tcase_add_test(t, ux__full_every_sample_is_app_critical_no_change);
	tcase_add_test(t, ux__app_backlog_below_somaxconn_proposes_backlog);
	tcase_add_test(t, ux__somaxconn_cap_draining_is_kernel);
	tcase_add_test(t, ux__somaxconn_at_ceiling_proposes_nothing);
	tcase_add_test(t, ux__one_sample_is_warning_without_change);
	tcase_add_test(t, ux__not_run_without_unix_listeners);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
