/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_LAB_H
#define SOCKVET_LAB_LAB_H

/*
 * The incident lab: each scenario stages one real failure in throwaway
 * network namespaces (named LAB_NETNS_PREFIX + scenario [+ "-" suffix],
 * so `ip netns exec` and `sockvet -N` reach them), runs misbehaving
 * programs (forked copies of sockvet running a role function), waits
 * until the kernel state is real, and hands cmd_lab the namespace to
 * triage. Everything it creates it removes in lab_teardown(), which is
 * safe to call twice and after a failed stage.
 *
 * This layer changes the system (namespaces, veths, namespace sysctls,
 * nftables inside a namespace) but never the host's own settings, and
 * prints nothing: errors go to the strbuf, progress to lab->log.
 *
 * Bounds: every role runs under an alarm (LAB_ROLE_MAX_S, or
 * LAB_KEEP_MAX_S with --keep) and dies with the lab process unless kept;
 * every loop inside a role is bounded.
 */

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "../diagnose/finding.h"
#include "../util/strbuf.h"

#define LAB_NETNS_PREFIX "sockvet-lab-"
#define LAB_NS_MAX 2
#define LAB_ROLES_MAX 8
#define LAB_ROLE_MAX_S 60         /* a scenario finishes in < 30 s; roles never outlive 60 */
#define LAB_KEEP_MAX_S 1800       /* --keep: the staged incident stays up at most 30 min */
#define LAB_READY_TIMEOUT_S 20    /* a role that is not ready by then failed */

struct lab_scenario;

struct lab {
	const struct lab_scenario *sc;
	bool keep;                         /* --keep: roles survive the lab process */
	volatile sig_atomic_t *stop;       /* set by cmd_lab on SIGINT/SIGTERM; may be NULL */

	unsigned n_ns;
	char ns[LAB_NS_MAX][64];           /* full names: "sockvet-lab-syn-flood", "...-peer" */
	unsigned n_roles;
	pid_t roles[LAB_ROLES_MAX];        /* each role leads its own process group */
	char role_names[LAB_ROLES_MAX][32];

	/* Filled by the scenario's stage(): what triage is asked. */
	unsigned triage_ns;                /* index into ns[] triage runs in */
	struct focus topts;          /* port / peer / symptom; port -1 and peer_port -1 when unset */
	unsigned samples;                  /* default 3 */
	double interval;                   /* default 1.0 */
	char focus[160];                   /* the same flags as text: "--port 8080 --symptom refused" */

	/* What stage() saw, one line each, for the report ("backlog 8: Recv-Q 9"). */
	struct strbuf log;

	/* lab.c's own: this process's home namespace while lab_enter() is in effect, else -1. */
	int home_fd;
	/* lab.c's own: the page lab_shared() mapped, unmapped by lab_teardown(). */
	void *shared;
	size_t shared_size;
};

struct lab_scenario {
	const char *name;                  /* "accept-overflow" */
	const char *title;                 /* one line for `sockvet lab list` */
	const char *story;                 /* what is staged and what to look at, a few sentences */
	int (*stage)(struct lab *l, struct strbuf *err);
	/* The verdict the lab must see: expect_id NULL means healthy (no
	 * warning or critical finding at all). Otherwise a finding with this
	 * id and side, and no other critical finding beside it. */
	const char *expect_id;
	enum side expect_side;
	/* Optional, stricter: the finding's severity (0: any; else
	 * EXPECT_SEV(SEV_WARNING)...) and, with only, no other warning or
	 * critical finding at all. */
	int expect_sev;
	bool only;
};

#define EXPECT_SEV(sev) ((int)(sev) + 1)

extern const struct lab_scenario lab_scenarios[];
extern const size_t lab_n_scenarios;
const struct lab_scenario *lab_find(const char *name);
/* For scenarios about notes that must not multiply: at most this many
 * info findings (lab_scenarios.c's lab_info_limits[]); -1: unchecked. */
int lab_max_info(const struct lab_scenario *sc);

/* Set up an empty lab for sc (defaults: samples 3, interval 1, port/peer unset). */
void lab_init(struct lab *l, const struct lab_scenario *sc, bool keep,
	      volatile sig_atomic_t *stop);

/* --- building blocks for stage() ---------------------------------------- */

/* A fresh namespace named LAB_NETNS_PREFIX + sc->name (+ "-" + suffix when
 * suffix is non-NULL), lo up; a leftover of the same name is removed
 * first. Returns its index in l->ns, or negative. */
int lab_ns_add(struct lab *l, const char *suffix, struct strbuf *err);

/* A veth pair between two of the lab's namespaces, both ends up, with the
 * given addresses ("10.99.0.1/24"). Device names: "lab0" in a, "lab1" in b. */
int lab_veth(struct lab *l, unsigned a, const char *addr_a, unsigned b,
	     const char *addr_b, struct strbuf *err);

/* Write a sysctl inside namespace ns only ("net.core.somaxconn", "16").
 * Refuses keys that are not per network namespace. */
int lab_sysctl(struct lab *l, unsigned ns, const char *key, const char *value,
	       struct strbuf *err);

/* Load an nftables ruleset (nft -f syntax) inside namespace ns. */
int lab_nft(struct lab *l, unsigned ns, const char *ruleset, struct strbuf *err);

/*
 * Start a role: fork; the child enters namespace ns, takes name as its
 * comm (what ss -p and the findings show; "lab-server"), stdin/stdout/
 * stderr on /dev/null, SIGPIPE ignored, becomes its own
 * process group leader, arms its alarm, and runs fn(arg); it must call
 * lab_role_ready() once the state it stages is real, then hold (bounded)
 * until killed. lab_spawn() returns when the role is ready (0), or
 * negative when it died or was not ready within LAB_READY_TIMEOUT_S
 * (err says which, with what the role wrote to lab_role_fail()).
 */
int lab_spawn(struct lab *l, unsigned ns, const char *name,
	      int (*fn)(void *arg), void *arg, struct strbuf *err);
/* In a role: tell the lab we are ready (once). */
void lab_role_ready(void);
/* In a role: say why it failed (sent to the lab), then _exit(1). */
void lab_role_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* In a role: hold until killed or the alarm fires. */
void lab_role_hold(void) __attribute__((noreturn));

/* A zeroed MAP_SHARED page of size bytes, made before the roles are forked:
 * they write what they see, stage() reads it. One per lab (a second call
 * fails); it stays mapped until lab_teardown(). NULL with err set. */
void *lab_shared(struct lab *l, size_t size, struct strbuf *err);

/* Sleep up to ms, waking early when the lab is told to stop; true if stopped. */
bool lab_sleep(struct lab *l, unsigned ms);

/* Move this process into namespace ns (for the triage) / back home. */
int lab_enter(struct lab *l, unsigned ns, struct strbuf *err);
int lab_leave(struct lab *l, struct strbuf *err);

/* Kill every role and delete every namespace (unless l->keep). Idempotent. */
void lab_teardown(struct lab *l);
/* --keep: remove a kept scenario later ("sockvet lab clean NAME"): kill
 * every process inside its namespaces, delete them. NULL: every
 * namespace named LAB_NETNS_PREFIX*. Nothing kept is not an error. */
int lab_clean(const char *name, struct strbuf *err);

/* The scenario's verdict check: true when a finding with sc->expect_id and
 * sc->expect_side is present and no other finding is critical (expect_id
 * NULL: no finding above info at all). why (may be NULL) gets what was
 * seen instead, "id (side, severity), ..." or "no finding". */
bool lab_verdict_ok(const struct lab_scenario *sc, const struct findings *fs,
		    struct strbuf *why);

#endif
