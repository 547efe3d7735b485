/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_COUNTERS_NETSTAT_H
#define SOCKVET_IMPORT_COUNTERS_NETSTAT_H

/*
 * net-tools `netstat -s` prose to nstat names, for the counters importer
 * (counters_text.c has the format's essay).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/mib.h"

#define NETSTAT_GROUP_MAX 16

enum netstat_res {
	NETSTAT_NONE,            /* not a netstat -s counter line */
	NETSTAT_SET,             /* *name and *value filled */
	NETSTAT_OVERFLOW,        /* the shape matched; the number does not fit: *col */
};

/*
 * One line (leading blanks, a trailing '.' allowed) under heading group
 * ("" when unknown, as after `| grep`): a sentence of the table or
 * "Name: value". name gets the nstat name (MIB_NAME_MAX bytes).
 */
enum netstat_res netstat_s_line(const char *group, const char *s, size_t len,
				char *name, uint64_t *value, size_t *col);

/* TcpExt counters netstat -s leaves out when 0 and that every kernel
 * since 2.6.32 has, so a full TcpExt group without them says 0. */
extern const char *const netstat_ext_zero[];

/* A heading "Tcp:" / "TcpExt:" alone on its line: the group into out. */
bool netstat_s_heading(const char *s, size_t len, char *out);

#endif
