// SPDX-License-Identifier: GPL-2.0-or-later
#include "sock.h"

#include <string.h>

bool sock_tcp_info(const struct sock_rec *s, struct tcp_info *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s->tcpi_len || !s->tcpi)
		return false;
	n = s->tcpi_len < sizeof(*out) ? s->tcpi_len : sizeof(*out);
	memcpy(out, s->tcpi, n);
	return true;
}

const char *sock_state_name(unsigned state)
{
	static const char *const names[SS_STATE_MAX] = {
		[SS_UNKNOWN_] = "UNKNOWN", [SS_ESTABLISHED] = "ESTAB",
		[SS_SYN_SENT] = "SYN-SENT", [SS_SYN_RECV] = "SYN-RECV",
		[SS_FIN_WAIT1] = "FIN-WAIT-1", [SS_FIN_WAIT2] = "FIN-WAIT-2",
		[SS_TIME_WAIT] = "TIME-WAIT", [SS_CLOSE] = "UNCONN",
		[SS_CLOSE_WAIT] = "CLOSE-WAIT", [SS_LAST_ACK] = "LAST-ACK",
		[SS_LISTEN] = "LISTEN", [SS_CLOSING] = "CLOSING",
		[SS_NEW_SYN_RECV] = "SYN-RECV", [SS_BOUND_INACTIVE] = "BOUND-INACTIVE",
	};

	return state < SS_STATE_MAX && names[state] ? names[state] : "UNKNOWN";
}

void sock_rec_detach(struct sock_rec *s)
{
	s->tcpi = NULL;
	s->tcpi_len = 0;
	s->mptcpi = NULL;
	s->mptcpi_len = 0;
	if (s->table == TBL_UNIX) {
		s->u.un.path = NULL;
		s->u.un.path_len = 0;
		s->u.un.icons = NULL;
		s->u.un.n_icons = 0;
	}
}
