/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_EXPORTER_ALLNS_H
#define SOCKVET_CMD_EXPORTER_ALLNS_H

/*
 * `sockvet exporter --all-netns`: one round visits every network
 * namespace (netns_list.h, at most max_netns of them, the rest counted in
 * sockvet_netns_past_limit), takes one sample in each, runs the rules over
 * that one sample, and renders the namespace's series led by
 * netns="INODE",netns_owner="LABEL"; the parts are merged by family
 * (prom_merge) into one exposition. Host-wide values and findings
 * (finding_scope.h) appear once, without netns labels.
 *
 * Memory is flat in the number of namespaces: one sample buffer, one
 * findings set and one view, reused; what grows is the exposition itself
 * and the owner cache (listener inodes, bounded).
 *
 * Owners: one /proc walk per round, shared by every namespace's sample
 * (sample_opts.procmap): fd counts only, or the full socket map on the
 * first round, every OWNERS_REFRESH rounds, and the first time in a
 * round that a listener shows up that no walk has named (that namespace
 * is sampled again with it). Known owners are kept between rounds by
 * (netns inode, listener inode).
 */

#include <stddef.h>

#include "../model/focus.h"
#include "../render/report.h"
#include "../util/strbuf.h"

struct exp_allns;

int exp_allns_new(struct exp_allns **out, unsigned max_netns, unsigned max_listeners,
		  const struct focus *fo, struct strbuf *err);

/*
 * One round into *out (malloc'd, *len bytes; the caller frees), with
 * self's counts updated and rendered. 0; -1 the listing failed (self has
 * it as an error, the exposition is still made); -2 fatal (out of memory,
 * or the thread could not come back to its namespace).
 */
int exp_allns_round(struct exp_allns *a, struct prom_self *self, char **out, size_t *len,
		    struct strbuf *err);

void exp_allns_free(struct exp_allns *a);

#endif
