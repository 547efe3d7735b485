/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_CONN_TRACK_H
#define SOCKVET_DIAGNOSE_CONN_TRACK_H

/*
 * Tracked connections, for the rules that judge single connections from
 * their tcp_info (receiver-window-limited, sender-buffer-limited,
 * app-limited).
 *
 * A tracked connection is one s_conn followed across the series by its
 * socket cookie (by 4-tuple and inode when a cookie is missing): its
 * first and last appearance with tcp_info, how often it was seen, and
 * its tcp_info counters as deltas between the two. Seen once, there is
 * no trend, and the counters are the cumulative values of the
 * connection's whole life.
 *
 * A rule collects the connections it cares about (conn_track_collect
 * with its own test), worst first, then writes one finding per group of
 * the same kind and service, listing its worst few (conn_track_list).
 *
 * Those rules do not declare HAVE_CONNS as a need (struct rule.needs):
 * live triage runs the tcp_info pass only in the samples that had a
 * --peer or stuck connection to keep, so a sample without the bit holds
 * no candidate rather than an unknown; a connection missing from a
 * sample counts as not seen there, never as zero. Once the collector
 * sets the bit whenever it could have run the pass, they can need it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "finding.h"

struct conn_track {
	const struct s_conn *c0, *c;    /* first and last appearance */
	const struct sample *s;         /* the sample holding c */
	unsigned first, last;           /* their sample indices */
	unsigned seen;                  /* appearances with tcp_info */
	bool trend;                     /* seen in two samples or more */
	double span;                    /* s between first and last appearance */
	/* Deltas with a trend, else cumulative over the connection's life. */
	uint64_t busy_us, rwnd_limited_us, sndbuf_limited_us;
	uint64_t bytes_acked, bytes_received;

	/* Set by the rule's keep(): */
	int kind;                       /* its cause: only one kind shares a finding */
	uint64_t rank[2];               /* worst first: rank[0], then rank[1], highest first */
	bool used;                      /* listed in a finding already */
};

/* One connection in two samples: the cookie, else the 4-tuple and inode. */
bool conn_track_same(const struct s_conn *a, const struct s_conn *b);

/* The tracked connection's appearance with tcp_info in sample k, or NULL. */
const struct s_conn *conn_track_in(const struct series *ser, const struct conn_track *t,
				   unsigned k);

/* The rule's test: fill its kind and rank and say whether to keep it. */
typedef bool (*conn_track_keep_fn)(struct conn_track *t, const void *ctx);

/*
 * Track every connection with tcp_info once, from its first appearance;
 * keep those keep() accepts, at most max, in out[], sorted worst first
 * (stable: equal ranks stay in sample order). Returns how many.
 */
unsigned conn_track_collect(const struct series *ser, struct conn_track *out, unsigned max,
			    conn_track_keep_fn keep, const void *ctx);

/* part as a whole percentage of whole, 0 when whole is 0. */
unsigned conn_track_pct(uint64_t part, uint64_t whole);

/* The owning process in the sample of the last appearance, or NULL. */
const struct s_proc *conn_track_owner(const struct conn_track *t);

/* "ss -tin 'src 10.0.0.1:5000 and dst 10.0.0.2:41234'" */
void conn_track_ss(char *buf, size_t size, const struct s_conn *c);

/*
 * The evidence line of a tcp_info chronograph's share of busy time:
 * "ss -tin '...': rwnd_limited 1980 ms of busy 2000 ms (99%) in 2.0 s",
 * or "... over the connection's life" without a trend.
 */
void conn_track_share_evidence(struct finding *f, const struct conn_track *t,
			       const char *name, uint64_t limited_us);

/* "; process iperf3[812]", or "" when the owner is unknown. */
void conn_track_who(char *buf, size_t size, const struct conn_track *t);

/* f->subject = "connection 10.0.0.1:5000 -> 10.0.0.2:41234" */
void conn_track_subject(struct finding *f, const struct conn_track *t);

/* The first unused track at or after k, or n when none is left. */
unsigned conn_track_next_lead(const struct conn_track *cand, unsigned n, unsigned k);

typedef void (*conn_track_evidence_fn)(struct finding *f, const struct conn_track *t,
				       const void *ctx);

/*
 * Mark cand[lead] and every later unused track of its kind and service
 * as used, write evidence for the first max of them, and one line
 * counting the rest. The service is the end that offers it: our address
 * and port when that port listens, else the peer's.
 */
void conn_track_list(const struct series *ser, struct conn_track *cand, unsigned n,
		     unsigned lead, unsigned max, struct finding *f,
		     conn_track_evidence_fn evidence, const void *ctx);

#endif
