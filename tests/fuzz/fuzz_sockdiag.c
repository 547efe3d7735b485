// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the sock_diag decoder (sockdiag_decode.c, pure). The first input byte picks
 * the table (mod TBL_MAX); the rest is a buffer of netlink messages. The
 * callback reads every byte a record points at, so a pointer past the
 * input shows up under AddressSanitizer.
 */
#include "../../src/collect/sockdiag_decode.h"

#include <stdlib.h>
#include <string.h>

static volatile uint32_t sink;

static int touch(const struct sock_rec *s, void *ctx)
{
	struct tcpinfo_vals ti;
	uint32_t acc = 0, i;

	(void)ctx;
	tcpinfo_load(&ti, s->tcpi, s->tcpi_len);
	acc += (uint32_t)ti.v[TCPINFO_STATE];
	for (i = 0; i < s->tcpi_len; i++)
		acc += s->tcpi[i];
	for (i = 0; i < s->mptcpi_len; i++)
		acc += s->mptcpi[i];
	if (s->table == TBL_UNIX) {
		for (i = 0; i < s->u.un.path_len; i++)
			acc += (uint8_t)s->u.un.path[i];
		for (i = 0; i < s->u.un.n_icons; i++)
			acc += s->u.un.icons[i];
	}
	/* The decoder names no netlink owner: that needs /proc (nlcomm.c). */
	if (s->table == TBL_NETLINK && s->u.nl.has_comm)
		__builtin_trap();
	acc += (uint32_t)strlen(s->cong) + (uint32_t)strlen(s->ulp);
	sink += acc;
	return SOCK_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf err = STRBUF_INIT;
	bool intr = false;
	uint8_t *buf;

	if (size < 1)
		return 0;
	/* Real callers pass malloc()ed (aligned) netlink buffers; so do we. */
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	sockdiag_decode(buf, size - 1, (enum sock_table)(data[0] % TBL_MAX),
			touch, NULL, &intr, &err);
	strbuf_release(&err);
	free(buf);
	return 0;
}
