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
};

#define SV_VERSION "0.1.0"

int cmd_ss(int argc, char **argv);
int cmd_summary(int argc, char **argv);
int cmd_triage(int argc, char **argv);
int cmd_lab(int argc, char **argv);

/* Prints "sockvet: MSG" to stderr; returns code, for `return die_with()`. */
int cmd_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
