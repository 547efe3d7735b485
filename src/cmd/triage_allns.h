/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_TRIAGE_ALLNS_H
#define SOCKVET_CMD_TRIAGE_ALLNS_H

/*
 * `sockvet --all-netns`: triage every network namespace (netns_list.h),
 * one at a time, and print one report grouped by namespace. Only one
 * namespace's samples are held at a time; what stays is its rendered
 * section (streamed out at once), its exit status and the host-wide
 * findings (finding_scope.h), reported once at the end.
 */

#include <stdbool.h>

#include "focus_opts.h"

struct allns_opts {
	const struct focus_opts *f;
	unsigned samples;
	double interval;
	bool json, pretty, color;
};

/* Runs it all and prints; the exit status (the worst namespace's). */
int triage_all_netns(const struct allns_opts *o);

#endif
