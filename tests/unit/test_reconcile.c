// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "series_fixture.h"

#include "../../src/diagnose/reconcile.h"

static struct change *nofile(struct finding *f, const char *setting, const char *cur,
			     const char *prop, const char *knob)
{
	struct change *c = &f->changes[f->n_changes++];

	snprintf(c->setting, sizeof(c->setting), "%s", setting);
	snprintf(c->current, sizeof(c->current), "%s", cur);
	snprintf(c->proposed, sizeof(c->proposed), "%s", prop);
	snprintf(c->knob, sizeof(c->knob), "%s", knob);
	return c;
}

START_TEST(reconcile__one_knob_one_value)
{
	struct findings fs = { 0 };
	struct finding *a = &fs.f[fs.n++], *b = &fs.f[fs.n++];

	a->id = "accept-queue-overflow";
	snprintf(a->subject, sizeof(a->subject), "listener 127.0.0.1:8081");
	nofile(a, "RLIMIT_NOFILE of lab-server[812]", "64:4096", "65536:65536", "RLIMIT_NOFILE pid 812");
	b->id = "fd-exhaustion";
	snprintf(b->explanation, sizeof(b->explanation), "Out of fds.");
	nofile(b, "LimitNOFILE= in the unit of PID 812", "64:4096", "256:4096", "RLIMIT_NOFILE pid 812");
	nofile(b, "net.core.somaxconn", "16", "4096", "");
	nofile(b, "RLIMIT_NOFILE of PID 812 (prlimit)", "64:4096", "256:4096", "RLIMIT_NOFILE pid 812");
	findings_reconcile(&fs);

	ck_assert_uint_eq(a->n_changes, 1);
	ck_assert_str_eq(a->changes[0].proposed, "65536:65536");
	/* The other knob stays; both RLIMIT_NOFILE changes go, said once. */
	ck_assert_uint_eq(b->n_changes, 1);
	ck_assert_str_eq(b->changes[0].setting, "net.core.somaxconn");
	ck_assert_str_eq(b->explanation,
			 "Out of fds. The same setting (RLIMIT_NOFILE of lab-server[812]) is changed "
			 "under accept-queue-overflow (listener 127.0.0.1:8081): 64:4096 -> "
			 "65536:65536; one value for it, proposed there.");
}
END_TEST

START_TEST(reconcile__other_subjects_untouched)
{
	struct findings fs = { 0 };
	struct finding *a = &fs.f[fs.n++], *b = &fs.f[fs.n++];

	a->id = "accept-queue-overflow";
	nofile(a, "RLIMIT_NOFILE of x[812]", "64:4096", "65536:65536", "RLIMIT_NOFILE pid 812");
	b->id = "fd-exhaustion";
	nofile(b, "RLIMIT_NOFILE of PID 813 (prlimit)", "64:4096", "256:4096", "RLIMIT_NOFILE pid 813");
	findings_reconcile(&fs);
	ck_assert_uint_eq(a->n_changes, 1);
	ck_assert_uint_eq(b->n_changes, 1);
	ck_assert_str_eq(b->explanation, "");
}
END_TEST

/* The real pair: an owner at its fd limit behind a full listener makes
 * accept-queue-overflow (EMFILE form) and fd-exhaustion both speak of
 * its RLIMIT_NOFILE; the report must carry one value for it. */
START_TEST(reconcile__accept_queue_and_fd_agree)
{
	struct fx *f = fx_new(3, 1.0);
	const struct finding *aq, *fd;
	unsigned nofile = 0;

	for (unsigned i = 0; i < 3; i++) {
		struct s_listener *l = fx_listener(f, i, "0.0.0.0", 8080, 5, 4);
		struct s_proc *p = sample_proc(f->s[i], 812, "nginx");

		l->inode = 77;
		l->has_drops = true;
		l->drops = 10 * i;
		l->owner = 0;
		p->fds = 64;
		p->has_limit = true;
		p->nofile_soft = 64;
		p->nofile_hard = 4096;
		p->listeners = 1;
		f->s[i]->have |= HAVE_OWNERS;
	}
	fx_mib(f, 0, "TcpExtListenOverflows", 0);
	fx_mib(f, 2, "TcpExtListenOverflows", 20);
	fx_mib(f, 0, "TcpExtListenDrops", 0);
	fx_mib(f, 2, "TcpExtListenDrops", 20);
	diagnose_run(&f->ser, &f->opts, &f->out);
	aq = fx_find(f, "accept-queue-overflow");
	fd = fx_find(f, "fd-exhaustion");
	ck_assert_ptr_nonnull(aq);
	ck_assert_ptr_nonnull(fd);
	for (unsigned i = 0; i < f->out.n; i++)
		for (unsigned k = 0; k < f->out.f[i].n_changes; k++)
			nofile += !strcmp(f->out.f[i].changes[k].knob, "RLIMIT_NOFILE pid 812");
	ck_assert_uint_eq(nofile, 1);
	ck_assert_uint_eq(aq->n_changes, 1);
	ck_assert_uint_eq(fd->n_changes, 0);
	ck_assert_ptr_nonnull(strstr(fd->explanation, "is changed under accept-queue-overflow"));
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, reconcile__one_knob_one_value);
	tcase_add_test(tc, reconcile__other_subjects_untouched);
	tcase_add_test(tc, reconcile__accept_queue_and_fd_agree);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
