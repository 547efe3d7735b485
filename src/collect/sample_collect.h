/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SAMPLE_COLLECT_H
#define SOCKVET_COLLECT_SAMPLE_COLLECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../model/focus.h"
#include "../model/sample.h"
#include "../util/strbuf.h"

struct diag_session;
struct procmap;

struct sample_opts {
	const char *proc_root;   /* NULL: /proc */
	/* The sock_diag session of the run (sockdiag.h); NULL: one for this call. */
	struct diag_session *session;
	/*
	 * The /proc/PID/fd walk: SAMPLE_OWNERS_AUTO attributes sockets to
	 * processes only when the sample has something to attribute (a
	 * listener with a full queue or past drops, CLOSE-WAIT sockets, or
	 * want_port's listener) and otherwise only counts fds per process
	 * (no readlink: a fraction of the cost at 200k sockets).
	 * SAMPLE_OWNERS_COUNTS: fd counts and RLIMIT_NOFILE only, never
	 * attribution (a triage's earlier samples, for the fd trend).
	 */
	enum { SAMPLE_OWNERS_NONE, SAMPLE_OWNERS_AUTO, SAMPLE_OWNERS_ALWAYS,
	       SAMPLE_OWNERS_COUNTS } owners;
	/*
	 * A walk the caller made (procmap.h), used instead of one of this
	 * call's own, so that samples of several network namespaces share one
	 * walk of the host's /proc (exporter --all-netns). A counts-only map
	 * (procmap_build_counts) attributes nothing. NULL: walk here.
	 */
	const struct procmap *procmap;
	int want_port;           /* --port: its listener's owner is wanted; -1 none */
	bool kmsg;               /* read the kernel log */
	const char *kmsg_path;   /* NULL: /dev/kmsg */
	/*
	 * --peer: connections whose remote end matches are
	 * kept one by one with their tcp_info (sample.conns). Without a
	 * peer only clearly stuck connections are (see conn_stuck() in
	 * sample_collect.c).
	 */
	struct peer peer;
	/*
	 * With a peer: the kernel program that selects its connections
	 * (filter_peer_compile(), the same compiler as `ss dst ...`); the
	 * caller keeps it alive for the call.
	 */
	const void *peer_bc;
	size_t peer_bc_len;
};

/* Fill s with one sample of the host (the current network namespace). */
int sample_collect(struct sample *s, const struct sample_opts *o, struct strbuf *err);

#endif
