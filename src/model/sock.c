// SPDX-License-Identifier: GPL-2.0-or-later
#include "sock.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

/*
 * ss's words for the kernel's TCP states, one row per state. A column is
 * NULL where that spelling has no word of its own and falls back to
 * "UNKNOWN" (ss61) or to the kernel column (user).
 */
static const struct {
	const char *kernel;
	const char *ss61;
	const char *user;
} state_names[SS_STATE_MAX] = {
	[SS_UNKNOWN_] = { "UNKNOWN", "UNKNOWN", NULL },
	[SS_ESTABLISHED] = { "ESTAB", "ESTAB", NULL },
	[SS_SYN_SENT] = { "SYN-SENT", "SYN-SENT", NULL },
	[SS_SYN_RECV] = { "SYN-RECV", "SYN-RECV", NULL },
	[SS_FIN_WAIT1] = { "FIN-WAIT-1", "FIN-WAIT-1", NULL },
	[SS_FIN_WAIT2] = { "FIN-WAIT-2", "FIN-WAIT-2", NULL },
	[SS_TIME_WAIT] = { "TIME-WAIT", "TIME-WAIT", NULL },
	[SS_CLOSE] = { "UNCONN", "UNCONN", NULL },
	[SS_CLOSE_WAIT] = { "CLOSE-WAIT", "CLOSE-WAIT", NULL },
	[SS_LAST_ACK] = { "LAST-ACK", "LAST-ACK", NULL },
	[SS_LISTEN] = { "LISTEN", "LISTEN", NULL },
	[SS_CLOSING] = { "CLOSING", "CLOSING", NULL },
	/* `ss state` has no word for it; the request is a SYN-RECV to a user */
	[SS_NEW_SYN_RECV] = { "NEW-SYN-RECV", NULL, "SYN-RECV" },
	[SS_BOUND_INACTIVE] = { "BOUND-INACTIVE", NULL, NULL },
};

const char *sock_state_spelling(unsigned state, enum sock_spelling sp)
{
	const char *n;

	if (state >= SS_STATE_MAX)
		return "UNKNOWN";
	switch (sp) {
	case SOCK_SPELL_SS61:
		n = state_names[state].ss61;
		return n ? n : "UNKNOWN";
	case SOCK_SPELL_USER:
		n = state_names[state].user;
		return n ? n : state_names[state].kernel;
	default:
		return state_names[state].kernel;
	}
}

const char *sock_state_name(unsigned state)
{
	return sock_state_spelling(state, SOCK_SPELL_USER);
}

/* idiag_timer values (struct sock_rec.timer). */
static const struct {
	const char *kernel;
	const char *ss61;   /* NULL: ss 6.1 prints "unknown" */
} timer_names[] = {
	{ "off", "off" },
	{ "on", "on" },
	{ "keepalive", "keepalive" },
	{ "timewait", "timewait" },
	{ "persist", "persist" },
	{ "delack", NULL },
};

const char *sock_timer_name(unsigned timer, enum sock_spelling sp)
{
	const char *n;

	if (timer >= sizeof(timer_names) / sizeof(timer_names[0]))
		return "unknown";
	n = sp == SOCK_SPELL_SS61 ? timer_names[timer].ss61 : timer_names[timer].kernel;
	return n ? n : "unknown";
}

static const char *const netid_names[NETID_MAX] = {
	[NETID_TCP] = "tcp", [NETID_UDP] = "udp", [NETID_RAW] = "raw",
	[NETID_MPTCP] = "mptcp", [NETID_U_STR] = "u_str",
	[NETID_U_DGR] = "u_dgr", [NETID_U_SEQ] = "u_seq",
	[NETID_P_RAW] = "p_raw", [NETID_P_DGR] = "p_dgr", [NETID_NL] = "nl",
};

const char *sock_netid_name(unsigned netid)
{
	return netid < NETID_MAX ? netid_names[netid] : "unknown";
}

void sock_rec_detach(struct sock_rec *s)
{
	s->tcpi = NULL;
	s->tcpi_len = 0;
	s->mptcpi = NULL;
	s->mptcpi_len = 0;
	s->md5sig = NULL;
	s->md5sig_len = 0;
	if (s->table == TBL_UNIX) {
		s->u.un.path = NULL;
		s->u.un.path_len = 0;
		s->u.un.icons = NULL;
		s->u.un.n_icons = 0;
	}
}

size_t sock_md5key_count(const struct sock_rec *s)
{
	return s->md5sig ? s->md5sig_len / sizeof(struct tcp_diag_md5sig) : 0;
}

void sock_md5key_get(const struct sock_rec *s, size_t i, struct sock_md5key *out)
{
	struct tcp_diag_md5sig sig;

	/* The payload is only 4-byte aligned in the receive buffer. */
	memcpy(&sig, s->md5sig + i * sizeof(sig), sizeof(sig));
	out->prefixlen = sig.tcpm_prefixlen;
	if ((sig.tcpm_family != AF_INET && sig.tcpm_family != AF_INET6) ||
	    !inet_ntop(sig.tcpm_family, sig.tcpm_addr, out->addr, sizeof(out->addr)))
		snprintf(out->addr, sizeof(out->addr), "???");
}
