/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_ADDR_H
#define SOCKVET_MODEL_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_STR_MAX 64   /* "[ffff:...:ffff]:65535" fits */

/*
 * "127.0.0.1:8080", "[::1]:8443", "0.0.0.0:80"; port < 0 leaves it out.
 * For findings and reports: the form `ss -n` prints, so a user can paste
 * it into `ss ... sport = :PORT` or a browser.
 */
const char *addr_endpoint(char buf[ADDR_STR_MAX], uint8_t family,
			  const uint8_t addr[16], int port);

/* true when addr is 0.0.0.0 / :: (every address of the host). */
int addr_is_any(uint8_t family, const uint8_t addr[16]);
/* true when addr is 127.0.0.0/8, ::1 or ::ffff:127.x. */
int addr_is_loopback(uint8_t family, const uint8_t addr[16]);

#endif
