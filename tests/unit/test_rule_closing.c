// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

/* n closing sockets of state k to addr in sample i, persist or retransmitting. */
static void closing(struct fx *f, unsigned i, const char *addr, int k, uint32_t n, bool persist)
{
	struct sample *s = f->s[i];
	struct s_closing *c = &s->closing[s->n_closing++];

	memset(c, 0, sizeof(*c));
	c->family = AF_INET;
	inet_pton(AF_INET, addr, c->daddr);
	c->n[k] = n;
	c->orphans = n;
	if (persist)
		c->persist = n;
	else
		c->retrans = n;
	c->send_q = (uint64_t)n * 4096;
}

static struct fx *run(unsigned n, const uint32_t *v, int k, bool persist)
{
	struct fx *f = fx_new(n, 1.0);

	for (unsigned i = 0; i < n; i++)
		closing(f, i, "10.0.0.9", k, v[i], persist);
	rule_run(&rule_closing_pile, &f->ser, &f->opts, &f->out);
	return f;
}

START_TEST(closing__threshold_both_sides)
{
	const uint32_t below[3] = { 99, 99, 99 }, at[3] = { 100, 100, 100 };
	struct fx *f = run(3, below, CL_FIN_WAIT1, true);

	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
	f = run(3, at, CL_FIN_WAIT1, true);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_int_eq(f->out.f[0].side, SIDE_NETWORK);
	ck_assert_str_eq(f->out.f[0].subject, "peer 10.0.0.9");
	ck_assert_uint_eq(f->out.f[0].n_changes, 0);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "zero window"));
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "tcp_orphan_retries"));
	fx_free(f);
}
END_TEST

START_TEST(closing__needs_every_sample)
{
	const uint32_t dip[3] = { 300, 99, 300 };
	struct fx *f = run(3, dip, CL_LAST_ACK, false);

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "retransmitting"));
	fx_free(f);
}
END_TEST

START_TEST(closing__one_sample_not_confirmed)
{
	const uint32_t big[1] = { 5000 };
	struct fx *f = run(1, big, CL_LAST_ACK, false);

	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

/* In a child namespace tcp_max_orphans is absent: said, and judged anyway. */
START_TEST(closing__max_orphans_unreadable)
{
	const uint32_t v[2] = { 200, 200 };
	struct fx *f = fx_new(2, 1.0);

	for (unsigned i = 0; i < 2; i++) {
		f->s[i]->sysctl.val[SYSCTL_TCP_MAX_ORPHANS].present = false;
		closing(f, i, "10.0.0.9", CL_FIN_WAIT1, v[i], true);
	}
	rule_run(&rule_closing_pile, &f->ser, &f->opts, &f->out);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "not readable in this network namespace"));
	fx_free(f);
}
END_TEST

/* The sample side: states, orphans, timers and Send-Q per remote address. */
START_TEST(closing__sample_aggregates)
{
	struct sample *s = malloc(sizeof(*s));
	struct sock_rec r;

	sample_init(s);
	memset(&r, 0, sizeof(r));
	r.table = TBL_TCP;
	r.family = AF_INET;
	inet_pton(AF_INET, "10.0.0.9", r.daddr);
	r.sport = 40000;
	r.state = SS_FIN_WAIT1;
	r.timer = 4;
	r.wqueue = 100;
	sample_add_sock(s, &r);
	r.state = SS_LAST_ACK;
	r.timer = 1;
	r.retrans = 3;
	r.inode = 7;
	r.sport = 40001;
	sample_add_sock(s, &r);
	r.state = SS_FIN_WAIT2;
	sample_add_sock(s, &r);
	ck_assert_uint_eq(s->n_closing, 1);
	ck_assert_uint_eq(s->closing[0].n[CL_FIN_WAIT1], 1);
	ck_assert_uint_eq(s->closing[0].n[CL_LAST_ACK], 1);
	ck_assert_uint_eq(s->closing[0].orphans, 1);
	ck_assert_uint_eq(s->closing[0].persist, 1);
	ck_assert_uint_eq(s->closing[0].retrans, 1);
	ck_assert_uint_eq(s->closing[0].max_backoff, 3);
	ck_assert_uint_eq(s->closing[0].send_q, 200);
	ck_assert(s->closing[0].lport_mixed);
	free(s);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_closing");
	TCase *t = tcase_create("core");

	tcase_add_test(t, closing__threshold_both_sides);
	tcase_add_test(t, closing__needs_every_sample);
	tcase_add_test(t, closing__one_sample_not_confirmed);
	tcase_add_test(t, closing__max_orphans_unreadable);
	tcase_add_test(t, closing__sample_aggregates);
	suite_add_tcase(s, t);
	return s;
}

TAP_CHECK_MAIN
