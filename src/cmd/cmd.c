// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What every command shares (cmd.h): the one-line failure, the option
 * table's --help and errors, colour and version flags. main.c only
 * dispatches.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

int cmd_fail(int code, const char *fmt, ...)
{
	va_list ap;

	fputs("sockvet: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

void cmd_usage(FILE *fp, const struct cmd_spec *spec)
{
	fputs(spec->usage, fp);
	parse_options_help(fp, spec->opts, spec->width);
	fputs(spec->footer, fp);
}

int cmd_parse_options_err(const struct cmd_spec *spec, int argc, char **argv, struct strbuf *err)
{
	int n = parse_options(argc, argv, spec->opts, err);

	if (n == PARSE_OPT_HELP)
		cmd_usage(stdout, spec);
	else if (n == PARSE_OPT_LIST)
		parse_options_list(stdout, spec->opts);
	return n;
}

int cmd_parse_options(const struct cmd_spec *spec, int argc, char **argv, int *code)
{
	struct strbuf err = STRBUF_INIT;
	int n = cmd_parse_options_err(spec, argc, argv, &err);

	*code = SV_EXIT_OK;
	if (n == PARSE_OPT_FAILED)
		*code = cmd_fail(SV_EXIT_USAGE, "%s (try 'sockvet %s --help')", err.buf, spec->name);
	strbuf_release(&err);
	return n;
}

int cmd_parse_options_only(const struct cmd_spec *spec, int argc, char **argv, int *code)
{
	int n = cmd_parse_options(spec, argc, argv, code);

	if (n >= 0 && n < argc) {
		*code = cmd_fail(SV_EXIT_USAGE, "unexpected argument '%s' (try 'sockvet %s --help')",
				 argv[n], spec->name);
		return -1;
	}
	return n;
}

int cmd_opt_interval(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	double *interval = opt->value;
	char *e;
	double d = strtod(arg, &e);

	if (!*arg || *e || !(d >= 0.1 && d <= CMD_INTERVAL_MAX))
		return error_set(err, "--interval: '%s' is not 0.1 to %.0f seconds", arg,
				 CMD_INTERVAL_MAX);
	*interval = d;
	return PARSE_CB_OK;
}

int cmd_opt_color(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	int *mode = opt->value;

	if (!strcmp(arg, "auto"))
		*mode = CMD_COLOR_AUTO;
	else if (!strcmp(arg, "always"))
		*mode = CMD_COLOR_ALWAYS;
	else if (!strcmp(arg, "never"))
		*mode = CMD_COLOR_NEVER;
	else
		return error_set(err, "--%s: '%s' is not auto, always or never", opt->long_name, arg);
	return PARSE_CB_OK;
}

bool cmd_use_color(int mode)
{
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

	if (mode != CMD_COLOR_AUTO)
		return mode == CMD_COLOR_ALWAYS;
	if (nc && *nc)
		return false;
	if (term && !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO);
}

int cmd_opt_version(const struct option_def *opt, const char *arg, struct strbuf *err)
{
	(void)arg;
	(void)err;
	printf("sockvet %s%s\n", SV_VERSION, opt->value ? (const char *)opt->value : "");
	return PARSE_CB_STOP;
}
