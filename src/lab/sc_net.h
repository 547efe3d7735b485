/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_SC_NET_H
#define SOCKVET_LAB_SC_NET_H

/*
 * The roles of the two-namespace scenarios (sc_net.c stages them; the
 * roles live in sc_net_roles.c). Each is a lab_spawn() function: it runs
 * in a forked child inside one scenario namespace, calls lab_role_ready()
 * once its part of the incident is real, keeps misbehaving for at most
 * active_s seconds (every loop is bounded by that deadline or a count)
 * and then holds until the lab kills it. Errors end the child through
 * lab_role_fail(), which the lab turns into the stage's error message.
 */

#include <stdint.h>

struct net_role {
	const char *addr;        /* IPv4 to bind (servers) or connect to (clients) */
	int port;
	int backlog;             /* servers: listen() backlog */
	unsigned count;          /* connections to open (fin-wait-2 clients and server, bulk flows) */
	unsigned rate;           /* per second: SYNs, connects, or KiB sent (bulk) */
	unsigned interval_ms;    /* refused clients: pause between attempts */
	unsigned active_s;       /* how long the busy loop runs before holding */
	/* flood: sources SRC_BASE, SRC_BASE+1, ... added to IFNAME (/PLEN) */
	const char *ifname;
	const char *src_base;
	unsigned n_src;
	unsigned plen;
};

/* listen(backlog) on addr:port, ready, hold (never accepts). */
int net_role_listen(void *arg);
/* listen, ready; accept up to count connections and shutdown(SHUT_WR)
 * each, keeping the fds: FIN-WAIT-2 that no timeout ends. */
int net_role_fin_server(void *arg);
/* count connections to addr:port, ready once all are established; never
 * reads, never closes (their peer's FIN leaves them in CLOSE-WAIT). */
int net_role_connect_hold(void *arg);
/* Add the source addresses, then rate SYNs/s round-robin from them to
 * addr:port, each socket closed again before its first retransmit;
 * ready after the first burst. The SYN-ACKs must be dropped by nftables. */
int net_role_syn_flood(void *arg);
/* Connect to addr:port every interval_ms; ready at the first refusal;
 * fails if a connect succeeds before that. */
int net_role_refused(void *arg);
/* listen, ready; accept and close every connection with SO_LINGER {1, 0}. */
int net_role_abort_server(void *arg);
/* rate connections/s to addr:port, each waiting for the server's RST;
 * ready after the first resets. */
int net_role_reset_clients(void *arg);
/* listen, ready; accept connections (up to 16) and read them until EOF. */
int net_role_sink(void *arg);
/* count connections (1 when 0) to addr:port, rate KiB/s over all of
 * them; ready after the first MiB. */
int net_role_bulk(void *arg);

#endif
