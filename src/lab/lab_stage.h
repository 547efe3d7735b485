/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_LAB_STAGE_H
#define SOCKVET_LAB_LAB_STAGE_H

/*
 * The steps every scenario's stage() takes, in this order: its
 * namespace(s) -- one, or this host (0) and a "-peer" (1) joined by a
 * veth --, at most one namespace sysctl and one nftables ruleset, its
 * roles started one after the other, then a bounded wait until the
 * incident is real. What is particular to an incident (the roles, what
 * "real" means, what is logged, what triage is asked) stays in its
 * sc_*.c file.
 */

#include "lab.h"

#define LAB_STAGE_ROLES 3
/* How long the stage waits for the state its roles promised, and how often it looks. */
#define LAB_WAIT_MS 8000
#define LAB_POLL_MS 20

struct lab_role_spec {
	unsigned ns;
	const char *name;                  /* its comm, "lab-server"; NULL ends the list */
	int (*fn)(void *arg);
	void *arg;
};

struct lab_stage_spec {
	const char *veth[2];               /* "10.99.0.1/24" on lab0 (0), the peer's on lab1 (1); NULL: one namespace */
	unsigned sysctl_ns;
	const char *sysctl_key, *sysctl_value;   /* key NULL: none */
	unsigned nft_ns;
	const char *nft;                   /* a ruleset; NULL: none */
	struct lab_role_spec roles[LAB_STAGE_ROLES];
	/*
	 * The incident is real once until(ctx) > 0 (0: not yet; negative: an
	 * error, in err). Polled every poll_ms for at most wait_ms (0: the
	 * defaults above); on timeout the error is "WHAT: not reached within
	 * N ms (TELL)", tell appending the last reading. until NULL: real once
	 * every role said it is ready.
	 */
	int (*until)(void *ctx, struct strbuf *err);
	void (*tell)(void *ctx, struct strbuf *out);
	void *ctx;
	const char *what;
	unsigned wait_ms, poll_ms;
};

/* Take the steps of s; 0, or negative with err set ("interrupted" when the lab was stopped). */
int lab_stage(struct lab *l, const struct lab_stage_spec *s, struct strbuf *err);

/* One line of what the stage saw (no newline), for the report. */
void lab_log(struct lab *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* What triage is asked, in namespace 0: --port (port >= 0) and --symptom
 * (sym not SYMPTOM_NONE); l->focus gets the same as flags. */
void lab_focus(struct lab *l, int port, enum symptom sym);
/* The same with --peer 127.0.0.1:peer_port instead of --port. */
void lab_focus_peer(struct lab *l, int peer_port, enum symptom sym);

#endif
