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

static Suite *suite(void)
{
	Suite *s = suite_create("reconcile");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, reconcile__one_knob_one_value);
	tcase_add_test(tc, reconcile__other_subjects_untouched);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
