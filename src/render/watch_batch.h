/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_RENDER_WATCH_BATCH_H
#define SOCKVET_RENDER_WATCH_BATCH_H

/*
 * `sockvet watch --batch` (or stdout not a terminal): one compact text
 * block per interval, as vmstat prints a line; `--json`: one JSON
 * object per line per interval (NDJSON, schema in docs/json-keys.md
 * "watch"). Both render a watch view and nothing else.
 */

#include <stdio.h>

#include "../util/strbuf.h"
#include "watch_view.h"

/* One block; 0, or negative with a message in err (a write failed). */
int watch_batch_text(FILE *fp, const struct watch_view *v, struct strbuf *err);
/* One line of JSON; 0, or negative with a message in err. */
int watch_batch_json(FILE *fp, const struct watch_view *v, struct strbuf *err);

/*
 * --all-netns: one line per interval, v (watch_view_build_allns) with a
 * "namespaces" array: each namespace's view (built into scratch from
 * ns[i].t with o) and its findings, those of all whose finding_ino is
 * its inode (0: host-wide, in the top-level findings only).
 */
struct findings;
int watch_batch_json_allns(FILE *fp, const struct watch_view *v, const struct watch_ns_src *ns,
			   unsigned n, struct watch_view *scratch, const struct watch_view_opts *o,
			   const struct findings *all, const uint64_t *finding_ino,
			   struct strbuf *err);

#endif
