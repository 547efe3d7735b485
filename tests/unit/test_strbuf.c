// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/util/strbuf.h"

#include <string.h>

START_TEST(strbuf__appends_and_formats)
{
	struct strbuf sb = STRBUF_INIT;

	ck_assert_str_eq(sb.buf, "");
	ck_assert_int_eq(strbuf_addstr(&sb, "port "), 0);
	ck_assert_int_eq(strbuf_addf(&sb, "%d/%s", 8080, "tcp"), 0);
	ck_assert_str_eq(sb.buf, "port 8080/tcp");
	ck_assert_uint_eq(sb.len, 13);
	strbuf_release(&sb);
	ck_assert_str_eq(sb.buf, "");
}
END_TEST

START_TEST(strbuf__refuses_past_max_and_keeps_content)
{
	struct strbuf sb;

	strbuf_init(&sb, 8);
	ck_assert_int_eq(strbuf_addstr(&sb, "12345"), 0);
	ck_assert_int_eq(strbuf_addstr(&sb, "6789"), -1);
	ck_assert(sb.truncated);
	ck_assert_str_eq(sb.buf, "12345");
	ck_assert_int_eq(strbuf_addf(&sb, "%s", "abcdef"), -1);
	ck_assert_str_eq(sb.buf, "12345");
	strbuf_release(&sb);
}
END_TEST

START_TEST(error_set__chains_context)
{
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(error_set(&err, "cannot open '%s'", "x"), -1);
	ck_assert_int_eq(error_set(&err, "line %d", 3), -1);
	ck_assert_str_eq(err.buf, "cannot open 'x': line 3");
	ck_assert_int_eq(error_set(NULL, "ignored"), -1);
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("strbuf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, strbuf__appends_and_formats);
	tcase_add_test(tc, strbuf__refuses_past_max_and_keeps_content);
	tcase_add_test(tc, error_set__chains_context);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
