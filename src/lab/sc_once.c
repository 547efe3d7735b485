// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * One-sample honesty: the accept-overflow incident
 * (listen(8), never accept(), a burst of clients: Recv-Q 9 > Send-Q 8)
 * triaged with a single sample, as `sockvet --once` would. One sample
 * cannot confirm a trend, but a queue full right now is not healthy:
 * triage must say warning (exit 1), say what the sample shows, that the
 * trend could not be confirmed, give the command for a second look, and
 * propose no change.
 *
 * The staging is accept-overflow's own (sc_local.c, port 8080): only what
 * triage is asked differs.
 */
#include "sc.h"

int sc_accept_overflow_once(struct lab *l, struct strbuf *err)
{
	if (sc_accept_overflow(l, err))
		return -1;
	l->samples = 1;
	return 0;
}
