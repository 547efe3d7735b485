/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_SS_FILTER_H
#define SOCKVET_CMD_SS_FILTER_H

/*
 * sockvet ss: the filter expression (operands after the state words, or
 * -F FILE) parsed by src/filter. A live listing sends its kernel part as
 * bytecode with the TCP and UDP dumps; every row, from any table or from
 * --replay, is then checked in user space, as ss does. The state words
 * stay in cmd_ss.c's state mask (the kernel request).
 */

#include <stdbool.h>

#include "../collect/procmap.h"
#include "../collect/sockdiag.h"
#include "../filter/filter.h"

struct ss_filter {
	struct filter f;
	struct filter_bc bc;     /* the kernel's part; len 0: none */
};

/*
 * Parse the expression words (argc/argv, may be 0) or the file path
 * (NULL: none; "-": stdin). preferred_af: the family -4/-6/-f/-x named
 * last (addresses are read in it, as ss); svc_protos: enum filter_svc
 * bits of the tables listed (service names are looked up for those).
 * live: rows come from the kernel (not --replay), so compile the
 * kernel's part. Returns 0, or the exit status after printing the error
 * and caret. *out is NULL when there is no expression (every row matches).
 */
int ss_filter_setup(struct ss_filter **out, int argc, char **argv,
		    const char *path, int preferred_af, unsigned svc_protos, bool live);

/* enum filter_need bits of the expression; 0 without one. */
unsigned ss_filter_needs(const struct ss_filter *f);

/* Put the kernel's part in q (TCP and UDP dumps carry it). */
void ss_filter_query(const struct ss_filter *f, struct diag_query *q);

/* Is there a part the kernel cannot do (-D records only its part)? */
bool ss_filter_user_part(const struct ss_filter *f);


/* The row passes the expression; pm: the process map, or NULL. */
bool ss_filter_row(const struct ss_filter *f, const struct sock_rec *s,
		   const struct procmap *pm);

void ss_filter_free(struct ss_filter *f);

#endif
