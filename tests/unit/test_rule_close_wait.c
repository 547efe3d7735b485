// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

/* One program's CLOSE-WAIT in sample i, also counted host-wide and on port. */
static void cw(struct fx *f, unsigned i, uint32_t pid, const char *comm, uint32_t n,
	       uint32_t unread, uint16_t port)
{
	struct sample *s = f->s[i];
	struct s_proc *p = sample_proc(s, pid, comm);

	p->close_wait = n;
	p->close_wait_unread = unread;
	s->have |= HAVE_OWNERS;
	s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] += n;
	s->close_wait_by_port[port] += n;
}

/* CLOSE-WAIT nobody could attribute (not root). */
static void cw_anon(struct fx *f, unsigned i, uint16_t port, uint32_t n)
{
	f->s[i]->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] += n;
	f->s[i]->close_wait_by_port[port] += n;
}

static struct fx *series3(uint32_t a, uint32_t b, uint32_t c, uint32_t unread)
{
	struct fx *f = fx_new(3, 1.0);
	uint32_t v[3] = { a, b, c };

	for (unsigned i = 0; i < 3; i++)
		cw(f, i, 812, "nginx", v[i], v[i] < unread ? v[i] : unread, 8080);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	return f;
}

START_TEST(cw__persisting_threshold_both_sides)
{
	struct fx *f = series3(10, 10, 10, 0);
	const struct finding *x = fx_find(f, "close-wait-leak");

	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->subject, "process nginx[812]");
	fx_free(f);

	f = series3(9, 9, 9, 0);
	ck_assert_uint_eq(f->out.n, 0);   /* nor any per-port fallback */
	fx_free(f);

	/* Persistence means every sample: one dip below 10 is not a leak. */
	f = series3(12, 5, 12, 0);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(cw__critical_by_size_or_growth)
{
	struct fx *f = series3(1000, 1000, 1000, 0);

	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	fx_free(f);
	f = series3(999, 999, 999, 0);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);
	/* Persisting and rising at every sample. */
	f = series3(10, 30, 55, 0);
	ck_assert_int_eq(f->out.f[0].severity, SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "grew by 45"));
	fx_free(f);
	/* Rising but flat once: persisting only. */
	f = series3(10, 30, 30, 0);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);
	/* A leak starting from nothing: growing, not yet persisting. */
	f = series3(0, 12, 25, 0);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);
	/* Growth of exactly 10 is enough, 9 is not (the last count is 10 in both). */
	f = series3(0, 5, 10, 0);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);
	f = series3(1, 5, 10, 0);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
	/* Growth too small to call. */
	f = series3(0, 5, 9, 0);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
	/* Draining: gone at the end. */
	f = series3(25, 12, 0, 0);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(cw__exact_text_and_recv_q_split)
{
	struct fx *f = series3(1204, 1310, 1422, 1200);
	const struct finding *x = &f->out.f[0];

	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_str_eq(x->evidence[0], "ss -tanp state close-wait | grep -c 'pid=812,': "
			 "1,204 -> 1,310 -> 1,422 in 3 samples over 2.0 s");
	ck_assert_str_eq(x->evidence[1], "Recv-Q >= 1 (EOF never read): 1,200; Recv-Q 0 "
			 "(EOF read, close() not called): 222 (last sample)");
	ck_assert_str_eq(x->evidence[2], "ss -tan state close-wait 'sport = :8080': 1,422 in "
			 "the last sample (all owners)");
	ck_assert_str_eq(x->verify_command, "ss -tanp state close-wait | grep -c 'pid=812,'");
	ck_assert_str_eq(x->fixed_when, "the count drops to near 0 and stays there");
	ck_assert_ptr_nonnull(strstr(x->explanation, "1,200 have Recv-Q >= 1: the app never read"));
	ck_assert_ptr_nonnull(strstr(x->explanation, "222 have Recv-Q 0: the app read the EOF"));
	/* Never a sysctl: nothing in the kernel fixes an app that does not close. */
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_null(strstr(x->explanation, "sysctl -w"));
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	fx_free(f);

	/* All unread: no claim about a missing close() after EOF. */
	f = series3(50, 50, 50, 50);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "50 have Recv-Q >= 1"));
	ck_assert_ptr_null(strstr(f->out.f[0].explanation, "Recv-Q 0:"));
	fx_free(f);
	/* All read: no claim about an unread EOF. */
	f = series3(50, 50, 50, 0);
	ck_assert_ptr_null(strstr(f->out.f[0].explanation, "Recv-Q >= 1:"));
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "50 have Recv-Q 0"));
	fx_free(f);
}
END_TEST

START_TEST(cw__fd_limit_evidence)
{
	struct fx *f = fx_new(2, 1.0);

	for (unsigned i = 0; i < 2; i++) {
		struct s_proc *p;

		cw(f, i, 77, "java", 900, 900, 41000);
		p = sample_proc(f->s[i], 77, "java");
		p->fds = 1010;
		p->has_limit = true;
		p->nofile_soft = 1024;
	}
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_str_eq(f->out.f[0].evidence[2],
			 "ls /proc/77/fd | wc -l: 1,010; /proc/77/limits Max open files (soft): 1,024");
	fx_free(f);
}
END_TEST

START_TEST(cw__one_sample_describes_only)
{
	struct fx *f = fx_new(1, 1.0);

	cw(f, 0, 812, "nginx", 500, 0, 8080);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_int_eq(f->out.f[0].severity, SEV_INFO);
	ck_assert_int_eq(f->out.f[0].side, SIDE_APP);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "could not be confirmed"));
	ck_assert_str_eq(f->out.f[0].evidence[0],
			 "ss -tanp state close-wait | grep -c 'pid=812,': 500 (one sample)");
	fx_free(f);

	/* Too many for any transient, but still unconfirmed: not critical. */
	f = fx_new(1, 1.0);
	cw(f, 0, 812, "nginx", 1000, 0, 8080);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_int_eq(f->out.f[0].severity, SEV_WARNING);
	fx_free(f);

	f = fx_new(1, 1.0);
	cw(f, 0, 812, "nginx", 9, 0, 8080);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(cw__prefork_pool_is_one_program)
{
	struct fx *f = fx_new(3, 1.0);

	/* Twelve workers with 5 each: none alone reaches 10, the pool leaks 60;
	 * the pids change between samples (workers recycled). */
	for (unsigned i = 0; i < 3; i++)
		for (uint32_t w = 0; w < 12; w++)
			cw(f, i, 1000 + i * 100 + w, "php-fpm", 5, 5, 9000);
	cw(f, 2, 1, "systemd", 3, 0, 22);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_str_eq(f->out.f[0].subject, "processes php-fpm (12 pids)");
	ck_assert_str_eq(f->out.f[0].verify_command,
			 "ss -tanp state close-wait | grep -c '\"php-fpm\",pid='");
	ck_assert_ptr_nonnull(strstr(f->out.f[0].evidence[0], "60 -> 60 -> 60"));
	fx_free(f);
}
END_TEST

START_TEST(cw__unknown_owner_falls_back_to_ports)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		cw_anon(f, i, 8080, 40);
		/* Client connections: one per ephemeral port, 15 in all. */
		for (uint16_t p = 0; p < 15; p++)
			cw_anon(f, i, (uint16_t)(45000 + p), 1);
		sample_unavailable(f->s[i], "process owners",
				   "not root: only your own processes' sockets can be attributed");
	}
	fx_listener(f, 2, "0.0.0.0", 8080, 0, 4096);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_str_eq(f->out.f[0].subject, "local port 8080");
	ck_assert_int_eq(f->out.f[0].side, SIDE_APP);
	ck_assert_str_eq(f->out.f[0].evidence[0],
			 "ss -tan state close-wait 'sport = :8080': 40 -> 40 -> 40 in 3 samples over 2.0 s");
	ck_assert_str_eq(f->out.f[0].evidence[1], "owning process not attributed: not root: "
			 "only your own processes' sockets can be attributed");
	ck_assert_ptr_nonnull(strstr(f->out.f[0].explanation, "(a port this host listens on)"));
	ck_assert_str_eq(f->out.f[0].verify_command, "ss -tanp state close-wait 'sport = :8080'");
	/* The rest, spread over ephemeral ports, without counting 8080 twice. */
	ck_assert_str_eq(f->out.f[1].subject, "host");
	ck_assert_ptr_nonnull(strstr(f->out.f[1].evidence[0], "15 -> 15 -> 15"));
	fx_free(f);

	/* A remainder under the minimum is not reported. */
	f = fx_new(3, 1.0);
	for (unsigned i = 0; i < 3; i++) {
		cw_anon(f, i, 8080, 40);
		for (uint16_t p = 0; p < 9; p++)
			cw_anon(f, i, (uint16_t)(45000 + p), 1);
	}
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 1);
	ck_assert_str_eq(f->out.f[0].evidence[1],
			 "owning process not attributed: the process map was not built");
	fx_free(f);
}
END_TEST

START_TEST(cw__owner_known_wins_over_ports)
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		cw(f, i, 812, "nginx", 40, 0, 8080);
		cw(f, i, 900, "worker", 30, 30, 8081);
	}
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	/* One finding per program, worst first, and no per-port duplicates. */
	ck_assert_uint_eq(f->out.n, 2);
	ck_assert_str_eq(f->out.f[0].subject, "process nginx[812]");
	ck_assert_str_eq(f->out.f[1].subject, "process worker[900]");
	fx_free(f);
}
END_TEST

START_TEST(cw__long_text_not_truncated)
{
	struct fx *f = fx_new(8, 1.0);

	for (unsigned i = 0; i < 8; i++)
		cw(f, i, 4294967, "abcdefghijklmno", 1000000 + i * 100000, 500000, 8080);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_lt(strlen(f->out.f[0].explanation), sizeof(f->out.f[0].explanation) - 1);
	ck_assert_ptr_nonnull(strstr(f->out.f[0].evidence[0], " -> ... -> 1,700,000 in 8 samples"));
	fx_free(f);
}
END_TEST

/* The live triage looks up owners in the last sample only: a steady pile
 * (host-wide counts earlier, the program's now) is still the program's.
 * It once fell back to "local port" because earlier samples counted 0. */
START_TEST(cw__owners_in_last_sample_only)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	cw_anon(f, 0, 8083, 64);
	cw_anon(f, 1, 8083, 64);
	cw(f, 2, 812, "lab-server", 64, 64, 8083);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	x = fx_find(f, "close-wait-leak");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "process lab-server[812]");
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_ptr_nonnull(strstr(x->evidence[0], "64 -> 64 -> 64"));
	ck_assert_ptr_nonnull(strstr(x->evidence[1], "owners were looked up in the last sample only"));
	fx_free(f);

	/* A pile that was not there before is not called persisting. */
	f = fx_new(3, 1.0);
	cw(f, 2, 812, "lab-server", 64, 64, 8083);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_ptr_null(fx_find(f, "close-wait-leak"));
	fx_free(f);
}
END_TEST

/*
 * Per socket: n accepted CLOSE-WAIT sockets with cookies base..base+n-1
 * in sample i, owned by pid (owners known in the last sample only, as
 * the live triage gives them).
 */
static void cw_socks(struct fx *f, unsigned i, uint64_t base, uint32_t n, uint32_t pid)
{
	struct sample *s = f->s[i];
	int32_t owner = -1;

	s->cw_tracked = true;
	if (i + 1 == f->ser.n) {
		struct s_proc *p = sample_proc(s, pid, "lab-server");

		p->close_wait += n;
		s->have |= HAVE_OWNERS;
		owner = (int32_t)(p - s->procs);
	}
	for (uint32_t j = 0; j < n; j++) {
		struct s_cw *c = &s->cw[s->n_cw++];

		c->cookie = base + j;
		c->inode = (uint32_t)(1000 + base + j);
		c->port = 8088;
		c->owner = owner;
	}
	s->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] += n;
	s->close_wait_by_port[8088] += n;
}

static struct fx *socks3(const uint64_t base[3], const uint32_t n[3])
{
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++)
		cw_socks(f, i, base[i], n[i], 900);
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	return f;
}

START_TEST(cw__per_socket_sawtooth_is_not_a_leak)
{
	/* Counts 20 -> 40 -> 60, "rising at every sample", but every
	 * sample's sockets are new: they come and go. */
	const uint64_t fresh[3] = { 100, 200, 300 }, same[3] = { 100, 100, 100 };
	const uint32_t rising[3] = { 20, 40, 60 }, flat[3] = { 10, 10, 10 }, low[3] = { 9, 9, 9 };
	struct fx *f = socks3(fresh, rising);

	ck_assert_ptr_null(fx_find(f, "close-wait-leak"));
	fx_free(f);
	/* The same sockets at every sample: persisting, both sides of 10. */
	f = socks3(same, flat);
	ck_assert_ptr_nonnull(fx_find(f, "close-wait-leak"));
	ck_assert_str_eq(fx_find(f, "close-wait-leak")->subject, "process lab-server[900]");
	ck_assert_ptr_nonnull(strstr(fx_find(f, "close-wait-leak")->evidence[1], "per socket"));
	fx_free(f);
	f = socks3(same, low);
	ck_assert_ptr_null(fx_find(f, "close-wait-leak"));
	fx_free(f);
	/* A leak: the old sockets stay, new ones join (100.. is a prefix). */
	f = socks3(same, rising);
	ck_assert_int_eq(fx_find(f, "close-wait-leak")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(cw__unaccepted_are_not_a_leak)
{
	/* 64 children in CLOSE-WAIT still in the accept queue (inode 0)
	 * at every sample: the accept queue's symptom, no finding here. */
	struct fx *f = fx_new(3, 1.0);

	for (unsigned i = 0; i < 3; i++) {
		f->s[i]->cw_tracked = true;
		f->s[i]->tally.by_state[TBL_TCP][SS_CLOSE_WAIT] = 64;
		f->s[i]->close_wait_unaccepted = 64;
		f->s[i]->close_wait_unaccepted_by_port[8088] = 64;
	}
	f->s[2]->have |= HAVE_OWNERS;
	rule_run(&rule_close_wait_leak, &f->ser, &f->opts, &f->out);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_close_wait");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cw__persisting_threshold_both_sides);
	tcase_add_test(tc, cw__critical_by_size_or_growth);
	tcase_add_test(tc, cw__exact_text_and_recv_q_split);
	tcase_add_test(tc, cw__fd_limit_evidence);
	tcase_add_test(tc, cw__one_sample_describes_only);
	tcase_add_test(tc, cw__prefork_pool_is_one_program);
	tcase_add_test(tc, cw__unknown_owner_falls_back_to_ports);
	tcase_add_test(tc, cw__owner_known_wins_over_ports);
	tcase_add_test(tc, cw__long_text_not_truncated);
	tcase_add_test(tc, cw__owners_in_last_sample_only);
	tcase_add_test(tc, cw__per_socket_sawtooth_is_not_a_leak);
	tcase_add_test(tc, cw__unaccepted_are_not_a_leak);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
