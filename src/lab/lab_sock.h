/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_LAB_SOCK_H
#define SOCKVET_LAB_LAB_SOCK_H

/*
 * The socket and timing helpers every scenario's roles share (and the
 * lab itself, for its naps): IPv4 listeners and clients on loopback or
 * a veth, waiting on a descriptor, tcp_info, the fd limit. Plain calls
 * return -1 with errno kept; the lab_role_*() ones run inside a role and
 * end it through lab_role_fail() instead.
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>

#include "lab.h"

#define LAB_LO "127.0.0.1"
/* A role loop that naps LAB_TICK_MS per turn runs at most LAB_ROLE_TICKS
 * turns: as long as the longest a role may live (--keep), never forever. */
#define LAB_TICK_MS 10
#define LAB_ROLE_TICKS (LAB_KEEP_MAX_S * (1000 / LAB_TICK_MS))

struct tcp_info;

/* Sleep ms, resumed across signals. */
void lab_nap_ms(unsigned ms);
/* CLOCK_MONOTONIC in ms. */
uint64_t lab_now_ms(void);

/* addr:port; -1 (EINVAL) when addr is not a dotted IPv4 address. */
int lab_addr(struct sockaddr_in *sa, const char *addr, int port);
/* A TCP client from src (NULL: any) to dst; a non-blocking one returns at
 * once (EINPROGRESS is success). */
int lab_connect(const struct sockaddr_in *src, const struct sockaddr_in *dst, bool nonblock);
/* lab_connect() towards 127.0.0.1:port. */
int lab_lo_connect(int port, bool nonblock);
/* poll() one fd for events up to ms, resumed across signals: >0 ready,
 * 0 timeout, -1 error. */
int lab_poll_fd(int fd, short events, unsigned ms);
/* Accept one connection within ms; -1 with errno (EAGAIN on timeout). */
int lab_accept_wait(int l, unsigned ms);
/* getsockopt(TCP_INFO) into *ti (zeroed first). */
int lab_tcp_info(int fd, struct tcp_info *ti);
/* Set the soft RLIMIT_NOFILE to soft (raise_only: unless it is already at
 * least that); -1 with EPERM beyond the hard limit. */
int lab_nofile(rlim_t soft, bool raise_only);

/* In a role: listen(backlog) on addr:port with SO_REUSEADDR, or fail the role. */
int lab_role_listen(const char *addr, int port, int backlog);

#endif
