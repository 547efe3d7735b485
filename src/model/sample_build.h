/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_SAMPLE_BUILD_H
#define SOCKVET_MODEL_SAMPLE_BUILD_H

/*
 * The sample builder: the one way a sample is filled, whatever the
 * source (the live netlink dump, a replayed dump file, an imported text
 * capture). A source drives it:
 *
 *   sample_build_begin()                  once
 *   sample_build_socks_begin()            the socket list starts (again, after a torn dump)
 *   sample_build_sock() ...               every socket, any order
 *   sample_build_conns_begin()/_conn()/_conns_end()
 *                                         sockets with tcp_info, if sample_build_wants_conns()
 *   sample_build_proc(), sample_build_attribute(), sample_build_kevent(),
 *   sample_build_mark()                   whatever else the source has
 *   sample_build_finish()                 once; releases the builder
 *
 * Input order does not matter: a client socket that arrives before the
 * listener on its local port is taken out of the client tuples at
 * finish. Each input a source gives marks its bit in sample.have, so an
 * input that was never given is never read as zero.
 *
 * The builder decides what is kept beyond the aggregates: which
 * connections are kept whole (the --peer ones, and without a peer the
 * clearly stuck ones), and which sockets are attributed to processes.
 */

#include <stdbool.h>
#include <stdint.h>

#include "focus.h"
#include "appevent.h"
#include "kevent.h"
#include "sample.h"
#include "../util/strbuf.h"

/* CLOSE-WAIT sockets remembered for owner attribution after the walk. */
#define SAMPLE_BUILD_CW_MAX 65536

struct sample_build_opts {
	struct peer peer;        /* --peer: its connections are kept whole */
	int want_port;           /* --port: its listener's owner is wanted; -1 none */
	bool owners;             /* the source can attribute sockets (keep CLOSE-WAIT inodes) */
};

struct sample_cw_ref {
	uint32_t inode;
	bool unread;             /* Recv-Q >= 1: the EOF was never read */
};

struct sample_builder {
	struct sample *s;
	struct sample_build_opts o;
	struct sample_cw_ref *cw;        /* NULL unless o.owners */
	uint32_t n_cw;
	uint32_t cw_dropped;
	uint32_t n_stuck;
	uint64_t stuck[SAMPLE_CONNS_MAX]; /* cookies, sorted by sample_build_conns_begin */
};

/* Start filling s (initialised here). Fails only on memory. */
int sample_build_begin(struct sample_builder *b, struct sample *s,
		       const struct sample_build_opts *o, struct strbuf *err);

/* The socket list starts, or starts over (a torn dump): what it had is
 * forgotten. have: HAVE_SOCKETS, plus HAVE_LISTEN_DROPS when the source
 * carries listeners' skmem. */
void sample_build_socks_begin(struct sample_builder *b, uint32_t have);
/* True when r is a clearly stuck connection (not the peer's: the peer
 * pass keeps those) that a source able to should fetch whole, with
 * tcp_info, and give to sample_build_conn. */
bool sample_build_sock(struct sample_builder *b, const struct sock_rec *r);

/*
 * Connections kept whole: wanted with a peer, or when the socket list
 * showed clearly stuck ones (the persist timer, or a retransmission
 * timer backed off CONN_STUCK_RETRANS times).
 */
bool sample_build_wants_conns(const struct sample_builder *b);
/* The UNIX listener list starts, or starts over (a torn dump); marks
 * HAVE_UNIX_LISTENERS. */
void sample_build_ulisteners_begin(struct sample_builder *b);
/* One UNIX socket; kept when it is a stream/seqpacket listener with
 * Recv-Q/Send-Q (UNIX_DIAG_RQLEN). */
void sample_build_ulistener(struct sample_builder *b, const struct sock_rec *r);
/* The UDP socket list starts, or starts over; marks HAVE_UDP. */
void sample_build_udp_begin(struct sample_builder *b);
/* One UDP socket, with skmem when the source has it. */
void sample_build_udp(struct sample_builder *b, const struct sock_rec *r);
/* The stuck cookies (sorted after sample_build_conns_begin), for sources
 * that can fetch exactly those sockets. */
const uint64_t *sample_build_stuck(const struct sample_builder *b, uint32_t *n);
void sample_build_conns_begin(struct sample_builder *b);
/* Keeps r when it is the peer's or a stuck one; says whether it did. */
bool sample_build_conn(struct sample_builder *b, const struct sock_rec *r);
void sample_build_conns_end(struct sample_builder *b);

/* Whether attribution is worth its cost: something to attribute (a full
 * or dropping listener, CLOSE-WAIT sockets, kept connections, the --port
 * listener). Without it a source gives fd counts alone. */
bool sample_build_owners_wanted(const struct sample_builder *b);

/* A process with its open fds and RLIMIT_NOFILE (has_limit false when
 * unknown). NULL when the table is full (counted). Marks HAVE_FDS. */
struct s_proc *sample_build_proc(struct sample_builder *b, uint32_t pid, const char *comm,
				 uint32_t fds, bool has_limit, uint64_t soft, uint64_t hard);

/* Who owns a socket inode: false when nobody known does. */
typedef bool (*sample_owner_fn)(uint32_t inode, uint32_t *pid, const char **comm, void *ctx);
/* Attribute listeners, kept connections and CLOSE-WAIT sockets through
 * lookup. Marks HAVE_OWNERS. */
void sample_build_attribute(struct sample_builder *b, sample_owner_fn lookup, void *ctx);

/* A kernel-log event (bounded; marks nothing: see sample_build_mark). */
void sample_build_kevent(struct sample_builder *b, const struct kevent *e);
/* An application-log event: merged into its group (kind, call, process),
 * or counted in appevents_dropped past SAMPLE_APPEVENTS_MAX groups.
 * Marks nothing: the source marks HAVE_APPLOG. */
void sample_build_appevent(struct sample_builder *b, const struct app_event *e);
/* The source filled an input directly (mib, sysctl, sockstat, file-nr...). */
void sample_build_mark(struct sample_builder *b, uint32_t have);

/* Attach SYN-RECV counts to listeners, drop server-side sockets taken
 * for clients before their listener arrived, release the builder. */
void sample_build_finish(struct sample_builder *b);
/* Release without finishing (an error path). */
void sample_build_abort(struct sample_builder *b);

#endif
