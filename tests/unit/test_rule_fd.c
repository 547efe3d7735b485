// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

static struct s_proc *proc(struct fx *f, unsigned i, uint32_t pid, uint32_t fds,
			   uint64_t soft, uint64_t hard)
{
	struct s_proc *p = sample_proc(f->s[i], pid, "nginx");

	p->fds = fds;
	p->has_limit = true;
	p->nofile_soft = soft;
	p->nofile_hard = hard;
	return p;
}

static void run(struct fx *f)
{
	memset(&f->out, 0, sizeof(f->out));
	rule_run(&rule_fd_exhaustion, &f->ser, &f->opts, &f->out);
}

static void text_fits(const struct finding *x)
{
	ck_assert_uint_lt(strlen(x->explanation), sizeof(x->explanation) - 1);
	for (unsigned i = 0; i < x->n_evidence; i++)
		ck_assert_uint_lt(strlen(x->evidence[i]), FINDING_TEXT - 1);
}

START_TEST(fd__process_below_warn_is_silent)
{
	struct fx *f = fx_new(2, 1.0);

	proc(f, 0, 812, 819, 1024, 4096);
	proc(f, 1, 812, 818, 1024, 4096);   /* 79.9% */
	run(f);
	ck_assert_ptr_null(fx_find(f, "fd-exhaustion"));
	fx_free(f);
}
END_TEST

START_TEST(fd__process_warn_and_crit_split)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	proc(f, 0, 812, 830, 1024, 4096);
	proc(f, 1, 812, 820, 1024, 4096);   /* 80.1%, falling: load, not leak */
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_ptr_null(strstr(x->explanation, "likely a leak"));
	ck_assert_ptr_nonnull(strstr(x->explanation, "too low for the load"));
	text_fits(x);

	f->s[0]->procs[0].fds = 1000;       /* falling from here: not a leak */
	f->s[1]->procs[0].fds = 972;        /* 94.9% */
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_WARNING);
	f->s[1]->procs[0].fds = 973;        /* 95.0% */
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_CRITICAL);
	f->s[1]->procs[0].fds = 1024;       /* at the limit */
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(x->explanation, "AT the limit"));
	fx_free(f);
}
END_TEST

START_TEST(fd__growing_says_leak)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *x;

	proc(f, 0, 812, 900, 1024, 4096);
	proc(f, 1, 812, 940, 1024, 4096);
	proc(f, 2, 812, 980, 1024, 4096);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(strstr(x->explanation, "the process leaks fds"));
	ck_assert_str_eq(x->evidence[1],
			 "ls /proc/812/fd | wc -l: 900 -> 980 over 2.0 s, up at every sample "
			 "(+40.0/s, at the limit within a minute at this rate)");
	/* A leak: no limit raise is proposed, and it is critical (soon full). */
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	/* Up then flat is not "rising at every sample". */
	f->s[2]->procs[0].fds = 940;
	f->s[1]->procs[0].fds = 940;
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_null(strstr(x->explanation, "leaks fds"));
	fx_free(f);
}
END_TEST

START_TEST(fd__leak_rise_and_eta_thresholds)
{
	struct fx *f = fx_new(3, 10.0);
	const struct finding *x;

	/* +9 over the run: noise, the limit change stays. */
	proc(f, 0, 812, 830, 1024, 4096);
	proc(f, 1, 812, 835, 1024, 4096);
	proc(f, 2, 812, 839, 1024, 4096);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_null(strstr(x->explanation, "leaks fds"));
	ck_assert_uint_eq(x->n_changes, 2);
	/* +10: a leak, no change; 0.5/s leaves 370 s to the limit: a warning. */
	f->s[2]->procs[0].fds = 840;
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(strstr(x->explanation, "the process leaks fds"));
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	/* 124 fds left at 6.2/s is 20 s: critical. */
	f->s[2]->procs[0].fds = 954;
	f->s[1]->procs[0].fds = 900;
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(fd__exact_evidence_and_changes)
{
	struct fx *f = fx_new(2, 1.0);
	struct s_proc *p;
	const struct finding *x;

	proc(f, 0, 812, 1000, 1024, 4096);  /* flat: a limit too low, not a leak */
	p = proc(f, 1, 812, 1000, 1024, 4096);
	p->listeners = 1;
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(x->subject, "process nginx[812]");
	ck_assert_str_eq(x->evidence[0],
			 "ls /proc/812/fd | wc -l: 1000 open, 98% of Max open files 1024 (soft; hard 4096)");
	ck_assert_str_eq(x->evidence[2], "ss -ltnp: nginx[812] owns 1 listening socket");
	ck_assert_uint_eq(x->n_changes, 2);
	ck_assert_str_eq(x->changes[0].setting, "LimitNOFILE= in the unit of PID 812");
	ck_assert_str_eq(x->changes[0].current, "1024:4096");
	/* 2 x 1000 rounded up to a power of two; the hard limit is kept. */
	ck_assert_str_eq(x->changes[0].proposed, "2048:4096");
	ck_assert_str_eq(x->changes[0].backout,
			 "rm /etc/systemd/system/UNIT.d/override.conf; systemctl daemon-reload; "
			 "systemctl restart UNIT (UNIT: systemctl status 812)");
	ck_assert_str_eq(x->changes[1].backout, "prlimit --pid 812 --nofile=1024:4096");
	ck_assert_ptr_nonnull(strstr(x->changes[1].effective, "prlimit --pid 812 --nofile=2048:4096"));
	ck_assert_ptr_nonnull(strstr(x->explanation, "fs.nr_open (1048576)"));
	ck_assert_str_eq(x->verify_command,
			 "ls /proc/812/fd | wc -l; grep 'Max open files' /proc/812/limits");
	text_fits(x);
	fx_free(f);
}
END_TEST

START_TEST(fd__proposal_raises_hard_and_respects_nr_open)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	proc(f, 0, 812, 1000, 1024, 1024);
	proc(f, 1, 812, 1000, 1024, 1024);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_str_eq(x->changes[0].proposed, "2048:2048");

	fx_sysctl(f->s[1], SYSCTL_NR_OPEN, 1, (int64_t)1500);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_str_eq(x->changes[0].proposed, "1500:1500");
	fx_free(f);
}
END_TEST

START_TEST(fd__one_sample_no_change)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	proc(f, 0, 812, 1000, 1024, 4096);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->explanation, "With one sample"));
	fx_free(f);
}
END_TEST

START_TEST(fd__unlimited_or_unknown_limit_ignored)
{
	struct fx *f = fx_new(2, 1.0);
	struct s_proc *p;

	proc(f, 1, 812, 100000, UINT64_MAX, UINT64_MAX);
	p = proc(f, 1, 813, 1000, 1024, 4096);
	p->has_limit = false;
	run(f);
	ck_assert_uint_eq(f->out.n, 0);
	fx_free(f);
}
END_TEST

START_TEST(fd__worst_processes_first_and_bounded)
{
	struct fx *f = fx_new(2, 1.0);

	for (uint32_t i = 0; i < 6; i++)
		proc(f, 1, 100 + i, 900 + i * 10, 1024, 4096);
	run(f);
	ck_assert_uint_eq(f->out.n, 4);
	ck_assert_str_eq(f->out.f[0].subject, "process nginx[105]");
	ck_assert_str_eq(f->out.f[3].subject, "process nginx[102]");
	fx_free(f);
}
END_TEST

static void file_nr(struct fx *f, unsigned i, uint64_t alloc, uint64_t max)
{
	f->s[i]->have |= HAVE_FILE_NR;
	f->s[i]->file_nr_alloc = alloc;
	f->s[i]->file_nr_max = max;
}

START_TEST(fd__host_thresholds_and_side)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;

	file_nr(f, 0, 7000, 10000);
	file_nr(f, 1, 7999, 10000);
	run(f);
	ck_assert_ptr_null(fx_find(f, "fd-exhaustion"));
	file_nr(f, 1, 8000, 10000);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_KERNEL);
	ck_assert_str_eq(x->evidence[0],
			 "cat /proc/sys/fs/file-nr: 8000 allocated of fs.file-max 10000 (80%)");
	ck_assert_uint_eq(x->n_changes, 1);
	ck_assert_str_eq(x->changes[0].setting, "fs.file-max");
	ck_assert_str_eq(x->changes[0].current, "10000");
	ck_assert_str_eq(x->changes[0].proposed, "20000");
	ck_assert_str_eq(x->changes[0].backout, "sysctl -w fs.file-max=10000");
	text_fits(x);
	file_nr(f, 1, 9499, 10000);
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_WARNING);
	file_nr(f, 1, 9500, 10000);
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

START_TEST(fd__host_kernel_line_recent_vs_old)
{
	struct fx *f = fx_new(2, 1.0);
	const struct finding *x;
	struct kevent *e;

	f->s[0]->meta.mono_ns = 100 * 1000000000LL;
	f->s[1]->meta.mono_ns = 101 * 1000000000LL;
	file_nr(f, 1, 100, 10000);
	e = &f->s[1]->kevents[f->s[1]->n_kevents++];
	e->kind = KEV_FILE_MAX;
	e->ts_us = 40 * 1000000LL;          /* an hour-old style event: before the window */
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_str_eq(x->evidence[1],
			 "dmesg: \"VFS: file-max limit ... reached\" 1 time, the last 61 s ago");
	e->ts_us = 100500000LL;             /* during the samples */
	run(f);
	ck_assert_int_eq(fx_find(f, "fd-exhaustion")->severity, SEV_CRITICAL);
	/* Another kind of line is not ours. */
	e->kind = KEV_ORPHANS;
	run(f);
	ck_assert_ptr_null(fx_find(f, "fd-exhaustion"));
	fx_free(f);
}
END_TEST

START_TEST(fd__host_one_sample_no_change)
{
	struct fx *f = fx_new(1, 1.0);
	const struct finding *x;

	file_nr(f, 0, 9900, 10000);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	ck_assert_uint_eq(x->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(x->explanation, "could not be confirmed"));
	fx_free(f);
}
END_TEST

/* At the limit with its own listener full: accept() fails with EMFILE and
 * accept-queue-overflow carries the critical finding for that cause, so
 * this one stays a warning and points there (one cause, one critical). */
START_TEST(fd__full_listener_leaves_critical_to_accept_queue)
{
	struct fx *f = fx_new(2, 1.0);
	struct s_proc *p;
	struct s_listener *l;
	const struct finding *x;

	proc(f, 0, 812, 64, 64, 4096);
	p = proc(f, 1, 812, 64, 64, 4096);
	p->listeners = 1;
	l = fx_listener(f, 1, "127.0.0.1", 8081, 9, 8);
	l->owner = (int32_t)(p - f->s[1]->procs);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_WARNING);
	ck_assert_int_eq(x->side, SIDE_APP);
	ck_assert_str_eq(x->evidence[x->n_evidence - 1],
			 "ss -ltn 'sport = :8081': Recv-Q 9 > Send-Q 8: accept() fails, "
			 "reported as critical under accept-queue-overflow (same cause)");
	fx_free(f);

	/* Its listener not full: the limit itself is the critical finding. */
	f = fx_new(2, 1.0);
	proc(f, 0, 812, 64, 64, 4096);
	p = proc(f, 1, 812, 64, 64, 4096);
	l = fx_listener(f, 1, "127.0.0.1", 8081, 3, 8);
	l->owner = (int32_t)(p - f->s[1]->procs);
	run(f);
	x = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, SEV_CRITICAL);
	fx_free(f);
}
END_TEST

/* Process fds not read (an import without /proc): no process finding,
 * even for entries whose fd count would read as a full table. */
START_TEST(fd__no_fd_counts_no_process_finding)
{
	struct fx *f = fx_new(2, 1.0);

	proc(f, 0, 812, 1024, 1024, 4096);
	proc(f, 1, 812, 1024, 1024, 4096);
	for (unsigned i = 0; i < 2; i++)
		f->s[i]->have &= ~(uint32_t)HAVE_FDS;
	run(f);
	ck_assert_ptr_null(fx_find(f, "fd-exhaustion"));
	ck_assert_uint_eq(f->out.n_not_run, 0);
	f->s[1]->have |= HAVE_FDS;
	run(f);
	ck_assert_ptr_nonnull(fx_find(f, "fd-exhaustion"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rule_fd");
	TCase *tc = tcase_create("fd");

	tcase_add_test(tc, fd__process_below_warn_is_silent);
	tcase_add_test(tc, fd__process_warn_and_crit_split);
	tcase_add_test(tc, fd__growing_says_leak);
	tcase_add_test(tc, fd__leak_rise_and_eta_thresholds);
	tcase_add_test(tc, fd__exact_evidence_and_changes);
	tcase_add_test(tc, fd__proposal_raises_hard_and_respects_nr_open);
	tcase_add_test(tc, fd__one_sample_no_change);
	tcase_add_test(tc, fd__unlimited_or_unknown_limit_ignored);
	tcase_add_test(tc, fd__worst_processes_first_and_bounded);
	tcase_add_test(tc, fd__host_thresholds_and_side);
	tcase_add_test(tc, fd__host_kernel_line_recent_vs_old);
	tcase_add_test(tc, fd__host_one_sample_no_change);
	tcase_add_test(tc, fd__full_listener_leaves_critical_to_accept_queue);
	tcase_add_test(tc, fd__no_fd_counts_no_process_finding);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
