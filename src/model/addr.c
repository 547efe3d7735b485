// SPDX-License-Identifier: GPL-2.0-or-later
#include "addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

const char *addr_endpoint(char buf[ADDR_STR_MAX], uint8_t family,
			  const uint8_t addr[16], int port)
{
	char a[INET6_ADDRSTRLEN];

	if (!inet_ntop(family == AF_INET6 ? AF_INET6 : AF_INET, addr, a, sizeof(a)))
		snprintf(a, sizeof(a), "?");
	if (family == AF_INET6)
		snprintf(buf, ADDR_STR_MAX, port < 0 ? "[%s]" : "[%s]:%d", a, port);
	else
		snprintf(buf, ADDR_STR_MAX, port < 0 ? "%s" : "%s:%d", a, port);
	return buf;
}

int addr_is_any(uint8_t family, const uint8_t addr[16])
{
	static const uint8_t zero[16];

	return !memcmp(addr, zero, family == AF_INET6 ? 16 : 4);
}

int addr_is_loopback(uint8_t family, const uint8_t addr[16])
{
	static const uint8_t v6lo[16] = { [15] = 1 };
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (family != AF_INET6)
		return addr[0] == 127;
	if (!memcmp(addr, v6lo, 16))
		return 1;
	return !memcmp(addr, mapped, 12) && addr[12] == 127;
}
