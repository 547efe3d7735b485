// SPDX-License-Identifier: GPL-2.0-or-later
#include "tally.h"

#include <string.h>

void tally_init(struct sock_tally *t)
{
	memset(t, 0, sizeof(*t));
}

void tally_add(struct sock_tally *t, const struct sock_rec *s)
{
	if (s->table >= TBL_MAX || s->state >= SS_STATE_MAX)
		return;
	t->by_state[s->table][s->state]++;
	t->total++;
	if (s->state != SS_LISTEN || (s->table != TBL_TCP && s->table != TBL_MPTCP))
		return;
	t->listeners++;
	/* A listener's Recv-Q is its accept queue, Send-Q its limit. */
	if (s->rqueue <= s->wqueue)
		return;
	t->full_listeners++;
	if (t->n_full < TALLY_MAX_FULL) {
		struct sock_rec *c = &t->full[t->n_full++].sock;

		*c = *s;
		sock_rec_detach(c);
	}
}

void tally_tcp_states(const struct sock_tally *t, uint64_t by[SS_STATE_MAX])
{
	for (int st = 0; st < SS_STATE_MAX; st++)
		by[st] = 0;
	for (int st = 0; st < SS_STATE_MAX; st++)
		by[st == SS_NEW_SYN_RECV ? SS_SYN_RECV : st] += t->by_state[TBL_TCP][st];
}
