// SPDX-License-Identifier: GPL-2.0-or-later
#include "tap_check.h"
#include "../../src/render/json_writer.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* Output goes to a memstream; out_close() returns what was written. */
struct out {
	FILE *fp;
	char *buf;
	size_t len;
};

static void out_open(struct out *o)
{
	o->buf = NULL;
	o->len = 0;
	o->fp = open_memstream(&o->buf, &o->len);
	ck_assert_ptr_nonnull(o->fp);
}

static const char *out_close(struct out *o)
{
	ck_assert_int_eq(fclose(o->fp), 0);
	return o->buf;
}

/* One top-level string through a fresh writer, finished cleanly. */
static char *str_json(const void *s, size_t len)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	ck_assert_int_eq(json_str(&w, s, len), 0);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	ck_assert_str_eq(err.buf, "");
	out_close(&o);
	return o.buf;
}

static void check_str(const void *s, size_t len, const char *want)
{
	char *got = str_json(s, len);

	ck_assert_str_eq(got, want);
	free(got);
}

START_TEST(json_str__escapes_every_control_char_as_u00xx)
{
	char want[16];
	unsigned c;

	for (c = 0; c < 0x20; c++) {
		unsigned char b = (unsigned char)c;

		snprintf(want, sizeof(want), "\"\\u%04x\"\n", c);
		check_str(&b, 1, want);
	}
	check_str("\x7f", 1, "\"\\u007f\"\n");
	/* The first byte after the control range is plain. */
	check_str(" ~", 2, "\" ~\"\n");
}
END_TEST

START_TEST(json_str__escapes_quote_and_backslash)
{
	check_str("a\"b\\c", 5, "\"a\\\"b\\\\c\"\n");
	check_str("\"", 1, "\"\\\"\"\n");
	check_str("\\", 1, "\"\\\\\"\n");
	check_str("/", 1, "\"/\"\n");
	check_str("", 0, "\"\"\n");
}
END_TEST

START_TEST(json_str__keeps_nul_inside_abstract_names)
{
	/* An abstract UNIX name: leading NUL, NULs inside, nothing after. */
	check_str("\0sock\0et\0", 9, "\"\\u0000sock\\u0000et\\u0000\"\n");
}
END_TEST

START_TEST(json_str__passes_well_formed_utf8)
{
	check_str("caf\xc3\xa9", 5, "\"caf\xc3\xa9\"\n");
	check_str("\xe2\x82\xac", 3, "\"\xe2\x82\xac\"\n");          /* U+20AC */
	check_str("\xf0\x9f\x98\x80", 4, "\"\xf0\x9f\x98\x80\"\n");  /* U+1F600 */
	check_str("\xf4\x8f\xbf\xbf", 4, "\"\xf4\x8f\xbf\xbf\"\n");  /* U+10FFFF */
	check_str("\xed\x9f\xbf", 3, "\"\xed\x9f\xbf\"\n");          /* U+D7FF */
	check_str("\xef\xbf\xbd", 3, "\"\xef\xbf\xbd\"\n");          /* U+FFFD */
}
END_TEST

START_TEST(json_str__replaces_each_invalid_byte_with_fffd)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
		{ "\x80", 1, "\"\\ufffd\"\n" },                 /* lone continuation */
		{ "a\xffz", 3, "\"a\\ufffdz\"\n" },
		{ "\xc0\xaf", 2, "\"\\ufffd\\ufffd\"\n" },       /* overlong '/' */
		{ "\xc1\xbf", 2, "\"\\ufffd\\ufffd\"\n" },       /* overlong */
		{ "\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\"\n" },
		{ "\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\"\n" }, /* surrogate */
		{ "\xf0\x80\x80\xaf", 4,
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" },          /* overlong */
		{ "\xf4\x90\x80\x80", 4,
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" },          /* > U+10FFFF */
		{ "\xf5\x80\x80\x80", 4,
		  "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" },
		{ "\xe2\x82", 2, "\"\\ufffd\\ufffd\"\n" },       /* cut at the end */
		{ "\xe2\x82" "A", 3, "\"\\ufffd\\ufffdA\"\n" },  /* cut mid-string */
		{ "\xc3" "\xc3\xa9", 3, "\"\\ufffd\xc3\xa9\"\n" }, /* resyncs */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_str(cases[i].in, cases[i].len, cases[i].want);
}
END_TEST

START_TEST(json_str__long_strings_cross_the_buffer_intact)
{
	/* Longer than the internal buffer, with plain runs longer than it too. */
	size_t n = 3 * JSON_OUTBUF + 7, i, k = 0;
	char *in = malloc(n), *want = malloc(n * 6 + 4), *got;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(want);
	want[k++] = '"';
	for (i = 0; i < n; i++) {
		in[i] = (i % 5000 == 4999) ? '\n' : (char)('a' + i % 26);
		if (in[i] == '\n') {
			memcpy(want + k, "\\u000a", 6);
			k += 6;
		} else {
			want[k++] = in[i];
		}
	}
	want[k++] = '"';
	want[k++] = '\n';
	want[k] = '\0';
	got = str_json(in, n);
	ck_assert_uint_eq(strlen(got), k);
	ck_assert(strcmp(got, want) == 0);
	free(got);
	free(in);
	free(want);
}
END_TEST

START_TEST(json_writer__places_commas_and_nesting)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	json_obj_begin(&w);
	json_kv_u64(&w, "a", 1);
	json_kv_arr_begin(&w, "b");
	json_u64(&w, 1);
	json_i64(&w, -2);
	json_obj_begin(&w);
	json_obj_end(&w);
	json_arr_begin(&w);
	json_arr_end(&w);
	json_arr_end(&w);
	json_kv_obj_begin(&w, "c");
	json_key(&w, "d");
	json_null(&w);
	json_kv_bool(&w, "e", true);
	json_kv_bool(&w, "f", false);
	json_obj_end(&w);
	json_kv_cstr(&w, "g", "x");
	json_obj_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	ck_assert_str_eq(out_close(&o),
		"{\"a\":1,\"b\":[1,-2,{},[]],\"c\":{\"d\":null,\"e\":true,"
		"\"f\":false},\"g\":\"x\"}\n");
	free(o.buf);
}
END_TEST

START_TEST(json_writer__pretty_indents_by_two)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, JSON_PRETTY);
	json_obj_begin(&w);
	json_kv_u64(&w, "a", 1);
	json_kv_arr_begin(&w, "b");
	json_u64(&w, 2);
	json_obj_begin(&w);
	json_kv_cstr(&w, "c", "d");
	json_obj_end(&w);
	json_arr_end(&w);
	json_kv_arr_begin(&w, "e");
	json_arr_end(&w);
	json_obj_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	ck_assert_str_eq(out_close(&o),
		"{\n"
		"  \"a\": 1,\n"
		"  \"b\": [\n"
		"    2,\n"
		"    {\n"
		"      \"c\": \"d\"\n"
		"    }\n"
		"  ],\n"
		"  \"e\": []\n"
		"}\n");
	free(o.buf);
}
END_TEST

START_TEST(json_writer__top_level_values_are_lines)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	json_obj_begin(&w);
	json_kv_u64(&w, "n", 1);
	json_obj_end(&w);
	json_u64(&w, 2);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	ck_assert_str_eq(out_close(&o), "{\"n\":1}\n2\n");
	free(o.buf);
}
END_TEST

START_TEST(json_writer__depth_limit_is_an_error)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;
	int i;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	for (i = 0; i < JSON_MAX_DEPTH; i++)
		ck_assert_int_eq(json_arr_begin(&w), 0);
	ck_assert_int_eq(json_writer_check(&w, &err), 0);
	ck_assert_int_eq(json_arr_begin(&w), -1);
	/* Sticky: later valid calls fail too. */
	ck_assert_int_eq(json_arr_end(&w), -1);
	ck_assert_int_eq(json_u64(&w, 1), -1);
	ck_assert_int_eq(json_writer_finish(&w, &err), -1);
	ck_assert_str_eq(err.buf, "json nesting deeper than the maximum (32)");
	strbuf_release(&err);
	out_close(&o);
	free(o.buf);
}
END_TEST

/* Runs one misuse and returns the message finish() gives. */
static char *misuse(int kind)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	switch (kind) {
	case 0:
		json_obj_begin(&w);
		ck_assert_int_eq(json_u64(&w, 1), -1);
		break;
	case 1:
		json_arr_begin(&w);
		ck_assert_int_eq(json_key(&w, "k"), -1);
		break;
	case 2:
		ck_assert_int_eq(json_key(&w, "k"), -1);
		break;
	case 3:
		json_obj_begin(&w);
		json_key(&w, "k");
		ck_assert_int_eq(json_key(&w, "k2"), -1);
		break;
	case 4:
		ck_assert_int_eq(json_obj_end(&w), -1);
		break;
	case 5:
		json_obj_begin(&w);
		ck_assert_int_eq(json_arr_end(&w), -1);
		break;
	case 6:
		json_obj_begin(&w);
		json_key(&w, "k");
		ck_assert_int_eq(json_obj_end(&w), -1);
		break;
	default:
		json_obj_begin(&w);
		json_kv_arr_begin(&w, "k");
		break;
	}
	ck_assert_int_eq(json_writer_finish(&w, &err), -1);
	out_close(&o);
	free(o.buf);
	return err.buf;
}

START_TEST(json_writer__misuse_is_reported)
{
	static const char *const want[] = {
		"json value inside an object without a key",
		"json key outside an object",
		"json key outside an object",
		"json key written twice without a value",
		"json container closed but none is open",
		"json container closed with the wrong kind of end",
		"json object closed after a key without a value",
		"json document left incomplete (2 open containers)",
	};
	int i;
	char *got;

	for (i = 0; i < (int)(sizeof(want) / sizeof(want[0])); i++) {
		got = misuse(i);
		ck_assert_str_eq(got, want[i]);
		free(got);
	}
}
END_TEST

START_TEST(json_writer__write_failure_is_reported)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	FILE *fp = fopen("/dev/full", "w");
	int i;

	if (!fp)
		return;   /* no /dev/full in this sandbox: nothing to test */
	json_writer_init(&w, fp, 0);
	json_arr_begin(&w);
	for (i = 0; i < 2000; i++)
		json_cstr(&w, "fill the buffer past one flush");
	json_arr_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), -1);
	ck_assert_str_eq(err.buf, "cannot write json output: No space left on device");
	strbuf_release(&err);
	fclose(fp);
}
END_TEST

static char *numbers_json(const uint64_t *u, size_t nu, const int64_t *s,
			  size_t ns)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;
	size_t i;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	json_arr_begin(&w);
	for (i = 0; i < nu; i++)
		json_u64(&w, u[i]);
	for (i = 0; i < ns; i++)
		json_i64(&w, s[i]);
	json_arr_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	out_close(&o);
	return o.buf;
}

START_TEST(json_int__64bit_extremes)
{
	static const uint64_t u[] = { 0, 9, 10, 99, 100, 101, 4294967295u,
				      4294967296u, UINT64_MAX };
	static const int64_t s[] = { INT64_MIN, INT64_MIN + 1, -1, 0,
				     INT64_MAX, -10, -100 };
	char *got = numbers_json(u, 9, s, 7);

	ck_assert_str_eq(got,
		"[0,9,10,99,100,101,4294967295,4294967296,18446744073709551615,"
		"-9223372036854775808,-9223372036854775807,-1,0,"
		"9223372036854775807,-10,-100]\n");
	free(got);
}
END_TEST

START_TEST(json_int__matches_printf_on_many_values)
{
	/* Every digit count, through a cheap xorshift sequence. */
	uint64_t u[2000], x = 0x9e3779b97f4a7c15u;
	int64_t s[2000];
	struct strbuf want = STRBUF_INIT;
	size_t i;
	char *got;

	for (i = 0; i < 2000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		u[i] = x >> (i % 64);
		s[i] = (int64_t)(x >> (i % 64)) * ((i & 1) ? -1 : 1);
	}
	strbuf_addch(&want, '[');
	for (i = 0; i < 2000; i++)
		strbuf_addf(&want, "%s%" PRIu64, i ? "," : "", u[i]);
	for (i = 0; i < 2000; i++)
		strbuf_addf(&want, ",%" PRId64, s[i]);
	strbuf_addstr(&want, "]\n");
	got = numbers_json(u, 2000, s, 2000);
	ck_assert(strcmp(got, want.buf) == 0);
	free(got);
	strbuf_release(&want);
}
END_TEST

START_TEST(json_double__shortest_exact_and_null_for_nonfinite)
{
	struct json_writer w;
	struct strbuf err = STRBUF_INIT;
	struct out o;

	out_open(&o);
	json_writer_init(&w, o.fp, 0);
	json_arr_begin(&w);
	json_double(&w, 740 / 256.0);
	json_double(&w, 1.0);
	json_double(&w, 0.1);
	json_double(&w, 1.0 / 3.0);
	json_double(&w, -2.5e-300);
	json_double(&w, NAN);
	json_double(&w, INFINITY);
	json_arr_end(&w);
	ck_assert_int_eq(json_writer_finish(&w, &err), 0);
	ck_assert_str_eq(out_close(&o),
		"[2.890625,1,0.1,0.33333333333333331,-2.5e-300,null,null]\n");
	free(o.buf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("json_writer");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, json_str__escapes_every_control_char_as_u00xx);
	tcase_add_test(tc, json_str__escapes_quote_and_backslash);
	tcase_add_test(tc, json_str__keeps_nul_inside_abstract_names);
	tcase_add_test(tc, json_str__passes_well_formed_utf8);
	tcase_add_test(tc, json_str__replaces_each_invalid_byte_with_fffd);
	tcase_add_test(tc, json_str__long_strings_cross_the_buffer_intact);
	tcase_add_test(tc, json_writer__places_commas_and_nesting);
	tcase_add_test(tc, json_writer__pretty_indents_by_two);
	tcase_add_test(tc, json_writer__top_level_values_are_lines);
	tcase_add_test(tc, json_writer__depth_limit_is_an_error);
	tcase_add_test(tc, json_writer__misuse_is_reported);
	tcase_add_test(tc, json_writer__write_failure_is_reported);
	tcase_add_test(tc, json_int__64bit_extremes);
	tcase_add_test(tc, json_int__matches_printf_on_many_values);
	tcase_add_test(tc, json_double__shortest_exact_and_null_for_nonfinite);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
