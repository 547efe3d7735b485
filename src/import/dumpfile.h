/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_IMPORT_DUMPFILE_H
#define SOCKVET_IMPORT_DUMPFILE_H

/*
 * The dump-file source: a recorded sock_diag TCP dump (`ss -D FILE`,
 * `sockvet ss -D FILE`, what ss reads from TCPDIAG_FILE) replayed as
 * struct sock_rec records through the same decoder a live dump uses.
 * The file format is described at the top of dumpfile.c.
 */

#include <stdint.h>
#include <stdio.h>

#include "../collect/sockdiag_decode.h"

/* Applied in user space: the kernel filtered nothing for a recording. */
struct dumpfile_filter {
	uint32_t states;         /* 1u << SS_* mask; 0 filters nothing */
	unsigned families;       /* enum diag_family mask; 0 filters nothing */
};

/*
 * Replay every TCP socket in the file at path through cb. Unlike ss 6.1,
 * which stops at the first NLMSG_DONE, every message in the file is read,
 * so a v4+v6 recording replays whole. A SOCK_CB_STOP ends the replay with
 * success. Nothing of this host is read besides the file: records carry
 * exactly what the recording holds (netlink owners' names are not looked
 * up). Truncated or malformed input fails with a message naming the file
 * and byte offset, before any record reaches cb: a replay is whole or an
 * error. Path "-" reads stdin. filter may be NULL.
 */
int dumpfile_replay(const char *path, const struct dumpfile_filter *filter,
		    sock_cb cb, void *ctx, struct strbuf *err);

/* The same from an open stream (name is for messages); fp is not closed. */
int dumpfile_replay_stream(FILE *fp, const char *name,
			   const struct dumpfile_filter *filter,
			   sock_cb cb, void *ctx, struct strbuf *err);

#endif
