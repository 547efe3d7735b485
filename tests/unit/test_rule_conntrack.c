// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static void ct(struct fx *f, unsigned i, uint64_t count, uint64_t max, uint64_t drop,
	       uint64_t early)
{
	struct sample *s = f->s[i];

	s->have |= HAVE_CONNTRACK;
	s->conntrack_count = count;
	s->conntrack_max = max;
	s->have |= HAVE_CONNTRACK_STAT;
	s->conntrack_drop = drop;
	s->conntrack_early_drop = early;
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_conntrack_table_full, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
	ck_assert_uint_lt(strlen(x->verify_command), FINDING_TEXT - 1);
}

START_TEST(ct__below_warn_silent_and_no_conntrack_silent)
{
	struct fx *f = fx_new(2, 1.0);

	/* No conntrack count: the rule does not run, and says what it lacked. */
	f->s[0]->have &= ~HAVE_CONNTRACK;
	f->s[1]->have &= ~HAVE_CONNTRACK;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	ck_assert_uint_eq(f->out.n_not_run, 1);
	ck_assert_uint_eq(f->out.not_run[0].missing, HAVE_CONNTRACK);
	ct(f, 0, 7000, 10000, 5, 0);
	ct(f, 1, 7999, 10000, 5, 0);
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(ct__fraction_thresholds_and_side)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	ct(f, 0, 7000, 10000, 0, 0);
	ct(f, 1, 8000, 10000, 0, 0);
	run(f);
	x = fx_find(f, "conntrack-table-full");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	text_fits(x);
	ct(f, 1, 9499, 10000, 0, 0);
	run(f);
	ck_assert_int_eq(fx_find(f, "conntrack-table-full")->severity, SEV_WARNING);
	ct(f, 1, 9500, 10000, 0, 0);
	run(f);
	ck_assert_int_eq(fx_find(f, "conntrack-table-full")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(ct__drops_rising_is_critical_exact_text)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	ct(f, 0, 262000, 262144, 100, 10);
	ct(f, 1, 262100, 262144, 150, 20);
	ct(f, 2, 262144, 262144, 220, 30);
	run(f);
	x = fx_find(f, "conntrack-table-full");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_str_eq(x->evidence[0],
			 "sysctl net.netfilter.nf_conntrack_count: 262144 of nf_conntrack_max 262144 (100%)");
	ck_assert_str_eq(x->evidence[2],
			 "conntrack -S (/proc/net/stat/nf_conntrack) drop: +120 in 2.0 s");
	ck_assert_str_eq(x->evidence[3], "conntrack -S early_drop: +20 in 2.0 s");
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "net.netfilter.nf_conntrack_max");
	ck_assert_str_eq(x->changes[0].current, "262144");
	ck_assert_str_eq(x->changes[0].proposed, "524288");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w net.netfilter.nf_conntrack_max=262144");
	ck_assert_ptr_nonnull(strstr(x->explanation, "dropping packets now"));
	text_fits(x);
	fx_free(f);
}
END_TEST

START_TEST(ct__drop_counter_alone_fires_low_count_does_not)
{
	struct fx *f = fx_new(2, 1.0);

	/* Count low now but drops happened during the window: a burst. */
	ct(f, 0, 100, 10000, 7, 0);
	ct(f, 1, 100, 10000, 8, 0);
	run(f);
	ck_assert_int_eq(fx_find(f, "conntrack-table-full")->severity, SEV_CRITICAL);
	/* Early drop only: evicting, not yet dropping. */
	ct(f, 1, 100, 10000, 7, 3);
	run(f);
	ck_assert_int_eq(fx_find(f, "conntrack-table-full")->severity, SEV_WARNING);
	fx_free(f);
}
END_TEST

START_TEST(ct__kernel_line_recent_old_and_other_netns)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;
	struct kevent *e;

	f->s[0]->meta.mono_ns = 50 * 1000000000LL;
	f->s[1]->meta.mono_ns = 51 * 1000000000LL;
	ct(f, 0, 10, 10000, 0, 0);
	ct(f, 1, 10, 10000, 0, 0);
	e = &f->s[1]->kevents[f->s[1]->n_kevents++];
	e->kind = KEV_CONNTRACK_FULL;
	e->ts_us = 1000000;
	run(f);
	x = fx_find(f, "conntrack-table-full");
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(x->explanation, "another namespace"));
	ck_assert_str_eq(x->evidence[x->n_evidence - 1],
			 "dmesg: \"nf_conntrack: table full, dropping packet\" 1 time, the last 50 s ago");
	e->ts_us = 50500000;
	run(f);
	ck_assert_int_eq(fx_find(f, "conntrack-table-full")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(ct__one_sample_describes_no_change)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	ct(f, 0, 9900, 10000, 500, 0);
	run(f);
	x = fx_find(f, "conntrack-table-full");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	/* A since-boot drop total alone is not a trend. */
	ck_assert_ptr_null(strstr(x->explanation, "dropping packets now"));
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	ct(f, 0, 100, 10000, 500, 0);
	run(f);
	ck_assert_ptr_null(fx_find(f, "conntrack-table-full"));
	fx_free(f);
}
END_TEST

START_TEST(ct__max_from_sysctl_when_file_missing)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	ct(f, 0, 900, 0, 0, 0);
	ct(f, 1, 900, 0, 0, 0);
	fx_sysctl(f->s[1], SYSCTL_NF_CONNTRACK_MAX, 1, (int64_t)1000);
	run(f);
	x = fx_find(f, "conntrack-table-full");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->changes[0].proposed, "2000");
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_conntrack");
	TCase *tc = tcase_create("conntrack");

	tcase_add_test(tc, ct__below_warn_silent_and_no_conntrack_silent);
	tcase_add_test(tc, ct__fraction_thresholds_and_side);
	tcase_add_test(tc, ct__drops_rising_is_critical_exact_text);
	tcase_add_test(tc, ct__drop_counter_alone_fires_low_count_does_not);
	tcase_add_test(tc, ct__kernel_line_recent_old_and_other_netns);
	tcase_add_test(tc, ct__one_sample_describes_no_change);
	tcase_add_test(tc, ct__max_from_sysctl_when_file_missing);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
