/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_RULES_H
#define SOCKVET_DIAGNOSE_RULES_H

/*
 * The triage rules: one file per rule (src/diagnose/rule_<name>.c), each
 * exporting one `const struct rule` and keeping its check function
 * static; one row each in rules[] (rules.c). A rule reads a const series
 * of samples and appends findings; it never collects, prints or
 * allocates beyond its stack.
 *
 * Adding a rule: the file with its struct rule (ids, symptoms, needs,
 * check, summary), its row in rules[], its prototype below, and its ids
 * in the man page's TRIAGE RULES and README.md (test_rules_table checks
 * the last two against the table).
 *
 * Rule conventions:
 *  - Findings are made with rule_finding(out, self, k, ...): the id is
 *    self->ids[k], so no id is spelled outside its rule's table.
 *  - needs: the sample_have bits without which the rule cannot judge at
 *    all; diagnose_run() skips it when one is missing from series_have()
 *    and records that in findings.not_run. An input the rule can do
 *    without (a sysctl, the kernel log) is tested inside the rule, and
 *    never read as zero.
 *  - Thresholds are named constants at the top of the file with a
 *    comment saying why that number.
 *  - A trend (a counter rising, a pile growing) needs ser->n >= 2. With
 *    one sample a rule may describe what it sees, but proposes no tuning
 *    change, and says it could not confirm a trend.
 *  - Evidence quotes observed values in commands a user can re-run:
 *    "ss -ltn 'sport = :8080': Recv-Q 9, Send-Q 8". A counter's change
 *    is worded as a change, "TcpExtListenOverflows rose by 31 in 2.0 s
 *    (nstat -az TcpExtListenOverflows)" (finding_evidence_rise: nstat -az
 *    prints totals). With one sample, finding_one_sample() says so and
 *    gives the command for a second look.
 *  - Every change has current, proposed, back-out and when it takes
 *    effect; every finding has a verify command and what "fixed" looks
 *    like.
 */

#include <stddef.h>
#include <stdint.h>

#include "diag_util.h"
#include "finding.h"

#define RULE_IDS_MAX 4

struct rule {
	const char *ids[RULE_IDS_MAX]; /* the finding ids it may emit; ids[0] names the rule */
	unsigned symptoms;             /* SYMPTOM_BIT(SYMPTOM_REFUSED) | ...: sorts first under --symptom */
	uint32_t needs;                /* enum sample_have bits; all must be in series_have() */
	void (*check)(const struct rule *self, const struct series *ser,
		      const struct focus *fo, struct findings *out);
	const char *summary;
	/* A kernel-log line that alone points at this cause: with the
	 * rule's inputs missing, klog_only_finding() still speaks (KEV_NONE: no). */
	enum kevent_kind klog;
	/* With the inputs missing but one state's total counted by a pasted
	 * `| wc -l` (sample.counted): what the rule can say from that alone
	 * (NULL: nothing). Never a change: a total has no per-port detail. */
	void (*counted)(const struct rule *self, const struct series *ser, struct findings *out);
};

/* klog_only.c: the finding a rule that could not run gives from its log line. */
void klog_only_finding(const struct rule *r, const struct series *ser, struct findings *out);

/* applog_only.c: application-log errnos (imported captures) as evidence of
 * the findings the rules made, or as findings of their own (rules.c runs
 * it after the rules). */
void applog_only_findings(const struct series *ser, struct findings *out);

/* rules.c: one row per rule, NULL-terminated; n_rules rows. */
extern const struct rule *const rules[];
extern const size_t n_rules;

/* Run every rule whose needs are met, then order findings worst first
 * (symptom-relevant first). */
void diagnose_run(const struct series *ser, const struct focus *fo,
		  struct findings *out);

/*
 * Run one rule on its own (tests, or a caller picking rules): when a
 * need is missing from series_have(ser) it does not run, the miss is
 * recorded in out->not_run and false is returned.
 */
bool rule_run(const struct rule *r, const struct series *ser, const struct focus *fo,
	      struct findings *out);

/* The sample_have bits r needs that ser does not have (0: it can run). */
uint32_t rule_missing(const struct rule *r, const struct series *ser);

/* A new finding with id self->ids[k]; NULL when the list is full
 * (counted in out->dropped) or k names no id of the rule. */
struct finding *rule_finding(struct findings *out, const struct rule *self, unsigned k,
			     enum severity sev, enum side side);

/* The note a counter-rate rule leaves with one sample when the user's
 * symptom is its business: info, no side, subject, one evidence line,
 * explanation; the caller adds verify and fixed. NULL when full. */
struct finding *rule_one_sample_note(struct findings *out, const struct rule *self,
				     const char *subject, const char *evidence,
				     const char *explanation);

/* The rules (one per file). */
extern const struct rule rule_accept_queue_overflow;
extern const struct rule rule_syn_queue_overflow;
extern const struct rule rule_close_wait_leak;
extern const struct rule rule_fin_wait_2_pile;
extern const struct rule rule_closing_pile;
extern const struct rule rule_connect_timeouts;
extern const struct rule rule_time_wait_pile;
extern const struct rule rule_ephemeral_port_exhaustion;
extern const struct rule rule_fd_exhaustion;
extern const struct rule rule_conntrack_table_full;
extern const struct rule rule_tcp_memory_pressure;
extern const struct rule rule_orphan_sockets;
extern const struct rule rule_connection_resets;
extern const struct rule rule_retransmits;
extern const struct rule rule_no_listener;
extern const struct rule rule_receiver_window_limited;
extern const struct rule rule_sender_buffer_limited;
extern const struct rule rule_app_limited;
extern const struct rule rule_unix_accept_queue_overflow;
extern const struct rule rule_udp_receive_buffer;

/* Small shared helpers for rules. */
/* A sysctl's first value, or false when missing. */
bool sample_sysctl(const struct sample *s, enum sysctl_id id, int64_t *v);

#endif
