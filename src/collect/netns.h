/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_NETNS_H
#define SOCKVET_COLLECT_NETNS_H

/*
 * ss -N NAME: move this process into a named network namespace before
 * any socket is dumped. NAME is looked up as /var/run/netns/NAME (where
 * `ip netns add` bind-mounts it); a NAME containing '/' is used as a
 * path as it is (e.g. /proc/PID/ns/net).
 *
 * Only the network namespace changes: /proc/net follows (it is
 * /proc/self/net), /proc/PID/fd does not need to. Needs CAP_SYS_ADMIN.
 */

#include "../util/strbuf.h"

int netns_enter(const char *name, struct strbuf *err);

/* The namespace NAME (as netns_enter finds it) as an fd (O_CLOEXEC), or
 * negative with a message in err; "/proc/self/ns/net" is this one. */
int netns_open(const char *name, struct strbuf *err);
/* setns() into fd's network namespace; name is for the message. Only the
 * calling thread moves (a sampler can come and go while an HTTP socket
 * stays where it was created). */
int netns_enter_fd(int fd, const char *name, struct strbuf *err);

#endif
