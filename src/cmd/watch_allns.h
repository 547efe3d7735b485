/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef SOCKVET_CMD_WATCH_ALLNS_H
#define SOCKVET_CMD_WATCH_ALLNS_H

/*
 * `sockvet watch --all-netns` without the screen. Each refresh lists
 * every network namespace (netns_list.h), enters each in turn, takes
 * one sample into the one reused sample buffer (~2 MiB), and keeps per
 * namespace only a compact state: a trace of its newest
 * WATCH_ALLNS_POINTS points (the sparklines, the last listener rows,
 * state counts and the counter values rates are taken against) and the
 * owners of its listeners. The rules judge each namespace's newest
 * sample alone (no trend rule sees a window: that needs watch -N NS);
 * their findings are merged into one set, each subject prefixed by its
 * namespace's label, host-wide ones (finding_scope.h) once. Memory:
 * about 40 KiB per namespace, at most max_netns (--max-netns) of them;
 * the rest are counted, not sampled.
 */

#include <stdbool.h>
#include <stdint.h>

#include "../collect/netns_list.h"
#include "../diagnose/finding.h"
#include "../model/focus.h"
#include "../render/report_view.h"
#include "../render/watch_view.h"
#include "../util/strbuf.h"
#include "owner_cache.h"

#define WATCH_ALLNS_POINTS 30
#define WATCH_MAX_NETNS_DEFAULT 64

struct watch_ns {
	uint64_t dev, ino;
	bool seen;                       /* in this refresh's listing */
	char label[NETNS_LABEL_MAX];
	char run_in[NETNS_LABEL_MAX];
	struct trace *trace;             /* WATCH_ALLNS_POINTS points */
	struct owner_entry *owners;      /* its listeners' owners */
	unsigned n_owners, since_full;
	bool primed;
};

struct watch_allns {
	/* in */
	struct focus o;
	double interval;
	unsigned max_netns;
	/* state */
	struct watch_ns *ns;             /* max_netns of them */
	unsigned n_ns;
	unsigned past;                   /* past max_netns, or not entered */
	struct watch_ns_src *src;        /* for the view */
	struct sample *buf;
	const struct sample *cs[1];
	struct owner_cache *oc;          /* scratch: one namespace's owners */
	struct findings *fs, *hw, *all;
	uint64_t finding_ino[FINDINGS_MAX];  /* all->f[i]'s namespace inode, 0 host-wide */
	struct report_view *rv;          /* the merged verdict */
	uint64_t taken;
};

int watch_allns_open(struct watch_allns *a, struct strbuf *err);
/* One refresh of every namespace; 0, or -1 with err. */
int watch_allns_refresh(struct watch_allns *a, struct strbuf *err);
void watch_allns_close(struct watch_allns *a);
/* The exit status of the merged verdict (0, 1, 2). */
int watch_allns_status(const struct watch_allns *a);

#endif
