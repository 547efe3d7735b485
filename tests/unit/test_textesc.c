// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Escaping of outside text for human output (src/util/textesc.c), and
 * the triage report built on it: a process named with ESC and a newline
 * must neither repaint the terminal nor break a report line.
 */
#include "tap_check.h"
#include "series_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/render/report.h"
#include "../../src/util/textesc.h"

START_TEST(escape__controls_and_bad_utf8)
{
	static const struct { const char *in, *out; } t[] = {
		{ "nginx", "nginx" },
		{ "a\x1b[31mb", "a\\x1b[31mb" },
		{ "line\nbreak\r\t", "line\\x0abreak\\x0d\\x09" },
		{ "del\x7f", "del\\x7f" },
		{ "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93" },   /* UTF-8 kept */
		{ "bad\xff\xc3", "bad\\xff\\xc3" },                         /* invalid, cut */
		{ "over\xc0\xaf", "over\\xc0\\xaf" },                       /* overlong */
		{ "sur\xed\xa0\x80", "sur\\xed\\xa0\\x80" },                /* surrogate */
		{ "csi\xc2\x9b", "csi\\xc2\\x9b" },                         /* C1 control */
		{ "nbsp\xc2\xa0", "nbsp\xc2\xa0" },
		{ "back\\slash", "back\\slash" },
	};
	char out[64];

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		ck_assert_str_eq(text_escape(out, sizeof(out), t[i].in), t[i].out);
}
END_TEST

START_TEST(escape__cut_at_a_whole_escape)
{
	char out[7];

	/* "ab\x1b" escaped is 6 bytes: fits exactly with the NUL. */
	ck_assert_str_eq(text_escape(out, sizeof(out), "ab\x1b"), "ab\\x1b");
	/* One more byte would split "\x1b": it is left out whole. */
	ck_assert_str_eq(text_escape(out, 6, "ab\x1b"), "ab");
	ck_assert_str_eq(text_escape(out, 1, "abc"), "");
}
END_TEST

START_TEST(escape__to_a_file)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_int_eq(text_fputs("x\x1by\xff", fp), 0);
	fclose(fp);
	ck_assert_str_eq(buf, "x\\x1by\\xff");
	free(buf);
}
END_TEST

/* A full listener owned by a process with a hostile name, reported. */
START_TEST(report__hostile_process_name_is_escaped)
{
	static const char name[] = "ev\x1b[2Jil\nX\xff";
	struct fx *f = fx_new(2, 1.0);
	struct report_view *v = malloc(sizeof(*v));
	struct strbuf err = STRBUF_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp;

	ck_assert_ptr_nonnull(v);
	for (unsigned i = 0; i < 2; i++) {
		struct s_listener *l = fx_listener(f, i, "0.0.0.0", 8080, 129, 128);

		l->inode = 4242;
		l->has_drops = true;
		l->drops = i ? 5000 : 0;
		sample_proc(f->s[i], 812, name);
		l->owner = 0;
	}
	diagnose_run(&f->ser, &f->opts, &f->out);
	ck_assert_int_eq(report_view_build(v, &f->ser, &f->out, &f->opts, NULL, &err), 0);
	fp = open_memstream(&buf, &len);
	ck_assert_int_eq(report_text(fp, v, false, &err), 0);
	fclose(fp);
	ck_assert_msg(strstr(buf, "ev\\x1b[2Jil\\x0aX\\xff[812]"), "no escaped name in:\n%s", buf);
	ck_assert_ptr_null(memchr(buf, '\x1b', len));
	ck_assert_ptr_null(memchr(buf, '\xff', len));
	ck_assert_ptr_null(strstr(buf, "il\nX"));
	free(buf);
	free(v);
	strbuf_release(&err);
	fx_free(f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("textesc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, escape__controls_and_bad_utf8);
	tcase_add_test(tc, escape__cut_at_a_whole_escape);
	tcase_add_test(tc, escape__to_a_file);
	tcase_add_test(tc, report__hostile_process_name_is_escaped);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
