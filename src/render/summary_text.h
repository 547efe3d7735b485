/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_SUMMARY_TEXT_H
#define SOCKVET_RENDER_SUMMARY_TEXT_H

#include <stdio.h>

#include "../model/meta.h"
#include "../model/tally.h"
#include "../util/strbuf.h"

/* The plain read of one sample: per-table, per-state counts, and the
 * listeners whose accept queue is full. */
int summary_text_print(FILE *fp, const struct snap_meta *m,
		       const struct sock_tally *t, struct strbuf *err);

#endif
