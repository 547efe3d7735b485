/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SOCKDIAG_H
#define SOCKVET_COLLECT_SOCKDIAG_H

/*
 * The sock_diag collector: asks the kernel for sockets over
 * NETLINK_SOCK_DIAG and hands each one, decoded into a struct sock_rec,
 * to a callback. Nothing is kept: listing 200k sockets costs one
 * receive buffer.
 *
 * Receiving and decoding are separate (libmnl's mnl_cb_run idea):
 * sockdiag_decode() takes a buffer of netlink messages, so a recorded
 * dump replays through exactly the code a live dump runs through.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../model/sock.h"
#include "../util/strbuf.h"

/* What the caller will look at; only these extensions are requested. */
enum diag_need {
	DIAG_NEED_INFO = 1 << 0,     /* INET_DIAG_INFO + VEGASINFO + CONG */
	DIAG_NEED_MEM = 1 << 1,      /* INET_DIAG_MEMINFO + SKMEMINFO */
	DIAG_NEED_TOS = 1 << 2,      /* INET_DIAG_TOS + TCLASS */
	DIAG_NEED_UNIX_RQ = 1 << 3,  /* UNIX_DIAG_RQLEN (always wanted for queues) */
	DIAG_NEED_UNIX_VFS = 1 << 4, /* UNIX_DIAG_VFS (-e) */
	DIAG_NEED_UNIX_MEM = 1 << 5, /* UNIX_DIAG_MEMINFO (-m) */
};

enum diag_family {
	DIAG_FAM_INET = 1 << 0,
	DIAG_FAM_INET6 = 1 << 1,
};

#define SOCKDIAG_BYTECODE_MAX 128

/*
 * Bytecode accepting inet sockets whose remote end is addr (family
 * AF_INET or AF_INET6; an AF_INET address also matches its v4-mapped
 * form in IPv6 sockets) and, when port >= 0, whose remote port is port.
 * Returns its length in buf (room: SOCKDIAG_BYTECODE_MAX).
 */
size_t sockdiag_bc_remote(uint8_t buf[SOCKDIAG_BYTECODE_MAX], int family,
			  const uint8_t addr[16], int port);

/* How often a table dump flagged NLM_F_DUMP_INTR is started again. */
#define SOCKDIAG_INTR_RETRIES 3

/* What happened during a collect, for the caller to report. */
struct diag_stats {
	unsigned intr_retries;   /* table dumps started again after DUMP_INTR */
	unsigned intr_tables;    /* TBL_BIT mask of tables that were retried */
	unsigned absent_tables;  /* TBL_BIT mask: the kernel lacks the protocol */
	uint64_t records;        /* callbacks made */
};

struct diag_query {
	unsigned tables;     /* TBL_BIT(enum sock_table) mask */
	unsigned families;   /* enum diag_family mask, for inet tables */
	uint32_t states;     /* 1u << SS_* mask, sent as idiag_states */
	unsigned needs;      /* enum diag_need mask */
	/*
	 * -D: when non-NULL, the raw bytes of the TCP dump (every recvmsg
	 * buffer, v4 then v6, each family ending in NLMSG_DONE) are written
	 * here instead of being decoded; the format ss's TCPDIAG_FILE reads.
	 */
	FILE *record;
	const char *record_name;  /* for error messages */
	/* Where netlink owners' comm is read (PROC_ROOT); NULL = "/proc". */
	const char *proc_root;
	/*
	 * Optional: an inet_diag filter program (INET_DIAG_REQ_BYTECODE) the
	 * kernel runs before it builds a socket's message, so what it rejects
	 * costs neither tcp_info nor bytes. At most SOCKDIAG_BYTECODE_MAX.
	 */
	const void *bytecode;
	size_t bytecode_len;
	/* Optional: filled in by sockdiag_collect(). */
	struct diag_stats *stats;
	/*
	 * Optional: called before a table torn by NLM_F_DUMP_INTR is dumped
	 * again, so a caller that aggregates can drop what that table gave
	 * it. Return negative to stop instead of retrying.
	 */
	int (*on_restart)(enum sock_table table, void *ctx);
};

/* Return 0 to go on, negative to stop the dump with that value. */
typedef int (*sock_cb)(const struct sock_rec *s, void *ctx);

/*
 * Dump every table in q->tables, in ss's order (netlink, packet, unix,
 * raw, udp, tcp, mptcp; v4 before v6 within a table), calling cb for
 * each socket. A protocol the kernel lacks is skipped silently. An
 * interrupted dump (NLM_F_DUMP_INTR) is retried up to
 * SOCKDIAG_INTR_RETRIES times from scratch; callbacks already made for a
 * torn attempt are not undone: q->on_restart lets a caller that
 * aggregates drop them, and q->stats counts the retries so a listing can
 * say it may repeat rows. A table still torn after the last retry fails.
 * As in ss 6.1, netlink and packet sockets (always UNCONN) are dumped only
 * when q->states has SS_CLOSE; q->families 0 means both. With q->record
 * only the tcp table is dumped, and cb is never called.
 * Returns 0, or negative with a message in err.
 */
int sockdiag_collect(const struct diag_query *q, sock_cb cb, void *ctx,
		     struct strbuf *err);

/*
 * Decode one buffer of netlink messages from a dump of `table`. buf must
 * be 4-byte aligned, as any netlink receive buffer is: records point into
 * it (tcp_info bytes, the UNIX path, the uint32_t ICONS array).
 * Every message in buf is decoded, also those after an NLMSG_DONE.
 * Returns 1 when NLMSG_DONE was seen, 0 when more messages are expected,
 * negative on a malformed message, a kernel error or a callback abort
 * (err names the message offset). *intr is set when a message carried
 * NLM_F_DUMP_INTR.
 */
int sockdiag_decode(const void *buf, size_t len, enum sock_table table,
		    sock_cb cb, void *ctx, bool *intr, struct strbuf *err);

/*
 * Replay a recorded stream of netlink messages (ss -D / TCPDIAG_FILE
 * format: nlmsghdr + payload, back to back) as TCP sockets. Unlike ss 6.1,
 * which stops at the first NLMSG_DONE, every message in the file is read,
 * so a v4+v6 recording replays whole. The state mask and family mask in q
 * are applied in user space (a zero mask filters nothing). Truncated or
 * malformed input fails with a message naming the file and byte offset.
 */
int sockdiag_replay(const char *path, const struct diag_query *q,
		    sock_cb cb, void *ctx, struct strbuf *err);

#endif
