/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_KEEP_FIXTURE_H
#define SOCKVET_TEST_KEEP_FIXTURE_H

/*
 * What a test allocates, freed after it by a checked fixture
 * (tcase_add_checked_fixture(tc, NULL, keep_teardown)), so the ASan
 * build's leak check (make check-asan) sees none. Include after
 * series_fixture.h.
 */

#define KEEP_MAX 64

static void *keep_p[KEEP_MAX];
static unsigned keep_n;
static struct fx *keep_fxs[KEEP_MAX];
static unsigned keep_fx_n;

static void *keep(void *p)
{
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_lt(keep_n, KEEP_MAX);
	keep_p[keep_n++] = p;
	return p;
}

static struct fx *keep_fx(struct fx *f)
{
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_lt(keep_fx_n, KEEP_MAX);
	keep_fxs[keep_fx_n++] = f;
	return f;
}

static void keep_teardown(void)
{
	while (keep_n)
		free(keep_p[--keep_n]);
	while (keep_fx_n)
		fx_free(keep_fxs[--keep_fx_n]);
}

#endif
