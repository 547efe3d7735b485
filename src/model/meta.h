/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_MODEL_META_H
#define SOCKVET_MODEL_META_H

/* Where and when a sample was taken: every report starts with it. */

#include <stdint.h>

struct snap_meta {
	char host[65];
	char kernel[65];
	char netns[64];          /* "net:[4026531840]", or "" if unknown */
	int64_t time_unix;       /* seconds */
	int64_t mono_ns;         /* CLOCK_MONOTONIC, for rates between samples */
	/* Wall-clock time in ns, 0 unknown: an imported capture's own time
	 * (its header, a `date` beside it), for rates when mono_ns is 0. */
	int64_t wall_ns;
};

#endif
