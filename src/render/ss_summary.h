/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_SS_SUMMARY_H
#define SOCKVET_RENDER_SS_SUMMARY_H

/*
 * ss -s, byte for byte as iproute2 6.1 prints it (print_summary):
 *
 *   Total: <sockets used>
 *   TCP:   <alloc+tw> (estab <CurrEstab>, closed <alloc-(inuse4+inuse6-tw)>,
 *          orphaned <orphan>, timewait <tw>)
 *   (blank), "Transport Total     IP        IPv6", then RAW, UDP, TCP,
 *   INET, FRAG rows as "NAME\t  %-9d %-9d %-9d" (total, v4, v6), and a
 *   blank line.
 *
 * A counter that is not present prints as 0, as ss does; ss's stderr
 * complaints about missing files are the caller's business (the has_*
 * flags in the counts say which files were read).
 */

#include <stdio.h>

#include "../model/counters.h"
#include "../util/strbuf.h"

int ss_summary_print(FILE *fp, const struct sockstat_counts *c,
		     struct strbuf *err);

#endif
