// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The option parser every command uses (src/cmd/parse_options.c). The
 * command layer is not in the unit tests' library, so the parser is
 * compiled in here; it prints nothing and needs nothing else from cmd.
 */
#include "tap_check.h"
#include "../../src/cmd/parse_options.c"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct vals {
	bool json, quiet;
	int num, verbose, mode;
	unsigned count;
	const char *name;
	int tables;              /* bits set by the -t/-u callback */
	const char *seen;        /* what the --color callback got */
	bool after_stop;
};

static int cb_table(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct vals *v = opt->value;

	(void)arg;
	(void)err;
	v->tables |= (int)opt->defval;
	return PARSE_CB_OK;
}

static int cb_color(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	struct vals *v = opt->value;

	if (strcmp(arg, "auto") && strcmp(arg, "never"))
		return error_set(err, "--color: '%s' is not auto or never", arg);
	v->seen = arg;
	return PARSE_CB_OK;
}

static int cb_silent_error(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	(void)opt;
	(void)arg;
	(void)err;
	return PARSE_CB_ERROR;
}

static int cb_stop(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	(void)opt;
	(void)arg;
	(void)err;
	return PARSE_CB_STOP;
}

/* The table every test parses against; rows point into v. */
#define TEST_OPTS(v) { \
	OPT_HELP(), \
	OPT_GROUP("output:"), \
	OPT_BOOL('j', "json", &(v)->json, "one JSON document"), \
	OPT_SET_BOOL('q', "quiet", &(v)->quiet, 1, "say less"), \
	OPT_COUNT('v', "verbose", &(v)->verbose, "say more (again: more)"), \
	OPT_SET_INT(0, "fast", &(v)->mode, 2, "mode 2"), \
	OPT_INT(0, "num", &(v)->num, "N", 1, 10, "a number from 1 to 10"), \
	OPT_UINT('c', "count", &(v)->count, "C", 0, 3, "a count up to 3"), \
	OPT_STRING('s', "name", &(v)->name, "NAME", "a name"), \
	OPT_GROUP("tables:"), \
	OPT_CALLBACK_VAL('t', "tcp", (v), 1, "tcp", cb_table), \
	OPT_CALLBACK_VAL('u', "udp", (v), 2, "udp", cb_table), \
	OPT_CALLBACK(0, "color", (v), "WHEN", "auto or never", cb_color), \
	OPT_CALLBACK(0, "colour", (v), "WHEN", NULL, cb_color), \
	OPT_CALLBACK(0, "broken", (v), "X", "fails without a word", cb_silent_error), \
	OPT_CALLBACK('S', "stop", (v), NULL, "stops the parse", cb_stop), \
	OPT_BOOL('Z', NULL, &(v)->after_stop, "short only"), \
	OPT_END(), \
}

/* Parses the NULL-terminated words after "prog"; err keeps the message. */
static int run(struct vals *v, struct strbuf *err, char **argv_out[], ...)
{
	static char *argv[32];
	const struct option_def opts[] = TEST_OPTS(v);
	va_list ap;
	int argc = 0;
	char *w;

	argv[argc++] = (char *)"prog";
	va_start(ap, argv_out);
	while ((w = va_arg(ap, char *)) && argc < 31)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;
	if (argv_out)
		*argv_out = argv;
	return parse_options(argc, argv, opts, err);
}

#define W(s) ((char *)(s))

START_TEST(parse__sets_what_rows_point_at_and_keeps_operands)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;
	char **argv;
	int n;

	n = run(&v, &err, &argv, W("-j"), W("one"), W("--name"), W("web"), W("--num=7"),
		W("two"), W("--fast"), W("-c"), W("3"), NULL);
	ck_assert_str_eq(err.buf, "");
	ck_assert(v.json);
	ck_assert(!v.quiet);
	ck_assert_str_eq(v.name, "web");
	ck_assert_int_eq(v.num, 7);
	ck_assert_int_eq(v.mode, 2);
	ck_assert_uint_eq(v.count, 3);
	/* getopt_long moved the operands to the end, in their order. */
	ck_assert_int_eq(n, 8);
	ck_assert_str_eq(argv[n], "one");
	ck_assert_str_eq(argv[n + 1], "two");
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__last_setting_wins_and_count_counts)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(run(&v, &err, NULL, W("--num"), W("3"), W("-vv"), W("--num"), W("4"),
			     W("--verbose"), NULL), 7);
	ck_assert_int_eq(v.num, 4);
	ck_assert_int_eq(v.verbose, 3);
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__int_range_is_checked_and_named)
{
	static const char *const bad[] = { "0", "11", "-1", "7x", "", "99999999999999999999" };
	struct strbuf err = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vals v = { .num = 5 };
		char want[128];

		strbuf_reset(&err);
		ck_assert_int_eq(run(&v, &err, NULL, W("--num"), W(bad[i]), NULL), PARSE_OPT_FAILED);
		snprintf(want, sizeof(want), "--num: '%s' is not 1 to 10", bad[i]);
		ck_assert_str_eq(err.buf, want);
		ck_assert_int_eq(v.num, 5);
	}
	{
		struct vals v = { 0 };

		strbuf_reset(&err);
		ck_assert_int_eq(run(&v, &err, NULL, W("-c4"), NULL), PARSE_OPT_FAILED);
		ck_assert_str_eq(err.buf, "--count: '4' is not 0 to 3");
	}
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__callback_gets_value_and_its_error_is_kept)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(run(&v, &err, NULL, W("--color"), W("never"), NULL), 3);
	ck_assert_str_eq(v.seen, "never");
	ck_assert_int_eq(run(&v, &err, NULL, W("--colour=auto"), NULL), 2);
	ck_assert_str_eq(v.seen, "auto");
	ck_assert_int_eq(run(&v, &err, NULL, W("--color=sad"), NULL), PARSE_OPT_FAILED);
	ck_assert_str_eq(err.buf, "--color: 'sad' is not auto or never");
	/* A callback that says nothing still gets a line naming option and value. */
	strbuf_reset(&err);
	ck_assert_int_eq(run(&v, &err, NULL, W("--broken"), W("x"), NULL), PARSE_OPT_FAILED);
	ck_assert_str_eq(err.buf, "--broken: bad value 'x'");
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__stop_and_help_end_the_parse)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;

	ck_assert_int_eq(run(&v, &err, NULL, W("-S"), W("-Z"), W("--bogus"), NULL), PARSE_OPT_STOPPED);
	ck_assert(!v.after_stop);
	ck_assert_int_eq(run(&v, &err, NULL, W("-j"), W("--help"), W("--bogus"), NULL), PARSE_OPT_HELP);
	ck_assert_int_eq(run(&v, &err, NULL, W("-jh"), NULL), PARSE_OPT_HELP);
	ck_assert_str_eq(err.buf, "");
	ck_assert_int_eq(run(&v, &err, NULL, W("--list-options"), NULL), PARSE_OPT_LIST);
	/* Only alone: beside anything else it is an unknown option. */
	ck_assert_int_eq(run(&v, &err, NULL, W("-j"), W("--list-options"), NULL), PARSE_OPT_FAILED);
	ck_assert_str_eq(err.buf, "unknown or ambiguous option '--list-options'");
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__unknown_and_malformed_options_are_named)
{
	static const struct {
		const char *words[3];
		const char *msg;
	} cases[] = {
		{ { "-x" }, "unknown option -x" },
		{ { "-jx" }, "unknown option -x" },
		{ { "--nope" }, "unknown or ambiguous option '--nope'" },
		{ { "--nope=1" }, "unknown or ambiguous option '--nope=1'" },
		{ { "--col", "auto" }, "unknown or ambiguous option '--col'" },  /* color or colour */
		{ { "-s" }, "option -s needs an argument" },
		{ { "-j", "--name" }, "option --name needs an argument" },
		{ { "--num" }, "option --num needs an argument" },
		{ { "--json=yes" }, "option --json takes no argument" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vals v = { 0 };
		struct strbuf err = STRBUF_INIT;

		ck_assert_int_eq(run(&v, &err, NULL, W(cases[i].words[0]), W(cases[i].words[1]),
				     W(cases[i].words[2]), NULL), PARSE_OPT_FAILED);
		ck_assert_str_eq(err.buf, cases[i].msg);
		strbuf_release(&err);
	}
}
END_TEST

START_TEST(parse__double_dash_ends_options)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;
	char **argv;
	int n;

	n = run(&v, &err, &argv, W("-v"), W("--"), W("-j"), W("--num=3"), NULL);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(v.verbose, 1);
	ck_assert(!v.json);
	ck_assert_int_eq(v.num, 0);
	ck_assert_str_eq(argv[n], "-j");
	ck_assert_str_eq(argv[n + 1], "--num=3");
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__bundled_short_flags_and_prefixes)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;
	char **argv;
	int n;

	/* ss -tun: callbacks in a bundle, each told its own row's value. */
	n = run(&v, &err, &argv, W("-tuj"), W("-sweb"), W("--verb"), W("state"), NULL);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(v.tables, 3);
	ck_assert(v.json);
	ck_assert_str_eq(v.name, "web");
	ck_assert_int_eq(v.verbose, 1);
	ck_assert_str_eq(argv[n], "state");
	strbuf_release(&err);
}
END_TEST

START_TEST(parse__a_failed_bundle_does_not_leak_into_the_next_parse)
{
	struct vals v = { 0 };
	struct strbuf err = STRBUF_INIT;

	/* Stops at -x with "q" still unread in the bundle... */
	ck_assert_int_eq(run(&v, &err, NULL, W("-jxq"), NULL), PARSE_OPT_FAILED);
	/* ...which the next parse must not pick up as an option of its own. */
	memset(&v, 0, sizeof(v));
	strbuf_reset(&err);
	ck_assert_int_eq(run(&v, &err, NULL, W("-v"), NULL), 2);
	ck_assert(!v.quiet);
	ck_assert_int_eq(v.verbose, 1);
	ck_assert_str_eq(err.buf, "");
	strbuf_release(&err);
}
END_TEST

static char *capture(void (*fn)(FILE *, const struct option_def *, int), int width)
{
	struct vals v = { 0 };
	const struct option_def opts[] = TEST_OPTS(&v);
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	fn(fp, opts, width);
	fclose(fp);
	return buf;
}

static void list_fn(FILE *fp, const struct option_def *opts, int width)
{
	(void)width;
	parse_options_list(fp, opts);
}

START_TEST(help__lists_visible_rows_under_their_groups)
{
	char *out = capture(parse_options_help, 18);

	ck_assert_str_eq(out,
		"   -h, --help         show this help\n"
		"\noutput:\n"
		"   -j, --json         one JSON document\n"
		"   -q, --quiet        say less\n"
		"   -v, --verbose      say more (again: more)\n"
		"       --fast         mode 2\n"
		"       --num=N        a number from 1 to 10\n"
		"   -c, --count=C      a count up to 3\n"
		"   -s, --name=NAME    a name\n"
		"\ntables:\n"
		"   -t, --tcp          tcp\n"
		"   -u, --udp          udp\n"
		"       --color=WHEN   auto or never\n"
		"       --broken=X     fails without a word\n"
		"   -S, --stop         stops the parse\n"
		"   -Z                 short only\n");
	free(out);
}
END_TEST

START_TEST(list__every_option_hidden_too_one_a_line)
{
	char *out = capture(list_fn, 0);

	ck_assert_str_eq(out,
		"-h --help\n-j --json\n-q --quiet\n-v --verbose\n--fast\n--num=N\n-c --count=C\n"
		"-s --name=NAME\n-t --tcp\n-u --udp\n--color=WHEN\n--colour=WHEN\n--broken=X\n"
		"-S --stop\n-Z\n");
	free(out);
}
END_TEST

START_TEST(find__matches_whole_words_only)
{
	struct vals v = { 0 };
	const struct option_def opts[] = TEST_OPTS(&v);

	ck_assert_ptr_eq(parse_options_find(opts, "-j"), &opts[2]);
	ck_assert_ptr_eq(parse_options_find(opts, "--json"), &opts[2]);
	ck_assert_ptr_eq(parse_options_find(opts, "-Z"), &opts[16]);
	ck_assert_ptr_null(parse_options_find(opts, "--js"));
	ck_assert_ptr_null(parse_options_find(opts, "-jv"));
	ck_assert_ptr_null(parse_options_find(opts, "json"));
	ck_assert_ptr_null(parse_options_find(opts, "--"));
	ck_assert_ptr_null(parse_options_find(opts, "-"));
}
END_TEST

START_TEST(table__longer_than_the_bound_is_refused)
{
	struct option_def opts[PARSE_OPTIONS_MAX + 2];
	bool b = false;
	struct strbuf err = STRBUF_INIT;
	char *argv[] = { W("prog"), W("-j"), NULL };

	for (size_t i = 0; i < PARSE_OPTIONS_MAX + 1; i++)
		opts[i] = (struct option_def)OPT_BOOL(0, "same", &b, "x");
	opts[PARSE_OPTIONS_MAX + 1] = (struct option_def)OPT_END();
	ck_assert_int_eq(parse_options(2, argv, opts, &err), PARSE_OPT_FAILED);
	ck_assert_ptr_nonnull(strstr(err.buf, "longer than"));
	strbuf_release(&err);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("parse_options");
	TCase *tc = tcase_create("parse_options");

	tcase_add_test(tc, parse__sets_what_rows_point_at_and_keeps_operands);
	tcase_add_test(tc, parse__last_setting_wins_and_count_counts);
	tcase_add_test(tc, parse__int_range_is_checked_and_named);
	tcase_add_test(tc, parse__callback_gets_value_and_its_error_is_kept);
	tcase_add_test(tc, parse__stop_and_help_end_the_parse);
	tcase_add_test(tc, parse__unknown_and_malformed_options_are_named);
	tcase_add_test(tc, parse__double_dash_ends_options);
	tcase_add_test(tc, parse__bundled_short_flags_and_prefixes);
	tcase_add_test(tc, parse__a_failed_bundle_does_not_leak_into_the_next_parse);
	tcase_add_test(tc, help__lists_visible_rows_under_their_groups);
	tcase_add_test(tc, list__every_option_hidden_too_one_a_line);
	tcase_add_test(tc, find__matches_whole_words_only);
	tcase_add_test(tc, table__longer_than_the_bound_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

TAP_CHECK_MAIN
