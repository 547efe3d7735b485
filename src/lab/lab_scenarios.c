// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The lab's scenarios, in the order `sockvet lab list` shows them, each
 * with the verdict triage must reach on it (tests/e2e/t40-lab.t checks
 * every one against the real kernel).
 */
#include <string.h>

#include "sc.h"

const struct lab_scenario lab_scenarios[] = {
	{ "accept-overflow", "listen(8), never accept(), a burst of clients",
	  "A server listens with backlog 8 and never calls accept(). A burst of clients fills "
	  "the accept queue: ss shows Recv-Q 9 over Send-Q 8 and ListenOverflows climbs. "
	  "The fix is in the application: it must accept faster.",
	  sc_accept_overflow, "accept-queue-overflow", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "accept-overflow-emfile", "accept() fails with EMFILE: the fd limit is used up",
	  "The server's RLIMIT_NOFILE is used up, so every accept() fails with EMFILE and the "
	  "queue stays full. A bigger backlog would change nothing: the fd limit is the cause.",
	  sc_accept_overflow_emfile, "accept-queue-overflow", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "somaxconn-cap", "somaxconn 16 caps listen(4096); bursts overflow between drains",
	  "The namespace's net.core.somaxconn is 16, the app asks listen(4096) and drains the "
	  "queue between short bursts. The kernel's cap is the limit: raise somaxconn, then "
	  "the app must listen() again.",
	  sc_somaxconn_cap, "accept-queue-overflow", SIDE_KERNEL,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "syn-flood", "a peer over a veth sends SYNs and never completes the handshake",
	  "A second namespace sends SYNs from many addresses and drops the SYN-ACKs: the SYN "
	  "queue fills, syncookies answer. The cause is on the network side.",
	  sc_syn_flood, "syn-queue-overflow", SIDE_NETWORK,
	  EXPECT_SEV(SEV_WARNING), false },
	{ "syn-flood-nocookies", "the same flood with tcp_syncookies=0",
	  "The same flood with syncookies off: the kernel drops SYNs once the queue is full. "
	  "The kernel setting is what turns a flood into refused connections.",
	  sc_syn_flood_nocookies, "syn-queue-overflow", SIDE_KERNEL,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "close-wait-leak", "clients close, the server never does",
	  "Clients close their side; the server never reads the EOF nor closes. Every "
	  "connection stays in CLOSE-WAIT, owned by the server process.",
	  sc_close_wait_leak, "close-wait-leak", SIDE_APP,
	  EXPECT_SEV(SEV_WARNING), false },
	{ "fin-wait-2", "the peer never closes its side",
	  "This side closes; the peer over the veth acknowledges but never closes its own "
	  "side, so the connections wait in FIN-WAIT-2.",
	  sc_fin_wait_2, "fin-wait-2-pile", SIDE_NETWORK,
	  EXPECT_SEV(SEV_WARNING), false },
	{ "time-wait-busy-client", "a busy client's TIME-WAIT, well within the port range",
	  "A client opens and closes thousands of short connections. TIME-WAIT piles up on the "
	  "client, which is normal: no tuning is proposed.",
	  sc_time_wait_busy_client, NULL, SIDE_NONE, 0, false },
	{ "port-exhaustion", "a narrowed ip_local_port_range, connect() until EADDRNOTAVAIL",
	  "ip_local_port_range is narrowed in the namespace and a client keeps connecting to one "
	  "destination until connect() fails with EADDRNOTAVAIL.",
	  sc_port_exhaustion, "ephemeral-port-exhaustion", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "fd-exhaustion", "a process at its RLIMIT_NOFILE",
	  "A process opens sockets until it reaches its RLIMIT_NOFILE and holds them.",
	  sc_fd_exhaustion, "fd-exhaustion", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "nothing-listening", "--symptom refused --port P with no listener",
	  "Clients are refused: nothing listens on the port they ask for.",
	  sc_nothing_listening, "no-listener", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "loopback-only", "a listener on 127.0.0.1 reached over a veth",
	  "The service listens on 127.0.0.1 only; a client in another namespace is refused.",
	  sc_loopback_only, "listener-loopback-only", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "receiver-not-reading", "the receiver stops reading; the sender is window-limited",
	  "A receiver stops reading: its window closes, the sender's data piles up unsent and "
	  "the connection is limited by the receiver's window (--peer).",
	  sc_receiver_not_reading, "receiver-window-limited", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "lossy-path", "nftables drops a share of packets on the veth",
	  "nftables in the peer namespace drops a random share of the segments; a bulk transfer "
	  "retransmits. The path is the cause.",
	  sc_lossy_path, "retransmits", SIDE_NETWORK,
	  EXPECT_SEV(SEV_CRITICAL), false },
	{ "app-limited-sender", "a sender writing small chunks with pauses",
	  "A sender writes 1 KiB every 50 ms: the connection is idle most of the time. The "
	  "application, not the network, sets the pace (--peer).",
	  sc_app_limited_sender, "app-limited", SIDE_APP,
	  EXPECT_SEV(SEV_WARNING), false },
	{ "healthy-busy-server", "thousands of connections accepted and served promptly",
	  "A server accepts and serves thousands of short connections promptly. Nothing is wrong "
	  "and sockvet must say so.",
	  sc_healthy_busy_server, NULL, SIDE_NONE, 0, false },
	{ "resets", "a server that aborts connections (SO_LINGER 0)",
	  "The server closes every connection with SO_LINGER 0, which sends a reset instead "
	  "of a FIN.",
	  sc_resets, "connection-resets", SIDE_APP,
	  EXPECT_SEV(SEV_WARNING), false },
	{ "accept-queue-close-wait", "clients connect and close at once; the server never accepts",
	  "Clients connect and close at once against a listener that never calls accept(): the "
	  "queued children sit in CLOSE-WAIT with no owner. That is the accept queue's symptom, "
	  "not a leak: the verdict is accept-queue-overflow alone.",
	  sc_accept_queue_close_wait, "accept-queue-overflow", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), true },
	{ "slow-accept-keeps-up", "a server that accepts with a delay and answers late, keeping up",
	  "Clients send a request and shut their side; the server accepts one per tick and "
	  "answers 300 ms later. About 30 connections are in CLOSE-WAIT at every instant, never "
	  "the same ones, and the queue never overflows: healthy.",
	  sc_slow_accept_keeps_up, NULL, SIDE_NONE, 0, true },
	{ "fd-leak", "a process leaking 20 fds a second toward its RLIMIT_NOFILE",
	  "A process holds 400 fds of a 512 limit and opens one more every 50 ms, never closing "
	  "any. The fix is the leak in the app, not a higher limit.",
	  sc_fd_leak, "fd-exhaustion", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), true },
	{ "connect-timeouts", "connects to a peer whose firewall drops SYNs",
	  "Clients here connect to a peer whose nftables drops every SYN: the connects hang in "
	  "SYN-SENT until they time out. The remote or the path is the cause (--symptom timeout).",
	  sc_connect_timeouts, "connect-timeouts", SIDE_NETWORK,
	  EXPECT_SEV(SEV_CRITICAL), true },
	{ "fin-wait-1-pile", "closed with data queued to a peer that stopped reading",
	  "The peer never reads and its window closes; clients here close with data still "
	  "queued. The orphans sit in FIN-WAIT-1 probing a zero window: the peer's reader is "
	  "the cause.",
	  sc_fin_wait_1_pile, "closing-pile", SIDE_NETWORK,
	  EXPECT_SEV(SEV_WARNING), true },
	{ "last-ack-pile", "the server closed, the peer went silent",
	  "Clients in the peer close their side; the server here closes every connection and "
	  "exits, and the peer drops its FINs. The connections sit in LAST-ACK retransmitting "
	  "the FIN: the peer or the path is the cause.",
	  sc_last_ack_pile, "closing-pile", SIDE_NETWORK,
	  EXPECT_SEV(SEV_WARNING), true },
	{ "syn-flood-elsewhere", "a SYN flood logged in another namespace, healthy listeners here",
	  "Two listeners in the peer namespace are flooded and the kernel logs a SYN flood line "
	  "for each; afterwards healthy listeners start here on the same ports. The shared "
	  "kernel log must not become a finding here: healthy, with at most one short note.",
	  sc_syn_flood_elsewhere, NULL, SIDE_NONE, 0, true },
	{ "accept-overflow-once", "the accept-overflow incident triaged with one sample (--once)",
	  "The accept-overflow incident (listen(8), never accept(), Recv-Q 9 > Send-Q 8) seen "
	  "through a single sample. One look cannot confirm a trend, but a full queue is not "
	  "healthy: a warning that says so, gives the command for a second look and proposes "
	  "no change.",
	  sc_accept_overflow_once, "accept-queue-overflow", SIDE_APP,
	  EXPECT_SEV(SEV_WARNING), true },
	{ "unix-accept-overflow", "a UNIX listener with listen(8) that never accepts; clients get EAGAIN",
	  "A php-fpm-like pool listens on a UNIX socket with backlog 8 and never calls accept(). "
	  "nginx-like clients connect non-blocking: 9 wait in the queue (ss -xl Recv-Q 9 > "
	  "Send-Q 8), the rest fail with EAGAIN. The pool is the cause.",
	  sc_unix_accept_overflow, "unix-accept-queue-overflow", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), true },
	{ "udp-slow-reader", "a UDP receiver reading 100 datagrams/s under a 20,000/s flood",
	  "A UDP receiver with the default buffer reads one datagram every 10 ms while a sender "
	  "floods it: the receive queue stays full and the kernel drops the rest (skmem d, "
	  "UdpRcvbufErrors). A bigger buffer would only delay the drops: the reader is the cause.",
	  sc_udp_slow_reader, "udp-receive-buffer", SIDE_APP,
	  EXPECT_SEV(SEV_CRITICAL), true },
};
const size_t lab_n_scenarios = sizeof(lab_scenarios) / sizeof(lab_scenarios[0]);

/* Scenarios that also bound their info findings (see lab_max_info). */
static const struct { const char *name; int max_info; } lab_info_limits[] = {
	{ "syn-flood-elsewhere", 1 },
};

int lab_max_info(const struct lab_scenario *sc)
{
	for (size_t i = 0; i < sizeof(lab_info_limits) / sizeof(lab_info_limits[0]); i++)
		if (!strcmp(lab_info_limits[i].name, sc->name))
			return lab_info_limits[i].max_info;
	return -1;
}

const struct lab_scenario *lab_find(const char *name)
{
	for (size_t i = 0; i < lab_n_scenarios; i++)
		if (!strcmp(lab_scenarios[i].name, name))
			return &lab_scenarios[i];
	return NULL;
}
