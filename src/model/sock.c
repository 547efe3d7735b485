// SPDX-License-Identifier: GPL-2.0-or-later
#include "sock.h"

#include <string.h>

bool sock_tcp_info(const struct sock_rec *s, struct tcp_info *out)
{
	size_t n;

	memset(out, 0, sizeof(*out));
	if (!s->tcpi_len || !s->tcpi)
		return false;
	n = s->tcpi_len < sizeof(*out) ? s->tcpi_len : sizeof(*out);
	memcpy(out, s->tcpi, n);
	return true;
}
