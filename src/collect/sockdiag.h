/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SOCKDIAG_H
#define SOCKVET_COLLECT_SOCKDIAG_H

/*
 * The live sock_diag collector: asks the kernel for sockets over
 * NETLINK_SOCK_DIAG and hands each one, decoded into a struct sock_rec
 * (sockdiag_decode.h), to a callback. Nothing is kept: listing 200k
 * sockets costs one receive buffer.
 *
 * A session (one netlink socket, one receive buffer) serves any number
 * of dumps and exact lookups: triage opens one per run. A query without
 * a session opens one for the call.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sockdiag_decode.h"

/* What the caller will look at; only these extensions are requested. */
enum diag_need {
	DIAG_NEED_INFO = 1 << 0,     /* INET_DIAG_INFO + VEGASINFO + CONG */
	DIAG_NEED_MEM = 1 << 1,      /* INET_DIAG_MEMINFO + SKMEMINFO */
	DIAG_NEED_TOS = 1 << 2,      /* INET_DIAG_TOS + TCLASS */
	DIAG_NEED_UNIX_RQ = 1 << 3,  /* UNIX_DIAG_RQLEN (always wanted for queues) */
	DIAG_NEED_UNIX_VFS = 1 << 4, /* UNIX_DIAG_VFS (-e) */
	DIAG_NEED_UNIX_MEM = 1 << 5, /* UNIX_DIAG_MEMINFO (-m) */
};

#define SOCKDIAG_BYTECODE_MAX 8192

/* How often a table dump flagged NLM_F_DUMP_INTR is started again. */
#define SOCKDIAG_INTR_RETRIES 3

/* What happened during a collect, for the caller to report. */
struct diag_stats {
	unsigned intr_retries;   /* table dumps started again after DUMP_INTR */
	unsigned intr_tables;    /* TBL_BIT mask of tables that were retried */
	unsigned absent_tables;  /* TBL_BIT mask: the kernel lacks the protocol */
	uint64_t records;        /* callbacks made */
};

struct diag_session;

/*
 * Open a NETLINK_SOCK_DIAG socket in the current network namespace, with
 * its receive buffer. It stays in that namespace whatever the process
 * enters later. 0, or negative with a message in err.
 */
int sockdiag_session_open(struct diag_session **out, struct strbuf *err);
void sockdiag_session_close(struct diag_session *s);

struct diag_query {
	/* Optional: the session to use; NULL opens one for this call. */
	struct diag_session *session;
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
	/* Where /proc/net/raw is read when raw_diag is absent; NULL = "/proc". */
	const char *proc_root;
	/*
	 * The families /proc/net/raw{,6} are read for when that happens; 0 =
	 * families. ss reads every family flag given there (its filter's
	 * family mask) but dumps only the last one over netlink.
	 */
	unsigned proc_families;
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
 * only the tcp table is dumped, and cb is never called. A SOCK_CB_STOP
 * from cb ends the whole collect with success. Netlink records carry no
 * process name: a live listing adds it with nlcomm_fill().
 * Returns 0, or negative with a message in err.
 */
int sockdiag_collect(const struct diag_query *q, sock_cb cb, void *ctx,
		     struct strbuf *err);

/* The full id of one inet socket, as a dump reported it. */
struct diag_sock_id {
	uint8_t family;          /* AF_INET, AF_INET6 */
	uint16_t sport, dport;   /* host order */
	uint8_t saddr[16], daddr[16];
	uint32_t ifindex;
	uint64_t cookie;
};

void sockdiag_id_of(const struct sock_rec *r, struct diag_sock_id *id);

/*
 * Ask the kernel for one TCP socket by its id (a request, not a dump:
 * the cost does not grow with the table), with the extensions in needs
 * (enum diag_need). cb (required) gets the fresh record once. Returns 0 when found,
 * 1 when the socket is gone (closed or reused since the id was taken:
 * the cookie no longer matches), negative with a message in err.
 */
int sockdiag_lookup(struct diag_session *s, const struct diag_sock_id *id,
		    unsigned needs, sock_cb cb, void *ctx, struct strbuf *err);

#endif
