// SPDX-License-Identifier: GPL-2.0-or-later
#include "diag_util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/fmt.h"

void diag_appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

void diag_trim(char *buf)
{
	size_t len = strlen(buf);

	while (len && buf[len - 1] == ' ')
		buf[--len] = '\0';
}

uint64_t diag_roundup(uint64_t v, uint64_t unit)
{
	return (v + unit - 1) / unit * unit;
}

const struct s_proc *diag_owner(const struct sample *s, int32_t owner)
{
	if (owner < 0 || (uint32_t)owner >= s->n_procs)
		return NULL;
	return &s->procs[owner];
}

unsigned diag_top_ports(const uint32_t by_port[SAMPLE_PORTS], uint64_t min,
			uint16_t *out, unsigned max)
{
	unsigned n = 0;

	if (!min)
		min = 1;
	for (uint32_t p = 0; p < SAMPLE_PORTS; p++) {
		uint32_t c = by_port[p];
		unsigned at;

		if (c < min)
			continue;
		/* Insertion after every port with at least as many: ties
		 * keep port order. */
		for (at = n; at > 0 && by_port[out[at - 1]] < c; at--)
			;
		if (at >= max)
			continue;
		if (n < max)
			n++;
		memmove(&out[at + 1], &out[at], (n - 1 - at) * sizeof(out[0]));
		out[at] = (uint16_t)p;
	}
	return n;
}

void diag_series_values(char *buf, size_t size, const struct series *ser, unsigned shown,
			diag_value_fn value, const void *ctx)
{
	char a[32];

	for (unsigned i = 0; i < ser->n; i++) {
		if (i + 1 == shown && ser->n > shown) {
			diag_appendf(buf, size, " -> ... -> %s",
				     fmt_thousands(a, value(ser, ser->n - 1, ctx)));
			break;
		}
		diag_appendf(buf, size, "%s%s", i ? " -> " : "", fmt_thousands(a, value(ser, i, ctx)));
	}
}

uint64_t diag_mib_delta(const struct series *ser, const char *name)
{
	uint64_t d = 0;

	return series_mib_delta(ser, name, &d) ? d : 0;
}
