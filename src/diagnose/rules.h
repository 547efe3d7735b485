/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_RULES_H
#define SOCKVET_DIAGNOSE_RULES_H

/*
 * The triage rules: one file per rule (src/diagnose/rule_<name>.c), one
 * row each in rules[] (rules.c). A rule reads a const series of samples
 * and appends findings; it never collects, prints or allocates beyond
 * its stack.
 *
 * Rule conventions:
 *  - Thresholds are named constants at the top of the file with a
 *    comment saying why that number.
 *  - A trend (a counter rising, a pile growing) needs ser->n >= 2. With
 *    one sample a rule may describe what it sees, but proposes no tuning
 *    change, and says it could not confirm a trend.
 *  - Evidence quotes observed values in commands a user can re-run:
 *    "ss -ltn 'sport = :8080': Recv-Q 9, Send-Q 8", "nstat -az
 *    TcpExtListenOverflows: +31 in 2 s".
 *  - Every change has current, proposed, back-out and when it takes
 *    effect; every finding has a verify command and what "fixed" looks
 *    like.
 */

#include <stddef.h>

#include "finding.h"

typedef void (*rule_fn)(const struct series *ser, const struct focus *o,
			struct findings *out);

struct rule {
	const char *id;
	rule_fn check;
	const char *summary;
};

extern const struct rule rules[];
extern const size_t n_rules;

/* Run every rule, then order findings worst first (symptom-relevant first). */
void diagnose_run(const struct series *ser, const struct focus *o,
		  struct findings *out);

/* The rules (one per file). */
void rule_accept_queue_overflow(const struct series *, const struct focus *, struct findings *);
void rule_syn_queue_overflow(const struct series *, const struct focus *, struct findings *);
void rule_close_wait_leak(const struct series *, const struct focus *, struct findings *);
void rule_fin_wait_2_pile(const struct series *, const struct focus *, struct findings *);
void rule_time_wait_pile(const struct series *, const struct focus *, struct findings *);
void rule_ephemeral_port_exhaustion(const struct series *, const struct focus *, struct findings *);
void rule_fd_exhaustion(const struct series *, const struct focus *, struct findings *);
void rule_conntrack_table_full(const struct series *, const struct focus *, struct findings *);
void rule_tcp_memory_pressure(const struct series *, const struct focus *, struct findings *);
void rule_orphan_sockets(const struct series *, const struct focus *, struct findings *);
void rule_connection_resets(const struct series *, const struct focus *, struct findings *);
void rule_retransmits(const struct series *, const struct focus *, struct findings *);
void rule_no_listener(const struct series *, const struct focus *, struct findings *);
void rule_receiver_window_limited(const struct series *, const struct focus *, struct findings *);
void rule_sender_buffer_limited(const struct series *, const struct focus *, struct findings *);
void rule_app_limited(const struct series *, const struct focus *, struct findings *);

/* Small shared helpers for rules. */
/* A sysctl's first value, or false when missing. */
bool sample_sysctl(const struct sample *s, enum sysctl_id id, int64_t *v);

#endif
