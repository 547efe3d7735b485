/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_TRACE_H
#define SOCKVET_MODEL_TRACE_H

/*
 * struct trace: a few numbers per sample, kept for every sample taken,
 * for the pictures (watch's sparklines, the HTML report's plots). A
 * sample is ~2 MiB; a point is ~1 KiB, so an hour at one second stays
 * a few MiB, and the ring forgets the oldest point past TRACE_POINTS_MAX.
 *
 * The trace is not what rules judge: they read the series of whole
 * samples. It holds per-interval values (a counter's rate between two
 * consecutive samples, a listener's queue at each instant) that no rule
 * computes, so a renderer plotting them recomputes nothing.
 *
 * Listeners and connections get a slot on first sight, busy ones first,
 * and keep it, so a plot's lines do not change meaning; past the slots
 * they are counted (listeners_untracked), never silently dropped.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "mib.h"
#include "sample.h"

#define TRACE_POINTS_MAX 3600
#define TRACE_LISTENERS_MAX 32
#define TRACE_CONNS_MAX 4

/* A listener slot: identity as series_listener_in matches it. */
struct trace_lslot {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint32_t inode;
	char endpoint[ADDR_STR_MAX];   /* "0.0.0.0:8080" */
	char comm[16];                 /* owner, once a sample attributed it; "" unknown */
	uint32_t pid;
};

struct trace_lpoint {
	bool present;            /* the listener was in this sample */
	uint32_t rq, wq;         /* accept queue and its limit */
	uint32_t syn_recv;
	bool has_drops;          /* skmem d was reported for it in this sample */
	uint32_t drops;          /* skmem d: drops since the socket was created */
	bool drops_known;        /* skmem d here and in the previous point */
	double drops_per_s;
};

/* A kept connection (--peer): matched by cookie. */
struct trace_cslot {
	uint64_t cookie;
	char local[ADDR_STR_MAX], remote[ADDR_STR_MAX];
};

struct trace_cpoint {
	bool present;
	bool has_info;
	uint32_t rtt_us;
	uint32_t snd_cwnd;       /* segments */
	uint32_t total_retrans;  /* segments, since the connection started */
};

struct trace_point {
	double t_s;              /* seconds since the trace's first point */
	int64_t time_unix;
	double cost_s;           /* what taking the sample cost (0: not measured) */
	bool have_states;
	uint64_t states[SS_STATE_MAX];  /* TCP, NEW_SYN_RECV folded into SYN-RECV */
	/* mib_watched[i] per second since the previous point */
	bool rate_known[MIB_WATCHED_MAX];
	double rate[MIB_WATCHED_MAX];
	struct trace_lpoint l[TRACE_LISTENERS_MAX];
	struct trace_cpoint c[TRACE_CONNS_MAX];
};

struct trace {
	unsigned cap;            /* points the ring holds, <= TRACE_POINTS_MAX */
	unsigned n;              /* points held, <= cap */
	unsigned head;           /* index of the oldest point in ring */
	uint64_t taken;          /* points ever added (n + forgotten) */
	bool time_known;         /* every point's t_s came from a clock */
	int64_t start_time_unix;
	int64_t start_mono_ns;
	unsigned n_lslots;
	uint32_t listeners_untracked;   /* listeners of the newest point without a slot */
	struct trace_lslot lslot[TRACE_LISTENERS_MAX];
	unsigned n_cslots;
	struct trace_cslot cslot[TRACE_CONNS_MAX];
	/* what the next point's rates are taken against */
	bool prev_set;
	double prev_t_s;
	bool prev_mib_known[MIB_WATCHED_MAX];
	uint64_t prev_mib[MIB_WATCHED_MAX];
	bool prev_drops_known[TRACE_LISTENERS_MAX];
	uint32_t prev_drops[TRACE_LISTENERS_MAX];
	struct trace_point ring[TRACE_POINTS_MAX];
};

/* A trace is large (TRACE_POINTS_MAX points): allocate it. */
void trace_init(struct trace *t);
/*
 * A trace that keeps only the newest cap points (1..TRACE_POINTS_MAX),
 * in trace_size(cap) bytes: the ring is the struct's last member and
 * only its first cap points are touched (watch --all-netns keeps one
 * per namespace).
 */
size_t trace_size(unsigned cap);
void trace_init_cap(struct trace *t, unsigned cap);
/* Record one sample; cost_s: what taking it cost, 0 when unknown. */
void trace_add(struct trace *t, const struct sample *s, double cost_s);
/* Point i, 0 the oldest held; NULL past the end. */
const struct trace_point *trace_at(const struct trace *t, unsigned i);
const struct trace_point *trace_last(const struct trace *t);
/* Seconds from the oldest to the newest point held. */
double trace_span_s(const struct trace *t);

#endif
