/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SOCKDIAG_DECODE_H
#define SOCKVET_COLLECT_SOCKDIAG_DECODE_H

/*
 * The sock_diag decoder: buffers of netlink messages in, one struct
 * sock_rec per socket out, through a callback. Pure: no socket, no file,
 * no /proc. The live dump (sockdiag.c) and the dump-file importer
 * (src/import/dumpfile.c) both feed it, so a recorded dump decodes
 * through exactly the code a live one does. The wire format is described
 * at the top of sockdiag_decode.c.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/sock.h"
#include "../util/strbuf.h"

/* Which inet families a listing wants (a query, or a replay's filter). */
enum diag_family {
	DIAG_FAM_INET = 1 << 0,
	DIAG_FAM_INET6 = 1 << 1,
};

/*
 * What a sock_cb returns, as libmnl's MNL_CB_*: OK goes on; STOP ends the
 * dump early and cleanly (the call that ran it succeeds, with no
 * message); ERROR fails the call. On ERROR the callback appends its own
 * message to the err it shares with its caller: the collector adds none
 * (a generic one only when nothing was appended).
 */
enum {
	SOCK_CB_ERROR = -1,
	SOCK_CB_STOP = 0,
	SOCK_CB_OK = 1,
};

/* s and everything it points at live until the callback returns. */
typedef int (*sock_cb)(const struct sock_rec *s, void *ctx);

/* A decoder's state across the buffers of one stream. */
struct diag_decoder {
	/* in */
	enum sock_table table;
	sock_cb cb;
	void *ctx;
	const char *what;        /* message prefix: "sock_diag" or a file name */
	uint32_t seq;            /* decode only this request's replies; 0: all */
	bool scan_only;          /* -D: find DONE and errors, decode no socket */
	/* out */
	bool intr;               /* a message carried NLM_F_DUMP_INTR */
	bool stopped;            /* the callback returned SOCK_CB_STOP */
	bool cb_failed;          /* the callback returned SOCK_CB_ERROR */
	int kerr;                /* errno from NLMSG_ERROR or DONE, else 0 */
	uint64_t records;        /* callbacks made */
};

enum diag_decode_result {
	DIAG_DECODE_MORE = 0,    /* no NLMSG_DONE yet: more messages expected */
	DIAG_DECODE_DONE = 1,    /* an NLMSG_DONE was seen */
	DIAG_DECODE_STOP = 2,    /* the callback asked to stop */
};

/*
 * Decode one buffer (4-byte aligned, as any netlink receive buffer is:
 * records point into it). base is the stream offset of buf[0], for
 * messages. Every message is decoded, also those after an NLMSG_DONE,
 * until the callback stops. Returns an enum diag_decode_result, or
 * negative on a malformed message, a kernel error (d->kerr) or a
 * callback ERROR (d->cb_failed; no message added, see SOCK_CB_ERROR).
 */
int sockdiag_decode_buf(struct diag_decoder *d, const void *buf, size_t len,
			size_t base, struct strbuf *err);

/*
 * After a failed decode: when the callback failed without appending a
 * message to err (err->len still len_before), add a generic one. -1.
 */
int sockdiag_cb_failed(const struct diag_decoder *d, size_t len_before,
		       struct strbuf *err);

/*
 * One buffer of a dump of `table`, for callers with no stream state
 * (tests, the fuzz target): sockdiag_decode_buf() with a fresh decoder.
 * *intr (optional) is set when a message carried NLM_F_DUMP_INTR.
 */
int sockdiag_decode(const void *buf, size_t len, enum sock_table table,
		    sock_cb cb, void *ctx, bool *intr, struct strbuf *err);

#endif
