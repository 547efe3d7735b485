/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_DIAGNOSE_FINDING_H
#define SOCKVET_DIAGNOSE_FINDING_H

/*
 * A finding: what one rule concluded from a series of samples. Rules
 * fill these and nothing else; renderers turn them into text or JSON.
 *
 * Every field is text a person reads at 3 a.m., so each is complete on
 * its own: evidence lines quote the observed value in ss / nstat
 * vocabulary ("ss -ltn sport = :8080: Recv-Q 9 > Send-Q 8"), a change
 * names the setting, its current and proposed value, how to back it out
 * and when it takes effect.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../model/focus.h"
#include "../model/sample.h"
#include "../model/series.h"
#include "../util/fmt.h"

enum severity { SEV_INFO, SEV_WARNING, SEV_CRITICAL };
enum side { SIDE_NONE, SIDE_APP, SIDE_KERNEL, SIDE_NETWORK };

#define FINDING_EVIDENCE_MAX 8
#define FINDING_CHANGES_MAX 4
#define FINDINGS_MAX 64
#define FINDING_TEXT 256
/* At least the number of rules: every rule can be skipped at once. */
#define FINDINGS_NOT_RUN_MAX 32

struct rule;

struct change {
	char setting[64];        /* "net.core.somaxconn", "LimitNOFILE=" */
	char current[64];
	char proposed[64];
	char backout[FINDING_TEXT];
	char effective[FINDING_TEXT]; /* "at the next listen(); restart the service" */
	/* The knob and whose it is, for one knob, one proposal
	 * (findings_reconcile): "RLIMIT_NOFILE pid 812"; "" = not shared. */
	char knob[48];
};

struct finding {
	const char *id;          /* stable: "accept-queue-overflow", one of rule->ids */
	const struct rule *rule; /* the rule that made it (its symptoms order the list) */
	enum severity severity;
	enum side side;
	char subject[96];        /* "listener 0.0.0.0:8080", "process nginx[812]", "host" */
	unsigned n_evidence;
	char evidence[FINDING_EVIDENCE_MAX][FINDING_TEXT];
	char explanation[1024];
	unsigned n_changes;
	struct change changes[FINDING_CHANGES_MAX];
	char verify_command[FINDING_TEXT];
	char fixed_when[FINDING_TEXT];
};

/* A rule that did not run: what it lacked, so the report can name the
 * capture that would let it run (sample_have_source()). */
struct rule_not_run {
	const struct rule *rule;
	uint32_t missing;        /* enum sample_have bits */
};

struct findings {
	unsigned n;
	unsigned dropped;
	struct finding f[FINDINGS_MAX];
	unsigned n_not_run;
	struct rule_not_run not_run[FINDINGS_NOT_RUN_MAX];
};

/* Findings are made through their rule: rule_finding() in rules.h. */
void finding_evidence(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * A counter's change over the samples, worded as a change (nstat -az
 * prints totals, so "nstat -az X: +31" would misquote it):
 * "TcpExtListenOverflows rose by 31 in 2.0 s, NOTE (nstat -az
 * TcpExtListenOverflows)"; note NULL or "" for none.
 */
void finding_evidence_rise(struct finding *f, const char *name, uint64_t delta, double span_s,
			   const char *note);
/*
 * "in 2.0 s" (prep "in"), or, when span_s is 0 (imported samples whose
 * times are unknown: series.time_unknown), "between samples taken at
 * unknown times": evidence never states a span or a rate it does not
 * have. Into buf (FINDING_SPAN_MAX); returns buf.
 */
#define FINDING_SPAN_MAX 48
const char *finding_span(char *buf, const char *prep, double span_s);
/* Two counters over the same span: "A rose by N and B by M in S s, NOTE
 * (nstat -az A B)". */
void finding_evidence_rise2(struct finding *f, const char *a, uint64_t da, const char *b,
			    uint64_t db, double span_s, const char *note);
/* "dmesg: \"LINE\" N times, the last S s ago" for k->events lines read
 * in the last sample (at now_us, µs since boot); nothing when none. */
void finding_kevents(struct finding *f, const struct kev_scan *k, int64_t now_us,
		     const char *line);
/*
 * One sample: what it shows stands, the trend (`what`, "whether drops
 * are rising") could not be confirmed. Appends that to the explanation
 * with the exact command for more samples, `sockvet --port PORT` (port
 * < 0: `sockvet`), and appends the same command to the verify command,
 * so the report prints it as it must be run (-N). Call after the verify
 * command is set. A one-sample finding proposes no change (rules.h).
 */
void finding_one_sample(struct finding *f, const char *what, int port);
/* A new change slot, zeroed, or NULL when the finding has
 * FINDING_CHANGES_MAX already (a rule proposes at most that many). */
struct change *finding_change(struct finding *f);
/* A change of one scalar sysctl from cur to want: setting, current,
 * proposed and the sysctl -w back-out filled in; the caller says when it
 * takes effect. NULL when the finding has no room. */
struct change *finding_change_sysctl(struct finding *f, const char *name, int64_t cur,
				     int64_t want);
/* The app's listen() backlog from cur to want (owner NULL: unknown);
 * somaxconn < 0 when it could not be read. */
void finding_change_backlog(struct finding *f, const struct s_proc *owner, uint32_t cur,
			    uint64_t want, int64_t somaxconn);

#endif
