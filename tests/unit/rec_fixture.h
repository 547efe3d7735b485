/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_TEST_REC_FIXTURE_H
#define SOCKVET_TEST_REC_FIXTURE_H

/* A decoded IPv4 TCP socket record, as the sock_diag decoder would give
 * it, for tests that feed the sample and its builder. */

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "../../src/model/sock.h"

static inline struct sock_rec tcp4(int state, const char *src, uint16_t sport,
				   const char *dst, uint16_t dport)
{
	struct sock_rec r;

	memset(&r, 0, sizeof(r));
	r.table = TBL_TCP;
	r.netid = NETID_TCP;
	r.family = AF_INET;
	r.state = (uint8_t)state;
	inet_pton(AF_INET, src, r.saddr);
	inet_pton(AF_INET, dst, r.daddr);
	r.sport = sport;
	r.dport = dport;
	return r;
}

#endif
