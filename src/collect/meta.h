/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_COLLECT_META_H
#define SOCKVET_COLLECT_META_H

#include "../model/meta.h"
#include "../util/strbuf.h"

/* Fill host, kernel release, network namespace id and clocks. */
int meta_collect(struct snap_meta *m, const char *proc_root, struct strbuf *err);

#endif
