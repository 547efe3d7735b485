/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_OPTS_H
#define SOCKVET_CMD_OPTS_H

/*
 * Table-driven options for the subcommands that use getopt_long: one row
 * per option feeds both the parser and --help, so the help can never
 * list an option the parser lacks (tests/e2e/t10-cli.t checks the man
 * page against --help too).
 */

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct cmd_optdef {
	int val;                 /* a short option letter, or >= 256 for long-only */
	const char *name;
	int has_arg;             /* no_argument, required_argument */
	const char *arg;         /* "P" in --port=P; NULL without an argument */
	const char *help;
};

/* Fill longopts (n + 1 entries, the last zeroed) from the table. */
void cmd_longopts(struct option *longopts, const struct cmd_optdef *defs, size_t n);
/* "   -j, --json          help" lines, the left column width wide. */
void cmd_print_options(FILE *fp, const struct cmd_optdef *defs, size_t n, int width);

#endif
