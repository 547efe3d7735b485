// SPDX-License-Identifier: GPL-2.0-or-later
#include "fmt.h"

#include <stdio.h>

const char *fmt_thousands(char buf[32], uint64_t v)
{
	char t[24];
	int n = snprintf(t, sizeof(t), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = t[i];
	}
	buf[o] = '\0';
	return buf;
}
