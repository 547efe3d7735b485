/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_FOCUS_H
#define SOCKVET_MODEL_FOCUS_H

/*
 * What the user asked triage to look at: a port, a peer, a symptom.
 * Every source (live collection, a replayed dump, an imported capture)
 * and every rule reads the same struct, so it lives in the model.
 */

#include <stdbool.h>
#include <stdint.h>

/* --symptom: what the user sees; rules that speak to it sort first. */
enum symptom { SYMPTOM_NONE, SYMPTOM_REFUSED, SYMPTOM_TIMEOUT, SYMPTOM_RESET,
	       SYMPTOM_SLOW, SYMPTOM_EXHAUSTION, SYMPTOM_MAX };

#define SYMPTOM_BIT(s) (1u << (s))

/* --peer ADDR[:PORT]: the remote end of the connections to judge. */
struct peer {
	bool set;
	uint8_t family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];
	int port;                /* -1: any */
};

struct focus {
	int port;                /* --port, -1 when not given */
	struct peer peer;
	enum symptom symptom;
};

/* A focus with nothing set (port -1, no peer, no symptom). */
void focus_init(struct focus *f);

/*
 * Does a socket's remote end (family, daddr, dport) match the peer? An
 * IPv4 peer also matches its v4-mapped form in an IPv6 socket.
 */
bool peer_match(const struct peer *p, uint8_t family, const uint8_t daddr[16], uint16_t dport);

/* "refused" -> SYMPTOM_REFUSED; false for an unknown name. */
bool symptom_parse(const char *name, enum symptom *out);
const char *symptom_name(enum symptom s);

#endif
