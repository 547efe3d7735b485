/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_SC_H
#define SOCKVET_LAB_SC_H

/* The scenarios' stage functions (one per scenario; see lab_scenarios.c). */
#include "lab.h"

/* sc_local.c: one namespace, loopback */
int sc_accept_overflow(struct lab *l, struct strbuf *err);
int sc_accept_overflow_emfile(struct lab *l, struct strbuf *err);
int sc_somaxconn_cap(struct lab *l, struct strbuf *err);
int sc_close_wait_leak(struct lab *l, struct strbuf *err);
int sc_time_wait_busy_client(struct lab *l, struct strbuf *err);
int sc_port_exhaustion(struct lab *l, struct strbuf *err);
int sc_fd_exhaustion(struct lab *l, struct strbuf *err);
int sc_healthy_busy_server(struct lab *l, struct strbuf *err);

/* sc_net.c: two namespaces over a veth, nftables where a path misbehaves */
int sc_syn_flood(struct lab *l, struct strbuf *err);
int sc_syn_flood_nocookies(struct lab *l, struct strbuf *err);
int sc_fin_wait_2(struct lab *l, struct strbuf *err);
int sc_nothing_listening(struct lab *l, struct strbuf *err);
int sc_loopback_only(struct lab *l, struct strbuf *err);
int sc_lossy_path(struct lab *l, struct strbuf *err);
int sc_resets(struct lab *l, struct strbuf *err);

/* sc_tcpinfo.c: per-connection tcp_info (--peer) */
int sc_receiver_not_reading(struct lab *l, struct strbuf *err);
int sc_app_limited_sender(struct lab *l, struct strbuf *err);

/* sc_misleading.c: counts that mislead (CLOSE-WAIT in the accept queue, a fd leak) */
int sc_accept_queue_close_wait(struct lab *l, struct strbuf *err);
int sc_slow_accept_keeps_up(struct lab *l, struct strbuf *err);
int sc_fd_leak(struct lab *l, struct strbuf *err);
/* sc_peer_silent.c: outbound connects that hang, closing-state piles */
int sc_connect_timeouts(struct lab *l, struct strbuf *err);
int sc_fin_wait_1_pile(struct lab *l, struct strbuf *err);
int sc_last_ack_pile(struct lab *l, struct strbuf *err);
int sc_syn_flood_elsewhere(struct lab *l, struct strbuf *err);
/* sc_once.c: one-sample triage (--once) of a live incident */
int sc_accept_overflow_once(struct lab *l, struct strbuf *err);
/* sc_udp_unix.c: UNIX listeners, UDP receivers */
int sc_unix_accept_overflow(struct lab *l, struct strbuf *err);
int sc_udp_slow_reader(struct lab *l, struct strbuf *err);

#endif
