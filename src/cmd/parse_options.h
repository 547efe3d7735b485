/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_PARSE_OPTIONS_H
#define SOCKVET_PARSE_OPTIONS_H

/*
 * One option table per command, in the spirit of git's parse-options:
 * each row names an option (short letter and/or long name) and points
 * at the value it sets, or at a callback. getopt_long's short string
 * and long options, the parse itself, the --help option list and the
 * list for shell completion all come from the same rows, so they cannot
 * drift apart (tests/e2e/t10-cli.t checks the man page against --help).
 *
 * The table lives in the command's function, next to the variables its
 * rows point at, and ends with OPT_END(). The parser prints nothing (a
 * command's callback may: -V): an error is one line in err naming the
 * option and the bad value; the command adds the exit code and the hint
 * (cmd_parse_options() in cmd.h).
 */

#include <stdbool.h>
#include <stdio.h>

#include "../util/strbuf.h"

/* A table holds at most this many rows (a bound for getopt's arrays). */
#define PARSE_OPTIONS_MAX 64

enum option_type {
	OPTION_END,
	OPTION_GROUP,      /* a heading in --help, no option */
	OPTION_HELP,       /* -h: parse_options() returns PARSE_OPT_HELP */
	OPTION_SET_BOOL,   /* bool *value = defval */
	OPTION_SET_INT,    /* int *value = defval */
	OPTION_COUNT,      /* int *value += 1 */
	OPTION_INT,        /* int *value = ARG, within [min, max] */
	OPTION_UINT,       /* unsigned *value = ARG, within [min, max] */
	OPTION_STRING,     /* const char **value = ARG (argv's own string) */
	OPTION_CALLBACK,   /* callback(opt, ARG or NULL, err) */
};

/* What a callback returns, as libmnl's callbacks do. */
enum { PARSE_CB_ERROR = -1, PARSE_CB_STOP = 0, PARSE_CB_OK = 1 };

struct option_def;
/*
 * arg is NULL for an option without an argument. On PARSE_CB_ERROR the
 * callback appends one line to err naming the option and the value;
 * PARSE_CB_STOP ends the parse at once (ss -V: the callback printed).
 */
typedef int parse_opt_cb(const struct option_def *opt, const char *arg, struct strbuf *err);

struct option_def {
	enum option_type type;
	int short_name;          /* 'j', or 0 for a long-only option */
	const char *long_name;   /* "json", or NULL for a short-only option */
	void *value;             /* what the option sets; the callback's context */
	const char *argh;        /* "FILE" in --diag=FILE; NULL: takes no argument */
	const char *help;        /* NULL hides the row from --help (an alias) */
	long defval;             /* SET_BOOL/SET_INT's value; a callback's parameter */
	long min, max;           /* INT/UINT range, inclusive */
	parse_opt_cb *callback;
};

/*
 * _Generic makes a row that points at the wrong type a compile error
 * instead of a write of the wrong width.
 */
#define OPT_TYPED_(type, v) _Generic((v), type: (v))

#define OPT_END() { .type = OPTION_END }
#define OPT_GROUP(h) { .type = OPTION_GROUP, .help = (h) }
#define OPT_HELP() { .type = OPTION_HELP, .short_name = 'h', .long_name = "help", \
		     .help = "show this help" }
#define OPT_SET_BOOL(s, l, v, val, h) { .type = OPTION_SET_BOOL, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(bool *, v), .help = (h), .defval = (val) }
#define OPT_BOOL(s, l, v, h) OPT_SET_BOOL(s, l, v, 1, h)
#define OPT_SET_INT(s, l, v, val, h) { .type = OPTION_SET_INT, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(int *, v), .help = (h), .defval = (val) }
#define OPT_COUNT(s, l, v, h) { .type = OPTION_COUNT, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(int *, v), .help = (h) }
#define OPT_INT(s, l, v, a, lo, hi, h) { .type = OPTION_INT, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(int *, v), .argh = (a), .help = (h), \
	.min = (lo), .max = (hi) }
#define OPT_UINT(s, l, v, a, lo, hi, h) { .type = OPTION_UINT, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(unsigned *, v), .argh = (a), .help = (h), \
	.min = (lo), .max = (hi) }
#define OPT_STRING(s, l, v, a, h) { .type = OPTION_STRING, .short_name = (s), \
	.long_name = (l), .value = OPT_TYPED_(const char **, v), .argh = (a), .help = (h) }
/* A callback with an argument (a != NULL), or a flag (a == NULL). */
#define OPT_CALLBACK(s, l, v, a, h, cb) { .type = OPTION_CALLBACK, .short_name = (s), \
	.long_name = (l), .value = (v), .argh = (a), .help = (h), .callback = (cb) }
/* A flag whose callback is told defval: ss -4 and -6 share one. */
#define OPT_CALLBACK_VAL(s, l, v, val, h, cb) { .type = OPTION_CALLBACK, .short_name = (s), \
	.long_name = (l), .value = (v), .help = (h), .defval = (val), .callback = (cb) }

/* parse_options() results below 0. */
enum {
	PARSE_OPT_FAILED = -1,   /* a message is in err */
	PARSE_OPT_HELP = -2,     /* -h / --help was given: print the help */
	PARSE_OPT_STOPPED = -3,  /* a callback said PARSE_CB_STOP */
	PARSE_OPT_LIST = -4,     /* `CMD --list-options`: print the list */
};

/*
 * Parse argv[1..argc-1] against opts, setting what the rows point at,
 * in the order given (the last of two settings wins). Options and
 * operands may mix; getopt_long moves the operands to the end, so the
 * result (>= 1) is the index in argv of the first operand (argc when
 * there is none). "--" ends the options; bundled short flags (-tan) and
 * unambiguous long prefixes (--num) work as in getopt_long. A lone
 * `--list-options` (not in the table: it must not make a prefix such as
 * ss's --list ambiguous) returns PARSE_OPT_LIST.
 */
int parse_options(int argc, char **argv, const struct option_def *opts, struct strbuf *err);

/* "   -j, --json         help" lines, the option column width wide. */
void parse_options_help(FILE *fp, const struct option_def *opts, int width);

/* One option per line, "-f --family=FAMILY", hidden rows too: for completion. */
void parse_options_list(FILE *fp, const struct option_def *opts);

/* The row that is exactly word ("-V" or "--version"), or NULL. */
const struct option_def *parse_options_find(const struct option_def *opts, const char *word);

#endif
