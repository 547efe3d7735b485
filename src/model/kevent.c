// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The wordings, newest first (kernel-facts.md "Kernel log strings"):
 *
 *   TCP: request_sock_TCP: Possible SYN flooding on port 0.0.0.0:6000. Dropping request.
 *   TCP: request_sock_TCPv6: Possible SYN flooding on port [::]:6000. Sending cookies.
 *   TCP: request_sock_TCP: Possible SYN flooding on port 8009. Sending cookies.  Check SNMP counters.
 *   TCP: Possible SYN flooding on port 80. Sending cookies.
 *   possible SYN flooding on port 80. Sending cookies.          (2.6)
 *   TCP: out of memory -- consider tuning tcp_mem
 *   Out of socket memory                                        (before ~3.2)
 *   TCP: too many orphaned sockets / too many of orphaned sockets
 *   nf_conntrack: table full, dropping packet
 *   nf_conntrack: nf_conntrack: table full, dropping packet
 *   nf_conntrack: table full in netns 4026532281, dropping packet
 *   TCP: time wait bucket table overflow                        (2.6/3.x)
 *   VFS: file-max limit 2466186 reached
 */
#include "kevent.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const kevent_names[KEV_KIND_MAX] = {
	[KEV_NONE] = "none",
	[KEV_SYN_FLOOD] = "syn-flood",
	[KEV_TCP_OOM] = "tcp-out-of-memory",
	[KEV_ORPHANS] = "too-many-orphans",
	[KEV_CONNTRACK_FULL] = "conntrack-table-full",
	[KEV_TW_OVERFLOW] = "time-wait-overflow",
	[KEV_FILE_MAX] = "file-max-reached",
};

/* Case-insensitive search in a length-bounded message. */
static const char *find_ci(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(s + i, needle, n))
			return s + i;
	return NULL;
}

/* After "on port ": "8009." or "0.0.0.0:6000." or "[::]:6000." */
static bool parse_flood_port(const char *p, const char *end, struct kevent *ev)
{
	const char *colon = NULL, *stop = p;
	char *e;
	long port;

	while (stop < end && *stop != ' ' && *stop != '\n')
		stop++;
	if (stop > p && stop[-1] == '.')
		stop--;
	for (const char *c = p; c < stop; c++)
		if (*c == ':')
			colon = c;
	if (colon) {
		const char *as = p, *ae = colon;

		if (*as == '[') {
			if (ae[-1] != ']')
				return false;
			as++;
			ae--;
		}
		if (ae <= as || (size_t)(ae - as) >= sizeof(ev->addr))
			return false;
		memcpy(ev->addr, as, (size_t)(ae - as));
		ev->addr[ae - as] = '\0';
		ev->has_addr = true;
		p = colon + 1;
	}
	port = strtol(p, &e, 10);
	if (e == p || e != stop || port < 0 || port > 65535)
		return false;
	ev->port = (uint16_t)port;
	return true;
}

bool kevent_classify(const char *msg, size_t len, struct kevent *ev)
{
	const char *p;

	memset(ev, 0, sizeof(*ev));
	ev->ts_us = -1;
	if ((p = find_ci(msg, len, "syn flooding on port "))) {
		const char *end = msg + len;

		ev->kind = KEV_SYN_FLOOD;
		ev->ipv6 = find_ci(msg, (size_t)(p - msg), "request_sock_TCPv6") != NULL;
		if (!parse_flood_port(p + 21, end, ev))
			ev->port = 0;
		if (find_ci(p, (size_t)(end - p), "dropping request"))
			ev->action = KEV_ACT_DROPPING;
		else if (find_ci(p, (size_t)(end - p), "sending cookies"))
			ev->action = KEV_ACT_COOKIES;
		return true;
	}
	if (find_ci(msg, len, "consider tuning tcp_mem") || find_ci(msg, len, "out of socket memory")) {
		ev->kind = KEV_TCP_OOM;
		return true;
	}
	if (find_ci(msg, len, "too many orphaned sockets") ||
	    find_ci(msg, len, "too many of orphaned sockets")) {
		ev->kind = KEV_ORPHANS;
		return true;
	}
	if (find_ci(msg, len, "nf_conntrack: table full") ||
	    (find_ci(msg, len, "nf_conntrack") && find_ci(msg, len, "table full"))) {
		ev->kind = KEV_CONNTRACK_FULL;
		return true;
	}
	if (find_ci(msg, len, "time wait bucket table overflow")) {
		ev->kind = KEV_TW_OVERFLOW;
		return true;
	}
	if (find_ci(msg, len, "file-max limit") && find_ci(msg, len, "reached")) {
		ev->kind = KEV_FILE_MAX;
		return true;
	}
	return false;
}

bool kevent_addr_match(const struct kevent *ev, uint8_t family, const uint8_t addr[16])
{
	uint8_t a[16] = { 0 };
	int af = strchr(ev->addr, ':') ? AF_INET6 : AF_INET;

	if (!ev->has_addr)
		return true;
	if (af != family || inet_pton(af, ev->addr, a) != 1)
		return false;
	return !memcmp(a, addr, af == AF_INET ? 4 : 16);
}
