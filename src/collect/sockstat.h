/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SOCKSTAT_H
#define SOCKVET_COLLECT_SOCKSTAT_H

/*
 * Reads PROC_ROOT/net/sockstat, PROC_ROOT/net/sockstat6 and the Tcp
 * lines of PROC_ROOT/net/snmp into *out (cleared first).
 *
 * A file that does not exist is not an error: its has_* flag and its
 * counters stay false (ss 6.1 prints zeros then; sockstat6 is absent
 * with ipv6.disable=1). Any other open or read failure is an error.
 *
 * Parsing is strict about shape and lenient about vocabulary: every
 * sockstat line must be "LABEL: name value [name value]...", every snmp
 * header line must be followed by a value line with the same label and
 * as many fields; otherwise the call fails with
 * "'PATH': line N, column C: <what was expected>". Labels and names we
 * do not know are skipped, so a newer kernel's additions do not break.
 */

#include "../model/counters.h"
#include "../util/strbuf.h"

int sockstat_read(struct sockstat_counts *out, const char *proc_root,
		  struct strbuf *err);

/*
 * One sockstat or sockstat6 line ("TCP: inuse 1 orphan 0 tw 0 alloc 2
 * mem 1") into *out (not cleared), with the same checks; errors are
 * "FILE:LINE:COL: what". For pasted captures (src/import).
 */
int sockstat_parse_line(struct sockstat_counts *out, const char *line, size_t len,
			const char *file, unsigned lineno, struct strbuf *err);

#endif
