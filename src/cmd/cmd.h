/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_H
#define SOCKVET_CMD_H

/*
 * The command layer: one file per subcommand. Only this layer prints to
 * the user and picks an exit code; everything below returns 0/negative
 * with a message in a strbuf.
 *
 * Exit codes are one table for every subcommand (documented in
 * docs/sockvet.8.scd, EXIT STATUS):
 */
enum sv_exit {
	SV_EXIT_OK = 0,         /* done; triage: healthy */
	SV_EXIT_WARNING = 1,    /* triage: warnings */
	SV_EXIT_CRITICAL = 2,   /* triage: critical findings */
	SV_EXIT_FAILED = 3,     /* could not do the job (netlink, /proc, netns) */
	SV_EXIT_USAGE = 64,     /* bad flag, argument or filter */
	SV_EXIT_DATA = 65,      /* malformed input (a dump or capture file) */
	SV_EXIT_INTERRUPTED = 130, /* lab: SIGINT/SIGTERM, torn down (128 + SIGINT) */
};

#define SV_VERSION "0.1.0"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "parse_options.h"

/* One command's command line: its option table and its --help around it. */
struct cmd_spec {
	const char *name;        /* errors end "(try 'sockvet NAME --help')" */
	const char *usage;       /* --help before the option list */
	const struct option_def *opts;
	int width;               /* the option column of --help */
	const char *footer;      /* --help after the option list */
};

void cmd_usage(FILE *fp, const struct cmd_spec *spec);
/*
 * parse_options() for a command, printing what it asks for: the help,
 * the option list, or the one-line usage error. Returns the index of
 * the first operand, or a negative value with *code the exit status
 * (SV_EXIT_OK after --help, or a callback that stopped, SV_EXIT_USAGE).
 */
int cmd_parse_options(const struct cmd_spec *spec, int argc, char **argv, int *code);
/* The same, but a usage error is left in err (PARSE_OPT_FAILED) for the
 * command to report its own way (check: a status line, exit 3). */
int cmd_parse_options_err(const struct cmd_spec *spec, int argc, char **argv, struct strbuf *err);
/* The same for a command that takes no operands: a word left over is a
 * usage error naming the command's --help. */
int cmd_parse_options_only(const struct cmd_spec *spec, int argc, char **argv, int *code);

/* -V: prints "sockvet VERSION" and the row's value (a suffix, or NULL); stops the parse. */
parse_opt_cb cmd_opt_version;

/* --color=WHEN: an int, CMD_COLOR_AUTO until given. */
enum { CMD_COLOR_NEVER = 0, CMD_COLOR_ALWAYS = 1, CMD_COLOR_AUTO = -1 };
parse_opt_cb cmd_opt_color;
/* --interval SEC: a double, 0.1 to CMD_INTERVAL_MAX seconds. */
#define CMD_INTERVAL_MAX 60.0
parse_opt_cb cmd_opt_interval;
/* Whether to colour stdout: the mode, else NO_COLOR, TERM=dumb and a tty decide. */
bool cmd_use_color(int mode);

int cmd_ss(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_lab(int argc, char **argv);
int cmd_exporter(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_capture(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_check(int argc, char **argv);

/* A row of the subcommand table (main.c); help NULL hides it from --help. */
struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
};
/* `sockvet completion bash|zsh`, from the options of every command in the table. */
int cmd_completion(int argc, char **argv, const struct command *commands, size_t n);

/* Prints "sockvet: MSG" to stderr; returns code, for `return die_with()`. */
int cmd_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
