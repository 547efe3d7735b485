/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_LAB_LAB_SOCK_H
#define SOCKVET_LAB_LAB_SOCK_H

/*
 * Small socket and timing helpers the scenarios' roles share: loopback
 * listeners and clients, a nap that survives signals, and the shared
 * page through which roles report kernel state to their stage().
 */

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "lab.h"

void lab_nap_ms(unsigned ms);
/* 127.0.0.1:port */
struct sockaddr_in lab_lo_addr(int port);
/* listen(backlog) on 127.0.0.1:port (SO_REUSEADDR); -1 with errno kept. */
int lab_lo_listen(int port, int backlog);
/* A client towards 127.0.0.1:port; a non-blocking one returns at once
 * (EINPROGRESS is success). -1 with errno kept. */
int lab_lo_connect(int port, bool nonblock);
/* Accept one connection within ms; -1 with errno (EAGAIN on timeout). */
int lab_accept_wait(int l, unsigned ms);
/* A zeroed MAP_SHARED page made before the fork: roles write, stage reads. */
void *lab_shared_new(size_t size, struct strbuf *err);
void lab_shared_free(void *p, size_t size);
/* Triage namespace ns with --port port. */
void lab_focus_port(struct lab *l, unsigned ns, int port);

#endif
