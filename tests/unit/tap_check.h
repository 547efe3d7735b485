/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TAP_CHECK_H
#define SOCKVET_TAP_CHECK_H

/*
 * Unit tests use Check, with TAP on stdout so prove runs them beside the
 * shell tests. Each test file defines `static Suite *suite(void)` and
 * ends with TAP_CHECK_MAIN. Tests fork (Check's default), so a crash in
 * one test is a failure of that test, not of the file.
 */

#include <check.h>
#include <stdlib.h>

#define TAP_CHECK_MAIN                                             \
	int main(void)                                             \
	{                                                          \
		SRunner *sr = srunner_create(suite());             \
		int failed;                                        \
		srunner_set_tap(sr, "-");                          \
		srunner_run_all(sr, CK_SILENT);                    \
		failed = srunner_ntests_failed(sr);                \
		srunner_free(sr);                                  \
		return failed ? EXIT_FAILURE : EXIT_SUCCESS;       \
	}

#endif
