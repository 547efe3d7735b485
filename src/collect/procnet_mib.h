/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_PROCNET_MIB_H
#define SOCKVET_COLLECT_PROCNET_MIB_H

#include <stddef.h>

#include "../model/mib.h"
#include "../util/strbuf.h"

/*
 * Read PROC_ROOT/net/netstat, net/snmp and net/snmp6 into m (nstat
 * names). netstat and snmp must exist; snmp6 is absent when IPv6 is
 * disabled and is then skipped. Malformed text fails with
 * "FILE:LINE:COL: what".
 */
int procnet_mib_read(struct mib *m, const char *proc_root, struct strbuf *err);

/* The two layouts, on a buffer (also used for pasted captures). */
int mib_parse_pairs(struct mib *m, const char *buf, size_t len,
		    const char *fname, struct strbuf *err);
int mib_parse_kv(struct mib *m, const char *buf, size_t len,
		 const char *fname, struct strbuf *err);
/* The same on a piece of a larger text whose first line is first_line
 * (an imported capture), so messages name the capture's line. */
int mib_parse_pairs_at(struct mib *m, const char *buf, size_t len,
		       const char *fname, unsigned first_line, struct strbuf *err);
int mib_parse_kv_at(struct mib *m, const char *buf, size_t len,
		    const char *fname, unsigned first_line, struct strbuf *err);

/* Reads a whole (small) file into sb, refusing more than max bytes. */
int procnet_slurp(struct strbuf *sb, const char *path, size_t max, struct strbuf *err);

#endif
