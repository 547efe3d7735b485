// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Closing-state sockets grouped by remote address: FIN-WAIT-1 (our FIN
 * or the data before it is not acknowledged), CLOSING (both FINs sent,
 * ours not acknowledged) and LAST-ACK (the peer closed, we closed, our
 * FIN is not acknowledged). All three wait on the peer; grouping by the
 * remote address names who
 * (kernel-facts.md "Closing states and their timers"). The timer tells what the kernel is doing: persist = probing
 * a zero window (the peer's app stopped reading), on = retransmitting
 * (the peer or the path is silent).
 *
 * A linear scan: only closing sockets come here, and SAMPLE_CLOSING_MAX
 * is small; beyond it they are counted in closing_dropped.
 */
#include "sample.h"

#include <string.h>

#define IDIAG_TIMER_ON 1
#define IDIAG_TIMER_PERSIST 4

static int closing_index(enum sock_state st)
{
	return st == SS_FIN_WAIT1 ? CL_FIN_WAIT1 : st == SS_CLOSING ? CL_CLOSING :
	       st == SS_LAST_ACK ? CL_LAST_ACK : -1;
}

static struct s_closing *closing_peer(struct sample *s, const struct sock_rec *r)
{
	struct s_closing *c;

	for (uint32_t i = 0; i < s->n_closing; i++) {
		c = &s->closing[i];
		if (c->family == r->family && !memcmp(c->daddr, r->daddr, 16))
			return c;
	}
	if (s->n_closing == SAMPLE_CLOSING_MAX)
		return NULL;
	c = &s->closing[s->n_closing++];
	memset(c, 0, sizeof(*c));
	c->family = r->family;
	memcpy(c->daddr, r->daddr, 16);
	c->lport = r->sport;
	return c;
}

void sample_add_closing(struct sample *s, const struct sock_rec *r)
{
	int k = closing_index((enum sock_state)r->state);
	struct s_closing *c;

	if (k < 0)
		return;
	c = closing_peer(s, r);
	if (!c) {
		s->closing_dropped++;
		return;
	}
	if (c->lport != r->sport)
		c->lport_mixed = true;
	c->n[k]++;
	if (!r->inode)
		c->orphans++;
	if (r->timer == IDIAG_TIMER_PERSIST)
		c->persist++;
	else if (r->timer == IDIAG_TIMER_ON)
		c->retrans++;
	if (r->retrans > c->max_backoff)
		c->max_backoff = r->retrans;
	c->send_q += r->wqueue;
}
