// SPDX-License-Identifier: GPL-2.0-or-later
#include "cmd_opts.h"

#include <string.h>

void cmd_longopts(struct option *longopts, const struct cmd_optdef *defs, size_t n)
{
	memset(longopts, 0, (n + 1) * sizeof(*longopts));
	for (size_t i = 0; i < n; i++) {
		longopts[i].name = defs[i].name;
		longopts[i].has_arg = defs[i].has_arg;
		longopts[i].val = defs[i].val;
	}
}

void cmd_print_options(FILE *fp, const struct cmd_optdef *defs, size_t n, int width)
{
	for (size_t i = 0; i < n; i++) {
		char left[64];
		const char *eq = defs[i].arg ? "=" : "", *arg = defs[i].arg ? defs[i].arg : "";

		if (defs[i].val < 256)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", defs[i].val, defs[i].name, eq, arg);
		else
			snprintf(left, sizeof(left), "    --%s%s%s", defs[i].name, eq, arg);
		fprintf(fp, "   %-*s %s\n", width, left, defs[i].help);
	}
}
