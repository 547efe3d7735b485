// SPDX-License-Identifier: GPL-2.0-or-later
#include "parse_options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long returns 256 + the row's index for a long option. */
#define LONG_VAL_BASE 256

/* "--port" when the row has a long name, else "-p": how errors name it. */
static const char *option_name(char *buf, size_t size, const struct option_def *o)
{
	if (o->long_name)
		snprintf(buf, size, "--%s", o->long_name);
	else
		snprintf(buf, size, "-%c", o->short_name);
	return buf;
}

static bool is_option(const struct option_def *o)
{
	return o->type != OPTION_END && o->type != OPTION_GROUP;
}

/* getopt's short string (":" first, so a missing argument is told apart) and long options. */
static int build_getopt(const struct option_def *opts, char *shortopts, struct option *longopts,
			struct strbuf *err)
{
	size_t i, ns = 0, nl = 0;

	shortopts[ns++] = ':';
	for (i = 0; opts[i].type != OPTION_END; i++) {
		const struct option_def *o = &opts[i];

		if (i >= PARSE_OPTIONS_MAX)
			return error_set(err, "option table longer than %d rows", PARSE_OPTIONS_MAX);
		if (!is_option(o))
			continue;
		if (o->short_name && !memchr(shortopts, o->short_name, ns)) {
			shortopts[ns++] = (char)o->short_name;
			if (o->argh)
				shortopts[ns++] = ':';
		}
		if (o->long_name) {
			longopts[nl].name = o->long_name;
			longopts[nl].has_arg = o->argh ? required_argument : no_argument;
			longopts[nl].flag = NULL;
			longopts[nl].val = LONG_VAL_BASE + (int)i;
			nl++;
		}
	}
	shortopts[ns] = '\0';
	memset(&longopts[nl], 0, sizeof(longopts[nl]));
	return 0;
}

static int get_number(const struct option_def *o, const char *arg, long *out, struct strbuf *err)
{
	char name[80];
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v < o->min || v > o->max)
		return error_set(err, "%s: '%s' is not %ld to %ld",
				 option_name(name, sizeof(name), o), arg, o->min, o->max);
	*out = v;
	return 0;
}

/* One option seen: 0, or a PARSE_OPT_* result that ends the parse. */
static int apply(const struct option_def *o, const char *arg, struct strbuf *err)
{
	size_t before = err->len;
	char name[80];
	long v;
	int rc;

	switch (o->type) {
	case OPTION_HELP:
		return PARSE_OPT_HELP;
	case OPTION_SET_BOOL:
		*(bool *)o->value = o->defval != 0;
		return 0;
	case OPTION_SET_INT:
		*(int *)o->value = (int)o->defval;
		return 0;
	case OPTION_COUNT:
		(*(int *)o->value)++;
		return 0;
	case OPTION_INT:
		if (get_number(o, arg, &v, err))
			return PARSE_OPT_FAILED;
		*(int *)o->value = (int)v;
		return 0;
	case OPTION_UINT:
		if (get_number(o, arg, &v, err))
			return PARSE_OPT_FAILED;
		*(unsigned *)o->value = (unsigned)v;
		return 0;
	case OPTION_STRING:
		*(const char **)o->value = arg;
		return 0;
	case OPTION_CALLBACK:
		rc = o->callback(o, arg, err);
		if (rc == PARSE_CB_STOP)
			return PARSE_OPT_STOPPED;
		if (rc == PARSE_CB_OK)
			return 0;
		if (err->len == before)
			error_set(err, "%s: bad value '%s'", option_name(name, sizeof(name), o),
				  arg ? arg : "");
		return PARSE_OPT_FAILED;
	case OPTION_END:
	case OPTION_GROUP:
		break;
	}
	return error_set(err, "option row of unknown type %d", (int)o->type);
}

static const struct option_def *find_short(const struct option_def *opts, int c)
{
	for (; opts->type != OPTION_END; opts++)
		if (is_option(opts) && opts->short_name == c)
			return opts;
	return NULL;
}

/* getopt said ':' (argument missing) or '?' (unknown, or an argument where none goes). */
static int syntax_error(const struct option_def *opts, int c, char **argv, struct strbuf *err)
{
	char name[80];

	if (optopt >= LONG_VAL_BASE) {
		option_name(name, sizeof(name), &opts[optopt - LONG_VAL_BASE]);
		if (c == ':')
			return error_set(err, "option %s needs an argument", name);
		return error_set(err, "option %s takes no argument", name);
	}
	if (optopt && c == ':')
		return error_set(err, "option -%c needs an argument", optopt);
	if (optopt)
		return error_set(err, "unknown option -%c", optopt);
	return error_set(err, "unknown or ambiguous option '%s'", argv[optind - 1]);
}

int parse_options(int argc, char **argv, const struct option_def *opts, struct strbuf *err)
{
	struct option longopts[PARSE_OPTIONS_MAX + 1];
	char shortopts[3 * PARSE_OPTIONS_MAX + 2];
	int c, rc;

	if (argc == 2 && !strcmp(argv[1], "--list-options"))
		return PARSE_OPT_LIST;
	if (build_getopt(opts, shortopts, longopts, err))
		return PARSE_OPT_FAILED;
	opterr = 0;
	optind = 0;   /* 0, not 1: glibc then also forgets a bundle left half-read */
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		const struct option_def *o;

		if (c == ':' || c == '?') {
			syntax_error(opts, c, argv, err);
			return PARSE_OPT_FAILED;
		}
		o = c >= LONG_VAL_BASE ? &opts[c - LONG_VAL_BASE] : find_short(opts, c);
		if (!o)
			return error_set(err, "unknown option -%c", c);
		rc = apply(o, optarg, err);
		if (rc)
			return rc;
	}
	return optind;
}

static void format_left(char *buf, size_t size, const struct option_def *o, const char *sep)
{
	const char *argh = o->argh ? o->argh : "";

	if (o->short_name && o->long_name)
		snprintf(buf, size, "-%c%s--%s%s%s", o->short_name, sep, o->long_name,
			 o->argh ? "=" : "", argh);
	else if (o->long_name)
		snprintf(buf, size, "%s--%s%s%s", *sep == ',' ? "    " : "", o->long_name,
			 o->argh ? "=" : "", argh);
	else
		snprintf(buf, size, "-%c%s%s", o->short_name, o->argh ? " " : "", argh);
}

void parse_options_help(FILE *fp, const struct option_def *opts, int width)
{
	for (; opts->type != OPTION_END; opts++) {
		char left[96];

		if (opts->type == OPTION_GROUP) {
			fprintf(fp, "\n%s\n", opts->help);
			continue;
		}
		if (!opts->help)
			continue;
		format_left(left, sizeof(left), opts, ", ");
		fprintf(fp, "   %-*s %s\n", width, left, opts->help);
	}
}

void parse_options_list(FILE *fp, const struct option_def *opts)
{
	for (; opts->type != OPTION_END; opts++) {
		char line[96];

		if (!is_option(opts))
			continue;
		format_left(line, sizeof(line), opts, " ");
		fprintf(fp, "%s\n", line);
	}
}

const struct option_def *parse_options_find(const struct option_def *opts, const char *word)
{
	if (word[0] != '-')
		return NULL;
	if (word[1] && !word[2])
		return find_short(opts, word[1]);
	if (word[1] != '-' || !word[2])
		return NULL;
	for (; opts->type != OPTION_END; opts++)
		if (is_option(opts) && opts->long_name && !strcmp(opts->long_name, word + 2))
			return opts;
	return NULL;
}
