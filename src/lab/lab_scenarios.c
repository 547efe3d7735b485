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

const struct lab_scenario *lab_find(const char *name)
{
	for (size_t i = 0; i < lab_n_scenarios; i++)
		if (!strcmp(lab_scenarios[i].name, name))
			return &lab_scenarios[i];
	return NULL;
}
