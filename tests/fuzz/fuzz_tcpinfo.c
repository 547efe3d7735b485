// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer target for the tcp_info field table: the input is a kernel
 * reply of any length. Every reader must stay inside it (AddressSanitizer
 * sees a read past the copy), and the readers must agree: a field
 * tcpinfo_get reads is the one tcpinfo_load loads, and a kept connection
 * gives back what it kept.
 */
#include "../../src/model/sample.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcpinfo_vals all, kept;
	struct s_conn c;
	uint8_t *ti;
	uint64_t v;

	/* an exact-size copy, so one byte too far is out of bounds */
	ti = malloc(size ? size : 1);
	if (!ti)
		return 0;
	memcpy(ti, data, size);
	tcpinfo_load(&all, ti, size);
	memset(&c, 0, sizeof(c));
	c.has_info = tcpinfo_conn_fill(&c, ti, size);
	c.has_snd_wnd = c.has_info && tcpinfo_present(size, TCPINFO_SND_WND);
	tcpinfo_conn_load(&kept, &c);
	for (unsigned f = 0; f < TCPINFO_FIELD_MAX; f++) {
		bool got = tcpinfo_get(ti, size, f, &v);

		if (got != all.present[f] || v != all.v[f])
			abort();
		if (kept.present[f] && kept.v[f] != all.v[f])
			abort();
	}
	free(ti);
	return 0;
}
