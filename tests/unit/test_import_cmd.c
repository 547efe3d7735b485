// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Pasted command lines (src/import/import_cmd.c). These catch a program
 * name taken from sudo or a path, a quoted '|' taken for a pipe, a
 * `| sort` taken for a subset (or a `| grep` missed), and a redirection
 * taken for an argument.
 */
#include "tap_check.h"
#include "../../src/import/import_cmd.h"

#include <string.h>

START_TEST(cmd__program_args_and_subset)
{
	struct import_cmd c;
	char label[48];

	import_cmd_parse(&c, "sudo -E /usr/sbin/sysctl -n net.core.somaxconn 2>/dev/null | sort");
	ck_assert_str_eq(c.prog, "sysctl");
	ck_assert_uint_eq(c.argc, 2);
	ck_assert_str_eq(c.argv[1], "net.core.somaxconn");
	ck_assert_ptr_null(c.subset);
	ck_assert(import_cmd_flag(&c, 'n'));
	ck_assert(!import_cmd_flag(&c, 'a'));
	import_cmd_label(&c, "x", label, sizeof(label));
	ck_assert_str_eq(label, "sysctl -n");

	import_cmd_parse(&c, "dmesg -T|grep -E 'SYN|conntrack' | tail -5");
	ck_assert_str_eq(c.prog, "dmesg");
	ck_assert_uint_eq(c.argc, 1);
	ck_assert_str_eq(c.subset, "grep");

	import_cmd_parse(&c, "journalctl -k --since \"1 hour ago\" | head");
	ck_assert_uint_eq(c.argc, 3);
	ck_assert_str_eq(c.argv[2], "1 hour ago");
	ck_assert(import_cmd_word(&c, "--since"));
	ck_assert(!import_cmd_flag(&c, 's'));       /* a long option is no bundle */
	ck_assert_str_eq(c.subset, "head");

	import_cmd_parse(&c, "cat /proc/sys/fs/file-nr");
	ck_assert_str_eq(import_cmd_arg_prefix(&c, "/proc/sys/"), "/proc/sys/fs/file-nr");

	import_cmd_parse(&c, NULL);
	ck_assert_str_eq(c.prog, "");
	import_cmd_label(&c, "fallback", label, sizeof(label));
	ck_assert_str_eq(label, "fallback");
}
END_TEST

START_TEST(cmd__hostile)
{
	struct import_cmd c;
	char big[IMPORT_CMD_MAX * 2];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	import_cmd_parse(&c, big);                 /* cut, not overrun */
	ck_assert_uint_eq(strlen(c.prog), IMPORT_CMD_MAX - 1);
	memset(big, 0, sizeof(big));
	for (size_t i = 0; i + 2 < sizeof(big) && i < 200; i += 2)
		memcpy(big + i, "x ", 2);
	import_cmd_parse(&c, big);
	ck_assert_uint_eq(c.argc, IMPORT_CMD_WORDS);
	import_cmd_parse(&c, "'unterminated | grep x");
	ck_assert_ptr_null(c.subset);
	import_cmd_parse(&c, "| | |");
	ck_assert_str_eq(c.prog, "");
	ck_assert_ptr_null(c.subset);
	ck_assert_ptr_null(c.piped);
}
END_TEST

/* A program behind a wrapper, and the stage after the first pipe. */
START_TEST(cmd__runs_and_piped)
{
	struct import_cmd c;

	import_cmd_parse(&c, "sudo ip netns exec web /usr/sbin/ss -tan state listening | wc -l");
	ck_assert_str_eq(c.prog, "ip");
	ck_assert_int_eq(import_cmd_runs(&c, "ss"), 4);
	ck_assert_str_eq(c.argv[4], "-tan");
	ck_assert_str_eq(c.piped, "wc");
	ck_assert_ptr_null(c.subset);
	ck_assert_int_eq(import_cmd_runs(&c, "nstat"), -1);
	import_cmd_parse(&c, "nstat -az 2>/dev/null | sort | grep Listen");
	ck_assert_int_eq(import_cmd_runs(&c, "nstat"), 0);
	ck_assert_str_eq(c.piped, "sort");
	ck_assert_str_eq(c.subset, "grep");
	ck_assert_uint_eq(c.argc, 1);              /* the redirection is not an argument */
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("import_cmd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, cmd__program_args_and_subset);
	tcase_add_test(tc, cmd__hostile);
	tcase_add_test(tc, cmd__runs_and_piped);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
