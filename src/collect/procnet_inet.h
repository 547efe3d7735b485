/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_PROCNET_INET_H
#define SOCKVET_COLLECT_PROCNET_INET_H

#include <stddef.h>
#include <stdint.h>

#include "sockdiag_decode.h"

/*
 * RAW sockets from PROC_ROOT/net/raw and net/raw6, for kernels built
 * without raw_diag (CONFIG_INET_RAW_DIAG=n, as this project's 6.18 VM):
 * ss 6.1 falls back to these files there, so sockvet does too, or `ss -w`
 * and `sockvet ss -w` would disagree. families: DIAG_FAM_* mask; states:
 * 1 << SS_* mask, applied here as ss does for /proc input. Returns 0,
 * 1 when cb returned SOCK_CB_STOP, or negative with a message in err.
 */
int procnet_raw_read(const char *proc_root, unsigned families, uint32_t states,
		     sock_cb cb, void *ctx, struct strbuf *err);

/* One line of those files into a record; exposed for tests and importers. */
int procnet_inet_parse_line(const char *line, size_t len, int family,
			    struct sock_rec *r, const char *fname, unsigned lineno,
			    struct strbuf *err);

#endif
