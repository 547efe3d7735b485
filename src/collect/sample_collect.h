/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_SAMPLE_COLLECT_H
#define SOCKVET_COLLECT_SAMPLE_COLLECT_H

#include <stdbool.h>

#include "../model/sample.h"
#include "../util/strbuf.h"

struct sample_opts {
	const char *proc_root;   /* NULL: /proc */
	bool owners;             /* walk /proc/PID/fd for owners and fd counts */
	bool kmsg;               /* read the kernel log */
	const char *kmsg_path;   /* NULL: /dev/kmsg */
};

/* Fill s with one sample of the host (the current network namespace). */
int sample_collect(struct sample *s, const struct sample_opts *o, struct strbuf *err);

#endif
