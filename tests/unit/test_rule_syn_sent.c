// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

/* n SYN-SENT from 10.0.0.1 to 10.0.0.9:443 in sample i. */
static void syn_sent(struct fx *f, unsigned i, uint32_t n)
{
	struct sample *s = f->s[i];
	struct s_dest *d = &s->dests[s->n_dests++];

	memset(d, 0, sizeof(*d));
	d->family = AF_INET;
	inet_pton(AF_INET, "10.0.0.1", d->saddr);
	inet_pton(AF_INET, "10.0.0.9", d->daddr);
	d->dport = 443;
	d->syn_sent = n;
	d->total = n;
}

static struct fx *run(unsigned n, const uint32_t *v, enum symptom sym)
{
	struct fx *f = fx_new(n, 1.0);

	for (unsigned i = 0; i < n; i++)
		syn_sent(f, i, v[i]);
	f->opts.symptom = sym;
	rule_run(&rule_connect_timeouts, &f->ser, &f->opts, &f->out);
	return f;
}

START_TEST(syn_sent__threshold_both_sides)
{
	const uint32_t below[3] = { 49, 49, 49 }, at[3] = { 50, 50, 50 };
	struct fx *f = run(3, below, SYMPTOM_NONE);

	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
	f = run(3, at, SYMPTOM_NONE);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NETWORK);
	ck_assert_str_eq(f->out.f[0].subject, "destination 10.0.0.9:443");
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	fx_free(f);
	f = run(3, at, SYMPTOM_TIMEOUT);
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(syn_sent__needs_every_sample)
{
	const uint32_t dip[3] = { 80, 10, 80 };
	struct fx *f = run(3, dip, SYMPTOM_TIMEOUT);

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	fx_free(f);
}
END_TEST

START_TEST(syn_sent__one_sample_not_confirmed)
{
	const uint32_t big[1] = { 500 };
	struct fx *f = run(1, big, SYMPTOM_TIMEOUT);

	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

/* SYN-SENT to a listener here from our own address: the queue rules' case. */
START_TEST(syn_sent__local_listener_skipped)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		syn_sent(f, i, 200);
		inet_pton(AF_INET, "10.0.0.9", f->s[i]->dests[0].saddr);
		fx_listener(f, i, "0.0.0.0", 443, 9, 8);
	}
	rule_run(&rule_connect_timeouts, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_syn_sent");
	TCase *t = tcase_create("core");

	tcase_add_test(t, syn_sent__threshold_both_sides);
	tcase_add_test(t, syn_sent__needs_every_sample);
	tcase_add_test(t, syn_sent__one_sample_not_confirmed);
	tcase_add_test(t, syn_sent__local_listener_skipped);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
