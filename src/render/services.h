/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_SERVICES_H
#define SOCKVET_RENDER_SERVICES_H

/*
 * Port and IP protocol names for the text renderer, looked up once and
 * cached: ss resolves every row, so a 200k-socket listing of the same
 * few ports must not walk /etc/services 400k times.
 *
 * Semantics are ss 6.1's: getservbyport(port, proto) where proto is the
 * string of the table being listed ("tcp" for TCP, "udp" for UDP, NULL,
 * i.e. any protocol, for MPTCP when neither was listed before it), and
 * getprotobynumber() for the "port" of raw sockets. The cache is bounded
 * by construction: one slot per (protocol kind, port).
 */

#include <stdint.h>

#include "../util/strbuf.h"

enum svc_proto {
	SVC_TCP,
	SVC_UDP,
	SVC_ANY,     /* getservbyport(port, NULL) */
	SVC_PROTO_MAX,
};

struct services;

int services_new(struct services **out, struct strbuf *err);
void services_free(struct services *s);

/* The service name of port, or NULL when /etc/services has none. */
const char *services_port(struct services *s, enum svc_proto p, uint16_t port);

/* The /etc/protocols name of an IP protocol number, or NULL. */
const char *services_ipproto(struct services *s, uint8_t proto);

#endif
