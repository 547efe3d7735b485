/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_SS_FILTER_H
#define SOCKVET_CMD_SS_FILTER_H

/*
 * sockvet ss: the filter expression (operands after the state words, or
 * -F FILE) parsed by src/filter and evaluated in user space on each row.
 * The state words stay in cmd_ss.c's state mask (the kernel request).
 */

#include <stdbool.h>

#include "../collect/procmap.h"
#include "../filter/filter.h"

/*
 * Parse the expression words (argc/argv, may be 0) or the file path
 * (NULL: none; "-": stdin). preferred_af: AF_UNIX under -x / -f unix.
 * Returns 0, or the exit status after printing the error and caret.
 * *out is NULL when there is no expression (every row matches).
 */
int ss_filter_setup(struct filter **out, int argc, char **argv,
		    const char *path, int preferred_af);

/* The row passes the expression; pm: the process map, or NULL. */
bool ss_filter_row(const struct filter *f, const struct sock_rec *s,
		   const struct procmap *pm);

void ss_filter_free(struct filter *f);

#endif
