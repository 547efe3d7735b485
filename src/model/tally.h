/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_TALLY_H
#define SOCKVET_MODEL_TALLY_H

/*
 * struct sock_tally: what a whole dump adds up to, without keeping the
 * sockets: counts per (table, state), and the listeners whose accept
 * queue is at its limit (Recv-Q > Send-Q, kernel-facts.md "Accept queue": the queue
 * holds backlog+1). Triage will grow this; `sockvet` prints it today.
 */

#include <stdint.h>

#include "sock.h"

#define TALLY_MAX_FULL 16

struct tally_listener {
	struct sock_rec sock;    /* copied; pointers inside are cleared */
};

struct sock_tally {
	uint64_t by_state[TBL_MAX][SS_STATE_MAX];
	uint64_t total;
	uint64_t listeners;
	uint64_t full_listeners;  /* all of them, even past TALLY_MAX_FULL */
	unsigned n_full;          /* kept in full[] */
	struct tally_listener full[TALLY_MAX_FULL];
};

void tally_init(struct sock_tally *t);
void tally_add(struct sock_tally *t, const struct sock_rec *s);
/* TCP sockets per state as ss shows them: NEW_SYN_RECV request sockets
 * count as SYN-RECV. The one place this fold is made. */
void tally_tcp_states(const struct sock_tally *t, uint64_t by[SS_STATE_MAX]);

#endif
